//===- ClangCompat.h - What differs between the Clangs the plugin supports ===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The plugin is one source tree built once per Clang major version (14 and
// later; plugin/CMakeLists.txt), against that Clang's headers. Every API
// that differs between those versions is wrapped here, so the rest of the
// plugin is written once, against the names below:
//
//   - headers that moved (Triple.h in LLVM 16, ParsedAttrInfo.h in Clang 17);
//   - new names: StringLiteral::isOrdinary (15), StringRef::starts_with and
//     Triple::isBPF (16), the C23 attribute syntax (18),
//     Intrinsic::getOrInsertDeclaration (20);
//   - typed pointers (LLVM <= 16 may have them, LLVM 14's Clang does by
//     default): the pointer casts below are no-ops with opaque pointers;
//   - DISubprogram::replaceRetainedNodes and debug records (LLVM 19);
//   - llvm.bpf.getelementptr.and.load (LLVM 18), which keeps a context load
//     at a constant offset; before, an inline asm load does;
//   - how StubPass joins the optimisation pipeline:
//     CodeGenOptions::PassBuilderCallbacks from Clang 18, before that only a
//     pass plugin (-fpass-plugin=, PassPluginEntry.cpp) can add a pass.
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_CLANGCOMPAT_H
#define PCAPFILTER_CLANGCOMPAT_H

#include "clang/Basic/AttributeCommonInfo.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instruction.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/IntrinsicsBPF.h"

#if __has_include("llvm/TargetParser/Triple.h")
#include "llvm/TargetParser/Triple.h"
#else
#include "llvm/ADT/Triple.h"
#endif

#if LLVM_VERSION_MAJOR >= 19
#include "llvm/IR/DebugProgramInstruction.h"
#endif

#include <functional>
#include <string>

namespace llvm {
class PassBuilder;
} // namespace llvm

namespace pcapfilter {
namespace compat {

inline bool startsWith(llvm::StringRef S, llvm::StringRef Prefix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.starts_with(Prefix);
#else
  return S.startswith(Prefix);
#endif
}

/// bpfel or bpfeb (Triple::isBPF() is LLVM 16's).
inline bool isBPF(const llvm::Triple &T) {
  return T.getArch() == llvm::Triple::bpfel ||
         T.getArch() == llvm::Triple::bpfeb;
}

/// "..." (not L"...", u"...", u8"...").
template <typename Literal> bool isOrdinary(const Literal &L) {
#if LLVM_VERSION_MAJOR >= 15
  return L.isOrdinary();
#else
  return L.isAscii();
#endif
}

/// The [[...]] spelling of C23 (C2x before Clang 18).
constexpr clang::AttributeCommonInfo::Syntax C23Syntax =
#if LLVM_VERSION_MAJOR >= 18
    clang::AttributeCommonInfo::AS_C23;
#else
    clang::AttributeCommonInfo::AS_C2x;
#endif

inline llvm::Function *intrinsic(llvm::Module *M, llvm::Intrinsic::ID Id,
                                 llvm::ArrayRef<llvm::Type *> Types) {
#if LLVM_VERSION_MAJOR >= 20
  return llvm::Intrinsic::getOrInsertDeclaration(M, Id, Types);
#else
  return llvm::Intrinsic::getDeclaration(M, Id, Types);
#endif
}

/// A pointer in address space 0: `ptr`, or `i8*` with typed pointers.
inline llvm::PointerType *pointerType(llvm::IRBuilderBase &B) {
#if LLVM_VERSION_MAJOR >= 15
  return B.getPtrTy();
#else
  return B.getInt8PtrTy();
#endif
}

/// Ptr as a pointer to Element, for a load, store or GEP of Element; Ptr
/// itself with opaque pointers.
inline llvm::Value *pointerTo(llvm::IRBuilderBase &B, llvm::Value *Ptr,
                              llvm::Type *Element) {
#if LLVM_VERSION_MAJOR >= 17
  return Ptr;
#else
  auto *PtrTy = llvm::cast<llvm::PointerType>(Ptr->getType());
  return B.CreatePointerCast(
      Ptr, llvm::PointerType::get(Element, PtrTy->getAddressSpace()));
#endif
}

/// The type of a callee of type FT (a pointer to FT with typed pointers).
inline llvm::PointerType *calleeType(llvm::FunctionType *FT) {
#if LLVM_VERSION_MAJOR >= 17
  return llvm::PointerType::getUnqual(FT->getContext());
#else
  return FT->getPointerTo();
#endif
}

inline void replaceRetainedNodes(llvm::DISubprogram *SP,
                                 llvm::DINodeArray Nodes) {
#if LLVM_VERSION_MAJOR >= 19
  SP->replaceRetainedNodes(Nodes);
#else
  // Operand 7 is the retained nodes in every version (getRawRetainedNodes).
  static_cast<llvm::MDNode *>(SP)->replaceOperandWith(7, Nodes.get());
#endif
}

/// Calls Fn with the variable of each debug record attached to I (LLVM 19's
/// replacement of llvm.dbg.* calls; none before).
inline void
forEachDebugRecordVariable(llvm::Instruction &I,
                           llvm::function_ref<void(llvm::DILocalVariable *)> Fn) {
#if LLVM_VERSION_MAJOR >= 19
  for (llvm::DbgVariableRecord &DVR :
       llvm::filterDbgVars(I.getDbgRecordRange()))
    Fn(DVR.getVariable());
#endif
}

/// The u32 at Offset from BPF context pointer Context, as Result (i32, or
/// i64 zero-extended: a pointer field), read by one load at a
/// constant offset from it: the only form the verifier accepts, which the
/// optimiser must not turn into a load from ctx + select(a, b) (when two
/// paths read two fields) or move into a caller (-O3 argument promotion).
/// LLVM 18 and later: llvm.bpf.getelementptr.and.load, which the backend
/// turns into a plain load just before selection (BPFPreserveStaticOffset).
/// Before: an inline asm load, which LLVM can neither merge nor move apart
/// from the pointer (each offset is another asm), marked as reading only
/// the memory it is given, as the intrinsic is.
inline llvm::Value *contextLoad(llvm::IRBuilderBase &B, llvm::Value *Context,
                                unsigned Offset, llvm::IntegerType *Result,
                                const llvm::Twine &Name) {
  using namespace llvm;
  CallInst *Load;
#if LLVM_VERSION_MAJOR >= 18
  Function *GepAndLoad =
      intrinsic(B.GetInsertBlock()->getModule(),
                Intrinsic::bpf_getelementptr_and_load, {B.getInt32Ty()});
  Load = B.CreateCall(
      GepAndLoad,
      {Context, B.getFalse() /*volatile*/,
       B.getInt8(unsigned(AtomicOrdering::NotAtomic)),
       B.getInt8(SyncScope::System), B.getInt8(Log2(Align(4))),
       B.getTrue() /*inbounds*/, B.getInt64(Offset)},
      Name);
  // As BPFPreserveStaticOffset makes it for an unordered load: the GEP's
  // element type, a read of argument memory only, the offset immediate.
  Load->addParamAttr(
      0, Attribute::get(B.getContext(), Attribute::ElementType,
                        B.getInt8Ty()));
  Load->addParamAttr(6, Attribute::ImmArg);
  Value *Field = B.CreateZExtOrTrunc(Load, Result);
#else
  // 64 bits, as BPF's "r" registers are: the load zero-extends, so a
  // pointer field is used as it is (the verifier refuses the shifts of a
  // zero extension LLVM would otherwise add on a packet pointer).
  InlineAsm *Ldx = InlineAsm::get(
      FunctionType::get(B.getInt64Ty(), {Context->getType()}, false),
      "$0 = *(u32 *)($1 + " + std::to_string(Offset) + ")", "=r,r",
      /*hasSideEffects=*/false);
  Load = B.CreateCall(Ldx, {Context}, Result->getBitWidth() == 64 ? Name : "");
  Load->setDoesNotThrow();
  Value *Field = B.CreateZExtOrTrunc(Load, Result, Name);
#endif
  Load->addParamAttr(0, Attribute::ReadOnly);
  Load->setOnlyReadsMemory();
  Load->setOnlyAccessesArgMemory();
  return Field;
}

/// Adds Register (PassBuilder callbacks that put StubPass in the pipeline)
/// to this compilation. Clang 18 and later take it in CodeGenOptions. An
/// older Clang runs pass plugins only: PassPluginEntry.cpp keeps Register
/// for the pass plugin's entry point, and reports an error when the plugin
/// was not also given with -fpass-plugin (the stubs would stay empty).
#if LLVM_VERSION_MAJOR >= 18
inline void
addPassBuilderCallback(clang::CompilerInstance &CI,
                       std::function<void(llvm::PassBuilder &)> Register) {
  CI.getCodeGenOpts().PassBuilderCallbacks.push_back(std::move(Register));
}
#else
void addPassBuilderCallback(clang::CompilerInstance &CI,
                            std::function<void(llvm::PassBuilder &)> Register);
#endif

} // namespace compat
} // namespace pcapfilter

#endif // PCAPFILTER_CLANGCOMPAT_H
