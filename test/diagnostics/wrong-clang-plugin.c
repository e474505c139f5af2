// The plugin's own version check (plugin/ClangVersionCheck.cpp), for a
// plugin opened without the loader whose symbols resolve in a Clang of
// another major version: built as if for Clang %llvm_major + 1, it stops
// the compile as it is loaded, naming both versions.
// RUN: not %clang -fplugin=%version_check_test_plugin -fsyntax-only %s 2>&1 | FileCheck %s -DMAJOR=%llvm_major
// CHECK: pcapfilter: this plugin is built for Clang {{[0-9]+}}, but Clang [[MAJOR]] loaded it; use clang-{{[0-9]+}} or build pcapfilter against Clang [[MAJOR]]
// CHECK-NOT: error

int unused;
