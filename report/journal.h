/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journal.h - the fields of a journal entry, one a line as journalctl -o
 * json writes it: an object
 * whose values are strings, null (a value journalctl left out, over 4096
 * bytes without --all), an array of byte values (a value that is not
 * UTF-8) or an array of such values (a field given several times).  The
 * whole object is read before anything in it is believed; what is not
 * JSON is skipped with a reason.  Strings are decoded in place: a value's
 * bytes never take more room than its JSON text did.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>

/* The fields read. */
enum journal_field_id { JF_MESSAGE, JF_IDENT, JF_HOST, JF_REALTIME,
	JF_SYSLOGTIME, JF_N };

/* One field's value. */
struct journal_field {
	enum { JV_ABSENT, JV_STRING, JV_BYTES, JV_NULL, JV_OTHER } jf_kind;
	char		*jf_text;	/* JV_STRING, JV_BYTES: decoded */
	size_t		jf_len;		/* (a NUL after them) */
};

/*
 * journal_entry - the journal entry in line (modified: values are decoded
 * in place), its MESSAGE, SYSLOG_IDENTIFIER, _HOSTNAME,
 * __REALTIME_TIMESTAMP and SYSLOG_TIMESTAMP into f[] (JV_ABSENT when the
 * entry has none).  Returns 0, or -1 with *why (static) when the line is
 * no JSON object, or gives one of those fields twice.
 */
int journal_entry(char *line, struct journal_field f[JF_N], const char **why);

#endif
