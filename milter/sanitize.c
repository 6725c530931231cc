/*
 * sanitize.c - escape peer strings for logging (after Postfix printable()
 * and OpenSMTPD strnvis, but reversible).
 */
#include <stdint.h>
#include <string.h>

#include "sanitize.h"

/*
 * cut - end the output at buf[at] with as much of "..." as fits in len
 * bytes with the NUL (all of it when at + 4 <= len).  Returns buf.
 */
static char *
cut(char *buf, size_t len, size_t at)
{
	size_t n = len - 1 - at < 3 ? len - 1 - at : 3;

	memcpy(buf + at, "...", n);
	buf[at + n] = '\0';
	return buf;
}

/*
 * sanitize - see sanitize.h.  Output that fits is never cut; output that
 * does not is cut after the last whole escape that leaves room for "..."
 * and the NUL.
 */
char *
sanitize(char *buf, size_t len, const char *in, const char *special)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, mark = 0;	/* mark: where "..." would go */
	uint64_t escaped[2] = { 0, 0 };	/* bit c: escape ASCII byte c */
	unsigned char c;

	if (len == 0)
		return buf;
	/* One bit test a byte, not a strchr(special): this runs over every
	 * field of every decision line. */
	for (; special != NULL && *special != '\0'; special++)
		if ((c = (unsigned char)*special) < 0x80)
			escaped[c >> 6] |= (uint64_t)1 << (c & 63);
	for (; in != NULL && *in != '\0'; in++) {
		c = (unsigned char)*in;
		int plain = c >= 0x20 && c < 0x7f && c != '\\' &&
		    !(escaped[c >> 6] >> (c & 63) & 1);
		size_t need = plain ? 1 : 4;

		if (o + need + 1 > len)		/* no room with the NUL */
			return cut(buf, len, mark);
		if (plain) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
		if (o + 4 <= len)
			mark = o;
	}
	buf[o] = '\0';
	return buf;
}
