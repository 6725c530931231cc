/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot.h - the policy in force, swapped by a reload while connections
 * go on with the one they started with.
 *
 * A snapshot is one immutable policy with its per-rule counters and a
 * reference count.  Each connection takes a reference when it starts and
 * drops it when it ends; the daemon holds one for the snapshot in force.
 * Taking a reference holds a mutex for a few instructions.
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stdbool.h>

#include "policy.h"
#include "stats.h"

struct snapshot {
	const struct policy *sn_policy;	/* owned: freed with the snapshot */
	struct rulestats *sn_rules;	/* per-rule counters (one reference) */
	unsigned long	sn_generation;	/* 1 for the policy loaded at start */
};

/* What snapshot_publish() did with the per-rule counters. */
enum snapshot_rules {
	SNAPSHOT_RULES_KEPT,	/* same rule names in the same order */
	SNAPSHOT_RULES_RESET	/* the rule list changed: counting restarts */
};

/*
 * snapshot_acquire - a reference to the snapshot in force, for one
 * connection; NULL before the first snapshot_publish().  Waits at most
 * for another thread's pointer swap or count.
 * Release it with snapshot_release().
 */
struct snapshot *snapshot_acquire(void);

/* snapshot_release - drop a reference; the last one frees the snapshot
 * and its policy.  NULL is ignored. */
void snapshot_release(struct snapshot *s);

/*
 * snapshot_publish - put policy p (taken over: freed with its snapshot)
 * in force.  Connections that started before keep the snapshot they have;
 * the previous one is freed when the last of them ends.  Only one thread
 * may publish at a time (the daemon publishes at start and from its signal
 * thread).  Returns 0 and says in *rules whether the per-rule counters
 * were kept, or -1 when out of memory (p is then freed and the snapshot in
 * force stays).
 */
int snapshot_publish(struct policy *p, enum snapshot_rules *rules);

/* snapshot_retire - drop the daemon's own reference at stop; connections
 * still running keep theirs.  Only the publishing thread calls it. */
void snapshot_retire(void);

#endif
