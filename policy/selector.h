/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * selector.h - every selector of a rule, described once.
 *
 * A selector says which sessions a rule applies to ("client_addr",
 * "recipient", ...).  SELECTORS() below is the one list of them; the
 * parser (conf.c, confrule.c), the rule's storage and matching
 * (selector.c), the index (ruleindex.c), the macros asked of the MTA
 * (macros.c), "tls-policy-milter -q" and its usage text (query.c) and
 * the decision line (decision.c) all expand it.  A new selector is its
 * row here, where the session keeps its fact (session.c), and its field
 * on the decision line; a new shape, its matcher in selector.c and its
 * keys in ruleindex.c.
 *
 * X(ID, KEY, SHAPE, ENTRY, STAGE, QUERY, MACRO, LOG, FACT):
 *   ID     SEL_ID in enum sel
 *   KEY    the policy key
 *   SHAPE  what a value is, hence how it is parsed, stored, matched and
 *          indexed (enum sel_shape)
 *   ENTRY  for SHAPE_NAME and SHAPE_TEXT: the function that checks and
 *          normalises one entry (confrule.c), else NULL
 *   STAGE  when the MTA has told the fact (enum sel_stage): a rule with a
 *          selector of STAGE_RCPT is undecided at MAIL
 *   QUERY  the -q key that gives the fact, or NULL when -q derives it
 *   MACRO  the MTA macro the daemon asks for and reads it from at that
 *          stage ("" when it comes with the command itself)
 *   LOG    the decision line's field that shows the fact
 *   FACT   what session s and question q say to it: a struct selfact
 *          with the member of its shape (SELFACT(...)); the one place
 *          that knows which session field answers which selector
 */
#ifndef SELECTOR_H
#define SELECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "mailaddr.h"
#include "session.h"

/*
 * In order of preference for the index (ties go to the earlier).  A
 * HELO name given before STARTTLS is void once TLS is on (RFC 3207
 * section 4.2; session_set_tls() forgets it then); while the TLS state is
 * unknown, a match on such a name is undecided, a mismatch stays one.
 */
#define SELECTORS(X) \
	X(CLIENT_ADDR, "client_addr", SHAPE_NET, NULL, STAGE_CONNECT, \
	    "client_addr", "{client_addr}", "client", \
	    SELFACT(.sf_addr = &s->ss_addr)) \
	X(SENDER, "sender", SHAPE_ADDR, NULL, STAGE_MAIL, \
	    "sender", "", "from", \
	    SELFACT(.sf_mail = &s->ss_sender)) \
	X(CLIENT_NAME, "client_name", SHAPE_NAME, entry_client_name, \
	    STAGE_CONNECT, "client_name", "{client_name}", "client", \
	    SELFACT(.sf_name = s->ss_client_name)) \
	X(HELO, "helo", SHAPE_NAME, entry_helo, STAGE_HELO, \
	    "helo", "", "helo", \
	    SELFACT(.sf_name = s->ss_helo, .sf_unsure = \
	    s->ss_tls == SESSION_TLS_UNKNOWN && !s->ss_helo_tls)) \
	X(RECIPIENT, "recipient", SHAPE_ADDR, NULL, STAGE_RCPT, \
	    "recipient", "", "to", \
	    SELFACT(.sf_mail = q->q_rcpt)) \
	X(LISTENER, "listener", SHAPE_TEXT, entry_text, STAGE_CONNECT, \
	    "listener", "{daemon_name}", "listener", \
	    SELFACT(.sf_text = &s->ss_listener)) \
	X(LISTENER_PORT, "listener_port", SHAPE_PORT, NULL, STAGE_CONNECT, \
	    "listener_port", "{daemon_port}", "port", \
	    SELFACT(.sf_num = s->ss_listener_port)) \
	X(LISTENER_ADDR, "listener_addr", SHAPE_NET, NULL, STAGE_CONNECT, \
	    "listener_addr", "{daemon_addr}", "laddr", \
	    SELFACT(.sf_addr = &s->ss_listener_addr)) \
	X(AUTHENTICATED, "authenticated", SHAPE_BOOL, NULL, STAGE_MAIL, \
	    "auth", "{auth_authen}", "auth", \
	    SELFACT(.sf_bool = s->ss_auth)) \
	X(TLS, "tls", SHAPE_BOOL, NULL, STAGE_MAIL, NULL, "", "tls", \
	    SELFACT(.sf_bool = s->ss_tls == SESSION_TLS_UNKNOWN ? -1 : \
	    s->ss_tls == SESSION_TLS_ON))

/* A FACT of SELECTORS(): the members given, the others zero. */
#define SELFACT(...)	((struct selfact){ __VA_ARGS__ })

#define SEL_ENUM(id, ...) SEL_##id,
enum sel {
	SELECTORS(SEL_ENUM)
	SEL_N
};
#undef SEL_ENUM

/* What a selector's values are. */
enum sel_shape {
	SHAPE_NET,	/* addresses and networks: struct cidr */
	SHAPE_NAME,	/* host names, ".domain" for any below: dnsname */
	SHAPE_TEXT,	/* exact text */
	SHAPE_ADDR,	/* envelope address patterns: struct addrpat */
	SHAPE_BOOL,	/* true or false */
	SHAPE_PORT	/* TCP port numbers, 1 to 65535 */
};

/* When the fact is known: a rule is decided once all its selectors'. */
enum sel_stage {
	STAGE_CONNECT,
	STAGE_HELO,
	STAGE_MAIL,
	STAGE_RCPT
};

/* The description of one selector (the columns of SELECTORS()). */
struct selector {
	const char	*se_key;
	enum sel_shape	se_shape;
	enum sel_stage	se_stage;
	const char	*se_query;
	const char	*se_macro;
	const char	*se_log;
};

/* selectors - the descriptions, by enum sel. */
extern const struct selector selectors[SEL_N];

/*
 * A rule's values of one selector; sv_n == 0 when the rule does not give
 * it.  Which member is used follows the selector's shape; a SHAPE_BOOL
 * selector has sv_n 1 and sv_bool.  The arrays live in the policy's pool.
 */
struct selvalue {
	size_t	sv_n;
	union {
		const struct cidr	*sv_nets;
		const char *const	*sv_names;	/* SHAPE_NAME, SHAPE_TEXT */
		const struct addrpat	*sv_addrs;
		const uint16_t		*sv_ports;
		bool			sv_bool;
	};
};

/*
 * What the question says to one selector: the member of the selector's
 * shape is set.  A fact that is not known matches nothing (an address of
 * family 0, a name "", a text not present, an address not present, a
 * port -1), except where it can be neither matched nor ruled out:
 * sf_bool -1 (TLS state unknown), sf_unsure (a match may be void), an
 * address the MTA gave but that cannot be read (mailaddr ma_valid).
 */
struct selfact {
	union {
		const struct ipaddr	*sf_addr;
		const char		*sf_name;
		const struct session_text *sf_text;
		const struct mailaddr	*sf_mail;
		long			sf_num;		/* PORT: -1 unknown */
		int			sf_bool;	/* 0, 1, -1 unknown */
	};
	bool	sf_unsure;	/* SHAPE_NAME: a match counts as undecided */
};

/* The question a rule is asked: the session at MAIL, or for a recipient. */
struct question {
	const struct session	*q_session;
	const struct mailaddr	*q_rcpt;	/* NULL at MAIL */
	const char		*q_delim;	/* recipient_delimiter, "" none */
};

/*
 * selector_all - do the rule values sel[id] of every selector id in mask
 * (bit 1 << id) all match question q (each its FACT)?  1, 0, or -1 when
 * one can be neither matched nor ruled out (an unknown boolean, an
 * sf_unsure name that matches, an address the MTA gave that cannot be
 * read, unless every pattern is "<>") and none fails.
 */
int selector_all(const struct selvalue sel[SEL_N], uint32_t mask,
    const struct question *q);

/* The selectors of STAGE_RCPT, as bits 1 << id. */
#define SEL_RCPT_BIT(id, key, shape, entry, stage, ...) \
	| ((stage) == STAGE_RCPT ? UINT32_C(1) << SEL_##id : 0)
#define SEL_RCPT_MASK	(0 SELECTORS(SEL_RCPT_BIT))

_Static_assert(SEL_N <= 32, "a rule's selectors are bits of a uint32_t");


#endif
