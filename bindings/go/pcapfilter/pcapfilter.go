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
			   int wrap, unsigned cpu, const uint8_t *inline_regs,
			   int16_t inline_stack, struct pcapf_ebpf_insn **insns,
			   size_t *cnt, char *errbuf)
{
	PCAPF_OPTS(opts, .linktype = linktype, .snaplen = snaplen,
		   .access = (enum pcapf_access)access,
		   .protochain_depth = protochain_depth);
	PCAPF_EBPF_OPTS(eopts, .wrap = (enum pcapf_ebpf_wrap)wrap, .cpu = cpu);
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
	// ProtochainDepth unrolls protochain's loop to follow at most this
	// many extension headers (1..64); 0 leaves protochain an error.
	ProtochainDepth uint32
	// CPU is the instruction set, as clang's -mcpu=vN (1..4; 0: 3).
	CPU int
}

// The wraps of include/pcapf.h's enum pcapf_ebpf_wrap.
const (
	wrapSubprog = C.PCAPF_EBPF_SUBPROG
	wrapXDP     = C.PCAPF_EBPF_XDP
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
	return compile(filter, opts, wrapSubprog, nil)
}

// CompileInline returns the filter as code to put inside a function, with
// no Exit: every path goes on after its last instruction.
func CompileInline(filter string, opts Options, regs InlineRegisters) (asm.Instructions, error) {
	return compile(filter, opts, wrapInline, &regs)
}

func compile(filter string, opts Options, wrap C.int, regs *InlineRegisters) (asm.Instructions, error) {
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
		C.uint32_t(opts.ProtochainDepth), wrap, C.uint(opts.CPU), &inlineRegs[0], stackTop,
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

// The stub forms of pcap_filter.h, by parameters.
type stubForm int

const (
	formPointers stubForm = iota // (void *data, void *data_end)
	formXDP                      // (struct xdp_md *ctx)
	formSkb                      // (struct __sk_buff *skb)
)

// The access modes each form can use, its default first (as the plugin
// and libpcapf_bpf take them).
var formModes = map[stubForm][]Access{
	formPointers: {AccessDirect, AccessProbe},
	formXDP:      {AccessDirect},
	formSkb:      {AccessSkb, AccessSkbLoadBytes},
}

var formNames = map[stubForm]string{
	formPointers: "(void *data, void *data_end)",
	formXDP:      "(struct xdp_md *ctx)",
	formSkb:      "(struct __sk_buff *skb)",
}

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
	form, match := stubShape(proto)
	modes := formModes[form]
	if opts.Access == AccessDefault {
		opts.Access = modes[0]
	}
	fits := false
	for _, m := range modes {
		fits = fits || m == opts.Access
	}
	if !fits {
		return nil, fmt.Errorf("pcapfilter: access %s does not fit stub %q %s; it supports: %s",
			opts.Access, stub, formNames[form], modesString(modes))
	}
	wrap := C.int(wrapSubprog)
	if form == formXDP {
		wrap = wrapXDP
	}
	body, err := compile(filter, opts, wrap, nil)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Stub = stub
		}
		return nil, err
	}
	if match {
		body = toMatch(body)
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

func modesString(modes []Access) string {
	s := ""
	for i, m := range modes {
		if i > 0 {
			s += ", "
		}
		s += m.String()
	}
	return s
}

// stubShape reads a stub's form and whether it returns a match (bool or
// int: 1 or 0) rather than the filter's u32 value, from its prototype, as
// libpcapf_bpf does from the object's BTF.
func stubShape(proto *btf.FuncProto) (form stubForm, match bool) {
	switch {
	case len(proto.Params) == 2:
		form = formPointers
	case len(proto.Params) == 1 && pointsToStruct(proto.Params[0].Type, "xdp_md"):
		form = formXDP
	default:
		form = formSkb // the plugin allows no other prototype
	}
	ret, ok := skipQualifiers(proto.Return).(*btf.Int)
	value := ok && ret.Size == 4 && ret.Encoding&(btf.Signed|btf.Bool) == 0
	return form, !value
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

func pointsToStruct(t btf.Type, name string) bool {
	p, ok := skipQualifiers(t).(*btf.Pointer)
	if !ok {
		return false
	}
	s, ok := skipQualifiers(p.Target).(*btf.Struct)
	return ok && s.Name == name
}

// toMatch makes a bool or int stub's result 1 on a match: every Exit of
// the body jumps to a tail that turns a non-zero R0 into 1 (libpcapf_bpf
// appends the same tail). The body's last instruction is an Exit, which
// becomes the tail's start, so no jump is by 0.
func toMatch(body asm.Instructions) asm.Instructions {
	exit := asm.Exit.Op(asm.ImmSource)
	n := len(body)
	if n > 0 && body[n-1].OpCode == exit {
		n--
	}
	// Jump offsets count 8-byte slots, of which a DWord load takes two:
	// tail is the slot the tail starts at.
	tail := 0
	for _, ins := range body[:n] {
		tail += int(ins.Size() / asm.InstructionSize)
	}
	out := make(asm.Instructions, 0, n+3)
	slot := 0
	for _, ins := range body[:n] {
		if ins.OpCode == exit {
			ins = asm.Instruction{OpCode: asm.Ja.Op(asm.ImmSource),
				Offset: int16(tail - slot - 1), Metadata: ins.Metadata}
		}
		slot += int(ins.Size() / asm.InstructionSize)
		out = append(out, ins)
	}
	return append(out,
		asm.Instruction{OpCode: asm.JEq.Op(asm.ImmSource), Dst: asm.R0, Offset: 1},
		asm.Mov.Imm32(asm.R0, 1),
		asm.Return())
}

func nativeEndian() binary.ByteOrder {
	x := uint16(1)
	if *(*byte)(unsafe.Pointer(&x)) == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}
