/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * session.c - turn the MTA's macros into the MTA-neutral session model.
 *
 * Postfix sends {cert_subject} and {cert_issuer} (common names only) for
 * a verified client certificate and nothing otherwise; Sendmail sends
 * full DNs for any certificate, the common names xtext-encoded in
 * {cn_subject}/{cn_issuer}, its verdict in {verify} and a fingerprint
 * in {cert_md5} or {cert_fp}.  Everything from set_cert_name() on in this
 * file exists to make those two look the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "certfp.h"
#include "certname.h"
#include "cidr.h"
#include "session.h"
#include "xtext.h"

/*
 * session_text_set - see session.h.
 */
void
session_text_set(struct session_text *t, const char *value)
{
	size_t len = value == NULL ? 0 : strnlen(value, SESSION_TEXT_MAX + 1);

	/* Only the value's bytes and its NUL: the rest of st_value is never
	 * read, and clearing all 256 bytes each time cost more than the copy. */
	t->st_present = value != NULL;
	t->st_cut = len > SESSION_TEXT_MAX;
	if (t->st_cut)
		len = SESSION_TEXT_MAX;
	if (len > 0)
		memcpy(t->st_value, value, len);
	t->st_value[len] = '\0';
}

/*
 * session_init - see session.h.
 */
void
session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	s->ss_tls = SESSION_TLS_UNKNOWN;
	s->ss_cipher_bits = -1;
	s->ss_listener_port = -1;
	s->ss_cert = SESSION_CERT_UNVERIFIED;
}

/*
 * session_helo_normalize - see session.h.
 */
int
session_helo_normalize(const char *in, char *out, size_t outlen,
    unsigned dnsflags)
{
	if (dnsname_normalize(in, out, outlen, dnsflags) == 0)
		return 0;
	return ipaddr_literal(in, strnlen(in, 64), out, outlen);
}

/*
 * session_set_client - see session.h.
 */
void
session_set_client(struct session *s, const char *addr, const char *name,
    const char *resolve)
{
	session_text_set(&s->ss_addr_text, addr);
	if (addr == NULL || ipaddr_parse(addr, &s->ss_addr) < 0)
		memset(&s->ss_addr, 0, sizeof(s->ss_addr));
	s->ss_client_name[0] = '\0';
	if (name == NULL || ascii_caseeq(name, "unknown") || name[0] == '[' ||
	    (resolve != NULL && strcmp(resolve, "OK") != 0))
		return;
	/* "unknown." or "UNKNOWN" is Postfix's "unknown" all the same. */
	if (dnsname_normalize(name, s->ss_client_name,
	    sizeof(s->ss_client_name), 0) < 0 ||
	    strcmp(s->ss_client_name, "unknown") == 0)
		s->ss_client_name[0] = '\0';
}

/* A decimal number of at most 5 digits, or -1 for anything else. */
static long
parse_decimal(const char *text)
{
	long n = 0;
	size_t i;

	if (text == NULL || text[0] == '\0')
		return -1;
	for (i = 0; text[i] != '\0'; i++) {
		if (text[i] < '0' || text[i] > '9' || i >= 5)
			return -1;
		n = n * 10 + (text[i] - '0');
	}
	return n;
}

/*
 * session_set_listener - see session.h.
 */
void
session_set_listener(struct session *s, session_lookup_fn lookup, void *ctx)
{
	const char *port = lookup(ctx, "{daemon_port}");
	const char *addr = lookup(ctx, "{daemon_addr}");
	long n;

	session_text_set(&s->ss_listener, lookup(ctx, "{daemon_name}"));
	session_text_set(&s->ss_listener_port_text, port);
	n = parse_decimal(port);
	s->ss_listener_port = n >= 1 && n <= 65535 ? n : -1;
	session_text_set(&s->ss_listener_addr_text, addr);
	if (addr == NULL || ipaddr_parse(addr, &s->ss_listener_addr) < 0)
		s->ss_listener_addr.ip_family = 0;
}

/*
 * session_set_helo - see session.h.
 */
void
session_set_helo(struct session *s, const char *helo, bool with_tls)
{
	session_text_set(&s->ss_helo_text, helo);
	s->ss_helo_tls = with_tls;
	if (helo == NULL || session_helo_normalize(helo, s->ss_helo,
	    sizeof(s->ss_helo), 0) < 0)
		s->ss_helo[0] = '\0';
}

/* The certificate's common name as a DNS name, "" when it is none. */
static void
set_cert_name(struct session *s, const char *cn)
{
	s->ss_cert_name[0] = '\0';
	if (cn == NULL || certname_placeholder(cn))
		return;
	(void)dnsname_normalize(cn, s->ss_cert_name, sizeof(s->ss_cert_name),
	    DNSNAME_WILDCARD);
}

/*
 * Do the certificate macros look like Sendmail's?  Postfix sends neither
 * {cn_subject}/{cn_issuer} nor a DN ("/C=../CN=.."); Sendmail sends its
 * DNs for any certificate, verified or not, so without its {verify} they
 * prove nothing.
 */
static bool
looks_sendmail(const char *subject, const char *issuer,
    session_lookup_fn lookup, void *ctx)
{
	return (subject != NULL && subject[0] == '/') ||
	    (issuer != NULL && issuer[0] == '/') ||
	    lookup(ctx, "{cn_subject}") != NULL ||
	    lookup(ctx, "{cn_issuer}") != NULL;
}

/* Postfix: the CN macros come only for a verified certificate. */
static void
set_cert_postfix(struct session *s, session_lookup_fn lookup, void *ctx)
{
	const char *subject = lookup(ctx, "{cert_subject}");
	const char *issuer = lookup(ctx, "{cert_issuer}");

	s->ss_cert = issuer != NULL &&
	    !looks_sendmail(subject, issuer, lookup, ctx) ?
	    SESSION_CERT_VERIFIED : SESSION_CERT_UNVERIFIED;
	session_text_set(&s->ss_cert_subject, subject);
	session_text_set(&s->ss_cert_issuer, issuer);
	set_cert_name(s, s->ss_cert == SESSION_CERT_VERIFIED ? subject : NULL);
}

/*
 * Decode a Sendmail xtext macro into t (a DN when dn); an undecodable
 * value is absent, and so is "" (what Sendmail sends when no certificate
 * was presented).
 */
static const char *
set_xtext(struct session_text *t, const char *value, char *buf, size_t len,
    bool dn)
{
	if (value == NULL || value[0] == '\0' || (dn ?
	    xtext_decode_dn(value, buf, len) : xtext_decode(value, buf, len)) < 0) {
		session_text_set(t, NULL);
		return NULL;
	}
	session_text_set(t, buf);
	return buf;
}

/* Sendmail's fingerprint: {cert_fp} if it can be read, else {cert_md5}. */
static void
set_fingerprint(struct session *s, session_lookup_fn lookup, void *ctx)
{
	if (certfp_parse_mta(lookup(ctx, "{cert_fp}"), "{cert_fp}",
	    &s->ss_cert_fp) < 0)
		(void)certfp_parse_mta(lookup(ctx, "{cert_md5}"), "{cert_md5}",
		    &s->ss_cert_fp);
}

/* Sendmail: {verify} says whether the certificate was verified. */
static void
set_cert_sendmail(struct session *s, const char *verify,
    session_lookup_fn lookup, void *ctx)
{
	char subject[SESSION_TEXT_MAX + 1], issuer[SESSION_TEXT_MAX + 1];
	char dn[SESSION_TEXT_MAX + 1];
	const char *cn;

	session_text_set(&s->ss_verify, verify);
	if (verify != NULL && (strcmp(verify, "OK") == 0 ||
	    strcmp(verify, "TRUSTED") == 0))
		s->ss_cert = SESSION_CERT_VERIFIED;
	else if (verify != NULL && strcmp(verify, "NO") == 0)
		s->ss_cert = SESSION_CERT_NONE;
	else
		s->ss_cert = SESSION_CERT_UNVERIFIED;
	cn = set_xtext(&s->ss_cert_subject, lookup(ctx, "{cn_subject}"),
	    subject, sizeof(subject), false);
	(void)set_xtext(&s->ss_cert_issuer, lookup(ctx, "{cn_issuer}"),
	    issuer, sizeof(issuer), false);
	(void)set_xtext(&s->ss_cert_issuer_dn, lookup(ctx, "{cert_issuer}"),
	    dn, sizeof(dn), true);
	set_cert_name(s, s->ss_cert == SESSION_CERT_VERIFIED ? cn : NULL);
	set_fingerprint(s, lookup, ctx);
}

/*
 * The MTA whose conventions apply.  Postfix's "v" is "Postfix 3.7.11",
 * Sendmail's its bare version "8.17.1.9"; without "v", {verify} (already
 * read by the caller, NULL when not sent) is Sendmail's.
 */
static enum session_mta
resolve_mta(enum session_mta mta, const char *verify,
    session_lookup_fn lookup, void *ctx)
{
	const char *v;

	if (mta != SESSION_MTA_AUTO)
		return mta;
	if ((v = lookup(ctx, "v")) != NULL && ascii_ncaseeq(v, "Postfix", 7))
		return SESSION_MTA_POSTFIX;
	if (v != NULL && v[0] >= '0' && v[0] <= '9')
		return SESSION_MTA_SENDMAIL;
	return verify != NULL ? SESSION_MTA_SENDMAIL : SESSION_MTA_POSTFIX;
}

/* session_mta_names - see session.h. */
const char *const session_mta_names[] = { "auto", "postfix", "sendmail",
	NULL };

/*
 * session_mta_parse - see session.h.
 */
int
session_mta_parse(const char *name, enum session_mta *mta)
{
	size_t i;

	for (i = 0; name != NULL && session_mta_names[i] != NULL; i++)
		if (strcmp(name, session_mta_names[i]) == 0) {
			*mta = (enum session_mta)i;
			return 0;
		}
	return -1;
}

/*
 * session_mta_name - see session.h.
 */
const char *
session_mta_name(enum session_mta mta)
{
	return (unsigned)mta <= SESSION_MTA_SENDMAIL ?
	    session_mta_names[mta] : "auto";
}

/* Forget every TLS fact (before reading them anew). */
static void
clear_tls(struct session *s)
{
	session_text_set(&s->ss_tls_version_text, NULL);
	session_text_set(&s->ss_cipher, NULL);
	session_text_set(&s->ss_cipher_bits_text, NULL);
	session_text_set(&s->ss_verify, NULL);
	session_text_set(&s->ss_cert_subject, NULL);
	session_text_set(&s->ss_cert_issuer, NULL);
	session_text_set(&s->ss_cert_issuer_dn, NULL);
	memset(&s->ss_cert_fp, 0, sizeof(s->ss_cert_fp));
	s->ss_tls_version = TLSVERSION_UNKNOWN;
	s->ss_cipher_bits = -1;
	s->ss_cert = SESSION_CERT_UNVERIFIED;
	s->ss_cert_name[0] = '\0';
}

/*
 * session_set_tls - see session.h.
 */
void
session_set_tls(struct session *s, session_lookup_fn lookup, void *ctx,
    enum session_mta mta, bool macros_complete)
{
	const char *version = lookup(ctx, "{tls_version}");
	const char *verify = lookup(ctx, "{verify}");
	const char *bits;

	clear_tls(s);
	s->ss_mta = resolve_mta(mta, verify, lookup, ctx);
	if (version == NULL || version[0] == '\0') {
		s->ss_tls = macros_complete ? SESSION_TLS_NONE :
		    SESSION_TLS_UNKNOWN;
		return;
	}
	s->ss_tls = SESSION_TLS_ON;
	session_text_set(&s->ss_tls_version_text, version);
	s->ss_tls_version = tlsversion_parse(version);
	session_text_set(&s->ss_cipher, lookup(ctx, "{cipher}"));
	bits = lookup(ctx, "{cipher_bits}");
	session_text_set(&s->ss_cipher_bits_text, bits);
	s->ss_cipher_bits = parse_decimal(bits);
	if (s->ss_mta == SESSION_MTA_SENDMAIL)
		set_cert_sendmail(s, verify, lookup, ctx);
	else
		set_cert_postfix(s, lookup, ctx);
	if (!s->ss_helo_tls) {
		/* RFC 3207 4.2: what the client said before TLS is void. */
		session_text_set(&s->ss_helo_text, NULL);
		s->ss_helo[0] = '\0';
	}
}

/*
 * session_set_sender - see session.h.
 */
void
session_set_sender(struct session *s, const char *sender, const char *auth,
    const char *queue_id)
{
	session_text_set(&s->ss_sender_text, sender);
	(void)mailaddr_parse(sender, &s->ss_sender);
	s->ss_auth = auth != NULL && auth[0] != '\0';
	session_text_set(&s->ss_auth_name, s->ss_auth ? auth : NULL);
	session_text_set(&s->ss_queue_id, queue_id);
}

/*
 * session_restore_tls - see session.h.
 */
void
session_restore_tls(struct session *s, const struct session_tls_facts *f)
{
	size_t n;

	s->ss_tls = f->tf_tls;
	session_text_set(&s->ss_tls_version_text, f->tf_version);
	s->ss_tls_version = f->tf_version != NULL ?
	    tlsversion_parse(f->tf_version) : TLSVERSION_UNKNOWN;
	session_text_set(&s->ss_cipher, f->tf_cipher);
	session_text_set(&s->ss_cipher_bits_text, f->tf_bits);
	s->ss_cipher_bits = parse_decimal(f->tf_bits);
	session_text_set(&s->ss_verify, f->tf_verify);
	s->ss_cert = f->tf_cert;
	session_text_set(&s->ss_cert_subject, f->tf_subject);
	n = f->tf_cert_name != NULL ? strnlen(f->tf_cert_name,
	    sizeof(s->ss_cert_name) - 1) : 0;
	if (n > 0)
		memcpy(s->ss_cert_name, f->tf_cert_name, n);
	s->ss_cert_name[n] = '\0';	/* cut as snprintf() would, cheaper */
	session_text_set(&s->ss_cert_issuer, f->tf_issuer);
	session_text_set(&s->ss_cert_issuer_dn, f->tf_issuer_dn);
	if (f->tf_fp != NULL)
		s->ss_cert_fp = *f->tf_fp;
	else
		memset(&s->ss_cert_fp, 0, sizeof(s->ss_cert_fp));
}
