/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sanitize.c - escape peer strings for logging (after Postfix printable()
 * and OpenSMTPD strnvis, but reversible).
 */
#include <string.h>

#include "sanitize.h"

/* escape - write byte c as the four bytes \xHH at out. */
static inline void
escape(char *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
}

/*
 * cut - end the output at buf[at] with as much of "..." as fits in len
 * bytes with the NUL (all of it when at + 4 <= len).  Returns the length
 * of the output.
 */
static size_t
cut(char *buf, size_t len, size_t at)
{
	size_t n = len - 1 - at < 3 ? len - 1 - at : 3;

	memcpy(buf + at, "...", n);
	buf[at + n] = '\0';
	return at + n;
}

/*
 * span_fits - sanitize_span() when every byte escaped fits (4 * n + 1 <=
 * len), the common case (a field of a decision line is at most
 * SESSION_TEXT_MAX bytes into a SANITIZE_BUFSIZE room): no room check,
 * and each run of plain bytes found by table look-ups, four bytes a
 * test, and copied with one memcpy() rather than a look-up and a copy a
 * byte (bench/README).  Returns the output length.
 */
static size_t
span_fits(char *buf, const unsigned char *in, size_t n,
    const struct sanitize_set *set)
{
	size_t i = 0, o = 0, run;

	while (i < n) {
		run = i;
		while (i + 4 <= n && (set->ss_plain[in[i]] &
		    set->ss_plain[in[i + 1]] & set->ss_plain[in[i + 2]] &
		    set->ss_plain[in[i + 3]]))
			i += 4;		/* four bytes a branch */
		while (i < n && set->ss_plain[in[i]])
			i++;
		memcpy(buf + o, in + run, i - run);
		o += i - run;
		if (i < n) {
			escape(buf + o, in[i++]);
			o += 4;
		}
	}
	buf[o] = '\0';
	return o;
}

/*
 * span_cut - sanitize_span() when the output may not fit (len > 0):
 * output that fits is never cut; output that does not is cut after the
 * last whole escape that leaves room for "..." and the NUL.  Returns the
 * output length.
 */
static size_t
span_cut(char *buf, size_t len, const unsigned char *in, size_t n,
    const struct sanitize_set *set)
{
	size_t i, o = 0, mark = 0;	/* mark: where "..." would go */

	for (i = 0; i < n; i++) {
		int plain = set->ss_plain[in[i]];

		if (o + (plain ? 1 : 4) + 1 > len)	/* no room with NUL */
			return cut(buf, len, mark);
		if (plain) {
			buf[o++] = (char)in[i];
		} else {
			escape(buf + o, in[i]);
			o += 4;
		}
		if (o + 4 <= len)
			mark = o;
	}
	buf[o] = '\0';
	return o;
}

/*
 * sanitize_set_init - see sanitize.h.
 */
void
sanitize_set_init(struct sanitize_set *set, const char *special)
{
	/* three memset()s (below space, printable ASCII, DEL and up), not a
	 * loop of 256 compares (bench/README) */
	memset(set->ss_plain, 0, 0x20);
	memset(set->ss_plain + 0x20, 1, 0x7f - 0x20);
	memset(set->ss_plain + 0x7f, 0, 256 - 0x7f);
	set->ss_plain['\\'] = 0;
	for (; special != NULL && *special != '\0'; special++)
		set->ss_plain[(unsigned char)*special] = 0;
}

/*
 * sanitize_span - see sanitize.h.
 */
size_t
sanitize_span(char *buf, size_t len, const char *in, size_t n,
    const struct sanitize_set *set)
{
	const unsigned char *u = (const unsigned char *)in;

	if (len == 0)
		return 0;
	if (n <= (len - 1) / 4)
		return span_fits(buf, u, n, set);
	return span_cut(buf, len, u, n, set);
}

/*
 * sanitize - see sanitize.h: sanitize_span() with a table built for the
 * call, for callers without a fixed set.
 */
char *
sanitize(char *buf, size_t len, const char *in, const char *special)
{
	struct sanitize_set set;

	if (len == 0)
		return buf;
	sanitize_set_init(&set, special);
	sanitize_span(buf, len, in != NULL ? in : "",
	    in != NULL ? strlen(in) : 0, &set);
	return buf;
}
