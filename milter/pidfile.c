/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pidfile.c - the daemon's pidfile, written once it runs in the
 * background (main.c removes it at stop).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "pidfile.h"

/*
 * pidfile_write - see pidfile.h.
 */
int
pidfile_write(const char *path)
{
	char line[32];
	int fd, n, e;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (write(fd, line, (size_t)n) != n) {
		e = errno;
		close(fd);
		errno = e != 0 ? e : EIO;
		return -1;
	}
	return close(fd);
}
