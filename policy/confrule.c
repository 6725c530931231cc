/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confrule.c - compile one "rule" section into a struct rule: selectors,
 * requirements and outcome, each value checked and normalised, and the
 * combinations that make no sense reported with the line to fix.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "certfp.h"
#include "certname.h"
#include "cidr.h"
#include "confrule.h"
#include "confwarn.h"
#include "dnsname.h"
#include "mailaddr.h"
#include "session.h"
#include "tlsversion.h"

#define DEFAULT_CODE	"554"
#define DEFAULT_XCODE	"5.7.0"
#define DEFAULT_TEXT	"Command refused due to lack of security"
#define TEMPFAIL_CODE	"454"
#define TEMPFAIL_XCODE	"4.7.0"

/* confrule_require_names, confrule_action_names - see confrule.h. */
const char *const confrule_require_names[] = { "none", "encrypt", "verify",
	"secure", NULL };
const char *const confrule_action_names[] = { "reject", "tempfail",
	"monitor", NULL };

/* Sendmail passes at most this much of a DN (OpenSSL's one-line form). */
#define SENDMAIL_DN_MAX 255

/* The option name of section sec. */
static cfg_opt_t *
opt(cfg_t *sec, const char *name)
{
	return cfg_getopt(sec, name);
}

/* cfg_size(), cfg_getnptr() and cfg_getptr() through opt(). */
static size_t
opt_size(cfg_t *sec, const char *name)
{
	cfg_opt_t *o = opt(sec, name);

	return o != NULL ? cfg_opt_size(o) : 0;
}

static void *
opt_getnptr(cfg_t *sec, const char *name, size_t i)
{
	cfg_opt_t *o = opt(sec, name);

	return o != NULL ? cfg_opt_getnptr(o, (unsigned)i) : NULL;
}

static void *
opt_getptr(cfg_t *sec, const char *name)
{
	return opt_getnptr(sec, name, 0);
}

/*
 * Was the option written in the section at all?  An empty list "{}" has
 * no values but was written, and can never match anything.
 */
static bool
given(cfg_t *sec, const char *name)
{
	cfg_opt_t *o = opt(sec, name);

	return o != NULL && (o->flags & CFGF_MODIFIED) != 0;
}

/* The index of the option's value in names[], -1 if absent or not there
 * (reported elsewhere). */
static int
choice(cfg_t *sec, const char *name, const char *const names[])
{
	const struct cval *cv = opt_getptr(sec, name);
	int i;

	for (i = 0; cv != NULL && names[i] != NULL; i++)
		if (strcmp(cv->cv_text, names[i]) == 0)
			return i;
	return -1;
}

/* The text in the policy's pool (equal texts shared); NULL when out of
 * memory, which is then noted. */
static const char *
pooled(struct confval_loader *ld, const char *text)
{
	const char *s = strpool_intern(ld->ld_pool, text);

	if (s == NULL)
		ld->ld_oom = true;
	return s;
}

/* Room for n items of size bytes in the policy's pool, or NULL. */
static void *
pool_array(struct confval_loader *ld, size_t n, size_t size)
{
	void *p = NULL;

	if (n <= SIZE_MAX / size)
		p = strpool_alloc(ld->ld_pool, n * size);
	if (p == NULL)
		ld->ld_oom = true;
	return p;
}

/* The text pooled as the string item at item (const char *); false when
 * out of memory (noted). */
static bool
keep(struct confval_loader *ld, const char *text, void *item)
{
	return (*(const char **)item = pooled(ld, text)) != NULL;
}

/*
 * An entry compiler: entry cv of list option key into the item at item,
 * whose type is the list's.  Returns true, or false when the entry is
 * refused (reported) or memory ran out (noted); the item is then unused.
 */
typedef bool (*entry_fn)(struct confval_loader *ld, const char *key,
    const struct cval *cv, void *item);

/* Report entry cv of key refused: why follows the entry after sep (" "
 * before "is not ...", ": " before a parser's own words).  Returns false. */
static bool
refused(struct confval_loader *ld, const char *key, const struct cval *cv,
    const char *sep, const char *why)
{
	confval_problem(ld, cv->cv_line, "%s: \"%s\"%s%s", key, cv->cv_text,
	    sep, why);
	return false;
}

static bool
entry_dnsname(struct confval_loader *ld, const char *key,
    const struct cval *cv, void *item)
{
	char name[DNSNAME_BUFSIZE];

	if (dnsname_normalize(cv->cv_text, name, sizeof(name),
	    DNSNAME_DOTPREFIX) < 0)
		return refused(ld, key, cv, " ", "is not a host name (write "
		    "\"name\" or \".domain\")");
	return keep(ld, name, item);
}

/* A client name: "unknown" is what Postfix says of a client without a
 * validated name, and the session never has it as a name. */
static bool
entry_client_name(struct confval_loader *ld, const char *key,
    const struct cval *cv, void *item)
{
	if (ascii_caseeq(cv->cv_text, "unknown") ||
	    ascii_caseeq(cv->cv_text, "unknown."))
		return refused(ld, key, cv, " ", "is Postfix's word for a "
		    "client without a validated name: it never matches");
	return entry_dnsname(ld, key, cv, item);
}

/* A certificate name: Sendmail's placeholders are no certificate's name. */
static bool
entry_cert_name(struct confval_loader *ld, const char *key,
    const struct cval *cv, void *item)
{
	if (certname_placeholder(cv->cv_text))
		return refused(ld, key, cv, " ", "is Sendmail's stand-in for a "
		    "certificate name it could not read: it never matches");
	return entry_dnsname(ld, key, cv, item);
}

static bool
entry_helo(struct confval_loader *ld, const char *key, const struct cval *cv,
    void *item)
{
	char name[DNSNAME_BUFSIZE];

	if (session_helo_normalize(cv->cv_text, name, sizeof(name),
	    DNSNAME_DOTPREFIX) < 0)
		return refused(ld, key, cv, " ", "is not a host name or an "
		    "address literal in brackets");
	return keep(ld, name, item);
}

/* Exact text: anything but control characters. */
static bool
entry_text(struct confval_loader *ld, const char *key, const struct cval *cv,
    void *item)
{
	const unsigned char *p;

	for (p = (const unsigned char *)cv->cv_text; *p != '\0'; p++)
		if (ascii_iscntrl(*p))
			break;
	if (cv->cv_text[0] == '\0' || *p != '\0')
		return refused(ld, key, cv, " ", "must be non-empty text "
		    "without control characters");
	return keep(ld, cv->cv_text, item);
}

/* A network (cidr_parse()). */
static bool
entry_net(struct confval_loader *ld, const char *key, const struct cval *cv,
    void *item)
{
	const char *why;

	if (cidr_parse(cv->cv_text, item, &why) != 0)
		return refused(ld, key, cv, ": ", why);
	return true;
}

/* An envelope address pattern (addrpat_parse()), its parts pooled. */
static bool
entry_addrpat(struct confval_loader *ld, const char *key,
    const struct cval *cv, void *item)
{
	struct addrpat_text buf;
	struct addrpat *ap = item;
	const char *why;

	if (addrpat_parse(cv->cv_text, ap, &buf, &why) != 0)
		return refused(ld, key, cv, ": ", why);
	return (ap->ap_local = pooled(ld, buf.at_local)) != NULL &&
	    (ap->ap_domain = pooled(ld, buf.at_domain)) != NULL;
}

/* A TCP port, 1 to 65535. */
static bool
entry_port(struct confval_loader *ld, const char *key, const struct cval *cv,
    void *item)
{
	long port = confval_long(ld, cv, 1, 65535);

	(void)key;		/* confval_long() names it */
	if (port <= 0)
		return false;
	*(uint16_t *)item = (uint16_t)port;
	return true;
}

/* A certificate fingerprint to pin (certfp_parse_pin()). */
static bool
entry_pin(struct confval_loader *ld, const char *key, const struct cval *cv,
    void *item)
{
	const char *why;

	if (certfp_parse_pin(cv->cv_text, item, &why) != 0)
		return refused(ld, key, cv, " ", why);
	return true;
}

/*
 * The entries of list option key, each compiled by fn into one item of
 * size bytes: returns the array (in the policy's pool) and in *n the
 * number compiled, which is fewer than given when some were refused.
 * NULL and 0 when none is given (an empty "{}" is reported by conf.c) or
 * memory ran out (noted).
 */
static void *
build_list(struct confval_loader *ld, cfg_t *sec, const char *key,
    size_t size, entry_fn fn, size_t *n)
{
	size_t i, given_n = opt_size(sec, key);
	char *items;

	*n = 0;
	if (given_n == 0 || (items = pool_array(ld, given_n, size)) == NULL)
		return NULL;
	for (i = 0; i < given_n; i++)
		if (fn(ld, key, opt_getnptr(sec, key, i), items + *n * size))
			(*n)++;
	return items;
}

/* Each selector's entry checker (SHAPE_NAME, SHAPE_TEXT), by enum sel. */
#define SEL_ENTRY(id, key, shape, entry, ...) [SEL_##id] = entry,
static const entry_fn sel_entry[SEL_N] = { SELECTORS(SEL_ENTRY) };
#undef SEL_ENTRY

/* A true or false of option name into *v. */
static void
build_bool(struct confval_loader *ld, cfg_t *sec, const char *name,
    struct selvalue *v)
{
	const struct cval *cv = opt_getptr(sec, name);
	int b;

	if (cv != NULL && (b = confval_bool(ld, cv)) >= 0) {
		v->sv_bool = b == 1;
		v->sv_n = 1;
	}
}

/* Selector id's values in the rule section, by its shape. */
static void
build_selector(struct confval_loader *ld, cfg_t *sec, enum sel id,
    struct selvalue *v)
{
	const char *key = selectors[id].se_key;

	switch (selectors[id].se_shape) {
	case SHAPE_BOOL:
		build_bool(ld, sec, key, v);
		break;
	case SHAPE_NET:
		v->sv_nets = build_list(ld, sec, key, sizeof(*v->sv_nets),
		    entry_net, &v->sv_n);
		break;
	case SHAPE_ADDR:
		v->sv_addrs = build_list(ld, sec, key, sizeof(*v->sv_addrs),
		    entry_addrpat, &v->sv_n);
		break;
	case SHAPE_PORT:
		v->sv_ports = build_list(ld, sec, key, sizeof(*v->sv_ports),
		    entry_port, &v->sv_n);
		break;
	case SHAPE_NAME:
	case SHAPE_TEXT:
		v->sv_names = build_list(ld, sec, key, sizeof(*v->sv_names),
		    sel_entry[id], &v->sv_n);
		break;
	}
}

/*
 * Warn about entries given twice in the rule's list key, compiled as
 * n entries of size bytes at v.  Only when every entry compiled (else
 * the load fails anyway and entry i is not value i).
 */
static void
check_dups(struct confval_loader *ld, cfg_t *sec, const struct rule *r,
    const char *key, const void *v, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	const struct cval **cvs;
	size_t i;

	if (n < 2 || n != opt_size(sec, key))
		return;
	if ((cvs = calloc(n, sizeof(*cvs))) == NULL) {
		ld->ld_oom = true;
		return;
	}
	for (i = 0; i < n; i++)
		cvs[i] = opt_getnptr(sec, key, i);
	confwarn_dups(ld, &(struct confwarn_list){ r->r_name, key, v, n,
	    size, cmp, cvs });
	free(cvs);
}

/* Entries given twice in selector id's list. */
static void
selector_dups(struct confval_loader *ld, cfg_t *sec, const struct rule *r,
    enum sel id)
{
	const struct selvalue *v = &r->r_sel[id];
	const char *key = selectors[id].se_key;

	switch (selectors[id].se_shape) {
	case SHAPE_NET:
		check_dups(ld, sec, r, key, v->sv_nets, v->sv_n,
		    sizeof(*v->sv_nets), confwarn_cmp_net);
		break;
	case SHAPE_ADDR:
		check_dups(ld, sec, r, key, v->sv_addrs, v->sv_n,
		    sizeof(*v->sv_addrs), confwarn_cmp_addr);
		break;
	case SHAPE_PORT:
		check_dups(ld, sec, r, key, v->sv_ports, v->sv_n,
		    sizeof(*v->sv_ports), confwarn_cmp_port);
		break;
	case SHAPE_NAME:
	case SHAPE_TEXT:
		check_dups(ld, sec, r, key, v->sv_names, v->sv_n,
		    sizeof(*v->sv_names), confwarn_cmp_str);
		break;
	case SHAPE_BOOL:
		break;
	}
}

/* Every selector the rule gives, and the latest stage among them. */
static void
build_selectors(struct confval_loader *ld, cfg_t *sec, struct rule *r)
{
	unsigned i;

	r->r_stage = STAGE_CONNECT;
	for (i = 0; i < SEL_N; i++) {
		build_selector(ld, sec, (enum sel)i, &r->r_sel[i]);
		selector_dups(ld, sec, r, (enum sel)i);
		if (r->r_sel[i].sv_n > 0)
			r->r_selmask |= UINT32_C(1) << i;
		if (given(sec, selectors[i].se_key) &&
		    selectors[i].se_stage > r->r_stage)
			r->r_stage = selectors[i].se_stage;
	}
}

/* The requirement lists: entries given twice, cipher patterns that
 * exclude nothing. */
static void
check_requirement_lists(struct confval_loader *ld, cfg_t *sec,
    const struct rule *r)
{
	const struct strlist *ex = &r->r_exclude_ciphers;
	const struct cval *cv;
	size_t i;

	if (ex->sl_n == opt_size(sec, "exclude_ciphers"))
		for (i = 0; i < ex->sl_n; i++) {
			cv = opt_getnptr(sec, "exclude_ciphers", i);
			confwarn_cipher(ld, cv->cv_line, cv->cv_text);
		}
	check_dups(ld, sec, r, "exclude_ciphers", ex->sl_v, ex->sl_n,
	    sizeof(*ex->sl_v), confwarn_cmp_strcase);	/* FNM_CASEFOLD */
	check_dups(ld, sec, r, "cert_name", r->r_cert_names.sl_v,
	    r->r_cert_names.sl_n, sizeof(*r->r_cert_names.sl_v),
	    confwarn_cmp_str);
	check_dups(ld, sec, r, "cert_issuer", r->r_cert_issuers.sl_v,
	    r->r_cert_issuers.sl_n, sizeof(*r->r_cert_issuers.sl_v),
	    confwarn_cmp_str);
	check_dups(ld, sec, r, "cert_fingerprint", r->r_cert_fps,
	    r->r_ncert_fps, sizeof(*r->r_cert_fps), confwarn_cmp_fp);
}

static void
build_requirements(struct confval_loader *ld, cfg_t *sec, int line,
    struct rule *r)
{
	const struct cval *cv;
	int i;

	if ((cv = opt_getptr(sec, "require")) == NULL)
		confval_problem(ld, line, "rule \"%s\" has no require (one of "
		    "none, encrypt, verify, secure)", r->r_name);
	else if ((i = confval_enum(ld, cv, confrule_require_names,
	    "none, encrypt, verify, secure")) >= 0)
		r->r_require = (enum rule_require)i;
	if ((cv = opt_getptr(sec, "min_protocol")) != NULL &&
	    (r->r_min_protocol = tlsversion_parse(cv->cv_text)) <
	    TLSVERSION_TLS1_0)	/* unknown, or SSLv3: no TLS at all */
		confval_problem(ld, cv->cv_line, "min_protocol: \"%s\" is not a "
		    "TLS version (TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)",
		    cv->cv_text);
	if ((cv = opt_getptr(sec, "min_cipher_bits")) != NULL)
		r->r_min_cipher_bits = confval_long(ld, cv, 1, 65535);
	r->r_exclude_ciphers.sl_v = build_list(ld, sec, "exclude_ciphers",
	    sizeof(char *), entry_text, &r->r_exclude_ciphers.sl_n);
	r->r_cert_names.sl_v = build_list(ld, sec, "cert_name",
	    sizeof(char *), entry_cert_name, &r->r_cert_names.sl_n);
	r->r_cert_issuers.sl_v = build_list(ld, sec, "cert_issuer",
	    sizeof(char *), entry_text, &r->r_cert_issuers.sl_n);
	r->r_cert_fps = build_list(ld, sec, "cert_fingerprint",
	    sizeof(*r->r_cert_fps), entry_pin, &r->r_ncert_fps);
	check_requirement_lists(ld, sec, r);
}

/* The line of an option's first value, or the rule's line. */
static int
line_of(cfg_t *sec, const char *name, int line)
{
	const struct cval *cv = opt_size(sec, name) > 0 ?
	    opt_getnptr(sec, name, 0) : NULL;

	return cv != NULL ? cv->cv_line : line;
}

/* The requirements (rule.h), for check_requirements(). */
#define REQ_DESC(key, list, needs, why, ...) { key, needs, why },
static const struct {
	const char	*rq_key;
	enum rule_require rq_needs;
	const char	*rq_why;
} requirements[] = { REQUIREMENTS(REQ_DESC) };
#undef REQ_DESC

/* Requirements that only mean something at a stronger "require". */
static void
check_requirements(struct confval_loader *ld, cfg_t *sec, int line,
    const struct rule *r)
{
	size_t i;

	if (choice(sec, "require", confrule_require_names) < 0)
		return;		/* missing or wrong: already reported */
	for (i = 0; i < sizeof(requirements) / sizeof(*requirements); i++) {
		if (!given(sec, requirements[i].rq_key) ||
		    r->r_require >= requirements[i].rq_needs)
			continue;
		confval_problem(ld, line_of(sec, requirements[i].rq_key, line),
		    "%s needs require = \"%s\"%s, not \"%s\"%s",
		    requirements[i].rq_key,
		    confrule_require_names[requirements[i].rq_needs],
		    requirements[i].rq_needs < REQUIRE_SECURE ? " or stronger" :
		    "", confrule_require_names[r->r_require],
		    requirements[i].rq_why);
	}
}

/*
 * The shortest one-line form OpenSSL could give the DN written as dn: a
 * byte outside printable ASCII takes four ("\xC3").
 */
static size_t
dn_oneline_min(const char *dn)
{
	const unsigned char *p;
	size_t n = 0;

	for (p = (const unsigned char *)dn; *p != '\0'; p++)
		n += ascii_isprint(*p) ? 1 : 4;
	return n;
}

/*
 * cert_issuer DNs too long to ever match; and remember, for
 * confrule_finish(), where the rule pins a fingerprint or names an
 * issuer by DN: what the "mta" setting (perhaps further down) may forbid.
 */
static void
check_sendmail_only(struct confval_loader *ld, cfg_t *sec, int line,
    const struct rule *r, struct confrule_pending *rp)
{
	size_t i;

	rp->rp_fp_line = given(sec, "cert_fingerprint") ?
	    line_of(sec, "cert_fingerprint", line) : 0;
	rp->rp_dn = NULL;
	for (i = 0; i < r->r_cert_issuers.sl_n; i++) {
		const char *e = r->r_cert_issuers.sl_v[i];
		const struct cval *cv = opt_getnptr(sec, "cert_issuer", i);
		int eline = cv != NULL ? cv->cv_line : line;

		if (e[0] != '/')
			continue;
		if (rp->rp_dn == NULL) {
			rp->rp_dn = e;
			rp->rp_dn_line = eline;
		}
		if (dn_oneline_min(e) > SENDMAIL_DN_MAX)
			confval_problem(ld, eline, "cert_issuer: \"%.40s...\" is "
			    "a DN longer than the %d bytes Sendmail passes on, so "
			    "it could never match", e, SENDMAIL_DN_MAX);
	}
}

/* What mta = "postfix" cannot serve: pins, issuers by DN. */
static void
check_mta(struct confval_loader *ld, const struct confrule_defaults *rd,
    const struct confrule_pending *rp)
{
	char ref[PATH_MAX + 32];

	if (rd->rd_mta != SESSION_MTA_POSTFIX)
		return;
	if (rp->rp_fp_line > 0)
		confval_problem(ld, rp->rp_fp_line, "cert_fingerprint can never "
		    "be met with mta = \"postfix\" (%s): Postfix gives a "
		    "milter no certificate fingerprint", confval_lineref(ld,
		    rp->rp_fp_line, rd->rd_mta_line, ref, sizeof(ref)));
	if (rp->rp_dn != NULL)
		confval_problem(ld, rp->rp_dn_line, "cert_issuer: \"%s\" is a "
		    "DN, but with mta = \"postfix\" (%s) the issuer is "
		    "known by its CN only", rp->rp_dn, confval_lineref(ld,
		    rp->rp_dn_line, rd->rd_mta_line, ref, sizeof(ref)));
}

/* The rule's own value of a reply setting in the pool; NULL when it
 * has none (the default applies) or memory ran out (noted). */
static const char *
own_setting(struct confval_loader *ld, cfg_t *sec, const char *name)
{
	const struct cval *cv = opt_getptr(sec, name);

	return cv != NULL ? pooled(ld, cv->cv_text) : NULL;
}

/* The default enhanced code for a reply code: the file's, if of the class. */
static const char *
default_xcode(const char *code, const struct confrule_defaults *rd)
{
	if (code[0] == '4')
		return TEMPFAIL_XCODE;
	return rd->rd_xcode;
}

/* Check the rule's own reply settings, all of them; false if one is bad. */
static bool
outcome_values_ok(struct confval_loader *ld, cfg_t *sec)
{
	const struct cval *code = opt_getptr(sec, "reply_code");
	const struct cval *xcode = opt_getptr(sec, "reply_xcode");
	const struct cval *text = opt_getptr(sec, "reply_text");
	const struct cval *action = opt_getptr(sec, "action");
	bool ok = true;

	if (action != NULL && confval_enum(ld, action, confrule_action_names,
	    "reject, tempfail, monitor") < 0)
		ok = false;
	if (code != NULL && !confval_reply_code(ld, code))
		ok = false;
	if (xcode != NULL && !confval_reply_xcode(ld, xcode))
		ok = false;
	if (text != NULL && !confval_reply_text(ld, text))
		ok = false;
	return ok;
}

/* Codes that contradict the action or each other. */
static void
check_outcome(struct confval_loader *ld, const struct confrule_pending *rp,
    const struct rule *r)
{
	if (r->r_action == ACTION_REJECT && r->r_code[0] == '4')
		confval_problem(ld, rp->rp_code_line, "reply_code %s is a "
		    "temporary failure but the action is \"reject\" (use "
		    "action = \"tempfail\")", r->r_code);
	else if (r->r_action == ACTION_TEMPFAIL && r->r_code[0] == '5')
		confval_problem(ld, rp->rp_code_line, "reply_code %s is a "
		    "permanent failure but the action is \"tempfail\"",
		    r->r_code);
	else if (r->r_xcode[0] != r->r_code[0])
		confval_problem(ld, rp->rp_xcode_line, "reply_xcode %s does not "
		    "fit reply_code %s (the first digits must agree)",
		    r->r_xcode, r->r_code);
}

/* The action and the rule's own reply settings; the file's defaults are
 * filled in by confrule_finish(). */
static void
build_outcome(struct confval_loader *ld, cfg_t *sec, int line,
    struct rule *r, struct confrule_pending *rp)
{
	const struct cval *code = opt_getptr(sec, "reply_code");
	const struct cval *xcode = opt_getptr(sec, "reply_xcode");
	int i;

	rp->rp_code_line = code != NULL ? code->cv_line : line;
	rp->rp_xcode_line = xcode != NULL ? xcode->cv_line : rp->rp_code_line;
	if (!outcome_values_ok(ld, sec))
		return;
	if ((i = choice(sec, "action", confrule_action_names)) >= 0)
		r->r_action = (enum rule_action)i;
	r->r_code = own_setting(ld, sec, "reply_code");
	r->r_xcode = own_setting(ld, sec, "reply_xcode");
	r->r_text = own_setting(ld, sec, "reply_text");
	rp->rp_ok = true;
}

/*
 * confrule_finish - see confrule.h.
 */
void
confrule_finish(struct confval_loader *ld, const struct confrule_defaults *rd,
    const struct confrule_pending *rp, struct rule *r)
{
	check_mta(ld, rd, rp);
	if (!rp->rp_ok)
		return;
	if (r->r_code == NULL)
		r->r_code = pooled(ld, r->r_action == ACTION_TEMPFAIL ?
		    TEMPFAIL_CODE : rd->rd_code);
	if (r->r_code == NULL)
		return;
	if (r->r_xcode == NULL)
		r->r_xcode = pooled(ld, default_xcode(r->r_code, rd));
	if (r->r_text == NULL)
		r->r_text = pooled(ld, rd->rd_text);
	if (r->r_xcode != NULL && r->r_text != NULL)
		check_outcome(ld, rp, r);
}

/*
 * confrule_build - see confrule.h.
 */
void
confrule_build(struct confval_loader *ld, cfg_t *sec, int line,
    struct rule *r, struct confrule_pending *rp)
{
	r->r_line = line;
	if ((r->r_name = pooled(ld, cfg_title(sec))) == NULL)
		return;
	if (r->r_name[0] == '\0')
		confval_problem(ld, line, "a rule name may not be empty");
	else if (!confval_printable(r->r_name))
		confval_problem(ld, line, "rule name \"%s\" has characters "
		    "other than printable ASCII", r->r_name);
	build_selectors(ld, sec, r);
	build_requirements(ld, sec, line, r);
	check_requirements(ld, sec, line, r);
	check_sendmail_only(ld, sec, line, r, rp);
	build_outcome(ld, sec, line, r, rp);
}

/*
 * confrule_defaults - see confrule.h.
 */
void
confrule_defaults(struct confval_loader *ld, cfg_t *cfg,
    struct confrule_defaults *rd)
{
	const struct cval *code = cfg_getptr(cfg, "reply_code");
	const struct cval *xcode = cfg_getptr(cfg, "reply_xcode");
	const struct cval *text = cfg_getptr(cfg, "reply_text");
	const struct cval *mta = cfg_getptr(cfg, "mta");
	int i;

	rd->rd_code = DEFAULT_CODE;
	rd->rd_xcode = DEFAULT_XCODE;
	rd->rd_text = DEFAULT_TEXT;
	rd->rd_mta = SESSION_MTA_AUTO;
	rd->rd_mta_line = 0;
	if (mta != NULL && (i = confval_enum(ld, mta, session_mta_names,
	    "auto, postfix, sendmail")) >= 0) {
		rd->rd_mta = (enum session_mta)i;
		rd->rd_mta_line = mta->cv_line;
	}
	if (code != NULL && confval_reply_code(ld, code)) {
		if (code->cv_text[0] != '5')
			confval_problem(ld, code->cv_line, "reply_code: the "
			    "default refusal must be permanent (5xx); give a "
			    "rule action = \"tempfail\" for 4xx");
		else
			rd->rd_code = code->cv_text;
	}
	if (xcode != NULL && confval_reply_xcode(ld, xcode)) {
		if (xcode->cv_text[0] != '5')
			confval_problem(ld, xcode->cv_line, "reply_xcode: the "
			    "default refusal must be permanent (5.x.y)");
		else
			rd->rd_xcode = xcode->cv_text;
	}
	if (text != NULL && confval_reply_text(ld, text))
		rd->rd_text = text->cv_text;
}
