/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suggest.h - tls-policy-report --suggest: from the sessions logged, the
 * strictest requirement every session of a sender domain (or client
 * network) met, as a policy file.  Each session is read as the policy
 * reads it (the struct session decision_restore() gives back), so a rule
 * suggested is met by every session it was drawn from.
 */
#ifndef SUGGEST_H
#define SUGGEST_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"
#include "stamp.h"
#include "strtab.h"
#include "tlsversion.h"

#define SUGGEST_KEYS	100000	/* domains (or networks) kept; more are dropped */
#define SUGGEST_NAMES	8	/* cert_name, cert_issuer entries kept */
#define SUGGEST_HOSTS	4	/* log hosts named in a rule's comment */

/* What every session of one key had in common. */
struct suggest_key {
	char		*sk_key;	/* first: strtab.h */
	unsigned long	sk_n;
	struct stamp_range sk_period;	/* first and last seen */
	bool		sk_tls;		/* TLS, a known version, always */
	bool		sk_verified;	/* a verified certificate, always */
	bool		sk_bits;	/* the cipher's bits known, always */
	bool		sk_names;	/* a certificate name, SUGGEST_NAMES at most */
	bool		sk_issuers;	/* an issuer CN, SUGGEST_NAMES at most */
	bool		sk_more_hosts;
	enum tlsversion	sk_version;	/* the lowest seen */
	long		sk_min_bits;
	size_t		sk_nnames, sk_nissuers, sk_nhosts;
	char		*sk_name[SUGGEST_NAMES];	/* cert_name entries */
	char		*sk_issuer[SUGGEST_NAMES];
	char		*sk_host[SUGGEST_HOSTS];
};

/* The keys of one kind: sender domains, or client networks.  A zeroed
 * struct suggest is an empty one. */
struct suggest {
	struct strtab	sg_tab;		/* of struct suggest_key */
	unsigned long	sg_dropped;	/* sessions of keys past SUGGEST_KEYS */
};

/*
 * suggest_add - count session s, logged at time on host ("" when
 * unknown), under key (copied).  Returns 0, or -1 when out of memory.
 */
int suggest_add(struct suggest *sg, const char *key, const struct session *s,
    const char *time, const char *host);

/*
 * suggest_sender_key - the sender domain of s as a rule's sender entry
 * selects it, into buf; false when there is none (no sender, the null
 * sender, an address without a domain or with an address literal, one
 * not read whole).
 */
bool suggest_sender_key(const struct session *s, char *buf, size_t len);

/*
 * suggest_net_key - the client's network as a client_addr entry selects
 * it (an IPv4 /24, an IPv6 /48), into buf; false when the address is
 * unknown.
 */
bool suggest_net_key(const struct session *s, char *buf, size_t len);

/*
 * suggest_print - the policy file: a rule for each sender domain in
 * domains, then for each network in nets, with at least min sessions
 * and something to require, each after a comment with its evidence.
 * Returns the number of rules written.
 */
unsigned long suggest_print(FILE *fp, const struct suggest *domains,
    const struct suggest *nets, unsigned long min);

/* suggest_free - free what sg holds. */
void suggest_free(struct suggest *sg);

#endif
