//===- AccessProbe.cpp - Probe access -------------------------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Probe access (tracing programs): data/data_end are kernel addresses, which
// only bpf_probe_read_kernel() may read. A length check copies the bytes it
// covers with one bpf_probe_read_kernel() into a stack buffer, an indexed
// check those from data + X into another (the sizes and the stack budget are
// pcapf_prog__probe_copy()'s), so the loads that follow read the stack; a
// load past a copy reads on its own. A helper failure is no match.
//
// X is bounded (pcapf_prog__packet_range(), 65535 as for direct access, so
// a probe stub also works on packet pointers) before the indexed check,
// unless the analysis proved it cannot pass that (PCAPF_INSN_X_IN_RANGE).
//
//===----------------------------------------------------------------------===//

#include "PacketAccess.h"

// Kernel ABI: helper ids.
#include <linux/bpf.h>

#include <algorithm>

using namespace llvm;

namespace pcapfilter {
namespace {

class ProbeAccess final : public HelperAccess {
public:
  explicit ProbeAccess(LoweringBuilder &L)
      : HelperAccess(L), PacketRange(pcapf_prog__packet_range(L.Prog)) {
    pcapf_prog__probe_copy(L.Prog, &CopyLen, &IndexedCopyLen);
  }

  void emitArguments() override {
    std::tie(Data, DataEnd) = L.packetPointers();
  }

  /// Buffers as large as the largest check needs, within the stack budget.
  void emitStack() override {
    HelperAccess::emitStack();
    if (CopyLen)
      Copy = createBuffer(CopyLen, "probe.buf");
    if (IndexedCopyLen)
      IndexedCopy = createBuffer(IndexedCopyLen, "probe.xbuf");
  }

  Value *length() override { return L.pointerLength(Data, DataEnd); }

  void checkLength(uint32_t N) override {
    HelperAccess::checkLength(N);
    if (CopyLen)
      L.callCheckedHelper(BPF_FUNC_probe_read_kernel,
                          {Copy, L.k32(std::min(N, CopyLen)), Data}, "probe");
  }

  void checkIndexed(uint32_t N) override {
    L.forgetXRange();
    const pcapf_insn &In = pcapf_prog__insns(L.Prog, nullptr)[L.CurrentInsn];
    if (PacketRange != UINT32_MAX && !(In.flags & PCAPF_INSN_X_IN_RANGE))
      L.rejectIf(L.B.CreateICmpUGT(L.loadX(), L.k32(PacketRange - N), "x.far"),
                 "x.near");
    HelperAccess::checkIndexed(N);
    if (IndexedCopyLen)
      L.callCheckedHelper(
          BPF_FUNC_probe_read_kernel,
          {IndexedCopy, L.k32(std::min(N, IndexedCopyLen)), indexedBase()},
          "probe");
  }

  Value *loadAbsolute(uint32_t K, unsigned Size) override {
    if (uint64_t(K) + Size <= CopyLen)
      return L.loadCopy(Copy, K, Size);
    return read(L.B.CreateConstGEP1_64(L.B.getInt8Ty(), Data, K), Size);
  }

  Value *loadIndexed(uint32_t K, unsigned Size) override {
    if (uint64_t(K) + Size <= IndexedCopyLen)
      return L.loadCopy(IndexedCopy, K, Size);
    return read(L.B.CreateConstGEP1_64(L.B.getInt8Ty(), indexedBase(), K),
                Size);
  }

private:
  AllocaInst *createBuffer(uint32_t Len, const char *Name) {
    AllocaInst *Buf = L.B.CreateAlloca(
        ArrayType::get(L.B.getInt8Ty(), Len), nullptr, Name);
    Buf->setAlignment(Align(8));
    return Buf;
  }

  /// data + X.
  Value *indexedBase() {
    return L.B.CreateGEP(L.B.getInt8Ty(), Data,
                         L.B.CreateZExt(L.loadX(), L.i64()), "pkt.x");
  }

  /// Size bytes at kernel address Src through bpf_probe_read_kernel().
  Value *read(Value *Src, unsigned Size) {
    return loadThroughHelper(BPF_FUNC_probe_read_kernel,
                             {HelperWord, L.k32(Size), Src}, "probe", Size);
  }

  /// The most bytes from data the code reads (the analysis made checks for
  /// more rejects).
  const uint32_t PacketRange;
  Value *Data = nullptr, *DataEnd = nullptr;
  /// pcapf_prog__probe_copy(): the copies' sizes, 0 for none.
  uint32_t CopyLen = 0, IndexedCopyLen = 0;
  AllocaInst *Copy = nullptr, *IndexedCopy = nullptr;
};

} // namespace

std::unique_ptr<PacketAccess> createProbeAccess(LoweringBuilder &L) {
  return std::make_unique<ProbeAccess>(L);
}

} // namespace pcapfilter
