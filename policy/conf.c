/*
 * conf.c - read a policy file with libconfuse and compile it into the
 * project's own immutable rules.
 *
 * Loading is two passes.  libconfuse parses the text (made safe by
 * cfgtext.c) into options whose values are all "struct cval": the raw text
 * and the line it stood on.  Then build_*() turns those into a struct
 * policy, checking every value and every combination, and reporting each
 * problem as FILE:LINE: message.  Only a syntax error stops early (that is
 * libconfuse's way); everything else is reported in one go.  The cfg_t
 * never leaves this file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <confuse.h>

#include "cfgtext.h"
#include "conf.h"
#include "confrule.h"
#include "confval.h"
#include "rule.h"

/*
 * libconfuse's error and value callbacks carry no user pointer, so the
 * loader of the parse in progress on this thread is reached through this
 * one thread-local, set only for the duration of cfg_parse_buf().
 */
static _Thread_local struct confval_loader *tl_loader;

/* libconfuse error callback: syntax errors, unknown options, dup titles. */
static void
confuse_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[512];

	if (tl_loader == NULL)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	confval_problem(tl_loader, cfg->line, "%s", msg);
}

/* libconfuse value callback: keep the text and its line. */
static int
cval_parse(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *result)
{
	struct cval *cv = NULL;

	if (tl_loader == NULL || (cv = calloc(1, sizeof(*cv))) == NULL ||
	    (cv->cv_text = strdup(value ? value : "")) == NULL) {
		free(cv);
		return -1;
	}
	cv->cv_loader = tl_loader;
	cv->cv_opt = opt;
	cv->cv_name = opt->name;
	cv->cv_line = cfg->line;
	tl_loader->ld_reset_opt = NULL;
	*(struct cval **)result = cv;
	return 0;
}

/*
 * libconfuse free callback.  While parsing, a value is freed only when a
 * second "=" for the same option replaces it: that silently drops policy,
 * so it is reported (once per replaced assignment).
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

#define SCALAR(name) CFG_PTR_CB(name, 0, CFGF_NODEFAULT, cval_parse, cval_free)
#define LIST(name) CFG_PTR_LIST_CB(name, 0, CFGF_NODEFAULT, cval_parse, cval_free)

/* The policy language: every key the parser accepts (man page must match). */
static cfg_opt_t rule_opts[] = {
	LIST("client_addr"), LIST("client_name"), LIST("helo"),
	LIST("sender"), LIST("recipient"), LIST("listener"),
	SCALAR("authenticated"),
	SCALAR("require"), SCALAR("min_protocol"), SCALAR("min_cipher_bits"),
	LIST("exclude_ciphers"), LIST("cert_name"), LIST("cert_issuer"),
	SCALAR("action"), SCALAR("reply_code"), SCALAR("reply_xcode"),
	SCALAR("reply_text"),
	CFG_END()
};

static cfg_opt_t root_opts[] = {
	SCALAR("socket"), SCALAR("mode"),
	SCALAR("reply_code"), SCALAR("reply_xcode"), SCALAR("reply_text"),
	CFG_SEC("rule", rule_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

/* ------------------------------------------------------------ policy */

static const char *const mode_names[] = { "enforce", "monitor", NULL };

/* A libmilter socket spec: unix:/path, local:/path, inet:PORT@HOST, inet6:... */
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
			return s[strlen(*k)] != '\0' || (*k)[strlen(*k) - 1] == '/';
	return false;
}

static void
build_globals(struct confval_loader *ld, cfg_t *cfg, struct policy *p,
    struct confrule_defaults *rd)
{
	struct cval *cv;
	int i;

	p->p_mode = POLICY_ENFORCE;
	if ((cv = cfg_getptr(cfg, "mode")) != NULL &&
	    (i = confval_enum(ld, cv, mode_names, "enforce, monitor")) >= 0)
		p->p_mode = (enum policy_mode)i;
	if ((cv = cfg_getptr(cfg, "socket")) != NULL) {
		if (!socket_ok(cv->cv_text))
			confval_problem(ld, cv->cv_line, "socket: \"%s\" is not a "
			    "libmilter socket (unix:/path, inet:PORT@HOST, "
			    "inet6:PORT@HOST)", cv->cv_text);
		else if ((p->p_socket = strdup(cv->cv_text)) == NULL)
			ld->ld_oom = true;
	}
	confrule_defaults(ld, cfg, rd);
}

/* Check what only the whole rule list can show. */
static void
check_rule_order(struct confval_loader *ld, const struct policy *p)
{
	size_t i;

	for (i = 0; i + 1 < p->p_nrules; i++)
		if (confrule_is_catchall(&p->p_rules[i])) {
			confval_problem(ld, p->p_rules[i + 1].r_line,
			    "rule \"%s\" can never apply: rule \"%s\" above "
			    "it has no selector and so applies to everything",
			    p->p_rules[i + 1].r_name, p->p_rules[i].r_name);
			return;
		}
}

static struct policy *
build_policy(struct confval_loader *ld, cfg_t *cfg, const struct cfgtext *ct)
{
	struct confrule_defaults rd;
	struct policy *p;
	size_t i, n;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		ld->ld_oom = true;
		return NULL;
	}
	build_globals(ld, cfg, p, &rd);
	n = cfg_size(cfg, "rule");
	if (n == 0)
		confval_problem(ld, 1, "the policy has no rule, so it would "
		    "never refuse anything");
	if (n > 0 && (p->p_rules = calloc(n, sizeof(*p->p_rules))) == NULL)
		ld->ld_oom = true;
	for (i = 0; p->p_rules != NULL && i < n; i++) {
		confrule_build(ld, cfg_getnsec(cfg, "rule", i),
		    i < ct->ct_nsections ? ct->ct_sections[i] : 0, &rd,
		    &p->p_rules[i]);
		p->p_nrules = i + 1;
	}
	check_rule_order(ld, p);
	return p;
}

/* ------------------------------------------------------------ loading */

/* Read the whole file into a NUL-terminated buffer, or report why not. */
static char *
read_file(struct confval_loader *ld, size_t *len)
{
	struct stat st;
	char *buf;
	FILE *fp;

	if ((fp = fopen(ld->ld_path, "r")) == NULL) {
		confval_problem(ld, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		confval_problem(ld, 0, "not a regular file");
		fclose(fp);
		return NULL;
	}
	if ((unsigned long long)st.st_size > CONF_MAX_BYTES) {
		confval_problem(ld, 0, "file is larger than %u bytes", CONF_MAX_BYTES);
		fclose(fp);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		ld->ld_oom = true;
		fclose(fp);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp) || *len != (size_t)st.st_size) {
		confval_problem(ld, 0, "cannot read: %s", ferror(fp) ?
		    strerror(errno) : "file changed while being read");
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/* Parse the prepared text; returns the cfg_t or NULL (problems reported). */
static cfg_t *
parse_text(struct confval_loader *ld, char *text, size_t len)
{
	cfg_t *cfg;
	int rc;

	if ((cfg = cfg_init(root_opts, CFGF_NONE)) == NULL) {
		ld->ld_oom = true;
		return NULL;
	}
	cfg_set_error_function(cfg, confuse_error);
	tl_loader = ld;
	ld->ld_parsing = true;
	rc = len > 0 ? cfg_parse_buf(cfg, text) : CFG_SUCCESS;
	ld->ld_parsing = false;
	if (rc != CFG_SUCCESS) {
		if (ld->ld_nproblems == 0)
			confval_problem(ld, 0, "cannot parse the file");
		cfg_free(cfg);
		tl_loader = NULL;
		return NULL;
	}
	tl_loader = NULL;
	return cfg;
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct confval_problem *x = a, *y = b;

	if (x->pb_line != y->pb_line)
		return x->pb_line < y->pb_line ? -1 : 1;
	return x->pb_seq < y->pb_seq ? -1 : x->pb_seq > y->pb_seq;
}

/* Hand the sorted problems over to the caller's list. */
static void
report(struct confval_loader *ld, struct conf_errors *errors)
{
	size_t i;

	qsort(ld->ld_problems, ld->ld_nproblems, sizeof(*ld->ld_problems),
	    problem_cmp);
	errors->ce_lines = calloc(ld->ld_nproblems + 1, sizeof(char *));
	for (i = 0; i < ld->ld_nproblems; i++) {
		if (errors->ce_lines != NULL)
			errors->ce_lines[errors->ce_count++] =
			    ld->ld_problems[i].pb_text;
		else
			free(ld->ld_problems[i].pb_text);
	}
	free(ld->ld_problems);
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
	struct policy *p = NULL;
	struct cfgtext ct;
	cfg_t *cfg = NULL;
	size_t len = 0, i;
	char *text;

	memset(errors, 0, sizeof(*errors));
	memset(&ct, 0, sizeof(ct));
	if ((text = read_file(&ld, &len)) != NULL) {
		if (cfgtext_prepare(text, len, &ct) < 0) {
			for (i = 0; i < ct.ct_nerrors; i++)
				confval_problem(&ld, ct.ct_errors[i].ce_line, "%s",
				    ct.ct_errors[i].ce_msg);
			if (ct.ct_nerrors == 0)
				ld.ld_oom = true;
		} else {
			cfg = parse_text(&ld, text, len);
		}
	}
	if (cfg != NULL) {
		p = build_policy(&ld, cfg, &ct);
		cfg_free(cfg);
	}
	cfgtext_free(&ct);
	free(text);
	if (ld.ld_nproblems > 0 || ld.ld_oom) {
		policy_free(p);
		p = NULL;
		report(&ld, errors);
	} else {
		free(ld.ld_problems);
	}
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
	errors->ce_lines = NULL;
	errors->ce_count = 0;
}
