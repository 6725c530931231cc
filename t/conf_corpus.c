/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_corpus.c - the broken policy files of t/conf_test.c as files.
 *
 *	t/conf_corpus DIR
 *
 * Writes every row of conf_test's table of broken files to DIR/NNN.conf,
 * with the problems it must give, one "P:LINE: message" a line (P stands
 * for the file's name), in DIR/NNN.want.  t/badconf.t checks the same
 * corpus against -n, the daemon's start and a reload, so the three are
 * held to the one table the unit test also checks conf_load() with.
 * conf_test.c is included whole (its main() renamed away): a row added
 * there is a file here.
 */
#define main conf_test_main
#include "conf_test.c"
#undef main

int main(int argc, char **argv);

static void
put(const char *dir, size_t i, const char *ext, const char *text, size_t len)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%03zu.%s", dir, i, ext);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(text, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	size_t i, len;

	if (argc != 2) {
		fprintf(stderr, "usage: conf_corpus DIR\n");
		return 64;
	}
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		len = bad_rows[i].len ? bad_rows[i].len :
		    strlen(bad_rows[i].text);
		put(argv[1], i, "conf", bad_rows[i].text, len);
		put(argv[1], i, "want", bad_rows[i].want,
		    strlen(bad_rows[i].want));
		put(argv[1], i, "label", bad_rows[i].label,
		    strlen(bad_rows[i].label));
	}
	return 0;
}
