/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * promfile.c - the counters of stats.c as a Prometheus text file (format
 * 0.0.4, what node_exporter's textfile collector reads): names in
 * snake_case with the prefix tls_policy_milter_, counters ending in
 * _total, times in seconds, one label per partition (a family's samples
 * add up to something meaningful).  Every sample of a partition is
 * written, zeros too, so a series does not appear only at its first
 * event; per rule, only the rules with any count (a policy may have
 * 100,000 rules).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "promfile.h"

#define PREFIX "tls_policy_milter_"

/* One sample of a labelled family: the label's value and its counter. */
struct sample {
	const char	*sa_value;
	int		sa_counter;	/* enum stats_counter */
};

static const struct sample tls_versions[] = {
	{ "none", STATS_TLS_NONE }, { "unknown", STATS_TLS_UNKNOWN },
	{ "SSLv3", STATS_TLS_SSL3 }, { "TLSv1", STATS_TLS_1_0 },
	{ "TLSv1.1", STATS_TLS_1_1 }, { "TLSv1.2", STATS_TLS_1_2 },
	{ "TLSv1.3", STATS_TLS_1_3 }, { "other", STATS_TLS_OTHER },
	{ NULL, 0 }
};
static const struct sample cipher_bits[] = {
	{ "unknown", STATS_BITS_NONE }, { "below_112", STATS_BITS_LT112 },
	{ "112_to_127", STATS_BITS_112 }, { "128_to_255", STATS_BITS_128 },
	{ "256_or_more", STATS_BITS_256 }, { NULL, 0 }
};
static const struct sample certificates[] = {
	{ "none", STATS_CERT_NONE }, { "unverified", STATS_CERT_UNVERIFIED },
	{ "verified", STATS_CERT_VERIFIED }, { NULL, 0 }
};
static const struct sample decisions[] = {
	{ "accept", STATS_ACCEPT }, { "reject", STATS_REJECT },
	{ "tempfail", STATS_TEMPFAIL }, { NULL, 0 }
};
static const struct sample would_refuse[] = {
	{ "reject", STATS_MONITOR_REJECT },
	{ "tempfail", STATS_MONITOR_TEMPFAIL }, { NULL, 0 }
};
static const struct sample reloads[] = {
	{ "ok", STATS_RELOADS }, { "failed", STATS_RELOAD_FAILURES },
	{ NULL, 0 }
};

/* The same for a rule: the verdict and its index in rulestats_read(). */
static const struct sample rule_decisions[] = {
	{ "accept", STATS_RULE_ACCEPT }, { "reject", STATS_RULE_REJECT },
	{ "tempfail", STATS_RULE_TEMPFAIL }, { NULL, 0 }
};
static const struct sample rule_would_refuse[] = {
	{ "reject", STATS_RULE_MONITOR_REJECT },
	{ "tempfail", STATS_RULE_MONITOR_TEMPFAIL }, { NULL, 0 }
};

/* The # HELP and # TYPE lines of metric name (help needs no escaping). */
static void
head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s %s\n", name,
	    help, name, type);
}

/* A label value as the format quotes it: \, " and newline escaped. */
static void
label_value(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			putc(*s, fp);
	}
}

/* An unlabelled counter. */
static void
counter(FILE *fp, const char *name, const char *help, unsigned long n)
{
	head(fp, name, "counter", help);
	fprintf(fp, PREFIX "%s %lu\n", name, n);
}

/* A counter with one label, a sample for each of samples[]. */
static void
family(FILE *fp, const char *name, const char *label, const char *help,
    const struct sample *samples, const struct stats_counts *sc)
{
	head(fp, name, "counter", help);
	for (; samples->sa_value != NULL; samples++)
		fprintf(fp, PREFIX "%s{%s=\"%s\"} %lu\n", name, label,
		    samples->sa_value, sc->sc_n[samples->sa_counter]);
}

/* A per-rule counter: for each rule with any count, a sample for each
 * verdict of samples[]. */
static void
rule_family(FILE *fp, const char *name, const char *help,
    const struct sample *samples, const struct rulestats *rs,
    const struct policy *p)
{
	unsigned long n[STATS_RULE_MAX];
	const struct sample *sa;
	size_t i;

	head(fp, name, "counter", help);
	for (i = 0; i < policy_nrules(p); i++) {
		if (rulestats_read(rs, i, n) == 0)
			continue;
		for (sa = samples; sa->sa_value != NULL; sa++) {
			fprintf(fp, PREFIX "%s{rule=\"", name);
			label_value(fp, policy_rule_name(p, i));
			fprintf(fp, "\",verdict=\"%s\"} %lu\n", sa->sa_value,
			    n[sa->sa_counter]);
		}
	}
}

/* The gauges and counters of the policy in force and its rules. */
static void
format_rules(FILE *fp, const struct rulestats *rs, const struct policy *p)
{
	head(fp, "rules", "gauge", "Rules in the policy in force.");
	fprintf(fp, PREFIX "rules %zu\n", policy_nrules(p));
	head(fp, "rule_counters_start_time_seconds", "gauge", "When the "
	    "per-rule counters started, in seconds since the epoch (they "
	    "restart when a reload changes the rule names or their order).");
	fprintf(fp, PREFIX "rule_counters_start_time_seconds %lld\n",
	    (long long)rulestats_since(rs));
	rule_family(fp, "rule_decisions_total", "Decisions given by each "
	    "rule, by verdict (rules that decided anything).", rule_decisions,
	    rs, p);
	rule_family(fp, "rule_monitor_would_refuse_total", "Refusals of each "
	    "rule only logged (mode or action monitor), by the verdict they "
	    "would have given.", rule_would_refuse, rs, p);
}

/*
 * promfile_format - see promfile.h.
 */
int
promfile_format(FILE *fp, const struct stats_counts *sc,
    const struct rulestats *rs, const struct policy *p)
{
	head(fp, "start_time_seconds", "gauge", "When the daemon started, in "
	    "seconds since the epoch.");
	fprintf(fp, PREFIX "start_time_seconds %lld\n",
	    (long long)sc->sc_started);
	counter(fp, "connections_total", "Connections from the MTA (SMTP "
	    "sessions).", sc->sc_n[STATS_CONNECTIONS]);
	family(fp, "transactions_total", "tls_version", "MAIL transactions, "
	    "by the TLS version of their session (none: plaintext; unknown: "
	    "the MTA gave no TLS facts).", tls_versions, sc);
	family(fp, "tls_transactions_cipher_strength_total", "cipher_bits",
	    "MAIL transactions over TLS, by the secret bits of the cipher.",
	    cipher_bits, sc);
	family(fp, "tls_transactions_certificate_total", "certificate",
	    "MAIL transactions over TLS, by the client certificate (Postfix "
	    "names only a verified one: unverified includes none).",
	    certificates, sc);
	family(fp, "decisions_total", "verdict", "Decisions given to the MTA, "
	    "by verdict (refusals only logged are not among them).",
	    decisions, sc);
	family(fp, "monitor_would_refuse_total", "verdict", "Refusals only "
	    "logged (mode or action monitor), by the verdict they would have "
	    "given.", would_refuse, sc);
	counter(fp, "internal_errors_total", "Commands tempfailed by an "
	    "internal error.", sc->sc_n[STATS_INTERNAL]);
	family(fp, "reloads_total", "result", "Reloads of the policy, by "
	    "result (failed: the policy in force stayed).", reloads, sc);
	if (rs != NULL && p != NULL)
		format_rules(fp, rs, p);
	return ferror(fp) ? -1 : 0;
}

/*
 * promfile_write - see promfile.h.
 */
int
promfile_write(const char *path, const struct stats_counts *sc,
    const struct rulestats *rs, const struct policy *p)
{
	char tmp[4200];
	FILE *fp;
	int fd, rc, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (unlink(tmp) < 0 && errno != ENOENT)	/* left by a crash */
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0)
		return -1;
	if ((fp = fdopen(fd, "w")) == NULL) {
		saved = errno;
		(void)close(fd);
		(void)unlink(tmp);
		errno = saved;
		return -1;
	}
	rc = promfile_format(fp, sc, rs, p);
	saved = errno;
	if (fclose(fp) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		rc = -1;
		saved = errno;
	}
	if (rc < 0) {
		(void)unlink(tmp);
		errno = saved != 0 ? saved : EIO;
	}
	return rc;
}
