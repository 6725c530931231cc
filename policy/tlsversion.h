/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tlsversion.h - TLS protocol versions as ordered numbers.
 */
#ifndef TLSVERSION_H
#define TLSVERSION_H

/* Ordinals, comparable with < and >; 0 means unknown. */
enum tlsversion {
	TLSVERSION_UNKNOWN = 0,
	TLSVERSION_SSL3,
	TLSVERSION_TLS1_0,
	TLSVERSION_TLS1_1,
	TLSVERSION_TLS1_2,
	TLSVERSION_TLS1_3
};

/*
 * tlsversion_parse - the version named by an MTA macro or a policy entry.
 * Accepts the OpenSSL spellings the MTAs send ("TLSv1", "TLSv1.1",
 * "TLSv1.2", "TLSv1.3", "SSLv3") and the GnuTLS ones ("TLS1.0", "TLS1.2",
 * "SSL3.0"), case-insensitively, via gnutls_protocol_get_id().  DTLS and
 * anything else is unknown.
 *
 * Returns the ordinal, or TLSVERSION_UNKNOWN.
 */
enum tlsversion tlsversion_parse(const char *text);

/* tlsversion_name - canonical name ("TLSv1.2"), or "unknown". Static string. */
const char *tlsversion_name(enum tlsversion v);

#endif
