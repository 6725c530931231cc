/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz.h - what the libFuzzer targets share: splitting an input into
 * fields, the session description the evaluator and the macro normaliser
 * read, ASCII case flips, and a property check that stops the run.
 *
 * A property that does not hold is a finding like a crash: FUZZ_CHECK
 * prints what was expected and aborts, so libFuzzer saves the input.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "property failed at %s:%d: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* fuzz_flip - copy s with every ASCII letter's case swapped (malloc'd;
 * NULL stays NULL). */
static inline char *
fuzz_flip(const char *s)
{
	char *t;
	size_t i;

	if (s == NULL || (t = strdup(s)) == NULL)
		return NULL;
	for (i = 0; t[i] != '\0'; i++)
		if ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))
			t[i] ^= 0x20;
	return t;
}

/* fuzz_dot - copy s with one "." appended (malloc'd; NULL stays NULL). */
static inline char *
fuzz_dot(const char *s)
{
	size_t n;
	char *t;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if ((t = malloc(n + 2)) == NULL)
		return NULL;
	memcpy(t, s, n);
	t[n] = '.';
	t[n + 1] = '\0';
	return t;
}

/* fuzz_no_controls - does s hold no control byte (below 0x20, or 0x7f)? */
static inline bool
fuzz_no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if (ascii_iscntrl((unsigned char)*s))
			return false;
	return true;
}

/* fuzz_printable - is every byte of s printable ASCII (0x20..0x7e)? */
static inline bool
fuzz_printable(const char *s)
{
	return ascii_printable(s);
}

/*
 * The session description, the input of the evaluator and of the macro
 * normaliser targets (and what fuzz/seeds writes from the unit tests):
 *
 *	byte 0		options: bits 0-1 the MTA (0 auto, 1 Postfix,
 *			2 Sendmail, 3 auto), bit 2 macros incomplete
 *	bytes 1-3	presence: bit i (byte 1 bit 0 first) says field i
 *			is given; an absent field is NULL, as a macro the
 *			MTA did not send
 *	the rest	the fields in the order of enum sd_field, each ending
 *			at a NUL byte (a missing tail: absent fields)
 */
enum sd_field {
	SD_ADDR, SD_NAME, SD_RESOLVE, SD_LISTENER, SD_HELO_PRE, SD_HELO_POST,
	SD_SENDER, SD_AUTH, SD_RCPT, SD_QUEUE_ID,
	SD_TLS_VERSION, SD_CIPHER, SD_CIPHER_BITS, SD_CERT_SUBJECT,
	SD_CERT_ISSUER, SD_VERIFY, SD_CN_SUBJECT, SD_CN_ISSUER,
	SD_DAEMON_PORT, SD_DAEMON_ADDR,
	SD_NFIELDS
};

/* The MTA macro of each field that comes as one. */
static const char *const sd_macro[SD_NFIELDS] = {
	[SD_LISTENER] = "{daemon_name}", [SD_DAEMON_PORT] = "{daemon_port}",
	[SD_DAEMON_ADDR] = "{daemon_addr}",
	[SD_TLS_VERSION] = "{tls_version}", [SD_CIPHER] = "{cipher}",
	[SD_CIPHER_BITS] = "{cipher_bits}", [SD_CERT_SUBJECT] = "{cert_subject}",
	[SD_CERT_ISSUER] = "{cert_issuer}", [SD_VERIFY] = "{verify}",
	[SD_CN_SUBJECT] = "{cn_subject}", [SD_CN_ISSUER] = "{cn_issuer}",
};

struct sessdesc {
	enum session_mta sd_mta;
	bool		sd_incomplete;
	const char	*sd_v[SD_NFIELDS];	/* NULL: absent */
	char		*sd_buf;		/* owns the strings */
};

/* sessdesc_parse - read the description; false when out of memory. */
static inline bool
sessdesc_parse(const uint8_t *data, size_t size, struct sessdesc *d)
{
	static const enum session_mta mtas[4] = { SESSION_MTA_AUTO,
	    SESSION_MTA_POSTFIX, SESSION_MTA_SENDMAIL, SESSION_MTA_AUTO };
	uint32_t present = 0;
	size_t i, pos;
	char *p, *end;

	memset(d, 0, sizeof(*d));
	if (size > 0) {
		d->sd_mta = mtas[data[0] & 3];
		d->sd_incomplete = (data[0] & 4) != 0;
	}
	for (i = 1; i < 4 && i < size; i++)
		present |= (uint32_t)data[i] << (8 * (i - 1));
	pos = size < 4 ? size : 4;
	if ((d->sd_buf = malloc(size - pos + 1)) == NULL)
		return false;
	memcpy(d->sd_buf, data + pos, size - pos);
	d->sd_buf[size - pos] = '\0';
	p = d->sd_buf;
	end = d->sd_buf + (size - pos);
	for (i = 0; i < SD_NFIELDS; i++) {
		const char *v = p <= end ? p : NULL;

		if (p <= end)
			p += strlen(p) + 1;
		d->sd_v[i] = (present & (1u << i)) && v != NULL ? v : NULL;
	}
	return true;
}

static inline void
sessdesc_free(struct sessdesc *d)
{
	free(d->sd_buf);
	d->sd_buf = NULL;
}

/* session_lookup_fn over a description's macro fields. */
static inline const char *
sessdesc_lookup(void *ctx, const char *name)
{
	const struct sessdesc *d = ctx;
	size_t i;

	for (i = 0; i < SD_NFIELDS; i++)
		if (sd_macro[i] != NULL && strcmp(sd_macro[i], name) == 0)
			return d->sd_v[i];
	return NULL;
}

/*
 * sessdesc_build - fill s as milter.c does: CONNECT and HELO (before
 * STARTTLS, then with TLS) into the connection's session, then the TLS
 * facts and the sender at MAIL.
 */
static inline void
sessdesc_build(const struct sessdesc *d, struct session *s)
{
	session_init(s);
	session_set_client(s, d->sd_v[SD_ADDR], d->sd_v[SD_NAME],
	    d->sd_v[SD_RESOLVE]);
	session_set_listener(s, sessdesc_lookup, (void *)d);
	if (d->sd_v[SD_HELO_PRE] != NULL)
		session_set_helo(s, d->sd_v[SD_HELO_PRE], false);
	if (d->sd_v[SD_HELO_POST] != NULL)
		session_set_helo(s, d->sd_v[SD_HELO_POST], true);
	session_set_tls(s, sessdesc_lookup, (void *)d, d->sd_mta,
	    !d->sd_incomplete);
	session_set_sender(s, d->sd_v[SD_SENDER], d->sd_v[SD_AUTH],
	    d->sd_v[SD_QUEUE_ID]);
}

/*
 * sessdesc_write - the inverse, for fuzz/seeds: write the description of
 * v (SD_NFIELDS strings, NULL absent) to fp.
 */
static inline void
sessdesc_write(FILE *fp, enum session_mta mta, bool incomplete,
    const char *const v[SD_NFIELDS])
{
	uint32_t present = 0;
	size_t i;

	for (i = 0; i < SD_NFIELDS; i++)
		if (v[i] != NULL)
			present |= 1u << i;
	fputc((mta == SESSION_MTA_POSTFIX ? 1 : mta == SESSION_MTA_SENDMAIL ?
	    2 : 0) | (incomplete ? 4 : 0), fp);
	fputc((int)(present & 0xff), fp);
	fputc((int)((present >> 8) & 0xff), fp);
	fputc((int)((present >> 16) & 0xff), fp);
	for (i = 0; i < SD_NFIELDS; i++) {
		if (v[i] != NULL)
			fputs(v[i], fp);
		fputc('\0', fp);
	}
}

#endif
