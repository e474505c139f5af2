//===- PassPluginEntry.cpp - The plugin as a pass plugin, Clang < 18 ------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Before Clang 18 a frontend plugin cannot add a pass to the optimisation
// pipeline (there is no CodeGenOptions::PassBuilderCallbacks); only a pass
// plugin, loaded with -fpass-plugin=, can. So for those Clangs the same
// shared object is both, and is given twice:
//
//   -fplugin=<lib>/pcapfilter/clang-N/libpcapfilter.so
//   -fpass-plugin=<lib>/pcapfilter/clang-N/libpcapfilter.so
//
// Both load one copy (dlopen() opens a file once), so the action's
// callback, kept here, is the pass plugin's. The action runs first (Clang
// loads pass plugins only when it builds the pipeline, after parsing); a
// compile given -fplugin alone stops there with an error naming the missing
// flag, since its stubs would stay empty, unless it runs no passes
// (-fsyntax-only, as editors do). plugin/CMakeLists.txt builds this
// file only for Clang < 18 (ClangCompat.h declares the function).
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <string>

using namespace llvm;

namespace pcapfilter {
namespace {

/// The callback of the translation unit being compiled.
std::function<void(PassBuilder &)> &pendingCallback() {
  static std::function<void(PassBuilder &)> Callback;
  return Callback;
}

/// The compilation builds an optimisation pipeline (CodeGen runs).
bool runsPasses(const clang::CompilerInstance &CI) {
  switch (CI.getFrontendOpts().ProgramAction) {
  case clang::frontend::EmitAssembly:
  case clang::frontend::EmitBC:
  case clang::frontend::EmitLLVM:
  case clang::frontend::EmitLLVMOnly:
  case clang::frontend::EmitCodeGenOnly:
  case clang::frontend::EmitObj:
    return true;
  default:
    return false;
  }
}

/// The real path of File, or File when it has none.
std::string realPath(const char *File) {
  char Real[PATH_MAX];
  return realpath(File, Real) ? Real : File;
}

/// This shared object's path.
std::string ownPath() {
  Dl_info Self;
  if (!dladdr(reinterpret_cast<void *>(&pendingCallback), &Self) ||
      !Self.dli_fname)
    return "libpcapfilter.so";
  return realPath(Self.dli_fname);
}

} // namespace

void compat::addPassBuilderCallback(
    clang::CompilerInstance &CI, std::function<void(PassBuilder &)> Register) {
  std::string Own = ownPath();
  for (const std::string &PassPlugin : CI.getCodeGenOpts().PassPlugins)
    if (realPath(PassPlugin.c_str()) == Own) {
      pendingCallback() = std::move(Register);
      return;
    }
  if (!runsPasses(CI))
    return;
  clang::DiagnosticsEngine &D = CI.getDiagnostics();
  D.Report(D.getCustomDiagID(
      clang::DiagnosticsEngine::Error,
      "pcapfilter: Clang %0 adds the pass that fills pcap_filter stubs only "
      "from a pass plugin; give the plugin with -fpass-plugin too: "
      "-fplugin=%1 -fpass-plugin=%1"))
      << PCAPF_CLANG_MAJOR << Own;
}

} // namespace pcapfilter

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "pcapfilter", "0.1",
          [](PassBuilder &PB) {
            if (auto &Register = pcapfilter::pendingCallback())
              Register(PB);
          }};
}
