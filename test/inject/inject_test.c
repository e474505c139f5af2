/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * inject_test: run-time stubs filled by libpcapf_bpf (pcapf_bpf.h) in a
 * real object, inject.bpf.c, loaded twice with different filters (the
 * filter changes, the object does not). For each load every program is run
 * with BPF_PROG_TEST_RUN on every packet of the given captures and each
 * verdict compared with libpcap's pcap_offline_filter(); the stubs' BTF
 * line info is checked with bpftool (the filter's instructions on the
 * attribute's line); bad input gets its errno and message. Needs BPF
 * (root): without it it fails.
 *
 *   inject_test OBJECT SOURCE PCAP...
 *
 * SOURCE is inject.bpf.c, for the attribute lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "pcapf_bpf.h"
#include "pktrun.h"

static int failures, checks;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			failures++;                                            \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);           \
			printf(__VA_ARGS__);                                   \
			putchar('\n');                                         \
		}                                                              \
	} while (0)

/* One load: a filter per stub. */
struct filters {
	const char *web, *dns, *any;
};

static const struct filters loads[] = {
	{"tcp port 80 or tcp port 443", "udp port 53", "icmp or icmp6"},
	{"ip6 and tcp", "arp or (udp and ip[6:2] & 0x1fff = 0)",
	 "tcp[tcpflags] & tcp-syn != 0"},
};

static struct pktrun_ref *ref(const char *expr)
{
	char err[PKTRUN_ERRBUF_SIZE];
	struct pktrun_ref *r = pktrun_ref_compile(expr, PKTRUN_DLT_EN10MB,
						  PKTRUN_DEFAULT_SNAPLEN, err);

	if (!r) {
		printf("FAIL libpcap rejects '%s': %s\n", expr, err);
		exit(1);
	}
	return r;
}

static struct bpf_object *open_object(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	if (!obj) {
		printf("FAIL cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return obj;
}

static int set(struct bpf_object *obj, const char *stub, const char *expr)
{
	char err[PCAPF_ERRBUF_SIZE] = "";
	int rc = pcapf_bpf_object__set_filter(obj, stub, expr, NULL, err);

	CHECK(rc == 0, "set_filter(%s, '%s'): %d %s", stub, expr, rc, err);
	return rc;
}

/* The line of SOURCE that declares stub. */
static int attribute_line(const char *source, const char *stub)
{
	char line[512], needle[64];
	FILE *f = fopen(source, "r");
	int n = 0;

	snprintf(needle, sizeof(needle), " %s(", stub);
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, needle) && strstr(line, "__pcap_filter_runtime")) {
			fclose(f);
			return n;
		}
	}
	if (f)
		fclose(f);
	return -1;
}

/* The instructions pcapf emits for expr: the stub's body as spliced (match:
 * a bool stub's, returning 1 on a match). */
static size_t body_len(const char *expr, enum pcapf_ebpf_wrap wrap, bool match)
{
	PCAPF_EBPF_OPTS(eopts, .wrap = wrap, .match = match);
	struct pcapf_prog *prog = pcapf_prog__compile(expr, NULL, NULL);
	struct pcapf_ebpf_insn *insns = NULL;
	size_t cnt = 0;

	if (prog)
		pcapf_prog__emit_ebpf(prog, &eopts, &insns, &cnt, NULL);
	pcapf_prog__free(prog);
	free(insns);
	return cnt;
}

/*
 * bpftool's linum dump of prog: the stub's instructions follow a line-info
 * annotation naming inject.bpf.c at the attribute's line, and there are
 * want of them before the next annotation or function: one record covers
 * the whole filter.
 */
static void check_linum(struct bpf_program *prog, const char *source,
			const char *stub, size_t want)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info);
	char cmd[128], line[1024], tag[64];
	int attr = attribute_line(source, stub);
	size_t insns = 0;
	bool in_stub = false, seen = false, counted = false;
	FILE *p;

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len)) {
		CHECK(0, "no info for %s", bpf_program__name(prog));
		return;
	}
	snprintf(cmd, sizeof(cmd), "bpftool prog dump xlated id %u linum", info.id);
	snprintf(tag, sizeof(tag), "inject.bpf.c line_num:%d ", attr);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		/* "; source [file:F line_num:N line_col:C]", a function's
		 * "type name(params):", or "   N: (op) insn" */
		/* Read to the end: bpftool must not die of a closed pipe. */
		if (line[0] != ' ') {
			if (in_stub)
				in_stub = false, counted = true;
			else if (!counted && line[0] == ';' && strstr(line, tag))
				in_stub = seen = true;
			continue;
		}
		if (in_stub)
			insns++;
	}
	CHECK(p && pclose(p) == 0, "%s failed", cmd);
	CHECK(seen, "%s: no line info at %s", cmd, tag);
	CHECK(insns == want, "%s: %zu instructions at the line of '%s', want %zu",
	      cmd, insns, stub, want);
}

static void run_load(const char *path, const char *source,
		     const struct filters *f, struct pktrun_capture *caps,
		     size_t ncaps)
{
	struct bpf_object *obj = open_object(path);
	struct pktrun_ref *web = ref(f->web), *dns = ref(f->dns), *any = ref(f->any);
	struct bpf_program *pweb, *ppair, *pany;
	size_t runs = 0;
	char err[256];

	if (set(obj, "web", f->web) | set(obj, "dns", f->dns) |
	    set(obj, "any", f->any))
		goto out;
	if (bpf_object__load(obj)) {
		libbpf_strerror(errno, err, sizeof(err));
		CHECK(0, "load with '%s' / '%s' / '%s': %s", f->web, f->dns,
		      f->any, err);
		goto out;
	}
	pweb = bpf_object__find_program_by_name(obj, "xdp_web");
	ppair = bpf_object__find_program_by_name(obj, "xdp_pair");
	pany = bpf_object__find_program_by_name(obj, "xdp_any");
	for (size_t c = 0; c < ncaps; c++) {
		for (size_t i = 0; i < caps[c].count; i++) {
			const struct pktrun_packet *pkt = &caps[c].pkts[i];
			uint32_t vweb = pktrun_ref_verdict(web, pkt);
			uint32_t vdns = pktrun_ref_verdict(dns, pkt);
			uint32_t vany = pktrun_ref_verdict(any, pkt);
			struct pktrun_result r1, r2, r3;

			if (pktrun_run(bpf_program__fd(pweb), PKTRUN_XDP, pkt, &r1) != PKTRUN_OK)
				continue; /* the kernel does not take it */
			pktrun_run(bpf_program__fd(ppair), PKTRUN_XDP, pkt, &r2);
			pktrun_run(bpf_program__fd(pany), PKTRUN_XDP, pkt, &r3);
			CHECK(r1.retval == vweb, "%s #%zu: xdp_web %u, libpcap %u ('%s')",
			      caps[c].path, i, r1.retval, vweb, f->web);
			CHECK(r2.status == PKTRUN_OK &&
			      r2.retval == ((vweb ? 1u : 0) | (vdns ? 2u : 0)),
			      "%s #%zu: xdp_pair %u, libpcap %u/%u", caps[c].path, i,
			      r2.retval, vweb, vdns);
			CHECK(r3.status == PKTRUN_OK && r3.retval == (vany ? 1u : 0),
			      "%s #%zu: xdp_any %u, libpcap %u ('%s')", caps[c].path,
			      i, r3.retval, vany, f->any);
			runs++;
		}
	}
	CHECK(runs > 100, "only %zu packets ran", runs);
	printf("'%s' / '%s' / '%s': %zu packets, 3 programs\n", f->web, f->dns,
	       f->any, runs);
	check_linum(pweb, source, "web", body_len(f->web, PCAPF_EBPF_SUBPROG, false));
	check_linum(ppair, source, "web", body_len(f->web, PCAPF_EBPF_SUBPROG, false));
	check_linum(ppair, source, "dns", body_len(f->dns, PCAPF_EBPF_XDP, false));
	check_linum(pany, source, "any", body_len(f->any, PCAPF_EBPF_SUBPROG, true));
out:
	pktrun_ref_free(web);
	pktrun_ref_free(dns);
	pktrun_ref_free(any);
	bpf_object__close(obj);
}

/* set_filter's errors: errno and a message naming the cause. */
static void check_error(struct bpf_object *obj, const char *stub,
			const char *expr, const struct pcapf_opts *opts,
			int want, const char *msg)
{
	char err[PCAPF_ERRBUF_SIZE] = "";
	int rc = pcapf_bpf_object__set_filter(obj, stub, expr, opts, err);

	CHECK(rc == want && strstr(err, msg),
	      "set_filter(%s, %s): %d '%s', want %d '%s'", stub ? stub : "NULL",
	      expr ? expr : "NULL", rc, err, want, msg);
}

static void bad_input(const char *path)
{
	struct bpf_object *obj = open_object(path);
	PCAPF_OPTS(skb, .access = PCAPF_ACCESS_SKB);
	PCAPF_OPTS(raw, .linktype = "RAW");
	char libpcap[PKTRUN_ERRBUF_SIZE];

	check_error(NULL, "web", "ip", NULL, -EINVAL, "no object");
	check_error(obj, NULL, "ip", NULL, -EINVAL, "no stub name");
	check_error(obj, "web", NULL, NULL, -EINVAL, "no filter expression");
	check_error(obj, "nosuch", "ip", NULL, -ENOENT, "no function 'nosuch'");
	check_error(obj, "xdp_web", "ip", NULL, -EINVAL,
		    "'xdp_web' is not a run-time pcap_filter stub");
	CHECK(!pktrun_ref_compile("tcp port", PKTRUN_DLT_EN10MB,
				  PKTRUN_DEFAULT_SNAPLEN, libpcap), "libpcap takes 'tcp port'");
	check_error(obj, "web", "tcp port", NULL, -EINVAL, libpcap);
	check_error(obj, "web", "ip", &skb, -EINVAL,
		    "access=skb does not fit stub 'web' (void *data, void *data_end); "
		    "it supports: direct, probe");
	check_error(obj, "dns", "ip", &skb, -EINVAL,
		    "access=skb does not fit stub 'dns' (struct xdp_md *ctx); "
		    "it supports: direct");
	/* A filter that does not fit the link type of the stub's callers
	 * compiles: the link type is the loader's to choose. */
	check_error(obj, "web", "ip", &raw, 0, "");
	/* A stub left unfilled: the verifier refuses the program. */
	CHECK(bpf_object__load(obj) != 0, "loaded with stubs 'dns', 'any' unfilled");
	bpf_object__close(obj);
}

int main(int argc, char **argv)
{
	char why[256], err[PKTRUN_ERRBUF_SIZE];
	struct pktrun_capture *caps;
	struct bpf_object *early;
	int ncaps = argc - 3;

	if (argc < 4) {
		fprintf(stderr, "usage: inject_test OBJECT SOURCE PCAP...\n");
		return 2;
	}
	if (pktrun_bpf_check(why, sizeof(why))) {
		printf("FAIL no BPF: %s\n", why);
		return 1;
	}
	/* Opened before the hooks exist: libbpf bound its own handlers. */
	early = open_object(argv[1]);
	CHECK(pcapf_bpf__register_handlers() == 0, "register_handlers");
	CHECK(pcapf_bpf__register_handlers() == 0, "register_handlers again");
	check_error(early, "web", "ip", NULL, -ENOTSUP, "pcapf_bpf__register_handlers()");
	bpf_object__close(early);

	caps = calloc(ncaps, sizeof(*caps));
	for (int i = 0; i < ncaps; i++)
		if (pktrun_capture_read(&caps[i], argv[3 + i], err)) {
			printf("FAIL %s: %s\n", argv[3 + i], err);
			return 1;
		}
	for (size_t l = 0; l < sizeof(loads) / sizeof(loads[0]); l++)
		run_load(argv[1], argv[2], &loads[l], caps, ncaps);
	bad_input(argv[1]);
	for (int i = 0; i < ncaps; i++)
		pktrun_capture_free(&caps[i]);
	free(caps);
	printf("inject_test: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
