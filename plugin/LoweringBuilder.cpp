//===- LoweringBuilder.cpp - IR shared by a stub's lowering ---------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The IR forms LoweringBuilder.h declares. Each is written for the kernel
// verifier where ForBPF is set (it must accept what it cannot prove) and
// plainly otherwise (host code, test/fuzz/fuzz_diff.cpp).
//
//===----------------------------------------------------------------------===//

#include "LoweringBuilder.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/IntrinsicsBPF.h"
#include "llvm/IR/Module.h"

// Kernel ABI: cBPF opcodes, context layouts.
#include <linux/bpf.h>

#include <cstddef>

using namespace llvm;

namespace pcapfilter {

LoweringBuilder::LoweringBuilder(Function &F, const Stub &S, DILocation *Loc,
                                 bool ForBPF)
    : F(F), S(S), Prog(S.Prog.get()), ForBPF(ForBPF), Ctx(F.getContext()),
      B(Ctx) {
  if (Loc)
    B.SetCurrentDebugLocation(Loc);
}

/// On BPF the field is read through the backend's
/// llvm.bpf.getelementptr.and.load, which the optimiser keeps as one load at
/// a constant offset from the context pointer, as the verifier requires
/// (BPFPreserveStaticOffset.cpp): a plain load of `mark` on one path and of
/// `hash` on another would otherwise become one load from ctx + select(8,
/// 68), and a stub's context loads could be moved into its callers as
/// integer arguments (-O3 argument promotion). The backend turns it back
/// into a plain load just before selection.
Value *LoweringBuilder::contextField(Value *Context, unsigned Offset,
                                     const Twine &Name) {
  if (!ForBPF)
    return B.CreateLoad(
        i32(), B.CreateConstGEP1_64(B.getInt8Ty(), Context, Offset), Name);
  Function *GepAndLoad = Intrinsic::getDeclaration(
      F.getParent(), Intrinsic::bpf_getelementptr_and_load, {i32()});
  CallInst *Load = B.CreateCall(
      GepAndLoad,
      {Context, B.getFalse() /*volatile*/,
       B.getInt8(unsigned(AtomicOrdering::NotAtomic)),
       B.getInt8(SyncScope::System), B.getInt8(Log2(Align(4))),
       B.getTrue() /*inbounds*/, B.getInt64(Offset)},
      Name);
  // As BPFPreserveStaticOffset makes it for an unordered load: the GEP's
  // element type, a read of argument memory only, the offset immediate.
  Load->addParamAttr(
      0, Attribute::get(Ctx, Attribute::ElementType, B.getInt8Ty()));
  Load->addParamAttr(0, Attribute::ReadOnly);
  Load->setOnlyReadsMemory();
  Load->setOnlyAccessesArgMemory();
  Load->addParamAttr(6, Attribute::ImmArg);
  return Load;
}

Value *LoweringBuilder::contextPointer(Value *Context, unsigned Offset,
                                       const Twine &Name) {
  Value *V = contextField(Context, Offset, Name + ".u32");
  return B.CreateIntToPtr(B.CreateZExt(V, i64()), B.getPtrTy(), Name);
}

std::pair<Value *, Value *> LoweringBuilder::packetPointers() {
  switch (S.Form) {
  case StubForm::XdpContext:
    return {contextPointer(F.getArg(0), offsetof(xdp_md, data), "data"),
            contextPointer(F.getArg(0), offsetof(xdp_md, data_end),
                           "data_end")};
  case StubForm::SkBuff:
    return {contextPointer(F.getArg(0), offsetof(__sk_buff, data), "data"),
            contextPointer(F.getArg(0), offsetof(__sk_buff, data_end),
                           "data_end")};
  case StubForm::PacketPointers:
    return {F.getArg(0), F.getArg(1)};
  }
  llvm_unreachable("stub form");
}

Value *LoweringBuilder::pointerLength(Value *Data, Value *DataEnd) {
  Value *End = B.CreatePtrToInt(DataEnd, i64());
  Value *Start = B.CreatePtrToInt(Data, i64());
  return B.CreateTrunc(B.CreateSub(End, Start), i32(), "len");
}

void LoweringBuilder::rejectIf(Value *Fail, const Twine &Name) {
  BasicBlock *Cont = BasicBlock::Create(Ctx, Name, &F, Reject);
  B.CreateCondBr(Fail, Reject, Cont);
  B.SetInsertPoint(Cont);
}

/// On BPF the value first goes through llvm.bpf.passthrough, which the
/// optimiser cannot see through, so the min stays a compare on the register
/// that is added to the packet pointer (LLVM would otherwise move it onto a
/// value before a byte swap, where the verifier loses the bound). The result
/// is for pointers only; X itself never changes.
Value *LoweringBuilder::boundX(Value *X, uint32_t Bound) {
  if (!ForBPF)
    return B.CreateBinaryIntrinsic(Intrinsic::umin, X, k32(Bound));
  Function *Passthrough = Intrinsic::getDeclaration(
      F.getParent(), Intrinsic::bpf_passthrough, {i64(), i64()});
  // Distinct sequence numbers, as the backend's own uses: two barriers are
  // never merged.
  Value *Opaque = B.CreateCall(
      Passthrough, {k32(PassthroughSeq++), B.CreateZExt(X, i64())},
      "x.opaque");
  Value *Min =
      B.CreateBinaryIntrinsic(Intrinsic::umin, Opaque, B.getInt64(Bound));
  return B.CreateTrunc(Min, i32(), "x.bounded");
}

Value *LoweringBuilder::opaquePointer(Value *Ptr) {
  if (!ForBPF)
    return Ptr;
  Function *Passthrough = Intrinsic::getDeclaration(
      F.getParent(), Intrinsic::bpf_passthrough, {Ptr->getType(), Ptr->getType()});
  return B.CreateCall(Passthrough, {k32(PassthroughSeq++), Ptr}, "pkt.checked");
}

Value *LoweringBuilder::callHelper(unsigned Id, Type *Ret,
                                   ArrayRef<Value *> Args) {
  SmallVector<Type *, 4> Params;
  for (Value *A : Args)
    Params.push_back(A->getType());
  FunctionType *FT = FunctionType::get(Ret, Params, false);
  Value *Callee = ConstantExpr::getIntToPtr(B.getInt64(Id), B.getPtrTy());
  return B.CreateCall(FT, Callee, Args);
}

void LoweringBuilder::callCheckedHelper(unsigned Id, ArrayRef<Value *> Args,
                                        const Twine &Name) {
  Value *Ret = callHelper(Id, i64(), Args);
  rejectIf(B.CreateICmpNE(Ret, B.getInt64(0), Name + ".failed"), Name + ".ok");
}

/// BPF packet loads need no alignment (the verifier checks it only when
/// asked), and natural alignment lets the backend emit one load, as for C
/// reading *(__be16 *)p; elsewhere nothing is known.
Value *LoweringBuilder::loadPacket(Value *Ptr, unsigned Size) {
  return loadBigEndian(Ptr, Size, ForBPF ? Align(Size) : Align(1));
}

/// The verifier requires aligned stack accesses, so the true alignment is
/// given and the backend splits a misaligned load into byte loads.
Value *LoweringBuilder::loadCopy(AllocaInst *Buf, uint32_t Off,
                                 unsigned Size) {
  return loadBigEndian(B.CreateConstGEP1_64(B.getInt8Ty(), Buf, Off), Size,
                       commonAlignment(Buf->getAlign(), Off));
}

/// bpfeb (and `-target bpf` on a big-endian machine) or a big-endian host.
bool LoweringBuilder::targetIsBigEndian() const {
  return F.getDataLayout().isBigEndian();
}

/// Network byte order as a number: a byte swap on a little-endian target,
/// none on a big-endian one.
Value *LoweringBuilder::loadBigEndian(Value *Ptr, unsigned Size, Align A) {
  Type *Ty = B.getIntNTy(Size * 8);
  Value *V = B.CreateAlignedLoad(Ty, Ptr, A, "pkt");
  if (Size > 1 && !targetIsBigEndian())
    V = B.CreateUnaryIntrinsic(Intrinsic::bswap, V);
  return B.CreateZExt(V, i32());
}

unsigned LoweringBuilder::loadSize(uint16_t Code) {
  switch (BPF_SIZE(Code)) {
  case BPF_W:
    return 4;
  case BPF_H:
    return 2;
  default:
    return 1;
  }
}

} // namespace pcapfilter
