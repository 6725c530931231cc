/*
 * query.c - an offline question to the policy, answered by the same code
 * that judges live sessions: the words are turned into "macros" and go
 * through the session model exactly as the MTA's would.
 */
#include <stdbool.h>
#include <string.h>

#include "decision.h"
#include "query.h"

#define EX_USAGE 64

/* The keys, and the MTA macro each one stands for ("" when none). */
static const struct {
	const char	*qk_key;
	const char	*qk_macro;
} query_keys[] = {
	{ "client_addr", "" }, { "client_name", "" }, { "helo", "" },
	{ "tls_version", "{tls_version}" }, { "cipher", "{cipher}" },
	{ "cipher_bits", "{cipher_bits}" }, { "cert_subject", "{cert_subject}" },
	{ "cert_issuer", "{cert_issuer}" }, { "verify", "{verify}" },
	{ "cn_subject", "{cn_subject}" }, { "cn_issuer", "{cn_issuer}" },
	{ "cert_fp", "{cert_fp}" }, { "cert_md5", "{cert_md5}" },
	{ "sender", "" }, { "recipient", "" }, { "listener", "" },
	{ "auth", "" }, { "mta", "" },
};
#define NKEYS (sizeof(query_keys) / sizeof(query_keys[0]))

/* The words, by key index; NULL when left out. */
struct query {
	const char	*q_value[NKEYS];
};

static int
key_index(const char *key, size_t keylen)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(query_keys[i].qk_key) == keylen &&
		    strncmp(query_keys[i].qk_key, key, keylen) == 0)
			return (int)i;
	return -1;
}

static const char *
value_of(const struct query *q, const char *key)
{
	return q->q_value[key_index(key, strlen(key))];
}

/* session_lookup_fn over the words. */
static const char *
lookup(void *ctx, const char *macro)
{
	const struct query *q = ctx;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(query_keys[i].qk_macro, macro) == 0)
			return q->q_value[i];
	return NULL;
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
			    "KEY=VALUE with a known key (client_addr "
			    "client_name helo tls_version cipher cipher_bits "
			    "cert_subject cert_issuer sender recipient "
			    "listener auth verify cn_subject cn_issuer cert_fp "
			    "cert_md5 mta)\n",
			    argv[i]);
			return -1;
		}
		if (q->q_value[k] != NULL) {
			fprintf(err, "tls-policy-milter: -q: %s is given "
			    "twice\n", query_keys[k].qk_key);
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
	const char *tls = value_of(q, "tls_version");

	session_init(s);
	session_set_client(s, value_of(q, "client_addr"),
	    value_of(q, "client_name"), NULL);
	session_set_listener(s, value_of(q, "listener"));
	session_set_helo(s, value_of(q, "helo"), tls != NULL && *tls != '\0');
	session_set_tls(s, lookup, (void *)q, mta, true);
	session_set_sender(s, value_of(q, "sender"), value_of(q, "auth"), NULL);
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
	const char *stage = "mail";
	struct session s;
	struct verdict v, note;
	struct query q;
	unsigned i;

	if (parse_words(&q, argc, argv, err) < 0 ||
	    parse_mta(p, value_of(&q, "mta"), &mta, err) < 0)
		return EX_USAGE;
	build_session(&q, mta, &s);
	session_text_set(&rcpt_text, value_of(&q, "recipient"));
	(void)mailaddr_parse(value_of(&q, "recipient"), &rcpt);
	policy_eval(p, &s, NULL, &v);
	if (v.vd_kind == VERDICT_DEFER) {
		if (value_of(&q, "recipient") == NULL)
			fprintf(err, "tls-policy-milter: -q: the decision "
			    "depends on the recipient, and none was given\n");
		stage = "rcpt";
		policy_eval(p, &s, &rcpt, &v);
	}
	for (i = 0; i < v.vd_nnotes; i++) {	/* what monitor rules would do */
		verdict_note(&v, i, &note);
		fprintf(out, "monitor %s\n", decision_format(line, sizeof(line),
		    stage, &s, stage[0] == 'r' ? &rcpt_text : NULL, &note));
	}
	fprintf(out, "%s %s\n", v.vd_monitor ? "accept" : verdict_name(v.vd_kind),
	    decision_format(line, sizeof(line), stage, &s,
	    stage[0] == 'r' ? &rcpt_text : NULL, &v));
	return 0;
}
