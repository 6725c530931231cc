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

enum {
	ST_CONNECTIONS, ST_TRANSACTIONS,
	ST_ACCEPT, ST_REJECT, ST_TEMPFAIL, ST_MONITOR, ST_INTERNAL,
	ST_RELOADS, ST_RELOAD_FAILURES,
	ST_TLS_NONE, ST_TLS_UNKNOWN, ST_TLS_SSL3, ST_TLS_1_0, ST_TLS_1_1,
	ST_TLS_1_2, ST_TLS_1_3, ST_TLS_OTHER,
	ST_BITS_NONE, ST_BITS_LT112, ST_BITS_112, ST_BITS_128, ST_BITS_256,
	ST_CERT_NONE, ST_CERT_UNVERIFIED, ST_CERT_VERIFIED,
	ST_MAX
};

struct rulecount {
	atomic_ulong	rc_hits;	/* decisions by this rule */
	atomic_ulong	rc_refused;	/* of them: refusals given */
	atomic_ulong	rc_monitored;	/* of them: refusals only logged */
};

struct rulestats {
	atomic_long	rs_refs;
	time_t		rs_since;
	size_t		rs_n;
	struct rulecount rs_rules[];
};

static atomic_ulong counters[ST_MAX];
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
	count(ST_CONNECTIONS);
}

/* The histogram bucket of the TLS version in s. */
static int
tls_bucket(const struct session *s)
{
	if (s->ss_tls == SESSION_TLS_NONE)
		return ST_TLS_NONE;
	if (s->ss_tls == SESSION_TLS_UNKNOWN)
		return ST_TLS_UNKNOWN;
	switch (s->ss_tls_version) {
	case TLSVERSION_SSL3:	return ST_TLS_SSL3;
	case TLSVERSION_TLS1_0:	return ST_TLS_1_0;
	case TLSVERSION_TLS1_1:	return ST_TLS_1_1;
	case TLSVERSION_TLS1_2:	return ST_TLS_1_2;
	case TLSVERSION_TLS1_3:	return ST_TLS_1_3;
	case TLSVERSION_UNKNOWN: break;
	}
	return ST_TLS_OTHER;
}

/*
 * stats_transaction - see stats.h.
 */
void
stats_transaction(const struct session *s)
{
	count(ST_TRANSACTIONS);
	count(tls_bucket(s));
	if (s->ss_tls != SESSION_TLS_ON)
		return;		/* no cipher, no certificate to count */
	if (s->ss_cipher_bits < 0)
		count(ST_BITS_NONE);
	else if (s->ss_cipher_bits < 112)
		count(ST_BITS_LT112);
	else if (s->ss_cipher_bits < 128)
		count(ST_BITS_112);
	else if (s->ss_cipher_bits < 256)
		count(ST_BITS_128);
	else
		count(ST_BITS_256);
	count(s->ss_cert == SESSION_CERT_VERIFIED ? ST_CERT_VERIFIED :
	    s->ss_cert == SESSION_CERT_UNVERIFIED ? ST_CERT_UNVERIFIED :
	    ST_CERT_NONE);
}

/*
 * stats_decision - see stats.h.
 */
void
stats_decision(struct rulestats *rs, const struct verdict *v)
{
	bool refusal = v->vd_kind == VERDICT_REJECT ||
	    v->vd_kind == VERDICT_TEMPFAIL;
	struct rulecount *rc = NULL;

	if (refusal && v->vd_monitor)
		count(ST_MONITOR);
	else if (v->vd_kind == VERDICT_REJECT)
		count(ST_REJECT);
	else if (v->vd_kind == VERDICT_TEMPFAIL)
		count(ST_TEMPFAIL);
	else
		count(ST_ACCEPT);
	if (rs == NULL || v->vd_rule == NULL || v->vd_rule_index >= rs->rs_n)
		return;
	rc = &rs->rs_rules[v->vd_rule_index];
	atomic_fetch_add_explicit(&rc->rc_hits, 1, memory_order_relaxed);
	if (refusal)
		atomic_fetch_add_explicit(v->vd_monitor ? &rc->rc_monitored :
		    &rc->rc_refused, 1, memory_order_relaxed);
}

/*
 * stats_internal_error - see stats.h.
 */
void
stats_internal_error(void)
{
	count(ST_INTERNAL);
}

/*
 * stats_reload - see stats.h.
 */
void
stats_reload(bool ok)
{
	count(ok ? ST_RELOADS : ST_RELOAD_FAILURES);
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

static void
report_rules(const struct rulestats *rs, const struct policy *p,
    void (*emit)(void *, const char *), void *arg)
{
	unsigned long hits, refused, monitored;
	char line[512];
	size_t i, used = 0;
	struct rulecount *rc;

	for (i = 0; i < rs->rs_n && i < policy_nrules(p); i++) {
		rc = (struct rulecount *)&rs->rs_rules[i];
		hits = atomic_load_explicit(&rc->rc_hits, memory_order_relaxed);
		if (hits == 0)
			continue;
		used++;
		refused = atomic_load_explicit(&rc->rc_refused,
		    memory_order_relaxed);
		monitored = atomic_load_explicit(&rc->rc_monitored,
		    memory_order_relaxed);
		snprintf(line, sizeof(line), "stats: rule=\"%.200s\" hits=%lu "
		    "refused=%lu monitored=%lu", policy_rule_name(p, i), hits,
		    refused, monitored);
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
	    get(ST_CONNECTIONS), get(ST_TRANSACTIONS), get(ST_RELOADS),
	    get(ST_RELOAD_FAILURES));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: decisions accept=%lu reject=%lu "
	    "tempfail=%lu monitor=%lu internal_error=%lu", get(ST_ACCEPT),
	    get(ST_REJECT), get(ST_TEMPFAIL), get(ST_MONITOR), get(ST_INTERNAL));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: tls none=%lu unknown=%lu "
	    "SSLv3=%lu TLSv1=%lu TLSv1.1=%lu TLSv1.2=%lu TLSv1.3=%lu "
	    "other=%lu", get(ST_TLS_NONE), get(ST_TLS_UNKNOWN),
	    get(ST_TLS_SSL3), get(ST_TLS_1_0), get(ST_TLS_1_1), get(ST_TLS_1_2),
	    get(ST_TLS_1_3), get(ST_TLS_OTHER));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: cipher_bits none=%lu "
	    "below_112=%lu 112_127=%lu 128_255=%lu 256_up=%lu",
	    get(ST_BITS_NONE), get(ST_BITS_LT112), get(ST_BITS_112),
	    get(ST_BITS_128), get(ST_BITS_256));
	emit(arg, line);
	snprintf(line, sizeof(line), "stats: cert none=%lu unverified=%lu "
	    "verified=%lu", get(ST_CERT_NONE), get(ST_CERT_UNVERIFIED),
	    get(ST_CERT_VERIFIED));
	emit(arg, line);
	if (rs != NULL && p != NULL)
		report_rules(rs, p, emit, arg);
}
