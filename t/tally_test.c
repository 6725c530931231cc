/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tally_test.c - the report's counts by key (report/tally.c over
 * report/strtab.c): counting, ordering, and the bound on keys.
 */
#include "testlist.h"

#include "tally.h"

/* Counts per key and action; the top entries by total, ties by key. */
static void
test_counts(void **state)
{
	struct tally t = { 0 };	/* zeroed is empty */
	struct tally_entry **v;
	size_t n;

	(void)state;
	assert_int_equal(tally_add(&t, "b", 0, "first b"), 0);
	assert_int_equal(tally_add(&t, "a", 1, NULL), 0);
	assert_int_equal(tally_add(&t, "b", 3, "second b"), 0);
	assert_int_equal(tally_add(&t, "c", 2, NULL), 0);
	v = tally_top(&t, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0]->te_key, "b");
	assert_int_equal(v[0]->te_n[0], 1);
	assert_int_equal(v[0]->te_n[3], 1);
	assert_string_equal(v[0]->te_example, "first b");
	assert_string_equal(v[1]->te_key, "a");	/* 1 each: by key */
	assert_string_equal(v[2]->te_key, "c");
	assert_null(v[1]->te_example);
	assert_int_equal(t.t_total, 4);
	free(v);
	tally_free(&t);
	assert_null(tally_top(&t, &n));
	assert_int_equal(n, 0);
}

/* Past TALLY_KEYS distinct keys, new ones count as "(other)": memory
 * stays bounded whatever the input; known keys go on counting.  The
 * table grows through many doublings on the way. */
static void
test_bound(void **state)
{
	struct tally t = { 0 };
	struct tally_entry **v;
	char key[32];
	size_t i, n;

	(void)state;
	for (i = 0; i < TALLY_KEYS + 5; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(tally_add(&t, key, 0, NULL), 0);
	}
	assert_int_equal(tally_add(&t, "k7", 0, NULL), 0);
	v = tally_top(&t, &n);
	assert_int_equal(n, TALLY_KEYS + 1);
	assert_string_equal(v[0]->te_key, "(other)");
	assert_int_equal(v[0]->te_n[0], 5);
	assert_string_equal(v[1]->te_key, "k7");
	assert_int_equal(v[1]->te_n[0], 2);
	free(v);
	tally_free(&t);
}

int
main(void)
{
	struct testlist tl = TESTLIST_INIT;

	testlist_add(&tl, "tally: counts, examples, order", test_counts, NULL);
	testlist_add(&tl, "tally: bounded at TALLY_KEYS keys", test_bound,
	    NULL);
	return testlist_run(&tl, "tally");
}
