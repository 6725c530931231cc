/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.c - the daemon's syslog client, with an optional copy on stderr.
 *
 * Why not syslog(3): when syslogd stops reading (stalled, or its queue
 * full), glibc's syslog() waits for it forever while holding the lock
 * every thread shares, and every SMTP session with it.  Here a send waits
 * at most LOG_SEND_WAIT_MS (SO_SNDTIMEO); after one such wait has run
 * out, lines are sent without waiting until syslogd takes one again; the
 * lines it could not take are counted, and the next line that gets
 * through is followed by one saying how many were lost (t/syslog.t).
 * Otherwise it does what syslog(3) does:
 *
 *   - one AF_UNIX datagram socket connected to /dev/log, opened by
 *     log_open() at start, before the switch of user;
 *   - each line is one send(2) of "<PRI>Mmm dd hh:mm:ss IDENT[PID]: LINE",
 *     byte for byte what syslog(3) sends (RFC 3164 without the host name,
 *     which syslogd adds), built on the stack;
 *   - the timestamp is local time, formatted once a second per thread;
 *   - when syslogd restarts, the send fails; the socket is made again and
 *     the line sent once more.  The new socket takes the old one's
 *     descriptor number with dup3(), so a thread sending at that moment
 *     never writes to a descriptor closed and reused for an MTA
 *     connection; a mutex keeps two threads from reconnecting at once, on
 *     that rare path only.  Without a syslogd, it tries again at most
 *     once a second.
 *
 * The stderr copy (-f) is one writev(2) per line, whole, even when many
 * threads log at once.  It is left out when stderr is /dev/null (the
 * systemd unit runs -f so), where it would cost a write(2) per decision
 * for nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "log.h"

#define LOG_IDENT	"tls-policy-milter"
#define LOG_SEND_WAIT_MS 1000	/* at most, for room in syslogd's queue */

static bool log_stderr;
static char log_ident[64];		/* "tls-policy-milter[PID]: " */
static size_t log_ident_len;
static atomic_int log_fd = -1;		/* connected to _PATH_LOG, or -1 */
static atomic_bool log_stalled;		/* a send timed out: do not wait */
static atomic_ulong log_lost;		/* lines syslogd did not take */
static atomic_llong reconnect_next;	/* no new socket before this time */
static pthread_mutex_t reconnect_lock = PTHREAD_MUTEX_INITIALIZER;

/* Is fd open on /dev/null? */
static bool
is_devnull(int fd)
{
	struct stat f, n;

	return fstat(fd, &f) == 0 && stat("/dev/null", &n) == 0 &&
	    S_ISCHR(f.st_mode) && S_ISCHR(n.st_mode) && f.st_rdev == n.st_rdev;
}

/* The ident with our pid: at start, and again in the child of a fork. */
static void
forked(void)
{
	log_ident_len = (size_t)snprintf(log_ident, sizeof(log_ident),
	    LOG_IDENT "[%ld]: ", (long)getpid());
}

/*
 * Connect a new socket to syslogd and put it in place: under log_fd's
 * number when there is one, so that the number is never free while other
 * threads may send on it.  After a failure, not again within the same
 * second unless force.  Returns 0, or -1 when there is no syslogd to talk
 * to (nothing changed).
 */
static int
reconnect(bool force)
{
	static const struct sockaddr_un sun = { .sun_family = AF_UNIX,
		.sun_path = _PATH_LOG };
	struct timeval wait = { LOG_SEND_WAIT_MS / 1000,
		LOG_SEND_WAIT_MS % 1000 * 1000 };
	time_t now = time(NULL);
	int fd, old, rc = -1;

	if (!force && now < atomic_load(&reconnect_next))
		return -1;
	pthread_mutex_lock(&reconnect_lock);
	if (!force && now < atomic_load(&reconnect_next))
		goto out;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		goto out;
	if (connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof(wait)) < 0) {
		close(fd);
		goto out;
	}
	if ((old = atomic_load(&log_fd)) < 0) {
		atomic_store(&log_fd, fd);
	} else {
		if (dup3(fd, old, O_CLOEXEC) < 0) {
			close(fd);
			goto out;
		}
		close(fd);
	}
	rc = 0;
out:
	if (rc < 0)	/* no syslogd: not again within this second */
		atomic_store(&reconnect_next, (long long)now + 1);
	pthread_mutex_unlock(&reconnect_lock);
	return rc;
}

/*
 * log_open - see log.h.  Called once, before any thread starts.
 */
void
log_open(bool to_stderr)
{
	log_stderr = to_stderr && !is_devnull(STDERR_FILENO);
	forked();
	(void)pthread_atfork(NULL, NULL, forked);	/* daemon() forks */
	(void)reconnect(true);
}

/* sep, then v (0 to 99) in two digits, the first pad when v < 10. */
static void
digits(char *p, char sep, int v, char pad)
{
	v = v < 0 ? 0 : v % 100;
	p[0] = sep;
	p[1] = v < 10 ? pad : (char)('0' + v / 10);
	p[2] = (char)('0' + v % 10);
}

/* "Mmm dd hh:mm:ss" of now, local time, as syslog(3) writes it; each
 * thread formats it once a second.  buf has 16 bytes. */
static void
timestamp(char *buf)
{
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static _Thread_local struct {
		time_t	sec;
		char	text[16];
	} cache;
	time_t now = time(NULL);
	struct tm tm;

	if (now != cache.sec || cache.text[0] == '\0') {
		if (localtime_r(&now, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		memcpy(cache.text, months[(unsigned)tm.tm_mon % 12], 3);
		digits(cache.text + 3, ' ', tm.tm_mday, ' ');
		digits(cache.text + 6, ' ', tm.tm_hour, '0');
		digits(cache.text + 9, ':', tm.tm_min, '0');
		digits(cache.text + 12, ':', tm.tm_sec, '0');
		cache.text[15] = '\0';
		cache.sec = now;
	}
	memcpy(buf, cache.text, sizeof(cache.text));
}

/*
 * Send one datagram, the n parts of iov.  Returns 0, or -1 when syslogd
 * did not take it.
 */
static int
send_line(struct iovec *iov, size_t n)
{
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n };
	bool stalled = atomic_load_explicit(&log_stalled,
	    memory_order_relaxed);
	int fd = atomic_load_explicit(&log_fd, memory_order_relaxed), try;

	for (try = 0; try < 2; try++) {
		if (fd >= 0 && sendmsg(fd, &msg, MSG_NOSIGNAL | (stalled ?
		    MSG_DONTWAIT : 0)) >= 0) {
			if (stalled)
				atomic_store(&log_stalled, false);
			return 0;
		}
		if (fd >= 0 && errno == EINTR) {
			try--;
			continue;
		}
		if (fd >= 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* full for LOG_SEND_WAIT_MS: syslogd is stuck */
			atomic_store(&log_stalled, true);
			return -1;
		}
		/* syslogd went away (ECONNREFUSED, ENOTCONN, ...) or never
		 * was: a new socket, and one more try */
		if (try > 0 || reconnect(false) < 0)
			return -1;
		fd = atomic_load(&log_fd);
	}
	return -1;
}

/* Count a line syslogd did not take; after one it took, say how many were
 * lost since the last time. */
static void
count_sent(int rc)
{
	unsigned long lost;

	if (rc < 0)
		atomic_fetch_add(&log_lost, 1);
	else if (atomic_load_explicit(&log_lost, memory_order_relaxed) > 0 &&
	    (lost = atomic_exchange(&log_lost, 0)) > 0)
		log_msg(LOG_ERR, "%lu log lines lost: syslog was not taking them",
		    lost);
}

/* The stderr copy of a line: "tls-policy-milter[PID]: LINE\n" in one
 * writev(2). */
static void
copy_stderr(const char *ident, size_t ilen, const char *line, size_t len)
{
	struct iovec iov[3] = { { (void *)ident, ilen }, { (void *)line, len },
		{ (void *)"\n", 1 } };

	(void)!writev(STDERR_FILENO, iov, 3);
}

/*
 * log_text - see log.h.
 */
void
log_text(int priority, const char *line)
{
	/* "<PRI>Mmm dd hh:mm:ss tls-policy-milter[PID]: " */
	char header[4 + 16 + sizeof(log_ident)];
	size_t len = strnlen(line, LOG_LINE_MAX - 1), n;
	unsigned pri = LOG_MAIL | ((unsigned)priority & LOG_PRIMASK);

	header[0] = '<';		/* LOG_MAIL: 16 to 23, two digits */
	header[1] = (char)('0' + pri / 10);
	header[2] = (char)('0' + pri % 10);
	header[3] = '>';
	timestamp(header + 4);
	header[4 + 15] = ' ';
	memcpy(header + 20, log_ident, log_ident_len);
	n = 20 + log_ident_len;
	count_sent(send_line((struct iovec [2]){ { header, n },
	    { (void *)line, len } }, 2));
	if (log_stderr)
		copy_stderr(log_ident, log_ident_len, line, len);
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
