/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_logread.c - libFuzzer target: splitting a log line
 * (logread_split), on any bytes: what tls-policy-report does with every
 * line of a syslog file or of journalctl -o json output, which clients
 * and other programs may have written into.
 *
 * Input: the line (a NUL ends it early), also read as the MESSAGE of
 * the milter's entry.  Properties checked besides "no crash":
 *   - the line is a decision, another line of the milter's, another
 *     program's, or skipped with a reason; a decision's parts are set;
 *   - a MESSAGE without control bytes (what a syslog line carries)
 *     reads alike after "tls-policy-milter: " and as the MESSAGE of a
 *     journal entry, written as a JSON string, as a string of \u
 *     escapes only, and as an array of byte values: the same kind, the
 *     same queue id, action and fields, the same reason to skip it.
 */
#include "fuzz.h"

#include "logread.h"

#define MAXIN	LOGREAD_MAX	/* fuzz/run's -max_len */

/* What a line was split into, copied (the line's buffer is reused). */
struct split {
	enum logread_kind	sp_kind;
	char			sp_queue[MAXIN + 1], sp_fields[MAXIN + 1];
	const char		*sp_action, *sp_why;
};

static void
split(char *line, struct split *sp)
{
	struct logline ll;

	memset(&ll, 0, sizeof(ll));
	sp->sp_kind = logread_split(line, &ll);
	sp->sp_queue[0] = sp->sp_fields[0] = '\0';
	sp->sp_action = sp->sp_why = NULL;
	FUZZ_CHECK(sp->sp_kind == LR_DECISION || sp->sp_kind == LR_MILTER ||
	    sp->sp_kind == LR_FOREIGN || sp->sp_kind == LR_SKIPPED,
	    "kind %d for: %s", (int)sp->sp_kind, line);
	if (sp->sp_kind == LR_SKIPPED) {
		FUZZ_CHECK(ll.ll_why != NULL, "skipped without a reason: %s",
		    line);
		sp->sp_why = ll.ll_why;
	}
	if (sp->sp_kind != LR_DECISION)
		return;
	FUZZ_CHECK(ll.ll_queue != NULL && ll.ll_action != NULL &&
	    ll.ll_fields != NULL && ll.ll_time != NULL && ll.ll_host != NULL,
	    "a decision not split whole: %s", line);
	snprintf(sp->sp_queue, sizeof(sp->sp_queue), "%s", ll.ll_queue);
	snprintf(sp->sp_fields, sizeof(sp->sp_fields), "%s", ll.ll_fields);
	sp->sp_action = ll.ll_action;
}

/* Do a and b say the same of the message? */
static void
same(const struct split *a, const struct split *b, const char *how,
    const char *msg)
{
	FUZZ_CHECK(a->sp_kind == b->sp_kind, "kind %d, %s %d: %s",
	    (int)a->sp_kind, how, (int)b->sp_kind, msg);
	FUZZ_CHECK(strcmp(a->sp_queue, b->sp_queue) == 0 &&
	    strcmp(a->sp_fields, b->sp_fields) == 0 &&
	    (a->sp_action == NULL) == (b->sp_action == NULL) &&
	    (a->sp_action == NULL || strcmp(a->sp_action, b->sp_action) == 0),
	    "a decision read otherwise %s: %s", how, msg);
	FUZZ_CHECK((a->sp_why == NULL) == (b->sp_why == NULL) &&
	    (a->sp_why == NULL || strcmp(a->sp_why, b->sp_why) == 0),
	    "skipped for \"%s\", %s for \"%s\": %s",
	    a->sp_why ? a->sp_why : "-", how, b->sp_why ? b->sp_why : "-", msg);
}

/* The journal entry with MESSAGE msg, in one of three JSON forms:
 * 0 a string, escaping only what must be, 1 a string of \u escapes
 * (bytes of 0x80 or more raw), 2 an array of byte values. */
static void
entry(char *out, size_t len, const char *msg, size_t n, int form)
{
	size_t i, o;

	o = (size_t)snprintf(out, len, "{\"_HOSTNAME\":\"mx\","
	    "\"SYSLOG_IDENTIFIER\":\"tls-policy-milter\",\"MESSAGE\":%s",
	    form == 2 ? "[" : "\"");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)msg[i];

		if (form == 2)
			o += (size_t)snprintf(out + o, len - o, "%s%u",
			    i ? "," : "", c);
		else if (form == 1 && c < 0x80)
			o += (size_t)snprintf(out + o, len - o, "\\u%04X", c);
		else if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, len - o, "\\%c", c);
		else
			out[o++] = (char)c;
	}
	snprintf(out + o, len - o, "%s,\"__REALTIME_TIMESTAMP\":\"1\"}",
	    form == 2 ? "]" : "\"");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[MAXIN + 64], msg[MAXIN + 1], json[6 * MAXIN + 256];
	static struct split text, other;
	static const char *const forms[] = { "as a JSON string",
		"as \\u escapes", "as byte values" };
	size_t n, i;
	int f;

	if (size > MAXIN)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	n = strlen(line);
	split(line, &other);		/* any line */

	/* The same MESSAGE, in a syslog line and in journal entries. */
	memcpy(msg, data, n);
	msg[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			return 0;	/* no syslog line carries them */
	if (n == 0 || msg[0] == ' ')
		return 0;		/* the blanks after the tag go */
	snprintf(line, sizeof(line), "tls-policy-milter: %s", msg);
	split(line, &text);
	for (f = 0; f < 3; f++) {
		entry(json, sizeof(json), msg, n, f);
		split(json, &other);
		same(&text, &other, forms[f], msg);
	}
	return 0;
}
