/*
 * sanitize.c - escape peer strings for logging (after Postfix printable()
 * and OpenSMTPD strnvis, but reversible).
 */
#include <string.h>

#include "sanitize.h"

/*
 * sanitize - see sanitize.h.
 */
char *
sanitize(char *buf, size_t len, const char *in, const char *special)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (len == 0)
		return buf;
	for (; in != NULL && *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;
		int plain = c >= 0x20 && c < 0x7f && c != '\\' &&
		    (special == NULL || strchr(special, c) == NULL);
		size_t need = plain ? 1 : 4;

		if (o + need + 4 > len) {	/* room for "..." and NUL */
			if (len >= 4) {
				memcpy(buf + (o < len - 4 ? o : len - 4), "...", 4);
				return buf;
			}
			break;
		}
		if (plain) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o < len ? o : len - 1] = '\0';
	return buf;
}
