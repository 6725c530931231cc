/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * certname.c - match a certificate's DNS name against a policy cert_name
 * entry, following RFC 9525 section 6.3.
 *
 * Both names are normalised again here (a no-op on names that already
 * are), so a caller that forgets to cannot turn a bogus certificate name
 * into a match.  Sendmail reports certificates it cannot use by
 * placeholders such as "BadCertificateContainsNUL", valid single-label
 * host names: those never match; other single-label names do.
 */
#include <string.h>

#include "ascii.h"
#include "certname.h"
#include "dnsname.h"

/* Sendmail's stand-ins for a common name it could not give. */
static const char *const placeholders[] = {
	"BadCertificateUnknown", "BadCertificateTooLong",
	"BadCertificateContainsNUL", NULL
};

/*
 * certname_placeholder - see certname.h.
 */
int
certname_placeholder(const char *name)
{
	const char *const *p;

	for (p = placeholders; name != NULL && *p != NULL; p++)
		if (ascii_caseeq(name, *p))
			return 1;
	return 0;
}

/*
 * certname_match - see certname.h.  presented may carry a wildcard "*"
 * as its whole left-most label; reference may be ".domain" (any host
 * strictly below domain).  A wildcard certificate matches ".domain" when
 * every name it covers is below domain ("*.example.org" and
 * "*.a.example.org" match ".example.org"), as Postfix's match=.domain
 * does.  NULL, empty, invalid names and Sendmail's placeholders never
 * match.
 *
 * Returns 1 on a match, 0 otherwise.
 */
int
certname_match(const char *presented, const char *reference)
{
	char p[DNSNAME_BUFSIZE], r[DNSNAME_BUFSIZE];
	const char *dot;

	if (dnsname_normalize(presented, p, sizeof(p), DNSNAME_WILDCARD) != 0 ||
	    dnsname_normalize(reference, r, sizeof(r), DNSNAME_DOTPREFIX) != 0)
		return 0;
	if (certname_placeholder(p))
		return 0;	/* no name, whatever the reference */
	if (r[0] == '.')
		return dnsname_match(r, p);
	if (p[0] != '*')
		return strcmp(p, r) == 0;
	/* "*.rest" stands for exactly one label in front of rest. */
	dot = strchr(r, '.');
	return dot != NULL && strcmp(p + 2, dot + 1) == 0;
}
