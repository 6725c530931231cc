/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * null-milter.c - the floor: a libmilter milter that does nothing, at the
 * cost of asking and reading what tls-policy-milter asks and reads.
 *
 *	bench/null-milter [-l] [-r] [-S] -p SOCKET
 *
 * It negotiates exactly as the daemon does (the same macro lists and
 * SMFIP_* flags, from milter.h), fetches the same macros at the same
 * stages and touches every byte of them, and answers "continue" (or no
 * reply where the MTA agreed to none) everywhere, and "accept" at DATA,
 * where the daemon too is done with the message.  It keeps no state per
 * connection.  With -r it is instead the plainest of milters: it asks
 * for every event and answers "continue" to each (no SMFIP_NO* and no
 * SMFIP_NR_* flag), with the same macro lists.  What tls-policy-milter
 * costs above this is the policy and its log.  With -l it also writes,
 * for each recipient, one syslog line of the daemon's length (mail.info,
 * pid included): the floor of a milter that must log every decision.
 * With -S, its threads get the stacks tls-policy-milter gives its own
 * (milter/threads.c): without, glibc's default, what any libmilter
 * milter gets unless it asks.  Runs in the foreground until SIGTERM or
 * SIGINT.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "macros.h"
#include "milter.h"
#include "threads.h"

/* Per connection, in the private pointer itself: what the MTA agreed to. */
#define NR_CONN	((uintptr_t)1)
#define NR_HELO	((uintptr_t)2)

static volatile size_t sink;	/* keeps the macro reads from being dropped */
static int log_rcpt;		/* -l */
static int every_event;		/* -r */

/* Read the named macros of the space-separated list, as the daemon does. */
static void
read_macros(SMFICTX *ctx, const char *list)
{
	char name[64];
	const char *v;
	size_t n, total = 0;

	while (*list != '\0') {
		n = strcspn(list, " ");
		if (n > 0 && n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			if ((v = smfi_getsymval(ctx, name)) != NULL)
				total += strlen(v);
		}
		list += n + (list[n] == ' ');
	}
	sink += total;
}

static sfsistat
null_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	uintptr_t nr = 0;

	(void)f2;
	(void)f3;
	*pf0 = f0 & SMFIF_SETSYMLIST;
	*pf1 = every_event ? 0 : f1 & MILTER_PFLAGS;
	*pf2 = *pf3 = 0;
	if (*pf0 & SMFIF_SETSYMLIST) {
		(void)smfi_setsymlist(ctx, SMFIM_CONNECT,
		    (char *)macros_list(MACROS_CONNECT));
		(void)smfi_setsymlist(ctx, SMFIM_HELO,
		    (char *)macros_list(MACROS_HELO));
		(void)smfi_setsymlist(ctx, SMFIM_ENVFROM,
		    (char *)macros_list(MACROS_MAIL));
		(void)smfi_setsymlist(ctx, SMFIM_ENVRCPT,
		    (char *)macros_list(MACROS_RCPT));
	}
	if (*pf1 & SMFIP_NR_CONN)
		nr |= NR_CONN;
	if (*pf1 & SMFIP_NR_HELO)
		nr |= NR_HELO;
	smfi_setpriv(ctx, (void *)nr);
	return SMFIS_CONTINUE;
}

static sfsistat
null_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	(void)hostaddr;
	sink += strlen(hostname);
	read_macros(ctx, macros_list(MACROS_CONNECT));
	return ((uintptr_t)smfi_getpriv(ctx) & NR_CONN) ? SMFIS_NOREPLY :
	    SMFIS_CONTINUE;
}

static sfsistat
null_helo(SMFICTX *ctx, char *name)
{
	sink += strlen(name);
	read_macros(ctx, "{tls_version}");
	return ((uintptr_t)smfi_getpriv(ctx) & NR_HELO) ? SMFIS_NOREPLY :
	    SMFIS_CONTINUE;
}

static sfsistat
null_envfrom(SMFICTX *ctx, char **argv)
{
	sink += strlen(argv[0]);
	read_macros(ctx, macros_list(MACROS_MAIL));
	return SMFIS_CONTINUE;
}

/* A value of a macro for the -l line, "-" when it is absent. */
static const char *
value(SMFICTX *ctx, const char *name)
{
	const char *v = smfi_getsymval(ctx, (char *)name);

	return v != NULL ? v : "-";
}

static sfsistat
null_envrcpt(SMFICTX *ctx, char **argv)
{
	sink += strlen(argv[0]);
	if (log_rcpt)	/* about as long as the daemon's decision line */
		syslog(LOG_INFO, "NOQUEUE: action=continue rule=- stage=rcpt "
		    "client=%s[%s] from=%s to=%s tls=%s cipher=%s bits=%s "
		    "cert=\"%s\" issuer=\"%s\" reason=\"the null milter "
		    "judges nothing\"", value(ctx, "{client_name}"),
		    value(ctx, "{client_addr}"), value(ctx, "{mail_addr}"),
		    argv[0], value(ctx, "{tls_version}"), value(ctx, "{cipher}"),
		    value(ctx, "{cipher_bits}"), value(ctx, "{cert_subject}"),
		    value(ctx, "{cert_issuer}"));
	return SMFIS_CONTINUE;
}

static sfsistat
null_data(SMFICTX *ctx)
{
	(void)ctx;
	return every_event ? SMFIS_CONTINUE : SMFIS_ACCEPT;
}

static sfsistat
null_close(SMFICTX *ctx)
{
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static struct smfiDesc null_desc = {
	.xxfi_name = "null-milter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = 0,
	.xxfi_connect = null_connect,
	.xxfi_helo = null_helo,
	.xxfi_envfrom = null_envfrom,
	.xxfi_envrcpt = null_envrcpt,
	.xxfi_data = null_data,
	.xxfi_close = null_close,
	.xxfi_negotiate = null_negotiate,
};

int
main(int argc, char **argv)
{
	const char *socket = NULL;
	int ch, stacks = 0;

	while ((ch = getopt(argc, argv, "lp:rS")) != -1) {
		if (ch == 'l')
			log_rcpt = 1;
		else if (ch == 'p')
			socket = optarg;
		else if (ch == 'r')
			every_event = 1;
		else if (ch == 'S')
			stacks = 1;
		else
			goto usage;
	}
	if (socket == NULL || optind != argc)
		goto usage;
	if (stacks && threads_stack(THREADS_STACK) != 0) {
		fprintf(stderr, "null-milter: cannot set the threads' stack\n");
		return 70;
	}
	if (log_rcpt)
		openlog("null-milter", LOG_PID | LOG_NDELAY, LOG_MAIL);
	if (smfi_register(null_desc) != MI_SUCCESS ||
	    smfi_setconn((char *)socket) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "null-milter: cannot listen on %s\n", socket);
		return 69;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 70;
usage:
	fprintf(stderr, "usage: null-milter [-l] [-r] [-S] -p SOCKET\n");
	return 64;
}
