//===- PcapFilterAttr.cpp - The pcap_filter attribute ---------------------===//
//
// SPDX-License-Identifier: BSD-2-Clause
//
//===----------------------------------------------------------------------===//
//
// Registers `__attribute__((pcap_filter("expr", "option"...)))` and its C23
// spelling `[[pcap_filter(...)]]`. Everything a user can get wrong is
// diagnosed here, while Clang parses, at the offending token:
//
//   - the attribute is on something other than a function;
//   - an argument is not a narrow string literal, or has a NUL inside;
//   - an option is unknown, its value is bad (libpcapf's message), or it
//     is given twice;
//   - the stub has no prototype, or its signature or return type is not a
//     supported form;
//   - two pcap_filter attributes on one declaration, or redeclarations
//     that disagree;
//   - -disable-llvm-passes, which skips the pass that defines stubs;
//   - a stub with packet-pointer parameters is not static (the verifier
//     checks a global function on its own, where packet pointers are not
//     allowed);
//   - the expression does not compile (libpcap's message, at the string);
//   - the access mode does not fit the stub's form, or needs BPF helpers
//     on a target that has none;
//   - the filter needs something the access mode cannot do (protochain's
//     loop, Linux ancillary loads outside skb access), naming the construct;
//   - a run-time stub ("@runtime", __pcap_filter_runtime()) that asks for
//     input=cbpf, which only the loader can choose.
//
// The stub's form, the access modes it takes and whether it returns a
// match come from libpcapf (pcapf_stub_form_*(), pcapf_stub_returns_match()),
// which the loaders ask too, so a declaration and its BTF get one answer.
//
// A run-time stub gets every check that does not need the expression; its
// filter is compiled by the loader (runtime/inject.c), which reads the
// stub's form and options from the object's BTF.
//
// A stub that passes is recorded, with its compiled program, in the
// translation unit's StubTable for the pass. Tests: test/diagnostics/.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "StubTable.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Basic/DiagnosticFrontend.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"

#include <cerrno>
#include <optional>

using namespace clang;

namespace pcapfilter {

std::shared_ptr<StubTable> &currentStubTable() {
  static std::shared_ptr<StubTable> Table;
  return Table;
}

void completeStubs(StubTable &Table) {
  for (auto &Entry : Table.Stubs) {
    Stub &S = Entry.second;
    const FunctionDecl *Latest = S.Decl->getMostRecentDecl();
    S.Linkage = Latest->isExternallyVisible() ? StubLinkage::External
                                              : StubLinkage::Internal;
    if (Latest->hasAttr<NoInlineAttr>())
      S.Inline = StubInline::Never;
    else if (Latest->hasAttr<AlwaysInlineAttr>())
      S.Inline = StubInline::Always;
    S.Prototype = describePrototype(*Latest);
    S.Decl = nullptr;
  }
}

namespace {

template <unsigned N>
Sema::SemaDiagnosticBuilder error(Sema &S, SourceLocation Loc, const char (&Fmt)[N]) {
  DiagnosticsEngine &D = S.getDiagnostics();
  return S.Diag(Loc, D.getCustomDiagID(DiagnosticsEngine::Error, Fmt));
}

template <unsigned N>
Sema::SemaDiagnosticBuilder note(Sema &S, SourceLocation Loc, const char (&Fmt)[N]) {
  DiagnosticsEngine &D = S.getDiagnostics();
  return S.Diag(Loc, D.getCustomDiagID(DiagnosticsEngine::Note, Fmt));
}

/// The attribute's arguments, each a narrow string literal (plain or u8,
/// the bytes libpcap reads) without a NUL inside: libpcap and the option
/// parser take C strings, so a NUL would silently end the filter there.
bool collectArguments(Sema &S, const ParsedAttr &Attr,
                      SmallVectorImpl<const StringLiteral *> &Args) {
  for (unsigned I = 0; I < Attr.getNumArgs(); ++I) {
    // The parser keeps a lone identifier of an attribute it does not know
    // as an identifier, not an expression.
    if (Attr.isArgIdent(I)) {
      const IdentifierLoc *Id = Attr.getArgAsIdent(I);
      error(S, Id->Loc, "'pcap_filter' argument %0 must be a string "
                        "literal, not the identifier %1")
          << (I + 1) << Id->Ident;
      return false;
    }
    const Expr *E = Attr.getArgAsExpr(I);
    const auto *Lit = dyn_cast_or_null<StringLiteral>(
        E ? E->IgnoreParenImpCasts() : nullptr);
    SourceLocation Loc = E ? E->getBeginLoc() : Attr.getLoc();
    if (!Lit) {
      error(S, Loc, "'pcap_filter' argument %0 must be a string literal")
          << (I + 1);
      return false;
    }
    if (!compat::isOrdinary(*Lit) && !Lit->isUTF8()) {
      error(S, Loc, "'pcap_filter' argument %0 must be a narrow string "
                    "literal (\"...\" or u8\"...\"), not a wide one")
          << (I + 1);
      return false;
    }
    size_t Nul = Lit->getString().find('\0');
    if (Nul != StringRef::npos) {
      error(S,
            Lit->getLocationOfByte(Nul, S.getSourceManager(), S.getLangOpts(),
                                   S.getASTContext().getTargetInfo()),
            "'pcap_filter' argument %0 contains a NUL character, which "
            "would end it there")
          << (I + 1);
      return false;
    }
    Args.push_back(Lit);
  }
  return true;
}

/// Parses the option strings into Opts. Each option may be given once: a
/// second one (the same or another value) is an error naming both, not a
/// silent override. AccessArg is the option that set the access mode.
/// Opts points into Strings, which must outlive it.
bool parseOptions(Sema &S, ArrayRef<const StringLiteral *> Options,
                  pcapf_opts &Opts, std::vector<std::string> &Strings,
                  const StringLiteral *&AccessArg) {
  char Errbuf[PCAPF_ERRBUF_SIZE];
  llvm::StringMap<const StringLiteral *> Given; // by option name
  Strings.reserve(Options.size());
  for (const StringLiteral *Option : Options) {
    Strings.push_back(Option->getString().str());
    if (pcapf_opts__parse(&Opts, Strings.back().c_str(), Errbuf)) {
      error(S, Option->getBeginLoc(), "invalid pcap_filter option: %0")
          << Errbuf;
      return false;
    }
    StringRef Name = Option->getString().split('=').first;
    auto [It, First] = Given.try_emplace(Name, Option);
    if (!First) {
      error(S, Option->getBeginLoc(),
            "pcap_filter option '%0' after '%1': each option may be given "
            "once")
          << Option->getString() << It->second->getString();
      note(S, It->second->getBeginLoc(), "'%0' is given here")
          << It->second->getString();
      return false;
    }
    if (Opts.access != PCAPF_ACCESS_DEFAULT && !AccessArg)
      AccessArg = Option;
  }
  return true;
}

/// What a stub's parameter points to, as pcapf_stub_form_find() reads it:
/// "void", a struct's name, or nothing (std::nullopt) for anything else.
std::optional<std::string> pointee(QualType T) {
  if (!T->isPointerType())
    return std::nullopt;
  QualType P = T->getPointeeType();
  if (P->isVoidType())
    return std::string("void");
  if (const RecordType *RT = P->getAs<RecordType>())
    return RT->getDecl()->getName().str();
  return std::nullopt;
}

/// The stub's form, decided by libpcapf as the loaders decide it from BTF.
std::optional<pcapf_stub_form> classifySignature(const FunctionDecl *FD) {
  if (FD->isVariadic())
    return std::nullopt;
  std::optional<std::string> Pointee[2];
  const char *Param[2] = {nullptr, nullptr};
  for (unsigned I = 0; I < 2 && I < FD->getNumParams(); ++I)
    if ((Pointee[I] = pointee(FD->getParamDecl(I)->getType())))
      Param[I] = Pointee[I]->c_str();
  int Form = pcapf_stub_form_find(FD->getNumParams(), Param, nullptr);
  if (Form < 0)
    return std::nullopt;
  return static_cast<pcapf_stub_form>(Form);
}

/// Every stub form, as the messages list them: "(void *data, void
/// *data_end), (struct xdp_md *ctx) or (struct __sk_buff *skb)". libpcapf
/// knows a form by its access modes.
std::string stubFormList() {
  unsigned Count = 0;
  while (pcapf_stub_form_modes(static_cast<pcapf_stub_form>(Count), nullptr))
    ++Count;
  std::string List;
  for (unsigned I = 0; I < Count; ++I)
    List += std::string(I == 0 ? "" : I + 1 == Count ? " or " : ", ") +
            pcapf_stub_form_name(static_cast<pcapf_stub_form>(I));
  return List;
}

/// Whether a stub returning T returns a match rather than the filter's
/// value (libpcapf decides, as it does for the loaders); std::nullopt for a
/// type other than bool, int and __u32, which a stub may not return.
std::optional<bool> returnsMatch(const ASTContext &Ctx, QualType T) {
  T = T.getCanonicalType().getUnqualifiedType();
  if (T != Ctx.BoolTy && T != Ctx.IntTy && T != Ctx.UnsignedIntTy)
    return std::nullopt;
  return pcapf_stub_returns_match(Ctx.getTypeSizeInChars(T).getQuantity(),
                                  T->isSignedIntegerType(),
                                  T->isBooleanType());
}

struct PcapFilterAttrInfo : public ParsedAttrInfo {
  static constexpr Spelling S[] = {{ParsedAttr::AS_GNU, "pcap_filter"},
                                   {compat::C23Syntax, "pcap_filter"}};

  PcapFilterAttrInfo() {
    NumArgs = 1;  // the expression
    OptArgs = 15; // option strings
    Spellings = S;
  }

  bool diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr,
                            const Decl *D) const override {
    if (isa<FunctionDecl>(D))
      return true;
    error(S, Attr.getLoc(), "'pcap_filter' attribute only applies to "
                            "functions");
    return false;
  }

  AttrHandling handleDeclAttribute(Sema &S, Decl *D,
                                   const ParsedAttr &Attr) const override {
    auto *FD = cast<FunctionDecl>(D);
    std::shared_ptr<StubTable> Table = currentStubTable();
    if (!Table) {
      error(S, Attr.getLoc(), "'pcap_filter' needs the pcapfilter plugin "
                              "action; load it with -fplugin");
      return AttributeNotApplied;
    }
    if (S.getLangOpts().CPlusPlus) {
      error(S, Attr.getLoc(), "'pcap_filter' stubs are supported in C only");
      return AttributeNotApplied;
    }

    if (Table->PassesDisabled) {
      error(S, Attr.getLoc(),
            "'pcap_filter' stubs are defined by an LLVM pass, which "
            "-disable-llvm-passes skips: the stub would stay undefined");
      return AttributeNotApplied;
    }

    SmallVector<const StringLiteral *, 16> Args;
    if (!collectArguments(S, Attr, Args))
      return AttributeNotApplied;
    pcapf_opts Opts = {};
    Opts.sz = sizeof(Opts);
    std::vector<std::string> OptionStrings; // Opts points into these
    const StringLiteral *AccessArg = nullptr; // the option that set access
    if (!parseOptions(S, ArrayRef<const StringLiteral *>(Args).drop_front(), Opts, OptionStrings,
                      AccessArg))
      return AttributeNotApplied;
    bool Runtime = Args[0]->getString() == RuntimeMarker;
    if (Runtime && Opts.cbpf) {
      const StringLiteral *Input = nullptr;
      for (const StringLiteral *Option : ArrayRef<const StringLiteral *>(Args).drop_front())
        if (compat::startsWith(Option->getString(), "input="))
          Input = Option;
      error(S, Input->getBeginLoc(),
            "a run-time pcap_filter stub takes its input from the loader; "
            "'%0' does not apply")
          << Input->getString();
      return AttributeNotApplied;
    }
    // The expression and its options, to compare redeclarations.
    std::string Filter = Args[0]->getString().str();
    for (const std::string &Option : OptionStrings)
      Filter += '\0' + Option;

    if (!FD->hasPrototype()) {
      error(S, FD->getLocation(),
            "pcap_filter stub %0 has no prototype: declare its parameters "
            "in the declarator, as %1")
          << FD << stubFormList();
      return AttributeNotApplied;
    }
    std::optional<pcapf_stub_form> Form = classifySignature(FD);
    if (!Form) {
      error(S, FD->getLocation(),
            "unsupported pcap_filter stub signature %0: expected %1")
          << FD->getType() << stubFormList();
      return AttributeNotApplied;
    }
    // The form decides the access unless an option picks another one the
    // form supports (only then can this fail, so AccessArg is set).
    char Errbuf[PCAPF_ERRBUF_SIZE];
    int Access = pcapf_stub_form_access(*Form, Opts.access,
                                        FD->getName().str().c_str(), Errbuf);
    if (Access < 0) {
      error(S, AccessArg->getBeginLoc(), "%0") << Errbuf;
      return AttributeNotApplied;
    }
    Opts.access = static_cast<pcapf_access>(Access);
    if (Opts.access != PCAPF_ACCESS_DIRECT &&
        !compat::isBPF(S.getASTContext().getTargetInfo().getTriple())) {
      error(S, Args[0]->getBeginLoc(),
            "access=%0 calls BPF helpers; it needs -target bpf")
          << pcapf_access_name(Opts.access);
      return AttributeNotApplied;
    }
    // Code for the host reads whatever the caller hands it; on BPF the
    // access mode's default range (the verifier's) applies.
    if (!compat::isBPF(S.getASTContext().getTargetInfo().getTriple()))
      Opts.packet_range = UINT32_MAX;
    std::optional<bool> ReturnsMatch =
        returnsMatch(S.getASTContext(), FD->getReturnType());
    if (!ReturnsMatch) {
      error(S, FD->getReturnTypeSourceRange().getBegin(),
            "pcap_filter stub must return bool, int or __u32, not %0")
          << FD->getReturnType();
      return AttributeNotApplied;
    }
    if (*Form == PCAPF_STUB_POINTERS &&
        FD->getStorageClass() != SC_Static) {
      error(S, FD->getLocation(),
            "pcap_filter stub %0 with packet-pointer parameters must be "
            "static: the verifier checks a global function on its own, "
            "where packet pointers are not allowed")
          << FD;
      return AttributeNotApplied;
    }

    // Redeclarations must agree; the first one compiled is kept.
    auto It = Table->Stubs.find(FD->getName());
    if (It != Table->Stubs.end()) {
      Stub &Old = It->second;
      if (Old.Decl == FD) {
        error(S, Attr.getLoc(),
              "two pcap_filter attributes on one declaration of %0")
            << FD;
        note(S, Old.AttrLoc, "the first pcap_filter attribute is here");
        return AttributeNotApplied;
      }
      if (Old.Filter != Filter) {
        error(S, Args[0]->getBeginLoc(),
              "conflicting pcap_filter on redeclaration of %0")
            << FD;
        note(S, Old.AttrLoc, "the previous pcap_filter attribute is here");
        return AttributeNotApplied;
      }
      Old.Decl = FD;
      Old.AttrLoc = Attr.getLoc();
      return AttributeApplied;
    }

    SourceManager &SM = S.getSourceManager();
    PresumedLoc PLoc = SM.getPresumedLoc(Attr.getLoc());
    auto record = [&]() -> Stub & {
      Stub &New = Table->Stubs[FD->getName()];
      New.Decl = FD;
      New.AttrLoc = Attr.getLoc();
      New.Form = *Form;
      New.ReturnsMatch = *ReturnsMatch;
      New.Filter = std::move(Filter);
      New.Line = PLoc.isValid() ? PLoc.getLine() : 0;
      New.Column = PLoc.isValid() ? PLoc.getColumn() : 0;
      return New;
    };
    if (Runtime) {
      if (!compat::isBPF(S.getASTContext().getTargetInfo().getTriple())) {
        error(S, Args[0]->getBeginLoc(),
              "a run-time pcap_filter stub is filled in by a BPF loader; it "
              "needs -target bpf");
        return AttributeNotApplied;
      }
      if (!Table->RuntimeDeclTags && Args.size() > 1) {
        error(S, Args[1]->getBeginLoc(),
              "a run-time stub's options reach the loader as BTF decl tags, "
              "which -fplugin-arg-pcapfilter-no-decl-tags leaves out: give "
              "'%0' to the loader instead")
            << Args[1]->getString();
        return AttributeNotApplied;
      }
      Stub &New = record();
      New.Runtime = true;
      New.DeclTags = Table->RuntimeDeclTags;
      New.Options = std::move(OptionStrings);
      return AttributeApplied;
    }

    pcapf_prog *Prog =
        pcapf_prog__compile(Args[0]->getString().str().c_str(), &Opts, Errbuf);
    if (!Prog) {
      if (errno == EOPNOTSUPP)
        error(S, Args[0]->getBeginLoc(),
              "pcap filter cannot be translated: %0")
            << Errbuf;
      else
        error(S, Args[0]->getBeginLoc(), "invalid pcap filter: %0") << Errbuf;
      return AttributeNotApplied;
    }

    // libpcap's optimiser found the filter can match nothing: a valid
    // filter (the stub returns 0), but almost certainly not what was meant.
    // -Wbackend-plugin is Clang's group for plugin warnings, so
    // -Wno-backend-plugin silences it and -Werror=backend-plugin rejects it.
    if (pcapf_prog__rejects_all(Prog))
      S.Diag(Args[0]->getBeginLoc(), diag::warn_fe_backend_plugin)
          << ("pcap filter matches no packet (libpcap: expression rejects "
              "all packets); the stub returns 0");

    record().Prog.reset(Prog, ProgDeleter());
    return AttributeApplied;
  }
};

constexpr ParsedAttrInfo::Spelling PcapFilterAttrInfo::S[];

} // namespace
} // namespace pcapfilter

static clang::ParsedAttrInfoRegistry::Add<pcapfilter::PcapFilterAttrInfo>
    X("pcap_filter", "compile a pcap filter into the function's body");
