/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * inject.c: libpcapf_bpf, filters chosen at run time put into the run-time
 * stubs of a libbpf object before it loads (API: pcapf_bpf.h).
 *
 * Only libbpf knows a program's final instructions: it appends the
 * subprograms a program calls, and their func_info and line info, when it
 * relocates the object inside bpf_object__load(). The one public hook
 * after that is a SEC() handler's prog_prepare_load_fn, called with the
 * relocated program and the load attributes just before BPF_PROG_LOAD, where
 * bpf_program__set_insns() may replace the instructions. So:
 *
 *   set_filter  (after open) reads the stub from the object's BTF (the
 *               FUNC, its prototype, the plugin's decl tags), compiles the
 *               filter with libpcapf's eBPF back end, and records it for
 *               each program of the object that has the hook;
 *   prepare     (inside load) finds the stub in the program by its
 *               func_info record, replaces the placeholder body (up to the
 *               next function) with the filter, moves the BPF-to-BPF call
 *               and callback offsets that cross it, and shifts func_info
 *               and line info: the stub keeps its func_info record and its
 *               first line-info record, the attribute's line.
 *
 * The hooks are libbpf handlers for the SEC() names in handlers[], with the
 * program type, expected attach type and attach of libbpf's own; libbpf
 * binds them when an object is opened. A stub the hook never fills keeps
 * the placeholder, which the verifier refuses, so a missing filter cannot
 * go unnoticed. docs/runtime.md compares this with freplace.
 *
 * Records are keyed by program pointer: setup (at open) drops any left for
 * a pointer by a program closed before it loaded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "pcapf_bpf.h"

/* The decl tags of a run-time stub (plugin/StubTable.h). */
#define RUNTIME_TAG "pcap_filter:runtime"
#define OPTION_TAG_PREFIX "pcap_filter:"

/* A filter waiting for one program's load. */
struct pending {
	struct pending *next;
	const struct bpf_program *prog;
	__u32 func_id; /* the stub's BTF FUNC */
	struct bpf_insn *body;
	size_t cnt;
};

static struct pending *pending;
/* Programs opened with the hook, from setup. */
static const struct bpf_program **hooked;
static size_t nhooked, caphooked;
static bool registered;

static void set_err(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	if (!errbuf)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, PCAPF_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

static void drop_pending(const struct bpf_program *prog, __u32 func_id,
			 bool any_func)
{
	for (struct pending **p = &pending; *p;) {
		struct pending *e = *p;

		if (e->prog == prog && (any_func || e->func_id == func_id)) {
			*p = e->next;
			free(e->body);
			free(e);
		} else {
			p = &e->next;
		}
	}
}

static bool is_hooked(const struct bpf_program *prog)
{
	for (size_t i = 0; i < nhooked; i++)
		if (hooked[i] == prog)
			return true;
	return false;
}

/* ---- Hooks ------------------------------------------------------------ */

static int setup(struct bpf_program *prog, long cookie)
{
	(void)cookie;
	drop_pending(prog, 0, true);
	if (is_hooked(prog))
		return 0;
	if (nhooked == caphooked) {
		size_t cap = caphooked ? 2 * caphooked : 16;
		const struct bpf_program **grown =
			realloc(hooked, cap * sizeof(*hooked));

		if (!grown)
			return -ENOMEM;
		hooked = grown;
		caphooked = cap;
	}
	hooked[nhooked++] = prog;
	return 0;
}

static bool is_pseudo_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
}

static bool is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* The insn_off of record i of a func_info or line_info array. */
static __u32 *rec_off(const void *recs, __u32 rec_size, __u32 i)
{
	return (__u32 *)((char *)recs + (size_t)i * rec_size);
}

/*
 * Replace the instructions [start, end) of *insns (*cnt of them) with body,
 * keeping everything else pointing where it did: pc-relative BPF-to-BPF
 * calls and callback addresses (ld_imm64 of BPF_PSEUDO_FUNC) that cross the
 * gap, func_info, and line info, of which the stub keeps its record at
 * start. Jumps never leave their function, so none crosses the gap.
 */
static int splice(struct bpf_insn **insns, size_t *cnt, size_t start,
		  size_t end, const struct pending *e,
		  struct bpf_prog_load_opts *opts)
{
	long delta = (long)e->cnt - (long)(end - start);
	size_t n = *cnt - (end - start) + e->cnt;
	struct bpf_insn *out = malloc(n * sizeof(*out));
	__u32 kept = 0;

	if (!out)
		return -ENOMEM;
	memcpy(out, *insns, start * sizeof(*out));
	memcpy(out + start, e->body, e->cnt * sizeof(*out));
	memcpy(out + start + e->cnt, *insns + end, (*cnt - end) * sizeof(*out));
	for (size_t i = 0; i < *cnt; i++) {
		const struct bpf_insn *in = &(*insns)[i];
		size_t at = i < start ? i : i + delta;
		long target, moved;

		if (i >= start && i < end)
			continue;
		if (is_pseudo_call(in) ||
		    (is_ld_imm64(in) && in->src_reg == BPF_PSEUDO_FUNC)) {
			target = (long)i + in->imm + 1;
			if (target > (long)start && target < (long)end) {
				free(out);
				return -EINVAL; /* into the stub's middle */
			}
			moved = target < (long)end ? target : target + delta;
			out[at].imm = (__s32)(moved - (long)at - 1);
		}
		if (is_ld_imm64(in))
			i++;
	}
	for (__u32 i = 0; i < opts->func_info_cnt; i++) {
		__u32 *off = rec_off(opts->func_info, opts->func_info_rec_size, i);

		if (*off >= end)
			*off += delta;
	}
	for (__u32 i = 0; i < opts->line_info_cnt; i++) {
		__u32 *off = rec_off(opts->line_info, opts->line_info_rec_size, i);

		if (*off > start && *off < end)
			continue; /* the placeholder's other lines */
		if (*off >= end)
			*off += delta;
		memmove(rec_off(opts->line_info, opts->line_info_rec_size, kept),
			off, opts->line_info_rec_size);
		kept++;
	}
	opts->line_info_cnt = kept;
	free(*insns);
	*insns = out;
	*cnt = n;
	return 0;
}

/* The stub's instructions in the relocated program: from its func_info
 * record to the next function's. False if the program does not call it. */
static bool find_stub(const struct bpf_prog_load_opts *opts, size_t cnt,
		      __u32 func_id, size_t *start, size_t *end)
{
	const void *fi = opts->func_info;
	__u32 sz = opts->func_info_rec_size;
	bool found = false;

	*end = cnt;
	for (__u32 i = 0; i < opts->func_info_cnt; i++) {
		__u32 off = *rec_off(fi, sz, i), type = rec_off(fi, sz, i)[1];

		if (type == func_id) {
			*start = off;
			found = true;
		}
	}
	if (!found)
		return false;
	for (__u32 i = 0; i < opts->func_info_cnt; i++) {
		__u32 off = *rec_off(fi, sz, i);

		if (off > *start && off < *end)
			*end = off;
	}
	return true;
}

static int fill_stubs(struct bpf_program *prog, struct bpf_prog_load_opts *opts)
{
	struct bpf_insn *insns = NULL;
	size_t cnt = bpf_program__insn_cnt(prog), start, end;
	int err = 0;

	for (struct pending *e = pending; e; e = e->next) {
		if (e->prog != prog)
			continue;
		if (!opts->func_info)
			return -ENOENT; /* no BTF in the load: no way to find it */
		if (!insns) {
			insns = malloc(cnt * sizeof(*insns));
			if (!insns)
				return -ENOMEM;
			memcpy(insns, bpf_program__insns(prog), cnt * sizeof(*insns));
		}
		if (!find_stub(opts, cnt, e->func_id, &start, &end))
			continue;
		err = splice(&insns, &cnt, start, end, e, opts);
		if (err)
			break;
	}
	if (insns && !err)
		err = bpf_program__set_insns(prog, insns, cnt);
	free(insns);
	drop_pending(prog, 0, true);
	return err;
}

static int prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts,
		   long cookie)
{
	const char *sec = bpf_program__section_name(prog), *func;
	int id;

	/* Tracing sections name their target after the '/': libbpf's own
	 * handler resolves it here too, unless set_attach_target() did. */
	if (cookie && !opts->attach_btf_id) {
		func = strchr(sec, '/');
		if (!func)
			return -EINVAL;
		id = libbpf_find_vmlinux_btf_id(func + 1,
						opts->expected_attach_type);
		if (id < 0)
			return id;
		opts->attach_btf_id = id;
	}
	return fill_stubs(prog, opts);
}

static int attach_trace(const struct bpf_program *prog, long cookie,
			struct bpf_link **link)
{
	(void)cookie;
	*link = bpf_program__attach_trace(prog);
	return libbpf_get_error(*link);
}

/* libbpf's own definitions of these sections; traced: needs an attach
 * BTF id from the name after '/'. */
static const struct handler {
	const char *sec;
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	bool traced;
} handlers[] = {
	{"xdp", BPF_PROG_TYPE_XDP, BPF_XDP, false},
	{"tc", BPF_PROG_TYPE_SCHED_CLS, 0, false},
	{"classifier", BPF_PROG_TYPE_SCHED_CLS, 0, false},
	{"socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, false},
	{"cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, false},
	{"cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, false},
	{"tp_btf/", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, true},
	{"fentry/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, true},
	{"fexit/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, true},
};

int pcapf_bpf__register_handlers(void)
{
	if (registered)
		return 0;
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		const struct handler *h = &handlers[i];
		LIBBPF_OPTS(libbpf_prog_handler_opts, opts, .cookie = h->traced,
			    .prog_setup_fn = setup, .prog_prepare_load_fn = prepare,
			    .prog_attach_fn = h->traced ? attach_trace : NULL);
		int id = libbpf_register_prog_handler(h->sec, h->type, h->attach,
						      &opts);

		if (id < 0)
			return id;
	}
	registered = true;
	return 0;
}

/* ---- The stub, from the object's BTF ---------------------------------- */

static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* What the parameter of type id points to, as pcapf_stub_form_find()
 * takes it: "void", a struct's name, or NULL. */
static const char *pointee(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = skip_mods(btf, &id);

	if (!t || !btf_is_ptr(t))
		return NULL;
	id = t->type;
	if (!id)
		return "void";
	t = skip_mods(btf, &id);
	return t && btf_is_struct(t) ? btf__name_by_offset(btf, t->name_off)
				     : NULL;
}

struct stub_info {
	__u32 func_id;
	enum pcapf_stub_form form;
	bool match; /* returns bool or int: 1 on a match, else 0 */
	struct pcapf_opts opts; /* the attribute's options */
	char tags[16][64];      /* the option strings opts points into */
};

static int read_stub(const struct btf *btf, const char *name,
		     struct stub_info *si, char *errbuf)
{
	const struct btf_type *fn, *proto, *ret;
	const struct btf_param *p;
	const char *params[2] = {NULL, NULL};
	char errmsg[PCAPF_ERRBUF_SIZE];
	bool runtime = false, is_int;
	__u8 enc;
	size_t ntags = 0;
	__u32 id, n = btf__type_cnt(btf);
	int func = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC), form;

	if (func < 0) {
		set_err(errbuf, "no function '%s' in the object's BTF", name);
		return -ENOENT;
	}
	si->func_id = func;
	for (__u32 i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const char *tag = btf__name_by_offset(btf, t->name_off);

		if (!btf_is_decl_tag(t) || t->type != (__u32)func ||
		    btf_decl_tag(t)->component_idx != -1 ||
		    strncmp(tag, OPTION_TAG_PREFIX, strlen(OPTION_TAG_PREFIX)))
			continue;
		if (!strcmp(tag, RUNTIME_TAG)) {
			runtime = true;
			continue;
		}
		if (ntags == 16 || strlen(tag) >= sizeof(si->tags[0]))
			continue;
		strcpy(si->tags[ntags], tag + strlen(OPTION_TAG_PREFIX));
		if (pcapf_opts__parse(&si->opts, si->tags[ntags++], errmsg)) {
			set_err(errbuf, "stub '%s': %s", name, errmsg);
			return -EINVAL;
		}
	}
	if (!runtime) {
		set_err(errbuf, "function '%s' is not a run-time pcap_filter "
			"stub: declare it with __pcap_filter_runtime()", name);
		return -EINVAL;
	}
	fn = btf__type_by_id(btf, func);
	proto = btf__type_by_id(btf, fn->type);
	p = btf_params(proto);
	for (__u32 i = 0; i < btf_vlen(proto) && i < 2; i++)
		params[i] = pointee(btf, p[i].type);
	form = pcapf_stub_form_find(btf_vlen(proto), params, errmsg);
	if (form < 0) {
		set_err(errbuf, "stub '%s': %s", name, errmsg);
		return form;
	}
	si->form = (enum pcapf_stub_form)form;
	id = proto->type;
	ret = skip_mods(btf, &id);
	is_int = ret && btf_is_int(ret);
	enc = is_int ? btf_int_encoding(ret) : 0;
	si->match = pcapf_stub_returns_match(is_int ? ret->size : 0,
					     enc & BTF_INT_SIGNED,
					     enc & BTF_INT_BOOL);
	return 0;
}

/* ---- The filter ------------------------------------------------------- */

/* The stub's options with the caller's on top; a caller option that
 * contradicts one the stub was declared with is an error. */
static int merge_opts(struct stub_info *si, const char *stub,
		      const struct pcapf_opts *user, char *errbuf)
{
	struct pcapf_opts u = {0}, *o = &si->opts;
	size_t i;
	int access;

	if (user) {
		if (user->sz < sizeof(user->sz)) {
			set_err(errbuf, "pcapf_opts: sz %zu is too small", user->sz);
			return -EINVAL;
		}
		for (i = sizeof(u); i < user->sz; i++)
			if (((const char *)user)[i]) {
				set_err(errbuf, "pcapf_opts: unknown non-zero "
					"field at byte %zu", i);
				return -EINVAL;
			}
		memcpy(&u, user, user->sz < sizeof(u) ? user->sz : sizeof(u));
	}
#define MERGE(field, fmt, show)                                                \
	do {                                                                   \
		if (!u.field)                                                  \
			break;                                                 \
		if (o->field && o->field != u.field) {                         \
			set_err(errbuf, "stub '%s' is declared with " fmt      \
				", the filter asks for " fmt, stub,            \
				show(o->field), show(u.field));               \
			return -EINVAL;                                        \
		}                                                              \
		o->field = u.field;                                            \
	} while (0)
#define AS_IS(v) (v)
	if (u.linktype && o->linktype && strcmp(u.linktype, o->linktype)) {
		set_err(errbuf, "stub '%s' is declared with linktype=%s, the "
			"filter asks for linktype=%s", stub, o->linktype,
			u.linktype);
		return -EINVAL;
	}
	if (u.linktype)
		o->linktype = u.linktype;
	MERGE(snaplen, "snaplen=%u", AS_IS);
	MERGE(access, "access=%s", pcapf_access_name);
	MERGE(skb_linear, "skb_linear=%u", AS_IS);
	MERGE(packet_range, "packet_range=%u", AS_IS);
#undef MERGE
#undef AS_IS
	o->cbpf = u.cbpf;
	o->sz = sizeof(*o);
	access = pcapf_stub_form_access(si->form, o->access, stub, errbuf);
	if (access < 0)
		return access;
	o->access = (enum pcapf_access)access;
	return 0;
}

static int build_body(const struct stub_info *si, const char *stub,
		      const char *expr, struct bpf_insn **body, size_t *cnt,
		      char *errbuf)
{
	/* A bool or int stub's body returns 1 on a match itself. */
	PCAPF_EBPF_OPTS(eopts, .wrap = pcapf_stub_form_wrap(si->form),
			.match = si->match);
	char errmsg[PCAPF_ERRBUF_SIZE] = "";
	struct pcapf_ebpf_insn *insns;
	struct pcapf_prog *prog = pcapf_prog__compile(expr, &si->opts, errmsg);
	int err;

	if (!prog) {
		err = -errno;
		set_err(errbuf, "filter for stub '%s': %s", stub, errmsg);
		return err;
	}
	err = pcapf_prog__emit_ebpf(prog, &eopts, &insns, cnt, errmsg);
	pcapf_prog__free(prog);
	if (err) {
		set_err(errbuf, "filter for stub '%s': %s", stub, errmsg);
		return err;
	}
	*body = (struct bpf_insn *)insns;
	return 0;
}

int pcapf_bpf_object__set_filter(struct bpf_object *obj, const char *stub,
				 const char *expr, const struct pcapf_opts *opts,
				 char *errbuf)
{
	struct stub_info si = {.opts = {.sz = sizeof(struct pcapf_opts)}};
	struct bpf_program *prog;
	struct bpf_insn *body;
	const struct btf *btf;
	size_t cnt, progs = 0;
	int err;

	if (!obj || !stub || !expr) {
		set_err(errbuf, "no %s", !obj ? "object" : !stub ? "stub name"
							      : "filter expression");
		return -EINVAL;
	}
	btf = bpf_object__btf(obj);
	if (!btf) {
		set_err(errbuf, "the object has no BTF: compile it with -g");
		return -ENOENT;
	}
	err = read_stub(btf, stub, &si, errbuf);
	if (!err)
		err = merge_opts(&si, stub, opts, errbuf);
	if (!err)
		err = build_body(&si, stub, expr, &body, &cnt, errbuf);
	if (err)
		return err;
	bpf_object__for_each_program(prog, obj) {
		struct pending *e;

		if (!is_hooked(prog))
			continue;
		e = calloc(1, sizeof(*e));
		if (e)
			e->body = malloc(cnt * sizeof(*body));
		if (!e || !e->body) {
			free(e);
			free(body);
			set_err(errbuf, "out of memory");
			return -ENOMEM;
		}
		drop_pending(prog, si.func_id, false);
		memcpy(e->body, body, cnt * sizeof(*body));
		*e = (struct pending){.next = pending, .prog = prog,
				      .func_id = si.func_id, .body = e->body,
				      .cnt = cnt};
		pending = e;
		progs++;
	}
	free(body);
	if (!progs) {
		set_err(errbuf, "no program of the object has pcapfilter's load "
			"hook: call pcapf_bpf__register_handlers() before "
			"bpf_object__open(), and use one of its SEC() names");
		return -ENOTSUP;
	}
	return 0;
}
