/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rule.c - does a rule apply to a session, and are its requirements met?
 *
 * Selectors answer "does this rule apply"; requirements answer "is this
 * session good enough".  A fact the milter cannot interpret (an unknown
 * TLS version, a cipher_bits that is not a number, a certificate name that
 * is not a DNS name) never meets a requirement.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certname.h"
#include "dnsname.h"
#include "reason.h"
#include "rule.h"

/*
 * rule_selects - see rule.h.
 */
int
rule_selects(const struct rule *r, const struct question *q)
{
	return selector_all(r->r_sel, r->r_selmask & ~SEL_RCPT_MASK, q);
}

/*
 * rule_selects_rcpt - see rule.h.
 */
int
rule_selects_rcpt(const struct rule *r, const struct question *q)
{
	if (r->r_stage < STAGE_RCPT)
		return 1;
	return q->q_rcpt == NULL ? 0 :
	    selector_all(r->r_sel, r->r_selmask & SEL_RCPT_MASK, q);
}

/* TLS itself, its version and its cipher. */
static enum rule_result
check_tls(const struct rule *r, const struct session *s, char *reason,
    size_t len)
{
	size_t i;

	if (s->ss_tls == SESSION_TLS_UNKNOWN) {
		reason_set(reason, len, "the MTA sent no TLS information "
		    "(macros missing)");
		return RULE_UNKNOWN;
	}
	if (s->ss_tls == SESSION_TLS_NONE) {
		reason_set(reason, len, "TLS not in use");
		return RULE_UNMET;
	}
	if (s->ss_tls_version == TLSVERSION_UNKNOWN) {
		reason_set(reason, len, "TLS version \"");
		reason_cat(reason, len, s->ss_tls_version_text.st_value, 40);
		reason_cat(reason, len, "\" not recognised", len);
		return RULE_UNMET;
	}
	if (s->ss_tls_version < r->r_min_protocol) {
		reason_set(reason, len, "TLS version ");
		reason_cat(reason, len, tlsversion_name(s->ss_tls_version),
		    len);
		reason_cat(reason, len, " is below ", len);
		reason_cat(reason, len, tlsversion_name(r->r_min_protocol),
		    len);
		return RULE_UNMET;
	}
	if (r->r_min_cipher_bits > 0 && s->ss_cipher_bits < 0) {
		reason_set(reason, len, "cipher strength unknown");
		return RULE_UNMET;
	}
	if (r->r_min_cipher_bits > 0 &&
	    s->ss_cipher_bits < r->r_min_cipher_bits) {
		snprintf(reason, len, "cipher strength %ld bits is below %ld",
		    s->ss_cipher_bits, r->r_min_cipher_bits);
		return RULE_UNMET;
	}
	if (r->r_exclude_ciphers.sl_n > 0 &&
	    (!s->ss_cipher.st_present || s->ss_cipher.st_cut)) {
		reason_set(reason, len, "cipher unknown");
		return RULE_UNMET;
	}
	for (i = 0; i < r->r_exclude_ciphers.sl_n; i++)
		if (fnmatch(r->r_exclude_ciphers.sl_v[i],
		    s->ss_cipher.st_value, FNM_CASEFOLD) == 0) {
			reason_set(reason, len, "cipher ");
			reason_cat(reason, len, s->ss_cipher.st_value, 64);
			reason_cat(reason, len, " is excluded", len);
			return RULE_UNMET;
		}
	return RULE_MET;
}

/*
 * The issuer: an entry starting with "/" is a DN, compared with the DN
 * Sendmail gave (decoded); any other entry is compared with the issuer's
 * CN.  A value cut to fit the session never matches.
 */
static int
match_issuer(const struct strlist *l, const struct session *s)
{
	const struct session_text *t;
	size_t i;

	for (i = 0; i < l->sl_n; i++) {
		t = l->sl_v[i][0] == '/' ? &s->ss_cert_issuer_dn :
		    &s->ss_cert_issuer;
		if (t->st_present && !t->st_cut &&
		    strcmp(l->sl_v[i], t->st_value) == 0)
			return 1;
	}
	return 0;
}

/* The certificate's fingerprint among the rule's pins. */
static enum rule_result
check_pin(const struct rule *r, const struct session *s, char *reason,
    size_t len)
{
	size_t i;

	if (s->ss_cert == SESSION_CERT_NONE) {
		reason_set(reason, len, "no client certificate");
		return RULE_UNMET;
	}
	if (s->ss_cert_fp.cf_alg == CERTFP_NONE) {
		reason_set(reason, len,
		    "the MTA gave no certificate fingerprint");
		return RULE_UNMET;
	}
	for (i = 0; i < r->r_ncert_fps; i++)
		if (certfp_match(&r->r_cert_fps[i], &s->ss_cert_fp))
			return RULE_MET;
	reason_set(reason, len, "certificate fingerprint (");
	reason_cat(reason, len, certfp_alg_name(s->ss_cert_fp.cf_alg), len);
	reason_cat(reason, len, ") not pinned", len);
	return RULE_UNMET;
}

/* The certificate: verified, issuer, name. */
static enum rule_result
check_cert(const struct rule *r, const struct session *s, char *reason,
    size_t len)
{
	if (s->ss_cert == SESSION_CERT_NONE) {
		reason_set(reason, len, "no client certificate");
		return RULE_UNMET;
	}
	if (s->ss_cert != SESSION_CERT_VERIFIED && s->ss_verify.st_present) {
		reason_set(reason, len,
		    "client certificate not verified (verify=");
		reason_cat(reason, len, s->ss_verify.st_value, 20);
		reason_cat(reason, len, ")", len);
		return RULE_UNMET;
	}
	if (s->ss_cert != SESSION_CERT_VERIFIED) {
		reason_set(reason, len, "no verified client certificate");
		if (s->ss_mta == SESSION_MTA_POSTFIX)	/* it says no more */
			reason_cat(reason, len, " (Postfix tells of one only "
			    "if asked for, smtpd_tls_ask_ccert, and trusted, "
			    "smtpd_tls_CAfile)", len);
		return RULE_UNMET;
	}
	if (r->r_cert_issuers.sl_n > 0 &&
	    !match_issuer(&r->r_cert_issuers, s)) {
		reason_set(reason, len, "certificate issuer not accepted");
		return RULE_UNMET;
	}
	return RULE_MET;
}

static enum rule_result
check_name(const struct rule *r, const struct session *s, char *reason,
    size_t len)
{
	size_t i;

	if (s->ss_cert_name[0] == '\0') {
		reason_set(reason, len, "certificate name is not a DNS name");
		return RULE_UNMET;
	}
	if (r->r_cert_names.sl_n == 0) {
		if (s->ss_client_name[0] == '\0') {
			reason_set(reason, len, "client has no validated name "
			    "to compare the certificate name with");
			return RULE_UNMET;
		}
		if (certname_match(s->ss_cert_name, s->ss_client_name))
			return RULE_MET;
	}
	for (i = 0; i < r->r_cert_names.sl_n; i++)
		if (certname_match(s->ss_cert_name, r->r_cert_names.sl_v[i]))
			return RULE_MET;
	reason_set(reason, len, "certificate name does not match");
	return RULE_UNMET;
}

/*
 * rule_check - see rule.h.
 */
enum rule_result
rule_check(const struct rule *r, const struct session *s, char *reason,
    size_t len)
{
	enum rule_result res;

	if (r->r_require == REQUIRE_NONE) {
		reason_set(reason, len, "nothing required");
		return RULE_MET;
	}
	if ((res = check_tls(r, s, reason, len)) != RULE_MET)
		return res;
	if (r->r_require >= REQUIRE_VERIFY &&
	    (res = check_cert(r, s, reason, len)) != RULE_MET)
		return res;
	if (r->r_ncert_fps > 0 &&
	    (res = check_pin(r, s, reason, len)) != RULE_MET)
		return res;
	if (r->r_require == REQUIRE_SECURE &&
	    (res = check_name(r, s, reason, len)) != RULE_MET)
		return res;
	reason_set(reason, len, "requirements met");
	return RULE_MET;
}
