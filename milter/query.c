/*
 * query.c - an offline question to the policy, answered by the same code
 * that judges live sessions: the words are turned into "macros" and go
 * through the session model exactly as the MTA's would.
 */
#include <stdbool.h>
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

/* The words, by key index; NULL when left out. */
struct query {
	const char	*q_value[NKEYS];
};

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
		if ((k = key_name(i)) != NULL && strlen(k) == keylen &&
		    strncmp(k, key, keylen) == 0)
			return (int)i;
	return -1;
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

static void
print_key(void *arg, const char *key)
{
	fprintf(arg, " %s", key);
}

static int
parse_words(struct query *q, int argc, char **argv, FILE *err)
{
	const char *eq;
	int i, k;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL ||
		    (k = key_index(argv[i], (size_t)(eq - argv[i]))) < 0) {
			fprintf(err, "tls-policy-milter: -q: \"%s\" is not "
			    "KEY=VALUE with a known key (", argv[i]);
			query_keys(print_key, err);
			fprintf(err, " )\n");
			return -1;
		}
		if (q->q_value[k] != NULL) {
			fprintf(err, "tls-policy-milter: -q: %s is given "
			    "twice\n", key_name((size_t)k));
			return -1;
		}
		q->q_value[k] = eq + 1;
	}
	return 0;
}

/* mta=WORD, else the policy's "mta" setting. */
static int
parse_mta(const struct policy *p, const char *word, enum session_mta *mta,
    FILE *err)
{
	*mta = policy_mta(p);
	if (word == NULL || session_mta_parse(word, mta) == 0)
		return 0;
	fprintf(err, "tls-policy-milter: -q: mta must be auto, postfix or "
	    "sendmail\n");
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
 * query_run - see query.h.
 */
int
query_run(const struct policy *p, int argc, char **argv, FILE *out,
    FILE *err)
{
	static char line[DECISION_BUFSIZE];
	struct session_text rcpt_text;
	struct mailaddr rcpt;
	enum session_mta mta;
	const char *stage = "mail", *to;
	struct session s;
	struct verdict v, note;
	struct query q;
	bool at_rcpt;
	unsigned i;

	if (parse_words(&q, argc, argv, err) < 0 ||
	    parse_mta(p, q.q_value[K_MTA], &mta, err) < 0)
		return EX_USAGE;
	build_session(&q, mta, &s);
	to = sel_value(&q, SEL_RECIPIENT);
	session_text_set(&rcpt_text, to);
	(void)mailaddr_parse(to, &rcpt);
	policy_eval(p, &s, NULL, &v);
	if (v.vd_kind == VERDICT_DEFER) {
		if (to == NULL)
			fprintf(err, "tls-policy-milter: -q: the decision "
			    "depends on the recipient, and none was given\n");
		stage = "rcpt";
		policy_eval(p, &s, &rcpt, &v);
	}
	at_rcpt = stage[0] == 'r';
	for (i = 0; i < v.vd_nnotes; i++) {	/* what monitor rules would do */
		verdict_note(&v, i, &note);
		fprintf(out, "monitor %s\n", decision_format(line, sizeof(line),
		    stage, &s, at_rcpt ? &rcpt : NULL,
		    at_rcpt ? &rcpt_text : NULL, &note));
	}
	fprintf(out, "%s %s\n", v.vd_monitor ? "accept" : verdict_name(v.vd_kind),
	    decision_format(line, sizeof(line), stage, &s,
	    at_rcpt ? &rcpt : NULL, at_rcpt ? &rcpt_text : NULL, &v));
	return 0;
}
