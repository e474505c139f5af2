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

#include "ClangCompat.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/InlineAsm.h"
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

/// On BPF the field is read as compat::contextLoad() says (one load at a
/// constant offset from the context pointer, which the verifier requires
/// and the optimiser must keep).
Value *LoweringBuilder::contextField(Value *Context, unsigned Offset,
                                     const Twine &Name) {
  if (ForBPF)
    return compat::contextLoad(B, Context, Offset, B.getInt32Ty(), Name);
  Value *Field = B.CreateConstGEP1_64(
      B.getInt8Ty(), compat::pointerTo(B, Context, B.getInt8Ty()), Offset);
  return B.CreateLoad(i32(), compat::pointerTo(B, Field, i32()), Name);
}

Value *LoweringBuilder::contextPointer(Value *Context, unsigned Offset,
                                       const Twine &Name) {
  Value *V = ForBPF ? compat::contextLoad(B, Context, Offset, B.getInt64Ty(),
                                          Name + ".u32")
                    : B.CreateZExt(contextField(Context, Offset, Name + ".u32"),
                                   i64());
  return B.CreateIntToPtr(V, compat::pointerType(B), Name);
}

std::pair<Value *, Value *> LoweringBuilder::packetPointers() {
  switch (S.Form) {
  case PCAPF_STUB_XDP:
    return {contextPointer(F.getArg(0), offsetof(xdp_md, data), "data"),
            contextPointer(F.getArg(0), offsetof(xdp_md, data_end),
                           "data_end")};
  case PCAPF_STUB_SKB:
    return {contextPointer(F.getArg(0), offsetof(__sk_buff, data), "data"),
            contextPointer(F.getArg(0), offsetof(__sk_buff, data_end),
                           "data_end")};
  case PCAPF_STUB_POINTERS:
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
  BasicBlock *Cont = BasicBlock::Create(Ctx, Name, &F,
                                        B.GetInsertBlock()->getNextNode());
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
  Value *Opaque = passthrough(B.CreateZExt(X, i64()), "x.opaque");
  Value *Min =
      B.CreateBinaryIntrinsic(Intrinsic::umin, Opaque, B.getInt64(Bound));
  return B.CreateTrunc(Min, i32(), "x.bounded");
}

Value *LoweringBuilder::passthrough(Value *V, const Twine &Name) {
  Function *Passthrough = compat::intrinsic(
      F.getParent(), Intrinsic::bpf_passthrough, {V->getType(), V->getType()});
  // Distinct sequence numbers, as the backend's own uses: two barriers are
  // never merged.
  return B.CreateCall(Passthrough, {k32(PassthroughSeq++), V}, Name);
}

Value *LoweringBuilder::opaquePointer(Value *Ptr) {
  return ForBPF ? passthrough(Ptr, "pkt.checked") : Ptr;
}

Value *LoweringBuilder::opaqueCondition(Value *Cond) {
  return ForBPF ? passthrough(Cond, "cond.opaque") : Cond;
}

void LoweringBuilder::forgetXRange() {
  if (!ForBPF ||
      !(pcapf_prog__insns(Prog, nullptr)[CurrentInsn].flags &
        PCAPF_INSN_X_FORGET))
    return;
  InlineAsm *Swaps = InlineAsm::get(
      FunctionType::get(i64(), {i64()}, false),
      "$0 = be32 $0\n\t$0 = be32 $0", "=r,0", /*hasSideEffects=*/false);
  Value *Hidden = B.CreateCall(Swaps, {B.CreateZExt(loadX(), i64())});
  B.CreateStore(B.CreateTrunc(Hidden, i32(), "x.hidden"), RegX);
}

Value *LoweringBuilder::callHelper(unsigned Id, Type *Ret,
                                   ArrayRef<Value *> Args) {
  SmallVector<Type *, 4> Params;
  for (Value *A : Args)
    Params.push_back(A->getType());
  FunctionType *FT = FunctionType::get(Ret, Params, false);
  Value *Callee = ConstantExpr::getIntToPtr(B.getInt64(Id), compat::calleeType(FT));
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
  Value *Bytes = compat::pointerTo(B, Buf, B.getInt8Ty());
  return loadBigEndian(B.CreateConstGEP1_64(B.getInt8Ty(), Bytes, Off), Size,
                       commonAlignment(Buf->getAlign(), Off));
}

/// bpfeb (and `-target bpf` on a big-endian machine) or a big-endian host.
bool LoweringBuilder::targetIsBigEndian() const {
  return F.getParent()->getDataLayout().isBigEndian();
}

uint32_t LoweringBuilder::constantAsLoaded(uint32_t K) const {
  uint32_t Size = pcapf_prog__as_loaded(Prog, CurrentInsn);
  if (!Size || targetIsBigEndian())
    return Size == 2 ? K & 0xffff : K;
  return Size == 2 ? __builtin_bswap16(uint16_t(K)) : __builtin_bswap32(K);
}

/// Network byte order as a number: a byte swap on a little-endian target,
/// none on a big-endian one; none either for a load kept as loaded
/// (pcapf_prog__as_loaded()), whose compares take constants in memory order
/// (constantAsLoaded()): LLVM moves a swap to the constant of a compare
/// itself, but not through a mask whose result has more than one use.
Value *LoweringBuilder::loadBigEndian(Value *Ptr, unsigned Size, Align A) {
  Type *Ty = B.getIntNTy(Size * 8);
  Value *V =
      B.CreateAlignedLoad(Ty, compat::pointerTo(B, Ptr, Ty), A, "pkt");
  if (Size > 1 && !targetIsBigEndian() &&
      !pcapf_prog__as_loaded(Prog, CurrentInsn))
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
