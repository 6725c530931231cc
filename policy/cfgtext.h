/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cfgtext.h - the policy file's text, made safe for libconfuse.
 *
 * libconfuse 3.3 (Debian 12) counts every comment as two or three extra
 * lines, so its line numbers drift after the first comment; it rejects a
 * comment inside a list; and it replaces "${NAME}" in strings with the
 * environment variable NAME, so a file would mean one thing to "-n" in a
 * root shell and another to the daemon under systemd.  It also takes a
 * file that ends inside a rule for a complete one, and silently drops a
 * "*" or a lone "+" outside quotes ({*RC4*} would mean {"RC4"}).
 * cfgtext_prepare() blanks every comment (keeping its newlines) before
 * libconfuse sees the text, refuses "${", an unclosed "{" and those
 * characters, and notes where each top-level section opens, a line number
 * libconfuse does not keep, and which lines start with the word
 * "include" (outside strings and comments), for confsrc.c.
 */
#ifndef CFGTEXT_H
#define CFGTEXT_H

#include <stddef.h>

struct cfgtext_error {
	int		ce_line;
	const char	*ce_msg;	/* static */
};

struct cfgtext {
	int		*ct_sections;	/* line of each top-level "{", in order */
	size_t		ct_nsections;
	int		*ct_includes;	/* lines whose first word is "include" */
	size_t		ct_nincludes;
	struct cfgtext_error *ct_errors;
	size_t		ct_nerrors;
};

/*
 * cfgtext_prepare - blank the comments of buf[0..len-1] in place (a
 * NUL-terminated copy of the file) and fill *ct.  Strings in double and
 * single quotes are honoured, with their backslash escapes; "#", "//" and
 * C comments outside them are replaced by spaces, newlines kept.
 *
 * Returns 0 when the text can be handed to libconfuse, -1 when it cannot
 * (out of memory, or problems listed in ct->ct_errors: a NUL byte, an
 * unterminated comment, string or "{", "${", a "*" or lone "+" outside
 * quotes).  ct_includes lists, in order, each line whose first word (after
 * blanks, outside any string or comment that began on an earlier line) is
 * "include"; the rest of the line is not checked here.  Free *ct with cfgtext_free().
 */
int cfgtext_prepare(char *buf, size_t len, struct cfgtext *ct);

/*
 * cfgtext_blank_statement - in text[0..len-1], prepared by
 * cfgtext_prepare(), blank the statement whose key is the word key (bare
 * or in quotes) on line line: the key and what libconfuse would read
 * with it ("= VALUE", "+= VALUE" with a list in braces, a section with
 * or without a title, "(ARGS)", a string without "="), strings and braces followed as its
 * lexer does.  Newlines are kept, so every line keeps its number.  For
 * the loader to read on past a key libconfuse does not know.  Returns 0,
 * or -1 when line holds no such key where a key can stand.
 */
int cfgtext_blank_statement(char *text, size_t len, int line,
    const char *key);

/* cfgtext_free - release what cfgtext_prepare() allocated in *ct. */
void cfgtext_free(struct cfgtext *ct);

#endif
