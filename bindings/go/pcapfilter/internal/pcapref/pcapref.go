// SPDX-License-Identifier: BSD-2-Clause

// Package pcapref is the tests' reference: libpcap itself, through cgo
// (Go test files cannot use cgo). A filter compiled with pcap_compile()
// and run with pcap_offline_filter() gives the verdict every generated
// filter must equal, as test/kernel/pktrun.c does for the C tests.
package pcapref

/*
#cgo pkg-config: libpcap
#include <stdio.h>
#include <stdlib.h>
#include <pcap/pcap.h>

static int ref_compile(const char *expr, int linktype, int snaplen,
		       struct bpf_program *prog, char *errbuf)
{
	pcap_t *p = pcap_open_dead(linktype, snaplen);
	int err;

	if (!p)
		return -1;
	err = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (err)
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(p));
	pcap_close(p);
	return err;
}

// len = caplen: a BPF program sees only the captured bytes (pktrun.c).
static unsigned ref_verdict(const struct bpf_program *prog,
			    const unsigned char *data, unsigned len)
{
	struct pcap_pkthdr hdr = {.caplen = len, .len = len};

	return (unsigned)pcap_offline_filter(prog, &hdr, data);
}

static int ref_reads_ancillary(const struct bpf_program *prog)
{
	for (unsigned i = 0; i < prog->bf_len; i++) {
		const struct bpf_insn *in = &prog->bf_insns[i];

		if (BPF_CLASS(in->code) == BPF_LD && BPF_MODE(in->code) == BPF_ABS &&
		    in->k >= 0xfffff000u)
			return 1;
	}
	return 0;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// DLTEN10MB is libpcap's Ethernet link type.
const DLTEN10MB = C.DLT_EN10MB

// Filter is an expression as libpcap compiled it.
type Filter struct {
	prog C.struct_bpf_program
	// libpcap's optimiser found the expression matches nothing, which
	// pcap_compile() reports as an error: every verdict is 0.
	rejectsAll bool
}

// Compile compiles expr for linktype with libpcap's optimiser.
func Compile(expr string, linktype int, snaplen int) (*Filter, error) {
	cexpr := C.CString(expr)
	defer C.free(unsafe.Pointer(cexpr))
	var errbuf [C.PCAP_ERRBUF_SIZE]C.char
	f := &Filter{}
	if C.ref_compile(cexpr, C.int(linktype), C.int(snaplen), &f.prog, &errbuf[0]) != 0 {
		msg := C.GoString(&errbuf[0])
		if msg != "expression rejects all packets" {
			return nil, errors.New(msg)
		}
		f.rejectsAll = true
	}
	return f, nil
}

// Verdict is pcap_offline_filter()'s value for pkt.
func (f *Filter) Verdict(pkt []byte) uint32 {
	if f.rejectsAll {
		return 0
	}
	if len(pkt) == 0 {
		return uint32(C.ref_verdict(&f.prog, nil, 0))
	}
	return uint32(C.ref_verdict(&f.prog, (*C.uchar)(unsafe.Pointer(&pkt[0])), C.uint(len(pkt))))
}

// ReadsAncillary: the program reads Linux skb metadata (inbound, ifindex),
// which libpcap offline reads as 0 and the kernel does not.
func (f *Filter) ReadsAncillary() bool {
	return !f.rejectsAll && C.ref_reads_ancillary(&f.prog) != 0
}

// Free releases the program.
func (f *Filter) Free() {
	if !f.rejectsAll {
		C.pcap_freecode(&f.prog)
	}
}

// ReadCapture returns a capture's link type and packets.
func ReadCapture(path string) (linktype int, pkts [][]byte, err error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var errbuf [C.PCAP_ERRBUF_SIZE]C.char
	p := C.pcap_open_offline(cpath, &errbuf[0])
	if p == nil {
		return 0, nil, fmt.Errorf("%s: %s", path, C.GoString(&errbuf[0]))
	}
	defer C.pcap_close(p)
	for {
		var hdr *C.struct_pcap_pkthdr
		var data *C.uchar
		rc := C.pcap_next_ex(p, &hdr, &data)
		if rc == -2 {
			break
		}
		if rc != 1 {
			return 0, nil, fmt.Errorf("%s: %s", path, C.GoString(C.pcap_geterr(p)))
		}
		pkts = append(pkts, C.GoBytes(unsafe.Pointer(data), C.int(hdr.caplen)))
	}
	return int(C.pcap_datalink(p)), pkts, nil
}
