/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - tls-policy-milter: options, policy check and query modes, and
 * the daemon's start.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <signal.h>
#include <sys/stat.h>

#include "log.h"
#include "milter.h"
#include "pidfile.h"
#include "privs.h"
#include "promfile.h"
#include "query.h"
#include "signals.h"
#include "snapshot.h"
#include "sockfile.h"
#include "threads.h"
#include "stats.h"


#include "conf.h"
#include "confprint.h"

#define DEFAULT_POLICY SYSCONFDIR "/tls-policy-milter.conf"

struct options {
	const char	*o_policy;
	const char	*o_socket;
	const char	*o_user;
	const char	*o_pidfile;
	bool		o_foreground;
	bool		o_check;
	bool		o_verbose;	/* -n -v: print the policy as loaded */
	bool		o_query;
};

/* Where usage() is in its list of -q keys. */
struct keycol {
	FILE	*kc_fp;
	int	kc_col;
};

/* Print one -q key, wrapping the line before column 72. */
static void
usage_key(void *arg, const char *key)
{
	struct keycol *kc = arg;
	int n = (int)strlen(key) + 1;

	if (kc->kc_col + n > 72) {
		fprintf(kc->kc_fp, "\n            ");
		kc->kc_col = 12;
	}
	fprintf(kc->kc_fp, " %s", key);
	kc->kc_col += n;
}

static void
usage(FILE *fp)
{
	struct keycol kc = { fp, 72 };

	fprintf(fp,
	    "usage: tls-policy-milter [-c FILE] [-p SOCKET] [-u USER] "
	    "[-P PIDFILE] [-f] [-n [-v]]\n"
	    "                         [-q KEY=VALUE... | -q -] [-V] [-h]\n"
	    "  -c FILE    policy file (default: %s)\n"
	    "  -p SOCKET  unix:/path | inet:PORT@HOST | inet6:PORT@HOST; "
	    "overrides `socket`\n"
	    "  -u USER    run as USER once the socket is open; overrides "
	    "`user`\n"
	    "  -P FILE    write the daemon's pid to FILE; overrides `pidfile`\n"
	    "  -f         stay in the foreground and also log to stderr\n"
	    "  -n         check the policy file and exit (78 if it has "
	    "problems)\n"
	    "  -v         with -n: print the policy as loaded, every setting "
	    "in force\n"
	    "  -q         judge a described session offline, print its "
	    "decision lines\n"
	    "             (exit 1 if one refuses; -q -: a session a line "
	    "from stdin); keys:", DEFAULT_POLICY);
	query_keys(usage_key, &kc);
	fprintf(fp, "\n"
	    "  -V         print the version\n"
	    "  -h         print this help\n"
	    "Signals: HUP reloads the policy, USR1 logs statistics, TERM and "
	    "INT stop.\n");
}

/* Parse the command line; returns -1 after a usage message. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->o_policy = DEFAULT_POLICY;
	while ((ch = getopt(argc, argv, "c:p:u:P:fnvqVh")) != -1) {
		switch (ch) {
		case 'c': o->o_policy = optarg; break;
		case 'p': o->o_socket = optarg; break;
		case 'u': o->o_user = optarg; break;
		case 'P': o->o_pidfile = optarg; break;
		case 'f': o->o_foreground = true; break;
		case 'n': o->o_check = true; break;
		case 'v': o->o_verbose = true; break;
		case 'q': o->o_query = true; break;
		case 'V':
			printf("tls-policy-milter %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc && !o->o_query) {
		fprintf(stderr, "tls-policy-milter: unexpected argument \"%s\" "
		    "(KEY=VALUE words go with -q)\n", argv[optind]);
		return -1;
	}
	if (o->o_verbose && !o->o_check) {
		fprintf(stderr, "tls-policy-milter: -v goes with -n\n");
		return -1;
	}
	if (o->o_check && o->o_query) {
		fprintf(stderr, "tls-policy-milter: -n and -q do not go "
		    "together\n");
		return -1;
	}
	return 0;
}

/* Print or log each line of lines[0..n-1] at priority prio. */
static void
say_lines(char *const *lines, size_t n, bool logging, int prio)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (logging)
			log_msg(prio, "%s", lines[i]);
		else
			fprintf(stderr, "%s\n", lines[i]);
	}
}

/* The warnings a start or reload logs at most: a generated policy can
 * have thousands (rules an earlier one always decides first), and -n
 * lists them all. */
#define LOGGED_WARNINGS 20

/* The warnings of a load: every one printed (-n), or at most
 * LOGGED_WARNINGS logged, then how many more there are. */
static void
say_warnings(const struct conf_errors *e, bool logging)
{
	size_t n = e->ce_nwarnings;

	if (logging && n > LOGGED_WARNINGS)
		n = LOGGED_WARNINGS;
	say_lines(e->ce_warnings, n, logging, LOG_WARNING);
	if (n < e->ce_nwarnings)
		log_msg(LOG_WARNING, "and %zu more warnings "
		    "(tls-policy-milter -n -c FILE lists every one)",
		    e->ce_nwarnings - n);
}

/* Load the policy, or print every problem (and log them when a daemon);
 * the warnings either way, but for -q (its output is for scripts). */
static struct policy *
load(const struct options *o, bool logging)
{
	struct conf_errors errors;
	struct policy *p;

	p = conf_load(o->o_policy, &errors);
	say_lines(errors.ce_lines, errors.ce_count, logging, LOG_ERR);
	if (!o->o_query)
		say_warnings(&errors, logging);
	if (p == NULL && errors.ce_count == 0)
		fprintf(stderr, "%s: cannot load the policy\n", o->o_policy);
	conf_errors_free(&errors);
	return p;
}

/* ------------------------------------------------------------ daemon */

/* What the daemon keeps from its start for its signal thread and stop. */
static struct {
	char		d_policy[4096];	/* absolute: daemon() goes to "/" */
	char		*d_socket;
	char		*d_pidfile;
	char		*d_stats_file;	/* the metrics file, or NULL */
	unsigned	d_stats_interval;
	bool		d_stats_failing; /* its last write failed */
	struct sockfile	d_sock;
	struct privs	d_privs;
} d;

static void
log_line(void *arg, const char *line)
{
	(void)arg;
	log_msg(LOG_INFO, "%s", line);
}

/* Rewrite the metrics file, if any (from the signal thread, or at stop
 * once it has ended); a failure is logged at the first of a series. */
static void
write_metrics(void)
{
	struct snapshot *s;
	struct stats_counts sc;
	int rc;

	if (d.d_stats_file == NULL)
		return;
	s = snapshot_acquire();
	stats_read(&sc);
	rc = promfile_write(d.d_stats_file, &sc, s != NULL ? s->sn_rules :
	    NULL, s != NULL ? s->sn_policy : NULL);
	snapshot_release(s);
	if (rc < 0 && !d.d_stats_failing)
		log_msg(LOG_WARNING, "cannot write the metrics file %s: %s "
		    "(said once until a write succeeds; mail goes on)",
		    d.d_stats_file, strerror(errno));
	else if (rc == 0 && d.d_stats_failing)
		log_msg(LOG_NOTICE, "the metrics file %s is written again",
		    d.d_stats_file);
	d.d_stats_failing = rc < 0;
}

/* SIGUSR1, and at stop: the statistics, key=value lines, and the
 * metrics file. */
static void
report(void)
{
	struct snapshot *s = snapshot_acquire();

	stats_report(s != NULL ? s->sn_rules : NULL, s != NULL ?
	    s->sn_policy : NULL, log_line, NULL);
	snapshot_release(s);
	write_metrics();
}

/* Warn about settings a reload cannot apply. */
static void
start_only(const char *key, const char *was, const char *now)
{
	if ((was == NULL) != (now == NULL) || (was != NULL &&
	    strcmp(was, now) != 0))
		log_msg(LOG_WARNING, "reload: %s changed; it takes effect at "
		    "the next start", key);
}

/* SIGHUP: the new policy in force if it is valid, else the old one stays. */
static void
reload(void)
{
	struct snapshot *old = snapshot_acquire();
	const struct policy *o = old != NULL ? old->sn_policy : NULL;
	enum snapshot_rules rules;
	struct conf_errors errors;
	struct policy *p;

	p = conf_load(d.d_policy, &errors);
	say_warnings(&errors, true);
	if (p == NULL) {
		stats_reload(false);
		log_msg(LOG_ERR, "reload failed, the policy in force stays: "
		    "%s%s", errors.ce_count > 0 ? errors.ce_lines[0] :
		    "cannot load the policy", errors.ce_count > 1 ?
		    " (and more: tls-policy-milter -n -c FILE lists every "
		    "problem)" : "");
		conf_errors_free(&errors);
		snapshot_release(old);
		return;
	}
	conf_errors_free(&errors);
	if (o != NULL) {
		start_only("socket", policy_socket(o), policy_socket(p));
		start_only("user", policy_user(o), policy_user(p));
		start_only("group", policy_group(o), policy_group(p));
		start_only("socket_group", policy_socket_group(o),
		    policy_socket_group(p));
		start_only("pidfile", policy_pidfile(o), policy_pidfile(p));
		start_only("stats_file", policy_stats_file(o),
		    policy_stats_file(p));
		if (policy_stats_interval(o) != policy_stats_interval(p))
			start_only("stats_interval", "", NULL);
		if (policy_socket_mode(o) != policy_socket_mode(p) ||
		    policy_allow_root(o) != policy_allow_root(p))
			start_only("socket_mode or allow_root", "", NULL);
	}
	snapshot_release(old);
	if (snapshot_publish(p, &rules) < 0) {
		stats_reload(false);
		log_msg(LOG_ERR, "reload failed, the policy in force stays: "
		    "out of memory");
		return;
	}
	stats_reload(true);
	old = snapshot_acquire();
	log_msg(LOG_INFO, "reloaded: policy %s with %zu rules, mode %s, "
	    "generation %lu; rule statistics %s", d.d_policy,
	    policy_nrules(old->sn_policy),
	    policy_mode_names[policy_mode(old->sn_policy)], old->sn_generation,
	    rules == SNAPSHOT_RULES_KEPT ? "kept (same rules)" :
	    "restart (the rule list changed)");
	snapshot_release(old);
}

/* Make the policy file name absolute, so that a reload after daemon()'s
 * chdir("/") reads the same file. */
static int
absolute_policy(const char *path)
{
	char cwd[2048];

	if (path[0] == '/')
		return snprintf(d.d_policy, sizeof(d.d_policy), "%s", path) <
		    (int)sizeof(d.d_policy) ? 0 : -1;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	return snprintf(d.d_policy, sizeof(d.d_policy), "%s/%s", cwd, path) <
	    (int)sizeof(d.d_policy) ? 0 : -1;
}

/* Who to run as; refuses root unless allowed.  Returns 0 or a sysexits
 * code after logging why. */
static int
settle_user(const struct options *o, const struct policy *p)
{
	const char *user = o->o_user ? o->o_user : policy_user(p);
	char buf[512];
	const char *why;

	if (privs_lookup(user, policy_group(p), &d.d_privs, buf, sizeof(buf),
	    &why) < 0) {
		log_msg(LOG_ERR, "%s", why);
		return EX_NOUSER;
	}
	if (user == NULL && geteuid() == 0 && !policy_allow_root(p)) {
		log_msg(LOG_ERR, "refusing to run as root: set user = \"...\" "
		    "in %s (or give -u USER), or allow_root = true", d.d_policy);
		return EX_CONFIG;
	}
	return 0;
}

/* Open the listening socket; a unix one checked, its stale file removed,
 * made with socket_mode, and given to the user we switch to and to
 * socket_group (else that user's group). */
static int
open_socket(const struct policy *p)
{
	const char *path = sockfile_path(d.d_socket), *why;
	uid_t uid = d.d_privs.pv_user != NULL ? d.d_privs.pv_uid : (uid_t)-1;
	gid_t gid = d.d_privs.pv_user != NULL ? d.d_privs.pv_gid : (gid_t)-1;
	bool removed;
	char buf[4200];
	mode_t mask;
	int rc;

	if (path == NULL)
		return milter_open(d.d_socket);
	if (policy_socket_group(p) != NULL &&
	    privs_group(policy_socket_group(p), &gid) < 0) {
		log_msg(LOG_ERR, "unknown socket_group \"%s\"",
		    policy_socket_group(p));
		return EX_NOUSER;
	}
	if (sockfile_prepare(path, &removed, buf, sizeof(buf), &why) < 0) {
		log_msg(LOG_ERR, "%s", why);
		return EX_UNAVAILABLE;
	}
	if (removed)
		log_msg(LOG_NOTICE, "removed the stale socket %s", path);
	mask = umask(0777 & ~(mode_t)policy_socket_mode(p));
	rc = milter_open(d.d_socket);
	umask(mask);
	if (rc == 0 && sockfile_made(&d.d_sock, path, policy_socket_mode(p),
	    uid, gid, buf, sizeof(buf), &why) < 0) {
		log_msg(LOG_ERR, "%s", why);
		(void)sockfile_remove(&d.d_sock);
		return EX_UNAVAILABLE;
	}
	return rc;
}

/* After libmilter has stopped: statistics, socket and pidfile gone. */
static void
finish(void)
{
	report();
	if (sockfile_remove(&d.d_sock) < 0)
		log_msg(LOG_WARNING, "cannot remove the socket %s: %s (it is "
		    "removed at the next start)", d.d_sock.sf_path,
		    strerror(errno));
	if (d.d_pidfile != NULL && unlink(d.d_pidfile) < 0 && errno != ENOENT)
		log_msg(LOG_WARNING, "cannot remove the pidfile %s: %s",
		    d.d_pidfile, strerror(errno));
	snapshot_retire();
}

/* From the open socket to the first connection: background, pidfile,
 * privileges, signals. */
static int
become_daemon(const struct options *o, const struct policy *p)
{
	struct signals_actions actions = { reload, report, milter_stop,
		d.d_stats_file != NULL ? write_metrics : NULL,
		d.d_stats_interval };
	char buf[512];
	const char *why;
	int rc;

	if (!o->o_foreground && daemon(0, 0) < 0) {
		log_msg(LOG_ERR, "cannot go into the background: %s",
		    strerror(errno));
		return EX_OSERR;
	}
	if (d.d_pidfile != NULL && pidfile_write(d.d_pidfile) < 0) {
		log_msg(LOG_ERR, "cannot write the pidfile %s: %s",
		    d.d_pidfile, strerror(errno));
		return EX_CANTCREAT;
	}
	if (privs_drop(&d.d_privs, buf, sizeof(buf), &why) < 0) {
		log_msg(LOG_ERR, "cannot give up root: %s", why);
		return EX_OSERR;
	}
	/* The last use of p here: from now on a reload may free it. */
	log_msg(LOG_INFO, "starting: policy %s with %zu rules, mode %s, "
	    "socket %s, user %s", d.d_policy, policy_nrules(p),
	    policy_mode_names[policy_mode(p)], d.d_socket,
	    d.d_privs.pv_user != NULL ? d.d_privs.pv_user :
	    geteuid() == 0 ? "root (allow_root)" : "as started");
	if ((rc = signals_start(&actions)) != 0) {
		log_msg(LOG_ERR, "cannot start the signal thread: %s",
		    strerror(rc));
		return EX_OSERR;
	}
	return 0;
}

static int
run_daemon(const struct options *o, struct policy *p)
{
	enum snapshot_rules rules;
	int rc, sig;

	stats_start();
	if (snapshot_publish(p, &rules) < 0) {	/* p belongs to it now */
		log_msg(LOG_ERR, "out of memory");
		return EX_OSERR;
	}
	/* Copies: a reload frees p. */
	const char *socket = o->o_socket ? o->o_socket : policy_socket(p);
	const char *pidfile = o->o_pidfile ? o->o_pidfile : policy_pidfile(p);
	const char *stats_file = policy_stats_file(p);

	d.d_stats_interval = policy_stats_interval(p);
	if ((socket != NULL && (d.d_socket = strdup(socket)) == NULL) ||
	    (pidfile != NULL && (d.d_pidfile = strdup(pidfile)) == NULL) ||
	    (stats_file != NULL && (d.d_stats_file = strdup(stats_file)) ==
	    NULL)) {
		log_msg(LOG_ERR, "out of memory");
		return EX_OSERR;
	}
	if (d.d_socket == NULL) {
		log_msg(LOG_ERR, "no socket: give -p SOCKET or socket = "
		    "\"...\" in %s", o->o_policy);
		return EX_CONFIG;
	}
	if (d.d_pidfile != NULL && d.d_pidfile[0] != '/') {
		log_msg(LOG_ERR, "-P %s: the pidfile needs an absolute name",
		    d.d_pidfile);
		return EX_USAGE;
	}
	if ((rc = settle_user(o, p)) != 0 || (rc = open_socket(p)) != 0)
		return rc;
	if ((rc = become_daemon(o, p)) != 0) {
		(void)sockfile_remove(&d.d_sock);
		return rc;
	}
	rc = milter_main();
	sig = signals_finish();
	finish();
	log_msg(LOG_INFO, "stopped%s%s", sig == SIGTERM ? " on SIGTERM" :
	    sig == SIGINT ? " on SIGINT" : "", sig == 0 ||
	    signals_libmilter_parked() ? "" : " (libmilter's signal thread "
	    "was not parked: see signals.c)");
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct policy *p;
	int rc;

	if (parse_options(argc, argv, &o) < 0)
		return EX_USAGE;
	if (o.o_check || o.o_query) {
		if ((p = load(&o, false)) == NULL)
			return EX_CONFIG;
		if (!o.o_query)
			rc = o.o_verbose && confprint_policy(p, stdout) < 0 ?
			    EX_IOERR : 0;
		else if (argc - optind == 1 && strcmp(argv[optind], "-") == 0)
			rc = query_stream(p, stdin, stdout, stderr);
		else
			rc = query_run(p, argc - optind, argv + optind, stdout,
			    stderr);
		if (fflush(stdout) == EOF || ferror(stdout)) {
			fprintf(stderr, "tls-policy-milter: cannot write the "
			    "standard output\n");
			rc = EX_IOERR;
		}
		policy_free(p);
		return rc;
	}
	/* libmilter starts threads all the time, and glibc gives new threads
	 * arenas of their own, up to 8 per core: the resident memory creeps
	 * up as they fill (t/soak.t watches it).  Two arenas keep it flat
	 * (bench/README). */
	(void)mallopt(M_ARENA_MAX, 2);
	log_open(o.o_foreground);
	if ((rc = threads_stack(THREADS_STACK)) != 0)	/* threads.c: why */
		log_msg(LOG_WARNING, "cannot set the threads' stack size: %s",
		    strerror(rc));	/* the default stays: slower, not wrong */
	if (signals_block() < 0) {
		log_msg(LOG_ERR, "cannot set up signals: %s", strerror(errno));
		return EX_OSERR;
	}
	if (absolute_policy(o.o_policy) < 0) {
		log_msg(LOG_ERR, "%s: cannot make the name absolute",
		    o.o_policy);
		return EX_CONFIG;
	}
	if ((p = load(&o, true)) == NULL)
		return EX_CONFIG;
	return run_daemon(&o, p);	/* p belongs to its snapshot */
}
