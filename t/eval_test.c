/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * eval_test.c - policy_eval() on a rich policy, golden and table-driven.
 *
 * Two policies are written to temporary files and loaded with
 * conf_load(): a rich one that uses every selector, requirement and
 * action, and a small one in mode "monitor".  Each row describes a
 * session as the daemon sees it (connect facts, HELO before and after
 * STARTTLS, the MTA's macros at MAIL as a key/value table, sender and one
 * recipient), built with the session_set_*() functions the daemon uses,
 * and gives the expected verdict, deciding rule, stage, reply, monitor
 * flag and a piece of the reason.  Then whole transactions with several
 * recipients, and a property test over a few thousand random sessions.
 */
#include "testlist.h"

#include <inttypes.h>
#include <stdbool.h>
#include <unistd.h>

#include "conf.h"
#include "decision.h"
#include "mailaddr.h"
#include "policy.h"
#include "query.h"
#include "richpolicy.h"
#include "rule.h"
#include "session.h"
#include "testutil.h"

/* ------------------------------------------------------------ policies */

static const char rich_policy[] =
    "# every selector, requirement and action\n"
    "mode        = \"enforce\"\n"
    "reply_code  = 554\n"
    "reply_xcode = \"5.7.0\"\n"
    "reply_text  = \"Command refused due to lack of security\"\n"
    "\n"
    RICHPOLICY_FIRST_RULES
    "rule \"helo-partner\" {\n"
    "    helo    = {\"mx.helo.example\", \".helo-partner.example\",\n"
    "               \"[192.0.2.99]\"}\n"
    "    require = \"secure\"\n"
    "    action  = \"monitor\"\n"
    "}\n"
    "rule \"finance\" {\n"
    "    recipient    = {\"finance.example.org\", \"cfo@example.org\",\n"
    "                    \".secure.example.org\"}\n"
    "    require      = \"encrypt\"\n"
    "    min_protocol = \"TLS1.2\"\n"
    "}\n"
    "rule \"legacy-net\" {\n"
    "    client_addr     = {\"198.51.100.0/24\", \"2001:db8:bad::/48\"}\n"
    "    require         = \"encrypt\"\n"
    "    min_cipher_bits = 112\n"
    "}\n";

static const char monitor_policy[] =
    "mode = \"monitor\"\n"
    "rule \"finance\" {\n"
    "    recipient = {\"finance.example.org\"}\n"
    "    require   = \"encrypt\"\n"
    "}\n"
    "rule \"everything\" {\n"
    "    require = \"verify\"\n"
    "}\n";

/*
 * Sendmail's extras: pinned fingerprints (any certificate, or verified
 * only), issuers named by DN, and the same policy under mta = "auto";
 * and a single-label certificate name, as an internal CA gives.
 */
#define PIN_MD5	"01:DF:CB:95:50:EA:FC:1A:F4:08:51:DD:4F:E0:3C:1D"
#define PIN_SHA256 "69:85:E9:15:D4:B7:33:A5:D5:9C:4F:9A:AC:C4:DD:EA:" \
		"9D:FC:28:37:32:D6:CA:63:D8:F6:39:8D:14:92:51:07"
#define ESC_DN	"/O=Escapes + Co, Ltd./\303\234/CN=Esc, CA +1/\303\274"
static const char pin_policy[] =
    "rule \"pinned\" {\n"
    "    sender           = {\"pinned.example\"}\n"
    "    require          = \"encrypt\"\n"
    "    cert_fingerprint = {\"md5:" PIN_MD5 "\", \"sha256:" PIN_SHA256 "\"}\n"
    "}\n"
    "rule \"pinned-verified\" {\n"
    "    sender           = {\"both.example\"}\n"
    "    require          = \"verify\"\n"
    "    cert_fingerprint = {\"md5:" PIN_MD5 "\"}\n"
    "}\n"
    "rule \"dn\" {\n"
    "    sender      = {\"dn.example\"}\n"
    "    require     = \"verify\"\n"
    "    cert_issuer = {\"" ESC_DN "\", \"Other CA\"}\n"
    "}\n"
    "rule \"internal-ca\" {\n"
    "    sender    = {\"hub.example\"}\n"
    "    require   = \"secure\"\n"
    "    cert_name = {\"mailhub\"}\n"
    "}\n";

/*
 * What a postmaster needs and could not say before: address extensions
 * (recipient_delimiter), the listener by port and address, and "if TLS
 * is used, it must be strong".
 */
static const char lang_policy[] =
    "recipient_delimiter = \"+\"\n"
    "rule \"boss\" {\n"
    "    sender  = {\"boss@ourcorp.example\"}\n"
    "    require = \"encrypt\"\n"
    "}\n"
    "rule \"by-port\" {\n"
    "    listener_port = {587, 465}\n"
    "    require       = \"verify\"\n"
    "}\n"
    "rule \"by-addr\" {\n"
    "    listener_addr = {\"192.0.2.25\", \"2001:db8::/32\"}\n"
    "    require       = \"encrypt\"\n"
    "}\n"
    "rule \"strong-if-tls\" {\n"
    "    tls          = true\n"
    "    require      = \"encrypt\"\n"
    "    min_protocol = \"TLSv1.2\"\n"
    "}\n"
    "rule \"legal\" {\n"
    "    recipient = {\"legal@ourcorp.example\"}\n"
    "    require   = \"encrypt\"\n"
    "}\n";

enum { RICH, MON, PIN, LANG, NPOLICIES };
static struct policy *policies[NPOLICIES];

/* load - write text to a temporary file and load it; fails the test on
 * any problem.  The caller owns the policy. */
static struct policy *
load(const char *text)
{
	char path[] = "/tmp/eval_test.XXXXXX";
	struct conf_errors errors;
	struct policy *p;
	size_t i, len = strlen(text);
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
		fprintf(stderr, "eval_test: cannot write %s\n", path);
		exit(99);
	}
	p = conf_load(path, &errors);
	for (i = 0; i < errors.ce_count; i++)
		fprintf(stderr, "eval_test: %s\n", errors.ce_lines[i]);
	conf_errors_free(&errors);
	unlink(path);
	return p;
}

/* ------------------------------------------------------------ sessions */

#define MACROS_MAX 32

/* A session as the daemon sees it; NULL: the MTA did not send it. */
struct sess {
	const char	*addr, *name, *resolve, *listener;
	const char	*helo_pre;	/* HELO before STARTTLS */
	const char	*helo_post;	/* HELO with TLS active */
	enum session_mta mta;
	bool		incomplete;	/* macros_complete false */
	const char	*sender, *auth;
	const char	*rcpt;		/* asked when MAIL defers */
	const char	*macros[MACROS_MAX];	/* name, value, ..., NULL */
};

/* The macros of CONNECT: {daemon_name} is d->listener, the others (the
 * listener's port and address) in d->macros. */
static const char *
conn_lookup(void *ctx, const char *name)
{
	const struct sess *d = ctx;

	if (strcmp(name, "{daemon_name}") == 0)
		return d->listener;
	return testutil_kv_lookup((void *)d->macros, name);
}

/* build - fill s as milter.c does: CONNECT and HELO into the connection's
 * session, then a copy of it gets the TLS facts and sender at MAIL. */
static void
build(const struct sess *d, struct session *s)
{
	struct session conn;

	session_init(&conn);
	session_set_client(&conn, d->addr, d->name, d->resolve);
	session_set_listener(&conn, conn_lookup, (void *)d);
	if (d->helo_pre != NULL)
		session_set_helo(&conn, d->helo_pre, false);
	if (d->helo_post != NULL)
		session_set_helo(&conn, d->helo_post, true);
	*s = conn;
	session_set_tls(s, testutil_kv_lookup, (void *)d->macros, d->mta,
	    !d->incomplete);
	session_set_sender(s, d->sender, d->auth, NULL);
}

/* evaluate - MAIL, then RCPT for rcpt when MAIL defers; *stage says which
 * answered. */
static void
evaluate(const struct policy *p, const struct session *s, const char *rcpt,
    struct verdict *v, const char **stage)
{
	struct mailaddr ra;

	*stage = "mail";
	policy_eval(p, s, NULL, v);
	if (v->vd_kind != VERDICT_DEFER)
		return;
	*stage = "rcpt";
	(void)mailaddr_parse(rcpt, &ra);
	policy_eval(p, s, &ra, v);
}

/* x_replay - is the verdict's decision line decided the same (below). */
static int x_replay(const struct policy *p, const struct session *s,
    const struct mailaddr *ra, const char *rcpt, const struct verdict *v,
    unsigned long *failures);

/* ------------------------------------------------------------ the table */

static char huge[64 * 1024 + 1];	/* "x.x.x. ... mx.helo-partner.example" */
static char huge_cert[64 * 1024 + 1];	/* "x.x.x. ... mx1.partner.example" */
static char long_sender[400];		/* 300 x "a" "@partner.example" */
static char long_finance[400];		/* 300 x "a" "+tag@finance.example.org" */

#define OUTSIDE	"192.0.2.10"		/* in no client_addr list */
#define PCA	"Partner Issuing CA"
#define RCA	"Example Relay CA"
#define TLS13	"{tls_version}", "TLSv1.3", "{cipher}", \
		"TLS_AES_256_GCM_SHA384", "{cipher_bits}", "256"
#define TLS12	"{tls_version}", "TLSv1.2", "{cipher}", \
		"ECDHE-RSA-AES256-GCM-SHA384", "{cipher_bits}", "256"
#define TLS11	"{tls_version}", "TLSv1.1", "{cipher}", \
		"ECDHE-RSA-AES128-SHA", "{cipher_bits}", "128"
#define TLSV(v)	"{tls_version}", v, "{cipher}", \
		"ECDHE-RSA-AES128-GCM-SHA256", "{cipher_bits}", "128"
#define BITS(b)	"{tls_version}", "TLSv1.3", "{cipher}", \
		"TLS_AES_128_GCM_SHA256", "{cipher_bits}", b
#define CIPHER(c) "{tls_version}", "TLSv1.2", "{cipher}", c, \
		"{cipher_bits}", "128"
/* Postfix: CN macros only for a verified certificate. */
#define PF(cn, issuer) "{cert_subject}", cn, "{cert_issuer}", issuer
/* Sendmail: {verify} and xtext-encoded common names. */
#define SM(verify, cn, issuer) "{verify}", verify, "{cn_subject}", cn, \
		"{cn_issuer}", issuer

#define PARTNER	.addr = OUTSIDE, .sender = "a@partner.example", \
		.rcpt = "user@example.com"
#define OTHER	.addr = OUTSIDE, .sender = "x@example.com", \
		.rcpt = "user@example.com"

#define ACCEPT(rule, stage, why) \
	VERDICT_ACCEPT, rule, stage, NULL, false, why, NO_NOTE
#define REJECT(rule, stage, reply, why) \
	VERDICT_REJECT, rule, stage, reply, false, why, NO_NOTE
#define TEMPFAIL(rule, stage, reply, why) \
	VERDICT_TEMPFAIL, rule, stage, reply, false, why, NO_NOTE
#define MONITOR(kind, rule, stage, reply, why) \
	kind, rule, stage, reply, true, why, NO_NOTE
/* An acceptance after a monitor rule noted what it would refuse: NOTE()
 * follows. */
#define ACCEPT_N(rule, stage, why) \
	VERDICT_ACCEPT, rule, stage, NULL, false, why

/* After a row's verdict: a monitor rule noted on the way (policy.h). */
#define NOTE(rule, kind, why)	rule, kind, why
#define NO_NOTE			NULL, VERDICT_ACCEPT, NULL

#define UNKNOWN_REPLY	"451 4.3.5"
#define WHY_UNKNOWN	"macros missing"

struct eval_row {
	const char	*label;
	int		 policy;
	struct sess	 s;
	enum verdict_kind kind;
	const char	*rule;		/* NULL: no rule applied */
	const char	*stage;		/* "mail" or "rcpt" */
	const char	*reply;		/* "554 5.7.0", NULL for accept */
	bool		 monitor;
	const char	*reason;	/* a substring of vd_reason */
	/* the one monitor rule noted on the way (NULL: none) */
	const char	*note;
	enum verdict_kind note_kind;
	const char	*note_reason;	/* a substring of its reason */
};

#define V_SM	"v", "8.17.1.9"
#define V_PF	"v", "Postfix 3.7.11"
#define ESC_DN_SM "/O=Escapes+20+5C+2B+20Co,+20Ltd.+5C/+5CxC3+5Cx9C/" \
		"CN=Esc,+20CA+20+5C+2B1+5C/+5CxC3+5CxBC"
#define PINNED	.addr = OUTSIDE, .sender = "a@pinned.example"
#define BOTH	.addr = OUTSIDE, .sender = "a@both.example"
#define DNS	.addr = OUTSIDE, .sender = "a@dn.example"
#define HUB	.addr = OUTSIDE, .sender = "a@hub.example"

#define PORT(p)	"{daemon_port}", p
#define LADDR(a) "{daemon_addr}", a
#define PLAIN_TO(r) .addr = OUTSIDE, .sender = "a@x.example", .rcpt = r

static const struct eval_row rows[] = {
	/* recipient_delimiter, listener_port, listener_addr, tls */
	{ "lang: plaintext to an address with an extension: refused as its "
	    "base", LANG, { PLAIN_TO("legal+urgent@ourcorp.example"),
	    .macros = { V_PF } },
	    REJECT("legal", "rcpt", "554 5.7.0", "TLS not in use") },
	{ "lang: plaintext to the base address: refused", LANG,
	    { PLAIN_TO("<LEGAL@ourcorp.example>"), .macros = { V_PF } },
	    REJECT("legal", "rcpt", "554 5.7.0", "TLS not in use") },
	{ "lang: a longer local part is another address", LANG,
	    { PLAIN_TO("legalx+urgent@ourcorp.example"), .macros = { V_PF } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "lang: TLS 1.3: the TLS rule above decides at MAIL", LANG,
	    { PLAIN_TO("legal+a+b@ourcorp.example"), .macros = { V_PF, TLS13 } },
	    ACCEPT("strong-if-tls", "mail", "requirements met") },
	{ "lang: a sender with an extension is its base", LANG,
	    { .addr = OUTSIDE, .sender = "<Boss+news@ourcorp.example>",
	    .rcpt = "u@example.com", .macros = { V_PF } },
	    REJECT("boss", "mail", "554 5.7.0", "TLS not in use") },
	{ "lang: port 587 without a certificate", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF, TLS13, PORT("587") } },
	    REJECT("by-port", "mail", "554 5.7.0", "no verified client") },
	{ "lang: port 25 is not 587", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF, PORT("25") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "lang: a port that is not a number matches nothing", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF, PORT("587x") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "lang: listener address, plaintext", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF,
	    LADDR("192.0.2.25") } },
	    REJECT("by-addr", "mail", "554 5.7.0", "TLS not in use") },
	{ "lang: listener address in Sendmail's IPv6 form", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_SM,
	    LADDR("IPv6:2001:db8:0:0:0:0:0:25") } },
	    REJECT("by-addr", "mail", "554 5.7.0", "TLS not in use") },
	{ "lang: another listener address", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF,
	    LADDR("192.0.2.26") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "lang: tls = true passes plaintext by", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "lang: tls = true refuses TLS 1.1", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF, TLS11 } },
	    REJECT("strong-if-tls", "mail", "554 5.7.0",
	    "TLS version TLSv1.1 is below TLSv1.2") },
	{ "lang: tls = true accepts TLS 1.2", LANG,
	    { PLAIN_TO("u@example.com"), .macros = { V_PF, TLS12 } },
	    ACCEPT("strong-if-tls", "mail", "requirements met") },
	{ "lang: TLS facts missing: tls may be true", LANG,
	    { PLAIN_TO("u@example.com"), .incomplete = true,
	    .macros = { V_PF } },
	    TEMPFAIL("strong-if-tls", "mail", UNKNOWN_REPLY,
	    "could not be ruled out") },
	/* Sendmail: pins */
	{ "pin md5: self-signed (verify FAIL) with the pinned md5", PIN,
	    { PINNED, .macros = { V_SM, TLS13, SM("FAIL", "x", "x"),
	    "{cert_md5}", PIN_MD5 } },
	    ACCEPT("pinned", "mail", "requirements met") },
	{ "pin sha256: {cert_fp} pinned", PIN,
	    { PINNED, .macros = { V_SM, TLS13, SM("OK", "x", "x"),
	    "{cert_fp}", PIN_SHA256 } },
	    ACCEPT("pinned", "mail", "requirements met") },
	{ "pin: another certificate", PIN,
	    { PINNED, .macros = { V_SM, TLS13, SM("OK", "x", "x"),
	    "{cert_md5}", "01:DF:CB:95:50:EA:FC:1A:F4:08:51:DD:4F:E0:3C:1E" } },
	    REJECT("pinned", "mail", "554 5.7.0",
	    "certificate fingerprint (md5) not pinned") },
	{ "pin: sha256 of the md5-pinned certificate is not the sha256 pin", PIN,
	    { PINNED, .macros = { V_SM, TLS13, SM("OK", "x", "x"),
	    "{cert_fp}", PIN_MD5 ":00:00:00:00:00:00:00:00:00:00:00:00:00:00:"
	    "00:00" } },
	    REJECT("pinned", "mail", "554 5.7.0", "(sha256) not pinned") },
	{ "pin: no certificate", PIN,
	    { PINNED, .macros = { V_SM, TLS13, SM("NO", "", ""),
	    "{cert_md5}", "" } },
	    REJECT("pinned", "mail", "554 5.7.0", "no client certificate") },
	{ "pin: plaintext", PIN, { PINNED, .macros = { V_SM } },
	    REJECT("pinned", "mail", "554 5.7.0", "TLS not in use") },
	{ "pin: Sendmail's stock macro list has no fingerprint", PIN,
	    { PINNED, .macros = { V_SM, TLS13, PF("/CN=x", "/CN=x") } },
	    REJECT("pinned", "mail", "554 5.7.0",
	    "the MTA gave no certificate fingerprint") },
	{ "pin: Postfix gives no fingerprint", PIN,
	    { PINNED, .macros = { V_PF, TLS13, PF("x", "CA") } },
	    REJECT("pinned", "mail", "554 5.7.0",
	    "the MTA gave no certificate fingerprint") },
	{ "pin: Postfix with a fingerprint macro is not believed", PIN,
	    { PINNED, .macros = { V_PF, TLS13, PF("x", "CA"),
	    "{cert_md5}", PIN_MD5 } },
	    REJECT("pinned", "mail", "554 5.7.0",
	    "the MTA gave no certificate fingerprint") },
	{ "pin + verify: pinned but not verified", PIN,
	    { BOTH, .macros = { V_SM, TLS13, SM("FAIL", "x", "x"),
	    "{cert_md5}", PIN_MD5 } },
	    REJECT("pinned-verified", "mail", "554 5.7.0",
	    "not verified (verify=FAIL)") },
	{ "pin + verify: pinned and verified", PIN,
	    { BOTH, .macros = { V_SM, TLS13, SM("OK", "x", "x"),
	    "{cert_md5}", PIN_MD5 } },
	    ACCEPT("pinned-verified", "mail", "requirements met") },

	/* Sendmail: issuer DNs */
	{ "issuer DN: measured escapes match the decoded DN", PIN,
	    { DNS, .macros = { V_SM, TLS13, SM("OK", "mx1.partner.test",
	    "Esc,+20CA+20+2B1/+C3+BC"), "{cert_issuer}", ESC_DN_SM } },
	    ACCEPT("dn", "mail", "requirements met") },
	{ "issuer DN: CN entry still matches {cn_issuer}", PIN,
	    { DNS, .macros = { V_SM, TLS13, SM("OK", "mx", "Other+20CA"),
	    "{cert_issuer}", "/CN=Other+20CA" } },
	    ACCEPT("dn", "mail", "requirements met") },
	{ "issuer DN: the DN's CN alone is no DN", PIN,
	    { DNS, .macros = { V_SM, TLS13, SM("OK", "mx", "Esc,+20CA+20+2B1/"
	    "+C3+BC"), "{cert_issuer}", "/CN=Esc,+20CA+20+5C+2B1+5C/+5CxC3"
	    "+5CxBC" } },
	    REJECT("dn", "mail", "554 5.7.0", "certificate issuer not accepted") },
	{ "issuer DN: unverified", PIN,
	    { DNS, .macros = { V_SM, TLS13, SM("FAIL", "mx1.partner.test",
	    "Esc,+20CA+20+2B1/+C3+BC"), "{cert_issuer}", ESC_DN_SM } },
	    REJECT("dn", "mail", "554 5.7.0", "not verified (verify=FAIL)") },
	{ "issuer DN: Postfix gives no DN", PIN,
	    { DNS, .macros = { V_PF, TLS13, PF("mx1.partner.test",
	    "Esc, CA +1/\303\274") } },
	    REJECT("dn", "mail", "554 5.7.0", "certificate issuer not accepted") },
	{ "issuer DN: a DN in Postfix's {cert_issuer} is not believed", PIN,
	    { DNS, .macros = { V_PF, TLS13, PF("mx1.partner.test", ESC_DN) } },
	    REJECT("dn", "mail", "554 5.7.0", "no verified client certificate") },

	/* client_addr, IPv4 and IPv6 */
	/* single-label certificate names match like any other */
	{ "single label: Postfix, verified \"mailhub\"", PIN,
	    { HUB, .macros = { V_PF, TLS13, PF("mailhub", "Internal CA") } },
	    ACCEPT("internal-ca", "mail", "requirements met") },
	{ "single label: Sendmail, verified \"MailHub.\"", PIN,
	    { HUB, .macros = { V_SM, TLS13, SM("OK", "MailHub.", "x") } },
	    ACCEPT("internal-ca", "mail", "requirements met") },
	{ "single label: another name", PIN,
	    { HUB, .macros = { V_PF, TLS13, PF("mailhub2", "Internal CA") } },
	    REJECT("internal-ca", "mail", "554 5.7.0",
	    "certificate name does not match") },
	{ "single label: Sendmail's placeholder is no name", PIN,
	    { HUB, .macros = { V_SM, TLS13,
	    SM("OK", "BadCertificateContainsNUL", "x") } },
	    REJECT("internal-ca", "mail", "554 5.7.0",
	    "certificate name is not a DNS name") },
	{ "internal: 127.0.0.1 plaintext", RICH,
	    { .addr = "127.0.0.1", .sender = "a@partner.example" },
	    ACCEPT("internal", "mail", "nothing required") },
	{ "internal: 10/8 with TLS facts unknown still accepts", RICH,
	    { .addr = "10.1.2.3", .sender = "a@partner.example",
	    .incomplete = true },
	    ACCEPT("internal", "mail", "nothing required") },
	{ "internal: ::1", RICH, { .addr = "::1", .sender = "<>" },
	    ACCEPT("internal", "mail", "nothing required") },
	{ "internal: IPv6 inside /48", RICH,
	    { .addr = "2001:db8:1:ffff::25", .sender = "ceo@boss.example" },
	    ACCEPT("internal", "mail", "nothing required") },
	{ "internal: IPv4-mapped IPv6 in 10/8", RICH,
	    { .addr = "::ffff:10.0.0.1", .sender = "ceo@boss.example" },
	    ACCEPT("internal", "mail", "nothing required") },
	{ "internal: Sendmail IPv6: address", RICH,
	    { .addr = "IPv6:2001:db8:1::1", .sender = "ceo@boss.example" },
	    ACCEPT("internal", "mail", "nothing required") },
	{ "internal: 11.0.0.1 is outside 10/8", RICH,
	    { .addr = "11.0.0.1", .sender = "x@example.com",
	    .rcpt = "user@example.com" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "internal: IPv6 outside the /48", RICH,
	    { .addr = "2001:db8:2::1", .sender = "x@example.com",
	    .rcpt = "user@example.com" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "internal: unparsable address matches no network", RICH,
	    { .addr = "10.0.0.1.evil", .sender = "ceo@boss.example" },
	    REJECT("ceo", "mail", "550 5.7.1", "TLS not in use") },

	/* listener and authenticated */
	{ "submission: logged in over TLSv1.2", RICH,
	    { OTHER, .listener = "submission", .auth = "alice",
	    .macros = { TLS12 } },
	    ACCEPT("submission", "mail", "requirements met") },
	{ "submission: logged in over TLSv1.1", RICH,
	    { OTHER, .listener = "submission", .auth = "alice",
	    .macros = { TLS11 } },
	    REJECT("submission", "mail", "554 5.7.0",
	    "TLS version TLSv1.1 is below TLSv1.2") },
	{ "submission: logged in, plaintext", RICH,
	    { OTHER, .listener = "submission", .auth = "alice" },
	    REJECT("submission", "mail", "554 5.7.0", "TLS not in use") },
	{ "submission: logged in, TLS facts missing", RICH,
	    { OTHER, .listener = "submission", .auth = "alice",
	    .incomplete = true },
	    TEMPFAIL("submission", "mail", UNKNOWN_REPLY, WHY_UNKNOWN) },
	{ "submission-anon: no login, no certificate", RICH,
	    { OTHER, .listener = "submission", .macros = { TLS12 } },
	    TEMPFAIL("submission-anon", "mail", "454 4.7.0",
	    "no verified client certificate") },
	{ "submission-anon: empty login, verified certificate", RICH,
	    { OTHER, .listener = "submission", .auth = "",
	    .macros = { TLS12, PF("laptop.example.com", "Any CA") } },
	    ACCEPT("submission-anon", "mail", "requirements met") },
	{ "listener: smtp is not submission", RICH,
	    { OTHER, .listener = "smtp", .auth = "alice" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "listener: absent matches no listener", RICH,
	    { OTHER, .auth = "alice" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },

	/* sender domain and .domain; require secure with all the rest */
	{ "partner: verified mx1 over TLSv1.3", RICH,
	    { PARTNER, .macros = { TLS13, PF("mx1.partner.example", PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "partner: subdomain sender, mx2.mail.partner.example", RICH,
	    { .addr = OUTSIDE, .sender = "<b@eu.partner.example>",
	    .macros = { TLS12, PF("mx2.mail.partner.example", PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "partner: sender in capitals", RICH,
	    { .addr = OUTSIDE, .sender = "A@PARTNER.EXAMPLE.",
	    .macros = { TLS12, PF("MX1.Partner.Example", PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "partner: wildcard *.mail.partner.example", RICH,
	    { PARTNER, .macros = { TLS12, PF("*.mail.partner.example", PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "partner: wildcard *.partner.example covers mx1", RICH,
	    { PARTNER, .macros = { TLS12, PF("*.partner.example", PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "partner: wildcard *.example is no name", RICH,
	    { PARTNER, .macros = { TLS12, PF("*.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "partner: partial wildcard mx*.partner.example", RICH,
	    { PARTNER, .macros = { TLS12, PF("mx*.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "partner: wildcard two labels deep", RICH,
	    { PARTNER, .macros = { TLS12, PF("*.eu.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "certificate name does not match") },
	{ "partner: mx9 not named", RICH,
	    { PARTNER, .macros = { TLS12, PF("mx9.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "certificate name does not match") },
	{ "partner: .mail.partner.example excludes itself", RICH,
	    { PARTNER, .macros = { TLS12, PF("mail.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "certificate name does not match") },
	{ "partner: wrong issuer", RICH,
	    { PARTNER, .macros = { TLS12, PF("mx1.partner.example",
	    "Evil CA") } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "certificate issuer not accepted") },
	{ "partner: issuer differs in case", RICH,
	    { PARTNER, .macros = { TLS12, PF("mx1.partner.example",
	    "partner issuing ca") } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "certificate issuer not accepted") },
	{ "partner: Postfix TLS without certificate: the reason says why", RICH,
	    { PARTNER, .macros = { V_PF, TLS12 } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "no verified client certificate (Postfix tells of one only if "
	    "asked for, smtpd_tls_ask_ccert, and trusted, smtpd_tls_CAfile)") },
	{ "partner: Postfix subject without issuer is unverified", RICH,
	    { PARTNER, .macros = { TLS12, "{cert_subject}",
	    "mx1.partner.example" } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "no verified client certificate") },
	{ "partner: plaintext", RICH, { PARTNER },
	    REJECT("partner", "mail", "554 5.7.0", "TLS not in use") },
	{ "partner: TLSv1.1", RICH,
	    { PARTNER, .macros = { TLS11, PF("mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "TLSv1.1 is below TLSv1.2") },
	{ "partner: TLSv1 (min_protocol)", RICH,
	    { PARTNER, .macros = { TLSV("TLSv1"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "TLSv1 is below TLSv1.2") },
	{ "partner: GnuTLS spelling TLS1.3", RICH,
	    { PARTNER, .macros = { TLSV("TLS1.3"), PF("mx1.partner.example",
	    PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "fail closed: tls_version TLSv1.4", RICH,
	    { PARTNER, .macros = { TLSV("TLSv1.4"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "TLS version \"TLSv1.4\" not recognised") },
	{ "fail closed: tls_version garbage", RICH,
	    { PARTNER, .macros = { TLSV("garbage"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not recognised") },
	{ "fail closed: tls_version DTLS1.2", RICH,
	    { PARTNER, .macros = { TLSV("DTLS1.2"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not recognised") },
	{ "fail closed: tls_version empty is plaintext", RICH,
	    { PARTNER, .macros = { TLSV(""), PF("mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "TLS not in use") },
	{ "fail closed: tls_version empty, macros not complete", RICH,
	    { PARTNER, .incomplete = true, .macros = { TLSV("") } },
	    TEMPFAIL("partner", "mail", UNKNOWN_REPLY, WHY_UNKNOWN) },
	{ "fail closed: cipher_bits not a number", RICH,
	    { PARTNER, .macros = { BITS("abc"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "cipher strength unknown") },
	{ "fail closed: cipher_bits negative", RICH,
	    { PARTNER, .macros = { BITS("-256"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "cipher strength unknown") },
	{ "fail closed: cipher_bits huge", RICH,
	    { PARTNER, .macros = { BITS("99999999999999999999999"),
	    PF("mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "cipher strength unknown") },
	{ "fail closed: cipher_bits empty", RICH,
	    { PARTNER, .macros = { BITS(""), PF("mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "cipher strength unknown") },
	{ "fail closed: cipher_bits with a space", RICH,
	    { PARTNER, .macros = { BITS("256 "), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "cipher strength unknown") },
	{ "fail closed: cipher_bits missing", RICH,
	    { PARTNER, .macros = { "{tls_version}", "TLSv1.3",
	    PF("mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "cipher strength unknown") },
	{ "partner: 64 bits below 128", RICH,
	    { PARTNER, .macros = { BITS("64"), PF("mx1.partner.example",
	    PCA) } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "cipher strength 64 bits is below 128") },
	{ "partner: exactly 128 bits", RICH,
	    { PARTNER, .macros = { BITS("128"), PF("mx1.partner.example",
	    PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "fail closed: TLS facts missing tempfails", RICH,
	    { PARTNER, .incomplete = true },
	    TEMPFAIL("partner", "mail", UNKNOWN_REPLY, WHY_UNKNOWN) },
	{ "TLS facts arrived although not promised", RICH,
	    { PARTNER, .incomplete = true,
	    .macros = { TLS12, PF("mx1.partner.example", PCA) } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "fail closed: 64 KiB Postfix cert subject", RICH,
	    { PARTNER, .macros = { TLS12, PF(huge_cert, PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "fail closed: empty Postfix cert subject (no CN)", RICH,
	    { PARTNER, .macros = { TLS12, PF("", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "fail closed: CN with a space", RICH,
	    { PARTNER, .macros = { TLS12, PF("mx1 partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "fail closed: CN with a control byte", RICH,
	    { PARTNER, .macros = { TLS12, PF("mx1.partner.example\n", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },

	/* Sendmail: {verify}, xtext common names, placeholders */
	{ "Sendmail: verify OK", RICH,
	    { PARTNER, .macros = { TLS12, SM("OK", "mx1.partner.example",
	    "Partner+20Issuing+20CA") } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "Sendmail: verify TRUSTED", RICH,
	    { PARTNER, .mta = SESSION_MTA_SENDMAIL,
	    .macros = { TLS12, SM("TRUSTED", "mx1.partner.example",
	    "Partner Issuing CA") } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "Sendmail: verify FAIL", RICH,
	    { PARTNER, .macros = { TLS12, SM("FAIL", "mx1.partner.example",
	    "Partner+20Issuing+20CA") } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "client certificate not verified (verify=FAIL)") },
	{ "Sendmail: verify NO", RICH,
	    { PARTNER, .macros = { TLS12, "{verify}", "NO" } },
	    REJECT("partner", "mail", "554 5.7.0", "no client certificate") },
	{ "Sendmail: verify lower-case ok is not OK", RICH,
	    { PARTNER, .macros = { TLS12, SM("ok", "mx1.partner.example",
	    "Partner+20Issuing+20CA") } },
	    REJECT("partner", "mail", "554 5.7.0", "not verified (verify=ok)") },
	{ "Sendmail: placeholder BadCertificateContainsNUL", RICH,
	    { PARTNER, .macros = { TLS12, SM("OK", "BadCertificateContainsNUL",
	    "Partner+20Issuing+20CA") } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "Sendmail: placeholder BadCertificateTooLong", RICH,
	    { .addr = OUTSIDE, .name = "BadCertificateTooLong",
	    .helo_post = "mx.helo.example", .sender = "x@example.com",
	    .macros = { TLS12, SM("OK", "BadCertificateTooLong", "Any") } },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "not a DNS name") },
	{ "Sendmail: xtext-encoded IDN common name", RICH,
	    { PARTNER, .macros = { TLS12, SM("OK", "mx.b+C3+BCcher.example",
	    "Partner+20Issuing+20CA") } },
	    ACCEPT("partner", "mail", "requirements met") },
	{ "Sendmail: broken xtext in the common name", RICH,
	    { PARTNER, .macros = { TLS12, SM("OK", "mx1+ZZ.partner.example",
	    "Partner+20Issuing+20CA") } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "Sendmail: xtext NUL in the common name", RICH,
	    { PARTNER, .macros = { TLS12, SM("OK", "mx1.partner.example+00",
	    "Partner+20Issuing+20CA") } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "Sendmail: 64 KiB common name", RICH,
	    { PARTNER, .macros = { TLS12, SM("OK", huge_cert,
	    "Partner+20Issuing+20CA") } },
	    REJECT("partner", "mail", "554 5.7.0", "not a DNS name") },
	{ "Sendmail: forced, but no {verify}", RICH,
	    { PARTNER, .mta = SESSION_MTA_SENDMAIL,
	    .macros = { TLS12, "{cn_subject}", "mx1.partner.example",
	    "{cn_issuer}", "Partner+20Issuing+20CA" } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "no verified client certificate") },
	{ "Sendmail DNs without {verify} prove nothing", RICH,
	    { OTHER, .listener = "submission",
	    .macros = { TLS12, "{cert_subject}",
	    "/C+3DDE/O+3DLaptop/CN+3Dlaptop.example.com", "{cert_issuer}",
	    "/CN+3DSelf+20Signed" } },
	    TEMPFAIL("submission-anon", "mail", "454 4.7.0",
	    "no verified client certificate") },
	{ "Postfix forced: {verify} is ignored", RICH,
	    { PARTNER, .mta = SESSION_MTA_POSTFIX,
	    .macros = { TLS12, SM("OK", "mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0",
	    "no verified client certificate") },

	/* sender address, exclude_ciphers, reply override */
	{ "ceo: plaintext gets the rule's own reply", RICH,
	    { .addr = OUTSIDE, .sender = "<ceo@boss.example>" },
	    REJECT("ceo", "mail", "550 5.7.1", "TLS not in use") },
	{ "ceo: local part case is ignored", RICH,
	    { .addr = OUTSIDE, .sender = "CEO@Boss.Example",
	    .macros = { CIPHER("ECDHE-RSA-AES128-GCM-SHA256") } },
	    ACCEPT("ceo", "mail", "requirements met") },
	{ "ceo: rc4 excluded, any case", RICH,
	    { .addr = OUTSIDE, .sender = "ceo@boss.example",
	    .macros = { CIPHER("rc4-md5") } },
	    REJECT("ceo", "mail", "550 5.7.1", "cipher rc4-md5 is excluded") },
	{ "ceo: DES-CBC3-SHA excluded", RICH,
	    { .addr = OUTSIDE, .sender = "ceo@boss.example",
	    .macros = { CIPHER("DES-CBC3-SHA") } },
	    REJECT("ceo", "mail", "550 5.7.1", "is excluded") },
	{ "ceo: AES128-SHA excluded exactly", RICH,
	    { .addr = OUTSIDE, .sender = "ceo@boss.example",
	    .macros = { CIPHER("AES128-SHA") } },
	    REJECT("ceo", "mail", "550 5.7.1", "cipher AES128-SHA is excluded") },
	{ "ceo: AES128-SHA256 is not AES128-SHA", RICH,
	    { .addr = OUTSIDE, .sender = "ceo@boss.example",
	    .macros = { CIPHER("AES128-SHA256") } },
	    ACCEPT("ceo", "mail", "requirements met") },
	{ "fail closed: cipher missing under exclude_ciphers", RICH,
	    { .addr = OUTSIDE, .sender = "ceo@boss.example",
	    .macros = { "{tls_version}", "TLSv1.3" } },
	    REJECT("ceo", "mail", "550 5.7.1", "cipher unknown") },
	{ "ceo: another local part is not the CEO", RICH,
	    { .addr = OUTSIDE, .sender = "cfo@boss.example",
	    .rcpt = "user@example.com" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },

	/* the null sender */
	{ "null sender <> in plaintext", RICH,
	    { .addr = OUTSIDE, .sender = "<>" },
	    TEMPFAIL("bounces", "mail", "454 4.7.0", "TLS not in use") },
	{ "null sender as Postfix {mail_addr} \"\"", RICH,
	    { .addr = OUTSIDE, .sender = "", .macros = { TLS12 } },
	    ACCEPT("bounces", "mail", "requirements met") },
	{ "null sender, TLS facts missing", RICH,
	    { .addr = OUTSIDE, .sender = "<>", .incomplete = true },
	    TEMPFAIL("bounces", "mail", UNKNOWN_REPLY, WHY_UNKNOWN) },
	{ "no sender at all matches no sender rule", RICH,
	    { .addr = OUTSIDE, .rcpt = "user@example.com" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },

	/* client_name, validated reverse names */
	{ "relays: exact name, right issuer", RICH,
	    { OTHER, .name = "relay.example.net",
	    .macros = { TLS12, PF("relay.example.net", RCA) } },
	    ACCEPT("relays", "mail", "requirements met") },
	{ "relays: subdomain, resolve OK, wrong issuer", RICH,
	    { OTHER, .name = "mx3.relays.example.net", .resolve = "OK",
	    .macros = { TLS12, PF("mx3.relays.example.net", PCA) } },
	    REJECT("relays", "mail", "554 5.7.0",
	    "certificate issuer not accepted") },
	{ "relays: name in capitals with a dot, no certificate", RICH,
	    { OTHER, .name = "RELAY.Example.NET.", .macros = { TLS12 } },
	    REJECT("relays", "mail", "554 5.7.0",
	    "no verified client certificate") },
	{ "relays: forged name is not validated", RICH,
	    { OTHER, .name = "relay.example.net", .resolve = "FORGED" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "relays: TEMP name is not validated", RICH,
	    { OTHER, .name = "relay.example.net", .resolve = "TEMP" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "relays: .relays.example.net excludes itself", RICH,
	    { OTHER, .name = "relays.example.net" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "relays: Postfix unknown", RICH, { OTHER, .name = "unknown" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "relays: Sendmail [address] name", RICH,
	    { OTHER, .name = "[192.0.2.10]" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },

	/* helo, before and after STARTTLS; require secure by client name */
	{ "helo: post-TLS name, cert matches client name", RICH,
	    { OTHER, .name = "mx.helo.example", .resolve = "OK",
	    .helo_post = "mx.helo.example",
	    .macros = { TLS12, PF("mx.helo.example", "Any CA") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "helo: cert does not match the client name (monitor)", RICH,
	    { OTHER, .name = "mx.helo.example", .helo_post = "mx.helo.example",
	    .macros = { TLS12, PF("other.example", "Any CA") } },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "certificate name does not match") },
	{ "helo: no validated client name to compare (monitor)", RICH,
	    { OTHER, .name = "unknown", .helo_post = "mx.helo.example",
	    .macros = { TLS12, PF("mx.helo.example", "Any CA") } },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "client has no validated name") },
	{ "helo: pre-TLS name is forgotten once TLS is on", RICH,
	    { OTHER, .name = "mx.helo.example", .helo_pre = "mx.helo.example",
	    .macros = { TLS12, PF("other.example", "Any CA") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "helo: pre-TLS evil, post-TLS name counts", RICH,
	    { OTHER, .name = "mx.helo.example", .helo_pre = "evil.example",
	    .helo_post = "mx.helo.example",
	    .macros = { TLS12, PF("mx.helo.example", "Any CA") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "helo: pre-TLS name, post-TLS evil", RICH,
	    { OTHER, .name = "mx.helo.example", .helo_pre = "mx.helo.example",
	    .helo_post = "evil.example",
	    .macros = { TLS12, PF("other.example", "Any CA") } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "helo: plaintext keeps the HELO (monitor)", RICH,
	    { OTHER, .helo_pre = "mx.helo.example" },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "TLS not in use") },
	{ "helo: TLS facts missing (monitor tempfail)", RICH,
	    { OTHER, .helo_pre = "mx.helo.example", .incomplete = true },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_TEMPFAIL, WHY_UNKNOWN) },
	{ "helo: address literal", RICH,
	    { OTHER, .helo_pre = "[192.0.2.99]" },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "TLS not in use") },
	{ "helo: other address literal", RICH,
	    { OTHER, .helo_pre = "[192.0.2.98]" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "helo: capitals and a trailing dot", RICH,
	    { OTHER, .helo_pre = "MX.Helo.Example." },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "TLS not in use") },
	{ "helo: subdomain pattern", RICH,
	    { OTHER, .helo_pre = "a.b.helo-partner.example" },
	    ACCEPT_N(NULL, "rcpt", "no rule applies"),
	    NOTE("helo-partner", VERDICT_REJECT, "TLS not in use") },
	{ "helo: .helo-partner.example excludes itself", RICH,
	    { OTHER, .helo_pre = "helo-partner.example" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "helo: 64 KiB HELO matches nothing", RICH,
	    { OTHER, .helo_pre = huge },
	    ACCEPT(NULL, "rcpt", "no rule applies") },

	/* recipient: MAIL defers, RCPT decides */
	{ "finance: plaintext", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "<boss@finance.example.org>" },
	    REJECT("finance", "rcpt", "554 5.7.0", "TLS not in use") },
	{ "finance: TLSv1.2", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "boss@finance.example.org", .macros = { TLS12 } },
	    ACCEPT("finance", "rcpt", "requirements met") },
	{ "finance: TLSv1.1", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "boss@finance.example.org", .macros = { TLS11 } },
	    REJECT("finance", "rcpt", "554 5.7.0", "TLSv1.1 is below TLSv1.2") },
	{ "finance: full address cfo@example.org", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "<CFO@Example.ORG>" },
	    REJECT("finance", "rcpt", "554 5.7.0", "TLS not in use") },
	{ "finance: cto@example.org is not cfo", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "cto@example.org" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "finance: .secure.example.org", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "x@a.secure.example.org" },
	    REJECT("finance", "rcpt", "554 5.7.0", "TLS not in use") },
	{ "finance: TLS facts missing", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com", .incomplete = true,
	    .rcpt = "boss@finance.example.org" },
	    TEMPFAIL("finance", "rcpt", UNKNOWN_REPLY, WHY_UNKNOWN) },
	{ "finance: source route dropped", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "<@relay.example:boss@finance.example.org>" },
	    REJECT("finance", "rcpt", "554 5.7.0", "TLS not in use") },

	/* fail closed: addresses that cannot be read */
	{ "fail closed: 300-byte recipient local part", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = long_finance },
	    REJECT("finance", "rcpt", "554 5.7.0", "rule may apply") },
	{ "unreadable recipient, finance met: rules below decide", RICH,
	    { .addr = "198.51.100.7", .sender = "x@example.com",
	    .rcpt = long_finance, .macros = { BITS("64") } },
	    REJECT("legacy-net", "rcpt", "554 5.7.0", "64 bits is below 112") },
	{ "unreadable recipient, all met", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = long_finance, .macros = { TLS12 } },
	    ACCEPT(NULL, "rcpt", "no rule applies") },
	{ "fail closed: malformed recipient a@b@finance", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "a@b@finance.example.org" },
	    REJECT("finance", "rcpt", "554 5.7.0", "rule may apply") },
	{ "fail closed: 300-byte sender local part", RICH,
	    { .addr = OUTSIDE, .sender = long_sender },
	    REJECT("partner", "mail", "554 5.7.0", "rule may apply") },
	{ "unreadable sender, partner unmet", RICH,
	    { .addr = OUTSIDE, .sender = long_sender,
	    .macros = { TLS11, PF("mx1.partner.example", PCA) } },
	    REJECT("partner", "mail", "554 5.7.0", "TLSv1.1 is below") },
	{ "unreadable sender, partner met, ceo unmet", RICH,
	    { .addr = OUTSIDE, .sender = long_sender,
	    .macros = { CIPHER("RC4-MD5"), PF("mx1.partner.example", PCA) } },
	    REJECT("ceo", "mail", "550 5.7.1", "rule may apply") },
	{ "unreadable sender, all met: rules below decide", RICH,
	    { .addr = OUTSIDE, .sender = long_sender,
	    .rcpt = "boss@finance.example.org",
	    .macros = { TLS12, PF("mx1.partner.example", PCA) } },
	    ACCEPT("finance", "rcpt", "requirements met") },
	{ "unparsable sender bad@@partner.example", RICH,
	    { .addr = OUTSIDE, .sender = "bad@@partner.example" },
	    REJECT("partner", "mail", "554 5.7.0", "rule may apply") },
	{ "domain-less sender matches no domain rule", RICH,
	    { .addr = OUTSIDE, .sender = "postmaster",
	    .rcpt = "user@example.com" },
	    ACCEPT(NULL, "rcpt", "no rule applies") },

	/* rules below the recipient rule decide at RCPT */
	{ "legacy-net: strong enough", RICH,
	    { .addr = "198.51.100.7", .sender = "x@example.com",
	    .rcpt = "user@example.com", .macros = { TLS12 } },
	    ACCEPT("legacy-net", "rcpt", "requirements met") },
	{ "legacy-net: 56 bits", RICH,
	    { .addr = "198.51.100.7", .sender = "x@example.com",
	    .rcpt = "user@example.com", .macros = { BITS("56") } },
	    REJECT("legacy-net", "rcpt", "554 5.7.0",
	    "cipher strength 56 bits is below 112") },
	{ "legacy-net: IPv6 plaintext", RICH,
	    { .addr = "2001:db8:bad::1", .sender = "x@example.com",
	    .rcpt = "user@example.com" },
	    REJECT("legacy-net", "rcpt", "554 5.7.0", "TLS not in use") },

	/* mode "monitor": decided and logged, never refused */
	{ "monitor mode: finance in plaintext", MON,
	    { .addr = OUTSIDE, .sender = "x@example.com",
	    .rcpt = "a@finance.example.org" },
	    MONITOR(VERDICT_REJECT, "finance", "rcpt", "554 5.7.0",
	    "TLS not in use") },
	{ "monitor mode: everything, unverified", MON,
	    { OTHER, .macros = { TLS12 } },
	    MONITOR(VERDICT_REJECT, "everything", "rcpt", "554 5.7.0",
	    "no verified client certificate") },
	{ "monitor mode: everything, verified", MON,
	    { OTHER, .macros = { TLS12, PF("mx.example.com", "CA") } },
	    ACCEPT("everything", "rcpt", "requirements met") },
	{ "monitor mode: TLS facts missing", MON,
	    { OTHER, .incomplete = true },
	    MONITOR(VERDICT_TEMPFAIL, "everything", "rcpt", UNKNOWN_REPLY,
	    WHY_UNKNOWN) },
};

/* check_verdict - compare a verdict with a row's expectations. */
static void
check_verdict(const struct verdict *v, const char *stage,
    enum verdict_kind kind, const char *rule, const char *want_stage,
    const char *reply, bool monitor, const char *reason)
{
	char got[64];

	assert_string_equal(verdict_name(v->vd_kind), verdict_name(kind));
	if (rule == NULL)
		assert_null(v->vd_rule);
	else {
		assert_non_null(v->vd_rule);
		assert_string_equal(v->vd_rule, rule);
	}
	if (want_stage != NULL)
		assert_string_equal(stage, want_stage);
	if (reply == NULL) {
		assert_null(v->vd_code);
	} else {
		assert_non_null(v->vd_code);
		assert_non_null(v->vd_xcode);
		assert_non_null(v->vd_text);
		snprintf(got, sizeof(got), "%s %s", v->vd_code, v->vd_xcode);
		assert_string_equal(got, reply);
	}
	assert_int_equal(v->vd_monitor, monitor);
	if (reason != NULL && strstr(v->vd_reason, reason) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", v->vd_reason, reason);
}

/* check_line - the log line / -q fields for the verdict. */
static void
check_line(const struct session *s, const char *stage, const char *rcpt,
    const struct verdict *v)
{
	static char line[DECISION_BUFSIZE];
	struct session_text rt;
	struct mailaddr ra;
	char want[256];
	size_t n;

	session_text_set(&rt, rcpt);
	(void)mailaddr_parse(rcpt, &ra);
	decision_format(line, sizeof(line), stage, s,
	    stage[0] == 'r' ? &ra : NULL, stage[0] == 'r' ? &rt : NULL, v);
	assert_true(testutil_printable(line));
	n = 0;
	if (strcmp(decision_action(v), "monitor") == 0)
		n = (size_t)snprintf(want, sizeof(want), "would=%s ",
		    verdict_name(v->vd_kind));
	if (v->vd_rule != NULL)
		snprintf(want + n, sizeof(want) - n, "rule=\"%s\" stage=%s",
		    v->vd_rule, stage);
	else
		snprintf(want + n, sizeof(want) - n, "rule=- stage=%s", stage);
	assert_memory_equal(line, want, strlen(want));
	if (v->vd_kind == VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL) {
		snprintf(want, sizeof(want), " reply=\"%s %s ", v->vd_code,
		    v->vd_xcode);
		assert_non_null(strstr(line, want));
	}
	assert_true((strstr(line, "would=") != NULL) ==
	    (strcmp(decision_action(v), "monitor") == 0));
	assert_non_null(strstr(line, " reason=\""));
	assert_string_equal(line + strlen(line) - 9, " format=1");
}

/* check_note - the monitor rule the row expects noted, or none; its
 * note as a verdict of its own is a monitor refusal with a log line. */
static void
check_note(const struct verdict *v, const struct eval_row *row)
{
	struct verdict n;

	assert_int_equal(v->vd_nnotes, row->note != NULL);
	assert_int_equal(v->vd_notes_lost, 0);
	if (row->note == NULL)
		return;
	verdict_note(v, 0, &n);
	check_verdict(&n, "rcpt", row->note_kind, row->note, NULL,
	    row->note_kind == VERDICT_TEMPFAIL ? UNKNOWN_REPLY : "554 5.7.0",
	    true, row->note_reason);
	assert_int_equal(n.vd_nnotes, 0);
}

static void
test_row(void **state)
{
	const struct eval_row *row = *state;
	unsigned long replay_failures = 0;
	struct mailaddr ra;
	struct session s;
	struct verdict v;
	const char *stage;

	assert_non_null(policies[row->policy]);
	build(&row->s, &s);
	evaluate(policies[row->policy], &s, row->s.rcpt, &v, &stage);
	check_verdict(&v, stage, row->kind, row->rule, row->stage, row->reply,
	    row->monitor, row->reason);
	(void)mailaddr_parse(row->s.rcpt, &ra);
	if (!x_replay(policies[row->policy], &s, stage[0] == 'r' ? &ra : NULL,
	    row->s.rcpt, &v, &replay_failures))
		fail_msg("the decision line is decided otherwise when replayed");
	check_line(&s, stage, row->s.rcpt, &v);
	check_note(&v, row);
}

/* ------------------------------------------------------------ transactions */

struct rcpt_want {
	const char	*rcpt;
	enum verdict_kind kind;
	const char	*rule;
	const char	*reply;
	bool		 monitor;
};

struct tx_row {
	const char	*label;
	int		 policy;
	struct sess	 s;
	struct rcpt_want r[4];		/* up to 4 recipients; rcpt NULL ends */
};

static const struct tx_row tx_rows[] = {
	{ "plaintext: finance refused, others accepted", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com" }, {
	    { "<a@finance.example.org>", VERDICT_REJECT, "finance",
	    "554 5.7.0", false },
	    { "<b@example.com>", VERDICT_ACCEPT, NULL, NULL, false },
	    { "<cfo@example.org>", VERDICT_REJECT, "finance", "554 5.7.0",
	    false },
	    { "<c@example.net>", VERDICT_ACCEPT, NULL, NULL, false } } },
	{ "TLSv1.2: every recipient accepted", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com", .macros = { TLS12 } }, {
	    { "<a@finance.example.org>", VERDICT_ACCEPT, "finance", NULL,
	    false },
	    { "<b@example.com>", VERDICT_ACCEPT, NULL, NULL, false } } },
	{ "legacy net: finance refused, others by legacy-net", RICH,
	    { .addr = "198.51.100.9", .sender = "x@example.com",
	    .macros = { TLS11 } }, {
	    { "<a@finance.example.org>", VERDICT_REJECT, "finance",
	    "554 5.7.0", false },
	    { "<b@example.com>", VERDICT_ACCEPT, "legacy-net", NULL, false },
	    { long_finance, VERDICT_REJECT, "finance", "554 5.7.0", false } } },
	{ "TLS facts missing: finance tempfails, others accepted", RICH,
	    { .addr = OUTSIDE, .sender = "x@example.com", .incomplete = true }, {
	    { "<a@finance.example.org>", VERDICT_TEMPFAIL, "finance",
	    UNKNOWN_REPLY, false },
	    { "<b@example.com>", VERDICT_ACCEPT, NULL, NULL, false } } },
	{ "monitor mode: nobody refused", MON,
	    { .addr = OUTSIDE, .sender = "x@example.com" }, {
	    { "<a@finance.example.org>", VERDICT_REJECT, "finance",
	    "554 5.7.0", true },
	    { "<b@example.com>", VERDICT_REJECT, "everything", "554 5.7.0",
	    true } } },
};

static void
test_tx(void **state)
{
	const struct tx_row *row = *state;
	struct session s, before;
	struct mailaddr ra;
	struct verdict v;
	size_t i;

	build(&row->s, &s);
	before = s;
	policy_eval(policies[row->policy], &s, NULL, &v);
	assert_int_equal(v.vd_kind, VERDICT_DEFER);
	assert_non_null(strstr(v.vd_reason, "depends on the recipient"));
	for (i = 0; i < 4 && row->r[i].rcpt != NULL; i++) {
		const struct rcpt_want *w = &row->r[i];

		(void)mailaddr_parse(w->rcpt, &ra);
		policy_eval(policies[row->policy], &s, &ra, &v);
		check_verdict(&v, "rcpt", w->kind, w->rule, NULL, w->reply,
		    w->monitor, NULL);
		check_line(&s, "rcpt", w->rcpt, &v);
	}
	/* evaluation never changes the session: the next RCPT sees the same */
	assert_memory_equal(&s, &before, sizeof(s));
}

/* ------------------------------------------------------------ properties */

#define PICK(a) ((a)[testutil_rng() % (sizeof(a) / sizeof((a)[0]))])

static const char *const p_addr[] = { NULL, "127.0.0.1", "10.9.8.7", "::1",
	"2001:db8:1::9", "198.51.100.7", "2001:db8:bad::1", OUTSIDE,
	"192.0.2.99", "garbage", "IPv6:2001:db8:1::1", "::ffff:10.0.0.1" };
static const char *const p_name[] = { NULL, "relay.example.net",
	"a.relays.example.net", "mx.helo.example", "mx1.partner.example",
	"unknown", "[192.0.2.10]", "x.example.com", "bad name" };
static const char *const p_resolve[] = { NULL, NULL, "OK", "FORGED", "TEMP",
	"FAIL" };
static const char *const p_listener[] = { NULL, "smtp", "submission" };
static const char *const p_helo[] = { NULL, NULL, "mx.helo.example",
	"a.helo-partner.example", "[192.0.2.99]", "evil.example", huge,
	"bad helo", "MX.HELO.EXAMPLE." };
static const char *const p_version[] = { NULL, NULL, "TLSv1", "TLSv1.1",
	"TLSv1.2", "TLSv1.3", "TLS1.2", "TLSv1.4", "garbage", "", "SSLv3" };
static const char *const p_cipher[] = { NULL, "ECDHE-RSA-AES256-GCM-SHA384",
	"TLS_AES_128_GCM_SHA256", "RC4-MD5", "AES128-SHA", "DES-CBC3-SHA",
	"aes128-sha" };
static const char *const p_bits[] = { NULL, "256", "128", "112", "64", "abc",
	"-1", "99999999999", "", "0128" };
static const char *const p_cn[] = { "mx1.partner.example",
	"mx9.partner.example", "*.mail.partner.example", "*.partner.example",
	"mx.helo.example", "relay.example.net", "a.relays.example.net",
	"BadCertificateContainsNUL", "", "mx.b+C3+BCcher.example",
	"mx1 partner", huge_cert, "/C+3DDE/CN+3Dmx1.partner.example" };
static const char *const p_issuer[] = { PCA, RCA, "Evil CA", "",
	"Partner+20Issuing+20CA", "/CN+3DPartner+20Issuing+20CA" };
static const char *const p_verify[] = { "OK", "NO", "NOT", "FAIL", "NONE",
	"TRUSTED", "TEMP", "ok" };
static const char *const p_sender[] = { NULL, "a@partner.example",
	"<b@eu.partner.example>", "ceo@boss.example", "CEO@BOSS.EXAMPLE",
	"<>", "", "x@example.com", long_sender, "bad@@partner.example",
	"postmaster" };
static const char *const p_auth[] = { NULL, NULL, "", "alice" };
static const char *const p_rcpt[] = { "user@example.com",
	"<b@finance.example.org>", "cfo@example.org", "x@a.secure.example.org",
	long_finance, "<>", "postmaster", "bogus@@finance.example.org" };

/* random_sess - a random session description in *d (strings static). */
static void
random_sess(struct sess *d)
{
	const char *v;
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	d->addr = PICK(p_addr);
	d->name = PICK(p_name);
	d->resolve = PICK(p_resolve);
	d->listener = PICK(p_listener);
	d->helo_pre = PICK(p_helo);
	d->helo_post = testutil_rng() % 3 == 0 ? PICK(p_helo) : NULL;
	d->mta = (enum session_mta)(testutil_rng() % 3);
	d->incomplete = testutil_rng() % 4 == 0;
	d->sender = PICK(p_sender);
	d->auth = PICK(p_auth);
#define PUT(name, value) do { \
		d->macros[n++] = (name); d->macros[n++] = (value); \
	} while (0)
	if ((v = PICK(p_version)) != NULL)
		PUT("{tls_version}", v);
	if ((v = PICK(p_cipher)) != NULL)
		PUT("{cipher}", v);
	if ((v = PICK(p_bits)) != NULL)
		PUT("{cipher_bits}", v);
	switch (testutil_rng() % 5) {
	case 0:			/* no certificate facts */
		break;
	case 1:			/* Postfix, verified */
		PUT("{cert_subject}", PICK(p_cn));
		PUT("{cert_issuer}", PICK(p_issuer));
		break;
	case 2:			/* Postfix-like, subject only */
		PUT("{cert_subject}", PICK(p_cn));
		break;
	case 3:			/* Sendmail with {verify} */
		PUT("{verify}", PICK(p_verify));
		PUT("{cn_subject}", PICK(p_cn));
		PUT("{cn_issuer}", PICK(p_issuer));
		if (testutil_rng() % 2)
			PUT("{cert_subject}", "/C+3DDE/CN+3Dmx1.partner.example");
		break;
	default:		/* Sendmail without {verify} */
		PUT("{cert_subject}", "/C+3DDE/CN+3Dmx1.partner.example");
		PUT("{cert_issuer}", "/CN+3DPartner+20Issuing+20CA");
		if (testutil_rng() % 2)
			PUT("{cn_subject}", PICK(p_cn));
		break;
	}
#undef PUT
	d->macros[n] = NULL;
}

/* applies - do all the rule's selectors match (rcpt NULL: at MAIL, where a
 * recipient selector stands for "not yet")? */
static bool
applies(const struct policy *p, const struct rule *r,
    const struct session *s, const struct mailaddr *rcpt)
{
	const struct question q = { s, rcpt, p->p_delim };

	if (rule_selects(r, &q) != 1)
		return false;
	if (rcpt == NULL)
		return true;
	return rule_selects_rcpt(r, &q) == 1;
}

/* may_apply - can the rule apply: no selector that rules it out (one may
 * be undecided)?  At MAIL (rcpt NULL) its recipient selector is not asked. */
static bool
may_apply(const struct policy *p, const struct rule *r,
    const struct session *s, const struct mailaddr *rcpt)
{
	const struct question q = { s, rcpt, p->p_delim };

	return rule_selects(r, &q) != 0 &&
	    (rcpt == NULL || rule_selects_rcpt(r, &q) != 0);
}

/* noting - a rule that, when it applies, notes instead of deciding: action
 * "monitor" in mode "enforce" (policy.h). */
static bool
noting(const struct policy *p, const struct rule *r)
{
	return r->r_action == ACTION_MONITOR && policy_mode(p) == POLICY_ENFORCE;
}

/* The daemon's answer (milter.c answer()): does the MTA get a refusal? */
static bool
daemon_refuses(const struct verdict *v)
{
	return v->vd_kind != VERDICT_ACCEPT && !v->vd_monitor;
}

static unsigned long prop_failures;

#define PROP(cond, ...) do { \
		if (!(cond)) { \
			if (prop_failures++ < 10) { \
				print_message("# session %lu: %s: ", idx, #cond); \
				print_message(__VA_ARGS__); \
				print_message("\n"); \
			} \
			return; \
		} \
	} while (0)

/* check_notes - the notes of v, decided by rule r (NULL: none decided):
 * every monitor rule above r that may apply and would not be met, in
 * order, and no other. */
static void
check_notes(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, const struct verdict *v,
    const struct rule *r, unsigned long idx)
{
	const struct rule *m;
	unsigned k = 0;
	char why[192];
	size_t i, end = r != NULL ? (size_t)(r - p->p_rules) : p->p_nrules;

	for (i = 0; i < end; i++) {
		m = &p->p_rules[i];
		if (!noting(p, m) || !may_apply(p, m, s, rcpt) ||
		    rule_check(m, s, why, sizeof(why)) == RULE_MET)
			continue;
		if (k < v->vd_nnotes)
			PROP(strcmp(v->vd_notes[k].vn_rule, m->r_name) == 0,
			    "note %u is %s, want %s", k,
			    v->vd_notes[k].vn_rule, m->r_name);
		k++;
	}
	PROP(k == v->vd_nnotes + v->vd_notes_lost, "%u notes (+%u lost), "
	    "want %u", v->vd_nnotes, v->vd_notes_lost, k);
}

/* check_invariants - what must hold of verdict v for session s, recipient
 * rcpt (NULL at MAIL) under policy p. */
static void
check_invariants(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, const struct verdict *v, unsigned long idx)
{
	static char line[DECISION_BUFSIZE];
	const struct rule *r = NULL;
	enum rule_result res;
	char why[192];
	size_t i;

	PROP(v->vd_kind != VERDICT_DEFER || rcpt == NULL, "DEFER at RCPT");
	if (v->vd_kind == VERDICT_DEFER) {
		PROP(v->vd_nnotes == 0 && v->vd_notes_lost == 0,
		    "notes with DEFER");
		return;
	}
	if (v->vd_rule != NULL) {
		r = testutil_rule(p, v->vd_rule);
		PROP(r != NULL, "unknown rule %s", v->vd_rule);
		res = rule_check(r, s, why, sizeof(why));
		PROP(v->vd_kind != VERDICT_ACCEPT || res == RULE_MET,
		    "accept by %s whose requirement is unmet: %s", r->r_name,
		    why);
		PROP(v->vd_kind == VERDICT_ACCEPT || res != RULE_MET,
		    "refusal by %s whose requirement is met", r->r_name);
		PROP((res == RULE_UNKNOWN) == (v->vd_kind != VERDICT_ACCEPT &&
		    strcmp(v->vd_code, "451") == 0 &&
		    strcmp(v->vd_xcode, "4.3.5") == 0),
		    "unknown TLS facts and 451 4.3.5 go together (%s)", why);
		if (res == RULE_UNMET)
			PROP(strcmp(v->vd_code, r->r_code) == 0 &&
			    strcmp(v->vd_xcode, r->r_xcode) == 0,
			    "reply is not the rule's");
		PROP(!noting(p, r), "%s decided, a monitor rule", r->r_name);
		if (applies(p, r, s, rcpt)) {
			/* the first rule that applies decides */
			for (i = 0; &p->p_rules[i] != r; i++)
				PROP(!applies(p, &p->p_rules[i], s, rcpt) ||
				    noting(p, &p->p_rules[i]),
				    "%s applies before %s",
				    p->p_rules[i].r_name, r->r_name);
		} else {
			PROP(v->vd_kind != VERDICT_ACCEPT &&
			    strstr(v->vd_reason, "rule may apply") != NULL,
			    "%s decided without applying: %s", r->r_name,
			    v->vd_reason);
		}
	} else {
		PROP(v->vd_kind == VERDICT_ACCEPT, "refusal without a rule");
		for (i = 0; i < p->p_nrules; i++)
			PROP(!applies(p, &p->p_rules[i], s, rcpt) ||
			    (rcpt == NULL && p->p_rules[i].r_stage == STAGE_RCPT) ||
			    noting(p, &p->p_rules[i]),
			    "%s applies but no rule decided",
			    p->p_rules[i].r_name);
	}
	check_notes(p, s, rcpt, v, r, idx);
	if (v->vd_kind == VERDICT_REJECT)
		PROP(v->vd_code[0] == '5', "reject with %s", v->vd_code);
	if (v->vd_kind == VERDICT_TEMPFAIL)
		PROP(v->vd_code[0] == '4', "tempfail with %s", v->vd_code);
	if (v->vd_monitor) {
		PROP(v->vd_kind != VERDICT_ACCEPT, "monitor flag on accept");
		PROP(policy_mode(p) == POLICY_MONITOR ||
		    (r != NULL && r->r_action == ACTION_MONITOR),
		    "monitor flag without monitor mode or action");
		PROP(strcmp(decision_action(v), "monitor") == 0,
		    "monitor verdict logged as %s", decision_action(v));
	}
	PROP(v->vd_monitor || v->vd_kind == VERDICT_ACCEPT ||
	    (r != NULL && r->r_action != ACTION_MONITOR &&
	    policy_mode(p) == POLICY_ENFORCE), "refusal that should be monitor");
	if (policy_mode(p) == POLICY_MONITOR)
		PROP(!daemon_refuses(v), "monitor mode refuses");
	decision_format(line, sizeof(line), rcpt ? "rcpt" : "mail", s, rcpt,
	    NULL, v);
	PROP(testutil_printable(line), "log line has a control byte");
}

static bool
same_notes(const struct verdict *a, const struct verdict *b)
{
	unsigned i;

	if (a->vd_nnotes != b->vd_nnotes || a->vd_notes_lost != b->vd_notes_lost)
		return false;
	for (i = 0; i < a->vd_nnotes; i++)
		if (strcmp(a->vd_notes[i].vn_rule, b->vd_notes[i].vn_rule) != 0 ||
		    a->vd_notes[i].vn_kind != b->vd_notes[i].vn_kind)
			return false;
	return true;
}

static bool
same_verdict(const struct verdict *a, const struct verdict *b)
{
	return same_notes(a, b) &&
	    a->vd_kind == b->vd_kind && a->vd_monitor == b->vd_monitor &&
	    (a->vd_rule == b->vd_rule || (a->vd_rule && b->vd_rule &&
	    strcmp(a->vd_rule, b->vd_rule) == 0)) &&
	    (a->vd_code == b->vd_code || (a->vd_code && b->vd_code &&
	    strcmp(a->vd_code, b->vd_code) == 0 &&
	    strcmp(a->vd_xcode, b->vd_xcode) == 0));
}

#define PROP_SESSIONS 3000

static void
test_property(void **state)
{
	const struct policy *p = policies[*(const int *)*state];
	unsigned long idx, kinds[4] = { 0, 0, 0, 0 }, monitors = 0;
	struct session s;
	struct mailaddr ra;
	struct verdict vm, vr;
	struct sess d;
	const char *seed_env = getenv("EVAL_SEED");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) :
	    UINT64_C(0x5eed20240917);
	size_t j;

	assert_non_null(p);
	testutil_seed(seed);
	printf("# property test: seed 0x%" PRIx64 " (EVAL_SEED to change), "
	    "%d sessions\n", seed, PROP_SESSIONS);
	prop_failures = 0;
	for (idx = 0; idx < PROP_SESSIONS; idx++) {
		random_sess(&d);
		build(&d, &s);
		policy_eval(p, &s, NULL, &vm);
		(void)x_replay(p, &s, NULL, NULL, &vm, &prop_failures);
		kinds[vm.vd_kind]++;
		check_invariants(p, &s, NULL, &vm, idx);
		for (j = 0; j < 3; j++) {
			const char *rcpt = PICK(p_rcpt);

			(void)mailaddr_parse(rcpt, &ra);
			policy_eval(p, &s, &ra, &vr);
			(void)x_replay(p, &s, &ra, rcpt, &vr, &prop_failures);
			monitors += vr.vd_monitor + vr.vd_nnotes;
			check_invariants(p, &s, &ra, &vr, idx);
			if (vm.vd_kind != VERDICT_DEFER && !same_verdict(&vm, &vr) &&
			    prop_failures++ < 10)
				print_message("# session %lu: MAIL said %s by %s, "
				    "RCPT %s said %s by %s\n", idx,
				    verdict_name(vm.vd_kind), vm.vd_rule ?
				    vm.vd_rule : "-", rcpt,
				    verdict_name(vr.vd_kind), vr.vd_rule ?
				    vr.vd_rule : "-");
		}
	}
	printf("# at MAIL: %lu accept, %lu reject, %lu tempfail, %lu defer; "
	    "%lu monitor lines at RCPT\n", kinds[VERDICT_ACCEPT],
	    kinds[VERDICT_REJECT], kinds[VERDICT_TEMPFAIL],
	    kinds[VERDICT_DEFER], monitors);
	if (prop_failures > 0)
		fail_msg("%lu invariant violations (seed 0x%" PRIx64 ")",
		    prop_failures, seed);
	/* the random sessions must reach every kind of outcome */
	if (policy_mode(p) == POLICY_ENFORCE)
		assert_true(kinds[VERDICT_ACCEPT] && kinds[VERDICT_REJECT] &&
		    kinds[VERDICT_TEMPFAIL] && kinds[VERDICT_DEFER]);
	assert_true(monitors > 0);
}

/*
 * "-q" judges as the daemon does: random sessions that the words can
 * describe (post-TLS HELO, macros complete, no {client_resolve}) go
 * through query_run() and through the daemon's path, and the verdict
 * word, rule and stage must agree.
 */
static const struct {
	const char	*qm_macro, *qm_key;
} query_macros[] = {
	{ "{tls_version}", "tls_version" }, { "{cipher}", "cipher" },
	{ "{cipher_bits}", "cipher_bits" }, { "{cert_subject}", "cert_subject" },
	{ "{cert_issuer}", "cert_issuer" }, { "{verify}", "verify" },
	{ "{cn_subject}", "cn_subject" }, { "{cn_issuer}", "cn_issuer" },
};

#define QUERY_WORDS 24

/* word - "key=value" in a new string; the caller frees it. */
static char *
word(const char *key, const char *value)
{
	char *w;

	if (asprintf(&w, "%s=%s", key, value) < 0)
		return NULL;
	return w;
}

/* Could an MTA send what d describes?  -q refuses a client address that
 * is no address and a cipher_bits that is no number (query.h). */
static bool
query_sendable(const struct sess *d)
{
	const char *bits = testutil_kv_lookup((void *)d->macros, "{cipher_bits}");
	struct ipaddr ip;
	size_t i;

	if (d->addr != NULL && d->addr[0] != '\0' &&
	    ipaddr_parse(d->addr, &ip) < 0)
		return false;
	if (bits == NULL || bits[0] == '\0')
		return true;
	for (i = 0; bits[i] >= '0' && bits[i] <= '9' && i < 5; i++)
		;
	return bits[i] == '\0';
}

static void
test_query(void **state)
{
	static const char *const mta_names[] = { "auto", "postfix", "sendmail" };
	const struct policy *p = policies[*(const int *)*state];
	char *words[QUERY_WORDS], *out = NULL, *last, want[512];
	const char *tls, *rcpt, *stage;
	unsigned k;
	struct session s;
	struct verdict v;
	struct sess d;
	unsigned long idx;
	size_t n, i, j, outlen;
	FILE *fp, *err;
	int rc;

	assert_non_null(p);
	testutil_seed(UINT64_C(0x71e5eed));
	err = fopen("/dev/null", "w");
	assert_non_null(err);
	for (idx = 0; idx < 1000; idx++) {
		random_sess(&d);
		d.resolve = NULL;
		d.incomplete = false;
		tls = testutil_kv_lookup((void *)d.macros, "{tls_version}");
		if (tls != NULL && tls[0] != '\0')
			d.helo_pre = NULL;
		else
			d.helo_post = NULL;
		rcpt = PICK(p_rcpt);
		build(&d, &s);
		evaluate(p, &s, rcpt, &v, &stage);

		n = 0;
#define W(k, val) do { \
		if ((val) != NULL) \
			assert_non_null(words[n++] = word((k), (val))); \
	} while (0)
		W("client_addr", d.addr);
		W("client_name", d.name);
		W("listener", d.listener);
		W("helo", d.helo_post != NULL ? d.helo_post : d.helo_pre);
		W("sender", d.sender);
		W("auth", d.auth);
		W("recipient", rcpt);
		W("mta", mta_names[d.mta]);
		for (i = 0; d.macros[i] != NULL; i += 2)
			for (j = 0; j < sizeof(query_macros) /
			    sizeof(query_macros[0]); j++)
				if (strcmp(d.macros[i],
				    query_macros[j].qm_macro) == 0)
					W(query_macros[j].qm_key, d.macros[i + 1]);
#undef W
		fp = open_memstream(&out, &outlen);
		assert_non_null(fp);
		rc = query_run(p, (int)n, words, fp, err);
		fclose(fp);
		if (rc == 64) {		/* only what no MTA could send */
			assert_true(!query_sendable(&d));
			free(out);
			for (i = 0; i < n; i++)
				free(words[i]);
			continue;
		}
		assert_true(query_sendable(&d));
		assert_int_equal(rc, !v.vd_monitor && (v.vd_kind ==
		    VERDICT_REJECT || v.vd_kind == VERDICT_TEMPFAIL));
		/* a line per note, "monitor would=...", then the verdict */
		last = out;
		for (k = 0; k < v.vd_nnotes; k++) {
			snprintf(want, sizeof(want), "monitor would=%s "
			    "rule=\"%s\" stage=%s ",
			    verdict_name(v.vd_notes[k].vn_kind),
			    v.vd_notes[k].vn_rule, stage);
			if (strncmp(last, want, strlen(want)) != 0)
				fail_msg("session %lu: -q line %u \"%.300s\", "
				    "want \"%s\"", idx, k + 1, last, want);
			assert_non_null(last = strchr(last, '\n'));
			last++;
		}
		snprintf(want, sizeof(want), "%s %s", v.vd_kind ==
		    VERDICT_ACCEPT || v.vd_monitor ? "accept" :
		    verdict_name(v.vd_kind), v.vd_monitor ? "would=" : "rule=");
		if (strncmp(last, want, strlen(want)) != 0)
			fail_msg("session %lu: -q said \"%.300s\", want \"%s\"",
			    idx, last, want);
		if (v.vd_rule != NULL)
			snprintf(want, sizeof(want), "rule=\"%s\" stage=%s ",
			    v.vd_rule, stage);
		else
			snprintf(want, sizeof(want), "rule=- stage=%s ", stage);
		if (strstr(last, want) == NULL)
			fail_msg("session %lu: -q said \"%.300s\", want \"%s\"",
			    idx, last, want);
		assert_int_equal(strchr(last, '\n')[1], '\0');
		free(out);
		for (i = 0; i < n; i++)
			free(words[i]);
	}
	fclose(err);
}

/*
 * The index (ruleindex.c) must give every verdict a linear scan gives:
 * random policies whose selectors are drawn from small pools, so that
 * rules overlap, share keys and shadow each other, against random
 * sessions drawn from pools that hit them, miss them, and leave them
 * undecided (-1: unreadable senders and recipients, a pre-STARTTLS HELO
 * while the TLS facts are unknown).  Each session is asked at MAIL (DEFER
 * included) and for several recipients; kind, monitor flag, rule, reply
 * and reason must be the same.
 */
static const char *const x_addr[] = { "10.0.0.0/8", "10.1.0.0/16",
	"10.1.2.0/24", "10.1.2.3", "192.0.2.0/24", "2001:db8::/32",
	"2001:db8:1::/48", "::1", "0.0.0.0/0", "::/0", "198.51.100.7/32",
	"10.1.2.128/25", "2001:db8:1:2::/64" };
static const char *const x_name[] = { "mx.a.example", ".a.example",
	".example", "relay.b.example", ".b.example", "x.y.z.example",
	".y.z.example" };
static const char *const x_helo[] = { "mx.a.example", ".a.example",
	".example", "x.y.z.example", ".z.example", "[192.0.2.1]",
	"[IPv6:2001:db8::1]" };
static const char *const x_sender[] = { "a.example", ".a.example",
	"u@a.example", "<>", "b.example", ".example", "ceo@b.example",
	"[192.0.2.1]", "u@[192.0.2.1]", "\"q u\"@a.example" };
static const char *const x_rcpt[] = { "r.example", ".r.example",
	"x@r.example", "<>", "s.example", ".example", "cfo@s.example",
	"[198.51.100.9]" };
static const char *const x_listener[] = { "smtpd", "submission", "x" };
static const char *const x_port[] = { "25", "587", "465", "2525" };
static const char *const x_laddr[] = { "192.0.2.25", "192.0.2.0/24", "::1",
	"2001:db8::/32", "10.1.2.3" };
static const char *const x_bool[] = { "true", "false" };
static const char *const x_delim[] = { "", "recipient_delimiter = \"+\"\n",
	"recipient_delimiter = \"+-\"\n" };

/*
 * Each selector's pool, and the odds (1 in xp_odds) that a rule has it.
 * Every selector of selector.h must have one (x_policy() fails
 * otherwise): the property covers every selector there is.
 */
struct x_pool {
	const char *const *xp_v;
	size_t		xp_n;
	unsigned	xp_odds;
};
#define XP(pool, odds) { pool, sizeof(pool) / sizeof(pool[0]), odds }
static const struct x_pool x_pools[SEL_N] = {
	[SEL_CLIENT_ADDR] = XP(x_addr, 3),
	[SEL_CLIENT_NAME] = XP(x_name, 4),
	[SEL_HELO] = XP(x_helo, 4),
	[SEL_SENDER] = XP(x_sender, 3),
	[SEL_RECIPIENT] = XP(x_rcpt, 3),
	[SEL_LISTENER] = XP(x_listener, 6),
	[SEL_LISTENER_PORT] = XP(x_port, 6),
	[SEL_LISTENER_ADDR] = XP(x_laddr, 6),
	[SEL_AUTHENTICATED] = XP(x_bool, 6),
	[SEL_TLS] = XP(x_bool, 5),
};
#undef XP
static const char *const x_require[] = {
	"require = \"none\"",
	"require = \"encrypt\"",
	"require = \"encrypt\"\n min_protocol = \"TLSv1.2\"",
	"require = \"encrypt\"\n min_cipher_bits = 200",
	"require = \"verify\"",
	"require = \"verify\"\n cert_issuer = {\"CA 1\"}",
	"require = \"secure\"",
	"require = \"secure\"\n cert_name = {\".a.example\"}",
};
static const char *const x_action[] = { "", "action = \"tempfail\"",
	"action = \"monitor\"", "reply_code = 550\n reply_xcode = \"5.7.1\"" };

/* One list selector "key = {...}" of 1 to 3 entries from pool. */
static void
x_list(FILE *fp, const char *key, const char *const *pool, size_t n,
    bool quoted)
{
	size_t i, k = 1 + testutil_rng() % 3;

	fprintf(fp, " %s = {", key);
	for (i = 0; i < k; i++) {
		const char *e = pool[testutil_rng() % n];

		fputs(i ? ", " : "", fp);
		if (quoted)
			fputc('"', fp);
		for (; *e != '\0'; e++)
			fprintf(fp, *e == '"' ? "\\%c" : "%c", *e);
		if (quoted)
			fputc('"', fp);
	}
	fputs("}\n", fp);
}

/* Selector id, written as its shape wants, with its pool's odds; true
 * when it was written. */
static bool
x_selector(FILE *fp, enum sel id)
{
	const struct x_pool *xp = &x_pools[id];

	assert_non_null(xp->xp_v);	/* a selector without a pool */
	if (testutil_rng() % xp->xp_odds != 0)
		return false;
	if (selectors[id].se_shape == SHAPE_BOOL)
		fprintf(fp, " %s = %s\n", selectors[id].se_key,
		    xp->xp_v[testutil_rng() % xp->xp_n]);
	else
		x_list(fp, selectors[id].se_key, xp->xp_v, xp->xp_n,
		    selectors[id].se_shape != SHAPE_PORT);
	return true;
}

/* A random policy of 1 to 40 rules as text; the caller frees it. */
static char *
x_policy(void)
{
	size_t i, n = 1 + testutil_rng() % 40, len;
	char *text = NULL;
	FILE *fp = open_memstream(&text, &len);
	bool any;

	unsigned k;

	assert_non_null(fp);
	if (testutil_rng() % 4 == 0)
		fputs("mode = \"monitor\"\n", fp);
	fputs(PICK(x_delim), fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "rule \"r%zu\" {\n", i);
		do {
			any = false;
			for (k = 0; k < SEL_N; k++)
				any |= x_selector(fp, (enum sel)k);
		} while (!any && i + 1 < n);	/* only the last may select all */
		fprintf(fp, " %s\n %s\n}\n", PICK(x_require), PICK(x_action));
	}
	fclose(fp);
	return text;
}

static const char *const xs_addr[] = { NULL, "10.1.2.3", "10.1.2.200",
	"10.1.9.9", "10.9.9.9", "192.0.2.5", "2001:db8:1::5",
	"2001:db8:1:2::7", "2001:db8:2::1", "::1", "198.51.100.7",
	"203.0.113.1", "garbage", "::ffff:10.1.2.3" };
static const char *const xs_name[] = { NULL, "mx.a.example",
	"q.mx.a.example", "a.example", "relay.b.example", "z.example",
	"x.y.z.example", "w.x.y.z.example", "unknown", "[192.0.2.1]" };
static const char *const xs_helo[] = { NULL, "mx.a.example", "q.a.example",
	"[192.0.2.1]", "x.y.z.example", "relay.b.example", "other.test",
	"bad helo", "[IPv6:2001:DB8::1]", "MX.A.EXAMPLE." };
static const char *const xs_sender[] = { NULL, "<u@a.example>",
	"<v@x.a.example>", "<>", "", "<ceo@b.example>", "<U@A.EXAMPLE>",
	"<u@[192.0.2.1]>", "<postmaster>", "<bad@@a.example>",
	"<x@other.test>", "<\"q u\"@a.example>", "<u@b.example>",
	"<u+tag@a.example>", "<ceo-x@b.example>", "<owner-u@a.example>", NULL };
static const char *const xs_rcpt[] = { "<x@r.example>", "<y@q.r.example>",
	"<>", "<X@R.EXAMPLE>", "<z@s.example>", "<cfo@s.example>",
	"<postmaster>", "<bogus@@r.example>", "<u@other.test>",
	"<u@[198.51.100.9]>", "<u@example>", "<x+y@r.example>",
	"<cfo-q+z@s.example>" };
static const char *const xs_port[] = { NULL, "25", "587", "465", "0",
	"smtp" };
static const char *const xs_laddr[] = { NULL, "192.0.2.25", "10.1.2.3",
	"::1", "2001:db8::25", "IPv6:2001:db8::25", "bad" };
static const char *const xs_auth[] = { NULL, NULL, "alice" };

/* A random session for x_policy()'s rules: random_sess()'s TLS facts,
 * MTA and listener, with names and addresses from the pools above. */
static void
x_sess(struct sess *d)
{
	const char *v;
	size_t n;

	random_sess(d);
	d->addr = PICK(xs_addr);
	d->name = PICK(xs_name);
	d->helo_pre = PICK(xs_helo);
	d->helo_post = testutil_rng() % 2 ? PICK(xs_helo) : NULL;
	d->sender = testutil_rng() % 8 == 0 ? long_sender : PICK(xs_sender);
	d->auth = PICK(xs_auth);
	for (n = 0; d->macros[n] != NULL; n += 2)
		continue;
	if ((v = PICK(xs_port)) != NULL) {
		d->macros[n++] = "{daemon_port}";
		d->macros[n++] = v;
	}
	if ((v = PICK(xs_laddr)) != NULL) {
		d->macros[n++] = "{daemon_addr}";
		d->macros[n++] = v;
	}
	d->macros[n] = NULL;
}

/* Are the two verdicts the same in every field? */
static bool
x_same(const struct verdict *a, const struct verdict *b)
{
	return same_verdict(a, b) && a->vd_rule_index == b->vd_rule_index &&
	    (a->vd_text == b->vd_text || (a->vd_text && b->vd_text &&
	    strcmp(a->vd_text, b->vd_text) == 0)) &&
	    strcmp(a->vd_reason, b->vd_reason) == 0;
}

/*
 * The decision line of verdict v on session s (and recipient ra, given
 * as rcpt), read back and restored, must be decided the same: the line
 * carries every fact a rule reads (decision.h).  Returns 1, or 0 after
 * reporting a difference (counted in *failures).
 */
static int
x_replay(const struct policy *p, const struct session *s,
    const struct mailaddr *ra, const char *rcpt, const struct verdict *v,
    unsigned long *failures)
{
	static char line[DECISION_BUFSIZE];
	static struct decision_rec rec;
	struct session_text rt;
	struct mailaddr rr;
	struct session rs;
	struct verdict w;
	const char *why = "";
	bool has_rcpt;

	session_text_set(&rt, rcpt);
	decision_format(line, sizeof(line), ra ? "rcpt" : "mail", s, ra,
	    ra ? &rt : NULL, v);
	if (decision_parse(line, &rec, &why) == 0 &&
	    decision_restore(&rec, &rs, &rr, &has_rcpt, &why) == 0) {
		policy_eval(p, &rs, has_rcpt ? &rr : NULL, &w);
		if (x_same(&w, v) && has_rcpt == (ra != NULL))
			return 1;
		why = w.vd_reason;
	}
	if ((*failures)++ < 5)
		print_message("# replay differs (%s): %s\n", why, line);
	return 0;
}

#define X_POLICIES 300
#define X_SESSIONS 200

static void
test_index_equivalence(void **state)
{
	const char *seed_env = getenv("EVAL_SEED");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) :
	    UINT64_C(0x1de7eed);
	unsigned long pol, idx, asked = 0, defers = 0, failures = 0;
	unsigned long replayed = 0;
	unsigned long undecided = 0, at_rcpt = 0, refused = 0;
	struct verdict vi, vl;
	struct mailaddr ra;
	struct session s;
	struct policy *p;
	struct sess d;
	char *text;
	size_t j;

	(void)state;
	testutil_seed(seed);
	for (pol = 0; pol < X_POLICIES; pol++) {
		text = x_policy();
		if ((p = load(text)) == NULL)
			fail_msg("policy %lu does not load:\n%s", pol, text);
		for (idx = 0; idx < X_SESSIONS; idx++) {
			x_sess(&d);
			build(&d, &s);
			for (j = 0; j < 4; j++) {
				const char *rcpt = j ? (testutil_rng() % 10 == 0 ?
				    long_finance : PICK(xs_rcpt)) : NULL;

				(void)mailaddr_parse(rcpt, &ra);
				policy_eval(p, &s, j ? &ra : NULL, &vi);
				policy_eval_linear(p, &s, j ? &ra : NULL, &vl);
				asked++;
				defers += vl.vd_kind == VERDICT_DEFER;
				undecided += strstr(vl.vd_reason,
				    "could not be ruled out") != NULL;
				at_rcpt += j > 0 && vl.vd_rule != NULL;
				refused += vl.vd_kind == VERDICT_REJECT ||
				    vl.vd_kind == VERDICT_TEMPFAIL;
				replayed += x_replay(p, &s, j ? &ra : NULL, rcpt,
				    &vl, &failures);
				if (!x_same(&vi, &vl) && failures++ < 5)
					print_message("# seed 0x%" PRIx64 " policy "
					    "%lu session %lu rcpt %s: index says "
					    "%s by %s (%s), linear %s by %s (%s)\n%s",
					    seed, pol, idx, rcpt ? rcpt : "-",
					    verdict_name(vi.vd_kind), vi.vd_rule ?
					    vi.vd_rule : "-", vi.vd_reason,
					    verdict_name(vl.vd_kind), vl.vd_rule ?
					    vl.vd_rule : "-", vl.vd_reason, text);
			}
		}
		policy_free(p);
		free(text);
	}
	printf("# index vs linear: %lu questions on %d random policies: %lu "
	    "DEFER at MAIL, %lu decided by a rule at RCPT, %lu refusals, %lu "
	    "by an undecided selector, %lu decided the same when replayed "
	    "from their decision line (EVAL_SEED to change the seed 0x%" PRIx64
	    ")\n", asked, X_POLICIES, defers, at_rcpt, refused, undecided,
	    replayed, seed);
	if (failures > 0)
		fail_msg("%lu verdicts differ", failures);
	assert_true(defers > 0 && at_rcpt > 0 && refused > 0 && undecided > 0);
}

/*
 * More keys than one walk merges: a HELO name of 101 labels against rules
 * for each of its parent domains.  The index falls back to every rule and
 * must still agree with the linear scan.  Then a parent domain of more
 * labels than the index counts one by one (63).
 */
static void
test_index_many_labels(void **state)
{
	static const char *const none[] = { NULL };
	char helo[256], *text = NULL;
	struct verdict vi, vl;
	struct session s;
	struct policy *p;
	size_t len, i;
	FILE *fp;

	(void)state;
	for (i = 0; i < 100; i++)
		memcpy(helo + 2 * i, "a.", 2);
	strcpy(helo + 200, "example");
	assert_non_null(fp = open_memstream(&text, &len));
	for (i = 99; i + 1 > 0; i--)	/* the deepest parent domain first */
		fprintf(fp, "rule \"h%zu\" {\n helo = {\"%s\"}\n require = "
		    "\"%s\"\n}\n", i, helo + 2 * (100 - i) - 1,
		    i == 0 ? "none" : "encrypt");
	fclose(fp);
	assert_non_null(p = load(text));
	session_init(&s);
	session_set_client(&s, "192.0.2.1", NULL, NULL);
	session_set_helo(&s, helo, true);
	session_set_tls(&s, testutil_kv_lookup, (void *)none, SESSION_MTA_AUTO, true);
	session_set_sender(&s, "<u@a.example>", NULL, NULL);
	assert_string_equal(s.ss_helo, helo);
	policy_eval(p, &s, NULL, &vi);
	policy_eval_linear(p, &s, NULL, &vl);
	assert_true(x_same(&vi, &vl));
	assert_int_equal(vi.vd_kind, VERDICT_REJECT);
	assert_string_equal(vi.vd_rule, "h99");
	policy_free(p);
	free(text);

	/* 70 labels, one rule for the parent domain of 66: no fallback */
	strcpy(helo + 2 * 69, "a.example");
	assert_non_null(fp = open_memstream(&text, &len));
	fprintf(fp, "rule \"deep\" {\n helo = {\"%s\"}\n require = "
	    "\"encrypt\"\n}\n", helo + 2 * 4 + 1 - 2);
	fclose(fp);
	assert_non_null(p = load(text));
	session_set_helo(&s, helo + 2 * 30, true);
	session_set_tls(&s, testutil_kv_lookup, (void *)none, SESSION_MTA_AUTO, true);
	policy_eval(p, &s, NULL, &vi);
	assert_int_equal(vi.vd_kind, VERDICT_ACCEPT);	/* 40 labels: too short */
	session_set_helo(&s, helo, true);
	session_set_tls(&s, testutil_kv_lookup, (void *)none, SESSION_MTA_AUTO, true);
	policy_eval(p, &s, NULL, &vi);
	policy_eval_linear(p, &s, NULL, &vl);
	assert_true(x_same(&vi, &vl));
	assert_int_equal(vi.vd_kind, VERDICT_REJECT);
	assert_string_equal(vi.vd_rule, "deep");
	policy_free(p);
	free(text);
}

/* ------------------------------------------------------------ main */

static void
test_loaded(void **state)
{
	(void)state;
	assert_non_null(policies[RICH]);
	assert_non_null(policies[MON]);
	assert_int_equal(policy_nrules(policies[RICH]), 10);
	assert_int_equal(policy_mode(policies[RICH]), POLICY_ENFORCE);
	assert_int_equal(policy_nrules(policies[MON]), 2);
	assert_int_equal(policy_mode(policies[MON]), POLICY_MONITOR);
	assert_non_null(policies[PIN]);
	assert_int_equal(policy_mta(policies[PIN]), SESSION_MTA_AUTO);
	assert_non_null(policies[LANG]);
}

/* fill - "x.x.x." up to size - 1 bytes in all, ending in tail. */
static void
fill(char *buf, size_t size, const char *tail)
{
	size_t i, tl = strlen(tail), n = size - 1 - tl;

	for (i = 0; i < n; i++)
		buf[i] = (n - i) % 2 ? '.' : 'x';
	memcpy(buf + n, tail, tl + 1);
}

int
main(void)
{
	static const int rich = RICH, mon = MON;
	struct testlist tl = TESTLIST_INIT;
	int failed;

	fill(huge, sizeof(huge), "mx.helo-partner.example");
	fill(huge_cert, sizeof(huge_cert), "mx1.partner.example");
	memset(long_sender, 'a', 300);
	strcpy(long_sender + 300, "@partner.example");
	memset(long_finance, 'a', 300);
	strcpy(long_finance + 300, "+tag@finance.example.org");
	policies[RICH] = load(rich_policy);
	policies[MON] = load(monitor_policy);
	policies[PIN] = load(pin_policy);
	policies[LANG] = load(lang_policy);

	testlist_add(&tl, "the policies load", test_loaded, NULL);
	TESTLIST_TABLE(&tl, "eval", test_row, rows, label);
	TESTLIST_TABLE(&tl, "transaction", test_tx, tx_rows, label);
	testlist_add(&tl, "property: rich policy", test_property, (void *)&rich);
	testlist_add(&tl, "property: monitor policy", test_property,
	    (void *)&mon);
	testlist_add(&tl, "property: -q agrees with the daemon, rich policy",
	    test_query, (void *)&rich);
	testlist_add(&tl, "property: -q agrees with the daemon, monitor policy",
	    test_query, (void *)&mon);
	testlist_add(&tl, "property: the index agrees with a linear scan on "
	    "random policies", test_index_equivalence, NULL);
	testlist_add(&tl, "index: more lists than a walk merges",
	    test_index_many_labels, NULL);
	failed = testlist_run(&tl, "eval");
	policy_free(policies[RICH]);
	policy_free(policies[MON]);
	policy_free(policies[PIN]);
	policy_free(policies[LANG]);
	return failed;
}
