/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confsrc.c - read the policy file and the files it includes into one
 * text for libconfuse, with a map from its lines back to theirs.
 *
 * Each file is read whole, checked (confperm.c), and its comments blanked
 * (cfgtext.c), which also finds the lines that start with "include".  The
 * text up to such a line is copied, the line itself becomes an empty one
 * (so that problems of the include are reported on it), and the matching
 * files follow, each expanded the same way.  One file's problems with its
 * comments or quotes are reported at its own lines; its includes are then
 * not followed, since libconfuse will not see the text anyway.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ascii.h"
#include "cfgtext.h"
#include "conf.h"
#include "confperm.h"
#include "confsrc.h"
#include "confval.h"

/* The files being read, the main one first: an include loop is one of
 * them again (the same device and inode, however it is named). */
struct reader {
	struct confsrc	*rd_src;
	struct confval_loader *rd_ld;
	dev_t		rd_dev[CONFSRC_MAX_DEPTH + 1];
	ino_t		rd_ino[CONFSRC_MAX_DEPTH + 1];
	int		rd_depth;	/* files open in rd_dev and rd_ino */
	unsigned long long rd_bytes;	/* read so far, all files */
	bool		rd_failed;	/* a problem was reported */
};

/*
 * glob(3)'s error callback takes no user pointer: the directory it could
 * not read is kept here, for the one glob() call in progress.
 */
static _Thread_local struct {
	char	ge_path[PATH_MAX];
	int	ge_errno;
} tl_globerr;

static void include_file(struct reader *rd, const char *path, int at);

/* ------------------------------------------------------------ the text */

/* Room for n more bytes and a NUL; false when out of memory. */
static bool
text_room(struct confsrc *src, size_t n)
{
	size_t size = src->cs_size ? src->cs_size : 4096;
	char *p;

	while (size - src->cs_len <= n)
		size *= 2;
	if (size == src->cs_size)
		return true;
	if ((p = realloc(src->cs_text, size)) == NULL)
		return false;
	src->cs_text = p;
	src->cs_size = size;
	return true;
}

/* Note that line fline of file starts the next line of the text, unless
 * the last span already says so. */
static bool
add_span(struct confsrc *src, size_t file, int fline)
{
	struct confsrc_span *sp;
	int line = src->cs_lines + 1;

	if (src->cs_nspans > 0) {
		sp = &src->cs_spans[src->cs_nspans - 1];
		if (sp->sp_file == file && sp->sp_fline + (line -
		    sp->sp_line) == fline)
			return true;
	}
	if ((src->cs_nspans & (src->cs_nspans + 1)) == 0) {
		sp = realloc(src->cs_spans, (2 * src->cs_nspans + 2) *
		    sizeof(*sp));
		if (sp == NULL)
			return false;
		src->cs_spans = sp;
	}
	src->cs_spans[src->cs_nspans++] = (struct confsrc_span){ line, file,
	    fline };
	return true;
}

/* Copy n bytes of file, starting at the start of its line fline (0: on
 * the text's last line, already mapped). */
static void
add_text(struct reader *rd, size_t file, int fline, const char *text,
    size_t n)
{
	struct confsrc *src = rd->rd_src;
	size_t i;

	if (n == 0 || rd->rd_ld->ld_oom)
		return;
	if ((fline > 0 && !add_span(src, file, fline)) || !text_room(src, n)) {
		rd->rd_ld->ld_oom = true;
		return;
	}
	memcpy(src->cs_text + src->cs_len, text, n);
	src->cs_len += n;
	src->cs_text[src->cs_len] = '\0';
	for (i = 0; i < n; i++)
		src->cs_lines += text[i] == '\n';
}

/* Remember one more file's name; its index, or -1 when out of memory. */
static long
add_file(struct confsrc *src, const char *path)
{
	char **files;

	files = realloc(src->cs_files, (src->cs_nfiles + 1) * sizeof(*files));
	if (files == NULL)
		return -1;
	src->cs_files = files;
	if ((files[src->cs_nfiles] = strdup(path)) == NULL)
		return -1;
	return (long)src->cs_nfiles++;
}

/* ------------------------------------------------------------ one file */

/* Report a problem with the file path as a whole: as the main file's
 * (at 0), or at the include line at, naming it. */
static void
file_problem(struct reader *rd, int at, const char *path, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
file_problem(struct reader *rd, int at, const char *path, const char *fmt,
    ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->rd_failed = true;
	if (at == 0)
		confval_problem(rd->rd_ld, 0, "%s", msg);
	else
		confval_problem(rd->rd_ld, at, "included file %s: %s", path,
		    msg);
}

/* Open path and check it; the open file, or NULL after a report. */
static FILE *
open_checked(struct reader *rd, const char *path, int at, struct stat *st)
{
	char why[PATH_MAX + 128];
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		file_problem(rd, at, path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), st) < 0 || !S_ISREG(st->st_mode))
		file_problem(rd, at, path, "not a regular file");
	else if (confperm_check(path, st, why, sizeof(why)) < 0)
		file_problem(rd, at, path, "%s", why);
	else if ((unsigned long long)st->st_size > CONF_MAX_BYTES)
		file_problem(rd, at, path, "file is larger than %u bytes",
		    CONF_MAX_BYTES);
	else if ((unsigned long long)st->st_size + rd->rd_bytes >
	    CONF_MAX_BYTES)
		file_problem(rd, at, path, "the policy with its included "
		    "files would be larger than %u bytes", CONF_MAX_BYTES);
	else
		return fp;
	fclose(fp);
	return NULL;
}

/* The whole of path, NUL-terminated (*len bytes before the NUL), or NULL
 * after a report. */
static char *
read_checked(struct reader *rd, const char *path, int at, size_t *len,
    struct stat *st)
{
	char *buf;
	FILE *fp;

	if ((fp = open_checked(rd, path, at, st)) == NULL)
		return NULL;
	if ((buf = malloc((size_t)st->st_size + 1)) == NULL) {
		rd->rd_ld->ld_oom = true;
		fclose(fp);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)st->st_size, fp);
	if (ferror(fp) || *len != (size_t)st->st_size) {
		file_problem(rd, at, path, "cannot read: %s", ferror(fp) ?
		    strerror(errno) : "file changed while being read");
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[*len] = '\0';
	rd->rd_bytes += *len;
	fclose(fp);
	return buf;
}

/* Is the file st one of those being read (an include loop)? */
static bool
being_read(const struct reader *rd, const struct stat *st)
{
	int i;

	for (i = 0; i < rd->rd_depth; i++)
		if (rd->rd_dev[i] == st->st_dev && rd->rd_ino[i] == st->st_ino)
			return true;
	return false;
}

/* ------------------------------------------------------------ includes */

/*
 * The file name of an include line (len bytes, comments blanked): after
 * "include", blanks, one double-quoted name without backslash or control
 * byte, then only blanks.  Copies it into name; false if the line is not
 * so.
 */
static bool
include_name(const char *line, size_t len, char *name, size_t size)
{
	const char *p = line, *end = line + len, *q;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	p += sizeof("include") - 1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p++ != '"')
		return false;
	for (q = p; q < end && *q != '"'; q++)
		if (*q == '\\' || ascii_iscntrl((unsigned char)*q))
			return false;
	if (q >= end || q == p || (size_t)(q - p) >= size)
		return false;
	memcpy(name, p, (size_t)(q - p));
	name[q - p] = '\0';
	for (q++; q < end; q++)
		if (*q != ' ' && *q != '\t' && *q != '\r')
			return false;
	return true;
}

/* name as seen from the file from: relative to its directory.  False if
 * too long. */
static bool
include_path(const char *from, const char *name, char *out, size_t size)
{
	const char *slash = strrchr(from, '/');
	int n;

	if (name[0] == '/' || slash == NULL)
		n = snprintf(out, size, "%s", name);
	else
		n = snprintf(out, size, "%.*s/%s", (int)(slash - from), from,
		    name);
	return n >= 0 && (size_t)n < size;
}

static int
glob_error(const char *path, int err)
{
	snprintf(tl_globerr.ge_path, sizeof(tl_globerr.ge_path), "%s", path);
	tl_globerr.ge_errno = err;
	return 1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expand the pattern and include each match, in byte order of names. */
static void
include_glob(struct reader *rd, const char *pattern, int at)
{
	glob_t g = { 0 };
	size_t i;
	int rc;

	tl_globerr.ge_path[0] = '\0';
	rc = glob(pattern, GLOB_ERR | GLOB_NOSORT | GLOB_NOESCAPE, glob_error,
	    &g);
	if (rc == GLOB_NOMATCH) {
		rd->rd_failed = true;
		confval_problem(rd->rd_ld, at, "include \"%s\" matches no file "
		    "(a policy must not silently lose rules: add a file or "
		    "remove the include)", pattern);
	} else if (rc == GLOB_ABORTED) {
		rd->rd_failed = true;
		confval_problem(rd->rd_ld, at, "include \"%s\": cannot read "
		    "directory %s: %s", pattern, tl_globerr.ge_path[0] ?
		    tl_globerr.ge_path : "(unknown)",
		    strerror(tl_globerr.ge_errno));
	} else if (rc != 0) {
		rd->rd_ld->ld_oom = true;
	} else {
		qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv), name_cmp);
		for (i = 0; i < g.gl_pathc && !rd->rd_ld->ld_oom; i++)
			include_file(rd, g.gl_pathv[i], at);
	}
	globfree(&g);		/* glob() set it up whatever it returned */
}

/* One include line of file (text line, len bytes), at line at of the
 * text. */
static void
include_line(struct reader *rd, size_t file, int at, const char *line,
    size_t len)
{
	char name[PATH_MAX], path[PATH_MAX];

	if (!include_name(line, len, name, sizeof(name))) {
		rd->rd_failed = true;
		confval_problem(rd->rd_ld, at, "include must be followed by "
		    "one file name in double quotes, without backslashes, "
		    "alone on its line: include \"PATH\"");
	} else if (!include_path(rd->rd_src->cs_files[file], name, path,
	    sizeof(path))) {
		rd->rd_failed = true;
		confval_problem(rd->rd_ld, at, "include \"%s\": file name too "
		    "long", name);
	} else if (strpbrk(path, "*?[") != NULL) {
		include_glob(rd, path, at);
	} else {
		include_file(rd, path, at);
	}
}

/*
 * Copy the text of file (buf, len bytes, comments blanked) with its
 * include lines (ct) replaced by what they include.
 */
static void
expand(struct reader *rd, size_t file, const char *buf, size_t len,
    const struct cfgtext *ct)
{
	size_t pos = 0, start, end, i;
	const char *nl;
	int fline = 1, l;

	for (i = 0; i < ct->ct_nincludes && !rd->rd_ld->ld_oom; i++) {
		for (start = pos, l = fline; l < ct->ct_includes[i]; l++)
			start = (size_t)((const char *)memchr(buf + start,
			    '\n', len - start) - buf) + 1;
		nl = memchr(buf + start, '\n', len - start);
		end = nl != NULL ? (size_t)(nl - buf) : len;
		add_text(rd, file, fline, buf + pos, start - pos);
		add_text(rd, file, l, "\n", 1);		/* the include line */
		include_line(rd, file, rd->rd_src->cs_lines, buf + start,
		    end - start);
		pos = end < len ? end + 1 : len;
		fline = l + 1;
	}
	add_text(rd, file, fline, buf + pos, len - pos);
	if (len > pos && buf[len - 1] != '\n')
		add_text(rd, file, 0, "\n", 1);	/* ends its last line */
}

/* The file with problems in its comments or quotes: copied as it is, the
 * problems reported at its lines. */
static void
copy_broken(struct reader *rd, size_t file, const char *buf, size_t len,
    const struct cfgtext *ct)
{
	int first = rd->rd_src->cs_lines + 1;
	size_t i;

	rd->rd_failed = true;
	add_text(rd, file, 1, buf, len);
	if (len > 0 && buf[len - 1] != '\n')
		add_text(rd, file, 0, "\n", 1);
	for (i = 0; i < ct->ct_nerrors; i++)
		confval_problem(rd->rd_ld, first + ct->ct_errors[i].ce_line - 1,
		    "%s", ct->ct_errors[i].ce_msg);
	if (ct->ct_nerrors == 0)
		rd->rd_ld->ld_oom = true;
}

/* A main file without includes is the text itself: no copy of a large
 * policy.  Returns NULL (buf is taken). */
static char *
adopt(struct reader *rd, size_t file, char *buf, size_t len)
{
	struct confsrc *src = rd->rd_src;
	size_t i;

	if (!add_span(src, file, 1)) {
		rd->rd_ld->ld_oom = true;
		return buf;
	}
	src->cs_text = buf;
	src->cs_len = len;
	src->cs_size = len + 1;
	for (i = 0; i < len; i++)
		src->cs_lines += buf[i] == '\n';
	return NULL;
}

/* Read path (included at line at of the text; 0: the main file), blank
 * its comments and copy it in, includes expanded. */
static void
include_file(struct reader *rd, const char *path, int at)
{
	struct cfgtext ct;
	struct stat st;
	size_t len = 0;
	char *buf;
	long file;

	if (rd->rd_depth > CONFSRC_MAX_DEPTH) {
		file_problem(rd, at, path, "includes nest more than %d deep",
		    CONFSRC_MAX_DEPTH);
		return;
	}
	if ((buf = read_checked(rd, path, at, &len, &st)) == NULL)
		return;
	if (being_read(rd, &st)) {
		file_problem(rd, at, path, "it is already being read (an "
		    "include loop)");
		free(buf);
		return;
	}
	if ((file = add_file(rd->rd_src, path)) < 0) {
		rd->rd_ld->ld_oom = true;
		free(buf);
		return;
	}
	rd->rd_dev[rd->rd_depth] = st.st_dev;
	rd->rd_ino[rd->rd_depth++] = st.st_ino;
	if (cfgtext_prepare(buf, len, &ct) < 0)
		copy_broken(rd, (size_t)file, buf, len, &ct);
	else if (at == 0 && ct.ct_nincludes == 0)
		buf = adopt(rd, (size_t)file, buf, len);
	else
		expand(rd, (size_t)file, buf, len, &ct);
	rd->rd_depth--;
	cfgtext_free(&ct);
	free(buf);
}

/* ------------------------------------------------------------ exported */

/*
 * confsrc_load - see confsrc.h.
 */
int
confsrc_load(struct confsrc *src, struct confval_loader *ld)
{
	struct reader rd = { .rd_src = src, .rd_ld = ld };

	memset(src, 0, sizeof(*src));
	ld->ld_src = src;
	include_file(&rd, ld->ld_path, 0);
	if (!ld->ld_oom && src->cs_text == NULL && !text_room(src, 0))
		ld->ld_oom = true;		/* an empty file: "" */
	return rd.rd_failed || ld->ld_oom || src->cs_nfiles == 0 ? -1 : 0;
}

/*
 * confsrc_where - see confsrc.h.
 */
void
confsrc_where(const struct confsrc *src, int line, const char **path,
    int *fline)
{
	size_t lo = 0, hi = src->cs_nspans, mid;
	const struct confsrc_span *sp;

	while (hi - lo > 1) {		/* the last span starting <= line */
		mid = lo + (hi - lo) / 2;
		if (src->cs_spans[mid].sp_line <= line)
			lo = mid;
		else
			hi = mid;
	}
	if (src->cs_nspans == 0 || src->cs_spans[lo].sp_line > line)
		return;
	sp = &src->cs_spans[lo];
	*path = src->cs_files[sp->sp_file];
	*fline = sp->sp_fline + (line - sp->sp_line);
}

/*
 * confsrc_free_text - see confsrc.h.
 */
void
confsrc_free_text(struct confsrc *src)
{
	free(src->cs_text);
	src->cs_text = NULL;
	src->cs_len = src->cs_size = 0;
}

/*
 * confsrc_free - see confsrc.h.
 */
void
confsrc_free(struct confsrc *src)
{
	size_t i;

	if (src == NULL)
		return;
	confsrc_free_text(src);
	for (i = 0; i < src->cs_nfiles; i++)
		free(src->cs_files[i]);
	free(src->cs_files);
	free(src->cs_spans);
	memset(src, 0, sizeof(*src));
}
