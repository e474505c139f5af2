/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * internal.h: what the stages of libpcapf share and do not export.
 *
 * The pipeline, one file per stage:
 *   options.c   parse "key=value" option strings into struct pcapf_opts
 *   compile.c   expression -> classic BPF, with libpcap
 *   cbpf_text.c classic BPF as text (tcpdump -ddd, xt_bpf) -> instructions
 *   extensions.c the Linux extensions (SKF_AD_*): one table for all stages
 *   validate.c  reject what cannot be translated, naming the instruction
 *   unroll.c    protochain's loop -> bounded copies, a forward-only program
 *   analyze.c   reachability, register/scratch initialisation, guards
 *   prog.c      the pcapf_prog object that ties the stages together
 *   dump.c      a readable listing of the analysed program
 *   ebpf.c      the eBPF bytecode back end
 *   stub.c      the stub forms and results, for loaders of run-time stubs
 */
#ifndef PCAPF_INTERNAL_H
#define PCAPF_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcapf.h"

/* Classic BPF encoding (as in <pcap/bpf.h>; spelled out so the stages do not
 * depend on which BPF header a platform ships). */
#define CBPF_CLASS(c) ((c) & 0x07)
#define CBPF_LD 0x00
#define CBPF_LDX 0x01
#define CBPF_ST 0x02
#define CBPF_STX 0x03
#define CBPF_ALU 0x04
#define CBPF_JMP 0x05
#define CBPF_RET 0x06
#define CBPF_MISC 0x07

#define CBPF_SIZE(c) ((c) & 0x18)
#define CBPF_W 0x00
#define CBPF_H 0x08
#define CBPF_B 0x10

#define CBPF_MODE(c) ((c) & 0xe0)
#define CBPF_IMM 0x00
#define CBPF_ABS 0x20
#define CBPF_IND 0x40
#define CBPF_MEM 0x60
#define CBPF_LEN 0x80
#define CBPF_MSH 0xa0

#define CBPF_OP(c) ((c) & 0xf0)
#define CBPF_ADD 0x00
#define CBPF_SUB 0x10
#define CBPF_MUL 0x20
#define CBPF_DIV 0x30
#define CBPF_OR 0x40
#define CBPF_AND 0x50
#define CBPF_LSH 0x60
#define CBPF_RSH 0x70
#define CBPF_NEG 0x80
#define CBPF_MOD 0x90
#define CBPF_XOR 0xa0

#define CBPF_JA 0x00
#define CBPF_JEQ 0x10
#define CBPF_JGT 0x20
#define CBPF_JGE 0x30
#define CBPF_JSET 0x40

#define CBPF_SRC(c) ((c) & 0x08)
#define CBPF_K 0x00
#define CBPF_X 0x08

#define CBPF_RVAL(c) ((c) & 0x18)
#define CBPF_A 0x10

#define CBPF_MISCOP(c) ((c) & 0xf8)
#define CBPF_TAX 0x00
#define CBPF_TXA 0x80

#define CBPF_MEMWORDS 16

/* Linux ancillary loads: absolute offsets from SKF_AD_OFF (-0x1000). */
#define CBPF_SKF_AD_OFF PCAPF_SKF_AD_OFF

struct pcapf_prog {
	struct pcapf_cbpf_insn *cbpf; /* the input, protochain unrolled */
	struct pcapf_insn *insns;     /* the analysed program */
	size_t cnt;
	uint16_t scratch_init;
	uint8_t init_a, init_x;
	uint8_t rejects_all; /* libpcap: "expression rejects all packets" */
	/* By insn, 1 in a copy of protochain's loop (pcapf_unroll); NULL if
	 * nothing was unrolled. */
	uint8_t *copied;
	int linktype;
	uint32_t snaplen;
	enum pcapf_access access;
	uint32_t skb_linear;
	uint32_t packet_range; /* see struct pcapf_opts; never 0 */
	uint32_t *ind_recheck; /* by insn, pcapf_prog__ind_recheck() */
	uint8_t *as_loaded;    /* by insn, pcapf_prog__as_loaded() */
};

/* Write a message to errbuf (may be NULL), printf-style, truncating. */
void pcapf_err(char *errbuf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The verifier's packet range (MAX_PACKET_OFF): the default packet_range
 * of direct and probe access. */
#define PCAPF_MAX_PACKET_OFF 0xffffu

/*
 * Options structs, as libbpf's OPTS_VALID/OPTS_GET treat them: the caller's
 * sz says how much of the struct it knows. Fields past an older caller's sz
 * read as their default; bytes past the end of the last field this library
 * knows, up to a newer caller's sz, must be zero (a field this library would
 * ignore). An sz that does not cover sz itself is an error.
 */
#define PCAPF_OFFSETOFEND(type, field)                                         \
	(offsetof(type, field) + sizeof(((type *)0)->field))

/* options.c: 0, or -EINVAL with a message if user_sz is too small or a byte
 * from known_sz up to user_sz is non-zero. */
int pcapf_opts_valid(const void *opts, size_t user_sz, size_t known_sz,
		     const char *type_name, char *errbuf);

/* The last field of struct pcapf_opts this library knows. */
#define PCAPF_OPTS_LAST_FIELD protochain_depth
#define PCAPF_OPTS_VALID(opts, errbuf)                                         \
	pcapf_opts_valid((opts), (opts)->sz,                                   \
			 PCAPF_OFFSETOFEND(struct pcapf_opts,                  \
					   PCAPF_OPTS_LAST_FIELD),             \
			 "pcapf_opts", (errbuf))
/* The last field of struct pcapf_ebpf_opts this library knows (ebpf.c
 * validates it as PCAPF_OPTS_VALID does struct pcapf_opts). */
#define PCAPF_EBPF_OPTS_LAST_FIELD match
/* opts->field if the caller's struct has it, else fallback. */
#define PCAPF_OPTS_GET(opts, field, fallback)                                  \
	((opts)->sz >= PCAPF_OFFSETOFEND(struct pcapf_opts, field)             \
		 ? (opts)->field                                               \
		 : (fallback))

/* The options as the stages use them, defaults filled in. */
struct pcapf_settings {
	int linktype;
	uint32_t snaplen;
	enum pcapf_access access; /* never PCAPF_ACCESS_DEFAULT */
	bool cbpf;
	uint32_t skb_linear;
	uint32_t packet_range; /* never 0 */
	uint32_t protochain_depth; /* 0 (off) .. PCAPF_MAX_PROTOCHAIN_DEPTH,
				    * the default filled in */
};

/* options.c: check opts (may be NULL: all defaults) and resolve it. */
int pcapf_resolve_opts(const struct pcapf_opts *opts,
		       struct pcapf_settings *set, char *errbuf);

/* options.c: a decimal number of at most max at s; *end is set past it.
 * -EINVAL if s does not start with a digit, -ERANGE above max. */
int pcapf_parse_decimal(const char *s, const char **end, uint64_t max,
			uint64_t *out);

/* compile.c: run pcap_compile(); on success *insns is malloc'ed. A filter
 * libpcap finds can match nothing becomes `ret #0` with *rejects_all set. */
int pcapf_compile_expr(const char *expr, int linktype, uint32_t snaplen,
		       struct pcapf_cbpf_insn **insns, size_t *cnt,
		       int *rejects_all, char *errbuf);

/* The most instructions accepted. libpcap has no limit; this one only keeps
 * a hostile input from exhausting memory, and is far above what the
 * verifier accepts. */
#define PCAPF_MAX_INSNS (1u << 20)

/* cbpf_text.c: parse classic BPF text; on success *insns is malloc'ed. */
int pcapf_cbpf_parse(const char *text, struct pcapf_cbpf_insn **insns,
		     size_t *cnt, char *errbuf);

/* validate.c: 0 if insns can be translated for the access mode, backward
 * `ja` aside (pcapf_unroll's). */
int pcapf_validate(const struct pcapf_cbpf_insn *insns, size_t cnt,
		   enum pcapf_access access, char *errbuf);

/* unroll.c: after pcapf_validate(), replace libpcap's protochain loops in
 * *insns (reallocated, *cnt updated) by depth + 1 copies of the loop, so
 * the program is forward-only; a chain of more than depth extension headers
 * returns 0. *copied gets a malloc'ed array of the new *cnt, 1 for the
 * instructions of the copies, or NULL when nothing was unrolled. No
 * backward jump: unchanged. Depth 0 (unrolling off), or any other backward
 * jump: -EOPNOTSUPP naming the instruction. */
int pcapf_unroll(struct pcapf_cbpf_insn **insns, size_t *cnt, uint32_t depth,
		 uint8_t **copied, char *errbuf);


/* analyze.c: what an instruction reads (*use) and writes (*def): bit i
 * for M[i], PCAPF_DEF_A and PCAPF_DEF_X for the registers. */
#define PCAPF_DEF_A (1u << CBPF_MEMWORDS)
#define PCAPF_DEF_X (1u << (CBPF_MEMWORDS + 1))
void pcapf_def_use(const struct pcapf_insn *in, uint32_t *use, uint32_t *def);

/* analyze.c: the successors of instruction i (0, 1 or 2 absolute indices
 * in succ); a return and a reject point have none. */
int pcapf_successors(const struct pcapf_insn *in, size_t i, uint32_t succ[2]);

/* analyze.c: fill prog->insns and the entry requirements from prog->cbpf. */
int pcapf_analyze(struct pcapf_prog *prog, char *errbuf);

/* True for a Linux ancillary load (LD ABS at SKF_AD_OFF + n). Offsets past
 * SKF_AD_MAX are ordinary loads far past any packet (libpcap emits ld [-2]
 * on some link types): they return 0, as in libpcap. */
static inline int pcapf_is_ancillary(uint16_t code, uint32_t k)
{
	return CBPF_CLASS(code) == CBPF_LD && CBPF_MODE(code) == CBPF_ABS &&
	       PCAPF_IS_ANCILLARY_K(k);
}

/* True for the cBPF load instructions that read packet bytes. */
static inline int pcapf_is_packet_load(uint16_t code, uint32_t k)
{
	return (CBPF_CLASS(code) == CBPF_LD &&
		(CBPF_MODE(code) == CBPF_ABS || CBPF_MODE(code) == CBPF_IND) &&
		!pcapf_is_ancillary(code, k)) ||
	       code == (CBPF_LDX | CBPF_B | CBPF_MSH);
}

/* Bytes a load reads: 4, 2 or 1. */
static inline uint32_t pcapf_load_size(uint16_t code)
{
	switch (CBPF_SIZE(code)) {
	case CBPF_W: return 4;
	case CBPF_H: return 2;
	default: return 1;
	}
}

#endif /* PCAPF_INTERNAL_H */
