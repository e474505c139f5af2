// SPDX-License-Identifier: BSD-2-Clause

// Package pcapfilter puts tcpdump filter expressions into eBPF programs
// loaded with cilium/ebpf, at run time: the Go side of libpcapf (cgo,
// linked through pkg-config's "pcapfilter"). It is meant for the tools
// that use elibpcap today and keeps elibpcap's call shape:
//
//	spec.Instructions, err = pcapfilter.Inject(expr, spec.Instructions,
//		pcapfilter.Options{AtBpf2Bpf: "match"})
//
// The BPF C program declares the stub with the pcapfilter Clang plugin,
//
//	static __u32 match(void *data, void *data_end) __pcap_filter_runtime();
//
// and Inject replaces the stub's placeholder body with the filter, which
// returns exactly what libpcap's bpf_filter() returns for the same bytes.
// Compile gives the filter alone, under the register contract of the C
// API (docs/runtime.md, "The contract for other loaders").
//
// It uses only what cilium/ebpf 0.9.1 and its current releases share:
// asm.Instructions with their Symbol, Reference and Source, the exported
// Metadata field, btf.FuncMetadata and the btf types of a function's
// prototype. cilium/ebpf 0.9 cannot parse BTF decl tags, which the plugin
// puts on run-time stubs for libbpf loaders; compile with
// -fplugin-arg-pcapfilter-no-decl-tags for it, and give every option here.
package pcapfilter

/*
#cgo pkg-config: pcapfilter
#include <errno.h>
#include <stdlib.h>
#include <pcapf.h>

// One call from Go: compile and lower, so that Go never lays out the
// option structs (zero-length bit-fields, size_t sz) itself.
static int pcapfgo_compile(const char *expr, const char *linktype,
			   uint32_t snaplen, int access, uint32_t protochain_depth,
			   int wrap, unsigned cpu, bool match,
			   const uint8_t *inline_regs, int16_t inline_stack,
			   struct pcapf_ebpf_insn **insns, size_t *cnt,
			   char *errbuf)
{
	PCAPF_OPTS(opts, .linktype = linktype, .snaplen = snaplen,
		   .access = (enum pcapf_access)access,
		   .protochain_depth = protochain_depth);
	PCAPF_EBPF_OPTS(eopts, .wrap = (enum pcapf_ebpf_wrap)wrap, .cpu = cpu,
			.match = match);
	struct pcapf_prog *prog;
	int err;

	if (wrap == PCAPF_EBPF_INLINE) {
		for (int i = 0; i < 2; i++)
			eopts.inline_in[i] = inline_regs[i];
		for (int i = 0; i < 4; i++)
			eopts.inline_work[i] = inline_regs[2 + i];
		eopts.inline_result = inline_regs[6];
		eopts.inline_stack = inline_stack;
	}
	prog = pcapf_prog__compile(expr, &opts, errbuf);
	if (!prog)
		return -errno;
	err = pcapf_prog__emit_ebpf(prog, &eopts, insns, cnt, errbuf);
	pcapf_prog__free(prog);
	return err;
}

// pcapf_stub_form_find() with the two parameters apart, for cgo.
static int pcapfgo_stub_form(size_t nparams, const char *param0,
			     const char *param1, char *errbuf)
{
	const char *const param[2] = {param0, param1};

	return pcapf_stub_form_find(nparams, param, errbuf);
}
*/
import "C"

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Access is how the filter reads packet bytes (include/pcapf.h, enum
// pcapf_access; the values are the same).
type Access int

const (
	// AccessDefault: the stub form's default, direct for packet pointers
	// and xdp_md, skb for __sk_buff (Compile: direct).
	AccessDefault Access = iota
	// AccessDirect reads packet pointers, bounds-checked against data_end.
	AccessDirect
	// AccessSkb reads the linear head of a __sk_buff directly and calls
	// bpf_skb_load_bytes() beyond it; Linux extensions have their kernel
	// meaning.
	AccessSkb
	// AccessSkbLoadBytes calls bpf_skb_load_bytes() for every load
	// (socket filters).
	AccessSkbLoadBytes
	// AccessProbe: data and data_end are kernel addresses, read with
	// bpf_probe_read_kernel() (tracing programs; elibpcap's DirectRead:
	// false).
	AccessProbe
)

// Options says where the filter goes and how it is compiled. The zero
// value of each field is libpcapf's default.
type Options struct {
	// AtBpf2Bpf is the symbol of the run-time stub Inject fills, as in
	// elibpcap. Compile ignores it.
	AtBpf2Bpf string
	// Access: see the constants.
	Access Access
	// LinkType is a libpcap link-type name or DLT number: "" is EN10MB
	// (frames with an Ethernet header, elibpcap's L2Skb: true), "RAW"
	// packets that start at the IP header (elibpcap's default).
	LinkType string
	// Snaplen is the value a match returns, at most 262144 (0: 262144).
	Snaplen uint32
	// ProtochainDepth is how many extension headers protochain's unrolled
	// loop follows at most (1..128; 0: the default, 100).
	ProtochainDepth uint32
	// CPU is the instruction set, as clang's -mcpu=vN (1..4; 0: 3).
	CPU int
}

// The wraps of include/pcapf.h's enum pcapf_ebpf_wrap.
const (
	wrapSubprog = C.PCAPF_EBPF_SUBPROG
	wrapInline  = C.PCAPF_EBPF_INLINE
)

// InlineRegisters is the contract of CompileInline's code (the inline_*
// fields of struct pcapf_ebpf_opts): it reads the packet from In (data and
// data_end, or the __sk_buff in In[0]) and never writes them, changes only
// Work (R6-R9 for the access modes that call helpers, which also change
// R0-R5), leaves the u32 result in Result and uses the stack below
// StackTop (a multiple of 8, at most 0), InlineStack bytes at most.
type InlineRegisters struct {
	In       [2]asm.Register
	Work     [4]asm.Register
	Result   asm.Register
	StackTop int16
}

// InlineStack is the most stack CompileInline's code uses below StackTop.
const InlineStack = C.PCAPF_EBPF_INLINE_STACK

// Compile returns the filter as the body of a BPF-to-BPF subprogram with
// the plugin's stub convention: R1 = data and R2 = data_end (or R1 = the
// __sk_buff for the skb access modes), the filter's u32 result in R0 at
// every Exit (the snap length on a match, 0 otherwise). Jumps are relative
// and stay inside; there is no map, call of a subprogram or relocation.
func Compile(filter string, opts Options) (asm.Instructions, error) {
	return compile(filter, opts, wrapSubprog, false, nil)
}

// CompileInline returns the filter as code to put inside a function, with
// no Exit: every path goes on after its last instruction.
func CompileInline(filter string, opts Options, regs InlineRegisters) (asm.Instructions, error) {
	return compile(filter, opts, wrapInline, false, &regs)
}

// compile lowers the filter in the wrap; match: the result is 1 on a
// match instead of the filter's value.
func compile(filter string, opts Options, wrap C.int, match bool, regs *InlineRegisters) (asm.Instructions, error) {
	cexpr := C.CString(filter)
	defer C.free(unsafe.Pointer(cexpr))
	var clinktype *C.char
	if opts.LinkType != "" {
		clinktype = C.CString(opts.LinkType)
		defer C.free(unsafe.Pointer(clinktype))
	}
	var inlineRegs [7]C.uint8_t
	var stackTop C.int16_t
	if regs != nil {
		for i, r := range append(append(regs.In[:], regs.Work[:]...), regs.Result) {
			inlineRegs[i] = C.uint8_t(r)
		}
		stackTop = C.int16_t(regs.StackTop)
	}
	var errbuf [C.PCAPF_ERRBUF_SIZE]C.char
	var insns *C.struct_pcapf_ebpf_insn
	var cnt C.size_t
	if rc := C.pcapfgo_compile(cexpr, clinktype, C.uint32_t(opts.Snaplen), C.int(opts.Access),
		C.uint32_t(opts.ProtochainDepth), wrap, C.uint(opts.CPU), C.bool(match), &inlineRegs[0], stackTop,
		&insns, &cnt, &errbuf[0]); rc != 0 {
		return nil, &Error{Filter: filter, Msg: C.GoString(&errbuf[0])}
	}
	defer C.free(unsafe.Pointer(insns))
	raw := C.GoBytes(unsafe.Pointer(insns), C.int(cnt*C.sizeof_struct_pcapf_ebpf_insn))
	var out asm.Instructions
	if err := out.Unmarshal(bytes.NewReader(raw), nativeEndian()); err != nil {
		return nil, fmt.Errorf("pcapfilter: decoding libpcapf's eBPF: %w", err)
	}
	return out, nil
}

// Error is libpcapf's message for a filter it cannot compile: libpcap's
// own ("syntax error", "unknown host 'x'") or what cannot be translated.
type Error struct {
	Stub   string // the stub, for Inject
	Filter string
	Msg    string
}

func (e *Error) Error() string {
	if e.Stub != "" {
		return fmt.Sprintf("pcapfilter: filter %q for stub %q: %s", e.Filter, e.Stub, e.Msg)
	}
	return fmt.Sprintf("pcapfilter: filter %q: %s", e.Filter, e.Msg)
}

// ErrNoStub: Inject found no function of that symbol.
var ErrNoStub = errors.New("no such function")

// Inject returns insns with the filter in place of the body of the
// run-time stub opts.AtBpf2Bpf, a function of the program (its Symbol):
// the stub's first instruction keeps its symbol, func info and line, now
// on the filter's first instruction, so calls to it (each of them) reach
// the filter, the kernel gets consistent func info and line info, and
// bpftool shows the filter under the stub's declaration. insns itself is
// not changed. The stub's form and result come from its BTF prototype (the
// program must be compiled with -g): a bool or int stub gets 1 on a match,
// a __u32 one the filter's value. Inject again for each further stub.
func Inject(filter string, insns asm.Instructions, opts Options) (asm.Instructions, error) {
	stub := opts.AtBpf2Bpf
	if stub == "" {
		return nil, errors.New("pcapfilter: Options.AtBpf2Bpf names no stub")
	}
	start := -1
	for i := range insns {
		if insns[i].Symbol() == stub {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("pcapfilter: stub %q: %w in the program", stub, ErrNoStub)
	}
	end := start + 1
	for end < len(insns) && insns[end].Symbol() == "" {
		end++
	}
	fn := btf.FuncMetadata(&insns[start])
	if fn == nil {
		return nil, fmt.Errorf("pcapfilter: stub %q has no BTF func info: compile the program with -g", stub)
	}
	proto, ok := fn.Type.(*btf.FuncProto)
	if !ok {
		return nil, fmt.Errorf("pcapfilter: stub %q: BTF FUNC without a prototype", stub)
	}
	form, err := stubForm(stub, proto)
	if err != nil {
		return nil, err
	}
	cstub := C.CString(stub)
	defer C.free(unsafe.Pointer(cstub))
	var errbuf [C.PCAPF_ERRBUF_SIZE]C.char
	access := C.pcapf_stub_form_access(form, C.enum_pcapf_access(opts.Access), cstub, &errbuf[0])
	if access < 0 {
		return nil, fmt.Errorf("pcapfilter: %s", C.GoString(&errbuf[0]))
	}
	opts.Access = Access(access)
	// A bool or int stub's body returns 1 on a match itself.
	body, err := compile(filter, opts, C.int(C.pcapf_stub_form_wrap(form)), returnsMatch(proto), nil)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Stub = stub
		}
		return nil, err
	}
	body[0].Metadata = insns[start].Metadata
	out := make(asm.Instructions, 0, len(insns)-(end-start)+len(body))
	out = append(out, insns[:start]...)
	out = append(out, body...)
	return append(out, insns[end:]...), nil
}

func (a Access) String() string {
	return C.GoString(C.pcapf_access_name(C.enum_pcapf_access(a)))
}

// stubForm is the stub's form (libpcapf's pcapf_stub_form_find()) from
// what the parameters of its BTF prototype point to.
func stubForm(stub string, proto *btf.FuncProto) (C.enum_pcapf_stub_form, error) {
	var params [2]*C.char
	for i := 0; i < len(proto.Params) && i < len(params); i++ {
		if p := pointee(proto.Params[i].Type); p != "" {
			params[i] = C.CString(p)
			defer C.free(unsafe.Pointer(params[i]))
		}
	}
	var errbuf [C.PCAPF_ERRBUF_SIZE]C.char
	form := C.pcapfgo_stub_form(C.size_t(len(proto.Params)), params[0], params[1], &errbuf[0])
	if form < 0 {
		return 0, fmt.Errorf("pcapfilter: stub %q: %s", stub, C.GoString(&errbuf[0]))
	}
	return C.enum_pcapf_stub_form(form), nil
}

// returnsMatch: the stub returns 1 or 0 rather than the filter's value
// (libpcapf's pcapf_stub_returns_match()).
func returnsMatch(proto *btf.FuncProto) bool {
	ret, ok := skipQualifiers(proto.Return).(*btf.Int)
	if !ok {
		return bool(C.pcapf_stub_returns_match(0, false, false))
	}
	return bool(C.pcapf_stub_returns_match(C.uint32_t(ret.Size),
		C.bool(ret.Encoding&btf.Signed != 0), C.bool(ret.Encoding&btf.Bool != 0)))
}

func skipQualifiers(t btf.Type) btf.Type {
	for {
		switch q := t.(type) {
		case *btf.Typedef:
			t = q.Type
		case *btf.Const:
			t = q.Type
		case *btf.Volatile:
			t = q.Type
		case *btf.Restrict:
			t = q.Type
		default:
			return t
		}
	}
}

// pointee is what a parameter of type t points to, as
// pcapf_stub_form_find() takes it: "void", a struct's name, or "" for
// anything else.
func pointee(t btf.Type) string {
	p, ok := skipQualifiers(t).(*btf.Pointer)
	if !ok {
		return ""
	}
	switch target := skipQualifiers(p.Target).(type) {
	case *btf.Void:
		return "void"
	case *btf.Struct:
		return target.Name
	}
	return ""
}

func nativeEndian() binary.ByteOrder {
	x := uint16(1)
	if *(*byte)(unsafe.Pointer(&x)) == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}
