/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cidr.c - IP addresses as the MTAs give them, networks as the policy
 * names them, and the test whether one lies in the other.
 *
 * inet_pton() does the parsing, so its strictness is ours: no leading
 * zeros in IPv4 ("010.0.0.1"), no zone ids ("fe80::1%eth0").  IPv4-mapped
 * IPv6 addresses and networks are turned into IPv4 ones.
 */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdio.h>

#include "ascii.h"
#include "cidr.h"

/* Longest address text taken: brackets, "IPv6:" and INET6_ADDRSTRLEN. */
#define CIDR_TEXTMAX (2 + 5 + INET6_ADDRSTRLEN)

static const char cidr_err_addr[] = "not an IP address";
static const char cidr_err_prefix[] = "prefix length out of range";
static const char cidr_err_bits[] =
    "address has bits set beyond the prefix length";

/* ipv6_tag - does s[0..n-1] start with "IPv6:", in any case? */
static int
ipv6_tag(const char *s, size_t n)
{
	return n >= 5 && ascii_ncaseeq(s, "ipv6:", 5);
}

/*
 * addr_parse - parse the address s[0..n-1] (no NUL needed) into *out;
 * *mapped is set when it was an IPv4-mapped IPv6 address.  Returns 0 or -1.
 */
static int
addr_parse(const char *s, size_t n, struct ipaddr *out, int *mapped)
{
	static const unsigned char v4prefix[12] =
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	char buf[CIDR_TEXTMAX + 1];
	int v6only = 0;

	memset(out, 0, sizeof(*out));
	*mapped = 0;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (ipv6_tag(s, n)) {
		s += 5;
		n -= 5;
		v6only = 1;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!v6only && inet_pton(AF_INET, buf, out->ip_bytes) == 1) {
		out->ip_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, out->ip_bytes) != 1) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	out->ip_family = AF_INET6;
	if (memcmp(out->ip_bytes, v4prefix, sizeof(v4prefix)) == 0) {
		memmove(out->ip_bytes, out->ip_bytes + 12, 4);
		memset(out->ip_bytes + 4, 0, 12);
		out->ip_family = AF_INET;
		*mapped = 1;
	}
	return 0;
}

/* addr_len - bytes used by an address of this family (0 for none). */
static unsigned
addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* prefix_eq - do a and b agree in their first prefix bits? */
static int
prefix_eq(const unsigned char *a, const unsigned char *b, unsigned prefix)
{
	unsigned whole = prefix / 8, rest = prefix % 8;
	unsigned char mask;

	if (memcmp(a, b, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/*
 * ipaddr_parse - see cidr.h.  text may be NULL; at most CIDR_TEXTMAX + 1
 * bytes of it are read.
 */
int
ipaddr_parse(const char *text, struct ipaddr *out)
{
	size_t n;
	int mapped;

	memset(out, 0, sizeof(*out));
	if (text == NULL || (n = strnlen(text, CIDR_TEXTMAX + 1)) > CIDR_TEXTMAX)
		return -1;
	return addr_parse(text, n, out, &mapped);
}

/*
 * prefix_parse - a prefix length of 1 to 3 decimal digits without a
 * leading zero, from s[0..n-1].  Returns it, or -1.
 */
static int
prefix_parse(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* host_clear - are all bits of b[0..len-1] beyond prefix zero? */
static int
host_clear(const unsigned char *b, unsigned len, unsigned prefix)
{
	unsigned i = prefix / 8;

	if (prefix % 8 != 0 && (b[i++] & (0xff >> (prefix % 8))) != 0)
		return 0;
	for (; i < len; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/*
 * cidr_parse - see cidr.h.  An IPv4-mapped network ("::ffff:192.0.2.0/120")
 * becomes the IPv4 network (192.0.2.0/24) and needs a prefix of at least
 * 96.  why may be NULL.  At most CIDR_TEXTMAX + 5 bytes of text are read.
 */
int
cidr_parse(const char *text, struct cidr *out, const char **why)
{
	const char *err = cidr_err_addr, *slash;
	size_t n, alen;
	int mapped, plen, max;

	memset(out, 0, sizeof(*out));
	if (text == NULL || (n = strnlen(text, CIDR_TEXTMAX + 5)) > CIDR_TEXTMAX + 4)
		goto fail;
	slash = memchr(text, '/', n);
	alen = slash != NULL ? (size_t)(slash - text) : n;
	if (alen > CIDR_TEXTMAX ||
	    addr_parse(text, alen, &out->cidr_net, &mapped) != 0)
		goto fail;
	max = out->cidr_net.ip_family == AF_INET ? 32 : 128;
	plen = max;
	if (slash != NULL) {
		err = cidr_err_prefix;
		plen = prefix_parse(slash + 1, n - alen - 1);
		if (mapped)
			plen = plen >= 96 ? plen - 96 : -1;
		if (plen < 0 || plen > max)
			goto fail;
	}
	out->cidr_prefix = (unsigned)plen;
	err = cidr_err_bits;
	if (!host_clear(out->cidr_net.ip_bytes,
	    addr_len(out->cidr_net.ip_family), out->cidr_prefix))
		goto fail;
	if (why != NULL)
		*why = NULL;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	if (why != NULL)
		*why = err;
	return -1;
}

/*
 * cidr_match - see cidr.h.  NULL arguments and addresses of family 0
 * never match.
 */
int
cidr_match(const struct cidr *net, const struct ipaddr *addr)
{
	unsigned len;

	if (net == NULL || addr == NULL ||
	    net->cidr_net.ip_family != addr->ip_family ||
	    (len = addr_len(addr->ip_family)) == 0 ||
	    net->cidr_prefix > len * 8)
		return 0;
	return prefix_eq(net->cidr_net.ip_bytes, addr->ip_bytes,
	    net->cidr_prefix);
}

/*
 * ipaddr_literal - see cidr.h.
 */
int
ipaddr_literal(const char *s, size_t n, char *out, size_t outlen)
{
	char text[INET6_ADDRSTRLEN];
	struct ipaddr a;
	int mapped, len;

	if (outlen > 0)
		out[0] = '\0';
	if (n < 3 || s[0] != '[' || s[n - 1] != ']' ||
	    addr_parse(s, n, &a, &mapped) < 0 ||
	    inet_ntop(a.ip_family, a.ip_bytes, text, sizeof(text)) == NULL)
		return -1;
	if (a.ip_family == AF_INET6)
		len = snprintf(out, outlen, "[IPv6:%s]", text);
	else
		len = snprintf(out, outlen, "[%s]", text);
	if (len < 0 || (size_t)len >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * cidr_format - see cidr.h.
 */
int
cidr_format(const struct cidr *net, char *out, size_t outlen)
{
	char text[INET6_ADDRSTRLEN];
	int len;

	if (outlen > 0)
		out[0] = '\0';
	if (addr_len(net->cidr_net.ip_family) == 0 ||
	    inet_ntop(net->cidr_net.ip_family, net->cidr_net.ip_bytes, text,
	    sizeof(text)) == NULL)
		return -1;
	len = snprintf(out, outlen, "%s/%u", text, net->cidr_prefix);
	if (len < 0 || (size_t)len >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
