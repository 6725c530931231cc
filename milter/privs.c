/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privs.c - give up root for good (Postfix's set_ugid(), with the checks
 * OpenSMTPD makes after dropping).  Called before any thread starts.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"

/* A decimal ID, or -1. */
static long
number(const char *s)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	return errno != 0 || *end != '\0' || n < 0 || n > 0x7fffffff ? -1 : n;
}

/*
 * privs_group - see privs.h.
 */
int
privs_group(const char *group, gid_t *gid)
{
	struct group *gr;
	long n;

	if ((gr = getgrnam(group)) != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	if ((n = number(group)) < 0)
		return -1;
	*gid = (gid_t)n;
	return 0;
}

/*
 * privs_lookup - see privs.h.
 */
int
privs_lookup(const char *user, const char *group, struct privs *pv,
    char *buf, size_t len, const char **why)
{
	struct passwd *pw;
	long n;

	memset(pv, 0, sizeof(*pv));
	if (user == NULL) {
		if (group != NULL) {
			*why = "group is set but user is not (set user too, "
			    "or give -u USER)";
			return -1;
		}
		return 0;
	}
	pv->pv_user = user;
	if ((pw = getpwnam(user)) != NULL) {
		pv->pv_uid = pw->pw_uid;
		pv->pv_gid = pw->pw_gid;
	} else if ((n = number(user)) >= 0 && group != NULL) {
		pv->pv_uid = (uid_t)n;	/* a bare uid needs a group */
	} else {
		snprintf(buf, len, "unknown user \"%s\"%s", user,
		    number(user) >= 0 ? " (a numeric user needs group too)" :
		    "");
		*why = buf;
		return -1;
	}
	if (group != NULL && privs_group(group, &pv->pv_gid) < 0) {
		snprintf(buf, len, "unknown group \"%s\"", group);
		*why = buf;
		return -1;
	}
	if (pv->pv_uid == 0) {
		*why = "user is root: name an unprivileged user (allow_root = "
		    "true lets the milter run as root)";
		return -1;
	}
	return 0;
}

static int
fail(char *buf, size_t len, const char **why, const char *what)
{
	snprintf(buf, len, "%s: %s", what, strerror(errno));
	*why = buf;
	return -1;
}

/* Are we pv's user and group in every ID, with no other group? */
static int
check(const struct privs *pv, char *buf, size_t len, const char **why)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[2];
	int n;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return fail(buf, len, why, "getresuid");
	n = getgroups(2, groups);
	if (ru != pv->pv_uid || eu != pv->pv_uid || su != pv->pv_uid ||
	    rg != pv->pv_gid || eg != pv->pv_gid || sg != pv->pv_gid ||
	    n < 0 || n > 1 || (n == 1 && groups[0] != pv->pv_gid)) {
		snprintf(buf, len, "after the switch the IDs are uid %ld/%ld/%ld "
		    "gid %ld/%ld/%ld with %d groups, not %ld:%ld",
		    (long)ru, (long)eu, (long)su, (long)rg, (long)eg, (long)sg,
		    n, (long)pv->pv_uid, (long)pv->pv_gid);
		*why = buf;
		return -1;
	}
	if (pv->pv_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0 ||
	    setgid(0) == 0)) {
		*why = "root could be regained after the switch";
		return -1;
	}
	return 0;
}

/*
 * privs_drop - see privs.h.
 */
int
privs_drop(const struct privs *pv, char *buf, size_t len, const char **why)
{
	if (pv->pv_user == NULL)
		return 0;
	if (geteuid() != 0) {
		if (getuid() == pv->pv_uid && geteuid() == pv->pv_uid)
			return 0;
		snprintf(buf, len, "cannot switch to user \"%s\": not started "
		    "as root", pv->pv_user);
		*why = buf;
		return -1;
	}
	if (setgroups(1, &pv->pv_gid) < 0)
		return fail(buf, len, why, "setgroups");
	if (setgid(pv->pv_gid) < 0)
		return fail(buf, len, why, "setgid");
	if (setuid(pv->pv_uid) < 0)
		return fail(buf, len, why, "setuid");
	return check(pv, buf, len, why);
}
