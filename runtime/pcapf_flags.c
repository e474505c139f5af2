/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapf_flags.c: pcapf --plugin-path and --bpf-cflags, for Makefiles:
 *
 *   CLANG ?= clang-19
 *   BPF_CFLAGS := $(shell pcapf --bpf-cflags --clang=$(CLANG))
 *
 * They print the file -fplugin= names, or every flag a BPF compile with
 * the plugin needs, for a Clang given by its major version or by its path
 * (run with --version to read the major; a name is looked up in PATH), by
 * default the newest Clang the plugin is built for.
 *
 * The install tree is found relative to this executable (../lib and
 * ../include beside its bin/), so one binary answers for whatever prefix it
 * was installed in: a .deb's /usr, `cmake --install --prefix P`, or the
 * build tree, which has the same layout. The plugin file and flags for
 * each Clang come from the table packaging/CMakeLists.txt generates with
 * pcapfilterBpf.cmake, the place the CMake package and the pkg-config file
 * take them from too, so the three agree.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcapf_flags.h"

struct pcapf_clang_flags {
	unsigned major;
	const char *plugin; /* with ${libdir} */
	const char *cflags; /* with ${libdir} and ${includedir} */
};

#include "pcapf_clangs.h"

#define N_CLANGS (sizeof(pcapf_clangs) / sizeof(pcapf_clangs[0]))

extern char **environ;

/* "pcapf: " fmt "\n" on standard error: every message of the CLI. */
void pcapf_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pcapf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* out = realpath("<directory of this executable>/rel"); 0 or -1. */
static int install_dir(const char *rel, char out[PATH_MAX])
{
	char exe[PATH_MAX], dir[PATH_MAX + sizeof(PCAPF_BINDIR_TO_INCLUDEDIR)];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len < 0) {
		pcapf_cli_error("cannot find this executable (/proc/self/exe): %s",
			    strerror(errno));
		return -1;
	}
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(dir, sizeof(dir), "%s/%s", exe, rel);
	if (!realpath(dir, out)) {
		pcapf_cli_error("%s: %s (pcapf looks for the plugin and headers "
			    "there, beside its own bin/)", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The major version in `clang --version`'s "[vendor ]clang version N.", or
 * 0 after saying why there is none. */
static unsigned run_clang_version(const char *clang)
{
	char text[4096], *at;
	char *argv[] = {(char *)clang, "--version", NULL};
	posix_spawn_file_actions_t actions;
	size_t len = 0;
	ssize_t got;
	int fds[2], err, status;
	pid_t pid;

	if (pipe(fds) < 0) {
		pcapf_cli_error("pipe: %s", strerror(errno));
		return 0;
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&actions, fds[0]);
	err = posix_spawnp(&pid, clang, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(fds[1]);
	if (err) {
		close(fds[0]);
		pcapf_cli_error("cannot run '%s': %s", clang, strerror(err));
		return 0;
	}
	while (len < sizeof(text) - 1 &&
	       (got = read(fds[0], text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)got;
	text[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		pcapf_cli_error("'%s --version' failed", clang);
		return 0;
	}
	at = strstr(text, "clang version ");
	if (at) {
		char *end;
		unsigned long major = strtoul(at + strlen("clang version "), &end, 10);

		if (major && major < 1000 && *end == '.')
			return (unsigned)major;
	}
	pcapf_cli_error("'%s --version' does not say which Clang it is", clang);
	return 0;
}

/* --clang=N or --clang=PATH; NULL is the newest Clang built for. */
static unsigned clang_major(const char *clang)
{
	if (!clang)
		return pcapf_clangs[0].major;
	if (clang[0] && strspn(clang, "0123456789") == strlen(clang)) {
		unsigned long major = strtoul(clang, NULL, 10);

		if (major && major < 1000)
			return (unsigned)major;
		pcapf_cli_error("invalid Clang version '%s'", clang);
		return 0;
	}
	return run_clang_version(clang);
}

/* tmpl with ${libdir} and ${includedir} replaced; malloc'ed, or NULL. */
static char *expand(const char *tmpl, const char *libdir,
		    const char *includedir)
{
	static const char lib_var[] = "${libdir}", inc_var[] = "${includedir}";
	size_t longest = strlen(libdir) > strlen(includedir) ? strlen(libdir)
							     : strlen(includedir);
	size_t cap = strlen(tmpl) + 1, used = 0;
	char *out;

	/* Each variable starts with a '$' and is replaced by at most longest. */
	for (const char *c = tmpl; *c; c++)
		cap += *c == '$' ? longest : 0;
	out = malloc(cap);
	if (!out)
		return NULL;
	while (*tmpl) {
		const char *value = NULL;

		if (!strncmp(tmpl, lib_var, sizeof(lib_var) - 1)) {
			value = libdir;
			tmpl += sizeof(lib_var) - 1;
		} else if (!strncmp(tmpl, inc_var, sizeof(inc_var) - 1)) {
			value = includedir;
			tmpl += sizeof(inc_var) - 1;
		}
		if (value) {
			memcpy(out + used, value, strlen(value));
			used += strlen(value);
		} else {
			out[used++] = *tmpl++;
		}
	}
	out[used] = '\0';
	return out;
}

int pcapf_print_clang_flags(enum pcapf_clang_output what, const char *clang)
{
	char libdir[PATH_MAX], includedir[PATH_MAX], built[256];
	const struct pcapf_clang_flags *found = NULL;
	unsigned major = clang_major(clang);
	char *plugin = NULL, *cflags = NULL;
	size_t used = 0;
	int status = 1;

	if (!major)
		return 1;
	built[0] = '\0';
	for (size_t i = 0; i < N_CLANGS; i++) {
		if (pcapf_clangs[i].major == major)
			found = &pcapf_clangs[i];
		used += (size_t)snprintf(built + used, sizeof(built) - used, "%s%u",
					 i ? ", " : "", pcapf_clangs[i].major);
		if (used >= sizeof(built))
			used = sizeof(built) - 1;
	}
	if (!found) {
		pcapf_cli_error("this pcapfilter has no plugin for Clang %u: it is "
			    "built for Clang %s", major, built);
		return 1;
	}
	if (install_dir(PCAPF_BINDIR_TO_LIBDIR, libdir) ||
	    install_dir(PCAPF_BINDIR_TO_INCLUDEDIR, includedir))
		return 1;
	plugin = expand(found->plugin, libdir, includedir);
	cflags = expand(found->cflags, libdir, includedir);
	if (!plugin || !cflags) {
		pcapf_cli_error("out of memory");
		goto out;
	}
	if (access(plugin, R_OK) < 0) {
		pcapf_cli_error("%s: %s (the plugin for Clang %u; reinstall "
			    "pcapfilter)", plugin, strerror(errno), major);
		goto out;
	}
	puts(what == PCAPF_PLUGIN_PATH ? plugin : cflags);
	status = fflush(stdout) || ferror(stdout);
	if (status)
		pcapf_cli_error("write error: %s", strerror(errno));
out:
	free(plugin);
	free(cflags);
	return status;
}
