/*
 * milter.h - serving the policy to the MTA through libmilter.
 */
#ifndef MILTER_H
#define MILTER_H

#include "policy.h"

/*
 * milter_open - register the callbacks and open the listening socket
 * (libmilter spec: unix:/path, inet:PORT@HOST, inet6:PORT@HOST).  A unix
 * socket file must not exist (sockfile_prepare() removes a stale one).
 * Each connection takes the policy snapshot in force when it starts
 * (snapshot.h).
 *
 * Returns 0, or a sysexits code after logging why.
 */
int milter_open(const char *socket);

/*
 * milter_main - serve connections until milter_stop().  Returns 0, or
 * EX_SOFTWARE.
 */
int milter_main(void);

/*
 * milter_stop - tell the listener to stop (smfi_stop()).  It takes notice
 * at its next poll (see signals.c); this call may block until then.
 */
void milter_stop(void);

#endif
