/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sockfile.h - the file of a unix-domain milter socket: checked and made
 * safe before libmilter binds it, given its mode and group after, and
 * removed at stop.
 */
#ifndef SOCKFILE_H
#define SOCKFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct sockfile {
	const char	*sf_path;	/* NULL: not a unix socket */
	dev_t		sf_dev;		/* the socket we made */
	ino_t		sf_ino;
	bool		sf_made;
};

/*
 * sockfile_path - the file name in a libmilter spec "unix:/path" or
 * "local:/path" (pointing into spec), or NULL for inet and inet6.
 */
const char *sockfile_path(const char *spec);

/*
 * sockfile_prepare - before binding path: refuse when its directory is
 * writable by others (anyone could replace the socket) or when a running
 * process answers on it; remove it when it is a stale socket left by a
 * crash (*removed says so).  Returns 0, or -1 with why set (in buf).
 */
int sockfile_prepare(const char *path, bool *removed, char *buf, size_t len,
    const char **why);

/*
 * sockfile_made - after binding: set the socket's mode, its owner and
 * group unless (uid_t)-1 and (gid_t)-1, and remember which file it is for
 * sockfile_remove().  Returns 0, or -1 with why set (in buf).
 */
int sockfile_made(struct sockfile *sf, const char *path, unsigned mode,
    uid_t uid, gid_t gid, char *buf, size_t len, const char **why);

/*
 * sockfile_remove - remove the socket made, if it is still the same file.
 * Returns 0 (removed, or already gone), or -1 with errno set.
 */
int sockfile_remove(struct sockfile *sf);

#endif
