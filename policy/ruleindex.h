/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ruleindex.h - find the few rules that may apply to a session without
 * looking at the others.
 *
 * policy_eval() wants the first rule whose selectors match; with 100,000
 * rules it cannot try them all.  The index files every rule under one of
 * its selectors (selector.h), the one whose entries are shared by the
 * fewest rules: by the selector's shape, a network, a name or ".domain",
 * the domain of an address pattern ("user@domain" too), a text, a port,
 * or true or false.  A rule with no selector is filed under
 * "always".  A session then looks up each of its facts (its address
 * under every prefix length the policy uses, its names and each of their
 * parent domains, its sender's domain, ...) and walks the union of what
 * it finds in rule order.  A rule left out of the walk is one whose filed
 * selector cannot match, so the first-match answer is the same as a
 * linear scan's.  A fact is looked up only once the walk has no
 * earlier candidate than the first rule filed under its kind of key.
 * Where rule_selects() could answer -1 (undecided), the
 * rule is never left out: an address the MTA gave but that cannot be
 * read brings every rule filed under that selector's patterns other than
 * "<>", and a boolean fact that is not known (TLS) brings the rules filed
 * under true and under false.
 *
 * There are two views: at MAIL, no rule is filed under a selector of
 * STAGE_RCPT (there is no recipient yet, and such a rule stops the walk
 * when it could apply); for RCPT, any selector may be used.
 *
 * Built once by the loader; read-only afterwards, shared by any number of
 * threads.  A walk lives on the caller's stack and allocates nothing.
 */
#ifndef RULEINDEX_H
#define RULEINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "selector.h"

struct rule;
struct ruleindex;

/*
 * ruleindex_build - index rules[0..n-1], which must stay in place and
 * unchanged while the index is used.  Returns the index, or NULL when out
 * of memory.  Free it with ruleindex_free().
 */
struct ruleindex *ruleindex_build(const struct rule *rules, size_t n);

/* ruleindex_free - free the index; NULL is ignored. */
void ruleindex_free(struct ruleindex *ix);

/* ruleindex_bytes - the memory the index holds, for reports. */
size_t ruleindex_bytes(const struct ruleindex *ix);

/* How many lists one walk merges before it falls back to every rule. */
#define RULEINDEX_LISTS 64

/* A selector's fact is looked up under at most two kinds of key (a
 * boolean that is not known: both). */
#define RULEINDEX_FACTS	(2 * SEL_N)

/* A walk over the candidates for one question, in rule order.  It
 * refers to the index and the question it was started with: they must
 * stay put while it is used. */
struct ruleindex_walk {
	const struct ruleindex *rw_index;
	const struct question *rw_question;
	const uint32_t	*rw_at[RULEINDEX_LISTS];	/* next rule of each list */
	const uint32_t	*rw_end[RULEINDEX_LISTS];
	uint32_t	rw_one[RULEINDEX_LISTS];	/* lists of one rule */
	unsigned	rw_nlists;
	bool		rw_all;		/* too many lists: every rule */
	uint32_t	rw_last;	/* the last rule given, UINT32_MAX: none */
	uint32_t	rw_nrules;
	unsigned	rw_npending;	/* facts not looked up yet: */
	uint8_t		rw_sel[RULEINDEX_FACTS];	/* whose selector, */
	uint8_t		rw_kind[RULEINDEX_FACTS];	/* under which kind, */
	uint32_t	rw_first[RULEINDEX_FACTS];	/* the first rule they
							 * could bring */
	struct selfact	rw_facts[SEL_N];	/* each selector's fact */
};

/*
 * ruleindex_start - begin a walk over the rules that may apply to
 * question q (at MAIL when q->q_rcpt is NULL).  Any rule it leaves out
 * has rule_selects() == 0, or (at RCPT) rule_selects_rcpt() == 0.
 */
void ruleindex_start(const struct ruleindex *ix, const struct question *q,
    struct ruleindex_walk *w);

/* ruleindex_next - the next candidate's number in the rules array, in
 * increasing order, each once; UINT32_MAX when there is none left. */
uint32_t ruleindex_next(struct ruleindex_walk *w);

#endif
