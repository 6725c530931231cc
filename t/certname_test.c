/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * certname_test.c - certname_match() against RFC 9525 section 6.3 and
 * RFC 6125 examples, and against bogus certificate names that must never
 * match.  Each row is tried twice: with both names normalised the way the
 * header prescribes (an invalid name becoming ""), and raw.
 */
#include "testlist.h"

#include "certname.h"
#include "dnsname.h"

#define L10	"abcdefghij"
#define L60	L10 L10 L10 L10 L10 L10
#define L63	L60 "abc"
#define L64	L60 "abcd"
#define N300	L63 "." L63 "." L63 "." L63 "." L10 L10 L10 L10 "abcd"

static char huge[64 * 1024 + 1];	/* "a.a.a. ... ", filled by main() */

struct certname_row {
	const char	*label;
	const char	*presented;
	const char	*reference;
	int		 want;
};

static const struct certname_row rows[] = {
	/* exact names */
	{ "exact match", "foo.example.com", "foo.example.com", 1 },
	{ "other host", "foo.example.com", "bar.example.com", 0 },
	{ "parent domain", "foo.example.com", "example.com", 0 },
	{ "subdomain of reference", "a.foo.example.com", "foo.example.com", 0 },
	{ "suffix but not on a label boundary", "xfoo.example.com",
	    "foo.example.com", 0 },
	{ "reference is a prefix", "foo.example.com.evil.org",
	    "foo.example.com", 0 },
	/* RFC 9525 / RFC 6125 wildcard examples */
	{ "*.example.com vs foo.example.com", "*.example.com",
	    "foo.example.com", 1 },
	{ "*.example.com vs bar.foo.example.com", "*.example.com",
	    "bar.foo.example.com", 0 },
	{ "*.example.com vs example.com", "*.example.com", "example.com", 0 },
	{ "*.example.com vs foo.example.com.evil.org", "*.example.com",
	    "foo.example.com.evil.org", 0 },
	{ "*.example.com vs fooexample.com", "*.example.com", "fooexample.com", 0 },
	{ "f*.example.com never matches", "f*.example.com", "foo.example.com", 0 },
	{ "*oo.example.com never matches", "*oo.example.com", "foo.example.com", 0 },
	{ "f*o.example.com never matches", "f*o.example.com", "foo.example.com", 0 },
	{ "www.*.example.com never matches", "www.*.example.com",
	    "www.foo.example.com", 0 },
	{ "*.*.example.com never matches", "*.*.example.com",
	    "a.b.example.com", 0 },
	{ "**.example.com never matches", "**.example.com", "a.example.com", 0 },
	{ "*.com is invalid", "*.com", "example.com", 0 },
	{ "* alone is invalid", "*", "example.com", 0 },
	{ "* vs *", "*", "*", 0 },
	{ "wildcard in the reference is invalid", "foo.example.com",
	    "*.example.com", 0 },
	{ "wildcard on both sides", "*.example.com", "*.example.com", 0 },
	{ "wildcard over an IPv4 tail", "*.0.2.7", "192.0.2.7", 0 },
	/* case and trailing dots */
	{ "upper-case presented", "FOO.Example.COM", "foo.example.com", 1 },
	{ "upper-case reference", "foo.example.com", "FOO.EXAMPLE.COM", 1 },
	{ "upper-case wildcard both sides", "*.EXAMPLE.com", "Foo.example.COM", 1 },
	{ "trailing dot presented", "foo.example.com.", "foo.example.com", 1 },
	{ "trailing dot reference", "foo.example.com", "foo.example.com.", 1 },
	{ "trailing dot both", "foo.example.com.", "foo.example.com.", 1 },
	{ "trailing dot wildcard", "*.example.com.", "foo.example.com", 1 },
	{ "two trailing dots", "foo.example.com..", "foo.example.com", 0 },
	/* IDNA */
	{ "U-label presented, A-label reference", "bücher.example",
	    "xn--bcher-kva.example", 1 },
	{ "A-label presented, U-label reference", "xn--bcher-kva.example",
	    "bücher.example", 1 },
	{ "upper-case A-label vs upper-case U-label", "XN--BCHER-KVA.example",
	    "BÜCHER.example", 1 },
	{ "wildcard over U-label domain", "*.bücher.example",
	    "www.xn--bcher-kva.example", 1 },
	{ "wildcard stands for an A-label", "*.example.org",
	    "bücher.example.org", 1 },
	{ "no folding of ü to u", "bucher.example", "bücher.example", 0 },
	{ "GnuTLS drops the asterisk of ü*", "ü*.example.com", "ü.example.com", 0 },
	{ "GnuTLS drops the underscore of ü_x", "ü_x.example.com",
	    "xn--x-dha.example.com", 0 },
	{ "fullwidth look-alike", "ｍｘ.example.com", "mx.example.com", 0 },
	{ "fullwidth look-alike label", "ｅｘａｍｐｌｅ.com", "example.com", 0 },
	{ "fullwidth look-alike reference", "example.com", "ｅｘａｍｐｌｅ.com", 0 },
	{ "ideographic full stop", "mx。example.com", "mx.example.com", 0 },
	{ "invalid UTF-8", "\377.example.com", "\377.example.com", 0 },
	/* bogus common names */
	{ "space inside", "foo example.com", "foo example.com", 0 },
	{ "trailing space", "foo.example.com ", "foo.example.com", 0 },
	{ "leading space", " foo.example.com", "foo.example.com", 0 },
	{ "control byte", "foo\001.example.com", "foo.example.com", 0 },
	{ "CR LF", "foo.example.com\r\n", "foo.example.com", 0 },
	{ "tab", "foo.example.com\t", "foo.example.com", 0 },
	{ "BadCertificateContainsNUL vs a normal name",
	    "BadCertificateContainsNUL", "foo.example.com", 0 },
	{ "BadCertificateContainsNUL vs itself: placeholders never match",
	    "BadCertificateContainsNUL", "badcertificatecontainsnul", 0 },
	{ "badcertificateunknown (any case) vs itself",
	    "badcertificateunknown", "BADCERTIFICATEUNKNOWN", 0 },
	{ "a placeholder's word as a first label is just a label",
	    "BadCertificateTooLong.example.org", ".example.org", 1 },
	{ "BadCertificateContainsNUL vs a subdomain reference",
	    "BadCertificateContainsNUL", ".example.com", 0 },
	{ "BadCertificateTooLong vs itself", "BadCertificateTooLong",
	    "BadCertificateTooLong", 0 },
	{ "single-label host vs itself", "localhost", "localhost", 1 },
	{ "single-label host, case and trailing dot", "MailHub.", "mailhub", 1 },
	{ "single-label host vs another", "mailhub", "mailhub2", 0 },
	{ "single-label host vs a subdomain reference", "mailhub", ".lan", 0 },
	{ "host below a single-label domain", "mailhub.lan", ".lan", 1 },
	{ "wildcard over a single label", "*.lan", "mailhub.lan", 0 },
	{ "IPv4 literal vs itself", "192.0.2.7", "192.0.2.7", 0 },
	{ "bracketed IPv4 literal", "[192.0.2.7]", "192.0.2.7", 0 },
	{ "IPv6 literal vs itself", "2001:db8::1", "2001:db8::1", 0 },
	{ "email address as CN", "user@example.com", "example.com", 0 },
	{ "empty presented", "", "example.com", 0 },
	{ "empty reference", "example.com", "", 0 },
	{ "both empty", "", "", 0 },
	{ "NULL presented", NULL, "example.com", 0 },
	{ "NULL reference", "example.com", NULL, 0 },
	{ "300-octet name vs itself", N300, N300, 0 },
	{ "64 KiB name vs itself", huge, huge, 0 },
	{ "64-octet label vs itself", L64 ".example.com", L64 ".example.com", 0 },
	{ "63-octet label vs itself", L63 ".example.com", L63 ".example.com", 1 },
	{ "underscore label vs itself", "_dmarc.example.com",
	    "_dmarc.example.com", 0 },
	{ "underscore inside vs itself", "a_b.example.com", "a_b.example.com", 0 },
	{ "leading hyphen vs itself", "-a.example.com", "-a.example.com", 0 },
	/* the ".example.org" reference: any host strictly below */
	{ ".example.org vs example.org", "example.org", ".example.org", 0 },
	{ ".example.org vs a.example.org", "a.example.org", ".example.org", 1 },
	{ ".example.org vs a.b.example.org", "a.b.example.org", ".example.org", 1 },
	{ ".example.org vs *.example.org", "*.example.org", ".example.org", 1 },
	{ ".example.org vs *.a.example.org", "*.a.example.org", ".example.org", 1 },
	{ ".example.org vs xexample.org", "xexample.org", ".example.org", 0 },
	{ ".example.org vs a.example.org.evil", "a.example.org.evil",
	    ".example.org", 0 },
	{ ".a.example.org vs *.example.org", "*.example.org", ".a.example.org", 0 },
	{ ".Example.ORG. vs a.example.org", "a.example.org", ".Example.ORG.", 1 },
	{ ".bücher.example vs www.xn--bcher-kva.example",
	    "www.xn--bcher-kva.example", ".bücher.example", 1 },
	{ "dot-prefixed presented name", ".example.org", ".example.org", 0 },
	{ "dot-prefixed presented vs subdomain", ".a.example.org",
	    ".example.org", 0 },
	{ "reference of two dots", "a.example.org", "..example.org", 0 },
	{ "reference of a dot", "a.example.org", ".", 0 },
	{ ".com vs example.com", "example.com", ".com", 1 },
};

/* normalised - name in the form the header prescribes, "" if invalid. */
static void
normalised(const char *in, unsigned flags, char *out)
{
	if (dnsname_normalize(in, out, DNSNAME_BUFSIZE, flags) != 0)
		out[0] = '\0';
}

static void
test_row(void **state)
{
	const struct certname_row *r = *state;
	char p[DNSNAME_BUFSIZE], ref[DNSNAME_BUFSIZE];

	normalised(r->presented, DNSNAME_WILDCARD, p);
	normalised(r->reference, DNSNAME_DOTPREFIX, ref);
	assert_int_equal(certname_match(p, ref), r->want);
	assert_int_equal(certname_match(r->presented, r->reference), r->want);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;
	size_t i;

	for (i = 0; i + 1 < sizeof(huge); i++)
		huge[i] = (i % 2) ? '.' : 'a';
	TESTLIST_TABLE(&tl, "certname", test_row, rows, label);
	return testlist_run(&tl, "certname");
}
