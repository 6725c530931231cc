/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stamp.c - the period a log covers (see stamp.h).
 */
#include <string.h>

#include "stamp.h"

/*
 * A key that sorts as the stamp's time, into key (20 bytes): the
 * RFC 3339 stamp's first 19 bytes, or "Mmm dd hh:mm:ss" as "-MM-dd
 * hh:mm:ss" (a form of its own, not comparable with the first).
 * Returns the form (1 or 2), 0 when the stamp is neither.
 */
static int
key_of(const char *t, char key[20])
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t n = strnlen(t, 20), i;

	if (n >= 19 && t[4] == '-' && t[7] == '-' && t[10] == 'T') {
		memcpy(key, t, 19);
		key[19] = '\0';
		return 1;
	}
	if (n != 15 || t[3] != ' ' || t[6] != ' ')
		return 0;
	for (i = 0; i < 12 && memcmp(months + 3 * i, t, 3) != 0; i++)
		continue;
	if (i++ == 12)
		return 0;
	key[0] = '-';
	key[1] = (char)('0' + i / 10);
	key[2] = (char)('0' + i % 10);
	memcpy(key + 3, t + 3, 12);	/* " dd hh:mm:ss", the day padded */
	key[3] = '-';
	if (key[4] == ' ')
		key[4] = '0';
	key[15] = '\0';
	return 2;
}

/* Make time (cut to fit), of sort key k in form f, the end e. */
static void
keep(struct stamp_end *e, const char *time, const char *k, int f)
{
	size_t n = strnlen(time, STAMP_MAX - 1);

	memcpy(e->se_text, time, n);
	e->se_text[n] = '\0';
	memcpy(e->se_key, k, sizeof(e->se_key));
	e->se_form = f;
}

/*
 * stamp_add - see stamp.h.  A stamp equal to the last (lines of one
 * second) changes nothing and is not looked at further.
 */
void
stamp_add(struct stamp_range *r, const char *time)
{
	char k[20] = "";
	int f;

	if (time[0] == '\0' || strcmp(time, r->sr_last.se_text) == 0)
		return;
	f = key_of(time, k);
	if (r->sr_first.se_text[0] == '\0') {
		keep(&r->sr_first, time, k, f);
		keep(&r->sr_last, time, k, f);
		return;
	}
	if (f == 0 || r->sr_first.se_form != f || r->sr_last.se_form != f) {
		keep(&r->sr_last, time, k, f);	/* not comparable: in read order */
		return;
	}
	if (strcmp(k, r->sr_first.se_key) < 0)
		keep(&r->sr_first, time, k, f);
	if (strcmp(k, r->sr_last.se_key) > 0)
		keep(&r->sr_last, time, k, f);
}
