/*
 * decision.h - describe one decision as key=value fields, the same for the
 * log line and for "tls-policy-milter -q".
 */
#ifndef DECISION_H
#define DECISION_H

#include <stddef.h>

#include "policy.h"
#include "session.h"

/* Enough for every field at its longest. */
#define DECISION_BUFSIZE 16384

/*
 * decision_action - the word for what is done: "accept", "reject",
 * "tempfail", or "monitor" for a refusal that is only logged.
 */
const char *decision_action(const struct verdict *v);

/*
 * decision_format - write into buf (len bytes) the fields
 *   [would=reject|tempfail] rule="NAME"|rule=- stage=STAGE
 *   client=NAME[ADDR] helo=<...> from=<...> [to=<...>]
 *   tls=VERSION|none|unknown [cipher=... bits=...] [verify=...]
 *   [cert="..."] [issuer="..."] [reply="554 5.7.0 ..."] reason="..."
 * for the verdict v on session s at stage ("mail" or "rcpt"); rcpt is the
 * RCPT TO argument as given, or NULL.  would= comes first, to follow the
 * log's "action=monitor".  Every peer string is sanitised.
 * Returns buf.
 */
char *decision_format(char *buf, size_t len, const char *stage,
    const struct session *s, const struct session_text *rcpt,
    const struct verdict *v);

/*
 * decision_log_line - the daemon's log line for a decision, into buf (len
 * bytes, cut there):
 *   QUEUEID: action=ACTION FIELDS
 * where QUEUEID is queue_id sanitised, or NOQUEUE when it is NULL or "",
 * ACTION decision_action()'s word and FIELDS decision_format()'s.
 * Returns buf.
 */
char *decision_log_line(char *buf, size_t len, const char *queue_id,
    const char *stage, const struct session *s,
    const struct session_text *rcpt, const struct verdict *v);

#endif
