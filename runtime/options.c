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

/* A decimal number, as libpcap's own option values and tcpdump -ddd text are
 * written: "010" is ten, and hex ("0x10") or a sign is an error, not a
 * different number. */
int pcapf_parse_decimal(const char *s, const char **end, uint64_t max,
			uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*end = p;
	*out = v;
	return 0;
}

/* A whole string that is a decimal number of at most UINT32_MAX. */
static int parse_u32(const char *s, uint32_t *out)
{
	const char *end;
	uint64_t v;

	if (pcapf_parse_decimal(s, &end, UINT32_MAX, &v) || *end)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* A numeric option's value, a decimal number from 1 to max, into *out; else
 * -EINVAL with "invalid WHAT 'value': expected 1..max" (what names it). */
static int parse_count(const char *val, uint32_t max, const char *what,
		       uint32_t *out, char *errbuf)
{
	uint32_t n;

	if (parse_u32(val, &n) || n == 0 || n > max) {
		pcapf_err(errbuf, "invalid %s '%s': expected 1..%u", what, val,
			  max);
		return -EINVAL;
	}
	*out = n;
	return 0;
}

int pcapf_opts_valid(const void *opts, size_t user_sz, size_t known_sz,
		     const char *type_name, char *errbuf)
{
	const unsigned char *bytes = opts;

	if (user_sz < sizeof(size_t)) {
		pcapf_err(errbuf,
			  "struct %s: sz %zu is too small: it must cover at "
			  "least the sz field itself (%zu bytes)",
			  type_name, user_sz, sizeof(size_t));
		return -EINVAL;
	}
	for (size_t i = known_sz; i < user_sz; i++) {
		if (bytes[i]) {
			pcapf_err(errbuf,
				  "struct %s: unknown non-zero field at byte %zu "
				  "(sz %zu; this library knows %zu bytes)",
				  type_name, i, user_sz, known_sz);
			return -EINVAL;
		}
	}
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

/* Whether the caller's struct has the field an option sets: an older,
 * smaller struct lacks the fields appended after it was built. */
static int opts_field_present(const struct pcapf_opts *opts, size_t field_end,
			      const char *option, char *errbuf)
{
	if (opts->sz >= field_end)
		return 0;
	pcapf_err(errbuf,
		  "option '%s' needs a struct pcapf_opts of at least %zu bytes; "
		  "this one has sz %zu",
		  option, field_end, opts->sz);
	return -EINVAL;
}

#define OPT_FIELD(opts, field, option, errbuf)                                 \
	opts_field_present(opts, PCAPF_OFFSETOFEND(struct pcapf_opts, field),  \
			   option, errbuf)

int pcapf_opts__parse(struct pcapf_opts *opts, const char *option, char *errbuf)
{
	const char *eq, *val;
	size_t keylen;

	if (!opts || !option) {
		pcapf_err(errbuf, "no options struct or no option string");
		return -EINVAL;
	}
	if (PCAPF_OPTS_VALID(opts, errbuf))
		return -EINVAL;
	eq = strchr(option, '=');
	keylen = eq ? (size_t)(eq - option) : strlen(option);
	val = eq ? eq + 1 : "";
	if (keylen == 8 && !strncmp(option, "linktype", 8) && eq) {
		int dlt;
		if (OPT_FIELD(opts, linktype, option, errbuf) ||
		    resolve_linktype(val, &dlt, errbuf))
			return -EINVAL;
		opts->linktype = val;
		return 0;
	}
	if (keylen == 7 && !strncmp(option, "snaplen", 7) && eq) {
		if (OPT_FIELD(opts, snaplen, option, errbuf))
			return -EINVAL;
		return parse_count(val, PCAPF_DEFAULT_SNAPLEN, "snap length",
				   &opts->snaplen, errbuf);
	}
	if (keylen == 6 && !strncmp(option, "access", 6) && eq) {
		if (OPT_FIELD(opts, access, option, errbuf))
			return -EINVAL;
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
		if (OPT_FIELD(opts, skb_linear, option, errbuf))
			return -EINVAL;
		return parse_count(val, 0xffff, "skb_linear", &opts->skb_linear,
				   errbuf);
	}
	if (keylen == 5 && !strncmp(option, "input", 5) && eq) {
		if (OPT_FIELD(opts, cbpf, option, errbuf))
			return -EINVAL;
		if (strcmp(val, "cbpf") && strcmp(val, "expr")) {
			pcapf_err(errbuf,
				  "unknown input '%s': expected 'expr' or 'cbpf'",
				  val);
			return -EINVAL;
		}
		opts->cbpf = !strcmp(val, "cbpf");
		return 0;
	}
	if (keylen == 16 && !strncmp(option, "protochain_depth", 16) && eq) {
		if (OPT_FIELD(opts, protochain_depth, option, errbuf))
			return -EINVAL;
		if (!strcmp(val, "off")) {
			opts->protochain_depth = PCAPF_PROTOCHAIN_OFF;
			return 0;
		}
		if (parse_count(val, PCAPF_MAX_PROTOCHAIN_DEPTH,
				"protochain_depth", &opts->protochain_depth,
				errbuf)) {
			pcapf_err(errbuf,
				  "invalid protochain_depth '%s': expected "
				  "1..%u or off",
				  val, PCAPF_MAX_PROTOCHAIN_DEPTH);
			return -EINVAL;
		}
		return 0;
	}
	pcapf_err(errbuf,
		  "unknown option '%s': expected linktype=NAME, snaplen=N, "
		  "access=MODE, input=expr|cbpf, skb_linear=N or "
		  "protochain_depth=N|off",
		  option);
	return -EINVAL;
}

/* What the access mode can read on BPF (struct pcapf_opts, packet_range). */
static uint32_t default_packet_range(enum pcapf_access access)
{
	return access == PCAPF_ACCESS_SKB || access == PCAPF_ACCESS_SKB_LOAD_BYTES
		       ? UINT32_MAX
		       : PCAPF_MAX_PACKET_OFF;
}

int pcapf_resolve_opts(const struct pcapf_opts *opts,
		       struct pcapf_settings *set, char *errbuf)
{
	const char *linktype;

	*set = (struct pcapf_settings){
		.linktype = DLT_EN10MB,
		.snaplen = PCAPF_DEFAULT_SNAPLEN,
		.access = PCAPF_ACCESS_DIRECT,
		.packet_range = PCAPF_MAX_PACKET_OFF,
		.protochain_depth = PCAPF_DEFAULT_PROTOCHAIN_DEPTH,
	};
	if (!opts)
		return 0;
	if (PCAPF_OPTS_VALID(opts, errbuf))
		return -EINVAL;
	linktype = PCAPF_OPTS_GET(opts, linktype, NULL);
	if (linktype && resolve_linktype(linktype, &set->linktype, errbuf))
		return -EINVAL;
	set->snaplen = PCAPF_OPTS_GET(opts, snaplen, 0);
	if (set->snaplen > PCAPF_DEFAULT_SNAPLEN) {
		pcapf_err(errbuf, "invalid snap length %u: expected 1..%u",
			  set->snaplen, PCAPF_DEFAULT_SNAPLEN);
		return -EINVAL;
	}
	if (!set->snaplen)
		set->snaplen = PCAPF_DEFAULT_SNAPLEN;
	set->access = PCAPF_OPTS_GET(opts, access, PCAPF_ACCESS_DEFAULT);
	if ((unsigned)set->access >= PCAPF_ACCESS_MODES) {
		pcapf_err(errbuf, "unknown access mode %d", (int)set->access);
		return -EINVAL;
	}
	if (set->access == PCAPF_ACCESS_DEFAULT)
		set->access = PCAPF_ACCESS_DIRECT;
	set->cbpf = PCAPF_OPTS_GET(opts, cbpf, false);
	set->skb_linear = PCAPF_OPTS_GET(opts, skb_linear, 0);
	if (set->skb_linear > 0xffff) {
		pcapf_err(errbuf, "invalid skb_linear %u: expected 1..65535",
			  set->skb_linear);
		return -EINVAL;
	}
	if (set->skb_linear && set->access != PCAPF_ACCESS_SKB) {
		pcapf_err(errbuf, "skb_linear applies to access=skb only");
		return -EINVAL;
	}
	set->packet_range = PCAPF_OPTS_GET(opts, packet_range, 0);
	if (!set->packet_range)
		set->packet_range = default_packet_range(set->access);
	set->protochain_depth = PCAPF_OPTS_GET(opts, protochain_depth, 0);
	if (set->protochain_depth == PCAPF_PROTOCHAIN_OFF) {
		set->protochain_depth = 0;
	} else if (!set->protochain_depth) {
		set->protochain_depth = PCAPF_DEFAULT_PROTOCHAIN_DEPTH;
	} else if (set->protochain_depth > PCAPF_MAX_PROTOCHAIN_DEPTH) {
		pcapf_err(errbuf,
			  "invalid protochain_depth %u: expected 1..%u or "
			  "PCAPF_PROTOCHAIN_OFF",
			  set->protochain_depth, PCAPF_MAX_PROTOCHAIN_DEPTH);
		return -EINVAL;
	}
	return 0;
}
