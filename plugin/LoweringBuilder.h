//===- LoweringBuilder.h - IR shared by a stub's lowering -------*- C++ -*-===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The state of one stub's lowering and the IR pieces that both its parts
// build with: the opcode lowering (FilterLowering.cpp) and the access mode's
// packet access (PacketAccess.h). It holds the IRBuilder, the registers A, X
// and M[] as allocas, the shared `reject` block, and the forms the verifier
// needs for a context field, a bounded X and a helper call. It knows nothing
// about access modes, and nothing about opcodes but a load's size.
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_LOWERINGBUILDER_H
#define PCAPFILTER_LOWERINGBUILDER_H

#include "StubTable.h"

#include "llvm/IR/IRBuilder.h"

#include <linux/filter.h> // BPF_MEMWORDS

#include <array>
#include <utility>

namespace pcapfilter {

struct LoweringBuilder {
  LoweringBuilder(llvm::Function &F, const Stub &S, llvm::DILocation *Loc,
                  bool ForBPF);

  llvm::Function &F;
  const Stub &S;
  const pcapf_prog *Prog;
  /// The kernel verifier will check the code (not a host build).
  const bool ForBPF;
  llvm::LLVMContext &Ctx;
  llvm::IRBuilder<> B;
  /// The index of the instruction being lowered.
  size_t CurrentInsn = 0;

  llvm::AllocaInst *RegA = nullptr, *RegX = nullptr;
  std::array<llvm::AllocaInst *, BPF_MEMWORDS> Mem{};
  /// Returns 0; every failed check and every `ret #0` branches here.
  llvm::BasicBlock *Reject = nullptr;

  llvm::Type *i32() { return B.getInt32Ty(); }
  llvm::Type *i64() { return B.getInt64Ty(); }
  llvm::Value *k32(uint32_t K) { return B.getInt32(K); }
  llvm::Value *loadA() { return B.CreateLoad(i32(), RegA, "a"); }
  llvm::Value *loadX() { return B.CreateLoad(i32(), RegX, "x"); }

  /// A u32 field of the context at Offset, one load the verifier accepts.
  llvm::Value *contextField(llvm::Value *Context, unsigned Offset,
                            const llvm::Twine &Name);
  /// (void *)(long)ctx->field: a packet pointer once the verifier sees it.
  llvm::Value *contextPointer(llvm::Value *Context, unsigned Offset,
                              const llvm::Twine &Name);
  /// data and data_end, as the stub's form gives them.
  std::pair<llvm::Value *, llvm::Value *> packetPointers();
  /// data_end - data, as u32.
  llvm::Value *pointerLength(llvm::Value *Data, llvm::Value *DataEnd);

  /// Branch to Reject if Fail holds; continue in a new block otherwise.
  void rejectIf(llvm::Value *Fail, const llvm::Twine &Name);
  /// X bounded to at most Bound, for pointer arithmetic the verifier follows.
  llvm::Value *boundX(llvm::Value *X, uint32_t Bound);
  /// On BPF, Ptr behind a barrier the optimiser cannot see through, so that
  /// it is never rebuilt as data + offset from its parts.
  llvm::Value *opaquePointer(llvm::Value *Ptr);
  /// Where the analysis says so (PCAPF_INSN_X_FORGET at the current
  /// instruction), X through two 32-bit byte swaps (inline asm, so LLVM
  /// keeps them): the same value, with a range the verifier does not know,
  /// which the caller's bound of X then sets alike on every path.
  void forgetXRange();
  /// On BPF, the branch condition Cond behind a barrier, so that SimplifyCFG
  /// cannot fold its branch into a predecessor's; the backend removes the
  /// barrier before instruction selection.
  llvm::Value *opaqueCondition(llvm::Value *Cond);
  /// A call of BPF helper Id, as C's `((long (*)(...))Id)(...)`.
  llvm::Value *callHelper(unsigned Id, llvm::Type *Ret,
                          llvm::ArrayRef<llvm::Value *> Args);
  /// A helper that returns 0 on success; anything else is no match.
  void callCheckedHelper(unsigned Id, llvm::ArrayRef<llvm::Value *> Args,
                         const llvm::Twine &Name);

  /// Size packet bytes at Ptr, big-endian, as i32.
  llvm::Value *loadPacket(llvm::Value *Ptr, unsigned Size);
  /// Size bytes of a stack copy at Buf + Off, big-endian, as i32.
  llvm::Value *loadCopy(llvm::AllocaInst *Buf, uint32_t Off, unsigned Size);
  /// The target reads network byte order as it is.
  bool targetIsBigEndian() const;
  /// K as the current instruction compares or masks it: in the memory
  /// order of the load whose value it reads kept as loaded
  /// (pcapf_prog__as_loaded()), else as it is.
  uint32_t constantAsLoaded(uint32_t K) const;

  /// The bytes a cBPF load (LD/LDX W, H or B) reads.
  static unsigned loadSize(uint16_t Code);

private:
  llvm::Value *loadBigEndian(llvm::Value *Ptr, unsigned Size, llvm::Align A);
  /// V through llvm.bpf.passthrough, which the optimiser cannot see through.
  llvm::Value *passthrough(llvm::Value *V, const llvm::Twine &Name);

  uint32_t PassthroughSeq = 0;
};

} // namespace pcapfilter

#endif // PCAPFILTER_LOWERINGBUILDER_H
