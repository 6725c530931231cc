/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confval.c - check and convert single values of the policy file; collect
 * the problems found, each with its file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "confsrc.h"
#include "confval.h"

/* A copy of s with each control byte written as \xHH: a message stays one
 * line whatever the file holds.  NULL when out of memory. */
static char *
escape_controls(const char *s)
{
	const unsigned char *p;
	size_t n = 1;
	char *out, *q;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		n += ascii_iscntrl(*p) ? 4 : 1;
	if ((out = malloc(n)) == NULL)
		return NULL;
	for (p = (const unsigned char *)s, q = out; *p != '\0'; p++) {
		if (ascii_iscntrl(*p))
			q += sprintf(q, "\\x%02x", *p);
		else
			*q++ = (char)*p;
	}
	*q = '\0';
	return out;
}

/* Make room for one more problem; false when out of memory. */
static bool
grow(struct confval_loader *ld)
{
	struct confval_problem *pb;
	size_t size;

	if (ld->ld_nproblems < ld->ld_size)
		return true;
	size = ld->ld_size ? 2 * ld->ld_size : 16;
	if ((pb = realloc(ld->ld_problems, size * sizeof(*pb))) == NULL)
		return false;
	ld->ld_problems = pb;
	ld->ld_size = size;
	return true;
}

/* Record "FILE:LINE: [warning: ]message" in line order. */
static void
record(struct confval_loader *ld, bool warning, int line, const char *fmt,
    va_list ap)
{
	struct confval_problem *pb;
	char msg[1024], *text;
	const char *path = ld->ld_path;
	int n, fline = line;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0 && ld->ld_src != NULL)
		confsrc_where(ld->ld_src, line, &path, &fline);
	if (line > 0)
		n = asprintf(&text, "%s:%d: %s%s", path, fline,
		    warning ? "warning: " : "", msg);
	else
		n = asprintf(&text, "%s: %s%s", path, warning ? "warning: " :
		    "", msg);
	if (n < 0 || !grow(ld)) {
		if (n >= 0)
			free(text);
		ld->ld_oom = true;
		return;
	}
	pb = &ld->ld_problems[ld->ld_nproblems];
	pb->pb_line = line;
	pb->pb_seq = ld->ld_nproblems;
	pb->pb_warning = warning;
	pb->pb_text = escape_controls(text);
	free(text);
	if (pb->pb_text == NULL)
		ld->ld_oom = true;
	else {
		ld->ld_nproblems++;
		ld->ld_nwarnings += warning;
	}
}

/*
 * confval_problem - see confval.h.
 */
void
confval_problem(struct confval_loader *ld, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ld, false, line, fmt, ap);
	va_end(ap);
}

/*
 * confval_warning - see confval.h.
 */
void
confval_warning(struct confval_loader *ld, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ld, true, line, fmt, ap);
	va_end(ap);
}

/*
 * confval_lineref - see confval.h.
 */
const char *
confval_lineref(const struct confval_loader *ld, int at, int line, char *buf,
    size_t size)
{
	const char *at_path = ld->ld_path, *path = ld->ld_path;
	int at_fline = at, fline = line;

	if (ld->ld_src != NULL) {
		confsrc_where(ld->ld_src, at, &at_path, &at_fline);
		confsrc_where(ld->ld_src, line, &path, &fline);
	}
	if (strcmp(path, at_path) == 0)
		snprintf(buf, size, "line %d", fline);
	else
		snprintf(buf, size, "%s:%d", path, fline);
	return buf;
}

/*
 * confval_enum - see confval.h.
 */
int
confval_enum(struct confval_loader *ld, const struct cval *cv,
    const char *const names[], const char *choices)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(cv->cv_text, names[i]) == 0)
			return i;
	confval_problem(ld, cv->cv_line, "%s: \"%s\" is not one of %s",
	    cv->cv_name, cv->cv_text, choices);
	return -1;
}

/*
 * confval_long - see confval.h.
 */
long
confval_long(struct confval_loader *ld, const struct cval *cv, long min,
    long max)
{
	const char *s = cv->cv_text;
	const char *d = s[0] == '-' ? s + 1 : s;
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*d < '0' || *d > '9' || *end != '\0') {
		confval_problem(ld, cv->cv_line, "%s: \"%s\" is not a number",
		    cv->cv_name, s);
		return -1;
	}
	if (errno == ERANGE || n < min || n > max) {
		confval_problem(ld, cv->cv_line, "%s: %s is out of range "
		    "(%ld to %ld)", cv->cv_name, s, min, max);
		return -1;
	}
	return n;
}

/*
 * confval_bool - see confval.h.
 */
int
confval_bool(struct confval_loader *ld, const struct cval *cv)
{
	static const char *const names[] = { "false", "true", "no", "yes",
		"off", "on", NULL };
	int i;

	i = confval_enum(ld, cv, names, "true, false");
	return i < 0 ? -1 : i % 2;
}

/*
 * confval_printable - see confval.h.
 */
bool
confval_printable(const char *s)
{
	return ascii_printable(s);
}

/*
 * confval_reply_code - see confval.h.
 */
bool
confval_reply_code(struct confval_loader *ld, const struct cval *cv)
{
	const char *s = cv->cv_text;

	if (strlen(s) == 3 && (s[0] == '4' || s[0] == '5') &&
	    s[1] >= '0' && s[1] <= '5' && s[2] >= '0' && s[2] <= '9')
		return true;
	confval_problem(ld, cv->cv_line, "%s: \"%s\" is not a refusal code "
	    "(4xx or 5xx, e.g. 554)", cv->cv_name, s);
	return false;
}

/* Count 1 to 3 digits at *s and step over them; 0 when there are none. */
static int
digits(const char **s)
{
	int n = 0;

	while (n < 4 && **s >= '0' && **s <= '9') {
		(*s)++;
		n++;
	}
	return n >= 1 && n <= 3;
}

/*
 * confval_reply_xcode - see confval.h.
 */
bool
confval_reply_xcode(struct confval_loader *ld, const struct cval *cv)
{
	const char *s = cv->cv_text;

	if ((s[0] == '4' || s[0] == '5') && s[1] == '.') {
		s += 2;
		if (digits(&s) && *s++ == '.' && digits(&s) && *s == '\0')
			return true;
	}
	confval_problem(ld, cv->cv_line, "%s: \"%s\" is not an enhanced "
	    "status code (4.x.y or 5.x.y, e.g. 5.7.0)", cv->cv_name,
	    cv->cv_text);
	return false;
}

/*
 * confval_reply_text - see confval.h.
 */
bool
confval_reply_text(struct confval_loader *ld, const struct cval *cv)
{
	size_t len = strlen(cv->cv_text);

	if (len == 0 || len > CONFVAL_TEXT_MAX) {
		confval_problem(ld, cv->cv_line, "%s: must be 1 to %d "
		    "characters long", cv->cv_name, CONFVAL_TEXT_MAX);
		return false;
	}
	if (!confval_printable(cv->cv_text)) {
		confval_problem(ld, cv->cv_line, "%s: only printable ASCII "
		    "characters may appear in an SMTP reply", cv->cv_name);
		return false;
	}
	return true;
}
