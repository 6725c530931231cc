/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason.h - the plain words of a verdict's reason, written without
 * printf(3).
 *
 * Every evaluation writes a reason; most are fixed phrases, and
 * snprintf() with a constant format cost as much as the rest of a cached
 * rule check.  These copy, bounded and always NUL-terminated.
 */
#ifndef REASON_H
#define REASON_H

#include <stddef.h>

/*
 * reason_set - put text into buf (len bytes, len > 0), cut to fit.
 */
void reason_set(char *buf, size_t len, const char *text);

/*
 * reason_cat - append at most max bytes of text to the string in buf
 * (len bytes, len > 0), cut to fit.
 */
void reason_cat(char *buf, size_t len, const char *text, size_t max);

#endif
