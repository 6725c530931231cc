/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mailaddr_test.c - mailaddr_parse(), addrpat_parse() and addrpat_match(),
 * one TAP test point per table row.
 */
#include "testlist.h"

#include "mailaddr.h"

#define L10	"abcdefghij"
#define L250	L10 L10 L10 L10 L10 L10 L10 L10 L10 L10 \
		L10 L10 L10 L10 L10 L10 L10 L10 L10 L10 \
		L10 L10 L10 L10 L10
#define L255	L250 "abcde"
#define L256	L250 "abcdef"

static char huge_addr[64 * 1024 + 1];	/* "aaaa...@example.org" */
static char huge_domain[64 * 1024 + 1];	/* "<u@a.a.a. ... >" */

struct parse_row {
	const char	*label;
	const char	*arg;
	int		 ret;
	bool		 present, null, valid;
	const char	*local;
	const char	*domain;
};

static const struct parse_row parse_rows[] = {
	{ "plain", "user@example.org", 0, true, false, true, "user",
	    "example.org" },
	{ "angle brackets", "<user@example.org>", 0, true, false, true, "user",
	    "example.org" },
	{ "domain normalised, trailing dot gone", "<a@B.Example.>", 0, true,
	    false, true, "a", "b.example" },
	{ "local part case kept", "<John.Doe@Example.ORG>", 0, true, false, true,
	    "John.Doe", "example.org" },
	{ "U-label domain", "<u@Bücher.example>", 0, true, false, true, "u",
	    "xn--bcher-kva.example" },
	{ "null sender <>", "<>", 0, true, true, false, "", "" },
	{ "null sender as empty macro", "", 0, true, true, false, "", "" },
	{ "no address (NULL)", NULL, -1, false, false, false, "", "" },
	{ "source route dropped", "<@a.example,@b.example:user@example.org>", 0,
	    true, false, true, "user", "example.org" },
	{ "one-hop source route", "<@a.example:user@example.org>", 0, true,
	    false, true, "user", "example.org" },
	{ "source route without colon", "<@a.example>", -1, true, false, false,
	    "", "" },
	{ "source route and nothing", "<@a.example:>", -1, true, false, false,
	    "", "" },
	{ "quoted local part with @", "\"a@b\"@example.org", 0, true, false,
	    true, "\"a@b\"", "example.org" },
	{ "quoted local part with space", "<\"John Doe\"@example.org>", 0, true,
	    false, true, "\"John Doe\"", "example.org" },
	{ "quoted local part with escaped quote", "\"a\\\"b\"@example.org", 0,
	    true, false, true, "\"a\\\"b\"", "example.org" },
	{ "empty quoted local part", "\"\"@example.org", 0, true, false, true,
	    "\"\"", "example.org" },
	{ "unterminated quote", "\"a@example.org", -1, true, false, false,
	    "", "" },
	{ "escape at the end of a quote", "\"a\\\"@example.org", -1, true, false,
	    false, "", "" },
	{ "junk after quote", "\"a\"b@example.org", -1, true, false, false,
	    "", "" },
	{ "control byte in quote", "\"a\001\"@example.org", -1, true, false,
	    false, "", "" },
	{ "no domain", "postmaster", 0, true, false, true, "postmaster", "" },
	{ "no domain in brackets", "<postmaster>", 0, true, false, true,
	    "postmaster", "" },
	{ "empty domain", "user@", -1, true, false, false, "", "" },
	{ "empty local part", "@example.org", -1, true, false, false, "", "" },
	{ "two @", "a@b@example.org", -1, true, false, false, "", "" },
	{ "address literal in canonical form", "<u@[ipv6:2001:DB8:0::1]>", 0,
	    true, false, true, "u", "[IPv6:2001:db8::1]" },
	{ "IPv4 address literal", "u@[192.0.2.7]", 0, true, false, true, "u",
	    "[192.0.2.7]" },
	{ "bad address literal", "u@[192.0.2.7", -1, true, false, false, "", "" },
	{ "address literal with space", "u@[192.0.2. 7]", -1, true, false, false,
	    "", "" },
	{ "empty address literal", "u@[]", -1, true, false, false, "", "" },
	{ "invalid domain", "u@exa_mple.org", -1, true, false, false, "", "" },
	{ "IPv4 as bare domain", "u@192.0.2.7", -1, true, false, false, "", "" },
	{ "space in local part", "a b@example.org", -1, true, false, false,
	    "", "" },
	{ "CR LF injection", "<a@example.org>\r\nRCPT TO:<b@example.org>", -1,
	    true, false, false, "", "" },
	{ "control byte in local part", "a\001@example.org", -1, true, false,
	    false, "", "" },
	{ "open bracket only", "<user@example.org", -1, true, false, false,
	    "", "" },
	{ "close bracket only", "user@example.org>", -1, true, false, false,
	    "", "" },
	{ "lone <", "<", -1, true, false, false, "", "" },
	{ "nested brackets", "<<a@example.org>>", -1, true, false, false,
	    "", "" },
	{ "Sendmail DSN parameters are not ours", "<a@example.org> SIZE=10",
	    -1, true, false, false, "", "" },
	{ "255-octet local part", L255 "@example.org", 0, true, false, true,
	    L255, "example.org" },
	{ "256-octet local part", L256 "@example.org", -1, true, false, false,
	    "", "" },
	{ "8-bit local part kept", "j\303\266rg@example.org", 0, true, false,
	    true, "j\303\266rg", "example.org" },
	{ "64 KiB local part", huge_addr, -1, true, false, false, "", "" },
	{ "64 KiB domain", huge_domain, -1, true, false, false, "", "" },
};

static void
test_parse(void **state)
{
	const struct parse_row *r = *state;
	struct mailaddr a;

	memset(&a, 0x55, sizeof(a));
	assert_int_equal(mailaddr_parse(r->arg, &a), r->ret);
	assert_int_equal(a.ma_present, r->present);
	assert_int_equal(a.ma_null, r->null);
	assert_int_equal(a.ma_valid, r->valid);
	assert_string_equal(a.ma_local, r->local);
	assert_string_equal(a.ma_domain, r->domain);
}

struct pat_row {
	const char		*label;
	const char		*text;
	const char		*why;	/* NULL: parses */
	enum addrpat_kind	 kind;
	const char		*local;
	const char		*domain;
};

static const struct pat_row pat_rows[] = {
	{ "null sender", "<>", NULL, ADDRPAT_NULL, "", "" },
	{ "address", "User@Example.ORG.", NULL, ADDRPAT_ADDRESS, "User",
	    "example.org" },
	{ "quoted address with @", "\"a@b\"@example.org", NULL, ADDRPAT_ADDRESS,
	    "\"a@b\"", "example.org" },
	{ "address at literal", "u@[192.0.2.7]", NULL, ADDRPAT_ADDRESS, "u",
	    "[192.0.2.7]" },
	{ "domain", "Example.ORG", NULL, ADDRPAT_DOMAIN, "", "example.org" },
	{ "U-label domain", "bücher.example", NULL, ADDRPAT_DOMAIN, "",
	    "xn--bcher-kva.example" },
	{ "domain literal", "[192.0.2.7]", NULL, ADDRPAT_DOMAIN, "",
	    "[192.0.2.7]" },
	{ "subdomain", ".Example.org.", NULL, ADDRPAT_SUBDOMAIN, "",
	    ".example.org" },
	{ "empty", "", "empty pattern", ADDRPAT_NULL, "", "" },
	{ "NULL", NULL, "empty pattern", ADDRPAT_NULL, "", "" },
	{ "@ alone", "@", "nothing before the @", ADDRPAT_NULL, "", "" },
	{ "@domain", "@example.org", "nothing before the @", ADDRPAT_NULL,
	    "", "" },
	{ "a@", "a@", "nothing after the @", ADDRPAT_NULL, "", "" },
	{ "..x", "..x", "not a valid domain", ADDRPAT_NULL, "", "" },
	{ "dot alone", ".", "not a valid domain", ADDRPAT_NULL, "", "" },
	{ "space in domain", "exa mple.org", "not a valid domain", ADDRPAT_NULL,
	    "", "" },
	{ "leading space", " example.org", "not a valid domain", ADDRPAT_NULL,
	    "", "" },
	{ "space in local part", "a b@example.org", "not a valid local part",
	    ADDRPAT_NULL, "", "" },
	{ "space after @", "a@ example.org", "not a valid domain", ADDRPAT_NULL,
	    "", "" },
	{ "bad domain after @", "a@exa_mple.org", "not a valid domain",
	    ADDRPAT_NULL, "", "" },
	{ "quoted local part without domain", "\"a b\"",
	    "address pattern without a domain", ADDRPAT_NULL, "", "" },
	{ "address in brackets", "<a@example.org>", "not a valid local part",
	    ADDRPAT_NULL, "", "" },
	{ "wildcard", "*.example.org", "not a valid domain", ADDRPAT_NULL,
	    "", "" },
	{ "IPv4 as domain", "192.0.2.7", "not a valid domain", ADDRPAT_NULL,
	    "", "" },
	{ "64 KiB", huge_addr, "pattern too long", ADDRPAT_NULL, "", "" },
};

static void
test_pat(void **state)
{
	const struct pat_row *r = *state;
	struct addrpat_text buf;
	struct addrpat p;
	const char *why = "unset";

	memset(&p, 0x55, sizeof(p));
	memset(&buf, 0x55, sizeof(buf));
	assert_int_equal(addrpat_parse(r->text, &p, &buf, &why),
	    r->why ? -1 : 0);
	if (r->why != NULL)
		assert_string_equal(why, r->why);
	else
		assert_null(why);
	assert_int_equal(p.ap_kind, r->kind);
	assert_string_equal(p.ap_local, r->local);
	assert_string_equal(p.ap_domain, r->domain);
}

struct match_row {
	const char	*label;
	const char	*pattern;
	const char	*addr;		/* NULL: the MTA gave none */
	int		 want;
};

static const struct match_row match_rows[] = {
	{ "address exact", "user@example.org", "<user@example.org>", 1 },
	{ "address local part case-insensitive", "user@example.org",
	    "<USER@Example.Org>", 1 },
	{ "address pattern case", "USER@EXAMPLE.ORG", "user@example.org", 1 },
	{ "address other local part", "user@example.org", "<other@example.org>",
	    0 },
	{ "address local part prefix", "user@example.org", "<users@example.org>",
	    0 },
	{ "address other domain", "user@example.org", "<user@example.com>", 0 },
	{ "address subdomain", "user@example.org", "<user@a.example.org>", 0 },
	{ "address trailing dot", "user@example.org", "<user@example.org.>", 1 },
	{ "address U-label vs A-label", "u@bücher.example",
	    "<u@xn--bcher-kva.example>", 1 },
	{ "quoted address", "\"a@b\"@example.org", "<\"A@B\"@example.org>", 1 },
	{ "quoted vs unquoted not unified", "\"ab\"@example.org",
	    "<ab@example.org>", 0 },
	{ "address via source route", "user@example.org",
	    "<@relay.example:user@example.org>", 1 },
	{ "address literal", "u@[192.0.2.7]", "<u@[192.0.2.7]>", 1 },
	{ "domain", "example.org", "<anyone@Example.ORG>", 1 },
	{ "domain not subdomain", "example.org", "<anyone@a.example.org>", 0 },
	{ "domain not suffix", "example.org", "<anyone@xexample.org>", 0 },
	{ "domain literal", "[192.0.2.7]", "<u@[192.0.2.7]>", 1 },
	{ "subdomain one level", ".example.org", "<u@a.example.org>", 1 },
	{ "subdomain two levels", ".example.org", "<u@a.b.example.org>", 1 },
	{ "subdomain not the domain", ".example.org", "<u@example.org>", 0 },
	{ "subdomain on a label boundary", ".example.org", "<u@xexample.org>", 0 },
	{ "null pattern, null sender", "<>", "<>", 1 },
	{ "null pattern, empty macro", "<>", "", 1 },
	{ "null pattern, real address", "<>", "<user@example.org>", 0 },
	{ "null pattern, no address", "<>", NULL, 0 },
	{ "null sender vs domain", "example.org", "<>", 0 },
	{ "null sender vs subdomain", ".example.org", "<>", 0 },
	{ "null sender vs address", "user@example.org", "<>", 0 },
	{ "no address vs domain", "example.org", NULL, 0 },
	{ "no address vs subdomain", ".example.org", NULL, 0 },
	{ "no address vs address", "user@example.org", NULL, 0 },
	{ "invalid address vs domain", "example.org", "<a b@example.org>", 0 },
	{ "invalid address vs its local part", "a@example.org",
	    "<a@example.org", 0 },
	{ "domain-less address vs domain", "postmaster", "<postmaster>", 0 },
	{ "domain-less address vs address", "postmaster@example.org",
	    "<postmaster>", 0 },
	{ "64 KiB address vs domain", "example.org", huge_addr, 0 },
};

static void
test_match(void **state)
{
	const struct match_row *r = *state;
	struct addrpat_text buf;
	struct addrpat p;
	struct mailaddr a;

	assert_int_equal(addrpat_parse(r->pattern, &p, &buf, NULL), 0);
	(void)mailaddr_parse(r->addr, &a);
	assert_int_equal(addrpat_match(&p, &a, ""), r->want);
	assert_int_equal(addrpat_match(&p, &a, "+"), r->want);	/* no "+" */
}

/* Address extensions (recipient_delimiter): an address pattern matches
 * the address with its extension removed too, split as Postfix splits. */
struct ext_row {
	const char	*label;
	const char	*delims;
	const char	*pattern;
	const char	*addr;
	int		 want;
};

static const struct ext_row ext_rows[] = {
	{ "no delimiter: extension is part of the name", "", "legal@x.example",
	    "<legal+urgent@x.example>", 0 },
	{ "+: base matches", "+", "legal@x.example",
	    "<legal+urgent@x.example>", 1 },
	{ "+: base in another case", "+", "legal@x.example",
	    "<LEGAL+urgent@X.example>", 1 },
	{ "+: the address itself still matches", "+", "legal@x.example",
	    "<legal@x.example>", 1 },
	{ "+: an empty extension", "+", "legal@x.example",
	    "<legal+@x.example>", 1 },
	{ "+: the first delimiter splits", "+", "legal@x.example",
	    "<legal+a+b@x.example>", 1 },
	{ "+: a pattern with an extension is exact", "+",
	    "legal+urgent@x.example", "<legal+other@x.example>", 0 },
	{ "+: ... and matches itself", "+", "legal+urgent@x.example",
	    "<legal+urgent@x.example>", 1 },
	{ "+: other domain", "+", "legal@x.example",
	    "<legal+urgent@y.example>", 0 },
	{ "+: no split to an empty local part", "+", "@x.example",
	    "<+legal@x.example>", -1 },
	{ "+: a prefix is not a base", "+", "leg@x.example",
	    "<legal+urgent@x.example>", 0 },
	{ "two delimiters, the first found splits", "+-", "legal@x.example",
	    "<legal-urgent+x@x.example>", 1 },
	{ "-: owner- is never split", "-", "owner@x.example",
	    "<owner-list@x.example>", 0 },
	{ "-: -request is never split", "-", "list@x.example",
	    "<list-request@x.example>", 0 },
	{ "+: owner+ is split", "+", "owner@x.example",
	    "<owner+list@x.example>", 1 },
	{ "domain patterns are unaffected", "+", "x.example",
	    "<legal+urgent@x.example>", 1 },
};

static void
test_ext(void **state)
{
	const struct ext_row *r = *state;
	struct addrpat_text buf;
	struct addrpat p;
	struct mailaddr a;

	if (r->want < 0) {	/* not a pattern: only the split is asked */
		assert_int_equal(mailaddr_base("+legal", r->delims), 6);
		return;
	}
	assert_int_equal(addrpat_parse(r->pattern, &p, &buf, NULL), 0);
	(void)mailaddr_parse(r->addr, &a);
	assert_int_equal(addrpat_match(&p, &a, r->delims), r->want);
}

/* mailaddr_base: Postfix's split_addr() (reserved names never split). */
struct base_row {
	const char	*label;
	const char	*local, *delims;
	size_t		 want;
};

static const struct base_row base_rows[] = {
	{ "no delimiter", "a+b", "", 3 },
	{ "split", "a+b", "+", 1 },
	{ "nothing to split", "ab", "+", 2 },
	{ "delimiter first", "+ab", "+", 3 },
	{ "postmaster", "postmaster", "a", 10 },
	{ "Mailer-Daemon", "Mailer-Daemon", "-", 13 },
	{ "double-bounce", "double-bounce", "-", 13 },
	{ "owner- with -", "owner-x", "-", 7 },
	{ "owner- with + and -", "owner-x+y", "+-", 9 },
	{ "x-request", "x-request", "-", 9 },
	{ "-request alone: delimiter first, not split", "-request", "-", 8 },
	{ "x-request with +", "x-request+y", "+", 9 },
};

static void
test_base(void **state)
{
	const struct base_row *r = *state;

	assert_int_equal(mailaddr_base(r->local, r->delims), r->want);
}

/* NULL arguments match nothing. */
static void
test_match_null(void **state)
{
	struct addrpat_text buf;
	struct addrpat p;
	struct mailaddr a;

	(void)state;
	assert_int_equal(addrpat_parse("<>", &p, &buf, NULL), 0);
	assert_int_equal(mailaddr_parse("<>", &a), 0);
	assert_int_equal(addrpat_match(&p, &a, ""), 1);
	assert_int_equal(addrpat_match(NULL, &a, ""), 0);
	assert_int_equal(addrpat_match(&p, NULL, ""), 0);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;
	size_t i, n = sizeof(huge_domain) - 1;

	memset(huge_addr, 'a', sizeof(huge_addr) - 1);
	memcpy(huge_addr + sizeof(huge_addr) - 1 - 12, "@example.org", 12);
	memcpy(huge_domain, "<u@", 3);
	for (i = 3; i < n - 1; i++)
		huge_domain[i] = (i % 2) ? 'a' : '.';
	huge_domain[n - 1] = '>';
	TESTLIST_TABLE(&tl, "mailaddr_parse", test_parse, parse_rows, label);
	TESTLIST_TABLE(&tl, "addrpat_parse", test_pat, pat_rows, label);
	TESTLIST_TABLE(&tl, "addrpat_match", test_match, match_rows, label);
	testlist_add(&tl, "addrpat_match: NULL arguments", test_match_null, NULL);
	TESTLIST_TABLE(&tl, "addrpat_match with recipient_delimiter", test_ext,
	    ext_rows, label);
	TESTLIST_TABLE(&tl, "mailaddr_base", test_base, base_rows, label);
	return testlist_run(&tl, "mailaddr");
}
