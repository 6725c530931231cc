/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * certfp.c - read certificate fingerprints, from the policy ("sha256:..")
 * and from Sendmail ({cert_md5}, {cert_fp}), and compare them.
 *
 * Sendmail names the algorithm of {cert_fp} nowhere (it is whatever its
 * CertFingerprintAlgorithm says), so a digest's algorithm is taken from
 * its length.  Two algorithms of one length (SHA-256 and SHA3-256) could
 * only be confused by finding a certificate whose digest under one equals
 * the pinned digest under the other: a preimage, not a risk.
 */
#include <string.h>

#include "ascii.h"
#include "certfp.h"

static const struct {
	const char	*ca_name;
	enum certfp_alg	 ca_alg;
	size_t		 ca_len;
} algs[] = {
	{ "md5", CERTFP_MD5, 16 }, { "sha1", CERTFP_SHA1, 20 },
	{ "sha256", CERTFP_SHA256, 32 }, { "sha384", CERTFP_SHA384, 48 },
	{ "sha512", CERTFP_SHA512, 64 },
};
#define NALGS (sizeof(algs) / sizeof(algs[0]))

/*
 * Hex pairs into md (at most CERTFP_MAX bytes); colons between pairs are
 * required (colons true), or allowed (false).  Returns the byte count, or
 * -1.
 */
static long
parse_hex(const char *s, unsigned char *md, bool colons)
{
	size_t n = 0;
	int hi, lo;

	for (;;) {
		if ((hi = ascii_hexval(s[0])) < 0 || (lo = ascii_hexval(s[1])) < 0 ||
		    n == CERTFP_MAX)
			return -1;
		md[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
		if (*s == '\0')
			return (long)n;
		if (*s == ':')
			s++;
		else if (colons)
			return -1;
	}
}

/*
 * certfp_parse_pin - see certfp.h.
 */
int
certfp_parse_pin(const char *text, struct certfp *fp, const char **why)
{
	const char *colon = strchr(text, ':');
	size_t i, namelen;
	long n;

	memset(fp, 0, sizeof(*fp));
	namelen = colon != NULL ? (size_t)(colon - text) : 0;
	for (i = 0; i < NALGS; i++)
		if (strlen(algs[i].ca_name) == namelen &&
		    ascii_ncaseeq(text, algs[i].ca_name, namelen))
			break;
	if (i == NALGS) {
		*why = "must start with md5:, sha1:, sha256:, sha384: or "
		    "sha512:";
		return -1;
	}
	if ((n = parse_hex(colon + 1, fp->cf_md, false)) < 0) {
		*why = "is not a digest in hex (pairs of 0-9 A-F, with or "
		    "without \":\" between them)";
		return -1;
	}
	if ((size_t)n != algs[i].ca_len) {
		*why = "has the wrong length for its algorithm";
		return -1;
	}
	fp->cf_alg = algs[i].ca_alg;
	fp->cf_len = (size_t)n;
	return 0;
}

/*
 * certfp_parse_mta - see certfp.h.
 */
int
certfp_parse_mta(const char *text, const char *macro, struct certfp *fp)
{
	long n;
	size_t i;

	memset(fp, 0, sizeof(*fp));
	if (text == NULL || macro == NULL ||
	    (n = parse_hex(text, fp->cf_md, true)) < 0)
		goto invalid;
	for (i = 0; i < NALGS; i++)
		if (algs[i].ca_len == (size_t)n)
			break;
	if (i == NALGS || (strcmp(macro, "{cert_md5}") == 0 &&
	    algs[i].ca_alg != CERTFP_MD5) || (strcmp(macro, "{cert_md5}") != 0 &&
	    strcmp(macro, "{cert_fp}") != 0))
		goto invalid;
	fp->cf_alg = algs[i].ca_alg;
	fp->cf_len = (size_t)n;
	return 0;
invalid:
	memset(fp, 0, sizeof(*fp));
	return -1;
}

/*
 * certfp_match - see certfp.h.
 */
bool
certfp_match(const struct certfp *a, const struct certfp *b)
{
	return a->cf_alg != CERTFP_NONE && a->cf_alg == b->cf_alg &&
	    a->cf_len == b->cf_len && memcmp(a->cf_md, b->cf_md, a->cf_len) == 0;
}

/*
 * certfp_alg_name - see certfp.h.
 */
const char *
certfp_alg_name(enum certfp_alg alg)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].ca_alg == alg)
			return algs[i].ca_name;
	return "none";
}
