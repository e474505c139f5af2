//===- FilterLowering.h - Analysed cBPF to LLVM IR ------------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The one entry point of the IR lowering, for StubPass.cpp and
// test/fuzz/fuzz_diff.cpp. FilterLowering.cpp says how the lowering is
// split (opcodes once; one PacketAccess class per access mode).
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_FILTERLOWERING_H
#define PCAPFILTER_FILTERLOWERING_H

#include "StubTable.h"

namespace llvm {
class Function;
class DILocation;
} // namespace llvm

namespace pcapfilter {

/// Fills the empty function F with the lowering of S's analysed program,
/// every instruction located at Loc (may be null). ForBPF selects the
/// checks only the kernel verifier needs (bounded packet offsets).
void lowerFilter(llvm::Function &F, const Stub &S, llvm::DILocation *Loc,
                 bool ForBPF);

} // namespace pcapfilter

#endif // PCAPFILTER_FILTERLOWERING_H
