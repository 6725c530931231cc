/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mailaddr.h - envelope addresses and the sender/recipient patterns.
 */
#ifndef MAILADDR_H
#define MAILADDR_H

#include <stdbool.h>
#include "dnsname.h"

#define MAILADDR_LOCAL_MAX 255	/* more than RFC 5321's 64; longer is invalid */

/* One envelope address as the MTA gave it in MAIL FROM or RCPT TO. */
struct mailaddr {
	bool	ma_present;	/* the MTA gave an address at all */
	bool	ma_null;	/* the null reverse-path <> */
	bool	ma_valid;	/* local@domain parsed within the bounds */
	char	ma_local[MAILADDR_LOCAL_MAX + 1];	/* as given, quotes kept */
	char	ma_domain[DNSNAME_BUFSIZE];	/* normalised (dnsname), or an
						 * IP literal (ipaddr_literal) */
};

/*
 * mailaddr_parse - parse an envelope argument ("<user@example.org>",
 * "user@example.org", "<>", with or without the angle brackets, a source
 * route "<@a,@b:user@example.org>" dropped; "" is the null sender too, as
 * Postfix's {mail_addr} gives it).  arg NULL means "the MTA gave no
 * address" (ma_present false).  The domain is normalised with
 * dnsname_normalize(); an IP address literal ("[192.0.2.1]",
 * "[IPv6:2001:db8::1]") is brought to ipaddr_literal()'s canonical form.
 * A domain-less address ("postmaster") is valid with an empty domain.
 * Hostile input is bounded; over-long or malformed input gives ma_valid
 * false.
 *
 * Always fills *out; returns 0 when ma_valid or ma_null, -1 otherwise.
 */
int mailaddr_parse(const char *arg, struct mailaddr *out);

/* Kinds of sender/recipient pattern. */
enum addrpat_kind {
	ADDRPAT_NULL,		/* "<>": the null sender */
	ADDRPAT_ADDRESS,	/* "user@example.org": that address */
	ADDRPAT_DOMAIN,		/* "example.org": any address in that domain */
	ADDRPAT_SUBDOMAIN	/* ".example.org": any domain strictly below */
};

/* A compiled pattern; its strings belong to whoever filled it in (the
 * policy's pool, or the struct addrpat_text given to addrpat_parse()). */
struct addrpat {
	enum addrpat_kind ap_kind;
	const char	*ap_local;	/* ADDRPAT_ADDRESS only, else "" */
	const char	*ap_domain;	/* normalised; ".x" for SUBDOMAIN; "" for NULL */
};

/* Room for the strings of one pattern while it is parsed. */
struct addrpat_text {
	char	at_local[MAILADDR_LOCAL_MAX + 1];
	char	at_domain[DNSNAME_BUFSIZE];
};

/*
 * addrpat_parse - compile a policy sender/recipient entry: "<>",
 * "user@example.org", "example.org" or ".example.org"; the domain may be
 * an address literal ("[192.0.2.1]").  Postfix's "@example.org" is
 * refused (write "example.org").  The pattern's strings are written to
 * *buf and out points there: copy them before buf goes.
 * Returns 0, or -1 with *why set to a static message in plain words.
 */
int addrpat_parse(const char *text, struct addrpat *out,
    struct addrpat_text *buf, const char **why);

/*
 * addrpat_match - does the address match the pattern?  Local parts compare
 * case-insensitively (as Postfix access maps do), domains exactly in
 * normalised form; with delims (Postfix's recipient_delimiter, "" for
 * none) an address pattern also matches the address with its extension
 * removed (mailaddr_base()).  An absent or invalid address matches
 * nothing; the null sender matches only ADDRPAT_NULL.  Returns 1 or 0.
 */
int addrpat_match(const struct addrpat *pat, const struct mailaddr *addr,
    const char *delims);

/*
 * mailaddr_base - the length of local part local without its address
 * extension, split as Postfix splits it with recipient_delimiter = delims
 * (any one of its characters; the first in local wins): never
 * postmaster, mailer-daemon or double-bounce, never owner-* or *-request
 * when delims holds "-", never to an empty local part.  Returns
 * strlen(local) when there is no extension.
 */
size_t mailaddr_base(const char *local, const char *delims);

#endif
