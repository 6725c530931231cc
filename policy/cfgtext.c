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
