/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * load-examples: load BPF objects into the kernel (the verifier's check)
 * and say what loaded; optionally attach the programs libbpf can attach by
 * section name (tracing programs such as trace_dns.bpf.o's) for a while.
 *
 * usage: load-examples [--attach SECONDS] OBJECT...
 *
 * Exit status 1 if any object does not load (or, with --attach, a program
 * libbpf knows how to attach does not), 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int load(const char *path, int attach_seconds)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	struct bpf_link *links[16];
	int nlinks = 0, failed = 0;

	if (!obj) {
		printf("FAIL %s: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	if (bpf_object__load(obj) != 0) {
		printf("FAIL %s: does not load: %s (libbpf printed the verifier's log above)\n",
		       path, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);

		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		printf("ok   %s: %s (%s, section %s), %u instructions verified\n", path,
		       bpf_program__name(prog),
		       libbpf_bpf_prog_type_str(bpf_program__type(prog)),
		       bpf_program__section_name(prog), info.verified_insns);
		if (attach_seconds <= 0 || nlinks == 16)
			continue;
		/* Only tracing programs attach by section name alone; XDP, TC
		 * and socket filters need an interface or a socket. */
		enum bpf_prog_type type = bpf_program__type(prog);
		if (type != BPF_PROG_TYPE_TRACING && type != BPF_PROG_TYPE_RAW_TRACEPOINT &&
		    type != BPF_PROG_TYPE_TRACEPOINT && type != BPF_PROG_TYPE_KPROBE)
			continue;
		struct bpf_link *link = bpf_program__attach(prog);
		if (!link) {
			printf("FAIL %s: %s does not attach: %s\n", path,
			       bpf_program__name(prog), strerror(errno));
			failed = 1;
			continue;
		}
		links[nlinks++] = link;
		printf("     attached %s for %d s\n", bpf_program__name(prog), attach_seconds);
	}
	if (nlinks)
		sleep((unsigned)attach_seconds);
	while (nlinks)
		bpf_link__destroy(links[--nlinks]);
	bpf_object__close(obj);
	return failed;
}

int main(int argc, char **argv)
{
	int attach_seconds = 0, first = 1, failed = 0;

	if (argc > 2 && strcmp(argv[1], "--attach") == 0) {
		attach_seconds = atoi(argv[2]);
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: load-examples [--attach SECONDS] OBJECT...\n");
		return 2;
	}
	for (int i = first; i < argc; i++)
		failed += load(argv[i], attach_seconds);
	printf("load-examples: %d loaded, %d failed\n", argc - first - failed, failed);
	return failed ? 1 : 0;
}
