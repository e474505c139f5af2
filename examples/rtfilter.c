/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtfilter: the command-line filter and the load sequence of xdpcount and
 * pkttrace (rtfilter.h): register libpcapf_bpf's load hooks, open, put the
 * filter into the stub, load; and how they stop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "pcapf_bpf.h"
#include "rtfilter.h"

char *rtfilter_expression(const char *tool, int argc, char *argv[])
{
	size_t size = 1;

	if (argc <= 0) {
		fprintf(stderr, "%s: no filter expression\n", tool);
		return NULL;
	}
	for (int i = 0; i < argc; i++)
		size += strlen(argv[i]) + 1;
	char *expr = malloc(size);
	if (!expr) {
		fprintf(stderr, "%s: out of memory\n", tool);
		return NULL;
	}
	expr[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(expr, " ");
		strcat(expr, argv[i]);
	}
	return expr;
}

double rtfilter_seconds(const char *tool, const char *arg)
{
	char *end;
	double seconds = strtod(arg, &end);

	if (*end || end == arg || !(seconds > 0)) {
		fprintf(stderr, "%s: -t wants a positive number of seconds, not '%s'\n", tool, arg);
		exit(2);
	}
	return seconds;
}

struct bpf_object *rtfilter_load(const char *tool, const char *path,
				 const char *stub, const char *expr)
{
	char errbuf[PCAPF_ERRBUF_SIZE];
	int err = pcapf_bpf__register_handlers();

	if (err) {
		fprintf(stderr, "%s: cannot register the load hooks: %s\n", tool, strerror(-err));
		return NULL;
	}
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "%s: cannot open %s: %s\n", tool, path, strerror(errno));
		return NULL;
	}
	err = pcapf_bpf_object__set_filter(obj, stub, expr, NULL, errbuf);
	if (err) {
		fprintf(stderr, "%s: bad filter '%s': %s\n", tool, expr, errbuf);
		goto fail;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "%s: cannot load %s with filter '%s': %s\n", tool, path,
			expr, strerror(-err));
		goto fail;
	}
	return obj;
fail:
	bpf_object__close(obj);
	return NULL;
}

volatile sig_atomic_t rtfilter_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	rtfilter_stop = 1;
}

void rtfilter_catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

double rtfilter_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
