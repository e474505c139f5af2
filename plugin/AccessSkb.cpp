//===- AccessSkb.cpp - skb and skb_load_bytes access ----------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// skb access (TC, socket filters): the stub has the struct __sk_buff, len is
// skb->len. A load that can lie inside the linear head (its end at most
// pcapf_prog__skb_direct_bytes()) reads it directly if data + off + size <=
// data_end and calls bpf_skb_load_bytes() otherwise; a load beyond, or one
// the analysis marked PCAPF_INSN_SKB_HELPER (protochain's unrolled copies,
// whose head attempts the verifier cannot afford), always calls it.
// skb_load_bytes access is the same with no head read directly
// (the direct bytes are 0): socket filters may not read packet data. A
// failing helper is no match.
//
// Linux extensions read what the kernel's cBPF gives from __sk_buff, as the
// one table of runtime/extensions.c (pcapf_ext_find()) says.
//
//===----------------------------------------------------------------------===//

#include "PacketAccess.h"

#include "llvm/IR/Intrinsics.h"

// Kernel ABI: helper ids, __sk_buff layout.
#include <linux/bpf.h>

#include <cstddef>

using namespace llvm;

namespace pcapfilter {
namespace {

class SkbAccess final : public HelperAccess {
public:
  explicit SkbAccess(LoweringBuilder &L)
      : HelperAccess(L), DirectBytes(pcapf_prog__skb_direct_bytes(L.Prog)) {}

  void emitArguments() override {
    Skb = L.F.getArg(0);
    if (DirectBytes)
      std::tie(Data, DataEnd) = L.packetPointers();
  }

  Value *length() override {
    return L.contextField(Skb, offsetof(__sk_buff, len), "len");
  }

  Value *loadAbsolute(uint32_t K, unsigned Size) override {
    if (!mayReadHead(K, Size))
      return loadBytes(L.k32(K), Size);
    return tryHead(L.k32(K), L.B.CreateConstGEP1_64(L.B.getInt8Ty(), Data, K),
                   /*CanBeDirect=*/nullptr, Size);
  }

  Value *loadIndexed(uint32_t K, unsigned Size) override {
    Value *X = L.loadX();
    Value *Off = L.B.CreateAdd(X, L.k32(K));
    if (!mayReadHead(K, Size))
      return loadBytes(Off, Size);
    // The direct attempt's pointer is made from a bounded X, so that
    // hoisting it above the Near test cannot hand the verifier an unbounded
    // pointer addition; it is only used when X is Near.
    uint32_t Bound = DirectBytes - K - Size;
    Value *Near = L.B.CreateICmpULE(X, L.k32(Bound), "x.near");
    Value *Bounded = L.boundX(X, Bound);
    Value *Ptr = L.B.CreateGEP(L.B.getInt8Ty(), Data,
                               L.B.CreateZExt(Bounded, L.i64()), "pkt.x");
    return tryHead(Off, L.B.CreateConstGEP1_64(L.B.getInt8Ty(), Ptr, K), Near,
                   Size);
  }

  Value *loadExtension(uint32_t K) override {
    const pcapf_ext *Ext = pcapf_ext_find(K);
    assert(Ext && Ext->source != PCAPF_EXT_NONE && "validated extension");
    IRBuilder<> &B = L.B;
    switch (Ext->source) {
    case PCAPF_EXT_FIELD:
      return L.contextField(Skb, Ext->offset, "skb.field");
    case PCAPF_EXT_FIELD_NET16: {
      // The kernel loads the __be16 of the sk_buff as a u16 (network byte
      // order in memory) and its cBPF applies ntohs(): a swap only on a
      // little-endian machine.
      Value *V = L.contextField(Skb, Ext->offset, "skb.field.be16");
      if (L.targetIsBigEndian())
        return V;
      return B.CreateZExt(
          B.CreateUnaryIntrinsic(Intrinsic::bswap,
                                 B.CreateTrunc(V, B.getInt16Ty())),
          L.i32());
    }
    case PCAPF_EXT_HELPER:
      return B.CreateTrunc(L.callHelper(Ext->helper, L.i64(), {}), L.i32(),
                           "skb.helper");
    case PCAPF_EXT_XOR_X:
      return B.CreateXor(L.loadA(), L.loadX());
    case PCAPF_EXT_NONE:
      break;
    }
    llvm_unreachable("validated Linux extension");
  }

private:
  /// The current load may try the linear head: it can lie inside it and
  /// the analysis did not ask for the helper alone.
  bool mayReadHead(uint32_t K, unsigned Size) const {
    const pcapf_insn &In = pcapf_prog__insns(L.Prog, nullptr)[L.CurrentInsn];
    return uint64_t(K) + Size <= DirectBytes &&
           !(In.flags & PCAPF_INSN_SKB_HELPER);
  }

  /// Size bytes at packet offset Off (i32) through bpf_skb_load_bytes().
  Value *loadBytes(Value *Off, unsigned Size) {
    return loadThroughHelper(BPF_FUNC_skb_load_bytes,
                             {Skb, Off, HelperWord, L.k32(Size)}, "skb.load",
                             Size);
  }

  /// The linear head directly when Ptr + Size is inside it, loadBytes()
  /// otherwise. CanBeDirect is null, or a condition false where the pointer
  /// would be out of the verifier's range.
  Value *tryHead(Value *Off, Value *Ptr, Value *CanBeDirect, unsigned Size) {
    IRBuilder<> &B = L.B;
    BasicBlock *Direct = BasicBlock::Create(L.Ctx, "skb.linear", &L.F, L.Reject);
    BasicBlock *Helper = BasicBlock::Create(L.Ctx, "skb.paged", &L.F, L.Reject);
    BasicBlock *Join = BasicBlock::Create(L.Ctx, "skb.loaded", &L.F, L.Reject);
    if (CanBeDirect) {
      BasicBlock *Try = BasicBlock::Create(L.Ctx, "skb.try", &L.F, Direct);
      B.CreateCondBr(CanBeDirect, Try, Helper);
      B.SetInsertPoint(Try);
    }
    Value *End = B.CreateConstGEP1_64(B.getInt8Ty(), Ptr, Size);
    B.CreateCondBr(B.CreateICmpULE(End, DataEnd, "in.head"), Direct, Helper);
    B.SetInsertPoint(Direct);
    Value *Linear = L.loadPacket(Ptr, Size);
    B.CreateBr(Join);
    B.SetInsertPoint(Helper);
    Value *Paged = loadBytes(Off, Size);
    BasicBlock *HelperEnd = B.GetInsertBlock();
    B.CreateBr(Join);
    B.SetInsertPoint(Join);
    PHINode *V = B.CreatePHI(L.i32(), 2, "pkt");
    V->addIncoming(Linear, Direct);
    V->addIncoming(Paged, HelperEnd);
    return V;
  }

  /// pcapf_prog__skb_direct_bytes(): 0 for skb_load_bytes access.
  const uint32_t DirectBytes;
  Value *Skb = nullptr;
  /// The linear head, if DirectBytes.
  Value *Data = nullptr, *DataEnd = nullptr;
};

} // namespace

std::unique_ptr<PacketAccess> createSkbAccess(LoweringBuilder &L) {
  return std::make_unique<SkbAccess>(L);
}

} // namespace pcapfilter
