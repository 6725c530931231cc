/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnsname.c - check host names and bring them to the one compared form.
 *
 * A name is split into labels at ASCII dots here, never by IDNA: each
 * label is checked on its own, ASCII labels as LDH and lower-cased, labels
 * with 8-bit bytes mapped to an A-label with gnutls_idna_map().  GnuTLS's
 * mapping (UTS #46, non-transitional) silently deletes bytes it does not
 * allow ("ü*", "ü\x01" and "ü" all become "xn--tda") and turns U+3002 and
 * U+FF0E into dots, so the ASCII bytes of such a label are checked before
 * mapping and the result is checked again after it.
 */
#include <string.h>

#include <gnutls/gnutls.h>

#include "ascii.h"
#include "dnsname.h"

#define DNSNAME_INMAX	1024	/* input bytes looked at; no NUL in them: invalid */
#define DNSNAME_LABELMAX 63	/* longest label (RFC 1035 section 2.3.4) */

/* The name being built: n bytes of buf, the last label starting at top. */
struct dnsbuf {
	char	db_buf[DNSNAME_BUFSIZE];
	size_t	db_len;
	size_t	db_top;
};

/* ldh - is c an ASCII letter, digit or hyphen? */
static int
ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * label_ldh - is s[0..n-1] a label of 1..63 letters, digits and hyphens
 * that neither starts nor ends with a hyphen?
 */
static int
label_ldh(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > DNSNAME_LABELMAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!ldh((unsigned char)s[i]))
			return 0;
	return 1;
}

/* dnsbuf_put - append n bytes, lower-cased; -1 when the name gets too long. */
static int
dnsbuf_put(struct dnsbuf *b, const char *s, size_t n)
{
	size_t i;

	if (n > sizeof(b->db_buf) - 1 - b->db_len)
		return -1;
	for (i = 0; i < n; i++)
		b->db_buf[b->db_len++] = ascii_tolower(s[i]);
	b->db_buf[b->db_len] = '\0';
	return 0;
}

/*
 * label_idna - map a label containing 8-bit bytes to its A-label and
 * append it.  Its ASCII bytes must already be LDH (GnuTLS would drop the
 * others), and the mapping must give one LDH label starting "xn--":
 * a label that maps to plain ASCII ("ＡＢＣ", "ﬁ") or to nothing (U+00AD,
 * U+200B) or to several labels ("a。b") is refused as a look-alike.
 */
static int
label_idna(struct dnsbuf *b, const char *s, size_t n)
{
	gnutls_datum_t d = { NULL, 0 };
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x80 && !ldh((unsigned char)s[i]))
			return -1;
	if (gnutls_idna_map(s, (unsigned)n, &d, 0) != 0)
		return -1;
	if (d.data != NULL && d.size >= 5 &&
	    memcmp(d.data, "xn--", 4) == 0 && label_ldh((char *)d.data, d.size))
		rc = dnsbuf_put(b, (char *)d.data, d.size);
	gnutls_free(d.data);
	return rc;
}

/*
 * label_add - check one input label and append it in compared form.  A
 * label of 1..63 bytes that fits is checked, lower-cased and appended in
 * one pass, until a byte from 0x80 up sends it to label_idna(); any
 * other goes the long way, each step on its own (the same verdicts).
 */
static int
label_add(struct dnsbuf *b, const char *s, size_t n)
{
	char *o = b->db_buf + b->db_len;
	unsigned char c;
	size_t i;

	if (n == 0 || n > DNSNAME_LABELMAX ||
	    n > sizeof(b->db_buf) - 1 - b->db_len) {
		for (i = 0; i < n; i++)
			if ((unsigned char)s[i] >= 0x80)
				return label_idna(b, s, n);
		return label_ldh(s, n) ? dnsbuf_put(b, s, n) : -1;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80)
			return label_idna(b, s, n);
		if (!ldh(c))
			return -1;	/* label_idna() would refuse it too */
		o[i] = ascii_tolower((char)c);
	}
	if (s[0] == '-' || s[n - 1] == '-')
		return -1;
	b->db_len += n;
	b->db_buf[b->db_len] = '\0';
	return 0;
}

/* top_numeric - is the last label all digits (an IPv4 literal's tail)? */
static int
top_numeric(const struct dnsbuf *b)
{
	size_t i;

	for (i = b->db_top; i < b->db_len; i++)
		if (b->db_buf[i] < '0' || b->db_buf[i] > '9')
			return 0;
	return 1;
}

/*
 * dnsname_labels - check and append the labels of p[0..end-p-1]; a
 * leading "*" label is taken when wild is set.  Returns the number of
 * labels, or -1.
 */
static int
dnsname_labels(struct dnsbuf *b, const char *p, const char *end, int wild)
{
	const char *dot;
	size_t n, start = b->db_len;
	int labels = 0;

	for (;;) {
		dot = memchr(p, '.', (size_t)(end - p));
		n = (size_t)((dot != NULL ? dot : end) - p);
		b->db_top = b->db_len;
		if (labels == 0 && wild && n == 1 && p[0] == '*') {
			if (dnsbuf_put(b, "*", 1) != 0)
				return -1;
		} else if (label_add(b, p, n) != 0)
			return -1;
		labels++;
		if (b->db_len - start > DNSNAME_MAX)
			return -1;
		if (dot == NULL)
			return labels;
		if (dnsbuf_put(b, ".", 1) != 0)
			return -1;
		p = dot + 1;
	}
}

/*
 * dnsname_normalize - see dnsname.h.  Only the first DNSNAME_INMAX bytes
 * of the input are looked at; an input with no NUL among them is invalid.
 */
int
dnsname_normalize(const char *in, char *out, size_t outlen, unsigned flags)
{
	struct dnsbuf b;
	const char *end;
	size_t len;
	int labels, wild = 0;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (in == NULL || (len = strnlen(in, DNSNAME_INMAX)) == DNSNAME_INMAX)
		return -1;
	end = in + len;
	if (len > 0 && end[-1] == '.')
		end--;
	b.db_len = b.db_top = 0;
	b.db_buf[0] = '\0';
	if ((flags & DNSNAME_DOTPREFIX) && in < end && in[0] == '.') {
		(void)dnsbuf_put(&b, ".", 1);
		in++;
	} else if ((flags & DNSNAME_WILDCARD) && end - in >= 2 &&
	    in[0] == '*' && in[1] == '.')
		wild = 1;
	if (in >= end)
		return -1;
	labels = dnsname_labels(&b, in, end, wild);
	if (labels < 0 || (wild && labels < 3) || top_numeric(&b))
		return -1;
	if (b.db_len >= outlen)
		return -1;
	memcpy(out, b.db_buf, b.db_len + 1);
	return 0;
}

/*
 * dnsname_match - see dnsname.h.  Both strings are looked at only up to
 * DNSNAME_BUFSIZE bytes; a name that starts with "." (a pattern, not a
 * name) never matches.
 */
int
dnsname_match(const char *pattern, const char *name)
{
	size_t pl, nl;

	if (pattern == NULL || name == NULL)
		return 0;
	pl = strnlen(pattern, DNSNAME_BUFSIZE);
	nl = strnlen(name, DNSNAME_BUFSIZE);
	if (pl == 0 || nl == 0 || pl == DNSNAME_BUFSIZE ||
	    nl == DNSNAME_BUFSIZE || name[0] == '.')
		return 0;
	if (pattern[0] != '.')
		return pl == nl && memcmp(pattern, name, nl) == 0;
	return pl > 1 && nl > pl && memcmp(name + nl - pl, pattern, pl) == 0;
}
