/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logread.h - the decision lines out of logs: syslog files as rsyslog
 * writes them (traditional or RFC 3339 time), journalctl -o short-iso or
 * -o json, or the daemon's own -f output; plain or gzip; a file or stdin.
 *
 * Only a line whose syslog tag, in its place after the time and host (or
 * a journal entry whose SYSLOG_IDENTIFIER), is the milter's counts: text
 * a client put into another program's line (a HELO name that looks like
 * a decision) never does.
 */
#ifndef LOGREAD_H
#define LOGREAD_H

#include <stdbool.h>

#include <zlib.h>

/* The longest line taken; a longer one is skipped whole. */
#define LOGREAD_MAX	(64 * 1024)

/* What a line is. */
enum logread_kind {
	LR_DECISION,	/* the milter's decision line: ll_* set */
	LR_MILTER,	/* another line of the milter's (start, statistics) */
	LR_FOREIGN,	/* another program's line, or no syslog line */
	LR_SKIPPED,	/* the milter's, but not readable: ll_why */
	LR_EOF,
	LR_ERROR	/* the input cannot be read: ll_why */
};

/* One line, split; the strings point into the reader's buffer (or
 * ll_timebuf) and are valid until the next logread_next(). */
struct logline {
	const char	*ll_time;	/* as written, "" when none */
	const char	*ll_host;	/* "" when none */
	const char	*ll_queue;	/* the queue id, or NOQUEUE */
	const char	*ll_action;	/* accept, reject, tempfail, monitor */
	const char	*ll_fields;	/* for decision_parse() */
	const char	*ll_why;	/* LR_SKIPPED, LR_ERROR */
	unsigned long	ll_lineno;
	char		ll_timebuf[40];	/* a journal entry's time, written out */
};

/* What one read asks for. */
#define LOGREAD_CHUNK	(256 * 1024)

/* A reader of one input: lines are split where they lie in lr_buf, the
 * bytes not yet taken lr_buf[lr_start..lr_end-1]. */
struct logread {
	gzFile		lr_gz;
	const char	*lr_name;
	unsigned long	lr_lineno;
	size_t		lr_start, lr_end;
	bool		lr_eof;		/* gzread() gave all there is */
	char		lr_buf[LOGREAD_MAX + 64 + LOGREAD_CHUNK + 1];
};

/*
 * logread_open - start reading path ("-": standard input), plain or
 * gzip.  Returns 0, or -1 with errno set.
 */
int logread_open(struct logread *lr, const char *path);

/* logread_next - the next line, split into *ll; see enum logread_kind. */
enum logread_kind logread_next(struct logread *lr, struct logline *ll);

/* logread_close - close the input. */
void logread_close(struct logread *lr);

/*
 * logread_split - split one line (NUL-terminated, no newline; modified
 * in place) into *ll as logread_next() does.  Exported for the tests and
 * fuzz/fuzz_logread.c.
 */
enum logread_kind logread_split(char *line, struct logline *ll);

#endif
