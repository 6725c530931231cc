/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sanitize_test.c - sanitize() and sanitize_span() with decision.c's sets:
 * what a peer can put into a log line (t/decision_test.c: the line).
 * Control bytes, ANSI escapes, invalid UTF-8, quotes and brackets,
 * printf directives, 64 KiB inputs, and buffers of 0 to 5 bytes (written
 * into allocations of exactly that size, so that valgrind sees any
 * overflow).  No output may ever hold a byte below 0x20 or at or above
 * 0x7f.  One TAP test point per table row.
 */
#include "testlist.h"

#include <stdbool.h>

#include "sanitize.h"
#include "session.h"
#include "testutil.h"

static char huge[64 * 1024 + 1];	/* "aaaa...", filled by main() */
static char huge_ctl[64 * 1024 + 1];	/* "\x01\x01...", filled by main() */

/* run - sanitize into an allocation of exactly len bytes; the result is
 * copied to out (outlen bytes). */
static void
run(const char *in, const char *special, size_t len, char *out,
    size_t outlen)
{
	char *buf = malloc(len ? len : 1);

	assert_non_null(buf);
	memset(buf, 'Z', len ? len : 1);
	assert_ptr_equal(sanitize(buf, len, in, special), buf);
	if (len == 0) {
		assert_int_equal(buf[0], 'Z');	/* nothing written */
		snprintf(out, outlen, "%s", "");
	} else {
		assert_true(strnlen(buf, len) < len);	/* NUL within len */
		assert_true(testutil_printable(buf));
		snprintf(out, outlen, "%s", buf);
	}
	free(buf);
}

/* ------------------------------------------------------------ sanitize */

struct san_row {
	const char	*label;
	const char	*in;
	const char	*special;
	size_t		 len;
	const char	*want;
};

#define BIG 256

static const struct san_row san_rows[] = {
	{ "plain ASCII", "mx.example.org", NULL, BIG, "mx.example.org" },
	{ "empty", "", NULL, BIG, "" },
	{ "NULL input", NULL, NULL, BIG, "" },
	{ "space kept unless special", "a b", NULL, BIG, "a b" },
	{ "control bytes", "a\001b\037c", NULL, BIG, "a\\x01b\\x1fc" },
	{ "CR LF cannot start a new log line", "a\r\nDec 1 fake: line", NULL,
	    BIG, "a\\x0d\\x0aDec 1 fake: line" },
	{ "tab", "a\tb", NULL, BIG, "a\\x09b" },
	{ "DEL", "\177", NULL, BIG, "\\x7f" },
	{ "ANSI colour escape", "\033[31mred\033[0m", NULL, BIG,
	    "\\x1b[31mred\\x1b[0m" },
	{ "ANSI clear screen", "\033[2J\033[H", NULL, BIG, "\\x1b[2J\\x1b[H" },
	{ "backslash escaped", "a\\b", NULL, BIG, "a\\x5cb" },
	{ "a literal \\x41 cannot pass as an escape", "\\x41", NULL, BIG,
	    "\\x5cx41" },
	{ "valid UTF-8", "b\303\274cher", NULL, BIG, "b\\xc3\\xbccher" },
	{ "invalid UTF-8", "\377\376", NULL, BIG, "\\xff\\xfe" },
	{ "overlong UTF-8", "\300\257", NULL, BIG, "\\xc0\\xaf" },
	{ "truncated UTF-8", "a\303", NULL, BIG, "a\\xc3" },
	{ "right-to-left override", "\342\200\256txt", NULL, BIG,
	    "\\xe2\\x80\\xaetxt" },
	{ "quote as special", "say \"hi\"", "\"", BIG, "say \\x22hi\\x22" },
	{ "quote not special", "say \"hi\"", NULL, BIG, "say \"hi\"" },
	{ "angle brackets and space as special", "<a b>", "<> ", BIG,
	    "\\x3ca\\x20b\\x3e" },
	{ "square brackets as special", "[x]", "[] ", BIG, "\\x5bx\\x5d" },
	{ "a forged field stays inside", "x\" action=accept rule=\"y", "\"",
	    BIG, "x\\x22 action=accept rule=\\x22y" },
	{ "printf directives are literal", "%n%s%x%%%08d%*d", NULL, BIG,
	    "%n%s%x%%%08d%*d" },
	{ "printf directives with special", "%n<%s>", "<>", BIG,
	    "%n\\x3c%s\\x3e" },
	/* fitting and cutting */
	{ "exactly fits", "abcdefghi", NULL, 10, "abcdefghi" },
	{ "one byte too many", "abcdefghij", NULL, 10, "abcdef..." },
	{ "escapes exactly fit", "\001\002", NULL, 9, "\\x01\\x02" },
	{ "escape does not fit: cut before it", "\001\002\003", NULL, 10,
	    "\\x01..." },
	{ "escape never split", "ab\001", NULL, 7, "ab\\x01" },
	{ "escape never split, cut", "abc\001", NULL, 7, "abc..." },
	{ "64 KiB cut with ...", huge, NULL, 16, "aaaaaaaaaaaa..." },
	{ "64 KiB of control bytes cut with ...", huge_ctl, NULL, 16,
	    "\\x01\\x01\\x01..." },
	/* tiny buffers */
	{ "len 1, empty", "", NULL, 1, "" },
	{ "len 1", "abc", NULL, 1, "" },
	{ "len 2", "abc", NULL, 2, "." },
	{ "len 3", "abc", NULL, 3, ".." },
	{ "len 4 fits 3", "abc", NULL, 4, "abc" },
	{ "len 4 cut", "abcd", NULL, 4, "..." },
	{ "len 4, an escape", "\001", NULL, 4, "..." },
	{ "len 5 fits 4", "abcd", NULL, 5, "abcd" },
	{ "len 5 cut", "abcde", NULL, 5, "a..." },
	{ "len 5, an escape fits", "\001", NULL, 5, "\\x01" },
	{ "len 5, a byte and an escape", "a\001", NULL, 5, "a..." },
	{ "len 2, a control byte", "\033", NULL, 2, "." },
};

static void
test_sanitize(void **state)
{
	const struct san_row *row = *state;
	char out[BIG + 1];

	run(row->in, row->special, row->len, out, sizeof(out));
	assert_string_equal(out, row->want);
}

/* len 0 writes nothing at all, whatever the input. */
static void
test_len0(void **state)
{
	static const char *const ins[] = { NULL, "", "abc", "\001", huge };
	char out[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ins) / sizeof(ins[0]); i++)
		run(ins[i], "\"", 0, out, sizeof(out));
}

/* The whole 64 KiB input into the daemon's buffer size. */
static void
test_huge(void **state)
{
	char buf[SANITIZE_BUFSIZE];
	size_t n;

	(void)state;
	sanitize(buf, sizeof(buf), huge, NULL);
	n = strlen(buf);
	assert_int_equal(n, sizeof(buf) - 1);
	assert_string_equal(buf + n - 3, "...");
	sanitize(buf, sizeof(buf), huge_ctl, "\"");
	n = strlen(buf);
	assert_true(n < sizeof(buf));
	assert_string_equal(buf + n - 3, "...");
	assert_true(testutil_printable(buf));
}

/* Any SESSION_TEXT_MAX-byte string fits SANITIZE_BUFSIZE uncut. */
static void
test_bufsize(void **state)
{
	char in[SESSION_TEXT_MAX + 1], buf[SANITIZE_BUFSIZE];

	(void)state;
	memset(in, '\377', SESSION_TEXT_MAX);
	in[SESSION_TEXT_MAX] = '\0';
	sanitize(buf, sizeof(buf), in, NULL);
	assert_int_equal(strlen(buf), 4 * SESSION_TEXT_MAX);
	assert_null(strstr(buf, "..."));
}

/* ------------------------------------------------------------ random */

/* escape - the reference: every byte as sanitize.h describes it; ends[i]
 * is the output length after input byte i.  Returns the output length. */
static size_t
escape(const unsigned char *in, size_t n, const char *special, char *out,
    size_t *ends)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (ascii_isprint(in[i]) && in[i] != '\\' &&
		    (special == NULL || strchr(special, in[i]) == NULL))
			out[o++] = (char)in[i];
		else
			o += (size_t)sprintf(out + o, "\\x%02x", in[i]);
		ends[i] = o;
	}
	out[o] = '\0';
	return o;
}

/* expect - what sanitizing the n bytes at in with special into len > 0
 * bytes gives by sanitize.h: the escape of the input when it fits, else
 * the longest whole-escape prefix with as much of "..." after it as fits
 * (want: 4 * n + 8 bytes). */
static void
expect(const unsigned char *in, size_t n, const char *special, size_t len,
    char *want)
{
	char esc[4 * 300 + 1];
	size_t ends[300], i, k, total;

	assert_true(n <= 300);
	total = escape(in, n, special, esc, ends);
	if (total + 1 <= len) {
		strcpy(want, esc);
	} else if (len < 4) {
		sprintf(want, "%.*s", (int)(len - 1), "...");
	} else {
		for (k = 0, i = 0; i < n && ends[i] + 4 <= len; i++)
			k = ends[i];
		sprintf(want, "%.*s...", (int)k, esc);
	}
}

/* Random bytes, random lengths: sanitize() gives what expect() says. */
static void
test_random(void **state)
{
	static const char *const specials[] = { NULL, "\"", "<> ", "[] ",
		"\" " };
	unsigned char in[301];
	char out[128], want[4 * 300 + 8];
	size_t i, n, len;
	const char *special;
	int round;

	(void)state;
	testutil_seed(UINT64_C(0x9e3779b97f4a7c15));
	for (round = 0; round < 3000; round++) {
		n = testutil_rng() % 301;
		for (i = 0; i < n; i++)
			in[i] = (unsigned char)(1 + testutil_rng() % 255);
		in[n] = '\0';
		len = testutil_rng() % 100;
		special = specials[testutil_rng() % 5];
		run((const char *)in, special, len, out, sizeof(out));
		if (len == 0)
			continue;
		expect(in, n, special, len, want);
		if (strcmp(out, want) != 0)
			fail_msg("round %d, len %zu: got \"%s\", want \"%s\"",
			    round, len, out, want);
	}
}

/* ------------------------------------------------------- sanitize_span */

/* The special bytes decision.c writes its fields with. */
struct set_row {
	const char		*label;
	const char		*special;
};

static const struct set_row set_rows[] = {
	{ "quoted", "\"" },
	{ "angled", "<> " },
	{ "squared", "[] " },
	{ "bare", "\"<> " },
	{ "queue id", " :" },
	{ "none", "" },
};

/* span - sanitize_span() into an allocation of exactly len bytes, checked
 * against expect(); the return value must be the output's length. */
static void
span(const unsigned char *in, size_t n, const struct set_row *row,
    size_t len)
{
	char *buf = malloc(len ? len : 1), want[4 * 300 + 8];
	size_t got;

	assert_non_null(buf);
	buf[0] = 'Z';
	got = sanitize_span(buf, len, (const char *)in, n, row->special);
	if (len == 0) {
		assert_int_equal(got, 0);
		assert_int_equal(buf[0], 'Z');	/* nothing written */
	} else {
		expect(in, n, row->special, len, want);
		if (strcmp(buf, want) != 0)
			fail_msg("%s, %zu bytes into %zu: got \"%s\", want "
			    "\"%s\"", row->label, n, len, buf, want);
		assert_int_equal(got, strlen(buf));
	}
	free(buf);
}

/*
 * With each set of special bytes sanitize_span() writes every byte value
 * (NUL included: a span has its length) as sanitize.h says, alone and
 * between others, and 300 bytes of plain bytes and escapes mixed (longer
 * than SANITIZE_BUFSIZE escaped), into every length from 0 to 2 bytes
 * past the whole output: the path that fits without a check and the one
 * that cuts.
 */
static void
test_set(void **state)
{
	const struct set_row *row = *state;
	unsigned char three[3], mixed[300];
	size_t c, len;

	for (c = 0; c < 256; c++) {
		three[0] = 'a';
		three[1] = (unsigned char)c;
		three[2] = (unsigned char)(255 - c);
		for (len = 0; len <= 4 * 3 + 2; len++) {
			span(three + 1, 1, row, len);
			span(three, 3, row, len);
		}
	}
	for (c = 0; c < sizeof(mixed); c++)	/* every byte value */
		mixed[c] = (unsigned char)(c * 7 + c / 256);
	for (len = 0; len <= 4 * sizeof(mixed) + 2; len++)
		span(mixed, sizeof(mixed), row, len);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	memset(huge, 'a', sizeof(huge) - 1);
	memset(huge_ctl, '\001', sizeof(huge_ctl) - 1);
	TESTLIST_TABLE(&tl, "sanitize", test_sanitize, san_rows, label);
	testlist_add(&tl, "sanitize: len 0 writes nothing", test_len0, NULL);
	testlist_add(&tl, "sanitize: 64 KiB into SANITIZE_BUFSIZE", test_huge,
	    NULL);
	testlist_add(&tl, "sanitize: SESSION_TEXT_MAX fits SANITIZE_BUFSIZE",
	    test_bufsize, NULL);
	testlist_add(&tl, "sanitize: 3000 random inputs and lengths",
	    test_random, NULL);
	TESTLIST_TABLE(&tl, "sanitize_span", test_set, set_rows, label);
	return testlist_run(&tl, "sanitize");
}
