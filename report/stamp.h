/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stamp.h - the period a log covers, from its lines' time stamps, in
 * whatever order the files are read (mail.log* globs newest first).
 */
#ifndef STAMP_H
#define STAMP_H

#include <stddef.h>

#define STAMP_MAX	48	/* a stamp kept, cut to fit */

/* One end of the range: the stamp as written, "" when none, and its
 * sort key (stamp.c's key_of()). */
struct stamp_end {
	char	se_text[STAMP_MAX];
	char	se_key[20];
	int	se_form;
};

/* The earliest and latest stamp seen. */
struct stamp_range {
	struct stamp_end sr_first;
	struct stamp_end sr_last;
};

/*
 * stamp_add - widen r to take in time, a stamp as the log wrote it:
 * "Mmm dd hh:mm:ss" (rsyslog's traditional form, no year: taken to be
 * of one year) or an RFC 3339 one ("2026-12-06T08:30:02.123456+00:00",
 * journalctl -o short-iso; compared as text, so in one time zone).  A
 * stamp that cannot be compared with r's (another form, or neither) moves
 * only the end it would if lines came in order: the first stays, the
 * last is replaced.  "" is ignored.
 */
void stamp_add(struct stamp_range *r, const char *time);

/* stamp_or_dash - the stamp of end e as written, or "-" when none. */
static inline const char *
stamp_or_dash(const struct stamp_end *e)
{
	return e->se_text[0] != '\0' ? e->se_text : "-";
}

#endif
