/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * decision.c - the key=value description of a decision: written for the
 * log and for "-q", and read back for tls-policy-report, here alone, so
 * the two cannot drift apart.  The grammar is LOG FORMAT in
 * tls-policy-milter(8); format=1.
 *
 * Quoted fields ("...") have '"' escaped; bracketed ones (<...>, [...])
 * have their brackets and spaces escaped; sanitize_span() escapes control
 * bytes, the backslash and everything outside printable ASCII, so a peer
 * cannot forge a field, and every value decodes to what it stood for.  A
 * value the MTA sent longer than the session keeps ends in "\..." (a
 * backslash never stands for itself).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "decision.h"
#include "dnsname.h"
#include "sanitize.h"
#include "selector.h"

/* How a kind of value is written: between k_open and k_close ('\0': no
 * such byte), with every byte that could end it early escaped. */
struct kind {
	const char	*k_special;	/* escaped besides sanitize()'s own */
	char		k_open, k_close;
};

/* "...": reason, reply text, rule and certificate names. */
static const struct kind quoted = { "\"", '"', '"' };
/* <...>: HELO and addresses. */
static const struct kind angled = { "<> ", '<', '>' };
/* [...]: the client address. */
static const struct kind squared = { "[] ", '[', ']' };
/* Unbracketed, unquoted: whatever could end it or make it look quoted or
 * bracketed. */
static const struct kind bare = { "\"<> ", 0, 0 };
/* The queue id that starts the line, before its ':'. */
static const struct kind queue_id_kind = { " :", 0, 0 };

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
 * memcpy() that fits is a move or two.)
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
    const char *special)
{
	char buf[SANITIZE_BUFSIZE];

	put_n(l, buf, sanitize_span(buf, sizeof(buf), in, n, special));
}

/*
 * Append the n bytes at in sanitised, special escaped too: what put() of
 * sanitize()'s output in a buffer of SANITIZE_BUFSIZE bytes appends,
 * written in place while the line has that much room left (always but
 * near LOG_LINE_MAX);
 * then "..." when cut (the MTA's value was longer).  No buffer on the
 * stack: this runs in libmilter's threads, where each new page of stack
 * a fresh thread touches is a page fault.
 */
static void
put_value(struct line *l, const char *in, size_t n, bool cut,
    const char *special)
{
	if (l->l_len - l->l_used < SANITIZE_BUFSIZE)
		put_sanitized_cut(l, in, n, special);
	else
		l->l_used += sanitize_span(l->l_buf + l->l_used,
		    SANITIZE_BUFSIZE, in, n, special);
	if (cut)
		PUT_LIT(l, DECISION_CUT);
}

/* OPEN value CLOSE, the n bytes of value written as kind k, "..."
 * marking a cut copy. */
static void
put_kind(struct line *l, const char *value, size_t n, bool cut,
    const struct kind *k)
{
	put_byte(l, k->k_open);
	put_value(l, value, n, cut, k->k_special);
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

/*
 * An envelope address as matched: the null sender as <>, one that
 * parsed as its local part and normalised domain (whole: it fits), any
 * other exactly as the MTA gave it (its own <> too; cut when it was:
 * unreadable all the same).
 */
static void
put_address(struct line *l, const struct mailaddr *a,
    const struct session_text *t)
{
	char buf[MAILADDR_LOCAL_MAX + DNSNAME_BUFSIZE + 2];

	if (a != NULL && a->ma_null) {
		PUT_LIT(l, "<>");
	} else if (a == NULL || !a->ma_valid) {
		put_kind(l, t->st_value, strlen(t->st_value), t->st_cut,
		    &angled);
	} else {
		snprintf(buf, sizeof(buf), "%s%s%s", a->ma_local,
		    a->ma_domain[0] != '\0' ? "@" : "", a->ma_domain);
		put_kind(l, buf, strlen(buf), false, &angled);
	}
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

/*
 * The client and the HELO name; helo_tls= says whether the name came
 * after STARTTLS when the TLS state is unknown (the only time it counts:
 * a name from before TLS is then undecided).
 */
static void
client_fields(struct line *l, const struct session *s)
{
	const struct session_text *addr = &s->ss_addr_text;

	/* the validated name as it is; the address never marked cut */
	PUT_LIT(l, " client=");
	put(l, s->ss_client_name[0] ? s->ss_client_name : "unknown");
	put_kind(l, addr->st_value, strlen(addr->st_value), false, &squared);
	if (!s->ss_helo_text.st_present)
		return;
	TEXT_FIELD(l, " helo=", &s->ss_helo_text, &angled);
	if (s->ss_tls == SESSION_TLS_UNKNOWN) {
		PUT_LIT(l, " helo_tls=");
		put(l, s->ss_helo_tls ? "yes" : "no");
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

/* fp=ALG:HEX:HEX... as a cert_fingerprint pin is written. */
static void
put_fp(struct line *l, const struct certfp *fp)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	PUT_LIT(l, " fp=");
	put(l, certfp_alg_name(fp->cf_alg));
	for (i = 0; i < fp->cf_len; i++) {
		put_byte(l, ':');
		put_byte(l, hex[fp->cf_md[i] >> 4]);
		put_byte(l, hex[fp->cf_md[i] & 15]);
	}
}

/* What the policy knows of the certificate: how it stands, its name as
 * compared, issuer CN and DN, fingerprint. */
static void
cert_fields(struct line *l, const struct session *s)
{
	static const char *const states[] = { "none", "unverified",
		"verified" };

	PUT_LIT(l, " cert_state=");
	put(l, states[s->ss_cert]);
	if (s->ss_cert_subject.st_present)
		TEXT_FIELD(l, " cert=", &s->ss_cert_subject, &quoted);
	if (s->ss_cert_name[0] != '\0')	/* a DNS name: sanitised all the same */
		FIELD(l, " cert_name=", s->ss_cert_name, false, &bare);
	if (s->ss_cert_issuer.st_present)
		TEXT_FIELD(l, " issuer=", &s->ss_cert_issuer, &quoted);
	if (s->ss_cert_issuer_dn.st_present)
		TEXT_FIELD(l, " issuer_dn=", &s->ss_cert_issuer_dn, &quoted);
	if (s->ss_cert_fp.cf_alg != CERTFP_NONE)
		put_fp(l, &s->ss_cert_fp);
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
	} else {	/* as the MTA spelt it */
		TEXT_FIELD(l, " tls=", &s->ss_tls_version_text, &bare);
	}
	if (s->ss_cipher.st_present)
		TEXT_FIELD(l, " cipher=", &s->ss_cipher, &bare);
	if (s->ss_cipher_bits_text.st_present)
		TEXT_FIELD(l, " bits=", &s->ss_cipher_bits_text, &bare);
	if (s->ss_verify.st_present)
		TEXT_FIELD(l, " verify=", &s->ss_verify, &bare);
	cert_fields(l, s);
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
	put_value(l, v->vd_text, strlen(v->vd_text), false, quoted.k_special);
	PUT_LIT(l, "\"");
}

/*
 * decision_format - see decision.h.
 */
char *
decision_format(char *buf, size_t len, const char *stage,
    const struct session *s, const struct mailaddr *rcpt,
    const struct session_text *rcpt_text, const struct verdict *v)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (is_monitor(v)) {	/* after "action=monitor": what would be */
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
	PUT_LIT(&l, " mta=");
	put(&l, session_mta_name(s->ss_mta));
	client_fields(&l, s);
	if (s->ss_sender_text.st_present) {
		PUT_LIT(&l, " from=");
		put_address(&l, &s->ss_sender, &s->ss_sender_text);
	}
	if (rcpt_text != NULL && rcpt_text->st_present) {
		PUT_LIT(&l, " to=");
		put_address(&l, rcpt, rcpt_text);
	}
	selector_fields(&l, s);
	tls_fields(&l, s);
	if (v->vd_kind == VERDICT_REJECT || v->vd_kind == VERDICT_TEMPFAIL)
		reply_field(&l, v);
	FIELD(&l, " reason=", v->vd_reason, false, &quoted);
	PUT_LIT(&l, " format=" DECISION_FORMAT_VERSION);
	return buf;
}

/*
 * decision_log_line - see decision.h.
 */
char *
decision_log_line(char *buf, size_t len, const char *queue_id,
    const char *stage, const struct session *s, const struct mailaddr *rcpt,
    const struct session_text *rcpt_text, const struct verdict *v)
{
	struct line l = { buf, len, 0 };

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (queue_id != NULL && queue_id[0] != '\0')
		put_value(&l, queue_id, strlen(queue_id), false,
		    queue_id_kind.k_special);
	else
		PUT_LIT(&l, "NOQUEUE");
	PUT_LIT(&l, ": action=");
	put(&l, decision_action(v));
	PUT_LIT(&l, " ");
	decision_format(buf + l.l_used, len - l.l_used, stage, s, rcpt,
	    rcpt_text, v);
	return buf;
}

/* ------------------------------------------------------------ reading back */

#define DF_NAME(id, key, form) key,
static const char *const field_names[DF_N] = { DECISION_FIELDS(DF_NAME) };
#undef DF_NAME
#define DF_FORM(id, key, form) form,
static const char field_forms[DF_N] = { DECISION_FIELDS(DF_FORM) };
#undef DF_FORM
#define DF_LEN(id, key, form) sizeof(key) - 1,
static const unsigned char field_lens[DF_N] = { DECISION_FIELDS(DF_LEN) };
#undef DF_LEN

/*
 * decision_field_name - see decision.h.
 */
const char *
decision_field_name(enum decision_field f)
{
	return field_names[f];
}

/* The field whose key, followed by '=', starts at p (lim: the line's
 * end), looked for from `from` on (the fields come in order); DF_N if
 * none.  Where the '=' would be is looked at first: most keys tried are
 * not the one at p, and most differ in length from it. */
static enum decision_field
field_at(const char *p, const char *lim, unsigned from)
{
	size_t n;
	unsigned f;

	for (f = from; f < DF_N; f++) {
		n = field_lens[f];
		if ((size_t)(lim - p) > n && p[n] == '=' &&
		    memcmp(p, field_names[f], n) == 0)
			return (enum decision_field)f;
	}
	return DF_N;
}

/* The byte that closes a value written as form, '\0' for none. */
static char
form_close(char form)
{
	return form == '"' ? '"' : form == '<' ? '>' : form == '[' ||
	    form == 'c' ? ']' : '\0';
}

/* Where field f's value starting at v ends (the byte after it, lim at
 * the end of the line), NULL when it is not written as its form says or
 * not closed.  (memchr(): the line holds no NUL before lim.) */
static char *
value_end(enum decision_field f, char *v, char *lim)
{
	char form = field_forms[f];
	char *e;

	if (form == 'b' || (f == DF_RULE && v < lim && v[0] == '-' &&
	    (v + 1 == lim || v[1] == ' '))) {
		for (e = v; e < lim && *e != ' '; e++)
			continue;	/* short: no call */
		return e;
	}
	if (form == 'c')
		e = memchr(v, '[', (size_t)(lim - v));
	else if (v == lim || *v != form)
		return NULL;
	else
		e = v;
	return e != NULL && (e = memchr(e + 1, form_close(form),
	    (size_t)(lim - e - 1))) != NULL ? e + 1 : NULL;
}

/*
 * Decode the n bytes at s in place: \xHH is byte HH, any other backslash
 * is an error (-1).  *n becomes the length decoded.
 */
static int
unescape(char *s, size_t *n)
{
	size_t i = 0, o = 0;
	int hi, lo;

	while (i < *n) {
		if (s[i] != '\\') {
			s[o++] = s[i++];
			continue;
		}
		if (i + 3 >= *n || s[i + 1] != 'x' ||
		    (hi = ascii_hexval(s[i + 2])) < 0 ||
		    (lo = ascii_hexval(s[i + 3])) < 0)
			return -1;	/* a byte never written so */
		s[o++] = (char)(hi << 4 | lo);
		i += 4;
	}
	*n = o;
	return 0;
}

/*
 * Take field f's value, v up to end, in place into r: the bytes it is
 * written between dropped, a trailing "\..." marking a cut value, decoded
 * (escapes: the line holds a backslash), NUL-terminated over the byte
 * after it.  Returns 0, or -1 when it is badly escaped.
 */
static int
value_take(struct decision_rec *r, enum decision_field f, char *v,
    char *end, bool escapes)
{
	size_t n = (size_t)(end - v), cutlen = sizeof(DECISION_CUT) - 1;

	if (field_forms[f] != 'b' && field_forms[f] != 'c' && n >= 2 &&
	    *v == field_forms[f]) {
		v++;
		n -= 2;
	}
	r->dr_cut[f] = n >= cutlen && memcmp(v + n - cutlen, DECISION_CUT,
	    cutlen) == 0;
	if (r->dr_cut[f])
		n -= cutlen;
	if (escapes && memchr(v, '\\', n) != NULL && unescape(v, &n) < 0)
		return -1;
	v[n] = '\0';
	r->dr_value[f] = v;
	return 0;
}

/* The fields a line must have. */
static bool
required(enum decision_field f)
{
	return f == DF_FORMAT || f == DF_RULE || f == DF_STAGE ||
	    f == DF_MTA || f == DF_CLIENT || f == DF_TLS || f == DF_REASON;
}

/* Does the line end in " format=N", and is N this format's version?
 * Returns 0, or -1 with *why. */
static int
format_check(const char *line, const char **why)
{
	const char *sp = strrchr(line, ' ');

	if (sp == NULL || strncmp(sp + 1, "format=", 7) != 0 ||
	    sp[8] == '\0' || sp[8 + strspn(sp + 8, "0123456789")] != '\0')
		return *why = "the line is cut short", -1;
	if (strcmp(sp + 8, DECISION_FORMAT_VERSION) != 0)
		return *why = "another format version", -1;
	return 0;
}

/* Read the fields of the line of len bytes copied to r->dr_buf, in
 * place; escapes: it holds a backslash.  Returns 0, or -1 with *why. */
static int
fields_read(struct decision_rec *r, size_t len, bool escapes,
    const char **why)
{
	char *p = r->dr_buf, *lim = r->dr_buf + len, *v, *end;
	enum decision_field f, last = DF_N;
	bool more;

	while (p < lim) {
		if (last == DF_FORMAT)
			return *why = "a field after format=", -1;
		if ((f = field_at(p, lim, last == DF_N ? 0 : last + 1)) == DF_N)
			return *why = field_at(p, lim, 0) != DF_N ?
			    "a field repeated or out of order" :
			    "an unknown field", -1;
		v = p + field_lens[f] + 1;
		if ((end = value_end(f, v, lim)) == NULL || (end < lim &&
		    *end != ' '))
			return *why = "a value not closed", -1;
		more = end < lim;
		if (value_take(r, f, v, end, escapes) < 0)
			return *why = "a value badly escaped", -1;
		last = f;
		p = more ? end + 1 : end;
	}
	for (f = 0; f < DF_N; f++)
		if (required(f) && r->dr_value[f] == NULL)
			return *why = "a field is missing", -1;
	return 0;
}

/*
 * decision_parse - see decision.h.  The line is checked whole (its end,
 * its length, every byte printable), copied to r->dr_buf and read there
 * in place: a value only scanned for its end and a backslash, decoded
 * only when it holds one.
 */
int
decision_parse(const char *line, struct decision_rec *r, const char **why)
{
	size_t len;

	memset(r->dr_value, 0, sizeof(r->dr_value));
	memset(r->dr_cut, 0, sizeof(r->dr_cut));
	if (format_check(line, why) < 0)
		return -1;
	if ((len = strlen(line)) >= sizeof(r->dr_buf))
		return *why = "a line longer than the daemon writes", -1;
	if (!ascii_nprintable(line, len))
		return *why = "a value badly escaped", -1;
	memcpy(r->dr_buf, line, len + 1);
	return fields_read(r, len, memchr(line, '\\', len) != NULL, why);
}

/* A session text set from field f's value already: cut as logged. */
static void
restore_cut(struct session_text *t, const struct decision_rec *r,
    enum decision_field f)
{
	t->st_cut = t->st_present && r->dr_cut[f];
}

/* A session text restored from field f: its value, and cut as logged. */
static void
restore_text(struct session_text *t, const struct decision_rec *r,
    enum decision_field f)
{
	session_text_set(t, r->dr_value[f]);
	restore_cut(t, r, f);
}

/* The listener's facts as session_set_listener() reads macros.  (The
 * macros differ in their ninth byte: one strcmp() a lookup, not three.) */
static const char *
listener_lookup(void *ctx, const char *name)
{
	const struct decision_rec *r = ctx;
	enum decision_field f;
	const char *macro;

	if (strlen(name) != sizeof("{daemon_name}") - 1)
		return NULL;
	switch (name[8]) {
	case 'n':
		macro = "{daemon_name}", f = DF_LISTENER;
		break;
	case 'p':
		macro = "{daemon_port}", f = DF_PORT;
		break;
	case 'a':
		macro = "{daemon_addr}", f = DF_LADDR;
		break;
	default:
		return NULL;
	}
	return strcmp(name, macro) == 0 ? r->dr_value[f] : NULL;
}

/* client=NAME[ADDR]: the client, as session_set_client() was given it. */
static int
restore_client(const struct decision_rec *r, struct session *s)
{
	char name[DNSNAME_BUFSIZE], addr[SESSION_TEXT_MAX + 1];
	const char *v = r->dr_value[DF_CLIENT], *a = strchr(v, '[');
	size_t n = a != NULL ? (size_t)(a - v) : 0, alen;

	if (a == NULL || n >= sizeof(name) || v[strlen(v) - 1] != ']' ||
	    (alen = strlen(a + 1) - 1) >= sizeof(addr))
		return -1;
	memcpy(name, v, n);
	name[n] = '\0';
	memcpy(addr, a + 1, alen);
	addr[alen] = '\0';
	session_set_client(s, alen > 0 ? addr : NULL,
	    strcmp(name, "unknown") != 0 ? name : NULL, NULL);
	session_text_set(&s->ss_addr_text, addr);
	return 0;
}

/* An envelope address: as parsed then, a cut one unreadable. */
static void
restore_address(struct mailaddr *a, const struct decision_rec *r,
    enum decision_field f)
{
	(void)mailaddr_parse(r->dr_value[f], a);
	if (r->dr_cut[f]) {
		a->ma_null = false;
		a->ma_valid = false;
	}
}

/* helo= and when it came: after STARTTLS when TLS is on (one from
 * before is forgotten), before it in plaintext, else as helo_tls= says. */
static void
restore_helo(const struct decision_rec *r, struct session *s)
{
	const char *ht = r->dr_value[DF_HELO_TLS];
	bool with_tls = s->ss_tls == SESSION_TLS_ON ||
	    (ht != NULL && strcmp(ht, "yes") == 0);

	if (r->dr_value[DF_HELO] == NULL)
		return;
	session_set_helo(s, r->dr_cut[DF_HELO] ? "" : r->dr_value[DF_HELO],
	    with_tls);
	restore_text(&s->ss_helo_text, r, DF_HELO);
}

/* Is name a certificate name as session_set_tls() makes them: a DNS
 * name in compared form, "*." at most? */
static bool
cert_name_ok(const char *name)
{
	char again[DNSNAME_BUFSIZE];

	return dnsname_normalize(name, again, sizeof(again),
	    DNSNAME_WILDCARD) == 0 && strcmp(again, name) == 0;
}

/*
 * tls= and the certificate: with TLS on, cert_state= is always written
 * and tls= is the version as the MTA spelt it (even "none"); without,
 * tls= is the state.  Then session_restore_tls().
 */
static int
restore_tls(const struct decision_rec *r, struct session *s)
{
	static const char *const states[] = { "none", "unverified",
		"verified", NULL };
	const char *tls = r->dr_value[DF_TLS], *st = r->dr_value[DF_CERT_STATE];
	struct session_tls_facts f = { .tf_tls = SESSION_TLS_ON };
	struct certfp fp;
	const char *why;
	int i;

	if (r->dr_value[DF_CERT_NAME] != NULL && !cert_name_ok(
	    r->dr_value[DF_CERT_NAME]))
		return -1;
	if (st == NULL) {	/* TLS not on: cert_state= comes with TLS */
		if (strcmp(tls, "none") != 0 && strcmp(tls, "unknown") != 0)
			return -1;
		s->ss_tls = tls[0] == 'n' ? SESSION_TLS_NONE :
		    SESSION_TLS_UNKNOWN;
		return 0;
	}
	for (i = 0; states[i] != NULL && strcmp(st, states[i]) != 0; i++)
		continue;
	if (states[i] == NULL)
		return -1;
	f.tf_cert = (enum session_cert)i;
	if (r->dr_value[DF_FP] != NULL &&
	    certfp_parse_pin(r->dr_value[DF_FP], &fp, &why) < 0)
		return -1;
	f.tf_tls = SESSION_TLS_ON;
	f.tf_version = tls;
	f.tf_cipher = r->dr_value[DF_CIPHER];
	f.tf_bits = r->dr_value[DF_BITS];
	f.tf_verify = r->dr_value[DF_VERIFY];
	f.tf_subject = r->dr_value[DF_CERT];
	f.tf_cert_name = r->dr_value[DF_CERT_NAME];
	f.tf_issuer = r->dr_value[DF_ISSUER];
	f.tf_issuer_dn = r->dr_value[DF_ISSUER_DN];
	f.tf_fp = r->dr_value[DF_FP] != NULL ? &fp : NULL;
	session_restore_tls(s, &f);
	s->ss_tls_version_text.st_cut = r->dr_cut[DF_TLS];
	s->ss_cipher.st_cut = r->dr_cut[DF_CIPHER];
	s->ss_cipher_bits_text.st_cut = r->dr_cut[DF_BITS];
	s->ss_verify.st_cut = r->dr_cut[DF_VERIFY];
	s->ss_cert_subject.st_cut = r->dr_cut[DF_CERT];
	s->ss_cert_issuer.st_cut = r->dr_cut[DF_ISSUER];
	s->ss_cert_issuer_dn.st_cut = r->dr_cut[DF_ISSUER_DN];
	return 0;
}

/*
 * decision_restore - see decision.h.
 */
int
decision_restore(const struct decision_rec *r, struct session *s,
    struct mailaddr *rcpt, bool *has_rcpt, const char **why)
{
	session_init(s);
	if (session_mta_parse(r->dr_value[DF_MTA], &s->ss_mta) < 0)
		return *why = "mta= is no MTA", -1;
	if (restore_client(r, s) < 0)
		return *why = "client= is not NAME[ADDR]", -1;
	session_set_listener(s, listener_lookup, (void *)r);
	restore_cut(&s->ss_listener, r, DF_LISTENER);
	restore_cut(&s->ss_listener_port_text, r, DF_PORT);
	restore_cut(&s->ss_listener_addr_text, r, DF_LADDR);
	if (restore_tls(r, s) < 0)
		return *why = "the certificate's fields cannot be read", -1;
	restore_helo(r, s);
	session_set_sender(s, NULL, r->dr_value[DF_AUTH], NULL);
	restore_text(&s->ss_auth_name, r, DF_AUTH);
	if (r->dr_value[DF_FROM] != NULL) {
		restore_text(&s->ss_sender_text, r, DF_FROM);
		restore_address(&s->ss_sender, r, DF_FROM);
	}
	*has_rcpt = strcmp(r->dr_value[DF_STAGE], "rcpt") == 0;
	if (r->dr_value[DF_TO] != NULL)
		restore_address(rcpt, r, DF_TO);
	else
		(void)mailaddr_parse(NULL, rcpt);
	return 0;
}
