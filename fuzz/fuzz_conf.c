/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_conf.c - libFuzzer target: the policy parser (conf_load: cfgtext,
 * libconfuse, the value checks and the rule compiler) on any bytes as a
 * policy file.
 *
 * The input is written to policy.conf in a private directory made at
 * start, and loaded by its name, as the daemon loads a path.  That
 * directory also holds a few files an include may name (sandbox_files[]);
 * relative names are taken from it, and the program is linked with
 * -Wl,--wrap=glob (fuzz.mk) so that a pattern outside it matches nothing:
 * a glob of "/" * "/" * would otherwise read the whole file system, and
 * /proc differently each time.  (A plain absolute name is still opened:
 * cheap, and the same each time.)  Properties checked besides "no
 * crash":
 *   - a policy comes back exactly when no problem is reported, and never
 *     "out of memory" (it cannot run out here) for a problem of the file;
 *   - every problem is one line "FILE:LINE: message" (or "FILE: message"
 *     for the file as a whole) with LINE within the file, in line order,
 *     and no control byte (UTF-8 is kept), so that -n and the reload log
 *     line are safe; a problem of an included file names that file;
 *   - the same input gives the same answer twice, and a valid file still
 *     loads after it (libconfuse's lexer keeps global state);
 *   - a loaded policy holds no contradiction the README calls an error
 *     (cert_name without "secure", cert_issuer below "verify", TLS
 *     requirements with "none", a 4xx reject or 5xx tempfail, an enhanced
 *     code of another class, a rule after one without selectors, rule
 *     names twice), and its patterns are in compared (normalised) form;
 *   - judging a plaintext session with it never accepts by a rule that
 *     requires TLS.
 */
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#include "conf.h"
#include "confprint.h"
#include "dnsname.h"
#include "rule.h"

static const char good_policy[] =
    "rule \"partner\" {\n    sender = {\".partner.example\"}\n"
    "    require = \"secure\"\n    cert_name = {\"mx.partner.example\"}\n}\n"
    "rule \"all\" {\n    require = \"encrypt\"\n}\n";

/* What an include in the input may find (names as in fuzz/conf.dict). */
static const struct {
	const char	*sf_name;	/* NULL text: a directory */
	const char	*sf_text;
} sandbox_files[] = {
	{ "part.conf", "rule \"part\" {\n    sender = {\"p.example\"}\n"
	    "    require = \"encrypt\"\n}\n" },
	{ "sel.conf", "    client_addr = {\"192.0.2.0/24\"}\n" },
	{ "list.conf", "\"a.example\",\n\"b.example\"" },
	{ "bad.conf", "# broken\nrule \"bad\" {\n    require = \"x\"\n}\n" },
	{ "loop.conf", "include \"loop.conf\"\n" },
	{ "d", NULL },
	{ "d/a.conf", "rule \"da\" {\n    helo = {\"a.example\"}\n"
	    "    require = \"none\"\n}\n" },
	{ "d/b.conf", "include \"../part.conf\"\n" },
	{ "empty", NULL },
};

static int fd = -1;
static char dir[256];
static char path[300];

/* glob(3) as the loader calls it (--wrap=glob): only inside dir. */
int __real_glob(const char *pattern, int flags,
    int (*errfunc)(const char *, int), glob_t *g);
int __wrap_glob(const char *pattern, int flags,
    int (*errfunc)(const char *, int), glob_t *g);

int
__wrap_glob(const char *pattern, int flags,
    int (*errfunc)(const char *, int), glob_t *g)
{
	size_t n = strlen(dir);

	if (strncmp(pattern, dir, n) != 0 || pattern[n] != '/' ||
	    strstr(pattern, "/..") != NULL) {
		memset(g, 0, sizeof(*g));
		return GLOB_NOMATCH;
	}
	return __real_glob(pattern, flags, errfunc, g);
}

/* Remove the private directory at exit (the last entries first). */
static void
sandbox_remove(void)
{
	char name[512];
	size_t i = sizeof(sandbox_files) / sizeof(*sandbox_files);

	snprintf(name, sizeof(name), "%s/policy.conf", dir);
	(void)unlink(name);
	while (i-- > 0) {
		snprintf(name, sizeof(name), "%s/%s", dir,
		    sandbox_files[i].sf_name);
		if (sandbox_files[i].sf_text == NULL)
			(void)rmdir(name);
		else
			(void)unlink(name);
	}
	(void)rmdir(dir);
}

/* Make the private directory and what may be included from it. */
static void
sandbox(void)
{
	const char *tmp = getenv("TMPDIR");
	char name[512];
	size_t i;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/fuzz_conf.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_conf: mkdtemp");
		exit(1);
	}
	atexit(sandbox_remove);
	for (i = 0; i < sizeof(sandbox_files) / sizeof(*sandbox_files); i++) {
		snprintf(name, sizeof(name), "%s/%s", dir,
		    sandbox_files[i].sf_name);
		if (sandbox_files[i].sf_text == NULL ? mkdir(name, 0700) != 0 :
		    (fp = fopen(name, "w")) == NULL ||
		    fputs(sandbox_files[i].sf_text, fp) < 0 || fclose(fp) != 0 ||
		    chmod(name, 0600) != 0) {
			perror(name);
			exit(1);
		}
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sandbox();
	snprintf(path, sizeof(path), "%s/policy.conf", dir);
	/* 0600: the loader refuses a file others may write (confperm.h) */
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    fchmod(fd, 0600) != 0) {
		perror(path);
		exit(1);
	}
	return 0;
}

static void
put(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size) {
		perror("fuzz_conf: write");
		exit(1);
	}
}

/* The errors joined into one string (malloc'd). */
static char *
joined(const struct conf_errors *e)
{
	size_t i, n = 1;
	char *s;

	for (i = 0; i < e->ce_count; i++)
		n += strlen(e->ce_lines[i]) + 1;
	if ((s = malloc(n)) == NULL)
		exit(1);
	s[0] = '\0';
	for (i = 0; i < e->ce_count; i++) {
		strcat(s, e->ce_lines[i]);
		strcat(s, "\n");
	}
	return s;
}

/* A problem of an included file: "FILE:LINE: message", FILE absolute. */
static void
check_included(const char *l)
{
	const char *p = strstr(l, ": ");

	FUZZ_CHECK(l[0] == '/' && p != NULL && p > l + 1 && p[-1] >= '0' &&
	    p[-1] <= '9' && p[2] != '\0', "bad problem: %s", l);
}

static void
check_errors(const struct conf_errors *e, size_t nlines)
{
	size_t i, plen = strlen(path);
	long line, prev = 0;
	char *end;

	for (i = 0; i < e->ce_count; i++) {
		const char *l = e->ce_lines[i];

		FUZZ_CHECK(fuzz_no_controls(l), "control byte in: %s", l);
		if (strncmp(l, path, plen) != 0 || l[plen] != ':') {
			check_included(l);
			continue;
		}
		if (l[plen + 1] == ' ') {
			line = 0;
			end = (char *)l + plen + 1;
		} else {
			line = strtol(l + plen + 1, &end, 10);
			FUZZ_CHECK(end != l + plen + 1 && line >= 1 &&
			    (size_t)line <= nlines + 1 && end[0] == ':',
			    "bad line number in: %s (%zu lines)", l, nlines);
			end++;
		}
		FUZZ_CHECK(end[0] == ' ' && end[1] != '\0', "no message in: %s",
		    l);
		FUZZ_CHECK(line >= prev, "out of order: %s", l);
		FUZZ_CHECK(strcmp(l + plen, ": out of memory") != 0,
		    "out of memory claimed: %s", l);
		prev = line;
	}
}

static void
check_names(const char *const *v, size_t n, unsigned flags, const char *what)
{
	char again[DNSNAME_BUFSIZE];
	size_t i;

	for (i = 0; i < n; i++)
		FUZZ_CHECK(dnsname_normalize(v[i], again, sizeof(again),
		    flags) == 0 && strcmp(again, v[i]) == 0,
		    "%s pattern \"%s\" is not in compared form", what, v[i]);
}

static bool
has_selectors(const struct rule *r)
{
	unsigned i;

	for (i = 0; i < SEL_N; i++)
		if (r->r_sel[i].sv_n > 0)
			return true;
	return false;
}

static void
check_policy(const struct policy *p)
{
	size_t i, j;

	FUZZ_CHECK(p->p_nrules > 0, "a policy without rules");
	for (i = 0; i < p->p_nrules; i++) {
		const struct rule *r = &p->p_rules[i];

		FUZZ_CHECK(r->r_name != NULL && r->r_name[0] != '\0',
		    "rule %zu without a name", i);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(p->p_rules[j].r_name, r->r_name) != 0,
			    "rule name \"%s\" twice", r->r_name);
		FUZZ_CHECK(has_selectors(r) || i + 1 == p->p_nrules,
		    "rule \"%s\" takes everything but is not last", r->r_name);
		FUZZ_CHECK(r->r_cert_names.sl_n == 0 ||
		    r->r_require == REQUIRE_SECURE, "cert_name without secure");
		FUZZ_CHECK(r->r_cert_issuers.sl_n == 0 ||
		    r->r_require >= REQUIRE_VERIFY, "cert_issuer below verify");
		FUZZ_CHECK(r->r_require != REQUIRE_NONE ||
		    (r->r_min_protocol == TLSVERSION_UNKNOWN &&
		    r->r_min_cipher_bits == 0 && r->r_exclude_ciphers.sl_n == 0),
		    "TLS requirements with require = none");
		FUZZ_CHECK(r->r_code != NULL && r->r_xcode != NULL &&
		    r->r_text != NULL && strlen(r->r_code) == 3 &&
		    (r->r_code[0] == '4' || r->r_code[0] == '5') &&
		    r->r_xcode[0] == r->r_code[0] && r->r_xcode[1] == '.',
		    "rule \"%s\": reply %s %s", r->r_name, r->r_code,
		    r->r_xcode);
		FUZZ_CHECK(r->r_action != ACTION_REJECT || r->r_code[0] == '5',
		    "reject with %s", r->r_code);
		FUZZ_CHECK(r->r_action != ACTION_TEMPFAIL || r->r_code[0] == '4',
		    "tempfail with %s", r->r_code);
		FUZZ_CHECK(fuzz_printable(r->r_text), "unprintable reply text");
		check_names(r->r_sel[SEL_CLIENT_NAME].sv_names,
		    r->r_sel[SEL_CLIENT_NAME].sv_n, DNSNAME_DOTPREFIX,
		    "client_name");
		check_names(r->r_cert_names.sl_v, r->r_cert_names.sl_n,
		    DNSNAME_DOTPREFIX, "cert_name");
	}
}

/* p printed as -n -v prints it (malloc'd). */
static char *
printed(const struct policy *p, size_t *len)
{
	char *text = NULL;
	FILE *fp;

	if ((fp = open_memstream(&text, len)) == NULL)
		exit(1);
	FUZZ_CHECK(confprint_policy(p, fp) == 0, "confprint_policy failed");
	if (fclose(fp) != 0)
		exit(1);
	return text;
}

/* What -n -v prints loads without a problem and prints the same again.
 * (Overwrites the policy file.) */
static void
check_reprint(const struct policy *p)
{
	struct conf_errors e;
	struct policy *q;
	size_t len, len2;
	char *once, *twice, *j;

	once = printed(p, &len);
	put((const uint8_t *)once, len);
	q = conf_load(path, &e);
	j = joined(&e);
	FUZZ_CHECK(q != NULL, "the printed policy does not load:\n%s---\n%s",
	    j, once);
	twice = printed(q, &len2);
	FUZZ_CHECK(strcmp(once, twice) == 0, "printed twice, differently:\n"
	    "%s---\n%s", once, twice);
	free(j);
	free(once);
	free(twice);
	policy_free(q);
	conf_errors_free(&e);
}

/* A plaintext session from 192.0.2.1: no rule that requires TLS accepts. */
static void
check_plaintext(const struct policy *p)
{
	static const char *const rcpts[] = { "<a@example.org>", "<>", NULL };
	struct mailaddr rcpt;
	struct verdict v;
	struct session s;
	size_t i;

	session_init(&s);
	session_set_client(&s, "192.0.2.1", "mx.example.org", "OK");
	session_set_helo(&s, "mx.example.org", false);
	session_set_tls(&s, sessdesc_lookup, &(struct sessdesc){ 0 },
	    SESSION_MTA_POSTFIX, true);
	session_set_sender(&s, "<b@example.net>", NULL, NULL);
	for (i = 0; i < 3; i++) {
		(void)mailaddr_parse(rcpts[i], &rcpt);
		policy_eval(p, &s, rcpts[i] ? &rcpt : NULL, &v);
		FUZZ_CHECK(v.vd_kind != VERDICT_ACCEPT || v.vd_rule == NULL ||
		    p->p_rules[v.vd_rule_index].r_require == REQUIRE_NONE,
		    "plaintext accepted by rule \"%s\"", v.vd_rule);
		FUZZ_CHECK(v.vd_kind != VERDICT_DEFER || rcpts[i] == NULL,
		    "deferred at RCPT");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors e1, e2;
	struct policy *p, *q;
	size_t i, nlines = 1;
	char *j1, *j2;

	for (i = 0; i < size; i++)
		nlines += data[i] == '\n';
	put(data, size);
	p = conf_load(path, &e1);
	FUZZ_CHECK((p == NULL) == (e1.ce_count > 0),
	    "policy %p with %zu problems", (void *)p, e1.ce_count);
	check_errors(&e1, nlines);
	if (p != NULL) {
		check_policy(p);
		check_plaintext(p);
	}

	/* The same again: the same answer. */
	q = conf_load(path, &e2);
	j1 = joined(&e1);
	j2 = joined(&e2);
	FUZZ_CHECK((p == NULL) == (q == NULL) && strcmp(j1, j2) == 0,
	    "a second load differs:\n%s---\n%s", j1, j2);
	free(j1);
	free(j2);
	policy_free(q);
	conf_errors_free(&e2);
	if (p != NULL)
		check_reprint(p);
	policy_free(p);
	conf_errors_free(&e1);

	/* A valid file still loads. */
	put((const uint8_t *)good_policy, sizeof(good_policy) - 1);
	p = conf_load(path, &e2);
	j2 = joined(&e2);
	FUZZ_CHECK(p != NULL, "a valid policy fails after this input:\n%s", j2);
	free(j2);
	policy_free(p);
	conf_errors_free(&e2);
	return 0;
}
