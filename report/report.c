/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.c - tls-policy-report: what the milter decided, read from its
 * logs, and what a candidate policy would decide instead.
 *
 *	tls-policy-report [-c CANDIDATE.conf] [-j] [-t N] [FILE...]
 *	tls-policy-report -s [-m N] [FILE...]
 *
 * Each decision line is read back with the daemon's own decision.c (the
 * two cannot drift apart); with -c it is re-evaluated under the candidate
 * policy as the daemon would (decision_restore(), policy_eval()).  With
 * -s the sessions read back are folded into a suggested policy instead
 * (suggest.c).  The report links the policy library, never libmilter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "conf.h"
#include "decision.h"
#include "logread.h"
#include "sanitize.h"
#include "stamp.h"
#include "suggest.h"
#include "tally.h"

#define EX_REFUSED	1	/* -c: something would be newly refused */
#define EX_ERROR	2

/* The actions, in the order of a tally's counts. */
static const char *const actions[TALLY_COUNTS] = { "accept", "reject",
	"tempfail", "monitor" };

/* What was read, and what it says. */
struct report {
	const struct policy *r_cand;	/* -c, or NULL */
	unsigned	r_top;		/* -t */
	bool		r_json;		/* -j */
	bool		r_suggest;	/* -s */
	unsigned long	r_min;		/* -m */
	struct suggest	r_domains, r_networks;	/* -s */
	unsigned long	r_decisions, r_milter, r_foreign;
	struct stamp_range r_period;
	struct tally	r_skipped;	/* by reason */
	struct tally	r_hosts, r_rules;	/* counts by action */
	/* refusals (count 0) and would-refusals (count 1) */
	struct tally	r_nets, r_names, r_from, r_to, r_reasons;
	struct tally	r_tls, r_ciphers, r_bits;
	/* -c: by change (count 0), key "CHANGE rule=... client=... from=..." */
	struct tally	r_changes;
	unsigned long	r_replayed, r_same, r_refused, r_accepted, r_other,
			r_notes;
	bool		r_oom;
};

/* The action's index in actions[], 0 when unknown. */
static unsigned
action_index(const char *a)
{
	unsigned i;

	for (i = 0; i < TALLY_COUNTS; i++)
		if (strcmp(a, actions[i]) == 0)
			return i;
	return 0;
}

static void
add(struct report *r, struct tally *t, const char *key, unsigned i,
    const char *example)
{
	if (tally_add(t, key != NULL ? key : "-", i, example) < 0)
		r->r_oom = true;
}

/* The client's network (/24, /48) from client=NAME[ADDR]. */
static void
client_net(const char *client, char *out, size_t len)
{
	const char *a = strchr(client, '[');
	unsigned char b[16];
	char addr[64], text[INET6_ADDRSTRLEN];
	size_t n;

	snprintf(out, len, "unknown");
	if (a == NULL || (n = strlen(a + 1)) < 2 || n > sizeof(addr))
		return;
	memcpy(addr, a + 1, n - 1);
	addr[n - 1] = '\0';
	if (strncmp(addr, "IPv6:", 5) == 0)
		memmove(addr, addr + 5, strlen(addr + 5) + 1);
	if (inet_pton(AF_INET, addr, b) == 1) {
		b[3] = 0;
		inet_ntop(AF_INET, b, text, sizeof(text));
		snprintf(out, len, "%s/24", text);
	} else if (inet_pton(AF_INET6, addr, b) == 1) {
		memset(b + 6, 0, 10);
		inet_ntop(AF_INET6, b, text, sizeof(text));
		snprintf(out, len, "%s/48", text);
	}
}

/* The domain of an address value ("" when none). */
static const char *
domain(const char *addr)
{
	const char *at;

	if (addr == NULL)
		return NULL;
	return (at = strrchr(addr, '@')) != NULL ? at + 1 : "";
}

/* The client's name from client=NAME[ADDR], into out. */
static void
client_name(const char *client, char *out, size_t len)
{
	size_t n = strcspn(client, "[");

	snprintf(out, len, "%.*s", (int)n, client);
}

/* Count one decision for the summary. */
static void
summarise(struct report *r, const struct logline *ll,
    const struct decision_rec *d)
{
	unsigned a = action_index(ll->ll_action);
	const char *const *v = d->dr_value;
	char buf[128];
	unsigned i = a == 3 ? 1 : 0;	/* would-refuse, or refuse */

	add(r, &r->r_hosts, ll->ll_host[0] ? ll->ll_host : "-", a, NULL);
	add(r, &r->r_rules, v[DF_RULE], a, NULL);
	add(r, &r->r_tls, v[DF_TLS], a, NULL);
	if (v[DF_CIPHER] != NULL)
		add(r, &r->r_ciphers, v[DF_CIPHER], a, NULL);
	if (v[DF_BITS] != NULL)
		add(r, &r->r_bits, v[DF_BITS], a, NULL);
	if (a == 0)
		return;
	client_net(v[DF_CLIENT], buf, sizeof(buf));
	add(r, &r->r_nets, buf, i, NULL);
	client_name(v[DF_CLIENT], buf, sizeof(buf));
	add(r, &r->r_names, buf, i, NULL);
	if (v[DF_FROM] != NULL)
		add(r, &r->r_from, domain(v[DF_FROM]), i, NULL);
	if (v[DF_TO] != NULL)
		add(r, &r->r_to, domain(v[DF_TO]), i, NULL);
	add(r, &r->r_reasons, v[DF_REASON], i, NULL);
}

/* Is the verdict a refusal the MTA was told of? */
static bool
refuses(const struct verdict *v)
{
	return !v->vd_monitor && (v->vd_kind == VERDICT_REJECT ||
	    v->vd_kind == VERDICT_TEMPFAIL);
}

/* Does the candidate's verdict w say what the logged line says?  A
 * monitor line may be one of w's notes (a monitor rule passed over). */
static bool
same_line(const struct logline *ll, const struct decision_rec *d,
    const struct verdict *w, bool *note)
{
	const char *rule = d->dr_value[DF_RULE];
	unsigned i;

	*note = false;
	if (strcmp(ll->ll_action, decision_action(w)) == 0 &&
	    strcmp(rule, w->vd_rule != NULL ? w->vd_rule : "-") == 0)
		return true;
	if (strcmp(ll->ll_action, "monitor") != 0)
		return false;
	*note = true;
	for (i = 0; i < w->vd_nnotes; i++)
		if (strcmp(rule, w->vd_notes[i].vn_rule) == 0)
			return true;
	return false;
}

/* The line as it stood after its syslog prefix, for an example: safe
 * to print, since decision_parse() accepted its fields only if every
 * byte is printable ASCII, and the queue id is made so here. */
static const char *
line_text(const struct logline *ll)
{
	static char copy[LOGREAD_MAX + 64];
	char queue[SANITIZE_BUFSIZE];

	snprintf(copy, sizeof(copy), "%s: action=%s %s",
	    sanitize(queue, sizeof(queue), ll->ll_queue, ""), ll->ll_action,
	    ll->ll_fields);
	return copy;
}

/* Count the change one line shows under the candidate, with an example. */
static void
note_change(struct report *r, const char *change, const struct verdict *w,
    const struct decision_rec *d, const struct logline *ll)
{
	char key[1024], net[128];

	client_net(d->dr_value[DF_CLIENT], net, sizeof(net));
	snprintf(key, sizeof(key), "%s rule=%s client=%s from-domain=%s",
	    change, w->vd_rule != NULL ? w->vd_rule : "-", net,
	    d->dr_value[DF_FROM] != NULL ? domain(d->dr_value[DF_FROM]) : "-");
	add(r, &r->r_changes, key, 0, line_text(ll));
}

/* Re-evaluate one decision under the candidate policy. */
static void
replay(struct report *r, const struct logline *ll,
    const struct decision_rec *d)
{
	struct mailaddr rcpt;
	struct session s;
	struct verdict w;
	const char *why;
	bool has_rcpt, logged, note;

	if (decision_restore(d, &s, &rcpt, &has_rcpt, &why) < 0) {
		add(r, &r->r_skipped, why, 0, NULL);
		return;
	}
	policy_eval(r->r_cand, &s, has_rcpt ? &rcpt : NULL, &w);
	r->r_replayed++;
	logged = strcmp(ll->ll_action, "reject") == 0 ||
	    strcmp(ll->ll_action, "tempfail") == 0;
	if (same_line(ll, d, &w, &note)) {
		r->r_same++;
	} else if (note) {
		r->r_notes++;
		note_change(r, "monitor line not reproduced", &w, d, ll);
	} else if (!logged && refuses(&w)) {
		r->r_refused++;
		note_change(r, "newly refused", &w, d, ll);
	} else if (logged && !refuses(&w)) {
		r->r_accepted++;
		note_change(r, "newly accepted", &w, d, ll);
	} else {
		r->r_other++;
		note_change(r, "decided by another rule", &w, d, ll);
	}
}

/* Fold one decision's session into the suggestion (-s): under its
 * sender domain and its client network. */
static void
suggest(struct report *r, const struct logline *ll,
    const struct decision_rec *d)
{
	static struct session s;
	struct mailaddr rcpt;
	char key[DNSNAME_BUFSIZE + 8];
	const char *why;
	bool has_rcpt;

	if (decision_restore(d, &s, &rcpt, &has_rcpt, &why) < 0) {
		add(r, &r->r_skipped, why, 0, NULL);
		return;
	}
	if (suggest_sender_key(&s, key, sizeof(key)) &&
	    suggest_add(&r->r_domains, key, &s, ll->ll_time, ll->ll_host) < 0)
		r->r_oom = true;
	if (suggest_net_key(&s, key, sizeof(key)) &&
	    suggest_add(&r->r_networks, key, &s, ll->ll_time, ll->ll_host) < 0)
		r->r_oom = true;
}

/* One line of the input: counted in the summary, or replayed under the
 * candidate (-c), or folded into the suggestion (-s). */
static void
take(struct report *r, struct logline *ll)
{
	static struct decision_rec d;
	const char *why;

	if (decision_parse(ll->ll_fields, &d, &why) < 0) {
		add(r, &r->r_skipped, why, 0, NULL);
		return;
	}
	r->r_decisions++;
	stamp_add(&r->r_period, ll->ll_time);	/* the -f output has none */
	if (r->r_suggest)
		suggest(r, ll, &d);
	else if (r->r_cand != NULL)
		replay(r, ll, &d);
	else
		summarise(r, ll, &d);
}

/* Read one input to its end; 0, or -1 after saying why. */
static int
read_input(struct report *r, const char *path)
{
	struct logread *lr = malloc(sizeof(*lr));
	struct logline ll;
	enum logread_kind k;
	int rc = 0;

	if (lr == NULL || logread_open(lr, path) < 0) {
		fprintf(stderr, "tls-policy-report: %s: %s\n", path,
		    strerror(lr == NULL ? ENOMEM : errno));
		free(lr);
		return -1;
	}
	while ((k = logread_next(lr, &ll)) != LR_EOF && k != LR_ERROR) {
		if (k == LR_FOREIGN)
			r->r_foreign++;
		else if (k == LR_MILTER)
			r->r_milter++;
		else if (k == LR_SKIPPED)
			add(r, &r->r_skipped, ll.ll_why, 0, NULL);
		else
			take(r, &ll);
	}
	if (k == LR_ERROR) {
		fprintf(stderr, "tls-policy-report: %s: line %lu: %s\n", path,
		    lr->lr_lineno + 1, ll.ll_why);
		rc = -1;
	}
	logread_close(lr);
	free(lr);
	return rc;
}

/* ------------------------------------------------------------ output */

/* s as a JSON string: quotes, backslash and every byte outside printable
 * ASCII escaped (a byte of 0x80 or more as \u00XX: logs are bytes). */
static void
json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (!ascii_isprint(c))
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

/* s made safe for a terminal, as the daemon's log makes a peer string
 * safe (every byte outside printable ASCII, and the backslash, as \xHH):
 * a tally's key holds values decoded from the log.  The result lives
 * until the next call. */
static const char *
text(const char *s)
{
	static char buf[4 * LOGREAD_MAX + 4];

	return sanitize(buf, sizeof(buf), s, "");
}

/* A tally's top entries: text, a line each ("  COUNTS  KEY"), or a JSON
 * array of {"key":..., "NAME":count, ...} with the count names given. */
static void
print_tally(const struct report *r, FILE *fp, const char *key,
    const char *title, const struct tally *t, const char *const names[],
    unsigned ncounts, bool examples)
{
	struct tally_entry **v;
	size_t i, j, n;

	v = tally_top(t, &n);
	if (r->r_json) {
		fprintf(fp, ",\"%s\":[", key);
		for (i = 0; i < n && i < r->r_top; i++) {
			fprintf(fp, "%s{\"key\":", i ? "," : "");
			json_string(fp, v[i]->te_key);
			for (j = 0; j < ncounts; j++)
				fprintf(fp, ",\"%s\":%lu", names[j],
				    v[i]->te_n[j]);
			if (examples && v[i]->te_example != NULL) {
				fprintf(fp, ",\"example\":");
				json_string(fp, v[i]->te_example);
			}
			fputc('}', fp);
		}
		fputc(']', fp);
		free(v);
		return;
	}
	if (n == 0) {
		free(v);
		return;
	}
	fprintf(fp, "\n%s:\n", title);
	for (i = 0; i < n && i < r->r_top; i++) {
		for (j = 0; j < ncounts; j++)
			fprintf(fp, "%9lu", v[i]->te_n[j]);
		fprintf(fp, "  %s\n", text(v[i]->te_key));
		if (examples && v[i]->te_example != NULL)
			fprintf(fp, "%*s  e.g. %s\n", (int)(9 * ncounts), "",
			    v[i]->te_example);	/* line_text() */
	}
	if (n > r->r_top)
		fprintf(fp, "%*s  (%zu more)\n", (int)(9 * ncounts), "",
		    n - r->r_top);
	free(v);
}

static void
print_summary(const struct report *r, FILE *fp)
{
	static const char *const refusal[] = { "refused", "would_refuse" };
	char first[4 * STAMP_MAX], last[4 * STAMP_MAX];

	if (r->r_json)
		fprintf(fp, "{\"decisions\":%lu,\"milter_lines\":%lu,"
		    "\"other_lines\":%lu,\"first\":", r->r_decisions,
		    r->r_milter, r->r_foreign);
	else
		fprintf(fp, "%lu decisions from %s to %s (%lu other lines of "
		    "the milter's, %lu of other programs)\n", r->r_decisions,
		    sanitize(first, sizeof(first), stamp_or_dash(
		    &r->r_period.sr_first), ""), sanitize(last, sizeof(last),
		    stamp_or_dash(&r->r_period.sr_last), ""), r->r_milter,
		    r->r_foreign);
	if (r->r_json) {
		json_string(fp, r->r_period.sr_first.se_text);
		fprintf(fp, ",\"last\":");
		json_string(fp, r->r_period.sr_last.se_text);
	}
	print_tally(r, fp, "skipped", "skipped lines, by reason", &r->r_skipped,
	    (const char *const []){ "lines" }, 1, false);
	if (r->r_cand != NULL)
		return;		/* -c: what changes, print_replay() */
	print_tally(r, fp, "rules", "rules (accept, reject, tempfail, monitor)",
	    &r->r_rules, actions, 4, false);
	print_tally(r, fp, "hosts", "hosts (accept, reject, tempfail, monitor)",
	    &r->r_hosts, actions, 4, false);
	print_tally(r, fp, "refused_client_networks",
	    "refused client networks (refused, would refuse)",
	    &r->r_nets, refusal, 2, false);
	print_tally(r, fp, "refused_client_names", "refused client names",
	    &r->r_names, refusal, 2,
	    false);
	print_tally(r, fp, "refused_sender_domains", "refused sender domains",
	    &r->r_from, refusal, 2,
	    false);
	print_tally(r, fp, "refused_recipient_domains",
	    "refused recipient domains", &r->r_to, refusal, 2,
	    false);
	print_tally(r, fp, "reasons", "reasons for refusals", &r->r_reasons,
	    refusal, 2,
	    false);
	print_tally(r, fp, "tls_versions",
	    "TLS versions (accept, reject, tempfail, monitor)",
	    &r->r_tls, actions, 4, false);
	print_tally(r, fp, "ciphers", "ciphers", &r->r_ciphers, actions, 4,
	    false);
	print_tally(r, fp, "cipher_bits", "cipher bits", &r->r_bits, actions,
	    4, false);
}

static void
print_replay(const struct report *r, FILE *fp)
{
	if (r->r_json)
		fprintf(fp, ",\"replayed\":%lu,\"unchanged\":%lu,"
		    "\"newly_refused\":%lu,\"newly_accepted\":%lu,"
		    "\"another_rule\":%lu,\"monitor_lines_not_reproduced\":%lu",
		    r->r_replayed, r->r_same, r->r_refused, r->r_accepted,
		    r->r_other, r->r_notes);
	else
		fprintf(fp, "\nreplayed %lu decisions under the candidate: "
		    "%lu unchanged, %lu newly refused, %lu newly accepted, "
		    "%lu decided by another rule, %lu monitor lines not "
		    "reproduced\n", r->r_replayed, r->r_same, r->r_refused,
		    r->r_accepted, r->r_other, r->r_notes);
	print_tally(r, fp, "changes", "changes, by rule, client network and "
	    "sender domain", &r->r_changes, (const char *const []){ "lines" },
	    1, true);
}

/* -s: the suggested policy, and on standard error what it was drawn
 * from and what was left out. */
static void
suggest_report(const struct report *r, FILE *fp)
{
	unsigned long rules;
	size_t i, n;
	struct tally_entry **v = tally_top(&r->r_skipped, &n);

	rules = suggest_print(fp, &r->r_domains, &r->r_networks, r->r_min);
	fprintf(stderr, "tls-policy-report: %lu rules from %lu decisions "
	    "(%zu sender domains, %zu client networks; those seen in fewer "
	    "than %lu decisions, or without TLS every time, get none)\n",
	    rules, r->r_decisions, r->r_domains.sg_tab.st_used,
	    r->r_networks.sg_tab.st_used,
	    r->r_min);
	for (i = 0; i < n; i++)
		fprintf(stderr, "tls-policy-report: %lu lines skipped: %s\n",
		    v[i]->te_n[0], v[i]->te_key);
	if (r->r_domains.sg_dropped + r->r_networks.sg_dropped > 0)
		fprintf(stderr, "tls-policy-report: past %d keys, %lu "
		    "sessions not counted\n", SUGGEST_KEYS,
		    r->r_domains.sg_dropped + r->r_networks.sg_dropped);
	free(v);
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: tls-policy-report [-c CANDIDATE.conf] [-j] "
	    "[-t N] [FILE...]\n"
	    "       tls-policy-report -s [-m N] [FILE...]\n"
	    "  -c FILE  replay every decision under the policy in FILE and "
	    "say what\n"
	    "           would change (exit 1 when something would be newly "
	    "refused)\n"
	    "  -j       JSON instead of tables (--json)\n"
	    "  -t N     the top N of each table (default 10)\n"
	    "  -s       print a policy file instead: for each sender domain "
	    "and client\n"
	    "           network, what every session met (--suggest)\n"
	    "  -m N     with -s, only those seen in N decisions or more "
	    "(default 10;\n"
	    "           --min-sessions)\n"
	    "  -h       print this help (--help)\n"
	    "FILEs are syslog files (plain or gzip), journalctl -o "
	    "short-iso or -o json\noutput, or the daemon's -f output; "
	    "standard input when none is given.\n");
}

/* Load the candidate policy, or say why not. */
static struct policy *
candidate(const char *path)
{
	struct conf_errors errors;
	struct policy *p;
	size_t i;

	if ((p = conf_load(path, &errors)) == NULL) {
		for (i = 0; i < errors.ce_count; i++)
			fprintf(stderr, "%s\n", errors.ce_lines[i]);
		fprintf(stderr, "tls-policy-report: -c: the candidate policy "
		    "has problems\n");
	}
	conf_errors_free(&errors);
	return p;
}

static void
report_free(struct report *r)
{
	struct tally *t[] = { &r->r_skipped, &r->r_hosts, &r->r_rules,
		&r->r_nets, &r->r_names, &r->r_from, &r->r_to, &r->r_reasons,
		&r->r_tls, &r->r_ciphers, &r->r_bits, &r->r_changes };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tally_free(t[i]);
	suggest_free(&r->r_domains);
	suggest_free(&r->r_networks);
}

/* A count given to -m or -t; false when it is none. */
static bool
count_arg(const char *text, unsigned long *n)
{
	char *end;

	errno = 0;
	*n = strtoul(text, &end, 10);
	return text[0] >= '0' && text[0] <= '9' && *end == '\0' &&
	    errno == 0 && *n <= 1000000000ul;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "suggest", no_argument, NULL, 's' },
		{ "min-sessions", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct report r;
	struct policy *cand = NULL;
	unsigned long n;
	int ch, i, rc = 0;

	r.r_top = 10;
	r.r_min = 10;
	while ((ch = getopt_long(argc, argv, "c:jm:st:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			policy_free(cand);
			if ((cand = candidate(optarg)) == NULL)
				return EX_ERROR;
			r.r_cand = cand;
			break;
		case 'j':
			r.r_json = true;
			break;
		case 'm':
		case 't':
			if (!count_arg(optarg, &n)) {
				fprintf(stderr, "tls-policy-report: -%c: \"%s\" "
				    "is not a count\n", ch, optarg);
				policy_free(cand);
				return EX_ERROR;
			}
			if (ch == 'm')
				r.r_min = n > 0 ? n : 1;
			else
				r.r_top = (unsigned)n;
			break;
		case 's':
			r.r_suggest = true;
			break;
		case 'h':
			usage(stdout);
			policy_free(cand);
			return 0;
		default:
			usage(stderr);
			policy_free(cand);
			return EX_ERROR;
		}
	}
	if (r.r_suggest && (cand != NULL || r.r_json)) {
		fprintf(stderr, "tls-policy-report: -s prints a policy: "
		    "-c and -j do not go with it\n");
		policy_free(cand);
		return EX_ERROR;
	}
	if (optind == argc)
		rc |= read_input(&r, "-");
	for (i = optind; i < argc; i++)
		rc |= read_input(&r, argv[i]);
	if (r.r_suggest)
		suggest_report(&r, stdout);
	else
		print_summary(&r, stdout);
	if (cand != NULL)
		print_replay(&r, stdout);
	if (r.r_json)
		printf("}\n");
	if (r.r_oom)
		fprintf(stderr, "tls-policy-report: out of memory: counts "
		    "are incomplete\n");
	report_free(&r);
	policy_free(cand);
	if (rc != 0 || r.r_oom || ferror(stdout))
		return EX_ERROR;
	return r.r_refused > 0 ? EX_REFUSED : 0;
}
