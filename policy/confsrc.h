/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confsrc.h - the policy's source text: the main file with its includes
 * expanded, and where each line of it came from.
 *
 * A line whose first word is "include", followed by one file name in
 * double quotes and nothing else, is replaced by the text of the files
 * that name matches: a glob(3) pattern, its matches taken in byte order
 * of their names; a relative name is taken from the directory of the file
 * that holds the include.  Each file read is checked as the main file is
 * (a regular file, confperm_check(), the size limit, now on the whole
 * text), has its comments blanked by cfgtext_prepare(), and may include
 * others, CONFSRC_MAX_DEPTH deep.  A file that cannot be read, a pattern
 * that matches nothing and an include loop are errors: the policy is
 * never silently smaller than what was written.
 *
 * libconfuse sees one text and counts its lines; confsrc_where() turns
 * such a line back into a file and a line in it, for confval_problem().
 */
#ifndef CONFSRC_H
#define CONFSRC_H

#include <stddef.h>

struct confval_loader;

/* How many files deep includes may go (the main file is at depth 0). */
#define CONFSRC_MAX_DEPTH 8

/* A run of lines of the text that come, in order, from one file. */
struct confsrc_span {
	int		sp_line;	/* its first line in the text */
	size_t		sp_file;	/* index in cs_files */
	int		sp_fline;	/* that line's number in the file */
};

struct confsrc {
	char		*cs_text;	/* comments blanked, NUL-terminated */
	size_t		cs_len;
	size_t		cs_size;	/* bytes allocated */
	int		cs_lines;	/* newlines in cs_text */
	char		**cs_files;	/* every file read, the main one first */
	size_t		cs_nfiles;
	struct confsrc_span *cs_spans;	/* by sp_line */
	size_t		cs_nspans;
};

/*
 * confsrc_load - read the file ld->ld_path and everything it includes
 * into *src, and point ld->ld_src at src so that problems are reported at
 * the file and line they belong to.  Problems go to ld as "FILE:LINE:
 * message"; one with an included file as a whole ("cannot open", no
 * match, a loop) is reported at the include line, naming the file.
 *
 * Returns 0 when src->cs_text can be handed to libconfuse, -1 when not
 * (problems reported, or ld->ld_oom set).  *src is cleared on entry and
 * owned by the caller: free it with confsrc_free(), after the last
 * problem has been reported.
 */
int confsrc_load(struct confsrc *src, struct confval_loader *ld);

/*
 * confsrc_where - the file (*path, owned by src) and the line in it
 * (*fline) of line of the text.  Both are left alone when src holds no
 * line there.
 */
void confsrc_where(const struct confsrc *src, int line, const char **path,
    int *fline);

/* confsrc_free_text - release the text only, keeping the line map. */
void confsrc_free_text(struct confsrc *src);

/* confsrc_free - release everything in *src (which may be all zero). */
void confsrc_free(struct confsrc *src);

#endif
