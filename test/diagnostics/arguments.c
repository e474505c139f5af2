// The attribute's arguments: a non-literal, a NUL inside a string, u8 and
// wide literals, repeated options, a stub without a prototype, two
// attributes on one declaration. Both targets give the same diagnostics, at
// the token concerned (a lone identifier used to crash with -target bpf and
// be reported at a random location with the host target).
// Clang 14 does not warn about the K&R definition yet (prefix knr).
// RUN: %clang_bpf -fsyntax-only -ferror-limit=0 -Xclang -verify=expected%if !clang-14 %{,knr%} %s
// RUN: %clang -target x86_64-linux-gnu %plugin_flags -I%S/../../include -fsyntax-only -ferror-limit=0 -Xclang -verify=expected%if !clang-14 %{,knr%} %s
#include <pcap_filter.h>

static const char expr[] = "tcp";
// expected-error@+1 {{'pcap_filter' argument 1 must be a string literal, not the identifier 'expr'}}
static unsigned int identifier(void *d, void *e) __pcap_filter(expr);
// Only a first argument is parsed as an identifier; later ones are expressions.
// expected-error@+1 {{'pcap_filter' argument 2 must be a string literal}}
static unsigned int identifier_option(void *d, void *e) __pcap_filter("ip", expr);
// expected-error@+1 {{'pcap_filter' argument 1 must be a string literal}}
static unsigned int expression(void *d, void *e) __pcap_filter(expr + 1);

// expected-error@+1 {{'pcap_filter' argument 1 contains a NUL character, which would end it there}}
static unsigned int nul_in_expression(void *d, void *e) __pcap_filter("tcp\0port 80");
// expected-error@+1 {{'pcap_filter' argument 2 contains a NUL character}}
static unsigned int nul_in_option(void *d, void *e) __pcap_filter("tcp", "snaplen=100\0junk");

// u8"..." is a narrow string of the same bytes; wide ones are not.
static unsigned int utf8(void *d, void *e) __pcap_filter(u8"tcp port 80", u8"snaplen=100");
// expected-error@+1 {{'pcap_filter' argument 1 must be a narrow string literal ("..." or u8"..."), not a wide one}}
static unsigned int wide(void *d, void *e) __pcap_filter(L"tcp port 80");
// expected-error@+1 {{'pcap_filter' argument 1 must be a narrow string literal}}
static unsigned int utf16(void *d, void *e) __pcap_filter(u"tcp port 80");
// expected-error@+1 {{'pcap_filter' argument 2 must be a narrow string literal}}
static unsigned int utf32(void *d, void *e) __pcap_filter("tcp", U"snaplen=100");

// Each option once: a repeat is an error at the second, a note at the first.
// expected-error@+2 {{pcap_filter option 'snaplen=200' after 'snaplen=100': each option may be given once}}
// expected-note@+1 {{'snaplen=100' is given here}}
static unsigned int two_snaplens(void *d, void *e) __pcap_filter("tcp", "snaplen=100", "snaplen=200");
// expected-error@+2 {{pcap_filter option 'linktype=RAW' after 'linktype=EN10MB'}}
// expected-note@+1 {{'linktype=EN10MB' is given here}}
static unsigned int two_linktypes(void *d, void *e) __pcap_filter("tcp", "linktype=EN10MB", "linktype=RAW");
// expected-error@+2 {{pcap_filter option 'access=direct' after 'access=direct'}}
// expected-note@+1 {{'access=direct' is given here}}
static unsigned int same_twice(void *d, void *e) __pcap_filter("tcp", "access=direct", "access=direct");
// expected-error@+2 {{pcap_filter option 'input=cbpf' after 'input=cbpf'}}
// expected-note@+1 {{'input=cbpf' is given here}}
static unsigned int cbpf_twice(void *d, void *e) __pcap_cbpf("1,6 0 0 1", "input=cbpf");

// A declaration without a prototype, and a K&R definition.
// expected-error@+1 {{pcap_filter stub 'no_prototype' has no prototype: declare its parameters in the declarator, as (void *data, void *data_end), (struct xdp_md *ctx) or (struct __sk_buff *skb)}}
static unsigned int no_prototype() __pcap_filter("tcp");
// expected-error@+2 {{pcap_filter stub 'knr' has no prototype}}
// knr-warning@+1 {{a function definition without a prototype is deprecated}}
__attribute__((pcap_filter("tcp"))) static unsigned int knr(d, e) void *d; void *e; { return 0; }

// Two attributes on one declaration, whether or not they agree.
// expected-error@+2 {{two pcap_filter attributes on one declaration of 'twice'}}
// expected-note@+1 {{the first pcap_filter attribute is here}}
static unsigned int twice(void *d, void *e) __pcap_filter("tcp") __pcap_filter("tcp");
// expected-error@+2 {{two pcap_filter attributes on one declaration of 'conflicting'}}
// expected-note@+1 {{the first pcap_filter attribute is here}}
static unsigned int conflicting(void *d, void *e) __pcap_filter("tcp") __pcap_filter("udp");

// Redeclarations: the same filter again is fine, another is an error with
// a note at the previous one.
static unsigned int redeclared(void *d, void *e) __pcap_filter("tcp");
// expected-note@+1 {{the previous pcap_filter attribute is here}}
static unsigned int redeclared(void *d, void *e) __pcap_filter("tcp");
// expected-error@+1 {{conflicting pcap_filter on redeclaration of 'redeclared'}}
static unsigned int redeclared(void *d, void *e) __pcap_filter("udp");

unsigned int use(void *d, void *e) { return utf8(d, e) + redeclared(d, e); }
