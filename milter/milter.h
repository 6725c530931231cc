/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter.h - serving the policy to the MTA through libmilter.
 */
#ifndef MILTER_H
#define MILTER_H

#include "policy.h"

/*
 * What the daemon asks of the MTA when a connection starts (also used by
 * bench/null-milter, the floor it is measured against): the macros it
 * wants per stage (smfi_setsymlist), and the SMFIP_* steps it asks the
 * MTA to leave out (headers, body, EOH, unknown commands) or not to wait
 * for a reply to (CONNECT, HELO: Postfix writes them with MAIL).
 *
 * On TCP an MTA that writes twice before the milter answers waits up to
 * 40 ms: Nagle's algorithm holds its second small write until the first is
 * acknowledged, and the milter's kernel delays that ACK while it has no
 * reply to carry it.  Hence DATA is asked for and answered "accept"
 * (Postfix writes the macros of a DATA it skips, alone, and its end of
 * message then waited), and RCPT's list is empty (Sendmail writes a
 * stage's macros and its command apart; nothing is read at RCPT).
 *
 * Each list (macros.h) replaces the MTA's own list for that stage
 * (Postfix's milter_*_macros, Sendmail's Milter.macros.*) for this
 * milter, so it holds everything read at that stage, "i" and {mail_addr}
 * included.  An MTA does not send what it does not know (Postfix:
 * {verify}, {cn_*}, {cert_fp}, {cert_md5}).
 */
#define MILTER_PFLAGS	(SMFIP_NOHDRS | SMFIP_NOBODY | SMFIP_NOEOH | \
			SMFIP_NOUNKNOWN | SMFIP_NR_CONN | SMFIP_NR_HELO)

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
