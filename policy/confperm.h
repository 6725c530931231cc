/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confperm.h - may the policy file be trusted?  Whoever can write it, or
 * replace it, can lift the policy: like OpenSSH's StrictModes and
 * "postfix check", the loader refuses a file others may write.
 */
#ifndef CONFPERM_H
#define CONFPERM_H

#include <stddef.h>
#include <sys/stat.h>

/*
 * confperm_check - is the file at path, whose fstat() of the open file is
 * *st, safe to trust?  It is not when anyone but root and its owner may
 * write it (group or other write permission), or when a directory on the
 * way to it (of the path as given, and of the path with its links
 * resolved) lets others replace it: writable by group or others without
 * the sticky bit.  A relative path is taken from the current directory.
 *
 * Returns 0, or -1 with why (len bytes, NUL-terminated) saying which file
 * or directory and how to mend it.
 */
int confperm_check(const char *path, const struct stat *st, char *why,
    size_t len);

#endif
