/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strtab.h - entries found by a string key, for what the report counts
 * (tally.c) and folds (suggest.c): open addressing with FNV-1a, grown
 * twice when half full.  Each entry is st_esize bytes and begins with
 * its key, a char * the table owns; the rest is the caller's, zeroed
 * when the entry is made.
 */
#ifndef STRTAB_H
#define STRTAB_H

#include <stdbool.h>
#include <stddef.h>

struct strtab {
	unsigned char	*st_e;
	size_t		st_esize;	/* one entry, from sizeof its type */
	size_t		st_size;	/* slots, a power of two */
	size_t		st_used;
};

/* A table of entries of type t (whose first member is char *key). */
#define STRTAB_INIT(t)	{ NULL, sizeof(t), 0, 0 }

/*
 * strtab_get - the entry of key; when there is none and add is true, a
 * new one (zeroed, with a copy of key).  NULL when there is none and add
 * is false, or when memory ran out.  An entry stays where it is until
 * the next strtab_get() with add.
 */
void *strtab_get(struct strtab *t, const char *key, bool add);

/* strtab_slot - slot i (0 .. st_size - 1): its entry, or NULL if free. */
void *strtab_slot(const struct strtab *t, size_t i);

/* strtab_free - free the keys and the table (the caller frees what its
 * entries hold beyond the key first). */
void strtab_free(struct strtab *t);

#endif
