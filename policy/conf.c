/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf.c - read a policy file with libconfuse and compile it into the
 * project's own immutable rules.
 *
 * The file and its includes become one text (confsrc.c), its comments
 * blanked (cfgtext.c).  libconfuse parses it into options whose values
 * are all "struct cval": the raw text and the line it stood on.  Each
 * rule is compiled (confrule.c) as soon as libconfuse has read its "}",
 * and its section freed (rule_parsed()).  Once the whole text is read,
 * build_policy() reads the top-level settings, gives each rule the file's
 * default reply and checks what needs every rule at once (names, order,
 * shadowing); then the index is built (ruleindex.c).  Every value and
 * every combination is checked, each problem reported as FILE:LINE:
 * message.  libconfuse stops at the first syntax error; an unknown key is
 * blanked and the text read again (read_all()), so every problem below
 * it is found too.  After any other syntax error, what libconfuse read
 * before it (the top-level settings and every rule that was complete) is
 * still checked, so one run shows that error and every problem above it.
 * The cfg_t never leaves this file.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <confuse.h>

#include "ascii.h"
#include "cfgtext.h"
#include "conf.h"
#include "confrule.h"
#include "confsrc.h"
#include "confval.h"
#include "confwarn.h"
#include "rule.h"
#include "ruleindex.h"
#include "selector.h"
#include "strpool.h"

/*
 * One parse in progress.  libconfuse's callbacks carry no user pointer, so
 * they reach it through this thread-local, set only for the duration of
 * cfg_parse_buf().  Each rule is compiled into pa_policy as soon as its
 * "}" is read and its libconfuse section freed at once: libconfuse needs
 * a few KB per section, too much to keep every rule's until the end
 * (bench/README: the peak while loading).
 */
struct parse {
	struct confval_loader *pa_ld;
	const char	*pa_text;	/* the prepared text */
	const struct cfgtext *pa_ct;	/* where each rule opens */
	struct policy	*pa_policy;	/* the complete rules, in file order */
	size_t		pa_size;	/* room in p_rules and below */
	struct confrule_pending *pa_pending;	/* per rule */
	bool		*pa_selects;	/* per rule: any selector written */
	bool		pa_said;	/* libconfuse reported an error */
	/* The key libconfuse stopped at as unknown, its line and its
	 * problem (an index in ld_problems; SIZE_MAX when none). */
	char		pa_unknown_key[128];
	int		pa_unknown_line;
	size_t		pa_unknown;
};

static _Thread_local struct parse *tl_parse;

/* libconfuse value callback: keep the text and its line. */
static int
cval_parse(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	struct confval_loader *ld = tl_parse ? tl_parse->pa_ld : NULL;
	struct cval *cv = NULL;

	if (ld == NULL || (cv = calloc(1, sizeof(*cv))) == NULL ||
	    (cv->cv_text = strdup(value ? value : "")) == NULL) {
		free(cv);
		if (ld != NULL)
			ld->ld_oom = true;
		return -1;
	}
	cv->cv_loader = ld;
	cv->cv_opt = opt;
	cv->cv_name = opt->name;
	cv->cv_line = cfg->line;
	ld->ld_reset_opt = NULL;
	*(struct cval **)result = cv;
	return 0;
}

/*
 * libconfuse free callback.  While parsing, a value is freed only when a
 * second "=" for the same option replaces it: that silently drops policy,
 * so it is reported (once per replaced assignment).  Once the parse has
 * ended (ld_parsing false), values are just freed, whether it succeeded or
 * stopped at a syntax error.
 */
static void
cval_free(void *p)
{
	struct cval *cv = p;
	struct confval_loader *ld;

	if (cv == NULL)
		return;
	ld = cv->cv_loader;
	if (ld != NULL && ld->ld_parsing && ld->ld_reset_opt != cv->cv_opt) {
		ld->ld_reset_opt = cv->cv_opt;
		confval_problem(ld, cv->cv_line, "%s is set again further "
		    "down, which would replace this value (write \"+=\" to add "
		    "to a list)", cv->cv_name);
	}
	free(cv->cv_text);
	free(cv);
}

static bool section_selects(cfg_t *sec);
static void check_empty_lists(struct confval_loader *ld, cfg_t *sec,
    int rule_line);

/* Room for one more rule in the parse; false when out of memory. */
static bool
parse_grow(struct parse *pa)
{
	struct policy *p = pa->pa_policy;
	size_t size;
	void *a, *b, *c;

	if (p->p_nrules < pa->pa_size)
		return true;
	size = pa->pa_size ? 2 * pa->pa_size : 64;
	if (pa->pa_size == 0 && pa->pa_ct->ct_nsections > size)
		size = pa->pa_ct->ct_nsections;	/* usually the exact count */
	a = realloc(p->p_rules, size * sizeof(*p->p_rules));
	if (a != NULL)
		p->p_rules = a;
	b = realloc(pa->pa_pending, size * sizeof(*pa->pa_pending));
	if (b != NULL)
		pa->pa_pending = b;
	c = realloc(pa->pa_selects, size * sizeof(*pa->pa_selects));
	if (c != NULL)
		pa->pa_selects = c;
	if (a == NULL || b == NULL || c == NULL)
		return false;
	pa->pa_size = size;
	return true;
}

/*
 * libconfuse validate callback of "rule", called when a rule section has
 * been read to its "}".  The rule is compiled and the section taken out
 * of libconfuse's list and freed at once.  (libconfuse 3.3 also compares
 * every new title with every earlier one in its list, a time that grows
 * with the square of the rules; titles are checked here instead, after
 * sorting.)  A rule
 * cut short by a syntax error is never taken, so the policy holds only
 * complete rules.  The file's reply defaults may follow; see
 * confrule_finish().
 */
static int
rule_parsed(cfg_t *cfg, cfg_opt_t *opt)
{
	struct parse *pa = tl_parse;
	struct confval_loader *ld;
	struct policy *p;
	cfg_t *sec;
	size_t i;
	int line;

	(void)cfg;
	if (pa == NULL || opt->nvalues == 0)
		return -1;
	ld = pa->pa_ld;
	p = pa->pa_policy;
	if (!parse_grow(pa)) {
		ld->ld_oom = true;
		return -1;
	}
	i = p->p_nrules++;
	line = i < pa->pa_ct->ct_nsections ? pa->pa_ct->ct_sections[i] : 0;
	sec = opt->values[opt->nvalues - 1]->section;
	memset(&p->p_rules[i], 0, sizeof(p->p_rules[i]));
	memset(&pa->pa_pending[i], 0, sizeof(pa->pa_pending[i]));
	confrule_build(ld, sec, line, &p->p_rules[i], &pa->pa_pending[i]);
	check_empty_lists(ld, sec, line);
	pa->pa_selects[i] = section_selects(sec);
	opt->nvalues--;
	free(opt->values[opt->nvalues]);
	sec->path = NULL;	/* the root's, as libconfuse does */
	ld->ld_parsing = false;	/* these values are not being replaced */
	cfg_free(sec);
	ld->ld_parsing = true;
	return ld->ld_oom ? -1 : 0;
}

/* Free what only the parse needed. */
static void
parse_free(struct parse *pa)
{
	free(pa->pa_pending);
	free(pa->pa_selects);
	pa->pa_pending = NULL;
	pa->pa_selects = NULL;
}

/* Every option, a list or not: its values are struct cval (cval_parse()). */
#define OPT(name, list) CFG_PTR_CB(name, 0, CFGF_NODEFAULT | \
	((list) ? CFGF_LIST : 0), cval_parse, cval_free)
#define SEL_OPT(id, key, shape, ...) OPT(key, shape != SHAPE_BOOL),
#define REQ_OPT(key, list, ...) OPT(key, list),
#define OUT_OPT(key, ...) OPT(key, false),
#define ROOT_OPT(key, ...) OPT(key, false),

/* A rule's keys: its selectors, requirements and outcome (selector.h,
 * rule.h); the man page must match (t/man.t). */
static cfg_opt_t rule_opts[] = {
	SELECTORS(SEL_OPT)
	REQUIREMENTS(REQ_OPT)
	OUTCOMES(OUT_OPT)
	CFG_END()
};

/* The top-level keys: the settings (policy.h) and the rules. */
static cfg_opt_t root_opts[] = {
	SETTINGS(ROOT_OPT)
	CFG_SEC("rule", rule_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

/* ------------------------------------------------------------ errors */

/* Is name one of the options of the CFG_END()-terminated opts? */
static bool
has_opt(const cfg_opt_t *opts, const char *name)
{
	for (; opts->name != NULL; opts++)
		if (strcmp(opts->name, name) == 0)
			return true;
	return false;
}

/* The line of the last text in the file (for "ends too early"). */
static int
last_line(const char *text)
{
	int line = 1, last = 1;

	for (; *text != '\0'; text++) {
		if (*text == '\n')
			line++;
		else if (*text != ' ' && *text != '\t' && *text != '\r')
			last = line;
	}
	return last;
}

/* A key libconfuse does not know: say where it belongs, if anywhere. */
static void
unknown_key(struct confval_loader *ld, cfg_t *cfg, const char *name)
{
	bool in_rule = strcmp(cfg->name, "root") != 0;

	if (!in_rule && has_opt(rule_opts, name))
		confval_problem(ld, cfg->line, "%s can only be set inside a "
		    "rule", name);
	else if (in_rule && strcmp(name, "rule") == 0)
		confval_problem(ld, cfg->line, "a rule cannot contain another "
		    "rule (is a \"}\" missing above?)");
	else if (strcmp(name, "include") == 0)
		confval_problem(ld, cfg->line, "include must stand at the "
		    "start of its own line: include \"PATH\"");
	else if (in_rule && has_opt(root_opts, name))
		confval_problem(ld, cfg->line, "%s can only be set at the top "
		    "of the file, not inside a rule", name);
	else
		confval_problem(ld, cfg->line, "unknown setting \"%s\"", name);
}

/* An unknown key: reported, and remembered so that the loader can blank
 * it and read on (read_all()). */
static void
unknown(struct parse *pa, cfg_t *cfg, const char *name)
{
	size_t n = pa->pa_ld->ld_nproblems;

	unknown_key(pa->pa_ld, cfg, name);
	if (pa->pa_ld->ld_nproblems != n + 1 ||
	    strlen(name) >= sizeof(pa->pa_unknown_key))
		return;
	strcpy(pa->pa_unknown_key, name);
	pa->pa_unknown_line = cfg->line;
	pa->pa_unknown = n;
}

/*
 * The scalar option whose "=" has been read but whose value has not: the
 * only one libconfuse leaves flagged CFGF_RESET.  NULL if none.
 */
static const cfg_opt_t *
pending_scalar(cfg_t *cfg)
{
	const cfg_opt_t *opt;

	for (opt = cfg->opts; opt->name != NULL; opt++)
		if (opt->type == CFGT_PTR && !(opt->flags & CFGF_LIST) &&
		    (opt->flags & CFGF_RESET))
			return opt;
	return NULL;
}

static void
unexpected(struct confval_loader *ld, cfg_t *cfg, const char *token)
{
	const cfg_opt_t *opt = pending_scalar(cfg);

	if (opt != NULL && strcmp(token, "{") == 0)
		confval_problem(ld, cfg->line, "%s takes a single value, not "
		    "a list in braces", opt->name);
	else if (opt != NULL)
		confval_problem(ld, cfg->line, "%s = must be followed by a "
		    "value, not \"%s\"", opt->name, token);
	else
		confval_problem(ld, cfg->line, "unexpected \"%s\"", token);
}

/* libconfuse 3.3's messages with one "%s", and plainer words around it. */
static const struct {
	const char	*cm_fmt;
	const char	*cm_before;
	const char	*cm_after;
} confuse_msgs[] = {
	{ "missing equal sign after option '%s'", "missing \"=\" after ", "" },
	{ "attempt to append to non-list option '%s'", "",
	    " takes a single value, so \"+=\" cannot add to it" },
	{ "missing title for section '%s'", "a ",
	    " needs a name in quotes: rule \"NAME\" { ... }" },
	{ "missing opening brace for section '%s'", "missing \"{\" after the ",
	    " name" },
	{ "bad escape sequence '%s'", "bad escape \"", "\" in a string" },
	{ "invalid octal number '%s'", "bad escape \"",
	    "\" in a string (an octal escape goes up to \\377)" },
	{ "found duplicate title '%s'", "there is already a rule \"", "\"" },
	{ "no sub-section title/index for '%s'", "unknown setting \"",
	    "|...\"" },
};

/* Report a libconfuse message in plain words; false if it is not known. */
static bool
confuse_plain(struct parse *pa, cfg_t *cfg, const char *fmt, va_list ap)
{
	size_t i;

	if (strcmp(fmt, "premature end of file") == 0)
		confval_problem(pa->pa_ld, last_line(pa->pa_text), "the file "
		    "ends in the middle of a setting");
	else if (strcmp(fmt, "unexpected closing brace") == 0)
		confval_problem(pa->pa_ld, cfg->line, "this \"}\" closes "
		    "nothing");
	else if (strcmp(fmt, "unexpected token '%s'") == 0)
		unexpected(pa->pa_ld, cfg, va_arg(ap, const char *));
	else if (strcmp(fmt, "no such option '%s'") == 0)
		unknown(pa, cfg, va_arg(ap, const char *));
	else {
		for (i = 0; i < sizeof(confuse_msgs) / sizeof(*confuse_msgs); i++)
			if (strcmp(fmt, confuse_msgs[i].cm_fmt) == 0) {
				confval_problem(pa->pa_ld, cfg->line, "%s%s%s",
				    confuse_msgs[i].cm_before,
				    va_arg(ap, const char *),
				    confuse_msgs[i].cm_after);
				return true;
			}
		return false;
	}
	return true;
}

/* libconfuse error callback: syntax errors and unknown options. */
static void
confuse_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	struct parse *pa = tl_parse;
	char msg[512];
	va_list aq;
	bool done;

	if (pa == NULL)
		return;
	pa->pa_said = true;
	va_copy(aq, ap);
	done = confuse_plain(pa, cfg, fmt, aq);
	va_end(aq);
	if (!done) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		confval_problem(pa->pa_ld, cfg->line, "%s", msg);
	}
}

/* ------------------------------------------------------------ policy */

/* A libmilter socket spec: unix:/path, local:/path, inet:PORT@HOST,
 * inet6:PORT@HOST, with something after the prefix ("unix:/" alone would
 * name the root directory). */
static bool
socket_ok(const char *s)
{
	static const char *const kinds[] = { "unix:/", "local:/", "inet:",
		"inet6:", NULL };
	const char *const *k;

	if (!confval_printable(s) || strchr(s, ' ') != NULL)
		return false;
	for (k = kinds; *k != NULL; k++)
		if (strncmp(s, *k, strlen(*k)) == 0)
			return s[strlen(*k)] != '\0';
	return false;
}

/*
 * recipient_delimiter: as Postfix's, the characters any of which starts
 * an address extension; "" (the default) for none.  Any printable
 * character but the ones an address is made of around its local part.
 */
static void
build_delimiter(struct confval_loader *ld, cfg_t *cfg, struct policy *p)
{
	struct cval *cv;

	p->p_delim = "";
	if ((cv = cfg_getptr(cfg, "recipient_delimiter")) == NULL)
		return;
	if (!confval_printable(cv->cv_text) ||
	    strpbrk(cv->cv_text, " @<>\"") != NULL)
		confval_problem(ld, cv->cv_line, "recipient_delimiter: \"%s\" "
		    "must be printable characters other than space, \"@\", "
		    "\"<\", \">\" and '\"' (as Postfix's, e.g. \"+\")",
		    cv->cv_text);
	else if ((p->p_delim = strpool_intern(ld->ld_pool, cv->cv_text)) ==
	    NULL)
		ld->ld_oom = true;
}

static void
build_globals(struct confval_loader *ld, cfg_t *cfg, struct policy *p,
    struct confrule_defaults *rd)
{
	struct cval *cv;
	int i;

	p->p_mode = POLICY_ENFORCE;
	if ((cv = cfg_getptr(cfg, "mode")) != NULL &&
	    (i = confval_enum(ld, cv, policy_mode_names,
	    "enforce, monitor")) >= 0)
		p->p_mode = (enum policy_mode)i;
	p->p_log_accepts = true;
	if ((cv = cfg_getptr(cfg, "log_accepts")) != NULL &&
	    (i = confval_bool(ld, cv)) >= 0)
		p->p_log_accepts = i == 1;
	if ((cv = cfg_getptr(cfg, "socket")) != NULL) {
		if (!socket_ok(cv->cv_text))
			confval_problem(ld, cv->cv_line, "socket: \"%s\" is not a "
			    "libmilter socket (unix:/path, inet:PORT@HOST, "
			    "inet6:PORT@HOST)", cv->cv_text);
		else if ((p->p_socket = strpool_intern(ld->ld_pool,
		    cv->cv_text)) == NULL)
			ld->ld_oom = true;
	}
	confrule_defaults(ld, cfg, rd);
	p->p_mta = rd->rd_mta;
	if ((p->p_reply_code = strpool_intern(ld->ld_pool, rd->rd_code)) ==
	    NULL || (p->p_reply_xcode = strpool_intern(ld->ld_pool,
	    rd->rd_xcode)) == NULL || (p->p_reply_text =
	    strpool_intern(ld->ld_pool, rd->rd_text)) == NULL)
		ld->ld_oom = true;
	build_delimiter(ld, cfg, p);
}

/* A user or group name as useradd(8) and groupadd(8) take them, or a
 * number. */
static bool
account_ok(const char *s)
{
	size_t n;

	if (s[0] == '\0' || s[0] == '-' || s[0] == '.')
		return false;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' &&
		    s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') ||
		    s[n] == '_' || s[n] == '-' || s[n] == '.'))
			return false;
	return n <= 32;
}

/* Copy an account name setting into *out, or report why not. */
static void
build_account(struct confval_loader *ld, cfg_t *cfg, const char *key,
    const char *what, const char **out)
{
	struct cval *cv;

	if ((cv = cfg_getptr(cfg, key)) == NULL)
		return;
	if (!account_ok(cv->cv_text))
		confval_problem(ld, cv->cv_line, "%s: \"%s\" is not a %s name "
		    "(letters, digits, \"_\", \"-\", \".\"; at most 32)", key,
		    cv->cv_text, what);
	else if ((*out = strpool_intern(ld->ld_pool, cv->cv_text)) == NULL)
		ld->ld_oom = true;
}

/* socket_mode: an octal mode ("0660" or "660") up to 0777 that lets the
 * owner read and write; the MTA gets in through the group bits. */
static void
build_socket_mode(struct confval_loader *ld, cfg_t *cfg, struct policy *p)
{
	struct cval *cv;
	const char *s;
	unsigned mode = 0;

	p->p_socket_mode = POLICY_SOCKET_MODE;
	if ((cv = cfg_getptr(cfg, "socket_mode")) == NULL)
		return;
	for (s = cv->cv_text; *s >= '0' && *s <= '7' && s - cv->cv_text < 4;
	    s++)
		mode = mode * 8 + (unsigned)(*s - '0');
	if (*s != '\0' || s - cv->cv_text < 3 || (s - cv->cv_text == 4 &&
	    cv->cv_text[0] != '0') || (mode & 0600) != 0600)
		confval_problem(ld, cv->cv_line, "socket_mode: \"%s\" is not an "
		    "octal mode from 0600 to 0777 (e.g. 0660)", cv->cv_text);
	else
		p->p_socket_mode = mode;
}

/* A file the daemon writes (key): an absolute, printable name that does
 * not end in "/", kept in *out. */
static void
build_file(struct confval_loader *ld, cfg_t *cfg, const char *key,
    const char **out)
{
	struct cval *cv;

	if ((cv = cfg_getptr(cfg, key)) == NULL)
		return;
	if (cv->cv_text[0] != '/' || !confval_printable(cv->cv_text) ||
	    cv->cv_text[strlen(cv->cv_text) - 1] == '/')
		confval_problem(ld, cv->cv_line, "%s: \"%s\" is not an "
		    "absolute file name", key, cv->cv_text);
	else if ((*out = strpool_intern(ld->ld_pool, cv->cv_text)) == NULL)
		ld->ld_oom = true;
}

/* stats_interval: seconds, and only with a stats_file to rewrite. */
static void
build_stats_interval(struct confval_loader *ld, cfg_t *cfg, struct policy *p)
{
	struct cval *cv;
	long n;

	p->p_stats_interval = POLICY_STATS_INTERVAL;
	if ((cv = cfg_getptr(cfg, "stats_interval")) == NULL)
		return;
	if ((n = confval_long(ld, cv, 1, 86400)) > 0)
		p->p_stats_interval = (unsigned)n;
	if (cfg_getptr(cfg, "stats_file") == NULL)
		confval_problem(ld, cv->cv_line, "stats_interval is set but "
		    "stats_file is not: there is no metrics file to rewrite");
}

/* The daemon's settings: who it runs as, its socket's owner, its pidfile,
 * its metrics file. */
static void
build_daemon(struct confval_loader *ld, cfg_t *cfg, struct policy *p)
{
	struct cval *cv;
	int b;

	build_account(ld, cfg, "user", "user", &p->p_user);
	build_account(ld, cfg, "group", "group", &p->p_group);
	build_account(ld, cfg, "socket_group", "group", &p->p_socket_group);
	build_socket_mode(ld, cfg, p);
	if ((cv = cfg_getptr(cfg, "allow_root")) != NULL &&
	    (b = confval_bool(ld, cv)) >= 0)
		p->p_allow_root = b == 1;
	build_file(ld, cfg, "pidfile", &p->p_pidfile);
	build_file(ld, cfg, "stats_file", &p->p_stats_file);
	build_stats_interval(ld, cfg, p);
}

/*
 * Report each list of a rule given as "{}": it could never match.
 * libconfuse calls nothing for an empty list, so the rule's line is the
 * nearest one known.
 */
static void
check_empty_lists(struct confval_loader *ld, cfg_t *sec, int rule_line)
{
	const cfg_opt_t *opt;

	for (opt = sec->opts; opt->name != NULL; opt++)
		if ((opt->flags & CFGF_LIST) && (opt->flags & CFGF_MODIFIED) &&
		    opt->nvalues == 0)
			confval_problem(ld, rule_line, "%s in rule \"%s\" is an "
			    "empty list, so the rule could never apply",
			    opt->name, cfg_title(sec));
}

/* ------------------------------------------------------------ rules */

struct titled {
	const char	*ti_title;
	size_t		ti_index;
};

static int
titled_cmp(const void *a, const void *b)
{
	const struct titled *x = a, *y = b;
	int c = strcmp(x->ti_title, y->ti_title);

	if (c != 0)
		return c;
	return x->ti_index < y->ti_index ? -1 : x->ti_index > y->ti_index;
}

/* Two rules may not share a name (sorted: n log n, not n squared). */
static void
check_titles(struct confval_loader *ld, const struct policy *p)
{
	struct titled *t;
	size_t i, first = 0;
	char ref[PATH_MAX + 32];
	int line;

	if (p->p_nrules < 2)
		return;
	if ((t = calloc(p->p_nrules, sizeof(*t))) == NULL) {
		ld->ld_oom = true;
		return;
	}
	for (i = 0; i < p->p_nrules; i++)
		t[i] = (struct titled){ p->p_rules[i].r_name, i };
	qsort(t, p->p_nrules, sizeof(*t), titled_cmp);
	for (i = 1; i < p->p_nrules; i++) {
		if (strcmp(t[i].ti_title, t[first].ti_title) != 0)
			first = i;
		else {
			line = p->p_rules[t[i].ti_index].r_line;
			confval_problem(ld, line, "there is already a rule "
			    "\"%s\" (%s)", t[i].ti_title, confval_lineref(ld,
			    line, p->p_rules[t[first].ti_index].r_line, ref,
			    sizeof(ref)));
		}
	}
	free(t);
}

/* Does the rule section give any selector (even a broken or empty one)? */
static bool
section_selects(cfg_t *sec)
{
	cfg_opt_t *opt;
	unsigned i;

	for (i = 0; i < SEL_N; i++)
		if ((opt = cfg_getopt(sec, selectors[i].se_key)) != NULL &&
		    (opt->flags & CFGF_MODIFIED))
			return true;
	return false;
}

/* A rule below one without any selector can never apply. */
static void
check_rule_order(struct confval_loader *ld, const struct parse *pa,
    const struct policy *p)
{
	size_t i;

	for (i = 0; i + 1 < p->p_nrules; i++)
		if (!pa->pa_selects[i]) {
			confval_problem(ld, p->p_rules[i + 1].r_line,
			    "rule \"%s\" can never apply: rule \"%s\" above "
			    "it has no selector and so applies to everything",
			    p->p_rules[i + 1].r_name, p->p_rules[i].r_name);
			return;
		}
}

/*
 * Finish the policy once the file is read: the top-level settings, the
 * rules' default replies, and what needs all rules at once.  After a
 * syntax error (complete false) only what was read before it is checked:
 * the complete rules and the top-level settings above the error.
 */
static void
build_policy(struct parse *pa, cfg_t *cfg, bool complete)
{
	struct confval_loader *ld = pa->pa_ld;
	struct policy *p = pa->pa_policy;
	struct confrule_defaults rd;
	size_t i;

	build_globals(ld, cfg, p, &rd);
	build_daemon(ld, cfg, p);
	if (p->p_nrules == 0 && complete)
		confval_problem(ld, 1, "the policy has no rule, so it would "
		    "never refuse anything");
	for (i = 0; i < p->p_nrules; i++)
		confrule_finish(ld, &rd, &pa->pa_pending[i], &p->p_rules[i]);
	check_titles(ld, p);
	check_rule_order(ld, pa, p);
	confwarn_shadowed(ld, p->p_rules, p->p_nrules);
}

/* ------------------------------------------------------------ loading */

/*
 * Does text hold a quoted string that libconfuse reads as empty: "", '',
 * or one that starts with an escape of NUL ("\0", "\000", "\x00")?
 * Used only after libconfuse stopped without a word.
 */
static bool
has_empty_string(const char *text)
{
	const char *p;
	unsigned v;
	int i;

	for (p = text; *p != '\0'; p++) {
		if ((*p != '"' && *p != '\'') || p[1] == '\0')
			continue;
		if (p[1] == *p)
			return true;
		if (p[1] != '\\')
			continue;
		v = 1;
		if (p[2] >= '0' && p[2] <= '7')
			for (v = 0, i = 2; i < 5 && p[i] >= '0' && p[i] <= '7'; i++)
				v = v * 8 + (unsigned)(p[i] - '0');
		else if (p[2] == 'x' && ascii_hexval(p[3]) >= 0)
			for (v = 0, i = 3; i < 5 && ascii_hexval(p[i]) >= 0; i++)
				v = v * 16 + (unsigned)ascii_hexval(p[i]);
		if (v == 0)
			return true;
	}
	return false;
}

/*
 * Parse the prepared text.  Returns the cfg_t, even after a syntax error
 * (*complete tells); NULL when out of memory.
 *
 * libconfuse 3.3 stops without a word at an empty name ("" = ..., or one
 * written as escapes), and when its own allocations fail.  That is
 * reported on the line of the rule it was in, if any (finished rules have
 * left the list), else its own.  (Were it out of memory, it may have left
 * a rule it failed to set up as a NULL or freed pointer in its list, which
 * cfg_free() would follow: a risk taken.)
 */
static cfg_t *
parse_text(struct parse *pa, char *text, size_t len, bool *complete)
{
	struct confval_loader *ld = pa->pa_ld;
	cfg_t *cfg;
	size_t n;
	int rc;

	*complete = false;
	pa->pa_said = false;
	pa->pa_unknown = SIZE_MAX;
	pa->pa_policy->p_nrules = 0;
	ld->ld_reset_opt = NULL;
	if ((cfg = cfg_init(root_opts, CFGF_NONE)) == NULL) {
		ld->ld_oom = true;
		return NULL;
	}
	cfg_set_error_function(cfg, confuse_error);
	cfg_set_validate_func(cfg, "rule", rule_parsed);
	pa->pa_text = text;
	tl_parse = pa;
	ld->ld_parsing = true;
	rc = len > 0 ? cfg_parse_buf(cfg, text) : CFG_SUCCESS;
	ld->ld_parsing = false;
	tl_parse = NULL;
	*complete = rc == CFG_SUCCESS;
	if (*complete || pa->pa_said || ld->ld_oom)
		return cfg;
	n = cfg_size(cfg, "rule");
	confval_problem(ld, n > 0 ? cfg_getnsec(cfg, "rule", n - 1)->line :
	    cfg->line, has_empty_string(text) ? "an empty \"\" where a "
	    "setting's name belongs" : "the file cannot be read from here on "
	    "(an empty name where a setting's name belongs?)");
	return cfg;
}

/*
 * Of the problems from index from on, keep only the one at index keep:
 * a parse that stopped at an unknown key is read again with the key
 * blanked, and finds the others again.
 */
static void
problems_keep(struct confval_loader *ld, size_t from, size_t keep)
{
	struct confval_problem kept = ld->ld_problems[keep];
	size_t i;

	for (i = from; i < ld->ld_nproblems; i++) {
		ld->ld_nwarnings -= ld->ld_problems[i].pb_warning;
		if (i != keep)
			free(ld->ld_problems[i].pb_text);
	}
	kept.pb_seq = from;
	ld->ld_problems[from] = kept;
	ld->ld_nproblems = from + 1;
	ld->ld_nwarnings += kept.pb_warning;
}

static bool prepare(struct confval_loader *ld, char *text, size_t len,
    struct cfgtext *ct);

/*
 * Parse the prepared text as parse_text() does, reading on past unknown
 * keys.  libconfuse 3.3 stops at the first one ("no such option"), and
 * CFGF_IGNORE_UNKNOWN would drop them without a word; so each one is
 * reported, blanked with what belongs to it (cfgtext_blank_statement()),
 * and the text parsed again, up to READ_RETRIES times, keeping from each
 * stopped parse only its unknown key: the next parse finds the rest
 * again.  Returns the last parse's cfg_t, or NULL when out of memory.
 */
#define READ_RETRIES 64

static cfg_t *
read_all(struct parse *pa, char *text, size_t len, struct cfgtext *ct,
    bool *complete)
{
	struct confval_loader *ld = pa->pa_ld;
	size_t from;
	cfg_t *cfg;
	int tries;

	for (tries = 0;; tries++) {
		from = ld->ld_nproblems;
		cfg = parse_text(pa, text, len, complete);
		if (cfg == NULL || *complete || ld->ld_oom ||
		    pa->pa_unknown == SIZE_MAX)
			return cfg;
		if (tries == READ_RETRIES) {
			confval_problem(ld, pa->pa_unknown_line, "the check "
			    "stops here after %d unknown settings: more "
			    "problems may follow", READ_RETRIES + 1);
			return cfg;
		}
		if (cfgtext_blank_statement(text, len, pa->pa_unknown_line,
		    pa->pa_unknown_key) < 0)
			return cfg;
		problems_keep(ld, from, pa->pa_unknown);
		cfg_free(cfg);
		cfgtext_free(ct);
		if (!prepare(ld, text, len, ct))
			return NULL;
	}
}

/* Blank the comments; false (problems reported) if libconfuse must not
 * see the text. */
static bool
prepare(struct confval_loader *ld, char *text, size_t len, struct cfgtext *ct)
{
	size_t i;

	if (cfgtext_prepare(text, len, ct) == 0)
		return true;
	for (i = 0; i < ct->ct_nerrors; i++)
		confval_problem(ld, ct->ct_errors[i].ce_line, "%s",
		    ct->ct_errors[i].ce_msg);
	if (ct->ct_nerrors == 0)
		ld->ld_oom = true;
	return false;
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct confval_problem *x = a, *y = b;

	if (x->pb_line != y->pb_line)
		return x->pb_line < y->pb_line ? -1 : 1;
	return x->pb_seq < y->pb_seq ? -1 : x->pb_seq > y->pb_seq;
}

/* A list of n + 1 NULL pointers for report(), or NULL. */
static char **
lines_new(size_t n)
{
	return calloc(n + 1, sizeof(char *));
}

/* Hand the sorted problems and warnings over to the caller's lists. */
static void
report(struct confval_loader *ld, struct conf_errors *errors)
{
	struct confval_problem *pb;
	size_t i;

	if (ld->ld_nproblems > 0)
		qsort(ld->ld_problems, ld->ld_nproblems,
		    sizeof(*ld->ld_problems), problem_cmp);
	errors->ce_lines = lines_new(ld->ld_nproblems - ld->ld_nwarnings);
	errors->ce_warnings = lines_new(ld->ld_nwarnings);
	for (i = 0; i < ld->ld_nproblems; i++) {
		pb = &ld->ld_problems[i];
		if (pb->pb_warning && errors->ce_warnings != NULL)
			errors->ce_warnings[errors->ce_nwarnings++] =
			    pb->pb_text;
		else if (!pb->pb_warning && errors->ce_lines != NULL)
			errors->ce_lines[errors->ce_count++] = pb->pb_text;
		else
			free(pb->pb_text);
	}
	free(ld->ld_problems);
	if ((errors->ce_lines == NULL || errors->ce_warnings == NULL) &&
	    !ld->ld_oom) {
		conf_errors_free(errors);
		ld->ld_oom = true;
		errors->ce_lines = lines_new(1);
	}
	if (ld->ld_oom && errors->ce_lines != NULL &&
	    asprintf(&errors->ce_lines[errors->ce_count], "%s: out of memory",
	    ld->ld_path) >= 0)
		errors->ce_count++;
}

/*
 * conf_load - see conf.h.
 */
struct policy *
conf_load(const char *path, struct conf_errors *errors)
{
	struct confval_loader ld = { .ld_path = path };
	struct parse pa = { .pa_ld = &ld };
	struct confsrc src = { 0 };
	struct policy *p;
	struct cfgtext ct;
	cfg_t *cfg = NULL;
	bool complete = false;

	memset(errors, 0, sizeof(*errors));
	memset(&ct, 0, sizeof(ct));
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->p_pool = strpool_new()) == NULL) {
		free(p);
		ld.ld_oom = true;
		report(&ld, errors);
		return NULL;
	}
	ld.ld_pool = p->p_pool;
	pa.pa_policy = p;
	pa.pa_ct = &ct;
	if (confsrc_load(&src, &ld) == 0 &&
	    prepare(&ld, src.cs_text, src.cs_len, &ct))
		cfg = read_all(&pa, src.cs_text, src.cs_len, &ct, &complete);
	confsrc_free_text(&src);
	cfgtext_free(&ct);
	if (cfg != NULL && !ld.ld_oom)
		build_policy(&pa, cfg, complete);
	parse_free(&pa);
	if (cfg != NULL)
		cfg_free(cfg);
	strpool_seal(p->p_pool);
	if (ld.ld_nproblems == ld.ld_nwarnings && !ld.ld_oom && cfg != NULL &&
	    (p->p_index = ruleindex_build(p->p_rules, p->p_nrules)) == NULL)
		ld.ld_oom = true;
	if (ld.ld_nproblems > ld.ld_nwarnings || ld.ld_oom || cfg == NULL) {
		policy_free(p);
		p = NULL;
	}
	report(&ld, errors);
	confsrc_free(&src);
	/*
	 * Loading freed far more than it keeps (libconfuse's sections, the
	 * text), in small pieces among the policy's own: give those pages
	 * back, or a large policy keeps megabytes of free heap resident.
	 */
	(void)malloc_trim(0);
	return p;
}

/*
 * conf_errors_free - see conf.h.
 */
void
conf_errors_free(struct conf_errors *errors)
{
	size_t i;

	if (errors == NULL)
		return;
	for (i = 0; i < errors->ce_count; i++)
		free(errors->ce_lines[i]);
	free(errors->ce_lines);
	for (i = 0; i < errors->ce_nwarnings; i++)
		free(errors->ce_warnings[i]);
	free(errors->ce_warnings);
	memset(errors, 0, sizeof(*errors));
}

/*
 * conf_keys - see conf.h.
 */
void
conf_keys(void (*fn)(void *arg, const char *section, const char *key),
    void *arg)
{
	const cfg_opt_t *opt;

	for (opt = root_opts; opt->name != NULL; opt++)
		fn(arg, NULL, opt->name);
	for (opt = rule_opts; opt->name != NULL; opt++)
		fn(arg, "rule", opt->name);
}
