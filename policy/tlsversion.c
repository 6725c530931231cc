/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tlsversion.c - TLS protocol version names to ordered numbers.
 *
 * The MTAs send OpenSSL's names ("TLSv1.2"); GnuTLS knows its own
 * ("TLS1.2") and compares them case-insensitively.  The few OpenSSL names
 * are rewritten to GnuTLS's, and gnutls_protocol_get_id() decides; a name
 * spelt exactly as the MTAs and the decision line spell it is known at
 * once (asking GnuTLS costs ~1,000 instructions, a third of replaying a
 * logged session's TLS facts; t/tlsversion_test checks that both ways
 * agree).
 */
#include <string.h>

#include <gnutls/gnutls.h>

#include "ascii.h"
#include "tlsversion.h"

#define TLSVERSION_TEXTMAX 32	/* longer text is no version name */

/* OpenSSL's names for the versions, and GnuTLS's for the same. */
static const struct {
	const char	*tv_openssl;
	const char	*tv_gnutls;
	enum tlsversion	tv_version;
} tlsversion_spellings[] = {	/* the most used first */
	{ "TLSv1.3", "TLS1.3", TLSVERSION_TLS1_3 },
	{ "TLSv1.2", "TLS1.2", TLSVERSION_TLS1_2 },
	{ "TLSv1.1", "TLS1.1", TLSVERSION_TLS1_1 },
	{ "TLSv1", "TLS1.0", TLSVERSION_TLS1_0 },
	{ "SSLv3", "SSL3.0", TLSVERSION_SSL3 },
};

/*
 * tlsversion_parse - see tlsversion.h.  text may be NULL or hostile; at
 * most TLSVERSION_TEXTMAX bytes of it are read.
 */
enum tlsversion
tlsversion_parse(const char *text)
{
	const char *name;
	size_t i;

	if (text == NULL || strnlen(text, TLSVERSION_TEXTMAX) == TLSVERSION_TEXTMAX)
		return TLSVERSION_UNKNOWN;
	name = text;
	for (i = 0; i < sizeof(tlsversion_spellings) /
	    sizeof(tlsversion_spellings[0]); i++) {
		if (strcmp(text, tlsversion_spellings[i].tv_openssl) == 0)
			return tlsversion_spellings[i].tv_version;
		if (ascii_caseeq(text, tlsversion_spellings[i].tv_openssl))
			name = tlsversion_spellings[i].tv_gnutls;
	}
	switch (gnutls_protocol_get_id(name)) {
	case GNUTLS_SSL3:
		return TLSVERSION_SSL3;
	case GNUTLS_TLS1_0:
		return TLSVERSION_TLS1_0;
	case GNUTLS_TLS1_1:
		return TLSVERSION_TLS1_1;
	case GNUTLS_TLS1_2:
		return TLSVERSION_TLS1_2;
	case GNUTLS_TLS1_3:
		return TLSVERSION_TLS1_3;
	default:		/* DTLS, unknown */
		return TLSVERSION_UNKNOWN;
	}
}

/*
 * tlsversion_name - the OpenSSL name of a version ("TLSv1.2"), as the
 * MTAs spell it, or "unknown".  Returns a static string.
 */
const char *
tlsversion_name(enum tlsversion v)
{
	switch (v) {
	case TLSVERSION_SSL3:
		return "SSLv3";
	case TLSVERSION_TLS1_0:
		return "TLSv1";
	case TLSVERSION_TLS1_1:
		return "TLSv1.1";
	case TLSVERSION_TLS1_2:
		return "TLSv1.2";
	case TLSVERSION_TLS1_3:
		return "TLSv1.3";
	case TLSVERSION_UNKNOWN:
	default:
		return "unknown";
	}
}
