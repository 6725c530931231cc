/*
 * logline.h - the check the session and evaluator targets make of the
 * log line: decision_format() on any session gives one line of printable
 * ASCII whose key=value fields, read as a log parser would (a value in
 * "..." or <...> runs to its closing quote or bracket, any other to the
 * next blank), are all known keys, each at most once, with reason= last:
 * no peer string can end a field early or forge another.
 */
#ifndef LOGLINE_H
#define LOGLINE_H

#include "decision.h"
#include "fuzz.h"

static const char *const logline_keys[] = {
	"would", "rule", "stage", "client", "helo", "from", "to", "tls",
	"cipher", "bits", "verify", "cert", "issuer", "reply", "reason", NULL
};

static inline void
logline_check(const char *line)
{
	bool seen[sizeof(logline_keys) / sizeof(logline_keys[0])] = { false };
	const char *p = line, *eq, *end;
	size_t k, klen;
	bool last = false;

	FUZZ_CHECK(strlen(line) < DECISION_BUFSIZE - 1, "line of %zu bytes",
	    strlen(line));
	FUZZ_CHECK(fuzz_printable(line), "unprintable byte in: %s", line);
	while (*p != '\0') {
		FUZZ_CHECK(!last, "a field after reason=: %s", line);
		FUZZ_CHECK((eq = strchr(p, '=')) != NULL, "no key at \"%s\" in: "
		    "%s", p, line);
		klen = (size_t)(eq - p);
		for (k = 0; logline_keys[k] != NULL; k++)
			if (strlen(logline_keys[k]) == klen &&
			    strncmp(logline_keys[k], p, klen) == 0)
				break;
		FUZZ_CHECK(logline_keys[k] != NULL, "unknown key \"%.*s\" in: %s",
		    (int)klen, p, line);
		FUZZ_CHECK(!seen[k], "key %s twice in: %s", logline_keys[k], line);
		seen[k] = true;
		last = strcmp(logline_keys[k], "reason") == 0;
		if (eq[1] == '"')
			end = strchr(eq + 2, '"');
		else if (eq[1] == '<')
			end = strchr(eq + 2, '>');
		else
			end = eq + 1 + strcspn(eq + 1, " ") - 1;
		FUZZ_CHECK(end != NULL, "unclosed value of %s in: %s",
		    logline_keys[k], line);
		p = end + 1;
		FUZZ_CHECK(*p == '\0' || *p == ' ', "value of %s ends early "
		    "in: %s", logline_keys[k], line);
		if (*p == ' ')
			p++;
	}
	FUZZ_CHECK(last, "reason= is not last in: %s", line);
}

#endif
