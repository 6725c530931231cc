/*
 * xtext.h - decoding of RFC 3461 xtext, as Sendmail encodes macro values.
 */
#ifndef XTEXT_H
#define XTEXT_H

#include <stddef.h>

/*
 * xtext_decode - decode "+XX" (two hex digits, either case) into the byte
 * 0xXX; every other byte is copied.  A "+" not followed by two hex digits,
 * a decoded NUL byte, or a result that does not fit in outlen - 1 bytes
 * makes the whole value invalid.
 *
 * Returns the decoded length and writes a NUL-terminated result to out, or
 * -1 (out is then "").
 */
long xtext_decode(const char *in, char *out, size_t outlen);

#endif
