/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sockfile.c - the daemon's unix socket in the file system (OpenDKIM and
 * Postfix refuse a socket directory that others may write; libmilter
 * would remove any socket file, even one a running milter listens on).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockfile.h"

/*
 * sockfile_path - see sockfile.h.
 */
const char *
sockfile_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	return NULL;
}

static int say(char *, size_t, const char **, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* Put a message in buf, point *why at it, return -1. */
static int
say(char *buf, size_t len, const char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	*why = buf;
	return -1;
}

/* Does a process answer on the unix socket at path?  1 yes, 0 no (stale),
 * -1 cannot tell (errno set). */
static int
answers(const char *path)
{
	struct sockaddr_un sun;
	int fd, rc, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	e = errno;
	close(fd);
	if (rc == 0)
		return 1;
	errno = e;
	return e == ECONNREFUSED ? 0 : -1;
}

/*
 * sockfile_prepare - see sockfile.h.
 */
int
sockfile_prepare(const char *path, bool *removed, char *buf, size_t len,
    const char **why)
{
	char dir[4096];
	struct stat st;
	const char *slash = strrchr(path, '/');
	int a;

	*removed = false;
	if (path[0] != '/' || slash == NULL || slash[1] == '\0' ||
	    (size_t)(slash - path) >= sizeof(dir))
		return say(buf, len, why, "socket %s: not an absolute file "
		    "name", path);
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 :
	    (int)(slash - path), path);
	if (stat(dir, &st) < 0)
		return say(buf, len, why, "socket directory %s: %s", dir,
		    strerror(errno));
	if ((st.st_mode & S_IWOTH) != 0)
		return say(buf, len, why, "socket directory %s is writable by "
		    "others%s: use a directory only the milter and root can "
		    "write", dir, (st.st_mode & S_ISVTX) ? " (sticky)" : "");
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : say(buf, len, why, "socket %s: %s",
		    path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return say(buf, len, why, "socket %s: exists and is not a "
		    "socket", path);
	if ((a = answers(path)) == 1)
		return say(buf, len, why, "socket %s: a running process "
		    "answers on it (another milter?)", path);
	if (a < 0)
		return say(buf, len, why, "socket %s: cannot tell whether it "
		    "is in use: %s", path, strerror(errno));
	if (unlink(path) < 0 && errno != ENOENT)
		return say(buf, len, why, "socket %s: cannot remove the stale "
		    "socket: %s", path, strerror(errno));
	*removed = true;
	return 0;
}

/*
 * sockfile_made - see sockfile.h.
 */
int
sockfile_made(struct sockfile *sf, const char *path, unsigned mode,
    uid_t uid, gid_t gid, char *buf, size_t len, const char **why)
{
	struct stat st;

	memset(sf, 0, sizeof(*sf));
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return say(buf, len, why, "socket %s: not found after "
		    "binding it", path);
	sf->sf_path = path;
	sf->sf_dev = st.st_dev;
	sf->sf_ino = st.st_ino;
	sf->sf_made = true;
	if (chmod(path, (mode_t)mode) < 0)
		return say(buf, len, why, "socket %s: chmod: %s", path,
		    strerror(errno));
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) < 0)
		return say(buf, len, why, "socket %s: cannot give it to its "
		    "user and group: %s", path, strerror(errno));
	return 0;
}

/*
 * sockfile_remove - see sockfile.h.
 */
int
sockfile_remove(struct sockfile *sf)
{
	struct stat st;

	if (!sf->sf_made)
		return 0;
	sf->sf_made = false;
	if (lstat(sf->sf_path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode) || st.st_dev != sf->sf_dev ||
	    st.st_ino != sf->sf_ino)
		return 0;	/* not ours any more */
	return unlink(sf->sf_path) < 0 && errno != ENOENT ? -1 : 0;
}
