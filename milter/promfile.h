/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * promfile.h - the daemon's counters in the Prometheus text exposition
 * format, written to a file that is replaced whole (for node_exporter's
 * textfile collector; the daemon listens on no HTTP port).
 */
#ifndef PROMFILE_H
#define PROMFILE_H

#include <stdio.h>

#include "policy.h"
#include "stats.h"

/*
 * promfile_format - write the counters sc, and the per-rule counters rs
 * of policy p (the rules with any count), to fp as Prometheus text: each
 * metric with its # HELP and # TYPE lines, label values escaped.  rs and
 * p may be NULL (no per-rule metrics).  Returns 0, or -1 when fp reports
 * a write error.
 */
int promfile_format(FILE *fp, const struct stats_counts *sc,
    const struct rulestats *rs, const struct policy *p);

/*
 * promfile_write - promfile_format() into path.tmp.PID (created anew,
 * mode 0644, never through a symbolic link), renamed over path: a reader
 * sees the old file or the new one, never a part.  Returns 0, or -1 with
 * errno set (the temporary file removed).
 */
int promfile_write(const char *path, const struct stats_counts *sc,
    const struct rulestats *rs, const struct policy *p);

#endif
