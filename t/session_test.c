/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * session_test.c - the MTA-neutral session model alone: client name
 * validation, listener, HELO normalisation, the TLS facts under Postfix's
 * and Sendmail's conventions, bounded copies and the SASL login; one TAP
 * test point per table row.
 */
#include "testlist.h"

#include <stdbool.h>
#include <sys/socket.h>

#include "session.h"
#include "testutil.h"

static char huge[64 * 1024 + 1];	/* "aaaa...", filled by main() */
static char huge_digits[64 * 1024 + 1];	/* "1111..." */
static char s255[SESSION_TEXT_MAX + 1];	/* 255 x "b" */
static char s256[SESSION_TEXT_MAX + 2];	/* 256 x "c" */

#define L10	"abcdefghij"
#define L60	L10 L10 L10 L10 L10 L10
#define L63	L60 "abc"
#define N254	L63 "." L63 "." L63 "." L60 "ab"	/* 254 bytes */

/* check_text - t is absent (want NULL) or holds want, cut or not. */
static void
check_text(const struct session_text *t, const char *want, bool cut)
{
	if (want == NULL) {
		assert_false(t->st_present);
		assert_false(t->st_cut);
		assert_string_equal(t->st_value, "");
		return;
	}
	assert_true(t->st_present);
	assert_int_equal(t->st_cut, cut);
	if (cut) {
		assert_int_equal(strlen(t->st_value), SESSION_TEXT_MAX);
		assert_memory_equal(t->st_value, want, SESSION_TEXT_MAX);
	} else
		assert_string_equal(t->st_value, want);
}

/* ------------------------------------------------------------ client */

struct client_row {
	const char	*label;
	const char	*addr, *name, *resolve;
	int		 family;	/* of ss_addr; 0: none */
	const char	*want_name;	/* ss_client_name */
};

static const struct client_row client_rows[] = {
	{ "plain name", "192.0.2.1", "mx.example.org", NULL, AF_INET,
	    "mx.example.org" },
	{ "capitals and a trailing dot", "192.0.2.1", "MX.Example.ORG.", NULL,
	    AF_INET, "mx.example.org" },
	{ "Postfix unknown", "192.0.2.1", "unknown", NULL, AF_INET, "" },
	{ "unknown with a trailing dot (found by fuzz_session)", "192.0.2.1",
	    "unknown.", NULL, AF_INET, "" },
	{ "UNKNOWN. in capitals", "192.0.2.1", "UNKNOWN.", "OK", AF_INET, "" },
	{ "Sendmail [address]", "192.0.2.1", "[192.0.2.1]", NULL, AF_INET, "" },
	{ "Sendmail [IPv6:address]", "IPv6:2001:db8::1", "[IPv6:2001:db8::1]",
	    NULL, AF_INET6, "" },
	{ "client_resolve OK", "192.0.2.1", "mx.example.org", "OK", AF_INET,
	    "mx.example.org" },
	{ "client_resolve FORGED", "192.0.2.1", "mx.example.org", "FORGED",
	    AF_INET, "" },
	{ "client_resolve TEMP", "192.0.2.1", "mx.example.org", "TEMP",
	    AF_INET, "" },
	{ "client_resolve FAIL", "192.0.2.1", "mx.example.org", "FAIL",
	    AF_INET, "" },
	{ "client_resolve lower-case ok is not OK", "192.0.2.1",
	    "mx.example.org", "ok", AF_INET, "" },
	{ "client_resolve empty", "192.0.2.1", "mx.example.org", "", AF_INET,
	    "" },
	{ "no name", "192.0.2.1", NULL, NULL, AF_INET, "" },
	{ "empty name", "192.0.2.1", "", NULL, AF_INET, "" },
	{ "address as a name", "192.0.2.1", "192.0.2.1", NULL, AF_INET, "" },
	{ "name with a space", "192.0.2.1", "mx example.org", NULL, AF_INET,
	    "" },
	{ "name with a newline", "192.0.2.1", "mx.example.org\n", NULL,
	    AF_INET, "" },
	{ "name starting with a hyphen", "192.0.2.1", "-mx.example.org", NULL,
	    AF_INET, "" },
	{ "name with an empty label", "192.0.2.1", "mx..example.org", NULL,
	    AF_INET, "" },
	{ "IDN name becomes A-labels", "192.0.2.1", "mx.b\xc3\xbc" "cher.example",
	    NULL, AF_INET, "mx.xn--bcher-kva.example" },
	{ "254-byte name", "192.0.2.1", N254, NULL, AF_INET, "" },
	{ "64 KiB name", "192.0.2.1", huge, NULL, AF_INET, "" },
	{ "IPv6 address", "2001:db8::1", "mx.example.org", NULL, AF_INET6,
	    "mx.example.org" },
	{ "bracketed address", "[192.0.2.1]", NULL, NULL, AF_INET, "" },
	{ "IPv4-mapped address is IPv4", "::ffff:192.0.2.1", NULL, NULL,
	    AF_INET, "" },
	{ "address unknown", "unknown", "mx.example.org", NULL, 0,
	    "mx.example.org" },
	{ "no address", NULL, "mx.example.org", NULL, 0, "mx.example.org" },
	{ "64 KiB address", huge, NULL, NULL, 0, "" },
};

static void
test_client(void **state)
{
	const struct client_row *row = *state;
	struct session s;

	session_init(&s);
	session_set_client(&s, row->addr, row->name, row->resolve);
	assert_int_equal(s.ss_addr.ip_family, row->family);
	assert_string_equal(s.ss_client_name, row->want_name);
	check_text(&s.ss_addr_text, row->addr, row->addr != NULL &&
	    strlen(row->addr) > SESSION_TEXT_MAX);
	/* a second connection's facts replace the first's entirely */
	session_set_client(&s, NULL, NULL, NULL);
	assert_int_equal(s.ss_addr.ip_family, 0);
	assert_string_equal(s.ss_client_name, "");
	check_text(&s.ss_addr_text, NULL, false);
}

/* ------------------------------------------------------------ listener */

struct listener_row {
	const char	*label;
	const char	*in;
	bool		 cut;
};

static const struct listener_row listener_rows[] = {
	{ "absent", NULL, false },
	{ "smtp", "smtp", false },
	{ "submission", "submission", false },
	{ "Postfix service name with a slash", "127.0.0.1:10025/smtpd", false },
	{ "empty", "", false },
	{ "255 bytes", s255, false },
	{ "256 bytes are cut", s256, true },
	{ "64 KiB are cut", huge, true },
};

/* A CONNECT whose macros are {daemon_name}, {daemon_port} and
 * {daemon_addr} = ctx[0], ctx[1], ctx[2]. */
static const char *
daemon_lookup(void *ctx, const char *name)
{
	const char *const *v = ctx;

	if (strcmp(name, "{daemon_name}") == 0)
		return v[0];
	if (strcmp(name, "{daemon_port}") == 0)
		return v[1];
	return strcmp(name, "{daemon_addr}") == 0 ? v[2] : NULL;
}

static void
test_listener(void **state)
{
	const struct listener_row *row = *state;
	const char *v[3] = { row->in, NULL, NULL };
	struct session s;

	session_init(&s);
	session_set_listener(&s, daemon_lookup, v);
	check_text(&s.ss_listener, row->in, row->cut);
	assert_int_equal(s.ss_listener_port, -1);
	assert_int_equal(s.ss_listener_addr.ip_family, 0);
}

/* The listener's port and address: a port is 1 to 65535 in decimal, an
 * address as ipaddr_parse() reads it; anything else is unknown. */
struct daemon_row {
	const char	*label;
	const char	*port, *addr;
	long		want_port;
	int		want_family;
};

static const struct daemon_row daemon_rows[] = {
	{ "both absent", NULL, NULL, -1, 0 },
	{ "25 on IPv4", "25", "127.0.0.1", 25, AF_INET },
	{ "587 on IPv6", "587", "::1", 587, AF_INET6 },
	{ "Sendmail's IPv6: tag", "465", "IPv6:::1", 465, AF_INET6 },
	{ "65535", "65535", "192.0.2.25", 65535, AF_INET },
	{ "port 0 is no port", "0", "x", -1, 0 },
	{ "port 65536", "65536", "", -1, 0 },
	{ "leading zeros", "00025", "[192.0.2.1]", 25, AF_INET },
	{ "six digits", "000025", NULL, -1, 0 },
	{ "not a number", "smtp", "mx.example", -1, 0 },
	{ "empty", "", "", -1, 0 },
	{ "a sign", "+25", "300.0.0.1", -1, 0 },
};

static void
test_daemon(void **state)
{
	const struct daemon_row *row = *state;
	const char *v[3] = { "smtpd", row->port, row->addr };
	struct session s;

	session_init(&s);
	session_set_listener(&s, daemon_lookup, v);
	assert_int_equal(s.ss_listener_port, row->want_port);
	assert_int_equal(s.ss_listener_addr.ip_family, row->want_family);
	check_text(&s.ss_listener_port_text, row->port, false);
	check_text(&s.ss_listener_addr_text, row->addr, false);
}

/* ------------------------------------------------------------ HELO */

struct helo_row {
	const char	*label;
	const char	*helo;
	bool		 with_tls;
	const char	*want;		/* ss_helo */
	bool		 cut;		/* ss_helo_text cut */
};

static const struct helo_row helo_rows[] = {
	{ "host name", "mx.example.org", false, "mx.example.org", false },
	{ "capitals and a trailing dot", "MX.Example.ORG.", false,
	    "mx.example.org", false },
	{ "with TLS", "mx.example.org", true, "mx.example.org", false },
	{ "single label", "localhost", false, "localhost", false },
	{ "IPv4 literal", "[192.0.2.1]", false, "[192.0.2.1]", false },
	{ "IPv6 literal in canonical form", "[ipv6:2001:DB8:0:0::1]", false,
	    "[IPv6:2001:db8::1]", false },
	{ "literal that is no IP address", "[mx.example]", false, "", false },
	{ "literal without closing bracket", "[192.0.2.1", false, "", false },
	{ "literal with a space", "[192.0.2.1 ]", false, "", false },
	{ "empty literal", "[]", false, "", false },
	{ "64-byte literal", "[" L60 "ab]", false, "", false },
	{ "bare IPv4 address", "192.0.2.1", false, "", false },
	{ "empty", "", false, "", false },
	{ "absent", NULL, false, "", false },
	{ "space inside", "bad helo", false, "", false },
	{ "control byte", "mx.example.org\r", false, "", false },
	{ "empty label", "mx..example.org", false, "", false },
	{ "two trailing dots", "mx.example.org..", false, "", false },
	{ "leading dot", ".example.org", false, "", false },
	{ "wildcard", "*.example.org", false, "", false },
	{ "IDN", "b\xc3\xbc" "cher.example", false, "xn--bcher-kva.example",
	    false },
	{ "invalid UTF-8", "b\xff.example", false, "", false },
	{ "254-byte name", N254, false, "", false },
	{ "64 KiB", huge, false, "", true },
};

static void
test_helo(void **state)
{
	const struct helo_row *row = *state;
	struct session s;

	session_init(&s);
	session_set_helo(&s, "first.example", !row->with_tls);
	session_set_helo(&s, row->helo, row->with_tls);	/* replaces */
	assert_string_equal(s.ss_helo, row->want);
	assert_int_equal(s.ss_helo_tls, row->with_tls);
	check_text(&s.ss_helo_text, row->helo, row->cut);
}

struct helonorm_row {
	const char	*label;
	const char	*in;
	unsigned	 flags;
	size_t		 outlen;
	int		 rc;
	const char	*want;
};

static const struct helonorm_row helonorm_rows[] = {
	{ "pattern .domain", ".example.org", DNSNAME_DOTPREFIX,
	    DNSNAME_BUFSIZE, 0, ".example.org" },
	{ ".domain without the flag", ".example.org", 0, DNSNAME_BUFSIZE, -1,
	    NULL },
	{ "literal pattern", "[192.0.2.1]", DNSNAME_DOTPREFIX, DNSNAME_BUFSIZE,
	    0, "[192.0.2.1]" },
	{ "literal exactly fits", "[192.0.2.1]", 0, 12, 0, "[192.0.2.1]" },
	{ "literal one byte too long for out", "[192.0.2.1]", 0, 11, -1,
	    NULL },
	{ "long IPv6 literal, canonical",
	    "[IPv6:2001:0db8:0000:0000:0000:0000:0000:0001]", 0,
	    DNSNAME_BUFSIZE, 0, "[IPv6:2001:db8::1]" },
	{ "64-byte literal", "[" L60 "ab]", 0, DNSNAME_BUFSIZE, -1, NULL },
	{ "64 KiB", huge, 0, DNSNAME_BUFSIZE, -1, NULL },
};

static void
test_helonorm(void **state)
{
	const struct helonorm_row *row = *state;
	char out[DNSNAME_BUFSIZE + 8];

	memset(out, 'Z', sizeof(out));
	assert_int_equal(session_helo_normalize(row->in, out, row->outlen,
	    row->flags), row->rc);
	if (row->rc == 0)
		assert_string_equal(out, row->want);
	assert_int_equal(out[row->outlen], 'Z');	/* never past outlen */
}

/* ------------------------------------------------------------ TLS */

#define MACROS_MAX 24
#define TLS13	"{tls_version}", "TLSv1.3", "{cipher}", \
		"TLS_AES_256_GCM_SHA384", "{cipher_bits}", "256"
#define BITS(b)	"{tls_version}", "TLSv1.2", "{cipher_bits}", b
#define VER(v)	"{tls_version}", v
#define PF(cn, issuer) "{cert_subject}", cn, "{cert_issuer}", issuer
#define SM(verify, cn, issuer) "{verify}", verify, "{cn_subject}", cn, \
		"{cn_issuer}", issuer
#define DN_SUBJECT "/C+3DDE/O+3DExample/CN+3Dmx.example.org"
#define DN_ISSUER "/C+3DDE/CN+3DExample+20CA"

#define T_NONE	SESSION_TLS_NONE
#define T_ON	SESSION_TLS_ON
#define T_UNK	SESSION_TLS_UNKNOWN
#define C_NONE	SESSION_CERT_NONE
#define C_UNV	SESSION_CERT_UNVERIFIED
#define C_VER	SESSION_CERT_VERIFIED

struct tls_row {
	const char	*label;
	enum session_mta mta;
	bool		 incomplete;
	const char	*macros[MACROS_MAX];
	enum session_tls tls;
	enum tlsversion	 version;
	long		 bits;
	enum session_cert cert;
	const char	*cert_name;	/* ss_cert_name */
	const char	*subject;	/* ss_cert_subject, NULL: absent */
	const char	*issuer;	/* ss_cert_issuer */
	const char	*verify;	/* ss_verify */
};

static const struct tls_row tls_rows[] = {
	/* is TLS on? */
	{ "plaintext, macros complete", SESSION_MTA_AUTO, false, { NULL },
	    T_NONE, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL, NULL, NULL },
	{ "plaintext, macros not complete: unknown", SESSION_MTA_AUTO, true,
	    { NULL }, T_UNK, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL, NULL,
	    NULL },
	{ "empty tls_version, complete: plaintext", SESSION_MTA_AUTO, false,
	    { VER("") }, T_NONE, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL, NULL,
	    NULL },
	{ "empty tls_version, not complete: unknown", SESSION_MTA_POSTFIX,
	    true, { VER("") }, T_UNK, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL,
	    NULL, NULL },
	{ "cert macros without tls_version are ignored", SESSION_MTA_AUTO,
	    false, { PF("mx.example.org", "CA"), "{cipher_bits}", "256" },
	    T_NONE, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL, NULL, NULL },
	{ "TLS facts although not promised", SESSION_MTA_AUTO, true,
	    { TLS13 }, T_ON, TLSVERSION_TLS1_3, 256, C_UNV, "", NULL, NULL,
	    NULL },

	/* versions */
	{ "TLSv1", SESSION_MTA_AUTO, false, { VER("TLSv1") }, T_ON,
	    TLSVERSION_TLS1_0, -1, C_UNV, "", NULL, NULL, NULL },
	{ "TLSv1.1", SESSION_MTA_AUTO, false, { VER("TLSv1.1") }, T_ON,
	    TLSVERSION_TLS1_1, -1, C_UNV, "", NULL, NULL, NULL },
	{ "GnuTLS spelling TLS1.2", SESSION_MTA_AUTO, false, { VER("TLS1.2") },
	    T_ON, TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "lower case tlsv1.3", SESSION_MTA_AUTO, false, { VER("tlsv1.3") },
	    T_ON, TLSVERSION_TLS1_3, -1, C_UNV, "", NULL, NULL, NULL },
	{ "SSLv3", SESSION_MTA_AUTO, false, { VER("SSLv3") }, T_ON,
	    TLSVERSION_SSL3, -1, C_UNV, "", NULL, NULL, NULL },
	{ "TLSv1.4 is on but unknown", SESSION_MTA_AUTO, false,
	    { VER("TLSv1.4") }, T_ON, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL,
	    NULL, NULL },
	{ "garbage version is on but unknown", SESSION_MTA_AUTO, false,
	    { VER("garbage") }, T_ON, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL,
	    NULL, NULL },
	{ "64 KiB version is on but unknown", SESSION_MTA_AUTO, false,
	    { VER(huge) }, T_ON, TLSVERSION_UNKNOWN, -1, C_UNV, "", NULL, NULL,
	    NULL },

	/* cipher_bits */
	{ "bits 256", SESSION_MTA_AUTO, false, { BITS("256") }, T_ON,
	    TLSVERSION_TLS1_2, 256, C_UNV, "", NULL, NULL, NULL },
	{ "bits 0128", SESSION_MTA_AUTO, false, { BITS("0128") }, T_ON,
	    TLSVERSION_TLS1_2, 128, C_UNV, "", NULL, NULL, NULL },
	{ "bits 0", SESSION_MTA_AUTO, false, { BITS("0") }, T_ON,
	    TLSVERSION_TLS1_2, 0, C_UNV, "", NULL, NULL, NULL },
	{ "bits 99999", SESSION_MTA_AUTO, false, { BITS("99999") }, T_ON,
	    TLSVERSION_TLS1_2, 99999, C_UNV, "", NULL, NULL, NULL },
	{ "bits 100000 too long", SESSION_MTA_AUTO, false, { BITS("100000") },
	    T_ON, TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "bits huge", SESSION_MTA_AUTO, false,
	    { BITS("18446744073709551872") }, T_ON, TLSVERSION_TLS1_2, -1, C_UNV,
	    "", NULL, NULL, NULL },
	{ "bits 64 KiB of digits", SESSION_MTA_AUTO, false,
	    { BITS(huge_digits) }, T_ON, TLSVERSION_TLS1_2, -1, C_UNV, "", NULL,
	    NULL, NULL },
	{ "bits negative", SESSION_MTA_AUTO, false, { BITS("-128") }, T_ON,
	    TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "bits with a plus", SESSION_MTA_AUTO, false, { BITS("+128") }, T_ON,
	    TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "bits with a leading space", SESSION_MTA_AUTO, false,
	    { BITS(" 128") }, T_ON, TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL,
	    NULL },
	{ "bits in hex", SESSION_MTA_AUTO, false, { BITS("0x80") }, T_ON,
	    TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "bits 1e3", SESSION_MTA_AUTO, false, { BITS("1e3") }, T_ON,
	    TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "bits not a number", SESSION_MTA_AUTO, false, { BITS("abc") }, T_ON,
	    TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },
	{ "bits empty", SESSION_MTA_AUTO, false, { BITS("") }, T_ON,
	    TLSVERSION_TLS1_2, -1, C_UNV, "", NULL, NULL, NULL },

	/* Postfix: {cert_subject}/{cert_issuer} only when verified */
	{ "Postfix: TLS, no certificate", SESSION_MTA_AUTO, false, { TLS13 },
	    T_ON, TLSVERSION_TLS1_3, 256, C_UNV, "", NULL, NULL, NULL },
	{ "Postfix: verified", SESSION_MTA_AUTO, false,
	    { TLS13, PF("MX.Example.ORG", "Example CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "mx.example.org", "MX.Example.ORG",
	    "Example CA", NULL },
	{ "Postfix forced: verified", SESSION_MTA_POSTFIX, false,
	    { TLS13, PF("mx.example.org", "Example CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "mx.example.org", "mx.example.org",
	    "Example CA", NULL },
	{ "Postfix: empty issuer still means verified", SESSION_MTA_AUTO,
	    false, { TLS13, PF("mx.example.org", "") }, T_ON, TLSVERSION_TLS1_3,
	    256, C_VER, "mx.example.org", "mx.example.org", "", NULL },
	{ "Postfix: subject without issuer is unverified", SESSION_MTA_AUTO,
	    false, { TLS13, "{cert_subject}", "mx.example.org" }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_UNV, "", "mx.example.org", NULL, NULL },
	{ "Postfix: wildcard CN", SESSION_MTA_AUTO, false,
	    { TLS13, PF("*.Example.org", "CA") }, T_ON, TLSVERSION_TLS1_3, 256,
	    C_VER, "*.example.org", "*.Example.org", "CA", NULL },
	{ "Postfix: IDN CN", SESSION_MTA_AUTO, false,
	    { TLS13, PF("mx.b\xc3\xbc" "cher.example", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "mx.xn--bcher-kva.example",
	    "mx.b\xc3\xbc" "cher.example", "CA", NULL },
	{ "Postfix: CN that is no DNS name", SESSION_MTA_AUTO, false,
	    { TLS13, PF("Example Mail Server", "CA") }, T_ON, TLSVERSION_TLS1_3,
	    256, C_VER, "", "Example Mail Server", "CA", NULL },
	{ "Postfix: empty CN", SESSION_MTA_AUTO, false,
	    { TLS13, PF("", "CA") }, T_ON, TLSVERSION_TLS1_3, 256, C_VER, "",
	    "", "CA", NULL },
	{ "Postfix: 64 KiB CN is cut and no name", SESSION_MTA_AUTO, false,
	    { TLS13, PF(huge, "CA") }, T_ON, TLSVERSION_TLS1_3, 256, C_VER, "",
	    huge, "CA", NULL },
	{ "Postfix: {verify} ignored when forced", SESSION_MTA_POSTFIX, false,
	    { TLS13, SM("OK", "mx.example.org", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_UNV, "", NULL, NULL, NULL },

	/* Sendmail DNs without {verify}: they come for any certificate */
	{ "Sendmail DNs without {verify}: unverified", SESSION_MTA_AUTO, false,
	    { TLS13, PF(DN_SUBJECT, DN_ISSUER) }, T_ON, TLSVERSION_TLS1_3, 256,
	    C_UNV, "", DN_SUBJECT, DN_ISSUER, NULL },
	{ "Sendmail DN issuer alone: unverified", SESSION_MTA_AUTO, false,
	    { TLS13, PF("mx.example.org", DN_ISSUER) }, T_ON, TLSVERSION_TLS1_3,
	    256, C_UNV, "", "mx.example.org", DN_ISSUER, NULL },
	{ "{cn_subject} without {verify}: unverified", SESSION_MTA_AUTO, false,
	    { TLS13, PF("mx.example.org", "CA"), "{cn_subject}",
	    "mx.example.org" }, T_ON, TLSVERSION_TLS1_3, 256, C_UNV, "",
	    "mx.example.org", "CA", NULL },
	{ "{cn_issuer} without {verify}: unverified", SESSION_MTA_AUTO, false,
	    { TLS13, PF("mx.example.org", "CA"), "{cn_issuer}", "CA" }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_UNV, "", "mx.example.org", "CA", NULL },
	{ "Sendmail forced, no {verify}", SESSION_MTA_SENDMAIL, false,
	    { TLS13, "{cn_subject}", "mx.example.org", "{cn_issuer}", "CA" },
	    T_ON, TLSVERSION_TLS1_3, 256, C_UNV, "", "mx.example.org", "CA",
	    NULL },

	/* Sendmail with {verify}, auto-detected */
	{ "Sendmail: verify OK", SESSION_MTA_AUTO, false,
	    { TLS13, SM("OK", "MX.example.org", "Example+20CA"),
	    PF(DN_SUBJECT, DN_ISSUER) }, T_ON, TLSVERSION_TLS1_3, 256, C_VER,
	    "mx.example.org", "MX.example.org", "Example CA", "OK" },
	{ "Sendmail: verify TRUSTED", SESSION_MTA_AUTO, false,
	    { TLS13, SM("TRUSTED", "mx.example.org", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "mx.example.org", "mx.example.org",
	    "CA", "TRUSTED" },
	{ "Sendmail: verify NO is no certificate", SESSION_MTA_AUTO, false,
	    { TLS13, "{verify}", "NO" }, T_ON, TLSVERSION_TLS1_3, 256, C_NONE,
	    "", NULL, NULL, "NO" },
	{ "Sendmail: verify NOT", SESSION_MTA_AUTO, false,
	    { TLS13, "{verify}", "NOT" }, T_ON, TLSVERSION_TLS1_3, 256, C_UNV,
	    "", NULL, NULL, "NOT" },
	{ "Sendmail: verify FAIL keeps the CN for the log only",
	    SESSION_MTA_AUTO, false,
	    { TLS13, SM("FAIL", "mx.example.org", "Evil+20CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_UNV, "", "mx.example.org", "Evil CA",
	    "FAIL" },
	{ "Sendmail: verify DANE_FAIL", SESSION_MTA_AUTO, false,
	    { TLS13, SM("DANE_FAIL", "mx.example.org", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_UNV, "", "mx.example.org", "CA",
	    "DANE_FAIL" },
	{ "Sendmail: verify lower-case ok", SESSION_MTA_AUTO, false,
	    { TLS13, SM("ok", "mx.example.org", "CA") }, T_ON, TLSVERSION_TLS1_3,
	    256, C_UNV, "", "mx.example.org", "CA", "ok" },
	{ "Sendmail: verify empty", SESSION_MTA_AUTO, false,
	    { TLS13, SM("", "mx.example.org", "CA") }, T_ON, TLSVERSION_TLS1_3,
	    256, C_UNV, "", "mx.example.org", "CA", "" },
	{ "Sendmail: xtext IDN CN", SESSION_MTA_AUTO, false,
	    { TLS13, SM("OK", "mx.b+C3+BCcher.example", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "mx.xn--bcher-kva.example",
	    "mx.b\xc3\xbc" "cher.example", "CA", "OK" },
	{ "Sendmail: xtext lower-case hex", SESSION_MTA_SENDMAIL, false,
	    { TLS13, SM("OK", "mx.b+c3+bccher.example", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "mx.xn--bcher-kva.example",
	    "mx.b\xc3\xbc" "cher.example", "CA", "OK" },
	{ "Sendmail: placeholder BadCertificateContainsNUL", SESSION_MTA_AUTO,
	    false, { TLS13, SM("OK", "BadCertificateContainsNUL", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "", "BadCertificateContainsNUL",
	    "CA", "OK" },
	{ "Sendmail: placeholder BadCertificateTooLong", SESSION_MTA_AUTO,
	    false, { TLS13, SM("OK", "BadCertificateTooLong", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "", "BadCertificateTooLong", "CA",
	    "OK" },
	{ "Sendmail: placeholder BadCertificateUnknown", SESSION_MTA_AUTO,
	    false, { TLS13, SM("OK", "BadCertificateUnknown", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "", "BadCertificateUnknown", "CA",
	    "OK" },
	{ "Sendmail: broken xtext is absent", SESSION_MTA_AUTO, false,
	    { TLS13, SM("OK", "mx+G1.example.org", "CA+2") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "", NULL, NULL, "OK" },
	{ "Sendmail: xtext NUL is absent", SESSION_MTA_AUTO, false,
	    { TLS13, SM("OK", "mx.example.org+00.evil", "CA") }, T_ON,
	    TLSVERSION_TLS1_3, 256, C_VER, "", NULL, "CA", "OK" },
	{ "Sendmail: 64 KiB CN is absent", SESSION_MTA_AUTO, false,
	    { TLS13, SM("OK", huge, "CA") }, T_ON, TLSVERSION_TLS1_3, 256, C_VER,
	    "", NULL, "CA", "OK" },
	{ "Sendmail: 255-byte CN kept, no name", SESSION_MTA_AUTO, false,
	    { TLS13, SM("OK", s255, "CA") }, T_ON, TLSVERSION_TLS1_3, 256, C_VER,
	    "", s255, "CA", "OK" },
	{ "Sendmail: {verify} with no TLS", SESSION_MTA_AUTO, false,
	    { "{verify}", "NONE" }, T_NONE, TLSVERSION_UNKNOWN, -1, C_UNV, "",
	    NULL, NULL, NULL },
};

static void
test_tls(void **state)
{
	const struct tls_row *row = *state;
	struct session s;

	session_init(&s);
	session_set_tls(&s, testutil_kv_lookup, (void *)row->macros, row->mta,
	    !row->incomplete);
	assert_int_equal(s.ss_tls, row->tls);
	assert_int_equal(s.ss_tls_version, row->version);
	assert_int_equal(s.ss_cipher_bits, row->bits);
	assert_int_equal(s.ss_cert, row->cert);
	assert_string_equal(s.ss_cert_name, row->cert_name);
	check_text(&s.ss_cert_subject, row->subject, row->subject != NULL &&
	    strlen(row->subject) > SESSION_TEXT_MAX);
	check_text(&s.ss_cert_issuer, row->issuer, false);
	check_text(&s.ss_verify, row->verify, false);
	if (row->tls != SESSION_TLS_ON) {
		check_text(&s.ss_tls_version_text, NULL, false);
		check_text(&s.ss_cipher, NULL, false);
		check_text(&s.ss_cipher_bits_text, NULL, false);
	} else {
		const char *v = testutil_kv_lookup((void *)row->macros, "{tls_version}");

		check_text(&s.ss_tls_version_text, v,
		    strlen(v) > SESSION_TEXT_MAX);
	}
}

/*
 * Sendmail's conventions, and which MTA "auto" picks.  The macro values
 * marked "measured" are what Sendmail 8.17.1.9 sent for the test PKI's
 * certificates (t/lib/pki.sh).
 */
#define V_PF	"v", "Postfix 3.7.11"
#define V_SM	"v", "8.17.1.9"
#define MD5_SM	"01:DF:CB:95:50:EA:FC:1A:F4:08:51:DD:4F:E0:3C:1D"
#define SHA256_SM "69:85:E9:15:D4:B7:33:A5:D5:9C:4F:9A:AC:C4:DD:EA:9D:FC:" \
		"28:37:32:D6:CA:63:D8:F6:39:8D:14:92:51:07"
#define ESC_ISSUER_DN "/O=Escapes+20+5C+2B+20Co,+20Ltd.+5C/+5CxC3+5Cx9C/" \
		"CN=Esc,+20CA+20+5C+2B1+5C/+5CxC3+5CxBC"
#define ESC_ISSUER_CN "Esc,+20CA+20+2B1/+C3+BC"
#define LONG_SUBJECT "/O=Partner+20Organisation+20With+20A+20Very+20Long+20" \
		"Name+20For+20Testing+20How+20MTAs+20Pass+20Distinguished+20" \
		"Names+20That+20Do+20Not+20Fit+20In+20The+20Two+20Hundred+20" \
		"And+20Fifty+20Five+20Bytes+20Sendmail+20Keeps/OU=Department" \
		"+20Of+20Rather+20Long+20Organisational+20Unit+20Names,+20Mail" \
		"+20Exchangers+20Section"

struct sm_row {
	const char	*label;
	enum session_mta mta;
	const char	*macros[MACROS_MAX];
	enum session_mta want_mta;	/* ss_mta */
	enum session_cert cert;
	const char	*cert_name;	/* ss_cert_name */
	const char	*subject;	/* ss_cert_subject, NULL: absent */
	const char	*issuer;	/* ss_cert_issuer */
	const char	*issuer_dn;	/* ss_cert_issuer_dn */
	enum certfp_alg	 fp;		/* ss_cert_fp.cf_alg */
};

static const struct sm_row sm_rows[] = {
	/* which conventions "auto" applies */
	{ "auto: v Postfix", SESSION_MTA_AUTO, { V_PF, TLS13 },
	    SESSION_MTA_POSTFIX, C_UNV, "", NULL, NULL, NULL, CERTFP_NONE },
	{ "auto: v Sendmail", SESSION_MTA_AUTO, { V_SM, TLS13 },
	    SESSION_MTA_SENDMAIL, C_UNV, "", NULL, NULL, NULL, CERTFP_NONE },
	{ "auto: v absent, {verify}: Sendmail", SESSION_MTA_AUTO,
	    { TLS13, "{verify}", "NO" }, SESSION_MTA_SENDMAIL, C_NONE, "", NULL,
	    NULL, NULL, CERTFP_NONE },
	{ "auto: v absent, no {verify}: Postfix", SESSION_MTA_AUTO, { TLS13 },
	    SESSION_MTA_POSTFIX, C_UNV, "", NULL, NULL, NULL, CERTFP_NONE },
	{ "auto: v of another MTA, no {verify}: Postfix", SESSION_MTA_AUTO,
	    { "v", "Exim 4", TLS13 }, SESSION_MTA_POSTFIX, C_UNV, "", NULL,
	    NULL, NULL, CERTFP_NONE },
	{ "auto: v empty, {verify}: Sendmail", SESSION_MTA_AUTO,
	    { "v", "", TLS13, "{verify}", "NO" }, SESSION_MTA_SENDMAIL, C_NONE,
	    "", NULL, NULL, NULL, CERTFP_NONE },
	{ "auto: plaintext still resolves", SESSION_MTA_AUTO, { V_SM },
	    SESSION_MTA_SENDMAIL, C_UNV, "", NULL, NULL, NULL, CERTFP_NONE },
	{ "forced sendmail beats v Postfix", SESSION_MTA_SENDMAIL,
	    { V_PF, TLS13, SM("OK", "mx.example.org", "CA") },
	    SESSION_MTA_SENDMAIL, C_VER, "mx.example.org", "mx.example.org",
	    "CA", NULL, CERTFP_NONE },
	{ "forced postfix beats v Sendmail", SESSION_MTA_POSTFIX,
	    { V_SM, TLS13, PF("mx.example.org", "CA") }, SESSION_MTA_POSTFIX,
	    C_VER, "mx.example.org", "mx.example.org", "CA", NULL, CERTFP_NONE },

	/* v Postfix: Sendmail-looking macros are not trusted */
	{ "v Postfix with {verify} OK: Postfix conventions", SESSION_MTA_AUTO,
	    { V_PF, TLS13, SM("OK", "mx.example.org", "CA") },
	    SESSION_MTA_POSTFIX, C_UNV, "", NULL, NULL, NULL, CERTFP_NONE },
	{ "v Postfix ignores {cert_md5}", SESSION_MTA_AUTO,
	    { V_PF, TLS13, PF("mx.example.org", "CA"), "{cert_md5}", MD5_SM },
	    SESSION_MTA_POSTFIX, C_VER, "mx.example.org", "mx.example.org", "CA",
	    NULL, CERTFP_NONE },

	/* v Sendmail: {verify} decides */
	{ "v Sendmail, stock macro list (no {verify}): unverified",
	    SESSION_MTA_AUTO, { V_SM, TLS13,
	    PF("/CN=mx1.partner.test", "/O=tls-policy-milter+20tests/CN=Test+20"
	    "Issuing+20CA") }, SESSION_MTA_SENDMAIL, C_UNV, "", NULL, NULL,
	    "/O=tls-policy-milter tests/CN=Test Issuing CA", CERTFP_NONE },
	{ "measured: verified mx1, md5", SESSION_MTA_AUTO, { V_SM, TLS13,
	    PF("/CN=mx1.partner.test", "/O=tls-policy-milter+20tests/CN=Test+20"
	    "Issuing+20CA"), SM("OK", "mx1.partner.test", "Test+20Issuing+20CA"),
	    "{cert_md5}", MD5_SM }, SESSION_MTA_SENDMAIL, C_VER,
	    "mx1.partner.test", "mx1.partner.test", "Test Issuing CA",
	    "/O=tls-policy-milter tests/CN=Test Issuing CA", CERTFP_MD5 },
	{ "measured: verified mx1, {cert_fp} sha256", SESSION_MTA_AUTO,
	    { V_SM, TLS13, SM("OK", "mx1.partner.test", "Test+20Issuing+20CA"),
	    "{cert_fp}", SHA256_SM }, SESSION_MTA_SENDMAIL, C_VER,
	    "mx1.partner.test", "mx1.partner.test", "Test Issuing CA", NULL,
	    CERTFP_SHA256 },
	{ "{cert_fp} unreadable, {cert_md5} taken", SESSION_MTA_SENDMAIL,
	    { TLS13, SM("FAIL", "x", "y"), "{cert_fp}", "junk", "{cert_md5}",
	    MD5_SM }, SESSION_MTA_SENDMAIL, C_UNV, "", "x", "y", NULL,
	    CERTFP_MD5 },
	{ "measured: self-signed FAIL keeps its fingerprint", SESSION_MTA_AUTO,
	    { V_SM, TLS13, SM("FAIL", "selfsigned.partner.test",
	    "selfsigned.partner.test"), "{cert_md5}",
	    "D3:BF:47:98:E8:46:B8:21:2F:77:7E:24:3C:01:77:45" },
	    SESSION_MTA_SENDMAIL, C_UNV, "", "selfsigned.partner.test",
	    "selfsigned.partner.test", NULL, CERTFP_MD5 },
	{ "measured: no certificate, every macro empty", SESSION_MTA_AUTO,
	    { V_SM, TLS13, PF("", ""), SM("NO", "", ""), "{cert_md5}", "" },
	    SESSION_MTA_SENDMAIL, C_NONE, "", NULL, NULL, NULL, CERTFP_NONE },
	{ "measured: escapes in the issuer", SESSION_MTA_AUTO,
	    { V_SM, TLS13, SM("OK", "mx1.partner.test", ESC_ISSUER_CN),
	    "{cert_issuer}", ESC_ISSUER_DN }, SESSION_MTA_SENDMAIL, C_VER,
	    "mx1.partner.test", "mx1.partner.test",
	    "Esc, CA +1/\303\274",
	    "/O=Escapes + Co, Ltd./\303\234/CN=Esc, CA +1/\303\274",
	    CERTFP_NONE },
	{ "measured: CN with escapes is no host name", SESSION_MTA_AUTO,
	    { V_SM, TLS13, SM("OK", "mx,+20+2B1/+C3+BC.partner.test",
	    "Test+20Issuing+20CA") }, SESSION_MTA_SENDMAIL, C_VER, "",
	    "mx, +1/\303\274.partner.test", "Test Issuing CA", NULL,
	    CERTFP_NONE },
	{ "measured: DN over 255 bytes lost its CN, {cn_subject} has it",
	    SESSION_MTA_AUTO, { V_SM, TLS13, "{cert_subject}", LONG_SUBJECT,
	    SM("OK", "mx1.partner.test", "Test+20Issuing+20CA") },
	    SESSION_MTA_SENDMAIL, C_VER, "mx1.partner.test", "mx1.partner.test",
	    "Test Issuing CA", NULL, CERTFP_NONE },
	{ "issuer DN with \\x00 is absent", SESSION_MTA_SENDMAIL,
	    { TLS13, SM("OK", "mx", "CA"), "{cert_issuer}", "/CN=a+5Cx00" },
	    SESSION_MTA_SENDMAIL, C_VER, "mx", "mx", "CA", NULL, CERTFP_NONE },
	{ "issuer DN of 64 KiB is absent", SESSION_MTA_SENDMAIL,
	    { TLS13, SM("OK", "mx", "CA"), "{cert_issuer}", huge },
	    SESSION_MTA_SENDMAIL, C_VER, "mx", "mx", "CA", NULL, CERTFP_NONE },
};

static void
test_sendmail(void **state)
{
	const struct sm_row *row = *state;
	struct session s;

	session_init(&s);
	session_set_tls(&s, testutil_kv_lookup, (void *)row->macros, row->mta, true);
	assert_int_equal(s.ss_mta, row->want_mta);
	assert_int_equal(s.ss_cert, row->cert);
	assert_string_equal(s.ss_cert_name, row->cert_name);
	check_text(&s.ss_cert_subject, row->subject, false);
	check_text(&s.ss_cert_issuer, row->issuer, false);
	check_text(&s.ss_cert_issuer_dn, row->issuer_dn, false);
	assert_int_equal(s.ss_cert_fp.cf_alg, row->fp);
}

/* session_mta_parse and session_mta_name agree. */
static void
test_mta_names(void **state)
{
	enum session_mta m = SESSION_MTA_POSTFIX;

	(void)state;
	assert_int_equal(session_mta_parse("auto", &m), 0);
	assert_int_equal(m, SESSION_MTA_AUTO);
	assert_int_equal(session_mta_parse("postfix", &m), 0);
	assert_int_equal(m, SESSION_MTA_POSTFIX);
	assert_int_equal(session_mta_parse("sendmail", &m), 0);
	assert_int_equal(m, SESSION_MTA_SENDMAIL);
	assert_int_equal(session_mta_parse("Sendmail", &m), -1);
	assert_int_equal(session_mta_parse(NULL, &m), -1);
	assert_int_equal(m, SESSION_MTA_SENDMAIL);
	assert_string_equal(session_mta_name(SESSION_MTA_POSTFIX), "postfix");
	assert_string_equal(session_mta_name(SESSION_MTA_SENDMAIL), "sendmail");
	assert_string_equal(session_mta_name(SESSION_MTA_AUTO), "auto");
}

/* HELO before and after STARTTLS (RFC 3207 section 4.2). */
struct tlshelo_row {
	const char	*label;
	const char	*pre, *post;	/* HELO before / with TLS */
	bool		 tls, incomplete;
	const char	*want;		/* ss_helo at MAIL */
};

static const struct tlshelo_row tlshelo_rows[] = {
	{ "pre-TLS HELO forgotten once TLS is on", "pre.example", NULL, true,
	    false, "" },
	{ "post-TLS HELO kept", NULL, "post.example", true, false,
	    "post.example" },
	{ "post-TLS HELO replaces the pre-TLS one", "pre.example",
	    "post.example", true, false, "post.example" },
	{ "plaintext keeps the HELO", "pre.example", NULL, false, false,
	    "pre.example" },
	{ "TLS unknown keeps the HELO", "pre.example", NULL, false, true,
	    "pre.example" },
	{ "no HELO, TLS on", NULL, NULL, true, false, "" },
	{ "pre-TLS literal forgotten", "[192.0.2.1]", NULL, true, false, "" },
};

static void
test_tlshelo(void **state)
{
	static const char *const on[] = { TLS13, NULL };
	static const char *const off[] = { NULL };
	const struct tlshelo_row *row = *state;
	struct session s;

	session_init(&s);
	if (row->pre != NULL)
		session_set_helo(&s, row->pre, false);
	if (row->post != NULL)
		session_set_helo(&s, row->post, true);
	session_set_tls(&s, testutil_kv_lookup, (void *)(row->tls ? on : off),
	    SESSION_MTA_AUTO, !row->incomplete);
	assert_string_equal(s.ss_helo, row->want);
	if (row->want[0] == '\0')
		assert_false(s.ss_helo_text.st_present);
	else
		assert_string_equal(s.ss_helo_text.st_value, row->want);
}

/* Reading the TLS facts again (a second MAIL) forgets the old ones. */
static void
test_tls_again(void **state)
{
	static const char *const verified[] = { TLS13, "{cipher}", "X",
		SM("OK", "mx.example.org", "CA"), "{cert_issuer}", "/CN=CA",
		"{cert_md5}", MD5_SM, NULL };
	static const char *const plain[] = { NULL };
	struct session s;

	(void)state;
	session_init(&s);
	session_set_tls(&s, testutil_kv_lookup, (void *)verified, SESSION_MTA_AUTO,
	    true);
	assert_int_equal(s.ss_cert, SESSION_CERT_VERIFIED);
	session_set_tls(&s, testutil_kv_lookup, (void *)plain, SESSION_MTA_AUTO, true);
	assert_int_equal(s.ss_tls, SESSION_TLS_NONE);
	assert_int_equal(s.ss_tls_version, TLSVERSION_UNKNOWN);
	assert_int_equal(s.ss_cipher_bits, -1);
	assert_int_equal(s.ss_cert, SESSION_CERT_UNVERIFIED);
	assert_string_equal(s.ss_cert_name, "");
	check_text(&s.ss_tls_version_text, NULL, false);
	check_text(&s.ss_cipher, NULL, false);
	check_text(&s.ss_cipher_bits_text, NULL, false);
	check_text(&s.ss_verify, NULL, false);
	check_text(&s.ss_cert_subject, NULL, false);
	check_text(&s.ss_cert_issuer, NULL, false);
	check_text(&s.ss_cert_issuer_dn, NULL, false);
	assert_int_equal(s.ss_cert_fp.cf_alg, CERTFP_NONE);
	session_set_tls(&s, testutil_kv_lookup, (void *)plain, SESSION_MTA_AUTO, false);
	assert_int_equal(s.ss_tls, SESSION_TLS_UNKNOWN);
}

/* A new session knows nothing, and least of all that TLS is off. */
static void
test_init(void **state)
{
	struct session s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	session_init(&s);
	assert_int_equal(s.ss_tls, SESSION_TLS_UNKNOWN);
	assert_int_equal(s.ss_cert, SESSION_CERT_UNVERIFIED);
	assert_int_equal(s.ss_cipher_bits, -1);
	assert_int_equal(s.ss_tls_version, TLSVERSION_UNKNOWN);
	assert_int_equal(s.ss_addr.ip_family, 0);
	assert_string_equal(s.ss_client_name, "");
	assert_string_equal(s.ss_helo, "");
	assert_false(s.ss_auth);
	assert_false(s.ss_sender.ma_present);
	check_text(&s.ss_helo_text, NULL, false);
	check_text(&s.ss_listener, NULL, false);
}

/* ------------------------------------------------------------ bounded copies */

struct text_row {
	const char	*label;
	const char	*in;
	bool		 cut;
};

static const struct text_row text_rows[] = {
	{ "NULL is absent", NULL, false },
	{ "empty is present", "", false },
	{ "short", "abc", false },
	{ "255 bytes fit", s255, false },
	{ "256 bytes are cut to 255", s256, true },
	{ "64 KiB are cut to 255", huge, true },
	{ "8-bit bytes copied as they are", "\xff\xfe\x01", false },
};

static void
test_text(void **state)
{
	const struct text_row *row = *state;
	struct session_text t;

	memset(&t, 0xa5, sizeof(t));
	session_text_set(&t, row->in);
	check_text(&t, row->in, row->cut);
}

/* No bound is read past: the input has no NUL within its allocation. */
static void
test_text_unterminated(void **state)
{
	struct session_text t;
	size_t n;
	char *p;

	(void)state;
	for (n = 1; n <= SESSION_TEXT_MAX + 1; n += SESSION_TEXT_MAX) {
		p = malloc(n);
		assert_non_null(p);
		memset(p, 'q', n);
		if (n <= SESSION_TEXT_MAX)
			p[n - 1] = '\0';
		session_text_set(&t, p);	/* valgrind: no read past p[n-1] */
		assert_true(t.st_present);
		assert_int_equal(t.st_cut, n > SESSION_TEXT_MAX);
		assert_int_equal(strlen(t.st_value), n > SESSION_TEXT_MAX ?
		    SESSION_TEXT_MAX : n - 1);
		free(p);
	}
}

/* ------------------------------------------------------------ MAIL: auth */

struct sender_row {
	const char	*label;
	const char	*sender, *auth, *queue_id;
	bool		 authenticated;
	bool		 present, null, valid;
	const char	*domain;
};

static const struct sender_row sender_rows[] = {
	{ "logged in", "<a@Example.ORG>", "alice", "4XyZ1", true, true, false,
	    true, "example.org" },
	{ "auth empty is no login", "a@example.org", "", NULL, false, true,
	    false, true, "example.org" },
	{ "auth absent is no login", "a@example.org", NULL, NULL, false, true,
	    false, true, "example.org" },
	{ "null sender <>", "<>", NULL, NULL, false, true, true, false, "" },
	{ "null sender as Postfix {mail_addr}", "", "bob", NULL, true, true,
	    true, false, "" },
	{ "no sender", NULL, NULL, NULL, false, false, false, false, "" },
	{ "64 KiB sender is invalid", huge, "x", NULL, true, true, false, false,
	    "" },
	{ "64 KiB login is cut, still a login", "a@example.org", huge, huge,
	    true, true, false, true, "example.org" },
};

static void
test_sender(void **state)
{
	const struct sender_row *row = *state;
	struct session s;

	session_init(&s);
	session_set_sender(&s, "first@example.com", "first", "Q1");
	session_set_sender(&s, row->sender, row->auth, row->queue_id);
	assert_int_equal(s.ss_auth, row->authenticated);
	check_text(&s.ss_auth_name, row->authenticated ? row->auth : NULL,
	    row->authenticated && strlen(row->auth) > SESSION_TEXT_MAX);
	check_text(&s.ss_sender_text, row->sender, row->sender != NULL &&
	    strlen(row->sender) > SESSION_TEXT_MAX);
	check_text(&s.ss_queue_id, row->queue_id, row->queue_id != NULL &&
	    strlen(row->queue_id) > SESSION_TEXT_MAX);
	assert_int_equal(s.ss_sender.ma_present, row->present);
	assert_int_equal(s.ss_sender.ma_null, row->null);
	assert_int_equal(s.ss_sender.ma_valid, row->valid);
	assert_string_equal(s.ss_sender.ma_domain, row->domain);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	memset(huge, 'a', sizeof(huge) - 1);
	memset(huge_digits, '1', sizeof(huge_digits) - 1);
	memset(s255, 'b', sizeof(s255) - 1);
	memset(s256, 'c', sizeof(s256) - 1);
	testlist_add(&tl, "session_init", test_init, NULL);
	TESTLIST_TABLE(&tl, "client", test_client, client_rows, label);
	TESTLIST_TABLE(&tl, "listener", test_listener, listener_rows, label);
	TESTLIST_TABLE(&tl, "listener port and address", test_daemon,
	    daemon_rows, label);
	TESTLIST_TABLE(&tl, "helo", test_helo, helo_rows, label);
	TESTLIST_TABLE(&tl, "session_helo_normalize", test_helonorm,
	    helonorm_rows, label);
	TESTLIST_TABLE(&tl, "tls", test_tls, tls_rows, label);
	TESTLIST_TABLE(&tl, "sendmail", test_sendmail, sm_rows, label);
	testlist_add(&tl, "mta names", test_mta_names, NULL);
	TESTLIST_TABLE(&tl, "tls and helo", test_tlshelo, tlshelo_rows, label);
	testlist_add(&tl, "tls: read again forgets old facts", test_tls_again,
	    NULL);
	TESTLIST_TABLE(&tl, "session_text_set", test_text, text_rows, label);
	testlist_add(&tl, "session_text_set: unterminated input",
	    test_text_unterminated, NULL);
	TESTLIST_TABLE(&tl, "sender", test_sender, sender_rows, label);
	return testlist_run(&tl, "session");
}
