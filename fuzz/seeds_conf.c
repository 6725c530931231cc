/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seeds_conf.c - seeds for fuzz_conf from t/conf_test.c: every broken
 * and every valid file of its tables, and the main files of its include
 * table (the files they include are not in fuzz_conf's directory; its
 * own are, named in fuzz/conf.dict).  (fuzz/run adds etc/ and the test
 * policies.)
 */
#define main conf_test_main
#include "../t/conf_test.c"
#undef main

#include "seeds.h"

int main(int argc, char **argv);

int
main(int argc, char **argv)
{
	size_t i, len;
	FILE *fp;

	seeds_init(argc, argv);
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		len = bad_rows[i].len ? bad_rows[i].len :
		    strlen(bad_rows[i].text);
		fp = seeds_open("conf-bad");
		fwrite(bad_rows[i].text, 1, len, fp);
		seeds_close(fp);
	}
	for (i = 0; i < sizeof(good_rows) / sizeof(good_rows[0]); i++) {
		fp = seeds_open("conf-good");
		fputs(good_rows[i].text, fp);
		seeds_close(fp);
	}
	for (i = 0; i < sizeof(include_rows) / sizeof(include_rows[0]); i++) {
		fp = seeds_open("conf-include");
		fputs(include_rows[i].text, fp);
		seeds_close(fp);
	}
	return 0;
}
