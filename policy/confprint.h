/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confprint.h - write a loaded policy back as a policy file.
 */
#ifndef CONFPRINT_H
#define CONFPRINT_H

#include <stdio.h>

struct policy;

/*
 * confprint_policy - write p to fp as a policy file, "-n -v": first every
 * top-level setting in force, its default when the file does not set it
 * (a string setting that is not set, and stats_interval without a
 * stats_file, as a comment), then each rule, in order, with the
 * selectors and requirements it gives and its whole outcome, every value
 * as compiled.  Loading the text gives a policy that judges every session
 * alike and prints the same text again.  Returns 0, or -1 when writing
 * failed (ferror(fp)).
 */
int confprint_policy(const struct policy *p, FILE *fp);

/*
 * confprint_string - write s to fp as a double-quoted policy string that
 * reads back as s: the quote and backslash escaped, "$" (lest "${" be
 * read as a variable) and every byte outside printable ASCII as \xHH.
 */
void confprint_string(FILE *fp, const char *s);

#endif
