/* SPDX-License-Identifier: BSD-2-Clause */
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

/*
 * xtext_decode_dn - decode a distinguished name as Sendmail passes it in
 * {cert_subject}/{cert_issuer}: OpenSSL's one-line form
 * ("/O=Partner\/Inc/CN=mx"), which writes "/" and "+" inside a value as
 * "\/" and "\+" and every byte outside printable ASCII as the text
 * "\xHH", then xtext-encoded by Sendmail.  Both layers are undone: first
 * the xtext, then "\/" -> "/", "\+" -> "+", "\xHH" (either case) -> the
 * byte.  A backslash followed by anything else stays (OpenSSL does not
 * escape a backslash itself).  Invalid as xtext_decode(), and also when
 * "\x00" would put a NUL into the result.
 *
 * Returns the decoded length and writes a NUL-terminated result to out,
 * or -1 (out is then "").
 */
long xtext_decode_dn(const char *in, char *out, size_t outlen);

#endif
