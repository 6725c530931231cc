/*
 * decision.c - the key=value description of a decision.
 *
 * Quoted fields ("...") have '"' escaped; bracketed ones (<...>, [...])
 * have their brackets and spaces escaped; sanitize() escapes control bytes
 * and everything outside printable ASCII, so a peer cannot forge a field.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "decision.h"
#include "sanitize.h"

/* What an unbracketed, unquoted value escapes: whatever could end it or
 * make it look quoted or bracketed. */
#define BARE	"\"<> "

/* A growing line: appends never overflow, a full line is cut. */
struct line {
	char	*l_buf;
	size_t	l_len;
	size_t	l_used;
};

static void put(struct line *l, ...) __attribute__((sentinel));

/*
 * Append the strings up to the NULL, as much as fits with the NUL.  (No
 * printf: it runs once per decision, and a vsnprintf() per field made a
 * line cost 1.4 us to write; appending, 1.0 us.)
 */
static void
put(struct line *l, ...)
{
	const char *s;
	va_list ap;
	size_t n;

	va_start(ap, l);
	while ((s = va_arg(ap, const char *)) != NULL &&
	    l->l_used + 1 < l->l_len) {
		n = strlen(s);
		if (n > l->l_len - l->l_used - 1)
			n = l->l_len - l->l_used - 1;
		memcpy(l->l_buf + l->l_used, s, n);
		l->l_used += n;
		l->l_buf[l->l_used] = '\0';
	}
	va_end(ap);
}

/* Near the end of the line: sanitize() into a buffer of its own, and as
 * much of that as fits. */
static void __attribute__((noinline))
put_sanitized_cut(struct line *l, const char *in, const char *special)
{
	char buf[SANITIZE_BUFSIZE];

	put(l, sanitize(buf, sizeof(buf), in, special), (char *)NULL);
}

/*
 * Append in sanitised: what put() of sanitize()'s output in a buffer of
 * SANITIZE_BUFSIZE bytes appends, written in place while the line has
 * that much room left (always but near LOG_LINE_MAX).  No buffer on the
 * stack: this runs in libmilter's threads, where each new page of stack
 * a fresh thread touches is a page fault.
 */
static void
put_sanitized(struct line *l, const char *in, const char *special)
{
	if (l->l_len - l->l_used < SANITIZE_BUFSIZE) {
		put_sanitized_cut(l, in, special);
		return;
	}
	sanitize(l->l_buf + l->l_used, SANITIZE_BUFSIZE, in, special);
	l->l_used += strlen(l->l_buf + l->l_used);
}

/* KEY=OPEN value CLOSE (key_open: " KEY=OPEN"), value sanitised; "..."
 * marks a cut copy. */
static void
field(struct line *l, const char *key_open, const char *value, bool cut,
    const char *close, const char *special)
{
	put(l, key_open, (char *)NULL);
	put_sanitized(l, value, special);
	put(l, cut ? "..." : "", close, (char *)NULL);
}

/* A session text as field() does. */
static void
text_field(struct line *l, const char *key_open, const struct session_text *t,
    const char *close, const char *special)
{
	field(l, key_open, t->st_value, t->st_cut, close, special);
}

/* An envelope address as key=<address>, the MTA's own <> dropped first. */
static void
address_field(struct line *l, const char *key_open,
    const struct session_text *t)
{
	char bare[SESSION_TEXT_MAX + 1];
	size_t n = strlen(t->st_value);

	if (n >= 2 && t->st_value[0] == '<' && t->st_value[n - 1] == '>' &&
	    !t->st_cut) {
		memcpy(bare, t->st_value + 1, n - 2);
		bare[n - 2] = '\0';
		field(l, key_open, bare, false, ">", "<> ");
	} else {
		text_field(l, key_open, t, ">", "<> ");
	}
}

/*
 * decision_action - see decision.h.
 */
const char *
decision_action(const struct verdict *v)
{
	if (v->vd_monitor && (v->vd_kind == VERDICT_REJECT ||
	    v->vd_kind == VERDICT_TEMPFAIL))
		return "monitor";
	return verdict_name(v->vd_kind);
}

static void
client_fields(struct line *l, const struct session *s)
{
	put(l, " client=", s->ss_client_name[0] ? s->ss_client_name :
	    "unknown", "[", (char *)NULL);
	put_sanitized(l, s->ss_addr_text.st_value, "[] ");
	put(l, "]", (char *)NULL);
	if (s->ss_helo_text.st_present)
		text_field(l, " helo=<", &s->ss_helo_text, ">", "<> ");
	if (s->ss_sender_text.st_present)
		address_field(l, " from=<", &s->ss_sender_text);
}

static void
tls_fields(struct line *l, const struct session *s)
{
	if (s->ss_tls != SESSION_TLS_ON) {
		put(l, " tls=", s->ss_tls == SESSION_TLS_NONE ? "none" :
		    "unknown", (char *)NULL);
		return;
	}
	if (s->ss_tls_version != TLSVERSION_UNKNOWN)
		put(l, " tls=", tlsversion_name(s->ss_tls_version),
		    (char *)NULL);
	else		/* as the MTA spelt it, "..." when cut */
		text_field(l, " tls=", &s->ss_tls_version_text, "", BARE);
	if (s->ss_cipher.st_present)
		text_field(l, " cipher=", &s->ss_cipher, "", BARE);
	if (s->ss_cipher_bits_text.st_present)
		text_field(l, " bits=", &s->ss_cipher_bits_text, "", BARE);
	if (s->ss_verify.st_present)
		text_field(l, " verify=", &s->ss_verify, "", BARE);
	if (s->ss_cert_subject.st_present)
		text_field(l, " cert=\"", &s->ss_cert_subject, "\"", "\"");
	if (s->ss_cert_issuer.st_present)
		text_field(l, " issuer=\"", &s->ss_cert_issuer, "\"", "\"");
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
	if (strcmp(decision_action(v), "monitor") == 0)
		put(&l, "would=", verdict_name(v->vd_kind), " ", (char *)NULL);
	if (v->vd_rule != NULL)
		field(&l, "rule=\"", v->vd_rule, false, "\"", "\"");
	else
		put(&l, "rule=-", (char *)NULL);
	put(&l, " stage=", stage, (char *)NULL);
	client_fields(&l, s);
	if (rcpt != NULL && rcpt->st_present)
		address_field(&l, " to=<", rcpt);
	tls_fields(&l, s);
	if (v->vd_kind == VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL) {
		put(&l, " reply=\"", v->vd_code, " ", v->vd_xcode, " ",
		    (char *)NULL);
		field(&l, "", v->vd_text, false, "\"", "\"");
	}
	field(&l, " reason=\"", v->vd_reason, false, "\"", "\"");
	return buf;
}

/*
 * decision_log_line - see decision.h.
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
		put_sanitized(&l, queue_id, " :");
	else
		put(&l, "NOQUEUE", (char *)NULL);
	put(&l, ": action=", decision_action(v), " ", (char *)NULL);
	decision_format(buf + l.l_used, len - l.l_used, stage, s, rcpt, v);
	return buf;
}
