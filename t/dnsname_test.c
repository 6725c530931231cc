/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnsname_test.c - dnsname_normalize() and dnsname_match(), one TAP test
 * point per table row.
 */
#include "testlist.h"

#include <sys/mman.h>
#include <unistd.h>

#include "dnsname.h"

/* Long labels and names, built from literals. */
#define L10	"abcdefghij"
#define L60	L10 L10 L10 L10 L10 L10
#define L63	L60 "abc"
#define L64	L60 "abcd"
#define N253	L63 "." L63 "." L63 "." L60 "a"	/* 253 octets */
#define N254	L63 "." L63 "." L63 "." L60 "ab"	/* 254 octets */
#define N300	L63 "." L63 "." L63 "." L63 "." L10 L10 L10 L10 "abcd"
#define W253	"*." L63 "." L63 "." L63 "." L10 L10 L10 L10 L10 "abcdefghi"

/* Hostile inputs filled in by main(). */
static char huge_name[64 * 1024 + 1];	/* "a.a.a. ... " */
static char huge_8bit[64 * 1024 + 1];	/* 0xff bytes */

struct norm_row {
	const char	*label;
	const char	*in;
	unsigned	 flags;
	size_t		 outlen;	/* 0: DNSNAME_BUFSIZE */
	const char	*want;		/* NULL: rejected */
};

#define W DNSNAME_WILDCARD
#define D DNSNAME_DOTPREFIX

static const struct norm_row norm_rows[] = {
	/* plain names */
	{ "lower-cased", "Mx.Example.ORG", 0, 0, "mx.example.org" },
	{ "already normal", "mx.example.org", 0, 0, "mx.example.org" },
	{ "one trailing dot goes", "mx.example.org.", 0, 0, "mx.example.org" },
	{ "two trailing dots", "mx.example.org..", 0, 0, NULL },
	{ "single label is a name", "localhost", 0, 0, "localhost" },
	{ "placeholder CN is a single label", "BadCertificateContainsNUL", 0, 0,
	    "badcertificatecontainsnul" },
	{ "digits and hyphens", "a-1.0-b.example", 0, 0, "a-1.0-b.example" },
	{ "double hyphen inside", "a--b.example", 0, 0, "a--b.example" },
	{ "numeric first label", "123.example", 0, 0, "123.example" },
	{ "top label with a letter", "1.2.3.4a", 0, 0, "1.2.3.4a" },
	/* rejections */
	{ "NULL", NULL, 0, 0, NULL },
	{ "empty", "", 0, 0, NULL },
	{ "dot alone", ".", 0, 0, NULL },
	{ "empty label a..b", "a..b", 0, 0, NULL },
	{ "leading dot without flag", ".example.org", 0, 0, NULL },
	{ "leading hyphen", "-a.example", 0, 0, NULL },
	{ "trailing hyphen", "a-.example", 0, 0, NULL },
	{ "hyphen label", "-.example", 0, 0, NULL },
	{ "underscore", "_dmarc.example.org", 0, 0, NULL },
	{ "space", "a b.example", 0, 0, NULL },
	{ "trailing space", "example.org ", 0, 0, NULL },
	{ "tab", "a\tb.example", 0, 0, NULL },
	{ "CR LF", "example.org\r\nX", 0, 0, NULL },
	{ "control byte", "a\001.example", 0, 0, NULL },
	{ "DEL", "a\177.example", 0, 0, NULL },
	{ "escape sequence", "\033[31mred.example", 0, 0, NULL },
	{ "at sign", "user@example.org", 0, 0, NULL },
	{ "slash", "a/b.example", 0, 0, NULL },
	{ "IPv4 literal", "192.0.2.7", 0, 0, NULL },
	{ "IPv4 literal trailing dot", "192.0.2.7.", 0, 0, NULL },
	{ "bracketed IPv4", "[192.0.2.7]", 0, 0, NULL },
	{ "IPv6 literal", "2001:db8::1", 0, 0, NULL },
	{ "all-digit single label", "123", 0, 0, NULL },
	{ "all-digit top label", "a.123", 0, 0, NULL },
	{ "asterisk without flag", "*.example.org", 0, 0, NULL },
	/* lengths */
	{ "63-octet label", L63 ".example", 0, 0, L63 ".example" },
	{ "64-octet label", L64 ".example", 0, 0, NULL },
	{ "253 octets", N253, 0, 0, N253 },
	{ "253 octets and a trailing dot", N253 ".", 0, 0, N253 },
	{ "254 octets", N254, 0, 0, NULL },
	{ "300 octets", N300, 0, 0, NULL },
	{ "64 KiB of labels", huge_name, 0, 0, NULL },
	{ "64 KiB of 0xff", huge_8bit, 0, 0, NULL },
	/* output buffer */
	{ "output buffer exactly big enough", "example.org", 0, 12, "example.org" },
	{ "output buffer one short", "example.org", 0, 11, NULL },
	{ "output buffer of one byte", "a.example", 0, 1, NULL },
	/* IDNA */
	{ "U-label to A-label", "bücher.example", 0, 0, "xn--bcher-kva.example" },
	{ "upper-case U-label", "BÜCHER.Example", 0, 0, "xn--bcher-kva.example" },
	{ "A-label lower-cased", "XN--BCHER-KVA.example", 0, 0,
	    "xn--bcher-kva.example" },
	{ "U-label top label", "example.bücher", 0, 0, "example.xn--bcher-kva" },
	{ "sharp s kept (non-transitional)", "faß.de", 0, 0, "xn--fa-hia.de" },
	{ "mixed U-label with upper ASCII", "Aü.example", 0, 0, "xn--a-eha.example" },
	{ "invalid UTF-8 byte", "\377.example", 0, 0, NULL },
	{ "truncated UTF-8", "b\303.example", 0, 0, NULL },
	{ "overlong UTF-8 dot", "a\300\256b.example", 0, 0, NULL },
	{ "UTF-16 surrogate", "\355\240\200.example", 0, 0, NULL },
	{ "U-label with trailing hyphen", "ü-.example", 0, 0, NULL },
	{ "U-label with underscore (GnuTLS drops it)", "ü_x.example", 0, 0, NULL },
	{ "U-label with asterisk (GnuTLS drops it)", "ü*.example", 0, 0, NULL },
	{ "U-label with space (GnuTLS encodes it)", "a bü.example", 0, 0, NULL },
	{ "U-label with control byte", "ü\001.example", 0, 0, NULL },
	{ "fullwidth letters map to ASCII", "ＡＢＣ.example", 0, 0, NULL },
	{ "ligature maps to ASCII", "ﬁ.example", 0, 0, NULL },
	{ "fullwidth word maps to ASCII", "ｅｘａｍｐｌｅ.com", 0, 0, NULL },
	{ "Kelvin sign maps to ASCII k", "\342\204\252elvin.example", 0, 0, NULL },
	{ "ideographic full stop", "a。b.example", 0, 0, NULL },
	{ "fullwidth full stop", "a．b.example", 0, 0, NULL },
	{ "soft hyphen label maps to nothing", "\302\255.example", 0, 0, NULL },
	{ "zero-width space label", "\342\200\213.example", 0, 0, NULL },
	{ "zero-width space cannot fake a dot prefix", "\342\200\213.example",
	    D, 0, NULL },
	{ "U-label too long", "üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü"
	    ".example", 0, 0, NULL },
	/* DNSNAME_WILDCARD */
	{ "wildcard", "*.example.org", W, 0, "*.example.org" },
	{ "wildcard lower-cased, dot gone", "*.Example.ORG.", W, 0, "*.example.org" },
	{ "wildcard over U-labels", "*.bücher.example", W, 0,
	    "*.xn--bcher-kva.example" },
	{ "wildcard needs two labels after it", "*.com", W, 0, NULL },
	{ "wildcard alone", "*", W, 0, NULL },
	{ "wildcard and dot", "*.", W, 0, NULL },
	{ "wildcard not left-most", "www.*.example.org", W, 0, NULL },
	{ "two wildcards", "*.*.example.org", W, 0, NULL },
	{ "partial wildcard f*", "f*.example.org", W, 0, NULL },
	{ "partial wildcard *oo", "*oo.example.org", W, 0, NULL },
	{ "double asterisk", "**.example.org", W, 0, NULL },
	{ "wildcard over an IPv4 literal", "*.0.2.7", W, 0, NULL },
	{ "wildcard name of 253 octets", W253, W, 0, W253 },
	{ "wildcard name of 254 octets", W253 "a", W, 0, NULL },
	{ "dot prefix with the wildcard flag only", ".example.org", W, 0, NULL },
	/* DNSNAME_DOTPREFIX */
	{ "dot prefix", ".Example.ORG", D, 0, ".example.org" },
	{ "dot prefix and trailing dot", ".example.org.", D, 0, ".example.org" },
	{ "dot prefix over one label", ".com", D, 0, ".com" },
	{ "dot prefix over U-label", ".bücher.example", D, 0,
	    ".xn--bcher-kva.example" },
	{ "no dot prefix with the flag", "example.org", D, 0, "example.org" },
	{ "two leading dots", "..example.org", D, 0, NULL },
	{ "dot prefix alone", ".", D, 0, NULL },
	{ "two dots alone", "..", D, 0, NULL },
	{ "dot prefix over IPv4 tail", ".0.2.7", D, 0, NULL },
	{ "wildcard with the dot-prefix flag only", "*.example.org", D, 0, NULL },
	{ "dot prefix and wildcard together", ".*.example.org", D | W, 0, NULL },
	{ "either form with both flags: dot", ".example.org", D | W, 0,
	    ".example.org" },
	{ "either form with both flags: wildcard", "*.example.org", D | W, 0,
	    "*.example.org" },
	{ "dot prefix and 253 octets", "." N253, D, 0, "." N253 },
	{ "dot prefix and 254 octets", "." N254, D, 0, NULL },
};

/* One normalisation row: result, output, idempotence, bytes past outlen. */
static void
test_norm(void **state)
{
	const struct norm_row *r = *state;
	char out[DNSNAME_BUFSIZE + 16], again[DNSNAME_BUFSIZE];
	size_t outlen = r->outlen ? r->outlen : DNSNAME_BUFSIZE, i;
	int rc;

	memset(out, 'X', sizeof(out));
	rc = dnsname_normalize(r->in, out, outlen, r->flags);
	if (r->want == NULL) {
		assert_int_equal(rc, -1);
		assert_string_equal(out, "");
	} else {
		assert_int_equal(rc, 0);
		assert_string_equal(out, r->want);
		assert_int_equal(dnsname_normalize(out, again, sizeof(again),
		    r->flags), 0);
		assert_string_equal(again, out);
	}
	for (i = outlen; i < sizeof(out); i++)
		assert_int_equal(out[i], 'X');
}

struct match_row {
	const char	*label;
	const char	*pattern;
	const char	*name;
	int		 want;
};

static const struct match_row match_rows[] = {
	{ "exact", "example.org", "example.org", 1 },
	{ "exact does not cover a subdomain", "example.org", "a.example.org", 0 },
	{ "exact is not a suffix", "example.org", "xexample.org", 0 },
	{ "exact other name", "example.org", "example.com", 0 },
	{ "exact is not a prefix", "example.org", "example.org.uk", 0 },
	{ "subdomain one level", ".example.org", "a.example.org", 1 },
	{ "subdomain two levels", ".example.org", "a.b.example.org", 1 },
	{ "subdomain not the domain itself", ".example.org", "example.org", 0 },
	{ "subdomain on a label boundary", ".example.org", "xexample.org", 0 },
	{ "subdomain other domain", ".example.org", "a.example.com", 0 },
	{ "pattern as name", ".example.org", ".example.org", 0 },
	{ "pattern-like name", ".example.org", ".a.example.org", 0 },
	{ "dot pattern", ".", "a.", 0 },
	{ "empty pattern", "", "example.org", 0 },
	{ "empty name", "example.org", "", 0 },
	{ "both empty", "", "", 0 },
	{ "NULL pattern", NULL, "example.org", 0 },
	{ "NULL name", "example.org", NULL, 0 },
	{ "case is not folded here", "example.org", "Example.org", 0 },
};

static void
test_match(void **state)
{
	const struct match_row *r = *state;

	assert_int_equal(dnsname_match(r->pattern, r->name), r->want);
}

/*
 * An input with no NUL in its first 1024 bytes, ending at a page that
 * cannot be read: dnsname_normalize() must refuse it without touching
 * the next page.
 */
static void
test_guard_page(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map, *in, out[DNSNAME_BUFSIZE];

	(void)state;
	assert_true(page >= 2048);
	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	in = map + page - 1024;
	memset(in, 'a', 1024);
	assert_int_equal(dnsname_normalize(in, out, sizeof(out), 0), -1);
	assert_string_equal(out, "");
	memset(in, 'a', 1024);
	in[1023] = '\0';	/* 1023 octets: read to the NUL, too long */
	assert_int_equal(dnsname_normalize(in, out, sizeof(out), 0), -1);
	assert_int_equal(munmap(map, (size_t)page * 2), 0);
}

/* A NULL or empty output buffer is refused without being written. */
static void
test_no_output(void **state)
{
	char out = 'X';

	(void)state;
	assert_int_equal(dnsname_normalize("example.org", NULL, 10, 0), -1);
	assert_int_equal(dnsname_normalize("example.org", &out, 0, 0), -1);
	assert_int_equal(out, 'X');
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;
	size_t i;

	for (i = 0; i + 1 < sizeof(huge_name); i++)
		huge_name[i] = (i % 2) ? '.' : 'a';
	memset(huge_8bit, 0xff, sizeof(huge_8bit) - 1);
	TESTLIST_TABLE(&tl, "normalize", test_norm, norm_rows, label);
	TESTLIST_TABLE(&tl, "match", test_match, match_rows, label);
	testlist_add(&tl, "normalize: input ending at an unreadable page",
	    test_guard_page, NULL);
	testlist_add(&tl, "normalize: no output buffer", test_no_output, NULL);
	return testlist_run(&tl, "dnsname");
}
