/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mtaproto.c - packets, command data and replies of the milter protocol,
 * seen from the MTA (see mtaproto.h).
 */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "mtaproto.h"

/* ---------------------------------------------------------------- buffers */

/* Make room for len more bytes and a NUL; out of memory is fatal. */
static void
buf_grow(struct mp_buf *b, size_t len)
{
	size_t size;

	if (b->b_len + len + 1 <= b->b_size)
		return;
	size = b->b_size ? b->b_size : 256;
	while (size < b->b_len + len + 1)
		size *= 2;
	if ((b->b_data = realloc(b->b_data, size)) == NULL) {
		fputs("out of memory\n", stderr);
		exit(70);
	}
	b->b_size = size;
}

/*
 * mp_buf_add - see mtaproto.h.
 */
void
mp_buf_add(struct mp_buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->b_data + b->b_len, data, len);
	b->b_len += len;
	b->b_data[b->b_len] = '\0';
}

/*
 * mp_buf_addc - see mtaproto.h.
 */
void
mp_buf_addc(struct mp_buf *b, int c)
{
	char ch = (char)c;

	mp_buf_add(b, &ch, 1);
}

/*
 * mp_buf_addz - see mtaproto.h.
 */
void
mp_buf_addz(struct mp_buf *b, const char *s, size_t len)
{
	mp_buf_add(b, s, len);
	mp_buf_addc(b, '\0');
}

/*
 * mp_buf_add32 - see mtaproto.h.
 */
void
mp_buf_add32(struct mp_buf *b, uint32_t v)
{
	uint32_t n = htonl(v);

	mp_buf_add(b, &n, sizeof(n));
}

/*
 * mp_buf_drop - see mtaproto.h.
 */
void
mp_buf_drop(struct mp_buf *b, size_t n)
{
	if (n >= b->b_len) {
		b->b_len = 0;
	} else {
		memmove(b->b_data, b->b_data + n, b->b_len - n);
		b->b_len -= n;
	}
	if (b->b_data != NULL)
		b->b_data[b->b_len] = '\0';
}

/*
 * mp_buf_free - see mtaproto.h.
 */
void
mp_buf_free(struct mp_buf *b)
{
	free(b->b_data);
	*b = (struct mp_buf)MP_BUF_INIT;
}

/* ---------------------------------------------------------------- packets */

/*
 * mp_packet - see mtaproto.h.
 */
void
mp_packet(struct mp_buf *out, int cmd, const void *data, size_t len)
{
	mp_buf_add32(out, (uint32_t)(len + 1));
	mp_buf_addc(out, cmd);
	mp_buf_add(out, data, len);
}

/*
 * mp_take - see mtaproto.h.
 */
long
mp_take(const char *in, size_t len, size_t max, int *cmd, const char **data,
    size_t *dlen)
{
	uint32_t n;

	if (len < 5)
		return 0;
	memcpy(&n, in, sizeof(n));
	n = ntohl(n);
	if (n == 0 || n - 1 > max)
		return -1;
	if (len - 4 < n)
		return 0;
	*cmd = (unsigned char)in[4];
	*data = in + 5;
	*dlen = n - 1;
	return (long)n + 4;
}

/*
 * mp_read32 - see mtaproto.h.
 */
int
mp_read32(struct mp_reader *r, uint32_t *v)
{
	uint32_t n;

	if (r->rd_left < sizeof(n))
		return -1;
	memcpy(&n, r->rd_p, sizeof(n));
	r->rd_p += sizeof(n);
	r->rd_left -= sizeof(n);
	*v = ntohl(n);
	return 0;
}

/*
 * mp_readz - see mtaproto.h.
 */
const char *
mp_readz(struct mp_reader *r, size_t *len)
{
	const char *s = r->rd_p;
	const char *nul = memchr(s, '\0', r->rd_left);

	if (nul == NULL)
		return NULL;
	*len = (size_t)(nul - s);
	r->rd_p = nul + 1;
	r->rd_left -= *len + 1;
	return s;
}

/* ---------------------------------------------------------------- commands */

/*
 * mp_optneg_data - see mtaproto.h.
 */
void
mp_optneg_data(struct mp_buf *b, uint32_t version, uint32_t actions,
    uint32_t protocol)
{
	mp_buf_add32(b, version);
	mp_buf_add32(b, actions);
	mp_buf_add32(b, protocol);
}

/*
 * mp_optneg_parse - see mtaproto.h.
 */
int
mp_optneg_parse(const char *data, size_t len, struct mp_optneg *o,
    const char **why)
{
	struct mp_reader r = { data, len };
	size_t n;

	memset(o, 0, sizeof(*o));
	if (mp_read32(&r, &o->on_version) < 0 ||
	    mp_read32(&r, &o->on_actions) < 0 ||
	    mp_read32(&r, &o->on_protocol) < 0) {
		*why = "reply 'O' too short";
		return -1;
	}
	while (r.rd_left > 0) {
		if (o->on_nlists == MP_LISTS_MAX) {
			*why = "reply 'O' with too many macro lists";
			return -1;
		}
		if (mp_read32(&r, &o->on_lists[o->on_nlists].ml_stage) < 0 ||
		    (o->on_lists[o->on_nlists].ml_text = mp_readz(&r, &n)) ==
		    NULL) {
			*why = "reply 'O': malformed macro list";
			return -1;
		}
		o->on_nlists++;
	}
	return 0;
}

/*
 * mp_stage_name - see mtaproto.h.
 */
const char *
mp_stage_name(uint32_t stage)
{
	static const char *const names[MP_STAGES] = {
		"connect", "helo", "envfrom", "envrcpt", "data", "eom", "eoh"
	};

	return stage < MP_STAGES ? names[stage] : NULL;
}

/*
 * mp_event_flags - see mtaproto.h.
 */
void
mp_event_flags(int cmd, uint32_t *no, uint32_t *nr)
{
	static const struct {
		int		ev_cmd;
		uint32_t	ev_no, ev_nr;
	} events[] = {
		{ SMFIC_CONNECT, SMFIP_NOCONNECT, SMFIP_NR_CONN },
		{ SMFIC_HELO, SMFIP_NOHELO, SMFIP_NR_HELO },
		{ SMFIC_MAIL, SMFIP_NOMAIL, SMFIP_NR_MAIL },
		{ SMFIC_RCPT, SMFIP_NORCPT, SMFIP_NR_RCPT },
		{ SMFIC_DATA, SMFIP_NODATA, SMFIP_NR_DATA },
		{ SMFIC_HEADER, SMFIP_NOHDRS, SMFIP_NR_HDR },
		{ SMFIC_EOH, SMFIP_NOEOH, SMFIP_NR_EOH },
		{ SMFIC_BODY, SMFIP_NOBODY, SMFIP_NR_BODY },
		{ SMFIC_UNKNOWN, SMFIP_NOUNKNOWN, SMFIP_NR_UNKN },
	};
	size_t i;

	*no = *nr = 0;
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (events[i].ev_cmd == cmd) {
			*no = events[i].ev_no;
			*nr = events[i].ev_nr;
		}
}

/*
 * mp_connect_data - see mtaproto.h.
 */
void
mp_connect_data(struct mp_buf *b, const char *host, int family,
    uint16_t port, const char *addr)
{
	uint16_t nport = htons(port);

	mp_buf_addz(b, host, strlen(host));
	mp_buf_addc(b, family);
	if (family == SMFIA_UNKNOWN)
		return;
	mp_buf_add(b, &nport, sizeof(nport));
	mp_buf_addz(b, addr, strlen(addr));
}

/* ---------------------------------------------------------------- replies */

/*
 * mp_final_name - see mtaproto.h.
 */
const char *
mp_final_name(int cmd)
{
	static const struct {
		int		f_cmd;
		const char	*f_name;
	} finals[] = {
		{ SMFIR_CONTINUE, "continue" },
		{ SMFIR_ACCEPT, "accept" },
		{ SMFIR_REJECT, "reject" },
		{ SMFIR_TEMPFAIL, "tempfail" },
		{ SMFIR_DISCARD, "discard" },
		{ SMFIR_SKIP, "skip" },
		{ SMFIR_SHUTDOWN, "shutdown" },
		{ SMFIR_CONN_FAIL, "connfail" },
	};
	size_t i;

	for (i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
		if (finals[i].f_cmd == cmd)
			return finals[i].f_name;
	return NULL;
}

/*
 * mp_smtp_reply_ok - see mtaproto.h.
 */
int
mp_smtp_reply_ok(const char *text, size_t len)
{
	const char *end = text + len;

	if (memchr(text, '\0', len) != NULL)
		return 0;
	while (text < end) {
		size_t n = strcspn(text, "\r\n");
		int final = (text + n == end);

		if (n < 4 || (text[0] != '4' && text[0] != '5')
		    || !isdigit((unsigned char)text[1])
		    || !isdigit((unsigned char)text[2])
		    || text[3] != (final ? ' ' : '-'))
			return 0;
		if (final)
			break;
		text += n;
		if (strncmp(text, "\r\n", 2) != 0)
			return 0;
		text += 2;
	}
	return 1;
}

/* ---------------------------------------------------------------- sockets */

/* connect_unix - a unix-domain socket; fd, or -1/-2 with err. */
static int
connect_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -2;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errlen, "connect %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* connect_inet - PORT@HOST in family; fd, or -1/-2 with err. */
static int
connect_inet(const char *spec, int family, char *err, size_t errlen)
{
	struct addrinfo hints, *res, *ai;
	const char *at = strchr(spec, '@');
	char port[16];
	int fd = -1, rc;

	if (at == NULL || at == spec || (size_t)(at - spec) >= sizeof(port)) {
		snprintf(err, errlen, "bad socket PORT@HOST: %s", spec);
		return -2;
	}
	memcpy(port, spec, (size_t)(at - spec));
	port[at - spec] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(at + 1, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", spec, gai_strerror(rc));
		return -2;
	}
	snprintf(err, errlen, "connect %s: no address", spec);
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, 0)) < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			snprintf(err, errlen, "connect %s: %s", spec,
			    strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

/*
 * mp_connect_spec - see mtaproto.h.
 */
int
mp_connect_spec(const char *spec, char *err, size_t errlen)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return connect_unix(spec + 5, err, errlen);
	if (strncmp(spec, "local:", 6) == 0)
		return connect_unix(spec + 6, err, errlen);
	if (spec[0] == '/')
		return connect_unix(spec, err, errlen);
	if (strncmp(spec, "inet:", 5) == 0)
		return connect_inet(spec + 5, AF_INET, err, errlen);
	if (strncmp(spec, "inet6:", 6) == 0)
		return connect_inet(spec + 6, AF_INET6, err, errlen);
	snprintf(err, errlen, "unknown socket spec: %s", spec);
	return -2;
}
