/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_session.c - libFuzzer target: the macro normaliser (session.c),
 * Postfix and Sendmail style, and the log line made from its result.
 *
 * Input: a session description (fuzz.h): any connect, HELO and envelope
 * arguments, any TLS macros, either MTA's conventions, macro request
 * honoured or not.  Properties checked besides "no crash":
 *   - every copy kept for the log is the given value, cut at 255 bytes and
 *     marked cut exactly when longer; absent stays absent;
 *   - TLS is "on" exactly when {tls_version} is non-empty, "none" only when
 *     the macros are known complete, else "unknown";
 *   - {cipher_bits} is read only as 1 to 5 decimal digits, else -1;
 *   - a certificate counts as verified only as the MTA says it (Sendmail:
 *     {verify} OK or TRUSTED; Postfix: {cert_issuer} given and nothing
 *     Sendmail-like), and only a verified one has a name, which is then a
 *     normalised host name and never one of Sendmail's placeholders;
 *   - a HELO name from before STARTTLS is forgotten once TLS is on;
 *   - a client name counts only when validated (resolve absent or "OK",
 *     not "unknown", not an address literal), the same in any ASCII case
 *     and with a trailing dot;
 *   - the log line is one line of known, unforgeable fields (logline.h).
 */
#include "fuzz.h"
#include "logline.h"

#include "certname.h"
#include "dnsname.h"
#include "xtext.h"

/* The copy t of value v (NULL: absent). */
static void
check_text(const char *what, const struct session_text *t, const char *v)
{
	size_t n;

	if (v == NULL) {
		FUZZ_CHECK(!t->st_present && t->st_value[0] == '\0',
		    "%s: absent but present", what);
		return;
	}
	n = strlen(v);
	FUZZ_CHECK(t->st_present, "%s: given but absent", what);
	FUZZ_CHECK(t->st_cut == (n > SESSION_TEXT_MAX), "%s: cut %d, %zu bytes",
	    what, t->st_cut, n);
	FUZZ_CHECK(strlen(t->st_value) == (n > SESSION_TEXT_MAX ?
	    SESSION_TEXT_MAX : n) && strncmp(t->st_value, v,
	    SESSION_TEXT_MAX) == 0, "%s: copy differs", what);
}

/* A {cipher_bits} read independently. */
static long
bits_of(const char *v)
{
	size_t i, n;

	if (v == NULL || (n = strlen(v)) == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return -1;
	return strtol(v, NULL, 10);
}

static bool
is_sendmail_style(const struct sessdesc *d)
{
	return d->sd_mta == SESSION_MTA_SENDMAIL ||
	    (d->sd_mta == SESSION_MTA_AUTO && d->sd_v[SD_VERIFY] != NULL);
}

static void
check_cert(const struct sessdesc *d, const struct session *s)
{
	const char *const *v = d->sd_v;
	char cn[SESSION_TEXT_MAX + 1], want[DNSNAME_BUFSIZE];
	const char *name = NULL;

	if (s->ss_tls != SESSION_TLS_ON) {
		FUZZ_CHECK(s->ss_cert == SESSION_CERT_UNVERIFIED &&
		    s->ss_cert_name[0] == '\0', "a certificate without TLS");
		return;
	}
	if (is_sendmail_style(d)) {
		bool ok = v[SD_VERIFY] != NULL &&
		    (strcmp(v[SD_VERIFY], "OK") == 0 ||
		    strcmp(v[SD_VERIFY], "TRUSTED") == 0);

		FUZZ_CHECK((s->ss_cert == SESSION_CERT_VERIFIED) == ok,
		    "Sendmail {verify}=%s gives cert state %d",
		    v[SD_VERIFY] ? v[SD_VERIFY] : "(absent)", s->ss_cert);
		if (ok && v[SD_CN_SUBJECT] != NULL &&
		    xtext_decode(v[SD_CN_SUBJECT], cn, sizeof(cn)) >= 0)
			name = cn;
	} else {
		bool ok = v[SD_CERT_ISSUER] != NULL &&
		    v[SD_CN_SUBJECT] == NULL && v[SD_CN_ISSUER] == NULL &&
		    v[SD_CERT_ISSUER][0] != '/' &&
		    (v[SD_CERT_SUBJECT] == NULL || v[SD_CERT_SUBJECT][0] != '/');

		FUZZ_CHECK((s->ss_cert == SESSION_CERT_VERIFIED) == ok,
		    "Postfix-style macros give cert state %d", s->ss_cert);
		if (ok)
			name = v[SD_CERT_SUBJECT];
	}
	if (name == NULL || certname_placeholder(name) ||
	    dnsname_normalize(name, want, sizeof(want), DNSNAME_WILDCARD) != 0)
		want[0] = '\0';
	FUZZ_CHECK(strcmp(s->ss_cert_name, want) == 0, "certificate name "
	    "\"%s\", want \"%s\"", s->ss_cert_name, want);
}

static void
check_session(const struct sessdesc *d, const struct session *s)
{
	const char *const *v = d->sd_v;
	const char *tls = v[SD_TLS_VERSION];
	bool on = tls != NULL && tls[0] != '\0';
	const char *helo;

	check_text("addr", &s->ss_addr_text, v[SD_ADDR]);
	check_text("listener", &s->ss_listener, v[SD_LISTENER]);
	check_text("sender", &s->ss_sender_text, v[SD_SENDER]);
	check_text("queue id", &s->ss_queue_id, v[SD_QUEUE_ID]);
	FUZZ_CHECK(s->ss_auth == (v[SD_AUTH] != NULL && v[SD_AUTH][0] != '\0'),
	    "auth %d", s->ss_auth);
	FUZZ_CHECK(s->ss_tls == (on ? SESSION_TLS_ON : d->sd_incomplete ?
	    SESSION_TLS_UNKNOWN : SESSION_TLS_NONE), "tls state %d", s->ss_tls);
	if (on) {
		check_text("tls_version", &s->ss_tls_version_text, tls);
		check_text("cipher", &s->ss_cipher, v[SD_CIPHER]);
		check_text("cipher_bits", &s->ss_cipher_bits_text,
		    v[SD_CIPHER_BITS]);
	}
	FUZZ_CHECK(s->ss_cipher_bits == (on ? bits_of(v[SD_CIPHER_BITS]) : -1),
	    "cipher_bits %ld", s->ss_cipher_bits);
	check_cert(d, s);

	/* HELO: the last one given, void after STARTTLS when given before. */
	helo = v[SD_HELO_POST] != NULL ? v[SD_HELO_POST] : v[SD_HELO_PRE];
	if (on && v[SD_HELO_POST] == NULL)
		helo = NULL;
	check_text("helo", &s->ss_helo_text, helo);
	if (helo == NULL)
		FUZZ_CHECK(s->ss_helo[0] == '\0', "void HELO kept: %s",
		    s->ss_helo);

	if (v[SD_NAME] == NULL || (v[SD_RESOLVE] != NULL &&
	    strcmp(v[SD_RESOLVE], "OK") != 0) || v[SD_NAME][0] == '[')
		FUZZ_CHECK(s->ss_client_name[0] == '\0', "unvalidated client "
		    "name kept: %s", s->ss_client_name);
	FUZZ_CHECK(strcmp(s->ss_client_name, "unknown") != 0,
	    "\"unknown\" taken for a client name");
}

/* The same session with the client name changed by f: the same name. */
static void
check_client_variant(const struct sessdesc *d, const struct session *s,
    char *(*f)(const char *))
{
	struct sessdesc e = *d;
	struct session t;
	char *name;

	if (d->sd_v[SD_NAME] == NULL || (name = f(d->sd_v[SD_NAME])) == NULL)
		return;
	e.sd_v[SD_NAME] = name;
	sessdesc_build(&e, &t);
	FUZZ_CHECK(strcmp(s->ss_client_name, t.ss_client_name) == 0,
	    "client name \"%s\" -> \"%s\", \"%s\" -> \"%s\"", d->sd_v[SD_NAME],
	    s->ss_client_name, name, t.ss_client_name);
	free(name);
}

static char *
dot_if_none(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[n - 1] != '.' ? fuzz_dot(s) : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum verdict_kind kinds[] = { VERDICT_ACCEPT,
	    VERDICT_REJECT, VERDICT_TEMPFAIL };
	static char line[DECISION_BUFSIZE];
	struct session_text rcpt;
	struct mailaddr ra;
	struct verdict vd;
	struct sessdesc d;
	struct session s;
	size_t i;

	if (!sessdesc_parse(data, size, &d))
		return 0;
	sessdesc_build(&d, &s);
	check_session(&d, &s);
	check_client_variant(&d, &s, fuzz_flip);
	check_client_variant(&d, &s, dot_if_none);

	session_text_set(&rcpt, d.sd_v[SD_RCPT]);
	(void)mailaddr_parse(d.sd_v[SD_RCPT], &ra);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		memset(&vd, 0, sizeof(vd));
		vd.vd_kind = kinds[i];
		vd.vd_monitor = (size & 1) != 0;
		vd.vd_rule = i == 0 ? NULL : "a \"rule\"";
		vd.vd_code = "554";
		vd.vd_xcode = "5.7.0";
		vd.vd_text = "Command refused due to lack of security";
		snprintf(vd.vd_reason, sizeof(vd.vd_reason), "reason %zu", i);
		logline_check(decision_format(line, sizeof(line),
		    i == 1 ? "rcpt" : "mail", &s, i == 1 ? &ra : NULL,
		    i == 1 ? &rcpt : NULL, &vd));
	}
	sessdesc_free(&d);
	return 0;
}
