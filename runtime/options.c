/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * options.c: the translator's options, from "key=value" strings.
 *
 * The __pcap_filter attribute and the pcapf CLI take the same option
 * strings, so both parse them here and report the same errors. Link types
 * are resolved through libpcap's own name table, so every DLT libpcap knows
 * is accepted under libpcap's name for it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "internal.h"

void pcapf_err(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	if (!errbuf)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, PCAPF_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

#define PCAPF_ACCESS_MODES 5

/* Option spellings of enum pcapf_access, by value. */
static const char *const access_names[PCAPF_ACCESS_MODES] = {
	[PCAPF_ACCESS_DEFAULT] = "default",
	[PCAPF_ACCESS_DIRECT] = "direct",
	[PCAPF_ACCESS_SKB] = "skb",
	[PCAPF_ACCESS_SKB_LOAD_BYTES] = "skb_load_bytes",
	[PCAPF_ACCESS_PROBE] = "probe",
};

const char *pcapf_access_name(enum pcapf_access access)
{
	return (unsigned)access < PCAPF_ACCESS_MODES ? access_names[access]
						       : "unknown";
}

/* A libpcap link-type name ("EN10MB") or a DLT number libpcap knows. */
static int resolve_linktype(const char *name, int *dlt, char *errbuf)
{
	uint32_t num;

	*dlt = pcap_datalink_name_to_val(name);
	if (*dlt < 0 && !parse_u32(name, &num) && num <= INT_MAX &&
	    pcap_datalink_val_to_name((int)num))
		*dlt = (int)num;
	if (*dlt < 0) {
		pcapf_err(errbuf, "unknown link type '%s'", name);
		return -EINVAL;
	}
	return 0;
}

int pcapf_opts__parse(struct pcapf_opts *opts, const char *option, char *errbuf)
{
	const char *eq = strchr(option, '=');
	size_t keylen = eq ? (size_t)(eq - option) : strlen(option);
	const char *val = eq ? eq + 1 : "";

	if (!opts || opts->sz < sizeof(struct pcapf_opts)) {
		pcapf_err(errbuf, "options struct too small");
		return -EINVAL;
	}
	if (keylen == 8 && !strncmp(option, "linktype", 8) && eq) {
		int dlt;
		if (resolve_linktype(val, &dlt, errbuf))
			return -EINVAL;
		opts->linktype = val;
		return 0;
	}
	if (keylen == 7 && !strncmp(option, "snaplen", 7) && eq) {
		uint32_t n;
		if (parse_u32(val, &n) || n == 0 || n > PCAPF_DEFAULT_SNAPLEN) {
			pcapf_err(errbuf,
				  "invalid snap length '%s': expected 1..%u",
				  val, PCAPF_DEFAULT_SNAPLEN);
			return -EINVAL;
		}
		opts->snaplen = n;
		return 0;
	}
	if (keylen == 6 && !strncmp(option, "access", 6) && eq) {
		for (int m = PCAPF_ACCESS_DIRECT; m < PCAPF_ACCESS_MODES; m++) {
			if (!strcmp(val, access_names[m])) {
				opts->access = (enum pcapf_access)m;
				return 0;
			}
		}
		pcapf_err(errbuf,
			  "unknown access mode '%s': expected direct, skb, "
			  "skb_load_bytes or probe",
			  val);
		return -EINVAL;
	}
	if (keylen == 10 && !strncmp(option, "skb_linear", 10) && eq) {
		uint32_t n;
		if (parse_u32(val, &n) || n == 0 || n > 0xffff) {
			pcapf_err(errbuf,
				  "invalid skb_linear '%s': expected 1..65535", val);
			return -EINVAL;
		}
		opts->skb_linear = n;
		return 0;
	}
	if (keylen == 5 && !strncmp(option, "input", 5) && eq) {
		if (strcmp(val, "cbpf") && strcmp(val, "expr")) {
			pcapf_err(errbuf,
				  "unknown input '%s': expected 'expr' or 'cbpf'",
				  val);
			return -EINVAL;
		}
		opts->cbpf = !strcmp(val, "cbpf");
		return 0;
	}
	pcapf_err(errbuf,
		  "unknown option '%s': expected linktype=NAME, snaplen=N, "
		  "access=MODE, input=expr|cbpf or skb_linear=N",
		  option);
	return -EINVAL;
}

int pcapf_resolve_opts(const struct pcapf_opts *opts, int *linktype,
		       uint32_t *snaplen, enum pcapf_access *access, char *errbuf)
{
	*linktype = DLT_EN10MB;
	*snaplen = PCAPF_DEFAULT_SNAPLEN;
	*access = PCAPF_ACCESS_DIRECT;
	if (!opts)
		return 0;
	if (opts->sz < sizeof(struct pcapf_opts)) {
		pcapf_err(errbuf, "options struct too small");
		return -EINVAL;
	}
	if (opts->linktype && resolve_linktype(opts->linktype, linktype, errbuf))
		return -EINVAL;
	if (opts->snaplen)
		*snaplen = opts->snaplen;
	if ((unsigned)opts->access >= PCAPF_ACCESS_MODES) {
		pcapf_err(errbuf, "unknown access mode %d", (int)opts->access);
		return -EINVAL;
	}
	if (opts->access != PCAPF_ACCESS_DEFAULT)
		*access = opts->access;
	if (opts->skb_linear && *access != PCAPF_ACCESS_SKB) {
		pcapf_err(errbuf, "skb_linear applies to access=skb only");
		return -EINVAL;
	}
	return 0;
}
