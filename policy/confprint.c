/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confprint.c - the policy as loaded, written back as a policy file
 * ("tls-policy-milter -n -v", as "postconf -n"): every top-level setting
 * in force, defaults included, and each rule with its values as compiled
 * (names lower-cased and in A-labels, networks canonical, address
 * patterns as matched, the file's reply defaults filled in).
 *
 * The text loads again to the same policy and prints the same (the unit
 * test and fuzz_conf hold it to that).  The keys come from the tables
 * (SETTINGS in policy.h, REQUIREMENTS and OUTCOMES in rule.h, SELECTORS
 * in selector.h); this file knows only how each kind of value is written.
 */
#include <stdio.h>

#include "ascii.h"
#include "cidr.h"
#include "confprint.h"
#include "confrule.h"
#include "rule.h"
#include "selector.h"
#include "session.h"
#include "tlsversion.h"

/* A list of more entries than this gets a line per entry. */
#define ONE_LINE_MAX 3

/*
 * s inside a double-quoted libconfuse string: backslash and quote
 * escaped; "$" too, lest "${" be read as a variable; every byte outside
 * printable ASCII as \xHH (libconfuse reads one or two hex digits: two
 * are always written).
 */
static void
put_chars(FILE *fp, const char *s)
{
	const unsigned char *c;

	for (c = (const unsigned char *)s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(fp, "\\%c", *c);
		else if (!ascii_isprint(*c) || *c == '$')
			fprintf(fp, "\\x%02X", *c);
		else
			putc(*c, fp);
	}
}

/*
 * confprint_string - see confprint.h.
 */
void
confprint_string(FILE *fp, const char *s)
{
	putc('"', fp);
	put_chars(fp, s);
	putc('"', fp);
}

static void
put_key(FILE *fp, const char *indent, const char *key)
{
	fprintf(fp, "%s%s = ", indent, key);
}

/* "KEY = {" of a rule's list of n entries; then before entry i each. */
static void
list_open(FILE *fp, const char *key)
{
	put_key(fp, "    ", key);
	putc('{', fp);
}

static void
list_next(FILE *fp, size_t n, size_t i)
{
	if (n > ONE_LINE_MAX)
		fputs(i > 0 ? ",\n        " : "\n        ", fp);
	else if (i > 0)
		fputs(", ", fp);
}

static void
list_close(FILE *fp, size_t n)
{
	fputs(n > ONE_LINE_MAX ? "\n    }\n" : "}\n", fp);
}

/* ------------------------------------------------------------ settings */

/* Top-level settings by KIND (SETTINGS in policy.h). */
static void
setting_STRING(FILE *fp, const char *key, const struct policy *p,
    const char *const *v)
{
	(void)p;
	if (*v == NULL || **v == '\0') {
		fprintf(fp, "# %s is not set\n", key);
		return;
	}
	put_key(fp, "", key);
	confprint_string(fp, *v);
	putc('\n', fp);
}

static void
setting_MODE(FILE *fp, const char *key, const struct policy *p,
    const enum policy_mode *v)
{
	(void)p;
	put_key(fp, "", key);
	confprint_string(fp, policy_mode_names[*v]);
	putc('\n', fp);
}

static void
setting_MTA(FILE *fp, const char *key, const struct policy *p,
    const enum session_mta *v)
{
	(void)p;
	put_key(fp, "", key);
	confprint_string(fp, session_mta_names[*v]);
	putc('\n', fp);
}

static void
setting_BOOL(FILE *fp, const char *key, const struct policy *p,
    const bool *v)
{
	(void)p;
	put_key(fp, "", key);
	fprintf(fp, "%s\n", *v ? "true" : "false");
}

static void
setting_OCTAL(FILE *fp, const char *key, const struct policy *p,
    const unsigned *v)
{
	(void)p;
	put_key(fp, "", key);
	fprintf(fp, "\"%04o\"\n", *v);
}

/* stats_interval means something only with a stats_file (and is a
 * problem without one). */
static void
setting_INTERVAL(FILE *fp, const char *key, const struct policy *p,
    const unsigned *v)
{
	if (p->p_stats_file == NULL)
		fputs("# ", fp);
	put_key(fp, "", key);
	fprintf(fp, "%u%s\n", *v, p->p_stats_file == NULL ?
	    " (only with stats_file)" : "");
}

/* ------------------------------------------------------------ selectors */

/* Entry i of a selector's values, by its shape. */
static void
put_entry(FILE *fp, enum sel_shape shape, const struct selvalue *v, size_t i)
{
	const struct addrpat *ap;
	char net[CIDR_FORMAT_MAX];

	switch (shape) {
	case SHAPE_NET:
		(void)cidr_format(&v->sv_nets[i], net, sizeof(net));
		confprint_string(fp, net);
		break;
	case SHAPE_ADDR:
		ap = &v->sv_addrs[i];
		putc('"', fp);
		if (ap->ap_kind == ADDRPAT_NULL)
			fputs("<>", fp);
		else if (ap->ap_kind == ADDRPAT_ADDRESS) {
			put_chars(fp, ap->ap_local);
			putc('@', fp);
		}
		put_chars(fp, ap->ap_domain);
		putc('"', fp);
		break;
	case SHAPE_NAME:
	case SHAPE_TEXT:
		confprint_string(fp, v->sv_names[i]);
		break;
	case SHAPE_PORT:
		fprintf(fp, "%u", (unsigned)v->sv_ports[i]);
		break;
	case SHAPE_BOOL:
		break;
	}
}

/* A selector the rule gives (sv_n > 0). */
static void
put_selector(FILE *fp, const struct selector *se, const struct selvalue *v)
{
	size_t i;

	if (v->sv_n == 0)
		return;
	if (se->se_shape == SHAPE_BOOL) {
		put_key(fp, "    ", se->se_key);
		fprintf(fp, "%s\n", v->sv_bool ? "true" : "false");
		return;
	}
	list_open(fp, se->se_key);
	for (i = 0; i < v->sv_n; i++) {
		list_next(fp, v->sv_n, i);
		put_entry(fp, se->se_shape, v, i);
	}
	list_close(fp, v->sv_n);
}

/* ------------------------------------------------------------ requirements */

/* A rule's requirements and outcome by KIND (REQUIREMENTS, OUTCOMES in
 * rule.h); one not given is left out. */
static void
rule_REQUIRE(FILE *fp, const char *key, const struct rule *r,
    const enum rule_require *v)
{
	(void)r;
	put_key(fp, "    ", key);
	confprint_string(fp, confrule_require_names[*v]);
	putc('\n', fp);
}

static void
rule_ACTION(FILE *fp, const char *key, const struct rule *r,
    const enum rule_action *v)
{
	(void)r;
	put_key(fp, "    ", key);
	confprint_string(fp, confrule_action_names[*v]);
	putc('\n', fp);
}

static void
rule_TLSVERSION(FILE *fp, const char *key, const struct rule *r,
    const enum tlsversion *v)
{
	(void)r;
	if (*v == TLSVERSION_UNKNOWN)
		return;
	put_key(fp, "    ", key);
	confprint_string(fp, tlsversion_name(*v));
	putc('\n', fp);
}

static void
rule_NUMBER(FILE *fp, const char *key, const struct rule *r, const long *v)
{
	(void)r;
	if (*v > 0) {
		put_key(fp, "    ", key);
		fprintf(fp, "%ld\n", *v);
	}
}

static void
rule_STRING(FILE *fp, const char *key, const struct rule *r,
    const char *const *v)
{
	(void)r;
	if (*v == NULL)
		return;
	put_key(fp, "    ", key);
	confprint_string(fp, *v);
	putc('\n', fp);
}

static void
rule_STRLIST(FILE *fp, const char *key, const struct rule *r,
    const struct strlist *v)
{
	size_t i;

	(void)r;
	if (v->sl_n == 0)
		return;
	list_open(fp, key);
	for (i = 0; i < v->sl_n; i++) {
		list_next(fp, v->sl_n, i);
		confprint_string(fp, v->sl_v[i]);
	}
	list_close(fp, v->sl_n);
}

/* Pins as certfp_parse_pin() reads them: "sha256:AB:CD:...". */
static void
rule_PINS(FILE *fp, const char *key, const struct rule *r,
    struct certfp *const *v)
{
	size_t i, j;

	if (r->r_ncert_fps == 0)
		return;
	list_open(fp, key);
	for (i = 0; i < r->r_ncert_fps; i++) {
		list_next(fp, r->r_ncert_fps, i);
		fprintf(fp, "\"%s:", certfp_alg_name((*v)[i].cf_alg));
		for (j = 0; j < (*v)[i].cf_len; j++)
			fprintf(fp, "%s%02X", j > 0 ? ":" : "",
			    (*v)[i].cf_md[j]);
		putc('"', fp);
	}
	list_close(fp, r->r_ncert_fps);
}

/* ------------------------------------------------------------ policy */

#define PUT_SETTING(key, kind, member) \
	setting_##kind(fp, key, p, &p->member);
#define PUT_REQUIREMENT(key, list, needs, why, kind, member) \
	rule_##kind(fp, key, r, &r->member);
#define PUT_OUTCOME(key, kind, member) \
	rule_##kind(fp, key, r, &r->member);

static void
put_rule(FILE *fp, const struct rule *r)
{
	unsigned i;

	fputs("\nrule ", fp);
	confprint_string(fp, r->r_name);
	fputs(" {\n", fp);
	for (i = 0; i < SEL_N; i++)
		put_selector(fp, &selectors[i], &r->r_sel[i]);
	REQUIREMENTS(PUT_REQUIREMENT)
	OUTCOMES(PUT_OUTCOME)
	fputs("}\n", fp);
}

/*
 * confprint_policy - see confprint.h.
 */
int
confprint_policy(const struct policy *p, FILE *fp)
{
	size_t i;

	fputs("# The policy as loaded (tls-policy-milter -n -v): every "
	    "setting in force,\n# defaults included, and each rule as "
	    "compiled.  This is a policy file too.\n", fp);
	SETTINGS(PUT_SETTING)
	for (i = 0; i < p->p_nrules; i++)
		put_rule(fp, &p->p_rules[i]);
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}
