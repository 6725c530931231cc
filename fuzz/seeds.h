/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seeds.h - write seed inputs for the fuzz targets from the unit tests'
 * own tables.
 *
 * Each fuzz/seeds_*.c includes one unit test source whole (its main()
 * renamed away) and writes its table rows, in the input format of a fuzz
 * target, as files in the directory given as the only argument.  So the
 * seed corpora grow with the unit tests and are never copied by hand.
 * Built by fuzz/run only, with the fuzz targets.
 */
#ifndef SEEDS_H
#define SEEDS_H

#include <stdio.h>
#include <stdlib.h>

static const char *seeds_dir;
static unsigned seeds_count;

/* seeds_open - a new seed file "PREFIX-N" in the directory. */
static FILE *
seeds_open(const char *prefix)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s-%u", seeds_dir, prefix,
	    seeds_count++);
	if ((fp = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	return fp;
}

static void
seeds_close(FILE *fp)
{
	if (fclose(fp) != 0) {
		perror("seeds");
		exit(1);
	}
}

/* seeds_pair - a seed "PREFIX-N" in fuzz_certname's form: the presented
 * name, a NUL, the reference name (NULL written as ""). */
static void
seeds_pair(const char *prefix, const char *presented, const char *reference)
{
	FILE *fp = seeds_open(prefix);

	fputs(presented != NULL ? presented : "", fp);
	fputc('\0', fp);
	fputs(reference != NULL ? reference : "", fp);
	seeds_close(fp);
}

/* seeds_init - the directory from argv; exits on bad usage. */
static void
seeds_init(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		exit(64);
	}
	seeds_dir = argv[1];
}

#endif
