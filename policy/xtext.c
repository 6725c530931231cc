/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xtext.c - decode RFC 3461 xtext ("+XX" hex escapes), the form in which
 * Sendmail passes certificate subjects and issuers to a milter, and the
 * OpenSSL escapes beneath it in a distinguished name.
 */
#include <limits.h>

#include "ascii.h"
#include "xtext.h"

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
			if ((hi = ascii_hexval(in[i + 1])) < 0 ||
			    (lo = ascii_hexval(in[i + 2])) < 0 ||
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

/*
 * xtext_decode_dn - see xtext.h.  The xtext layer is decoded in place in
 * out, then the OpenSSL escapes are undone in place: the result is never
 * longer than its input.
 */
long
xtext_decode_dn(const char *in, char *out, size_t outlen)
{
	long len = xtext_decode(in, out, outlen);
	size_t i, o = 0;
	int hi, lo;

	if (len < 0)
		return -1;
	for (i = 0; i < (size_t)len; ) {
		if (out[i] == '\\' && (out[i + 1] == '/' || out[i + 1] == '+')) {
			out[o++] = out[i + 1];
			i += 2;
		} else if (out[i] == '\\' && out[i + 1] == 'x' &&
		    (hi = ascii_hexval(out[i + 2])) >= 0 &&
		    (lo = ascii_hexval(out[i + 3])) >= 0) {
			if (hi == 0 && lo == 0) {
				out[0] = '\0';
				return -1;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 4;
		} else
			out[o++] = out[i++];
	}
	out[o] = '\0';
	return (long)o;
}
