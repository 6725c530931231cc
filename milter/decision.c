/*
 * decision.c - the key=value description of a decision.
 *
 * Quoted fields ("...") have '"' escaped; bracketed ones (<...>, [...])
 * have their brackets and spaces escaped; sanitize() escapes control bytes
 * and everything outside printable ASCII, so a peer cannot forge a field.
 */
#include <stdarg.h>
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

/* key=OPEN value CLOSE, value sanitised; "..." marks a cut copy. */
static void
field(struct line *l, const char *key, const struct session_text *t,
    const char *open, const char *close, const char *special)
{
	char buf[SANITIZE_BUFSIZE];

	put(l, " ", key, "=", open, sanitize(buf, sizeof(buf), t->st_value,
	    special), t->st_cut ? "..." : "", close, (char *)NULL);
}

/* An envelope address as key=<address>, the MTA's own <> dropped first. */
static void
address_field(struct line *l, const char *key, const struct session_text *t)
{
	struct session_text bare = *t;
	size_t n = strlen(bare.st_value);

	if (n >= 2 && bare.st_value[0] == '<' && bare.st_value[n - 1] == '>' &&
	    !bare.st_cut) {
		memmove(bare.st_value, bare.st_value + 1, n - 2);
		bare.st_value[n - 2] = '\0';
	}
	field(l, key, &bare, "<", ">", "<> ");
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
	char addr[SANITIZE_BUFSIZE];

	put(l, " client=", s->ss_client_name[0] ? s->ss_client_name :
	    "unknown", "[", sanitize(addr, sizeof(addr),
	    s->ss_addr_text.st_value, "[] "), "]", (char *)NULL);
	if (s->ss_helo_text.st_present)
		field(l, "helo", &s->ss_helo_text, "<", ">", "<> ");
	if (s->ss_sender_text.st_present)
		address_field(l, "from", &s->ss_sender_text);
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
		field(l, "tls", &s->ss_tls_version_text, "", "", BARE);
	if (s->ss_cipher.st_present)
		field(l, "cipher", &s->ss_cipher, "", "", BARE);
	if (s->ss_cipher_bits_text.st_present)
		field(l, "bits", &s->ss_cipher_bits_text, "", "", BARE);
	if (s->ss_verify.st_present)
		field(l, "verify", &s->ss_verify, "", "", BARE);
	if (s->ss_cert_subject.st_present)
		field(l, "cert", &s->ss_cert_subject, "\"", "\"", "\"");
	if (s->ss_cert_issuer.st_present)
		field(l, "issuer", &s->ss_cert_issuer, "\"", "\"", "\"");
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
	char tmp[SANITIZE_BUFSIZE];

	if (len == 0)
		return buf;
	buf[0] = '\0';
	/* right after the daemon's "action=monitor": what would have been */
	if (strcmp(decision_action(v), "monitor") == 0)
		put(&l, "would=", verdict_name(v->vd_kind), " ", (char *)NULL);
	if (v->vd_rule != NULL)
		put(&l, "rule=\"", sanitize(tmp, sizeof(tmp), v->vd_rule,
		    "\""), "\"", (char *)NULL);
	else
		put(&l, "rule=-", (char *)NULL);
	put(&l, " stage=", stage, (char *)NULL);
	client_fields(&l, s);
	if (rcpt != NULL && rcpt->st_present)
		address_field(&l, "to", rcpt);
	tls_fields(&l, s);
	if (v->vd_kind == VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL)
		put(&l, " reply=\"", v->vd_code, " ", v->vd_xcode, " ",
		    sanitize(tmp, sizeof(tmp), v->vd_text, "\""), "\"",
		    (char *)NULL);
	put(&l, " reason=\"", sanitize(tmp, sizeof(tmp), v->vd_reason,
	    "\""), "\"", (char *)NULL);
	return buf;
}
