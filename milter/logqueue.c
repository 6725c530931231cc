/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logqueue.c - log lines handed to one writer thread, sent in batches.
 *
 * Why: a datagram sent to syslogd while it sleeps wakes it, and on a
 * virtual machine that wakeup (an interrupt to the other CPU) is most of
 * what a log line costs (bench/README: the log writer thread).  Lines
 * that reach syslogd together cost one wakeup.  So the threads that decide
 * copy their line here and go on; a writer thread sends what has come
 * every LOGQUEUE_PERIOD_MS with sendmmsg(2), still one datagram per line.
 * When the writer has found nothing to send it sleeps until a line comes
 * and sends that one at once: a quiet daemon's lines are not delayed, a
 * busy one's by at most the period.
 *
 * No lock on the path of a line.  Two buffers take turns; one 64-bit
 * state word says which one is filling, how many lines and bytes it holds,
 * and whether the queue is closed.  A thread claims room with one
 * compare-and-swap of that word, copies its line there, and counts it
 * done in the buffer's "committed" counter.  The writer swaps the buffers
 * with a compare-and-swap of the same word, so a claim lands either in
 * the buffer it takes or in the next one, never in between; it then waits
 * until the lines claimed in its buffer are all committed (a thread can be
 * preempted between claim and copy: the writer waits for it, nobody
 * else does).  When a buffer is full, or the queue closed, the line is
 * not queued and the caller sends it itself: nothing waits on the queue
 * and nothing is dropped by it.  Lines of one thread keep their order;
 * a line sent by its caller past a full queue may overtake queued ones.
 *
 * What it costs: a line queued when the process dies by SIGKILL or a crash
 * is lost (at most the last LOGQUEUE_PERIOD_MS).  logqueue_stop(), at
 * every orderly stop, sends them all.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "logqueue.h"

#define QUEUE_BYTES	(128 * 1024)	/* of records, per buffer */
#define QUEUE_LINES	LOGQUEUE_LINES_MAX	/* per buffer */

/* The state word. */
#define ST_CLOSED	((uint64_t)1 << 63)
#define ST_BUF		((uint64_t)1 << 62)	/* which buffer fills */
#define ST_LINE		((uint64_t)1 << 32)	/* one line, bits 32-61 */
#define ST_LINES(s)	((unsigned)(((s) >> 32) & 0x3fffffff))
#define ST_BYTES(s)	((size_t)((s) & 0xffffffff))

/* A record: the length of the datagram, then its bytes, to 8 bytes. */
#define REC_HEAD	sizeof(uint32_t)
#define REC_SIZE(len)	((REC_HEAD + (len) + 7) & ~(size_t)7)

struct buffer {
	atomic_uint	b_committed;	/* lines copied in whole */
	_Alignas(64) char b_data[QUEUE_BYTES];
};

static struct buffer buffers[2];
static _Atomic uint64_t state = ST_CLOSED;
static atomic_bool writer_idle;		/* waits on wake for a line */
static atomic_bool stopping;
static sem_t wake;
static pthread_t writer;
static logqueue_send_fn *sender;
static bool started;

/*
 * logqueue_put - see logqueue.h.
 */
bool
logqueue_put(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t len = alen + blen, need = REC_SIZE(len);
	uint64_t s = atomic_load(&state), next;
	struct buffer *q;
	uint32_t len32 = (uint32_t)len;
	char *rec;

	if (len > LOGQUEUE_DGRAM_MAX)
		return false;
	do {
		if ((s & ST_CLOSED) || ST_LINES(s) >= QUEUE_LINES ||
		    ST_BYTES(s) + need > QUEUE_BYTES)
			return false;
		next = s + ST_LINE + need;
	} while (!atomic_compare_exchange_weak(&state, &s, next));
#ifdef LOGQUEUE_TEST_WINDOW
	LOGQUEUE_TEST_WINDOW();	/* t/logqueue_test: claimed, not yet copied */
#endif
	q = &buffers[(s & ST_BUF) != 0];
	rec = q->b_data + ST_BYTES(s);
	memcpy(rec, &len32, REC_HEAD);
	memcpy(rec + REC_HEAD, a, alen);
	memcpy(rec + REC_HEAD + alen, b, blen);
	atomic_fetch_add_explicit(&q->b_committed, 1, memory_order_release);
	/* The writer sets writer_idle, then looks at the state: one of us
	 * sees the other's write (both sequentially consistent). */
	if (atomic_load(&writer_idle) && atomic_exchange(&writer_idle, false))
		(void)sem_post(&wake);
	return true;
}

/* Wait until the n lines claimed in q are all copied. */
static void
wait_committed(struct buffer *q, unsigned n)
{
	struct timespec nap = { 0, 20 * 1000 };
	int spins = 0;

	while (atomic_load_explicit(&q->b_committed, memory_order_acquire) <
	    n) {
		if (++spins < 100)
			sched_yield();	/* the thread that claimed runs */
		else
			(void)nanosleep(&nap, NULL);
	}
}

/* Hand the n records of q to the sender, LOGQUEUE_BATCH_MAX at a time. */
static void
send_records(const struct buffer *q, unsigned n)
{
	struct iovec dgrams[LOGQUEUE_BATCH_MAX];
	const char *rec = q->b_data;
	uint32_t len;
	unsigned i = 0;

	while (n-- > 0) {
		memcpy(&len, rec, REC_HEAD);
		dgrams[i].iov_base = (void *)(rec + REC_HEAD);
		dgrams[i].iov_len = len;
		rec += REC_SIZE(len);
		if (++i == LOGQUEUE_BATCH_MAX || n == 0) {
			sender(dgrams, i);
			i = 0;
		}
	}
}

/*
 * Take the filling buffer (closing the queue with close) and send its
 * lines.  Returns how many there were.
 */
static unsigned
flush(bool close)
{
	uint64_t s = atomic_load(&state), next;
	struct buffer *q;
	unsigned n;

	do {
		if (ST_LINES(s) == 0 && !close)
			return 0;
		next = ((s & ST_BUF) ^ ST_BUF) | (close ? ST_CLOSED : 0);
	} while (!atomic_compare_exchange_weak(&state, &s, next));
	q = &buffers[(s & ST_BUF) != 0];
	if ((n = ST_LINES(s)) == 0)
		return 0;
	wait_committed(q, n);
	send_records(q, n);
	atomic_store_explicit(&q->b_committed, 0, memory_order_relaxed);
	return n;	/* the next swap, a seq_cst CAS, publishes the 0 */
}

/* Sleep until a line comes (or the stop). */
static void
idle(void)
{
	atomic_store(&writer_idle, true);
	if (ST_LINES(atomic_load(&state)) > 0 || atomic_load(&stopping)) {
		/* If a thread took writer_idle already, its post only
		 * makes the next idle() return once more for nothing. */
		atomic_store(&writer_idle, false);
		return;
	}
	while (sem_wait(&wake) < 0 && errno == EINTR)
		;
}

static void *
write_lines(void *arg)
{
	struct timespec period = { 0, LOGQUEUE_PERIOD_MS * 1000000L };

	(void)arg;
	while (!atomic_load(&stopping)) {
		if (flush(false) > 0)
			(void)nanosleep(&period, NULL);
		else
			idle();
	}
	/* One flush that closes: it takes the only buffer that can hold
	 * lines (the other was sent whole), waits out any being copied, and
	 * from then on no line is queued. */
	(void)flush(true);
	return NULL;
}

/*
 * logqueue_start - see logqueue.h.
 */
int
logqueue_start(logqueue_send_fn *send)
{
	int rc;

	if (started)
		return EALREADY;
	if (sem_init(&wake, 0, 0) < 0)
		return errno;
	sender = send;
	/* Resident from now on: otherwise the daemon's memory creeps up for
	 * hours as rarer, larger bursts of lines reach further into the
	 * buffers (t/soak.t saw it). */
	memset(buffers, 0, sizeof(buffers));
	atomic_store(&stopping, false);
	atomic_store(&writer_idle, false);
	atomic_store(&state, 0);	/* open, buffer 0 */
	if ((rc = pthread_create(&writer, NULL, write_lines, NULL)) != 0) {
		atomic_store(&state, ST_CLOSED);
		(void)sem_destroy(&wake);
		return rc;
	}
	started = true;
	return 0;
}

/*
 * logqueue_stop - see logqueue.h.
 */
void
logqueue_stop(void)
{
	if (!started)
		return;
	atomic_store(&stopping, true);
	(void)sem_post(&wake);
	(void)pthread_join(writer, NULL);
	(void)sem_destroy(&wake);
	started = false;
}
