//===- AccessDirect.cpp - Direct packet access ----------------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Direct access (XDP, and packet-pointer stubs): data/data_end are packet
// pointers. A check compares data + N (or data + X + N) with data_end, the
// form the verifier learns packet ranges from, and the loads it covers use
// the same base pointer.
//
// On BPF, X is bounded before it is added to data so that X + N is at most
// the packet range (pcapf_prog__packet_range(): the verifier's 65535-byte
// MAX_PACKET_OFF), and the verifier learns the range; an indexed load beyond
// fails the check, as libpcap would for a packet that short. Where the
// analysis proved X small enough (PCAPF_INSN_X_IN_RANGE, e.g. X from the
// IPv4 header length) there is no bound: the verifier knows it too.
//
//===----------------------------------------------------------------------===//

#include "PacketAccess.h"

using namespace llvm;

namespace pcapfilter {
namespace {

class DirectAccess final : public PacketAccess {
public:
  explicit DirectAccess(LoweringBuilder &L)
      : L(L), PacketRange(pcapf_prog__packet_range(L.Prog)) {}

  void emitArguments() override {
    std::tie(Data, DataEnd) = L.packetPointers();
  }
  void startBlock() override { CheckedIndexedBase = nullptr; }
  void writtenX() override { CheckedIndexedBase = nullptr; }

  Value *length() override { return L.pointerLength(Data, DataEnd); }

  void checkLength(uint32_t N) override {
    Value *End = L.B.CreateConstGEP1_64(L.B.getInt8Ty(), Data, N);
    L.rejectIf(L.B.CreateICmpUGT(End, DataEnd, "short"), "covered");
  }

  void checkIndexed(uint32_t N) override { checkIndexedPointer(N); }

  Value *loadAbsolute(uint32_t K, unsigned Size) override {
    return L.loadPacket(L.B.CreateConstGEP1_64(L.B.getInt8Ty(), Data, K),
                        Size);
  }

  Value *loadIndexed(uint32_t K, unsigned Size) override {
    // Covered by the analysis' check on every path, but if no check in this
    // block made the pointer, the verifier has no range for it: the analysis
    // says what to check again (LLVM drops the check where a dominating one
    // makes it redundant, and then the pointers are one).
    if (uint32_t Recheck = pcapf_prog__ind_recheck(L.Prog, L.CurrentInsn))
      checkIndexedPointer(Recheck);
    assert(CheckedIndexedBase && "an indexed load with no checked pointer");
    return L.loadPacket(
        L.B.CreateConstGEP1_64(L.B.getInt8Ty(), CheckedIndexedBase, K), Size);
  }

private:
  /// data + X + N > data_end returns 0. On BPF the verifier learns the range
  /// only if it knows X + N <= 0xffff at the comparison, so the pointer is
  /// made from min(X, 0xffff - N) (a separate "X too far" branch alone would
  /// not do: LLVM may move one reject after another). X beyond that bound
  /// returns 0 on its own branch: the pointer is then not data + X, whatever
  /// the packet's length (a TC head or an XDP buffer may be longer than
  /// 65535 bytes). X itself is not changed.
  void checkIndexedPointer(uint64_t N) {
    L.forgetXRange();
    Value *X = L.loadX();
    Value *Offset = X;
    const pcapf_insn &In = pcapf_prog__insns(L.Prog, nullptr)[L.CurrentInsn];
    if (PacketRange != UINT32_MAX && !(In.flags & PCAPF_INSN_X_IN_RANGE)) {
      // An extent past the range (only on paths no check lets through) is
      // never in reach.
      uint32_t Bound = N > PacketRange ? 0 : PacketRange - N;
      Value *Far = N > PacketRange ? L.B.getTrue()
                                   : L.B.CreateICmpUGT(X, L.k32(Bound));
      L.rejectIf(Far, "x.near");
      Offset = L.boundX(X, Bound);
    }
    Value *Base = L.B.CreateGEP(L.B.getInt8Ty(), Data,
                                L.B.CreateZExt(Offset, L.i64()), "pkt.x");
    Value *End = L.B.CreateConstGEP1_64(L.B.getInt8Ty(), Base, N);
    L.rejectIf(L.B.CreateICmpUGT(End, DataEnd, "short"), "covered");
    // Where runtime/ says so (protochain's unrolled copies), the loads go
    // through the very pointer compared, opaque, so LLVM cannot sink them
    // into one through data + phi(offset).
    CheckedIndexedBase = pcapf_prog__keeps_checked_pointers(L.Prog)
                             ? L.opaquePointer(Base)
                             : Base;
  }

  LoweringBuilder &L;
  /// The most bytes from data the code reads (the analysis made checks for
  /// more rejects): the verifier's range on BPF, UINT32_MAX on the host.
  const uint32_t PacketRange;
  Value *Data = nullptr, *DataEnd = nullptr;
  /// data + X as compared with data_end in the current cBPF block, since X
  /// was last written (pcapf_prog__ind_recheck() says why indexed loads must
  /// use this very pointer).
  Value *CheckedIndexedBase = nullptr;
};

} // namespace

std::unique_ptr<PacketAccess> createDirectAccess(LoweringBuilder &L) {
  return std::make_unique<DirectAccess>(L);
}

} // namespace pcapfilter
