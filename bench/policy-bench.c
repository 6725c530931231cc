/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy-bench.c - how long loading takes and one policy_eval() call
 * costs, in process, for policies of different sizes.
 *
 *	bench/policy-bench [-d DOMAINS] [-e MIB] [-n SESSIONS] [-r ROUNDS]
 *	    [-s SEED] POLICY...
 *
 * Each POLICY file is loaded with conf_load() (wall time, and the heap it
 * keeps, from mallinfo2()).  Then SESSIONS sessions (default 2,000) are
 * made from the workload mix (workload.h, domains [0, DOMAINS), default
 * 100,000) exactly as the daemon fills them, and each policy judges all
 * of them at MAIL and, where MAIL defers, at each RCPT: every call is
 * timed on its own (the percentiles, rounded to the timer's ticks and
 * with its cost), and each pass once more as a whole (mean_ns: the mean
 * cost of a call, without a timer around each; not with -e).  The
 * policies take turns, round after round (ROUNDS, default 20), so a slow
 * spell of the machine hits them all alike.  The same sessions go to
 * every policy.  Prints one line per policy and one
 * JSON line with everything.
 *
 * -e MIB writes over MIB mebibytes before each call, so that the call
 * finds the policy cold in the CPU's private caches, as it does in the
 * daemon, where the kernel's and libmilter's work of a session comes
 * between two evaluations (8 is more than this machine's L2).  Without
 * -e the sessions follow each other and the policy's hot lines stay
 * cached: the floor.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "policy.h"
#include "session.h"
#include "workload.h"

/* One session ready for policy_eval(), and its recipients. */
struct prepared {
	struct session	pr_s;
	unsigned	pr_nrcpt;
	struct mailaddr	pr_rcpt[WL_RCPT_MAX];
};

struct measured {
	const char	*m_path;
	struct policy	*m_policy;
	double		m_load_s;
	size_t		m_heap;		/* bytes the policy keeps */
	uint32_t	*m_ns;		/* one per call */
	size_t		m_n, m_size;
	unsigned long	m_kinds[4];	/* verdicts, by kind */
	long long	m_batch_ns;	/* judge_batch(): the passes' time */
	size_t		m_batch_calls;	/* and their calls */
};

static unsigned char *evict_buf;	/* -e */
static size_t evict_len;

/* Write a byte of every cache line of the eviction buffer. */
static void
evict(void)
{
	size_t i;

	for (i = 0; i < evict_len; i += 64)
		evict_buf[i]++;
	__asm__ volatile("" ::: "memory");
}

static size_t
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The macros of a workload session, as the MTA would send them. */
static const char *
lookup(void *ctx, const char *name)
{
	const struct wl_session *w = ctx;

	if (strcmp(name, "{daemon_name}") == 0)
		return w->ws_listener;
	return wl_tls_macro(ctx, name);
}

/* prepare - fill the session as milter.c does from the MTA's events. */
static void
prepare(const struct wl_session *w, struct prepared *p)
{
	struct session conn;
	unsigned i;

	session_init(&conn);
	session_set_client(&conn, w->ws_addr, w->ws_name, NULL);
	session_set_listener(&conn, lookup, (void *)w);
	session_set_helo(&conn, w->ws_helo, false);
	if (w->ws_tls_version[0] != '\0')
		session_set_helo(&conn, w->ws_helo, true);
	p->pr_s = conn;
	session_set_tls(&p->pr_s, lookup, (void *)w, SESSION_MTA_AUTO, true);
	session_set_sender(&p->pr_s, w->ws_sender,
	    w->ws_auth[0] ? w->ws_auth : NULL, NULL);
	p->pr_nrcpt = w->ws_nrcpt;
	for (i = 0; i < w->ws_nrcpt; i++)
		(void)mailaddr_parse(w->ws_rcpt[i], &p->pr_rcpt[i]);
}

static void
record(struct measured *m, long long ns, enum verdict_kind k)
{
	if (m->m_n == m->m_size) {
		m->m_size = m->m_size ? 2 * m->m_size : 65536;
		if ((m->m_ns = realloc(m->m_ns, m->m_size *
		    sizeof(*m->m_ns))) == NULL) {
			fprintf(stderr, "policy-bench: out of memory\n");
			exit(1);
		}
	}
	m->m_ns[m->m_n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	m->m_kinds[k]++;
}

/* One pass of every session through one policy. */
static void
judge_all(struct measured *m, const struct prepared *ps, size_t n)
{
	struct verdict v;
	long long t;
	size_t i;
	unsigned j;

	for (i = 0; i < n; i++) {
		evict();
		t = wl_now_ns();
		policy_eval(m->m_policy, &ps[i].pr_s, NULL, &v);
		record(m, wl_now_ns() - t, v.vd_kind);
		if (v.vd_kind != VERDICT_DEFER)
			continue;
		for (j = 0; j < ps[i].pr_nrcpt; j++) {
			evict();
			t = wl_now_ns();
			policy_eval(m->m_policy, &ps[i].pr_s, &ps[i].pr_rcpt[j],
			    &v);
			record(m, wl_now_ns() - t, v.vd_kind);
		}
	}
}

/*
 * The same pass timed as a whole, without a timer around each call (the
 * timer costs about as much as a call, and rounds it to its ticks): the
 * mean cost of a call.  Not with -e, which would count the eviction.
 */
static void
judge_batch(struct measured *m, const struct prepared *ps, size_t n)
{
	struct verdict v;
	long long t = wl_now_ns();
	size_t i, calls = 0;
	unsigned j;

	for (i = 0; i < n; i++) {
		policy_eval(m->m_policy, &ps[i].pr_s, NULL, &v);
		calls++;
		if (v.vd_kind != VERDICT_DEFER)
			continue;
		for (j = 0; j < ps[i].pr_nrcpt; j++, calls++)
			policy_eval(m->m_policy, &ps[i].pr_s, &ps[i].pr_rcpt[j],
			    &v);
	}
	m->m_batch_ns += wl_now_ns() - t;
	m->m_batch_calls += calls;
}

/* judge_batch()'s mean, in ns; 0 when it did not run. */
static double
batch_mean(const struct measured *m)
{
	return m->m_batch_calls ? (double)m->m_batch_ns /
	    (double)m->m_batch_calls : 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
quantile(const struct measured *m, double q)
{
	size_t i = (size_t)(q * (double)(m->m_n - 1) + 0.5);

	return m->m_n ? m->m_ns[i] : 0;
}

static void
load(struct measured *m)
{
	struct conf_errors errors;
	size_t before = heap_bytes(), i;
	long long t = wl_now_ns();

	m->m_policy = conf_load(m->m_path, &errors);
	m->m_load_s = (double)(wl_now_ns() - t) / 1e9;
	if (m->m_policy == NULL) {
		for (i = 0; i < errors.ce_count; i++)
			fprintf(stderr, "%s\n", errors.ce_lines[i]);
		fprintf(stderr, "policy-bench: cannot load %s\n", m->m_path);
		exit(1);
	}
	conf_errors_free(&errors);	/* warnings: a generated policy has some */
	m->m_heap = heap_bytes() - before;
}

static unsigned long
number(const char *s)
{
	return wl_number("policy-bench", s, 1, 0xffffffffUL);
}

/* The cost of the timer itself: the median of back-to-back readings. */
static uint32_t
timer_cost(void)
{
	struct measured m = { 0 };
	uint32_t med;
	int i;

	for (i = 0; i < 10001; i++) {
		long long t = wl_now_ns();
		record(&m, wl_now_ns() - t, VERDICT_ACCEPT);
	}
	qsort(m.m_ns, m.m_n, sizeof(*m.m_ns), cmp_u32);
	med = quantile(&m, 0.5);
	free(m.m_ns);
	return med;
}

static void
report(struct measured *ms, int n, unsigned long sessions, unsigned long rounds)
{
	const struct measured *m;
	int i;

	printf("%-28s %8s %8s %9s %8s %8s %8s %8s  %s\n", "policy", "rules",
	    "load_s", "heap_MiB", "mean_ns", "p50_ns", "p90_ns", "p99_ns",
	    "accept/reject/tempfail/defer");
	for (i = 0; i < n; i++) {
		m = &ms[i];
		printf("%-28s %8zu %8.3f %9.1f %8.1f %8lu %8lu %8lu  "
		    "%lu/%lu/%lu/%lu\n",
		    m->m_path, policy_nrules(m->m_policy), m->m_load_s,
		    (double)m->m_heap / 1048576.0, batch_mean(m),
		    (unsigned long)quantile(m, 0.5),
		    (unsigned long)quantile(m, 0.9),
		    (unsigned long)quantile(m, 0.99),
		    m->m_kinds[0], m->m_kinds[1], m->m_kinds[2], m->m_kinds[3]);
	}
	printf("{\"bench\":\"policy\",\"sessions\":%lu,\"rounds\":%lu,"
	    "\"evict_mib\":%zu,\"timer_ns\":%lu,\"policies\":[", sessions,
	    rounds, evict_len >> 20, (unsigned long)timer_cost());
	for (i = 0; i < n; i++) {
		m = &ms[i];
		printf("%s{\"path\":\"%s\",\"rules\":%zu,\"load_s\":%.3f,"
		    "\"heap_bytes\":%zu,\"calls\":%zu,\"mean_ns\":%.1f,"
		    "\"p50_ns\":%lu,\"p90_ns\":%lu,\"p99_ns\":%lu}", i ? "," : "",
		    m->m_path, policy_nrules(m->m_policy), m->m_load_s, m->m_heap,
		    m->m_n, batch_mean(m),
		    (unsigned long)quantile(m, 0.5),
		    (unsigned long)quantile(m, 0.9),
		    (unsigned long)quantile(m, 0.99));
	}
	printf("]}\n");
}

int
main(int argc, char **argv)
{
	struct wl_mix mix = WL_MIX_DEFAULT;
	unsigned long sessions = 2000, rounds = 20, seed = 7, r;
	struct measured *ms;
	struct prepared *ps;
	struct wl_session w;
	struct wl_rng rng;
	int ch, i, n;

	while ((ch = getopt(argc, argv, "d:e:n:r:s:")) != -1) {
		switch (ch) {
		case 'd': mix.m_domains = (uint32_t)number(optarg); break;
		case 'e': evict_len = number(optarg) << 20; break;
		case 'n': sessions = number(optarg); break;
		case 'r': rounds = number(optarg); break;
		case 's': seed = number(optarg); break;
		default: goto usage;
		}
	}
	if ((n = argc - optind) < 1)
		goto usage;
	if ((evict_len > 0 && (evict_buf = calloc(1, evict_len)) == NULL) ||
	    (ms = calloc((size_t)n, sizeof(*ms))) == NULL ||
	    (ps = calloc(sessions, sizeof(*ps))) == NULL) {
		fprintf(stderr, "policy-bench: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		ms[i].m_path = argv[optind + i];
		load(&ms[i]);
	}
	wl_seed(&rng, seed);
	for (r = 0; r < sessions; r++) {
		wl_session_make(&rng, &mix, &w);
		prepare(&w, &ps[r]);
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++)
			judge_all(&ms[(i + r) % (unsigned long)n], ps, sessions);
		for (i = 0; i < n && evict_len == 0; i++)
			judge_batch(&ms[(i + r) % (unsigned long)n], ps,
			    sessions);
	}
	for (i = 0; i < n; i++)
		qsort(ms[i].m_ns, ms[i].m_n, sizeof(*ms[i].m_ns), cmp_u32);
	report(ms, n, sessions, rounds);
	for (i = 0; i < n; i++) {
		policy_free(ms[i].m_policy);
		free(ms[i].m_ns);
	}
	free(ms);
	free(ps);
	free(evict_buf);
	return 0;
usage:
	fprintf(stderr, "usage: policy-bench [-d DOMAINS] [-e MIB] "
	    "[-n SESSIONS] [-r ROUNDS] [-s SEED] POLICY...\n");
	return 64;
}
