/*
 * confval.c - check and convert single values of the policy file; collect
 * the problems found, each with its file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confval.h"

/*
 * confval_problem - see confval.h.
 */
void
confval_problem(struct confval_loader *ld, int line, const char *fmt, ...)
{
	struct confval_problem *pb;
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->ld_nproblems == ld->ld_size) {
		size_t size = ld->ld_size ? 2 * ld->ld_size : 16;

		pb = realloc(ld->ld_problems, size * sizeof(*pb));
		if (pb == NULL) {
			ld->ld_oom = true;
			return;
		}
		ld->ld_problems = pb;
		ld->ld_size = size;
	}
	pb = &ld->ld_problems[ld->ld_nproblems];
	pb->pb_line = line;
	pb->pb_seq = ld->ld_nproblems;
	if (line > 0)
		n = asprintf(&pb->pb_text, "%s:%d: %s", ld->ld_path, line, msg);
	else
		n = asprintf(&pb->pb_text, "%s: %s", ld->ld_path, msg);
	if (n < 0)
		ld->ld_oom = true;
	else
		ld->ld_nproblems++;
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
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0) {
		confval_problem(ld, cv->cv_line, "%s: \"%s\" is not a number",
		    cv->cv_name, s);
		return -1;
	}
	if (n < min || n > max) {
		confval_problem(ld, cv->cv_line, "%s: %ld is out of range "
		    "(%ld to %ld)", cv->cv_name, n, min, max);
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
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
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
