/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strtab.c - entries found by a string key (see strtab.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"

static uint32_t
hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The key of the entry at e (NULL in a free slot). */
static char **
key_of(unsigned char *e)
{
	return (char **)(void *)e;
}

/* The slot of key: its entry, or the free slot where it belongs. */
static unsigned char *
find(const struct strtab *t, const char *key)
{
	size_t i;
	unsigned char *e;

	for (i = hash(key) & (t->st_size - 1);; i = (i + 1) & (t->st_size - 1)) {
		e = t->st_e + i * t->st_esize;
		if (*key_of(e) == NULL || strcmp(*key_of(e), key) == 0)
			return e;
	}
}

/* Twice the slots; -1 when out of memory. */
static int
grow(struct strtab *t)
{
	struct strtab old = *t;
	unsigned char *e;
	size_t i;

	t->st_size = old.st_size ? 2 * old.st_size : 256;
	if ((t->st_e = calloc(t->st_size, t->st_esize)) == NULL) {
		*t = old;
		return -1;
	}
	for (i = 0; i < old.st_size; i++) {
		e = old.st_e + i * old.st_esize;
		if (*key_of(e) != NULL)
			memcpy(find(t, *key_of(e)), e, t->st_esize);
	}
	free(old.st_e);
	return 0;
}

/*
 * strtab_get - see strtab.h.
 */
void *
strtab_get(struct strtab *t, const char *key, bool add)
{
	unsigned char *e;

	if (t->st_size == 0 && !add)
		return NULL;
	if (add && 2 * (t->st_used + 1) > t->st_size && grow(t) < 0)
		return NULL;
	e = find(t, key);
	if (*key_of(e) != NULL)
		return e;
	if (!add || (*key_of(e) = strdup(key)) == NULL)
		return NULL;
	t->st_used++;
	return e;
}

/*
 * strtab_slot - see strtab.h.
 */
void *
strtab_slot(const struct strtab *t, size_t i)
{
	unsigned char *e = t->st_e + i * t->st_esize;

	return *key_of(e) != NULL ? e : NULL;
}

/*
 * strtab_free - see strtab.h.
 */
void
strtab_free(struct strtab *t)
{
	size_t i;

	for (i = 0; i < t->st_size; i++)
		free(*key_of(t->st_e + i * t->st_esize));
	free(t->st_e);
	t->st_e = NULL;
	t->st_size = t->st_used = 0;
}
