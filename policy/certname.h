/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * certname.h - certificate name matching (RFC 9525 section 6.3).
 */
#ifndef CERTNAME_H
#define CERTNAME_H

/*
 * certname_match - does a presented identifier match a reference identifier?
 *
 * presented: the certificate's name, already normalised by
 * dnsname_normalize(..., DNSNAME_WILDCARD); "" when the certificate had
 * no usable DNS name (never matches).
 * reference: a policy cert_name entry, normalised by
 * dnsname_normalize(..., DNSNAME_DOTPREFIX): "mx.example.org" means
 * exactly that host, ".example.org" any host strictly below example.org.
 *
 * A wildcard "*" is honoured only as the whole left-most presented label
 * and stands for exactly one reference label: "*.example.org" matches
 * "mx.example.org" and the pattern ".example.org", but not "example.org"
 * or "a.b.example.org".  Against ".example.org" a wildcard matches when
 * every name it covers is below example.org ("*.a.example.org" does, as
 * with Postfix's match=.example.org).
 *
 * Names of a single label match as any other ("mailhub", as an internal
 * CA names hosts), except Sendmail's placeholders (certname_placeholder()),
 * which never do.  Both arguments are normalised again inside, so raw or
 * NULL strings are safe too.
 *
 * Returns 1 on a match, 0 otherwise.
 */
int certname_match(const char *presented, const char *reference);

/*
 * certname_placeholder - is name one of the stand-ins Sendmail sends for a
 * common name it could not give ("BadCertificateContainsNUL", ...), in any
 * case?  Such a name is no certificate's name: it never matches, and a
 * policy that names one could never match.  Returns 1 or 0.
 */
int certname_placeholder(const char *name);

#endif
