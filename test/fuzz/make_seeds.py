#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the seed corpora of the fuzz targets (test/fuzz/corpus/TARGET/).

Run once by hand when the seeds should change; CI never writes them. The
seeds are libpcap's filter corpus as each target reads its input:

  fuzz_cbpf_text  tcpdump -ddd of the filters, in both spellings the parser
                  takes (lines; xt_bpf commas), and hand-written programs
                  with what libpcap never emits (Linux extensions, scratch
                  read before written, DIV/MOD and shifts by X)
  fuzz_compile    two option bytes (EN10MB and other link types, each access
                  mode) and a filter expression
  fuzz_opts       option strings, one a line
  fuzz_diff       a packet from the example capture and the program as
                  struct bpf_insn bytes (fuzz_diff.cpp's input format)

Usage: make_seeds.py LIBPCAP_CORPUS_DIR   (needs tcpdump)
"""
import hashlib
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, '..', '..', 'examples', 'sample.pcap')
MAX_DIFF_INSNS = 128  # fuzz_diff.cpp's MaxInsns
MAX_PACKET = 160      # fuzz_diff.cpp's MaxPacket

# Programs libpcap does not write: (name, tcpdump -ddd lines).
HAND_WRITTEN = [
    # mark on one branch, rxhash on the other
    ('mark_or_rxhash', [(0x28, 0, 0, 12), (0x15, 0, 2, 0x800),
                        (0x20, 0, 0, 0xfffff014), (0x16, 0, 0, 0),
                        (0x20, 0, 0, 0xfffff020), (0x16, 0, 0, 0)]),
    # ld M[3] before any store; ret a
    ('scratch_unwritten', [(0x60, 0, 0, 3), (0x16, 0, 0, 0)]),
    # ldx len; ld [0]; div x; mod x; lsh x; rsh x; ret a
    ('alu_by_x', [(0x81, 0, 0, 0), (0x30, 0, 0, 0), (0x3c, 0, 0, 0),
                  (0x9c, 0, 0, 0), (0x6c, 0, 0, 0), (0x7c, 0, 0, 0),
                  (0x16, 0, 0, 0)]),
    # ldx #0xffffffff; ld [x + 2]: X + k wraps to 1
    ('ind_wraps', [(0x01, 0, 0, 0xffffffff), (0x50, 0, 0, 2), (0x16, 0, 0, 0)]),
    # ldxb 4*([14]&0xf); ldh [x + 16]; ja; ret #1; ret a
    ('msh_ja', [(0xb1, 0, 0, 14), (0x48, 0, 0, 16), (0x05, 0, 0, 1),
                (0x06, 0, 0, 1), (0x16, 0, 0, 0)]),
]

# DLT numbers: RAW, LINUX_SLL, NULL, IEEE802_11, IEEE802_11_RADIO, PPP,
# FDDI, LINUX_SLL2.
EXTRA_LINKTYPES = [12, 113, 0, 105, 127, 9, 10, 276]

OPTION_SEEDS = [
    'linktype=EN10MB', 'linktype=RAW\nsnaplen=96', 'access=skb\nskb_linear=64',
    'access=skb_load_bytes', 'access=probe\nsnaplen=1500', 'input=cbpf',
    'input=cbpf\naccess=skb', 'input=expr\nlinktype=113', 'snaplen=262144',
    'linktype=LINUX_SLL2\naccess=skb\ninput=expr', 'snaplen=0', 'access=',
    'skb_linear=65535\naccess=skb', 'linktype=1\nlinktype=12',
]


def write(target, content):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(content).hexdigest()[:16]
    with open(os.path.join(d, name), 'wb') as f:
        f.write(content)


def tcpdump_ddd(expr):
    r = subprocess.run(['tcpdump', '-ddd', '-r', SAMPLE, expr],
                       capture_output=True, text=True)
    if r.returncode:
        return None
    lines = r.stdout.split('\n')
    n = int(lines[0])
    return [tuple(int(v) for v in line.split()) for line in lines[1:1 + n]]


def sample_packets():
    with open(SAMPLE, 'rb') as f:
        data = f.read()
    endian = '<' if data[:4] == b'\xd4\xc3\xb2\xa1' else '>'
    off, pkts = 24, []
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        pkts.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return pkts


def cbpf_text(insns, commas):
    sep = ',' if commas else '\n'
    return (str(len(insns)) + sep +
            sep.join('%d %d %d %d' % i for i in insns)).encode()


def diff_input(insns, packet):
    packet = packet[:MAX_PACKET]
    return (bytes([len(packet)]) + packet +
            b''.join(struct.pack('<HBBI', *i) for i in insns[:MAX_DIFF_INSNS]))


def main():
    corpus = sys.argv[1]
    with open(os.path.join(corpus, 'filters-en10mb-compilable.txt')) as f:
        exprs = [line.strip() for line in f if line.strip()]
    packets = sample_packets()
    for n, expr in enumerate(exprs):
        if n % 3 == 0:
            write('fuzz_compile', b'\x01\x00' + expr.encode())
        if n % 9 == 0:
            dlt = EXTRA_LINKTYPES[n // 9 % len(EXTRA_LINKTYPES)]
            access = (n // 9) % 4  # fuzz_compile.c: bits 1-2 of byte 1
            write('fuzz_compile', bytes([dlt & 0xff, dlt >> 8 | access << 1]) +
                  expr.encode())
        if n % 6:
            continue
        insns = tcpdump_ddd(expr)
        if not insns:
            continue
        write('fuzz_cbpf_text', cbpf_text(insns, commas=n % 12 == 0))
        if len(insns) <= MAX_DIFF_INSNS:
            write('fuzz_diff', diff_input(insns, packets[n % len(packets)]))
    for _, insns in HAND_WRITTEN:
        write('fuzz_cbpf_text', cbpf_text(insns, commas=False))
        if not any(0xfffff000 <= i[3] < 0xfffff040 for i in insns):
            for p in packets[:3]:
                write('fuzz_diff', diff_input(insns, p))
    for opts in OPTION_SEEDS:
        write('fuzz_opts', opts.encode())


if __name__ == '__main__':
    main()
