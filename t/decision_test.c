/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * decision_test.c - decision_format(), decision_log_line(),
 * decision_parse() and decision_restore(): what a peer can put into a
 * log line (control bytes, ANSI escapes, invalid UTF-8, quotes and
 * brackets, printf directives, 64 KiB inputs, buffers of 0 to full
 * length in allocations of exactly that size, so that valgrind sees any
 * overflow), and what a reader gets back: every line read back gives the
 * session it was written from, and what is not a line of this format is
 * refused with a reason.  One TAP test point per table row.
 */
#include "testlist.h"
#include "testutil.h"

#include <stdbool.h>

#include "decision.h"
#include "policy.h"
#include "sanitize.h"
#include "selector.h"
#include "session.h"

static char huge[64 * 1024 + 1];	/* "aaaa...", filled by main() */
static char huge_ctl[64 * 1024 + 1];	/* "\x01\x01...", filled by main() */

/* ------------------------------------------------------------ decision_format */

#define MACROS_MAX 24

struct fmt_row {
	const char	*label;
	const char	*addr, *name, *helo, *sender, *rcpt;
	const char	*macros[MACROS_MAX];
	enum verdict_kind kind;
	bool		 monitor;
	const char	*rule;		/* NULL: rule=- */
	const char	*text;		/* reply text */
	const char	*reason;
	const char	*want[6];	/* substrings of the line */
	const char	*unwanted;	/* a substring it must not have */
	bool		 incomplete;	/* macros_complete false */
};

#define TLS12 "{tls_version}", "TLSv1.2", "{cipher}", \
	"ECDHE-RSA-AES256-GCM-SHA384", "{cipher_bits}", "256"

static const struct fmt_row fmt_rows[] = {
	{ "plain accept", "192.0.2.7", "mx.example.org", "mx.example.org",
	    "<a@example.org>", NULL, { TLS12 }, VERDICT_ACCEPT, false,
	    "partner", NULL, "requirements met",
	    { "rule=\"partner\" stage=mail mta=postfix "
	    "client=mx.example.org[192.0.2.7] helo=<mx.example.org> "
	    "from=<a@example.org> tls=TLSv1.2 "
	    "cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 "
	    "cert_state=unverified reason=\"requirements met\" format=1" }, "reply=",
	    false },
	{ "refusal with reply, no rule name", "192.0.2.7", NULL, NULL,
	    "a@example.org", "<b@example.org>", { NULL }, VERDICT_REJECT, false,
	    NULL, "Command refused due to lack of security", "TLS not in use",
	    { "rule=- stage=rcpt mta=postfix client=unknown[192.0.2.7] "
	    "from=<a@example.org> to=<b@example.org> tls=none "
	    "reply=\"554 5.7.0 Command refused "
	    "due to lack of security\" reason=\"TLS not in use\"" }, "helo=", false },
	{ "monitor says would=", "2001:db8::1", NULL, NULL, "<>", NULL,
	    { NULL }, VERDICT_TEMPFAIL, true, "x", "t", "r",
	    { "would=tempfail rule=\"x\" stage=mail mta=postfix "
	    "client=unknown[2001:db8::1] from=<>",
	    "tls=none" }, NULL, false },
	{ "Postfix empty null sender", NULL, NULL, NULL, "", NULL, { NULL },
	    VERDICT_ACCEPT, false, NULL, NULL, "r", { "client=unknown[] from=<>" },
	    NULL, false },
	{ "hostile HELO", "192.0.2.7", NULL, "evil\r\n> x=\"y\"\033[2J",
	    NULL, NULL, { NULL }, VERDICT_ACCEPT, false, NULL, NULL, "r",
	    { "helo=<evil\\x0d\\x0a\\x3e\\x20x=\"y\"\\x1b[2J>" }, NULL, false },
	{ "address brackets inside", "192.0.2.7", NULL, NULL,
	    "<a>b@example.org>", "<<x@example.org>>", { NULL }, VERDICT_ACCEPT,
	    false, NULL, NULL, "r",
	    { "from=<\\x3ca\\x3eb@example.org\\x3e>",
	    "to=<\\x3c\\x3cx@example.org\\x3e\\x3e>" },
	    NULL, false },
	{ "printf directives in peer strings", "192.0.2.7", NULL, "%n%n%n",
	    "%s%s%s@example.org", NULL,
	    { "{tls_version}", "%n%x", "{cipher}", "%s%p", "{cipher_bits}",
	    "%d" }, VERDICT_REJECT, false, "r%n", "%s text%n", "%n reason",
	    { "rule=\"r%n\"", "helo=<%n%n%n>", "from=<%s%s%s@example.org>",
	    "tls=%n%x cipher=%s%p bits=%d", "reply=\"554 5.7.0 %s text%n\"",
	    "reason=\"%n reason\"" }, NULL, false },
	{ "quotes in certificate names", "192.0.2.7", NULL, NULL, NULL, NULL,
	    { TLS12, "{cert_subject}", "mx\" ok=\"1", "{cert_issuer}",
	    "CA \"x\"" }, VERDICT_ACCEPT, false, "q\"r", NULL, "why \"not\"",
	    { "rule=\"q\\x22r\"", "cert=\"mx\\x22 ok=\\x221\"",
	    "issuer=\"CA \\x22x\\x22\"", "reason=\"why \\x22not\\x22\"" },
	    NULL, false },
	{ "Sendmail verify and xtext CN", "IPv6:2001:db8::1", NULL, NULL, NULL,
	    NULL, { TLS12, "{verify}", "FAIL", "{cn_subject}",
	    "mx.b+C3+BCcher\x01", "{cn_issuer}", "CA+0D+0A" },
	    VERDICT_REJECT, false, "r", "t", "client certificate not verified",
	    { "client=unknown[IPv6:2001:db8::1]", "verify=FAIL",
	    "cert=\"mx.b\\xc3\\xbccher\\x01\"", "issuer=\"CA\\x0d\\x0a\"" },
	    NULL, false },
	{ "brackets in bare fields (found by fuzz_eval)", NULL, NULL, NULL,
	    NULL, NULL, { "{tls_version}", "<x> y", "{cipher}", "<A>",
	    "{cipher_bits}", ">1<", "{verify}", "<OK>" }, VERDICT_ACCEPT,
	    false, NULL, NULL, "r",
	    { "tls=\\x3cx\\x3e\\x20y cipher=\\x3cA\\x3e bits=\\x3e1\\x3c "
	    "verify=\\x3cOK\\x3e" }, NULL, false },
	{ "cipher and bits with spaces and quotes", NULL, NULL, NULL, NULL,
	    NULL, { "{tls_version}", "TLSv1.3", "{cipher}", "A B\"",
	    "{cipher_bits}", "12 8" }, VERDICT_ACCEPT, false, NULL, NULL, "r",
	    { "tls=TLSv1.3 cipher=A\\x20B\\x22 bits=12\\x208" }, NULL, false },
	{ "unknown TLS version as sent", NULL, NULL, NULL, NULL, NULL,
	    { "{tls_version}", "TLSv9 \"x\"" }, VERDICT_ACCEPT, false, NULL,
	    NULL, "r", { "tls=TLSv9\\x20\\x22x\\x22 " }, NULL, false },
	{ "64 KiB unknown TLS version cut and marked", NULL, NULL, NULL, NULL,
	    NULL, { "{tls_version}", huge }, VERDICT_ACCEPT, false, NULL, NULL,
	    "r", { "tls=aaaaaaaaaa", "aaa\\... cert_state=unverified reason=" },
	    NULL, false },
	{ "TLS unknown", NULL, NULL, NULL, NULL, NULL, { NULL },
	    VERDICT_TEMPFAIL, false, "r", "TLS policy cannot be checked",
	    "the MTA sent no TLS information", { "tls=unknown reply=" }, NULL,
	    .incomplete = true },
	{ "64 KiB peer strings cut and marked", huge, huge, huge, huge, huge,
	    { TLS12, "{cert_subject}", huge, "{cert_issuer}", huge },
	    VERDICT_ACCEPT, false, NULL, NULL, "r",
	    { "helo=<aaaa", "aaa\\...> from=<aaa", "aaa\\...> to=<aaa",
	    "cert=\"aaa", "aaa\\...\" issuer=\"aaa",
	    "aaa\\...\" reason=\"r\" format=1" },
	    NULL, false },
};

/* fmt_build - the session and verdict of a row. */
static void
fmt_build(const struct fmt_row *row, struct session *s, struct verdict *v,
    struct session_text *rcpt, struct mailaddr *ra)
{
	session_init(s);
	session_set_client(s, row->addr, row->name, NULL);
	session_set_helo(s, row->helo, true);
	session_set_tls(s, testutil_kv_lookup, (void *)row->macros, SESSION_MTA_AUTO,
	    !row->incomplete);
	session_set_sender(s, row->sender, NULL, NULL);
	session_text_set(rcpt, row->rcpt);
	(void)mailaddr_parse(row->rcpt, ra);
	memset(v, 0, sizeof(*v));
	v->vd_kind = row->kind;
	v->vd_monitor = row->monitor;
	v->vd_rule = row->rule;
	if (row->kind == VERDICT_REJECT || row->kind == VERDICT_TEMPFAIL) {
		v->vd_code = row->kind == VERDICT_REJECT ? "554" : "451";
		v->vd_xcode = row->kind == VERDICT_REJECT ? "5.7.0" : "4.3.5";
		v->vd_text = row->text;
	}
	snprintf(v->vd_reason, sizeof(v->vd_reason), "%s", row->reason);
}

static void
test_format(void **state)
{
	const struct fmt_row *row = *state;
	static char line[DECISION_BUFSIZE];
	struct session_text rcpt;
	struct mailaddr ra;
	struct session s;
	struct verdict v;
	size_t i;

	fmt_build(row, &s, &v, &rcpt, &ra);
	assert_ptr_equal(decision_format(line, sizeof(line),
	    row->rcpt ? "rcpt" : "mail", &s, row->rcpt ? &ra : NULL,
	    row->rcpt ? &rcpt : NULL, &v), line);
	assert_true(testutil_printable(line));
	assert_true(strlen(line) < sizeof(line) - 1);	/* never full */
	for (i = 0; i < 6 && row->want[i] != NULL; i++)
		if (strstr(line, row->want[i]) == NULL)
			fail_msg("line \"%.2000s\" lacks \"%s\"", line,
			    row->want[i]);
	if (row->unwanted != NULL && strstr(line, row->unwanted) != NULL)
		fail_msg("line \"%.2000s\" has \"%s\"", line, row->unwanted);
	assert_string_equal(decision_action(&v), row->monitor &&
	    row->kind != VERDICT_ACCEPT ? "monitor" : verdict_name(row->kind));
}

/* Every field at its longest, every byte escaped: it still fits. */
static void
test_format_longest(void **state)
{
	static char line[DECISION_BUFSIZE], name[2000], text[2000];
	static const char *const macros[] = { "{tls_version}", huge_ctl,
		"{cipher}", huge_ctl, "{cipher_bits}", huge_ctl, "{verify}",
		huge_ctl, "{cn_subject}", "+01+01+01+01", "{cn_issuer}",
		"+01+01", NULL };
	struct session_text rcpt;
	struct session s;
	struct verdict v;

	(void)state;
	memset(name, '\001', sizeof(name) - 1);
	memset(text, '\001', sizeof(text) - 1);
	session_init(&s);
	session_set_client(&s, huge_ctl, huge_ctl, NULL);
	session_set_helo(&s, huge_ctl, true);
	session_set_tls(&s, testutil_kv_lookup, (void *)macros, SESSION_MTA_AUTO, true);
	session_set_sender(&s, huge_ctl, huge_ctl, huge_ctl);
	session_text_set(&rcpt, huge_ctl);
	memset(&v, 0, sizeof(v));
	v.vd_kind = VERDICT_REJECT;
	v.vd_monitor = true;
	v.vd_rule = name;
	v.vd_code = "554";
	v.vd_xcode = "5.7.0";
	v.vd_text = text;
	memset(v.vd_reason, '\001', sizeof(v.vd_reason) - 1);
	decision_format(line, sizeof(line), "rcpt", &s, NULL, &rcpt, &v);
	assert_true(testutil_printable(line));
	assert_true(strlen(line) < sizeof(line) - 1);
	/* the rule name and reply text are cut, the reason is whole */
	assert_memory_equal(line, "would=reject rule=\"\\x01",
	    strlen("would=reject rule=\"\\x01"));
	assert_non_null(strstr(line, "...\" stage=rcpt mta=sendmail "
	    "client=unknown["));
	assert_non_null(strstr(line, "...\" reason=\"\\x01"));
	assert_int_equal(strlen(strstr(line, " reason=\"")),
	    strlen(" reason=\"") + 4 * (sizeof(v.vd_reason) - 1) + 1 +
	    strlen(" format=1"));
}

/* One decision, as decision_log_line() is asked for it (queue NULL:
 * decision_format() instead). */
struct fmt_call {
	const char	*fc_queue;
	bool		fc_log;
	const struct session *fc_s;
	const struct mailaddr *fc_ra;
	const struct session_text *fc_rcpt;
	const struct verdict *fc_v;
};

static char *
fmt_call(const struct fmt_call *fc, char *buf, size_t len)
{
	if (fc->fc_log)
		return decision_log_line(buf, len, fc->fc_queue, "mail",
		    fc->fc_s, fc->fc_ra, fc->fc_rcpt, fc->fc_v);
	return decision_format(buf, len, "mail", fc->fc_s, fc->fc_ra,
	    fc->fc_rcpt, fc->fc_v);
}

/* In buffers of every size up to two past the whole line full: nothing
 * written into 0 bytes, else a printable prefix of full, never more. */
static void
check_prefixes(const struct fmt_call *fc, const char *full)
{
	size_t len, flen = strlen(full);
	char *buf;

	for (len = 0; len <= flen + 2; len++) {
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		buf[0] = 'Z';
		assert_ptr_equal(fmt_call(fc, buf, len), buf);
		if (len == 0) {
			assert_int_equal(buf[0], 'Z');
		} else {
			assert_true(strnlen(buf, len) < len);
			assert_int_equal(strlen(buf), len - 1 < flen ?
			    len - 1 : flen);
			assert_memory_equal(buf, full, strlen(buf));
			assert_true(testutil_printable(buf));
		}
		free(buf);
	}
}

/* Buffers of every small size: a prefix of the full line, never more. */
static void
test_format_tiny(void **state)
{
	static char full[DECISION_BUFSIZE];
	const struct fmt_row *row = &fmt_rows[6];	/* printf directives */
	struct session_text rcpt;
	struct mailaddr ra;
	struct session s;
	struct verdict v;
	struct fmt_call fc = { NULL, false, &s, &ra, &rcpt, &v };

	(void)state;
	fmt_build(row, &s, &v, &rcpt, &ra);
	check_prefixes(&fc, fmt_call(&fc, full, sizeof(full)));
}

/* decision_log_line(): QUEUEID: action=ACTION then decision_format()'s
 * fields, the queue id sanitised (" " and ":" escaped), NOQUEUE when
 * there is none; and in buffers of every small size a prefix of that. */
static void
test_log_line(void **state)
{
	static char fields[DECISION_BUFSIZE], full[DECISION_BUFSIZE + 64],
	    want[DECISION_BUFSIZE + 64];
	const struct fmt_row *row = &fmt_rows[2];	/* monitor, would= */
	struct session_text rcpt;
	struct mailaddr ra;
	struct session s;
	struct verdict v;
	struct fmt_call fc = { "4Q x:y\001\\", true, &s, &ra, &rcpt, &v };

	(void)state;
	fmt_build(row, &s, &v, &rcpt, &ra);
	decision_format(fields, sizeof(fields), "mail", &s, &ra, &rcpt, &v);
	decision_log_line(full, sizeof(full), NULL, "mail", &s, &ra, &rcpt,
	    &v);
	snprintf(want, sizeof(want), "NOQUEUE: action=monitor %s", fields);
	assert_string_equal(full, want);
	decision_log_line(full, sizeof(full), "", "mail", &s, &ra, &rcpt, &v);
	assert_string_equal(full, want);
	decision_log_line(full, sizeof(full), "4Q x:y\001\\", "mail", &s,
	    &ra, &rcpt, &v);
	snprintf(want, sizeof(want),
	    "4Q\\x20x\\x3ay\\x01\\x5c: action=monitor %s", fields);
	assert_string_equal(full, want);
	check_prefixes(&fc, full);
}

/* ------------------------------------------------------------ reading back */

/*
 * Every row's line read back and restored gives the same line again: the
 * line holds the session as the policy reads it (decision_restore()),
 * the verdict's fields as they were.
 */
static void
test_roundtrip(void **state)
{
	const struct fmt_row *row = *state;
	static char line[DECISION_BUFSIZE], again[DECISION_BUFSIZE];
	static struct decision_rec rec;
	struct session_text rcpt, rt;
	struct mailaddr ra, rr;
	struct session s, rs;
	struct verdict v;
	const char *why = NULL;
	bool has_rcpt;

	fmt_build(row, &s, &v, &rcpt, &ra);
	decision_format(line, sizeof(line), row->rcpt ? "rcpt" : "mail", &s,
	    row->rcpt ? &ra : NULL, row->rcpt ? &rcpt : NULL, &v);
	if (decision_parse(line, &rec, &why) < 0)
		fail_msg("not read back (%s): %.2000s", why, line);
	if (decision_restore(&rec, &rs, &rr, &has_rcpt, &why) < 0)
		fail_msg("not restored (%s): %.2000s", why, line);
	assert_int_equal(has_rcpt, row->rcpt != NULL);
	session_text_set(&rt, rec.dr_value[DF_TO]);
	rt.st_cut = rt.st_present && rec.dr_cut[DF_TO];
	decision_format(again, sizeof(again), row->rcpt ? "rcpt" : "mail",
	    &rs, has_rcpt ? &rr : NULL, has_rcpt ? &rt : NULL, &v);
	assert_string_equal(again, line);
}

/* What is not a line of format 1 is refused, with the reason. */
struct bad_row {
	const char	*label;
	const char	*line;
	const char	*why;
};

#define OK_HEAD	"rule=\"r\" stage=mail mta=postfix client=unknown[]"
#define OK_TAIL	" tls=none reason=\"r\" format=1"

static const struct bad_row bad_rows[] = {
	{ "a future format", "rule=- new=1 reason=\"r\" format=2",
	    "another format version" },
	{ "format 10 is not 1", OK_HEAD " tls=none reason=\"r\" format=10",
	    "another format version" },
	{ "format= first, as no line ends", "format=1 " OK_HEAD " tls=none "
	    "reason=\"r\"", "the line is cut short" },
	{ "empty", "", "the line is cut short" },
	{ "cut short", OK_HEAD " tls=none reason=\"r", "the line is cut short" },
	{ "a forged format= inside a value", OK_HEAD " tls=none "
	    "reason=\"r format=1\"", "the line is cut short" },
	{ "an unknown field", OK_HEAD " color=blue" OK_TAIL, "an unknown field" },
	{ "a field repeated", OK_HEAD " client=x[]" OK_TAIL,
	    "a field repeated or out of order" },
	{ "fields out of order", "stage=mail rule=-" OK_TAIL,
	    "a field repeated or out of order" },
	{ "a quote not closed", "rule=\"r stage=mail" OK_TAIL,
	    "a value not closed" },
	{ "a bracket not closed", OK_HEAD " helo=<x" OK_TAIL,
	    "a value not closed" },
	{ "text after a closing quote", "rule=\"r\"x stage=mail" OK_TAIL,
	    "a value not closed" },
	{ "a rule neither quoted nor -", "rule=r stage=mail" OK_TAIL,
	    "a value not closed" },
	{ "a backslash that is no escape", OK_HEAD " helo=<a\\b>" OK_TAIL,
	    "a value badly escaped" },
	{ "an escape cut short", OK_HEAD " helo=<a\\x4>" OK_TAIL,
	    "a value badly escaped" },
	{ "an escape not in hex", OK_HEAD " helo=<a\\xzz>" OK_TAIL,
	    "a value badly escaped" },
	{ "a control byte", OK_HEAD " helo=<a\tb>" OK_TAIL,
	    "a value badly escaped" },
	{ "invalid UTF-8", OK_HEAD " helo=<\xc3\x28>" OK_TAIL,
	    "a value badly escaped" },
	{ "a field after format=", OK_HEAD " tls=none reason=\"r\" format=1 "
	    "tls=none format=1", "a field after format=" },
	{ "no client=", "rule=- stage=mail mta=postfix" OK_TAIL,
	    "a field is missing" },
};

static void
test_bad(void **state)
{
	const struct bad_row *row = *state;
	static struct decision_rec rec;
	const char *why = NULL;

	assert_int_equal(decision_parse(row->line, &rec, &why), -1);
	assert_string_equal(why, row->why);
}

/* A line of 64 KiB (a value far longer than any written): refused or read,
 * never overrun. */
static void
test_huge_line(void **state)
{
	static char line[sizeof(huge) + 256];
	static struct decision_rec rec;
	const char *why;

	(void)state;
	snprintf(line, sizeof(line), OK_HEAD " helo=<%s>" OK_TAIL, huge);
	assert_int_equal(decision_parse(line, &rec, &why), -1);
	assert_string_equal(why, "a line longer than the daemon writes");
}

/* The longest line decision_format() can write (DECISION_BUFSIZE - 1
 * bytes) is read, one byte more is not. */
static void
test_longest_line(void **state)
{
	static char line[DECISION_BUFSIZE + 1];
	static struct decision_rec rec;
	const char *why;
	int head = (int)strlen(OK_HEAD " helo=<"), tail = (int)strlen(">"
	    OK_TAIL), fill = DECISION_BUFSIZE - 1 - head - tail;

	(void)state;
	snprintf(line, sizeof(line), OK_HEAD " helo=<%.*s>" OK_TAIL, fill,
	    huge);
	assert_int_equal(strlen(line), DECISION_BUFSIZE - 1);
	assert_int_equal(decision_parse(line, &rec, &why), 0);
	assert_int_equal(strlen(rec.dr_value[DF_HELO]), fill);
	snprintf(line, sizeof(line), OK_HEAD " helo=<%.*s>" OK_TAIL, fill + 1,
	    huge);
	assert_int_equal(decision_parse(line, &rec, &why), -1);
	assert_string_equal(why, "a line longer than the daemon writes");
}

/* What restore cannot read: an MTA, a client, a fingerprint. */
static void
test_restore_bad(void **state)
{
	static const char *const lines[] = {
		"rule=- stage=mail mta=exim client=unknown[]" OK_TAIL,
		"rule=- stage=mail mta=postfix client=unknown" OK_TAIL,
		OK_HEAD " tls=TLSv1.3 cert_state=verified fp=sha256:00 "
		    "reason=\"r\" format=1",
		OK_HEAD " tls=TLSv1.3 reason=\"r\" format=1",	/* no cert_state= */
		OK_HEAD " tls=none cert_state=x reason=\"r\" format=1",
	};
	static struct decision_rec rec;
	struct mailaddr rr;
	struct session rs;
	const char *why;
	bool has_rcpt;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		why = NULL;
		if (decision_parse(lines[i], &rec, &why) == 0)
			assert_int_equal(decision_restore(&rec, &rs, &rr,
			    &has_rcpt, &why), -1);
		assert_non_null(why);
	}
}

/* Every selector's LOG field is a field of the line, so that a new
 * selector cannot be left out of what a line is read back into. */
static void
test_selector_fields(void **state)
{
	unsigned i, f;

	(void)state;
	for (i = 0; i < SEL_N; i++) {
		for (f = 0; f < DF_N; f++)
			if (strcmp(decision_field_name((enum decision_field)f),
			    selectors[i].se_log) == 0)
				break;
		if (f == DF_N)
			fail_msg("selector %s logs %s=, which is no field",
			    selectors[i].se_key, selectors[i].se_log);
	}
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	memset(huge, 'a', sizeof(huge) - 1);
	memset(huge_ctl, '\001', sizeof(huge_ctl) - 1);
	TESTLIST_TABLE(&tl, "decision_format", test_format, fmt_rows, label);
	testlist_add(&tl, "decision_format: every field at its longest",
	    test_format_longest, NULL);
	testlist_add(&tl, "decision_format: buffers of 0 to full length",
	    test_format_tiny, NULL);
	testlist_add(&tl, "decision_log_line: queue id, NOQUEUE, every length",
	    test_log_line, NULL);
	TESTLIST_TABLE(&tl, "decision_parse and decision_restore: the same "
	    "line again", test_roundtrip, fmt_rows, label);
	TESTLIST_TABLE(&tl, "decision_parse refuses", test_bad, bad_rows, label);
	testlist_add(&tl, "decision_parse: a 64 KiB value", test_huge_line,
	    NULL);
	testlist_add(&tl, "decision_parse: the longest line written, and one "
	    "byte more", test_longest_line, NULL);
	testlist_add(&tl, "decision_restore: what cannot be read",
	    test_restore_bad, NULL);
	testlist_add(&tl, "every selector's LOG field is a field of the line",
	    test_selector_fields, NULL);
	return testlist_run(&tl, "decision");
}
