/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confwarn.h - what a policy may say but almost surely does not mean:
 * the warnings of the loader (confval_warning()).  Internal to it.
 */
#ifndef CONFWARN_H
#define CONFWARN_H

#include <stddef.h>

#include "confval.h"
#include "rule.h"

/*
 * confwarn_cipher - warn when the exclude_ciphers pattern text (on line)
 * has no wildcard and is no cipher name an MTA reports: it excludes
 * nothing.  Suggests "*TEXT*" when that would match a cipher.
 */
void confwarn_cipher(struct confval_loader *ld, int line, const char *text);

/*
 * One list of a rule as compiled, for confwarn_dups(): cl_n entries of
 * cl_size bytes at cl_v, in the order written; entry i came from the
 * value cl_cvs[i].  cl_cmp orders two entries, 0 when they are the same
 * once normalised.
 */
struct confwarn_list {
	const char	*cl_rule;
	const char	*cl_key;
	const void	*cl_v;
	size_t		cl_n;
	size_t		cl_size;
	int		(*cl_cmp)(const void *, const void *);
	const struct cval *const *cl_cvs;
};

/*
 * confwarn_dups - warn about each entry of the list that repeats an
 * earlier one, at the repeat's line (n log n).
 */
void confwarn_dups(struct confval_loader *ld, const struct confwarn_list *l);

/* Comparisons for confwarn_list's cl_cmp, by what the entries are. */
int confwarn_cmp_str(const void *a, const void *b);	/* const char * */
int confwarn_cmp_strcase(const void *a, const void *b);	/* any case */
int confwarn_cmp_net(const void *a, const void *b);	/* struct cidr */
int confwarn_cmp_addr(const void *a, const void *b);	/* struct addrpat */
int confwarn_cmp_port(const void *a, const void *b);	/* uint16_t */
int confwarn_cmp_fp(const void *a, const void *b);	/* struct certfp */

/*
 * confwarn_shadowed - warn about each of the n rules that can never
 * apply because one above it with exactly the same selectors (as
 * compiled: the same set of entries in each list) always decides
 * first.  A rule with action "monitor" decides nothing (in mode
 * enforce), so it shadows nothing, whatever the mode.
 */
void confwarn_shadowed(struct confval_loader *ld, const struct rule *rules,
    size_t n);

#endif
