//===- StubTable.h - Stubs found in Sema, filled in by the pass -----------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The attribute handler (PcapFilterAttr.cpp) checks each stub and compiles
// its filter while Clang parses; the LLVM pass (StubPass.cpp) generates the
// stub bodies after CodeGen. This table carries one to the other: one table
// per translation unit, created by the plugin action (PcapFilterAction.cpp),
// keyed by the stub's symbol name (stubs are C functions, so the name is the
// IR name).
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_STUBTABLE_H
#define PCAPFILTER_STUBTABLE_H

#include "StubPrototype.h"
#include "pcapf.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace pcapfilter {

/// The expression that makes a stub a run-time one (pcap_filter.h's
/// PCAP_FILTER_RUNTIME): no filter expression starts with '@'.
constexpr const char RuntimeMarker[] = "@runtime";

/// The BTF decl tags a run-time stub's FUNC carries, for the loader
/// (runtime/inject.c reads them): RuntimeTag, then RuntimeOptionTagPrefix
/// followed by each option of the attribute ("pcap_filter:access=probe").
constexpr const char RuntimeTag[] = "pcap_filter:runtime";
constexpr const char RuntimeOptionTagPrefix[] = "pcap_filter:";

/// What the declaration asked of inlining, read when parsing ends.
enum class StubInline { Default, Never, Always };

enum class StubLinkage { Internal, External };

struct ProgDeleter {
  void operator()(pcapf_prog *P) const { pcapf_prog__free(P); }
};

/// One function carrying __pcap_filter, checked and compiled.
struct Stub {
  /// The annotated declaration. Only valid while Clang parses: the pass
  /// runs after the AST's attribute storage is gone, so what it needs of
  /// the declaration is copied below by completeStubs().
  const clang::FunctionDecl *Decl = nullptr;
  /// The attribute on Decl, for notes on later attributes of the stub.
  clang::SourceLocation AttrLoc;
  StubInline Inline = StubInline::Default;
  StubLinkage Linkage = StubLinkage::Internal;
  /// For the stub's debug info when Clang gives it none (before Clang 18).
  StubPrototype Prototype;
  /// How the stub receives the packet (libpcapf's forms, pcapf.h).
  pcapf_stub_form Form = PCAPF_STUB_POINTERS;
  /// Returns 1 on a match, 0 otherwise (bool, int); false: the filter's
  /// own value (__u32), as pcapf_stub_returns_match() decides.
  bool ReturnsMatch = true;
  std::string Filter;  ///< expression and options, to compare redeclarations
  unsigned Line = 0;   ///< of the attribute: generated code is located here
  unsigned Column = 0;
  /// __pcap_filter_runtime(): the loader supplies the filter; Prog is null
  /// and Options are the attribute's option strings, for the object's BTF.
  bool Runtime = false;
  bool DeclTags = true; ///< StubTable::RuntimeDeclTags when recorded
  std::vector<std::string> Options;
  std::shared_ptr<pcapf_prog> Prog;
};

/// The stubs of one translation unit.
struct StubTable {
  llvm::StringMap<Stub> Stubs;
  /// -disable-llvm-passes: the pass would not run, so no stub is accepted.
  bool PassesDisabled = false;
  /// Run-time stubs get their BTF decl tags (RuntimeTag, options); off with
  /// -fplugin-arg-pcapfilter-no-decl-tags, for loaders that cannot parse
  /// DECL_TAG (cilium/ebpf 0.9), which then take every option themselves.
  bool RuntimeDeclTags = true;
};

/// Copies what the pass needs of each stub's final declaration (after all
/// redeclarations) into the table; called when parsing ends.
void completeStubs(StubTable &Table);

/// The table of the translation unit being compiled; set by the plugin
/// action before parsing starts (Clang may compile several inputs in one
/// process, one after the other).
std::shared_ptr<StubTable> &currentStubTable();

} // namespace pcapfilter

#endif // PCAPFILTER_STUBTABLE_H
