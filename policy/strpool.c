/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strpool.c - a block allocator with string interning for the policy
 * (see strpool.h).  Blocks are 64 KiB, or larger for one large request;
 * the interning table is open addressing over the string's FNV-1a hash,
 * kept at most half full.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strpool.h"

#define BLOCK_SIZE	(64 * 1024)
#define ALIGN		alignof(max_align_t)

struct block {
	struct block	*b_next;
	size_t		b_size;		/* bytes of b_data */
	size_t		b_used;
	alignas(max_align_t) unsigned char b_data[];
};

/* A slot of the table of interned strings. */
struct poolslot {
	const char	*ps_str;	/* NULL: free */
	uint32_t	ps_hash;
};

struct strpool {
	struct block	*sp_blocks;	/* the newest first */
	size_t		sp_bytes;
	struct poolslot	*sp_table;	/* NULL once sealed */
	size_t		sp_tsize;	/* a power of two */
	size_t		sp_tused;
	int		sp_sealed;
};

/*
 * strpool_new - see strpool.h.
 */
struct strpool *
strpool_new(void)
{
	return calloc(1, sizeof(struct strpool));
}

/* A new block holding at least size bytes, made the current one. */
static struct block *
block_add(struct strpool *sp, size_t size)
{
	struct block *b;

	if (size < BLOCK_SIZE - sizeof(*b))
		size = BLOCK_SIZE - sizeof(*b);
	if (size > SIZE_MAX - sizeof(*b) || (b = malloc(sizeof(*b) + size)) == NULL)
		return NULL;
	b->b_size = size;
	b->b_used = 0;
	sp->sp_bytes += sizeof(*b) + size;
	if (sp->sp_blocks != NULL && size > BLOCK_SIZE - sizeof(*b) &&
	    sp->sp_blocks->b_used < sp->sp_blocks->b_size) {
		/* a large one-off: keep filling the current block */
		b->b_next = sp->sp_blocks->b_next;
		sp->sp_blocks->b_next = b;
	} else {
		b->b_next = sp->sp_blocks;
		sp->sp_blocks = b;
	}
	return b;
}

/* size bytes, aligned to align (a power of two), not zeroed. */
static void *
pool_get(struct strpool *sp, size_t size, size_t align)
{
	struct block *b = sp->sp_blocks;
	size_t at;

	if (b != NULL) {
		at = (b->b_used + align - 1) & ~(align - 1);
		if (at <= b->b_size && size <= b->b_size - at) {
			b->b_used = at + size;
			return b->b_data + at;
		}
	}
	if ((b = block_add(sp, size)) == NULL)
		return NULL;
	b->b_used = size;
	return b->b_data;
}

/*
 * strpool_alloc - see strpool.h.
 */
void *
strpool_alloc(struct strpool *sp, size_t size)
{
	void *p = pool_get(sp, size, ALIGN);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Double the table (or make the first); returns -1 when out of memory. */
static int
table_grow(struct strpool *sp)
{
	size_t i, j, size = sp->sp_tsize ? 2 * sp->sp_tsize : 1024;
	struct poolslot *t = calloc(size, sizeof(*t));

	if (t == NULL)
		return -1;
	for (i = 0; i < sp->sp_tsize; i++) {
		if (sp->sp_table[i].ps_str == NULL)
			continue;
		for (j = sp->sp_table[i].ps_hash & (size - 1); t[j].ps_str != NULL;
		    j = (j + 1) & (size - 1))
			continue;
		t[j] = sp->sp_table[i];
	}
	free(sp->sp_table);
	sp->sp_table = t;
	sp->sp_tsize = size;
	return 0;
}

/* A copy of s[0..n-1] and a NUL in the pool. */
static const char *
copy(struct strpool *sp, const char *s, size_t n)
{
	char *p = pool_get(sp, n + 1, 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/*
 * strpool_intern - see strpool.h.
 */
const char *
strpool_intern(struct strpool *sp, const char *s)
{
	size_t n, j;
	uint32_t h;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (sp->sp_sealed)
		return copy(sp, s, n);
	if (2 * (sp->sp_tused + 1) > sp->sp_tsize && table_grow(sp) < 0)
		return NULL;
	h = hash(s, n);
	for (j = h & (sp->sp_tsize - 1); sp->sp_table[j].ps_str != NULL;
	    j = (j + 1) & (sp->sp_tsize - 1))
		if (sp->sp_table[j].ps_hash == h &&
		    strcmp(sp->sp_table[j].ps_str, s) == 0)
			return sp->sp_table[j].ps_str;
	if ((sp->sp_table[j].ps_str = copy(sp, s, n)) == NULL)
		return NULL;
	sp->sp_table[j].ps_hash = h;
	sp->sp_tused++;
	return sp->sp_table[j].ps_str;
}

/*
 * strpool_seal - see strpool.h.
 */
void
strpool_seal(struct strpool *sp)
{
	free(sp->sp_table);
	sp->sp_table = NULL;
	sp->sp_tsize = sp->sp_tused = 0;
	sp->sp_sealed = 1;
}

/*
 * strpool_bytes - see strpool.h.
 */
size_t
strpool_bytes(const struct strpool *sp)
{
	return sp->sp_bytes;
}

/*
 * strpool_free - see strpool.h.
 */
void
strpool_free(struct strpool *sp)
{
	struct block *b, *next;

	if (sp == NULL)
		return;
	for (b = sp->sp_blocks; b != NULL; b = next) {
		next = b->b_next;
		free(b);
	}
	free(sp->sp_table);
	free(sp);
}
