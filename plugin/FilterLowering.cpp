//===- FilterLowering.cpp - Analysed cBPF to LLVM IR ----------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Lowers a libpcapf program to the body of a stub. It follows the lowering
// contract of pcapf.h literally and makes no decisions of its own about
// where checks go: the analyses (guards, reject points, initialisation) were
// done once, in runtime/. The lowering is in three parts, one concern each:
//
//   FilterLowering.cpp   the opcodes, written once for every access mode:
//                        blocks, registers, ALU, jumps, returns, and the
//                        order of the checks of an instruction
//   PacketAccess.h       how the access mode reads the packet: len, the
//                        length and indexed checks, loads, Linux extensions;
//                        one class per mode (AccessDirect.cpp, AccessSkb.cpp
//                        for skb and skb_load_bytes, AccessProbe.cpp), chosen
//                        here and nowhere else
//   LoweringBuilder.h    the IR both build with (the registers, the reject
//                        block, context fields, bounded X, helper calls,
//                        big-endian loads); the only place that knows the
//                        verifier's forms for them
//
// Shape of the output, before the pipeline cleans it up: an entry block
// (what the access mode reads from the arguments, allocas for A, X and
// M[0..15], the mode's stack buffers, zeroing what the analysis asks), one
// block per cBPF basic block with registers in the allocas (SROA/mem2reg
// make them SSA at -O1 and above), a `reject` block that every failed check
// and every `ret #0` branches to, and last an `exit` block, the one return,
// of the verdict every return gives (reject's 0). Blocks stay in program
// order, a check's continuation right after it: the BPF backend cannot
// invert a conditional branch after instruction selection, so the IR order
// decides which way each branch falls through (the common path, with the
// no-match exit at the end).
//
// ALU operations are 32-bit and comparisons unsigned 32-bit, as in cBPF;
// LSH/RSH by X >= 32 give 0 (libpcap), never a masked shift.
//
//===----------------------------------------------------------------------===//

#include "FilterLowering.h"
#include "LoweringBuilder.h"
#include "PacketAccess.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"

// Kernel ABI: cBPF opcodes.
#include <linux/filter.h>

#include <cstdint>
#include <memory>
#include <vector>

using namespace llvm;

namespace pcapfilter {
namespace {

/// The one place that looks at the access mode.
std::unique_ptr<PacketAccess> createAccess(LoweringBuilder &L) {
  switch (pcapf_prog__access(L.Prog)) {
  case PCAPF_ACCESS_DIRECT:
    return createDirectAccess(L);
  case PCAPF_ACCESS_SKB:
  case PCAPF_ACCESS_SKB_LOAD_BYTES:
    return createSkbAccess(L);
  case PCAPF_ACCESS_PROBE:
    return createProbeAccess(L);
  case PCAPF_ACCESS_DEFAULT: // resolved by the attribute, never compiled
    break;
  }
  llvm_unreachable("access mode");
}

class FilterLowering {
  LoweringBuilder L;
  IRBuilder<> &B;
  std::unique_ptr<PacketAccess> Access;
  size_t NumInsns = 0; // before Insns, whose initialiser sets it
  const pcapf_insn *Insns;
  std::vector<BasicBlock *> Blocks; // by instruction index, for leaders
  /// By instruction index: the false targets of the jumps whose true
  /// target it is (the ends of an `or` chain that joins there).
  std::vector<SmallVector<uint32_t, 2>> OrChainElse;
  size_t Leader = 0; // the leader of the block being lowered
  PHINode *Exit = nullptr; // the verdict, in the one block that returns

public:
  FilterLowering(Function &F, const Stub &S, DILocation *Loc, bool ForBPF)
      : L(F, S, Loc, ForBPF), B(L.B), Access(createAccess(L)),
        Insns(pcapf_prog__insns(L.Prog, &NumInsns)) {}

  void run() {
    BasicBlock *Entry = BasicBlock::Create(L.Ctx, "entry", &L.F);
    L.Reject = BasicBlock::Create(L.Ctx, "reject", &L.F);
    BasicBlock *ExitBlock = BasicBlock::Create(L.Ctx, "exit", &L.F);
    B.SetInsertPoint(ExitBlock);
    Exit = B.CreatePHI(L.F.getReturnType(), 2, "verdict");
    B.CreateRet(Exit);
    B.SetInsertPoint(L.Reject);
    returnValue(Constant::getNullValue(L.F.getReturnType()));

    B.SetInsertPoint(Entry);
    emitEntry();
    Blocks.assign(NumInsns, nullptr);
    for (size_t I = 0; I < NumInsns; ++I)
      if ((Insns[I].flags & PCAPF_INSN_REACHABLE) &&
          (Insns[I].flags & PCAPF_INSN_LEADER))
        Blocks[I] =
            BasicBlock::Create(L.Ctx, "insn." + Twine(I), &L.F, L.Reject);
    B.CreateBr(Blocks[0]);
    findOrChains();

    bool Open = false; // the insertion block still needs a terminator
    for (size_t I = 0; I < NumInsns; ++I) {
      if (!(Insns[I].flags & PCAPF_INSN_REACHABLE))
        continue;
      if (Blocks[I]) {
        if (Open)
          B.CreateBr(Blocks[I]);
        B.SetInsertPoint(Blocks[I]);
        Leader = I;
        Access->startBlock();
      } else if (!Open) {
        // The lowering ended this block early: a check that can never pass
        // on BPF (past the 65535 bytes of the verifier's packet range). The
        // analysis, which does not know the target, still counts the rest
        // of the block reachable; it is dead until the next leader.
        continue;
      }
      L.CurrentInsn = I;
      Open = emitInsn(Insns[I]);
    }
    // A validated program ends every path with a return.
    assert(!Open && "fell off the end of the filter");
  }

private:
  static bool isConditional(const pcapf_insn &In) {
    return BPF_CLASS(In.code) == BPF_JMP && BPF_OP(In.code) != BPF_JA &&
           In.jt != In.jf;
  }

  void findOrChains() {
    OrChainElse.assign(NumInsns, {});
    for (size_t I = 0; I < NumInsns; ++I)
      if ((Insns[I].flags & PCAPF_INSN_REACHABLE) && isConditional(Insns[I]))
        OrChainElse[Insns[I].jt].push_back(Insns[I].jf);
  }

  /// Whether the jump In, ending the block that begins at Leader, goes on
  /// from an `or` chain: two or more jumps branch to Leader when true, and
  /// In shares a target with the chain's false side (the `not host` after
  /// `src net a or src net b`). SimplifyCFG folds the chain into one branch
  /// on an `or` of compares, which the BPF backend splits back into
  /// branches; folding In too would give an `or` under an `and` (or the
  /// reverse), which the backend cannot split and computes as 0/1 values
  /// (bench/RESULTS.md, issue 11, the compound filter).
  bool continuesOrChain(const pcapf_insn &In) const {
    const SmallVector<uint32_t, 2> &Else = OrChainElse[Leader];
    return Else.size() >= 2 &&
           (llvm::is_contained(Else, In.jt) || llvm::is_contained(Else, In.jf));
  }

  /// The instruction at I if it is a `ret #k`, else null.
  const pcapf_insn *constantReturn(uint32_t I) const {
    const pcapf_insn &R = Insns[I];
    return R.code == (BPF_RET | BPF_K) && !(R.flags & PCAPF_INSN_REJECT)
               ? &R
               : nullptr;
  }

  /// A `jset #k` of one bit between `ret #n` and `ret #0`, n a power of two
  /// (`tcp[tcpflags] & tcp-syn != 0`), as a returned select, which LLVM
  /// makes a mask and a shift of A: one path where branches would be two
  /// (the verifier walks each). Returns false where it does not apply.
  bool emitBitVerdict(const pcapf_insn &In, Value *Cond) {
    const pcapf_insn *T = constantReturn(In.jt), *F = constantReturn(In.jf);
    if (BPF_OP(In.code) != BPF_JSET || BPF_SRC(In.code) != BPF_K ||
        !isPowerOf2_32(In.k) || !T || !F || (T->k != 0) == (F->k != 0))
      return false;
    uint32_t Verdict = T->k | F->k;
    if (!L.S.ReturnsMatch && !isPowerOf2_32(Verdict))
      return false;
    emitReturn(B.CreateSelect(Cond, k32(T->k), k32(F->k)));
    return true;
  }

  Type *i32() { return L.i32(); }
  Value *k32(uint32_t K) { return L.k32(K); }
  Value *loadX() { return L.loadX(); }

  void emitEntry() {
    Access->emitArguments();
    L.RegA = B.CreateAlloca(i32(), nullptr, "A");
    L.RegX = B.CreateAlloca(i32(), nullptr, "X");
    for (unsigned I = 0; I < BPF_MEMWORDS; ++I)
      L.Mem[I] = B.CreateAlloca(i32(), nullptr, "M" + Twine(I));
    Access->emitStack();
    if (pcapf_prog__needs_init_a(L.Prog))
      B.CreateStore(k32(0), L.RegA);
    if (pcapf_prog__needs_init_x(L.Prog))
      B.CreateStore(k32(0), L.RegX);
    uint16_t Init = pcapf_prog__scratch_init(L.Prog);
    for (unsigned I = 0; I < BPF_MEMWORDS; ++I)
      if (Init & (1u << I))
        B.CreateStore(k32(0), L.Mem[I]);
  }

  /// Steps 1-4 of pcapf.h's lowering contract. Returns false if the
  /// instruction was replaced by a reject.
  bool emitChecks(const pcapf_insn &In) {
    if (In.flags & PCAPF_INSN_REJECT) {
      B.CreateBr(L.Reject);
      return false;
    }
    if (In.guard_len)
      Access->checkLength(In.guard_len);
    if (In.guard_ind)
      Access->checkIndexed(In.guard_ind);
    if (In.flags & PCAPF_INSN_GUARD_DIV)
      L.rejectIf(B.CreateICmpEQ(loadX(), k32(0), "div.zero"), "div.ok");
    return true;
  }

  // ---- Operations: step 5 -------------------------------------------------

  void returnValue(Value *V) {
    Exit->addIncoming(V, B.GetInsertBlock());
    B.CreateBr(Exit->getParent());
  }

  void emitReturn(Value *V) {
    Type *RT = L.F.getReturnType();
    if (!L.S.ReturnsMatch) {
      returnValue(B.CreateZExtOrTrunc(V, RT));
      return;
    }
    Value *Match = B.CreateICmpNE(V, k32(0), "match");
    returnValue(B.CreateZExtOrTrunc(Match, RT));
  }

  Value *aluOperand(const pcapf_insn &In) {
    return BPF_SRC(In.code) == BPF_X ? loadX()
                                     : k32(L.constantAsLoaded(In.k));
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

  Value *emitLoad(const pcapf_insn &In) {
    switch (BPF_MODE(In.code)) {
    case BPF_ABS:
      if (PCAPF_IS_ANCILLARY_K(In.k))
        return Access->loadExtension(In.k);
      return Access->loadAbsolute(In.k, LoweringBuilder::loadSize(In.code));
    case BPF_IND:
      return Access->loadIndexed(In.k, LoweringBuilder::loadSize(In.code));
    case BPF_MSH: // X = 4 * (P[k] & 0xf), the IPv4 header length
      return B.CreateShl(B.CreateAnd(Access->loadAbsolute(In.k, 1), k32(0xf)), 2);
    case BPF_LEN:
      return Access->length();
    case BPF_MEM:
      return B.CreateLoad(i32(), L.Mem[In.k]);
    default: // BPF_IMM
      return k32(In.k);
    }
  }

  /// A `jeq #k` whose false branch goes to another `jeq #k` on the same A
  /// with the same true target, which begins with a packet check (the
  /// ARP-or-RARP test of `host`, the TCP/UDP/SCTP test of `port` over
  /// IPv6), as one switch. As branches, SimplifyCFG merges such a chain and
  /// the check into one branch on an `and` of the check and an `or` of the
  /// compares, which the BPF backend, having no setcc, computes as 0/1
  /// values with branches of their own; a switch becomes a compare per
  /// value, each jumping to the target. Other chains stay branches: the
  /// backend splits a plain `or` of compares into branches itself, and
  /// LLVM compares a byte-swapped field with swapped constants there, not
  /// in a switch. The later blocks of the chain stay, for their other
  /// predecessors. Returns false where no switch is made.
  bool emitEqualityChain(const pcapf_insn &In, Value *A) {
    auto IsEqualK = [&](const pcapf_insn &J) {
      return J.code == (BPF_JMP | BPF_JEQ | BPF_K);
    };
    const pcapf_insn &Target = Insns[In.jt];
    if (!IsEqualK(In) || (!Target.guard_len && !Target.guard_ind))
      return false;
    auto Continues = [&](uint32_t I) {
      return IsEqualK(Insns[I]) &&
             Insns[I].jt == In.jt &&
             (Insns[I].flags & PCAPF_INSN_REACHABLE) &&
             !(Insns[I].flags & PCAPF_INSN_REJECT);
    };
    SmallVector<uint32_t, 4> Values{In.k};
    uint32_t Default = In.jf;
    for (; Continues(Default); Default = Insns[Default].jf)
      if (!llvm::is_contained(Values, Insns[Default].k))
        Values.push_back(Insns[Default].k);
    if (Values.size() < 2)
      return false;
    SwitchInst *SI = B.CreateSwitch(A, Blocks[Default], Values.size());
    for (uint32_t K : Values) // all read A as In does
      SI->addCase(B.getInt32(L.constantAsLoaded(K)), Blocks[In.jt]);
    return true;
  }

  /// The bounds a `jge #k` (A >= k) or `jgt #k` (A >= k + 1) sets on A
  /// when true, as an inclusive lower bound; false if it cannot be true.
  static bool lowerBound(const pcapf_insn &J, uint32_t &Lo) {
    if (J.code == (BPF_JMP | BPF_JGE | BPF_K)) {
      Lo = J.k;
      return true;
    }
    if (J.code == (BPF_JMP | BPF_JGT | BPF_K) && J.k != UINT32_MAX) {
      Lo = J.k + 1;
      return true;
    }
    return false;
  }

  /// A `jge`/`jgt #lo` whose true branch goes to a block that is only a
  /// `jge`/`jgt #hi` on the same A whose true target is the first's false
  /// one (`portrange`'s `A >= lo and A <= hi`), as one unsigned compare,
  /// `A - lo <= hi - lo`, with one branch. As two branches the verifier
  /// walks three paths where the range check has two, and LLVM's BPF
  /// backend keeps the two compares apart on purpose (BPFAdjustOpt: C code
  /// bounds a value for the verifier that way), which a filter does not
  /// need: the value ranges of runtime/ follow no jump, and X is bounded
  /// where it is added to a pointer. The second block stays, for its other
  /// predecessors. Returns false where no range check is made.
  bool emitRangeCheck(const pcapf_insn &In, Value *A) {
    uint32_t Lo, HiExcl;
    const pcapf_insn &Upper = Insns[In.jt];
    if (!lowerBound(In, Lo) || !lowerBound(Upper, HiExcl) ||
        Upper.jt != In.jf || Upper.jf == In.jf ||
        (Upper.flags & (PCAPF_INSN_REJECT | PCAPF_INSN_REACHABLE)) !=
            PCAPF_INSN_REACHABLE ||
        Upper.guard_len || Upper.guard_ind || HiExcl <= Lo)
      return false;
    Value *Offset = B.CreateSub(A, k32(Lo), "range.offset");
    Value *InRange =
        B.CreateICmpULT(Offset, k32(HiExcl - Lo), "range.in");
    B.CreateCondBr(InRange, Blocks[Upper.jf], Blocks[In.jf]);
    return true;
  }

  /// Lowers one reachable instruction; returns whether its block goes on.
  bool emitInsn(const pcapf_insn &In) {
    if (!emitChecks(In))
      return false;
    switch (BPF_CLASS(In.code)) {
    case BPF_LD:
    case BPF_LDX:
      B.CreateStore(emitLoad(In),
                    BPF_CLASS(In.code) == BPF_LDX ? L.RegX : L.RegA);
      if (BPF_CLASS(In.code) == BPF_LDX)
        Access->writtenX();
      return true;
    case BPF_ST:
    case BPF_STX:
      B.CreateStore(
          B.CreateLoad(i32(), BPF_CLASS(In.code) == BPF_ST ? L.RegA : L.RegX),
          L.Mem[In.k]);
      return true;
    case BPF_ALU:
      B.CreateStore(emitAlu(In, L.loadA()), L.RegA);
      return true;
    case BPF_JMP: {
      if (!isConditional(In)) {
        B.CreateBr(Blocks[In.jt]);
        return false;
      }
      Value *A = L.loadA();
      if (emitEqualityChain(In, A) || emitRangeCheck(In, A))
        return false;
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
      if (emitBitVerdict(In, Cond))
        return false;
      if (continuesOrChain(In))
        Cond = L.opaqueCondition(Cond);
      B.CreateCondBr(Cond, Blocks[In.jt], Blocks[In.jf]);
      return false;
    }
    case BPF_RET:
      // One no-match exit for the whole filter: the backend then lays the
      // common no-match path out as a fall-through (bench/RESULTS.md).
      if (BPF_RVAL(In.code) == BPF_K && In.k == 0) {
        B.CreateBr(L.Reject);
        return false;
      }
      emitReturn(BPF_RVAL(In.code) == BPF_A ? L.loadA() : k32(In.k));
      return false;
    default: // BPF_MISC
      if (BPF_MISCOP(In.code) == BPF_TAX) {
        B.CreateStore(L.loadA(), L.RegX);
        Access->writtenX();
      } else
        B.CreateStore(loadX(), L.RegA);
      return true;
    }
  }
};

} // namespace

void lowerFilter(Function &F, const Stub &S, DILocation *Loc, bool ForBPF) {
  FilterLowering(F, S, Loc, ForBPF).run();
}

} // namespace pcapfilter
