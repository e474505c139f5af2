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
//     compat::addPassBuilderCallback(), ClangCompat.h), so the generated
//     bodies go through the whole pipeline at every -O level,
//   - defines __PCAP_FILTER_PLUGIN__, for pcap_filter.h,
//   - stops Sema from warning that a bodiless static stub is "used but not
//     defined": the pass defines it, and
//   - reports a context stub called from a program of the other kind (an
//     __sk_buff stub in an XDP program, an xdp_md stub in an skb program),
//     which would otherwise compile and fail only in the verifier.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "StubPass.h"
#include "StubTable.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Preprocessor.h"
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

/// The context a function is known to run with: from its section (libbpf's
/// SEC() names) or a context parameter.
enum class ProgramContext { Unknown, Xdp, SkBuff };

ProgramContext programContext(const FunctionDecl *FD) {
  auto isStructPtr = [](QualType T, StringRef Name) {
    const RecordType *RT =
        T->isPointerType() ? T->getPointeeType()->getAs<RecordType>() : nullptr;
    return RT && RT->getDecl()->getName() == Name;
  };
  if (const auto *Section = FD->getAttr<SectionAttr>()) {
    StringRef Name = Section->getName();
    if (compat::startsWith(Name, "xdp"))
      return ProgramContext::Xdp;
    for (StringRef Skb : {"tc", "classifier", "action", "socket",
                          "cgroup_skb/", "sk_skb", "lwt_", "netkit/"})
      if (compat::startsWith(Name, Skb))
        return ProgramContext::SkBuff;
  }
  for (const ParmVarDecl *P : FD->parameters()) {
    if (isStructPtr(P->getType(), "xdp_md"))
      return ProgramContext::Xdp;
    if (isStructPtr(P->getType(), "__sk_buff"))
      return ProgramContext::SkBuff;
  }
  return ProgramContext::Unknown;
}

/// Finds the calls of context stubs in one function body that cannot get
/// the context they read: the verifier refuses such a program, but only
/// when it is loaded, far from the call.
class ContextMismatchFinder {
  const StubTable &Table;
  DiagnosticsEngine &Diags;
  const FunctionDecl *Caller;
  ProgramContext Context;

public:
  ContextMismatchFinder(const StubTable &Table, DiagnosticsEngine &Diags,
                        const FunctionDecl *Caller)
      : Table(Table), Diags(Diags), Caller(Caller),
        Context(programContext(Caller)) {}

  void run() {
    if (Context != ProgramContext::Unknown)
      visit(Caller->getBody());
  }

private:
  void visit(const Stmt *S) {
    if (!S)
      return;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      check(Call);
    for (const Stmt *Child : S->children())
      visit(Child);
  }

  void check(const CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return;
    auto It = Table.Stubs.find(Callee->getName());
    if (It == Table.Stubs.end())
      return;
    pcapf_stub_form Form = It->second.Form;
    if (Form == PCAPF_STUB_SKB && Context == ProgramContext::Xdp)
      report(Call, Callee, "struct __sk_buff", "an XDP context",
             PCAPF_STUB_XDP);
    else if (Form == PCAPF_STUB_XDP && Context == ProgramContext::SkBuff)
      report(Call, Callee, "struct xdp_md", "an skb context", PCAPF_STUB_SKB);
  }

  /// Instead: the context form the program could call; the packet-pointer
  /// form fits every program.
  void report(const CallExpr *Call, const FunctionDecl *Callee,
              StringRef Reads, StringRef Kind, pcapf_stub_form Instead) {
    Diags.Report(Call->getBeginLoc(),
                 Diags.getCustomDiagID(
                     DiagnosticsEngine::Error,
                     "pcap_filter stub %0 reads a %1, but %2 runs with %3 "
                     "(its section or parameter says so), where the "
                     "verifier refuses it; use a stub of the form %4"))
        << Callee << Reads << Caller << Kind
        << (std::string(pcapf_stub_form_name(Instead)) + " or " +
            pcapf_stub_form_name(PCAPF_STUB_POINTERS));
    Diags.Report(Callee->getLocation(),
                 Diags.getCustomDiagID(DiagnosticsEngine::Note,
                                       "stub %0 declared here"))
        << Callee;
  }
};

class StubConsumer : public SemaConsumer {
  std::shared_ptr<StubTable> Table;
  llvm::IntrusiveRefCntPtr<StubDefinitionSource> Source;
  DiagnosticsEngine &Diags;

public:
  StubConsumer(std::shared_ptr<StubTable> T, DiagnosticsEngine &Diags)
      : Table(T), Source(new StubDefinitionSource(T)), Diags(Diags) {}

  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      if (const auto *FD = dyn_cast<FunctionDecl>(D))
        if (FD->doesThisDeclarationHaveABody())
          ContextMismatchFinder(*Table, Diags, FD).run();
    return true;
  }

  void InitializeSema(Sema &S) override { S.addExternalSource(Source.get()); }

  /// Runs before CodeGen's HandleTranslationUnit, which runs the pass.
  void HandleTranslationUnit(ASTContext &) override { completeStubs(*Table); }
};

class PcapFilterAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    // pcap_filter.h asks whether the plugin is loaded: with
    // __has_attribute(pcap_filter) from Clang 17, which knows plugin
    // attributes; with this macro before.
    Preprocessor &PP = CI.getPreprocessor();
    PP.setPredefines(PP.getPredefines() + "#define __PCAP_FILTER_PLUGIN__ 1\n");
    auto Table = std::make_shared<StubTable>();
    Table->PassesDisabled = CI.getCodeGenOpts().DisableLLVMPasses;
    Table->RuntimeDeclTags = !NoDeclTags;
    currentStubTable() = Table;
    compat::addPassBuilderCallback(CI, [Table](llvm::PassBuilder &PB) {
      PB.registerPipelineStartEPCallback(
          [Table](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
            MPM.addPass(StubPass(Table));
          });
    });
    return std::make_unique<StubConsumer>(Table, CI.getDiagnostics());
  }

  /// The one argument, -fplugin-arg-pcapfilter-no-decl-tags: filter
  /// options belong to __pcap_filter(), not to the command line.
  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (const std::string &Arg : Args) {
      if (Arg == "no-decl-tags") {
        NoDeclTags = true;
        continue;
      }
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "pcapfilter plugin: unknown argument '%0'; "
                                 "it takes only 'no-decl-tags' (pass filter "
                                 "options to __pcap_filter())"))
          << Arg;
      return false;
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  bool NoDeclTags = false;
};

} // namespace
} // namespace pcapfilter

static FrontendPluginRegistry::Add<pcapfilter::PcapFilterAction>
    X("pcapfilter", "fill __pcap_filter stubs with compiled pcap filters");
