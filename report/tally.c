/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tally.c - counts by key (see tally.h): open addressing, FNV-1a.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

#define OTHER	"(other)"

static uint32_t
hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of key: its entry, or the free slot where it belongs. */
static struct tally_entry *
slot(const struct tally *t, const char *key)
{
	size_t i;

	for (i = hash(key) & (t->t_size - 1); t->t_e[i].te_key != NULL;
	    i = (i + 1) & (t->t_size - 1))
		if (strcmp(t->t_e[i].te_key, key) == 0)
			break;
	return &t->t_e[i];
}

/* Twice the slots; -1 when out of memory. */
static int
grow(struct tally *t)
{
	struct tally old = *t;
	size_t i;

	t->t_size = old.t_size ? 2 * old.t_size : 256;
	if ((t->t_e = calloc(t->t_size, sizeof(*t->t_e))) == NULL) {
		*t = old;
		return -1;
	}
	for (i = 0; i < old.t_size; i++)
		if (old.t_e[i].te_key != NULL)
			*slot(t, old.t_e[i].te_key) = old.t_e[i];
	free(old.t_e);
	return 0;
}

/*
 * tally_add - see tally.h.
 */
int
tally_add(struct tally *t, const char *key, unsigned i, const char *example)
{
	struct tally_entry *e;

	if (2 * (t->t_used + 1) > t->t_size && grow(t) < 0)
		return -1;
	e = slot(t, key);
	if (e->te_key == NULL && t->t_used >= TALLY_KEYS) {
		key = OTHER;		/* bounded: one more key at most */
		e = slot(t, key);
	}
	if (e->te_key == NULL) {
		if ((e->te_key = strdup(key)) == NULL)
			return -1;
		t->t_used++;
	}
	if (example != NULL && e->te_example == NULL &&
	    (e->te_example = strdup(example)) == NULL)
		return -1;
	e->te_n[i]++;
	t->t_total++;
	return 0;
}

static unsigned long
sum(const struct tally_entry *e)
{
	unsigned long n = 0;
	unsigned i;

	for (i = 0; i < TALLY_COUNTS; i++)
		n += e->te_n[i];
	return n;
}

static int
by_count(const void *a, const void *b)
{
	const struct tally_entry *x = *(struct tally_entry *const *)a;
	const struct tally_entry *y = *(struct tally_entry *const *)b;

	if (sum(x) != sum(y))
		return sum(x) > sum(y) ? -1 : 1;
	return strcmp(x->te_key, y->te_key);
}

/*
 * tally_top - see tally.h.
 */
struct tally_entry **
tally_top(const struct tally *t, size_t *n)
{
	struct tally_entry **v;
	size_t i, k = 0;

	*n = 0;
	if (t->t_used == 0 || (v = calloc(t->t_used, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < t->t_size; i++)
		if (t->t_e[i].te_key != NULL)
			v[k++] = &t->t_e[i];
	qsort(v, k, sizeof(*v), by_count);
	*n = k;
	return v;
}

/*
 * tally_free - see tally.h.
 */
void
tally_free(struct tally *t)
{
	size_t i;

	for (i = 0; i < t->t_size; i++) {
		free(t->t_e[i].te_key);
		free(t->t_e[i].te_example);
	}
	free(t->t_e);
	memset(t, 0, sizeof(*t));
}
