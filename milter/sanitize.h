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
 * A set of special bytes as a table: ss_plain[c] is 1 when sanitize()
 * copies byte c as it is, 0 when it writes it as \xHH.
 */
struct sanitize_set {
	unsigned char	ss_plain[256];
};

/*
 * SANITIZE_SET(a, b, c, d) - the constant initialiser of the set whose
 * special bytes are the characters a, b, c and d ('\0' for none): the same
 * table as sanitize_set_init() builds from that string, known at compile
 * time.  (The decision log uses a handful of fixed sets, not a table built
 * for each call: bench/README.)
 */
#define SANITIZE_PLAIN_(x, a, b, c, d) \
	((x) >= 0x20 && (x) < 0x7f && (x) != '\\' && \
	    (x) != (a) && (x) != (b) && (x) != (c) && (x) != (d))
#define SANITIZE_4_(x, a, b, c, d) \
	SANITIZE_PLAIN_(x, a, b, c, d), \
	SANITIZE_PLAIN_((x) + 1, a, b, c, d), \
	SANITIZE_PLAIN_((x) + 2, a, b, c, d), \
	SANITIZE_PLAIN_((x) + 3, a, b, c, d)
#define SANITIZE_16_(x, a, b, c, d) \
	SANITIZE_4_(x, a, b, c, d), SANITIZE_4_((x) + 4, a, b, c, d), \
	SANITIZE_4_((x) + 8, a, b, c, d), SANITIZE_4_((x) + 12, a, b, c, d)
#define SANITIZE_64_(x, a, b, c, d) \
	SANITIZE_16_(x, a, b, c, d), SANITIZE_16_((x) + 16, a, b, c, d), \
	SANITIZE_16_((x) + 32, a, b, c, d), SANITIZE_16_((x) + 48, a, b, c, d)
#define SANITIZE_SET(a, b, c, d) { { \
	SANITIZE_64_(0, a, b, c, d), SANITIZE_64_(64, a, b, c, d), \
	SANITIZE_64_(128, a, b, c, d), SANITIZE_64_(192, a, b, c, d) } }

/*
 * sanitize_set_init - fill set with the table of the special bytes in
 * special (NULL: none), as SANITIZE_SET() does at compile time.
 */
void sanitize_set_init(struct sanitize_set *set, const char *special);

/*
 * sanitize_span - sanitize() the n bytes at in (NUL bytes among them are
 * escaped like any control byte) with the special bytes of set, into buf
 * (len bytes; NUL-terminated unless len is 0).  Returns the length of
 * what it wrote without the NUL, strlen(buf).
 */
size_t sanitize_span(char *buf, size_t len, const char *in, size_t n,
    const struct sanitize_set *set);

#endif
