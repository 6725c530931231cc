/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason.c - bounded copies for verdict reasons (see reason.h).
 */
#include <string.h>

#include "reason.h"

/*
 * reason_set - see reason.h.
 */
void
reason_set(char *buf, size_t len, const char *text)
{
	buf[0] = '\0';
	reason_cat(buf, len, text, len);
}

/*
 * reason_cat - see reason.h.
 */
void
reason_cat(char *buf, size_t len, const char *text, size_t max)
{
	size_t used = strnlen(buf, len - 1), n = strnlen(text, max);

	if (n > len - 1 - used)
		n = len - 1 - used;
	memcpy(buf + used, text, n);
	buf[used + n] = '\0';
}
