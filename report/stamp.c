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
	const char *m;
	size_t i;

	if (strlen(t) >= 19 && t[4] == '-' && t[7] == '-' && t[10] == 'T') {
		memcpy(key, t, 19);
		key[19] = '\0';
		return 1;
	}
	if (strlen(t) != 15 || t[3] != ' ' || t[6] != ' ' ||
	    (m = strstr(months, (char [4]){ t[0], t[1], t[2], '\0' })) ==
	    NULL || (m - months) % 3 != 0)
		return 0;
	i = (size_t)(m - months) / 3 + 1;
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

/* Keep time (cut to fit) in dst. */
static void
keep(char dst[STAMP_MAX], const char *time)
{
	size_t n = strnlen(time, STAMP_MAX - 1);

	memcpy(dst, time, n);
	dst[n] = '\0';
}

/*
 * stamp_add - see stamp.h.
 */
void
stamp_add(struct stamp_range *r, const char *time)
{
	char k[20], kf[20], kl[20];
	int f = key_of(time, k);

	if (time[0] == '\0')
		return;
	if (r->sr_first[0] == '\0') {
		keep(r->sr_first, time);
		keep(r->sr_last, time);
		return;
	}
	if (f == 0 || key_of(r->sr_first, kf) != f ||
	    key_of(r->sr_last, kl) != f) {
		keep(r->sr_last, time);	/* not comparable: in read order */
		return;
	}
	if (strcmp(k, kf) < 0)
		keep(r->sr_first, time);
	if (strcmp(k, kl) > 0)
		keep(r->sr_last, time);
}
