/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * query.h - "tls-policy-milter -q": judge described sessions offline.
 */
#ifndef QUERY_H
#define QUERY_H

#include <stdio.h>

#include "policy.h"

/*
 * query_run - evaluate the session described by the KEY=VALUE words
 * argv[0..argc-1] against policy p, as the daemon would judge it, and
 * print its decision lines to out: the verdict ("accept", "reject",
 * "tempfail") followed by the fields of decision_format(), each line
 * after one "monitor" line per monitor rule that would have refused.  A
 * key left out means the MTA did not send that fact; "recipient" may be
 * given several times.  The keys are query_keys()'s.
 *
 * A decision made at MAIL is one line for the whole transaction, as the
 * daemon logs it; one that depends on the recipient is a line for each
 * recipient, in order (and a note on err when none is given).
 *
 * Returns 0 when every verdict accepts (monitor lines and refusals only
 * logged, as in mode monitor, are not refusals), 1 when one refuses or
 * tempfails, 64 (EX_USAGE) after saying on err what is wrong with the
 * words: an unknown key, a key given twice, or a value no MTA could send
 * (client_addr or listener_addr not an IP address, listener_port not 1
 * to 65535, cipher_bits not a number, mta not a known one).
 */
int query_run(const struct policy *p, int argc, char **argv, FILE *out,
    FILE *err);

/*
 * query_stream - query_run() for each line of in: KEY=VALUE words
 * separated by blanks; a part of a word in double quotes may hold blanks
 * (cert_issuer="Example CA"), and a backslash in it takes the next byte
 * as it is.  A blank line asks nothing.  A line with a problem is
 * reported on err with its number and skipped.  Returns 64 when a line
 * had a problem, else 1 when a verdict refused, else 0.
 */
int query_stream(const struct policy *p, FILE *in, FILE *out, FILE *err);

/*
 * query_keys - call fn(arg, KEY) for each key query_run() takes: each
 * selector's (selector.h), each TLS macro's (session.h), and "mta".
 */
void query_keys(void (*fn)(void *arg, const char *key), void *arg);

#endif
