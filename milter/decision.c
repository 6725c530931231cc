/*
 * decision.c - the key=value description of a decision.
 *
 * Quoted fields ("...") have '"' escaped; bracketed ones (<...>, [...])
 * have their brackets and spaces escaped; sanitize_span() escapes control
 * bytes and everything outside printable ASCII, so a peer cannot forge a
 * field.
 */
#include <stdbool.h>
#include <string.h>

#include "decision.h"
#include "sanitize.h"
#include "selector.h"

/* How a kind of value is written: between k_open and k_close ('\0': no
 * such byte), with every byte that could end it early escaped. */
struct kind {
	struct sanitize_set	k_set;
	char			k_open, k_close;
};

/* "...": reason, reply text, rule and certificate names. */
static const struct kind quoted = { SANITIZE_SET('"', 0, 0, 0), '"', '"' };
/* <...>: HELO and addresses. */
static const struct kind angled =
	{ SANITIZE_SET('<', '>', ' ', 0), '<', '>' };
/* [...]: the client address. */
static const struct kind squared =
	{ SANITIZE_SET('[', ']', ' ', 0), '[', ']' };
/* Unbracketed, unquoted: whatever could end it or make it look quoted or
 * bracketed. */
static const struct kind bare = { SANITIZE_SET('"', '<', '>', ' '), 0, 0 };
/* The queue id that starts the line, before its ':'. */
static const struct kind queue_id_kind =
	{ SANITIZE_SET(' ', ':', 0, 0), 0, 0 };

/* A growing line: appends never overflow, a full line is cut. */
struct line {
	char	*l_buf;
	size_t	l_len;
	size_t	l_used;		/* < l_len; l_buf[l_used] is the NUL */
};

/* Append as much of the n bytes at s as fits with the NUL. */
static void __attribute__((noinline))
put_n_cut(struct line *l, const char *s, size_t n)
{
	size_t room = l->l_len - l->l_used - 1;

	if (n > room)
		n = room;
	memcpy(l->l_buf + l->l_used, s, n);
	l->l_used += n;
	l->l_buf[l->l_used] = '\0';
}

/*
 * Append the n bytes at s, as much as fits with the NUL.  (No printf, no
 * varargs, no strlen() of literals: inlined with a literal's length, a
 * memcpy() that fits is a move or two.  A put() of NULL-terminated
 * varargs with a strlen() a piece cost 1,750 instructions a line.)
 */
static inline void
put_n(struct line *l, const char *s, size_t n)
{
	if (n >= l->l_len - l->l_used) {
		put_n_cut(l, s, n);
		return;
	}
	memcpy(l->l_buf + l->l_used, s, n);
	l->l_used += n;
	l->l_buf[l->l_used] = '\0';
}

/* Append the string literal lit. */
#define PUT_LIT(l, lit)	put_n((l), "" lit "", sizeof(lit) - 1)

/* Append the string s. */
static void
put(struct line *l, const char *s)
{
	put_n(l, s, strlen(s));
}

/* Append byte c unless it is '\0' or the line is full. */
static inline void
put_byte(struct line *l, char c)
{
	if (c != '\0' && l->l_used + 1 < l->l_len) {
		l->l_buf[l->l_used++] = c;
		l->l_buf[l->l_used] = '\0';
	}
}

/* Near the end of the line: sanitise into a buffer of its own, and as
 * much of that as fits. */
static void __attribute__((noinline))
put_sanitized_cut(struct line *l, const char *in, size_t n,
    const struct sanitize_set *set)
{
	char buf[SANITIZE_BUFSIZE];

	put_n(l, buf, sanitize_span(buf, sizeof(buf), in, n, set));
}

/*
 * Append the n bytes at in sanitised with set: what put() of sanitize()'s
 * output in a buffer of SANITIZE_BUFSIZE bytes appends, written in place
 * while the line has that much room left (always but near LOG_LINE_MAX);
 * then "..." when cut (the MTA's value was longer).  No buffer on the
 * stack: this runs in libmilter's threads, where each new page of stack
 * a fresh thread touches is a page fault.
 */
static void
put_value(struct line *l, const char *in, size_t n, bool cut,
    const struct sanitize_set *set)
{
	if (l->l_len - l->l_used < SANITIZE_BUFSIZE)
		put_sanitized_cut(l, in, n, set);
	else
		l->l_used += sanitize_span(l->l_buf + l->l_used,
		    SANITIZE_BUFSIZE, in, n, set);
	if (cut)
		PUT_LIT(l, "...");
}

/* OPEN value CLOSE, the n bytes of value written as kind k, "..."
 * marking a cut copy. */
static void
put_kind(struct line *l, const char *value, size_t n, bool cut,
    const struct kind *k)
{
	put_byte(l, k->k_open);
	put_value(l, value, n, cut, &k->k_set);
	put_byte(l, k->k_close);
}

/* KEY=OPEN value CLOSE (key: the literal " KEY="), value a string. */
#define FIELD(l, key, value, cut, k) do { \
	PUT_LIT((l), key); \
	put_kind((l), (value), strlen(value), (cut), (k)); \
} while (0)

/* A session text as FIELD() does. */
#define TEXT_FIELD(l, key, t, k) \
	FIELD((l), key, (t)->st_value, (t)->st_cut, (k))

/* An envelope address as <address> (after its key), the MTA's own <>
 * dropped first. */
static void
put_address(struct line *l, const struct session_text *t)
{
	const char *a = t->st_value;
	size_t n = strlen(a);

	if (n >= 2 && a[0] == '<' && a[n - 1] == '>' && !t->st_cut)
		put_kind(l, a + 1, n - 2, false, &angled);
	else
		put_kind(l, a, n, t->st_cut, &angled);
}

/* is_monitor - is v a refusal that is only logged? */
static bool
is_monitor(const struct verdict *v)
{
	return v->vd_monitor && (v->vd_kind == VERDICT_REJECT ||
	    v->vd_kind == VERDICT_TEMPFAIL);
}

/*
 * decision_action - see decision.h.
 */
const char *
decision_action(const struct verdict *v)
{
	return is_monitor(v) ? "monitor" : verdict_name(v->vd_kind);
}

static void
client_fields(struct line *l, const struct session *s)
{
	const struct session_text *addr = &s->ss_addr_text;

	/* the validated name as it is; the address never marked cut */
	PUT_LIT(l, " client=");
	put(l, s->ss_client_name[0] ? s->ss_client_name : "unknown");
	put_kind(l, addr->st_value, strlen(addr->st_value), false, &squared);
	if (s->ss_helo_text.st_present)
		TEXT_FIELD(l, " helo=", &s->ss_helo_text, &angled);
	if (s->ss_sender_text.st_present) {
		PUT_LIT(l, " from=");
		put_address(l, &s->ss_sender_text);
	}
}

/* The session's text that shows selector id's fact, and how it is
 * written; NULL for the facts written in a place of their own (client=,
 * helo=, from=, to=, tls=). */
static const struct session_text *
selector_text(enum sel id, const struct session *s, const struct kind **k)
{
	*k = &bare;
	switch (id) {
	case SEL_LISTENER:
		return &s->ss_listener;
	case SEL_LISTENER_PORT:
		return &s->ss_listener_port_text;
	case SEL_LISTENER_ADDR:
		*k = &squared;
		return &s->ss_listener_addr_text;
	case SEL_AUTHENTICATED:	/* the login name, as Postfix's sasl_username= */
		*k = &quoted;
		return &s->ss_auth_name;
	default:
		return NULL;
	}
}

/* Each other selector's fact the MTA told, as the field named by its
 * LOG column (selector.h). */
static void
selector_fields(struct line *l, const struct session *s)
{
	const struct session_text *t;
	const struct kind *k;
	unsigned i;

	for (i = 0; i < SEL_N; i++) {
		if ((t = selector_text((enum sel)i, s, &k)) == NULL ||
		    !t->st_present)
			continue;
		put_byte(l, ' ');
		put(l, selectors[i].se_log);
		put_byte(l, '=');
		put_kind(l, t->st_value, strlen(t->st_value), t->st_cut, k);
	}
}

static void
tls_fields(struct line *l, const struct session *s)
{
	if (s->ss_tls != SESSION_TLS_ON) {
		PUT_LIT(l, " tls=");
		put(l, s->ss_tls == SESSION_TLS_NONE ? "none" : "unknown");
		return;
	}
	if (s->ss_tls_version != TLSVERSION_UNKNOWN) {
		PUT_LIT(l, " tls=");
		put(l, tlsversion_name(s->ss_tls_version));
	} else {	/* as the MTA spelt it, "..." when cut */
		TEXT_FIELD(l, " tls=", &s->ss_tls_version_text, &bare);
	}
	if (s->ss_cipher.st_present)
		TEXT_FIELD(l, " cipher=", &s->ss_cipher, &bare);
	if (s->ss_cipher_bits_text.st_present)
		TEXT_FIELD(l, " bits=", &s->ss_cipher_bits_text, &bare);
	if (s->ss_verify.st_present)
		TEXT_FIELD(l, " verify=", &s->ss_verify, &bare);
	if (s->ss_cert_subject.st_present)
		TEXT_FIELD(l, " cert=", &s->ss_cert_subject, &quoted);
	if (s->ss_cert_issuer.st_present)
		TEXT_FIELD(l, " issuer=", &s->ss_cert_issuer, &quoted);
}

/* reply="CODE XCODE TEXT", the text sanitised. */
static void
reply_field(struct line *l, const struct verdict *v)
{
	PUT_LIT(l, " reply=\"");
	put(l, v->vd_code);
	PUT_LIT(l, " ");
	put(l, v->vd_xcode);
	PUT_LIT(l, " ");
	put_value(l, v->vd_text, strlen(v->vd_text), false, &quoted.k_set);
	PUT_LIT(l, "\"");
}

/*
 * decision_format - see decision.h.
 */
char *
decision_format(char *buf, size_t len, const char *stage,
    const struct session *s, const struct session_text *rcpt,
    const struct verdict *v)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return buf;
	buf[0] = '\0';
	/* right after the daemon's "action=monitor": what would have been */
	if (is_monitor(v)) {
		PUT_LIT(&l, "would=");
		put(&l, verdict_name(v->vd_kind));
		PUT_LIT(&l, " ");
	}
	if (v->vd_rule != NULL)
		FIELD(&l, "rule=", v->vd_rule, false, &quoted);
	else
		PUT_LIT(&l, "rule=-");
	PUT_LIT(&l, " stage=");
	put(&l, stage);
	client_fields(&l, s);
	if (rcpt != NULL && rcpt->st_present) {
		PUT_LIT(&l, " to=");
		put_address(&l, rcpt);
	}
	selector_fields(&l, s);
	tls_fields(&l, s);
	if (v->vd_kind == VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL)
		reply_field(&l, v);
	FIELD(&l, " reason=", v->vd_reason, false, &quoted);
	return buf;
}

/*
 * decision_log_line - see decision.h.  (A line cost 6,700 instructions
 * when sanitize() built its byte set for each field, scanned a byte at a
 * time and a varargs put() did a strlen() of every piece; with constant
 * tables, spans and literal lengths, about 1,900: bench/run -g, 71,100
 * instructions a session before, 60,900 after.)
 */
char *
decision_log_line(char *buf, size_t len, const char *queue_id,
    const char *stage, const struct session *s,
    const struct session_text *rcpt, const struct verdict *v)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (queue_id != NULL && queue_id[0] != '\0')
		put_value(&l, queue_id, strlen(queue_id), false,
		    &queue_id_kind.k_set);
	else
		PUT_LIT(&l, "NOQUEUE");
	PUT_LIT(&l, ": action=");
	put(&l, decision_action(v));
	PUT_LIT(&l, " ");
	decision_format(buf + l.l_used, len - l.l_used, stage, s, rcpt, v);
	return buf;
}
