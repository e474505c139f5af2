/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_runtime.c: unit tests of libpcapf's C API: options, errors, the
 * validator's rules and the analyses (guards, reject points, division
 * guards, initialisation, reachability) on hand-written cBPF, where the
 * expected result is known exactly; and the API's edges: NULL errbuf, opts,
 * program and out-parameters, out-of-range counts, options structs of an
 * older or newer size; protochain's unrolled loop, run with libpcap's
 * bpf_filter() against libpcap's own loop; the stub forms, and the eBPF
 * back end's match option, run by a small eBPF interpreter for the direct
 * access the back end emits.
 */
#define _DEFAULT_SOURCE /* fmemopen; u_int and friends for pcap.h */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapf.h"

static int passed, failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			passed++;                                              \
		} else {                                                       \
			failed++;                                              \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n",       \
				__FILE__, __LINE__, __func__, #cond);          \
		}                                                              \
	} while (0)

/* cBPF opcodes used below (pcap/bpf.h values). */
enum {
	LDB_ABS = 0x30, LDH_ABS = 0x28, LDW_ABS = 0x20, LDB_IND = 0x50,
	LDH_IND = 0x48, LDX_MSH = 0xb1, LD_MEM = 0x60, LDX_MEM = 0x61,
	LD_IMM = 0x00, LDX_IMM = 0x01, ST = 0x02, TXA = 0x87, TAX = 0x07,
	JA = 0x05, JEQ_K = 0x15, JGT_K = 0x25, ALU_DIV_X = 0x3c,
	ALU_DIV_K = 0x34, ALU_LSH_K = 0x64, RET_K = 0x06, RET_A = 0x16,
	ALU_AND_K = 0x54, JSET_K = 0x45,
};

#define I(c, t, f, kk) {.code = (c), .jt = (t), .jf = (f), .k = (kk)}

static struct pcapf_prog *from(const struct pcapf_cbpf_insn *in, size_t n,
			       char *errbuf)
{
	errbuf[0] = 0;
	return pcapf_prog__from_cbpf(in, n, NULL, errbuf);
}

/* As from(), with protochain unrolled (protochain_depth=8). */
static struct pcapf_prog *from_unrolled(const struct pcapf_cbpf_insn *in,
					size_t n, char *errbuf)
{
	PCAPF_OPTS(o, .protochain_depth = 8);

	errbuf[0] = 0;
	return pcapf_prog__from_cbpf(in, n, &o, errbuf);
}

static void test_options(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(o);

	CHECK(pcapf_opts__parse(&o, "linktype=RAW", err) == 0);
	CHECK(o.linktype && !strcmp(o.linktype, "RAW"));
	CHECK(pcapf_opts__parse(&o, "linktype=1", err) == 0);
	CHECK(pcapf_opts__parse(&o, "snaplen=1500", err) == 0 && o.snaplen == 1500);
	CHECK(pcapf_opts__parse(&o, "access=direct", err) == 0);
	CHECK(pcapf_opts__parse(&o, "linktype=NOPE", err) == -EINVAL);
	CHECK(strstr(err, "unknown link type 'NOPE'"));
	CHECK(pcapf_opts__parse(&o, "snaplen=0", err) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, "snaplen=262145", err) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, "snaplen=12x", err) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, "access=magic", err) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, "frobnicate", err) == -EINVAL);
	CHECK(strstr(err, "unknown option 'frobnicate'"));
	CHECK(pcapf_opts__parse(&o, "access=skb", err) == 0 &&
	      o.access == PCAPF_ACCESS_SKB);
	CHECK(pcapf_opts__parse(&o, "access=skb_load_bytes", err) == 0 &&
	      o.access == PCAPF_ACCESS_SKB_LOAD_BYTES);
	CHECK(pcapf_opts__parse(&o, "access=probe", err) == 0 &&
	      o.access == PCAPF_ACCESS_PROBE);
	CHECK(!strcmp(pcapf_access_name(PCAPF_ACCESS_SKB_LOAD_BYTES),
		      "skb_load_bytes"));
	CHECK(pcapf_opts__parse(&o, "skb_linear=20", err) == 0 &&
	      o.skb_linear == 20);
	CHECK(pcapf_opts__parse(&o, "skb_linear=0", err) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, "skb_linear=65536", err) == -EINVAL);
}

/* Linux extensions: only skb access reads them, and only those __sk_buff
 * provides; they are not packet loads (no guard). */
static void test_ancillary(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(skb, .access = PCAPF_ACCESS_SKB);
	PCAPF_OPTS(probe, .access = PCAPF_ACCESS_PROBE);
	PCAPF_OPTS(linear, .access = PCAPF_ACCESS_PROBE, .skb_linear = 14);
	struct pcapf_prog *p;
	const struct pcapf_insn *in;
	size_t n;

	p = pcapf_prog__compile("inbound", &skb, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].k == PCAPF_SKF_AD_OFF + 4 && in[0].guard_len == 0);
		CHECK(!(in[0].flags & PCAPF_INSN_REJECT));
		CHECK(pcapf_prog__access(p) == PCAPF_ACCESS_SKB);
		pcapf_prog__free(p);
	}
	p = pcapf_prog__compile("ifindex 3", &probe, err);
	CHECK(!p && errno == EOPNOTSUPP &&
	      strstr(err, "which probe access cannot read"));
	skb.cbpf = true;
	p = pcapf_prog__compile("2,32 0 0 4294963228,22 0 0 0", &skb, err);
	CHECK(!p && strstr(err, "hatype (SKF_AD_HATYPE) is not available"));
	p = pcapf_prog__compile("2,32 0 0 4294963202,22 0 0 0", &skb, err);
	CHECK(!p && strstr(err, "unknown Linux extension at SKF_AD_OFF + 2"));
	/* ld [-2], as libpcap emits on BACNET_MS_TP: past SKF_AD_MAX it is an
	 * ordinary load, and far past any packet: the filter returns 0. */
	p = pcapf_prog__compile("2,32 0 0 4294967294,22 0 0 0", &skb, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].flags & PCAPF_INSN_REJECT);
		pcapf_prog__free(p);
	}
	p = pcapf_prog__compile("ip", &linear, err);
	CHECK(!p && strstr(err, "skb_linear applies to access=skb only"));
}

static void test_compile_errors(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_prog *p;

	p = pcapf_prog__compile("tcp port", NULL, err);
	CHECK(!p && errno == EINVAL && strstr(err, "syntax error"));
	p = pcapf_prog__compile("port 99999", NULL, err);
	CHECK(!p && strstr(err, "99999"));
	/* protochain's loop is refused only with unrolling off. */
	PCAPF_OPTS(off, .protochain_depth = PCAPF_PROTOCHAIN_OFF);
	p = pcapf_prog__compile("ip protochain 6", &off, err);
	CHECK(!p && errno == EOPNOTSUPP && strstr(err, "protochain"));
	p = pcapf_prog__compile("inbound", NULL, err);
	CHECK(!p && errno == EOPNOTSUPP && strstr(err, "inbound"));
	p = pcapf_prog__compile("ifindex 7", NULL, err);
	CHECK(!p && strstr(err, "ifindex"));
	p = pcapf_prog__compile(NULL, NULL, err);
	CHECK(!p && errno == EINVAL);
}

static void test_validation(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct {
		struct pcapf_cbpf_insn in[3];
		size_t n;
		const char *msg;
	} cases[] = {
		{{I(0xff, 0, 0, 0), I(RET_K, 0, 0, 0)}, 2, "insn 0: unknown opcode"},
		{{I(JEQ_K, 0, 5, 0), I(RET_K, 0, 0, 0)}, 2, "insn 0: branch past the end"},
		{{I(JA, 0, 0, 7), I(RET_K, 0, 0, 0)}, 2, "insn 0: jump past the end"},
		{{I(RET_K, 0, 0, 0), I(JA, 0, 0, 0xfffffffe), I(RET_K, 0, 0, 0)}, 3,
		 "insn 1: backward jump"},
		{{I(ALU_DIV_K, 0, 0, 0), I(RET_K, 0, 0, 0)}, 2, "insn 0: division by constant 0"},
		{{I(ALU_LSH_K, 0, 0, 32), I(RET_K, 0, 0, 0)}, 2, "insn 0: shift by constant 32"},
		{{I(LD_MEM, 0, 0, 16), I(RET_K, 0, 0, 0)}, 2, "insn 0: scratch index 16"},
		{{I(ST, 0, 0, 99), I(RET_K, 0, 0, 0)}, 2, "insn 0: scratch index 99"},
		{{I(LD_IMM, 0, 0, 0)}, 1, "insn 0: the last instruction must return"},
		{{I(LDB_ABS, 0, 0, 0xfffff000u + 56), I(RET_A, 0, 0, 0)}, 2,
		 "insn 0: random (SKF_AD_RANDOM)"},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct pcapf_prog *p = from(cases[c].in, cases[c].n, err);
		CHECK(!p);
		if (!strstr(err, cases[c].msg)) {
			fprintf(stderr, "case %zu: got '%s', want '%s'\n", c, err,
				cases[c].msg);
			failed++;
		}
	}
	CHECK(!pcapf_prog__from_cbpf(NULL, 0, NULL, err) && errno == EINVAL);
}

/* `tcp port 80` as libpcap 1.10.3 compiles it: three length guards, the
 * IPv4 path covered by one check at the ethertype load, and two X-relative
 * guards for the ports behind the IPv4 header. */
static void test_guards_tcp_port(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_prog *p = pcapf_prog__compile("tcp port 80", NULL, err);
	const struct pcapf_insn *in;
	struct pcapf_prog_stats st;
	size_t n;

	CHECK(p);
	if (!p)
		return;
	in = pcapf_prog__insns(p, &n);
	pcapf_prog__stats(p, &st);
	CHECK(n == 20);
	CHECK(in[0].guard_len == 24); /* IPv4 path reads up to byte 24 */
	CHECK(in[4].guard_len == 56 && in[6].guard_len == 58);
	CHECK(in[14].guard_ind == 16 && in[16].guard_ind == 18);
	CHECK(st.guards_len == 3 && st.guards_ind == 2 && st.loads == 9);
	CHECK(st.rejects == 0 && st.reachable == 20);
	CHECK(!pcapf_prog__needs_init_a(p) && !pcapf_prog__needs_init_x(p));
	CHECK(pcapf_prog__scratch_init(p) == 0);
	CHECK(pcapf_prog__snaplen(p) == PCAPF_DEFAULT_SNAPLEN);
	CHECK(pcapf_prog__linktype(p) == 1);
	pcapf_prog__free(p);
}

static void test_hoisting_rule(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	/* A path that returns 0 without reading lets the check move before the
	 * branch; a path that can match without reading does not. */
	struct pcapf_cbpf_insn reject_path[] = {
		I(LDB_ABS, 0, 0, 0),  I(JEQ_K, 0, 2, 1),
		I(LDB_ABS, 0, 0, 40), I(RET_A, 0, 0, 0), I(RET_K, 0, 0, 0),
	};
	struct pcapf_cbpf_insn match_path[] = {
		I(LDB_ABS, 0, 0, 0),  I(JEQ_K, 0, 2, 1),
		I(LDB_ABS, 0, 0, 40), I(RET_A, 0, 0, 0), I(RET_K, 0, 0, 7),
	};
	struct pcapf_prog *p;
	const struct pcapf_insn *in;
	size_t n;

	p = from(reject_path, 5, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].guard_len == 41 && in[2].guard_len == 0);
		pcapf_prog__free(p);
	}
	p = from(match_path, 5, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].guard_len == 1 && in[2].guard_len == 41);
		pcapf_prog__free(p);
	}
}

static void test_rejects_and_reachability(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	/* An indexed load ending past 2^32 can never succeed (libpcap checks
	 * X + k without wrapping); code after it is dead. */
	struct pcapf_cbpf_insn far[] = {
		I(LDH_IND, 0, 0, 0xffffffffu), I(RET_A, 0, 0, 0),
	};
	/* Every path returns 0: the whole filter is a reject. */
	struct pcapf_cbpf_insn never[] = {
		I(LDB_ABS, 0, 0, 3), I(JEQ_K, 0, 1, 1), I(RET_K, 0, 0, 0),
		I(RET_K, 0, 0, 0),
	};
	struct pcapf_cbpf_insn dead[] = {
		I(RET_K, 0, 0, 5), I(RET_K, 0, 0, 6),
	};
	struct pcapf_prog *p;
	const struct pcapf_insn *in;
	size_t n;

	p = from(far, 2, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].flags & PCAPF_INSN_REJECT);
		CHECK(!(in[1].flags & PCAPF_INSN_REACHABLE));
		pcapf_prog__free(p);
	}
	p = from(never, 4, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].flags & PCAPF_INSN_REJECT);
		pcapf_prog__free(p);
	}
	p = from(dead, 2, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[0].flags & PCAPF_INSN_REACHABLE);
		CHECK(!(in[1].flags & PCAPF_INSN_REACHABLE));
		pcapf_prog__free(p);
	}
}

static void test_initialisation(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_cbpf_insn ret_a[] = {I(RET_A, 0, 0, 0)};
	struct pcapf_cbpf_insn txa[] = {I(TXA, 0, 0, 0), I(RET_A, 0, 0, 0)};
	/* M[3] written on one path only, then read: must be zeroed. M[5]
	 * written on both paths: need not be. */
	struct pcapf_cbpf_insn mem[] = {
		I(LDB_ABS, 0, 0, 0),   I(ST, 0, 0, 5), I(JEQ_K, 0, 1, 1),
		I(ST, 0, 0, 3),        I(LD_MEM, 0, 0, 3), I(LDX_MEM, 0, 0, 5),
		I(RET_A, 0, 0, 0),
	};
	struct pcapf_cbpf_insn div[] = {
		I(LDX_MSH, 0, 0, 14), I(LD_IMM, 0, 0, 100), I(ALU_DIV_X, 0, 0, 0),
		I(RET_A, 0, 0, 0),
	};
	struct pcapf_prog *p;
	const struct pcapf_insn *in;
	size_t n;

	p = from(ret_a, 1, err);
	CHECK(p && pcapf_prog__needs_init_a(p) && !pcapf_prog__needs_init_x(p));
	pcapf_prog__free(p);
	p = from(txa, 2, err);
	CHECK(p && pcapf_prog__needs_init_x(p) && !pcapf_prog__needs_init_a(p));
	pcapf_prog__free(p);
	p = from(mem, 7, err);
	CHECK(p && pcapf_prog__scratch_init(p) == (1u << 3));
	pcapf_prog__free(p);
	p = from(div, 4, err);
	CHECK(p);
	if (p) {
		in = pcapf_prog__insns(p, &n);
		CHECK(in[2].flags & PCAPF_INSN_GUARD_DIV);
		CHECK(in[0].guard_len == 15);
		pcapf_prog__free(p);
	}
}

static void test_indexed_guards(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	/* Two IND loads under one X share a check; a new X needs a new one. */
	struct pcapf_cbpf_insn ind[] = {
		I(LDX_MSH, 0, 0, 14), I(LDH_IND, 0, 0, 14), I(LDB_IND, 0, 0, 20),
		I(TAX, 0, 0, 0),      I(LDB_IND, 0, 0, 2),  I(RET_A, 0, 0, 0),
	};
	struct pcapf_prog *p = from(ind, 6, err);
	const struct pcapf_insn *in;
	size_t n;

	CHECK(p);
	if (!p)
		return;
	in = pcapf_prog__insns(p, &n);
	CHECK(in[1].guard_ind == 21 && in[2].guard_ind == 0);
	CHECK(in[4].guard_ind == 3);
	pcapf_prog__free(p);
}

/* A block whose indexed loads a guard in another block covers gets one
 * recheck, at its first indexed load, for the most its loads read. */
static void test_indexed_recheck(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_cbpf_insn ind[] = {
		I(LDX_MSH, 0, 0, 14), I(LDH_IND, 0, 0, 14), I(JEQ_K, 0, 2, 80),
		I(LDB_IND, 0, 0, 20), I(RET_A, 0, 0, 0),    I(LDB_IND, 0, 0, 15),
		I(LDB_IND, 0, 0, 17), I(RET_A, 0, 0, 0),
	};
	static const uint32_t want[] = {0, 0, 0, 0, 0, 18, 0, 0};
	struct pcapf_prog *p = from(ind, 8, err);
	const struct pcapf_insn *in;
	size_t n;

	CHECK(p);
	if (!p)
		return;
	in = pcapf_prog__insns(p, &n);
	/* The guard covers both branches' least need; the jt branch needs
	 * more and gets its own guard, which makes its pointer. */
	CHECK(in[1].guard_ind == 18 && in[3].guard_ind == 21);
	CHECK(in[5].guard_ind == 0 && in[6].guard_ind == 0);
	for (size_t i = 0; i < 8; i++)
		CHECK(pcapf_prog__ind_recheck(p, i) == want[i]);
	CHECK(pcapf_prog__ind_recheck(p, 8) == 0);
	CHECK(pcapf_prog__ind_recheck(NULL, 0) == 0);
	pcapf_prog__free(p);
}

/* Fields compared as loaded: a word masked and compared, a halfword
 * bit-tested, with their uses; not a halfword compared with jgt, nor with a
 * constant past 16 bits, nor one returned. */
static void test_as_loaded(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_cbpf_insn cmp[] = {
		I(LDW_ABS, 0, 0, 26),	I(ALU_AND_K, 0, 0, 0xff000000u),
		I(JEQ_K, 0, 1, 0x0a000000u), I(RET_K, 0, 0, 1),
		I(LDH_ABS, 0, 0, 12),	I(JGT_K, 0, 1, 0x800),
		I(RET_K, 0, 0, 1),	I(LDH_ABS, 0, 0, 14),
		I(JEQ_K, 0, 1, 0x10000), I(RET_K, 0, 0, 1),
		I(LDH_ABS, 0, 0, 16),	I(JSET_K, 0, 1, 0x100),
		I(RET_K, 0, 0, 1),	I(LDH_ABS, 0, 0, 18),
		I(RET_A, 0, 0, 0),
	};
	static const uint32_t want[] = {4, 4, 4, 0, 0, 0, 0, 0,
					0, 0, 2, 2, 0, 0, 0};
	struct pcapf_prog *p = from(cmp, 15, err);

	CHECK(p);
	if (!p)
		return;
	for (size_t i = 0; i < 15; i++)
		CHECK(pcapf_prog__as_loaded(p, i) == want[i]);
	CHECK(pcapf_prog__as_loaded(p, 15) == 0);
	CHECK(pcapf_prog__as_loaded(NULL, 0) == 0);
	pcapf_prog__free(p);
}

static void test_cbpf_text(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(o, .cbpf = true);
	struct pcapf_prog *p;
	const struct pcapf_cbpf_insn *c;
	size_t n;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"", "must start with the instruction count"},
		{"0,6 0 0 0", "must start with the instruction count"},
		{"2,6 0 0 0", "expected 2 instructions, found 1"},
		{"1,6 0 0", "insn 0: bad k"},
		{"1,6 0 256 0", "insn 0: bad jf"},
		{"1,6 0 0 0 junk", "unexpected 'junk'"},
		{"1,6 0 0 4294967296", "insn 0: bad k"},
		{"1,7 0 0 0", "insn 0: the last instruction must return"},
	};

	/* xt_bpf form: `arp` as tcpdump -ddd prints it. */
	p = pcapf_prog__compile("4,40 0 0 12,21 0 1 2054,6 0 0 4096,6 0 0 0", &o,
				err);
	CHECK(p);
	if (p) {
		c = pcapf_prog__cbpf(p, &n);
		CHECK(n == 4 && c[0].code == 40 && c[0].k == 12 && c[1].jf == 1 &&
		      c[2].k == 4096);
		pcapf_prog__free(p);
	}
	/* tcpdump -ddd form: lines. */
	p = pcapf_prog__compile("2\n6 0 0 7\n6 0 0 0\n", &o, err);
	CHECK(p);
	pcapf_prog__free(p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = pcapf_prog__compile(bad[i].text, &o, err);
		CHECK(!p);
		if (p || !strstr(err, bad[i].msg)) {
			fprintf(stderr, "cbpf '%s': got '%s', want '%s'\n",
				bad[i].text, err, bad[i].msg);
			failed++;
		}
		pcapf_prog__free(p);
	}
	CHECK(pcapf_opts__parse(&o, "input=expr", err) == 0 && !o.cbpf);
	CHECK(pcapf_opts__parse(&o, "input=cbpf", err) == 0 && o.cbpf);
	CHECK(pcapf_opts__parse(&o, "input=asm", err) == -EINVAL);
}

/* Linux extensions that read registers: alu_xor_x is A ^= X, so A (and X
 * unless written first) are read and must be zeroed on entry. */
static void test_ancillary_reads(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(skb, .access = PCAPF_ACCESS_SKB, .cbpf = true);
	struct pcapf_prog *p;

	/* ldx #5; ld #alu_xor_x; ret a (the kernel returns 5) */
	p = pcapf_prog__compile("3,1 0 0 5,32 0 0 4294963240,22 0 0 0", &skb,
				err);
	CHECK(p && pcapf_prog__needs_init_a(p) && !pcapf_prog__needs_init_x(p));
	pcapf_prog__free(p);
	/* ld #alu_xor_x; ret a: both read before any write */
	p = pcapf_prog__compile("2,32 0 0 4294963240,22 0 0 0", &skb, err);
	CHECK(p && pcapf_prog__needs_init_a(p) && pcapf_prog__needs_init_x(p));
	pcapf_prog__free(p);
	/* ld #mark reads no register: A is written, nothing to zero */
	p = pcapf_prog__compile("2,32 0 0 4294963220,22 0 0 0", &skb, err);
	CHECK(p && !pcapf_prog__needs_init_a(p) && !pcapf_prog__needs_init_x(p));
	pcapf_prog__free(p);
}

/* Every entry point takes a NULL errbuf and NULL opts (pcapf.h). */
static void test_null_arguments(void)
{
	static const struct pcapf_cbpf_insn ret1[] = {I(RET_K, 0, 0, 1)};
	struct pcapf_prog_stats st;
	struct pcapf_prog *p;
	size_t n = 99;
	PCAPF_OPTS(o);

	/* Error paths write no message (this crashed: strstr on NULL). */
	errno = 0;
	CHECK(!pcapf_prog__compile("tcp port", NULL, NULL) && errno == EINVAL);
	CHECK(!pcapf_prog__compile(NULL, NULL, NULL) && errno == EINVAL);
	CHECK(!pcapf_prog__compile("inbound", NULL, NULL) && errno == EOPNOTSUPP);
	o.cbpf = true;
	CHECK(!pcapf_prog__compile("1,6 0 0", &o, NULL) && errno == EINVAL);
	o.cbpf = false;
	o.linktype = "NOPE";
	CHECK(!pcapf_prog__compile("ip", &o, NULL) && errno == EINVAL);
	o.linktype = NULL;
	CHECK(!pcapf_prog__from_cbpf(NULL, 1, NULL, NULL) && errno == EINVAL);
	CHECK(!pcapf_prog__from_cbpf(ret1, 0, NULL, NULL) && errno == EINVAL);
	CHECK(pcapf_opts__parse(&o, "frobnicate", NULL) == -EINVAL);
	CHECK(pcapf_opts__parse(NULL, "snaplen=1", NULL) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, NULL, NULL) == -EINVAL);
	/* libpcap's "rejects all packets" is a success with a flag. */
	p = pcapf_prog__compile("ip and not ip", NULL, NULL);
	CHECK(p && pcapf_prog__rejects_all(p));
	pcapf_prog__free(p);
	p = pcapf_prog__compile("ip", NULL, NULL);
	CHECK(p);
	/* NULL out-parameters */
	CHECK(pcapf_prog__insns(p, NULL) != NULL);
	CHECK(pcapf_prog__cbpf(p, NULL) != NULL);
	pcapf_prog__stats(p, NULL);
	CHECK(pcapf_prog__dump(p, NULL) == -EINVAL);
	pcapf_prog__free(p);
	p = pcapf_prog__from_cbpf(ret1, 1, NULL, NULL);
	CHECK(p && pcapf_prog__snaplen(p) == PCAPF_DEFAULT_SNAPLEN);
	pcapf_prog__free(p);
	/* A NULL program reads as an empty one. */
	errno = 0;
	CHECK(!pcapf_prog__insns(NULL, &n) && n == 0 && errno == EINVAL);
	n = 99;
	errno = 0;
	CHECK(!pcapf_prog__cbpf(NULL, &n) && n == 0 && errno == EINVAL);
	CHECK(pcapf_prog__scratch_init(NULL) == 0);
	CHECK(!pcapf_prog__needs_init_a(NULL) && !pcapf_prog__needs_init_x(NULL));
	CHECK(!pcapf_prog__rejects_all(NULL));
	CHECK(pcapf_prog__linktype(NULL) == -EINVAL);
	CHECK(pcapf_prog__access(NULL) == PCAPF_ACCESS_DEFAULT);
	CHECK(pcapf_prog__skb_linear(NULL) == 0 && pcapf_prog__snaplen(NULL) == 0);
	memset(&st, 0xff, sizeof(st));
	pcapf_prog__stats(NULL, &st);
	CHECK(st.reachable == 0 && st.loads == 0 && st.rejects == 0);
	CHECK(pcapf_prog__dump(NULL, stdout) == -EINVAL);
	pcapf_prog__free(NULL);
}

/* Counts out of range: refused before anything reads the instructions
 * (cnt above the limit used to be copied from the caller's short array). */
static void test_counts(void)
{
	static const struct pcapf_cbpf_insn ret1[] = {I(RET_K, 0, 0, 1)};
	char err[PCAPF_ERRBUF_SIZE];

	err[0] = 0;
	CHECK(!pcapf_prog__from_cbpf(ret1, (1u << 20) + 1, NULL, err) &&
	      errno == E2BIG && strstr(err, "exceeds 1048576"));
	err[0] = 0;
	CHECK(!pcapf_prog__from_cbpf(ret1, SIZE_MAX, NULL, err) &&
	      errno == E2BIG && strstr(err, "exceeds"));
	err[0] = 0;
	CHECK(!pcapf_prog__from_cbpf(ret1, 0, NULL, err) && errno == EINVAL &&
	      strstr(err, "empty program"));
}

/* Options structs of another size, as libbpf treats them. */
static void test_opts_size(void)
{
	char err[PCAPF_ERRBUF_SIZE], msg[64];
	struct newer_opts {
		struct pcapf_opts o;
		uint64_t added; /* a field a newer pcapf.h appended */
	} newer;
	struct pcapf_opts o;
	struct pcapf_prog *p;

	/* An older caller knew only sz and linktype: the rest, whatever the
	 * bytes hold, reads as defaults. */
	memset(&o, 0xff, sizeof(o));
	o.sz = offsetof(struct pcapf_opts, snaplen);
	o.linktype = "RAW";
	p = pcapf_prog__compile("ip", &o, err);
	CHECK(p && pcapf_prog__linktype(p) == 12 &&
	      pcapf_prog__snaplen(p) == PCAPF_DEFAULT_SNAPLEN &&
	      pcapf_prog__access(p) == PCAPF_ACCESS_DIRECT);
	pcapf_prog__free(p);
	/* ... and an option it has no field for cannot be stored. */
	CHECK(pcapf_opts__parse(&o, "linktype=EN10MB", err) == 0);
	CHECK(pcapf_opts__parse(&o, "snaplen=100", err) == -EINVAL &&
	      strstr(err, "option 'snaplen=100' needs a struct pcapf_opts of "
			  "at least"));
	/* Only sz: all defaults. */
	o.sz = sizeof(size_t);
	p = pcapf_prog__compile("ip", &o, err);
	CHECK(p && pcapf_prog__linktype(p) == 1);
	pcapf_prog__free(p);
	/* Too small to hold sz itself. */
	o.sz = 0;
	CHECK(!pcapf_prog__compile("ip", &o, err) && errno == EINVAL &&
	      strstr(err, "sz 0 is too small"));
	o.sz = 4;
	CHECK(!pcapf_prog__from_cbpf(NULL, 0, &o, err) && strstr(err, "sz 4"));
	CHECK(pcapf_opts__parse(&o, "snaplen=1", err) == -EINVAL);
	/* A newer caller: accepted while what it added is zero. */
	memset(&newer, 0, sizeof(newer));
	newer.o.sz = sizeof(newer);
	newer.o.snaplen = 100;
	p = pcapf_prog__compile("ip", &newer.o, err);
	CHECK(p && pcapf_prog__snaplen(p) == 100);
	pcapf_prog__free(p);
	CHECK(pcapf_opts__parse(&newer.o, "snaplen=200", err) == 0 &&
	      newer.o.snaplen == 200);
	newer.added = 1;
	snprintf(msg, sizeof(msg), "unknown non-zero field at byte %zu",
		 offsetof(struct newer_opts, added));
	CHECK(!pcapf_prog__compile("ip", &newer.o, err) && errno == EINVAL &&
	      strstr(err, msg));
	CHECK(pcapf_opts__parse(&newer.o, "snaplen=1", err) == -EINVAL &&
	      strstr(err, "unknown non-zero field"));
	/* Values a parsed option could not have are refused from a struct. */
	PCAPF_OPTS(big, .snaplen = PCAPF_DEFAULT_SNAPLEN + 1);
	CHECK(!pcapf_prog__compile("ip", &big, err) && errno == EINVAL &&
	      strstr(err, "invalid snap length 262145"));
	big.snaplen = 0;
	big.access = PCAPF_ACCESS_SKB;
	big.skb_linear = 0x10000;
	CHECK(!pcapf_prog__compile("ip", &big, err) &&
	      strstr(err, "invalid skb_linear 65536"));
	big.access = (enum pcapf_access)99;
	big.skb_linear = 0;
	CHECK(!pcapf_prog__compile("ip", &big, err) &&
	      strstr(err, "unknown access mode 99"));
}

/* Numbers are decimal, as libpcap and tcpdump -ddd write them: base 0 read
 * "010" as 8 and took hex. */
static void test_decimal_numbers(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(o);
	PCAPF_OPTS(text, .cbpf = true);
	const struct pcapf_cbpf_insn *c;
	struct pcapf_prog *p;
	size_t n;

	CHECK(pcapf_opts__parse(&o, "snaplen=010", err) == 0 && o.snaplen == 10);
	CHECK(pcapf_opts__parse(&o, "snaplen=0x10", err) == -EINVAL);
	CHECK(pcapf_opts__parse(&o, "skb_linear=010", err) == 0 &&
	      o.skb_linear == 10);
	CHECK(pcapf_opts__parse(&o, "snaplen=99999999999999999999999", err) ==
	      -EINVAL);
	CHECK(pcapf_opts__parse(&o, "linktype=010", err) == 0);
	o.skb_linear = 0;
	p = pcapf_prog__compile("", &o, err);
	CHECK(p && pcapf_prog__linktype(p) == 10); /* FDDI, not 8 (SLIP) */
	pcapf_prog__free(p);
	p = pcapf_prog__compile("2\n6 0 0 010\n6 0 0 00\n", &text, err);
	CHECK(p);
	if (p) {
		c = pcapf_prog__cbpf(p, &n);
		CHECK(n == 2 && c[0].k == 10);
		pcapf_prog__free(p);
	}
	p = pcapf_prog__compile("010,6 0 0 1,6 0 0 1,6 0 0 1,6 0 0 1,6 0 0 1,"
				"6 0 0 1,6 0 0 1,6 0 0 1,6 0 0 1,6 0 0 1",
				&text, err);
	CHECK(p && pcapf_prog__cbpf(p, &n) && n == 10);
	pcapf_prog__free(p);
	p = pcapf_prog__compile("1,6 0 0 0x10", &text, err);
	CHECK(!p && strstr(err, "insn 0: bad k: expected a decimal number"));
	p = pcapf_prog__compile("1,0x6 0 0 1", &text, err);
	CHECK(!p && strstr(err, "insn 0: bad code"));
	p = pcapf_prog__compile("0x1,6 0 0 1", &text, err);
	CHECK(!p && strstr(err, "instruction count, a decimal number"));
	p = pcapf_prog__compile("1,6 0 0 -1", &text, err);
	CHECK(!p && strstr(err, "insn 0: bad k"));
}

/* Every jump of the program lands later inside it. */
static int forward_only(const struct pcapf_cbpf_insn *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((c[i].code & 0x07) != 0x05)
			continue;
		if (c[i].code == JA ? c[i].k >= n - i - 1
				    : c[i].jt >= n - i - 1 || c[i].jf >= n - i - 1)
			return 0;
	}
	return 1;
}

/* libpcap's bpf_filter() on a pcapf cBPF program. */
static unsigned run_cbpf(const struct pcapf_cbpf_insn *c, size_t n,
			 const uint8_t *pkt, unsigned len)
{
	struct bpf_insn insns[1024];

	if (n > sizeof(insns) / sizeof(insns[0]))
		return 0xdead;
	for (size_t i = 0; i < n; i++)
		insns[i] = (struct bpf_insn){c[i].code, c[i].jt, c[i].jf, c[i].k};
	return bpf_filter(insns, pkt, len, len);
}

/* Ethernet, IPv6, hops hop-by-hop headers (8 bytes each), then ICMPv6;
 * returns the length. */
static unsigned ipv6_chain(uint8_t *pkt, unsigned hops)
{
	unsigned at = 54;

	memset(pkt, 0, 54 + 8 * hops + 4);
	pkt[12] = 0x86, pkt[13] = 0xdd, pkt[14] = 0x60;
	pkt[20] = hops ? 0 : 58;
	for (unsigned h = 0; h < hops; h++, at += 8)
		pkt[at] = h + 1 < hops ? 0 : 58;
	return at + 4;
}

/* protochain's loop, unrolled: forward-only, exact within the bound (the
 * same verdict as libpcap's loop), 0 past it, and the bound an option. */
static void test_protochain(void)
{
	PCAPF_OPTS(eight, .protochain_depth = 8);
	char err[PCAPF_ERRBUF_SIZE];
	const struct pcapf_cbpf_insn *c;
	struct bpf_program ref;
	struct pcapf_prog *p;
	uint8_t pkt[54 + 8 * 12 + 4];
	size_t n;
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, 262144);

	CHECK(pc && pcap_compile(pc, &ref, "ip6 protochain 58", 1,
				 PCAP_NETMASK_UNKNOWN) == 0);
	p = pcapf_prog__compile("ip6 protochain 58", &eight, err);
	c = pcapf_prog__cbpf(p, &n);
	/* libpcap's 36 instructions, its 28-instruction loop 9 times (8
	 * extension headers followed) and one trampoline for the ethertype
	 * test's far branch. */
	CHECK(p && n == 36 + 8 * 28 + 1 && forward_only(c, n));
	for (unsigned hops = 0; hops <= 10; hops++) {
		unsigned len = ipv6_chain(pkt, hops);
		unsigned want = hops <= 8 ? 262144 : 0;
		CHECK(run_cbpf(c, n, pkt, len) == want);
		if (hops <= 8)
			CHECK(bpf_filter(ref.bf_insns, pkt, len, len) == want);
		/* Ending before the last extension header: 0, as libpcap. */
		if (hops)
			CHECK(run_cbpf(c, n, pkt, len - 12) == 0);
	}
	pcapf_prog__free(p);
	pcap_freecode(&ref);
	pcap_close(pc);

	/* IPv4 AH whose length sets X back to 20: libpcap 1.10.3 never
	 * leaves its loop; the unrolled one returns 0. */
	memset(pkt, 0, 14 + 20 + 12);
	pkt[12] = 0x08, pkt[14] = 0x45, pkt[23] = 51;
	pkt[34] = 51, pkt[35] = 3;
	p = pcapf_prog__compile("ip protochain 6", &eight, err);
	c = pcapf_prog__cbpf(p, &n);
	CHECK(p && forward_only(c, n) && run_cbpf(c, n, pkt, 46) == 0);
	pcapf_prog__free(p);

	/* The bound as an option: 2 extension headers, 3 copies. */
	PCAPF_OPTS(o);
	CHECK(pcapf_opts__parse(&o, "protochain_depth=2", err) == 0 &&
	      o.protochain_depth == 2);
	p = pcapf_prog__compile("ip6 protochain 58", &o, err);
	c = pcapf_prog__cbpf(p, &n);
	CHECK(p && n == 36 + 2 * 28 && forward_only(c, n));
	for (unsigned hops = 0; hops <= 4; hops++) {
		unsigned len = ipv6_chain(pkt, hops);
		CHECK(run_cbpf(c, n, pkt, len) == (hops <= 2 ? 262144u : 0u));
	}
	pcapf_prog__free(p);

	/* skb access: the copies' packet loads read through the helper alone
	 * (PCAPF_INSN_SKB_HELPER), the loads outside them may try the head;
	 * the other modes have no such loads. */
	for (int m = PCAPF_ACCESS_DIRECT; m <= PCAPF_ACCESS_PROBE; m++) {
		PCAPF_OPTS(a, .access = (enum pcapf_access)m,
			   .protochain_depth = 2);
		const struct pcapf_insn *in;
		size_t helper = 0, head = 0;

		p = pcapf_prog__compile("tcp port 80 or ip6 protochain 58", &a,
					err);
		in = pcapf_prog__insns(p, &n);
		for (size_t i = 0; p && i < n; i++) {
			if (in[i].flags & PCAPF_INSN_SKB_HELPER)
				helper++;
			else if (BPF_CLASS(in[i].code) == BPF_LD &&
				 BPF_MODE(in[i].code) == BPF_IND)
				head++;
		}
		/* 4 indexed loads a copy, 3 copies; tcp port 80's 2 over
		 * IPv4 outside. */
		CHECK(p && helper == (m == PCAPF_ACCESS_SKB ? 12u : 0u) &&
		      head == (m == PCAPF_ACCESS_SKB ? 2u : 14u));
		pcapf_prog__free(p);
	}
	CHECK(pcapf_opts__parse(&o, "protochain_depth=0", err) == -EINVAL &&
	      strstr(err, "invalid protochain_depth '0': expected 1..128 or off"));
	CHECK(pcapf_opts__parse(&o, "protochain_depth=off", err) == 0 &&
	      o.protochain_depth == PCAPF_PROTOCHAIN_OFF);
	/* The default (0, or no options): PCAPF_DEFAULT_PROTOCHAIN_DEPTH
	 * copies of the 28-instruction loop past libpcap's 36. */
	p = pcapf_prog__compile("ip6 protochain 58", NULL, err);
	c = pcapf_prog__cbpf(p, &n);
	CHECK(p && forward_only(c, n) &&
	      n > 36 + PCAPF_DEFAULT_PROTOCHAIN_DEPTH * 28);
	pcapf_prog__free(p);
	CHECK(pcapf_opts__parse(&o, "protochain_depth=129", err) == -EINVAL);
	o.protochain_depth = 129;
	CHECK(!pcapf_prog__compile("ip", &o, err) &&
	      strstr(err, "invalid protochain_depth 129"));
}

/* Backward jumps that are not protochain's loop: errors naming them. */
static void test_other_loops(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct {
		struct pcapf_cbpf_insn in[7];
		size_t n;
		const char *msg;
	} cases[] = {
		/* ja to itself - 1, no tax; ld M[] before it. */
		{{I(LD_IMM, 0, 0, 0), I(JA, 0, 0, 0xfffffffe), I(RET_K, 0, 0, 0)}, 3,
		 "insn 1: backward jump to insn 0 is not the loop libpcap emits "
		 "for 'protochain' (not preceded by tax; ld M[])"},
		{{I(JA, 0, 0, 0xfffffff0), I(RET_K, 0, 0, 0)}, 2,
		 "insn 0: backward jump to insn 0 is not the loop libpcap emits "
		 "for 'protochain' (it jumps before the start)"},
		/* The head is not jeq #k. */
		{{I(LD_IMM, 0, 0, 0), I(TAX, 0, 0, 0), I(LD_MEM, 0, 0, 0),
		  I(JA, 0, 0, 0xfffffffc), I(RET_K, 0, 0, 0)}, 5,
		 "insn 3: backward jump to insn 0 is not the loop libpcap emits "
		 "for 'protochain' (the head is not jeq #k)"},
		/* An exit past the instruction after the loop. */
		{{I(JEQ_K, 4, 0, 6), I(TAX, 0, 0, 0), I(LD_MEM, 0, 0, 0),
		  I(JA, 0, 0, 0xfffffffc), I(RET_K, 0, 0, 0), I(RET_K, 0, 0, 1)}, 6,
		 "insn 3: backward jump to insn 0 is not the loop libpcap emits "
		 "for 'protochain' (it has more than one exit)"},
		/* A jump into the loop's body from before it. */
		{{I(JEQ_K, 1, 0, 1), I(JEQ_K, 3, 0, 6), I(TAX, 0, 0, 0),
		  I(LD_MEM, 0, 0, 0), I(JA, 0, 0, 0xfffffffc), I(RET_K, 0, 0, 0)}, 6,
		 "insn 4: backward jump to insn 1 is not the loop libpcap emits "
		 "for 'protochain' (it has more than one entry)"},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct pcapf_prog *p = from_unrolled(cases[c].in, cases[c].n, err);
		CHECK(!p && errno == EOPNOTSUPP);
		if (!strstr(err, cases[c].msg)) {
			fprintf(stderr, "case %zu: got '%s', want '%s'\n", c, err,
				cases[c].msg);
			failed++;
		}
	}
}

static void test_dump(void)
{
	char err[PCAPF_ERRBUF_SIZE], buf[4096] = {0};
	struct pcapf_prog *p = pcapf_prog__compile("ip", NULL, err);
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	CHECK(p && f);
	if (!p || !f)
		return;
	CHECK(pcapf_prog__dump(p, f) == 0);
	fclose(f);
	CHECK(strstr(buf, "(000) ldh      [12] ; guard len >= 14"));
	CHECK(strstr(buf, "ret      #262144"));
	pcapf_prog__free(p);
}

/* The packet range: a check for more than the access mode can read is a
 * reject point, so what follows only from it is dead; host code lifts it. */
static void test_packet_range(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(host, .packet_range = UINT32_MAX);
	PCAPF_OPTS(skb, .access = PCAPF_ACCESS_SKB);
	struct pcapf_prog *p;
	const struct pcapf_insn *in;
	size_t n;

	p = pcapf_prog__compile("ether[70000] = 1 or ip", NULL, err);
	in = p ? pcapf_prog__insns(p, &n) : NULL;
	CHECK(p && pcapf_prog__packet_range(p) == 0xffff &&
	      (in[0].flags & PCAPF_INSN_REJECT) &&
	      !(in[1].flags & PCAPF_INSN_REACHABLE));
	pcapf_prog__free(p);
	p = pcapf_prog__compile("ether[70000] = 1 or ip", &host, err);
	in = p ? pcapf_prog__insns(p, &n) : NULL;
	CHECK(p && pcapf_prog__packet_range(p) == UINT32_MAX &&
	      in[0].guard_len == 70001 && !(in[0].flags & PCAPF_INSN_REJECT));
	pcapf_prog__free(p);
	p = pcapf_prog__compile("ether[70000] = 1 or ip", &skb, err);
	CHECK(p && pcapf_prog__packet_range(p) == UINT32_MAX);
	pcapf_prog__free(p);
	/* 65535 bytes can still be read. */
	p = pcapf_prog__compile("ether[65534] = 1", NULL, err);
	in = p ? pcapf_prog__insns(p, &n) : NULL;
	CHECK(p && in[0].guard_len == 65535);
	pcapf_prog__free(p);
}

/* PCAPF_INSN_X_IN_RANGE of insn i of a program in cBPF text: 1 or 0, -1
 * if it does not compile. */
static int x_in_range_at(const char *text, size_t i)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(cbpf, .cbpf = true);
	struct pcapf_prog *p = pcapf_prog__compile(text, &cbpf, err);
	const struct pcapf_insn *in;
	size_t n;
	int flag = -1;

	in = p ? pcapf_prog__insns(p, &n) : NULL;
	if (in && i < n)
		flag = (in[i].flags & PCAPF_INSN_X_IN_RANGE) != 0;
	pcapf_prog__free(p);
	return flag;
}

/* The value ranges of A and X: an indexed check needs no bound on X where
 * X is small by what the verifier tracks too (MSH, constants, bytes,
 * masks, constant shifts, sums, TAX/TXA, over every path in), and keeps it
 * where X may be large (halfword loads, which are byte-swapped, lengths,
 * subtractions, right shifts of those, a path where X is unbounded, X +
 * bytes past the range). */
static void test_x_range(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	struct pcapf_prog *p = pcapf_prog__compile("tcp port 80", NULL, err);
	const struct pcapf_insn *in;
	size_t n, ind = 0, in_range = 0;

	in = p ? pcapf_prog__insns(p, &n) : NULL;
	for (size_t i = 0; in && i < n; i++) {
		ind += in[i].guard_ind || pcapf_prog__ind_recheck(p, i);
		in_range += (in[i].flags & PCAPF_INSN_X_IN_RANGE) != 0;
	}
	CHECK(ind >= 2 && in_range == ind);
	pcapf_prog__free(p);

	/* ldx #65534; ldb [x + 1]: 65534 + 2 is past the 65535-byte range. */
	CHECK(x_in_range_at("3,1 0 0 65534,80 0 0 1,22 0 0 0", 1) == 0);
	CHECK(x_in_range_at("3,1 0 0 65533,80 0 0 1,22 0 0 0", 1) == 1);
	/* ldb [0]; tax; ldb [x + 0]; ret a: a byte, at most 255. */
	CHECK(x_in_range_at("4,48 0 0 0,7 0 0 0,80 0 0 0,22 0 0 0", 2) == 1);
	/* ldh [0]: byte-swapped, unbounded for the verifier... */
	CHECK(x_in_range_at("4,40 0 0 0,7 0 0 0,80 0 0 0,22 0 0 0", 2) == 0);
	/* ...unless masked: and #0xfff. */
	CHECK(x_in_range_at("5,40 0 0 0,84 0 0 4095,7 0 0 0,80 0 0 0,22 0 0 0",
			    3) == 1);
	/* ldb [0]; lsh #8: at most 65280, in range; lsh #9 is not. */
	CHECK(x_in_range_at("5,48 0 0 0,100 0 0 8,7 0 0 0,80 0 0 0,22 0 0 0",
			    3) == 1);
	CHECK(x_in_range_at("5,48 0 0 0,100 0 0 9,7 0 0 0,80 0 0 0,22 0 0 0",
			    3) == 0);
	/* ldh [0]; and #0xfff0; rsh #4: 4095; add #100: 4195; sub #1:
	 * anything. */
	CHECK(x_in_range_at("7,40 0 0 0,84 0 0 65520,116 0 0 4,4 0 0 100,"
			    "7 0 0 0,80 0 0 0,22 0 0 0", 5) == 1);
	CHECK(x_in_range_at("7,40 0 0 0,84 0 0 65520,116 0 0 4,20 0 0 1,"
			    "7 0 0 0,80 0 0 0,22 0 0 0", 5) == 0);
	/* ld [0]; rsh #24: a byte in 32 bits, but 64-bit code shifts the
	 * byte-swapped word, which the verifier does not bound. */
	CHECK(x_in_range_at("5,32 0 0 0,116 0 0 24,7 0 0 0,80 0 0 0,22 0 0 0",
			    3) == 0);
	/* X from MSH on one path, from the length on the other:
	 * ldb [0]; jeq #1, msh, len; ja; ldb [x + 0]; ret a. */
	CHECK(x_in_range_at("7,48 0 0 0,21 0 2 1,177 0 0 14,5 0 0 1,"
			    "129 0 0 0,80 0 0 0,22 0 0 0", 5) == 0);
	/* The same with a constant on the other path: both bounded. */
	CHECK(x_in_range_at("7,48 0 0 0,21 0 2 1,177 0 0 14,5 0 0 1,"
			    "1 0 0 40,80 0 0 0,22 0 0 0", 5) == 1);
	/* txa; or #0x100; tax: MSH's 60 | 256 is at most 511. */
	CHECK(x_in_range_at("6,177 0 0 14,135 0 0 0,68 0 0 256,7 0 0 0,"
			    "80 0 0 0,22 0 0 0", 4) == 1);
}

/* PCAPF_EBPF_INLINE: the registers the caller gives are checked. */
static void test_ebpf_inline_contract(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(skb, .access = PCAPF_ACCESS_SKB);
	PCAPF_EBPF_OPTS(ok, .wrap = PCAPF_EBPF_INLINE, .inline_in = {7, 8},
			.inline_work = {1, 2, 3, 4}, .inline_result = 6,
			.inline_stack = -16);
	struct pcapf_prog *p = pcapf_prog__compile("tcp port 80", NULL, err);
	struct pcapf_prog *q = pcapf_prog__compile("tcp", &skb, err);
	struct pcapf_ebpf_opts o;
	struct pcapf_ebpf_insn *insns;
	size_t cnt;
	bool exits = false;

	CHECK(p && q && pcapf_prog__emit_ebpf(p, &ok, &insns, &cnt, err) == 0);
	for (size_t i = 0; p && i < cnt; i++)
		exits |= insns[i].code == 0x95;
	CHECK(!exits && insns[cnt - 1].dst_reg == 6); /* "w6 = 0" last */
	free(insns);
	o = ok, o.inline_work[2] = 7; /* an input register as work */
	CHECK(pcapf_prog__emit_ebpf(p, &o, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "r7 is given twice"));
	o = ok, o.inline_stack = -12;
	CHECK(pcapf_prog__emit_ebpf(p, &o, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "multiple of 8"));
	o = ok, o.inline_result = 10;
	CHECK(pcapf_prog__emit_ebpf(p, &o, &insns, &cnt, err) == -EINVAL);
	/* Helper calls clobber r0-r5: skb access keeps its state in r6-r9. */
	CHECK(pcapf_prog__emit_ebpf(q, &ok, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "must be r6-r9, not r1"));
	o = ok, o.inline_in[0] = 1;
	memcpy(o.inline_work, (uint8_t[]){9, 8, 7, 6}, 4);
	CHECK(pcapf_prog__emit_ebpf(q, &o, &insns, &cnt, err) == 0);
	free(insns);
	/* An older caller's struct without the inline fields. */
	o = ok, o.sz = offsetof(struct pcapf_ebpf_opts, inline_in);
	CHECK(pcapf_prog__emit_ebpf(p, &o, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "needs the inline_* fields"));
	pcapf_prog__free(p);
	pcapf_prog__free(q);
}

/* The eBPF back end's arguments and what it refuses. */
static void test_ebpf_api(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(skb, .access = PCAPF_ACCESS_SKB);
	PCAPF_OPTS(host, .packet_range = UINT32_MAX);
	PCAPF_EBPF_OPTS(v5, .cpu = 5);
	PCAPF_EBPF_OPTS(badwrap, .wrap = (enum pcapf_ebpf_wrap)7);
	PCAPF_EBPF_OPTS(xdp, .wrap = PCAPF_EBPF_XDP, .cpu = 1);
	struct pcapf_prog *p = pcapf_prog__compile("tcp port 80", NULL, err);
	struct pcapf_prog *q;
	struct pcapf_ebpf_insn *insns = NULL;
	size_t cnt = 0;

	CHECK(pcapf_prog__emit_ebpf(NULL, NULL, &insns, &cnt, NULL) == -EINVAL);
	CHECK(pcapf_prog__emit_ebpf(p, NULL, NULL, &cnt, err) == -EINVAL);
	CHECK(pcapf_prog__emit_ebpf(p, &v5, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "v5"));
	CHECK(pcapf_prog__emit_ebpf(p, &badwrap, &insns, &cnt, NULL) == -EINVAL);
	CHECK(pcapf_prog__emit_ebpf(p, NULL, &insns, &cnt, err) == 0 && cnt > 10 &&
	      insns[cnt - 1].code == 0x95 /* exit */);
	free(insns);
	/* The XDP program reads data_end and data from the context first. */
	CHECK(pcapf_prog__emit_ebpf(p, &xdp, &insns, &cnt, err) == 0 &&
	      insns[0].code == 0x61 && insns[0].src_reg == 1 && insns[0].off == 4 &&
	      insns[1].code == 0x61 && insns[1].off == 0);
	free(insns);
	pcapf_prog__free(p);
	/* skb access has a __sk_buff to read, which XDP programs lack. */
	q = pcapf_prog__compile("tcp", &skb, err);
	CHECK(q && pcapf_prog__emit_ebpf(q, NULL, &insns, &cnt, err) == 0);
	free(insns);
	CHECK(q && pcapf_prog__emit_ebpf(q, &xdp, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "access=skb reads a struct __sk_buff"));
	pcapf_prog__free(q);
	q = pcapf_prog__compile("tcp", &host, err);
	CHECK(q && pcapf_prog__emit_ebpf(q, NULL, &insns, &cnt, err) == -EINVAL &&
	      strstr(err, "packet_range"));
	pcapf_prog__free(q);
	test_ebpf_inline_contract();
}

/* The stub forms: names, access modes (default first), what fits, wraps. */
static void test_stub_forms(void)
{
	char err[PCAPF_ERRBUF_SIZE];
	const char *pointers[2] = {"void", "void"}, *xdp[2] = {"xdp_md", NULL};
	const char *skb[2] = {"__sk_buff", NULL}, *other[2] = {"sock", NULL};
	const char *half[2] = {"void", NULL};
	const enum pcapf_access *m;
	size_t n = 7;

	CHECK(pcapf_stub_form_find(2, pointers, err) == PCAPF_STUB_POINTERS);
	CHECK(pcapf_stub_form_find(1, xdp, err) == PCAPF_STUB_XDP);
	CHECK(pcapf_stub_form_find(1, skb, err) == PCAPF_STUB_SKB);
	CHECK(pcapf_stub_form_find(2, xdp, err) == -EINVAL);
	CHECK(pcapf_stub_form_find(2, half, err) == -EINVAL);
	CHECK(pcapf_stub_form_find(1, pointers, err) == -EINVAL);
	CHECK(pcapf_stub_form_find(0, NULL, NULL) == -EINVAL);
	CHECK(pcapf_stub_form_find(1, other, err) == -EINVAL &&
	      !strcmp(err, "unsupported stub prototype: expected (void *data, "
		      "void *data_end), (struct xdp_md *ctx) or (struct "
		      "__sk_buff *skb)"));
	CHECK(!strcmp(pcapf_stub_form_name(PCAPF_STUB_XDP), "(struct xdp_md *ctx)"));
	CHECK(!strcmp(pcapf_stub_form_name((enum pcapf_stub_form)3), "unknown"));
	m = pcapf_stub_form_modes(PCAPF_STUB_POINTERS, &n);
	CHECK(n == 2 && m[0] == PCAPF_ACCESS_DIRECT && m[1] == PCAPF_ACCESS_PROBE);
	m = pcapf_stub_form_modes(PCAPF_STUB_XDP, &n);
	CHECK(n == 1 && m[0] == PCAPF_ACCESS_DIRECT);
	m = pcapf_stub_form_modes(PCAPF_STUB_SKB, &n);
	CHECK(n == 2 && m[0] == PCAPF_ACCESS_SKB &&
	      m[1] == PCAPF_ACCESS_SKB_LOAD_BYTES);
	CHECK(pcapf_stub_form_modes((enum pcapf_stub_form)-1, &n) == NULL &&
	      n == 0 && errno == EINVAL);
	CHECK(pcapf_stub_form_modes(PCAPF_STUB_SKB, NULL) != NULL);
	/* The default is the form's first mode; a mode it lacks is an error
	 * naming the stub, its form and the modes it has. */
	CHECK(pcapf_stub_form_access(PCAPF_STUB_SKB, PCAPF_ACCESS_DEFAULT, "s",
				     err) == PCAPF_ACCESS_SKB);
	CHECK(pcapf_stub_form_access(PCAPF_STUB_POINTERS, PCAPF_ACCESS_PROBE,
				     "s", err) == PCAPF_ACCESS_PROBE);
	CHECK(pcapf_stub_form_access(PCAPF_STUB_POINTERS, PCAPF_ACCESS_SKB,
				     "web", err) == -EINVAL &&
	      !strcmp(err, "access=skb does not fit stub 'web' (void *data, "
		      "void *data_end); it supports: direct, probe"));
	CHECK(pcapf_stub_form_access(PCAPF_STUB_XDP, PCAPF_ACCESS_PROBE, NULL,
				     err) == -EINVAL &&
	      !strcmp(err, "access=probe does not fit a stub (struct xdp_md "
		      "*ctx); it supports: direct"));
	CHECK(pcapf_stub_form_access((enum pcapf_stub_form)9,
				     PCAPF_ACCESS_DIRECT, "s", err) == -EINVAL &&
	      strstr(err, "unknown stub form 9"));
	CHECK(pcapf_stub_form_access(PCAPF_STUB_SKB, PCAPF_ACCESS_DIRECT, "s",
				     NULL) == -EINVAL);
	CHECK(pcapf_stub_form_wrap(PCAPF_STUB_XDP) == PCAPF_EBPF_XDP);
	CHECK(pcapf_stub_form_wrap(PCAPF_STUB_POINTERS) == PCAPF_EBPF_SUBPROG);
	CHECK(pcapf_stub_form_wrap(PCAPF_STUB_SKB) == PCAPF_EBPF_SUBPROG);
	/* Only __u32 gets the filter's value. */
	CHECK(!pcapf_stub_returns_match(4, false, false));
	CHECK(pcapf_stub_returns_match(4, true, false));  /* int */
	CHECK(pcapf_stub_returns_match(1, false, true));  /* bool */
	CHECK(pcapf_stub_returns_match(8, false, false)); /* __u64 */
	CHECK(pcapf_stub_returns_match(0, false, false)); /* not an integer */
}

/*
 * Run eBPF of direct access (subprogram or inline, data in r1 or in[0],
 * data_end in r2 or in[1]) on pkt: the instructions the back end emits for
 * it, nothing more. Returns r0 at the exit, or the result register where
 * inline code goes past its end; ~0u for what it does not run (a failure).
 */
static uint64_t run_ebpf(const struct pcapf_ebpf_insn *insns, size_t cnt,
			 const uint8_t *pkt, size_t len,
			 const struct pcapf_ebpf_opts *inl)
{
	uint64_t r[11] = {0}, stack[64];
	uint8_t *lo[2] = {(uint8_t *)pkt, (uint8_t *)stack};
	size_t size[2] = {len, sizeof(stack)};

	r[inl ? inl->inline_in[0] : 1] = (uintptr_t)pkt;
	r[inl ? inl->inline_in[1] : 2] = (uintptr_t)pkt + len;
	r[10] = (uintptr_t)stack + sizeof(stack) + (inl ? inl->inline_stack : 0);
	for (size_t pc = 0, steps = 0; steps < 100000; pc++, steps++) {
		const struct pcapf_ebpf_insn *in = &insns[pc < cnt ? pc : 0];
		uint8_t cls = in->code & 7, op = in->code & 0xf0;
		uint64_t *d, s;
		bool taken;

		if (pc == cnt && inl)
			return r[inl->inline_result];
		if (pc >= cnt || in->dst_reg > 10 || in->src_reg > 10)
			return ~0u;
		d = &r[in->dst_reg];
		s = in->code & 8 ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
		if (cls == 1 || cls == 2 || cls == 3) { /* LDX, ST, STX */
			unsigned bytes = (in->code & 0x18) == 0x10 ? 1 :
					 (in->code & 0x18) == 0x08 ? 2 : 4;
			uintptr_t at = (uintptr_t)r[cls == 1 ? in->src_reg
							     : in->dst_reg] + in->off;
			uint32_t v = 0;
			int m;

			if ((in->code & 0xe0) != 0x60 || (in->code & 0x18) == 0x18)
				return ~0u;
			for (m = 0; m < 2; m++)
				if (at >= (uintptr_t)lo[m] &&
				    at + bytes <= (uintptr_t)lo[m] + size[m])
					break;
			if (m == 2)
				return ~0u; /* outside the packet and stack */
			if (cls == 1) {
				memcpy(&v, (void *)at, bytes);
				*d = v; /* little-endian host: the low bytes */
			} else {
				v = (uint32_t)(cls == 2 ? (uint64_t)in->imm
							: r[in->src_reg]);
				memcpy((void *)at, &v, bytes);
			}
			continue;
		}
		if (cls == 4 || cls == 7) { /* ALU, ALU64 */
			uint64_t v = *d;

			switch (op) {
			case 0x00: v += s; break;
			case 0x10: v -= s; break;
			case 0x20: v *= s; break;
			case 0x30: v = s ? (cls == 4 ? (uint32_t)v / (uint32_t)s : v / s) : 0; break;
			case 0x40: v |= s; break;
			case 0x50: v &= s; break;
			case 0x60: v <<= s & 63; break;
			case 0x70: v = (cls == 4 ? (uint32_t)v : v) >> (s & 63); break;
			case 0x80: v = -v; break;
			case 0x90: v = s ? (cls == 4 ? (uint32_t)v % (uint32_t)s : v % s) : v; break;
			case 0xa0: v ^= s; break;
			case 0xb0: v = s; break;
			case 0xd0: /* to big-endian, on a little-endian host */
				v = in->imm == 16 ? __builtin_bswap16((uint16_t)v)
				    : in->imm == 32 ? __builtin_bswap32((uint32_t)v)
						    : __builtin_bswap64(v);
				break;
			default: return ~0u;
			}
			*d = cls == 4 ? (uint32_t)v : v;
			continue;
		}
		if (cls != 5 && cls != 6) /* JMP, JMP32 */
			return ~0u;
		if (op == 0x90) /* exit */
			return r[0];
		if (op == 0x80) /* call: direct access has none */
			return ~0u;
		{
			uint64_t a = cls == 6 ? (uint32_t)*d : *d;
			uint64_t b = cls == 6 ? (uint32_t)s : s;

			switch (op) {
			case 0x00: taken = true; break;
			case 0x10: taken = a == b; break;
			case 0x20: taken = a > b; break;
			case 0x30: taken = a >= b; break;
			case 0x40: taken = a & b; break;
			case 0x50: taken = a != b; break;
			case 0xa0: taken = a < b; break;
			case 0xb0: taken = a <= b; break;
			default: return ~0u;
			}
		}
		if (taken)
			pc += in->off;
	}
	return ~0u;
}

/* The result of expr (cBPF text if cbpf) on pkt through the eBPF back end,
 * with eopts; ~0u if it does not compile or run. */
static uint64_t ebpf_result(const char *expr, bool cbpf, uint32_t snaplen,
			    const struct pcapf_ebpf_opts *eopts,
			    const uint8_t *pkt, size_t len)
{
	char err[PCAPF_ERRBUF_SIZE];
	PCAPF_OPTS(o, .cbpf = cbpf, .snaplen = snaplen);
	struct pcapf_prog *p = pcapf_prog__compile(expr, &o, err);
	struct pcapf_ebpf_insn *insns;
	size_t cnt;
	uint64_t v = ~0u;

	if (p && !pcapf_prog__emit_ebpf(p, eopts, &insns, &cnt, err)) {
		v = run_ebpf(insns, cnt, pkt, len,
			     eopts->wrap == PCAPF_EBPF_INLINE ? eopts : NULL);
		free(insns);
	}
	pcapf_prog__free(p);
	return v;
}

/* Is every instruction of insns reached from the first (the verifier
 * refuses code that is not)? Jumps and fall-throughs; exit ends a path. */
static bool all_reachable(const struct pcapf_ebpf_insn *insns, size_t cnt)
{
	bool *seen = calloc(cnt + 1, sizeof(*seen)), ok = true;

	if (!seen)
		return false;
	seen[0] = true;
	/* Jumps go backwards too: sweep until nothing changes. */
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < cnt; i++) {
			uint8_t cls = insns[i].code & 7, op = insns[i].code & 0xf0;
			long to = (long)i + 1 + insns[i].off;
			bool jump = (cls == 5 || cls == 6) && op != 0x80 && op != 0x90;

			if (!seen[i])
				continue;
			if (jump && to >= 0 && to <= (long)cnt && !seen[to])
				seen[to] = grew = true;
			if (!(cls == 5 && (op == 0x00 || op == 0x90)) && !seen[i + 1])
				seen[i + 1] = grew = true;
		}
	}
	for (size_t i = 0; i < cnt; i++)
		ok &= seen[i];
	free(seen);
	return ok;
}

/* The layout (equality chains, returns preset or laid out) leaves no
 * instruction unreached, in each instruction set and with the result in
 * A's register or not. `net 10.0.0.0/8 and not port 22`: a chain whose
 * default is a match return once had its return block laid out and never
 * entered. */
static void test_ebpf_layout_reachable(void)
{
	static const char *const exprs[] = {
		"net 10.0.0.0/8 and not port 22", "tcp port 80", "tcp",
		"net 192.168.0.0/16", "icmp or icmp6 or arp", "portrange 1000-2000",
		"not arp", "ip[9] = 6 or ip[9] = 17 or ip[9] = 132",
		"ether[2:4] = 0xffffffff or ether[2:4] = 0x80000000",
		"tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
		"vlan and ip and tcp port 22",
	};
	PCAPF_EBPF_OPTS(v1, .cpu = 1);
	PCAPF_EBPF_OPTS(v3, .cpu = 3);
	PCAPF_EBPF_OPTS(inl, .wrap = PCAPF_EBPF_INLINE, .inline_in = {7, 8},
			.inline_work = {1, 2, 3, 4}, .inline_result = 0,
			.inline_stack = -16);
	const struct pcapf_ebpf_opts *forms[] = {&v1, &v3, &inl};

	for (size_t x = 0; x < sizeof(exprs) / sizeof(exprs[0]); x++) {
		struct pcapf_prog *p = pcapf_prog__compile(exprs[x], NULL, NULL);

		for (size_t f = 0; p && f < sizeof(forms) / sizeof(forms[0]); f++) {
			struct pcapf_ebpf_insn *insns;
			size_t cnt;
			bool ok = !pcapf_prog__emit_ebpf(p, forms[f], &insns,
							 &cnt, NULL);

			if (ok) {
				ok = all_reachable(insns, cnt);
				free(insns);
			}
			if (!ok)
				fprintf(stderr, "  %s, form %zu\n", exprs[x], f);
			CHECK(ok);
		}
		CHECK(p);
		pcapf_prog__free(p);
	}
}

/* The match option: 1 on a match, 0 otherwise, where the filter's value
 * would be the snap length or A; in each wrap the direct access has. */
static void test_ebpf_match(void)
{
	/* Ethernet, IPv4, TCP from port 1234 to port 80. */
	static const uint8_t tcp80[54] = {
		[12] = 0x08, [14] = 0x45, [23] = 6, [34] = 0x04, [35] = 0xd2,
		[37] = 80,
	};
	static const uint8_t seven[4] = {7};
	/* ldb [0]; ret a, and ld len; ret a: the value is A. */
	const char *ret_byte = "2,48 0 0 0,22 0 0 0", *ret_len = "2,128 0 0 0,22 0 0 0";
	PCAPF_EBPF_OPTS(value);
	PCAPF_EBPF_OPTS(match, .match = true);
	PCAPF_EBPF_OPTS(match_v1, .match = true, .cpu = 1);
	PCAPF_EBPF_OPTS(inl, .wrap = PCAPF_EBPF_INLINE, .match = true,
			.inline_in = {7, 8}, .inline_work = {1, 2, 3, 4},
			.inline_result = 6, .inline_stack = -16);
	struct pcapf_ebpf_opts old = match;
	struct pcapf_ebpf_insn *insns;
	struct pcapf_prog *p;
	size_t cnt;
	bool ret_a_form = false;

	CHECK(ebpf_result("tcp port 80", false, 0, &value, tcp80, 54) == 262144);
	CHECK(ebpf_result("tcp port 80", false, 0, &match, tcp80, 54) == 1);
	CHECK(ebpf_result("tcp port 81", false, 0, &match, tcp80, 54) == 0);
	CHECK(ebpf_result("tcp port 80", false, 0, &match_v1, tcp80, 54) == 1);
	CHECK(ebpf_result("tcp port 80", false, 0, &inl, tcp80, 54) == 1);
	CHECK(ebpf_result("udp", false, 0, &inl, tcp80, 54) == 0);
	CHECK(ebpf_result("ip", false, 96, &value, tcp80, 54) == 96);
	CHECK(ebpf_result("ip", false, 96, &match, tcp80, 54) == 1);
	/* Too short for the port: the shared no-match exit. */
	CHECK(ebpf_result("tcp port 80", false, 0, &match, tcp80, 36) == 0);
	/* ret a: A itself, or 1 where it is not 0. */
	CHECK(ebpf_result(ret_byte, true, 0, &value, seven, 4) == 7);
	CHECK(ebpf_result(ret_byte, true, 0, &match, seven, 4) == 1);
	CHECK(ebpf_result(ret_byte, true, 0, &match_v1, seven, 4) == 1);
	CHECK(ebpf_result(ret_byte, true, 0, &inl, seven, 4) == 1);
	CHECK(ebpf_result(ret_byte, true, 0, &match, tcp80, 54) == 0);
	CHECK(ebpf_result(ret_byte, true, 0, &inl, tcp80, 54) == 0);
	CHECK(ebpf_result(ret_len, true, 0, &value, tcp80, 54) == 54);
	CHECK(ebpf_result(ret_len, true, 0, &match, tcp80, 54) == 1);
	CHECK(ebpf_result(ret_len, true, 0, &match, tcp80, 0) == 0);
	/* ret a as `if r0 == 0 goto +1; w0 = 1`, then to the one exit. */
	p = pcapf_prog__compile(ret_byte, &(struct pcapf_opts){
		.sz = sizeof(struct pcapf_opts), .cbpf = true}, NULL);
	CHECK(p && !pcapf_prog__emit_ebpf(p, &match, &insns, &cnt, NULL));
	for (size_t i = 0; p && i + 2 < cnt; i++)
		ret_a_form |= insns[i].code == 0x15 && insns[i].dst_reg == 0 &&
			      insns[i].imm == 0 && insns[i].off == 1 &&
			      insns[i + 1].code == 0xb4 && insns[i + 1].imm == 1 &&
			      (insns[i + 2].code == 0x95 ||
			       (insns[i + 2].code == 0x05 &&
				insns[i + 3 + insns[i + 2].off].code == 0x95));
	CHECK(ret_a_form);
	if (p)
		free(insns);
	pcapf_prog__free(p);
	/* An older caller's struct ends before match: the value, as before. */
	old.sz = offsetof(struct pcapf_ebpf_opts, match);
	CHECK(ebpf_result("tcp port 80", false, 0, &old, tcp80, 54) == 262144);
}

int main(void)
{
	test_options();
	test_compile_errors();
	test_validation();
	test_guards_tcp_port();
	test_hoisting_rule();
	test_rejects_and_reachability();
	test_initialisation();
	test_indexed_guards();
	test_indexed_recheck();
	test_as_loaded();
	test_cbpf_text();
	test_ancillary();
	test_ancillary_reads();
	test_null_arguments();
	test_counts();
	test_opts_size();
	test_decimal_numbers();
	test_dump();
	test_packet_range();
	test_x_range();
	test_ebpf_api();
	test_stub_forms();
	test_ebpf_match();
	test_ebpf_layout_reachable();
	test_protochain();
	test_other_loops();
	printf("test_runtime: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
