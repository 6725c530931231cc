/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sanitize.h - make a peer string safe for one log line.
 */
#ifndef SANITIZE_H
#define SANITIZE_H

#include <stddef.h>

/* Output buffer size that holds any sanitised SESSION_TEXT_MAX string. */
#define SANITIZE_BUFSIZE 1100

/*
 * sanitize - copy in (NULL is shown as "") into buf (len bytes, always
 * NUL-terminated), writing every byte outside printable ASCII, the
 * backslash, and each byte of `special` as \xHH, so that the result holds
 * no control byte, cannot end a quoted or bracketed field early, and can
 * be decoded.  Output that would not fit is cut and ends in "...".
 * Returns buf.
 */
char *sanitize(char *buf, size_t len, const char *in, const char *special);

/*
 * sanitize_span - sanitize() the n bytes at in (NUL bytes among them are
 * escaped like any control byte) with the special bytes of special (NULL:
 * none), into buf (len bytes; NUL-terminated unless len is 0).  Returns
 * the length of what it wrote without the NUL, strlen(buf).
 */
size_t sanitize_span(char *buf, size_t len, const char *in, size_t n,
    const char *special);

#endif
