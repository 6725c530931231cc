/*
 * confrule.h - compile one "rule" section of the policy file.
 * Internal to the policy loader.
 */
#ifndef CONFRULE_H
#define CONFRULE_H

#include <confuse.h>

#include "confval.h"
#include "rule.h"

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

/*
 * confrule_build - fill *r (zeroed by the caller) from the rule section
 * sec that opens on line (0 if unknown), checking every value and every
 * combination.  Problems are reported through ld; *r is then incomplete
 * but safe to rule_free().
 */
void confrule_build(struct confval_loader *ld, cfg_t *sec, int line,
    const struct confrule_defaults *rd, struct rule *r);


#endif
