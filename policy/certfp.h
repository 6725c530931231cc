/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * certfp.h - certificate fingerprints: the pins a policy names
 * ("sha256:F6:D7:...") and the digests an MTA hands over (Sendmail's
 * {cert_md5} and {cert_fp}: upper-case hex pairs joined by ":").
 */
#ifndef CERTFP_H
#define CERTFP_H

#include <stdbool.h>
#include <stddef.h>

#define CERTFP_MAX 64		/* the longest digest: SHA-512 */

/* The digest algorithms, told apart by their length. */
enum certfp_alg {
	CERTFP_NONE = 0,
	CERTFP_MD5,		/* 16 bytes */
	CERTFP_SHA1,		/* 20 */
	CERTFP_SHA256,		/* 32 */
	CERTFP_SHA384,		/* 48 */
	CERTFP_SHA512		/* 64 */
};

struct certfp {
	enum certfp_alg	cf_alg;		/* CERTFP_NONE: none known */
	size_t		cf_len;
	unsigned char	cf_md[CERTFP_MAX];
};

/*
 * certfp_parse_pin - a policy pin "ALG:HEX": ALG one of md5, sha1,
 * sha256, sha384, sha512 (any case), HEX the digest as hex pairs, either
 * case, with or without ":" between pairs, exactly as long as ALG's.
 * Returns 0 and fills *fp, or -1 and sets *why (a static phrase).
 */
int certfp_parse_pin(const char *text, struct certfp *fp, const char **why);

/*
 * certfp_parse_mta - a digest as Sendmail writes it: hex pairs joined by
 * ":" ("5A:A9:..."), 16, 20, 32, 48 or 64 bytes long.  macro says which
 * macro it came from: "{cert_md5}" is MD5 whatever its length says (so
 * a value of another length is invalid); "{cert_fp}" carries Sendmail's
 * CertFingerprintAlgorithm, taken from the length.  Returns 0 and fills
 * *fp, or -1 (*fp is then CERTFP_NONE) for anything else, "" included.
 */
int certfp_parse_mta(const char *text, const char *macro, struct certfp *fp);

/* certfp_match - same algorithm and same digest? */
bool certfp_match(const struct certfp *a, const struct certfp *b);

/* certfp_alg_name - "md5", "sha1", "sha256", ...; "none". */
const char *certfp_alg_name(enum certfp_alg alg);

#endif
