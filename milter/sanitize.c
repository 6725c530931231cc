/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sanitize.c - escape peer strings for logging (after Postfix printable()
 * and OpenSMTPD strnvis, but reversible).
 */
#include <stdbool.h>
#include <string.h>

#include "ascii.h"

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

/* Is c copied as it is: printable ASCII, not '\\', not one of special? */
static bool
plain(unsigned char c, const char *special)
{
	return ascii_isprint(c) && c != '\\' &&
	    (special == NULL || strchr(special, c) == NULL);
}

/*
 * sanitize_span - see sanitize.h.  Output that fits is never cut; output
 * that does not is cut after the last whole escape that leaves room for
 * "..." and the NUL.
 */
size_t
sanitize_span(char *buf, size_t len, const char *in, size_t n,
    const char *special)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t i, o = 0, mark = 0;	/* mark: where "..." would go */
	bool p;

	if (len == 0)
		return 0;
	for (i = 0; i < n; i++) {
		p = plain(u[i], special);
		if (o + (p ? 1 : 4) + 1 > len)	/* no room with NUL */
			return cut(buf, len, mark);
		if (p) {
			buf[o++] = (char)u[i];
		} else {
			escape(buf + o, u[i]);
			o += 4;
		}
		if (o + 4 <= len)
			mark = o;
	}
	buf[o] = '\0';
	return o;
}

/*
 * sanitize - see sanitize.h.
 */
char *
sanitize(char *buf, size_t len, const char *in, const char *special)
{
	if (len > 0)
		sanitize_span(buf, len, in != NULL ? in : "",
		    in != NULL ? strlen(in) : 0, special);
	return buf;
}
