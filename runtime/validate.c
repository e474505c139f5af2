/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * validate.c: decide whether a classic BPF program can be translated.
 *
 * The rules are libpcap's bpf_validate() and the Linux cBPF checker, plus
 * what the chosen access mode cannot express. The opcodes are listed in the
 * order bpf_filter.c interprets them, so one can be checked against the
 * other. Linux extensions (SKF_AD_*, extensions.c) are accepted only for
 * skb access, and only those struct __sk_buff can provide. Every error names
 * the instruction index, and, where libpcap emitted the construct for a
 * keyword, the keyword.
 *
 * Invariants after success: every opcode is one bpf_filter() executes; every
 * conditional branch and forward `ja` targets a later instruction inside the
 * program (a backward `ja` is unroll.c's to accept or refuse); scratch indices
 * are below 16; no division or modulo by the constant 0; no constant shift of
 * 32 or more; the last instruction returns; a Linux ancillary load only in
 * skb access, and only one that __sk_buff provides.
 */
#include <errno.h>
#include <stdbool.h>

#include "internal.h"

static int is_skb_access(enum pcapf_access access)
{
	return access == PCAPF_ACCESS_SKB ||
	       access == PCAPF_ACCESS_SKB_LOAD_BYTES;
}

/* A Linux extension is only meaningful where an skb is: elsewhere, and for
 * what __sk_buff cannot provide, the program cannot be translated. */
static int validate_ancillary(uint32_t k, size_t i, enum pcapf_access access,
			      char *errbuf)
{
	const struct pcapf_ext *a = pcapf_ext_find(k);

	if (!a) {
		pcapf_err(errbuf, "insn %zu: unknown Linux extension at "
			  "SKF_AD_OFF + %u", i, k - CBPF_SKF_AD_OFF);
		return -EINVAL;
	}
	if (!is_skb_access(access)) {
		pcapf_err(errbuf,
			  "insn %zu: %s is Linux skb metadata, which %s access "
			  "cannot read; a struct __sk_buff stub can",
			  i, a->name, pcapf_access_name(access));
		return -EOPNOTSUPP;
	}
	if (a->source == PCAPF_EXT_NONE) {
		pcapf_err(errbuf,
			  "insn %zu: %s is not available from struct __sk_buff",
			  i, a->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int known_opcode(uint16_t code)
{
	switch (code) {
	case CBPF_RET | CBPF_K:
	case CBPF_RET | CBPF_A:
	case CBPF_LD | CBPF_W | CBPF_ABS:
	case CBPF_LD | CBPF_H | CBPF_ABS:
	case CBPF_LD | CBPF_B | CBPF_ABS:
	case CBPF_LD | CBPF_W | CBPF_LEN:
	case CBPF_LDX | CBPF_W | CBPF_LEN:
	case CBPF_LD | CBPF_W | CBPF_IND:
	case CBPF_LD | CBPF_H | CBPF_IND:
	case CBPF_LD | CBPF_B | CBPF_IND:
	case CBPF_LDX | CBPF_MSH | CBPF_B:
	case CBPF_LD | CBPF_IMM:
	case CBPF_LDX | CBPF_IMM:
	case CBPF_LD | CBPF_MEM:
	case CBPF_LDX | CBPF_MEM:
	case CBPF_ST:
	case CBPF_STX:
	case CBPF_JMP | CBPF_JA:
	case CBPF_JMP | CBPF_JGT | CBPF_K:
	case CBPF_JMP | CBPF_JGE | CBPF_K:
	case CBPF_JMP | CBPF_JEQ | CBPF_K:
	case CBPF_JMP | CBPF_JSET | CBPF_K:
	case CBPF_JMP | CBPF_JGT | CBPF_X:
	case CBPF_JMP | CBPF_JGE | CBPF_X:
	case CBPF_JMP | CBPF_JEQ | CBPF_X:
	case CBPF_JMP | CBPF_JSET | CBPF_X:
	case CBPF_ALU | CBPF_ADD | CBPF_X:
	case CBPF_ALU | CBPF_SUB | CBPF_X:
	case CBPF_ALU | CBPF_MUL | CBPF_X:
	case CBPF_ALU | CBPF_DIV | CBPF_X:
	case CBPF_ALU | CBPF_MOD | CBPF_X:
	case CBPF_ALU | CBPF_AND | CBPF_X:
	case CBPF_ALU | CBPF_OR | CBPF_X:
	case CBPF_ALU | CBPF_XOR | CBPF_X:
	case CBPF_ALU | CBPF_LSH | CBPF_X:
	case CBPF_ALU | CBPF_RSH | CBPF_X:
	case CBPF_ALU | CBPF_ADD | CBPF_K:
	case CBPF_ALU | CBPF_SUB | CBPF_K:
	case CBPF_ALU | CBPF_MUL | CBPF_K:
	case CBPF_ALU | CBPF_DIV | CBPF_K:
	case CBPF_ALU | CBPF_MOD | CBPF_K:
	case CBPF_ALU | CBPF_AND | CBPF_K:
	case CBPF_ALU | CBPF_OR | CBPF_K:
	case CBPF_ALU | CBPF_XOR | CBPF_K:
	case CBPF_ALU | CBPF_LSH | CBPF_K:
	case CBPF_ALU | CBPF_RSH | CBPF_K:
	case CBPF_ALU | CBPF_NEG:
	case CBPF_MISC | CBPF_TAX:
	case CBPF_MISC | CBPF_TXA:
		return 1;
	default:
		return 0;
	}
}

static int validate_insn(const struct pcapf_cbpf_insn *insns, size_t cnt,
			 size_t i, enum pcapf_access access, char *errbuf)
{
	const struct pcapf_cbpf_insn *in = &insns[i];
	uint16_t code = in->code;

	if (!known_opcode(code)) {
		pcapf_err(errbuf, "insn %zu: unknown opcode 0x%02x", i, code);
		return -EINVAL;
	}
	switch (CBPF_CLASS(code)) {
	case CBPF_LD:
		if (pcapf_is_ancillary(code, in->k))
			return validate_ancillary(in->k, i, access, errbuf);
		/* fallthrough */
	case CBPF_LDX:
	case CBPF_ST:
	case CBPF_STX:
		if ((CBPF_MODE(code) == CBPF_MEM || CBPF_CLASS(code) == CBPF_ST ||
		     CBPF_CLASS(code) == CBPF_STX) &&
		    in->k >= CBPF_MEMWORDS) {
			pcapf_err(errbuf,
				  "insn %zu: scratch index %u out of range 0..15",
				  i, in->k);
			return -EINVAL;
		}
		return 0;
	case CBPF_ALU:
		if (CBPF_SRC(code) != CBPF_K)
			return 0;
		if ((CBPF_OP(code) == CBPF_DIV || CBPF_OP(code) == CBPF_MOD) &&
		    in->k == 0) {
			pcapf_err(errbuf, "insn %zu: division by constant 0", i);
			return -EINVAL;
		}
		if ((CBPF_OP(code) == CBPF_LSH || CBPF_OP(code) == CBPF_RSH) &&
		    in->k >= 32) {
			pcapf_err(errbuf, "insn %zu: shift by constant %u >= 32",
				  i, in->k);
			return -EINVAL;
		}
		return 0;
	case CBPF_JMP:
		if (CBPF_OP(code) == CBPF_JA) {
			/* cBPF adds k to the program counter modulo 2^32, so
			 * k >= 2^31 jumps backwards: unroll.c, the next
			 * stage, accepts protochain's loop and names any
			 * other. */
			if (in->k >= 0x80000000u)
				return 0;
			if (in->k >= cnt - i - 1) {
				pcapf_err(errbuf,
					  "insn %zu: jump past the end", i);
				return -EINVAL;
			}
			return 0;
		}
		if (in->jt >= cnt - i - 1 || in->jf >= cnt - i - 1) {
			pcapf_err(errbuf, "insn %zu: branch past the end", i);
			return -EINVAL;
		}
		return 0;
	default:
		return 0;
	}
}

int pcapf_validate(const struct pcapf_cbpf_insn *insns, size_t cnt,
		   enum pcapf_access access, char *errbuf)
{
	int err;

	if (cnt == 0) {
		pcapf_err(errbuf, "empty program");
		return -EINVAL;
	}
	if (cnt > PCAPF_MAX_INSNS) {
		pcapf_err(errbuf, "program of %zu instructions exceeds %u", cnt,
			  PCAPF_MAX_INSNS);
		return -E2BIG;
	}
	for (size_t i = 0; i < cnt; i++) {
		err = validate_insn(insns, cnt, i, access, errbuf);
		if (err)
			return err;
	}
	if (CBPF_CLASS(insns[cnt - 1].code) != CBPF_RET) {
		pcapf_err(errbuf, "insn %zu: the last instruction must return",
			  cnt - 1);
		return -EINVAL;
	}
	return 0;
}
