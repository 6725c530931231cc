/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confwarn.c - the loader's warnings: what is legal but almost surely a
 * mistake.  A cipher pattern that excludes nothing, an entry given twice
 * in one list, a rule that an identical one above always pre-empts.  They
 * are reported through confval_warning() and never make the load fail.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ciphername.h"
#include "confwarn.h"

/*
 * confwarn_cipher - see confwarn.h.
 */
void
confwarn_cipher(struct confval_loader *ld, int line, const char *text)
{
	char star[256];

	if (strpbrk(text, "*?[") != NULL || ciphername_known(text))
		return;
	if (snprintf(star, sizeof(star), "*%s*", text) < (int)sizeof(star) &&
	    ciphername_matches(star))
		confval_warning(ld, line, "exclude_ciphers: \"%s\" is no "
		    "cipher name the MTAs report, so it excludes nothing "
		    "(patterns match the whole OpenSSL name, e.g. "
		    "\"ECDHE-RSA-AES256-GCM-SHA384\"): did you mean \"%s\"?",
		    text, star);
	else
		confval_warning(ld, line, "exclude_ciphers: \"%s\" is no "
		    "cipher name the MTAs report, so it excludes nothing "
		    "(patterns match the whole OpenSSL name, e.g. "
		    "\"ECDHE-RSA-AES256-GCM-SHA384\")", text);
}

/* Order two entries of list arg (a struct confwarn_list) by their
 * indices into it: by value, then by place. */static int
index_cmp(const void *a, const void *b, void *arg)
{
	const struct confwarn_list *l = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c;

	c = l->cl_cmp((const char *)l->cl_v + i * l->cl_size,
	    (const char *)l->cl_v + j * l->cl_size);
	if (c != 0)
		return c;
	return i < j ? -1 : i > j;
}

/*
 * confwarn_dups - see confwarn.h.
 */
void
confwarn_dups(struct confval_loader *ld, const struct confwarn_list *l)
{
	char ref[PATH_MAX + 32];
	size_t *ix, i, first = 0;
	const struct cval *cv, *was;

	if (l->cl_n < 2)
		return;
	if ((ix = calloc(l->cl_n, sizeof(*ix))) == NULL) {
		ld->ld_oom = true;
		return;
	}
	for (i = 0; i < l->cl_n; i++)
		ix[i] = i;
	qsort_r(ix, l->cl_n, sizeof(*ix), index_cmp, (void *)l);
	for (i = 1; i < l->cl_n; i++) {
		if (l->cl_cmp((const char *)l->cl_v + ix[i] * l->cl_size,
		    (const char *)l->cl_v + ix[first] * l->cl_size) != 0) {
			first = i;
			continue;
		}
		cv = l->cl_cvs[ix[i]];
		was = l->cl_cvs[ix[first]];
		confval_warning(ld, cv->cv_line, "%s: \"%s\" in rule \"%s\" "
		    "is the same entry as \"%s\" (%s)", l->cl_key, cv->cv_text,
		    l->cl_rule, was->cv_text, confval_lineref(ld, cv->cv_line,
		    was->cv_line, ref, sizeof(ref)));
	}
	free(ix);
}

/*
 * confwarn_cmp_str - see confwarn.h.
 */
int
confwarn_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * confwarn_cmp_strcase - see confwarn.h.
 */
int
confwarn_cmp_strcase(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * confwarn_cmp_net - see confwarn.h.
 */
int
confwarn_cmp_net(const void *a, const void *b)
{
	const struct cidr *x = a, *y = b;

	if (x->cidr_net.ip_family != y->cidr_net.ip_family)
		return x->cidr_net.ip_family < y->cidr_net.ip_family ? -1 : 1;
	if (x->cidr_prefix != y->cidr_prefix)
		return x->cidr_prefix < y->cidr_prefix ? -1 : 1;
	return memcmp(x->cidr_net.ip_bytes, y->cidr_net.ip_bytes,
	    sizeof(x->cidr_net.ip_bytes));
}

/*
 * confwarn_cmp_addr - see confwarn.h.
 */
int
confwarn_cmp_addr(const void *a, const void *b)
{
	const struct addrpat *x = a, *y = b;
	int c;

	if (x->ap_kind != y->ap_kind)
		return x->ap_kind < y->ap_kind ? -1 : 1;
	if ((c = strcmp(x->ap_local, y->ap_local)) != 0)
		return c;
	return strcmp(x->ap_domain, y->ap_domain);
}

/*
 * confwarn_cmp_port - see confwarn.h.
 */
int
confwarn_cmp_port(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * confwarn_cmp_fp - see confwarn.h.
 */
int
confwarn_cmp_fp(const void *a, const void *b)
{
	const struct certfp *x = a, *y = b;

	if (x->cf_alg != y->cf_alg)
		return x->cf_alg < y->cf_alg ? -1 : 1;
	if (x->cf_len != y->cf_len)
		return x->cf_len < y->cf_len ? -1 : 1;
	return memcmp(x->cf_md, y->cf_md, x->cf_len);
}

/* ------------------------------------------------------------ shadows */

/* Each shape's entry size and order (SHAPE_BOOL has no list). */
static size_t
shape_size(enum sel_shape shape)
{
	switch (shape) {
	case SHAPE_NET:		return sizeof(struct cidr);
	case SHAPE_ADDR:	return sizeof(struct addrpat);
	case SHAPE_PORT:	return sizeof(uint16_t);
	case SHAPE_NAME:
	case SHAPE_TEXT:	return sizeof(const char *);
	case SHAPE_BOOL:	break;
	}
	return 0;
}

static int (*shape_cmp(enum sel_shape shape))(const void *, const void *)
{
	switch (shape) {
	case SHAPE_NET:		return confwarn_cmp_net;
	case SHAPE_ADDR:	return confwarn_cmp_addr;
	case SHAPE_PORT:	return confwarn_cmp_port;
	case SHAPE_NAME:
	case SHAPE_TEXT:	return confwarn_cmp_str;
	case SHAPE_BOOL:	break;
	}
	return NULL;
}

/* The entries of a selector value, whatever its shape. */
static const void *
sv_entries(const struct selvalue *v, enum sel_shape shape)
{
	switch (shape) {
	case SHAPE_NET:		return v->sv_nets;
	case SHAPE_ADDR:	return v->sv_addrs;
	case SHAPE_PORT:	return v->sv_ports;
	case SHAPE_NAME:
	case SHAPE_TEXT:	return v->sv_names;
	case SHAPE_BOOL:	break;
	}
	return NULL;
}

/* FNV-1a over n bytes, continuing from h. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * UINT64_C(0x100000001b3);
	return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

/* A hash of one entry, from its normalised value only. */
static uint64_t
entry_hash(enum sel_shape shape, const void *e)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	const struct cidr *c = e;
	const struct addrpat *a = e;

	switch (shape) {
	case SHAPE_NET:
		h = fnv(h, &c->cidr_net.ip_family, sizeof(int));
		h = fnv(h, &c->cidr_prefix, sizeof(unsigned));
		return fnv(h, c->cidr_net.ip_bytes, sizeof(c->cidr_net.ip_bytes));
	case SHAPE_ADDR:
		h = fnv(h, &a->ap_kind, sizeof(a->ap_kind));
		return fnv_str(fnv_str(h, a->ap_local), a->ap_domain);
	case SHAPE_PORT:
		return fnv(h, e, sizeof(uint16_t));
	case SHAPE_NAME:
	case SHAPE_TEXT:
		return fnv_str(h, *(const char *const *)e);
	case SHAPE_BOOL:
		break;
	}
	return h;
}

/* A hash of a rule's selectors that depends only on the set of entries
 * of each list, not on their order or repeats: each list counts by its
 * least and greatest entry hash. */
static uint64_t
rule_hash(const struct rule *r)
{
	uint64_t h = r->r_selmask, e, lo, hi;
	enum sel_shape shape;
	size_t i, k, size;

	for (i = 0; i < SEL_N; i++) {
		if (r->r_sel[i].sv_n == 0)
			continue;
		shape = selectors[i].se_shape;
		if (shape == SHAPE_BOOL) {
			h = h * 31 + r->r_sel[i].sv_bool + 2;
			continue;
		}
		size = shape_size(shape);
		for (lo = UINT64_MAX, hi = 0, k = 0; k < r->r_sel[i].sv_n; k++) {
			e = entry_hash(shape, (const char *)sv_entries(
			    &r->r_sel[i], shape) + k * size);
			lo = e < lo ? e : lo;
			hi = e > hi ? e : hi;
		}
		h = (h * 31 + lo) * 31 + hi;
	}
	return h;
}

/* Is each entry of list a (na of size) among those of list b (nb)? */
static bool
entries_within(const void *a, size_t na, const void *b, size_t nb,
    size_t size, int (*cmp)(const void *, const void *))
{
	size_t i, k;

	for (i = 0; i < na; i++) {
		for (k = 0; k < nb; k++)
			if (cmp((const char *)a + i * size,
			    (const char *)b + k * size) == 0)
				break;
		if (k == nb)
			return false;
	}
	return true;
}

/* Do rules x and y have the same selectors, each list the same entries
 * in any order? */
static bool
same_selectors(const struct rule *x, const struct rule *y)
{
	const struct selvalue *a, *b;
	enum sel_shape shape;
	size_t i;

	if (x->r_selmask != y->r_selmask)
		return false;
	for (i = 0; i < SEL_N; i++) {
		a = &x->r_sel[i];
		b = &y->r_sel[i];
		shape = selectors[i].se_shape;
		if (a->sv_n == 0)	/* then b's too: the masks agree */
			continue;
		if (shape == SHAPE_BOOL ? a->sv_bool != b->sv_bool :
		    !entries_within(sv_entries(a, shape), a->sv_n,
		    sv_entries(b, shape), b->sv_n, shape_size(shape),
		    shape_cmp(shape)) ||
		    !entries_within(sv_entries(b, shape), b->sv_n,
		    sv_entries(a, shape), a->sv_n, shape_size(shape),
		    shape_cmp(shape)))
			return false;
	}
	return true;
}

struct hashed {
	uint64_t	hr_hash;
	size_t		hr_index;
};

static int
hashed_cmp(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->hr_hash != y->hr_hash)
		return x->hr_hash < y->hr_hash ? -1 : 1;
	return x->hr_index < y->hr_index ? -1 : x->hr_index > y->hr_index;
}

/* Among the rules of one hash, hr[0..n-1] in file order: warn about each
 * that a deciding one above with the same selectors pre-empts. */
static void
shadowed_group(struct confval_loader *ld, const struct rule *rules,
    const struct hashed *hr, size_t n)
{
	const struct rule *r, *d;
	char ref[PATH_MAX + 32];
	size_t i, k;

	for (i = 1; i < n; i++) {
		r = &rules[hr[i].hr_index];
		for (k = 0; k < i; k++) {
			d = &rules[hr[k].hr_index];
			if (d->r_action != ACTION_MONITOR &&
			    same_selectors(d, r))
				break;
		}
		if (k == i)
			continue;
		confval_warning(ld, r->r_line, "rule \"%s\" can never apply: "
		    "rule \"%s\" (%s) has the same selectors and always "
		    "decides first", r->r_name, d->r_name, confval_lineref(ld,
		    r->r_line, d->r_line, ref, sizeof(ref)));
	}
}

/*
 * confwarn_shadowed - see confwarn.h.  Rules are grouped by a hash of
 * their selectors (n log n); only rules of one group are compared.
 */
void
confwarn_shadowed(struct confval_loader *ld, const struct rule *rules,
    size_t n)
{
	struct hashed *hr;
	size_t i, first, m = 0;

	if ((hr = calloc(n + 1, sizeof(*hr))) == NULL) {
		ld->ld_oom = true;
		return;
	}
	for (i = 0; i < n; i++)
		if (rules[i].r_selmask != 0)	/* conf.c's: none at all */
			hr[m++] = (struct hashed){ rule_hash(&rules[i]), i };
	qsort(hr, m, sizeof(*hr), hashed_cmp);
	for (first = 0, i = 1; i <= m; i++)
		if (i == m || hr[i].hr_hash != hr[first].hr_hash) {
			if (i - first > 1)
				shadowed_group(ld, rules, hr + first,
				    i - first);
			first = i;
		}
	free(hr);
}
