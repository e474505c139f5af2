//===- StubPrototype.cpp - A stub's declared prototype, for its debug info ===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// describePrototype() reads a stub's declaration in the front end;
// StubDebugTypes builds debug info from the record in the IR pass, as
// Clang's own would be for the same declaration (StubPrototype.h says when
// and why). Tests: test/btf/ (BTF dumped and loaded, every Clang).
//
//===----------------------------------------------------------------------===//

#include "StubPrototype.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/ErrorHandling.h"

namespace pcapfilter {

namespace {

/// Where Loc is, as debug info names it (the presumed file and line).
std::pair<std::string, unsigned> position(const clang::SourceManager &SM,
                                          clang::SourceLocation Loc) {
  clang::PresumedLoc P = SM.getPresumedLoc(Loc);
  if (P.isInvalid())
    return {"", 0};
  return {P.getFilename(), P.getLine()};
}

/// DWARF's encoding of a builtin type, as Clang chooses it.
unsigned encoding(const clang::BuiltinType *BT) {
  switch (BT->getKind()) {
  case clang::BuiltinType::Bool:
    return llvm::dwarf::DW_ATE_boolean;
  case clang::BuiltinType::Char_S:
  case clang::BuiltinType::SChar:
    return llvm::dwarf::DW_ATE_signed_char;
  case clang::BuiltinType::Char_U:
  case clang::BuiltinType::UChar:
    return llvm::dwarf::DW_ATE_unsigned_char;
  default:
    return BT->isSignedInteger() ? llvm::dwarf::DW_ATE_signed
                                 : llvm::dwarf::DW_ATE_unsigned;
  }
}

/// The layers of T. The attribute handler accepts pointers to void or a
/// struct, and bool, int or unsigned int (through any typedefs), so every
/// chain ends in void, a builtin integer or a record.
StubType describeType(clang::QualType T, const clang::ASTContext &Ctx) {
  const clang::SourceManager &SM = Ctx.getSourceManager();
  StubType Layers;
  auto add = [&](StubTypeLayer::LayerKind Kind, std::string Name = "",
                 const clang::NamedDecl *D = nullptr) -> StubTypeLayer & {
    StubTypeLayer L;
    L.Kind = Kind;
    L.Name = std::move(Name);
    if (D)
      std::tie(L.File, L.Line) = position(SM, D->getLocation());
    Layers.push_back(std::move(L));
    return Layers.back();
  };
  for (;;) {
    clang::Qualifiers Q = T.getLocalQualifiers();
    if (Q.hasConst())
      add(StubTypeLayer::Const);
    if (Q.hasVolatile())
      add(StubTypeLayer::Volatile);
    if (Q.hasRestrict())
      add(StubTypeLayer::Restrict);
    const clang::Type *Ty = T.getTypePtr();
    if (const auto *TT = llvm::dyn_cast<clang::TypedefType>(Ty)) {
      add(StubTypeLayer::Typedef, TT->getDecl()->getName().str(),
          TT->getDecl());
      T = TT->getDecl()->getUnderlyingType();
    } else if (const auto *PT = llvm::dyn_cast<clang::PointerType>(Ty)) {
      add(StubTypeLayer::Pointer).SizeInBits = Ctx.getTypeSize(PT);
      T = PT->getPointeeType();
    } else if (const auto *BT = llvm::dyn_cast<clang::BuiltinType>(Ty)) {
      if (BT->isVoidType()) {
        add(StubTypeLayer::Void);
      } else {
        StubTypeLayer &L = add(
            StubTypeLayer::Basic,
            BT->getName(clang::PrintingPolicy(Ctx.getLangOpts())).str());
        L.SizeInBits = Ctx.getTypeSize(BT);
        L.Encoding = encoding(BT);
      }
      return Layers;
    } else if (const auto *RT = llvm::dyn_cast<clang::RecordType>(Ty)) {
      const clang::RecordDecl *RD = RT->getDecl();
      add(RD->isUnion() ? StubTypeLayer::Union : StubTypeLayer::Struct,
          RD->getName().str(), RD);
      return Layers;
    } else {
      // struct x (elaborated), (x), attributes, macro qualifiers: the type
      // they spell.
      clang::QualType Spelled =
          Ty->getLocallyUnqualifiedSingleStepDesugaredType();
      if (Spelled.getTypePtr() == Ty)
        llvm_unreachable("a pcap_filter stub's types are pointers, "
                         "typedefs, void, builtin integers and records");
      T = Spelled;
    }
  }
}

} // namespace

StubPrototype describePrototype(const clang::FunctionDecl &FD) {
  const clang::ASTContext &Ctx = FD.getASTContext();
  StubPrototype P;
  std::tie(P.File, P.Line) = position(Ctx.getSourceManager(), FD.getLocation());
  P.Return = describeType(FD.getReturnType(), Ctx);
  for (const clang::ParmVarDecl *Param : FD.parameters()) {
    StubParameter Recorded;
    Recorded.Name = Param->getName().str();
    std::tie(Recorded.File, Recorded.Line) =
        position(Ctx.getSourceManager(), Param->getLocation());
    Recorded.Type = describeType(Param->getType(), Ctx);
    P.Parameters.push_back(std::move(Recorded));
  }
  return P;
}

StubDebugTypes::StubDebugTypes(llvm::DIBuilder &DIB, llvm::Module &M,
                               llvm::DICompileUnit *CU)
    : DIB(DIB), CU(CU) {
  Finder.processModule(M);
}

llvm::DIFile *StubDebugTypes::file(const std::string &Name) {
  if (Name.empty() || CU->getFilename() == Name)
    return CU->getFile();
  for (llvm::DIType *T : Finder.types())
    if (T->getFile() && T->getFile()->getFilename() == Name)
      return T->getFile();
  for (llvm::DISubprogram *SP : Finder.subprograms())
    if (SP->getFile() && SP->getFile()->getFilename() == Name)
      return SP->getFile();
  return DIB.createFile(Name, CU->getDirectory());
}

llvm::DIType *StubDebugTypes::existing(unsigned Tag, const std::string &Name) {
  llvm::DIType *Found = nullptr;
  for (llvm::DIType *T : Finder.types()) {
    if (T->getTag() != Tag || T->getName() != Name ||
        llvm::isa_and_nonnull<llvm::DILocalScope>(T->getScope()))
      continue;
    if (!T->isForwardDecl())
      return T;
    Found = T;
  }
  return Found;
}

llvm::DIType *StubDebugTypes::type(const StubType &T, size_t From) {
  const StubTypeLayer &L = T[From];
  auto qualified = [&](unsigned Tag) {
    return DIB.createQualifiedType(Tag, type(T, From + 1));
  };
  switch (L.Kind) {
  case StubTypeLayer::Void:
    return nullptr;
  case StubTypeLayer::Basic:
    return DIB.createBasicType(L.Name, L.SizeInBits, L.Encoding);
  case StubTypeLayer::Pointer:
    return DIB.createPointerType(type(T, From + 1), L.SizeInBits);
  case StubTypeLayer::Const:
    return qualified(llvm::dwarf::DW_TAG_const_type);
  case StubTypeLayer::Volatile:
    return qualified(llvm::dwarf::DW_TAG_volatile_type);
  case StubTypeLayer::Restrict:
    return qualified(llvm::dwarf::DW_TAG_restrict_type);
  case StubTypeLayer::Typedef:
    if (llvm::DIType *Known = existing(llvm::dwarf::DW_TAG_typedef, L.Name))
      return Known;
    return DIB.createTypedef(type(T, From + 1), L.Name, file(L.File), L.Line,
                             /*Context=*/nullptr);
  case StubTypeLayer::Struct:
  case StubTypeLayer::Union: {
    unsigned Tag = L.Kind == StubTypeLayer::Struct
                       ? llvm::dwarf::DW_TAG_structure_type
                       : llvm::dwarf::DW_TAG_union_type;
    if (llvm::DIType *Known = existing(Tag, L.Name))
      return Known;
    ForwardDeclared.push_back(
        (L.Kind == StubTypeLayer::Struct ? "struct " : "union ") + L.Name);
    return DIB.createForwardDecl(Tag, L.Name, CU, file(L.File), L.Line);
  }
  }
  llvm_unreachable("every layer kind is handled");
}

llvm::DISubroutineType *
StubDebugTypes::subroutineType(const StubPrototype &P) {
  llvm::SmallVector<llvm::Metadata *, 3> Types{type(P.Return)};
  for (const StubParameter &Param : P.Parameters)
    Types.push_back(type(Param.Type));
  return DIB.createSubroutineType(DIB.getOrCreateTypeArray(Types));
}

llvm::DILocalVariable *StubDebugTypes::parameter(llvm::DISubprogram *SP,
                                                 const StubPrototype &P,
                                                 unsigned ArgNo) {
  const StubParameter &Param = P.Parameters[ArgNo - 1];
  llvm::DITypeRefArray Types = SP->getType()->getTypeArray();
  return DIB.createParameterVariable(
      SP, Param.Name, ArgNo, file(Param.File), Param.Line,
      ArgNo < Types.size() ? Types[ArgNo] : type(Param.Type),
      /*AlwaysPreserve=*/true);
}

} // namespace pcapfilter
