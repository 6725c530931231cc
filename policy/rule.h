/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rule.h - one rule of the policy: selectors, requirements, outcome.
 *
 * Rules are built by confrule.c, each as soon as the parser has read its
 * section (confrule_build(); confrule_finish() adds the file's reply
 * defaults once the whole file is read), and never change afterwards.
 * Every pattern is stored already normalised, so matching a session is
 * plain compares.
 */
#ifndef RULE_H
#define RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "certfp.h"
#include "cidr.h"
#include "mailaddr.h"
#include "policy.h"
#include "selector.h"
#include "session.h"
#include "tlsversion.h"

enum rule_require {
	REQUIRE_NONE,		/* nothing */
	REQUIRE_ENCRYPT,	/* TLS in use */
	REQUIRE_VERIFY,		/* and a client certificate the MTA verified */
	REQUIRE_SECURE		/* and its name matches */
};

enum rule_action {
	ACTION_REJECT,		/* 5xx */
	ACTION_TEMPFAIL,	/* 4xx */
	ACTION_MONITOR		/* log only */
};

/* A list of strings; n == 0 means "not given". */
struct strlist {
	const char **sl_v;
	size_t	sl_n;
};

/*
 * Every requirement, described once: X(KEY, LIST, NEEDS, WHY, KIND,
 * MEMBER).  KEY is the policy key, LIST true for a list, NEEDS the
 * weakest "require" it means anything at, WHY what -n says when it is
 * given with a weaker one (after "KEY needs require = ...").  MEMBER is
 * the member of struct rule that holds it compiled and KIND what that is,
 * for the printer of "-n -v" (confprint.c).  "require" itself comes first.
 */
#define REQUIREMENTS(X) \
	X("require", false, REQUIRE_NONE, "", REQUIRE, r_require) \
	X("min_protocol", false, REQUIRE_ENCRYPT, "", TLSVERSION, \
	    r_min_protocol) \
	X("min_cipher_bits", false, REQUIRE_ENCRYPT, "", NUMBER, \
	    r_min_cipher_bits) \
	X("exclude_ciphers", true, REQUIRE_ENCRYPT, "", STRLIST, \
	    r_exclude_ciphers) \
	X("cert_fingerprint", true, REQUIRE_ENCRYPT, "", PINS, r_cert_fps) \
	X("cert_issuer", true, REQUIRE_VERIFY, \
	    ": the issuer is only known for a verified certificate", \
	    STRLIST, r_cert_issuers) \
	X("cert_name", true, REQUIRE_SECURE, \
	    ": the name is only compared at that level", STRLIST, \
	    r_cert_names)

/* The keys of a rule's outcome: X(KEY, KIND, MEMBER), as above. */
#define OUTCOMES(X) \
	X("action", ACTION, r_action) \
	X("reply_code", STRING, r_code) \
	X("reply_xcode", STRING, r_xcode) \
	X("reply_text", STRING, r_text)

/*
 * One rule.  Its strings and arrays live in the policy's pool (strpool.h)
 * and go with it: a rule owns nothing itself.
 */
struct rule {
	const char	*r_name;
	int		r_line;

	/* Selectors (selector.h): a rule applies when every given one
	 * matches.  r_stage: the latest stage among them (STAGE_CONNECT
	 * when none is given). */
	struct selvalue	r_sel[SEL_N];
	uint32_t	r_selmask;	/* 1 << id: sv_n > 0 */
	enum sel_stage	r_stage;

	/* Requirements. */
	enum rule_require r_require;
	enum tlsversion	r_min_protocol;	/* TLSVERSION_UNKNOWN: not given */
	long		r_min_cipher_bits; /* 0: not given */
	struct strlist	r_exclude_ciphers; /* fnmatch(3) patterns */
	struct strlist	r_cert_names;	/* dnsname patterns */
	struct strlist	r_cert_issuers;	/* exact: a CN, or a DN ("/...") */
	struct certfp	*r_cert_fps;	/* pins: any one must match */
	size_t		r_ncert_fps;

	/* Outcome when a requirement is not met. */
	enum rule_action r_action;
	const char	*r_code;	/* "554" */
	const char	*r_xcode;	/* "5.7.0" */
	const char	*r_text;
};

/* What rule_check() found. */
enum rule_result {
	RULE_MET,
	RULE_UNMET,
	RULE_UNKNOWN		/* the MTA's TLS facts are missing */
};

/*
 * rule_selects - do the rule's selectors of stages before STAGE_RCPT all
 * match question q?  Returns 1, 0, or -1 when a selector can be neither
 * matched nor ruled out (selector_all()) and none fails.
 */
int rule_selects(const struct rule *r, const struct question *q);

/*
 * rule_selects_rcpt - do the rule's STAGE_RCPT selectors all match q's
 * recipient?  1 when the rule has none; 0 when q has no recipient or one
 * does not match; -1 as rule_selects().
 */
int rule_selects_rcpt(const struct rule *r, const struct question *q);

/*
 * rule_check - are the rule's requirements met by the session?  On
 * RULE_UNMET or RULE_UNKNOWN, reason (len bytes) says why in plain words.
 */
enum rule_result rule_check(const struct rule *r, const struct session *s,
    char *reason, size_t len);

#endif
