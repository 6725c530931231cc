/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mtaclient.c - the MTA side of the milter protocol (version 6), for tests.
 *
 * It plays what Postfix's milter8.c does, packet by packet, under the control
 * of a small script read from stdin, so that shell tests decide exactly which
 * macros a milter sees at which stage.  Packets are built and read by
 * mtaproto.c, which bench/milter-load shares; neither links libmilter.
 *
 *	t/mtaclient [-t SECONDS] SOCKET < script
 *
 * SOCKET is unix:/path (or local:/path, or /path), inet:PORT@HOST or
 * inet6:PORT@HOST.  -t sets the time allowed for each reply (default 10).
 *
 * Script: one command a line; blank lines and lines starting with # are
 * ignored.  Words are separated by blanks; "..." quotes a word and knows the
 * escapes \\ \" \n \r \t \xHH; an unquoted word starting with # ends the line.
 *
 *	optneg [ACTIONS [PROTOCOL [VERSION]]]
 *		SMFIC_OPTNEG.  Defaults are those of Postfix 3.7 milter8.c:
 *		actions 0x1ff (all, incl. SMFIF_SETSYMLIST), protocol 0x1fffff
 *		(milter_protocol = 6), version 6; "default" keeps a default.
 *		Prints "optneg version=V actions=0xA protocol=0xP" followed by
 *		one macros.STAGE="LIST" per macro list the milter requested
 *		(STAGE connect helo envfrom envrcpt data eom eoh, else the
 *		number).  As Postfix does, fails if the milter's version is
 *		above ours or it asks for actions we did not offer.
 *	macro STAGE [NAME VALUE]...
 *		SMFIC_MACRO for command STAGE (C H M R T L N B E U), sent at
 *		once.  Names go as written (write the braces: {tls_version}).
 *		A VALUE of the bare word @none leaves that pair out.  libmilter
 *		replaces all macros of a stage with each such packet.
 *	connect HOSTNAME FAMILY [ADDR [PORT]]
 *		SMFIC_CONNECT; FAMILY 4|inet, 6|inet6, L|unix or U|unknown
 *		(ADDR and PORT are not sent for U).
 *	helo NAME			SMFIC_HELO
 *	mail ARG...			SMFIC_MAIL, e.g. mail <a@b.example> SIZE=10
 *	rcpt ARG...			SMFIC_RCPT
 *	data				SMFIC_DATA
 *	header NAME VALUE		SMFIC_HEADER
 *	eoh				SMFIC_EOH
 *	body TEXT			SMFIC_BODY (one chunk, at most 65535 bytes)
 *	eom				SMFIC_BODYEOB
 *	unknown TEXT			SMFIC_UNKNOWN
 *	abort				SMFIC_ABORT (no reply is read)
 *	quit				SMFIC_QUIT, then close (nothing may follow)
 *	expect TEXT			the last printed line must equal TEXT, which
 *					is the rest of the line taken verbatim
 *	match GLOB			the same with an fnmatch(3) pattern
 *	sleep SECONDS			pause (fractions allowed)
 *	timeout SECONDS			time allowed for each later reply
 *
 * Output, one line per event reply: continue, accept, reject, tempfail,
 * discard, skip, shutdown (SMFIR_SHUTDOWN), connfail (SMFIR_CONN_FAIL), or
 * "reply TEXT" for SMFIR_REPLYCODE, TEXT as sent without its NUL.  At eom
 * the modification requests come first, one line each (addheader, insheader,
 * chgheader, addrcpt, addrcpt_par, delrcpt, chgfrom, replbody) with their
 * fields in "..."; quarantine "REASON" may come at any stage.  Progress
 * packets are consumed silently.  An event the milter asked not to receive
 * (SMFIP_NOHELO...) is not sent and prints "skipped"; an event it asked not
 * to answer (SMFIP_NR_*) is sent and prints "noreply".  In printed text, a
 * byte outside printable ASCII, a backslash or (inside "...") a quote is
 * written \xHH.  The connection is closed when the script ends.
 *
 * Exit status: 0 the script ran to the end; 1 an expect/match failed (both
 * lines on stderr); 2 protocol error: malformed or unexpected packet, EOF,
 * timeout (diagnostic on stderr); 64 bad usage or script.
 */

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ascii.h"
#include "mtaproto.h"

#define EXIT_MISMATCH	1
#define EXIT_PROTOCOL	2
#define EXIT_USAGE	64

#define MAX_REPLY	(1024 * 1024)	/* largest reply packet we accept */
#define MAX_LINE	(256 * 1024)	/* longest script line */
#define MAX_WORDS	256		/* words per script line */

struct word {
	char	       *w_text;		/* decoded, NUL-terminated */
	size_t		w_len;		/* may contain NUL bytes */
	int		w_quoted;
};

struct mta {
	int		m_fd;		/* -1 after quit */
	int		m_timeout_ms;
	int		m_negotiated;
	uint32_t	m_actions;	/* offered, then the milter's */
	uint32_t	m_protocol;	/* the milter's SMFIP_* flags */
	unsigned long	m_lineno;
	char	       *m_last;		/* last printed line, NULL if none */
	struct mp_buf	m_in;		/* bytes read, not yet taken */
};

static void fail(int, const char *, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static struct mta mta;

/* fail - print a diagnostic naming the script line, exit with status. */
static void
fail(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mtaclient: ");
	if (mta.m_lineno > 0)
		fprintf(stderr, "script line %lu: ", mta.m_lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* ---------------------------------------------------------------- buffers */

/* buf_escape - append data made printable as the header comment says. */
static void
buf_escape(struct mp_buf *b, const char *data, size_t len, int quote)
{
	char hex[8];

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (ascii_isprint(c) && c != '\\' && c != quote) {
			mp_buf_addc(b, c);
		} else {
			snprintf(hex, sizeof(hex), "\\x%02x", c);
			mp_buf_add(b, hex, 4);
		}
	}
}

/* buf_addw - append a word and its terminating NUL. */
static void
buf_addw(struct mp_buf *b, const struct word *w)
{
	mp_buf_addz(b, w->w_text, w->w_len);
}

/* ---------------------------------------------------------------- output */

/* emit - print one output line and remember it for expect/match. */
static void
emit(const char *line)
{
	free(mta.m_last);
	if ((mta.m_last = strdup(line)) == NULL)
		fail(EXIT_USAGE, "out of memory");
	printf("%s\n", line);
	fflush(stdout);
}

/* ---------------------------------------------------------------- socket */

/* sock_open - connect to a libmilter socket spec; returns the fd. */
static int
sock_open(const char *spec)
{
	char err[512];
	int fd = mp_connect_spec(spec, err, sizeof(err));

	if (fd == -2)
		fail(EXIT_USAGE, "%s", err);
	if (fd < 0)
		fail(EXIT_PROTOCOL, "%s", err);
	return fd;
}

/* ---------------------------------------------------------------- packets */

/* pkt_send - send one command packet: length, command, data. */
static void
pkt_send(int cmd, const struct mp_buf *data)
{
	struct mp_buf pkt = MP_BUF_INIT;
	size_t off = 0;

	if (mta.m_fd < 0)
		fail(EXIT_USAGE, "connection already closed by quit");
	mp_packet(&pkt, cmd, data ? data->b_data : NULL, data ? data->b_len : 0);
	while (off < pkt.b_len) {
		ssize_t n = send(mta.m_fd, pkt.b_data + off, pkt.b_len - off,
		    MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail(EXIT_PROTOCOL, "send '%c': %s", cmd,
			    strerror(errno));
		off += (size_t)n;
	}
	free(pkt.b_data);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* read_more - read what the milter sent into m_in before the deadline. */
static void
read_more(long long deadline)
{
	struct pollfd pfd = { mta.m_fd, POLLIN, 0 };
	long long left = deadline - now_ms();
	char chunk[4096];
	ssize_t n;

	if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
		fail(EXIT_PROTOCOL, "timeout waiting for the milter");
	if ((n = read(mta.m_fd, chunk, sizeof(chunk))) < 0 && errno == EINTR)
		return;
	if (n < 0)
		fail(EXIT_PROTOCOL, "read: %s", strerror(errno));
	if (n == 0)
		fail(EXIT_PROTOCOL, "unexpected EOF from the milter");
	mp_buf_add(&mta.m_in, chunk, (size_t)n);
}

/* pkt_recv - read one reply packet; its data replaces data's; returns cmd. */
static int
pkt_recv(struct mp_buf *data)
{
	long long deadline = now_ms() + mta.m_timeout_ms;
	const char *d;
	size_t dlen;
	long used;
	int cmd;

	if (mta.m_fd < 0)
		fail(EXIT_USAGE, "connection already closed by quit");
	while ((used = mp_take(mta.m_in.b_data, mta.m_in.b_len, MAX_REPLY,
	    &cmd, &d, &dlen)) == 0)
		read_more(deadline);
	if (used < 0)
		fail(EXIT_PROTOCOL, "bad reply packet length");
	data->b_len = 0;
	mp_buf_add(data, d, dlen);
	mp_buf_drop(&mta.m_in, (size_t)used);
	return cmd;
}

/* ---------------------------------------------------------------- replies */

struct reader {
	struct mp_reader r_in;
	int		r_cmd;
};

static uint32_t
rd_u32(struct reader *r)
{
	uint32_t n;

	if (mp_read32(&r->r_in, &n) < 0)
		fail(EXIT_PROTOCOL, "reply '%c' too short", r->r_cmd);
	return n;
}

/* rd_str - take one NUL-terminated string; *lenp gets its length. */
static const char *
rd_str(struct reader *r, size_t *lenp)
{
	const char *s = mp_readz(&r->r_in, lenp);

	if (s == NULL)
		fail(EXIT_PROTOCOL, "reply '%c': string without NUL", r->r_cmd);
	return s;
}

/* rd_quoted - append "STRING", escaped, from the reader. */
static void
rd_quoted(struct reader *r, struct mp_buf *line)
{
	size_t len;
	const char *s = rd_str(r, &len);

	mp_buf_addc(line, '"');
	buf_escape(line, s, len, '"');
	mp_buf_addc(line, '"');
}

/* rd_field - append a blank and "STRING" from the reader. */
static void
rd_field(struct reader *r, struct mp_buf *line)
{
	mp_buf_addc(line, ' ');
	rd_quoted(r, line);
}

/* Requests that come before the final reply; fields are strings. */
static const struct {
	int		e_cmd;
	const char     *e_name;
	int		e_index;	/* a 32-bit index comes first */
	int		e_min, e_max;	/* how many strings */
	int		e_anystage;	/* not only at end of message */
} edits[] = {
	{ SMFIR_ADDHEADER, "addheader", 0, 2, 2, 0 },
	{ SMFIR_INSHEADER, "insheader", 1, 2, 2, 0 },
	{ SMFIR_CHGHEADER, "chgheader", 1, 2, 2, 0 },
	{ SMFIR_ADDRCPT, "addrcpt", 0, 1, 1, 0 },
	{ SMFIR_ADDRCPT_PAR, "addrcpt_par", 0, 1, 2, 0 },
	{ SMFIR_DELRCPT, "delrcpt", 0, 1, 1, 0 },
	{ SMFIR_CHGFROM, "chgfrom", 0, 1, 2, 0 },
	{ SMFIR_QUARANTINE, "quarantine", 0, 1, 1, 1 },
};

/* reply_final - print a data-less final reply; returns 1, or 0 if not one. */
static int
reply_final(int cmd, const struct mp_buf *data)
{
	const char *name = mp_final_name(cmd);

	if (name == NULL)
		return 0;
	if (data->b_len != 0)
		fail(EXIT_PROTOCOL, "reply '%c' with %zu data bytes", cmd,
		    data->b_len);
	emit(name);
	return 1;
}

/* reply_code - print an SMFIR_REPLYCODE reply as "reply TEXT". */
static void
reply_code(const struct mp_buf *data)
{
	struct mp_buf line = MP_BUF_INIT;
	size_t len = data->b_len;

	if (len == 0 || data->b_data[len - 1] != '\0')
		fail(EXIT_PROTOCOL, "reply 'y' without its NUL");
	len--;
	mp_buf_add(&line, "reply ", 6);
	buf_escape(&line, data->b_data, len, 0);
	if (!mp_smtp_reply_ok(data->b_data, len))
		fail(EXIT_PROTOCOL, "malformed SMTP reply: %s", line.b_data);
	emit(line.b_data);
	free(line.b_data);
}

/* reply_edit - print a modification request, or fail if out of place. */
static void
reply_edit(int cmd, int event, const struct mp_buf *data)
{
	struct reader r = { { data->b_data, data->b_len }, cmd };
	struct mp_buf line = MP_BUF_INIT;
	size_t i, n = sizeof(edits) / sizeof(edits[0]);
	int count;
	char num[16];

	if (cmd == SMFIR_REPLBODY && event != SMFIC_BODYEOB)
		fail(EXIT_PROTOCOL, "reply '%c' outside end of message", cmd);
	if (cmd == SMFIR_REPLBODY) {
		mp_buf_add(&line, "replbody \"", 10);
		buf_escape(&line, data->b_data, data->b_len, '"');
		mp_buf_addc(&line, '"');
		emit(line.b_data);
		free(line.b_data);
		return;
	}
	for (i = 0; i < n && edits[i].e_cmd != cmd; i++)
		continue;
	if (i == n)
		fail(EXIT_PROTOCOL, "unknown reply '%c' (0x%02x)", cmd, cmd);
	if (!edits[i].e_anystage && event != SMFIC_BODYEOB)
		fail(EXIT_PROTOCOL, "reply '%c' outside end of message", cmd);
	mp_buf_add(&line, edits[i].e_name, strlen(edits[i].e_name));
	if (edits[i].e_index) {
		snprintf(num, sizeof(num), " %lu", (unsigned long)rd_u32(&r));
		mp_buf_add(&line, num, strlen(num));
	}
	for (count = 0; r.r_in.rd_left > 0 && count < edits[i].e_max; count++)
		rd_field(&r, &line);
	if (count < edits[i].e_min || r.r_in.rd_left > 0)
		fail(EXIT_PROTOCOL, "reply '%c' malformed", cmd);
	emit(line.b_data);
	free(line.b_data);
}

/* reply_read - read and print replies to event up to the final one. */
static void
reply_read(int event)
{
	struct mp_buf data = MP_BUF_INIT;

	for (;;) {
		int cmd = pkt_recv(&data);

		if (cmd == SMFIR_PROGRESS && data.b_len == 0)
			continue;
		if (reply_final(cmd, &data))
			break;
		if (cmd == SMFIR_REPLYCODE) {
			reply_code(&data);
			break;
		}
		reply_edit(cmd, event, &data);
	}
	free(data.b_data);
}

/* ---------------------------------------------------------------- events */

/*
 * event - send an event unless the milter asked not to get it ("skipped"),
 * then read its reply unless the milter asked not to answer ("noreply").
 */
static void
event(int cmd, const struct mp_buf *data)
{
	uint32_t no_flag, nr_flag;

	mp_event_flags(cmd, &no_flag, &nr_flag);
	if ((mta.m_protocol & no_flag) != 0) {
		emit("skipped");
		return;
	}
	pkt_send(cmd, data);
	if ((mta.m_protocol & nr_flag) != 0) {
		emit("noreply");
		return;
	}
	reply_read(cmd);
}

/* parse_num - a number in C syntax within [0, max]; fails on junk. */
static unsigned long
parse_num(const struct word *w, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(w->w_text, &end, 0);
	if (w->w_len == 0 || *end != '\0' || errno != 0 || v > max
	    || w->w_text[0] == '-')
		fail(EXIT_USAGE, "bad number: %s", w->w_text);
	return v;
}

/* parse_secs - seconds with fractions within (0, 3600], as milliseconds. */
static long
parse_secs(const struct word *w, int zero_ok)
{
	char *end;
	double v = strtod(w->w_text, &end);

	if (w->w_len == 0 || *end != '\0' || !(v <= 3600)
	    || v < 0 || (v == 0 && !zero_ok))
		fail(EXIT_USAGE, "bad number of seconds: %s", w->w_text);
	return (long)(v * 1000);
}

/* optneg_line - the line printed for the milter's SMFIC_OPTNEG reply. */
static void
optneg_line(const struct mp_optneg *o, struct mp_buf *line)
{
	char head[128];
	size_t i;

	snprintf(head, sizeof(head), "optneg version=%lu actions=0x%lx"
	    " protocol=0x%lx", (unsigned long)o->on_version,
	    (unsigned long)o->on_actions, (unsigned long)o->on_protocol);
	mp_buf_add(line, head, strlen(head));
	for (i = 0; i < o->on_nlists; i++) {
		const char *stage = mp_stage_name(o->on_lists[i].ml_stage);

		if (stage != NULL)
			snprintf(head, sizeof(head), " macros.%s=\"", stage);
		else
			snprintf(head, sizeof(head), " macros.%lu=\"",
			    (unsigned long)o->on_lists[i].ml_stage);
		mp_buf_add(line, head, strlen(head));
		buf_escape(line, o->on_lists[i].ml_text,
		    strlen(o->on_lists[i].ml_text), '"');
		mp_buf_addc(line, '"');
	}
}

/* ---------------------------------------------------------------- commands */

/* optneg [ACTIONS [PROTOCOL [VERSION]]] */
static void
cmd_optneg(const struct word *w, int n)
{
	uint32_t offer[3] = { MP_OFFER_ACTIONS, MP_OFFER_PROTOCOL,
	    MP_OFFER_VERSION };
	struct mp_buf out = MP_BUF_INIT, in = MP_BUF_INIT, line = MP_BUF_INIT;
	struct mp_optneg o;
	const char *why;
	int cmd;

	for (int i = 0; i < n; i++)
		if (strcmp(w[i].w_text, "default") != 0)
			offer[i] = (uint32_t)parse_num(&w[i], 0xffffffffUL);
	mp_optneg_data(&out, offer[2], offer[0], offer[1]);
	pkt_send(SMFIC_OPTNEG, &out);
	if ((cmd = pkt_recv(&in)) != SMFIC_OPTNEG)
		fail(EXIT_PROTOCOL, "reply '%c' to SMFIC_OPTNEG", cmd);
	if (mp_optneg_parse(in.b_data, in.b_len, &o, &why) < 0)
		fail(EXIT_PROTOCOL, "%s", why);
	mta.m_actions = o.on_actions;
	mta.m_protocol = o.on_protocol;
	optneg_line(&o, &line);
	emit(line.b_data);
	if (o.on_version > offer[2])
		fail(EXIT_PROTOCOL, "milter protocol version %lu above ours",
		    (unsigned long)o.on_version);
	if ((mta.m_actions & ~offer[0]) != 0)
		fail(EXIT_PROTOCOL, "milter requests actions 0x%lx not offered",
		    (unsigned long)(mta.m_actions & ~offer[0]));
	mp_buf_free(&out);
	mp_buf_free(&in);
	mp_buf_free(&line);
}

/* macro STAGE [NAME VALUE]... ; a bare @none value omits the pair. */
static void
cmd_macro(const struct word *w, int n)
{
	struct mp_buf b = MP_BUF_INIT;

	if (w[0].w_len != 1 || strchr("CHMRTLNBEU", w[0].w_text[0]) == NULL)
		fail(EXIT_USAGE, "bad macro stage: %s", w[0].w_text);
	if (n % 2 != 1)
		fail(EXIT_USAGE, "macro: NAME without VALUE");
	mp_buf_addc(&b, w[0].w_text[0]);
	for (int i = 1; i < n; i += 2) {
		if (!w[i + 1].w_quoted && strcmp(w[i + 1].w_text, "@none") == 0)
			continue;
		buf_addw(&b, &w[i]);
		buf_addw(&b, &w[i + 1]);
	}
	pkt_send(SMFIC_MACRO, &b);
	mp_buf_free(&b);
}

/* connect HOSTNAME FAMILY [ADDR [PORT]] */
static void
cmd_connect(const struct word *w, int n)
{
	static const char *const fam[][2] = {
		{ "4", "inet" }, { "6", "inet6" }, { "L", "unix" },
		{ "L", "local" }, { "U", "unknown" },
	};
	struct mp_buf b = MP_BUF_INIT;
	size_t i;
	uint16_t port;

	for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
		if (strcmp(w[1].w_text, fam[i][0]) == 0
		    || strcmp(w[1].w_text, fam[i][1]) == 0)
			break;
	if (i == sizeof(fam) / sizeof(fam[0]))
		fail(EXIT_USAGE, "bad address family: %s", w[1].w_text);
	buf_addw(&b, &w[0]);
	mp_buf_addc(&b, fam[i][0][0]);
	if (fam[i][0][0] != SMFIA_UNKNOWN) {
		if (n < 3)
			fail(EXIT_USAGE, "connect: ADDR missing");
		port = htons(n > 3 ? (uint16_t)parse_num(&w[3], 65535) : 0);
		mp_buf_add(&b, &port, sizeof(port));
		buf_addw(&b, &w[2]);
	}
	event(SMFIC_CONNECT, &b);
	mp_buf_free(&b);
}

/* strings_event - an event whose data are the words, each with its NUL. */
static void
strings_event(int cmd, const struct word *w, int n)
{
	struct mp_buf b = MP_BUF_INIT;

	for (int i = 0; i < n; i++)
		buf_addw(&b, &w[i]);
	event(cmd, &b);
	mp_buf_free(&b);
}

static void
cmd_helo(const struct word *w, int n)
{
	strings_event(SMFIC_HELO, w, n);
}

static void
cmd_mail(const struct word *w, int n)
{
	strings_event(SMFIC_MAIL, w, n);
}

static void
cmd_rcpt(const struct word *w, int n)
{
	strings_event(SMFIC_RCPT, w, n);
}

static void
cmd_header(const struct word *w, int n)
{
	strings_event(SMFIC_HEADER, w, n);
}

static void
cmd_unknown(const struct word *w, int n)
{
	strings_event(SMFIC_UNKNOWN, w, n);
}

static void
cmd_data(const struct word *w, int n)
{
	strings_event(SMFIC_DATA, w, n);
}

static void
cmd_eoh(const struct word *w, int n)
{
	strings_event(SMFIC_EOH, w, n);
}

static void
cmd_eom(const struct word *w, int n)
{
	strings_event(SMFIC_BODYEOB, w, n);
}

/* body TEXT: one chunk, sent raw (no NUL). */
static void
cmd_body(const struct word *w, int n)
{
	struct mp_buf b = MP_BUF_INIT;

	(void)n;
	if (w[0].w_len > MILTER_CHUNK_SIZE)
		fail(EXIT_USAGE, "body chunk above %d bytes", MILTER_CHUNK_SIZE);
	mp_buf_add(&b, w[0].w_text, w[0].w_len);
	event(SMFIC_BODY, &b);
	mp_buf_free(&b);
}

static void
cmd_abort(const struct word *w, int n)
{
	(void)w;
	(void)n;
	pkt_send(SMFIC_ABORT, NULL);
}

static void
cmd_quit(const struct word *w, int n)
{
	(void)w;
	(void)n;
	pkt_send(SMFIC_QUIT, NULL);
	close(mta.m_fd);
	mta.m_fd = -1;
}

static void
cmd_sleep(const struct word *w, int n)
{
	long ms = parse_secs(&w[0], 1);
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	(void)n;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		continue;
}

static void
cmd_timeout(const struct word *w, int n)
{
	(void)n;
	mta.m_timeout_ms = (int)parse_secs(&w[0], 0);
}

static const struct command {
	const char     *c_name;
	int		c_min, c_max;	/* argument words */
	void		(*c_fn)(const struct word *, int);
} commands[] = {
	{ "optneg", 0, 3, cmd_optneg },
	{ "macro", 1, MAX_WORDS, cmd_macro },
	{ "connect", 2, 4, cmd_connect },
	{ "helo", 1, 1, cmd_helo },
	{ "mail", 1, MAX_WORDS, cmd_mail },
	{ "rcpt", 1, MAX_WORDS, cmd_rcpt },
	{ "data", 0, 0, cmd_data },
	{ "header", 2, 2, cmd_header },
	{ "eoh", 0, 0, cmd_eoh },
	{ "body", 1, 1, cmd_body },
	{ "eom", 0, 0, cmd_eom },
	{ "unknown", 1, 1, cmd_unknown },
	{ "abort", 0, 0, cmd_abort },
	{ "quit", 0, 0, cmd_quit },
	{ "sleep", 1, 1, cmd_sleep },
	{ "timeout", 1, 1, cmd_timeout },
};

/* ---------------------------------------------------------------- script */

/* expect_line - compare the last printed line with want (glob if match). */
static void
expect_line(const char *want, int glob)
{
	const char *got = mta.m_last;
	int ok;

	if (got == NULL)
		ok = 0;
	else if (glob)
		ok = fnmatch(want, got, 0) == 0;
	else
		ok = strcmp(want, got) == 0;
	if (ok)
		return;
	fprintf(stderr, "mtaclient: script line %lu: %s mismatch\n"
	    "-%s\n+%s\n", mta.m_lineno, glob ? "match" : "expect", want,
	    got ? got : "(nothing printed yet)");
	exit(EXIT_MISMATCH);
}

/* unescape - decode one backslash escape at *rp, store at *wp. */
static void
unescape(char **rp, char **wp)
{
	static const char plain[] = "\\\\\"\"n\nr\rt\t";
	char *r = *rp + 1;
	const char *p;
	int hi, lo;

	if (*r == 'x' && (hi = ascii_hexval(r[1])) >= 0 && (lo = ascii_hexval(r[2])) >= 0) {
		*(*wp)++ = (char)(hi * 16 + lo);
		*rp = r + 3;
		return;
	}
	for (p = plain; *p != '\0'; p += 2)
		if (*r == *p)
			break;
	if (*r == '\0' || *p == '\0')
		fail(EXIT_USAGE, "bad escape \\%c", *r ? *r : ' ');
	*(*wp)++ = p[1];
	*rp = r + 1;
}

/* word_quoted - decode "..." at r in place into w; returns the next char. */
static char *
word_quoted(char *r, struct word *w)
{
	char *wp = r;

	w->w_text = r;
	w->w_quoted = 1;
	for (r++; *r != '"'; ) {
		if (*r == '\0')
			fail(EXIT_USAGE, "unterminated quote");
		if (*r == '\\')
			unescape(&r, &wp);
		else
			*wp++ = *r++;
	}
	r++;
	if (*r != '\0' && !isspace((unsigned char)*r))
		fail(EXIT_USAGE, "junk after closing quote");
	w->w_len = (size_t)(wp - w->w_text);
	*wp = '\0';
	return r;
}

/*
 * split - cut line into words in place; returns their number.  When the
 * first word is expect or match, *rest gets the rest of the line verbatim.
 */
static int
split(char *line, struct word *w, char **rest)
{
	char *r = line;
	int n = 0;

	*rest = NULL;
	for (;;) {
		while (isspace((unsigned char)*r))
			r++;
		if (*r == '\0' || *r == '#')
			return n;
		if (n == MAX_WORDS)
			fail(EXIT_USAGE, "more than %d words", MAX_WORDS);
		if (n == 1 && (strcmp(w[0].w_text, "expect") == 0
		    || strcmp(w[0].w_text, "match") == 0)) {
			*rest = r;
			return n;
		}
		if (*r == '"') {
			r = word_quoted(r, &w[n++]);
			continue;
		}
		w[n] = (struct word){ r, strcspn(r, " \t\r\n\f\v"), 0 };
		r += w[n].w_len;
		if (*r != '\0')
			*r++ = '\0';
		n++;
	}
}

/* run_line - execute one script line. */
static void
run_line(char *line)
{
	static struct word w[MAX_WORDS];
	char *rest;
	int n = split(line, w, &rest);
	size_t i, nc = sizeof(commands) / sizeof(commands[0]);

	if (n == 0)
		return;
	if (strcmp(w[0].w_text, "expect") == 0
	    || strcmp(w[0].w_text, "match") == 0) {
		expect_line(rest ? rest : "", w[0].w_text[0] == 'm');
		return;
	}
	for (i = 0; i < nc && strcmp(commands[i].c_name, w[0].w_text); i++)
		continue;
	if (i == nc || w[0].w_quoted)
		fail(EXIT_USAGE, "unknown command: %s", w[0].w_text);
	if (n - 1 < commands[i].c_min || n - 1 > commands[i].c_max)
		fail(EXIT_USAGE, "%s: wrong number of arguments", w[0].w_text);
	commands[i].c_fn(w + 1, n - 1);
}

/* run_script - execute stdin line by line. */
static void
run_script(void)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;

	while ((len = getline(&line, &size, stdin)) >= 0) {
		mta.m_lineno++;
		if (len > MAX_LINE)
			fail(EXIT_USAGE, "line longer than %d bytes", MAX_LINE);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		run_line(line);
	}
	free(line);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mtaclient [-t SECONDS] SOCKET < script\n"
	    "  SOCKET: unix:/path | inet:PORT@HOST | inet6:PORT@HOST\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	struct word tw;
	int ch;

	mta.m_fd = -1;
	mta.m_timeout_ms = 10000;
	mta.m_actions = MP_OFFER_ACTIONS;
	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			usage();
		tw = (struct word){ optarg, strlen(optarg), 0 };
		mta.m_timeout_ms = (int)parse_secs(&tw, 0);
	}
	if (argc - optind != 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	mta.m_fd = sock_open(argv[optind]);
	run_script();
	if (mta.m_fd >= 0)
		close(mta.m_fd);
	free(mta.m_last);
	mp_buf_free(&mta.m_in);
	return 0;
}
