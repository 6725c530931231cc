/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confperm.c - refuse a policy file that others could change or replace.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confperm.h"

/* Write permission for anyone but the owner. */
#define OTHERS_WRITE	(S_IWGRP | S_IWOTH)

/*
 * Check every directory above the absolute path abs (modified in place,
 * cut back a component at a time), the last first.  Returns 0, or -1 with
 * why.
 */
static int
dirs_check(char *abs, char *why, size_t len)
{
	struct stat st;
	char *slash;

	while ((slash = strrchr(abs, '/')) != NULL) {
		if (slash == abs)
			slash[1] = '\0';	/* the root itself */
		else
			*slash = '\0';
		if (stat(abs, &st) == 0 && (st.st_mode & OTHERS_WRITE) != 0 &&
		    (st.st_mode & S_ISVTX) == 0) {
			snprintf(why, len, "directory %s may be written by "
			    "others, who could replace the file (chmod go-w "
			    "%s)", abs, abs);
			return -1;
		}
		if (slash == abs)
			return 0;
	}
	return 0;
}

/*
 * confperm_check - see confperm.h.
 */
int
confperm_check(const char *path, const struct stat *st, char *why,
    size_t len)
{
	char abs[PATH_MAX + 1], cwd[PATH_MAX];
	char resolved[PATH_MAX];

	if ((st->st_mode & OTHERS_WRITE) != 0) {
		snprintf(why, len, "may be written by %s, not only by its "
		    "owner, who could lift the policy (chmod go-w it)",
		    (st->st_mode & S_IWOTH) ? "anyone" : "its group");
		return -1;
	}
	if (path[0] == '/')
		snprintf(abs, sizeof(abs), "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	else
		abs[0] = '\0';
	if (abs[0] != '\0' && dirs_check(abs, why, len) < 0)
		return -1;
	if (realpath(path, resolved) != NULL &&
	    dirs_check(resolved, why, len) < 0)
		return -1;
	return 0;
}
