/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen-policy.c - write a valid policy of N rules for the benchmarks.
 *
 *	bench/gen-policy [-s SEED] [-d DOMAINS] RULES > policy.conf
 *
 * The rules are a fixed mix of what sites list by the thousand: partner
 * sender domains that must present a named certificate, recipient domains
 * that must be reached over TLS, client networks, relay host names, HELO
 * names, sender/recipient pairs, a few executives' addresses with cipher
 * exclusions and their own reply, and hosted domains whose users must
 * submit over TLS.  Each rule
 * is about one domain k drawn from [0, DOMAINS) (default: RULES), named
 * as workload.h says, so bench/milter-load and bench/policy-bench, given
 * the same DOMAINS, make sessions that hit them.  The same SEED gives the
 * same file.  No rule applies to everything, but domains are drawn
 * with repetition: a rule whose selectors an earlier one of the same
 * kind already has can never apply (about 8,400 of 100,000; -n warns of
 * each), as in a list that grew by hand for years.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload.h"

#define NAMELEN 64

typedef void kind_fn(FILE *fp, struct wl_rng *r, uint32_t k);

/* A partner that must use verified TLS from its own hosts. */
static void
kind_partner(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN], ca[NAMELEN];

	wl_domain(d, sizeof(d), k);
	wl_issuer(ca, sizeof(ca), k);
	fprintf(fp, "    sender = {\"%s\", \".%s\"}\n"
	    "    require = \"secure\"\n"
	    "    min_protocol = \"TLSv1.2\"\n"
	    "    cert_name = {\"mx.%s\", \".%s\"}\n", d, d, d, d);
	if (wl_below(r, 2) == 0)
		fprintf(fp, "    cert_issuer = {\"%s\"}\n", ca);
}

/* Mail for this domain must arrive encrypted. */
static void
kind_inbound(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN];

	wl_domain(d, sizeof(d), k);
	fprintf(fp, "    recipient = {\"%s\"}\n"
	    "    require = \"encrypt\"\n"
	    "    min_protocol = \"%s\"\n", d,
	    wl_below(r, 3) == 0 ? "TLSv1.3" : "TLSv1.2");
}

/* A client network: TLS, sometimes a certificate, sometimes a tempfail. */
static void
kind_network(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char net[NAMELEN];

	wl_network(net, sizeof(net), k);
	fprintf(fp, "    client_addr = {\"%s\"}\n", net);
	switch (wl_below(r, 3)) {
	case 0:
		fprintf(fp, "    require = \"encrypt\"\n"
		    "    min_cipher_bits = 128\n");
		break;
	case 1:
		fprintf(fp, "    require = \"verify\"\n");
		break;
	default:
		fprintf(fp, "    require = \"encrypt\"\n"
		    "    action = \"tempfail\"\n");
		break;
	}
}

/* A relay known by its validated name: a certificate from its CA. */
static void
kind_relay(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN], ca[NAMELEN];

	(void)r;
	wl_domain(d, sizeof(d), k);
	wl_issuer(ca, sizeof(ca), k);
	fprintf(fp, "    client_name = {\"mx.%s\", \".relay.%s\"}\n"
	    "    require = \"verify\"\n"
	    "    cert_issuer = {\"%s\"}\n", d, d, ca);
}

/* A HELO name, watched in monitor mode first. */
static void
kind_helo(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN];

	(void)r;
	wl_domain(d, sizeof(d), k);
	fprintf(fp, "    helo = {\"mx.%s\"}\n"
	    "    require = \"secure\"\n"
	    "    action = \"monitor\"\n", d);
}

/* One sender writing to one recipient domain. */
static void
kind_pair(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN], d2[NAMELEN];

	wl_domain(d, sizeof(d), k);
	wl_domain(d2, sizeof(d2), wl_below(r, k + 1));
	fprintf(fp, "    sender = {\"billing@%s\"}\n"
	    "    recipient = {\"%s\", \".%s\"}\n"
	    "    require = \"encrypt\"\n", d, d2, d2);
}

/* An executive's address: no weak ciphers, a reply of its own. */
static void
kind_exec(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN];

	(void)r;
	wl_domain(d, sizeof(d), k);
	fprintf(fp, "    sender = {\"ceo@%s\", \"cfo@%s\"}\n"
	    "    require = \"encrypt\"\n"
	    "    exclude_ciphers = {\"*RC4*\", \"*DES*\", \"*NULL*\"}\n"
	    "    reply_code = 550\n"
	    "    reply_xcode = \"5.7.1\"\n"
	    "    reply_text = \"Mail from %s executives must be encrypted\"\n",
	    d, d, d);
}

/* A hosted domain's users submit over TLS 1.2 or better. */
static void
kind_submission(FILE *fp, struct wl_rng *r, uint32_t k)
{
	char d[NAMELEN];

	(void)r;
	wl_domain(d, sizeof(d), k);
	fprintf(fp, "    listener = {\"submission\"}\n"
	    "    authenticated = true\n"
	    "    sender = {\"%s\"}\n"
	    "    require = \"encrypt\"\n"
	    "    min_protocol = \"TLSv1.2\"\n", d);
}

static const struct kind {
	const char	*k_name;
	unsigned	k_weight;	/* in percent */
	kind_fn		*k_write;
} kinds[] = {
	{ "partner", 30, kind_partner },
	{ "inbound", 20, kind_inbound },
	{ "network", 20, kind_network },
	{ "relay", 10, kind_relay },
	{ "helo", 5, kind_helo },
	{ "pair", 10, kind_pair },
	{ "exec", 4, kind_exec },
	{ "submission", 1, kind_submission },
};

/* write_rule - rule number i about a random domain. */
static void
write_rule(FILE *fp, struct wl_rng *r, unsigned long i, uint32_t domains)
{
	uint32_t pick = wl_below(r, 100), k = wl_below(r, domains);
	size_t j = 0;

	while (pick >= kinds[j].k_weight) {
		pick -= kinds[j].k_weight;
		j++;
	}
	fprintf(fp, "rule \"%s-%lu\" {\n", kinds[j].k_name, i);
	kinds[j].k_write(fp, r, k);
	fprintf(fp, "}\n");
}

static unsigned long
number(const char *s, unsigned long max)
{
	return wl_number("gen-policy", s, 1, max);
}

int
main(int argc, char **argv)
{
	unsigned long rules, i, domains = 0, seed = 1;
	struct wl_rng r;
	int ch;

	while ((ch = getopt(argc, argv, "s:d:")) != -1) {
		switch (ch) {
		case 's': seed = number(optarg, 0xffffffffUL); break;
		case 'd': domains = number(optarg, 0xffffffffUL); break;
		default: goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	rules = number(argv[optind], 10000000UL);
	if (domains == 0)
		domains = rules;
	wl_seed(&r, seed);
	printf("# %lu rules about %lu domains, written by bench/gen-policy "
	    "-s %lu\nmode = \"enforce\"\n", rules, domains, seed);
	for (i = 0; i < rules; i++)
		write_rule(stdout, &r, i, (uint32_t)domains);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "gen-policy: write error\n");
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: gen-policy [-s SEED] [-d DOMAINS] RULES\n");
	return 64;
}
