/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf.h - reading a policy file into a struct policy.
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

#include "policy.h"

/* Largest policy file accepted (a 100,000-rule policy is about 20 MB). */
#define CONF_MAX_BYTES (256u * 1024 * 1024)

/*
 * Every problem found in one file, each "FILE:LINE: message", in line
 * order; and apart, every warning, "FILE:LINE: warning: message": what
 * is legal but almost surely a mistake (a cipher pattern that matches no
 * cipher, a rule that can never apply, an entry given twice).
 */
struct conf_errors {
	char	**ce_lines;
	size_t	ce_count;
	char	**ce_warnings;
	size_t	ce_nwarnings;
};

/*
 * conf_load - read, check and compile the policy file at path.
 *
 * Returns a new policy (the caller owns it; free with policy_free()), or
 * NULL when the file cannot be read or has any problem; then *errors lists
 * every problem found, each with the file and line.  Warnings do not make
 * it fail: they are in errors->ce_warnings either way.  Free *errors with
 * conf_errors_free() in both cases.  An unknown key does not stop the
 * check (see conf.c; after 65 of them it stops, saying so); another
 * syntax error stops libconfuse at the first one; all other problems
 * (values, ranges, contradictions) are reported together.  errors is
 * cleared on entry.
 *
 * Not to be called from two threads at once: libconfuse's lexer keeps
 * global state.
 */
struct policy *conf_load(const char *path, struct conf_errors *errors);

/*
 * conf_keys - call fn once for every key the parser accepts, straight
 * from its option tables: section NULL for the top level (including
 * "rule" itself), "rule" for the keys inside a rule.  For the test that
 * holds tls-policy-milter.conf(5) to the parser.
 */
void conf_keys(void (*fn)(void *arg, const char *section, const char *key),
    void *arg);

/* conf_errors_free - release the messages and warnings; the struct may be
 * reused. */
void conf_errors_free(struct conf_errors *errors);

#endif
