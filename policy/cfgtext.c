/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cfgtext.c - blank comments and find section lines before libconfuse
 * parses a policy file.  See cfgtext.h for why.
 *
 * The scanner knows only what libconfuse's lexer knows about where a
 * comment can start: outside a quoted string, "#", "//" and "/" "*".
 * It also refuses what that lexer would silently get wrong: a "{" never
 * closed (libconfuse 3.3 accepts a rule cut off by the end of the file),
 * and a "*" or a lone "+" outside quotes (dropped without a word, so that
 * {*RC4*} would mean {"RC4"}).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtext.h"

enum scan_state { SCAN_TEXT, SCAN_DQUOTE, SCAN_SQUOTE, SCAN_LINECOMMENT,
	SCAN_BLOCKCOMMENT };

struct scanner {
	char		*buf;
	size_t		len;
	size_t		pos;
	int		line;
	int		*braces;	/* line of each "{" still open */
	size_t		nbraces;
	int		open_line;	/* where the current string/comment began */
	int		crossed_line;	/* where the first string to hold a line
					 * break began, 0 if none */
	int		line_start;	/* only blanks so far on this line, in text */
	struct cfgtext	*ct;
	int		oom;
};

static const char msg_env[] = "\"${\" (environment variable expansion) is "
    "not supported in a policy file";
static const char msg_star[] = "\"*\" outside quotes would be dropped by "
    "the parser: put patterns in quotes, e.g. \"*RC4*\"";
static const char msg_plus[] = "\"+\" outside quotes would be dropped by "
    "the parser: write \"+=\" to add to a list, or quote the value";

/* Make room for one more element; capacity doubles when n + 1 is a power of two. */
static int
append(void **array, size_t *n, size_t size)
{
	void *grown;

	if ((*n & (*n + 1)) == 0) {		/* n = 0, 1, 3, 7, ... */
		grown = realloc(*array, (2 * *n + 2) * size);
		if (grown == NULL)
			return -1;
		*array = grown;
	}
	(*n)++;
	return 0;
}

/* Record a problem, once per line and message. */
static void
add_error(struct scanner *sc, int line, const char *msg)
{
	struct cfgtext *ct = sc->ct;

	if (ct->ct_nerrors > 0 && ct->ct_errors[ct->ct_nerrors - 1].ce_line ==
	    line && ct->ct_errors[ct->ct_nerrors - 1].ce_msg == msg)
		return;
	if (append((void **)&ct->ct_errors, &ct->ct_nerrors,
	    sizeof(*ct->ct_errors)) < 0) {
		sc->oom = 1;
		return;
	}
	ct->ct_errors[ct->ct_nerrors - 1].ce_line = line;
	ct->ct_errors[ct->ct_nerrors - 1].ce_msg = msg;
}

static void
add_section(struct scanner *sc)
{
	struct cfgtext *ct = sc->ct;

	if (append((void **)&ct->ct_sections, &ct->ct_nsections,
	    sizeof(*ct->ct_sections)) < 0) {
		sc->oom = 1;
		return;
	}
	ct->ct_sections[ct->ct_nsections - 1] = sc->line;
}

/*
 * At the first word of a line: note the line if the word is "include"
 * (then conf.c's caller, confsrc.c, reads the rest of the line).
 */
static void
note_include(struct scanner *sc)
{
	static const char word[] = "include";
	size_t n = sizeof(word) - 1;
	char after;

	if (sc->len - sc->pos < n || memcmp(sc->buf + sc->pos, word, n) != 0)
		return;
	after = sc->pos + n < sc->len ? sc->buf[sc->pos + n] : '\0';
	if ((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
	    (after >= '0' && after <= '9') || after == '_' || after == '-' ||
	    after == '.')
		return;			/* a longer word */
	if (append((void **)&sc->ct->ct_includes, &sc->ct->ct_nincludes,
	    sizeof(*sc->ct->ct_includes)) < 0) {
		sc->oom = 1;
		return;
	}
	sc->ct->ct_includes[sc->ct->ct_nincludes - 1] = sc->line;
}

/* A "{" outside strings: a top-level one opens a section. */
static void
open_brace(struct scanner *sc)
{
	if (sc->nbraces == 0)
		add_section(sc);
	if (append((void **)&sc->braces, &sc->nbraces, sizeof(*sc->braces)) < 0) {
		sc->oom = 1;
		return;
	}
	sc->braces[sc->nbraces - 1] = sc->line;
}

/* Blank n bytes at the current position, keeping newlines. */
static void
blank(struct scanner *sc, size_t n)
{
	size_t i;

	for (i = 0; i < n && sc->pos + i < sc->len; i++)
		if (sc->buf[sc->pos + i] != '\n')
			sc->buf[sc->pos + i] = ' ';
}

static enum scan_state
scan_text(struct scanner *sc, char c, char next)
{
	if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
		sc->line_start |= c == '\n';
		return SCAN_TEXT;
	}
	if (sc->line_start)
		note_include(sc);
	sc->line_start = 0;
	switch (c) {
	case '"':
		sc->open_line = sc->line;
		return SCAN_DQUOTE;
	case '\'':
		sc->open_line = sc->line;
		return SCAN_SQUOTE;
	case '#':
		return SCAN_LINECOMMENT;
	case '/':
		if (next == '/')
			return SCAN_LINECOMMENT;
		if (next == '*') {
			sc->open_line = sc->line;
			blank(sc, 2);
			sc->pos++;
			return SCAN_BLOCKCOMMENT;
		}
		return SCAN_TEXT;
	case '$':
		if (next == '{')
			add_error(sc, sc->line, msg_env);
		return SCAN_TEXT;
	case '*':
		add_error(sc, sc->line, msg_star);
		return SCAN_TEXT;
	case '+':
		if (next != '=')
			add_error(sc, sc->line, msg_plus);
		return SCAN_TEXT;
	case '{':
		open_brace(sc);
		return SCAN_TEXT;
	case '}':
		if (sc->nbraces > 0)
			sc->nbraces--;	/* an extra "}" is libconfuse's to report */
		return SCAN_TEXT;
	default:
		return SCAN_TEXT;
	}
}

/* One step inside a quoted string; returns the next state. */
static enum scan_state
scan_string(struct scanner *sc, enum scan_state st, char c, char next)
{
	if (c == '\\' && next != '\0') {
		if (next == '\n')
			sc->line++;
		sc->pos++;		/* the escaped byte is not special */
		return st;
	}
	if (c == '\n' && sc->crossed_line == 0)
		sc->crossed_line = sc->open_line;
	if (st == SCAN_DQUOTE && c == '$' && next == '{')
		add_error(sc, sc->line, msg_env);
	if ((st == SCAN_DQUOTE && c == '"') || (st == SCAN_SQUOTE && c == '\''))
		return SCAN_TEXT;
	return st;
}

static enum scan_state
scan_one(struct scanner *sc, enum scan_state st)
{
	char c = sc->buf[sc->pos];
	char next = sc->pos + 1 < sc->len ? sc->buf[sc->pos + 1] : '\0';

	switch (st) {
	case SCAN_TEXT:
		st = scan_text(sc, c, next);
		if (st == SCAN_LINECOMMENT)
			blank(sc, 1);
		return st;
	case SCAN_DQUOTE:
	case SCAN_SQUOTE:
		return scan_string(sc, st, c, next);
	case SCAN_LINECOMMENT:
		if (c == '\n') {
			sc->line_start = 1;
			return SCAN_TEXT;
		}
		blank(sc, 1);
		return st;
	case SCAN_BLOCKCOMMENT:
		if (c == '*' && next == '/') {
			blank(sc, 2);
			sc->pos++;
			return SCAN_TEXT;
		}
		blank(sc, 1);
		return st;
	}
	return st;
}

/*
 * At the end of the text: whatever is still open was never closed.  A
 * string left open pairs every later quote with the wrong one, so the
 * string still open at the end is not the one to fix: that is the first
 * string that ran over a line break (no value may hold one), if any.
 */
static void
check_end(struct scanner *sc, enum scan_state st)
{
	if (st == SCAN_BLOCKCOMMENT)
		add_error(sc, sc->open_line, "comment opened here is never "
		    "closed with */");
	else if (st == SCAN_DQUOTE || st == SCAN_SQUOTE)
		add_error(sc, sc->crossed_line > 0 ? sc->crossed_line :
		    sc->open_line, "string opened here is never closed");
	else if (sc->nbraces > 0)
		add_error(sc, sc->braces[sc->nbraces - 1], "\"{\" opened here "
		    "is never closed with \"}\"");
}

/*
 * cfgtext_prepare - see cfgtext.h.
 */
int
cfgtext_prepare(char *buf, size_t len, struct cfgtext *ct)
{
	struct scanner sc = { .buf = buf, .len = len, .line = 1, .ct = ct,
		.line_start = 1 };
	enum scan_state st = SCAN_TEXT;

	memset(ct, 0, sizeof(*ct));
	for (sc.pos = 0; sc.pos < len && !sc.oom; sc.pos++) {
		if (buf[sc.pos] == '\0') {
			add_error(&sc, sc.line, "the file contains a NUL byte");
			break;
		}
		if (buf[sc.pos] == '\n')
			sc.line++;
		st = scan_one(&sc, st);
	}
	if (sc.pos == len && !sc.oom)
		check_end(&sc, st);
	free(sc.braces);
	return sc.oom || ct->ct_nerrors > 0 ? -1 : 0;
}

/*
 * cfgtext_free - see cfgtext.h.
 */
void
cfgtext_free(struct cfgtext *ct)
{
	if (ct == NULL)
		return;
	free(ct->ct_sections);
	free(ct->ct_includes);
	free(ct->ct_errors);
	memset(ct, 0, sizeof(*ct));
}

/* ------------------------------------------------------------ statements */

/* One token of prepared text (comments already blanked), as libconfuse's
 * lexer splits it: a string (quoted or not) or one of { } ( ) = += , */
struct token {
	size_t	tk_start;
	size_t	tk_end;		/* one past its last byte */
	int	tk_line;
	char	tk_kind;	/* 's' a string, else the punctuation ('+': +=) */
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_punct(char c)
{
	return c == '{' || c == '}' || c == '(' || c == ')' || c == '=' ||
	    c == ',' || c == '"' || c == '\'';
}

/* The token at or after *pos (counting lines in *line); false at the end. */
static bool
next_token(const char *t, size_t len, size_t *pos, int *line,
    struct token *tk)
{
	size_t p = *pos;
	char q;

	for (; p < len && is_space(t[p]); p++)
		*line += t[p] == '\n';
	if (p >= len)
		return false;
	tk->tk_start = p;
	tk->tk_line = *line;
	if (t[p] == '"' || t[p] == '\'') {
		tk->tk_kind = 's';
		for (q = t[p++]; p < len && t[p] != q; p++) {
			if (t[p] == '\\' && p + 1 < len)
				*line += t[++p] == '\n';
			else
				*line += t[p] == '\n';
		}
		p += p < len;
	} else if (t[p] == '+' && p + 1 < len && t[p + 1] == '=') {
		tk->tk_kind = '+';
		p += 2;
	} else if (is_punct(t[p])) {
		tk->tk_kind = t[p++];
	} else {
		tk->tk_kind = 's';
		while (p < len && !is_space(t[p]) && !is_punct(t[p]) &&
		    t[p] != '+')
			p++;
		p += p == tk->tk_start;		/* a lone "+" */
	}
	tk->tk_end = p;
	*pos = p;
	return true;
}

/* Is the string token tk the word key (inside its quotes, if any)? */
static bool
token_is(const char *t, const struct token *tk, const char *key)
{
	size_t start = tk->tk_start, end = tk->tk_end, n = strlen(key);

	if (t[start] == '"' || t[start] == '\'') {
		start++;
		if (end > start && t[end - 1] == t[tk->tk_start])
			end--;
	}
	return end - start == n && memcmp(t + start, key, n) == 0;
}

/* Blank t[from..to-1], keeping newlines. */
static void
blank_range(char *t, size_t from, size_t to)
{
	for (; from < to; from++)
		if (t[from] != '\n')
			t[from] = ' ';
}

/*
 * Where the statement whose key is the token found at *pos ends: after
 * "= VALUE", "+= VALUE" (a string or a list in braces), "(ARGS)", a
 * section "{...}" with or without a title, or a string alone ("include
 * "x"" inside a rule); just the key otherwise.
 */
static size_t
statement_end(const char *t, size_t len, size_t pos)
{
	struct token tk;
	size_t p = pos, end = pos;
	int line = 0, depth = 0;
	char close = 0;

	if (!next_token(t, len, &p, &line, &tk))
		return end;
	if (tk.tk_kind == 's') {	/* a title; or a value without "=" */
		end = p;
		if (!next_token(t, len, &p, &line, &tk) || tk.tk_kind != '{')
			return end;
	} else if (tk.tk_kind == '=' || tk.tk_kind == '+') {
		end = p;
		if (!next_token(t, len, &p, &line, &tk) ||
		    (tk.tk_kind != 's' && tk.tk_kind != '{'))
			return end;
		if (tk.tk_kind == 's')
			return p;
	} else if (tk.tk_kind != '{' && tk.tk_kind != '(')
		return end;
	close = tk.tk_kind == '(' ? ')' : '}';
	for (depth = 1; depth > 0 && next_token(t, len, &p, &line, &tk); ) {
		if (tk.tk_kind == close)
			depth--;
		else if (close == '}' && tk.tk_kind == '{')
			depth++;
	}
	return p;
}

/* Where the parser expects what, for cfgtext_blank_statement(). */
enum expect { EXPECT_KEY, EXPECT_AFTER_KEY, EXPECT_VALUE, EXPECT_LIST,
	EXPECT_ARGS };

static enum expect
expect_next(enum expect ex, char kind)
{
	switch (ex) {
	case EXPECT_KEY:
		return kind == 's' ? EXPECT_AFTER_KEY : EXPECT_KEY;
	case EXPECT_AFTER_KEY:
		if (kind == '=' || kind == '+')
			return EXPECT_VALUE;
		if (kind == '(')
			return EXPECT_ARGS;
		return kind == 's' ? EXPECT_AFTER_KEY : EXPECT_KEY;
	case EXPECT_VALUE:
		return kind == '{' ? EXPECT_LIST : EXPECT_KEY;
	case EXPECT_LIST:
		return kind == '}' ? EXPECT_KEY : EXPECT_LIST;
	case EXPECT_ARGS:
		return kind == ')' ? EXPECT_KEY : EXPECT_ARGS;
	}
	return EXPECT_KEY;
}

/*
 * cfgtext_blank_statement - see cfgtext.h.
 */
int
cfgtext_blank_statement(char *text, size_t len, int line, const char *key)
{
	enum expect ex = EXPECT_KEY;
	struct token tk;
	size_t pos = 0;
	int at = 1;

	while (next_token(text, len, &pos, &at, &tk) && tk.tk_line <= line) {
		if (ex == EXPECT_KEY && tk.tk_kind == 's' &&
		    tk.tk_line == line && token_is(text, &tk, key)) {
			blank_range(text, tk.tk_start,
			    statement_end(text, len, tk.tk_end));
			return 0;
		}
		ex = expect_next(ex, tk.tk_kind);
	}
	return -1;
}
