/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stub.c: the forms of a stub and what each may do, for the loaders that
 * fill a run-time stub (libpcapf_bpf's inject.c, the Go package).
 *
 * Those loaders find the stub's prototype in an object's BTF, each with its
 * own BTF reader, and must then agree with the plugin, which checked the
 * declaration, on the form, the access modes it takes, its default, and
 * whether it returns a match or the filter's value. That knowledge lives
 * here once; the loaders only read BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define STUB_FORMS 3

static const struct stub_form {
	const char *name;
	/* The first is the default: what the plugin picks as well. */
	enum pcapf_access modes[2];
	size_t nmodes;
	enum pcapf_ebpf_wrap wrap;
} forms[STUB_FORMS] = {
	[PCAPF_STUB_POINTERS] = {"(void *data, void *data_end)",
				 {PCAPF_ACCESS_DIRECT, PCAPF_ACCESS_PROBE}, 2,
				 PCAPF_EBPF_SUBPROG},
	/* The body reads data and data_end from the context first. */
	[PCAPF_STUB_XDP] = {"(struct xdp_md *ctx)", {PCAPF_ACCESS_DIRECT}, 1,
			    PCAPF_EBPF_XDP},
	[PCAPF_STUB_SKB] = {"(struct __sk_buff *skb)",
			    {PCAPF_ACCESS_SKB, PCAPF_ACCESS_SKB_LOAD_BYTES}, 2,
			    PCAPF_EBPF_SUBPROG},
};

static const struct stub_form *form_of(enum pcapf_stub_form form)
{
	return (unsigned)form < STUB_FORMS ? &forms[form] : NULL;
}

static bool points_to(const char *const param[2], size_t i, const char *what)
{
	return param && param[i] && !strcmp(param[i], what);
}

int pcapf_stub_form_find(size_t nparams, const char *const param[2],
			 char *errbuf)
{
	if (nparams == 2 && points_to(param, 0, "void") &&
	    points_to(param, 1, "void"))
		return PCAPF_STUB_POINTERS;
	if (nparams == 1 && points_to(param, 0, "xdp_md"))
		return PCAPF_STUB_XDP;
	if (nparams == 1 && points_to(param, 0, "__sk_buff"))
		return PCAPF_STUB_SKB;
	pcapf_err(errbuf, "unsupported stub prototype: expected %s, %s or %s",
		  forms[PCAPF_STUB_POINTERS].name, forms[PCAPF_STUB_XDP].name,
		  forms[PCAPF_STUB_SKB].name);
	return -EINVAL;
}

const char *pcapf_stub_form_name(enum pcapf_stub_form form)
{
	const struct stub_form *f = form_of(form);

	return f ? f->name : "unknown";
}

const enum pcapf_access *pcapf_stub_form_modes(enum pcapf_stub_form form,
					       size_t *cnt)
{
	const struct stub_form *f = form_of(form);

	if (cnt)
		*cnt = f ? f->nmodes : 0;
	if (!f)
		errno = EINVAL;
	return f ? f->modes : NULL;
}

int pcapf_stub_form_access(enum pcapf_stub_form form, enum pcapf_access access,
			   const char *stub, char *errbuf)
{
	const struct stub_form *f = form_of(form);
	char supported[64] = "";

	if (!f) {
		pcapf_err(errbuf, "unknown stub form %d", (int)form);
		return -EINVAL;
	}
	if (access == PCAPF_ACCESS_DEFAULT)
		return f->modes[0];
	for (size_t i = 0; i < f->nmodes; i++) {
		if (f->modes[i] == access)
			return access;
		snprintf(supported + strlen(supported),
			 sizeof(supported) - strlen(supported), "%s%s",
			 i ? ", " : "", pcapf_access_name(f->modes[i]));
	}
	if (stub)
		pcapf_err(errbuf, "access=%s does not fit stub '%s' %s; it "
			  "supports: %s", pcapf_access_name(access), stub,
			  f->name, supported);
	else
		pcapf_err(errbuf, "access=%s does not fit a stub %s; it "
			  "supports: %s", pcapf_access_name(access), f->name,
			  supported);
	return -EINVAL;
}

enum pcapf_ebpf_wrap pcapf_stub_form_wrap(enum pcapf_stub_form form)
{
	const struct stub_form *f = form_of(form);

	return f ? f->wrap : PCAPF_EBPF_SUBPROG;
}

bool pcapf_stub_returns_match(uint32_t int_size, bool is_signed, bool is_bool)
{
	return !(int_size == 4 && !is_signed && !is_bool);
}
