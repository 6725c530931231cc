/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats.c - counters for the postmaster: what the policy decided, and what
 * TLS the clients really use (to plan "refuse TLS 1.0 next month" from
 * monitor mode).  Every counter is an atomic incremented with relaxed
 * order: counts need no ordering with anything else, and no lock is ever
 * taken on a connection's path.  A report reads each counter once; the
 * numbers of one report may be a few events apart from each other.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tlsversion.h"

struct rulecount {
	atomic_ulong	rc_n[STATS_RULE_MAX];	/* decisions by this rule */
};

struct rulestats {
	atomic_long	rs_refs;
	time_t		rs_since;
	size_t		rs_n;
	struct rulecount rs_rules[];
};

/* stats_decision() counts both kinds with one index. */
_Static_assert(STATS_MONITOR_TEMPFAIL - STATS_ACCEPT ==
    STATS_RULE_MONITOR_TEMPFAIL - STATS_RULE_ACCEPT,
    "decisions and rule decisions in the same order");

static atomic_ulong counters[STATS_MAX];
static time_t started;

static void
count(int i)
{
	atomic_fetch_add_explicit(&counters[i], 1, memory_order_relaxed);
}

static unsigned long
get(int i)
{
	return atomic_load_explicit(&counters[i], memory_order_relaxed);
}

/*
 * stats_start - see stats.h.
 */
void
stats_start(void)
{
	started = time(NULL);
}

/*
 * stats_connection - see stats.h.
 */
void
stats_connection(void)
{
	count(STATS_CONNECTIONS);
}

/* The histogram bucket of the TLS version in s. */
static int
tls_bucket(const struct session *s)
{
	if (s->ss_tls == SESSION_TLS_NONE)
		return STATS_TLS_NONE;
	if (s->ss_tls == SESSION_TLS_UNKNOWN)
		return STATS_TLS_UNKNOWN;
	switch (s->ss_tls_version) {
	case TLSVERSION_SSL3:	return STATS_TLS_SSL3;
	case TLSVERSION_TLS1_0:	return STATS_TLS_1_0;
	case TLSVERSION_TLS1_1:	return STATS_TLS_1_1;
	case TLSVERSION_TLS1_2:	return STATS_TLS_1_2;
	case TLSVERSION_TLS1_3:	return STATS_TLS_1_3;
	case TLSVERSION_UNKNOWN: break;
	}
	return STATS_TLS_OTHER;
}

/*
 * stats_transaction - see stats.h.
 */
void
stats_transaction(const struct session *s)
{
	count(STATS_TRANSACTIONS);
	count(tls_bucket(s));
	if (s->ss_tls != SESSION_TLS_ON)
		return;		/* no cipher, no certificate to count */
	if (s->ss_cipher_bits < 0)
		count(STATS_BITS_NONE);
	else if (s->ss_cipher_bits < 112)
		count(STATS_BITS_LT112);
	else if (s->ss_cipher_bits < 128)
		count(STATS_BITS_112);
	else if (s->ss_cipher_bits < 256)
		count(STATS_BITS_128);
	else
		count(STATS_BITS_256);
	count(s->ss_cert == SESSION_CERT_VERIFIED ? STATS_CERT_VERIFIED :
	    s->ss_cert == SESSION_CERT_UNVERIFIED ? STATS_CERT_UNVERIFIED :
	    STATS_CERT_NONE);
}

/*
 * stats_decision - see stats.h.
 */
void
stats_decision(struct rulestats *rs, const struct verdict *v)
{
	int i = STATS_RULE_ACCEPT;

	if (v->vd_kind == VERDICT_REJECT)
		i = v->vd_monitor ? STATS_RULE_MONITOR_REJECT :
		    STATS_RULE_REJECT;
	else if (v->vd_kind == VERDICT_TEMPFAIL)
		i = v->vd_monitor ? STATS_RULE_MONITOR_TEMPFAIL :
		    STATS_RULE_TEMPFAIL;
	count(STATS_ACCEPT + i);	/* the same order, see stats.h */
	if (rs == NULL || v->vd_rule == NULL || v->vd_rule_index >= rs->rs_n)
		return;
	atomic_fetch_add_explicit(&rs->rs_rules[v->vd_rule_index].rc_n[i], 1,
	    memory_order_relaxed);
}

/*
 * stats_internal_error - see stats.h.
 */
void
stats_internal_error(void)
{
	count(STATS_INTERNAL);
}

/*
 * stats_reload - see stats.h.
 */
void
stats_reload(bool ok)
{
	count(ok ? STATS_RELOADS : STATS_RELOAD_FAILURES);
}

/*
 * rulestats_new - see stats.h.
 */
struct rulestats *
rulestats_new(size_t nrules)
{
	struct rulestats *rs;

	rs = calloc(1, sizeof(*rs) + nrules * sizeof(rs->rs_rules[0]));
	if (rs == NULL)
		return NULL;
	atomic_init(&rs->rs_refs, 1);
	rs->rs_since = time(NULL);
	rs->rs_n = nrules;
	return rs;
}

/*
 * rulestats_ref - see stats.h.
 */
struct rulestats *
rulestats_ref(struct rulestats *rs)
{
	atomic_fetch_add(&rs->rs_refs, 1);
	return rs;
}

/*
 * rulestats_unref - see stats.h.
 */
void
rulestats_unref(struct rulestats *rs)
{
	if (rs != NULL && atomic_fetch_sub(&rs->rs_refs, 1) == 1)
		free(rs);
}

/*
 * rulestats_since - see stats.h.
 */
time_t
rulestats_since(const struct rulestats *rs)
{
	return rs->rs_since;
}

/*
 * stats_read - see stats.h.
 */
void
stats_read(struct stats_counts *sc)
{
	int i;

	sc->sc_started = started;
	for (i = 0; i < STATS_MAX; i++)
		sc->sc_n[i] = get(i);
}

/*
 * rulestats_read - see stats.h.
 */
unsigned long
rulestats_read(const struct rulestats *rs, size_t i,
    unsigned long n[STATS_RULE_MAX])
{
	unsigned long sum = 0;
	int k;

	for (k = 0; k < STATS_RULE_MAX; k++) {
		/* atomic_load wants a non-const pointer before C17 */
		n[k] = i < rs->rs_n ? atomic_load_explicit((atomic_ulong *)
		    &rs->rs_rules[i].rc_n[k], memory_order_relaxed) : 0;
		sum += n[k];
	}
	return sum;
}

static void
report_rules(const struct rulestats *rs, const struct policy *p,
    void (*emit)(void *, const char *), void *arg)
{
	unsigned long n[STATS_RULE_MAX], hits;
	char line[512];
	size_t i, used = 0;

	for (i = 0; i < rs->rs_n && i < policy_nrules(p); i++) {
		if ((hits = rulestats_read(rs, i, n)) == 0)
			continue;
		used++;
		snprintf(line, sizeof(line), "stats: rule=\"%.200s\" hits=%lu "
		    "refused=%lu monitored=%lu", policy_rule_name(p, i), hits,
		    n[STATS_RULE_REJECT] + n[STATS_RULE_TEMPFAIL],
		    n[STATS_RULE_MONITOR_REJECT] +
		    n[STATS_RULE_MONITOR_TEMPFAIL]);
		emit(arg, line);
	}
	snprintf(line, sizeof(line), "stats: rules=%zu used=%zu since=%lld "
	    "(rule counters restart when a reload changes the rule names or "
	    "their order)", policy_nrules(p), used, (long long)rs->rs_since);
	emit(arg, line);
}

/*
 * stats_report - see stats.h.
 */
void
stats_report(const struct rulestats *rs, const struct policy *p,
    void (*emit)(void *arg, const char *line), void *arg)
{
	char line[512];

	snprintf(line, sizeof(line), "stats: since=%lld uptime=%lld "
	    "connections=%lu transactions=%lu reloads=%lu reload_failures=%lu",
	    (long long)started, (long long)(time(NULL) - started),
	    get(STATS_CONNECTIONS), get(STATS_TRANSACTIONS), get(STATS_RELOADS),
	    get(STATS_RELOAD_FAILURES));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: decisions accept=%lu reject=%lu "
	    "tempfail=%lu monitor=%lu internal_error=%lu", get(STATS_ACCEPT),
	    get(STATS_REJECT), get(STATS_TEMPFAIL), get(STATS_MONITOR_REJECT) +
	    get(STATS_MONITOR_TEMPFAIL), get(STATS_INTERNAL));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: tls none=%lu unknown=%lu "
	    "SSLv3=%lu TLSv1=%lu TLSv1.1=%lu TLSv1.2=%lu TLSv1.3=%lu "
	    "other=%lu", get(STATS_TLS_NONE), get(STATS_TLS_UNKNOWN),
	    get(STATS_TLS_SSL3), get(STATS_TLS_1_0), get(STATS_TLS_1_1), get(STATS_TLS_1_2),
	    get(STATS_TLS_1_3), get(STATS_TLS_OTHER));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: cipher_bits none=%lu "
	    "below_112=%lu 112_127=%lu 128_255=%lu 256_up=%lu",
	    get(STATS_BITS_NONE), get(STATS_BITS_LT112), get(STATS_BITS_112),
	    get(STATS_BITS_128), get(STATS_BITS_256));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: cert none=%lu unverified=%lu "
	    "verified=%lu", get(STATS_CERT_NONE), get(STATS_CERT_UNVERIFIED),
	    get(STATS_CERT_VERIFIED));
	emit(arg, line);
	if (rs != NULL && p != NULL)
		report_rules(rs, p, emit, arg);
}
