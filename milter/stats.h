/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats.h - the daemon's counters, kept with atomics only (no lock on a
 * connection's path), and their report as key=value lines.
 *
 * Process-wide counters: connections, transactions, decisions by outcome,
 * reloads, and per MAIL transaction a histogram of the TLS version, the
 * cipher strength and the client certificate.  Per-rule counters live in
 * a struct rulestats indexed by the rule's position in one policy; a
 * reload that keeps the same rule names in the same order keeps them.
 */
#ifndef STATS_H
#define STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "policy.h"
#include "session.h"

/* The per-rule counters of one rule list (refcounted, shared). */
struct rulestats;

/* The process-wide counters, in the order of struct stats_counts. */
enum stats_counter {
	STATS_CONNECTIONS, STATS_TRANSACTIONS,
	STATS_ACCEPT, STATS_REJECT, STATS_TEMPFAIL,	/* decisions given */
	STATS_MONITOR_REJECT, STATS_MONITOR_TEMPFAIL,	/* only logged */
	STATS_INTERNAL, STATS_RELOADS, STATS_RELOAD_FAILURES,
	/* MAIL transactions by TLS version */
	STATS_TLS_NONE, STATS_TLS_UNKNOWN, STATS_TLS_SSL3, STATS_TLS_1_0,
	STATS_TLS_1_1, STATS_TLS_1_2, STATS_TLS_1_3, STATS_TLS_OTHER,
	/* TLS transactions by cipher strength, and by client certificate */
	STATS_BITS_NONE, STATS_BITS_LT112, STATS_BITS_112, STATS_BITS_128,
	STATS_BITS_256,
	STATS_CERT_NONE, STATS_CERT_UNVERIFIED, STATS_CERT_VERIFIED,
	STATS_MAX
};

/* One reading of the process-wide counters. */
struct stats_counts {
	time_t		sc_started;		/* stats_start()'s time */
	unsigned long	sc_n[STATS_MAX];
};

/* A rule's decisions: given, or refusals only logged (monitor). */
enum stats_rule_counter {
	STATS_RULE_ACCEPT, STATS_RULE_REJECT, STATS_RULE_TEMPFAIL,
	STATS_RULE_MONITOR_REJECT, STATS_RULE_MONITOR_TEMPFAIL,
	STATS_RULE_MAX
};

/* stats_start - note the start time (call once, before any thread). */
void stats_start(void);

/* stats_connection - one more connection from the MTA. */
void stats_connection(void);

/* stats_transaction - one more MAIL transaction with the TLS facts of s. */
void stats_transaction(const struct session *s);

/*
 * stats_decision - one logged decision v of the policy whose per-rule
 * counters are rs (NULL: none).  An internal error counts with
 * stats_internal_error() instead.
 */
void stats_decision(struct rulestats *rs, const struct verdict *v);

/* stats_internal_error - one command tempfailed by an internal error. */
void stats_internal_error(void);

/* stats_reload - one reload attempt, ok or failed. */
void stats_reload(bool ok);

/*
 * rulestats_new - zeroed counters for a policy of nrules rules.  Returns
 * the new object with one reference (the caller's), or NULL when out of
 * memory.
 */
struct rulestats *rulestats_new(size_t nrules);

/* rulestats_ref - take one more reference; returns rs. */
struct rulestats *rulestats_ref(struct rulestats *rs);

/* rulestats_unref - drop a reference; frees at the last.  NULL ignored. */
void rulestats_unref(struct rulestats *rs);

/* rulestats_since - when these counters started. */
time_t rulestats_since(const struct rulestats *rs);

/*
 * stats_read - read every process-wide counter once into *sc.  The
 * numbers may be a few events apart from each other.
 */
void stats_read(struct stats_counts *sc);

/*
 * rulestats_read - read the counters of rule i (0 first) into n (an
 * array of STATS_RULE_MAX).  Returns their sum, or 0 (n zeroed) when i
 * is past the end of rs.
 */
unsigned long rulestats_read(const struct rulestats *rs, size_t i,
    unsigned long n[STATS_RULE_MAX]);

/*
 * stats_report - format every counter as key=value lines, the per-rule
 * ones (rules with any count) with the names from p, and hand each line
 * (without "\n") to emit.  rs and p may be NULL.
 */
void stats_report(const struct rulestats *rs, const struct policy *p,
    void (*emit)(void *arg, const char *line), void *arg);

#endif
