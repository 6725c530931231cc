/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confrule.h - compile one "rule" section of the policy file.
 * Internal to the policy loader.
 */
#ifndef CONFRULE_H
#define CONFRULE_H

#include <stdbool.h>

#include <confuse.h>

#include "confval.h"
#include "rule.h"

/* The names of enum rule_require and enum rule_action, NULL-terminated. */
extern const char *const confrule_require_names[];
extern const char *const confrule_action_names[];

/* The file-wide settings a rule falls back to or is checked against. */
struct confrule_defaults {
	const char	*rd_code;	/* "554" unless the file says otherwise */
	const char	*rd_xcode;
	const char	*rd_text;
	enum session_mta rd_mta;	/* the "mta" setting */
	int		rd_mta_line;	/* its line, 0 when not given */
};

/*
 * confrule_defaults - read the top-level reply_code, reply_xcode,
 * reply_text and mta of cfg into *rd (strings owned by cfg, valid while
 * it is), reporting bad values.
 */
void confrule_defaults(struct confval_loader *ld, cfg_t *cfg,
    struct confrule_defaults *rd);

/* What confrule_finish() needs of a rule once the whole file is read. */
struct confrule_pending {
	int	rp_code_line;	/* reply_code's line, else the rule's */
	int	rp_xcode_line;	/* reply_xcode's line, else rp_code_line */
	bool	rp_ok;		/* its own reply settings were valid */
	int	rp_fp_line;	/* cert_fingerprint's line, 0 if none */
	const char *rp_dn;	/* the first cert_issuer given as a DN */
	int	rp_dn_line;
};

/*
 * confrule_build - fill *r (zeroed by the caller) from the rule section
 * sec that opens on line (0 if unknown), checking every value and every
 * combination; strings and lists go to ld->ld_pool.  The file's reply
 * defaults may still be unknown (they may follow the rule), so a reply
 * setting the rule does not give stays NULL and *rp remembers what
 * confrule_finish() needs.  Problems are reported through ld; *r is then
 * incomplete.  sec may be freed afterwards.
 */
void confrule_build(struct confval_loader *ld, cfg_t *sec, int line,
    struct rule *r, struct confrule_pending *rp);

/*
 * confrule_finish - once the whole file is read: fill in r's reply
 * settings from the file's defaults rd and report replies that
 * contradict the rule's action or each other.
 */
void confrule_finish(struct confval_loader *ld,
    const struct confrule_defaults *rd, const struct confrule_pending *rp,
    struct rule *r);

#endif
