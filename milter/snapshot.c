/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot.c - reference-counted policy snapshots behind one pointer, a
 * mutex around the pointer and the counts (as OpenDKIM's refcounted
 * configuration).
 *
 * The lock is held only to read or swap the pointer and to move a
 * count: a reload loads and compiles its policy before it takes the lock,
 * and the last reference frees a snapshot after letting it go, so a
 * connection waits at most for a few instructions of another thread.
 * (A lock-free version with epoch counters passed no more mail a second
 * in bench/postfix: bench/README, "What the machinery buys".)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

struct snapshot_obj {
	struct snapshot	so_pub;		/* first: the public part */
	long		so_refs;	/* under lock */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot_obj *current;	/* under lock */
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

	pthread_mutex_lock(&lock);
	so = current;
#ifdef SNAPSHOT_TEST_WINDOW
	SNAPSHOT_TEST_WINDOW();		/* tests widen the window here */
#endif
	if (so != NULL)
		so->so_refs++;
	pthread_mutex_unlock(&lock);
	return so != NULL ? &so->so_pub : NULL;
}

/*
 * snapshot_release - see snapshot.h.
 */
void
snapshot_release(struct snapshot *s)
{
	struct snapshot_obj *so = (struct snapshot_obj *)s;
	long refs;

	if (so == NULL)
		return;
	pthread_mutex_lock(&lock);
	refs = --so->so_refs;
	pthread_mutex_unlock(&lock);
	if (refs == 0)
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
	struct snapshot_obj *old;

	pthread_mutex_lock(&lock);
	old = current;
	current = so;
	pthread_mutex_unlock(&lock);
	if (old != NULL)
		snapshot_release(&old->so_pub);
}

/*
 * snapshot_publish - see snapshot.h.
 */
int
snapshot_publish(struct policy *p, enum snapshot_rules *rules)
{
	struct snapshot_obj *so, *old = current;	/* only we change it */

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
	so->so_refs = 1;	/* the daemon's, until replaced */
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
