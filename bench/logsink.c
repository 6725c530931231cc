/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logsink.c - a syslog socket that reads and drops what it is sent.
 *
 *	bench/logsink PATH
 *
 * Binds a unix datagram socket at PATH (mode 0666) and receives until
 * SIGTERM or SIGINT, then prints how many messages it got and removes
 * PATH.  bench/run binds it over /dev/log in the private mount namespace
 * it runs tls-policy-milter in, so that the daemon's one line per
 * decision costs what it costs next to a syslog daemon: one send(2).
 * (With no /dev/log at all, glibc's syslog() tries socket(2) and
 * connect(2) again for every line.)
 */
#include <errno.h>
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

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sigaction sa;
	char buf[8192];
	unsigned long n = 0;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: logsink PATH\n");
		return 64;
	}
	strcpy(sun.sun_path, argv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recv returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(argv[1], 0666) < 0) {
		fprintf(stderr, "logsink: %s: %s\n", argv[1], strerror(errno));
		return 69;
	}
	while (!stop)
		if (recv(fd, buf, sizeof(buf), 0) >= 0)
			n++;
	printf("%lu\n", n);
	unlink(argv[1]);
	return 0;
}
