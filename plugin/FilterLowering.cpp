//===- FilterLowering.cpp - Analysed cBPF to LLVM IR ----------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Lowers a libpcapf program to the body of a stub. This is the only file
// that builds IR. It follows the lowering contract of pcapf.h literally and
// makes no decisions of its own about where checks go: the analyses (guards,
// reject points, initialisation) were done once, in runtime/. What it adds
// is how each access mode reads the packet:
//
//   direct          data/data_end are packet pointers; a check compares
//                   data + N (or data + X + N) with data_end, the form the
//                   verifier learns packet ranges from, and the loads it
//                   covers use the same base pointer.
//   skb             checks compare with skb->len; a load inside the linear
//                   head (data + off + size <= data_end) reads it directly,
//                   one beyond it calls bpf_skb_load_bytes().
//   skb_load_bytes  every load calls bpf_skb_load_bytes() (socket filters
//                   may not read packet data directly).
//   probe           data/data_end are kernel addresses: a length check
//                   copies the bytes it covers with one
//                   bpf_probe_read_kernel() into a stack buffer, so the
//                   loads that follow read the stack; a helper failure is no
//                   match.
//
// Shape of the output, before the pipeline cleans it up: an entry block
// (arguments, allocas for A, X and M[0..15], zeroing what the analysis
// asks), one block per cBPF basic block with registers in the allocas
// (SROA/mem2reg make them SSA at -O1 and above), and a `reject` block, last,
// returning 0, that every failed check and every `ret #0` branches to.
//
// On BPF, X is bounded before it is added to a packet pointer so that
// X + N <= 0xffff (the verifier's MAX_PACKET_OFF) and the verifier learns
// the range: direct and probe access read at most 65535 bytes from data,
// and an indexed load beyond that fails the check, as libpcap would for a
// packet that short. ALU operations are 32-bit and comparisons unsigned
// 32-bit, as in cBPF; LSH/RSH by X >= 32 give 0 (libpcap), never a masked
// shift.
//
//===----------------------------------------------------------------------===//

#include "FilterLowering.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/IntrinsicsBPF.h"
#include "llvm/IR/Module.h"

// Kernel ABI: cBPF opcodes, helper ids, __sk_buff layout.
#include <linux/bpf.h>
#include <linux/filter.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

using namespace llvm;

namespace pcapfilter {
namespace {

class FilterLowering {
  Function &F;
  const Stub &S;
  const bool ForBPF;
  const pcapf_access Access;
  /// The most bytes from data the code reads (the analysis made checks for
  /// more rejects): the verifier's range on BPF, UINT32_MAX on the host.
  const uint32_t PacketRange;
  LLVMContext &Ctx;
  IRBuilder<> B;
  const pcapf_insn *Insns;
  size_t NumInsns = 0;

  Value *Skb = nullptr;                       // skb access
  Value *Data = nullptr, *DataEnd = nullptr;  // all but skb_load_bytes
  AllocaInst *RegA = nullptr, *RegX = nullptr;
  std::array<AllocaInst *, BPF_MEMWORDS> Mem{};
  AllocaInst *Scratch = nullptr;              // one helper-loaded word
  AllocaInst *ProbeBuf = nullptr, *ProbeIndexedBuf = nullptr;
  uint32_t ProbeBufLen = 0, ProbeIndexedBufLen = 0;
  BasicBlock *Reject = nullptr;
  std::vector<BasicBlock *> Blocks; // by instruction index, for leaders
  /// skb access: the head bytes read directly (pcapf_prog__skb_direct_bytes).
  uint32_t SkbDirectBytes = 0;
  /// Direct access: data + X as compared with data_end in the current cBPF
  /// block, since X was last written. The verifier keeps a packet range per
  /// pointer it computed, so indexed loads must use this very pointer.
  Value *CheckedIndexedBase = nullptr;
  size_t CurrentInsn = 0;
  uint32_t PassthroughSeq = 0;

public:
  FilterLowering(Function &F, const Stub &S, DILocation *Loc, bool ForBPF)
      : F(F), S(S), ForBPF(ForBPF), Access(pcapf_prog__access(S.Prog.get())),
        PacketRange(pcapf_prog__packet_range(S.Prog.get())),
        Ctx(F.getContext()), B(Ctx) {
    Insns = pcapf_prog__insns(S.Prog.get(), &NumInsns);
    if (Access == PCAPF_ACCESS_SKB)
      SkbDirectBytes = pcapf_prog__skb_direct_bytes(S.Prog.get());
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
        CheckedIndexedBase = nullptr; // the block may have many predecessors
      } else if (!Open) {
        // The lowering ended this block early: a check that can never pass
        // on BPF (past the 65535 bytes of the verifier's packet range). The
        // analysis, which does not know the target, still counts the rest
        // of the block reachable; it is dead until the next leader.
        continue;
      }
      CurrentInsn = I;
      Open = emitInsn(Insns[I]);
    }
    // A validated program ends every path with a return.
    assert(!Open && "fell off the end of the filter");
  }

private:
  Type *i32() { return B.getInt32Ty(); }
  Type *i64() { return B.getInt64Ty(); }
  Value *k32(uint32_t K) { return B.getInt32(K); }
  bool isSkb() const {
    return Access == PCAPF_ACCESS_SKB || Access == PCAPF_ACCESS_SKB_LOAD_BYTES;
  }

  /// A u32 context field. On BPF it is read through the backend's
  /// llvm.bpf.getelementptr.and.load, which the optimiser keeps as one
  /// load at a constant offset from the context pointer, as the verifier
  /// requires (BPFPreserveStaticOffset.cpp): a plain load of `mark` on one
  /// path and of `hash` on another would otherwise become one load from
  /// ctx + select(8, 68), and a stub's context loads could be moved into
  /// its callers as integer arguments (-O3 argument promotion). The
  /// backend turns it back into a plain load just before selection.
  Value *contextField(Value *Context, unsigned Offset, const Twine &Name) {
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
    Load->addParamAttr(0, Attribute::get(Ctx, Attribute::ElementType,
                                         B.getInt8Ty()));
    Load->addParamAttr(0, Attribute::ReadOnly);
    Load->setOnlyReadsMemory();
    Load->setOnlyAccessesArgMemory();
    Load->addParamAttr(6, Attribute::ImmArg);
    return Load;
  }

  /// (void *)(long)ctx->field: a packet pointer once the verifier sees it.
  Value *contextPointer(Value *Context, unsigned Offset, const Twine &Name) {
    Value *V = contextField(Context, Offset, Name + ".u32");
    return B.CreateIntToPtr(B.CreateZExt(V, i64()), B.getPtrTy(), Name);
  }

  void emitEntry() {
    switch (S.Form) {
    case StubForm::XdpContext:
      Data = contextPointer(F.getArg(0), offsetof(xdp_md, data), "data");
      DataEnd =
          contextPointer(F.getArg(0), offsetof(xdp_md, data_end), "data_end");
      break;
    case StubForm::SkBuff:
      Skb = F.getArg(0);
      if (Access == PCAPF_ACCESS_SKB) {
        Data = contextPointer(Skb, offsetof(__sk_buff, data), "data");
        DataEnd = contextPointer(Skb, offsetof(__sk_buff, data_end),
                                 "data_end");
      }
      break;
    case StubForm::PacketPointers:
      Data = F.getArg(0);
      DataEnd = F.getArg(1);
      break;
    }
    RegA = B.CreateAlloca(i32(), nullptr, "A");
    RegX = B.CreateAlloca(i32(), nullptr, "X");
    for (unsigned I = 0; I < BPF_MEMWORDS; ++I)
      Mem[I] = B.CreateAlloca(i32(), nullptr, "M" + Twine(I));
    if (Access != PCAPF_ACCESS_DIRECT)
      Scratch = B.CreateAlloca(i32(), nullptr, "helper.word");
    if (Access == PCAPF_ACCESS_PROBE)
      createProbeBuffers();
    if (pcapf_prog__needs_init_a(S.Prog.get()))
      B.CreateStore(k32(0), RegA);
    if (pcapf_prog__needs_init_x(S.Prog.get()))
      B.CreateStore(k32(0), RegX);
    uint16_t Init = pcapf_prog__scratch_init(S.Prog.get());
    for (unsigned I = 0; I < BPF_MEMWORDS; ++I)
      if (Init & (1u << I))
        B.CreateStore(k32(0), Mem[I]);
  }

  /// Buffers as large as the largest check needs, within the stack budget
  /// (pcapf_prog__probe_copy()).
  void createProbeBuffers() {
    pcapf_prog__probe_copy(S.Prog.get(), &ProbeBufLen, &ProbeIndexedBufLen);
    auto buffer = [&](uint32_t Len, const char *Name) {
      AllocaInst *Buf = B.CreateAlloca(ArrayType::get(B.getInt8Ty(), Len),
                                       nullptr, Name);
      Buf->setAlignment(Align(8));
      return Buf;
    };
    if (ProbeBufLen)
      ProbeBuf = buffer(ProbeBufLen, "probe.buf");
    if (ProbeIndexedBufLen)
      ProbeIndexedBuf = buffer(ProbeIndexedBufLen, "probe.xbuf");
  }

  /// Branch to reject if Fail holds; continue in a new block otherwise.
  void rejectIf(Value *Fail, const Twine &Name) {
    BasicBlock *Cont = BasicBlock::Create(Ctx, Name, &F, Reject);
    B.CreateCondBr(Fail, Reject, Cont);
    B.SetInsertPoint(Cont);
  }

  /// X bounded to at most Bound, in a form the verifier sees: on BPF the
  /// value first goes through llvm.bpf.passthrough, which the optimiser
  /// cannot see through, so the min stays a compare on the register that is
  /// added to the packet pointer (LLVM would otherwise move it onto a value
  /// before a byte swap, where the verifier loses the bound). The result
  /// is for pointers only; X itself never changes.
  Value *boundX(Value *X, uint32_t Bound) {
    if (!ForBPF)
      return B.CreateBinaryIntrinsic(Intrinsic::umin, X, k32(Bound));
    Function *Passthrough = Intrinsic::getDeclaration(
        F.getParent(), Intrinsic::bpf_passthrough, {i64(), i64()});
    // Distinct sequence numbers, as the backend's own uses: two barriers
    // are never merged.
    Value *Opaque = B.CreateCall(
        Passthrough, {k32(PassthroughSeq++), B.CreateZExt(X, i64())},
        "x.opaque");
    Value *Min = B.CreateBinaryIntrinsic(Intrinsic::umin, Opaque,
                                         B.getInt64(Bound));
    return B.CreateTrunc(Min, i32(), "x.bounded");
  }

  /// A call of BPF helper Id, as C's `((long (*)(...))Id)(...)`.
  Value *callHelper(unsigned Id, Type *Ret, ArrayRef<Value *> Args) {
    SmallVector<Type *, 4> Params;
    for (Value *A : Args)
      Params.push_back(A->getType());
    FunctionType *FT = FunctionType::get(Ret, Params, false);
    Value *Callee = ConstantExpr::getIntToPtr(B.getInt64(Id), B.getPtrTy());
    return B.CreateCall(FT, Callee, Args);
  }

  /// A helper that returns 0 on success; anything else is no match.
  void callCheckedHelper(unsigned Id, ArrayRef<Value *> Args,
                         const Twine &Name) {
    Value *Ret = callHelper(Id, i64(), Args);
    rejectIf(B.CreateICmpNE(Ret, B.getInt64(0), Name + ".failed"),
             Name + ".ok");
  }

  Value *loadX() { return B.CreateLoad(i32(), RegX, "x"); }

  /// data + X, for indexed loads and their checks.
  Value *indexedBase() {
    return B.CreateGEP(B.getInt8Ty(), Data, B.CreateZExt(loadX(), i64()),
                       "pkt.x");
  }

  /// N bytes of the packet at Ptr, big-endian, as i32. BPF packet loads
  /// need no alignment (the verifier checks it only when asked), and natural
  /// alignment lets the backend emit one load, as for C reading
  /// *(__be16 *)p; elsewhere nothing is known.
  Value *loadPacket(Value *Ptr, unsigned Size) {
    return loadBigEndian(Ptr, Size, ForBPF ? Align(Size) : Align(1));
  }

  /// N bytes of a stack copy at Buf + Off. The verifier requires aligned
  /// stack accesses, so the true alignment is given and the backend splits
  /// a misaligned load into byte loads.
  Value *loadCopy(AllocaInst *Buf, uint32_t Off, unsigned Size) {
    return loadBigEndian(B.CreateConstGEP1_64(B.getInt8Ty(), Buf, Off), Size,
                         commonAlignment(Buf->getAlign(), Off));
  }

  /// The target's byte order: bpfeb (and `-target bpf` on a big-endian
  /// machine) or a big-endian host reads network byte order as it is.
  bool targetIsBigEndian() const {
    return F.getDataLayout().isBigEndian();
  }

  /// Size bytes at Ptr in network byte order, as a number: a byte swap on
  /// a little-endian target, none on a big-endian one.
  Value *loadBigEndian(Value *Ptr, unsigned Size, Align A) {
    Type *Ty = B.getIntNTy(Size * 8);
    Value *V = B.CreateAlignedLoad(Ty, Ptr, A, "pkt");
    if (Size > 1 && !targetIsBigEndian())
      V = B.CreateUnaryIntrinsic(Intrinsic::bswap, V);
    return B.CreateZExt(V, i32());
  }

  Value *packetLength() {
    if (isSkb())
      return contextField(Skb, offsetof(__sk_buff, len), "len");
    Value *End = B.CreatePtrToInt(DataEnd, i64());
    Value *Start = B.CreatePtrToInt(Data, i64());
    return B.CreateTrunc(B.CreateSub(End, Start), i32(), "len");
  }

  // ---- Checks: steps 1-4 of pcapf.h's lowering contract ----------------

  /// len >= N, or return 0.
  void checkLength(uint32_t N) {
    if (Access == PCAPF_ACCESS_DIRECT) {
      Value *End = B.CreateConstGEP1_64(B.getInt8Ty(), Data, N);
      rejectIf(B.CreateICmpUGT(End, DataEnd, "short"), "covered");
      return;
    }
    rejectIf(B.CreateICmpULT(packetLength(), k32(N), "short"), "covered");
    if (Access == PCAPF_ACCESS_PROBE && ProbeBufLen) {
      uint32_t Copy = std::min(N, ProbeBufLen);
      callCheckedHelper(BPF_FUNC_probe_read_kernel,
                        {ProbeBuf, k32(Copy), Data}, "probe");
    }
  }

  /// X + N <= len, or return 0.
  void checkIndexed(uint32_t N) {
    if (Access == PCAPF_ACCESS_DIRECT) {
      checkIndexedPointer(N);
      return;
    }
    if (PacketRange != UINT32_MAX && Access == PCAPF_ACCESS_PROBE)
      rejectIf(B.CreateICmpUGT(loadX(), k32(PacketRange - N), "x.far"),
               "x.near");
    Value *Need = B.CreateAdd(B.CreateZExt(loadX(), i64()), B.getInt64(N));
    Value *Len = B.CreateZExt(packetLength(), i64());
    rejectIf(B.CreateICmpUGT(Need, Len, "short"), "covered");
    if (Access == PCAPF_ACCESS_PROBE && ProbeIndexedBufLen) {
      uint32_t Copy = std::min(N, ProbeIndexedBufLen);
      callCheckedHelper(BPF_FUNC_probe_read_kernel,
                        {ProbeIndexedBuf, k32(Copy), indexedBase()}, "probe");
    }
  }

  /// Direct access: data + X + N > data_end returns 0. On BPF the verifier
  /// learns the range only if it knows X + N <= 0xffff at the comparison,
  /// so the pointer is made from min(X, 0xffff - N) (a separate "X too
  /// far" branch alone would not do: LLVM may move one reject after
  /// another). X beyond that bound returns 0 on its own branch: the pointer
  /// is then not data + X, whatever the packet's length (a TC head or an
  /// XDP buffer may be longer than 65535 bytes). X itself is not changed.
  void checkIndexedPointer(uint64_t N) {
    Value *X = loadX();
    Value *Offset = X;
    if (PacketRange != UINT32_MAX) {
      // An extent past the range (only on paths no check lets through) is
      // never in reach.
      uint32_t Bound = N > PacketRange ? 0 : PacketRange - N;
      Value *Far = N > PacketRange ? B.getTrue()
                                   : B.CreateICmpUGT(X, k32(Bound));
      rejectIf(Far, "x.near");
      Offset = boundX(X, Bound);
    }
    Value *Base =
        B.CreateGEP(B.getInt8Ty(), Data, B.CreateZExt(Offset, i64()), "pkt.x");
    Value *End = B.CreateConstGEP1_64(B.getInt8Ty(), Base, N);
    rejectIf(B.CreateICmpUGT(End, DataEnd, "short"), "covered");
    CheckedIndexedBase = Base;
  }

  /// The bytes past X the indexed loads of the current cBPF block read,
  /// from the current instruction until X changes or the block ends.
  uint64_t indexedExtentOfBlock() {
    uint64_t Extent = 0;
    for (size_t I = CurrentInsn; I < NumInsns; ++I) {
      const pcapf_insn &In = Insns[I];
      if (I > CurrentInsn && (In.flags & PCAPF_INSN_LEADER))
        break;
      if (BPF_CLASS(In.code) == BPF_LD && BPF_MODE(In.code) == BPF_IND)
        Extent = std::max(Extent, uint64_t(In.k) + loadSize(In.code));
      if (BPF_CLASS(In.code) == BPF_LDX || In.code == (BPF_MISC | BPF_TAX) ||
          BPF_CLASS(In.code) == BPF_JMP || BPF_CLASS(In.code) == BPF_RET)
        break;
    }
    return Extent;
  }

  /// Returns false if the instruction was replaced by a reject.
  bool emitChecks(const pcapf_insn &In) {
    if (In.flags & PCAPF_INSN_REJECT) {
      B.CreateBr(Reject);
      return false;
    }
    if (In.guard_len)
      checkLength(In.guard_len);
    if (In.guard_ind)
      checkIndexed(In.guard_ind);
    if (In.flags & PCAPF_INSN_GUARD_DIV)
      rejectIf(B.CreateICmpEQ(loadX(), k32(0), "div.zero"), "div.ok");
    return true;
  }

  // ---- Packet loads, per access mode ------------------------------------

  /// Size bytes at packet offset Off (i32) through bpf_skb_load_bytes().
  Value *skbLoadBytes(Value *Off, unsigned Size) {
    callCheckedHelper(BPF_FUNC_skb_load_bytes, {Skb, Off, Scratch, k32(Size)},
                      "skb.load");
    return loadCopy(Scratch, 0, Size);
  }

  /// Size bytes at kernel address Src through bpf_probe_read_kernel().
  Value *probeRead(Value *Src, unsigned Size) {
    callCheckedHelper(BPF_FUNC_probe_read_kernel, {Scratch, k32(Size), Src},
                      "probe");
    return loadCopy(Scratch, 0, Size);
  }

  /// skb access: the linear head directly when Ptr + Size is inside it,
  /// bpf_skb_load_bytes() otherwise. CanBeDirect is false (or a condition)
  /// where the pointer would be out of the verifier's range.
  Value *skbLoad(Value *Off, Value *Ptr, Value *CanBeDirect, unsigned Size) {
    BasicBlock *Direct = BasicBlock::Create(Ctx, "skb.linear", &F, Reject);
    BasicBlock *Helper = BasicBlock::Create(Ctx, "skb.paged", &F, Reject);
    BasicBlock *Join = BasicBlock::Create(Ctx, "skb.loaded", &F, Reject);
    if (CanBeDirect) {
      BasicBlock *Try = BasicBlock::Create(Ctx, "skb.try", &F, Direct);
      B.CreateCondBr(CanBeDirect, Try, Helper);
      B.SetInsertPoint(Try);
    }
    Value *End = B.CreateConstGEP1_64(B.getInt8Ty(), Ptr, Size);
    B.CreateCondBr(B.CreateICmpULE(End, DataEnd, "in.head"), Direct, Helper);
    B.SetInsertPoint(Direct);
    Value *Linear = loadPacket(Ptr, Size);
    B.CreateBr(Join);
    B.SetInsertPoint(Helper);
    Value *Paged = skbLoadBytes(Off, Size);
    BasicBlock *HelperEnd = B.GetInsertBlock();
    B.CreateBr(Join);
    B.SetInsertPoint(Join);
    PHINode *V = B.CreatePHI(i32(), 2, "pkt");
    V->addIncoming(Linear, Direct);
    V->addIncoming(Paged, HelperEnd);
    return V;
  }

  /// The byte offset K from the start of the packet (LD ABS, LDX MSH).
  Value *loadAbsolute(uint32_t K, unsigned Size) {
    switch (Access) {
    case PCAPF_ACCESS_DIRECT:
      return loadPacket(B.CreateConstGEP1_64(B.getInt8Ty(), Data, K), Size);
    case PCAPF_ACCESS_SKB:
      if (uint64_t(K) + Size <= SkbDirectBytes)
        return skbLoad(k32(K), B.CreateConstGEP1_64(B.getInt8Ty(), Data, K),
                       /*CanBeDirect=*/nullptr, Size);
      return skbLoadBytes(k32(K), Size);
    case PCAPF_ACCESS_SKB_LOAD_BYTES:
      return skbLoadBytes(k32(K), Size);
    case PCAPF_ACCESS_PROBE:
      if (uint64_t(K) + Size <= ProbeBufLen)
        return loadCopy(ProbeBuf, K, Size);
      return probeRead(B.CreateConstGEP1_64(B.getInt8Ty(), Data, K), Size);
    case PCAPF_ACCESS_DEFAULT: // resolved by the attribute, never compiled
      break;
    }
    llvm_unreachable("access mode");
  }

  /// The bytes at X + K (LD IND); the check before made X + K + Size fit.
  Value *loadIndexed(uint32_t K, unsigned Size) {
    switch (Access) {
    case PCAPF_ACCESS_DIRECT:
      // Covered by the analysis' check on every path, but if no check in
      // this block made the pointer, the verifier has no range for it: check
      // again (LLVM drops the check where a dominating one makes it
      // redundant, and then the pointers are one).
      if (!CheckedIndexedBase)
        checkIndexedPointer(indexedExtentOfBlock());
      return loadPacket(
          B.CreateConstGEP1_64(B.getInt8Ty(), CheckedIndexedBase, K), Size);
    case PCAPF_ACCESS_SKB: {
      Value *X = loadX();
      Value *Off = B.CreateAdd(X, k32(K));
      if (uint64_t(K) + Size > SkbDirectBytes)
        return skbLoadBytes(Off, Size);
      // The direct attempt's pointer is made from a bounded X, so that
      // hoisting it above the Near test cannot hand the verifier an
      // unbounded pointer addition; it is only used when X is Near.
      uint32_t Bound = SkbDirectBytes - K - Size;
      Value *Near = B.CreateICmpULE(X, k32(Bound), "x.near");
      Value *Bounded = boundX(X, Bound);
      Value *Ptr = B.CreateGEP(B.getInt8Ty(), Data,
                               B.CreateZExt(Bounded, i64()), "pkt.x");
      return skbLoad(Off, B.CreateConstGEP1_64(B.getInt8Ty(), Ptr, K), Near,
                     Size);
    }
    case PCAPF_ACCESS_SKB_LOAD_BYTES:
      return skbLoadBytes(B.CreateAdd(loadX(), k32(K)), Size);
    case PCAPF_ACCESS_PROBE:
      if (uint64_t(K) + Size <= ProbeIndexedBufLen)
        return loadCopy(ProbeIndexedBuf, K, Size);
      return probeRead(B.CreateConstGEP1_64(B.getInt8Ty(), indexedBase(), K),
                       Size);
    case PCAPF_ACCESS_DEFAULT: // resolved by the attribute, never compiled
      break;
    }
    llvm_unreachable("access mode");
  }

  /// A Linux extension (skb access): what the kernel's cBPF gives, as
  /// runtime/extensions.c says where __sk_buff holds it.
  Value *loadAncillary(uint32_t K) {
    const pcapf_ext *Ext = pcapf_ext_find(K);
    assert(Ext && Ext->source != PCAPF_EXT_NONE && "validated extension");
    switch (Ext->source) {
    case PCAPF_EXT_FIELD:
      return contextField(Skb, Ext->offset, "skb.field");
    case PCAPF_EXT_FIELD_NET16: {
      // The kernel loads the __be16 of the sk_buff as a u16 (network byte
      // order in memory) and its cBPF applies ntohs(): a swap only on a
      // little-endian machine.
      Value *V = contextField(Skb, Ext->offset, "skb.field.be16");
      if (targetIsBigEndian())
        return V;
      return B.CreateZExt(B.CreateUnaryIntrinsic(
                              Intrinsic::bswap, B.CreateTrunc(V, B.getInt16Ty())),
                          i32());
    }
    case PCAPF_EXT_HELPER:
      return B.CreateTrunc(callHelper(Ext->helper, i64(), {}), i32(),
                           "skb.helper");
    case PCAPF_EXT_XOR_X:
      return B.CreateXor(B.CreateLoad(i32(), RegA, "a"), loadX());
    case PCAPF_EXT_NONE:
      break;
    }
    llvm_unreachable("validated Linux extension");
  }

  // ---- Operations ----------------------------------------------------------

  void emitReturn(Value *V) {
    Type *RT = F.getReturnType();
    if (S.Return == StubReturn::Value) {
      B.CreateRet(B.CreateZExtOrTrunc(V, RT));
      return;
    }
    Value *Match = B.CreateICmpNE(V, k32(0), "match");
    B.CreateRet(B.CreateZExtOrTrunc(Match, RT));
  }

  Value *aluOperand(const pcapf_insn &In) {
    return BPF_SRC(In.code) == BPF_X ? loadX() : k32(In.k);
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
        return loadAncillary(In.k);
      return loadAbsolute(In.k, loadSize(In.code));
    case BPF_IND:
      return loadIndexed(In.k, loadSize(In.code));
    case BPF_MSH: // X = 4 * (P[k] & 0xf), the IPv4 header length
      return B.CreateShl(B.CreateAnd(loadAbsolute(In.k, 1), k32(0xf)), 2);
    case BPF_LEN:
      return packetLength();
    case BPF_MEM:
      return B.CreateLoad(i32(), Mem[In.k]);
    default: // BPF_IMM
      return k32(In.k);
    }
  }

  /// Lowers one reachable instruction; returns whether its block goes on.
  bool emitInsn(const pcapf_insn &In) {
    if (!emitChecks(In))
      return false;
    switch (BPF_CLASS(In.code)) {
    case BPF_LD:
    case BPF_LDX:
      B.CreateStore(emitLoad(In), BPF_CLASS(In.code) == BPF_LDX ? RegX : RegA);
      if (BPF_CLASS(In.code) == BPF_LDX)
        CheckedIndexedBase = nullptr;
      return true;
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
      // One no-match exit for the whole filter: the backend then lays the
      // common no-match path out as a fall-through (bench/RESULTS.md).
      if (BPF_RVAL(In.code) == BPF_K && In.k == 0) {
        B.CreateBr(Reject);
        return false;
      }
      emitReturn(BPF_RVAL(In.code) == BPF_A ? B.CreateLoad(i32(), RegA, "a")
                                            : k32(In.k));
      return false;
    default: // BPF_MISC
      if (BPF_MISCOP(In.code) == BPF_TAX) {
        B.CreateStore(B.CreateLoad(i32(), RegA, "a"), RegX);
        CheckedIndexedBase = nullptr;
      } else
        B.CreateStore(loadX(), RegA);
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
