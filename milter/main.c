/*
 * main.c - tls-policy-milter: options, policy check and query modes, and
 * the daemon's start.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "log.h"
#include "milter.h"
#include "query.h"


#include "conf.h"

#define DEFAULT_POLICY SYSCONFDIR "/tls-policy-milter.conf"

struct options {
	const char	*o_policy;
	const char	*o_socket;
	bool		o_foreground;
	bool		o_check;
	bool		o_query;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: tls-policy-milter [-c FILE] [-p SOCKET] [-f] [-n] "
	    "[-q KEY=VALUE...] [-V] [-h]\n"
	    "  -c FILE    policy file (default: %s)\n"
	    "  -p SOCKET  unix:/path | inet:PORT@HOST | inet6:PORT@HOST; "
	    "overrides `socket`\n"
	    "  -f         stay in the foreground and also log to stderr\n"
	    "  -n         check the policy file and exit (78 if it has "
	    "problems)\n"
	    "  -q         judge one described session offline and print one "
	    "line; keys:\n"
	    "             client_addr client_name helo tls_version cipher "
	    "cipher_bits\n"
	    "             cert_subject cert_issuer sender recipient listener "
	    "auth verify\n"
	    "             cn_subject cn_issuer mta\n"
	    "  -V         print the version\n"
	    "  -h         print this help\n", DEFAULT_POLICY);
}

/* Parse the command line; returns -1 after a usage message. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->o_policy = DEFAULT_POLICY;
	while ((ch = getopt(argc, argv, "c:p:fnqVh")) != -1) {
		switch (ch) {
		case 'c': o->o_policy = optarg; break;
		case 'p': o->o_socket = optarg; break;
		case 'f': o->o_foreground = true; break;
		case 'n': o->o_check = true; break;
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
	if (o->o_check && o->o_query) {
		fprintf(stderr, "tls-policy-milter: -n and -q do not go "
		    "together\n");
		return -1;
	}
	return 0;
}

/* Load the policy, or print every problem (and log them when a daemon). */
static struct policy *
load(const struct options *o, bool logging)
{
	struct conf_errors errors;
	struct policy *p;
	size_t i;

	if ((p = conf_load(o->o_policy, &errors)) != NULL)
		return p;
	for (i = 0; i < errors.ce_count; i++) {
		if (logging)
			log_msg(LOG_ERR, "%s", errors.ce_lines[i]);
		else
			fprintf(stderr, "%s\n", errors.ce_lines[i]);
	}
	if (errors.ce_count == 0)
		fprintf(stderr, "%s: cannot load the policy\n", o->o_policy);
	conf_errors_free(&errors);
	return NULL;
}

static int
run_daemon(const struct options *o, struct policy *p)
{
	const char *socket = o->o_socket ? o->o_socket : policy_socket(p);
	int rc;

	if (socket == NULL) {
		log_msg(LOG_ERR, "no socket: give -p SOCKET or socket = "
		    "\"...\" in %s", o->o_policy);
		return EX_CONFIG;
	}
	if ((rc = milter_open(p, socket)) != 0)
		return rc;
	if (!o->o_foreground && daemon(0, 0) < 0) {
		log_msg(LOG_ERR, "cannot go into the background: %s",
		    strerror(errno));
		return EX_OSERR;
	}
	log_msg(LOG_INFO, "starting: policy %s with %zu rules, mode %s, "
	    "socket %s", o->o_policy, policy_nrules(p),
	    policy_mode(p) == POLICY_MONITOR ? "monitor" : "enforce", socket);
	rc = milter_main();
	log_msg(LOG_INFO, "stopped");
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
		rc = o.o_query ? query_run(p, argc - optind, argv + optind,
		    stdout, stderr) : 0;
		policy_free(p);
		return rc;
	}
	log_open(o.o_foreground);
	if ((p = load(&o, true)) == NULL)
		return EX_CONFIG;
	rc = run_daemon(&o, p);
	policy_free(p);
	return rc;
}
