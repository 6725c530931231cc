/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logread.c - the decision lines out of logs (see logread.h).
 *
 * A syslog line is TIME HOST TAG: MESSAGE, TIME either "Mmm dd hh:mm:ss"
 * or one RFC 3339 word (rsyslog's high-precision format, journalctl -o
 * short-iso); the daemon's own -f output is TAG: MESSAGE.  TAG is
 * tls-policy-milter or tls-policy-milter[PID].  A line of journalctl -o
 * json is one JSON object, with SYSLOG_IDENTIFIER for TAG.  A decision's
 * MESSAGE is QUEUEID: action=ACTION FIELDS (decision.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logread.h"

#define TAG	"tls-policy-milter"

/*
 * logread_open - see logread.h.
 */
int
logread_open(struct logread *lr, const char *path)
{
	lr->lr_name = path;
	lr->lr_lineno = 0;
	lr->lr_gz = strcmp(path, "-") == 0 ? gzdopen(dup(STDIN_FILENO), "r") :
	    gzopen(path, "r");
	if (lr->lr_gz == NULL)
		return -1;
	(void)gzbuffer(lr->lr_gz, 256 * 1024);
	return 0;
}

/*
 * logread_close - see logread.h.
 */
void
logread_close(struct logread *lr)
{
	if (lr->lr_gz != NULL)
		(void)gzclose(lr->lr_gz);
	lr->lr_gz = NULL;
}

/* The word at *p (to the next blank), NUL-terminated; *p past it and the
 * blanks after it.  NULL at the end of the line. */
static char *
word(char **p)
{
	char *w = *p, *e;

	if (*w == '\0')
		return NULL;
	e = w + strcspn(w, " ");
	if (*e != '\0')
		*e++ = '\0';
	while (*e == ' ')
		e++;
	*p = e;
	return w;
}

/* "Mmm dd hh:mm:ss " at p (the day padded with a blank)? */
static bool
bsd_time(const char *p)
{
	return strlen(p) > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' &&
	    p[12] == ':' && p[15] == ' ' && p[0] >= 'A' && p[0] <= 'Z';
}

/* Is w the milter's tag ("tls-policy-milter:" or with "[PID]")? */
static bool
is_tag(const char *w)
{
	size_t n = strlen(TAG);

	if (strncmp(w, TAG, n) != 0)
		return false;
	w += n;
	if (*w == '[') {
		w++;
		if (*w < '0' || *w > '9')
			return false;
		w += strspn(w, "0123456789");
		if (*w++ != ']')
			return false;
	}
	return strcmp(w, ":") == 0;
}

/* TIME HOST TAG: or TAG: at the start of line; the message after it, or
 * NULL when the tag is not the milter's in its place. */
static char *
strip_prefix(char *line, struct logline *ll)
{
	char *p = line, *w;

	ll->ll_time = ll->ll_host = "";
	if (strncmp(line, TAG, strlen(TAG)) == 0) {
		w = word(&p);
		return is_tag(w) ? p : NULL;
	}
	if (bsd_time(line)) {
		line[15] = '\0';
		ll->ll_time = line;
		p = line + 16;
	} else if (line[0] >= '0' && line[0] <= '9') {
		ll->ll_time = word(&p);
	} else {
		return NULL;
	}
	if ((ll->ll_host = word(&p)) == NULL || (w = word(&p)) == NULL ||
	    !is_tag(w))
		return NULL;
	return p;
}

/* The MESSAGE after the tag: a decision's QUEUEID: action=ACTION FIELDS,
 * or another line of the milter's. */
static enum logread_kind
split_message(char *msg, struct logline *ll)
{
	static const char *const actions[] = { "accept", "reject",
		"tempfail", "monitor", NULL };
	const char *const *a;
	char *p;

	if ((p = strstr(msg, ": action=")) == NULL ||
	    p != msg + strcspn(msg, " :"))
		return LR_MILTER;	/* start, statistics, ... */
	*p = '\0';
	ll->ll_queue = msg;
	p += strlen(": action=");
	for (a = actions; *a != NULL; a++)
		if (strncmp(p, *a, strlen(*a)) == 0 && p[strlen(*a)] == ' ')
			break;
	if (*a == NULL) {
		ll->ll_why = "an action= the milter never writes";
		return LR_SKIPPED;
	}
	ll->ll_action = *a;
	ll->ll_fields = p + strlen(*a) + 1;
	if (strncmp(ll->ll_fields, "reason=", 7) == 0)
		return LR_MILTER;	/* an internal error's tempfail */
	return LR_DECISION;
}

/* ------------------------------------------------- journalctl -o json */

/*
 * One journal entry a line, as journalctl -o json writes it: an object
 * whose values are strings, null (a value journalctl left out, over 4096
 * bytes without --all), an array of byte values (a value that is not
 * UTF-8) or an array of such values (a field given several times).  The
 * whole object is read before anything in it is believed; what is not
 * JSON is skipped with a reason.  Strings are decoded in place: a value's
 * bytes never take more room than its JSON text did.
 */

#define JSON_DEPTH	8	/* nested deeper: refused (the recursion stops) */
#define JSON_KEY	64	/* journal field names are shorter */

/* The fields read. */
enum jfield_id { JF_MESSAGE, JF_IDENT, JF_HOST, JF_REALTIME, JF_SYSLOGTIME,
	JF_N };
static const char *const jfield_names[JF_N] = { "MESSAGE",
	"SYSLOG_IDENTIFIER", "_HOSTNAME", "__REALTIME_TIMESTAMP",
	"SYSLOG_TIMESTAMP" };

struct jfield {
	enum { JV_ABSENT, JV_STRING, JV_BYTES, JV_NULL, JV_OTHER } jf_kind;
	char		*jf_text;	/* JV_STRING, JV_BYTES: decoded */
	size_t		jf_len;		/* (a NUL after them) */
};

/* Past JSON white space at p. */
static char *
json_ws(char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* The four hex digits at p, or -1. */
static long
json_hex4(const char *p)
{
	long u = 0;
	int i;

	for (i = 0; i < 4; i++) {
		u <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			u |= p[i] - '0';
		else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
			u |= (p[i] | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return u;
}

/* Put code point u, UTF-8 encoded, at out[*n] (room for max); *n grows
 * even past max, so that an overlong string is seen. */
static void
json_put(char *out, size_t max, size_t *n, long u)
{
	char b[4];
	size_t k, i;

	if (u < 0x80) {
		b[0] = (char)u;
		k = 1;
	} else if (u < 0x800) {
		b[0] = (char)(0xc0 | u >> 6);
		b[1] = (char)(0x80 | (u & 0x3f));
		k = 2;
	} else if (u < 0x10000) {
		b[0] = (char)(0xe0 | u >> 12);
		b[1] = (char)(0x80 | (u >> 6 & 0x3f));
		b[2] = (char)(0x80 | (u & 0x3f));
		k = 3;
	} else {
		b[0] = (char)(0xf0 | u >> 18);
		b[1] = (char)(0x80 | (u >> 12 & 0x3f));
		b[2] = (char)(0x80 | (u >> 6 & 0x3f));
		b[3] = (char)(0x80 | (u & 0x3f));
		k = 4;
	}
	for (i = 0; i < k; i++, (*n)++)
		if (out != NULL && *n < max)
			out[*n] = b[i];
}

/*
 * The JSON string at p (at its opening quote), decoded into out (max
 * bytes at most; out may be p itself, or NULL to only check it), its
 * length in *n (more than max when it did not fit), a NUL after it when
 * it fits.  Returns the text past the closing quote, or NULL with *why.
 */
static char *
json_string(char *p, char *out, size_t max, size_t *n, const char **why)
{
	unsigned char c;
	long u, lo;

	*n = 0;
	for (p++; (c = (unsigned char)*p) != '"'; ) {
		if (c == '\0') {
			*why = "a JSON line cut short";
			return NULL;
		}
		if (c < 0x20) {
			*why = "a control byte in a JSON string";
			return NULL;
		}
		if (c != '\\') {
			if (out != NULL && *n < max)
				out[*n] = (char)c;	/* a byte >= 0x80 too */
			(*n)++;
			p++;
			continue;
		}
		switch (p[1]) {
		case '"': case '\\': case '/':
			u = p[1];
			break;
		case 'b': u = '\b'; break;
		case 'f': u = '\f'; break;
		case 'n': u = '\n'; break;
		case 'r': u = '\r'; break;
		case 't': u = '\t'; break;
		case 'u':
			if ((u = json_hex4(p + 2)) < 0 ||
			    (u >= 0xdc00 && u <= 0xdfff))
				goto bad;	/* a low surrogate alone */
			if (u < 0xd800 || u > 0xdbff) {
				p += 4;
				break;
			}
			if (p[6] != '\\' || p[7] != 'u' ||
			    (lo = json_hex4(p + 8)) < 0xdc00 || lo > 0xdfff)
				goto bad;	/* a high surrogate alone */
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			p += 10;
			break;
		case '\0':
			*why = "a JSON line cut short";
			return NULL;
		default:
			goto bad;
		}
		json_put(out, max, n, u);
		p += 2;
	}
	if (out != NULL && *n < max)
		out[*n] = '\0';
	return p + 1;
bad:
	*why = "an invalid escape in a JSON string";
	return NULL;
}

/* Past the JSON number at p (its grammar, loosely: digits, sign, point,
 * exponent), or NULL with *why. */
static char *
json_number(char *p, const char **why)
{
	char *q = p + strspn(p, "+-0123456789.eE");

	if (q == p || !((*p >= '0' && *p <= '9') || *p == '-')) {
		*why = "a JSON line malformed";
		return NULL;
	}
	return q;
}

static char *json_skip(char *p, int depth, const char **why);

/* Past the array (or object, close '}') at p, its members checked. */
static char *
json_list(char *p, char close, int depth, const char **why)
{
	size_t n;

	if (depth >= JSON_DEPTH) {
		*why = "JSON nested too deeply";
		return NULL;
	}
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (*p != '"' ||
			    (p = json_string(p, NULL, 0, &n, why)) == NULL)
				goto bad;
			if (*(p = json_ws(p)) != ':')
				goto bad;
			p = json_ws(p + 1);
		}
		if ((p = json_skip(p, depth + 1, why)) == NULL)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p != ',')
			goto bad;
		p = json_ws(p + 1);
	}
bad:
	if (p != NULL)
		*why = *p == '\0' ? "a JSON line cut short" :
		    "a JSON line malformed";
	return NULL;
}

/* Past the JSON value at p, checked, or NULL with *why. */
static char *
json_skip(char *p, int depth, const char **why)
{
	static const char *const words[] = { "null", "true", "false" };
	size_t i, n;

	switch (*p) {
	case '"':
		return json_string(p, NULL, 0, &n, why);
	case '[':
		return json_list(p, ']', depth, why);
	case '{':
		return json_list(p, '}', depth, why);
	case '\0':
		*why = "a JSON line cut short";
		return NULL;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(p, words[i], strlen(words[i])) == 0)
			return p + strlen(words[i]);
	return json_number(p, why);
}

/* The array of byte values at p ("[78,79]"), decoded in place into *f
 * (JV_BYTES); any other array is checked and left as JV_OTHER (several
 * values of one field). */
static char *
json_bytes(char *p, struct jfield *f, const char **why)
{
	char *out = p, *q = json_ws(p + 1);
	unsigned long b;

	if (*q != ']' && (*q < '0' || *q > '9')) {
		f->jf_kind = JV_OTHER;
		return json_list(p, ']', 1, why);
	}
	f->jf_kind = JV_BYTES;
	f->jf_text = out;
	f->jf_len = 0;
	for (p = q; *p != ']'; p = json_ws(p + 1)) {
		if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' &&
		    p[1] <= '9') || (b = strtoul(p, &q, 10)) > 255) {
			*why = *p == '\0' ? "a JSON line cut short" :
			    "a byte value that is none in a JSON array";
			return NULL;
		}
		out[f->jf_len++] = (char)b;
		if (*(p = json_ws(q)) == ']')
			break;
		if (*p != ',' || *json_ws(p + 1) == ']') {
			*why = *p == '\0' ? "a JSON line cut short" :
			    *p == ',' ? "a byte value that is none in a JSON "
			    "array" : "a JSON line malformed";
			return NULL;
		}
	}
	out[f->jf_len] = '\0';
	return p + 1;
}

/* The value at p of a field read: decoded in place into *f. */
static char *
json_field(char *p, struct jfield *f, const char **why)
{
	if (*p == '"') {
		f->jf_kind = JV_STRING;
		f->jf_text = p;
		return json_string(p, p, SIZE_MAX, &f->jf_len, why);
	}
	if (*p == '[')
		return json_bytes(p, f, why);
	f->jf_kind = strncmp(p, "null", 4) == 0 ? JV_NULL : JV_OTHER;
	return json_skip(p, 1, why);
}

/*
 * The journal entry in line, its fields of jfield_names[] decoded into
 * f[].  Returns 0, or -1 with *why when the line is no JSON object (or
 * gives one of those fields twice).
 */
static int
json_entry(char *line, struct jfield f[JF_N], const char **why)
{
	char key[JSON_KEY], *p = json_ws(line);
	size_t n;
	int i;

	memset(f, 0, JF_N * sizeof(*f));
	if (*p != '{')
		goto bad;
	for (p = json_ws(p + 1); *p != '}'; p = json_ws(p + 1)) {
		if (*p != '"' || (p = json_string(p, key, sizeof(key), &n,
		    why)) == NULL)
			goto bad;
		if (*(p = json_ws(p)) != ':')
			goto bad;
		p = json_ws(p + 1);
		for (i = 0; i < JF_N; i++)
			if (n == strlen(jfield_names[i]) &&
			    memcmp(key, jfield_names[i], n) == 0)
				break;
		if (i < JF_N && f[i].jf_kind != JV_ABSENT) {
			*why = "a JSON object with a field twice";
			return -1;
		}
		if ((p = i < JF_N ? json_field(p, &f[i], why) :
		    json_skip(p, 1, why)) == NULL)
			return -1;
		if (*(p = json_ws(p)) == '}')
			break;
		if (*p != ',')
			goto bad;
	}
	if (*json_ws(p + 1) != '\0') {
		*why = "text after a JSON object";
		return -1;
	}
	return 0;
bad:
	if (p != NULL)
		*why = *p == '\0' ? "a JSON line cut short" :
		    "a JSON line malformed";
	return -1;
}

/* Bytes of s outside printable ASCII (or a blank, unless blank_ok) as
 * "?"; trailing blanks cut. */
static char *
json_printable(char *s, bool blank_ok)
{
	size_t n;
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p < (blank_ok ? ' ' : '!') || *p > '~')
			*p = '?';
	for (n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
		s[n - 1] = '\0';
	return s;
}

/* A journal entry's time: __REALTIME_TIMESTAMP (microseconds since the
 * epoch) in RFC 3339, UTC, into ll_timebuf; else SYSLOG_TIMESTAMP as
 * written; else "". */
static void
json_time(struct logline *ll, const struct jfield f[JF_N])
{
	const struct jfield *rt = &f[JF_REALTIME], *st = &f[JF_SYSLOGTIME];
	unsigned long long us;
	struct tm tm;
	size_t n;
	time_t t;

	ll->ll_time = "";
	if (rt->jf_kind == JV_STRING && rt->jf_len > 0 && rt->jf_len <= 19 &&
	    strspn(rt->jf_text, "0123456789") == rt->jf_len) {
		us = strtoull(rt->jf_text, NULL, 10);
		t = (time_t)(us / 1000000);
		if (gmtime_r(&t, &tm) != NULL && (n = strftime(ll->ll_timebuf,
		    sizeof(ll->ll_timebuf), "%Y-%m-%dT%H:%M:%S", &tm)) > 0) {
			snprintf(ll->ll_timebuf + n, sizeof(ll->ll_timebuf) - n,
			    ".%06llu+00:00", us % 1000000);
			ll->ll_time = ll->ll_timebuf;
			return;
		}
	}
	if (st->jf_kind == JV_STRING)
		ll->ll_time = json_printable(st->jf_text, true);
}

/* One line of journalctl -o json: the entry is the milter's when its
 * SYSLOG_IDENTIFIER is the tag, and its MESSAGE is then what follows the
 * tag in a syslog line. */
static enum logread_kind
split_journal(char *line, struct logline *ll)
{
	struct jfield f[JF_N];
	const struct jfield *id = &f[JF_IDENT], *m = &f[JF_MESSAGE];
	size_t i;

	ll->ll_time = ll->ll_host = "";
	if (json_entry(line, f, &ll->ll_why) < 0)
		return LR_SKIPPED;
	if ((id->jf_kind != JV_STRING && id->jf_kind != JV_BYTES) ||
	    id->jf_len != strlen(TAG) || memcmp(id->jf_text, TAG,
	    id->jf_len) != 0)
		return LR_FOREIGN;
	if (f[JF_HOST].jf_kind == JV_STRING)
		ll->ll_host = json_printable(f[JF_HOST].jf_text, false);
	json_time(ll, f);
	if (m->jf_kind != JV_STRING && m->jf_kind != JV_BYTES) {
		ll->ll_why = m->jf_kind == JV_ABSENT ? "a journal entry "
		    "without a MESSAGE" : m->jf_kind == JV_NULL ? "a MESSAGE "
		    "journalctl left out (over 4096 bytes: journalctl --all)" :
		    "a MESSAGE that is not one value";
		return LR_SKIPPED;
	}
	for (i = 0; i < m->jf_len; i++)
		if ((unsigned char)m->jf_text[i] < 0x20 ||
		    m->jf_text[i] == 0x7f) {
			ll->ll_why = "a control byte in a MESSAGE";
			return LR_SKIPPED;
		}
	return split_message(m->jf_text, ll);
}

/*
 * logread_split - see logread.h.
 */
enum logread_kind
logread_split(char *line, struct logline *ll)
{
	char *msg;

	if (line[0] == '{')
		return split_journal(line, ll);
	if ((msg = strip_prefix(line, ll)) == NULL)
		return LR_FOREIGN;
	return split_message(msg, ll);
}

/* Skip the rest of a line longer than the buffer. */
static void
skip_rest(struct logread *lr)
{
	int c;

	while ((c = gzgetc(lr->lr_gz)) != -1 && c != '\n')
		continue;
}

/*
 * logread_next - see logread.h.
 */
enum logread_kind
logread_next(struct logread *lr, struct logline *ll)
{
	size_t n;
	int err;

	if (gzgets(lr->lr_gz, lr->lr_buf, sizeof(lr->lr_buf)) == NULL) {
		(void)gzerror(lr->lr_gz, &err);
		ll->ll_why = err == Z_OK || err == Z_STREAM_END ? NULL :
		    "the input cannot be read (or its gzip data is damaged)";
		return ll->ll_why == NULL ? LR_EOF : LR_ERROR;
	}
	ll->ll_lineno = ++lr->lr_lineno;
	n = strlen(lr->lr_buf);
	if (n > 0 && lr->lr_buf[n - 1] == '\n')
		lr->lr_buf[--n] = '\0';
	else if (n == sizeof(lr->lr_buf) - 1) {
		skip_rest(lr);
		ll->ll_why = "a line longer than 64 KiB";
		return LR_SKIPPED;
	}
	return logread_split(lr->lr_buf, ll);	/* a NUL cuts it: unreadable */
}
