//===- StubPrototype.h - A stub's declared prototype, for its debug info --===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// The BPF backend writes a function's BTF FUNC_PROTO from its DISubprogram,
// and the kernel refuses an object's BTF when a FUNC has no valid prototype
// (named parameters of resolvable types, the return type as declared).
// Clang 18 and later give a called bodiless static declaration, as a stub
// is, a declaration DISubprogram with that prototype; before, Clang gives
// it none (only an extern or address-taken one gets it). So the attribute
// handler records the prototype of each stub from its declaration when
// parsing ends (describePrototype()), and StubPass builds the debug types
// from that record (StubDebugTypes) when the module has no subprogram for
// the stub, and the parameters when the subprogram has none (Clang 14's
// declarations retain none).
//
// A type is recorded as the chain of its layers as the source spells it
// (a stub's types have no branches: pointers, qualifiers and typedefs down
// to void, a builtin or a struct), so its BTF names what the declaration
// names. Typedefs and structs the module already describes are reused. A
// struct it does not describe becomes a declaration (BTF FWD): enough for
// a static stub, but the verifier checks a global function's context
// parameter against the struct's BTF, so StubPass reports a global stub
// whose struct is only declared (forwardDeclared()).
//
//===----------------------------------------------------------------------===//
#ifndef PCAPFILTER_STUBPROTOTYPE_H
#define PCAPFILTER_STUBPROTOTYPE_H

#include "llvm/IR/DebugInfo.h"

#include <cstdint>
#include <string>
#include <vector>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace llvm {
class DIBuilder;
} // namespace llvm

namespace pcapfilter {

/// One layer of a declared type, outermost first: `const __u32` is
/// {Const}, {Typedef "__u32"}, {Basic "unsigned int"}.
struct StubTypeLayer {
  enum LayerKind {
    Void,
    Basic,
    Pointer,
    Const,
    Volatile,
    Restrict,
    Typedef,
    Struct,
    Union
  } Kind;
  std::string Name;        ///< Basic, Typedef, Struct, Union
  uint64_t SizeInBits = 0; ///< Basic, Pointer
  unsigned Encoding = 0;   ///< Basic: its DW_ATE_* encoding
  std::string File;        ///< Typedef, Struct, Union: where declared
  unsigned Line = 0;
};
using StubType = std::vector<StubTypeLayer>;

struct StubParameter {
  std::string Name;
  std::string File;
  unsigned Line = 0;
  StubType Type;
};

/// The final declaration of a stub as debug info describes a function.
struct StubPrototype {
  std::string File; ///< of the declaration's name
  unsigned Line = 0;
  StubType Return;
  std::vector<StubParameter> Parameters;
};

StubPrototype describePrototype(const clang::FunctionDecl &FD);

/// The debug info of recorded prototypes, in one module: its types built
/// with DIB, in CU, reusing what the module describes already.
class StubDebugTypes {
public:
  StubDebugTypes(llvm::DIBuilder &DIB, llvm::Module &M,
                 llvm::DICompileUnit *CU);
  /// The file named Name, as the module's debug info has it if it does (so
  /// BTF line info names one file once).
  llvm::DIFile *file(const std::string &Name);
  llvm::DISubroutineType *subroutineType(const StubPrototype &P);
  /// The variable of parameter ArgNo (from 1) of P, in SP, of the type
  /// SP's prototype gives it.
  llvm::DILocalVariable *parameter(llvm::DISubprogram *SP,
                                   const StubPrototype &P, unsigned ArgNo);

  /// The structs and unions made declarations, as `struct name`.
  const std::vector<std::string> &forwardDeclared() const {
    return ForwardDeclared;
  }

private:
  /// The type of T's layers from From on.
  llvm::DIType *type(const StubType &T, size_t From = 0);
  /// A typedef or struct of the module's with that DWARF tag and name, at
  /// file scope (a definition rather than a declaration).
  llvm::DIType *existing(unsigned Tag, const std::string &Name);

  llvm::DIBuilder &DIB;
  llvm::DICompileUnit *CU;
  llvm::DebugInfoFinder Finder;
  std::vector<std::string> ForwardDeclared;
};

} // namespace pcapfilter

#endif // PCAPFILTER_STUBPROTOTYPE_H
