/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confval.h - one value of the policy file, with the line it stood on,
 * and the checks that turn it into a typed setting or report a problem.
 *
 * Internal to the policy loader (conf.c, confrule.c).  Every check
 * reports through confval_problem() as "FILE:LINE: message" and lets the
 * loader go on, so that one run shows every problem in the file.
 */
#ifndef CONFVAL_H
#define CONFVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "strpool.h"

struct confsrc;

/* One problem, kept with its line so the list can be sorted. */
struct confval_problem {
	int	pb_line;
	size_t	pb_seq;
	bool	pb_warning;	/* legal, but almost surely a mistake */
	char	*pb_text;
};

/* State of one conf_load() call. */
struct confval_loader {
	const char	*ld_path;	/* the main file */
	const struct confsrc *ld_src;	/* its text's lines: which file */
	struct confval_problem *ld_problems;
	size_t		ld_nproblems;	/* warnings included */
	size_t		ld_nwarnings;
	size_t		ld_size;
	bool		ld_parsing;	/* libconfuse is parsing */
	const void	*ld_reset_opt;	/* option whose old values are being freed */
	bool		ld_oom;
	struct strpool	*ld_pool;	/* where compiled strings and lists go */
};

/* One value as libconfuse read it (the payload of every option). */
struct cval {
	struct confval_loader *cv_loader;
	const void	*cv_opt;	/* the cfg_opt_t it belongs to */
	const char	*cv_name;	/* its option name */
	int		cv_line;
	char		*cv_text;
};

/*
 * confval_problem - record "FILE:LINE: message" (line <= 0: "FILE:
 * message", the main file).  line is a line of the text libconfuse
 * reads; with ld_src set, FILE and LINE are the file it came from and the
 * line there.  Problems are kept in the order of that text.  Out of
 * memory is remembered in ld_oom.
 */
void confval_problem(struct confval_loader *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * confval_warning - as confval_problem(), for what is legal but almost
 * surely a mistake: "FILE:LINE: warning: message".  A warning does not
 * make the load fail.
 */
void confval_warning(struct confval_loader *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * confval_lineref - how a problem at line at of the text names line
 * "line" of it: "line N" in the same file, else "FILE:N".  Written into
 * buf (size bytes); returns buf.
 */
const char *confval_lineref(const struct confval_loader *ld, int at, int line,
    char *buf, size_t size);

/*
 * confval_enum - the index of cv's text in the NULL-terminated names[], or
 * -1 after reporting "KEY: "x" is not one of CHOICES".
 */
int confval_enum(struct confval_loader *ld, const struct cval *cv,
    const char *const names[], const char *choices);

/* confval_long - a decimal number in [min, max], or -1 after a report. */
long confval_long(struct confval_loader *ld, const struct cval *cv, long min,
    long max);

/* confval_bool - true/yes/on -> 1, false/no/off -> 0, else -1 after a report. */
int confval_bool(struct confval_loader *ld, const struct cval *cv);

/* confval_printable - is s printable ASCII (0x20..0x7e) throughout? */
bool confval_printable(const char *s);

/*
 * confval_reply_code - a refusal code: three digits, 4yz or 5yz, y 0..5.
 * confval_reply_xcode - an RFC 3463 enhanced status code class.subject.detail
 * with class 4 or 5.  confval_reply_text - printable ASCII, 1 to
 * CONFVAL_TEXT_MAX bytes.  Each returns true, or false after a report.
 */
#define CONFVAL_TEXT_MAX 900
bool confval_reply_code(struct confval_loader *ld, const struct cval *cv);
bool confval_reply_xcode(struct confval_loader *ld, const struct cval *cv);
bool confval_reply_text(struct confval_loader *ld, const struct cval *cv);

#endif
