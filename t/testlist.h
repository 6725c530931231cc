/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testlist.h - table-driven cmocka tests that print one TAP line per case.
 *
 * Automake's TAP driver wants one plan per program, and cmocka prints one
 * plan per group; so a test program collects every case (single tests and
 * table rows alike) into one list and runs it as a single group.  Each
 * table row becomes its own test point, named after the row.
 *
 *	struct testlist tl = TESTLIST_INIT;
 *	testlist_add(&tl, "sample file parses", test_sample, NULL);
 *	TESTLIST_TABLE(&tl, "cidr", test_cidr_row, cidr_rows, label);
 *	return testlist_run(&tl, "cidr");
 *
 * A row function gets its row through *state.
 */
#ifndef TESTLIST_H
#define TESTLIST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

struct testlist {
	struct CMUnitTest *tl_tests;
	size_t		tl_count;
	size_t		tl_size;
};

#define TESTLIST_INIT { NULL, 0, 0 }

/* testlist_add - append one test; name is copied; state is passed as *state. */
static inline void
testlist_add(struct testlist *tl, const char *name, CMUnitTestFunction fn,
    void *state)
{
	struct CMUnitTest *t;

	if (tl->tl_count == tl->tl_size) {
		tl->tl_size = tl->tl_size ? 2 * tl->tl_size : 64;
		tl->tl_tests = realloc(tl->tl_tests,
		    tl->tl_size * sizeof(*tl->tl_tests));
		if (tl->tl_tests == NULL) {
			fputs("testlist: out of memory\n", stderr);
			exit(99);
		}
	}
	t = &tl->tl_tests[tl->tl_count++];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	t->test_func = fn;
	t->initial_state = state;
	if (t->name == NULL) {
		fputs("testlist: out of memory\n", stderr);
		exit(99);
	}
}

/*
 * testlist_add_table - one test per row of rows[0..n-1] (each rowsize
 * bytes); the test is named "prefix: label" where label is the string
 * that the const char * member at label_offset of the row points to.
 */
static inline void
testlist_add_table(struct testlist *tl, const char *prefix,
    CMUnitTestFunction fn, const void *rows, size_t rowsize, size_t n,
    size_t label_offset)
{
	char name[512];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *row = (const char *)rows + i * rowsize;
		const char *label = *(const char *const *)(row + label_offset);

		snprintf(name, sizeof(name), "%s: %s", prefix,
		    label ? label : "(unnamed)");
		testlist_add(tl, name, fn, (void *)row);
	}
}

/* TESTLIST_TABLE - testlist_add_table for an array of structs. */
#define TESTLIST_TABLE(tl, prefix, fn, array, member) \
	testlist_add_table((tl), (prefix), (fn), (array), sizeof((array)[0]), \
	    sizeof(array) / sizeof((array)[0]), offsetof(__typeof__((array)[0]), member))

/* testlist_run - run every collected test as one group; returns the
 * number of failures (the program's exit status). */
static inline int
testlist_run(struct testlist *tl, const char *group)
{
	int failed;
	size_t i;

	failed = _cmocka_run_group_tests(group, tl->tl_tests, tl->tl_count,
	    NULL, NULL);
	for (i = 0; i < tl->tl_count; i++)
		free((char *)tl->tl_tests[i].name);
	free(tl->tl_tests);
	return failed;
}

#endif
