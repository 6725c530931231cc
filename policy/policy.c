/*
 * policy.c - evaluate the policy for a session: first matching rule wins.
 * A rule that may or may not match, because a fact it selects on cannot
 * be read, is never skipped silently: its requirements count as if it
 * matched whenever they are not met.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reason.h"
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
	v->vd_rule_index = (size_t)(r - p->p_rules);
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
 * A rule that may or may not apply (rule.c says why): when its
 * requirements are not met, it decides, as if it applied; when they are,
 * the rules below decide, as if it did not.  So the verdict is the
 * stricter of the two readings.  Returns true when the rule decided.
 */
static bool
decide_maybe(const struct policy *p, const struct rule *r,
    const struct session *s, struct verdict *v)
{
	decide(p, r, s, v);
	if (v->vd_kind == VERDICT_ACCEPT) {
		verdict_clear(v);
		return false;
	}
	reason_cat(v->vd_reason, sizeof(v->vd_reason),
	    " (a selector could not be ruled out: rule may apply)",
	    sizeof(v->vd_reason));
	return true;
}

/*
 * What rule r says at this point of the walk: true when it decides (*v
 * is then the verdict), false when the next rule is to be asked.
 */
static bool
consider(const struct policy *p, const struct rule *r,
    const struct session *s, const struct mailaddr *rcpt, struct verdict *v)
{
	int sel, rsel;

	if ((sel = rule_selects(r, s)) == 0)
		return false;
	if (r->r_nrecipients > 0 && rcpt == NULL) {
		v->vd_kind = VERDICT_DEFER;
		reason_set(v->vd_reason, sizeof(v->vd_reason), "rule \"");
		reason_cat(v->vd_reason, sizeof(v->vd_reason), r->r_name, 64);
		reason_cat(v->vd_reason, sizeof(v->vd_reason),
		    "\" depends on the recipient", sizeof(v->vd_reason));
		return true;
	}
	if ((rsel = rule_selects_rcpt(r, rcpt)) == 0)
		return false;
	if (sel == 1 && rsel == 1) {
		decide(p, r, s, v);
		return true;
	}
	return decide_maybe(p, r, s, v);
}

/*
 * policy_eval_linear - see rule.h.
 */
void
policy_eval_linear(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v)
{
	size_t i;

	verdict_clear(v);
	for (i = 0; i < p->p_nrules; i++)
		if (consider(p, &p->p_rules[i], s, rcpt, v))
			return;
	reason_set(v->vd_reason, sizeof(v->vd_reason), "no rule applies");
}

/*
 * policy_eval - see policy.h.  The index brings, in order, every rule
 * that may apply (ruleindex.h); the others would each be skipped.
 */
void
policy_eval(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v)
{
	struct ruleindex_walk w;
	uint32_t i;

	if (p->p_index == NULL) {
		policy_eval_linear(p, s, rcpt, v);
		return;
	}
	verdict_clear(v);
	ruleindex_start(p->p_index, s, rcpt, &w);
	while ((i = ruleindex_next(&w)) != UINT32_MAX)
		if (consider(p, &p->p_rules[i], s, rcpt, v))
			return;
	reason_set(v->vd_reason, sizeof(v->vd_reason), "no rule applies");
}

/*
 * policy_free - see policy.h.
 */
void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	ruleindex_free(p->p_index);
	free(p->p_rules);
	strpool_free(p->p_pool);
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
 * policy_user, policy_group, policy_socket_group, policy_socket_mode,
 * policy_pidfile, policy_allow_root - see policy.h.
 */
const char *
policy_user(const struct policy *p)
{
	return p->p_user;
}

const char *
policy_group(const struct policy *p)
{
	return p->p_group;
}

const char *
policy_socket_group(const struct policy *p)
{
	return p->p_socket_group;
}

unsigned
policy_socket_mode(const struct policy *p)
{
	return p->p_socket_mode;
}

const char *
policy_pidfile(const struct policy *p)
{
	return p->p_pidfile;
}

bool
policy_allow_root(const struct policy *p)
{
	return p->p_allow_root;
}

/*
 * policy_rule_name - see policy.h.
 */
const char *
policy_rule_name(const struct policy *p, size_t i)
{
	return i < p->p_nrules ? p->p_rules[i].r_name : NULL;
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
 * policy_log_accepts - see policy.h.
 */
bool
policy_log_accepts(const struct policy *p)
{
	return p->p_log_accepts;
}

/*
 * policy_mta - see policy.h.
 */
enum session_mta
policy_mta(const struct policy *p)
{
	return p->p_mta;
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
