/*
 * milter.h - serving the policy to the MTA through libmilter.
 */
#ifndef MILTER_H
#define MILTER_H

#include "policy.h"

/*
 * milter_open - register the callbacks and open the listening socket
 * (libmilter spec: unix:/path, inet:PORT@HOST, inet6:PORT@HOST; a stale
 * unix socket is removed).  p is used by every connection and must stay
 * valid until milter_main() returns.
 *
 * Returns 0, or a sysexits code after logging why.
 */
int milter_open(const struct policy *p, const char *socket);

/*
 * milter_main - serve connections until libmilter is told to stop
 * (SIGTERM, SIGINT, SIGHUP).  Returns 0, or EX_SOFTWARE.
 */
int milter_main(void);

#endif
