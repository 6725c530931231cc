/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tally.h - counts by key (a string), for what the report aggregates:
 * memory bounded by the number of distinct keys, at most TALLY_KEYS;
 * past that, new keys count as "(other)".
 */
#ifndef TALLY_H
#define TALLY_H

#include <stddef.h>

#include "strtab.h"

#define TALLY_KEYS	100000

/* One key and its counts (c[0] .. c[TALLY_COUNTS - 1], as the user means). */
#define TALLY_COUNTS	4
struct tally_entry {
	char		*te_key;	/* first: strtab.h */
	unsigned long	te_n[TALLY_COUNTS];
	char		*te_example;	/* the first line counted, or NULL */
};

/* A zeroed struct tally is an empty one. */
struct tally {
	struct strtab	t_tab;		/* of struct tally_entry */
	unsigned long	t_total;	/* every count added */
};

/*
 * tally_add - add 1 to count i of key (copied); example, when not NULL
 * and the key has none yet, is kept with it (copied).  Returns 0, or -1
 * when out of memory.
 */
int tally_add(struct tally *t, const char *key, unsigned i,
    const char *example);

/*
 * tally_top - the entries, most counted first (the sum of their counts;
 * ties by key), into a new array of *n (the caller frees the array, not
 * the entries).  NULL with *n 0 when empty or out of memory.
 */
struct tally_entry **tally_top(const struct tally *t, size_t *n);

/* tally_free - free what t holds. */
void tally_free(struct tally *t);

#endif
