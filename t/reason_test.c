/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason_test.c - the bounded copies that write verdict reasons: always
 * NUL-terminated, never past the buffer, each piece cut at its own bound;
 * one TAP test point per table row.
 */
#include "testlist.h"

#include "reason.h"

#define GUARD	'#'	/* the byte after the buffer: must stay */

struct reason_row {
	const char	*label;
	size_t		len;		/* the buffer's size, 1..16 */
	const char	*set;		/* reason_set() first */
	const char	*cat;		/* then reason_cat(), unless NULL */
	size_t		max;		/* its bound */
	const char	*want;
};

static const struct reason_row reason_rows[] = {
	{ "set: fits", 16, "no rule applies", NULL, 0, "no rule applies" },
	{ "set: one byte over is cut", 15, "no rule applies", NULL, 0,
	    "no rule applie" },
	{ "set: a buffer of one holds the NUL", 1, "abc", NULL, 0, "" },
	{ "set: empty", 8, "", NULL, 0, "" },
	{ "cat: appends", 16, "rule \"", "a\"", 16, "rule \"a\"" },
	{ "cat: cut at its max", 16, "rule \"", "abcdefgh", 3, "rule \"abc" },
	{ "cat: cut at the buffer", 10, "rule \"", "abcdefgh", 64,
	    "rule \"abc" },
	{ "cat: to a full buffer adds nothing", 4, "abcdef", "xyz", 64,
	    "abc" },
	{ "cat: max 0 adds nothing", 16, "abc", "xyz", 0, "abc" },
};

static void
test_reason(void **state)
{
	const struct reason_row *row = *state;
	char buf[17];

	memset(buf, 'x', sizeof(buf));
	buf[row->len] = GUARD;
	reason_set(buf, row->len, row->set);
	if (row->cat != NULL)
		reason_cat(buf, row->len, row->cat, row->max);
	assert_string_equal(buf, row->want);
	assert_int_equal(buf[row->len], GUARD);
}

/* A piece with no NUL within its bound is read no further than that. */
static void
test_reason_unterminated(void **state)
{
	char piece[3] = { 'a', 'b', 'c' };	/* no NUL */
	char buf[16];

	(void)state;
	reason_set(buf, sizeof(buf), "x=");
	reason_cat(buf, sizeof(buf), piece, sizeof(piece));
	assert_string_equal(buf, "x=abc");
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	TESTLIST_TABLE(&tl, "reason", test_reason, reason_rows, label);
	testlist_add(&tl, "reason_cat: unterminated piece",
	    test_reason_unterminated, NULL);
	return testlist_run(&tl, "reason");
}
