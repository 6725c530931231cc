/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * journal.c - one line of journalctl -o json, its fields decoded (see
 * journal.h).  Written by hand: no JSON library is linked, and only a
 * few string fields are wanted.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"


#define JSON_DEPTH	8	/* nested deeper: refused (the recursion stops) */
#define JSON_KEY	64	/* journal field names are shorter */

static const char *const jfield_names[JF_N] = { "MESSAGE",
	"SYSLOG_IDENTIFIER", "_HOSTNAME", "__REALTIME_TIMESTAMP",
	"SYSLOG_TIMESTAMP" };

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
json_bytes(char *p, struct journal_field *f, const char **why)
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
json_field(char *p, struct journal_field *f, const char **why)
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
 * journal_entry - see journal.h.
 */
int
journal_entry(char *line, struct journal_field f[JF_N], const char **why)
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

