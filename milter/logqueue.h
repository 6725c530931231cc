/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logqueue.h - log lines handed to one writer thread, which sends them in
 * batches: a datagram per line still, but one wakeup of syslogd for many.
 */
#ifndef LOGQUEUE_H
#define LOGQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

/* Lines waiting are sent at least this often (milliseconds). */
#define LOGQUEUE_PERIOD_MS	2

/*
 * A batch of datagrams for the sender: n of them (1 <= n <=
 * LOGQUEUE_BATCH_MAX), each whole in one iovec.  The sender must take
 * care of every one (send it, or count it lost); the memory is the
 * queue's, valid only during the call.
 */
typedef void logqueue_send_fn(const struct iovec *dgrams, unsigned n);

/*
 * logqueue_start - start the writer thread, which hands what is queued to
 * send, at once when it was idle and otherwise every LOGQUEUE_PERIOD_MS.
 * Call it once, after any fork (daemon()) and with the signals that
 * other threads take blocked.  Returns 0, or an errno value (the queue
 * then stays closed and logqueue_put() always returns false).
 */
int logqueue_start(logqueue_send_fn *send);

/*
 * logqueue_put - queue one datagram, the concatenation of a and b (copied;
 * at most LOGQUEUE_DGRAM_MAX bytes in all).  Never waits and takes no
 * lock.  Returns false when the line was not queued (no writer thread, or
 * the queue is full, or the datagram too long): the caller sends it
 * itself.
 */
bool logqueue_put(const char *a, size_t alen, const char *b, size_t blen);

/* The longest datagram logqueue_put() takes; the most lines the queue
 * holds at once (half of it, a buffer); the most in one call of the
 * sender. */
#define LOGQUEUE_DGRAM_MAX	8192
#define LOGQUEUE_LINES_MAX	1024
#define LOGQUEUE_BATCH_MAX	64

/*
 * logqueue_stop - close the queue, send what it holds, and end the writer
 * thread.  From then on logqueue_put() returns false.  Harmless when the
 * queue was never started.
 */
void logqueue_stop(void);

#endif
