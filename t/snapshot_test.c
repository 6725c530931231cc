/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot_test.c - policy snapshots: reference counts, the per-rule
 * counters a reload keeps or restarts, and a stress test: reader threads
 * start "connections" (acquire, use, release) in a loop while a publisher
 * swaps in thousands of new policies.  Each reader checks that the
 * snapshot it holds is whole and stays the same while it holds it.
 *
 * Built twice: t/snapshot_test, and t/snapshot_tsan with ThreadSanitizer
 * (when the compiler has it), which reports any access to a snapshot the
 * publisher freed under a reader, or any other unsynchronised access.
 */
#include "testlist.h"

#include <pthread.h>
#include <stdatomic.h>

#include "rule.h"
#include "snapshot.h"
#include "strpool.h"

/* A policy whose rules are named "PREFIX0", "PREFIX1"... */
static struct policy *
make_policy(const char *prefix, size_t nrules)
{
	struct policy *p = calloc(1, sizeof(*p));
	size_t i;
	char name[64];

	assert_non_null(p);
	assert_non_null(p->p_pool = strpool_new());
	assert_non_null(p->p_rules = calloc(nrules, sizeof(*p->p_rules)));
	for (i = 0; i < nrules; i++) {
		snprintf(name, sizeof(name), "%s%zu", prefix, i);
		assert_non_null(p->p_rules[i].r_name =
		    strpool_intern(p->p_pool, name));
	}
	p->p_nrules = nrules;
	return p;
}

static void
count_rule(struct snapshot *s, size_t i, enum verdict_kind k)
{
	struct verdict v;

	memset(&v, 0, sizeof(v));
	v.vd_kind = k;
	v.vd_rule = policy_rule_name(s->sn_policy, i);
	v.vd_rule_index = i;
	stats_decision(s->sn_rules, &v);
}

struct lines {
	char	text[4096];
};

static void
collect(void *arg, const char *line)
{
	struct lines *l = arg;

	strncat(l->text, line, sizeof(l->text) - strlen(l->text) - 2);
	strcat(l->text, "\n");
}

/* A held snapshot survives a reload; rule counters kept or restarted. */
static void
test_publish(void **state)
{
	enum snapshot_rules kept;
	struct snapshot *a, *b, *c;
	struct lines l;

	(void)state;
	assert_null(snapshot_acquire());
	assert_int_equal(snapshot_publish(make_policy("r", 2), &kept), 0);
	assert_int_equal(kept, SNAPSHOT_RULES_RESET);
	assert_non_null(a = snapshot_acquire());
	assert_string_equal(policy_rule_name(a->sn_policy, 1), "r1");
	count_rule(a, 1, VERDICT_REJECT);

	/* Same names, same order: the counters go on. */
	assert_int_equal(snapshot_publish(make_policy("r", 2), &kept), 0);
	assert_int_equal(kept, SNAPSHOT_RULES_KEPT);
	assert_non_null(b = snapshot_acquire());
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(a->sn_rules, b->sn_rules);
	assert_int_equal(b->sn_generation, a->sn_generation + 1);

	/* Another rule list: counting restarts; a still works. */
	assert_int_equal(snapshot_publish(make_policy("s", 3), &kept), 0);
	assert_int_equal(kept, SNAPSHOT_RULES_RESET);
	assert_non_null(c = snapshot_acquire());
	assert_ptr_not_equal(c->sn_rules, b->sn_rules);
	assert_string_equal(policy_rule_name(a->sn_policy, 0), "r0");
	count_rule(a, 0, VERDICT_ACCEPT);

	memset(&l, 0, sizeof(l));
	stats_report(b->sn_rules, b->sn_policy, collect, &l);
	assert_non_null(strstr(l.text, "stats: rule=\"r0\" hits=1 refused=0 "
	    "monitored=0\n"));
	assert_non_null(strstr(l.text, "stats: rule=\"r1\" hits=1 refused=1 "
	    "monitored=0\n"));
	assert_non_null(strstr(l.text, "stats: rules=2 used=2 since="));
	memset(&l, 0, sizeof(l));
	stats_report(c->sn_rules, c->sn_policy, collect, &l);
	assert_null(strstr(l.text, "rule=\""));
	assert_non_null(strstr(l.text, "stats: rules=3 used=0 since="));
	snapshot_release(a);
	snapshot_release(b);
	snapshot_release(c);
	snapshot_retire();
	assert_null(snapshot_acquire());
}

/* ------------------------------------------------------------ stress */

#define READERS		8
#define PUBLISHES	3000
#define CONNECTIONS	20000

static atomic_bool publishing_done;
static atomic_ulong acquired;

/* Is s whole: rules "pK-0" to "pK-N" for one K, with 1 + K % 4 rules? */
static bool
whole(const struct snapshot *s)
{
	const struct policy *p = s->sn_policy;
	unsigned long k;
	char want[64];
	size_t i;

	if (p->p_nrules == 0 || sscanf(p->p_rules[0].r_name, "p%lu-", &k) != 1 ||
	    p->p_nrules != 1 + k % 4)
		return false;
	for (i = 0; i < p->p_nrules; i++) {
		snprintf(want, sizeof(want), "p%lu-%zu", k, i);
		if (strcmp(p->p_rules[i].r_name, want) != 0)
			return false;
	}
	return true;
}

static void *
reader(void *arg)
{
	struct snapshot *s;
	unsigned long gen, *bad = arg;
	int i;

	while (!atomic_load(&publishing_done)) {
		if ((s = snapshot_acquire()) == NULL) {
			(*bad)++;
			continue;
		}
		atomic_fetch_add(&acquired, 1);
		gen = s->sn_generation;
		for (i = 0; i < 3; i++) {	/* the "connection" uses it */
			if (!whole(s) || s->sn_generation != gen)
				(*bad)++;
			count_rule(s, 0, VERDICT_ACCEPT);
			sched_yield();
		}
		snapshot_release(s);
	}
	return NULL;
}

static void
test_stress(void **state)
{
	pthread_t t[READERS];
	unsigned long bad[READERS] = { 0 };
	enum snapshot_rules kept;
	char prefix[32];
	unsigned long k;
	int i;

	(void)state;
	assert_int_equal(snapshot_publish(make_policy("p0-", 1), &kept), 0);
	for (i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &bad[i]), 0);
	/* At least PUBLISHES reloads, and go on until the readers have
	 * started CONNECTIONS connections between them. */
	for (k = 1; k <= PUBLISHES || atomic_load(&acquired) < CONNECTIONS;
	    k++) {
		snprintf(prefix, sizeof(prefix), "p%lu-", k);
		assert_int_equal(snapshot_publish(make_policy(prefix, 1 + k % 4),
		    &kept), 0);
		sched_yield();
	}
	atomic_store(&publishing_done, true);
	for (i = 0; i < READERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(bad[i], 0);
	}
	snapshot_retire();
	printf("# %lu connections started during %lu reloads\n",
	    (unsigned long)atomic_load(&acquired), k - 1);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	stats_start();
	testlist_add(&tl, "publish, hold, release, rule counters",
	    test_publish, NULL);
	testlist_add(&tl, "8 threads start 20000 connections during 3000+ reloads",
	    test_stress, NULL);
	return testlist_run(&tl, "snapshot");
}
