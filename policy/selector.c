/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * selector.c - the selectors' descriptions as data, and how a rule's
 * values of each shape match a fact (see selector.h).
 */
#include <string.h>
#include <sys/socket.h>

#include "dnsname.h"
#include "selector.h"

#define SEL_DESC(id, key, shape, entry, stage, query, macro, log, ...) \
	[SEL_##id] = { key, shape, stage, query, macro, log },
const struct selector selectors[SEL_N] = {
	SELECTORS(SEL_DESC)
};
#undef SEL_DESC

static int
match_nets(const struct selvalue *v, const struct ipaddr *a)
{
	size_t i;

	for (i = 0; i < v->sv_n; i++)
		if (cidr_match(&v->sv_nets[i], a))
			return 1;
	return 0;
}

/* name is normalised, "" when unknown (matches nothing). */
static int
match_names(const struct selvalue *v, const struct selfact *f)
{
	size_t i;

	for (i = 0; i < v->sv_n; i++)
		if (dnsname_match(v->sv_names[i], f->sf_name))
			return f->sf_unsure ? -1 : 1;
	return 0;
}

static int
match_texts(const struct selvalue *v, const struct session_text *t)
{
	size_t i;

	if (!t->st_present || t->st_cut)
		return 0;
	for (i = 0; i < v->sv_n; i++)
		if (strcmp(v->sv_names[i], t->st_value) == 0)
			return 1;
	return 0;
}

/*
 * An envelope address the MTA gave but that cannot be read (over-long or
 * malformed) can neither match nor be ruled out, unless every pattern is
 * "<>".  Reading it as "no match" would let a client skip a rule just by
 * garbling an address the MTA still delivers (a 300-byte local part with a
 * recipient delimiter).  No address at all (a rule asked at MAIL about a
 * recipient) matches nothing.
 */
static int
match_addrs(const struct selvalue *v, const struct mailaddr *a,
    const char *delim)
{
	int undecided = 0;
	size_t i;

	if (a == NULL)
		return 0;
	for (i = 0; i < v->sv_n; i++) {
		if (addrpat_match(&v->sv_addrs[i], a, delim))
			return 1;
		if (v->sv_addrs[i].ap_kind != ADDRPAT_NULL)
			undecided = 1;
	}
	return undecided && a->ma_present && !a->ma_null && !a->ma_valid ?
	    -1 : 0;
}

static int
match_ports(const struct selvalue *v, long port)
{
	size_t i;

	for (i = 0; i < v->sv_n; i++)
		if (v->sv_ports[i] == port)
			return 1;
	return 0;
}

/* Match by shape: match_SHAPE_NET() ... (the SHAPE column names them). */
static inline int
match_SHAPE_NET(const struct selvalue *v, const struct selfact *f,
    const char *delim)
{
	(void)delim;
	return match_nets(v, f->sf_addr);
}

static inline int
match_SHAPE_NAME(const struct selvalue *v, const struct selfact *f,
    const char *delim)
{
	(void)delim;
	return match_names(v, f);
}

static inline int
match_SHAPE_TEXT(const struct selvalue *v, const struct selfact *f,
    const char *delim)
{
	(void)delim;
	return match_texts(v, f->sf_text);
}

static inline int
match_SHAPE_ADDR(const struct selvalue *v, const struct selfact *f,
    const char *delim)
{
	return match_addrs(v, f->sf_mail, delim);
}

static inline int
match_SHAPE_BOOL(const struct selvalue *v, const struct selfact *f,
    const char *delim)
{
	(void)delim;
	return f->sf_bool < 0 ? -1 : v->sv_bool == (f->sf_bool == 1);
}

static inline int
match_SHAPE_PORT(const struct selvalue *v, const struct selfact *f,
    const char *delim)
{
	(void)delim;
	return match_ports(v, f->sf_num);
}

/*
 * selector_all - see selector.h.  One step per selector in the table's
 * order, each with its fact and matcher fixed: no dispatch whose target
 * varies from rule to rule (see ruleindex_start()).
 */
int
selector_all(const struct selvalue sel[SEL_N], uint32_t mask,
    const struct question *q)
{
	const struct session *s = q->q_session;
	struct selfact f;
	int res = 1, m;

#define ALL_STEP(id, key, shape, entry, stage, query, macro, log, fact) \
	if (mask & (UINT32_C(1) << SEL_##id)) { \
		f = fact; \
		if ((m = match_##shape(&sel[SEL_##id], &f, q->q_delim)) == 0) \
			return 0; \
		if (m < 0) \
			res = -1; \
	}
	SELECTORS(ALL_STEP)
#undef ALL_STEP
	return res;
}
