/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xtext_test.c - xtext_decode() and xtext_decode_dn(), one TAP test point
 * per table row.  The DN rows are what Sendmail 8.17 sent for the test
 * PKI's certificates (t/lib/pki.sh), and variations.
 */
#include "testlist.h"

#include "xtext.h"

static char huge[64 * 1024 + 1];	/* "+41+41...", filled by main() */

struct xtext_row {
	const char	*label;
	const char	*in;
	size_t		 outlen;	/* 0: 64 */
	const char	*want;		/* NULL: invalid */
	long		 len;
};

static const struct xtext_row rows[] = {
	{ "plain text copied", "/C=DE/CN=mx.example.org", 0,
	    "/C=DE/CN=mx.example.org", 23 },
	{ "empty", "", 0, "", 0 },
	{ "UTF-8 u umlaut", "+C3+BC", 0, "\303\274", 2 },
	{ "lower-case hex", "+c3+bc", 0, "\303\274", 2 },
	{ "mixed-case hex", "+c3+Bc", 0, "\303\274", 2 },
	{ "plus sign", "+2B", 0, "+", 1 },
	{ "equals sign", "a+3Db", 0, "a=b", 3 },
	{ "space", "John+20Doe", 0, "John Doe", 8 },
	{ "escape at the end", "ab+2B", 0, "ab+", 3 },
	{ "0xFF byte", "+FF", 0, "\377", 1 },
	{ "control byte decoded", "a+01b", 0, "a\001b", 3 },
	{ "+00 is a NUL", "a+00b", 0, NULL, -1 },
	{ "bad digit +G1", "+G1", 0, NULL, -1 },
	{ "bad second digit +1G", "+1G", 0, NULL, -1 },
	{ "truncated +4", "+4", 0, NULL, -1 },
	{ "lone +", "+", 0, NULL, -1 },
	{ "+ in the middle", "a+b", 0, NULL, -1 },
	{ "+ then space", "+ 41", 0, NULL, -1 },
	{ "sign is no digit", "+-1", 0, NULL, -1 },
	{ "NULL", NULL, 0, NULL, -1 },
	{ "fits exactly", "abc", 4, "abc", 3 },
	{ "one byte too long", "abcd", 4, NULL, -1 },
	{ "decoded fits exactly", "+41+42+43", 4, "ABC", 3 },
	{ "decoded one too long", "+41+42+43+44", 4, NULL, -1 },
	{ "room for the NUL only", "", 1, "", 0 },
	{ "no room at all", "a", 1, NULL, -1 },
	{ "64 KiB into 64 bytes", huge, 0, NULL, -1 },
};

static void
check_row(const struct xtext_row *r, long (*fn)(const char *, char *, size_t))
{
	char out[80];
	size_t outlen = r->outlen ? r->outlen : 64, i;

	memset(out, 'X', sizeof(out));
	assert_int_equal(fn(r->in, out, outlen), r->len);
	if (r->want != NULL)
		assert_memory_equal(out, r->want, strlen(r->want) + 1);
	else
		assert_string_equal(out, "");
	for (i = outlen; i < sizeof(out); i++)
		assert_int_equal(out[i], 'X');
}

static void
test_row(void **state)
{
	check_row(*state, xtext_decode);
}

static void
test_dn_row(void **state)
{
	check_row(*state, xtext_decode_dn);
}

static const struct xtext_row dn_rows[] = {
	{ "plain DN", "/O=tls-policy-milter+20tests/CN=Test+20Issuing+20CA", 0,
	    "/O=tls-policy-milter tests/CN=Test Issuing CA", 45 },
	{ "measured: escapes in O and CN",
	    "/O=Escapes+20+5C+2B+20Co,+20Ltd.+5C/+5CxC3+5Cx9C/"
	    "CN=Esc,+20CA+20+5C+2B1+5C/+5CxC3+5CxBC", 0,
	    "/O=Escapes + Co, Ltd./\303\234/CN=Esc, CA +1/\303\274", 41 },
	{ "measured: subject with escapes",
	    "/O=Partner,+20Inc.+20+5C+2B+20Co+5C/+5CxC3+5CxBC/"
	    "CN=mx1.partner.test", 0,
	    "/O=Partner, Inc. + Co/\303\274/CN=mx1.partner.test", 44 },
	{ "lower-case \\x hex", "/CN=+5Cxc3+5Cxbc", 0, "/CN=\303\274", 6 },
	{ "\\x with one hex digit stays", "/CN=a+5Cx4", 0, "/CN=a\\x4", 8 },
	{ "\\x with no hex stays", "/CN=a+5CxZZ", 0, "/CN=a\\xZZ", 9 },
	{ "\\x00 is a NUL", "/CN=a+5Cx00b", 0, NULL, -1 },
	{ "other backslash stays", "/CN=a+5Cb", 0, "/CN=a\\b", 7 },
	{ "backslash at the end stays", "/CN=a+5C", 0, "/CN=a\\", 6 },
	{ "OpenSSL leaves a backslash unescaped: \\\\/ reads as \\ and /",
	    "/CN=a+5C+5C/", 0, "/CN=a\\/", 7 },
	{ "unescaped text untouched", "/C=DE/CN=mx", 0, "/C=DE/CN=mx", 11 },
	{ "bad xtext", "/CN=a+G1", 0, NULL, -1 },
	{ "empty", "", 0, "", 0 },
	{ "NULL", NULL, 0, NULL, -1 },
	{ "escaped form fits, decoded shorter", "+5C/+5C/+5C/", 7, "///", 3 },
	{ "escaped form does not fit", "+5C/+5C/+5C/+5C/", 8, NULL, -1 },
};

/* 64 KiB decode into a big enough buffer, and no output buffer at all. */
static void
test_big(void **state)
{
	static char out[sizeof(huge)];
	char c = 'X';

	(void)state;
	assert_int_equal(xtext_decode(huge, out, sizeof(out)),
	    (long)(sizeof(huge) - 1) / 3);
	assert_int_equal(out[0], 'A');
	assert_int_equal(xtext_decode("a", NULL, 10), -1);
	assert_int_equal(xtext_decode("a", &c, 0), -1);
	assert_int_equal(c, 'X');
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;
	size_t i;

	for (i = 0; i + 3 < sizeof(huge); i += 3)
		memcpy(huge + i, "+41", 3);
	TESTLIST_TABLE(&tl, "xtext", test_row, rows, label);
	TESTLIST_TABLE(&tl, "xtext dn", test_dn_row, dn_rows, label);
	testlist_add(&tl, "xtext: 64 KiB, no output buffer", test_big, NULL);
	return testlist_run(&tl, "xtext");
}
