/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testutil.h - the small helpers several unit tests need: is a string
 * printable, a macro look-up over a table, a random sequence that is the
 * same on every machine, a rule found by name.  Each test program keeps
 * only what is its own; testlist.h runs the cases.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "rule.h"

/* testutil_printable - is every byte of s printable ASCII (0x20..0x7e)? */
static inline bool
testutil_printable(const char *s)
{
	return ascii_printable(s);
}

/*
 * testutil_kv_lookup - a session_lookup_fn over ctx, a table of strings
 * "name", "value", ..., NULL, as the MTA's macros.  Returns the value of
 * name (owned by the table), or NULL when it is not in the table.
 */
static inline const char *
testutil_kv_lookup(void *ctx, const char *name)
{
	const char *const *m = ctx;
	size_t i;

	for (i = 0; m[i] != NULL; i += 2)
		if (strcmp(m[i], name) == 0)
			return m[i + 1];
	return NULL;
}

/* The state of testutil_rng(): one per test program. */
static inline uint64_t *
testutil_rng_state(void)
{
	static uint64_t state = 1;

	return &state;
}

/* testutil_seed - start testutil_rng()'s sequence anew from seed (0 is
 * taken as 1: the generator would stay at 0). */
static inline void
testutil_seed(uint64_t seed)
{
	*testutil_rng_state() = seed != 0 ? seed : 1;
}

/* testutil_rng - the next number of a xorshift64* sequence: the same
 * numbers after the same testutil_seed() on every machine. */
static inline uint64_t
testutil_rng(void)
{
	uint64_t *s = testutil_rng_state();

	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* testutil_rule - the rule of p named name (owned by p), or NULL. */
static inline const struct rule *
testutil_rule(const struct policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->p_nrules; i++)
		if (strcmp(p->p_rules[i].r_name, name) == 0)
			return &p->p_rules[i];
	return NULL;
}

#endif
