/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h - the daemon's logging: syslog facility mail, ident
 * tls-policy-milter, optionally mirrored on stderr.
 *
 * Formats are always literals; peer strings go through sanitize() first.
 */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include <syslog.h>

/*
 * log_open - start logging to syslog (facility mail); with to_stderr, also
 * write every message to stderr (foreground mode and tests), unless
 * stderr is /dev/null.
 */
void log_open(bool to_stderr);

/* The longest line logged; longer ones are cut. */
#define LOG_LINE_MAX 4096

/* log_msg - log one line at priority (LOG_ERR, LOG_NOTICE, LOG_INFO, ...). */
void log_msg(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * log_text - log the line as it is (cut at LOG_LINE_MAX - 1 bytes): for a
 * line built by the caller, without a pass through printf.
 */
void log_text(int priority, const char *line);

#endif
