/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_eval.c - libFuzzer target: the evaluator (policy_eval) on any
 * session against a fixed rich policy that uses every selector,
 * requirement and action, and ends with a rule that requires TLS of
 * everything else.
 *
 * Input: a session description (fuzz.h) with a recipient.  The session is
 * built as the daemon builds it and judged at MAIL and at RCPT.
 * Properties checked besides "no crash":
 *   - never an accept when a requirement is unmet: whenever a rule
 *     accepts, its requirements hold when read again, independently, from
 *     the raw macros (TLS on, version, cipher strength and exclusions,
 *     verified certificate as each MTA says it, issuer, name);
 *   - nothing is accepted by falling off the end (the last rule takes all);
 *   - every rule above the deciding one was rightly passed over: it does
 *     not select, or might not and its requirements are met, or it is a
 *     monitor rule, noted (in order) when it may apply and would refuse;
 *   - a decision made at MAIL is the one every recipient would get;
 *   - a refusal carries a reply of its class (4xx tempfail, 5xx reject)
 *     and "monitor" marks only refusals;
 *   - the verdict is the same with the ASCII case of every name, address
 *     and cipher swapped, and with one trailing dot added to every host
 *     name (client, HELO, certificate);
 *   - the log line is one line of known, unforgeable fields (logline.h).
 */
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "logline.h"

#include "certname.h"
#include "conf.h"
#include "../t/richpolicy.h"
#include "rule.h"
#include "xtext.h"

static const char policy_text[] =
    "mode = \"enforce\"\n"
    "recipient_delimiter = \"+-\"\n"
    RICHPOLICY_FIRST_RULES
    "rule \"by-port\" {\n"
    "    listener_port = {587, 465}\n"
    "    listener_addr = {\"192.0.2.25\", \"2001:db8::/32\"}\n"
    "    require       = \"verify\"\n"
    "}\n"
    "rule \"strong-if-tls\" {\n"
    "    tls          = true\n"
    "    sender       = {\"legal@ourcorp.example\"}\n"
    "    require      = \"encrypt\"\n"
    "    min_protocol = \"TLSv1.2\"\n"
    "}\n"
    "rule \"helo-partner\" {\n"
    "    helo    = {\"mx.helo.example\", \".helo-partner.example\",\n"
    "               \"[192.0.2.99]\", \"[IPv6:2001:db8::99]\"}\n"
    "    require = \"secure\"\n"
    "    action  = \"monitor\"\n"
    "}\n"
    "rule \"by-name\" {\n"
    "    client_name = {\".byname.example\"}\n"
    "    require     = \"secure\"\n"
    "}\n"
    "rule \"finance\" {\n"
    "    recipient    = {\"finance.example.org\", \"cfo@example.org\",\n"
    "                    \".secure.example.org\", \"[192.0.2.1]\"}\n"
    "    require      = \"encrypt\"\n"
    "    min_protocol = \"TLS1.2\"\n"
    "}\n"
    "rule \"legacy-net\" {\n"
    "    client_addr     = {\"198.51.100.0/24\", \"2001:db8:bad::/48\"}\n"
    "    require         = \"encrypt\"\n"
    "    min_cipher_bits = 112\n"
    "}\n"
    "rule \"rest\" {\n"
    "    require = \"encrypt\"\n"
    "}\n";

static struct policy *policy;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct conf_errors errors;
	char path[64];
	size_t i;
	int fd;

	(void)argc;
	(void)argv;
	fd = memfd_create("policy", 0);	/* 0600, as confperm.h wants */
	if (fd < 0 || fchmod(fd, 0600) != 0 ||
	    write(fd, policy_text, sizeof(policy_text) - 1) !=
	    (ssize_t)(sizeof(policy_text) - 1)) {
		perror("fuzz_eval: memfd");
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((policy = conf_load(path, &errors)) == NULL) {
		for (i = 0; i < errors.ce_count; i++)
			fprintf(stderr, "fuzz_eval: %s\n", errors.ce_lines[i]);
		exit(1);
	}
	conf_errors_free(&errors);	/* the warnings, none expected */
	close(fd);
	return 0;
}

/* ------------------------------------------------------------ the oracle */

static const char *const placeholders[] = { "BadCertificateUnknown",
    "BadCertificateTooLong", "BadCertificateContainsNUL", NULL };

static bool
sendmail_style(const struct sessdesc *d)
{
	return d->sd_mta == SESSION_MTA_SENDMAIL ||
	    (d->sd_mta == SESSION_MTA_AUTO && d->sd_v[SD_VERIFY] != NULL);
}

static bool
met_tls(const struct rule *r, const struct sessdesc *d)
{
	const char *const *v = d->sd_v;
	enum tlsversion ver;
	const char *b;
	size_t i, n;
	long bits = 0;

	if (v[SD_TLS_VERSION] == NULL || v[SD_TLS_VERSION][0] == '\0')
		return false;
	if ((ver = tlsversion_parse(v[SD_TLS_VERSION])) == TLSVERSION_UNKNOWN ||
	    ver < r->r_min_protocol)
		return false;
	if (r->r_min_cipher_bits > 0) {
		if ((b = v[SD_CIPHER_BITS]) == NULL || (n = strlen(b)) == 0 ||
		    n > 5)
			return false;
		for (i = 0; i < n; i++) {
			if (b[i] < '0' || b[i] > '9')
				return false;
			bits = bits * 10 + (b[i] - '0');
		}
		if (bits < r->r_min_cipher_bits)
			return false;
	}
	if (r->r_exclude_ciphers.sl_n > 0 && (v[SD_CIPHER] == NULL ||
	    strlen(v[SD_CIPHER]) > SESSION_TEXT_MAX))
		return false;
	for (i = 0; i < r->r_exclude_ciphers.sl_n; i++)
		if (fnmatch(r->r_exclude_ciphers.sl_v[i], v[SD_CIPHER],
		    FNM_CASEFOLD) == 0)
			return false;
	return true;
}

/* The verified certificate's CN and issuer as the MTA gave them, or false. */
static bool
verified(const struct sessdesc *d, char *cn, char *issuer, size_t len)
{
	const char *const *v = d->sd_v;

	cn[0] = issuer[0] = '\0';
	if (sendmail_style(d)) {
		if (v[SD_VERIFY] == NULL || (strcmp(v[SD_VERIFY], "OK") != 0 &&
		    strcmp(v[SD_VERIFY], "TRUSTED") != 0))
			return false;
		if (v[SD_CN_SUBJECT] == NULL ||
		    xtext_decode(v[SD_CN_SUBJECT], cn, len) < 0)
			cn[0] = '\0';
		if (v[SD_CN_ISSUER] == NULL ||
		    xtext_decode(v[SD_CN_ISSUER], issuer, len) < 0)
			issuer[0] = '\0';
		return true;
	}
	if (v[SD_CERT_ISSUER] == NULL || v[SD_CERT_ISSUER][0] == '/' ||
	    v[SD_CN_SUBJECT] != NULL || v[SD_CN_ISSUER] != NULL ||
	    (v[SD_CERT_SUBJECT] != NULL && v[SD_CERT_SUBJECT][0] == '/'))
		return false;
	snprintf(cn, len, "%s", v[SD_CERT_SUBJECT] ? v[SD_CERT_SUBJECT] : "");
	snprintf(issuer, len, "%s", v[SD_CERT_ISSUER]);
	/* a value longer than the session keeps never matches exactly */
	if (strlen(v[SD_CERT_ISSUER]) > SESSION_TEXT_MAX)
		issuer[0] = '\x01';
	return true;
}

/* The client's validated name, normalised, or "". */
static void
client_name(const struct sessdesc *d, char *out)
{
	const char *name = d->sd_v[SD_NAME], *res = d->sd_v[SD_RESOLVE];

	out[0] = '\0';
	if (name == NULL || name[0] == '[' ||
	    (res != NULL && strcmp(res, "OK") != 0) ||
	    dnsname_normalize(name, out, DNSNAME_BUFSIZE, 0) != 0 ||
	    strcmp(out, "unknown") == 0)
		out[0] = '\0';
}

static bool
met_cert(const struct rule *r, const struct sessdesc *d)
{
	char cn[SESSION_TEXT_MAX + 1], issuer[SESSION_TEXT_MAX + 1];
	char client[DNSNAME_BUFSIZE];
	bool ok = false;
	size_t i;

	if (!verified(d, cn, issuer, sizeof(cn)))
		return false;
	for (i = 0; i < r->r_cert_issuers.sl_n; i++)
		ok |= strcmp(r->r_cert_issuers.sl_v[i], issuer) == 0;
	if (r->r_cert_issuers.sl_n > 0 && !ok)
		return false;
	if (r->r_require < REQUIRE_SECURE)
		return true;
	for (i = 0; placeholders[i] != NULL; i++)
		if (strcmp(cn, placeholders[i]) == 0)
			return false;
	if (r->r_cert_names.sl_n == 0) {
		client_name(d, client);
		return client[0] != '\0' && certname_match(cn, client);
	}
	for (i = 0; i < r->r_cert_names.sl_n; i++)
		if (certname_match(cn, r->r_cert_names.sl_v[i]))
			return true;
	return false;
}

/* Are r's requirements met by the raw facts? */
static bool
met(const struct rule *r, const struct sessdesc *d)
{
	if (r->r_require == REQUIRE_NONE)
		return true;
	if (!met_tls(r, d))
		return false;
	return r->r_require < REQUIRE_VERIFY || met_cert(r, d);
}

/* ------------------------------------------------------------ checks */

static void
check_verdict(const struct verdict *v, const struct sessdesc *d,
    bool at_rcpt)
{
	const struct rule *r;

	FUZZ_CHECK(v->vd_kind == VERDICT_ACCEPT || v->vd_kind ==
	    VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL ||
	    (v->vd_kind == VERDICT_DEFER && !at_rcpt), "kind %d", v->vd_kind);
	if (v->vd_kind == VERDICT_DEFER)
		return;
	FUZZ_CHECK(v->vd_rule != NULL && v->vd_rule_index <
	    policy_nrules(policy), "no rule decided (%s): %s",
	    verdict_name(v->vd_kind), v->vd_reason);
	r = &policy->p_rules[v->vd_rule_index];
	FUZZ_CHECK(strcmp(r->r_name, v->vd_rule) == 0, "rule %s at %zu",
	    v->vd_rule, v->vd_rule_index);
	if (v->vd_kind == VERDICT_ACCEPT) {
		FUZZ_CHECK(!v->vd_monitor, "monitor on an accept");
		FUZZ_CHECK(met(r, d), "rule \"%s\" accepted although a "
		    "requirement is unmet (%s)", r->r_name, v->vd_reason);
		return;
	}
	FUZZ_CHECK(v->vd_code != NULL && v->vd_xcode != NULL &&
	    v->vd_text != NULL, "refusal without a reply");
	FUZZ_CHECK(v->vd_code[0] == (v->vd_kind == VERDICT_TEMPFAIL ? '4' :
	    '5') && v->vd_xcode[0] == v->vd_code[0], "%s with %s %s",
	    verdict_name(v->vd_kind), v->vd_code, v->vd_xcode);
	FUZZ_CHECK(v->vd_monitor == (r->r_action == ACTION_MONITOR),
	    "monitor %d for rule %s", v->vd_monitor, r->r_name);
}

/* Does r note rather than decide (action "monitor" in mode "enforce")? */
static bool
noting(const struct rule *r)
{
	return r->r_action == ACTION_MONITOR &&
	    policy_mode(policy) == POLICY_ENFORCE;
}

/* Every rule above the one that decided at RCPT was rightly passed over. */
static void
check_walk(const struct verdict *v, const struct session *s,
    const struct mailaddr *rcpt)
{
	const struct question q = { s, rcpt, policy->p_delim };
	char why[192];
	unsigned notes = 0;
	size_t i;
	int sel, rsel;

	for (i = 0; i < v->vd_rule_index; i++) {
		const struct rule *r = &policy->p_rules[i];

		sel = rule_selects(r, &q);
		rsel = rule_selects_rcpt(r, &q);
		if (noting(r)) {	/* passed over, noted when it would refuse */
			if (sel != 0 && rsel != 0 &&
			    rule_check(r, s, why, sizeof(why)) != RULE_MET) {
				FUZZ_CHECK(notes < v->vd_nnotes + v->vd_notes_lost,
				    "monitor rule \"%s\" not noted", r->r_name);
				FUZZ_CHECK(notes >= v->vd_nnotes || strcmp(
				    v->vd_notes[notes].vn_rule, r->r_name) == 0,
				    "note %u is %s, want %s", notes,
				    v->vd_notes[notes].vn_rule, r->r_name);
				notes++;
			}
			continue;
		}
		FUZZ_CHECK(sel == 0 || rsel == 0 || ((sel < 0 || rsel < 0) &&
		    rule_check(r, s, why, sizeof(why)) == RULE_MET),
		    "rule \"%s\" (selects %d/%d) passed over for \"%s\"",
		    r->r_name, sel, rsel, v->vd_rule);
	}
	FUZZ_CHECK(notes == v->vd_nnotes + v->vd_notes_lost,
	    "%u notes, want %u", v->vd_nnotes + v->vd_notes_lost, notes);
}

/*
 * The line read back and restored is decided as the session was, to the
 * reason: it carries every fact a rule reads (decision.h).
 */
static void
check_replay(const char *line, const struct verdict *v)
{
	static struct decision_rec rec;
	struct mailaddr rr;
	struct session rs;
	struct verdict w;
	const char *why = "";
	bool has_rcpt;

	FUZZ_CHECK(decision_parse(line, &rec, &why) == 0 &&
	    decision_restore(&rec, &rs, &rr, &has_rcpt, &why) == 0,
	    "not read back (%s): %s", why, line);
	policy_eval(policy, &rs, has_rcpt ? &rr : NULL, &w);
	FUZZ_CHECK(w.vd_kind == v->vd_kind && w.vd_monitor == v->vd_monitor &&
	    w.vd_rule_index == v->vd_rule_index &&
	    strcmp(w.vd_reason, v->vd_reason) == 0,
	    "replayed as %s by %s (%s): %s", verdict_name(w.vd_kind),
	    w.vd_rule ? w.vd_rule : "-", w.vd_reason, line);
}

struct outcome {
	struct verdict	o_mail, o_rcpt;
};

/* Judge the description at MAIL and RCPT, checking each verdict. */
static void
judge(const struct sessdesc *d, struct outcome *o, bool full)
{
	static char line[DECISION_BUFSIZE];
	struct session_text rt;
	struct mailaddr rcpt;
	struct session s;

	sessdesc_build(d, &s);
	(void)mailaddr_parse(d->sd_v[SD_RCPT], &rcpt);
	policy_eval(policy, &s, NULL, &o->o_mail);
	policy_eval(policy, &s, &rcpt, &o->o_rcpt);
	if (!full)
		return;
	check_verdict(&o->o_mail, d, false);
	check_verdict(&o->o_rcpt, d, true);
	check_walk(&o->o_rcpt, &s, &rcpt);
	if (o->o_mail.vd_kind != VERDICT_DEFER)
		FUZZ_CHECK(o->o_mail.vd_kind == o->o_rcpt.vd_kind &&
		    o->o_mail.vd_rule_index == o->o_rcpt.vd_rule_index,
		    "MAIL decided %s by %s, RCPT %s by %s",
		    verdict_name(o->o_mail.vd_kind), o->o_mail.vd_rule,
		    verdict_name(o->o_rcpt.vd_kind), o->o_rcpt.vd_rule);
	session_text_set(&rt, d->sd_v[SD_RCPT]);
	logline_check(decision_format(line, sizeof(line), "rcpt", &s, &rcpt,
	    &rt, &o->o_rcpt));
	check_replay(line, &o->o_rcpt);
}

static bool
same(const struct verdict *a, const struct verdict *b)
{
	return a->vd_kind == b->vd_kind && a->vd_monitor == b->vd_monitor &&
	    a->vd_nnotes == b->vd_nnotes &&
	    a->vd_notes_lost == b->vd_notes_lost &&
	    (a->vd_rule == NULL) == (b->vd_rule == NULL) &&
	    (a->vd_rule == NULL || a->vd_rule_index == b->vd_rule_index);
}

/* Judge a variant of d whose fields in which[] went through f. */
static void
check_variant(const struct sessdesc *d, const struct outcome *o,
    const char *what, const enum sd_field *which, size_t n,
    char *(*f)(const struct sessdesc *, enum sd_field))
{
	struct sessdesc e = *d;
	struct outcome vo;
	char *owned[SD_NFIELDS] = { NULL };
	size_t i;

	for (i = 0; i < n; i++)
		if ((owned[i] = f(d, which[i])) != NULL)
			e.sd_v[which[i]] = owned[i];
	judge(&e, &vo, false);
	FUZZ_CHECK(same(&o->o_mail, &vo.o_mail) && same(&o->o_rcpt, &vo.o_rcpt),
	    "%s changes the verdict: MAIL %s/%s -> %s/%s, RCPT %s/%s -> %s/%s",
	    what, verdict_name(o->o_mail.vd_kind), o->o_mail.vd_rule,
	    verdict_name(vo.o_mail.vd_kind), vo.o_mail.vd_rule,
	    verdict_name(o->o_rcpt.vd_kind), o->o_rcpt.vd_rule,
	    verdict_name(vo.o_rcpt.vd_kind), vo.o_rcpt.vd_rule);
	for (i = 0; i < n; i++)
		free(owned[i]);
}

static char *
flip_field(const struct sessdesc *d, enum sd_field f)
{
	return fuzz_flip(d->sd_v[f]);
}

/* A trailing dot on a host name that has none (not on address literals). */
static char *
dot_field(const struct sessdesc *d, enum sd_field f)
{
	char buf[SESSION_TEXT_MAX + 1];
	const char *v = d->sd_v[f];
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0 || v[n - 1] == '.' || v[0] == '[')
		return NULL;
	if (f == SD_CN_SUBJECT && xtext_decode(v, buf, sizeof(buf)) > 0 &&
	    buf[strlen(buf) - 1] == '.')
		return NULL;	/* "+2E": the dot is there, encoded */
	return fuzz_dot(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum sd_field cased[] = { SD_ADDR, SD_NAME, SD_HELO_PRE,
	    SD_HELO_POST, SD_SENDER, SD_RCPT, SD_CIPHER, SD_CERT_SUBJECT,
	    SD_CN_SUBJECT };
	static const enum sd_field named[] = { SD_NAME, SD_HELO_PRE,
	    SD_HELO_POST, SD_CERT_SUBJECT, SD_CN_SUBJECT };
	struct sessdesc d;
	struct outcome o;

	if (!sessdesc_parse(data, size, &d))
		return 0;
	judge(&d, &o, true);
	check_variant(&d, &o, "ASCII case", cased,
	    sizeof(cased) / sizeof(cased[0]), flip_field);
	check_variant(&d, &o, "a trailing dot", named,
	    sizeof(named) / sizeof(named[0]), dot_field);
	sessdesc_free(&d);
	return 0;
}
