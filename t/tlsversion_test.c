/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tlsversion_test.c - tlsversion_parse() and tlsversion_name(), one TAP
 * test point per table row.
 */
#include <ctype.h>

#include "testlist.h"

#include "tlsversion.h"

static char huge[64 * 1024 + 1];	/* "TLSv1.2TLSv1.2...", filled by main() */

struct parse_row {
	const char	*label;
	const char	*text;
	enum tlsversion	 want;
};

static const struct parse_row parse_rows[] = {
	/* OpenSSL spellings, as Postfix and Sendmail send them */
	{ "SSLv3", "SSLv3", TLSVERSION_SSL3 },
	{ "TLSv1", "TLSv1", TLSVERSION_TLS1_0 },
	{ "TLSv1.1", "TLSv1.1", TLSVERSION_TLS1_1 },
	{ "TLSv1.2", "TLSv1.2", TLSVERSION_TLS1_2 },
	{ "TLSv1.3", "TLSv1.3", TLSVERSION_TLS1_3 },
	{ "tlsv1.2 lower case", "tlsv1.2", TLSVERSION_TLS1_2 },
	{ "TLSV1.3 upper case", "TLSV1.3", TLSVERSION_TLS1_3 },
	{ "tlsv1 lower case", "tlsv1", TLSVERSION_TLS1_0 },
	{ "sslv3 lower case", "sslv3", TLSVERSION_SSL3 },
	/* GnuTLS spellings */
	{ "SSL3.0", "SSL3.0", TLSVERSION_SSL3 },
	{ "TLS1.0", "TLS1.0", TLSVERSION_TLS1_0 },
	{ "TLS1.1", "TLS1.1", TLSVERSION_TLS1_1 },
	{ "TLS1.2", "TLS1.2", TLSVERSION_TLS1_2 },
	{ "TLS1.3", "TLS1.3", TLSVERSION_TLS1_3 },
	{ "tls1.2 lower case", "tls1.2", TLSVERSION_TLS1_2 },
	{ "Tls1.3 mixed case", "Tls1.3", TLSVERSION_TLS1_3 },
	{ "ssl3.0 lower case", "ssl3.0", TLSVERSION_SSL3 },
	/* unknown */
	{ "TLSv1.4", "TLSv1.4", TLSVERSION_UNKNOWN },
	{ "TLS1.4", "TLS1.4", TLSVERSION_UNKNOWN },
	{ "TLSv1.0 is neither spelling", "TLSv1.0", TLSVERSION_UNKNOWN },
	{ "TLS1 is neither spelling", "TLS1", TLSVERSION_UNKNOWN },
	{ "SSL3 is neither spelling", "SSL3", TLSVERSION_UNKNOWN },
	{ "SSLv2", "SSLv2", TLSVERSION_UNKNOWN },
	{ "DTLS1.0", "DTLS1.0", TLSVERSION_UNKNOWN },
	{ "DTLS1.2", "DTLS1.2", TLSVERSION_UNKNOWN },
	{ "DTLS0.9", "DTLS0.9", TLSVERSION_UNKNOWN },
	{ "DTLSv1.2 (OpenSSL)", "DTLSv1.2", TLSVERSION_UNKNOWN },
	{ "empty", "", TLSVERSION_UNKNOWN },
	{ "NULL", NULL, TLSVERSION_UNKNOWN },
	{ "trailing space", "TLSv1.2 ", TLSVERSION_UNKNOWN },
	{ "leading space", " TLSv1.2", TLSVERSION_UNKNOWN },
	{ "trailing NUL-like garbage", "TLSv1.2\001", TLSVERSION_UNKNOWN },
	{ "unknown (Sendmail)", "unknown", TLSVERSION_UNKNOWN },
	{ "cipher name", "ECDHE-RSA-AES256-GCM-SHA384", TLSVERSION_UNKNOWN },
	{ "8-bit bytes", "TLS\3031.2", TLSVERSION_UNKNOWN },
	{ "64 KiB", huge, TLSVERSION_UNKNOWN },
};

static void
test_parse(void **state)
{
	const struct parse_row *r = *state;

	assert_int_equal(tlsversion_parse(r->text), r->want);
}

struct name_row {
	const char	*label;
	enum tlsversion	 v;
	const char	*want;
};

static const struct name_row name_rows[] = {
	{ "SSL3", TLSVERSION_SSL3, "SSLv3" },
	{ "TLS1_0", TLSVERSION_TLS1_0, "TLSv1" },
	{ "TLS1_1", TLSVERSION_TLS1_1, "TLSv1.1" },
	{ "TLS1_2", TLSVERSION_TLS1_2, "TLSv1.2" },
	{ "TLS1_3", TLSVERSION_TLS1_3, "TLSv1.3" },
	{ "UNKNOWN", TLSVERSION_UNKNOWN, "unknown" },
	{ "out of range", (enum tlsversion)99, "unknown" },
};

/* A name, and its round trip through tlsversion_parse(). */
static void
test_name(void **state)
{
	const struct name_row *r = *state;

	char lower[16];
	size_t i;

	assert_string_equal(tlsversion_name(r->v), r->want);
	if (r->v >= TLSVERSION_SSL3 && r->v <= TLSVERSION_TLS1_3) {
		assert_int_equal(tlsversion_parse(tlsversion_name(r->v)), r->v);
		/* the exact spelling is known at once; in another case
		 * GnuTLS decides: both agree */
		for (i = 0; r->want[i] != '\0' && i < sizeof(lower) - 1; i++)
			lower[i] = (char)tolower((unsigned char)r->want[i]);
		lower[i] = '\0';
		assert_int_equal(tlsversion_parse(lower), r->v);
	} else
		assert_int_equal(tlsversion_parse(tlsversion_name(r->v)),
		    TLSVERSION_UNKNOWN);
}

struct order_row {
	const char	*label;
	const char	*lower;
	const char	*higher;
};

static const struct order_row order_rows[] = {
	{ "unknown < SSLv3", "DTLS1.2", "SSLv3" },
	{ "SSLv3 < TLSv1", "SSLv3", "TLSv1" },
	{ "TLSv1 < TLSv1.1", "TLSv1", "TLSv1.1" },
	{ "TLSv1.1 < TLSv1.2", "TLSv1.1", "TLSv1.2" },
	{ "TLSv1.2 < TLSv1.3", "TLSv1.2", "TLSv1.3" },
	{ "TLS1.0 < TLSv1.3 across spellings", "TLS1.0", "TLSv1.3" },
};

static void
test_order(void **state)
{
	const struct order_row *r = *state;

	assert_true(tlsversion_parse(r->lower) < tlsversion_parse(r->higher));
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;
	size_t i;

	for (i = 0; i + 1 < sizeof(huge); i++)
		huge[i] = "TLSv1.2"[i % 7];
	TESTLIST_TABLE(&tl, "parse", test_parse, parse_rows, label);
	TESTLIST_TABLE(&tl, "name", test_name, name_rows, label);
	TESTLIST_TABLE(&tl, "order", test_order, order_rows, label);
	return testlist_run(&tl, "tlsversion");
}
