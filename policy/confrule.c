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

/*
 * Where each option is in a rule section.  libconfuse finds an option by
 * comparing its name with every option's in turn, and compiling a rule
 * asks for each option several times: with 100,000 rules that was a
 * quarter of the load time.  Every rule section holds a copy of the same
 * option array, so an option's position found once holds for all of them
 * (checked by its name each time).  The names asked for are this file's
 * literals, so the cache compares pointers.  Thread-local, as the parse
 * itself (see conf.h).
 */
#define OPT_CACHE 32

static _Thread_local struct {
	unsigned	oc_n;
	const char	*oc_name[OPT_CACHE];
	unsigned	oc_index[OPT_CACHE];
} opt_cache;

/* The option name of section sec (libconfuse's cfg_getopt()). */
static cfg_opt_t *
opt(cfg_t *sec, const char *name)
{
	cfg_opt_t *o;
	unsigned i;

	for (i = 0; i < opt_cache.oc_n; i++)
		if (opt_cache.oc_name[i] == name) {
			o = &sec->opts[opt_cache.oc_index[i]];
			if (o->name != NULL && strcmp(o->name, name) == 0)
				return o;
			break;
		}
	o = cfg_getopt(sec, name);
	if (o != NULL && i == opt_cache.oc_n && i < OPT_CACHE) {
		opt_cache.oc_name[i] = name;
		opt_cache.oc_index[i] = (unsigned)(o - sec->opts);
		opt_cache.oc_n++;
	}
	return o;
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

/* A converter for one list entry: 0 and *out (malloc'd), or -1 and *why. */
typedef int (*entry_fn)(const char *text, char **out, const char **why);

static int
entry_dnsname(const char *text, char **out, const char **why)
{
	char name[DNSNAME_BUFSIZE];

	if (dnsname_normalize(text, name, sizeof(name), DNSNAME_DOTPREFIX) < 0) {
		*why = "is not a host name (write \"name\" or \".domain\")";
		return -1;
	}
	return (*out = strdup(name)) == NULL ? -2 : 0;
}

/* A client name: "unknown" is what Postfix says of a client without a
 * validated name, and the session never has it as a name. */
static int
entry_client_name(const char *text, char **out, const char **why)
{
	if (ascii_caseeq(text, "unknown") || ascii_caseeq(text, "unknown.")) {
		*why = "is Postfix's word for a client without a validated "
		    "name: it never matches";
		return -1;
	}
	return entry_dnsname(text, out, why);
}

/* A certificate name: Sendmail's placeholders are no certificate's name. */
static int
entry_cert_name(const char *text, char **out, const char **why)
{
	if (certname_placeholder(text)) {
		*why = "is Sendmail's stand-in for a certificate name it "
		    "could not read: it never matches";
		return -1;
	}
	return entry_dnsname(text, out, why);
}

static int
entry_helo(const char *text, char **out, const char **why)
{
	char name[DNSNAME_BUFSIZE];

	if (session_helo_normalize(text, name, sizeof(name),
	    DNSNAME_DOTPREFIX) < 0) {
		*why = "is not a host name or an address literal in brackets";
		return -1;
	}
	return (*out = strdup(name)) == NULL ? -2 : 0;
}

/* Exact text: anything but control characters. */
static int
entry_text(const char *text, char **out, const char **why)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if (ascii_iscntrl(*p))
			break;
	if (*text == '\0' || *p != '\0') {
		*why = "must be non-empty text without control characters";
		return -1;
	}
	return (*out = strdup(text)) == NULL ? -2 : 0;
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

static void
build_strlist(struct confval_loader *ld, cfg_t *sec, const char *name,
    entry_fn fn, struct strlist *l)
{
	size_t i, n = opt_size(sec, name);
	const char *why;
	char *text;
	int rc;

	if (n == 0)		/* an empty "{}" is reported by conf.c */
		return;
	if ((l->sl_v = pool_array(ld, n, sizeof(*l->sl_v))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct cval *cv = opt_getnptr(sec, name, i);

		if ((rc = fn(cv->cv_text, &text, &why)) == 0) {
			if ((l->sl_v[l->sl_n] = pooled(ld, text)) != NULL)
				l->sl_n++;
			free(text);
		} else if (rc == -1)
			confval_problem(ld, cv->cv_line, "%s: \"%s\" %s", name,
			    cv->cv_text, why);
		else
			ld->ld_oom = true;
	}
}

/* Each selector's entry checker (SHAPE_NAME, SHAPE_TEXT), by enum sel. */
#define SEL_ENTRY(id, key, shape, entry, ...) [SEL_##id] = entry,
static const entry_fn sel_entry[SEL_N] = { SELECTORS(SEL_ENTRY) };
#undef SEL_ENTRY

/* Networks (cidr_parse()) of option name into *v. */
static void
build_nets(struct confval_loader *ld, cfg_t *sec, const char *name,
    struct selvalue *v)
{
	size_t i, n = opt_size(sec, name);
	struct cidr *nets;
	const char *why;

	if ((nets = pool_array(ld, n, sizeof(*nets))) == NULL)
		return;
	v->sv_nets = nets;
	for (i = 0; i < n; i++) {
		const struct cval *cv = opt_getnptr(sec, name, i);

		if (cidr_parse(cv->cv_text, &nets[v->sv_n], &why) == 0)
			v->sv_n++;
		else
			confval_problem(ld, cv->cv_line, "%s: \"%s\": %s", name,
			    cv->cv_text, why);
	}
}

/* Address patterns (addrpat_parse()) of option name into *v. */
static void
build_addrpats(struct confval_loader *ld, cfg_t *sec, const char *name,
    struct selvalue *v)
{
	size_t i, n = opt_size(sec, name);
	struct addrpat_text buf;
	struct addrpat *pats, *ap;
	const char *why;

	if ((pats = pool_array(ld, n, sizeof(*pats))) == NULL)
		return;
	v->sv_addrs = pats;
	for (i = 0; i < n; i++) {
		const struct cval *cv = opt_getnptr(sec, name, i);

		ap = &pats[v->sv_n];
		if (addrpat_parse(cv->cv_text, ap, &buf, &why) != 0) {
			confval_problem(ld, cv->cv_line, "%s: \"%s\": %s", name,
			    cv->cv_text, why);
			continue;
		}
		if ((ap->ap_local = pooled(ld, buf.at_local)) != NULL &&
		    (ap->ap_domain = pooled(ld, buf.at_domain)) != NULL)
			v->sv_n++;
	}
}

/* TCP ports, 1 to 65535, of option name into *v. */
static void
build_ports(struct confval_loader *ld, cfg_t *sec, const char *name,
    struct selvalue *v)
{
	size_t i, n = opt_size(sec, name);
	uint16_t *ports;
	long port;

	if ((ports = pool_array(ld, n, sizeof(*ports))) == NULL)
		return;
	v->sv_ports = ports;
	for (i = 0; i < n; i++)
		if ((port = confval_long(ld, opt_getnptr(sec, name, i), 1,
		    65535)) > 0)
			ports[v->sv_n++] = (uint16_t)port;
}

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

/* Names or texts, each through the selector's entry checker. */
static void
build_names(struct confval_loader *ld, cfg_t *sec, enum sel id,
    struct selvalue *v)
{
	struct strlist l = { NULL, 0 };

	build_strlist(ld, sec, selectors[id].se_key, sel_entry[id], &l);
	v->sv_names = l.sl_v;
	v->sv_n = l.sl_n;
}

/* Selector id's values in the rule section, by its shape. */
static void
build_selector(struct confval_loader *ld, cfg_t *sec, enum sel id,
    struct selvalue *v)
{
	const char *key = selectors[id].se_key;

	if (selectors[id].se_shape == SHAPE_BOOL)
		build_bool(ld, sec, key, v);
	else if (opt_size(sec, key) == 0)
		return;		/* an empty "{}" is reported by conf.c */
	else if (selectors[id].se_shape == SHAPE_NET)
		build_nets(ld, sec, key, v);
	else if (selectors[id].se_shape == SHAPE_ADDR)
		build_addrpats(ld, sec, key, v);
	else if (selectors[id].se_shape == SHAPE_PORT)
		build_ports(ld, sec, key, v);
	else
		build_names(ld, sec, id, v);
}

/* Certificate fingerprints to pin. */
static void
build_pins(struct confval_loader *ld, cfg_t *sec, struct rule *r)
{
	size_t i, n = opt_size(sec, "cert_fingerprint");
	const char *why;

	if (n == 0)		/* an empty "{}" is reported by conf.c */
		return;
	if ((r->r_cert_fps = pool_array(ld, n, sizeof(*r->r_cert_fps))) ==
	    NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct cval *cv = opt_getnptr(sec, "cert_fingerprint", i);

		if (certfp_parse_pin(cv->cv_text,
		    &r->r_cert_fps[r->r_ncert_fps], &why) == 0)
			r->r_ncert_fps++;
		else
			confval_problem(ld, cv->cv_line, "cert_fingerprint: "
			    "\"%s\" %s", cv->cv_text, why);
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
	build_strlist(ld, sec, "exclude_ciphers", entry_text,
	    &r->r_exclude_ciphers);
	build_strlist(ld, sec, "cert_name", entry_cert_name, &r->r_cert_names);
	build_strlist(ld, sec, "cert_issuer", entry_text, &r->r_cert_issuers);
	build_pins(ld, sec, r);
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
