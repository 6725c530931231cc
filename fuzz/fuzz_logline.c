/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_logline.c - libFuzzer target: reading a decision line back
 * (decision_parse, decision_restore), on any bytes: what
 * tls-policy-report does with every line of a log a client may have
 * written into.
 *
 * Input: the line (a NUL ends it early).  Properties checked besides "no
 * crash": a refusal comes with a reason; a line read back and restored
 * is written again (decision_format()) as a line that is read back and
 * restored to the same session, so that it writes the same line once
 * more (a fixed point after one round: what is read is what is written).
 */
#include "fuzz.h"

#include "decision.h"

/* The line of session s at the stage the record says, as written. */
static void
rewrite(char *buf, size_t len, const struct decision_rec *d,
    const struct session *s, const struct mailaddr *rcpt, bool has_rcpt)
{
	struct session_text rt;
	struct verdict v;

	memset(&v, 0, sizeof(v));
	v.vd_kind = VERDICT_ACCEPT;
	v.vd_rule = "r";
	snprintf(v.vd_reason, sizeof(v.vd_reason), "%s",
	    d->dr_value[DF_REASON]);
	session_text_set(&rt, d->dr_value[DF_TO]);
	rt.st_cut = rt.st_present && d->dr_cut[DF_TO];
	decision_format(buf, len, has_rcpt ? "rcpt" : "mail", s,
	    has_rcpt ? rcpt : NULL, has_rcpt ? &rt : NULL, &v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[DECISION_BUFSIZE], once[DECISION_BUFSIZE],
	    twice[DECISION_BUFSIZE];
	static struct decision_rec d, d2;
	struct mailaddr rcpt, rcpt2;
	struct session s, s2;
	const char *why = NULL;
	bool has_rcpt, has_rcpt2;

	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (decision_parse(line, &d, &why) < 0) {
		FUZZ_CHECK(why != NULL, "refused without a reason: %s", line);
		return 0;
	}
	if (decision_restore(&d, &s, &rcpt, &has_rcpt, &why) < 0) {
		FUZZ_CHECK(why != NULL, "not restored, no reason: %s", line);
		return 0;
	}
	rewrite(once, sizeof(once), &d, &s, &rcpt, has_rcpt);
	FUZZ_CHECK(decision_parse(once, &d2, &why) == 0 &&
	    decision_restore(&d2, &s2, &rcpt2, &has_rcpt2, &why) == 0,
	    "its own line not read back (%s): %s", why, once);
	rewrite(twice, sizeof(twice), &d2, &s2, &rcpt2, has_rcpt2);
	FUZZ_CHECK(strcmp(once, twice) == 0, "read back otherwise:\n%s\n%s",
	    once, twice);
	return 0;
}
