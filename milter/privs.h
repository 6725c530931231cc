/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privs.h - who the daemon runs as: the user and group it switches to
 * after opening its socket, checked so that root cannot come back.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

struct privs {
	const char	*pv_user;	/* NULL: stay who we are */
	uid_t		pv_uid;
	gid_t		pv_gid;		/* the group (default: the user's) */
};

/*
 * privs_lookup - fill *pv for user (a name or a number; NULL: none) and
 * group (NULL: the user's primary group).  Returns 0, or -1 with why
 * (a static or buf-held message) set.
 */
int privs_lookup(const char *user, const char *group, struct privs *pv,
    char *buf, size_t len, const char **why);

/* privs_group - the gid of group (a name or a number); -1 if unknown. */
int privs_group(const char *group, gid_t *gid);

/*
 * privs_drop - become pv's user and group for good: setgroups() to that
 * group alone, setgid(), setuid(), then check that real, effective and
 * saved IDs are all the new ones, that the supplementary groups are
 * gone, and that setuid(0) and setgid(0) now fail.  Without root, only
 * checks that we already are that user.  Returns 0, or -1 with why set
 * (in buf).
 */
int privs_drop(const struct privs *pv, char *buf, size_t len,
    const char **why);

#endif
