/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * query.c - offline questions to the policy, answered by the same code
 * that judges live sessions: the words are turned into "macros" and go
 * through the session model exactly as the MTA's would.  One question
 * from the command line (query_run()), or one a line from a stream
 * (query_stream()), the policy loaded once.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "query.h"
#include "selector.h"

#define EX_USAGE 64

/*
 * The keys: each selector's (selector.h), then each TLS macro's
 * (session.h), then "mta".  A value is handed to the session as the MTA
 * macro its key stands for, or as the argument of a command ("" macro).
 */
#define TLS_KEY(name) #name,
static const char *const tls_keys[] = { SESSION_TLS_MACROS(TLS_KEY) };
#undef TLS_KEY
#define NTLS	(sizeof(tls_keys) / sizeof(tls_keys[0]))
#define K_MTA	(SEL_N + NTLS)
#define NKEYS	(K_MTA + 1)

/* The index of a TLS key, by its name. */
#define K_TLS(name) (SEL_N + tls_index(name))

/*
 * The words of one question, by key index; NULL when left out.  The
 * recipients (there may be several) are q_rcpts[0..q_nrcpts-1]; q_value
 * of SEL_RECIPIENT is the first.  The strings are the caller's words.
 */
struct query {
	const char	*q_value[NKEYS];
	const char	**q_rcpts;
	size_t		q_nrcpts;
	size_t		q_size;
};

/* Where a question comes from, for its messages: a line of the stream, or
 * the command line (qc_line 0). */
struct qctx {
	FILE		*qc_err;
	unsigned long	qc_line;
};

static void say(const struct qctx *qc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "tls-policy-milter: -q: [line N: ]message" on the error stream. */
static void
say(const struct qctx *qc, const char *fmt, ...)
{
	va_list ap;

	if (qc->qc_line > 0)
		fprintf(qc->qc_err, "tls-policy-milter: -q: line %lu: ",
		    qc->qc_line);
	else
		fprintf(qc->qc_err, "tls-policy-milter: -q: ");
	va_start(ap, fmt);
	vfprintf(qc->qc_err, fmt, ap);
	va_end(ap);
	fputc('\n', qc->qc_err);
}

/* The key of index i, or NULL (a selector -q derives). */
static const char *
key_name(size_t i)
{
	if (i < SEL_N)
		return selectors[i].se_query;
	return i < K_MTA ? tls_keys[i - SEL_N] : "mta";
}

static int
key_index(const char *key, size_t keylen)
{
	const char *k;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if ((k = key_name(i)) != NULL && strncmp(k, key, keylen) == 0 &&
		    k[keylen] == '\0')
			return (int)i;
	return -1;
}

/* The index of TLS key name in tls_keys. */
static size_t
tls_index(const char *name)
{
	size_t i;

	for (i = 0; i < NTLS; i++)
		if (strcmp(tls_keys[i], name) == 0)
			break;
	return i;
}

/* The value given for selector id's key, or NULL. */
static const char *
sel_value(const struct query *q, enum sel id)
{
	return q->q_value[id];
}

/* session_lookup_fn over the words: "{NAME}" is a selector's macro or a
 * TLS macro. */
static const char *
lookup(void *ctx, const char *macro)
{
	const struct query *q = ctx;
	size_t i, n = strlen(macro);

	for (i = 0; i < SEL_N; i++)
		if (strcmp(selectors[i].se_macro, macro) == 0)
			return q->q_value[i];
	for (i = 0; i < NTLS; i++)
		if (n == strlen(tls_keys[i]) + 2 && macro[0] == '{' &&
		    strncmp(macro + 1, tls_keys[i], n - 2) == 0)
			return q->q_value[SEL_N + i];
	return NULL;
}

/*
 * query_keys - see query.h.
 */
void
query_keys(void (*fn)(void *arg, const char *key), void *arg)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (key_name(i) != NULL)
			fn(arg, key_name(i));
}

/* Append ", KEY" to the buffer arg (a struct keybuf). */
struct keybuf {
	char	kb_buf[512];
	size_t	kb_len;
};

static void
add_key(void *arg, const char *key)
{
	struct keybuf *kb = arg;
	int n;

	n = snprintf(kb->kb_buf + kb->kb_len, sizeof(kb->kb_buf) - kb->kb_len,
	    "%s%s", kb->kb_len > 0 ? " " : "", key);
	if (n > 0 && (size_t)n < sizeof(kb->kb_buf) - kb->kb_len)
		kb->kb_len += (size_t)n;
}

/* One more recipient; false when out of memory (said). */
static bool
add_rcpt(struct query *q, const char *rcpt, const struct qctx *qc)
{
	const char **a;
	size_t size;

	if (q->q_nrcpts == q->q_size) {
		size = q->q_size ? 2 * q->q_size : 8;
		if ((a = realloc(q->q_rcpts, size * sizeof(*a))) == NULL) {
			say(qc, "out of memory");
			return false;
		}
		q->q_rcpts = a;
		q->q_size = size;
	}
	q->q_rcpts[q->q_nrcpts++] = rcpt;
	if (q->q_value[SEL_RECIPIENT] == NULL)
		q->q_value[SEL_RECIPIENT] = rcpt;
	return true;
}

/* The words into *q (its recipients' array kept for reuse). */
static int
parse_words(struct query *q, int argc, char **argv, const struct qctx *qc)
{
	struct keybuf kb = { .kb_len = 0 };
	const char *eq;
	int i, k;

	memset(q->q_value, 0, sizeof(q->q_value));
	q->q_nrcpts = 0;
	for (i = 0; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL ||
		    (k = key_index(argv[i], (size_t)(eq - argv[i]))) < 0) {
			query_keys(add_key, &kb);
			say(qc, "\"%s\" is not KEY=VALUE with a known key "
			    "(%s)", argv[i], kb.kb_buf);
			return -1;
		}
		if (k == SEL_RECIPIENT) {
			if (!add_rcpt(q, eq + 1, qc))
				return -1;
			continue;
		}
		if (q->q_value[k] != NULL) {
			say(qc, "%s is given twice", key_name((size_t)k));
			return -1;
		}
		q->q_value[k] = eq + 1;
	}
	return 0;
}

/* A decimal number of at most digits digits, within [min, max]? */
static bool
decimal_ok(const char *s, size_t digits, long min, long max)
{
	long n = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9' && i < digits; i++)
		n = n * 10 + (s[i] - '0');
	return i > 0 && s[i] == '\0' && n >= min && n <= max;
}

/*
 * Refuse what no MTA could send: a client or listener address that is
 * no IP address, a port outside 1..65535, a cipher_bits that is not a
 * number.  Any other text may come from an MTA (the daemon fails closed
 * on what it cannot read).  An empty value is an empty macro: allowed.
 */
static int
check_values(const struct query *q, enum session_mta *mta,
    const struct policy *p, const struct qctx *qc)
{
	const char *v;
	struct ipaddr ip;

	if ((v = q->q_value[SEL_CLIENT_ADDR]) != NULL && *v != '\0' &&
	    ipaddr_parse(v, &ip) < 0)
		say(qc, "client_addr: \"%s\" is not an IP address", v);
	else if ((v = q->q_value[SEL_LISTENER_ADDR]) != NULL && *v != '\0' &&
	    ipaddr_parse(v, &ip) < 0)
		say(qc, "listener_addr: \"%s\" is not an IP address", v);
	else if ((v = q->q_value[SEL_LISTENER_PORT]) != NULL && *v != '\0' &&
	    !decimal_ok(v, 5, 1, 65535))
		say(qc, "listener_port: \"%s\" is not a port number (1 to "
		    "65535)", v);
	else if ((v = q->q_value[K_TLS("cipher_bits")]) != NULL &&
	    *v != '\0' && !decimal_ok(v, 5, 0, 99999))
		say(qc, "cipher_bits: \"%s\" is not a number", v);
	else if ((v = q->q_value[K_MTA]) != NULL &&
	    session_mta_parse(v, mta) < 0)
		say(qc, "mta: \"%s\" is not auto, postfix or sendmail", v);
	else {
		if (v == NULL)
			*mta = policy_mta(p);
		return 0;
	}
	return -1;
}

/* Fill the session as the daemon would at MAIL. */
static void
build_session(const struct query *q, enum session_mta mta, struct session *s)
{
	const char *tls = lookup((void *)q, "{tls_version}");

	session_init(s);
	session_set_client(s, sel_value(q, SEL_CLIENT_ADDR),
	    sel_value(q, SEL_CLIENT_NAME), NULL);
	session_set_listener(s, lookup, (void *)q);
	session_set_helo(s, sel_value(q, SEL_HELO), tls != NULL &&
	    *tls != '\0');
	session_set_tls(s, lookup, (void *)q, mta, true);
	session_set_sender(s, sel_value(q, SEL_SENDER),
	    sel_value(q, SEL_AUTHENTICATED), NULL);
}

/*
 * Print the lines of one verdict: what monitor rules would have done,
 * then the verdict itself.  Returns 1 when it refuses, else 0.
 */
static int
print_verdict(FILE *out, const char *stage, const struct session *s,
    const char *to, const struct mailaddr *rcpt, const struct verdict *v)
{
	static char line[DECISION_BUFSIZE];
	struct session_text rcpt_text, *rt = NULL;
	struct verdict note;
	unsigned i;

	if (stage[0] == 'r') {
		session_text_set(&rcpt_text, to);
		rt = &rcpt_text;
	} else {
		rcpt = NULL;
	}
	for (i = 0; i < v->vd_nnotes; i++) {
		verdict_note(v, i, &note);
		fprintf(out, "monitor %s\n", decision_format(line,
		    sizeof(line), stage, s, rcpt, rt, &note));
	}
	fprintf(out, "%s %s\n", v->vd_monitor ? "accept" :
	    verdict_name(v->vd_kind), decision_format(line, sizeof(line),
	    stage, s, rcpt, rt, v));
	return !v->vd_monitor && (v->vd_kind == VERDICT_REJECT ||
	    v->vd_kind == VERDICT_TEMPFAIL);
}

/*
 * Judge one question: at MAIL, then, when that depends on the recipient,
 * each recipient in turn.  Returns 0 when every line printed is an
 * accept, 1 when one refuses, EX_USAGE after saying what is wrong.
 */
static int
judge(const struct policy *p, struct query *q, FILE *out,
    const struct qctx *qc)
{
	enum session_mta mta;
	struct mailaddr rcpt;
	struct session s;
	struct verdict v;
	size_t i;
	int refused = 0;

	if (check_values(q, &mta, p, qc) < 0)
		return EX_USAGE;
	build_session(q, mta, &s);
	policy_eval(p, &s, NULL, &v);
	if (v.vd_kind != VERDICT_DEFER)
		return print_verdict(out, "mail", &s, NULL, NULL, &v);
	if (q->q_nrcpts == 0) {
		say(qc, "the decision depends on the recipient, and none "
		    "was given");
		(void)mailaddr_parse(NULL, &rcpt);
		policy_eval(p, &s, &rcpt, &v);
		return print_verdict(out, "rcpt", &s, NULL, &rcpt, &v);
	}
	for (i = 0; i < q->q_nrcpts; i++) {
		(void)mailaddr_parse(q->q_rcpts[i], &rcpt);
		policy_eval(p, &s, &rcpt, &v);
		refused |= print_verdict(out, "rcpt", &s, q->q_rcpts[i], &rcpt,
		    &v);
	}
	return refused;
}

/*
 * query_run - see query.h.
 */
int
query_run(const struct policy *p, int argc, char **argv, FILE *out,
    FILE *err)
{
	struct qctx qc = { err, 0 };
	struct query q = { .q_rcpts = NULL };
	int rc;

	rc = parse_words(&q, argc, argv, &qc) < 0 ? EX_USAGE :
	    judge(p, &q, out, &qc);
	free(q.q_rcpts);
	return rc;
}

/* The words of one line of a stream, split in place. */
struct words {
	char	**w_v;
	size_t	w_n;
	size_t	w_size;
};

/*
 * Split line into words at blanks (spaces, tabs), in place.  A double
 * quote opens a part that may hold blanks, up to the next unescaped one;
 * inside it a backslash takes the next byte as it is.  Returns 0, or -1
 * after saying why (an unclosed quote, out of memory).
 */
static int
split_words(char *line, struct words *w, const struct qctx *qc)
{
	char *r = line, *d, **a;
	bool quoted;

	w->w_n = 0;
	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (*r == '\0' || *r == '\n')
			return 0;
		if (w->w_n == w->w_size) {
			if ((a = realloc(w->w_v, (2 * w->w_size + 16) *
			    sizeof(*a))) == NULL) {
				say(qc, "out of memory");
				return -1;
			}
			w->w_v = a;
			w->w_size = 2 * w->w_size + 16;
		}
		w->w_v[w->w_n++] = d = r;
		for (quoted = false; *r != '\0' && *r != '\n' &&
		    (quoted || (*r != ' ' && *r != '\t')); r++) {
			if (*r == '"')
				quoted = !quoted;
			else if (quoted && *r == '\\' && r[1] != '\0' &&
			    r[1] != '\n')
				*d++ = *++r;
			else
				*d++ = *r;
		}
		if (quoted) {
			say(qc, "a '\"' is never closed");
			return -1;
		}
		if (*r == ' ' || *r == '\t')
			r++;	/* past the blank that ends the word */
		*d = '\0';
	}
}

/*
 * query_stream - see query.h.
 */
int
query_stream(const struct policy *p, FILE *in, FILE *out, FILE *err)
{
	struct qctx qc = { err, 0 };
	struct query q = { .q_rcpts = NULL };
	struct words w = { NULL, 0, 0 };
	char *line = NULL;
	size_t size = 0;
	int rc, bad = 0, refused = 0;

	while (getline(&line, &size, in) != -1) {
		qc.qc_line++;
		if (split_words(line, &w, &qc) < 0 ||
		    parse_words(&q, (int)w.w_n, w.w_v, &qc) < 0) {
			bad = 1;
			continue;
		}
		if (w.w_n == 0)
			continue;	/* a blank line asks nothing */
		if ((rc = judge(p, &q, out, &qc)) == EX_USAGE)
			bad = 1;
		else
			refused |= rc;
	}
	if (ferror(in)) {
		fprintf(err, "tls-policy-milter: -q: cannot read the "
		    "standard input\n");
		bad = 1;
	}
	free(line);
	free(w.w_v);
	free(q.q_rcpts);
	return bad ? EX_USAGE : refused;
}
