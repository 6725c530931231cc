/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ascii.h - ASCII character classes and case folding that no locale can
 * change.
 *
 * The policy compares names, addresses and protocol spellings the way
 * the protocols define them: ASCII letters fold, nothing else does,
 * whatever setlocale() a caller may have done.  Likewise a control byte
 * and a printable byte are the ASCII ones, never what <ctype.h> says in
 * the current locale.
 */
#ifndef ASCII_H
#define ASCII_H

#include <stddef.h>
#include <string.h>

/* ascii_iscntrl - is c an ASCII control byte (below 0x20, or DEL 0x7f)?
 * Bytes from 0x80 up are not.  Returns 1 or 0. */
static inline int
ascii_iscntrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* ascii_isprint - is c printable ASCII (space 0x20 to tilde 0x7e)?  Unlike
 * !ascii_iscntrl(c), false for bytes from 0x80 up.  Returns 1 or 0. */
static inline int
ascii_isprint(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * ascii_nprintable - is every byte of s[0..n-1] printable ASCII?  Returns
 * 1 or 0.  Written a block of 32 bytes at a time with no early exit inside
 * a block, so that compilers make it vector code (tls-policy-report checks
 * every decision line it reads so; bench/README).
 */
static inline int
ascii_nprintable(const char *s, size_t n)
{
	unsigned char bad = 0;
	size_t i = 0, j;

	for (; i + 32 <= n && bad == 0; i += 32)
		for (j = 0; j < 32; j++)
			bad |= (unsigned char)((unsigned char)s[i + j] - 0x20) >
			    0x7e - 0x20;
	for (; i < n && bad == 0; i++)
		bad = !ascii_isprint((unsigned char)s[i]);
	return bad == 0;
}

/* ascii_printable - is every byte of the string s printable ASCII ("" is)?
 * Returns 1 or 0. */
static inline int
ascii_printable(const char *s)
{
	return ascii_nprintable(s, strlen(s));
}

/* ascii_tolower - c with an ASCII capital made small; any other byte kept. */
static inline char
ascii_tolower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ascii_hexval - the value of one hex digit of either case, or -1. */
static inline int
ascii_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ascii_ncaseeq - are a[0..n-1] and b[0..n-1] equal but for ASCII case?
 * Stops early at a NUL in both.  Returns 1 or 0. */
static inline int
ascii_ncaseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ascii_tolower(a[i]) != ascii_tolower(b[i]))
			return 0;
		if (a[i] == '\0')
			return 1;
	}
	return 1;
}

/* ascii_caseeq - are the strings a and b equal but for ASCII case? */
static inline int
ascii_caseeq(const char *a, const char *b)
{
	return ascii_ncaseeq(a, b, (size_t)-1);
}

#endif
