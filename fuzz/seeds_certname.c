/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seeds_certname.c - seeds for fuzz_certname from t/certname_test.c:
 * each row's presented and reference names, NUL between them.
 */
#define main certname_test_main
#include "../t/certname_test.c"
#undef main

#include "seeds.h"

int main(int argc, char **argv);

int
main(int argc, char **argv)
{
	size_t i;

	seeds_init(argc, argv);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		seeds_pair("certname", rows[i].presented, rows[i].reference);
	return 0;
}
