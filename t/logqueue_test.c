/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logqueue_test.c - the log writer thread's queue: every line put is
 * handed to the sender exactly once, whole, in each thread's order; a
 * line on an idle queue goes at once, a stop sends what is queued; a full
 * or closed queue says so (the caller then sends the line itself).
 *
 * Built twice: t/logqueue_test, and t/logqueue_tsan with ThreadSanitizer
 * (when the compiler has it), which reports any unsynchronised access
 * between the threads that put and the writer.
 */
#include "testlist.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "logqueue.h"

#define THREADS		8
#define PER_THREAD	20000

/* What the sender got, in order (only the writer thread writes it). */
static char (*got)[32];
static size_t ngot, got_size;
static atomic_size_t delivered;		/* ngot, for other threads */
static atomic_bool hold;		/* the sender waits while set */
static atomic_bool holding;		/* ... and says it is waiting */

static void
record(const struct iovec *dgrams, unsigned n)
{
	unsigned i;

	while (atomic_load(&hold)) {
		atomic_store(&holding, true);
		sched_yield();
	}
	assert_true(n >= 1 && n <= LOGQUEUE_BATCH_MAX);
	for (i = 0; i < n; i++) {
		assert_true(ngot < got_size);
		assert_true(dgrams[i].iov_len < sizeof(got[0]));
		memcpy(got[ngot], dgrams[i].iov_base, dgrams[i].iov_len);
		got[ngot][dgrams[i].iov_len] = '\0';
		ngot++;
	}
	atomic_store(&delivered, ngot);
}

static void
reset(size_t size)
{
	free(got);
	assert_non_null(got = calloc(size, sizeof(got[0])));
	got_size = size;
	ngot = 0;
	atomic_store(&delivered, 0);
}

static bool
put(const char *line)
{
	size_t n = strlen(line), half = n / 2;

	return logqueue_put(line, half, line + half, n - half);
}

/* Wait up to 2 seconds for the sender to have n lines. */
static bool
wait_delivered(size_t n)
{
	struct timespec ms = { 0, 1000 * 1000 };
	int i;

	for (i = 0; i < 2000 && atomic_load(&delivered) < n; i++)
		nanosleep(&ms, NULL);
	return atomic_load(&delivered) >= n;
}

static void
test_closed(void **state)
{
	(void)state;
	assert_false(put("before the start"));
	logqueue_stop();		/* harmless when not started */
}

static void
test_idle_line_goes_at_once(void **state)
{
	(void)state;
	reset(16);
	assert_int_equal(logqueue_start(record), 0);
	assert_true(put("one"));
	assert_true(wait_delivered(1));	/* without a stop */
	nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	assert_true(put("two"));	/* the writer idle again */
	assert_true(wait_delivered(2));
	assert_string_equal(got[0], "one");
	assert_string_equal(got[1], "two");
	logqueue_stop();
	assert_false(put("after the stop"));
	assert_int_equal(ngot, 2);
}

static void
test_stop_sends_queued(void **state)
{
	char line[32];
	int i;

	(void)state;
	reset(256);
	assert_int_equal(logqueue_start(record), 0);
	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		assert_true(put(line));
	}
	logqueue_stop();
	assert_int_equal(ngot, 200);
	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		assert_string_equal(got[i], line);
	}
}

static void
test_full_and_long(void **state)
{
	static char big[LOGQUEUE_DGRAM_MAX + 2];
	char line[32];
	size_t queued = 0;
	int i;

	(void)state;
	reset(4 * LOGQUEUE_LINES_MAX);
	memset(big, 'x', sizeof(big) - 1);
	assert_false(put(big));			/* too long */
	atomic_store(&hold, true);
	atomic_store(&holding, false);
	assert_int_equal(logqueue_start(record), 0);
	assert_true(put("first"));		/* the writer takes it, holds */
	while (!atomic_load(&holding))
		sched_yield();
	for (i = 0; i < 2 * LOGQUEUE_LINES_MAX; i++) {
		snprintf(line, sizeof(line), "fill %d", i);
		if (!put(line))
			break;
		queued++;
	}
	assert_int_equal(queued, LOGQUEUE_LINES_MAX);	/* then full */
	atomic_store(&hold, false);
	logqueue_stop();
	assert_int_equal(ngot, 1 + queued);
}

/* A thread that puts PER_THREAD lines; when the queue is full it waits
 * for room (the daemon would send the line itself), so that every line
 * goes through the queue and many swaps happen while threads put. */
static void *
produce(void *arg)
{
	int id = *(int *)arg, i;
	char line[32];
	size_t full = 0;

	for (i = 0; i < PER_THREAD; i++) {
		snprintf(line, sizeof(line), "t%d %d", id, i);
		while (!put(line)) {
			full++;
			sched_yield();
		}
	}
	return (void *)full;
}

static void
test_threads(void **state)
{
	static int ids[THREADS];
	pthread_t t[THREADS];
	int last[THREADS], id, seq, i;
	size_t full = 0, k;
	void *rv;
	bool *seen;

	(void)state;
	reset((size_t)THREADS * PER_THREAD);
	assert_non_null(seen = calloc((size_t)THREADS * PER_THREAD, 1));
	assert_int_equal(logqueue_start(record), 0);
	for (i = 0; i < THREADS; i++) {
		ids[i] = i;
		last[i] = -1;
		assert_int_equal(pthread_create(&t[i], NULL, produce, &ids[i]),
		    0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], &rv);
		full += (size_t)rv;
	}
	logqueue_stop();
	assert_int_equal(ngot, (size_t)THREADS * PER_THREAD);
	for (k = 0; k < ngot; k++) {
		assert_int_equal(sscanf(got[k], "t%d %d", &id, &seq), 2);
		assert_true(id >= 0 && id < THREADS && seq >= 0 &&
		    seq < PER_THREAD);
		assert_false(seen[id * PER_THREAD + seq]);	/* once */
		seen[id * PER_THREAD + seq] = true;
		assert_int_equal(seq, last[id] + 1);		/* in order */
		last[id] = seq;
	}
	printf("# %zu lines from %d threads, each once and in order (the "
	    "queue was found full %zu times)\n", ngot, THREADS, full);
	free(seen);
}

static void
test_restart(void **state)
{
	(void)state;
	reset(4);
	assert_int_equal(logqueue_start(record), 0);
	assert_int_not_equal(logqueue_start(record), 0);	/* once */
	assert_true(put("again"));
	logqueue_stop();
	assert_int_equal(ngot, 1);
	assert_string_equal(got[0], "again");
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	testlist_add(&tl, "a queue not started takes nothing", test_closed,
	    NULL);
	testlist_add(&tl, "a line on an idle queue is sent without waiting",
	    test_idle_line_goes_at_once, NULL);
	testlist_add(&tl, "a stop sends every line queued, in order",
	    test_stop_sends_queued, NULL);
	testlist_add(&tl, "a full queue and a datagram too long are refused",
	    test_full_and_long, NULL);
	testlist_add(&tl, "8 threads: each line once, whole, in its thread's "
	    "order", test_threads, NULL);
	testlist_add(&tl, "started once at a time, and again after a stop",
	    test_restart, NULL);
	return testlist_run(&tl, "logqueue");
}
