/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signals.h - the daemon's signals: SIGHUP reloads, SIGUSR1 reports the
 * statistics, SIGTERM and SIGINT stop it within a second.  The same
 * thread keeps a clock for a periodic task (the metrics file).
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <stdbool.h>

/* What the signal thread calls; each runs in that thread only. */
struct signals_actions {
	void	(*sa_reload)(void);	/* SIGHUP */
	void	(*sa_report)(void);	/* SIGUSR1 */
	void	(*sa_stop)(void);	/* SIGTERM, SIGINT: ask the listener to
					 * stop; may block for seconds */
	void	(*sa_tick)(void);	/* at start, then every sa_tick_every
					 * seconds; NULL: never */
	unsigned sa_tick_every;
};

/*
 * signals_block - block SIGHUP, SIGTERM, SIGINT and SIGUSR1 in the calling
 * thread (so in every thread it creates later), and install the no-op
 * handler of the listener's wake-up signal.  Call in the main thread
 * before any other thread exists.  Returns 0, or -1 with errno set.
 */
int signals_block(void);

/*
 * signals_start - start the signal thread.  The calling thread must be
 * the one that will run libmilter's listener (smfi_main): that is the
 * thread a stop wakes.  Returns 0, or an errno value.
 */
int signals_start(const struct signals_actions *actions);

/*
 * signals_finish - after the listener has returned: make sure the stop
 * has run (when the listener ended on its own) and wait for the signal
 * thread to end.  Returns the signal that stopped the daemon, or 0.
 */
int signals_finish(void);

/* signals_libmilter_parked - has libmilter's own signal thread been parked
 * (see signals.c)?  For the start-up log. */
bool signals_libmilter_parked(void);

#endif
