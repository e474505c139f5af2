//===- StubPass.cpp - Generate the bodies of __pcap_filter stubs ----------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Runs at the start of the optimisation pipeline (PcapFilterAction.cpp), so
// the generated code is optimised with the rest of the program and the BPF
// backend emits it inline, in the stub or wherever the stub is inlined.
//
// For each stub the module references, the function is turned into a
// definition:
//   - a placeholder body is dropped; a bodiless declaration gets linkage
//     again (static stubs internal, as Sema declared them);
//   - with debug info, the stub gets a definition DISubprogram (Clang gave
//     a bodiless one only a declaration, or before Clang 18 none: then it
//     is built from the prototype the front end recorded), so the BPF
//     backend writes a BTF FUNC with its prototype, func_info and
//     line_info; every generated instruction is located at the attribute's
//     line;
//   - `noinline`/`always_inline` of the declaration, and the sanitizer
//     attributes of the unit's definitions, are applied (Clang attaches
//     function attributes to definitions only);
// then FilterLowering.cpp fills the body.
//
// A run-time stub (__pcap_filter_runtime()) gets a placeholder instead, for
// the loader to replace (runtime/inject.c): an empty inline asm that takes
// the parameters and yields the result. LLVM cannot see through it, so the
// stub stays a real function with its parameters (dead-argument
// elimination would drop unused ones) and callers use its r0 (IPSCCP would
// propagate a visible constant result into them). The asm writes no
// register, so the verifier refuses an object whose stub was not filled
// ("R0 !read_ok"). The stub is never inlined, and its BTF FUNC carries
// decl tags (StubTable.h) that mark it and keep its options.
//
//===----------------------------------------------------------------------===//

#include "StubPass.h"

#include "ClangCompat.h"
#include "FilterLowering.h"
#include "StubPrototype.h"

#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;

namespace pcapfilter {
namespace {

/// The parameter variables Clang described for F: in the subprogram's
/// retained nodes (a declaration, or an optimised definition) or in the debug
/// records of a placeholder body (at -O0). The BPF backend names BTF
/// parameters after them, and the kernel rejects a FUNC with unnamed ones.
SmallVector<DILocalVariable *, 2> parameterVariables(Function &F,
                                                    DISubprogram *SP) {
  SmallVector<DILocalVariable *, 2> Params(F.arg_size(), nullptr);
  auto add = [&](const DILocalVariable *V) {
    if (V && V->isParameter() && V->getArg() <= Params.size() &&
        !Params[V->getArg() - 1])
      Params[V->getArg() - 1] = const_cast<DILocalVariable *>(V);
  };
  if (SP)
    for (const DINode *N : SP->getRetainedNodes())
      add(dyn_cast<DILocalVariable>(N));
  for (Instruction &I : instructions(F)) {
    if (auto *DVI = dyn_cast<DbgVariableIntrinsic>(&I))
      add(DVI->getVariable());
    compat::forEachDebugRecordVariable(I, add);
  }
  return Params;
}

/// The BTF decl tags of a run-time stub, added to those the declaration
/// already has: RuntimeTag, then one per option (none if !S.DeclTags).
DINodeArray runtimeAnnotations(LLVMContext &Ctx, DISubprogram *Old,
                               const Stub &S) {
  SmallVector<Metadata *, 4> Tags;
  if (Old)
    for (Metadata *A : Old->getAnnotations())
      Tags.push_back(A);
  auto tag = [&](const std::string &Value) {
    Tags.push_back(MDTuple::get(Ctx, {MDString::get(Ctx, "btf_decl_tag"),
                                      MDString::get(Ctx, Value)}));
  };
  if (!S.DeclTags)
    return MDTuple::get(Ctx, Tags);
  tag(RuntimeTag);
  for (const std::string &Option : S.Options)
    tag(RuntimeOptionTagPrefix + Option);
  return MDTuple::get(Ctx, Tags);
}

/// The definition DISubprogram of a stub, with its parameters retained:
/// from the declaration Clang made (which carries the real prototype), the
/// placeholder definition's own, or, when Clang made none (a bodiless
/// static declaration before Clang 18), one built from the declaration's
/// recorded prototype (StubPrototype.h). A run-time stub's always is new,
/// as only a new one can take its decl tags.
DISubprogram *definitionSubprogram(Function &F, DISubprogram *Old,
                                   ArrayRef<DILocalVariable *> Params,
                                   const Stub &S, bool IsStatic) {
  Module &M = *F.getParent();
  if (M.debug_compile_units().empty())
    return nullptr;
  DICompileUnit *CU = *M.debug_compile_units().begin();
  DIBuilder DIB(M, /*AllowUnresolved=*/false, CU);
  std::optional<StubDebugTypes> Recorded; // only when Clang's is incomplete
  auto recorded = [&]() -> StubDebugTypes & {
    if (!Recorded)
      Recorded.emplace(DIB, M, CU);
    return *Recorded;
  };
  DISubprogram *SP = Old;
  if (!Old || !Old->isDefinition() || S.Runtime) {
    DIFile *File = Old ? Old->getFile() : recorded().file(S.Prototype.File);
    DISubroutineType *Ty =
        Old ? Old->getType() : recorded().subroutineType(S.Prototype);
    DISubprogram::DISPFlags Flags = DISubprogram::SPFlagDefinition;
    if (IsStatic)
      Flags |= DISubprogram::SPFlagLocalToUnit;
    if (Old)
      Flags |= Old->getSPFlags() & DISubprogram::SPFlagOptimized;
    SP = DIB.createFunction(Old ? Old->getScope() : File, F.getName(),
                            StringRef(), File,
                            Old ? Old->getLine() : S.Prototype.Line, Ty,
                            S.Line,
                            Old ? Old->getFlags() : DINode::FlagPrototyped,
                            Flags, /*TParams=*/nullptr, /*Decl=*/nullptr,
                            /*ThrownTypes=*/nullptr,
                            S.Runtime ? runtimeAnnotations(M.getContext(), Old, S)
                                      : DINodeArray());
  }
  SmallVector<Metadata *, 4> Retained(SP->getRetainedNodes().begin(),
                                      SP->getRetainedNodes().end());
  for (unsigned ArgNo = 1; ArgNo <= Params.size(); ++ArgNo) {
    DILocalVariable *V = Params[ArgNo - 1];
    // Clang 14 retains no parameters in a declaration's subprogram.
    if (!V && ArgNo <= S.Prototype.Parameters.size())
      V = recorded().parameter(SP, S.Prototype, ArgNo);
    if (!V)
      continue;
    if (V->getScope() != SP)
      V = DIB.createParameterVariable(SP, V->getName(), V->getArg(),
                                      V->getFile(), V->getLine(),
                                      V->getType(), /*AlwaysPreserve=*/true,
                                      V->getFlags());
    if (!llvm::is_contained(Retained, V))
      Retained.push_back(V);
  }
  compat::replaceRetainedNodes(SP, MDTuple::get(M.getContext(), Retained));
  DIB.finalize();
  if (Recorded && !IsStatic && !Recorded->forwardDeclared().empty()) {
    const std::string &Type = Recorded->forwardDeclared().front();
    M.getContext().emitError(
        "pcap_filter stub '" + F.getName() + "' is global, so the verifier "
        "checks its '" + Type + " *' parameter against the object's BTF, "
        "but Clang " + Twine(LLVM_VERSION_MAJOR) + " describes " + Type +
        " nowhere in this file's debug info (before Clang 18 it gives a "
        "stub's declaration none): make the stub static, or declare a "
        "function with a '" + Type + " *' parameter");
  }
  return SP;
}

/// Clang puts the -fsanitize= attributes on definitions only. A stub
/// gets those the translation unit's own definitions carry, so that a host
/// build with -fsanitize=address checks the filter's loads too.
void copySanitizerAttributes(Module &M, Function &Stub) {
  static const Attribute::AttrKind Kinds[] = {
      Attribute::SanitizeAddress, Attribute::SanitizeHWAddress,
      Attribute::SanitizeMemory, Attribute::SanitizeThread};
  for (const Function &Other : M)
    if (&Other != &Stub && !Other.isDeclaration())
      for (Attribute::AttrKind K : Kinds)
        if (Other.hasFnAttribute(K))
          Stub.addFnAttr(K);
}

/// The run-time stub's placeholder: an opaque asm from the parameters to the
/// result, all located at the attribute.
void emitPlaceholder(Function &F, DILocation *Loc) {
  LLVMContext &Ctx = F.getContext();
  IRBuilder<> B(BasicBlock::Create(Ctx, "placeholder", &F));
  B.SetCurrentDebugLocation(Loc);
  SmallVector<Type *, 2> ParamTypes;
  SmallVector<Value *, 2> Args;
  std::string Constraints = "=r";
  for (Argument &A : F.args()) {
    ParamTypes.push_back(A.getType());
    Args.push_back(&A);
    Constraints += ",r";
  }
  InlineAsm *Opaque = InlineAsm::get(
      FunctionType::get(B.getInt64Ty(), ParamTypes, false), "", Constraints,
      /*hasSideEffects=*/true);
  Value *Result = B.CreateCall(Opaque, Args);
  B.CreateRet(B.CreateTrunc(Result, F.getReturnType()));
}

bool signatureMatches(const Function &F, const Stub &S) {
  unsigned Params = S.Form == PCAPF_STUB_POINTERS ? 2 : 1;
  if (F.arg_size() != Params || !F.getReturnType()->isIntegerTy())
    return false;
  for (const Argument &A : F.args())
    if (!A.getType()->isPointerTy())
      return false;
  return true;
}

} // namespace

PreservedAnalyses StubPass::run(Module &M, ModuleAnalysisManager &) {
  bool ForBPF = compat::isBPF(Triple(M.getTargetTriple()));
  bool Changed = false;

  for (const auto &Entry : Table->Stubs) {
    const Stub &S = Entry.second;
    Function *F = M.getFunction(Entry.first());
    if (!F)
      continue; // declared but never used: nothing to generate
    if (!signatureMatches(*F, S)) {
      M.getContext().emitError("pcap_filter stub '" + Entry.first() +
                               "' has an unexpected IR signature");
      continue;
    }
    bool IsStatic = S.Linkage == StubLinkage::Internal;

    DISubprogram *Old = F->getSubprogram();
    SmallVector<DILocalVariable *, 2> Params = parameterVariables(*F, Old);
    if (!F->isDeclaration())
      F->deleteBody(); // also drops the function's metadata
    F->setLinkage(IsStatic ? GlobalValue::InternalLinkage
                           : GlobalValue::ExternalLinkage);
    F->setDSOLocal(true);
    if (S.Runtime && S.Inline == StubInline::Always) {
      M.getContext().emitError("run-time pcap_filter stub '" + Entry.first() +
                               "' cannot be always_inline: the loader "
                               "fills it in as a function");
      continue;
    }
    if (S.Inline == StubInline::Never || S.Runtime)
      F->addFnAttr(Attribute::NoInline);
    else if (S.Inline == StubInline::Always)
      F->addFnAttr(Attribute::AlwaysInline);
    F->addFnAttr(Attribute::NoUnwind);
    copySanitizerAttributes(M, *F);

    DILocation *Loc = nullptr;
    if (DISubprogram *SP = definitionSubprogram(*F, Old, Params, S, IsStatic)) {
      F->setSubprogram(SP);
      Loc = DILocation::get(M.getContext(), S.Line, S.Column, SP);
    }
    if (S.Runtime)
      emitPlaceholder(*F, Loc);
    else
      lowerFilter(*F, S, Loc, ForBPF);

    std::string Problems;
    raw_string_ostream OS(Problems);
    if (verifyFunction(*F, &OS))
      M.getContext().emitError("pcapfilter generated invalid IR for '" +
                               Entry.first() + "': " + OS.str());
    Changed = true;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace pcapfilter
