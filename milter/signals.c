/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signals.c - the one thread that takes the daemon's signals.
 *
 * libmilter's smfi_main() starts a thread of its own that sigwait()s for
 * SIGHUP, SIGTERM and SIGINT and stops the milter on any of them, so
 * SIGHUP cannot mean "reload" while that thread waits too: with two
 * threads in sigwait() for one signal, POSIX leaves it unspecified which
 * of them gets it (Linux picks by its own scheduling details), and a
 * reload would now and then stop the daemon instead.  Other milters give
 * up SIGHUP (OpenDKIM reloads on SIGUSR1).  We keep the usual meaning by
 * making sure libmilter's thread never receives a signal at all:
 *
 *   - this file defines sigwait().  A definition in the executable comes
 *     first in the dynamic linker's lookup order, so libmilter's call
 *     (through its PLT, libmilter being a shared library) lands here, and
 *     when it waits for SIGHUP, SIGTERM or SIGINT its thread is parked
 *     for good: it never returns, so libmilter never acts on a signal.
 *     Any other caller gets a faithful sigwait() built on sigwaitinfo();
 *   - every thread blocks those signals (signals_block() in the main
 *     thread before any thread exists; threads inherit the mask), and our
 *     thread takes them with sigwaitinfo(), which is not interposed.  It
 *     is then the only thread that can receive them.
 *
 * signals_libmilter_parked() tells whether the parking happened (the
 * start-up log line says so), and t/daemon.t checks that a burst of
 * SIGHUPs reloads and never stops the daemon.
 *
 * Stopping within a second: smfi_stop() marks the milter stopped and then
 * waits for the listener's lock, which the listener holds while it polls
 * its socket for up to 5 seconds.  So while smfi_stop() runs (in a thread
 * of its own) this thread interrupts the listener's poll() by sending its
 * thread SIGNAL_WAKE, whose handler does nothing: poll() fails with
 * EINTR, libmilter goes round its loop, sees the stop and returns.  The
 * wake-up signal is unblocked in every thread, so one sent from outside
 * is harmless: libmilter retries every poll() that EINTR interrupts.
 *
 * A known wart of libmilter's, not ours: smfi_stop() sets the stop flag
 * before it takes the listener's lock, so the listener may see the flag,
 * close its socket and destroy that lock while smfi_stop() still waits
 * for it (libmilter's own signal thread races the same way).  With glibc
 * the late lock fails with EINVAL and finds the socket already closed;
 * ThreadSanitizer reports it, and nothing else, when the daemon built
 * with -fsanitize=thread runs t/reload.t.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"

#define SIGNAL_WAKE	SIGUSR2
#define WAKE_EVERY_NS	(20 * 1000 * 1000)	/* 20 ms */
#define WAKE_TRIES	250			/* 5 s, then give up waking */

static struct signals_actions actions;
static pthread_t listener, sigthread;
static bool started;
static atomic_bool libmilter_parked;
static atomic_bool stop_done;
static atomic_bool listener_gone;	/* smfi_main() has returned */
static atomic_int stopped_by;

/* The signals this daemon takes, which libmilter wants too. */
static void
daemon_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGUSR1);
}

/*
 * sigwait - replaces libc's for this process (see the top of the file).
 * A wait for any of SIGHUP, SIGTERM, SIGINT is libmilter's: park it.
 */
int
sigwait(const sigset_t *restrict set, int *restrict sig)
{
	int s;

	if (sigismember(set, SIGHUP) == 1 || sigismember(set, SIGTERM) == 1 ||
	    sigismember(set, SIGINT) == 1) {
		atomic_store(&libmilter_parked, true);
		for (;;)
			pause();
	}
	for (;;) {
		if ((s = sigwaitinfo(set, NULL)) > 0) {
			*sig = s;
			return 0;
		}
		if (errno != EINTR)
			return errno;
	}
}

static void
wake_handler(int sig)
{
	(void)sig;
}

/*
 * signals_block - see signals.h.
 */
int
signals_block(void)
{
	struct sigaction sa;
	sigset_t set;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake_handler;	/* no SA_RESTART: poll() returns */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGNAL_WAKE, &sa, NULL) < 0)
		return -1;
	daemon_set(&set);
	if ((rc = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0) {
		errno = rc;
		return -1;
	}
	return 0;
}

static void *
stopper(void *arg)
{
	(void)arg;
	actions.sa_stop();
	atomic_store(&stop_done, true);
	return NULL;
}

/* Stop the listener: smfi_stop() in a thread, the listener woken until
 * it has taken notice. */
static void
stop(void)
{
	struct timespec every = { 0, WAKE_EVERY_NS };
	pthread_t t;
	int i, rc;

	if ((rc = pthread_create(&t, NULL, stopper, NULL)) != 0) {
		log_msg(LOG_ERR, "cannot start the stop thread: %s; stopping "
		    "within 5 s", strerror(rc));
		stopper(NULL);
		return;
	}
	for (i = 0; i < WAKE_TRIES && !atomic_load(&stop_done); i++) {
		pthread_kill(listener, SIGNAL_WAKE);
		nanosleep(&every, NULL);
	}
	pthread_join(t, NULL);
}

/* Is the tick due (at or past *due)?  Then *due moves to the next one. */
static bool
tick_due(struct timespec *due)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < due->tv_sec || (now.tv_sec == due->tv_sec &&
	    now.tv_nsec < due->tv_nsec))
		return false;
	*due = now;		/* a late tick does not make up for lost ones */
	due->tv_sec += actions.sa_tick_every;
	return true;
}

/* The next signal of set, waiting at most until *due when there is a
 * tick; -1 with errno EAGAIN when the time is up. */
static int
next_signal(const sigset_t *set, const struct timespec *due)
{
	struct timespec now, left;

	if (actions.sa_tick == NULL)
		return sigwaitinfo(set, NULL);
	clock_gettime(CLOCK_MONOTONIC, &now);
	left.tv_sec = due->tv_sec - now.tv_sec;
	left.tv_nsec = due->tv_nsec - now.tv_nsec;
	if (left.tv_nsec < 0) {
		left.tv_sec--;
		left.tv_nsec += 1000000000L;
	}
	if (left.tv_sec < 0) {
		errno = EAGAIN;
		return -1;
	}
	return sigtimedwait(set, NULL, &left);
}

static void *
signal_thread(void *arg)
{
	struct timespec due = { 0, 0 };	/* the first tick: now */
	sigset_t set;
	int sig;

	(void)arg;
	daemon_set(&set);
	for (;;) {
		if (actions.sa_tick != NULL && tick_due(&due)) {
			actions.sa_tick();
			continue;
		}
		if ((sig = next_signal(&set, &due)) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_msg(LOG_ERR, "sigwaitinfo: %s; stopping",
			    strerror(errno));
			sig = SIGTERM;
		}
		switch (sig) {
		case SIGHUP:
			actions.sa_reload();
			break;
		case SIGUSR1:
			actions.sa_report();
			break;
		default:
			if (atomic_load(&listener_gone))
				return NULL;
			atomic_store(&stopped_by, sig);
			stop();
			return NULL;
		}
	}
}

/*
 * signals_start - see signals.h.
 */
int
signals_start(const struct signals_actions *a)
{
	int rc;

	actions = *a;
	listener = pthread_self();
	if ((rc = pthread_create(&sigthread, NULL, signal_thread, NULL)) == 0)
		started = true;
	return rc;
}

/*
 * signals_finish - see signals.h.
 */
int
signals_finish(void)
{
	int by;

	if (!started)
		return 0;
	atomic_store(&listener_gone, true);
	/* The listener ended by itself (an error): end the signal thread
	 * through its usual path; a signal aimed at it reaches only it. */
	if ((by = atomic_load(&stopped_by)) == 0)
		pthread_kill(sigthread, SIGTERM);
	pthread_join(sigthread, NULL);
	started = false;
	return by;
}

/*
 * signals_libmilter_parked - see signals.h.
 */
bool
signals_libmilter_parked(void)
{
	return atomic_load(&libmilter_parked);
}
