/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mailaddr.c - envelope addresses as the MTA hands them over, and the
 * sender/recipient patterns of the policy.
 *
 * The local part is kept as given (quotes and all) and compared without
 * regard to ASCII case; the domain is brought to dnsname form, or to the
 * canonical form of an IP address literal.  Quoted and unquoted spellings of one
 * local part ("\"ab\"" and "ab") are not unified.
 */
#include <string.h>

#include "ascii.h"
#include "cidr.h"
#include "mailaddr.h"

#define MAILADDR_ARG_MAX 1024	/* longer envelope arguments are invalid */

/* atom_byte - may c appear in an unquoted local part? */
static int
atom_byte(unsigned char c)
{
	return c != ' ' && !ascii_iscntrl(c) && strchr("\"(),:;<>@[\\]", c) == NULL;
}

/*
 * local_span - the length of the local part at the start of s[0..n-1]:
 * a quoted string (backslash escapes, no control bytes) or a run of atom
 * bytes and dots, ending at "@" or at the end.  Returns 0 when invalid.
 */
static size_t
local_span(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 0 && s[0] == '"') {
		for (i = 1; i < n && s[i] != '"'; i++) {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			if (ascii_iscntrl((unsigned char)s[i]))
				return 0;
		}
		if (i >= n)
			return 0;	/* no closing quote */
		i++;
	} else {
		while (i < n && s[i] != '@' && atom_byte((unsigned char)s[i]))
			i++;
	}
	if (i < n && s[i] != '@')
		return 0;
	return i;
}

/*
 * domain_parse - s[0..n-1] as a domain: an IP address literal "[...]"
 * in ipaddr_literal()'s canonical form, or a host name in dnsname form.
 * flags as for dnsname_normalize().  Returns 0 or -1 (out is then "").
 */
static int
domain_parse(const char *s, size_t n, char *out, size_t outlen,
    unsigned flags)
{
	char buf[MAILADDR_ARG_MAX + 1];

	out[0] = '\0';
	if (n == 0 || n > MAILADDR_ARG_MAX)
		return -1;
	if (s[0] != '[') {
		memcpy(buf, s, n);
		buf[n] = '\0';
		return dnsname_normalize(buf, out, outlen, flags);
	}
	return ipaddr_literal(s, n, out, outlen);
}

/*
 * mailbox_split - split "local@domain" or a domain-less "local" in
 * s[0..n-1] into local (MAILADDR_LOCAL_MAX + 1 bytes) and domain
 * (DNSNAME_BUFSIZE bytes, "" when there is none).  Returns 0, or -1 with
 * *why set.
 */
static int
mailbox_split(const char *s, size_t n, char *local, char *domain,
    const char **why)
{
	size_t l = local_span(s, n);

	local[0] = domain[0] = '\0';
	if (l == 0 || l > MAILADDR_LOCAL_MAX) {
		*why = n > 0 && s[0] == '@' ? "nothing before the @" :
		    "not a valid local part";
		return -1;
	}
	memcpy(local, s, l);
	local[l] = '\0';
	if (l == n)
		return 0;
	if (l + 1 == n) {
		*why = "nothing after the @";
		return -1;
	}
	if (domain_parse(s + l + 1, n - l - 1, domain, DNSNAME_BUFSIZE, 0) != 0) {
		*why = "not a valid domain";
		return -1;
	}
	return 0;
}

/*
 * mailaddr_parse - see mailaddr.h.  At most MAILADDR_ARG_MAX + 1 bytes of
 * arg are read.  "" and "<>" are the null sender.
 */
int
mailaddr_parse(const char *arg, struct mailaddr *out)
{
	const char *s = arg, *colon, *why;
	size_t n;

	/* The flags and two empty strings, not all 300 bytes: what follows a
	 * string's NUL is never read (tls-policy-report restores two
	 * addresses a line; bench/README). */
	out->ma_present = arg != NULL;
	out->ma_null = out->ma_valid = false;
	out->ma_local[0] = out->ma_domain[0] = '\0';
	if (arg == NULL)
		return -1;
	if ((n = strnlen(arg, MAILADDR_ARG_MAX + 1)) > MAILADDR_ARG_MAX)
		return -1;
	if (n > 0 && (s[0] == '<' || s[n - 1] == '>')) {
		if (n < 2 || s[0] != '<' || s[n - 1] != '>')
			return -1;
		s++;
		n -= 2;
	}
	if (n == 0) {
		out->ma_null = true;
		return 0;
	}
	if (s[0] == '@') {	/* source route "@a,@b:" */
		if ((colon = memchr(s, ':', n)) == NULL)
			return -1;
		n -= (size_t)(colon + 1 - s);
		s = colon + 1;
	}
	if (n == 0 || mailbox_split(s, n, out->ma_local, out->ma_domain,
	    &why) != 0) {
		out->ma_local[0] = out->ma_domain[0] = '\0';
		return -1;
	}
	out->ma_valid = true;
	return 0;
}

/*
 * addrpat_parse - see mailaddr.h: "<>", "local@domain" (a quoted local
 * part may hold "@"), "domain", ".domain", where domain may be an address
 * literal.  "@domain" is refused rather than read as a domain pattern.
 * why may be NULL.  At most MAILADDR_ARG_MAX + 1 bytes of text are read.
 */
int
addrpat_parse(const char *text, struct addrpat *out, struct addrpat_text *buf,
    const char **why)
{
	const char *err = "empty pattern";
	size_t n;

	memset(buf, 0, sizeof(*buf));
	*out = (struct addrpat){ ADDRPAT_NULL, buf->at_local, buf->at_domain };
	if (text == NULL || (n = strnlen(text, MAILADDR_ARG_MAX + 1)) == 0)
		goto fail;
	err = "pattern too long";
	if (n > MAILADDR_ARG_MAX)
		goto fail;
	if (strcmp(text, "<>") == 0) {
		out->ap_kind = ADDRPAT_NULL;
	} else if (text[0] == '"' || memchr(text, '@', n) != NULL) {
		out->ap_kind = ADDRPAT_ADDRESS;
		if (mailbox_split(text, n, buf->at_local, buf->at_domain,
		    &err) != 0)
			goto fail;
		err = "address pattern without a domain";
		if (buf->at_domain[0] == '\0')
			goto fail;
	} else {
		out->ap_kind = text[0] == '.' ? ADDRPAT_SUBDOMAIN : ADDRPAT_DOMAIN;
		err = "not a valid domain";
		if (domain_parse(text, n, buf->at_domain,
		    sizeof(buf->at_domain), DNSNAME_DOTPREFIX) != 0)
			goto fail;
	}
	if (why != NULL)
		*why = NULL;
	return 0;
fail:
	memset(buf, 0, sizeof(*buf));
	out->ap_kind = ADDRPAT_NULL;
	if (why != NULL)
		*why = err;
	return -1;
}

/*
 * mailaddr_base - see mailaddr.h.  (Postfix's split_addr(), with its
 * defaults owner_request_special = yes and double_bounce_sender =
 * double-bounce.)
 */
size_t
mailaddr_base(const char *local, const char *delims)
{
	size_t len = strlen(local), base;

	if (delims[0] == '\0' || ascii_caseeq(local, "postmaster") ||
	    ascii_caseeq(local, "mailer-daemon") ||
	    ascii_caseeq(local, "double-bounce"))
		return len;
	if (strchr(delims, '-') != NULL && (ascii_ncaseeq(local, "owner-", 6) ||
	    (len > 8 && ascii_caseeq(local + len - 8, "-request"))))
		return len;
	base = strcspn(local, delims);
	return base == 0 ? len : base;
}

/* Is the address's local part, or its base, the pattern's local part? */
static int
local_match(const char *pat, const char *local, const char *delims)
{
	size_t base;

	if (ascii_caseeq(pat, local))
		return 1;
	if (delims[0] == '\0' || strpbrk(local, delims) == NULL)
		return 0;
	base = mailaddr_base(local, delims);
	return strlen(pat) == base && ascii_ncaseeq(pat, local, base);
}

/* addrpat_match - see mailaddr.h.  NULL arguments match nothing. */
int
addrpat_match(const struct addrpat *pat, const struct mailaddr *addr,
    const char *delims)
{
	if (pat == NULL || addr == NULL || !addr->ma_present)
		return 0;
	if (addr->ma_null || pat->ap_kind == ADDRPAT_NULL)
		return addr->ma_null && pat->ap_kind == ADDRPAT_NULL;
	if (!addr->ma_valid || addr->ma_domain[0] == '\0')
		return 0;
	switch (pat->ap_kind) {
	case ADDRPAT_ADDRESS:
		return strcmp(pat->ap_domain, addr->ma_domain) == 0 &&
		    local_match(pat->ap_local, addr->ma_local, delims);
	case ADDRPAT_DOMAIN:
		return strcmp(pat->ap_domain, addr->ma_domain) == 0;
	case ADDRPAT_SUBDOMAIN:
		return dnsname_match(pat->ap_domain, addr->ma_domain);
	case ADDRPAT_NULL:
	default:
		return 0;
	}
}
