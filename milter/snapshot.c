/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot.c - reference-counted policy snapshots behind one atomic
 * pointer (as OpenDKIM's refcounted configuration, without its lock).
 *
 * The delicate moment is between a connection loading the pointer and
 * incrementing the count of what it loaded: a reload could swap the
 * pointer and drop the last reference in that window, and the connection
 * would then count on freed memory.  So a connection first announces
 * itself in one of two `entering` counters, the one the current epoch's
 * parity names (and checks that the epoch did not move meanwhile, else
 * it starts again), then loads the pointer and takes its reference, then
 * leaves.  The publisher swaps the pointer, moves the epoch on, and waits
 * until the counter of the epoch it left is zero, before dropping the old
 * snapshot's reference:
 *
 *   - a connection that loaded the old pointer did so before the swap, so
 *     it had announced itself in the old epoch's counter before the swap
 *     too, and the publisher sees it there until it holds its reference
 *     (had an earlier publisher moved the epoch on since, that one waited
 *     for it, and publishers take turns);
 *   - a connection that announces itself after the swap loads the new
 *     pointer.
 *
 * With two counters the publisher waits only for the connections that
 * were inside the window when it moved the epoch on; those arriving later
 * count in the other counter, so a steady stream of new connections
 * cannot hold a reload up.  Every operation here is sequentially
 * consistent, which is what the argument above relies on ("before" and
 * "after" in one total order).  Connections never wait: at worst one
 * announces itself twice when a reload moves the epoch at that moment.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

struct snapshot_obj {
	struct snapshot	so_pub;		/* first: the public part */
	atomic_long	so_refs;
};

static _Atomic(struct snapshot_obj *) current;
static atomic_ulong epoch;
static atomic_long entering[2];
static unsigned long generation;	/* the publisher's only */

static void
snapshot_free(struct snapshot_obj *so)
{
	policy_free((struct policy *)so->so_pub.sn_policy);
	rulestats_unref(so->so_pub.sn_rules);
	free(so);
}

/*
 * snapshot_acquire - see snapshot.h.
 */
struct snapshot *
snapshot_acquire(void)
{
	struct snapshot_obj *so;
	unsigned long e;

	for (;;) {
		e = atomic_load(&epoch);
		atomic_fetch_add(&entering[e & 1], 1);
		if (atomic_load(&epoch) == e)
			break;
		atomic_fetch_sub(&entering[e & 1], 1);
	}
	so = atomic_load(&current);
#ifdef SNAPSHOT_TEST_WINDOW
	SNAPSHOT_TEST_WINDOW();		/* tests widen the window here */
#endif
	if (so != NULL)
		atomic_fetch_add(&so->so_refs, 1);
	atomic_fetch_sub(&entering[e & 1], 1);
	return so != NULL ? &so->so_pub : NULL;
}

/*
 * snapshot_release - see snapshot.h.
 */
void
snapshot_release(struct snapshot *s)
{
	struct snapshot_obj *so = (struct snapshot_obj *)s;

	if (so != NULL && atomic_fetch_sub(&so->so_refs, 1) == 1)
		snapshot_free(so);
}

/* Do policies a and b have the same rule names in the same order? */
static bool
same_rules(const struct policy *a, const struct policy *b)
{
	size_t i, n = policy_nrules(a);

	if (n != policy_nrules(b))
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(policy_rule_name(a, i), policy_rule_name(b, i)) != 0)
			return false;
	return true;
}

/* Swap so in and drop the daemon's reference to what it replaces. */
static void
swap_in(struct snapshot_obj *so)
{
	struct snapshot_obj *old = atomic_exchange(&current, so);
	unsigned long e = atomic_fetch_add(&epoch, 1);

	while (atomic_load(&entering[e & 1]) != 0)
		sched_yield();
	if (old != NULL)
		snapshot_release(&old->so_pub);
}

/*
 * snapshot_publish - see snapshot.h.
 */
int
snapshot_publish(struct policy *p, enum snapshot_rules *rules)
{
	struct snapshot_obj *so, *old = atomic_load(&current);

	if ((so = calloc(1, sizeof(*so))) == NULL) {
		policy_free(p);
		return -1;
	}
	if (old != NULL && same_rules(old->so_pub.sn_policy, p)) {
		so->so_pub.sn_rules = rulestats_ref(old->so_pub.sn_rules);
		*rules = SNAPSHOT_RULES_KEPT;
	} else if ((so->so_pub.sn_rules = rulestats_new(policy_nrules(p))) ==
	    NULL) {
		free(so);
		policy_free(p);
		return -1;
	} else {
		*rules = SNAPSHOT_RULES_RESET;
	}
	so->so_pub.sn_policy = p;
	so->so_pub.sn_generation = ++generation;
	atomic_init(&so->so_refs, 1);	/* the daemon's, until replaced */
	swap_in(so);
	return 0;
}

/*
 * snapshot_retire - see snapshot.h.
 */
void
snapshot_retire(void)
{
	swap_in(NULL);
}
