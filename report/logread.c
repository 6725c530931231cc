/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logread.c - the decision lines out of logs (see logread.h).
 *
 * A syslog line is TIME HOST TAG: MESSAGE, TIME either "Mmm dd hh:mm:ss"
 * or one RFC 3339 word (rsyslog's high-precision format, journalctl -o
 * short-iso); the daemon's own -f output is TAG: MESSAGE.  TAG is
 * tls-policy-milter or tls-policy-milter[PID].  A line of journalctl -o
 * json is one JSON object, with SYSLOG_IDENTIFIER for TAG.  A decision's
 * MESSAGE is QUEUEID: action=ACTION FIELDS (decision.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ascii.h"
#include "journal.h"
#include "logread.h"

#define TAG	"tls-policy-milter"

/*
 * logread_open - see logread.h.
 */
int
logread_open(struct logread *lr, const char *path)
{
	lr->lr_name = path;
	lr->lr_lineno = 0;
	lr->lr_gz = strcmp(path, "-") == 0 ? gzdopen(dup(STDIN_FILENO), "r") :
	    gzopen(path, "r");
	if (lr->lr_gz == NULL)
		return -1;
	(void)gzbuffer(lr->lr_gz, LOGREAD_CHUNK / 4);	/* a read of twice
	 * zlib's buffer or more goes straight into lr_buf, not through it */
	lr->lr_start = lr->lr_end = 0;
	lr->lr_eof = false;
	return 0;
}

/*
 * logread_close - see logread.h.
 */
void
logread_close(struct logread *lr)
{
	if (lr->lr_gz != NULL)
		(void)gzclose(lr->lr_gz);
	lr->lr_gz = NULL;
}

/* The word at *p (to the next blank), NUL-terminated; *p past it and the
 * blanks after it.  NULL at the end of the line. */
static char *
word(char **p)
{
	char *w = *p, *e;

	if (*w == '\0')
		return NULL;
	for (e = w; *e != ' ' && *e != '\0'; e++)
		continue;	/* a word is short: no strcspn() call */
	if (*e != '\0')
		*e++ = '\0';
	while (*e == ' ')
		e++;
	*p = e;
	return w;
}

/* "Mmm dd hh:mm:ss " at p (the day padded with a blank)? */
static bool
bsd_time(const char *p)
{
	return strnlen(p, 17) == 17 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' &&
	    p[12] == ':' && p[15] == ' ' && p[0] >= 'A' && p[0] <= 'Z';
}

/* Is w the milter's tag ("tls-policy-milter:" or with "[PID]")? */
static bool
is_tag(const char *w)
{
	size_t n = strlen(TAG);

	if (w[0] != TAG[0] || strncmp(w, TAG, n) != 0)
		return false;	/* most lines are Postfix's: one byte tells */
	w += n;
	if (*w == '[') {
		w++;
		if (*w < '0' || *w > '9')
			return false;
		w += strspn(w, "0123456789");
		if (*w++ != ']')
			return false;
	}
	return strcmp(w, ":") == 0;
}

/* TIME HOST TAG: or TAG: at the start of line; the message after it, or
 * NULL when the tag is not the milter's in its place. */
static char *
strip_prefix(char *line, struct logline *ll)
{
	char *p = line, *w;

	ll->ll_time = ll->ll_host = "";
	if (line[0] == TAG[0] && strncmp(line, TAG, strlen(TAG)) == 0) {
		w = word(&p);
		return is_tag(w) ? p : NULL;
	}
	if (bsd_time(line)) {
		line[15] = '\0';
		ll->ll_time = line;
		p = line + 16;
	} else if (line[0] >= '0' && line[0] <= '9') {
		ll->ll_time = word(&p);
	} else {
		return NULL;
	}
	if ((ll->ll_host = word(&p)) == NULL || *p != TAG[0] ||
	    (w = word(&p)) == NULL || !is_tag(w))
		return NULL;	/* (most tags are told by their first byte) */
	return p;
}

/* The MESSAGE after the tag: a decision's QUEUEID: action=ACTION FIELDS,
 * or another line of the milter's. */
static enum logread_kind
split_message(char *msg, struct logline *ll)
{
	static const char *const actions[] = { "accept", "reject",
		"tempfail", "monitor", NULL };
	const char *const *a;
	char *p;

	if ((p = strstr(msg, ": action=")) == NULL ||
	    p != msg + strcspn(msg, " :"))
		return LR_MILTER;	/* start, statistics, ... */
	*p = '\0';
	ll->ll_queue = msg;
	p += strlen(": action=");
	for (a = actions; *a != NULL; a++)
		if (strncmp(p, *a, strlen(*a)) == 0 && p[strlen(*a)] == ' ')
			break;
	if (*a == NULL) {
		ll->ll_why = "an action= the milter never writes";
		return LR_SKIPPED;
	}
	ll->ll_action = *a;
	ll->ll_fields = p + strlen(*a) + 1;
	if (strncmp(ll->ll_fields, "reason=", 7) == 0)
		return LR_MILTER;	/* an internal error's tempfail */
	return LR_DECISION;
}

/* ------------------------------------------------- journalctl -o json */

/* Bytes of s outside printable ASCII (or a blank, unless blank_ok) as
 * "?"; trailing blanks cut. */
static char *
json_printable(char *s, bool blank_ok)
{
	size_t n;
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p < (blank_ok ? ' ' : '!') || *p > '~')
			*p = '?';
	for (n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
		s[n - 1] = '\0';
	return s;
}

/* A journal entry's time: __REALTIME_TIMESTAMP (microseconds since the
 * epoch) in RFC 3339, UTC, into ll_timebuf; else SYSLOG_TIMESTAMP as
 * written; else "". */
static void
json_time(struct logline *ll, const struct journal_field f[JF_N])
{
	const struct journal_field *rt = &f[JF_REALTIME], *st = &f[JF_SYSLOGTIME];
	unsigned long long us;
	struct tm tm;
	size_t n;
	time_t t;

	ll->ll_time = "";
	if (rt->jf_kind == JV_STRING && rt->jf_len > 0 && rt->jf_len <= 19 &&
	    strspn(rt->jf_text, "0123456789") == rt->jf_len) {
		us = strtoull(rt->jf_text, NULL, 10);
		t = (time_t)(us / 1000000);
		if (gmtime_r(&t, &tm) != NULL && (n = strftime(ll->ll_timebuf,
		    sizeof(ll->ll_timebuf), "%Y-%m-%dT%H:%M:%S", &tm)) > 0) {
			snprintf(ll->ll_timebuf + n, sizeof(ll->ll_timebuf) - n,
			    ".%06llu+00:00", us % 1000000);
			ll->ll_time = ll->ll_timebuf;
			return;
		}
	}
	if (st->jf_kind == JV_STRING)
		ll->ll_time = json_printable(st->jf_text, true);
}

/* One line of journalctl -o json: the entry is the milter's when its
 * SYSLOG_IDENTIFIER is the tag, and its MESSAGE is then what follows the
 * tag in a syslog line. */
static enum logread_kind
split_journal(char *line, struct logline *ll)
{
	struct journal_field f[JF_N];
	const struct journal_field *id = &f[JF_IDENT], *m = &f[JF_MESSAGE];
	size_t i;

	ll->ll_time = ll->ll_host = "";
	if (journal_entry(line, f, &ll->ll_why) < 0)
		return LR_SKIPPED;
	if ((id->jf_kind != JV_STRING && id->jf_kind != JV_BYTES) ||
	    id->jf_len != strlen(TAG) || memcmp(id->jf_text, TAG,
	    id->jf_len) != 0)
		return LR_FOREIGN;
	if (f[JF_HOST].jf_kind == JV_STRING)
		ll->ll_host = json_printable(f[JF_HOST].jf_text, false);
	json_time(ll, f);
	if (m->jf_kind != JV_STRING && m->jf_kind != JV_BYTES) {
		ll->ll_why = m->jf_kind == JV_ABSENT ? "a journal entry "
		    "without a MESSAGE" : m->jf_kind == JV_NULL ? "a MESSAGE "
		    "journalctl left out (over 4096 bytes: journalctl --all)" :
		    "a MESSAGE that is not one value";
		return LR_SKIPPED;
	}
	for (i = 0; i < m->jf_len; i++)
		if (ascii_iscntrl((unsigned char)m->jf_text[i])) {
			ll->ll_why = "a control byte in a MESSAGE";
			return LR_SKIPPED;
		}
	return split_message(m->jf_text, ll);
}

/*
 * logread_split - see logread.h.
 */
enum logread_kind
logread_split(char *line, struct logline *ll)
{
	char *msg;

	if (line[0] == '{')
		return split_journal(line, ll);
	if ((msg = strip_prefix(line, ll)) == NULL)
		return LR_FOREIGN;
	return split_message(msg, ll);
}

/* Read more after the bytes not yet taken (at most LOGREAD_MAX, moved to
 * end where the read starts, so a chunk fits with a spare byte): 0, or -1
 * when the input cannot be read.  lr_eof is set at its end.  (The read
 * goes to a 64-byte boundary: the kernel copies a file into a misaligned
 * buffer at half the speed, perf showed.) */
static int
fill(struct logread *lr)
{
	size_t left = lr->lr_end - lr->lr_start, at = LOGREAD_MAX + 64 -
	    (size_t)((uintptr_t)(lr->lr_buf + LOGREAD_MAX) % 64);
	int n;

	memmove(lr->lr_buf + at - left, lr->lr_buf + lr->lr_start, left);
	lr->lr_start = at - left;
	lr->lr_end = at;
	if ((n = gzread(lr->lr_gz, lr->lr_buf + at, LOGREAD_CHUNK)) < 0)
		return -1;
	lr->lr_end += (size_t)n;
	lr->lr_eof = n == 0;
	return 0;
}

/* The bytes up to the next newline (or the end of the input), NUL-
 * terminated where they lie, as a line of *n bytes; or, when more than
 * LOGREAD_MAX bytes come before any, those as a piece of a line too long
 * (*piece set).  NULL at the end of the input (*n 0) or when it cannot be
 * read (*n SIZE_MAX). */
static char *
take_line(struct logread *lr, size_t *n, bool *piece)
{
	char *line, *nl;

	for (;;) {
		line = lr->lr_buf + lr->lr_start;
		*n = lr->lr_end - lr->lr_start;
		nl = memchr(line, '\n', *n);
		*piece = nl == NULL && *n > LOGREAD_MAX;
		if (nl != NULL || *piece || (lr->lr_eof && *n > 0)) {
			if (nl != NULL)
				*n = (size_t)(nl - line);
			lr->lr_start += *n + (nl != NULL);
			line[*n] = '\0';	/* the newline, or lr_buf's spare byte */
			return line;
		}
		if (lr->lr_eof || fill(lr) < 0) {
			*n = lr->lr_eof ? 0 : SIZE_MAX;
			return NULL;
		}
	}
}

/*
 * logread_next - see logread.h.  A line longer than LOGREAD_MAX is
 * skipped whole, however long.
 */
enum logread_kind
logread_next(struct logread *lr, struct logline *ll)
{
	char *line;
	size_t n;
	bool piece;

	if ((line = take_line(lr, &n, &piece)) == NULL) {
		ll->ll_why = n == SIZE_MAX ? "the input cannot be read (or "
		    "its gzip data is damaged)" : NULL;
		return n == SIZE_MAX ? LR_ERROR : LR_EOF;
	}
	ll->ll_lineno = ++lr->lr_lineno;
	if (n <= LOGREAD_MAX && !piece)
		return logread_split(line, ll);	/* a NUL cuts it: unreadable */
	while (piece && take_line(lr, &n, &piece) != NULL)
		continue;	/* the rest of it */
	ll->ll_why = "a line longer than 64 KiB";
	return LR_SKIPPED;
}
