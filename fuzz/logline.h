/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logline.h - the check the session and evaluator targets make of the
 * log line: decision_format() on any session gives one line of printable
 * ASCII whose key=value fields, read as a log parser would (a value in
 * "..." or <...> runs to its closing quote or bracket, any other to the
 * next blank), are all known keys, each at most once, with format= last:
 * no peer string can end a field early or forge another.
 */
#ifndef LOGLINE_H
#define LOGLINE_H

#include "decision.h"
#include "fuzz.h"

/* The field named by the klen bytes at p (decision.h's DECISION_FIELDS:
 * the writer's own list), or -1. */
static inline int
logline_key(const char *p, size_t klen)
{
	unsigned k;

	for (k = 0; k < DF_N; k++)
		if (strlen(decision_field_name((enum decision_field)k)) ==
		    klen && strncmp(decision_field_name((enum decision_field)k),
		    p, klen) == 0)
			return (int)k;
	return -1;
}

static inline void
logline_check(const char *line)
{
	bool seen[DF_N] = { false };
	const char *p = line, *eq, *end;
	size_t klen;
	bool last = false;
	int k;

	FUZZ_CHECK(strlen(line) < DECISION_BUFSIZE - 1, "line of %zu bytes",
	    strlen(line));
	FUZZ_CHECK(fuzz_printable(line), "unprintable byte in: %s", line);
	while (*p != '\0') {
		FUZZ_CHECK(!last, "a field after format=: %s", line);
		FUZZ_CHECK((eq = strchr(p, '=')) != NULL, "no key at \"%s\" in: "
		    "%s", p, line);
		klen = (size_t)(eq - p);
		k = logline_key(p, klen);
		FUZZ_CHECK(k >= 0, "unknown key \"%.*s\" in: %s", (int)klen, p,
		    line);
		FUZZ_CHECK(!seen[k], "key %.*s twice in: %s", (int)klen, p, line);
		seen[k] = true;
		last = klen == 6 && strncmp(p, "format", 6) == 0;
		if (eq[1] == '"')
			end = strchr(eq + 2, '"');
		else if (eq[1] == '<')
			end = strchr(eq + 2, '>');
		else if (klen == 6 && strncmp(p, "client", 6) == 0)
			end = strchr(eq + 1, ']');
		else
			end = eq + 1 + strcspn(eq + 1, " ") - 1;
		FUZZ_CHECK(end != NULL, "unclosed value of %.*s in: %s",
		    (int)klen, p, line);
		FUZZ_CHECK(end[1] == '\0' || end[1] == ' ', "value of %.*s ends "
		    "early in: %s", (int)klen, p, line);
		p = end + 1;
		if (*p == ' ')
			p++;
	}
	FUZZ_CHECK(last, "format= is not last in: %s", line);
}

#endif
