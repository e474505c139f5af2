//===- FilterLowering.cpp - Analysed cBPF to LLVM IR ----------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Lowers a libpcapf program to the body of a stub. This is the only file
// that builds IR. It follows the lowering contract of pcapf.h literally and
// makes no decisions of its own about where checks go: the analyses (guards,
// reject points, initialisation) were done once, in runtime/.
//
// Shape of the output, before the pipeline cleans it up:
//   entry:   data/data_end (from the arguments or the xdp_md context),
//            allocas for A, X and M[0..15], zeroing what the analysis asks;
//   insn.N:  one block per cBPF basic block, registers kept in the allocas
//            (SROA/mem2reg turn them into SSA values at -O1 and above);
//   reject:  returns 0; every failed check branches here.
//
// Invariants the BPF verifier relies on:
//   - a packet check compares a pointer (data + N, or data + X + N) with
//     data_end, and the loads it covers use the same base pointer;
//   - on BPF, X is bounded before it is added to the packet pointer, so that
//     X + N <= 0xffff (MAX_PACKET_OFF) and the verifier learns the range;
//     a packet there is at most 65535 bytes, so X beyond that fails the
//     check anyway and returning 0 is what libpcap does.
// ALU operations are 32-bit and comparisons unsigned 32-bit, as in cBPF;
// LSH/RSH by X >= 32 give 0 (libpcap), never a masked shift.
//
//===----------------------------------------------------------------------===//

#include "FilterLowering.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"

#include <pcap/bpf.h>

#include <array>
#include <vector>

using namespace llvm;

namespace pcapfilter {
namespace {

/// The largest packet offset the verifier tracks (MAX_PACKET_OFF).
constexpr uint32_t MaxPacketOffset = 0xffff;

class FilterLowering {
  Function &F;
  const Stub &S;
  const bool ForBPF;
  LLVMContext &Ctx;
  IRBuilder<> B;
  const pcapf_insn *Insns;
  size_t NumInsns = 0;

  Value *Data = nullptr, *DataEnd = nullptr;
  AllocaInst *RegA = nullptr, *RegX = nullptr;
  std::array<AllocaInst *, BPF_MEMWORDS> Mem{};
  BasicBlock *Reject = nullptr;
  std::vector<BasicBlock *> Blocks; // by instruction index, for leaders

public:
  FilterLowering(Function &F, const Stub &S, DILocation *Loc, bool ForBPF)
      : F(F), S(S), ForBPF(ForBPF), Ctx(F.getContext()), B(Ctx) {
    Insns = pcapf_prog__insns(S.Prog.get(), &NumInsns);
    if (Loc)
      B.SetCurrentDebugLocation(Loc);
  }

  void run() {
    BasicBlock *Entry = BasicBlock::Create(Ctx, "entry", &F);
    Reject = BasicBlock::Create(Ctx, "reject", &F);
    B.SetInsertPoint(Reject);
    B.CreateRet(Constant::getNullValue(F.getReturnType()));

    B.SetInsertPoint(Entry);
    emitEntry();
    Blocks.assign(NumInsns, nullptr);
    for (size_t I = 0; I < NumInsns; ++I)
      if ((Insns[I].flags & PCAPF_INSN_REACHABLE) &&
          (Insns[I].flags & PCAPF_INSN_LEADER))
        Blocks[I] = BasicBlock::Create(Ctx, "insn." + Twine(I), &F, Reject);
    B.CreateBr(Blocks[0]);

    bool Open = false; // the insertion block still needs a terminator
    for (size_t I = 0; I < NumInsns; ++I) {
      if (!(Insns[I].flags & PCAPF_INSN_REACHABLE))
        continue;
      if (Blocks[I]) {
        if (Open)
          B.CreateBr(Blocks[I]);
        B.SetInsertPoint(Blocks[I]);
      }
      Open = emitInsn(Insns[I]);
    }
    // A validated program ends every path with a return.
    assert(!Open && "fell off the end of the filter");
  }

private:
  Type *i32() { return B.getInt32Ty(); }
  Value *k32(uint32_t K) { return B.getInt32(K); }

  void emitEntry() {
    if (S.Form == StubForm::XdpContext) {
      // (void *)(long)ctx->data and ctx->data_end: u32 context fields the
      // verifier rewrites into packet pointers. The loads are volatile so
      // that argument promotion (-O3) cannot move them into the callers of
      // a noinline stub and pass the fields as integers, which the verifier
      // cannot turn back into packet pointers.
      Value *Ctx0 = F.getArg(0);
      auto field = [&](unsigned Off, const Twine &Name) {
        Value *Field = B.CreateConstGEP1_64(B.getInt8Ty(), Ctx0, Off);
        Value *V = B.CreateLoad(i32(), Field, /*isVolatile=*/true,
                                Name + ".u32");
        return B.CreateIntToPtr(B.CreateZExt(V, B.getInt64Ty()),
                                B.getPtrTy(), Name);
      };
      Data = field(0, "data");
      DataEnd = field(4, "data_end");
    } else {
      Data = F.getArg(0);
      DataEnd = F.getArg(1);
    }
    RegA = B.CreateAlloca(i32(), nullptr, "A");
    RegX = B.CreateAlloca(i32(), nullptr, "X");
    for (unsigned I = 0; I < BPF_MEMWORDS; ++I)
      Mem[I] = B.CreateAlloca(i32(), nullptr, "M" + Twine(I));
    if (pcapf_prog__needs_init_a(S.Prog.get()))
      B.CreateStore(k32(0), RegA);
    if (pcapf_prog__needs_init_x(S.Prog.get()))
      B.CreateStore(k32(0), RegX);
    uint16_t Scratch = pcapf_prog__scratch_init(S.Prog.get());
    for (unsigned I = 0; I < BPF_MEMWORDS; ++I)
      if (Scratch & (1u << I))
        B.CreateStore(k32(0), Mem[I]);
  }

  /// Branch to reject if Fail holds; continue in a new block otherwise.
  void rejectIf(Value *Fail, const Twine &Name) {
    BasicBlock *Cont = BasicBlock::Create(Ctx, Name, &F, Reject);
    B.CreateCondBr(Fail, Reject, Cont);
    B.SetInsertPoint(Cont);
  }

  /// data + X as a pointer, the base of indexed loads and their check.
  Value *indexedBase() {
    Value *X = B.CreateZExt(B.CreateLoad(i32(), RegX, "x"), B.getInt64Ty());
    return B.CreateGEP(B.getInt8Ty(), Data, X, "pkt.x");
  }

  /// A big-endian packet load of Size bytes at Base + Off, as i32.
  Value *loadPacket(Value *Base, uint32_t Off, unsigned Size) {
    Value *Ptr = B.CreateConstGEP1_64(B.getInt8Ty(), Base, Off);
    Type *Ty = B.getIntNTy(Size * 8);
    // On BPF, natural alignment, as C code reading *(__be16 *)p gets: the
    // backend would split a less aligned load into byte loads, and BPF
    // loads need no alignment (the verifier only checks it when asked to).
    // Elsewhere make no assumption: packet fields are often misaligned.
    LoadInst *L =
        B.CreateAlignedLoad(Ty, Ptr, Align(ForBPF ? Size : 1), "pkt");
    Value *V = L;
    if (Size > 1)
      V = B.CreateUnaryIntrinsic(Intrinsic::bswap, V);
    return B.CreateZExt(V, i32());
  }

  Value *packetLength() {
    Value *End = B.CreatePtrToInt(DataEnd, B.getInt64Ty());
    Value *Start = B.CreatePtrToInt(Data, B.getInt64Ty());
    return B.CreateTrunc(B.CreateSub(End, Start), i32(), "len");
  }

  void emitReturn(Value *V) {
    Type *RT = F.getReturnType();
    if (S.Return == StubReturn::Value) {
      B.CreateRet(B.CreateZExtOrTrunc(V, RT));
      return;
    }
    Value *Match = B.CreateICmpNE(V, k32(0), "match");
    B.CreateRet(B.CreateZExtOrTrunc(Match, RT));
  }

  /// The packet checks of pcapf.h's lowering contract, steps 1-4.
  /// Returns false if the instruction was replaced by a reject.
  bool emitChecks(const pcapf_insn &In) {
    if (In.flags & PCAPF_INSN_REJECT) {
      B.CreateBr(Reject);
      return false;
    }
    if (In.guard_len) {
      if (ForBPF && In.guard_len > MaxPacketOffset) {
        B.CreateBr(Reject);
        return false;
      }
      Value *End = B.CreateConstGEP1_64(B.getInt8Ty(), Data, In.guard_len);
      rejectIf(B.CreateICmpUGT(End, DataEnd, "short"), "covered");
    }
    if (In.guard_ind) {
      if (ForBPF) {
        if (In.guard_ind > MaxPacketOffset) {
          B.CreateBr(Reject);
          return false;
        }
        Value *X = B.CreateLoad(i32(), RegX, "x");
        rejectIf(B.CreateICmpUGT(X, k32(MaxPacketOffset - In.guard_ind),
                                 "x.far"),
                 "x.near");
      }
      Value *End = B.CreateConstGEP1_64(B.getInt8Ty(), indexedBase(),
                                        In.guard_ind);
      rejectIf(B.CreateICmpUGT(End, DataEnd, "short"), "covered");
    }
    if (In.flags & PCAPF_INSN_GUARD_DIV)
      rejectIf(B.CreateICmpEQ(B.CreateLoad(i32(), RegX, "x"), k32(0),
                              "div.zero"),
               "div.ok");
    return true;
  }

  Value *aluOperand(const pcapf_insn &In) {
    return BPF_SRC(In.code) == BPF_X ? B.CreateLoad(i32(), RegX, "x")
                                     : k32(In.k);
  }

  Value *emitAlu(const pcapf_insn &In, Value *A) {
    if (BPF_OP(In.code) == BPF_NEG)
      return B.CreateNeg(A);
    Value *V = aluOperand(In);
    switch (BPF_OP(In.code)) {
    case BPF_ADD: return B.CreateAdd(A, V);
    case BPF_SUB: return B.CreateSub(A, V);
    case BPF_MUL: return B.CreateMul(A, V);
    case BPF_DIV: return B.CreateUDiv(A, V);
    case BPF_MOD: return B.CreateURem(A, V);
    case BPF_AND: return B.CreateAnd(A, V);
    case BPF_OR: return B.CreateOr(A, V);
    case BPF_XOR: return B.CreateXor(A, V);
    case BPF_LSH:
    case BPF_RSH: {
      bool Left = BPF_OP(In.code) == BPF_LSH;
      if (BPF_SRC(In.code) == BPF_K) // below 32 by validation
        return Left ? B.CreateShl(A, V) : B.CreateLShr(A, V);
      // libpcap: a shift by 32 or more gives 0. Masking keeps the unused
      // arm free of poison.
      Value *Amount = B.CreateAnd(V, k32(31));
      Value *Shifted = Left ? B.CreateShl(A, Amount) : B.CreateLShr(A, Amount);
      return B.CreateSelect(B.CreateICmpULT(V, k32(32)), Shifted, k32(0));
    }
    }
    llvm_unreachable("validated ALU opcode");
  }

  /// Lowers one reachable instruction; returns whether its block goes on.
  bool emitInsn(const pcapf_insn &In) {
    if (!emitChecks(In))
      return false;
    switch (BPF_CLASS(In.code)) {
    case BPF_LD:
    case BPF_LDX: {
      bool ToX = BPF_CLASS(In.code) == BPF_LDX;
      Value *V;
      switch (BPF_MODE(In.code)) {
      case BPF_ABS:
        V = loadPacket(Data, In.k, loadSize(In.code));
        break;
      case BPF_IND:
        V = loadPacket(indexedBase(), In.k, loadSize(In.code));
        break;
      case BPF_MSH: // X = 4 * (P[k] & 0xf), the IPv4 header length
        V = B.CreateShl(B.CreateAnd(loadPacket(Data, In.k, 1), k32(0xf)), 2);
        break;
      case BPF_LEN:
        V = packetLength();
        break;
      case BPF_MEM:
        V = B.CreateLoad(i32(), Mem[In.k]);
        break;
      default: // BPF_IMM
        V = k32(In.k);
        break;
      }
      B.CreateStore(V, ToX ? RegX : RegA);
      return true;
    }
    case BPF_ST:
    case BPF_STX:
      B.CreateStore(B.CreateLoad(i32(), BPF_CLASS(In.code) == BPF_ST ? RegA
                                                                      : RegX),
                    Mem[In.k]);
      return true;
    case BPF_ALU:
      B.CreateStore(emitAlu(In, B.CreateLoad(i32(), RegA, "a")), RegA);
      return true;
    case BPF_JMP: {
      if (BPF_OP(In.code) == BPF_JA || In.jt == In.jf) {
        B.CreateBr(Blocks[In.jt]);
        return false;
      }
      Value *A = B.CreateLoad(i32(), RegA, "a");
      Value *V = aluOperand(In);
      Value *Cond;
      switch (BPF_OP(In.code)) {
      case BPF_JEQ: Cond = B.CreateICmpEQ(A, V); break;
      case BPF_JGT: Cond = B.CreateICmpUGT(A, V); break;
      case BPF_JGE: Cond = B.CreateICmpUGE(A, V); break;
      default: // BPF_JSET
        Cond = B.CreateICmpNE(B.CreateAnd(A, V), k32(0));
        break;
      }
      B.CreateCondBr(Cond, Blocks[In.jt], Blocks[In.jf]);
      return false;
    }
    case BPF_RET:
      emitReturn(BPF_RVAL(In.code) == BPF_A ? B.CreateLoad(i32(), RegA, "a")
                                            : k32(In.k));
      return false;
    default: // BPF_MISC
      if (BPF_MISCOP(In.code) == BPF_TAX)
        B.CreateStore(B.CreateLoad(i32(), RegA, "a"), RegX);
      else
        B.CreateStore(B.CreateLoad(i32(), RegX, "x"), RegA);
      return true;
    }
  }

  static unsigned loadSize(uint16_t Code) {
    switch (BPF_SIZE(Code)) {
    case BPF_W: return 4;
    case BPF_H: return 2;
    default: return 1;
    }
  }
};

} // namespace

void lowerFilter(Function &F, const Stub &S, DILocation *Loc, bool ForBPF) {
  FilterLowering(F, S, Loc, ForBPF).run();
}

} // namespace pcapfilter
