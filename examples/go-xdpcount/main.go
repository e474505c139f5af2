// SPDX-License-Identifier: BSD-2-Clause

// go-xdpcount counts the frames an interface receives and those a tcpdump
// filter from its command line matches, in an XDP program: the Go version
// of examples/xdpcount.c, with cilium/ebpf, bpf2go and the pcapfilter Go
// package.
//
//	go-xdpcount [-i IFACE -t SECONDS | -pcap FILE] EXPR...
//
// -pcap runs every packet of a capture (classic pcap, Ethernet) through the
// program with BPF_PROG_TEST_RUN instead of attaching it, and prints the
// same counts: what CI runs. CMake builds it (examples/CMakeLists.txt),
// running bpf2go as go:generate would:
//
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -target bpfel -cflags "-fplugin=$PCAPF/lib/libpcapfilter.so -fplugin-arg-pcapfilter-no-decl-tags -I$PCAPF/include" xdpcount xdpcount.bpf.c
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"

	"pcapfilter/bindings/go/pcapfilter"
)

func main() {
	iface := flag.String("i", "", "interface to attach to (XDP)")
	seconds := flag.Int("t", 10, "seconds to count for, with -i")
	capture := flag.String("pcap", "", "run the packets of this capture instead of attaching")
	flag.Parse()
	expr := strings.Join(flag.Args(), " ")
	if (*iface == "") == (*capture == "") {
		log.Fatal("usage: go-xdpcount [-i IFACE -t SECONDS | -pcap FILE] EXPR...")
	}
	if err := rlimit.RemoveMemlock(); err != nil {
		log.Fatal(err)
	}

	spec, err := loadXdpcount()
	if err != nil {
		log.Fatal(err)
	}
	prog := spec.Programs["xdp_count"]
	prog.Instructions, err = pcapfilter.Inject(expr, prog.Instructions,
		pcapfilter.Options{AtBpf2Bpf: "match"})
	if err != nil {
		log.Fatal(err) // e.g. libpcap's "syntax error"
	}
	var objs xdpcountObjects
	if err := spec.LoadAndAssign(&objs, nil); err != nil {
		log.Fatal(err)
	}
	defer objs.Close()

	if *capture != "" {
		pkts, err := readPcap(*capture)
		if err != nil {
			log.Fatal(err)
		}
		for _, pkt := range pkts {
			if _, _, err := objs.XdpCount.Test(pkt); err != nil {
				log.Fatalf("test run: %v", err)
			}
		}
	} else {
		dev, err := net.InterfaceByName(*iface)
		if err != nil {
			log.Fatal(err)
		}
		l, err := link.AttachXDP(link.XDPOptions{Program: objs.XdpCount, Interface: dev.Index})
		if err != nil {
			log.Fatal(err)
		}
		defer l.Close()
		time.Sleep(time.Duration(*seconds) * time.Second)
	}
	frames, matched := sum(objs.Counts, 0), sum(objs.Counts, 1)
	fmt.Printf("%d frames, %d matched %q\n", frames, matched, expr)
}

// sum adds up a per-CPU counter.
func sum(m *ebpf.Map, key uint32) (n uint64) {
	var perCPU []uint64
	if err := m.Lookup(key, &perCPU); err != nil {
		log.Fatal(err)
	}
	for _, v := range perCPU {
		n += v
	}
	return n
}

// readPcap reads a classic pcap file (either byte order, microseconds or
// nanoseconds), enough for a test run.
func readPcap(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hdr [24]byte
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(hdr[:4]) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		bo = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("%s: not a classic pcap file", path)
	}
	var pkts [][]byte
	for {
		var rec [16]byte
		if _, err := io.ReadFull(f, rec[:]); errors.Is(err, io.EOF) {
			return pkts, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		pkt := make([]byte, bo.Uint32(rec[8:12]))
		if _, err := io.ReadFull(f, pkt); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		pkts = append(pkts, pkt)
	}
}
