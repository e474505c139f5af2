//===- PacketAccess.h - How a stub reads the packet -------------*- C++ -*-===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// One access mode (pcapf_access) as the opcode lowering sees it: the packet
// checks of pcapf.h's lowering contract (steps 2 and 3), the packet loads,
// len, and the Linux extensions. The opcode lowering (FilterLowering.cpp)
// is written once against this interface and never asks which mode it has;
// each mode is one class in its own file:
//
//   AccessDirect.cpp  direct: data/data_end are packet pointers
//   AccessSkb.cpp     skb and skb_load_bytes: struct __sk_buff
//   AccessProbe.cpp   probe: data/data_end are kernel addresses
//
// What a mode must not decide is where checks go and what they require:
// that is the analysed program's (runtime/analyze.c), with the facts a mode
// reads from runtime/ (pcapf_prog__packet_range(), pcapf_prog__probe_copy(),
// pcapf_prog__skb_direct_bytes(), pcapf_prog__ind_recheck(),
// pcapf_ext_find()). docs/translation.md, section 5, says how to add a mode.
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_PACKETACCESS_H
#define PCAPFILTER_PACKETACCESS_H

#include "LoweringBuilder.h"

#include <memory>

namespace pcapfilter {

class PacketAccess {
public:
  virtual ~PacketAccess() = default;

  /// Entry block, before the registers: read what the mode needs from the
  /// stub's arguments.
  virtual void emitArguments() = 0;
  /// Entry block, after the registers: the stack the mode's loads use.
  virtual void emitStack() {}
  /// A cBPF block begins (it may have many predecessors).
  virtual void startBlock() {}
  /// X was written: nothing computed from the old X holds.
  virtual void writtenX() {}

  /// len: the packet bytes readable (LD LEN, LDX LEN), as i32.
  virtual llvm::Value *length() = 0;
  /// len >= N, or return 0 (guard_len).
  virtual void checkLength(uint32_t N) = 0;
  /// (u64)X + N <= len, or return 0 (guard_ind).
  virtual void checkIndexed(uint32_t N) = 0;
  /// The Size bytes at offset K, big-endian (LD ABS, LDX MSH); a check
  /// before covers them.
  virtual llvm::Value *loadAbsolute(uint32_t K, unsigned Size) = 0;
  /// The Size bytes at offset X + K, big-endian (LD IND); likewise covered.
  virtual llvm::Value *loadIndexed(uint32_t K, unsigned Size) = 0;
  /// A Linux extension, LD ABS at SKF_AD_OFF + n; validation lets it
  /// through for skb access only.
  virtual llvm::Value *loadExtension(uint32_t K) {
    llvm_unreachable("Linux extension outside skb access");
  }
};

/// A mode whose len is a number (not a pointer compared with data_end) and
/// whose loads may go through a helper into a stack word.
class HelperAccess : public PacketAccess {
public:
  void emitStack() override {
    HelperWord = L.B.CreateAlloca(L.i32(), nullptr, "helper.word");
  }
  void checkLength(uint32_t N) override {
    L.rejectIf(L.B.CreateICmpULT(length(), L.k32(N), "short"), "covered");
  }
  void checkIndexed(uint32_t N) override {
    llvm::Value *Need =
        L.B.CreateAdd(L.B.CreateZExt(L.loadX(), L.i64()), L.B.getInt64(N));
    llvm::Value *Len = L.B.CreateZExt(length(), L.i64());
    L.rejectIf(L.B.CreateICmpUGT(Need, Len, "short"), "covered");
  }

protected:
  explicit HelperAccess(LoweringBuilder &L) : L(L) {}

  /// Helper Id, then the Size bytes it put in the helper word.
  llvm::Value *loadThroughHelper(unsigned Id,
                                 llvm::ArrayRef<llvm::Value *> Args,
                                 const llvm::Twine &Name, unsigned Size) {
    L.callCheckedHelper(Id, Args, Name);
    return L.loadCopy(HelperWord, 0, Size);
  }

  LoweringBuilder &L;
  llvm::AllocaInst *HelperWord = nullptr;
};

std::unique_ptr<PacketAccess> createDirectAccess(LoweringBuilder &L);
/// skb access; skb_load_bytes is skb access with no head read directly
/// (pcapf_prog__skb_direct_bytes() is 0).
std::unique_ptr<PacketAccess> createSkbAccess(LoweringBuilder &L);
std::unique_ptr<PacketAccess> createProbeAccess(LoweringBuilder &L);

} // namespace pcapfilter

#endif // PCAPFILTER_PACKETACCESS_H
