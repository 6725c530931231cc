/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ciphername.h - the names of the cipher suites the MTAs report
 * (OpenSSL's), for checking exclude_ciphers patterns.
 */
#ifndef CIPHERNAME_H
#define CIPHERNAME_H

#include <stdbool.h>

/* ciphername_known - is name (any case) a cipher name an MTA reports? */
bool ciphername_known(const char *name);

/*
 * ciphername_matches - does the fnmatch(3) pattern match (FNM_CASEFOLD)
 * any cipher name an MTA reports?
 */
bool ciphername_matches(const char *pattern);

#endif
