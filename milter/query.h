/*
 * query.h - "tls-policy-milter -q": judge one described session offline.
 */
#ifndef QUERY_H
#define QUERY_H

#include <stdio.h>

#include "policy.h"

/*
 * query_run - evaluate the session described by the KEY=VALUE words
 * argv[0..argc-1] against policy p, as the daemon would judge it, and
 * print one line to out: the verdict ("accept", "reject", "tempfail")
 * followed by the fields of decision_format().  A key left out means the
 * MTA did not send that fact.  The keys are query_keys()'s.
 *
 * When the decision depends on the recipient and none is given, a note
 * says so on err.  Returns 0 after printing the line, or 64 (EX_USAGE)
 * after printing what is wrong with the words to err.
 */
int query_run(const struct policy *p, int argc, char **argv, FILE *out,
    FILE *err);

/*
 * query_keys - call fn(arg, KEY) for each key query_run() takes: each
 * selector's (selector.h), each TLS macro's (session.h), and "mta".
 */
void query_keys(void (*fn)(void *arg, const char *key), void *arg);

#endif
