/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.c - evaluate the policy for a session: first matching rule wins.
 * A rule that may or may not match, because a fact it selects on cannot
 * be read, is never skipped silently: its requirements count as if it
 * matched whenever they are not met.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reason.h"
#include "rule.h"
#include "ruleindex.h"
#include "strpool.h"

/* The reply when the MTA's TLS facts are missing: a configuration error. */
#define UNKNOWN_CODE	"451"
#define UNKNOWN_XCODE	"4.3.5"
#define UNKNOWN_TEXT	"TLS policy cannot be checked: TLS facts missing"

/* After the reason of a rule that may or may not apply (decide_maybe()). */
#define MAYBE_TEXT	" (a selector could not be ruled out: rule may apply)"

/* Clear the decision, keep the notes. */
static void
verdict_clear(struct verdict *v)
{
	memset(v, 0, offsetof(struct verdict, vd_nnotes));
	v->vd_kind = VERDICT_ACCEPT;
}

/* A fresh verdict: no decision, no notes (the notes' 1 KB array is not
 * cleared: only vd_nnotes of it is ever read). */
static void
verdict_start(struct verdict *v)
{
	verdict_clear(v);
	v->vd_nnotes = v->vd_notes_lost = 0;
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
	reason_cat(v->vd_reason, sizeof(v->vd_reason), MAYBE_TEXT,
	    sizeof(v->vd_reason));
	return true;
}

/*
 * Note what monitor rule r would have said, when it would refuse; sure is
 * false when the rule may or may not apply (decide_maybe()).
 */
static void
note(const struct policy *p, const struct rule *r, const struct session *s,
    bool sure, struct verdict *v)
{
	struct verdict_note *n;
	struct verdict w;

	decide(p, r, s, &w);
	if (w.vd_kind == VERDICT_ACCEPT)
		return;
	if (v->vd_nnotes == VERDICT_NOTES) {
		v->vd_notes_lost++;
		return;
	}
	n = &v->vd_notes[v->vd_nnotes++];
	n->vn_rule = w.vd_rule;
	n->vn_rule_index = w.vd_rule_index;
	n->vn_kind = w.vd_kind;
	n->vn_code = w.vd_code;
	n->vn_xcode = w.vd_xcode;
	n->vn_text = w.vd_text;
	memcpy(n->vn_reason, w.vd_reason, sizeof(n->vn_reason));
	if (!sure)
		reason_cat(n->vn_reason, sizeof(n->vn_reason), MAYBE_TEXT,
		    sizeof(n->vn_reason));
}

/*
 * What rule r says at this point of the walk: true when it decides (*v
 * is then the verdict), false when the next rule is to be asked.  A
 * monitor rule in mode "enforce" never decides: note() keeps what it
 * would have said.
 */
static bool
consider(const struct policy *p, const struct rule *r,
    const struct question *q, struct verdict *v)
{
	const struct session *s = q->q_session;
	int sel, rsel;

	if ((sel = rule_selects(r, q)) == 0)
		return false;
	if (r->r_stage == STAGE_RCPT && q->q_rcpt == NULL) {
		v->vd_kind = VERDICT_DEFER;
		reason_set(v->vd_reason, sizeof(v->vd_reason), "rule \"");
		reason_cat(v->vd_reason, sizeof(v->vd_reason), r->r_name, 64);
		reason_cat(v->vd_reason, sizeof(v->vd_reason),
		    "\" depends on the recipient", sizeof(v->vd_reason));
		return true;
	}
	if ((rsel = rule_selects_rcpt(r, q)) == 0)
		return false;
	if (r->r_action == ACTION_MONITOR && p->p_mode == POLICY_ENFORCE) {
		note(p, r, s, sel == 1 && rsel == 1, v);
		return false;
	}
	if (sel == 1 && rsel == 1) {
		decide(p, r, s, v);
		return true;
	}
	return decide_maybe(p, r, s, v);
}

/* The end of a walk: none decided (none), or a deferral, which keeps no
 * notes: each recipient's evaluation makes them again. */
static void
finish(struct verdict *v, bool none)
{
	if (none)
		reason_set(v->vd_reason, sizeof(v->vd_reason),
		    "no rule applies");
	else if (v->vd_kind == VERDICT_DEFER)
		v->vd_nnotes = v->vd_notes_lost = 0;
}

/*
 * verdict_note - see policy.h.
 */
void
verdict_note(const struct verdict *v, unsigned i, struct verdict *out)
{
	const struct verdict_note *n = &v->vd_notes[i];

	verdict_start(out);
	out->vd_kind = n->vn_kind;
	out->vd_monitor = true;
	out->vd_rule = n->vn_rule;
	out->vd_rule_index = n->vn_rule_index;
	out->vd_code = n->vn_code;
	out->vd_xcode = n->vn_xcode;
	out->vd_text = n->vn_text;
	memcpy(out->vd_reason, n->vn_reason, sizeof(out->vd_reason));
}

/*
 * policy_eval_linear - see policy.h.
 */
void
policy_eval_linear(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v)
{
	const struct question q = { s, rcpt, p->p_delim };
	size_t i;

	verdict_start(v);
	for (i = 0; i < p->p_nrules; i++)
		if (consider(p, &p->p_rules[i], &q, v))
			break;
	finish(v, i == p->p_nrules);
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
	const struct question q = { s, rcpt, p->p_delim };
	uint32_t i;

	if (p->p_index == NULL) {
		policy_eval_linear(p, s, rcpt, v);
		return;
	}
	verdict_start(v);
	ruleindex_start(p->p_index, &q, &w);
	while ((i = ruleindex_next(&w)) != UINT32_MAX)
		if (consider(p, &p->p_rules[i], &q, v))
			break;
	finish(v, i == UINT32_MAX);
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
 * policy_stats_file, policy_stats_interval - see policy.h.
 */
const char *
policy_stats_file(const struct policy *p)
{
	return p->p_stats_file;
}

unsigned
policy_stats_interval(const struct policy *p)
{
	return p->p_stats_interval;
}

/*
 * policy_rule_name - see policy.h.
 */
const char *
policy_rule_name(const struct policy *p, size_t i)
{
	return i < p->p_nrules ? p->p_rules[i].r_name : NULL;
}

/* policy_mode_names - see policy.h. */
const char *const policy_mode_names[] = { "enforce", "monitor", NULL };

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
