/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cfgtext_test.c - cfgtext_prepare(): comments blanked with their newlines
 * kept, strings left alone, "${" and other traps refused with the line to
 * fix, and the line of each top-level "{".  One TAP test point per row.
 */
#include "testlist.h"

#include "cfgtext.h"

/* The messages cfgtext.c gives, spelled out once. */
#define E_ENV	"\"${\" (environment variable expansion) is not supported " \
		"in a policy file"
#define E_NUL	"the file contains a NUL byte"
#define E_COMM	"comment opened here is never closed with */"
#define E_STR	"string opened here is never closed"
#define E_BRACE	"\"{\" opened here is never closed with \"}\""
#define E_STAR	"\"*\" outside quotes would be dropped by the parser: put " \
		"patterns in quotes, e.g. \"*RC4*\""
#define E_PLUS	"\"+\" outside quotes would be dropped by the parser: " \
		"write \"+=\" to add to a list, or quote the value"

struct prep_row {
	const char	*label;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*out;		/* the text afterwards; NULL: not checked */
	const char	*sections;	/* lines of the top-level "{", "1 4" */
	const char	*errors;	/* "LINE: message\n" each; "" for none */
};

static const struct prep_row prep_rows[] = {
	/* Comments, all three kinds, blanked to spaces. */
	{ "text without comments is unchanged",
	    "mode = \"enforce\"\nreply_code = 554\n", 0,
	    "mode = \"enforce\"\nreply_code = 554\n", "", "" },
	{ "empty text", "", 0, "", "", "" },
	{ "hash comment on its own line",
	    "# a comment\nmode = 1\n", 0,
	    "           \nmode = 1\n", "", "" },
	{ "hash comment after a value",
	    "mode = \"x\" # why\n", 0,
	    "mode = \"x\"      \n", "", "" },
	{ "hash comment right after a quoted value",
	    "mode = \"x\"#why\n", 0,
	    "mode = \"x\"    \n", "", "" },
	{ "hash comment right after an unquoted value",
	    "reply_code = 554#why\n", 0,
	    "reply_code = 554    \n", "", "" },
	{ "several hashes",
	    "### banner ###\n", 0,
	    "              \n", "", "" },
	{ "double-slash comment",
	    "// a comment\nmode = 1 // why\n", 0,
	    "            \nmode = 1       \n", "", "" },
	{ "double slash right after an unquoted word",
	    "socket = unix:/a//b\n", 0,
	    "socket = unix:/a   \n", "", "" },
	{ "a single slash is text",
	    "socket = unix:/run/x.sock\n", 0,
	    "socket = unix:/run/x.sock\n", "", "" },
	{ "C comment on one line",
	    "mode /* the mode */ = 1\n", 0,
	    "mode                = 1\n", "", "" },
	{ "C comment over lines keeps the newlines",
	    "a /* one\ntwo\nthree */ = 1\n", 0,
	    "a       \n   \n         = 1\n", "", "" },
	{ "C comment with stars inside",
	    "/** a ** b **/x = 1\n", 0,
	    "              x = 1\n", "", "" },
	{ "/*/ does not close the comment it opens",
	    "/*/ a\n*/x = 1\n", 0,
	    "     \n  x = 1\n", "", "" },
	{ "comment markers inside a C comment",
	    "/* # // \" ' { ${X} */x\n", 0,
	    "                     x\n", "", "" },
	{ "quotes inside a hash comment",
	    "# it's \"quoted\"\nx = 1\n", 0,
	    "               \nx = 1\n", "", "" },
	{ "comments inside a list",
	    "l = {\"a\", # first\n  \"b\" // second\n  /* c */ }\n", 0,
	    "l = {\"a\",        \n  \"b\"          \n          }\n", "1", "" },
	{ "comment between key and value",
	    "l = /* x */ {\"a\"}\n", 0,
	    "l =         {\"a\"}\n", "1", "" },
	{ "CRLF line ends",
	    "# c\r\nrule \"x\" {\r\n}\r\n", 0,
	    "    \n" "rule \"x\" {\r\n}\r\n", "2", "" },

	/* Strings are left alone, with their escapes. */
	{ "hash and slashes inside double quotes are kept",
	    "t = \"a # b // c /* d */\"\n", 0,
	    "t = \"a # b // c /* d */\"\n", "", "" },
	{ "hash and slashes inside single quotes are kept",
	    "t = 'a # b // c /* d */'\n", 0,
	    "t = 'a # b // c /* d */'\n", "", "" },
	{ "escaped double quote inside a string",
	    "t = \"a\\\"#b\"#c\n", 0,
	    "t = \"a\\\"#b\"  \n", "", "" },
	{ "escaped single quote inside a string",
	    "t = 'a\\'#b'#c\n", 0,
	    "t = 'a\\'#b'  \n", "", "" },
	{ "escaped backslash just before the closing quote",
	    "t = \"a\\\\\"#c\n", 0,
	    "t = \"a\\\\\"  \n", "", "" },
	{ "single quote inside double quotes",
	    "t = \"it's\"#c\n", 0,
	    "t = \"it's\"  \n", "", "" },
	{ "double quotes inside single quotes",
	    "t = 'say \"hi\"'#c\n", 0,
	    "t = 'say \"hi\"'  \n", "", "" },
	{ "braces inside strings are not sections",
	    "rule \"{\" {\n  t = \"}\"\n}\nrule '}' {\n}\n", 0, NULL,
	    "1 4", "" },
	{ "multi-line string keeps its lines",
	    "t = \"one\ntwo\nthree\"\nrule \"x\" {\n}\n", 0,
	    "t = \"one\ntwo\nthree\"\nrule \"x\" {\n}\n", "4", "" },
	{ "backslash-newline inside a string counts a line",
	    "t = \"one\\\ntwo\"\nrule \"x\" {\n}\n", 0, NULL, "3", "" },
	{ "backslash-newline inside single quotes counts a line",
	    "t = 'one\\\ntwo'\nrule \"x\" {\n}\n", 0, NULL, "3", "" },

	/* Section lines: every top-level brace (lists and "${" too: libconfuse
	 * refuses them at the top level, so only rules remain). */
	{ "one line per rule",
	    "rule \"a\" {\n}\n\nrule \"b\"\n{\n}\n", 0, NULL, "1 5", "" },
	{ "list braces are not sections",
	    "rule \"a\" {\n  l = {\"x\",\n    \"y\"}\n  m = {}\n}\n"
	    "rule \"b\" { l = {\"z\"} }\n", 0, NULL, "1 6", "" },
	{ "sections after many comments",
	    "# one\n/* two\nthree\n\nfive */\n// six\nrule \"a\" { # {\n"
	    "}\n/* { */ rule \"b\" {\n}\n", 0, NULL, "7 9", "" },
	{ "a closing brace too many is left to libconfuse",
	    "}\nrule \"a\" {\n}\n", 0, "}\nrule \"a\" {\n}\n", "2", "" },

	/* "${": libconfuse would read the environment. */
	{ "${ outside quotes is refused",
	    "x = 1\nt = ${HOME}\n", 0, NULL, "2", "2: " E_ENV "\n" },
	{ "${ inside double quotes is refused",
	    "t = \"a\"\nu = \"${HOME}/x\"\n", 0, NULL, "", "2: " E_ENV "\n" },
	{ "${ with a default is refused",
	    "t = \"${X:-y}\"\n", 0, NULL, "", "1: " E_ENV "\n" },
	{ "${ inside single quotes is text",
	    "t = '${HOME}'\n", 0, "t = '${HOME}'\n", "", "" },
	{ "escaped $ inside double quotes is text",
	    "t = \"\\${HOME}\"\n", 0, "t = \"\\${HOME}\"\n", "", "" },
	{ "${ inside a comment is blanked",
	    "# ${HOME}\n", 0, "         \n", "", "" },
	{ "$ without a brace is text",
	    "t = \"$HOME\"\n", 0, "t = \"$HOME\"\n", "", "" },
	{ "${ on a line after a multi-line comment",
	    "/*\n\n*/\nt = \"${X}\"\n", 0, NULL, "", "4: " E_ENV "\n" },

	/* Unterminated things: the line where they open. */
	{ "C comment never closed",
	    "x = 1\n/* open\n\nmore\n", 0, NULL, "", "2: " E_COMM "\n" },
	{ "double-quoted string never closed",
	    "x = 1\nt = \"open\n}\n\n", 0, NULL, "", "2: " E_STR "\n" },
	{ "single-quoted string never closed",
	    "t = 'open\n", 0, NULL, "", "1: " E_STR "\n" },
	{ "an unclosed string: where it opens, not where the quotes run out",
	    "rule \"a\" {\n  sender = {\"a.example}\n  require = \"none\"\n}\n"
	    "rule \"b\" {\n  require = \"none\"\n}\n", 0, NULL, "1",
	    "2: " E_STR "\n" },
	{ "an unclosed string after a multi-line one: the multi-line one",
	    "t = \"one\ntwo\"\nu = \"open\n", 0, NULL, "",
	    "1: " E_STR "\n" },
	{ "string ending in a backslash at the end of the text",
	    "\nt = \"a\\", 0, NULL, "", "2: " E_STR "\n" },
	{ "escaped quote does not close the string",
	    "t = \"a\\\"\n", 0, NULL, "", "1: " E_STR "\n" },
	{ "rule never closed",
	    "rule \"a\" {\n  require = \"none\"\n", 0, NULL, "1",
	    "1: " E_BRACE "\n" },
	{ "list never closed at the end: the list's line",
	    "rule \"a\" {\n  require = \"none\"\n  l = {\"x\",\n", 0, NULL,
	    "1", "3: " E_BRACE "\n" },
	{ "a later \"}\" closes the list, so the rule is reported",
	    "rule \"a\" {\n  l = {\"x\",\n}\n", 0, NULL, "1",
	    "1: " E_BRACE "\n" },
	{ "second rule never closed",
	    "rule \"a\" {\n}\nrule \"b\" {\n", 0, NULL, "1 3",
	    "3: " E_BRACE "\n" },

	/* Bytes libconfuse would drop or stop at. */
	{ "NUL byte", "x = 1\nt = \"a\0b\"\n", 16, NULL, "",
	    "2: " E_NUL "\n" },
	{ "NUL byte inside a string: only the NUL is reported",
	    "t = \"a\0", 7, NULL, "", "1: " E_NUL "\n" },
	{ "NUL byte inside a rule: only the NUL is reported",
	    "rule \"a\" {\n\0", 12, NULL, "1", "2: " E_NUL "\n" },
	{ "unquoted * is refused once per line",
	    "l = {*RC4*}\nm = {\"*RC4*\"}\n", 0, NULL, "1 2",
	    "1: " E_STAR "\n" },
	{ "lone + is refused", "l + = {\"x\"}\n", 0, NULL, "1",
	    "1: " E_PLUS "\n" },
	{ "+= is fine", "l += {\"x\"}\n", 0, "l += {\"x\"}\n", "1", "" },
	{ "* and + inside quotes and comments are fine",
	    "l = {\"*+*\", '+*'} # * +\n", 0,
	    "l = {\"*+*\", '+*'}      \n", "1", "" },

	/* Several problems: each with its line, in order. */
	{ "several problems in order",
	    "t = \"${A}\"\nu = ${B}\nl = {*}\n/* open\n", 0, NULL, "2 3",
	    "1: " E_ENV "\n2: " E_ENV "\n3: " E_STAR "\n4: " E_COMM "\n" },
};

/* "1 4" for the section lines, "LINE: msg\n" for the errors. */
static void
describe(const struct cfgtext *ct, char *sections, size_t slen, char *errors,
    size_t elen)
{
	size_t i, n;

	sections[0] = errors[0] = '\0';
	for (i = 0, n = 0; i < ct->ct_nsections && n < slen; i++)
		n += (size_t)snprintf(sections + n, slen - n, "%s%d",
		    i ? " " : "", ct->ct_sections[i]);
	for (i = 0, n = 0; i < ct->ct_nerrors && n < elen; i++)
		n += (size_t)snprintf(errors + n, elen - n, "%d: %s\n",
		    ct->ct_errors[i].ce_line, ct->ct_errors[i].ce_msg);
}

static void
test_prep_row(void **state)
{
	const struct prep_row *row = *state;
	size_t len = row->len ? row->len : strlen(row->in);
	char sections[256], errors[2048], *buf;
	struct cfgtext ct;
	int rc;

	assert_non_null(buf = malloc(len + 1));
	memcpy(buf, row->in, len);
	buf[len] = '\0';
	rc = cfgtext_prepare(buf, len, &ct);
	describe(&ct, sections, sizeof(sections), errors, sizeof(errors));
	assert_string_equal(errors, row->errors);
	assert_int_equal(rc, row->errors[0] == '\0' ? 0 : -1);
	assert_string_equal(sections, row->sections);
	if (row->out != NULL) {
		assert_int_equal(strlen(row->out), len);
		assert_memory_equal(buf, row->out, len);
	}
	cfgtext_free(&ct);
	free(buf);
}

/* ------------------------------------------------------------ include lines */

struct include_row {
	const char	*label;
	const char	*in;
	const char	*lines;		/* lines noted as include lines, "1 4" */
};

static const struct include_row include_rows[] = {
	{ "at the start of a line", "include \"a\"\n", "1" },
	{ "after blanks, in a rule", "rule \"r\" {\n\t include \"a\"\n}\n",
	    "2" },
	{ "a quote right after the word", "include\"a\"\n", "1" },
	{ "an = after the word is still noted", "include = \"a\"\n", "1" },
	{ "after a comment line", "# x\ninclude \"a\"\n", "2" },
	{ "in a comment", "# include \"a\"\n// include \"b\"\n", "" },
	{ "in a block comment over lines", "/*\ninclude \"a\"\n*/\n", "" },
	{ "in a string over lines", "t = \"x\ninclude \"\n", "" },
	{ "not the first word", "t = 1 include \"a\"\n", "" },
	{ "a longer word", "included = 1\ninclude_x = 2\ninclude-y = 3\n",
	    "" },
	{ "at the end of the text", "x = 1\ninclude", "2" },
	{ "CRLF lines", "x = 1\r\ninclude \"a\"\r\ninclude \"b\"\r\n", "2 3" },
};

static void
test_include_row(void **state)
{
	const struct include_row *row = *state;
	size_t len = strlen(row->in), i, n = 0;
	struct cfgtext ct;
	char lines[256], *buf;

	assert_non_null(buf = strdup(row->in));
	(void)cfgtext_prepare(buf, len, &ct);
	lines[0] = '\0';
	for (i = 0; i < ct.ct_nincludes && n < sizeof(lines); i++)
		n += (size_t)snprintf(lines + n, sizeof(lines) - n, "%s%d",
		    i ? " " : "", ct.ct_includes[i]);
	assert_string_equal(lines, row->lines);
	cfgtext_free(&ct);
	assert_null(ct.ct_includes);
	free(buf);
}

/* Blanking never changes the length or moves a newline, whatever the text. */
static void
test_newlines_kept(void **state)
{
	static const char *const texts[] = {
		"a # x\nb // y\nc /* z\n\n */ d\n'e\n#' \"f\n//\"\n",
		"/*\n*\n/\n*/#\n//\n",
	};
	struct cfgtext ct;
	char buf[128];
	size_t i, j, len;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		len = strlen(texts[i]);
		memcpy(buf, texts[i], len + 1);
		assert_int_equal(cfgtext_prepare(buf, len, &ct), 0);
		for (j = 0; j < len; j++)
			assert_int_equal(buf[j] == '\n', texts[i][j] == '\n');
		assert_int_equal(buf[len], '\0');
		cfgtext_free(&ct);
	}
}

/* cfgtext_free() leaves an empty struct and accepts NULL. */
static void
test_cfgtext_free(void **state)
{
	char buf[] = "rule \"a\" {\n}\nt = \"${X}\"\n";
	struct cfgtext ct;

	(void)state;
	assert_int_equal(cfgtext_prepare(buf, strlen(buf), &ct), -1);
	assert_int_equal(ct.ct_nsections, 1);
	assert_int_equal(ct.ct_nerrors, 1);
	cfgtext_free(&ct);
	assert_null(ct.ct_sections);
	assert_null(ct.ct_errors);
	assert_int_equal(ct.ct_nsections + ct.ct_nerrors, 0);
	cfgtext_free(&ct);
	cfgtext_free(NULL);
}

/* Thousands of sections and deep nesting grow the arrays correctly. */
static void
test_many_sections(void **state)
{
	static const char one[] = "rule \"r\" { l = {{{\"x\"}}} }\n";
	size_t n = 5000, i, len = n * (sizeof(one) - 1);
	struct cfgtext ct;
	char *buf;

	(void)state;
	assert_non_null(buf = malloc(len + 1));
	for (i = 0; i < n; i++)
		memcpy(buf + i * (sizeof(one) - 1), one, sizeof(one) - 1);
	buf[len] = '\0';
	assert_int_equal(cfgtext_prepare(buf, len, &ct), 0);
	assert_int_equal(ct.ct_nsections, n);
	for (i = 0; i < n; i++)
		assert_int_equal(ct.ct_sections[i], (int)i + 1);
	cfgtext_free(&ct);
	free(buf);
}

/* cfgtext_blank_statement(): in, the line and key, and the text after
 * (NULL: -1, the text unchanged). */
struct blank_row {
	const char	*label;
	const char	*in;
	int		line;
	const char	*key;
	const char	*out;
};

static const struct blank_row blank_rows[] = {
	{ "a scalar", "a = 1\nbogus = \"x y\"\nb = 2\n", 2, "bogus",
	    "a = 1\n             \nb = 2\n" },
	{ "a list over lines, braces and quotes in strings",
	    "bogus += {\"}\",\n  'a\\'}'}\nb = 2\n", 1, "bogus",
	    "              \n         \nb = 2\n" },
	{ "a value spanning lines", "bogus = \"a\\\nb\" c = 1\n", 1, "bogus",
	    "           \n   c = 1\n" },
	{ "the key, not a value or title of the same word",
	    "rule \"bogus\" { a = \"bogus\" bogus = {x} }\n", 1, "bogus",
	    "rule \"bogus\" { a = \"bogus\"             }\n" },
	{ "a quoted key", "\"bogus\" = 1\n", 1, "bogus", "           \n" },
	{ "a section with a title", "bogus \"t\" { a = { b } }\nc = 1\n", 1,
	    "bogus", "                       \nc = 1\n" },
	{ "a string without =", "rule \"z\" { include \"a\"\nr = 1 }\n", 1,
	    "include", "rule \"z\" {            \nr = 1 }\n" },
	{ "a key without a value", "bogus\n}\n", 1, "bogus", "     \n}\n" },
	{ "not on that line", "a = 1\nbogus = 2\n", 1, "bogus", NULL },
	{ "only as a value", "a = bogus\n", 1, "bogus", NULL },
};

static void
test_blank_row(void **state)
{
	const struct blank_row *row = *state;
	char buf[256];
	size_t len = strlen(row->in);

	memcpy(buf, row->in, len + 1);
	assert_int_equal(cfgtext_blank_statement(buf, len, row->line, row->key),
	    row->out != NULL ? 0 : -1);
	assert_string_equal(buf, row->out != NULL ? row->out : row->in);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	TESTLIST_TABLE(&tl, "prepare", test_prep_row, prep_rows, label);
	TESTLIST_TABLE(&tl, "include lines", test_include_row, include_rows,
	    label);
	testlist_add(&tl, "newlines and length are kept", test_newlines_kept,
	    NULL);
	testlist_add(&tl, "cfgtext_free", test_cfgtext_free, NULL);
	TESTLIST_TABLE(&tl, "blank statement", test_blank_row, blank_rows,
	    label);
	testlist_add(&tl, "5000 sections with nested lists", test_many_sections,
	    NULL);
	return testlist_run(&tl, "cfgtext");
}
