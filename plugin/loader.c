/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * loader.c: <prefix>/lib/libpcapfilter.so, the file users pass to -fplugin.
 *
 * A Clang plugin is C++ built against one Clang's headers and resolves that
 * Clang's symbols when it is loaded. Loaded by another major version it
 * fails inside dlopen() with "undefined symbol: _ZN5clang...", before any
 * of its code runs, and the compile goes on without the attribute. So the
 * file -fplugin names is this loader instead: plain C, needing nothing but
 * libc, it always loads. Its constructor, which runs inside Clang's
 * dlopen() and so before Clang looks at its plugin registries, finds the
 * major version of the Clang that loaded it and dlopen()s the real plugin
 * built for that version:
 *
 *   <dir of this file>/pcapfilter/clang-<major>/libpcapfilter.so
 *
 * (one directory per Clang, so that plugins for several versions install
 * side by side and out of the linker's search path; the build tree has the
 * same layout). It is opened RTLD_NOW, so that an unresolvable symbol fails
 * here rather than in the middle of a compile, and RTLD_GLOBAL, as Clang
 * opens plugins (llvm::sys::DynamicLibrary). The real plugin's static
 * constructors add its action and attribute to Clang's registries, which
 * Clang reads once the loader's dlopen() has returned.
 *
 * The version comes from the name of the libclang-cpp.so.<major>[.<minor>]
 * the process has loaded (Debian, Ubuntu, Fedora and Arch link clang to
 * it), or else of libLLVM-<major>.so / libLLVM.so.<major>.<minor>. When
 * there is no plugin for that version, the loader says so in one line on
 * stderr and loads nothing; pcap_filter.h then stops the compile with its
 * #error. A Clang linked statically has neither library: the loader then
 * tries each installed plugin, newest first, and keeps the first that
 * loads; the real plugin checks the version itself (ClangVersionCheck.cpp).
 */
#define _GNU_SOURCE /* dladdr, dl_iterate_phdr */
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLUGIN_FILE "libpcapfilter.so"
#define PLUGIN_SUBDIR "/pcapfilter"
#define MAX_INSTALLED 32
/* Longest "<dir>/pcapfilter" and "<dir>/pcapfilter/clang-<N>/libpcapfilter.so". */
#define PLUGIN_DIR_MAX (PATH_MAX + sizeof(PLUGIN_SUBDIR))
#define PLUGIN_PATH_MAX (PLUGIN_DIR_MAX + sizeof("/clang-4294967295/" PLUGIN_FILE))

/* Where the real plugins are: "<dir of this file>/pcapfilter". */
struct plugin_dir {
	char path[PLUGIN_DIR_MAX];
	unsigned majors[MAX_INSTALLED]; /* installed versions, descending */
	size_t count;
};

/* The number right after prefix at the start of name, or 0; *end is set
 * to what follows the number. */
static unsigned major_after(const char *name, const char *prefix,
			    const char **end)
{
	size_t len = strlen(prefix);
	char *after;
	unsigned long major;

	if (strncmp(name, prefix, len) != 0 || !isdigit((unsigned char)name[len]))
		return 0;
	major = strtoul(name + len, &after, 10);
	*end = after;
	return major <= UINT_MAX ? (unsigned)major : 0;
}

struct loaded_versions {
	unsigned clang_cpp;
	unsigned llvm;
};

/* libclang-cpp.so.<major>[.<minor>], libLLVM-<major>.so[.<n>] (LLVM <= 17)
 * or libLLVM.so.<major>.<minor> (LLVM >= 18), by the file's name. */
static int note_library(struct dl_phdr_info *info, size_t size, void *data)
{
	struct loaded_versions *found = data;
	const char *slash = strrchr(info->dlpi_name, '/');
	const char *name = slash ? slash + 1 : info->dlpi_name;
	const char *end = "";
	unsigned major;

	(void)size;
	major = major_after(name, "libclang-cpp.so.", &end);
	if (major && (*end == '\0' || *end == '.')) {
		found->clang_cpp = major;
		return 1;
	}
	major = major_after(name, "libLLVM-", &end);
	if (!major || strncmp(end, ".so", 3) != 0)
		major = major_after(name, "libLLVM.so.", &end);
	if (major && !found->llvm)
		found->llvm = major;
	return 0;
}

/* The major version of the Clang this process runs, or 0 if unknown. */
static unsigned loading_clang_major(void)
{
	struct loaded_versions found = { 0, 0 };

	dl_iterate_phdr(note_library, &found);
	return found.clang_cpp ? found.clang_cpp : found.llvm;
}

static void plugin_file(const struct plugin_dir *dir, unsigned major,
			char *out, size_t size)
{
	snprintf(out, size, "%s/clang-%u/" PLUGIN_FILE, dir->path, major);
}

static int descending(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x < y) - (x > y);
}

/* Fills dir with this file's plugin directory and what is installed in it;
 * 0 on success, -1 (after saying why) when this file cannot be found. */
static int find_installed(struct plugin_dir *dir)
{
	Dl_info self;
	char real[PATH_MAX], file[PLUGIN_PATH_MAX];
	char *slash;
	struct dirent *entry;
	DIR *d;

	if (!dladdr((void *)find_installed, &self) || !self.dli_fname ||
	    !realpath(self.dli_fname, real)) {
		fputs("pcapfilter: cannot find the directory of libpcapfilter.so\n",
		      stderr);
		return -1;
	}
	slash = strrchr(real, '/');
	*slash = '\0';
	snprintf(dir->path, sizeof(dir->path), "%s" PLUGIN_SUBDIR, real);
	dir->count = 0;
	d = opendir(dir->path);
	if (!d)
		return 0;
	while ((entry = readdir(d)) && dir->count < MAX_INSTALLED) {
		const char *end = "";
		unsigned major = major_after(entry->d_name, "clang-", &end);

		if (!major || *end != '\0')
			continue;
		plugin_file(dir, major, file, sizeof(file));
		if (access(file, R_OK) == 0)
			dir->majors[dir->count++] = major;
	}
	closedir(d);
	qsort(dir->majors, dir->count, sizeof(dir->majors[0]), descending);
	return 0;
}

static int is_installed(const struct plugin_dir *dir, unsigned major)
{
	for (size_t i = 0; i < dir->count; i++)
		if (dir->majors[i] == major)
			return 1;
	return 0;
}

/* "clang-19", "clang-16 or clang-19" (sep " or "), "16, 19" (sep ", "). */
static void list_majors(const struct plugin_dir *dir, const char *before,
			const char *sep, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = dir->count; i-- > 0 && used < size;)
		used += snprintf(out + used, size - used, "%s%s%u",
				 i + 1 == dir->count ? "" : sep, before,
				 dir->majors[i]);
}

static void report_missing(const struct plugin_dir *dir, unsigned major)
{
	char versions[256], clangs[512];

	if (dir->count == 1) {
		fprintf(stderr,
			"pcapfilter: this is Clang %u, the plugin is installed for Clang %u (%s/clang-%u/" PLUGIN_FILE
			"); use clang-%u or build pcapfilter against Clang %u\n",
			major, dir->majors[0], dir->path, dir->majors[0],
			dir->majors[0], major);
		return;
	}
	list_majors(dir, "", ", ", versions, sizeof(versions));
	list_majors(dir, "clang-", " or ", clangs, sizeof(clangs));
	fprintf(stderr,
		"pcapfilter: this is Clang %u, the plugin is installed for Clang %s (%s/clang-<version>/" PLUGIN_FILE
		"); use %s, or build pcapfilter against Clang %u\n",
		major, versions, dir->path, clangs, major);
}

/* Opens the plugin for major; on failure leaves dlerror()'s text in err. */
static int open_plugin(const struct plugin_dir *dir, unsigned major,
		       char *err, size_t size)
{
	char file[PLUGIN_PATH_MAX];

	plugin_file(dir, major, file, sizeof(file));
	if (dlopen(file, RTLD_NOW | RTLD_GLOBAL))
		return 0;
	snprintf(err, size, "%s", dlerror());
	return -1;
}

/* A Clang with no libclang-cpp or libLLVM to tell its version by: the
 * plugin whose Clang symbols all resolve is the one it was built against. */
static void open_any_plugin(const struct plugin_dir *dir)
{
	char err[1024], versions[256];

	for (size_t i = 0; i < dir->count; i++)
		if (open_plugin(dir, dir->majors[i], err, sizeof(err)) == 0)
			return;
	list_majors(dir, "", ", ", versions, sizeof(versions));
	fprintf(stderr,
		"pcapfilter: cannot tell which Clang this is (it has no libclang-cpp.so.<version> or libLLVM), and no plugin installed in %s loads (Clang %s): %s\n",
		dir->path, versions, err);
}

__attribute__((constructor)) static void load_plugin_for_this_clang(void)
{
	struct plugin_dir dir;
	unsigned major = loading_clang_major();
	char err[1024];

	if (find_installed(&dir) < 0)
		return;
	if (!dir.count) {
		fprintf(stderr,
			"pcapfilter: no plugin is installed in %s (clang-<version>/" PLUGIN_FILE
			"); reinstall pcapfilter\n",
			dir.path);
		return;
	}
	if (!major) {
		open_any_plugin(&dir);
		return;
	}
	if (!is_installed(&dir, major)) {
		report_missing(&dir, major);
		return;
	}
	if (open_plugin(&dir, major, err, sizeof(err)) < 0)
		fprintf(stderr, "pcapfilter: the plugin for Clang %u does not load: %s\n",
			major, err);
}
