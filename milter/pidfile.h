/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pidfile.h - the file that holds the daemon's process id.
 */
#ifndef PIDFILE_H
#define PIDFILE_H

/*
 * pidfile_write - write our pid and a newline to path, created or
 * truncated with mode 0644, never through a symlink.  Returns 0, or -1
 * with errno set.
 */
int pidfile_write(const char *path);

#endif
