/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logread.c - the decision lines out of logs (see logread.h).
 *
 * A syslog line is TIME HOST TAG: MESSAGE, TIME either "Mmm dd hh:mm:ss"
 * or one RFC 3339 word (rsyslog's high-precision format, journalctl -o
 * short-iso); the daemon's own -f output is TAG: MESSAGE.  TAG is
 * tls-policy-milter or tls-policy-milter[PID].  A decision's MESSAGE is
 * QUEUEID: action=ACTION FIELDS (decision.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	(void)gzbuffer(lr->lr_gz, 256 * 1024);
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
	e = w + strcspn(w, " ");
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
	return strlen(p) > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' &&
	    p[12] == ':' && p[15] == ' ' && p[0] >= 'A' && p[0] <= 'Z';
}

/* Is w the milter's tag ("tls-policy-milter:" or with "[PID]")? */
static bool
is_tag(const char *w)
{
	size_t n = strlen(TAG);

	if (strncmp(w, TAG, n) != 0)
		return false;
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
	if (strncmp(line, TAG, strlen(TAG)) == 0) {
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
	if ((ll->ll_host = word(&p)) == NULL || (w = word(&p)) == NULL ||
	    !is_tag(w))
		return NULL;
	return p;
}

/*
 * logread_split - see logread.h.
 */
enum logread_kind
logread_split(char *line, struct logline *ll)
{
	static const char *const actions[] = { "accept", "reject",
		"tempfail", "monitor", NULL };
	const char *const *a;
	char *msg, *p;

	if ((msg = strip_prefix(line, ll)) == NULL)
		return LR_FOREIGN;
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

/* Skip the rest of a line longer than the buffer. */
static void
skip_rest(struct logread *lr)
{
	int c;

	while ((c = gzgetc(lr->lr_gz)) != -1 && c != '\n')
		continue;
}

/*
 * logread_next - see logread.h.
 */
enum logread_kind
logread_next(struct logread *lr, struct logline *ll)
{
	size_t n;
	int err;

	if (gzgets(lr->lr_gz, lr->lr_buf, sizeof(lr->lr_buf)) == NULL) {
		(void)gzerror(lr->lr_gz, &err);
		ll->ll_why = err == Z_OK || err == Z_STREAM_END ? NULL :
		    "the input cannot be read (or its gzip data is damaged)";
		return ll->ll_why == NULL ? LR_EOF : LR_ERROR;
	}
	ll->ll_lineno = ++lr->lr_lineno;
	n = strlen(lr->lr_buf);
	if (n > 0 && lr->lr_buf[n - 1] == '\n')
		lr->lr_buf[--n] = '\0';
	else if (n == sizeof(lr->lr_buf) - 1) {
		skip_rest(lr);
		ll->ll_why = "a line longer than 64 KiB";
		return LR_SKIPPED;
	}
	return logread_split(lr->lr_buf, ll);	/* a NUL cuts it: unreadable */
}
