/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter.c - the libmilter glue: the only file that speaks libmilter.
 *
 * Per connection it keeps the facts the MTA gave at CONNECT and HELO; at
 * MAIL it adds the TLS facts and the sender and asks the policy; when the
 * answer depends on the recipient it asks again at each RCPT, and accepts
 * the message at DATA.  It never
 * refuses at CONNECT or HELO: a refusal there would take STARTTLS away
 * from the client (Postfix and Sendmail both do that).
 */
#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sysexits.h>

#include <libmilter/mfapi.h>

#include "ascii.h"
#include "decision.h"
#include "log.h"
#include "macros.h"
#include "milter.h"
#include "snapshot.h"
#include "stats.h"

/* The reply for an internal error: fail closed, temporarily. */
#define INTERNAL_CODE	"451"
#define INTERNAL_XCODE	"4.3.0"
#define INTERNAL_TEXT	"TLS policy check failed temporarily"

/* The longest reply text we hand to the MTA (Postfix and Sendmail: 980). */
#define REPLY_MAX	980

static atomic_flag warned_symlist = ATOMIC_FLAG_INIT;

struct conn {
	struct snapshot	*c_snap;	/* the policy this connection started
					 * with (a reference), or NULL */
	const struct policy *c_policy;	/* c_snap's policy, or NULL */
	struct session	c_conn;		/* CONNECT and HELO facts */
	struct session	c_tx;		/* c_conn + TLS + sender, from MAIL on;
					 * undefined before (c_in_tx) */
	bool		c_in_tx;	/* c_tx is set: a MAIL came */
	bool		c_symlist;	/* the MTA took our macro requests */
	bool		c_nr_conn;	/* we said we would not reply */
	bool		c_nr_helo;
};

static const char *
macro(void *ctx, const char *name)
{
	return smfi_getsymval((SMFICTX *)ctx, (char *)name);
}

/* A connection's state.  Not calloc(): c_tx (4.8 kB) is only ever read
 * after MAIL has copied c_conn into it, so clearing it is work for
 * nothing. */
static struct conn *
conn_new(void)
{
	struct conn *c = malloc(sizeof(*c));

	if (c != NULL) {
		c->c_snap = snapshot_acquire();
		c->c_policy = c->c_snap != NULL ? c->c_snap->sn_policy : NULL;
		session_init(&c->c_conn);
		c->c_in_tx = false;
		c->c_symlist = c->c_nr_conn = c->c_nr_helo = false;
		stats_connection();
	}
	return c;
}

static void
conn_free(struct conn *c)
{
	if (c != NULL)
		snapshot_release(c->c_snap);
	free(c);
}

/* Fail closed: an internal problem tempfails the command, never accepts. */
static sfsistat
internal_error(SMFICTX *ctx, const char *what)
{
	log_msg(LOG_ERR, "NOQUEUE: action=tempfail reason=\"internal error: "
	    "%s\"", what);
	stats_internal_error();
	(void)smfi_setreply(ctx, INTERNAL_CODE, INTERNAL_XCODE, INTERNAL_TEXT);
	return SMFIS_TEMPFAIL;
}

/*
 * Hand the verdict's reply to the MTA.  Both MTAs read the text as a
 * format: a single '%' makes Sendmail drop the reply for "550 5.7.1
 * Command rejected", so '%' is doubled.  A control byte (CR, LF) would
 * end the reply line: it becomes a space.  Bounded to REPLY_MAX.
 */
static sfsistat
refuse(SMFICTX *ctx, const struct verdict *v)
{
	char text[REPLY_MAX + 1];
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; v->vd_text[i] != '\0' && o + 2 < REPLY_MAX - 12; i++) {
		ch = (unsigned char)v->vd_text[i];
		if (ch == '%')
			text[o++] = '%';
		text[o++] = ascii_iscntrl(ch) ? ' ' : (char)ch;
	}
	text[o] = '\0';
	if (smfi_setreply(ctx, (char *)v->vd_code, (char *)v->vd_xcode,
	    text) != MI_SUCCESS)
		log_msg(LOG_ERR, "could not set reply %s %s", v->vd_code,
		    v->vd_xcode);
	return v->vd_kind == VERDICT_TEMPFAIL ? SMFIS_TEMPFAIL : SMFIS_REJECT;
}

/* Count one decision and log it (rcpt: RCPT TO's argument, as parsed
 * and as a text, or NULL); an accept only when the policy says so. */
static void
log_one(const struct conn *c, const char *stage, const struct mailaddr *rcpt,
    const struct session_text *rcpt_text, const struct verdict *v)
{
	char line[LOG_LINE_MAX];	/* log_text cuts there */
	int prio = LOG_INFO;

	stats_decision(c->c_snap->sn_rules, v);
	if (v->vd_kind == VERDICT_ACCEPT && !policy_log_accepts(c->c_policy))
		return;		/* counted all the same */
	if (v->vd_kind == VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL)
		prio = v->vd_monitor ? LOG_INFO : LOG_NOTICE;
	log_text(prio, decision_log_line(line, sizeof(line),
	    c->c_tx.ss_queue_id.st_present ? c->c_tx.ss_queue_id.st_value :
	    NULL, stage, &c->c_tx, rcpt, rcpt_text, v));
}

/* Log what the monitor rules would have refused (policy.h), then the
 * decision itself; rcpt is RCPT TO's argument and arcpt it parsed. */
static void
log_decision(const struct conn *c, const char *stage, const char *rcpt,
    const struct mailaddr *arcpt, const struct verdict *v)
{
	struct session_text text;
	struct verdict note;
	unsigned i;

	if (rcpt != NULL)
		session_text_set(&text, rcpt);
	for (i = 0; i < v->vd_nnotes; i++) {
		verdict_note(v, i, &note);
		log_one(c, stage, arcpt, rcpt != NULL ? &text : NULL, &note);
	}
	if (v->vd_notes_lost > 0)
		log_msg(LOG_INFO, "%u more monitor rules would have refused "
		    "too (the first %d are logged)", v->vd_notes_lost,
		    VERDICT_NOTES);
	log_one(c, stage, arcpt, rcpt != NULL ? &text : NULL, v);
}

/* What a decided verdict means at MAIL (accept the message) or RCPT. */
static sfsistat
answer(SMFICTX *ctx, const struct verdict *v, bool at_mail)
{
	if (v->vd_kind == VERDICT_ACCEPT || v->vd_monitor)
		return at_mail ? SMFIS_ACCEPT : SMFIS_CONTINUE;
	return refuse(ctx, v);
}

/* Ask for stage's macros (macros.h) at libmilter's stage sm. */
static bool
setsymlist(SMFICTX *ctx, int sm, enum macros_stage stage)
{
	return smfi_setsymlist(ctx, sm, (char *)macros_list(stage)) ==
	    MI_SUCCESS;
}

static sfsistat
mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	struct conn *c = conn_new();

	(void)f2;
	(void)f3;
	*pf0 = f0 & SMFIF_SETSYMLIST;
	*pf1 = f1 & MILTER_PFLAGS;
	*pf2 = *pf3 = 0;
	if (c == NULL)
		return SMFIS_CONTINUE;	/* no state: MAIL will tempfail */
	c->c_symlist = (*pf0 & SMFIF_SETSYMLIST) &&
	    setsymlist(ctx, SMFIM_CONNECT, MACROS_CONNECT) &&
	    setsymlist(ctx, SMFIM_HELO, MACROS_HELO) &&
	    setsymlist(ctx, SMFIM_ENVFROM, MACROS_MAIL);
	if (c->c_symlist)	/* none read at RCPT: only spares writes */
		(void)setsymlist(ctx, SMFIM_ENVRCPT, MACROS_RCPT);
	if (!c->c_symlist && !atomic_flag_test_and_set(&warned_symlist))
		log_msg(LOG_WARNING, "the MTA does not let the milter ask for "
		    "macros: sessions without {tls_version} count as TLS "
		    "state unknown and TLS requirements tempfail");
	c->c_nr_conn = (*pf1 & SMFIP_NR_CONN) != 0;
	c->c_nr_helo = (*pf1 & SMFIP_NR_HELO) != 0;
	smfi_setpriv(ctx, c);
	return SMFIS_CONTINUE;
}

static sfsistat
mlfi_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct conn *c = smfi_getpriv(ctx);
	char addr[INET6_ADDRSTRLEN] = "";
	const char *a = macro(ctx, "{client_addr}");
	const char *name = macro(ctx, "{client_name}");

	if (c == NULL && (c = conn_new()) != NULL)	/* after QUIT_NC */
		smfi_setpriv(ctx, c);
	if (c == NULL)
		return SMFIS_NOREPLY;	/* no state: MAIL will tempfail */
	if (a == NULL && hostaddr != NULL && hostaddr->sa_family == AF_INET)
		a = inet_ntop(AF_INET, &((struct sockaddr_in *)hostaddr)->
		    sin_addr, addr, sizeof(addr));
	else if (a == NULL && hostaddr != NULL &&
	    hostaddr->sa_family == AF_INET6)
		a = inet_ntop(AF_INET6, &((struct sockaddr_in6 *)hostaddr)->
		    sin6_addr, addr, sizeof(addr));
	/* c_conn is fresh: conn_new() at OPTNEG, and libmilter lets CONNECT
	 * come once per connection */
	session_set_client(&c->c_conn, a, name != NULL ? name : hostname,
	    macro(ctx, "{client_resolve}"));
	session_set_listener(&c->c_conn, macro, ctx);
	return c->c_nr_conn ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat
mlfi_helo(SMFICTX *ctx, char *name)
{
	struct conn *c = smfi_getpriv(ctx);
	const char *tls = macro(ctx, "{tls_version}");

	if (c == NULL)
		return SMFIS_NOREPLY;
	session_set_helo(&c->c_conn, name, tls != NULL && tls[0] != '\0');
	return c->c_nr_helo ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat
mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);
	struct verdict v;

	if (c == NULL || c->c_policy == NULL)
		return internal_error(ctx, "no connection state");
	c->c_tx = c->c_conn;
	c->c_in_tx = true;
	session_set_tls(&c->c_tx, macro, ctx, policy_mta(c->c_policy),
	    c->c_symlist && macro(ctx, "{mail_addr}") != NULL);
	session_set_sender(&c->c_tx, argv[0], macro(ctx, "{auth_authen}"),
	    macro(ctx, "i"));
	stats_transaction(&c->c_tx);
	policy_eval(c->c_policy, &c->c_tx, NULL, &v);
	if (v.vd_kind == VERDICT_DEFER)
		return SMFIS_CONTINUE;
	log_decision(c, "mail", NULL, NULL, &v);
	return answer(ctx, &v, true);
}

static sfsistat
mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);
	struct mailaddr rcpt;
	struct verdict v;

	if (c == NULL || c->c_policy == NULL)
		return internal_error(ctx, "no connection state");
	if (!c->c_in_tx)	/* libmilter lets no RCPT come before MAIL */
		return internal_error(ctx, "RCPT without MAIL");
	(void)mailaddr_parse(argv[0], &rcpt);
	policy_eval(c->c_policy, &c->c_tx, &rcpt, &v);
	if (v.vd_kind == VERDICT_DEFER)		/* cannot happen with rcpt */
		return internal_error(ctx, "undecided at RCPT");
	log_decision(c, "rcpt", argv[0], &rcpt, &v);
	return answer(ctx, &v, false);
}

/* Every recipient has been judged: done with this message (milter.h says
 * why DATA is asked for at all). */
static sfsistat
mlfi_data(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_ACCEPT;
}

static sfsistat
mlfi_close(SMFICTX *ctx)
{
	conn_free(smfi_getpriv(ctx));
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static struct smfiDesc milter_desc = {
	.xxfi_name = "tls-policy-milter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = 0,		/* SMFIF_SETSYMLIST is asked for in negotiate */
	.xxfi_connect = mlfi_connect,
	.xxfi_helo = mlfi_helo,
	.xxfi_envfrom = mlfi_envfrom,
	.xxfi_envrcpt = mlfi_envrcpt,
	.xxfi_data = mlfi_data,
	.xxfi_close = mlfi_close,
	.xxfi_negotiate = mlfi_negotiate,
};

/*
 * milter_open - see milter.h.
 */
int
milter_open(const char *socket)
{
	if (smfi_register(milter_desc) != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot register with libmilter");
		return EX_SOFTWARE;
	}
	if (smfi_setconn((char *)socket) != MI_SUCCESS ||
	    smfi_opensocket(false) != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot listen on %s", socket);
		return EX_UNAVAILABLE;
	}
	return 0;
}

/*
 * milter_main - see milter.h.
 */
int
milter_main(void)
{
	return smfi_main() == MI_SUCCESS ? 0 : EX_SOFTWARE;
}

/*
 * milter_stop - see milter.h.
 */
void
milter_stop(void)
{
	(void)smfi_stop();
}
