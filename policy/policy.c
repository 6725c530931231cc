/*
 * policy.c - evaluate the policy for a session: first matching rule wins.
 * A rule that may or may not match, because the sender or recipient it
 * selects on cannot be read, is never skipped silently: its requirements
 * count as if it matched whenever they are not met.
 */
#include <stdbool.h>
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
 * An envelope address the MTA gave but that cannot be read (over-long or
 * malformed): a sender or recipient selector can neither match it nor
 * rule it out, unless every pattern is "<>".  Treating it as "no match"
 * would let a client skip a rule just by garbling the address the MTA
 * still delivers (a 300-byte local part with a recipient delimiter).
 */
static bool
addr_undecided(const struct addrpat *pats, size_t n,
    const struct mailaddr *a)
{
	size_t i;

	if (a == NULL || !a->ma_present || a->ma_null || a->ma_valid)
		return false;
	for (i = 0; i < n; i++)
		if (pats[i].ap_kind != ADDRPAT_NULL)
			return true;
	return false;
}

/* Does the rule apply but for a sender selector that cannot be decided? */
static bool
sender_undecided(const struct rule *r, const struct session *s)
{
	struct rule others;

	if (!addr_undecided(r->r_senders, r->r_nsenders, &s->ss_sender))
		return false;
	others = *r;		/* a shallow copy, only read */
	others.r_nsenders = 0;
	return rule_selects(&others, s) == 1;
}

/*
 * A rule that may or may not apply (an address cannot be read): when its
 * requirements are not met, it decides, as if it applied; when they are,
 * the rules below decide, as if it did not.  So the verdict is the
 * stricter of the two readings.  Returns true when the rule decided.
 */
static bool
decide_undecided(const struct policy *p, const struct rule *r,
    const struct session *s, struct verdict *v)
{
	size_t n;

	decide(p, r, s, v);
	if (v->vd_kind == VERDICT_ACCEPT) {
		verdict_clear(v);
		return false;
	}
	n = strlen(v->vd_reason);
	snprintf(v->vd_reason + n, sizeof(v->vd_reason) - n,
	    " (address unreadable: rule may apply)");
	return true;
}

/*
 * policy_eval - see policy.h.
 */
void
policy_eval(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v)
{
	const struct rule *r;
	bool maybe;
	size_t i;

	verdict_clear(v);
	for (i = 0; i < p->p_nrules; i++) {
		r = &p->p_rules[i];
		maybe = false;
		if (rule_selects(r, s) != 1) {
			if (!sender_undecided(r, s))
				continue;
			maybe = true;
		}
		if (r->r_nrecipients > 0 && rcpt == NULL) {
			v->vd_kind = VERDICT_DEFER;
			snprintf(v->vd_reason, sizeof(v->vd_reason),
			    "rule \"%.64s\" depends on the recipient", r->r_name);
			return;
		}
		if (rule_selects_rcpt(r, rcpt) != 1) {
			if (!addr_undecided(r->r_recipients, r->r_nrecipients,
			    rcpt))
				continue;
			maybe = true;
		}
		if (!maybe) {
			decide(p, r, s, v);
			return;
		}
		if (decide_undecided(p, r, s, v))
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
