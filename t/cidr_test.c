/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cidr_test.c - ipaddr_parse(), cidr_parse() and cidr_match(), one TAP
 * test point per table row.
 */
#include "testlist.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cidr.h"

static char huge[64 * 1024 + 1];	/* "1111...", filled by main() */

/* addr_text - an address back as text, for comparing ("" for none). */
static void
addr_text(const struct ipaddr *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (a->ip_family != 0)
		assert_non_null(inet_ntop(a->ip_family, a->ip_bytes, buf,
		    (socklen_t)len));
}

struct ipaddr_row {
	const char	*label;
	const char	*in;
	int		 family;	/* 0: rejected */
	const char	*want;		/* inet_ntop form */
};

static const struct ipaddr_row ipaddr_rows[] = {
	{ "IPv4", "192.0.2.7", AF_INET, "192.0.2.7" },
	{ "IPv6", "2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "IPv6 upper case", "2001:DB8::A", AF_INET6, "2001:db8::a" },
	{ "IPv6 full form", "2001:0db8:0000:0000:0000:0000:0000:0001", AF_INET6,
	    "2001:db8::1" },
	{ "IPv6 with IPv4 tail", "64:ff9b::192.0.2.7", AF_INET6,
	    "64:ff9b::c000:207" },
	{ "IPv6 loopback", "::1", AF_INET6, "::1" },
	{ "IPv6 unspecified", "::", AF_INET6, "::" },
	{ "mapped IPv4 becomes IPv4", "::ffff:192.0.2.7", AF_INET, "192.0.2.7" },
	{ "mapped IPv4 in hex", "::ffff:c000:207", AF_INET, "192.0.2.7" },
	{ "mapped IPv4 upper case", "::FFFF:192.0.2.7", AF_INET, "192.0.2.7" },
	{ "IPv4-compatible stays IPv6", "::192.0.2.7", AF_INET6, "::192.0.2.7" },
	{ "Sendmail IPv6: prefix", "IPv6:2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "IPv6: prefix any case", "ipv6:2001:db8::1", AF_INET6, "2001:db8::1" },
	{ "IPv6: prefix on mapped", "IPv6:::ffff:192.0.2.7", AF_INET, "192.0.2.7" },
	{ "bracketed IPv4", "[192.0.2.7]", AF_INET, "192.0.2.7" },
	{ "bracketed IPv6", "[2001:db8::1]", AF_INET6, "2001:db8::1" },
	{ "bracketed IPv6: literal", "[IPv6:2001:db8::1]", AF_INET6,
	    "2001:db8::1" },
	{ "IPv6: prefix on IPv4", "IPv6:192.0.2.7", 0, "" },
	{ "IPv6: prefix alone", "IPv6:", 0, "" },
	{ "prefix outside brackets", "IPv6:[2001:db8::1]", 0, "" },
	{ "open bracket only", "[192.0.2.7", 0, "" },
	{ "close bracket only", "192.0.2.7]", 0, "" },
	{ "empty brackets", "[]", 0, "" },
	{ "double brackets", "[[192.0.2.7]]", 0, "" },
	{ "leading zero", "010.0.0.1", 0, "" },
	{ "leading zeros 192.000.2.7", "192.000.2.7", 0, "" },
	{ "three parts", "192.0.2", 0, "" },
	{ "five parts", "192.0.2.7.1", 0, "" },
	{ "octet over 255", "192.0.2.256", 0, "" },
	{ "hex IPv4", "0xc0.0.2.7", 0, "" },
	{ "single number", "3221226119", 0, "" },
	{ "leading space", " 192.0.2.7", 0, "" },
	{ "trailing space", "192.0.2.7 ", 0, "" },
	{ "trailing newline", "192.0.2.7\n", 0, "" },
	{ "zone id", "fe80::1%eth0", 0, "" },
	{ "two double colons", "2001::db8::1", 0, "" },
	{ "IPv6 too many groups", "1:2:3:4:5:6:7:8:9", 0, "" },
	{ "with a prefix length", "192.0.2.0/24", 0, "" },
	{ "host name", "mx.example.org", 0, "" },
	{ "Postfix unknown", "unknown", 0, "" },
	{ "empty", "", 0, "" },
	{ "NULL", NULL, 0, "" },
	{ "control bytes", "\001\002\003", 0, "" },
	{ "8-bit bytes", "\377\376", 0, "" },
	{ "64 KiB of digits", huge, 0, "" },
};

static void
test_ipaddr(void **state)
{
	const struct ipaddr_row *r = *state;
	struct ipaddr a;
	char buf[INET6_ADDRSTRLEN];

	memset(&a, 0x55, sizeof(a));
	assert_int_equal(ipaddr_parse(r->in, &a), r->family ? 0 : -1);
	assert_int_equal(a.ip_family, r->family);
	addr_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, r->want);
}

static const char E_ADDR[] = "not an IP address";
static const char E_PREFIX[] = "prefix length out of range";
static const char E_BITS[] = "address has bits set beyond the prefix length";

struct cidr_row {
	const char	*label;
	const char	*in;
	const char	*why;		/* NULL: parses */
	int		 family;
	const char	*net;		/* inet_ntop form */
	unsigned	 prefix;
};

static const struct cidr_row cidr_rows[] = {
	{ "IPv4 /24", "192.0.2.0/24", NULL, AF_INET, "192.0.2.0", 24 },
	{ "IPv4 bare is /32", "192.0.2.7", NULL, AF_INET, "192.0.2.7", 32 },
	{ "IPv4 /32", "192.0.2.7/32", NULL, AF_INET, "192.0.2.7", 32 },
	{ "IPv4 /0", "0.0.0.0/0", NULL, AF_INET, "0.0.0.0", 0 },
	{ "IPv4 /31", "192.0.2.6/31", NULL, AF_INET, "192.0.2.6", 31 },
	{ "IPv4 /33", "192.0.2.7/33", E_PREFIX, 0, "", 0 },
	{ "IPv4 /0 with bits", "192.0.2.0/0", E_BITS, 0, "", 0 },
	{ "IPv4 host bits set", "192.0.2.7/24", E_BITS, 0, "", 0 },
	{ "IPv4 host bit in last partial byte", "192.0.2.7/31", E_BITS, 0, "", 0 },
	{ "IPv6 /32", "2001:db8::/32", NULL, AF_INET6, "2001:db8::", 32 },
	{ "IPv6 bare is /128", "2001:db8::1", NULL, AF_INET6, "2001:db8::1", 128 },
	{ "IPv6 /128", "2001:db8::1/128", NULL, AF_INET6, "2001:db8::1", 128 },
	{ "IPv6 /0", "::/0", NULL, AF_INET6, "::", 0 },
	{ "IPv6 /33 is fine", "2001:db8::/33", NULL, AF_INET6, "2001:db8::", 33 },
	{ "IPv6 /129", "2001:db8::/129", E_PREFIX, 0, "", 0 },
	{ "IPv6 host bits set", "2001:db8::1/64", E_BITS, 0, "", 0 },
	{ "IPv6 host bit beyond /31", "2001:db9::/31", E_BITS, 0, "", 0 },
	{ "mapped network becomes IPv4", "::ffff:192.0.2.0/120", NULL, AF_INET,
	    "192.0.2.0", 24 },
	{ "mapped bare is IPv4 /32", "::ffff:192.0.2.7", NULL, AF_INET,
	    "192.0.2.7", 32 },
	{ "mapped /96", "::ffff:0.0.0.0/96", NULL, AF_INET, "0.0.0.0", 0 },
	{ "mapped with prefix under 96", "::ffff:0.0.0.0/95", E_PREFIX, 0, "", 0 },
	{ "mapped /129", "::ffff:192.0.2.7/129", E_PREFIX, 0, "", 0 },
	{ "bracketed", "[192.0.2.0]/24", NULL, AF_INET, "192.0.2.0", 24 },
	{ "IPv6: prefix", "IPv6:2001:db8::/32", NULL, AF_INET6, "2001:db8::", 32 },
	{ "prefix inside brackets", "[192.0.2.0/24]", E_ADDR, 0, "", 0 },
	{ "empty prefix", "192.0.2.0/", E_PREFIX, 0, "", 0 },
	{ "negative prefix", "192.0.2.0/-1", E_PREFIX, 0, "", 0 },
	{ "plus prefix", "192.0.2.0/+8", E_PREFIX, 0, "", 0 },
	{ "leading zero prefix", "192.0.2.0/024", E_PREFIX, 0, "", 0 },
	{ "prefix 00", "0.0.0.0/00", E_PREFIX, 0, "", 0 },
	{ "four-digit prefix", "2001:db8::/0128", E_PREFIX, 0, "", 0 },
	{ "huge prefix", "192.0.2.0/4294967320", E_PREFIX, 0, "", 0 },
	{ "prefix with space", "192.0.2.0/ 24", E_PREFIX, 0, "", 0 },
	{ "prefix with trailing garbage", "192.0.2.0/24x", E_PREFIX, 0, "", 0 },
	{ "two slashes", "192.0.2.0/24/8", E_PREFIX, 0, "", 0 },
	{ "netmask form", "192.0.2.0/255.255.255.0", E_PREFIX, 0, "", 0 },
	{ "leading zero address", "010.0.0.0/8", E_ADDR, 0, "", 0 },
	{ "slash only", "/24", E_ADDR, 0, "", 0 },
	{ "empty", "", E_ADDR, 0, "", 0 },
	{ "NULL", NULL, E_ADDR, 0, "", 0 },
	{ "garbage", "example.org/24", E_ADDR, 0, "", 0 },
	{ "spaces around slash", "192.0.2.0 / 24", E_ADDR, 0, "", 0 },
	{ "64 KiB", huge, E_ADDR, 0, "", 0 },
};

static void
test_cidr(void **state)
{
	const struct cidr_row *r = *state;
	struct cidr c;
	const char *why = "unset";
	char buf[INET6_ADDRSTRLEN];

	memset(&c, 0x55, sizeof(c));
	assert_int_equal(cidr_parse(r->in, &c, &why), r->why ? -1 : 0);
	if (r->why != NULL)
		assert_string_equal(why, r->why);
	else
		assert_null(why);
	assert_int_equal(c.cidr_net.ip_family, r->family);
	addr_text(&c.cidr_net, buf, sizeof(buf));
	assert_string_equal(buf, r->net);
	assert_int_equal(c.cidr_prefix, r->prefix);
}

struct match_row {
	const char	*label;
	const char	*net;
	const char	*addr;
	int		 want;
};

static const struct match_row match_rows[] = {
	{ "inside /24", "192.0.2.0/24", "192.0.2.7", 1 },
	{ "first of /24", "192.0.2.0/24", "192.0.2.0", 1 },
	{ "last of /24", "192.0.2.0/24", "192.0.2.255", 1 },
	{ "just outside /24", "192.0.2.0/24", "192.0.3.0", 0 },
	{ "below /24", "192.0.2.0/24", "192.0.1.255", 0 },
	{ "/0 matches any IPv4", "0.0.0.0/0", "203.0.113.9", 1 },
	{ "/32 itself", "192.0.2.7", "192.0.2.7", 1 },
	{ "/32 neighbour", "192.0.2.7", "192.0.2.6", 0 },
	{ "/31 pair", "192.0.2.6/31", "192.0.2.7", 1 },
	{ "/31 outside", "192.0.2.6/31", "192.0.2.8", 0 },
	{ "/9 partial byte inside", "10.0.0.0/9", "10.127.255.255", 1 },
	{ "/9 partial byte outside", "10.0.0.0/9", "10.128.0.0", 0 },
	{ "mapped address in IPv4 network", "192.0.2.0/24", "::ffff:192.0.2.7", 1 },
	{ "IPv6: mapped in IPv4 network", "192.0.2.0/24",
	    "IPv6:::ffff:192.0.2.7", 1 },
	{ "bracketed address", "192.0.2.0/24", "[192.0.2.7]", 1 },
	{ "mapped network, plain address", "::ffff:192.0.2.0/120", "192.0.2.7", 1 },
	{ "IPv6 /32 inside", "2001:db8::/32", "2001:db8:1::1", 1 },
	{ "IPv6 /32 outside", "2001:db8::/32", "2001:db9::1", 0 },
	{ "IPv6 /128 itself", "2001:db8::1", "IPv6:2001:DB8::1", 1 },
	{ "IPv6 /128 neighbour", "2001:db8::1", "2001:db8::2", 0 },
	{ "IPv6 /0 matches any IPv6", "::/0", "2001:db8::1", 1 },
	{ "IPv6 /0 does not match IPv4", "::/0", "192.0.2.7", 0 },
	{ "IPv4 /0 does not match IPv6", "0.0.0.0/0", "2001:db8::1", 0 },
	{ "IPv6 /0 does not match mapped", "::/0", "::ffff:192.0.2.7", 0 },
	{ "IPv4-compatible is not IPv4", "192.0.2.0/24", "::192.0.2.7", 0 },
	{ "NAT64 is not IPv4", "192.0.2.0/24", "64:ff9b::192.0.2.7", 0 },
	{ "no address matches nothing", "0.0.0.0/0", "unknown", 0 },
	{ "no address vs IPv6 /0", "::/0", NULL, 0 },
};

static void
test_match(void **state)
{
	const struct match_row *r = *state;
	struct cidr c;
	struct ipaddr a;
	const char *why;

	assert_int_equal(cidr_parse(r->net, &c, &why), 0);
	(void)ipaddr_parse(r->addr, &a);
	assert_int_equal(cidr_match(&c, &a), r->want);
}

/* NULL arguments and an impossible prefix never match. */
static void
test_match_misuse(void **state)
{
	struct cidr c;
	struct ipaddr a;

	(void)state;
	assert_int_equal(cidr_parse("0.0.0.0/0", &c, NULL), 0);
	assert_int_equal(ipaddr_parse("192.0.2.7", &a), 0);
	assert_int_equal(cidr_match(NULL, &a), 0);
	assert_int_equal(cidr_match(&c, NULL), 0);
	c.cidr_prefix = 33;
	assert_int_equal(cidr_match(&c, &a), 0);
	assert_int_equal(cidr_parse("192.0.2.7/33", &c, NULL), -1);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	memset(huge, '1', sizeof(huge) - 1);
	TESTLIST_TABLE(&tl, "ipaddr_parse", test_ipaddr, ipaddr_rows, label);
	TESTLIST_TABLE(&tl, "cidr_parse", test_cidr, cidr_rows, label);
	TESTLIST_TABLE(&tl, "cidr_match", test_match, match_rows, label);
	testlist_add(&tl, "cidr_match: NULL and bad prefix", test_match_misuse,
	    NULL);
	return testlist_run(&tl, "cidr");
}
