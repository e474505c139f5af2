//===- fuzz_diff.cpp - Translator + host lowering against bpf_filter() ----===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// libFuzzer target, differential: a random valid classic BPF program and a
// random packet; the program goes through the translator
// (pcapf_prog__from_cbpf, direct access), the plugin's lowering for the host
// (lowerFilter in plugin/FilterLowering.cpp, as StubPass.cpp calls it for a
// `__u32 f(void *data, void *data_end)` stub), LLVM's O2 pipeline and the
// ORC JIT; the filter's u32 result on every prefix of the packet is compared
// with libpcap's bpf_filter(). A difference, a read past the end of the
// packet or a program the translator refuses aborts with both values and
// the program.
//
// Input: byte 0 is the packet length (0..MaxPacket), then the packet, then
// instructions as struct bpf_insn (8 bytes, little-endian). The program is
// made valid without changing one that already is (so a seed is a libpcap
// program as it is):
//   - an unknown opcode becomes a known one; the last instruction returns;
//   - jumps go forward inside the program; scratch indices are below 16;
//     constant divisors are non-zero and constant shifts below 32;
//   - a load at a Linux extension's offset (direct access has none) moves
//     past them: still an offset far beyond any packet.
// So every opcode, DIV/MOD by X, shifts by X >= 32, X + k that wraps, loads
// past the end and scratch read before written all occur.
//
// The packet lies at the end of a page followed by an inaccessible one, so
// a read past its end faults (the generated code is not instrumented); the
// fault is reported as such.
//
//===----------------------------------------------------------------------===//

#include "FilterLowering.h"
#include "StubTable.h"

#include "fuzz_check.h"

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <csetjmp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace llvm;

namespace {

constexpr size_t MaxPacket = 160;
constexpr size_t MaxInsns = 128;
constexpr const char *FilterName = "pcapf_fuzz_filter";

using FilterFn = uint32_t (*)(const uint8_t *Data, const uint8_t *DataEnd);

// Every opcode bpf_filter() executes (validate.c's list, in its order).
constexpr uint16_t Opcodes[] = {
    BPF_RET | BPF_K,          BPF_RET | BPF_A,          BPF_LD | BPF_W | BPF_ABS,
    BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS, BPF_LD | BPF_W | BPF_LEN,
    BPF_LDX | BPF_W | BPF_LEN, BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND,
    BPF_LD | BPF_B | BPF_IND, BPF_LDX | BPF_MSH | BPF_B, BPF_LD | BPF_IMM,
    BPF_LDX | BPF_IMM,        BPF_LD | BPF_MEM,         BPF_LDX | BPF_MEM,
    BPF_ST,                   BPF_STX,                  BPF_JMP | BPF_JA,
    BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JEQ | BPF_K,
    BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JGT | BPF_X, BPF_JMP | BPF_JGE | BPF_X,
    BPF_JMP | BPF_JEQ | BPF_X, BPF_JMP | BPF_JSET | BPF_X, BPF_ALU | BPF_ADD | BPF_X,
    BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_X, BPF_ALU | BPF_DIV | BPF_X,
    BPF_ALU | BPF_MOD | BPF_X, BPF_ALU | BPF_AND | BPF_X, BPF_ALU | BPF_OR | BPF_X,
    BPF_ALU | BPF_XOR | BPF_X, BPF_ALU | BPF_LSH | BPF_X, BPF_ALU | BPF_RSH | BPF_X,
    BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_SUB | BPF_K, BPF_ALU | BPF_MUL | BPF_K,
    BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_AND | BPF_K,
    BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_XOR | BPF_K, BPF_ALU | BPF_LSH | BPF_K,
    BPF_ALU | BPF_RSH | BPF_K, BPF_ALU | BPF_NEG,        BPF_MISC | BPF_TAX,
    BPF_MISC | BPF_TXA,
};

/// Makes Insns a program the translator must accept; a valid one stays.
void makeValid(std::vector<pcapf_cbpf_insn> &Insns) {
  size_t N = Insns.size();
  for (size_t I = 0; I < N; ++I) {
    pcapf_cbpf_insn &In = Insns[I];
    if (std::find(std::begin(Opcodes), std::end(Opcodes), In.code) ==
        std::end(Opcodes))
      In.code = Opcodes[In.code % std::size(Opcodes)];
    if (I == N - 1 && BPF_CLASS(In.code) != BPF_RET)
      In.code = BPF_RET | (In.code & 1 ? BPF_A : BPF_K);
    uint32_t Ahead = uint32_t(N - I - 1); // instructions after this one
    switch (BPF_CLASS(In.code)) {
    case BPF_JMP:
      if (BPF_OP(In.code) == BPF_JA)
        In.k %= Ahead;
      In.jt %= Ahead;
      In.jf %= Ahead;
      break;
    case BPF_LD:
    case BPF_LDX:
    case BPF_ST:
    case BPF_STX:
      if (BPF_MODE(In.code) == BPF_MEM || BPF_CLASS(In.code) >= BPF_ST)
        In.k %= BPF_MEMWORDS;
      if (BPF_CLASS(In.code) == BPF_LD && BPF_MODE(In.code) == BPF_ABS &&
          PCAPF_IS_ANCILLARY_K(In.k))
        In.k += PCAPF_SKF_AD_MAX;
      break;
    case BPF_ALU:
      if (BPF_SRC(In.code) != BPF_K)
        break;
      if ((BPF_OP(In.code) == BPF_DIV || BPF_OP(In.code) == BPF_MOD) && !In.k)
        In.k = 1;
      if (BPF_OP(In.code) == BPF_LSH || BPF_OP(In.code) == BPF_RSH)
        In.k %= 32;
      break;
    }
  }
}

/// The packet lies at the end of Fence, followed by an inaccessible page.
uint8_t *Fence, *GuardPage;
size_t PageSize;
sigjmp_buf FaultJump;
volatile sig_atomic_t InFilter;

void onFault(int Sig, siginfo_t *Info, void *) {
  auto *Addr = static_cast<uint8_t *>(Info->si_addr);
  if (InFilter && Addr >= GuardPage && Addr < GuardPage + PageSize)
    siglongjmp(FaultJump, 1);
  signal(Sig, SIG_DFL);
  raise(Sig);
}

struct Jit {
  std::unique_ptr<orc::LLJIT> J;
  std::unique_ptr<TargetMachine> TM;
};

Jit &jit() {
  static Jit *Instance = [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    auto JTMB = cantFail(orc::JITTargetMachineBuilder::detectHost());
    JTMB.setCodeGenOptLevel(CodeGenOptLevel::Default);
    auto *New = new Jit;
    New->TM = cantFail(JTMB.createTargetMachine());
    New->J = cantFail(orc::LLJITBuilder().setJITTargetMachineBuilder(JTMB).create());

    PageSize = size_t(sysconf(_SC_PAGESIZE));
    Fence = static_cast<uint8_t *>(mmap(nullptr, 2 * PageSize,
                                        PROT_READ | PROT_WRITE,
                                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (Fence == MAP_FAILED || mprotect(Fence + PageSize, PageSize, PROT_NONE))
      fuzz_fail(nullptr, "cannot map the packet fence");
    GuardPage = Fence + PageSize;
    struct sigaction SA = {};
    SA.sa_sigaction = onFault;
    SA.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&SA.sa_mask);
    sigaction(SIGSEGV, &SA, nullptr);
    return New;
  }();
  return *Instance;
}

/// The stub's body for Prog, as StubPass.cpp makes it, optimised at O2.
std::unique_ptr<Module> lowerAndOptimise(pcapf_prog *Prog, LLVMContext &Ctx) {
  Jit &JIT = jit();
  auto M = std::make_unique<Module>("fuzz_diff", Ctx);
  M->setDataLayout(JIT.J->getDataLayout());
  M->setTargetTriple(JIT.J->getTargetTriple().str());
  Type *Ptr = PointerType::getUnqual(Ctx);
  auto *F = Function::Create(
      FunctionType::get(Type::getInt32Ty(Ctx), {Ptr, Ptr}, false),
      GlobalValue::ExternalLinkage, FilterName, *M);
  F->addFnAttr(Attribute::NoUnwind);
  pcapfilter::Stub S;
  S.Form = PCAPF_STUB_POINTERS;
  S.ReturnsMatch = false; // the filter's value, compared as such
  S.Prog = std::shared_ptr<pcapf_prog>(Prog, [](pcapf_prog *) {}); // borrowed
  pcapfilter::lowerFilter(*F, S, nullptr, /*ForBPF=*/false);

  std::string Problems;
  raw_string_ostream OS(Problems);
  if (verifyFunction(*F, &OS)) {
    F->print(errs());
    fuzz_fail(Prog, "the lowering made invalid IR: %s", Problems.c_str());
  }

  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB(JIT.TM.get());
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  PB.buildPerModuleDefaultPipeline(OptimizationLevel::O2).run(*M, MAM);
  return M;
}

void printPacket(const uint8_t *P, size_t Len) {
  fprintf(stderr, "packet (%zu bytes):", Len);
  for (size_t I = 0; I < Len; ++I)
    fprintf(stderr, "%s%02x", I % 16 ? " " : "\n  ", P[I]);
  fprintf(stderr, "\n");
}

/// A difference or a fault: print what is needed to reproduce, abort.
[[noreturn]] void report(pcapf_prog *Prog, const uint8_t *P, size_t Len,
                         const char *What) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = lowerAndOptimise(Prog, Ctx);
  fprintf(stderr, "---- the lowering after O2:\n");
  M->print(errs(), nullptr);
  errs().flush();
  printPacket(P, Len);
  fuzz_fail(Prog, "%s", What);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size < 1)
    return 0;
  size_t PacketLen = std::min<size_t>(Data[0], MaxPacket);
  uint8_t Packet[MaxPacket] = {};
  memcpy(Packet, Data + 1, std::min(PacketLen, Size - 1));
  size_t Rest = Size - 1 > PacketLen ? Size - 1 - PacketLen : 0;
  size_t N = std::min(Rest / sizeof(pcapf_cbpf_insn), MaxInsns);
  if (N == 0)
    return 0;
  std::vector<pcapf_cbpf_insn> Insns(N);
  memcpy(Insns.data(), Data + 1 + PacketLen, N * sizeof(pcapf_cbpf_insn));
  makeValid(Insns);

  char Errbuf[PCAPF_ERRBUF_SIZE] = "";
  pcapf_opts Opts = {};
  Opts.sz = sizeof(Opts);
  Opts.access = PCAPF_ACCESS_DIRECT;
  Opts.packet_range = UINT32_MAX; // host code, as the plugin compiles it
  pcapf_prog *Prog = pcapf_prog__from_cbpf(Insns.data(), N, &Opts, Errbuf);
  if (!Prog) {
    fuzz_print_cbpf(Insns.data(), N);
    fuzz_fail(nullptr, "the translator refuses a valid program: %s", Errbuf);
  }
  fuzz_check_prog(Prog);

  // libpcap's reference. Scratch memory is zero on entry by the contract;
  // libpcap 1.10's bpf_filter() leaves it uninitialised, so the reference
  // stores A (0 on entry) to each word first. Jumps are relative: the
  // program after the prefix means what it meant.
  std::vector<bpf_insn> Ref;
  for (uint32_t I = 0; I < BPF_MEMWORDS; ++I)
    Ref.push_back(bpf_insn{BPF_ST, 0, 0, I});
  for (const pcapf_cbpf_insn &In : Insns)
    Ref.push_back(bpf_insn{In.code, In.jt, In.jf, In.k});

  Jit &JIT = jit();
  auto Ctx = std::make_unique<LLVMContext>();
  std::unique_ptr<Module> M = lowerAndOptimise(Prog, *Ctx);
  auto RT = JIT.J->getMainJITDylib().createResourceTracker();
  cantFail(JIT.J->addIRModule(RT, orc::ThreadSafeModule(std::move(M), std::move(Ctx))));
  auto Filter = cantFail(JIT.J->lookup(FilterName)).toPtr<FilterFn>();

  for (size_t Len = 0; Len <= PacketLen; ++Len) {
    uint8_t *P = GuardPage - Len;
    memcpy(P, Packet, Len);
    uint32_t Want = bpf_filter(Ref.data(), P, u_int(Len), u_int(Len));
    if (sigsetjmp(FaultJump, 1)) {
      InFilter = 0;
      report(Prog, P, Len, "the filter read past the end of the packet");
    }
    InFilter = 1;
    uint32_t Got = Filter(P, P + Len);
    InFilter = 0;
    if (Got != Want) {
      char What[128];
      snprintf(What, sizeof(What),
               "on %zu bytes the filter returns %u (0x%x), libpcap %u (0x%x)",
               Len, Got, Got, Want, Want);
      report(Prog, P, Len, What);
    }
  }
  cantFail(RT->remove());
  pcapf_prog__free(Prog);
  return 0;
}
