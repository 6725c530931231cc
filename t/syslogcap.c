/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syslogcap.c - a syslog socket that keeps every message, for tests.
 *
 *	t/syslogcap SOCKET DIR
 *
 * Binds a unix datagram socket at SOCKET (mode 0666) and writes each
 * datagram it receives, byte for byte, to a file of its own in DIR:
 * DIR/000001, DIR/000002, ...  (one file per message, so that a test can
 * count the messages a session produced and look at each one's raw bytes,
 * control bytes included).  Runs until SIGTERM or SIGINT, then removes
 * SOCKET.  t/hostile.t binds SOCKET over /dev/log in a private mount
 * namespace in which it runs the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* keep - write buf[0..n-1] to DIR/NNNNNN; -1 on failure. */
static int
keep(const char *dir, unsigned long seq, const char *buf, size_t n)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%06lu", dir, seq);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
		return -1;
	if (write(fd, buf, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sigaction sa;
	static char buf[65536];
	unsigned long seq = 0;
	ssize_t n;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: syslogcap SOCKET DIR\n");
		return 64;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recv() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	strcpy(sun.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(argv[1], 0666) < 0) {
		fprintf(stderr, "syslogcap: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while (!stop) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "syslogcap: recv: %s\n", strerror(errno));
			break;
		}
		if (keep(argv[2], ++seq, buf, (size_t)n) < 0) {
			fprintf(stderr, "syslogcap: %s: %s\n", argv[2],
			    strerror(errno));
			break;
		}
	}
	unlink(argv[1]);
	return stop ? 0 : 1;
}
