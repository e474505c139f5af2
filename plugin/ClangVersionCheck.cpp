//===- ClangVersionCheck.cpp - Refuse a Clang of another major version ----===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The loader (loader.c) opens the plugin built for the Clang that loads it.
// This is the second line of defence, for a plugin opened some other way
// (named directly with -fplugin, or by the loader's fallback for a Clang it
// cannot identify) whose symbols happen to resolve in a Clang of another
// major version: its classes would not match that Clang's, so rather than
// run, it stops the compile with one line saying which Clang it needs.
// This runs as the plugin is loaded, before Clang uses anything it has
// registered. PCAPF_CLANG_MAJOR, set by plugin/CMakeLists.txt, is the
// version the plugin is built for and installed under.
//
//===----------------------------------------------------------------------===//

#include "clang/Basic/Version.h"

#include <cstdio>
#include <cstdlib>
#include <string>

/// The major version of the Clang this process runs (the text of
/// getClangFullVersion() is compiled into libclang-cpp, not into the
/// plugin), or 0 when its vendor's version text has no "clang version N".
static unsigned loadedClangMajor() {
  const std::string Marker = "clang version ";
  std::string Version = clang::getClangFullVersion();
  size_t At = Version.find(Marker);
  if (At == std::string::npos)
    return 0;
  return std::strtoul(Version.c_str() + At + Marker.size(), nullptr, 10);
}

namespace {
struct ClangVersionCheck {
  ClangVersionCheck() {
    unsigned Loaded = loadedClangMajor();
    if (Loaded == 0 || Loaded == PCAPF_CLANG_MAJOR)
      return;
    std::fprintf(stderr,
                 "pcapfilter: this plugin is built for Clang %u, but Clang %u "
                 "loaded it; use clang-%u or build pcapfilter against Clang "
                 "%u\n",
                 PCAPF_CLANG_MAJOR, Loaded, PCAPF_CLANG_MAJOR, Loaded);
    std::_Exit(1);
  }
};
} // namespace

static ClangVersionCheck CheckAtLoad;
