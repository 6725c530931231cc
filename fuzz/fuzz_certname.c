/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_certname.c - libFuzzer target: the certificate name matcher
 * (certname_match) and the host name normaliser under it
 * (dnsname_normalize), on any presented name against any reference name.
 *
 * Input: the presented name, a NUL byte, the reference name (without a
 * NUL, the reference is empty).  Properties checked besides "no crash":
 *   - dnsname_normalize gives "" on failure, else a lower-case LDH name of
 *     at most 253 bytes (plus the pattern's leading dot) with a wildcard
 *     only as allowed, the same again when normalised again, the same for
 *     the input with its ASCII case swapped or one trailing dot added;
 *   - certname_match answers 0 or 1, the same with the case of either name
 *     swapped or a trailing dot added to either, and exactly what an
 *     independent label-by-label reading of RFC 9525 section 6.3 says.
 */
#include "fuzz.h"

#include "certname.h"
#include "dnsname.h"

#define MAXLABELS 130

/* Is the normalised output well formed for these flags? */
static void
check_form(const char *in, const char *out, unsigned flags)
{
	size_t i, n = strlen(out);

	FUZZ_CHECK(n > 0 && n <= DNSNAME_MAX + 1, "\"%s\" -> %zu bytes", in, n);
	FUZZ_CHECK(out[n - 1] != '.', "\"%s\" -> \"%s\" ends with a dot", in,
	    out);
	for (i = 0; i < n; i++) {
		char c = out[i];

		FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || (c == '*' && i == 0),
		    "\"%s\" -> \"%s\": byte %zu", in, out, i);
		FUZZ_CHECK(c != '.' || i > 0 || (flags & DNSNAME_DOTPREFIX),
		    "\"%s\" -> \"%s\": leading dot", in, out);
		FUZZ_CHECK(c != '.' || out[i + 1] != '.', "\"%s\" -> \"%s\": "
		    "empty label", in, out);
	}
	FUZZ_CHECK(out[0] != '*' || ((flags & DNSNAME_WILDCARD) &&
	    out[1] == '.'), "\"%s\" -> \"%s\": wildcard", in, out);
}

/* normalize - the checks of one dnsname_normalize() call. */
static int
normalize(const char *in, char *out, unsigned flags)
{
	char again[DNSNAME_BUFSIZE], other[DNSNAME_BUFSIZE];
	char *t;
	int rc, rc2;

	rc = dnsname_normalize(in, out, DNSNAME_BUFSIZE, flags);
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	if (rc < 0) {
		FUZZ_CHECK(out[0] == '\0', "failure leaves \"%s\"", out);
	} else {
		check_form(in, out, flags);
		FUZZ_CHECK(dnsname_normalize(out, again, sizeof(again),
		    flags) == 0 && strcmp(again, out) == 0,
		    "not idempotent: \"%s\" -> \"%s\" -> \"%s\"", in, out, again);
	}
	if ((t = fuzz_flip(in)) != NULL) {
		rc2 = dnsname_normalize(t, other, sizeof(other), flags);
		FUZZ_CHECK(rc2 == rc && strcmp(other, out) == 0,
		    "case: \"%s\" -> %d \"%s\", \"%s\" -> %d \"%s\"", in, rc,
		    out, t, rc2, other);
		free(t);
	}
	if (in[0] != '\0' && in[strlen(in) - 1] != '.' &&
	    (t = fuzz_dot(in)) != NULL) {
		rc2 = dnsname_normalize(t, other, sizeof(other), flags);
		FUZZ_CHECK(rc2 == rc && strcmp(other, out) == 0,
		    "trailing dot: \"%s\" -> %d \"%s\", \"%s\" -> %d \"%s\"",
		    in, rc, out, t, rc2, other);
		free(t);
	}
	return rc;
}

/* Split a normalised name into labels (pointers into buf). */
static size_t
labels(char *buf, char **v)
{
	size_t n = 0;
	char *p = buf;

	for (;;) {
		v[n++] = p;
		if ((p = strchr(p, '.')) == NULL || n == MAXLABELS)
			return n;
		*p++ = '\0';
	}
}

/* The oracle: RFC 9525 section 6.3 over the normalised names. */
static int
oracle(const char *presented, const char *reference)
{
	char p[DNSNAME_BUFSIZE], r[DNSNAME_BUFSIZE];
	char *pl[MAXLABELS], *rl[MAXLABELS];
	size_t np, nr, i, off;
	bool sub;

	if (dnsname_normalize(presented, p, sizeof(p), DNSNAME_WILDCARD) != 0 ||
	    dnsname_normalize(reference, r, sizeof(r), DNSNAME_DOTPREFIX) != 0)
		return 0;
	if (certname_placeholder(p))
		return 0;	/* Sendmail's stand-ins are no names */
	sub = r[0] == '.';
	np = labels(p, pl);	/* splits p in place */
	nr = labels(r + sub, rl);
	if (sub) {		/* any name strictly below r */
		if (np <= nr)
			return 0;
		off = np - nr;
		for (i = 0; i < nr; i++)
			if (strcmp(pl[off + i], rl[i]) != 0)
				return 0;
		return 1;
	}
	if (np != nr)
		return 0;
	for (i = 0; i < np; i++)
		if (strcmp(pl[i], rl[i]) != 0 &&
		    !(i == 0 && strcmp(pl[0], "*") == 0))
			return 0;
	return 1;
}

static void
check_match(const char *p, const char *r)
{
	int m = certname_match(p, r), o = oracle(p, r);
	char *t;

	FUZZ_CHECK(m == 0 || m == 1, "certname_match returned %d", m);
	FUZZ_CHECK(m == o, "\"%s\" vs \"%s\": certname_match %d, oracle %d",
	    p, r, m, o);
	if ((t = fuzz_flip(p)) != NULL) {
		FUZZ_CHECK(certname_match(t, r) == m, "case of \"%s\" vs "
		    "\"%s\" changes %d", p, r, m);
		free(t);
	}
	if ((t = fuzz_flip(r)) != NULL) {
		FUZZ_CHECK(certname_match(p, t) == m, "\"%s\" vs case of "
		    "\"%s\" changes %d", p, r, m);
		free(t);
	}
	if (p[0] != '\0' && p[strlen(p) - 1] != '.' && (t = fuzz_dot(p))) {
		FUZZ_CHECK(certname_match(t, r) == m, "a dot after \"%s\" "
		    "(vs \"%s\") changes %d", p, r, m);
		free(t);
	}
	if (r[0] != '\0' && r[strlen(r) - 1] != '.' && (t = fuzz_dot(r))) {
		FUZZ_CHECK(certname_match(p, t) == m, "\"%s\" vs a dot after "
		    "\"%s\" changes %d", p, r, m);
		free(t);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = { 0, DNSNAME_WILDCARD,
	    DNSNAME_DOTPREFIX, DNSNAME_WILDCARD | DNSNAME_DOTPREFIX };
	char out[DNSNAME_BUFSIZE];
	char *buf, *p, *r;
	size_t i;

	if ((buf = malloc(size + 2)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	p = buf;
	r = buf + strlen(buf) + 1;
	if (r > buf + size)
		r = buf + size + 1;	/* no NUL in the input: "" */
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		(void)normalize(p, out, flags[i]);
		(void)normalize(r, out, flags[i]);
	}
	check_match(p, r);
	check_match(r, p);
	FUZZ_CHECK(certname_match(NULL, r) == 0 && certname_match(p, NULL) == 0,
	    "NULL matched");
	free(buf);
	return 0;
}
