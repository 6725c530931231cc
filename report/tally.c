/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tally.c - counts by key (see tally.h), in a strtab.
 */
#include <stdlib.h>
#include <string.h>

#include "tally.h"

#define OTHER	"(other)"

/*
 * tally_add - see tally.h.
 */
int
tally_add(struct tally *t, const char *key, unsigned i, const char *example)
{
	struct tally_entry *e;

	t->t_tab.st_esize = sizeof(*e);
	if ((e = strtab_get(&t->t_tab, key, t->t_tab.st_used < TALLY_KEYS)) ==
	    NULL && t->t_tab.st_used >= TALLY_KEYS)
		e = strtab_get(&t->t_tab, OTHER, true);	/* one more at most */
	if (e == NULL)
		return -1;
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
	struct tally_entry **v, *e;
	size_t i, k = 0;

	*n = 0;
	if (t->t_tab.st_used == 0 ||
	    (v = calloc(t->t_tab.st_used, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < t->t_tab.st_size; i++)
		if ((e = strtab_slot(&t->t_tab, i)) != NULL)
			v[k++] = e;
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
	struct tally_entry *e;
	size_t i;

	for (i = 0; i < t->t_tab.st_size; i++)
		if ((e = strtab_slot(&t->t_tab, i)) != NULL)
			free(e->te_example);
	strtab_free(&t->t_tab);
	memset(t, 0, sizeof(*t));
}
