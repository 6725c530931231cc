/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * decision.h - describe one decision as key=value fields, the same for the
 * log line and for "tls-policy-milter -q".
 */
#ifndef DECISION_H
#define DECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "mailaddr.h"
#include "policy.h"
#include "session.h"

/* Enough for every field at its longest. */
#define DECISION_BUFSIZE 16384

/*
 * decision_action - the word for what is done: "accept", "reject",
 * "tempfail", or "monitor" for a refusal that is only logged.
 */
const char *decision_action(const struct verdict *v);

/* The format the lines are written in (LOG FORMAT, tls-policy-milter(8)). */
#define DECISION_FORMAT_VERSION	"1"

/* What ends a value the MTA sent longer than the session keeps. */
#define DECISION_CUT	"\\..."

/*
 * decision_format - write into buf (len bytes) the fields
 *   [would=reject|tempfail] rule="NAME"|rule=- stage=STAGE mta=MTA
 *   client=NAME[ADDR] [helo=<...> [helo_tls=yes|no]] [from=<...>]
 *   [to=<...>] [listener=... port=... laddr=[...] auth="..."]
 *   tls=VERSION|none|unknown [cipher=... bits=... verify=...
 *   cert_state=... cert="..." cert_name=... issuer="..."
 *   issuer_dn="..." fp=ALG:HEX] [reply="554 5.7.0 ..."] reason="..."
 *   format=1
 * for the verdict v on session s at stage ("mail" or "rcpt"); rcpt is
 * the recipient as parsed and rcpt_text as given (both NULL at MAIL).
 * Every fact a rule can select on or require is there, every peer string
 * sanitised: decision_parse() and decision_restore() give the session
 * back.  Returns buf.
 */
char *decision_format(char *buf, size_t len, const char *stage,
    const struct session *s, const struct mailaddr *rcpt,
    const struct session_text *rcpt_text, const struct verdict *v);

/*
 * decision_log_line - the daemon's log line for a decision, into buf (len
 * bytes, cut there):
 *   QUEUEID: action=ACTION FIELDS
 * where QUEUEID is queue_id sanitised, or NOQUEUE when it is NULL or "",
 * ACTION decision_action()'s word and FIELDS decision_format()'s.
 * Returns buf.
 */
char *decision_log_line(char *buf, size_t len, const char *queue_id,
    const char *stage, const struct session *s, const struct mailaddr *rcpt,
    const struct session_text *rcpt_text, const struct verdict *v);

/*
 * The fields of a line, in the order they are written: X(ID, KEY, FORM),
 * FORM how the value is written: '"' "..." (or "-" for rule=), '<' <...>,
 * '[' [...], 'c' NAME[ADDR], 'b' bare, to the next blank.
 */
#define DECISION_FIELDS(X) \
	X(WOULD, "would", 'b') \
	X(RULE, "rule", '"') X(STAGE, "stage", 'b') X(MTA, "mta", 'b') \
	X(CLIENT, "client", 'c') X(HELO, "helo", '<') \
	X(HELO_TLS, "helo_tls", 'b') X(FROM, "from", '<') X(TO, "to", '<') \
	X(LISTENER, "listener", 'b') X(PORT, "port", 'b') \
	X(LADDR, "laddr", '[') X(AUTH, "auth", '"') X(TLS, "tls", 'b') \
	X(CIPHER, "cipher", 'b') X(BITS, "bits", 'b') \
	X(VERIFY, "verify", 'b') X(CERT_STATE, "cert_state", 'b') \
	X(CERT, "cert", '"') X(CERT_NAME, "cert_name", 'b') \
	X(ISSUER, "issuer", '"') X(ISSUER_DN, "issuer_dn", '"') \
	X(FP, "fp", 'b') X(REPLY, "reply", '"') X(REASON, "reason", '"') \
	X(FORMAT, "format", 'b')

#define DF_ENUM(id, key, form) DF_##id,
enum decision_field { DECISION_FIELDS(DF_ENUM) DF_N };
#undef DF_ENUM

/* decision_field_name - the key of field f ("cipher"). */
const char *decision_field_name(enum decision_field f);

/*
 * A line read back: each field's value decoded (NULL when the line has
 * none) and whether the value the MTA sent was cut; the strings live in
 * dr_buf.
 */
struct decision_rec {
	const char	*dr_value[DF_N];
	bool		dr_cut[DF_N];
	char		dr_buf[DECISION_BUFSIZE];
};

/*
 * decision_parse - read the fields of one line (decision_format()'s
 * output, nothing before it) into *r.  Returns 0, or -1 with *why a
 * static reason: another format version (the line ends in format=N), a
 * line cut short (no format= at its end), a line longer than
 * DECISION_BUFSIZE - 1 bytes (none is written so), an unknown or repeated
 * field, fields out of order, a value not closed or badly escaped (or a
 * byte anywhere that is not printable ASCII), a missing field.
 */
int decision_parse(const char *line, struct decision_rec *r,
    const char **why);

/*
 * decision_restore - the session, and at stage=rcpt the recipient (to=),
 * that the decision was made on, as the policy reads them: what
 * policy_eval() on *s and rcpt (or NULL when *has_rcpt is false, at
 * MAIL) decides is what it decided then.  Returns 0, or -1 with *why
 * when a field cannot be read.
 */
int decision_restore(const struct decision_rec *r, struct session *s,
    struct mailaddr *rcpt, bool *has_rcpt, const char **why);

#endif
