/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seeds_dnsname.c - seeds for fuzz_certname from t/dnsname_test.c: each
 * normalisation row's input as the presented name and as the reference.
 */
#define main dnsname_test_main
#include "../t/dnsname_test.c"
#undef main

#include "seeds.h"

int main(int argc, char **argv);

int
main(int argc, char **argv)
{
	size_t i;

	seeds_init(argc, argv);
	for (i = 0; i < sizeof(norm_rows) / sizeof(norm_rows[0]); i++)
		if (norm_rows[i].in != NULL)
			seeds_pair("dnsname", norm_rows[i].in, norm_rows[i].in);
	return 0;
}
