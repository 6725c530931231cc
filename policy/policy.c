/*
 * policy.c - evaluate the policy for a session: first matching rule wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* The reply when the MTA's TLS facts are missing: a configuration error. */
#define UNKNOWN_CODE	"451"
#define UNKNOWN_XCODE	"4.3.5"
#define UNKNOWN_TEXT	"TLS policy cannot be checked: TLS facts missing"

static void
verdict_clear(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->vd_kind = VERDICT_ACCEPT;
}

/* Turn rule r's outcome into the verdict. */
static void
decide(const struct policy *p, const struct rule *r, const struct session *s,
    struct verdict *v)
{
	enum rule_result res;

	v->vd_rule = r->r_name;
	res = rule_check(r, s, v->vd_reason, sizeof(v->vd_reason));
	if (res == RULE_MET) {
		v->vd_kind = VERDICT_ACCEPT;
		return;
	}
	if (res == RULE_UNKNOWN) {
		v->vd_kind = VERDICT_TEMPFAIL;
		v->vd_code = UNKNOWN_CODE;
		v->vd_xcode = UNKNOWN_XCODE;
		v->vd_text = UNKNOWN_TEXT;
	} else {
		v->vd_kind = r->r_code[0] == '4' ? VERDICT_TEMPFAIL :
		    VERDICT_REJECT;
		v->vd_code = r->r_code;
		v->vd_xcode = r->r_xcode;
		v->vd_text = r->r_text;
	}
	v->vd_monitor = p->p_mode == POLICY_MONITOR ||
	    r->r_action == ACTION_MONITOR;
}

/*
 * policy_eval - see policy.h.
 */
void
policy_eval(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v)
{
	const struct rule *r;
	size_t i;

	verdict_clear(v);
	for (i = 0; i < p->p_nrules; i++) {
		r = &p->p_rules[i];
		if (!rule_selects(r, s))
			continue;
		if (r->r_nrecipients > 0 && rcpt == NULL) {
			v->vd_kind = VERDICT_DEFER;
			snprintf(v->vd_reason, sizeof(v->vd_reason),
			    "rule \"%.64s\" depends on the recipient", r->r_name);
			return;
		}
		if (!rule_selects_rcpt(r, rcpt))
			continue;
		decide(p, r, s, v);
		return;
	}
	snprintf(v->vd_reason, sizeof(v->vd_reason), "no rule applies");
}

/*
 * policy_free - see policy.h.
 */
void
policy_free(struct policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->p_nrules; i++)
		rule_free(&p->p_rules[i]);
	free(p->p_rules);
	free(p->p_socket);
	free(p);
}

/*
 * policy_socket - see policy.h.
 */
const char *
policy_socket(const struct policy *p)
{
	return p->p_socket;
}

/*
 * policy_mode - see policy.h.
 */
enum policy_mode
policy_mode(const struct policy *p)
{
	return p->p_mode;
}

/*
 * policy_nrules - see policy.h.
 */
size_t
policy_nrules(const struct policy *p)
{
	return p->p_nrules;
}

/*
 * verdict_name - see policy.h.
 */
const char *
verdict_name(enum verdict_kind k)
{
	switch (k) {
	case VERDICT_ACCEPT:
		return "accept";
	case VERDICT_REJECT:
		return "reject";
	case VERDICT_TEMPFAIL:
		return "tempfail";
	case VERDICT_DEFER:
		return "defer";
	}
	return "tempfail";
}
