/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cidr.h - IP addresses and networks for the client_addr selector.
 */
#ifndef CIDR_H
#define CIDR_H

#include <stddef.h>

/* An address in network byte order; family 0 means "no address". */
struct ipaddr {
	int		ip_family;	/* AF_INET, AF_INET6 or 0 */
	unsigned char	ip_bytes[16];	/* 4 or 16 bytes used */
};

/* A network: the address with all host bits zero, and the prefix length. */
struct cidr {
	struct ipaddr	cidr_net;
	unsigned	cidr_prefix;	/* 0..32 or 0..128 */
};

/*
 * ipaddr_parse - parse an address as an MTA gives it: "192.0.2.7",
 * "2001:db8::1", Sendmail's "IPv6:2001:db8::1", or either in brackets
 * ("[192.0.2.7]").  An IPv4-mapped IPv6 address (::ffff:192.0.2.7) becomes
 * the IPv4 address, so IPv4 networks match it.
 *
 * Returns 0 and fills *out, or -1 (out->ip_family is then 0).
 */
int ipaddr_parse(const char *text, struct ipaddr *out);

/*
 * ipaddr_literal - an SMTP address literal s[0..n-1] (no NUL needed):
 * "[192.0.2.7]", "[IPv6:2001:db8::1]" (the tag in any case), written out
 * in one canonical form: "[192.0.2.7]", "[IPv6:2001:db8::1]" as
 * inet_ntop() spells it, an IPv4-mapped address as IPv4.  So two
 * spellings of one address compare equal.
 *
 * Returns 0, or -1 when s is no such literal or the result does not fit
 * in outlen bytes (out is then "").
 */
int ipaddr_literal(const char *s, size_t n, char *out, size_t outlen);

/*
 * cidr_parse - parse a policy entry "ADDRESS" or "ADDRESS/PREFIX" (IPv4 or
 * IPv6; a bare address is a host network of /32 or /128).
 *
 * Returns 0 and fills *out; or -1 with *why set to a static message in
 * plain words ("not an IP address", "prefix length out of range",
 * "address has bits set beyond the prefix length").
 */
int cidr_parse(const char *text, struct cidr *out, const char **why);

/* Room for any network cidr_format() writes, with its NUL. */
#define CIDR_FORMAT_MAX 64

/*
 * cidr_format - the network as cidr_parse() reads it back: the address as
 * inet_ntop() spells it, "/" and the prefix length, always given
 * ("192.0.2.0/24", "2001:db8::/32", "192.0.2.7/32").  Returns 0, or -1
 * when net holds no address or the text does not fit in outlen bytes (out
 * is then "").
 */
int cidr_format(const struct cidr *net, char *out, size_t outlen);

/*
 * cidr_match - is the address inside the network?  IPv4 never matches an
 * IPv6 network and the reverse (mapped addresses were made IPv4 by
 * ipaddr_parse).  Returns 1 or 0.
 */
int cidr_match(const struct cidr *net, const struct ipaddr *addr);

#endif
