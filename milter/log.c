/*
 * log.c - syslog with an optional copy on stderr.
 *
 * The stderr copy is written by this file rather than with syslog's
 * LOG_PERROR so that it is one write(2) per line, whole, even when many
 * threads log at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LOG_IDENT "tls-policy-milter"

static bool log_stderr;

/*
 * log_open - see log.h.  Called once, before any thread starts.
 */
void
log_open(bool to_stderr)
{
	log_stderr = to_stderr;
	openlog(LOG_IDENT, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* The stderr copy of a line, in a frame of its own: log_msg() runs on
 * every decision, in threads libmilter keeps starting, and each page of
 * stack a fresh thread touches is a page fault. */
static void __attribute__((noinline))
copy_stderr(const char *line)
{
	char out[LOG_LINE_MAX + 64];
	int n;

	n = snprintf(out, sizeof(out), LOG_IDENT "[%ld]: %s\n",
	    (long)getpid(), line);
	if (n > 0)
		(void)!write(STDERR_FILENO, out, strnlen(out, sizeof(out)));
}

/*
 * log_msg - see log.h.
 */
void
log_msg(int priority, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(priority, "%s", line);
	if (log_stderr)
		copy_stderr(line);
}
