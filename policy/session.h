/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * session.h - what the policy knows about one SMTP session, MTA-neutral.
 *
 * The MTA hands a milter its facts as macros whose presence and spelling
 * differ between Postfix and Sendmail.  The session_set_*() functions turn
 * them into this one model: bounded copies for the log, normalised forms
 * for matching, and explicit states where a fact may be missing.  Both
 * the daemon (from libmilter macros) and "tls-policy-milter -q" (from
 * KEY=VALUE words) fill a session with the same functions, so an offline
 * query is judged exactly like a live session.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "certfp.h"
#include "cidr.h"
#include "dnsname.h"
#include "mailaddr.h"
#include "tlsversion.h"

/* Bounds for copies kept for logging; longer values are cut and marked. */
#define SESSION_TEXT_MAX 255

/* Which MTA's conventions the macros follow. */
enum session_mta {
	SESSION_MTA_AUTO,	/* by the "v" macro: "Postfix 3.7.11" is
				 * Postfix, a bare version ("8.17.1.9") is
				 * Sendmail; without "v", Sendmail if {verify}
				 * was sent, else Postfix, and then
				 * Sendmail-looking certificate macros (a DN,
				 * {cn_subject}) count as unverified */
	SESSION_MTA_POSTFIX,
	SESSION_MTA_SENDMAIL
};

/* Is TLS in use?  UNKNOWN when the MTA cannot be shown to have sent the
 * TLS macros at all: never read as "plaintext". */
enum session_tls {
	SESSION_TLS_UNKNOWN,
	SESSION_TLS_NONE,
	SESSION_TLS_ON
};

/* What is known of the client certificate. */
enum session_cert {
	SESSION_CERT_NONE,	/* none presented (Sendmail {verify}=NO) */
	SESSION_CERT_UNVERIFIED,/* not verified, or (Postfix) none presented */
	SESSION_CERT_VERIFIED	/* verified by the MTA */
};

/* A bounded copy of a string the MTA or peer gave, for logging. */
struct session_text {
	bool	st_present;
	bool	st_cut;		/* longer than SESSION_TEXT_MAX: cut */
	char	st_value[SESSION_TEXT_MAX + 1];
};

struct session {
	/* Connection: set once per connection. */
	struct ipaddr	ss_addr;		/* family 0 when unknown */
	struct session_text ss_addr_text;
	char		ss_client_name[DNSNAME_BUFSIZE]; /* validated, or "" */
	struct session_text ss_listener;	/* {daemon_name} */
	long		ss_listener_port;	/* {daemon_port}, -1 when unknown */
	struct ipaddr	ss_listener_addr;	/* {daemon_addr}, family 0 when
						 * unknown */

	/* HELO: the name in force at MAIL time. */
	struct session_text ss_helo_text;
	char		ss_helo[DNSNAME_BUFSIZE];	/* normalised, "" if none/invalid */
	bool		ss_helo_tls;		/* the HELO came with TLS active */

	/* TLS, read at MAIL. */
	enum session_tls ss_tls;
	struct session_text ss_tls_version_text;
	enum tlsversion	ss_tls_version;		/* TLSVERSION_UNKNOWN if unparsable */
	struct session_text ss_cipher;
	struct session_text ss_cipher_bits_text;
	long		ss_cipher_bits;		/* -1: absent or not a number */
	enum session_cert ss_cert;
	struct session_text ss_verify;		/* Sendmail {verify}, for the log */
	struct session_text ss_cert_subject;	/* the CN as the MTA gave it */
	char		ss_cert_name[DNSNAME_BUFSIZE];	/* CN as a DNS name, or "" */
	struct session_text ss_cert_issuer;	/* issuer CN (decoded) */
	struct session_text ss_cert_issuer_dn;	/* Sendmail: issuer DN, decoded */
	struct certfp	ss_cert_fp;		/* Sendmail: {cert_fp}/{cert_md5} */
	enum session_mta ss_mta;		/* conventions applied (never AUTO
						 * once TLS was read) */

	/* Transaction: set at MAIL. */
	bool		ss_auth;		/* SASL login present */
	struct session_text ss_auth_name;
	struct session_text ss_sender_text;
	struct mailaddr	ss_sender;
	struct session_text ss_queue_id;

	/* Copies for the log only, kept apart from what matching reads. */
	struct session_text ss_listener_port_text; /* {daemon_port} */
	struct session_text ss_listener_addr_text; /* {daemon_addr} */
};

/*
 * A macro lookup: returns the value of the MTA macro NAME ("{tls_version}",
 * "v", ...) or NULL when the MTA did not send it.  The string must stay
 * valid until the session_set_*() call returns; the session copies it.
 */
typedef const char *(*session_lookup_fn)(void *ctx, const char *name);

/* session_init - an empty session: nothing known, TLS state unknown. */
void session_init(struct session *s);

/*
 * session_set_client - the connecting client: addr is the address text
 * ({client_addr}, or the connect callback's address), name the reverse
 * name ({client_name} or the connect hostname) and resolve Sendmail's and
 * Postfix's {client_resolve} ("OK" when forward-confirmed; NULL if not
 * sent).  The name counts as validated only if it is a valid host name,
 * not "unknown" nor an "[address]", and resolve is NULL or "OK".
 * Any argument may be NULL.
 */
void session_set_client(struct session *s, const char *addr,
    const char *name, const char *resolve);

/*
 * session_set_listener - the MTA's listener that took the connection,
 * read through lookup at CONNECT: its name ({daemon_name}), port
 * ({daemon_port}, a decimal number) and address ({daemon_addr}).  What
 * the MTA does not send, or sends unreadable, stays unknown.
 */
void session_set_listener(struct session *s, session_lookup_fn lookup,
    void *ctx);

/*
 * session_set_helo - the client's HELO/EHLO argument, and whether TLS was
 * active when it was given.  A later HELO replaces an earlier one.
 */
void session_set_helo(struct session *s, const char *helo, bool with_tls);

/*
 * session_mta_names - "auto", "postfix", "sendmail" in enum session_mta
 * order, then NULL: the "mta" setting's words (confval_enum()).
 */
extern const char *const session_mta_names[];

/*
 * session_mta_parse - "auto", "postfix" or "sendmail" into *mta.
 * Returns 0, or -1 for anything else.
 */
int session_mta_parse(const char *name, enum session_mta *mta);

/* session_mta_name - "auto", "postfix" or "sendmail". */
const char *session_mta_name(enum session_mta mta);

/*
 * The MTA's TLS macros session_set_tls() reads, each as X(NAME): the
 * macro "{NAME}".  The daemon asks for them (milter.h), "-q" takes them
 * as keys (query.c).
 */
#define SESSION_TLS_MACROS(X) \
	X(tls_version) X(cipher) X(cipher_bits) X(cert_subject) \
	X(cert_issuer) X(verify) X(cn_subject) X(cn_issuer) X(cert_fp) \
	X(cert_md5)

/*
 * session_set_tls - read the TLS facts at MAIL time through lookup.
 * mta says whose conventions to apply (see enum session_mta).  Under
 * Sendmail's, the certificate counts as verified only when {verify} is
 * OK or TRUSTED; its name is {cn_subject} decoded (never one of
 * Sendmail's placeholders), its issuer {cn_issuer} decoded, the issuer's
 * DN {cert_issuer} decoded (xtext, then OpenSSL's escapes), and its
 * fingerprint {cert_fp} or else {cert_md5}.
 * macros_complete says the MTA is known to send the TLS macros whenever
 * TLS is active (it accepted our macro request and that request's macros
 * arrived): only then does a missing {tls_version} mean plaintext;
 * otherwise the TLS state is UNKNOWN.  When TLS is on and the HELO name
 * was given before TLS, the name is forgotten (RFC 3207 section 4.2).
 */
void session_set_tls(struct session *s, session_lookup_fn lookup, void *ctx,
    enum session_mta mta, bool macros_complete);

/*
 * session_set_sender - start a transaction: the MAIL FROM argument (NULL
 * if unknown), the SASL login name ({auth_authen}, NULL or "" when none)
 * and the queue id (NULL if unknown).
 */
void session_set_sender(struct session *s, const char *sender,
    const char *auth, const char *queue_id);

/*
 * session_helo_normalize - a HELO name, or a HELO/helo-pattern address
 * literal ("[192.0.2.1]"), in compared form: a host name through
 * dnsname_normalize(in, out, outlen, dnsflags), else an IP address
 * literal of at most 63 bytes in ipaddr_literal()'s canonical form.
 * Returns 0, or -1 (out undefined).
 */
int session_helo_normalize(const char *in, char *out, size_t outlen,
    unsigned dnsflags);

/* The TLS facts as a decision line gives them back (decision.c). */
struct session_tls_facts {
	enum session_tls tf_tls;
	const char	*tf_version;	/* as logged: a name, or the MTA's text */
	const char	*tf_cipher, *tf_bits, *tf_verify;	/* NULL: absent */
	enum session_cert tf_cert;
	const char	*tf_subject, *tf_cert_name, *tf_issuer, *tf_issuer_dn;
	const struct certfp *tf_fp;	/* NULL: none */
};

/*
 * session_restore_tls - set the TLS facts of s from f, derived exactly as
 * session_set_tls() derives them (the version parsed, the bits read);
 * the certificate's name is taken as given (session_set_tls() made it).
 */
void session_restore_tls(struct session *s, const struct session_tls_facts *f);

/*
 * session_text_set - copy value (NULL: absent) into t, bounded.
 * Exported for the daemon's own bounded copies.
 */
void session_text_set(struct session_text *t, const char *value);

#endif
