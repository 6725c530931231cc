/*
 * log.c - syslog with an optional copy on stderr.
 *
 * The stderr copy is written by this file rather than with syslog's
 * LOG_PERROR so that it is one write(2) per line, whole, even when many
 * threads log at once.  It is left out when stderr is /dev/null (the
 * systemd unit runs -f so), where it would cost a write(2) per decision
 * for nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/uio.h>

#include "log.h"

#define LOG_IDENT "tls-policy-milter"

static bool log_stderr;

/* Is fd open on /dev/null? */
static bool
is_devnull(int fd)
{
	struct stat f, n;

	return fstat(fd, &f) == 0 && stat("/dev/null", &n) == 0 &&
	    S_ISCHR(f.st_mode) && S_ISCHR(n.st_mode) && f.st_rdev == n.st_rdev;
}

/*
 * log_open - see log.h.  Called once, before any thread starts.
 */
void
log_open(bool to_stderr)
{
	log_stderr = to_stderr && !is_devnull(STDERR_FILENO);
	openlog(LOG_IDENT, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* The stderr copy of a line: "tls-policy-milter[PID]: LINE\n" in one
 * writev(2). */
static void
copy_stderr(const char *line, size_t len)
{
	char ident[64];
	struct iovec iov[3];

	iov[0].iov_base = ident;
	iov[0].iov_len = (size_t)snprintf(ident, sizeof(ident),
	    LOG_IDENT "[%ld]: ", (long)getpid());
	iov[1].iov_base = (void *)line;
	iov[1].iov_len = len;
	iov[2].iov_base = (void *)"\n";
	iov[2].iov_len = 1;
	(void)!writev(STDERR_FILENO, iov, 3);
}

/*
 * log_text - see log.h.
 */
void
log_text(int priority, const char *line)
{
	size_t len = strnlen(line, LOG_LINE_MAX - 1);

	syslog(priority, "%.*s", (int)len, line);
	if (log_stderr)
		copy_stderr(line, len);
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
	log_text(priority, line);
}
