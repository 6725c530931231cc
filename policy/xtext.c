/*
 * xtext.c - decode RFC 3461 xtext ("+XX" hex escapes), the form in which
 * Sendmail passes certificate subjects and issuers to a milter.
 */
#include <limits.h>

#include "xtext.h"

/* hexval - the value of one hex digit of either case, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * xtext_decode - see xtext.h.  in may be NULL (invalid); it is read up to
 * its NUL or until out is full, never further.  out must hold outlen
 * bytes; with out NULL or outlen 0 nothing is written and -1 returned.
 */
long
xtext_decode(const char *in, char *out, size_t outlen)
{
	size_t i = 0, o = 0, cap;
	int hi, lo;
	char c;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (in == NULL)
		return -1;
	cap = outlen - 1 < (size_t)LONG_MAX ? outlen - 1 : (size_t)LONG_MAX;
	while ((c = in[i]) != '\0') {
		if (o >= cap)
			goto invalid;
		if (c == '+') {
			if ((hi = hexval(in[i + 1])) < 0 ||
			    (lo = hexval(in[i + 2])) < 0 ||
			    (hi == 0 && lo == 0))
				goto invalid;
			c = (char)(hi << 4 | lo);
			i += 3;
		} else
			i++;
		out[o++] = c;
	}
	out[o] = '\0';
	return (long)o;
invalid:
	out[0] = '\0';
	return -1;
}
