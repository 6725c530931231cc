/*
 * selector.h - every selector of a rule, described once.
 *
 * A selector says which sessions a rule applies to ("client_addr",
 * "recipient", ...).  SELECTORS() below is the one list of them; the
 * parser (confrule.c), the rule's storage and matching (rule.c), the
 * index (ruleindex.c), "tls-policy-milter -q" (query.c), its usage text
 * and the decision line (decision.c) all expand it, so a new selector is
 * one line here, the fact it reads (selector.c, and the session that
 * holds it) and nothing else.
 *
 * X(ID, KEY, SHAPE, ENTRY, STAGE, QUERY, MACRO, LOG):
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
 */
#ifndef SELECTOR_H
#define SELECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "mailaddr.h"
#include "session.h"

/* In order of preference for the index (ties go to the earlier). */
#define SELECTORS(X) \
	X(CLIENT_ADDR, "client_addr", SHAPE_NET, NULL, STAGE_CONNECT, \
	    "client_addr", "{client_addr}", "client") \
	X(SENDER, "sender", SHAPE_ADDR, NULL, STAGE_MAIL, \
	    "sender", "", "from") \
	X(CLIENT_NAME, "client_name", SHAPE_NAME, entry_client_name, \
	    STAGE_CONNECT, "client_name", "{client_name}", "client") \
	X(HELO, "helo", SHAPE_NAME, entry_helo, STAGE_HELO, \
	    "helo", "", "helo") \
	X(RECIPIENT, "recipient", SHAPE_ADDR, NULL, STAGE_RCPT, \
	    "recipient", "", "to") \
	X(LISTENER, "listener", SHAPE_TEXT, entry_text, STAGE_CONNECT, \
	    "listener", "{daemon_name}", "listener") \
	X(LISTENER_PORT, "listener_port", SHAPE_PORT, NULL, STAGE_CONNECT, \
	    "listener_port", "{daemon_port}", "port") \
	X(LISTENER_ADDR, "listener_addr", SHAPE_NET, NULL, STAGE_CONNECT, \
	    "listener_addr", "{daemon_addr}", "laddr") \
	X(AUTHENTICATED, "authenticated", SHAPE_BOOL, NULL, STAGE_MAIL, \
	    "auth", "{auth_authen}", "auth") \
	X(TLS, "tls", SHAPE_BOOL, NULL, STAGE_MAIL, NULL, "", "tls")

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

/* The question a rule is asked: the session at MAIL, or for a recipient. */
struct question {
	const struct session	*q_session;
	const struct mailaddr	*q_rcpt;	/* NULL at MAIL */
	const char		*q_delim;	/* recipient_delimiter, "" none */
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

/*
 * selector_fact - what question q says to selector id, into *f.  The
 * pointers in *f point into q's session and recipient.
 */
void selector_fact(enum sel id, const struct question *q, struct selfact *f);

/*
 * selector_match - does rule value v of selector id match fact f?  1, 0,
 * or -1 when it can be neither matched nor ruled out.  delim is the
 * recipient_delimiter ("" for none) for address patterns.
 */
int selector_match(enum sel id, const struct selvalue *v,
    const struct selfact *f, const char *delim);

/*
 * selector_find - the selector whose policy key (query: -q key, when
 * query is true) is the len bytes at name; SEL_N when none.
 */
enum sel selector_find(const char *name, size_t len, bool query);

#endif
