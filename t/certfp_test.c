/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * certfp_test.c - certificate fingerprints: pins as the policy writes
 * them, digests as Sendmail sends them, and their comparison; one TAP
 * test point per table row.
 */
#include "testlist.h"

#include "certfp.h"

#define MD5_SM	"5A:A9:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD"
#define SHA1_SM	MD5_SM ":01:02:03:04"
#define SHA256_SM "F6:D7:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:" \
		"EE:FF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB"
#define H32	"F6D700112233445566778899AABBCCDDEEFF0123456789ABCDEF0123456789AB"

/* ------------------------------------------------------------ pins */

struct pin_row {
	const char	*label;
	const char	*in;
	enum certfp_alg	 alg;		/* CERTFP_NONE: invalid */
	size_t		 len;
	unsigned char	 first, last;
	const char	*why;		/* start of the reason when invalid */
};

static const struct pin_row pin_rows[] = {
	{ "md5 with colons", "md5:" MD5_SM, CERTFP_MD5, 16, 0x5a, 0xdd, NULL },
	{ "MD5 upper-case name", "MD5:" MD5_SM, CERTFP_MD5, 16, 0x5a, 0xdd,
	    NULL },
	{ "sha1", "sha1:" SHA1_SM, CERTFP_SHA1, 20, 0x5a, 0x04, NULL },
	{ "sha256 with colons", "sha256:" SHA256_SM, CERTFP_SHA256, 32, 0xf6,
	    0xab, NULL },
	{ "sha256 without colons, lower case", "Sha256:f6d700112233445566778899"
	    "aabbccddeeff0123456789abcdef0123456789ab", CERTFP_SHA256, 32, 0xf6,
	    0xab, NULL },
	{ "sha384", "sha384:" H32 "00112233445566778899AABBCCDDEEFF",
	    CERTFP_SHA384, 48, 0xf6, 0xff, NULL },
	{ "sha512", "sha512:" H32 H32, CERTFP_SHA512, 64, 0xf6, 0xab, NULL },
	{ "no algorithm", MD5_SM, CERTFP_NONE, 0, 0, 0, "must start" },
	{ "unknown algorithm", "sha224:" H32, CERTFP_NONE, 0, 0, 0,
	    "must start" },
	{ "algorithm only", "md5:", CERTFP_NONE, 0, 0, 0, "is not" },
	{ "algorithm prefix only", "sha", CERTFP_NONE, 0, 0, 0, "must start" },
	{ "empty", "", CERTFP_NONE, 0, 0, 0, "must start" },
	{ "md5 with 17 bytes", "md5:" MD5_SM ":EE", CERTFP_NONE, 0, 0, 0,
	    "has the wrong length" },
	{ "sha256 with md5 length", "sha256:" MD5_SM, CERTFP_NONE, 0, 0, 0,
	    "has the wrong length" },
	{ "odd number of digits", "md5:5A:A90", CERTFP_NONE, 0, 0, 0, "is not" },
	{ "single digits between colons", "md5:5:A", CERTFP_NONE, 0, 0, 0,
	    "is not" },
	{ "trailing colon", "md5:" MD5_SM ":", CERTFP_NONE, 0, 0, 0, "is not" },
	{ "two colons", "md5:5A::A9", CERTFP_NONE, 0, 0, 0, "is not" },
	{ "not hex", "md5:5A:G9", CERTFP_NONE, 0, 0, 0, "is not" },
	{ "space inside", "md5: 5A", CERTFP_NONE, 0, 0, 0, "is not" },
	{ "longer than any digest", "sha512:" H32 H32 "00", CERTFP_NONE, 0, 0,
	    0, "is not" },
};

static void
test_pin(void **state)
{
	const struct pin_row *row = *state;
	const char *why = NULL;
	struct certfp fp;

	memset(&fp, 0xa5, sizeof(fp));
	if (row->alg == CERTFP_NONE) {
		assert_int_equal(certfp_parse_pin(row->in, &fp, &why), -1);
		assert_non_null(why);
		assert_memory_equal(why, row->why, strlen(row->why));
		return;
	}
	assert_int_equal(certfp_parse_pin(row->in, &fp, &why), 0);
	assert_int_equal(fp.cf_alg, row->alg);
	assert_int_equal(fp.cf_len, row->len);
	assert_int_equal(fp.cf_md[0], row->first);
	assert_int_equal(fp.cf_md[row->len - 1], row->last);
}

/* ------------------------------------------------------------ MTA digests */

struct mta_row {
	const char	*label;
	const char	*in, *macro;
	enum certfp_alg	 alg;		/* CERTFP_NONE: invalid */
};

static const struct mta_row mta_rows[] = {
	{ "{cert_md5} as measured", "01:DF:CB:95:50:EA:FC:1A:F4:08:51:DD:4F:"
	    "E0:3C:1D", "{cert_md5}", CERTFP_MD5 },
	{ "{cert_fp} sha256 as measured", "69:85:E9:15:D4:B7:33:A5:D5:9C:4F:9A:"
	    "AC:C4:DD:EA:9D:FC:28:37:32:D6:CA:63:D8:F6:39:8D:14:92:51:07",
	    "{cert_fp}", CERTFP_SHA256 },
	{ "{cert_fp} sha1 (FIPS mode default)", SHA1_SM, "{cert_fp}",
	    CERTFP_SHA1 },
	{ "{cert_fp} of md5 length", MD5_SM, "{cert_fp}", CERTFP_MD5 },
	{ "{cert_md5} of sha256 length", SHA256_SM, "{cert_md5}", CERTFP_NONE },
	{ "lower-case hex", "5a:a9:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd",
	    "{cert_md5}", CERTFP_MD5 },
	{ "empty: no certificate", "", "{cert_md5}", CERTFP_NONE },
	{ "absent", NULL, "{cert_md5}", CERTFP_NONE },
	{ "without colons", "5AA900112233445566778899AABBCCDD", "{cert_md5}",
	    CERTFP_NONE },
	{ "with a prefix", "md5:" MD5_SM, "{cert_md5}", CERTFP_NONE },
	{ "length of no algorithm", MD5_SM ":01", "{cert_fp}", CERTFP_NONE },
	{ "trailing colon", MD5_SM ":", "{cert_md5}", CERTFP_NONE },
	{ "another macro", MD5_SM, "{cert_subject}", CERTFP_NONE },
	{ "no macro name", MD5_SM, NULL, CERTFP_NONE },
};

static void
test_mta(void **state)
{
	const struct mta_row *row = *state;
	struct certfp fp;

	memset(&fp, 0xa5, sizeof(fp));
	assert_int_equal(certfp_parse_mta(row->in, row->macro, &fp),
	    row->alg == CERTFP_NONE ? -1 : 0);
	assert_int_equal(fp.cf_alg, row->alg);
	if (row->alg == CERTFP_NONE)
		assert_int_equal(fp.cf_len, 0);
}

/* ------------------------------------------------------------ matching */

struct match_row {
	const char	*label;
	const char	*pin, *mta, *macro;
	bool		 match;
};

static const struct match_row match_rows[] = {
	{ "md5 pin, {cert_md5}", "md5:" MD5_SM, MD5_SM, "{cert_md5}", true },
	{ "md5 pin without colons, lower case, {cert_md5}",
	    "md5:5aa900112233445566778899aabbccdd", MD5_SM, "{cert_md5}", true },
	{ "sha256 pin, {cert_fp}", "sha256:" SHA256_SM, SHA256_SM, "{cert_fp}",
	    true },
	{ "md5 pin, another md5", "md5:" MD5_SM,
	    "5A:A9:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DE", "{cert_md5}",
	    false },
	{ "sha256 pin, md5 digest", "sha256:" SHA256_SM, MD5_SM, "{cert_md5}",
	    false },
	{ "sha1 pin, sha256 digest starting alike", "sha1:" SHA1_SM,
	    SHA256_SM, "{cert_fp}", false },
	{ "md5 pin, no digest", "md5:" MD5_SM, "", "{cert_md5}", false },
};

static void
test_match(void **state)
{
	const struct match_row *row = *state;
	struct certfp pin, got;
	const char *why;

	assert_int_equal(certfp_parse_pin(row->pin, &pin, &why), 0);
	(void)certfp_parse_mta(row->mta, row->macro, &got);
	assert_int_equal(certfp_match(&pin, &got), row->match);
	assert_int_equal(certfp_match(&got, &pin), row->match);
}

/* Two unknown fingerprints never match each other. */
static void
test_none(void **state)
{
	struct certfp a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_false(certfp_match(&a, &b));
	assert_string_equal(certfp_alg_name(CERTFP_SHA256), "sha256");
	assert_string_equal(certfp_alg_name(CERTFP_NONE), "none");
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	TESTLIST_TABLE(&tl, "pin", test_pin, pin_rows, label);
	TESTLIST_TABLE(&tl, "mta", test_mta, mta_rows, label);
	TESTLIST_TABLE(&tl, "match", test_match, match_rows, label);
	testlist_add(&tl, "unknown never matches", test_none, NULL);
	return testlist_run(&tl, "certfp");
}
