/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suggest.c - the policy the logs support (see suggest.h): per key, what
 * every session had in common, kept in a bounded strtab, then written
 * as rules.
 *
 * Every fact is taken as rule.c checks it, so a rule written here is met
 * by each session it was drawn from: TLS "unknown" or a version not
 * recognised meets no requirement (no rule), bits not read mean no
 * min_cipher_bits, a certificate name becomes an entry only when
 * certname_match() says the entry matches it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "certname.h"
#include "confprint.h"
#include "dnsname.h"
#include "suggest.h"

/* Is s non-empty printable ASCII throughout? */
static bool
printable(const char *s)
{
	return *s != '\0' && ascii_printable(s);
}

/* Add s to the set v of *n (max at most); false when it does not
 * fit or memory ran out (*oom). */
static bool
set_add(char **v, size_t *n, size_t max, const char *s, bool *oom)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	if (*n >= max)
		return false;
	if ((v[*n] = strdup(s)) == NULL) {
		*oom = true;
		return false;
	}
	(*n)++;
	return true;
}

/* The cert_name entry for the presented name: the name itself, a
 * wildcard "*.d" as ".d"; false when no entry would match it. */
static bool
name_entry(const char *presented, char *buf, size_t len)
{
	char norm[DNSNAME_BUFSIZE];

	if (presented[0] == '\0')
		return false;
	snprintf(buf, len, "%s", strncmp(presented, "*.", 2) == 0 ?
	    presented + 1 : presented);
	return printable(buf) && !certname_placeholder(buf) &&
	    dnsname_normalize(buf, norm, sizeof(norm), DNSNAME_DOTPREFIX) == 0 &&
	    strcmp(norm, buf) == 0 && certname_match(presented, buf) == 1;
}

/* Fold session s into e. */
static void
fold(struct suggest_key *e, const struct session *s, bool *oom)
{
	const struct session_text *is = &s->ss_cert_issuer;
	char name[DNSNAME_BUFSIZE];

	if (s->ss_tls != SESSION_TLS_ON ||
	    s->ss_tls_version == TLSVERSION_UNKNOWN) {
		e->sk_tls = false;
		return;		/* nothing else matters */
	}
	if (s->ss_tls_version < e->sk_version)
		e->sk_version = s->ss_tls_version;
	if (s->ss_cipher_bits < 0)
		e->sk_bits = false;
	else if (e->sk_min_bits < 0 || s->ss_cipher_bits < e->sk_min_bits)
		e->sk_min_bits = s->ss_cipher_bits;
	if (s->ss_cert != SESSION_CERT_VERIFIED) {
		e->sk_verified = false;
		return;
	}
	if (e->sk_names && (!name_entry(s->ss_cert_name, name, sizeof(name)) ||
	    !set_add(e->sk_name, &e->sk_nnames, SUGGEST_NAMES, name, oom)))
		e->sk_names = false;
	if (e->sk_issuers && (!is->st_present || is->st_cut ||
	    !printable(is->st_value) || is->st_value[0] == '/' ||
	    !set_add(e->sk_issuer, &e->sk_nissuers, SUGGEST_NAMES,
	    is->st_value, oom)))
		e->sk_issuers = false;
}

/*
 * suggest_add - see suggest.h.
 */
int
suggest_add(struct suggest *sg, const char *key, const struct session *s,
    const char *time, const char *host)
{
	struct suggest_key *e;
	bool oom = false;

	sg->sg_tab.st_esize = sizeof(*e);
	if ((e = strtab_get(&sg->sg_tab, key, false)) == NULL) {
		if (sg->sg_tab.st_used >= SUGGEST_KEYS) {
			sg->sg_dropped++;
			return 0;
		}
		if ((e = strtab_get(&sg->sg_tab, key, true)) == NULL)
			return -1;
		e->sk_tls = e->sk_verified = e->sk_bits = true;
		e->sk_names = e->sk_issuers = true;
		e->sk_version = TLSVERSION_TLS1_3;
		e->sk_min_bits = -1;
	}
	e->sk_n++;
	stamp_add(&e->sk_period, time);
	if (e->sk_tls)
		fold(e, s, &oom);
	if (host[0] != '\0' && !set_add(e->sk_host, &e->sk_nhosts,
	    SUGGEST_HOSTS, host, &oom))
		e->sk_more_hosts = true;
	return oom ? -1 : 0;
}

/*
 * suggest_sender_key - see suggest.h.
 */
bool
suggest_sender_key(const struct session *s, char *buf, size_t len)
{
	const struct mailaddr *a = &s->ss_sender;

	if (!a->ma_present || a->ma_null || !a->ma_valid ||
	    a->ma_domain[0] == '\0' || a->ma_domain[0] == '[' ||
	    !printable(a->ma_domain))
		return false;
	snprintf(buf, len, "%s", a->ma_domain);
	return true;
}

/*
 * suggest_net_key - see suggest.h.
 */
bool
suggest_net_key(const struct session *s, char *buf, size_t len)
{
	unsigned char b[16];
	char text[INET6_ADDRSTRLEN];

	memcpy(b, s->ss_addr.ip_bytes, sizeof(b));
	if (s->ss_addr.ip_family == AF_INET) {
		b[3] = 0;
		inet_ntop(AF_INET, b, text, sizeof(text));
		snprintf(buf, len, "%s/24", text);
	} else if (s->ss_addr.ip_family == AF_INET6) {
		memset(b + 6, 0, 10);
		inet_ntop(AF_INET6, b, text, sizeof(text));
		snprintf(buf, len, "%s/48", text);
	} else {
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ output */

/* s in a comment: a byte outside printable ASCII as "?". */
static void
put_comment(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		putc(ascii_isprint((unsigned char)*s) ? *s : '?', fp);
}

static void
put_list(FILE *fp, const char *key, char *const *v, size_t n)
{
	size_t i;

	fprintf(fp, "    %-15s = {", key);
	for (i = 0; i < n; i++) {
		fputs(i ? ", " : "", fp);
		confprint_string(fp, v[i]);
	}
	fputs("}\n", fp);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One rule, selecting by key (sender or client_addr), after a comment
 * with its evidence; 0 when the sessions had nothing in common. */
static unsigned long
put_rule(FILE *fp, const char *what, const char *key, struct suggest_key *e)
{
	const char *req;
	size_t i;

	if (!e->sk_tls)
		return 0;
	req = !e->sk_verified ? "encrypt" : e->sk_names ? "secure" : "verify";
	qsort(e->sk_name, e->sk_nnames, sizeof(char *), strp_cmp);
	qsort(e->sk_issuer, e->sk_nissuers, sizeof(char *), strp_cmp);
	fprintf(fp, "\n# %lu decisions, from ", e->sk_n);
	put_comment(fp, stamp_or_dash(&e->sk_period.sr_first));
	fputs(" to ", fp);
	put_comment(fp, stamp_or_dash(&e->sk_period.sr_last));
	fputs(", logged by ", fp);
	for (i = 0; i < e->sk_nhosts; i++) {
		fputs(i ? ", " : "", fp);
		put_comment(fp, e->sk_host[i]);
	}
	fprintf(fp, "%s%s\n", e->sk_nhosts ? "" : "-",
	    e->sk_more_hosts ? " and more" : "");
	fputs("rule ", fp);
	confprint_string(fp, what);
	fputs(" {\n", fp);
	put_list(fp, key, &e->sk_key, 1);
	fprintf(fp, "    %-15s = \"%s\"\n", "require", req);
	if (e->sk_version >= TLSVERSION_TLS1_0 &&
	    e->sk_version <= TLSVERSION_TLS1_3)
		fprintf(fp, "    %-15s = \"%s\"\n", "min_protocol",
		    tlsversion_name(e->sk_version));
	if (e->sk_bits && e->sk_min_bits > 0 && e->sk_min_bits <= 65535)
		fprintf(fp, "    %-15s = %ld\n", "min_cipher_bits",
		    e->sk_min_bits);
	if (e->sk_verified && e->sk_names)
		put_list(fp, "cert_name", e->sk_name, e->sk_nnames);
	if (e->sk_verified && e->sk_issuers)
		put_list(fp, "cert_issuer", e->sk_issuer, e->sk_nissuers);
	fputs("}\n", fp);
	return 1;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp((*(struct suggest_key *const *)a)->sk_key,
	    (*(struct suggest_key *const *)b)->sk_key);
}

/* The entries of sg with at least min sessions, by key; NULL with *n 0
 * when none (or out of memory). */
static struct suggest_key **
sorted(const struct suggest *sg, unsigned long min, size_t *n)
{
	struct suggest_key **v, *e;
	size_t i;

	*n = 0;
	if (sg->sg_tab.st_used == 0 ||
	    (v = calloc(sg->sg_tab.st_used, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < sg->sg_tab.st_size; i++)
		if ((e = strtab_slot(&sg->sg_tab, i)) != NULL && e->sk_n >= min)
			v[(*n)++] = e;
	qsort(v, *n, sizeof(*v), key_cmp);
	return v;
}

/*
 * suggest_print - see suggest.h.  The sender rules select disjoint
 * domains; the network rules come after them, so a session whose sender
 * has a rule is decided by that rule, and every session of a network was
 * counted for the network's rule as well.
 */
unsigned long
suggest_print(FILE *fp, const struct suggest *domains,
    const struct suggest *nets, unsigned long min)
{
	const struct suggest *sg[2] = { domains, nets };
	static const char *const key[2] = { "sender", "client_addr" };
	char what[DNSNAME_BUFSIZE + 64];
	struct suggest_key **v;
	unsigned long rules = 0;
	size_t i, j, n;

	fprintf(fp, "# Suggested by tls-policy-report --suggest: for each "
	    "sender domain and\n# client network seen in at least %lu "
	    "decisions, what all its sessions met.\n# Check it with "
	    "tls-policy-report -c, and run it with mode = \"monitor\" "
	    "first.\n", min);
	for (j = 0; j < 2; j++) {
		if (sg[j] == NULL)
			continue;
		v = sorted(sg[j], min, &n);
		for (i = 0; i < n; i++) {
			snprintf(what, sizeof(what), "suggest-%s%s",
			    j ? "net-" : "", v[i]->sk_key);
			rules += put_rule(fp, what, key[j], v[i]);
		}
		free(v);
	}
	return rules;
}

/*
 * suggest_free - see suggest.h.
 */
void
suggest_free(struct suggest *sg)
{
	struct suggest_key *e;
	size_t i, j;

	for (i = 0; i < sg->sg_tab.st_size; i++) {
		if ((e = strtab_slot(&sg->sg_tab, i)) == NULL)
			continue;
		for (j = 0; j < e->sk_nnames; j++)
			free(e->sk_name[j]);
		for (j = 0; j < e->sk_nissuers; j++)
			free(e->sk_issuer[j]);
		for (j = 0; j < e->sk_nhosts; j++)
			free(e->sk_host[j]);
	}
	strtab_free(&sg->sg_tab);
	memset(sg, 0, sizeof(*sg));
}
