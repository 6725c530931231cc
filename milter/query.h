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
 * MTA did not send that fact.  Keys: client_addr client_name helo
 * tls_version cipher cipher_bits cert_subject cert_issuer sender
 * recipient listener auth verify cn_subject cn_issuer mta.
 *
 * When the decision depends on the recipient and none is given, a note
 * says so on err.  Returns 0 after printing the line, or 64 (EX_USAGE)
 * after printing what is wrong with the words to err.
 */
int query_run(const struct policy *p, int argc, char **argv, FILE *out,
    FILE *err);

#endif
