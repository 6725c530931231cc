/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * promfile_test.c - the Prometheus text file: the exact output for a set
 * of counters and per-rule counts (rule names with characters the format
 * escapes), the output without rules, and the write: the whole file
 * under its name, no temporary file left, and a failure that leaves
 * nothing behind.
 */
#include "testlist.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "promfile.h"
#include "rule.h"
#include "strpool.h"

/* A policy whose rules have the names given (not checked: any bytes). */
static struct policy *
make_policy(const char *const names[], size_t nrules)
{
	struct policy *p = calloc(1, sizeof(*p));
	size_t i;

	assert_non_null(p);
	assert_non_null(p->p_pool = strpool_new());
	assert_non_null(p->p_rules = calloc(nrules, sizeof(*p->p_rules)));
	for (i = 0; i < nrules; i++)
		assert_non_null(p->p_rules[i].r_name =
		    strpool_intern(p->p_pool, names[i]));
	p->p_nrules = nrules;
	return p;
}

/* Count n decisions of kind k (monitor: only logged) by rule i. */
static void
decide(struct rulestats *rs, const struct policy *p, size_t i,
    enum verdict_kind k, bool monitor, int n)
{
	struct verdict v;

	memset(&v, 0, sizeof(v));
	v.vd_kind = k;
	v.vd_monitor = monitor;
	v.vd_rule = policy_rule_name(p, i);
	v.vd_rule_index = i;
	while (n-- > 0)
		stats_decision(rs, &v);
}

/* Counters 1, 2, 3... in enum order, started at 1795900000. */
static void
fill(struct stats_counts *sc)
{
	int i;

	sc->sc_started = 1795900000;
	for (i = 0; i < STATS_MAX; i++)
		sc->sc_n[i] = (unsigned long)i + 1;
}

/* What promfile_format() wrote, as a string the caller frees. */
static char *
format(const struct stats_counts *sc, const struct rulestats *rs,
    const struct policy *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	assert_int_equal(promfile_format(fp, sc, rs, p), 0);
	assert_int_equal(fclose(fp), 0);
	return text;
}

#define P "tls_policy_milter_"
#define C(name, help) "# HELP " P name " " help "\n# TYPE " P name " counter\n"
#define G(name, help) "# HELP " P name " " help "\n# TYPE " P name " gauge\n"

static const char expect_global[] =
    G("start_time_seconds", "When the daemon started, in seconds since the "
	"epoch.")
    P "start_time_seconds 1795900000\n"
    C("connections_total", "Connections from the MTA (SMTP sessions).")
    P "connections_total 1\n"
    C("transactions_total", "MAIL transactions, by the TLS version of their "
	"session (none: plaintext; unknown: the MTA gave no TLS facts).")
    P "transactions_total{tls_version=\"none\"} 11\n"
    P "transactions_total{tls_version=\"unknown\"} 12\n"
    P "transactions_total{tls_version=\"SSLv3\"} 13\n"
    P "transactions_total{tls_version=\"TLSv1\"} 14\n"
    P "transactions_total{tls_version=\"TLSv1.1\"} 15\n"
    P "transactions_total{tls_version=\"TLSv1.2\"} 16\n"
    P "transactions_total{tls_version=\"TLSv1.3\"} 17\n"
    P "transactions_total{tls_version=\"other\"} 18\n"
    C("tls_transactions_cipher_strength_total", "MAIL transactions over TLS, by "
	"the secret bits of the cipher.")
    P "tls_transactions_cipher_strength_total{cipher_bits=\"unknown\"} 19\n"
    P "tls_transactions_cipher_strength_total{cipher_bits=\"below_112\"} 20\n"
    P "tls_transactions_cipher_strength_total{cipher_bits=\"112_to_127\"} 21\n"
    P "tls_transactions_cipher_strength_total{cipher_bits=\"128_to_255\"} 22\n"
    P "tls_transactions_cipher_strength_total{cipher_bits=\"256_or_more\"} 23\n"
    C("tls_transactions_certificate_total", "MAIL transactions over TLS, by "
	"the client certificate (Postfix names only a verified one: "
	"unverified includes none).")
    P "tls_transactions_certificate_total{certificate=\"none\"} 24\n"
    P "tls_transactions_certificate_total{certificate=\"unverified\"} 25\n"
    P "tls_transactions_certificate_total{certificate=\"verified\"} 26\n"
    C("decisions_total", "Decisions given to the MTA, by verdict (refusals "
	"only logged are not among them).")
    P "decisions_total{verdict=\"accept\"} 3\n"
    P "decisions_total{verdict=\"reject\"} 4\n"
    P "decisions_total{verdict=\"tempfail\"} 5\n"
    C("monitor_would_refuse_total", "Refusals only logged (mode or action "
	"monitor), by the verdict they would have given.")
    P "monitor_would_refuse_total{verdict=\"reject\"} 6\n"
    P "monitor_would_refuse_total{verdict=\"tempfail\"} 7\n"
    C("internal_errors_total", "Commands tempfailed by an internal error.")
    P "internal_errors_total 8\n"
    C("reloads_total", "Reloads of the policy, by result (failed: the "
	"policy in force stayed).")
    P "reloads_total{result=\"ok\"} 9\n"
    P "reloads_total{result=\"failed\"} 10\n";

/* After expect_global, then the rule counters' start, then expect_rules_b. */
static const char expect_rules[] =
    G("rules", "Rules in the policy in force.")
    P "rules 3\n"
    G("rule_counters_start_time_seconds", "When the per-rule counters "
	"started, in seconds since the epoch (they restart when a reload "
	"changes the rule names or their order).")
    P "rule_counters_start_time_seconds ";
static const char expect_rules_b[] = "\n"
    C("rule_decisions_total", "Decisions given by each rule, by verdict "
	"(rules that decided anything).")
    P "rule_decisions_total{rule=\"plain\",verdict=\"accept\"} 1\n"
    P "rule_decisions_total{rule=\"plain\",verdict=\"reject\"} 2\n"
    P "rule_decisions_total{rule=\"plain\",verdict=\"tempfail\"} 0\n"
    P "rule_decisions_total{rule=\"q\\\"b\\\\s\\nl\",verdict=\"accept\"} 0\n"
    P "rule_decisions_total{rule=\"q\\\"b\\\\s\\nl\",verdict=\"reject\"} 0\n"
    P "rule_decisions_total{rule=\"q\\\"b\\\\s\\nl\",verdict=\"tempfail\"} 0\n"
    C("rule_monitor_would_refuse_total", "Refusals of each rule only "
	"logged (mode or action monitor), by the verdict they would have "
	"given.")
    P "rule_monitor_would_refuse_total{rule=\"plain\",verdict=\"reject\"} 0\n"
    P "rule_monitor_would_refuse_total{rule=\"plain\",verdict=\"tempfail\"} 0\n"
    P "rule_monitor_would_refuse_total{rule=\"q\\\"b\\\\s\\nl\",verdict=\"reject\"} 0\n"
    P "rule_monitor_would_refuse_total{rule=\"q\\\"b\\\\s\\nl\",verdict=\"tempfail\"} 3\n";

static const char *const names[] = { "plain", "unused", "q\"b\\s\nl" };

/* Every metric, the rules that decided anything, names escaped. */
static void
test_format(void **state)
{
	struct stats_counts sc;
	struct policy *p = make_policy(names, 3);
	struct rulestats *rs = rulestats_new(3);
	char want[sizeof(expect_global) + sizeof(expect_rules) +
	    sizeof(expect_rules_b) + 32];
	char *text;

	(void)state;
	assert_non_null(rs);
	fill(&sc);
	decide(rs, p, 0, VERDICT_ACCEPT, false, 1);
	decide(rs, p, 0, VERDICT_REJECT, false, 2);
	decide(rs, p, 2, VERDICT_TEMPFAIL, true, 3);
	snprintf(want, sizeof(want), "%s%s%lld%s", expect_global, expect_rules,
	    (long long)rulestats_since(rs), expect_rules_b);
	text = format(&sc, rs, p);
	assert_string_equal(text, want);
	free(text);
	rulestats_unref(rs);
	policy_free(p);
}

/* Without a policy: the process-wide metrics only. */
static void
test_format_no_rules(void **state)
{
	struct stats_counts sc;
	char *text;

	(void)state;
	fill(&sc);
	text = format(&sc, NULL, NULL);
	assert_string_equal(text, expect_global);
	free(text);
}

/* The file holds the whole text; no temporary file stays. */
static void
test_write(void **state)
{
	char dir[] = "/tmp/promfile_test.XXXXXX", path[128], buf[8192];
	struct stats_counts sc;
	struct stat st;
	FILE *fp;
	size_t n;

	(void)state;
	fill(&sc);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(promfile_write(path, &sc, NULL, NULL), 0);
	sc.sc_n[STATS_CONNECTIONS] = 1;		/* the same text again */
	assert_int_equal(promfile_write(path, &sc, NULL, NULL), 0);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf, expect_global);
	snprintf(buf, sizeof(buf), "%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(stat(buf, &st), -1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);	/* nothing else in it */
}

/* A directory that is not there: -1 and ENOENT. */
static void
test_write_fails(void **state)
{
	struct stats_counts sc;

	(void)state;
	fill(&sc);
	errno = 0;
	assert_int_equal(promfile_write("/nonexistent/dir/m.prom", &sc, NULL,
	    NULL), -1);
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	testlist_add(&tl, "format: every metric, escaped rule names",
	    test_format, NULL);
	testlist_add(&tl, "format: no policy, no rule metrics",
	    test_format_no_rules, NULL);
	testlist_add(&tl, "write: whole file, no temporary left", test_write,
	    NULL);
	testlist_add(&tl, "write: missing directory fails with ENOENT",
	    test_write_fails, NULL);
	return testlist_run(&tl, "promfile");
}
