// SPDX-License-Identifier: BSD-2-Clause

// Tests of the Go package in the kernel (root, BPF_PROG_TEST_RUN; they
// fail, never skip, without BPF): libpcap's corpus injected into XDP
// (direct access) and TC (skb access) programs and run on every packet of
// its Ethernet captures, each value equal to pcap_offline_filter()'s; two
// stubs in one program, one stub called twice, the inline form, and the
// errors. CMake (bindings/go/CMakeLists.txt) builds testdata/stubs.bpf.c
// and passes the paths in the environment.
package pcapfilter

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/rlimit"

	"pcapfilter/bindings/go/pcapfilter/internal/pcapref"
)

const snaplen = 262144

// "insn N: " of libpcapf's messages, left out to count rejections by kind.
var insnPrefix = regexp.MustCompile(`^insn [0-9]+: `)

func env(t *testing.T, name string) string {
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run the tests through ctest (bindings/go/CMakeLists.txt)", name)
	}
	return v
}

func loadSpec(t *testing.T) *ebpf.CollectionSpec {
	if err := rlimit.RemoveMemlock(); err != nil {
		t.Fatalf("rlimit: %v", err)
	}
	spec, err := ebpf.LoadCollectionSpec(env(t, "PCAPF_GO_TEST_OBJECT"))
	if err != nil {
		t.Fatalf("load spec: %v", err)
	}
	return spec
}

// The Ethernet packets of the corpus's captures and the example's.
func ethernetPackets(t *testing.T) [][]byte {
	files, _ := filepath.Glob(filepath.Join(env(t, "PCAPF_GO_CORPUS"), "pcaps", "*.pcap*"))
	files = append(files, env(t, "PCAPF_GO_SAMPLE_PCAP"))
	var pkts [][]byte
	for _, f := range files {
		lt, p, err := pcapref.ReadCapture(f)
		if err != nil {
			t.Fatal(err)
		}
		if lt == pcapref.DLTEN10MB {
			pkts = append(pkts, p...)
		}
	}
	if len(pkts) == 0 {
		t.Fatal("no Ethernet packets in the captures")
	}
	return pkts
}

func corpusFilters(t *testing.T) []string {
	data, err := os.ReadFile(filepath.Join(env(t, "PCAPF_GO_CORPUS"), "filters-en10mb-compilable.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var filters []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			filters = append(filters, line)
		}
	}
	return filters
}

func load(t *testing.T, ps *ebpf.ProgramSpec, insns asm.Instructions) *ebpf.Program {
	cp := ps.Copy()
	cp.Instructions = insns
	prog, err := ebpf.NewProgram(cp)
	if err != nil {
		t.Fatalf("load %s: %v", ps.Name, err)
	}
	return prog
}

type reasons map[string]int

func (r reasons) total() (n int) {
	for _, c := range r {
		n += c
	}
	return n
}

func (r reasons) print(indent string) {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s%6d  %s\n", indent, r[k], k)
	}
}

// The corpus through Inject, in one access mode. Rejected filters are
// those the translator refuses by design (Linux metadata outside skb
// access; protochain is unrolled to the default bound), as difftest
// counts them: any other number fails.
func testCorpus(t *testing.T, progName, stub string, access Access, wantRejected int) {
	spec := loadSpec(t)
	ps := spec.Programs[progName]
	pkts := ethernetPackets(t)
	rejected, skipped := reasons{}, reasons{}
	var loaded, runs, agreed, disagreed, kernelMeaning int
	for _, expr := range corpusFilters(t) {
		ref, err := pcapref.Compile(expr, pcapref.DLTEN10MB, snaplen)
		if err != nil {
			t.Errorf("libpcap rejects corpus filter %q: %v", expr, err)
			continue
		}
		insns, err := Inject(expr, ps.Instructions, Options{AtBpf2Bpf: stub, Access: access})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%q: %v", expr, err)
			} else {
				rejected[insnPrefix.ReplaceAllString(e.Msg, "")]++
			}
			ref.Free()
			continue
		}
		prog := load(t, ps, insns)
		loaded++
		if access == AccessSkb && ref.ReadsAncillary() {
			kernelMeaning++ // loaded, not compared (pcapfilter_test's doc)
		} else {
			for _, pkt := range pkts {
				if len(pkt) < 14 {
					skipped["shorter than an Ethernet header (the kernel will not run it)"]++
					continue
				}
				got, _, err := prog.Test(pkt)
				if err != nil {
					skipped[err.Error()]++
					continue
				}
				runs++
				if want := ref.Verdict(pkt); got == want {
					agreed++
				} else {
					disagreed++
					if disagreed <= 10 {
						t.Errorf("DISAGREE %q on a %d-byte packet: got %d, libpcap %d", expr, len(pkt), got, want)
					}
				}
			}
		}
		prog.Close()
		ref.Free()
	}
	fmt.Printf("go %s (%s access): filters %d, rejected %d, loaded %d, packets %d\n",
		progName, access, len(corpusFilters(t)), rejected.total(), loaded, len(pkts))
	rejected.print("  rejected ")
	fmt.Printf("  runs %d, agreed %d, disagreed %d, skipped %d, loaded but not compared (skb metadata) %d\n",
		runs, agreed, disagreed, skipped.total(), kernelMeaning)
	skipped.print("  skipped ")
	if rejected.total() != wantRejected {
		t.Errorf("%d filters rejected, want %d", rejected.total(), wantRejected)
	}
	if agreed == 0 || disagreed != 0 {
		t.Errorf("%d agreed, %d disagreed", agreed, disagreed)
	}
}

func TestCorpusDirect(t *testing.T) {
	testCorpus(t, "xdp_value", "pointers", AccessDirect, 3)
}

func TestCorpusSkb(t *testing.T) {
	testCorpus(t, "tc_value", "skb", AccessSkb, 0)
}

func mustRef(t *testing.T, expr string) *pcapref.Filter {
	ref, err := pcapref.Compile(expr, pcapref.DLTEN10MB, snaplen)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// testFrames test-runs prog on every Ethernet frame of the captures (14
// bytes or more), fails t where its result is not want's for the frame, and
// returns how many frames gave each result.
func testFrames(t *testing.T, prog *ebpf.Program, want func(pkt []byte) uint32) map[uint32]int {
	seen := map[uint32]int{}
	for _, pkt := range ethernetPackets(t) {
		if len(pkt) < 14 {
			continue
		}
		got, _, err := prog.Test(pkt)
		if err != nil {
			t.Fatal(err)
		}
		if w := want(pkt); got != w {
			t.Errorf("got %d, want %d on a %d-byte packet", got, w, len(pkt))
		}
		seen[got]++
	}
	return seen
}

func boolBit(b bool, bit uint32) uint32 {
	if b {
		return bit
	}
	return 0
}

// Two stubs in one program (a __u32 one and a bool xdp_md one), each with
// its own filter; and the filter's first instruction carries the stub's
// symbol, func info and line.
func TestTwoStubs(t *testing.T) {
	ps := loadSpec(t).Programs["xdp_pair"]
	insns, err := Inject("tcp port 80", ps.Instructions, Options{AtBpf2Bpf: "web"})
	if err == nil {
		insns, err = Inject("udp port 53", insns, Options{AtBpf2Bpf: "dns"})
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, stub := range []string{"web", "dns"} {
		checkStubMetadata(t, insns, stub)
	}
	prog := load(t, ps, insns)
	defer prog.Close()
	web, dns := mustRef(t, "tcp port 80"), mustRef(t, "udp port 53")
	defer web.Free()
	defer dns.Free()
	seen := testFrames(t, prog, func(pkt []byte) uint32 {
		return boolBit(web.Verdict(pkt) != 0, 1) | boolBit(dns.Verdict(pkt) != 0, 2)
	})
	fmt.Printf("go two stubs: neither %d, web %d, dns %d\n", seen[0], seen[1], seen[2])
	if seen[1] == 0 || seen[2] == 0 {
		t.Errorf("each stub should match some packet: %v", seen)
	}
}

func checkStubMetadata(t *testing.T, insns asm.Instructions, stub string) {
	for i := range insns {
		if insns[i].Symbol() != stub {
			continue
		}
		if fn := btf.FuncMetadata(&insns[i]); fn == nil || fn.Name != stub {
			t.Errorf("stub %s: func info %v", stub, fn)
		}
		if src := insns[i].Source(); src == nil || !strings.Contains(src.String(), "__pcap_filter_runtime()") {
			t.Errorf("stub %s: the filter's line is %v, want the declaration", stub, src)
		}
		return
	}
	t.Errorf("no symbol %s", stub)
}

// One stub, two calls: on the frame and on the frame less its first 14
// bytes (where ether[0] is the IP version), both with the filter, which
// is spliced once.
func TestStubCalledTwice(t *testing.T) {
	ps := loadSpec(t).Programs["xdp_twice"]
	const expr = "ether[0] & 0xf0 == 0x40 or tcp port 80"
	insns, err := Inject(expr, ps.Instructions, Options{AtBpf2Bpf: "web"})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, ins := range insns {
		if ins.IsFunctionCall() && ins.Reference() == "web" {
			calls++
		}
	}
	if calls != 2 {
		t.Fatalf("%d calls of web, want 2", calls)
	}
	prog := load(t, ps, insns)
	defer prog.Close()
	ref := mustRef(t, expr)
	defer ref.Free()
	seen := testFrames(t, prog, func(pkt []byte) uint32 {
		return boolBit(ref.Verdict(pkt) != 0, 1) | boolBit(ref.Verdict(pkt[14:]) != 0, 2)
	})
	second := seen[2] + seen[3]
	fmt.Printf("go stub called twice: second call matched %d packets\n", second)
	if second == 0 {
		t.Error("the second call matched no packet")
	}
}

// A bad expression: libpcap's message, as an *Error naming the stub.
func TestBadExpression(t *testing.T) {
	ps := loadSpec(t).Programs["xdp_value"]
	_, err := Inject("tcp port", ps.Instructions, Options{AtBpf2Bpf: "pointers"})
	var e *Error
	if !errors.As(err, &e) || e.Stub != "pointers" || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("got %v, want libpcap's syntax error for stub pointers", err)
	}
	fmt.Printf("go bad expression: %v\n", err)
}

func TestMissingStub(t *testing.T) {
	ps := loadSpec(t).Programs["xdp_value"]
	_, err := Inject("tcp", ps.Instructions, Options{AtBpf2Bpf: "nosuch"})
	if !errors.Is(err, ErrNoStub) || !strings.Contains(err.Error(), `"nosuch"`) {
		t.Fatalf("got %v, want an error naming nosuch", err)
	}
	fmt.Printf("go missing stub: %v\n", err)
}

func TestAccessDoesNotFit(t *testing.T) {
	ps := loadSpec(t).Programs["tc_value"]
	_, err := Inject("tcp", ps.Instructions, Options{AtBpf2Bpf: "skb", Access: AccessDirect})
	if err == nil || !strings.Contains(err.Error(),
		"access=direct does not fit stub 'skb' (struct __sk_buff *skb); it supports: skb, skb_load_bytes") {
		t.Fatalf("got %v", err)
	}
}

// The inline form in a hand-written XDP program, under registers unlike
// the subprogram's: data in R2, data_end in R3, the result in R0.
func TestCompileInline(t *testing.T) {
	const expr = "tcp port 80 or udp"
	regs := InlineRegisters{In: [2]asm.Register{asm.R2, asm.R3},
		Work: [4]asm.Register{asm.R4, asm.R5, asm.R6, asm.R7}, Result: asm.R0}
	body, err := CompileInline(expr, Options{}, regs)
	if err != nil {
		t.Fatal(err)
	}
	for _, ins := range body {
		if ins.OpCode.JumpOp() == asm.Exit {
			t.Fatal("the inline form has an Exit")
		}
	}
	insns := asm.Instructions{
		asm.LoadMem(asm.R2, asm.R1, 0, asm.Word),
		asm.LoadMem(asm.R3, asm.R1, 4, asm.Word),
	}
	insns = append(append(insns, body...), asm.Return())
	if err := rlimit.RemoveMemlock(); err != nil {
		t.Fatal(err)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.XDP, License: "GPL", Instructions: insns})
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	ref := mustRef(t, expr)
	defer ref.Free()
	runs := 0
	for _, n := range testFrames(t, prog, ref.Verdict) {
		runs += n
	}
	fmt.Printf("go inline form: %d packets agreed or failed above\n", runs)
	sub, err := Compile(expr, Options{})
	if err != nil || sub[len(sub)-1].OpCode.JumpOp() != asm.Exit {
		t.Fatalf("Compile: %v, want a body ending in Exit", err)
	}
}
