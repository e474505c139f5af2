/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtfilter: what the examples that take their filter on the command line
 * (xdpcount, pkttrace) share: the expression from the arguments, and an
 * object loaded with it in its run-time stub; stopping on a signal.
 */
#ifndef RTFILTER_H
#define RTFILTER_H

#include <signal.h>

struct bpf_object;

/* argv[0] to argv[argc - 1] joined with spaces, as tcpdump takes its
 * expression; NULL (after a message) if argc is 0 or out of memory. */
char *rtfilter_expression(const char *tool, int argc, char *argv[]);

/* The argument of -t SECONDS: a positive number; a message and exit
 * status 2 (a usage error) for anything else. */
double rtfilter_seconds(const char *tool, const char *arg);

/* Open the object at path, put expr into its run-time stub named stub and
 * load it. NULL after a message "TOOL: ..." on stderr naming the cause (for
 * a bad expression, libpcap's). */
struct bpf_object *rtfilter_load(const char *tool, const char *path,
				 const char *stub, const char *expr);

/* Set by SIGINT and SIGTERM once rtfilter_catch_signals() has run: time
 * to print the totals, detach and exit. The handler is installed without
 * SA_RESTART, so the signal also ends a sleep or poll in progress. */
extern volatile sig_atomic_t rtfilter_stop;
void rtfilter_catch_signals(void);

/* CLOCK_MONOTONIC, in seconds. */
double rtfilter_now(void);

#endif /* RTFILTER_H */
