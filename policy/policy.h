/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.h - the loaded TLS policy and its one question: what happens to
 * this session, sender and recipient?
 *
 * A struct policy is built by conf_load() (conf.h), never changes
 * afterwards, and may be shared by any number of threads.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "mailaddr.h"
#include "session.h"

/* The policy: its members are for policy/ and the unit tests (below); the
 * daemon and the report ask through the functions of this header. */
struct policy;

enum policy_mode {
	POLICY_ENFORCE,		/* refusals are given */
	POLICY_MONITOR		/* refusals are only logged */
};

enum verdict_kind {
	VERDICT_ACCEPT,
	VERDICT_REJECT,		/* 5xx */
	VERDICT_TEMPFAIL,	/* 4xx */
	VERDICT_DEFER		/* MAIL stage only: depends on the recipient */
};

/* A rule with action "monitor" that would have refused: noted, and the
 * evaluation went on past it (as Postfix's warn_if_reject). */
#define VERDICT_NOTES 4
struct verdict_note {
	const char	*vn_rule;
	size_t		vn_rule_index;
	enum verdict_kind vn_kind;	/* VERDICT_REJECT or VERDICT_TEMPFAIL */
	const char	*vn_code;
	const char	*vn_xcode;
	const char	*vn_text;
	char		vn_reason[192];
};

/* The answer of policy_eval().  Strings point into the policy or to static
 * storage (vd_reason into the verdict itself): valid while the policy is. */
struct verdict {
	enum verdict_kind vd_kind;	/* what the policy decides */
	bool		vd_monitor;	/* a refusal that is only to be logged
					 * (mode "monitor" or action "monitor") */
	const char	*vd_rule;	/* deciding rule, NULL when none matched */
	size_t		vd_rule_index;	/* its position in the policy (0 first) */
	const char	*vd_code;	/* reply for a refusal: "554" */
	const char	*vd_xcode;	/* "5.7.0" */
	const char	*vd_text;	/* "Command refused due to lack of security" */
	char		vd_reason[192];	/* plain words, for the log */
	/* The monitor rules that matched before the deciding one and would
	 * have refused, in rule order: the first VERDICT_NOTES of them, and
	 * how many more there were.  None with VERDICT_DEFER (each RCPT's
	 * evaluation notes them again). */
	unsigned	vd_nnotes;
	unsigned	vd_notes_lost;
	struct verdict_note vd_notes[VERDICT_NOTES];
};

/*
 * verdict_note - note i (< v->vd_nnotes) of v as a verdict of its own: a
 * refusal to be logged only (vd_monitor), with no notes, in *out.
 */
void verdict_note(const struct verdict *v, unsigned i, struct verdict *out);

/*
 * policy_eval - decide for one session at MAIL (rcpt NULL) or RCPT.
 *
 * Rules are tried in order; the first whose selectors all match decides.
 * In mode "enforce" a matching rule whose action is "monitor" does not
 * decide: what it would have refused is noted (vd_notes) and the rules
 * below it decide, so putting a rule in monitor never lifts another.  At
 * MAIL, a rule that could still match but selects on the recipient
 * stops the walk with VERDICT_DEFER: the decision is then made per
 * recipient.  No matching rule means VERDICT_ACCEPT.  A requirement that
 * cannot be checked because the MTA's TLS facts are unknown gives
 * VERDICT_TEMPFAIL with a 451 4.3.5 reply, never an acceptance.
 *
 * Fills *v completely; never fails.
 */
void policy_eval(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v);

/* policy_free - free a policy built by conf_load(); NULL is ignored. */
void policy_free(struct policy *p);

/* policy_socket - the "socket" setting, or NULL when the file has none. */
const char *policy_socket(const struct policy *p);

/* The socket's mode when the file does not set socket_mode. */
#define POLICY_SOCKET_MODE 0660

/*
 * The daemon's own settings, applied at start only: user, group and
 * socket_group (names or numbers; NULL when not set), socket_mode (an
 * octal mode; POLICY_SOCKET_MODE when not set), pidfile (an absolute
 * name, or NULL), allow_root (false unless set).  Strings belong to p.
 */
const char *policy_user(const struct policy *p);
const char *policy_group(const struct policy *p);
const char *policy_socket_group(const struct policy *p);
unsigned policy_socket_mode(const struct policy *p);
const char *policy_pidfile(const struct policy *p);
bool policy_allow_root(const struct policy *p);

/* The metrics file's rewrite interval when stats_interval is not set. */
#define POLICY_STATS_INTERVAL 60

/*
 * Also applied at start only: stats_file (an absolute name, or NULL: no
 * metrics file; the string belongs to p) and stats_interval (seconds,
 * POLICY_STATS_INTERVAL when not set).
 */
const char *policy_stats_file(const struct policy *p);
unsigned policy_stats_interval(const struct policy *p);

/* policy_rule_name - the name of rule i (0 first), or NULL past the end. */
const char *policy_rule_name(const struct policy *p, size_t i);

/* policy_mode_names - "enforce", "monitor" by enum policy_mode, then NULL. */
extern const char *const policy_mode_names[];

/* policy_mode - enforce or monitor. */
enum policy_mode policy_mode(const struct policy *p);

/*
 * policy_log_accepts - the "log_accepts" setting: whether an accept gets
 * its decision line like a refusal (true unless set to false).
 */
bool policy_log_accepts(const struct policy *p);

/* policy_mta - the "mta" setting: whose macro conventions apply. */
enum session_mta policy_mta(const struct policy *p);

/* policy_nrules - the number of rules. */
size_t policy_nrules(const struct policy *p);

/* verdict_name - "accept", "reject", "tempfail" or "defer". */
const char *verdict_name(enum verdict_kind k);

/* ------------------------------------------------ inside a policy */
/*
 * The rest is for policy/ and the unit tests: the daemon and the report
 * use the functions above, never the members.
 */

struct rule;
struct ruleindex;
struct strpool;

/* The policy itself, built by conf_load(): the rules, the index over
 * them, the pool their strings live in, and every top-level setting. */
struct policy {
	struct rule	*p_rules;
	size_t		p_nrules;
	const char	*p_socket;	/* NULL when not set */
	enum policy_mode p_mode;
	bool		p_log_accepts;	/* a log line for each accept too */
	enum session_mta p_mta;		/* whose macro conventions apply */
	const char	*p_delim;	/* recipient_delimiter, "" when none */
	struct strpool	*p_pool;	/* what the rules point into */
	struct ruleindex *p_index;	/* the rules by selector */

	/* The rules' default reply (each rule has it filled in). */
	const char	*p_reply_code;
	const char	*p_reply_xcode;
	const char	*p_reply_text;

	/* The daemon's settings (read at start; a reload does not apply them). */
	const char	*p_user;	/* NULL when not set */
	const char	*p_group;
	const char	*p_socket_group;
	unsigned	p_socket_mode;	/* POLICY_SOCKET_MODE unless set */
	const char	*p_pidfile;
	bool		p_allow_root;
	const char	*p_stats_file;	/* the metrics file, NULL when none */
	unsigned	p_stats_interval; /* its rewrite, in seconds */
};

/*
 * Every top-level setting, described once: X(KEY, KIND, MEMBER), MEMBER
 * the member of struct policy that holds it in force and KIND what that
 * is (for confprint.c; a string that is NULL or "" is not set).  The
 * parser's table of top-level keys (conf.c) is this list.
 */
#define SETTINGS(X) \
	X("socket", STRING, p_socket) \
	X("mode", MODE, p_mode) \
	X("mta", MTA, p_mta) \
	X("log_accepts", BOOL, p_log_accepts) \
	X("user", STRING, p_user) \
	X("group", STRING, p_group) \
	X("allow_root", BOOL, p_allow_root) \
	X("socket_mode", OCTAL, p_socket_mode) \
	X("socket_group", STRING, p_socket_group) \
	X("pidfile", STRING, p_pidfile) \
	X("reply_code", STRING, p_reply_code) \
	X("reply_xcode", STRING, p_reply_xcode) \
	X("reply_text", STRING, p_reply_text) \
	X("recipient_delimiter", STRING, p_delim) \
	X("stats_file", STRING, p_stats_file) \
	X("stats_interval", INTERVAL, p_stats_interval)

/*
 * policy_eval_linear - policy_eval() by trying every rule in turn: the
 * definition the index must agree with (the tests compare the two).
 */
void policy_eval_linear(const struct policy *p, const struct session *s,
    const struct mailaddr *rcpt, struct verdict *v);

#endif
