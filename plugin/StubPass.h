//===- StubPass.h - Generate the bodies of __pcap_filter stubs ------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_STUBPASS_H
#define PCAPFILTER_STUBPASS_H

#include "StubTable.h"

#include "llvm/IR/PassManager.h"

#include <memory>

namespace pcapfilter {

/// Defines every stub of the StubTable that the module references: its body
/// becomes the lowering of the stub's analysed filter (FilterLowering.cpp),
/// its linkage and debug info those of a definition.
class StubPass : public llvm::PassInfoMixin<StubPass> {
  std::shared_ptr<StubTable> Table;

public:
  explicit StubPass(std::shared_ptr<StubTable> T) : Table(std::move(T)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  /// Stubs must be defined at -O0 too.
  static bool isRequired() { return true; }
};

} // namespace pcapfilter

#endif // PCAPFILTER_STUBPASS_H
