/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf.h: the host-side C API of libpcapf, the pcapfilter translator.
 *
 * libpcapf turns a tcpdump filter expression (or classic BPF written by
 * hand) into an analysed program that a back end can lower to eBPF without
 * knowing libpcap's corner cases: every packet bounds check, division guard,
 * register and scratch initialisation the lowering needs is spelled out in
 * the program, and the lowering contract below says what each opcode means.
 * The Clang plugin (libpcapfilter.so) lowers it to LLVM IR at build time.
 *
 * Conventions follow libbpf: functions are named object__verb; options
 * structs start with their size so fields can be appended; pointer-returning
 * functions return NULL and set errno on error, int-returning ones return a
 * negative errno. Human-readable errors go to a caller-supplied buffer of
 * PCAPF_ERRBUF_SIZE bytes, as with libpcap.
 *
 * Every errbuf may be NULL (no message is written), and every opts may be
 * NULL (all defaults). A NULL program given to an accessor reads as an empty
 * program: 0, false or NULL (with errno EINVAL), -EINVAL for
 * pcapf_prog__linktype() and pcapf_prog__dump().
 */
#ifndef PCAPF_H
#define PCAPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h> /* memset, for PCAPF_OPTS */

#ifdef __cplusplus
extern "C" {
#endif

#define PCAPF_API __attribute__((visibility("default")))

/* Same size as libpcap's PCAP_ERRBUF_SIZE, so libpcap messages fit. */
#define PCAPF_ERRBUF_SIZE 256

/* libpcap's default snap length (tcpdump's MAXIMUM_SNAPLEN): the value a
 * matching filter returns unless a snap length is given. */
#define PCAPF_DEFAULT_SNAPLEN 262144u

/* How the generated code reads packet bytes. */
enum pcapf_access {
	/* Not chosen: the caller's default. The C API and the CLI take it as
	 * PCAPF_ACCESS_DIRECT; the plugin as the default of the stub's form.
	 * A zeroed options struct therefore means "defaults", as in libbpf. */
	PCAPF_ACCESS_DEFAULT = 0,
	/* Packet pointers (data, data_end), bounds-checked loads. */
	PCAPF_ACCESS_DIRECT,
	/* struct __sk_buff: loads inside the linear head read it directly,
	 * loads beyond it use bpf_skb_load_bytes(); len is skb->len; Linux
	 * extensions come from __sk_buff fields and helpers. */
	PCAPF_ACCESS_SKB,
	/* As PCAPF_ACCESS_SKB, but every load uses bpf_skb_load_bytes():
	 * socket filters may not read packet data directly. */
	PCAPF_ACCESS_SKB_LOAD_BYTES,
	/* (data, data_end) are addresses in kernel memory (tracing programs):
	 * loads use bpf_probe_read_kernel(), its failure is no match. */
	PCAPF_ACCESS_PROBE,
};

/*
 * Options, extensible as libbpf's are. sz is sizeof(struct pcapf_opts) as
 * the caller was compiled with:
 *   - an older caller's smaller sz is accepted: the fields that end beyond
 *     its sz are taken as zero, that is, as their defaults;
 *   - a newer caller's larger sz is accepted only if every byte from the end
 *     of the last field this library knows (protochain_depth) up to sz is zero,
 *     else -EINVAL "unknown non-zero field": the caller set something this
 *     library would ignore. This includes trailing padding, so zero the
 *     whole struct (PCAPF_OPTS does; or memset);
 *   - an sz smaller than the sz field itself (0, say) is -EINVAL.
 * All-zero fields (beside sz) mean all defaults.
 */
struct pcapf_opts {
	size_t sz; /* sizeof(struct pcapf_opts) of the caller */
	/* libpcap link-type name ("EN10MB", "RAW", ...) or DLT number as a
	 * string; NULL means EN10MB. The string must outlive the call. */
	const char *linktype;
	/* Snap length handed to pcap_compile(), at most PCAPF_DEFAULT_SNAPLEN;
	 * 0 means PCAPF_DEFAULT_SNAPLEN. */
	uint32_t snaplen;
	enum pcapf_access access;
	/* The text given to pcapf_prog__compile() is classic BPF as numbers
	 * (tcpdump -ddd lines, or xt_bpf's comma-separated form), not a
	 * filter expression. */
	bool cbpf;
	/* skb access only, for tests: read directly only the first
	 * skb_linear bytes of the linear head and use bpf_skb_load_bytes()
	 * beyond, as for an skb whose head is that short (BPF_PROG_TEST_RUN
	 * only builds linear skbs). 0: the whole head; at most 65535. */
	uint32_t skb_linear;
	/* The most bytes from the start of the packet the generated code can
	 * read; a check for more returns 0, and the analysis makes what only
	 * follows it a reject point. 0: the access mode's range on BPF, 65535
	 * for direct and probe access (the verifier's MAX_PACKET_OFF, kept for
	 * probe so a probe stub also works on packet pointers), unlimited for
	 * skb access (bpf_skb_load_bytes() reads any offset). Code for the
	 * host, not BPF, passes UINT32_MAX. */
	uint32_t packet_range;
	/* protochain (libpcap's only loop, over the IPv4/IPv6 extension
	 * headers) is unrolled to follow at most this many extension
	 * headers, exactly as libpcap does; on a longer chain the filter
	 * returns 0 (libpcap has no bound, and 1.10.3 never stops on some
	 * crafted AH chains; an unknown answer must not become a match
	 * under `not`). 1..PCAPF_MAX_PROTOCHAIN_DEPTH; 0:
	 * PCAPF_DEFAULT_PROTOCHAIN_DEPTH; PCAPF_PROTOCHAIN_OFF: no
	 * unrolling, protochain is an error naming its backward jump. */
	uint32_t protochain_depth;
	size_t : 0;
};
/* The default covers the corpus's longest chain (libpcap's 100-header
 * "deepstack" test; real traffic has a handful) and loads on the verifier
 * in every access mode, back end, -O and -mcpu (docs/semantics.md,
 * "protochain's bound"). */
#define PCAPF_DEFAULT_PROTOCHAIN_DEPTH 100u
#define PCAPF_MAX_PROTOCHAIN_DEPTH 128u
#define PCAPF_PROTOCHAIN_OFF UINT32_MAX
/* Declare and initialise an options struct, zeroed first (padding
 * included, which a plain initialiser does not promise), as LIBBPF_OPTS. */
#define PCAPF_OPTS(NAME, ...)                                                  \
	struct pcapf_opts NAME = ({                                            \
		memset(&NAME, 0, sizeof(struct pcapf_opts));                   \
		(struct pcapf_opts){.sz = sizeof(struct pcapf_opts),            \
				    __VA_ARGS__};                              \
	})

/*
 * Parse one option string of the form "key=value" into opts, as the
 * __pcap_filter attribute and the pcapf CLI accept them:
 *   linktype=NAME   libpcap link-type name or number (default EN10MB)
 *   snaplen=N       snap length, 1..262144 (default 262144)
 *   access=MODE     packet access: direct, skb, skb_load_bytes, probe
 *   skb_linear=N    (tests) skb access reads only N head bytes directly
 *   input=cbpf      the text is classic BPF as numbers, not an expression
 *   input=expr      the text is a filter expression (the default)
 * Numbers are decimal ("010" is ten; hex is an error), as in libpcap's and
 * tcpdump's text. Returns 0, or -EINVAL with a message in errbuf: for a bad
 * option, a NULL opts or option, an opts that fails the sz rules above, or
 * an option whose field lies beyond an older caller's sz (it cannot be
 * stored). opts->linktype points into option afterwards.
 */
PCAPF_API int pcapf_opts__parse(struct pcapf_opts *opts, const char *option,
				char *errbuf);

/* The option spelling of an access mode ("direct", "skb", ...;
 * "default" for PCAPF_ACCESS_DEFAULT). */
PCAPF_API const char *pcapf_access_name(enum pcapf_access access);

/* An analysed filter program. */
struct pcapf_prog;

/*
 * Compile a filter expression with libpcap (optimiser on, netmask unknown),
 * or parse classic BPF text if opts->cbpf, then validate and analyse it. On
 * error returns NULL, sets errno and writes a message to errbuf: EINVAL for
 * a NULL expr, bad options or libpcap's own text for a bad expression;
 * EOPNOTSUPP where the program cannot be translated (naming the construct
 * and instruction); E2BIG past PCAPF_MAX_INSNS (2^20) instructions.
 */
PCAPF_API struct pcapf_prog *pcapf_prog__compile(const char *expr,
						 const struct pcapf_opts *opts,
						 char *errbuf);

/* Linux ancillary loads: LD ABS at SKF_AD_OFF (-0x1000) + SKF_AD_*, for
 * SKF_AD_* below SKF_AD_MAX (64). Higher offsets are ordinary loads. */
#define PCAPF_SKF_AD_OFF 0xfffff000u
#define PCAPF_SKF_AD_MAX 64u
#define PCAPF_IS_ANCILLARY_K(k)                                                \
	((k) >= PCAPF_SKF_AD_OFF && (k) - PCAPF_SKF_AD_OFF < PCAPF_SKF_AD_MAX)

/*
 * What a Linux extension means under skb access: the kernel's cBPF meaning
 * (net/core/filter.c), from struct __sk_buff. One table for every back end.
 */
enum pcapf_ext_source {
	PCAPF_EXT_NONE = 0,    /* struct __sk_buff cannot give it: an error */
	PCAPF_EXT_FIELD,       /* A = the u32 __sk_buff field at offset */
	PCAPF_EXT_FIELD_NET16, /* A = ntohs() of the __be16 that the u32
				* __sk_buff field at offset holds */
	PCAPF_EXT_HELPER,      /* A = the low 32 bits of BPF helper number
				* helper, called without arguments */
	PCAPF_EXT_XOR_X,       /* A = A ^ X */
};
#define PCAPF_EXT_READS_A 1u
#define PCAPF_EXT_READS_X 2u
struct pcapf_ext {
	const char *name; /* the keyword and SKF_AD name, for messages */
	enum pcapf_ext_source source;
	uint32_t offset;  /* PCAPF_EXT_FIELD*: offsetof(struct __sk_buff, ...) */
	uint32_t helper;  /* PCAPF_EXT_HELPER: BPF_FUNC_* */
	unsigned reads;	  /* PCAPF_EXT_READS_*: registers the kernel reads */
};
/* The extension `ld [k]` names, or NULL if k is not SKF_AD_OFF plus a
 * known SKF_AD_* number. */
PCAPF_API const struct pcapf_ext *pcapf_ext_find(uint32_t k);

/* A classic BPF instruction, layout-compatible with struct bpf_insn of
 * <pcap/bpf.h> and struct sock_filter of <linux/filter.h>. */
struct pcapf_cbpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/* Validate and analyse classic BPF given as cnt instructions. NULL insns or
 * cnt 0: EINVAL; cnt above 2^20: E2BIG; otherwise as pcapf_prog__compile(). */
PCAPF_API struct pcapf_prog *
pcapf_prog__from_cbpf(const struct pcapf_cbpf_insn *insns, size_t cnt,
		      const struct pcapf_opts *opts, char *errbuf);

PCAPF_API void pcapf_prog__free(struct pcapf_prog *prog);

/*
 * The analysed program: the cBPF instructions with absolute branch targets
 * and the checks each one needs. Lowering contract, for every instruction
 * with PCAPF_INSN_REACHABLE set (skip the others):
 *
 *  1. If PCAPF_INSN_REJECT: return 0 and lower nothing else of it.
 *  2. If guard_len != 0: if len < guard_len, return 0.
 *     len is the number of packet bytes readable (data_end - data).
 *  3. If guard_ind != 0: if (u64)X + guard_ind > len, return 0
 *     (PCAPF_INSN_X_FORGET and PCAPF_INSN_X_IN_RANGE say how to bound X
 *     for the verifier first).
 *  4. If PCAPF_INSN_GUARD_DIV: if X == 0, return 0.
 *  5. The operation itself, on 32-bit unsigned A, X and M[0..15]:
 *     - LD ABS with PCAPF_IS_ANCILLARY_K(k) (skb access only) is a Linux
 *       extension, k - PCAPF_SKF_AD_OFF its SKF_AD_* number: A gets what the
 *       kernel's cBPF gives (SKF_AD_ALU_XOR_X: A ^= X); never a packet load;
 *     - packet loads (LD ABS/IND W/H/B, LDX MSH) are in bounds by 1-3 and
 *       read big-endian; IND offsets are X + k; under skb access a load
 *       with PCAPF_INSN_SKB_HELPER reads through bpf_skb_load_bytes()
 *       even where the linear head would do;
 *     - LD LEN / LDX LEN read len (the wire length is the captured length);
 *     - ALU wraps at 32 bits; NEG is 0 - A; LSH/RSH by X >= 32 give 0
 *       (constant shifts are below 32 by validation);
 *     - conditional jumps compare unsigned 32-bit; jt/jf are absolute
 *       indices; JA jumps to jt;
 *     - RET K / RET A return the 32-bit value (0: no match).
 *  On entry: A = 0 if pcapf_prog__needs_init_a(), X = 0 likewise, and
 *  M[i] = 0 for each bit i of pcapf_prog__scratch_init().
 */
struct pcapf_insn {
	uint16_t code;	   /* cBPF opcode, BPF_CLASS | BPF_SIZE | BPF_MODE ... */
	uint16_t flags;	   /* PCAPF_INSN_* */
	uint32_t k;	   /* the cBPF operand */
	uint32_t jt, jf;   /* absolute branch targets (JA: jt) */
	uint32_t guard_len; /* 0, or bytes the packet must hold */
	uint32_t guard_ind; /* 0, or bytes past X the packet must hold */
};

enum pcapf_insn_flags {
	PCAPF_INSN_REACHABLE = 1 << 0, /* some path from insn 0 gets here */
	PCAPF_INSN_LEADER = 1 << 1,    /* starts a basic block */
	PCAPF_INSN_REJECT = 1 << 2,    /* every path from here returns 0 */
	PCAPF_INSN_GUARD_DIV = 1 << 3, /* DIV/MOD by X: X == 0 returns 0 */
	/* The indexed check here (guard_ind, or pcapf_prog__ind_recheck())
	 * cannot pass the packet range: X + its bytes is within it on every
	 * path in, by the value ranges of the analysis (X from LDX MSH, at
	 * most 60, a constant, a byte, a mask...): a back end that bounds X
	 * for the verifier before adding it to a packet pointer need not
	 * (the verifier tracks the same bound from those instructions). */
	PCAPF_INSN_X_IN_RANGE = 1 << 4,
	/* skb access: this packet load reads through bpf_skb_load_bytes()
	 * only, with no attempt at the linear head (set on the loads of
	 * protochain's unrolled copies: a head attempt per load is two paths
	 * per load for the verifier, with X ranges that differ at every
	 * copy, so at a few dozen copies it explores more than its 1M
	 * instructions; through the helper alone the copies stay linear). */
	PCAPF_INSN_SKB_HELPER = 1 << 5,
	/* Direct and probe access on BPF, at an indexed check of
	 * protochain's copies: before it, hide X's value range from the
	 * verifier (two 32-bit byte swaps, whose result it does not track;
	 * X is unchanged), then bound X as the check does (never
	 * PCAPF_INSN_X_IN_RANGE). X's range differs on every path through
	 * the copies, so without this the verifier keeps a state per path
	 * and its work grows with the square of the bound; with it every
	 * path's X is the same [0, bound] and the copies prune. */
	PCAPF_INSN_X_FORGET = 1 << 6,
};

/* The instructions; *cnt gets their number (cnt may be NULL). */
PCAPF_API const struct pcapf_insn *pcapf_prog__insns(const struct pcapf_prog *prog,
						     size_t *cnt);
/* Bit i set: M[i] may be read before it is written; zero it on entry. */
PCAPF_API uint16_t pcapf_prog__scratch_init(const struct pcapf_prog *prog);
PCAPF_API bool pcapf_prog__needs_init_a(const struct pcapf_prog *prog);
PCAPF_API bool pcapf_prog__needs_init_x(const struct pcapf_prog *prog);
/* libpcap found that the expression matches no packet ("expression rejects
 * all packets"); the program is `ret #0`. Worth a warning. */
PCAPF_API bool pcapf_prog__rejects_all(const struct pcapf_prog *prog);
PCAPF_API int pcapf_prog__linktype(const struct pcapf_prog *prog);
/* The access mode the program was analysed for; never PCAPF_ACCESS_DEFAULT
 * (but for a NULL prog). */
PCAPF_API enum pcapf_access pcapf_prog__access(const struct pcapf_prog *prog);
/* The skb_linear option: 0, or the head bytes to read directly. */
PCAPF_API uint32_t pcapf_prog__skb_linear(const struct pcapf_prog *prog);
PCAPF_API uint32_t pcapf_prog__snaplen(const struct pcapf_prog *prog);
/* The packet_range option as resolved: never 0. */
PCAPF_API uint32_t pcapf_prog__packet_range(const struct pcapf_prog *prog);

/*
 * Facts of the lowering that do not depend on the back end.
 *
 * Probe access: each length check (guard_len N) copies the first
 * min(N, *abs_bytes) packet bytes to a stack buffer with one
 * bpf_probe_read_kernel(), and each indexed check (guard_ind N) the
 * min(N, *ind_bytes) bytes from data + X to another; loads inside a copy
 * read the stack, loads past it read on their own. The sizes are those of
 * the largest check, at most PCAPF_PROBE_COPY_MAX and
 * PCAPF_PROBE_IND_COPY_MAX (the stack budget); 0 for other access modes.
 */
#define PCAPF_PROBE_COPY_MAX 128u
#define PCAPF_PROBE_IND_COPY_MAX 64u
PCAPF_API void pcapf_prog__probe_copy(const struct pcapf_prog *prog,
				      uint32_t *abs_bytes, uint32_t *ind_bytes);
/* skb access: a load of [off, off + size) with off + size at most this
 * tries the linear head directly (data .. data_end) and calls
 * bpf_skb_load_bytes() if the head is shorter; other loads always call it.
 * The verifier's packet range (65535), or the skb_linear option; 0 for the
 * other access modes. */
PCAPF_API uint32_t pcapf_prog__skb_direct_bytes(const struct pcapf_prog *prog);
/* Direct access: protochain's loop was unrolled (protochain_depth). Where
 * its copies' paths meet with different X, a compiler may merge their
 * indexed loads into one through data + (a merged X), a pointer the
 * verifier has no range for: each indexed load must stay on the pointer
 * its own check compared. Other programs have no such join, and leaving
 * the compiler free there lets it share data + X between loads. */
PCAPF_API bool pcapf_prog__keeps_checked_pointers(const struct pcapf_prog *prog);
/* Direct access: the verifier keeps a packet range per pointer it saw
 * compared with data_end, so an indexed load must read through a data + X
 * that was. A back end that makes that pointer afresh in each basic block
 * (the IR lowering) has none at the first indexed load of a block, or since
 * X was last written there, that no guard_ind precedes. For such an LD IND
 * instruction i this is N != 0: before it, if (u64)X + N > len, return 0,
 * as in step 3, and read the indexed loads of the block up to the next
 * write of X through the pointer compared; N covers them all. Nothing
 * between i and the last of those loads jumps or returns, so the check
 * fails only where one of them would read out of bounds. 0 for every other
 * instruction and for i out of range. A back end that keeps data + X in a
 * register across blocks (ebpf.c) needs none. */
PCAPF_API uint32_t pcapf_prog__ind_recheck(const struct pcapf_prog *prog,
					   size_t i);

/* Fields compared as loaded: 2 or 4 for a halfword or word packet load
 * (LD ABS/IND H/W) whose value is only compared for equality with
 * constants, bit-tested or masked with constants (jeq #k, jset #k, and
 * #k), and for each of those uses of it; 0 for every other instruction and
 * for i out of range. A back end may read such a load as the bytes lie in
 * memory, without the swap to big-endian, and give the k of its uses in
 * that order instead (on a little-endian machine, k byte-swapped as a
 * value of that many bytes): the verdicts are the same, and hand C
 * compares so (htons(0x800)). */
PCAPF_API uint32_t pcapf_prog__as_loaded(const struct pcapf_prog *prog,
					 size_t i);

/* The classic BPF as libpcap produced it (or as given), before analysis,
 * with protochain's loop unrolled (see protochain_depth); cnt as for
 * pcapf_prog__insns(). */
PCAPF_API const struct pcapf_cbpf_insn *
pcapf_prog__cbpf(const struct pcapf_prog *prog, size_t *cnt);

/* Counts the analysis produced, for tests and benchmarks. */
struct pcapf_prog_stats {
	size_t reachable;   /* reachable instructions */
	size_t loads;	    /* reachable packet loads */
	size_t guards_len;  /* guard_len checks */
	size_t guards_ind;  /* guard_ind checks */
	size_t guards_div;  /* X == 0 checks */
	size_t rejects;	    /* REJECT points */
};
/* Fill *stats (nothing if stats is NULL; zeros for a NULL prog). */
PCAPF_API void pcapf_prog__stats(const struct pcapf_prog *prog,
				 struct pcapf_prog_stats *stats);

/* Write the analysed program in tcpdump -d style, with its checks, to a
 * FILE * (declared as void * to keep <stdio.h> out of this header).
 * Returns 0, -EINVAL for a NULL prog or file, -EIO on a write error. */
PCAPF_API int pcapf_prog__dump(const struct pcapf_prog *prog, void *file);

/*
 * The eBPF back end (ebpf.c): the analysed program as eBPF instructions,
 * for filters chosen at run time.
 */

/* An eBPF instruction, layout-compatible with struct bpf_insn of
 * <linux/bpf.h>, in the byte order of the machine running the library. */
struct pcapf_ebpf_insn {
	uint8_t code;
	uint8_t dst_reg : 4;
	uint8_t src_reg : 4;
	int16_t off;
	int32_t imm;
};

/* What the instructions are. */
enum pcapf_ebpf_wrap {
	/* The body of a BPF-to-BPF subprogram with the calling convention of
	 * the plugin's (void *data, void *data_end) stubs: data in r1,
	 * data_end in r2, the filter's u32 result in r0 at its exit. */
	PCAPF_EBPF_SUBPROG = 0,
	/* A whole XDP program (r1: struct xdp_md *) returning the result. */
	PCAPF_EBPF_XDP,
	/* A whole TC program (r1: struct __sk_buff *) returning the result. */
	PCAPF_EBPF_TC,
	/* Code to splice into a program, under the contract of the inline_*
	 * fields of struct pcapf_ebpf_opts: it reads the stub's parameters
	 * from inline_in (never writes them), changes only inline_work and,
	 * in the modes that call helpers (skb, skb_load_bytes, probe), r0-r5
	 * as a helper call does, uses the stack only below r10 + inline_stack,
	 * PCAPF_EBPF_INLINE_STACK bytes at most, and ends by going on after
	 * its last instruction with the u32 result in inline_result. It has
	 * no exit and no call of a subprogram. */
	PCAPF_EBPF_INLINE,
};

/* The stack an inline body may use below inline_stack: M[0..15], a word
 * for single loads through a helper, the probe copies. */
#define PCAPF_EBPF_INLINE_STACK 264

struct pcapf_ebpf_opts {
	size_t sz; /* sizeof(struct pcapf_ebpf_opts) of the caller */
	enum pcapf_ebpf_wrap wrap;
	/* Instruction set, as clang's -mcpu=vN: 1 and 2 have no JMP32, so
	 * compares are 64-bit on zero-extended values; 3 and 4 use JMP32.
	 * 0 means 3. */
	unsigned int cpu;
	/* PCAPF_EBPF_INLINE only (the other wraps ignore them), all to be set:
	 * the registers (0..9) holding data and data_end, or the __sk_buff in
	 * inline_in[0]; the four the code may change (for the modes that call
	 * helpers these must be r6-r9, which calls preserve), none of them an
	 * inline_in register; the register the result is left in (may be
	 * one of inline_work); and the top of its stack, a multiple of 8 at or
	 * below 0. */
	uint8_t inline_in[2];
	uint8_t inline_work[4];
	uint8_t inline_result;
	int16_t inline_stack;
	/* The byte order of the machine the code runs on: 0, the one running
	 * this library; PCAPF_EBPF_LITTLE_ENDIAN or PCAPF_EBPF_BIG_ENDIAN. A
	 * packet field compared only with constants is loaded as it is and
	 * compared with the constant in that byte order. */
	unsigned int byte_order;
	/* The result is 1 on a match and 0 otherwise, instead of the
	 * filter's own value (the snap length on a match): what a bool or
	 * int stub returns. Each return of the body makes it so itself, in
	 * every wrap (inline: in inline_result). */
	bool match;
	size_t : 0;
};
#define PCAPF_EBPF_LITTLE_ENDIAN 1u
#define PCAPF_EBPF_BIG_ENDIAN 2u
/* Declare and initialise an eBPF options struct, zeroed first as
 * PCAPF_OPTS does (its trailing padding is checked like any unknown
 * field). */
#define PCAPF_EBPF_OPTS(NAME, ...)                                             \
	struct pcapf_ebpf_opts NAME = ({                                       \
		memset(&NAME, 0, sizeof(struct pcapf_ebpf_opts));              \
		(struct pcapf_ebpf_opts){.sz = sizeof(struct pcapf_ebpf_opts), \
					 __VA_ARGS__};                         \
	})

/*
 * Lower prog to eBPF. On success returns 0 and a malloc'ed array of *cnt
 * instructions in *insns (free() it). On error returns a negative errno
 * with a message in errbuf (may be NULL): -EOPNOTSUPP for an access mode
 * this back end does not lower yet, -E2BIG for a program whose jumps do not
 * fit eBPF's 16-bit offsets, -EINVAL for bad arguments. opts may be NULL.
 */
/* Write insns as the kernel's verifier log and bpftool print eBPF, one
 * numbered instruction a line, to a FILE * (void * as for
 * pcapf_prog__dump()). 0, -EINVAL for a NULL file, -EIO on a write error. */
PCAPF_API int pcapf_ebpf__dump(const struct pcapf_ebpf_insn *insns, size_t cnt,
			       void *file);

PCAPF_API int pcapf_prog__emit_ebpf(const struct pcapf_prog *prog,
				    const struct pcapf_ebpf_opts *opts,
				    struct pcapf_ebpf_insn **insns, size_t *cnt,
				    char *errbuf);

/*
 * The forms of a stub (pcap_filter.h), by its parameters: what a loader
 * that fills a run-time stub (libpcapf_bpf, the Go package) needs to know
 * of the prototype it finds in the object's BTF. The plugin accepts no
 * other prototype.
 */
enum pcapf_stub_form {
	PCAPF_STUB_POINTERS = 0, /* (void *data, void *data_end) */
	PCAPF_STUB_XDP,		 /* (struct xdp_md *ctx) */
	PCAPF_STUB_SKB,		 /* (struct __sk_buff *skb) */
};

/*
 * The form of a prototype of nparams parameters, where param[i] (for the
 * first two, each may be NULL when nparams is smaller) says what parameter
 * i points to: "void", a struct's name ("xdp_md", "__sk_buff"), or NULL for
 * anything else, typedefs and qualifiers seen through. Returns the form, or
 * -EINVAL with "unsupported stub prototype: expected ..." in errbuf.
 */
PCAPF_API int pcapf_stub_form_find(size_t nparams, const char *const param[2],
				   char *errbuf);

/* The form's prototype as C spells it, "(void *data, void *data_end)";
 * "unknown" for a value outside the enum. */
PCAPF_API const char *pcapf_stub_form_name(enum pcapf_stub_form form);

/* The access modes the form can use, its default first; *cnt gets their
 * number (cnt may be NULL). NULL (*cnt 0) for a value outside the enum. */
PCAPF_API const enum pcapf_access *
pcapf_stub_form_modes(enum pcapf_stub_form form, size_t *cnt);

/*
 * The access mode a stub of the form uses when asked for access:
 * the form's default for PCAPF_ACCESS_DEFAULT, else access itself if the
 * form can use it. Otherwise -EINVAL, with "access=MODE does not fit stub
 * 'STUB' FORM; it supports: MODES" in errbuf (stub names the stub in the
 * message and may be NULL).
 */
PCAPF_API int pcapf_stub_form_access(enum pcapf_stub_form form,
				     enum pcapf_access access,
				     const char *stub, char *errbuf);

/* The wrap whose calling convention the form's body has: PCAPF_EBPF_XDP for
 * an xdp_md stub (the body loads data and data_end from it), else (and for
 * a value outside the enum) PCAPF_EBPF_SUBPROG. */
PCAPF_API enum pcapf_ebpf_wrap pcapf_stub_form_wrap(enum pcapf_stub_form form);

/*
 * Whether a stub returning this type returns a match (1 or 0: opts.match of
 * pcapf_prog__emit_ebpf()) rather than the filter's u32 value. Only __u32,
 * a 4-byte integer neither signed nor bool, gets the value; bool, int and
 * anything else a match. int_size is the return type's size in bytes if it
 * is an integer (typedefs and qualifiers seen through), else 0.
 */
PCAPF_API bool pcapf_stub_returns_match(uint32_t int_size, bool is_signed,
					bool is_bool);

#ifdef __cplusplus
}
#endif

#endif /* PCAPF_H */
