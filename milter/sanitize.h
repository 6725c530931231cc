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

#endif
