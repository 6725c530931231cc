/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnsname.h - DNS host names in the one form the policy compares.
 *
 * Every name the policy compares (client names, HELO names, certificate
 * names, mail domains, and the patterns for them) goes through
 * dnsname_normalize() first: IDNA U-labels become A-labels, letters become
 * lower case, one trailing dot goes.  After that a comparison is a plain
 * strcmp().
 */
#ifndef DNSNAME_H
#define DNSNAME_H

#include <stddef.h>

/* Longest normalised name, without the trailing NUL (RFC 1035 section 2.3.4). */
#define DNSNAME_MAX 253
/* Size of a buffer that holds any normalised name or pattern. */
#define DNSNAME_BUFSIZE (DNSNAME_MAX + 2)

/* dnsname_normalize() flags */
#define DNSNAME_WILDCARD  0x01	/* "*" allowed as the whole left-most label */
#define DNSNAME_DOTPREFIX 0x02	/* one leading "." allowed (pattern: any subdomain) */

/*
 * dnsname_normalize - check a host name and bring it to compared form.
 *
 * in: a NUL-terminated string from the policy or from the peer (hostile:
 * any bytes, any length).  The name must be a syntactically valid host
 * name: labels of 1..63 octets of letters, digits and hyphens, not
 * starting or ending with a hyphen, at most DNSNAME_MAX octets in all, at
 * least one label, and a top label that is not all digits (so an IPv4
 * literal is not a name).  UTF-8 labels are mapped to A-labels with
 * GnuTLS; a label that IDNA rejects makes the name invalid, and so does
 * one whose ASCII bytes are not LDH (GnuTLS would silently drop them) or
 * that does not map to one "xn--" label (look-alikes: fullwidth letters,
 * ligatures, U+3002 as a dot, characters that map to nothing).  A-labels
 * are checked as LDH only, not decoded.  With DNSNAME_WILDCARD the
 * left-most label may be exactly "*" when at least two labels follow it;
 * with DNSNAME_DOTPREFIX the name may start with one "." (kept in the
 * output).  With both, either form but not both at once.  One trailing
 * dot is removed.
 *
 * Returns 0 and writes the NUL-terminated result to out (outlen bytes,
 * DNSNAME_BUFSIZE is always enough), or -1 when the name is not valid
 * (out is then set to ""), never reading past the first 1024 bytes.
 */
int dnsname_normalize(const char *in, char *out, size_t outlen, unsigned flags);

/*
 * dnsname_match - match a normalised name against a normalised pattern:
 * "example.org" matches only itself, ".example.org" matches any name
 * strictly below example.org (not example.org itself).  Case is not
 * folded here.  A name starting with "." (a pattern) never matches.
 *
 * Returns 1 on a match, 0 otherwise (also when either is empty or NULL).
 */
int dnsname_match(const char *pattern, const char *name);

#endif
