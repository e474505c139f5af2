//===- PcapFilterAction.cpp - Plugin action: wire Sema to the pass --------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Runs before Clang's main action on every compilation that loads the
// plugin with -fplugin. For each translation unit it
//   - creates the StubTable the attribute handler fills,
//   - registers StubPass at the start of the optimisation pipeline (through
//     CodeGenOptions::PassBuilderCallbacks, Clang >= 18), so the generated
//     bodies go through the whole pipeline at every -O level, and
//   - stops Sema from warning that a bodiless static stub is "used but not
//     defined": the pass defines it.
//
//===----------------------------------------------------------------------===//

#include "StubPass.h"
#include "StubTable.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Sema/ExternalSemaSource.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/SemaConsumer.h"
#include "llvm/Passes/PassBuilder.h"

using namespace clang;

namespace pcapfilter {
namespace {

/// Consulted by Sema at the end of the translation unit for the used but
/// undefined internal functions it is about to warn about: the stubs are
/// defined by StubPass, so they are taken off that list.
class StubDefinitionSource : public ExternalSemaSource {
  std::shared_ptr<StubTable> Table;

public:
  explicit StubDefinitionSource(std::shared_ptr<StubTable> T)
      : Table(std::move(T)) {}

  void ReadUndefinedButUsed(
      llvm::MapVector<NamedDecl *, SourceLocation> &Undefined) override {
    Undefined.remove_if([this](const auto &Entry) {
      const auto *FD = dyn_cast<FunctionDecl>(Entry.first);
      return FD && FD->getIdentifier() && Table->Stubs.count(FD->getName());
    });
  }
};

class StubConsumer : public SemaConsumer {
  std::shared_ptr<StubTable> Table;
  llvm::IntrusiveRefCntPtr<StubDefinitionSource> Source;

public:
  explicit StubConsumer(std::shared_ptr<StubTable> T)
      : Table(T), Source(new StubDefinitionSource(T)) {}

  void InitializeSema(Sema &S) override { S.addExternalSource(Source.get()); }

  /// Runs before CodeGen's HandleTranslationUnit, which runs the pass.
  void HandleTranslationUnit(ASTContext &) override { completeStubs(*Table); }
};

class PcapFilterAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    auto Table = std::make_shared<StubTable>();
    currentStubTable() = Table;
    CI.getCodeGenOpts().PassBuilderCallbacks.push_back(
        [Table](llvm::PassBuilder &PB) {
          PB.registerPipelineStartEPCallback(
              [Table](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
                MPM.addPass(StubPass(Table));
              });
        });
    return std::make_unique<StubConsumer>(Table);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    if (Args.empty())
      return true;
    DiagnosticsEngine &D = CI.getDiagnostics();
    D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                               "pcapfilter plugin takes no arguments; pass "
                               "options to __pcap_filter() instead"));
    return false;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace
} // namespace pcapfilter

static FrontendPluginRegistry::Add<pcapfilter::PcapFilterAction>
    X("pcapfilter", "fill __pcap_filter stubs with compiled pcap filters");
