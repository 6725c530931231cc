/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter-load.c - drive a milter with many SMTP sessions the way Postfix
 * does, and measure it.
 *
 *	bench/milter-load [-c CONCURRENCY] [-n SESSIONS] [-x MESSAGES]
 *	    [-k RCPTS] [-d DOMAINS] [-T TLS%] [-V CERT%] [-D] [-r RATE]
 *	    [-p PID] [-H SECONDS] [-s SEED] [-t SECONDS] [-q] SOCKET
 *
 * Each session is one milter connection, as Postfix opens one per SMTP
 * session: SMFIC_OPTNEG (version 6, Postfix 3.7's offer), then CONNECT,
 * HELO, for a TLS session a second HELO after STARTTLS with the TLS
 * macros, then MESSAGES transactions of MAIL and 1..RCPTS RCPT (with -D
 * also DATA, 12 headers, EOH, an 8 KiB body and end of message), ABORT
 * after a transaction that ended early, and QUIT.  Before each event it
 * sends the macros of that stage the milter asked for in its OPTNEG reply
 * (else Postfix's default lists), with the values of the session.  It
 * leaves out the events the milter asked not to get and waits for no
 * reply where the milter said it gives none; after ACCEPT, REJECT,
 * TEMPFAIL or DISCARD at MAIL it sends nothing more for that message.
 * Sessions come from the workload mix (workload.h): TLS% of them use TLS
 * (default 70), CERT% of those present a verified certificate (30), and
 * senders, recipients, networks and host names are drawn from DOMAINS
 * numbered domains (100,000), as bench/gen-policy names them.
 *
 * CONCURRENCY sessions (default 8) run at once on one thread (epoll),
 * SESSIONS (default 10,000) in all.  With -r, sessions arrive at RATE per
 * second (Poisson) instead of back to back, and a session's latency
 * counts from its arrival.  With -p, the milter process PID's CPU time
 * over the run and its resident memory are reported.  With -H, every
 * session stops once its first message's envelope is done, until all
 * SESSIONS (at most CONCURRENCY) are open at once; then it waits SECONDS,
 * reads the milter's memory, and lets them finish.
 *
 * Every reply is checked and counted per stage and kind.  Prints a table
 * (none with -q) and one JSON line.  Exit status: 0, 1 when any session
 * hit a protocol error (malformed or unexpected reply, EOF, timeout), 64
 * bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include "mtaproto.h"
#include "workload.h"

#define MAX_REPLY	(1024 * 1024)
#define HEADERS		12
#define BODY_BYTES	8192

/* The stages replies are counted by. */
enum stage {
	ST_OPTNEG, ST_CONNECT, ST_HELO, ST_MAIL, ST_RCPT, ST_DATA, ST_HEADER,
	ST_EOH, ST_BODY, ST_EOM, ST_NSTAGES
};
static const char *const stage_names[ST_NSTAGES] = {
	"optneg", "connect", "helo", "mail", "rcpt", "data", "header", "eoh",
	"body", "eom"
};

/* The kinds of reply counted. */
enum kind {
	K_CONTINUE, K_ACCEPT, K_REJECT, K_TEMPFAIL, K_DISCARD, K_REPLY4,
	K_REPLY5, K_NOREPLY, K_OTHER, K_NKINDS
};
static const char *const kind_names[K_NKINDS] = {
	"continue", "accept", "reject", "tempfail", "discard", "reply4xx",
	"reply5xx", "noreply", "other"
};

/* Where a session is: the event it sends next. */
enum phase {
	PH_OPTNEG, PH_CONNECT, PH_HELO, PH_HELO_TLS, PH_MAIL, PH_RCPT,
	PH_DATA, PH_HEADER, PH_EOH, PH_BODY, PH_EOM, PH_END_TX, PH_QUIT,
	PH_DONE
};

struct sess {
	int		s_fd;		/* -1: slot free */
	unsigned long	s_id;
	long long	s_start_ns;	/* arrival (open loop) or start */
	long long	s_deadline_ns;	/* for the reply awaited */
	struct wl_session s_ws;
	enum phase	s_phase;
	enum stage	s_await;	/* the stage whose reply is awaited */
	bool		s_awaiting;
	bool		s_held;		/* -H: waiting for the others */
	bool		s_tx_over;	/* the milter is done with this message */
	unsigned	s_tx, s_rcpt, s_header, s_rcpt_ok;
	uint32_t	s_protocol;	/* the milter's SMFIP_* */
	char		*s_lists[MP_STAGES];	/* macro lists it asked for */
	struct mp_buf	s_out, s_in;
};

struct opts {
	unsigned long	o_conc, o_sessions, o_msgs, o_seed;
	struct wl_mix	o_mix;
	bool		o_data, o_quiet;
	double		o_rate;		/* 0: closed loop */
	long		o_pid;		/* 0: none */
	double		o_hold;		/* seconds; 0: no hold */
	long long	o_timeout_ns;
	const char	*o_socket;
};

struct stats {
	unsigned long	st_count[ST_NSTAGES][K_NKINDS];
	unsigned long	st_done, st_errors;
	double		*st_lat_ms;
	long		st_rss_held_kb;
};

static struct opts opt;
static struct stats stats;

/* A protocol error ends the session; the first few are printed. */
static void
sess_error(struct sess *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------------- macros */

/* Postfix 3.7's lists, for stages the milter asked nothing for. */
static const char *const default_lists[MP_STAGES] = {
	"j {daemon_name} {daemon_addr} v _",
	"{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer}",
	"i {auth_type} {auth_authen} {auth_author} {mail_addr} {mail_host} "
	    "{mail_mailer}",
	"i {rcpt_addr} {rcpt_host} {rcpt_mailer}",
	"i", "i", "i"
};

/* s without its angle brackets, in buf. */
static const char *
bare(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		snprintf(buf, len, "%.*s", (int)(n - 2), s + 1);
	else
		snprintf(buf, len, "%s", s);
	return buf;
}

/*
 * The value Postfix would give macro name at this point of the session,
 * or NULL when it has none (Postfix then leaves it out).  buf holds
 * values made up on the spot.
 */
static const char *
macro_value(const struct sess *s, const char *name, char *buf, size_t len)
{
	const struct wl_session *w = &s->s_ws;
	bool tls = s->s_phase > PH_HELO;
	const char *auth = w->ws_auth[0] ? w->ws_auth : NULL;

	if (strcmp(name, "j") == 0)
		return "mx.bench.test";
	if (strcmp(name, "v") == 0)
		return "Postfix 3.7.11";
	if (strcmp(name, "{daemon_name}") == 0)
		return w->ws_listener;
	if (strcmp(name, "{daemon_addr}") == 0)
		return "127.0.0.1";
	if (strcmp(name, "{client_addr}") == 0)
		return w->ws_addr;
	if (strcmp(name, "{client_name}") == 0)
		return w->ws_name;
	if (strcmp(name, "{client_resolve}") == 0)
		return strcmp(w->ws_name, "unknown") == 0 ? "FAIL" : "OK";
	if (strcmp(name, "_") == 0) {
		snprintf(buf, len, "%s [%s]", w->ws_name, w->ws_addr);
		return buf;
	}
	if (strcmp(name, "{auth_authen}") == 0 ||
	    strcmp(name, "{auth_author}") == 0)
		return auth;
	if (strcmp(name, "{auth_type}") == 0)
		return auth ? "PLAIN" : NULL;
	if (strcmp(name, "{mail_addr}") == 0)
		return bare(w->ws_sender, buf, len);
	if (strcmp(name, "{rcpt_addr}") == 0)
		return bare(w->ws_rcpt[s->s_rcpt], buf, len);
	if (strcmp(name, "{rcpt_mailer}") == 0)
		return "local";
	if (strcmp(name, "i") == 0)	/* Postfix has a queue id from DATA on */
		return s->s_phase >= PH_DATA ? "4XyZbench1" : NULL;
	return tls ? wl_tls_macro(w, name) : NULL;
}

/* Append the SMFIC_MACRO packet for stage (MP_*) under code, if any
 * macro of the stage's list has a value. */
static void
put_macros(struct sess *s, int stage, int code)
{
	const char *list = s->s_lists[stage] ? s->s_lists[stage] :
	    default_lists[stage];
	struct mp_buf b = MP_BUF_INIT;
	char name[64], buf[256];
	const char *v;
	size_t n;

	mp_buf_addc(&b, code);
	while (*list != '\0') {
		n = strcspn(list, " ");
		if (n > 0 && n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			if ((v = macro_value(s, name, buf, sizeof(buf))) != NULL) {
				mp_buf_addz(&b, name, n);
				mp_buf_addz(&b, v, strlen(v));
			}
		}
		list += n + (list[n] == ' ');
	}
	if (b.b_len > 1)
		mp_packet(&s->s_out, SMFIC_MACRO, b.b_data, b.b_len);
	mp_buf_free(&b);
}

/* ---------------------------------------------------------------- events */

/*
 * Append event cmd (data[0..len-1]) after its macros; as Postfix does,
 * the macros go even when the milter asked not to get the event itself.
 * Note the reply awaited unless the milter gives none.
 */
static void
put_event(struct sess *s, int cmd, enum stage st, int mstage, int mcode,
    const void *data, size_t len)
{
	uint32_t no, nr;

	if (mstage >= 0)
		put_macros(s, mstage, mcode);
	mp_event_flags(cmd, &no, &nr);
	if (s->s_protocol & no)
		return;
	mp_packet(&s->s_out, cmd, data, len);
	if (s->s_protocol & nr) {
		stats.st_count[st][K_NOREPLY]++;
		return;
	}
	s->s_awaiting = true;
	s->s_await = st;
	s->s_deadline_ns = wl_now_ns() + opt.o_timeout_ns;
}

/* An event whose data is one string and its NUL. */
static void
put_string(struct sess *s, int cmd, enum stage st, int mstage, int mcode,
    const char *text)
{
	struct mp_buf b = MP_BUF_INIT;

	mp_buf_addz(&b, text, strlen(text));
	put_event(s, cmd, st, mstage, mcode, b.b_data, b.b_len);
	mp_buf_free(&b);
}

/* The DATA part of a message: headers, end of headers, body, end. */
static void
put_content(struct sess *s)
{
	static char body[BODY_BYTES];
	struct mp_buf b = MP_BUF_INIT;
	char value[128];

	switch (s->s_phase) {
	case PH_DATA:
		put_event(s, SMFIC_DATA, ST_DATA, MP_DATA, SMFIC_DATA, NULL, 0);
		s->s_phase = PH_HEADER;
		break;
	case PH_HEADER:
		snprintf(value, sizeof(value), "header %u of a bench message",
		    s->s_header);
		mp_buf_addz(&b, s->s_header ? "X-Bench" : "Subject", 7);
		mp_buf_addz(&b, value, strlen(value));
		put_event(s, SMFIC_HEADER, ST_HEADER, -1, 0, b.b_data, b.b_len);
		if (++s->s_header == HEADERS)
			s->s_phase = PH_EOH;
		break;
	case PH_EOH:
		put_event(s, SMFIC_EOH, ST_EOH, MP_EOH, SMFIC_EOH, NULL, 0);
		s->s_phase = PH_BODY;
		break;
	case PH_BODY:
		if (body[0] == '\0')
			memset(body, 'x', sizeof(body));
		put_event(s, SMFIC_BODY, ST_BODY, -1, 0, body, sizeof(body));
		s->s_phase = PH_EOM;
		break;
	default:
		put_event(s, SMFIC_BODYEOB, ST_EOM, MP_EOM, SMFIC_BODYEOB,
		    NULL, 0);
		s->s_phase = PH_END_TX;
		break;
	}
	mp_buf_free(&b);
}

/* Start the next message, or say goodbye.  Postfix resets the milter's
 * transaction with ABORT after every message, finished or not. */
static void
end_tx(struct sess *s)
{
	mp_packet(&s->s_out, SMFIC_ABORT, NULL, 0);
	s->s_tx++;
	s->s_tx_over = false;
	s->s_rcpt = s->s_rcpt_ok = s->s_header = 0;
	s->s_phase = s->s_tx < opt.o_msgs ? PH_MAIL : PH_QUIT;
}

/* Queue events until one awaits a reply or the session is over. */
static void
advance(struct sess *s)
{
	struct mp_buf b = MP_BUF_INIT;
	char host[64];

	while (!s->s_awaiting && !s->s_held && s->s_phase != PH_DONE) {
		switch (s->s_phase) {
		case PH_OPTNEG:
			mp_optneg_data(&b, MP_OFFER_VERSION, MP_OFFER_ACTIONS,
			    MP_OFFER_PROTOCOL);
			mp_packet(&s->s_out, SMFIC_OPTNEG, b.b_data, b.b_len);
			s->s_awaiting = true;
			s->s_await = ST_OPTNEG;
			s->s_deadline_ns = wl_now_ns() + opt.o_timeout_ns;
			s->s_phase = PH_CONNECT;
			break;
		case PH_CONNECT:	/* Postfix names an unknown host "[addr]" */
			b.b_len = 0;
			snprintf(host, sizeof(host), "[%s]", s->s_ws.ws_addr);
			mp_connect_data(&b, strcmp(s->s_ws.ws_name, "unknown") ?
			    s->s_ws.ws_name : host, strchr(s->s_ws.ws_addr,
			    ':') ? SMFIA_INET6 : SMFIA_INET, 25, s->s_ws.ws_addr);
			put_event(s, SMFIC_CONNECT, ST_CONNECT, MP_CONNECT,
			    SMFIC_CONNECT, b.b_data, b.b_len);
			s->s_phase = PH_HELO;
			break;
		case PH_HELO:
			put_string(s, SMFIC_HELO, ST_HELO, MP_HELO,
			    SMFIC_HELO, s->s_ws.ws_helo);
			s->s_phase = s->s_ws.ws_tls_version[0] ? PH_HELO_TLS :
			    PH_MAIL;
			break;
		case PH_HELO_TLS:	/* after STARTTLS, with the TLS macros */
			put_string(s, SMFIC_HELO, ST_HELO, MP_HELO,
			    SMFIC_HELO, s->s_ws.ws_helo);
			s->s_phase = PH_MAIL;
			break;
		case PH_MAIL:
			put_string(s, SMFIC_MAIL, ST_MAIL, MP_ENVFROM,
			    SMFIC_MAIL, s->s_ws.ws_sender);
			s->s_phase = PH_RCPT;
			break;
		case PH_RCPT:
			if (s->s_tx_over || s->s_rcpt == s->s_ws.ws_nrcpt) {
				s->s_phase = opt.o_data && !s->s_tx_over &&
				    s->s_rcpt_ok > 0 ? PH_DATA : PH_END_TX;
				if (opt.o_hold > 0 && s->s_tx == 0)
					s->s_held = true;
				break;
			}
			put_string(s, SMFIC_RCPT, ST_RCPT, MP_ENVRCPT,
			    SMFIC_RCPT, s->s_ws.ws_rcpt[s->s_rcpt]);
			s->s_rcpt++;
			break;
		case PH_DATA: case PH_HEADER: case PH_EOH: case PH_BODY:
		case PH_EOM:
			if (s->s_tx_over)
				s->s_phase = PH_END_TX;
			else
				put_content(s);
			break;
		case PH_END_TX:
			end_tx(s);
			break;
		case PH_QUIT:
			mp_packet(&s->s_out, SMFIC_QUIT, NULL, 0);
			s->s_phase = PH_DONE;
			break;
		case PH_DONE:
			break;
		}
	}
	mp_buf_free(&b);
}

/* ---------------------------------------------------------------- replies */

/* The milter's OPTNEG reply: what it wants, checked as Postfix does. */
static int
take_optneg(struct sess *s, const char *data, size_t len)
{
	struct mp_optneg o;
	const char *why;
	size_t i;

	if (mp_optneg_parse(data, len, &o, &why) < 0) {
		sess_error(s, "%s", why);
		return -1;
	}
	if (o.on_version > MP_OFFER_VERSION ||
	    (o.on_actions & ~MP_OFFER_ACTIONS) != 0) {
		sess_error(s, "milter wants version %lu, actions 0x%lx",
		    (unsigned long)o.on_version, (unsigned long)o.on_actions);
		return -1;
	}
	s->s_protocol = o.on_protocol;
	for (i = 0; i < o.on_nlists; i++)
		if (o.on_lists[i].ml_stage < MP_STAGES &&
		    (s->s_lists[o.on_lists[i].ml_stage] =
		    strdup(o.on_lists[i].ml_text)) == NULL) {
			fputs("milter-load: out of memory\n", stderr);
			exit(70);
		}
	stats.st_count[ST_OPTNEG][K_CONTINUE]++;
	return 0;
}

/* What a final reply means for the message and the session. */
static void
take_final(struct sess *s, enum kind k)
{
	stats.st_count[s->s_await][k]++;
	s->s_awaiting = false;
	if (k == K_CONTINUE) {
		if (s->s_await == ST_RCPT)
			s->s_rcpt_ok++;
		return;
	}
	switch (s->s_await) {
	case ST_CONNECT: case ST_HELO:
		s->s_phase = PH_QUIT;	/* nothing more to judge */
		break;
	case ST_RCPT:	/* a refusal is for this recipient only */
		if (k == K_ACCEPT || k == K_DISCARD)
			s->s_tx_over = true;	/* no more events for it */
		break;
	case ST_EOM:
		break;
	default:	/* MAIL, DATA, headers, body: the message is decided */
		s->s_tx_over = true;
		break;
	}
}

/* One reply packet for the awaited event; -1 after a protocol error. */
static int
take_reply(struct sess *s, int cmd, const char *data, size_t len)
{
	const char *name;

	if (!s->s_awaiting) {
		sess_error(s, "reply '%c' to no request", cmd);
		return -1;
	}
	if (s->s_await == ST_OPTNEG) {
		if (cmd != SMFIC_OPTNEG) {
			sess_error(s, "reply '%c' to SMFIC_OPTNEG", cmd);
			return -1;
		}
		s->s_awaiting = false;
		return take_optneg(s, data, len);
	}
	if (cmd == SMFIR_PROGRESS && len == 0)
		return 0;
	if (cmd == SMFIR_REPLYCODE) {
		if (len == 0 || data[len - 1] != '\0' ||
		    !mp_smtp_reply_ok(data, len - 1)) {
			sess_error(s, "malformed SMTP reply");
			return -1;
		}
		take_final(s, data[0] == '4' ? K_REPLY4 : K_REPLY5);
		return 0;
	}
	if ((name = mp_final_name(cmd)) != NULL && len == 0) {
		take_final(s, cmd == SMFIR_CONTINUE ? K_CONTINUE :
		    cmd == SMFIR_ACCEPT ? K_ACCEPT : cmd == SMFIR_REJECT ?
		    K_REJECT : cmd == SMFIR_TEMPFAIL ? K_TEMPFAIL :
		    cmd == SMFIR_DISCARD ? K_DISCARD : K_OTHER);
		return 0;
	}
	if (s->s_await == ST_EOM || cmd == SMFIR_QUARANTINE)
		return 0;	/* a modification request before the final reply */
	sess_error(s, "unexpected reply '%c' (%zu bytes) at %s", cmd, len,
	    stage_names[s->s_await]);
	return -1;
}

/* ---------------------------------------------------------------- sessions */

static int epfd;

static void
sess_close(struct sess *s)
{
	int i;

	if (s->s_fd >= 0) {
		(void)epoll_ctl(epfd, EPOLL_CTL_DEL, s->s_fd, NULL);
		close(s->s_fd);
	}
	s->s_fd = -1;
	for (i = 0; i < MP_STAGES; i++) {
		free(s->s_lists[i]);
		s->s_lists[i] = NULL;
	}
	s->s_out.b_len = s->s_in.b_len = 0;
}

static void
sess_error(struct sess *s, const char *fmt, ...)
{
	va_list ap;

	if (stats.st_errors++ < 5) {
		fprintf(stderr, "milter-load: session %lu: ", s->s_id);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	sess_close(s);
}

/* Write what is queued; watch for writability while some is left. */
static void
sess_flush(struct sess *s)
{
	struct epoll_event ev = { .data.ptr = s };
	ssize_t n;

	while (s->s_out.b_len > 0) {
		n = write(s->s_fd, s->s_out.b_data, s->s_out.b_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			sess_error(s, "write: %s", strerror(errno));
			return;
		}
		mp_buf_drop(&s->s_out, (size_t)n);
	}
	ev.events = EPOLLIN | (s->s_out.b_len > 0 ? EPOLLOUT : 0);
	(void)epoll_ctl(epfd, EPOLL_CTL_MOD, s->s_fd, &ev);
}

/* The session has sent QUIT and everything is written: it is done. */
static void
sess_finish(struct sess *s)
{
	stats.st_lat_ms[stats.st_done++] =
	    (double)(wl_now_ns() - s->s_start_ns) / 1e6;
	sess_close(s);
}

/* Move the session on as far as it goes without waiting. */
static void
sess_run(struct sess *s)
{
	advance(s);
	sess_flush(s);
	if (s->s_fd >= 0 && s->s_phase == PH_DONE && s->s_out.b_len == 0)
		sess_finish(s);
}

static void
sess_start(struct sess *s, unsigned long id, long long start,
    struct wl_rng *rng)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
	char err[512];
	int fd;

	s->s_id = id;
	s->s_start_ns = start;
	s->s_phase = PH_OPTNEG;
	s->s_awaiting = s->s_held = s->s_tx_over = false;
	s->s_tx = s->s_rcpt = s->s_rcpt_ok = s->s_header = 0;
	s->s_protocol = 0;
	wl_session_make(rng, &opt.o_mix, &s->s_ws);
	if ((fd = mp_connect_spec(opt.o_socket, err, sizeof(err))) < 0) {
		s->s_fd = -1;
		if (stats.st_errors++ < 5)
			fprintf(stderr, "milter-load: session %lu: %s\n", id, err);
		return;
	}
	s->s_fd = fd;
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		sess_error(s, "epoll_ctl: %s", strerror(errno));
		return;
	}
	sess_run(s);
}

/* Read and take what the milter sent. */
static void
sess_read(struct sess *s)
{
	char chunk[8192];
	const char *data;
	size_t dlen;
	long used;
	ssize_t n;
	int cmd;

	while ((n = read(s->s_fd, chunk, sizeof(chunk))) > 0)
		mp_buf_add(&s->s_in, chunk, (size_t)n);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		sess_error(s, "%s from the milter at %s", n == 0 ?
		    "unexpected EOF" : strerror(errno),
		    s->s_awaiting ? stage_names[s->s_await] : "rest");
		return;
	}
	while ((used = mp_take(s->s_in.b_data, s->s_in.b_len, MAX_REPLY,
	    &cmd, &data, &dlen)) > 0) {
		if (take_reply(s, cmd, data, dlen) < 0)
			return;
		mp_buf_drop(&s->s_in, (size_t)used);
	}
	if (used < 0) {
		sess_error(s, "bad reply packet length");
		return;
	}
	sess_run(s);
}

/* ---------------------------------------------------------------- the run */

/*
 * CPU seconds (user + system) of process pid, its ended threads
 * included, -1 if unknown.  From the process's CPU-time clock, to the
 * nanosecond: /proc/PID/stat counts in ticks of 10 ms, 3% of what the
 * daemon spends on a round of 8,000 sessions.  That is the fallback.
 */
static double
proc_cpu(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	struct timespec ts;
	clockid_t clock;
	FILE *fp;
	size_t n;

	if (clock_getcpuclockid((pid_t)pid, &clock) == 0 &&
	    clock_gettime(clock, &ts) == 0)
		return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "Vm...:" figure of process pid in kB, -1 if unknown. */
static long
proc_kb(long pid, const char *key)
{
	char path[64], line[256];
	long kb = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			kb = strtol(line + strlen(key), NULL, 10);
	fclose(fp);
	return kb;
}

/* -H: once every running session waits, pause, measure, release. */
static void
hold_check(struct sess *ss, unsigned long nslots, unsigned long started)
{
	unsigned long i, held = 0, open = 0;
	struct timespec ts;

	for (i = 0; i < nslots; i++)
		if (ss[i].s_fd >= 0) {
			open++;
			held += ss[i].s_held;
		}
	if (held == 0 || held < open || started < opt.o_sessions)
		return;
	ts.tv_sec = (time_t)opt.o_hold;
	ts.tv_nsec = (long)((opt.o_hold - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		continue;
	if (opt.o_pid > 0)
		stats.st_rss_held_kb = proc_kb(opt.o_pid, "VmRSS:");
	if (!opt.o_quiet)
		fprintf(stderr, "milter-load: %lu sessions held open for "
		    "%.1f s; milter RSS %ld kB\n", held, opt.o_hold,
		    stats.st_rss_held_kb);
	opt.o_hold = 0;
	for (i = 0; i < nslots; i++)
		if (ss[i].s_fd >= 0 && ss[i].s_held) {
			ss[i].s_held = false;
			sess_run(&ss[i]);
		}
}

/* Time out sessions whose reply is late. */
static void
check_deadlines(struct sess *ss, unsigned long nslots, long long now)
{
	unsigned long i;

	for (i = 0; i < nslots; i++)
		if (ss[i].s_fd >= 0 && ss[i].s_awaiting &&
		    now > ss[i].s_deadline_ns)
			sess_error(&ss[i], "timeout waiting for the reply at %s",
			    stage_names[ss[i].s_await]);
}

/* The next arrival after t for open loop (exponential gaps). */
static long long
next_arrival(long long t, struct wl_rng *rng)
{
	double u = ((double)(wl_next(rng) >> 11) + 0.5) / 9007199254740992.0;

	return t + (long long)(-log(u) / opt.o_rate * 1e9);
}

static void run(struct sess *ss, unsigned long nslots)
{
	struct epoll_event evs[256];
	struct wl_rng rng, arrivals;
	unsigned long started = 0, i, ended;
	long long now, arrive;
	int n, k, timeout;

	wl_seed(&rng, opt.o_seed);
	wl_seed(&arrivals, opt.o_seed ^ 0xa5a5a5a5UL);
	arrive = wl_now_ns();
	for (;;) {
		now = wl_now_ns();
		for (i = 0; i < nslots && started < opt.o_sessions; i++) {
			if (ss[i].s_fd >= 0)
				continue;
			if (opt.o_rate > 0 && arrive > now)
				break;
			sess_start(&ss[i], started++, opt.o_rate > 0 ? arrive :
			    now, &rng);
			if (opt.o_rate > 0)
				arrive = next_arrival(arrive, &arrivals);
		}
		ended = 0;
		for (i = 0; i < nslots; i++)
			ended += ss[i].s_fd < 0;
		if (started == opt.o_sessions && ended == nslots)
			return;
		if (opt.o_hold > 0)
			hold_check(ss, nslots, started);
		timeout = 100;
		if (opt.o_rate > 0 && started < opt.o_sessions) {
			long long wait = (arrive - wl_now_ns()) / 1000000;

			timeout = wait < 0 ? 0 : wait < 100 ? (int)wait : 100;
		}
		n = epoll_wait(epfd, evs, 256, timeout);
		for (k = 0; k < n; k++) {
			struct sess *s = evs[k].data.ptr;

			if (s->s_fd < 0)
				continue;
			if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				sess_read(s);
			else if (evs[k].events & EPOLLOUT)
				sess_run(s);
		}
		check_deadlines(ss, nslots, wl_now_ns());
	}
}

/* ---------------------------------------------------------------- report */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, unsigned long n, double q)
{
	return n ? v[(unsigned long)(q * (double)(n - 1) + 0.5)] : 0;
}

static void
report(double secs, double cpu, double own_cpu)
{
	unsigned long n = stats.st_done;
	double rate = secs > 0 ? (double)n / secs : 0;
	long rss = opt.o_pid > 0 ? proc_kb(opt.o_pid, "VmRSS:") : -1;
	long hwm = opt.o_pid > 0 ? proc_kb(opt.o_pid, "VmHWM:") : -1;
	const char *sep;
	int st, k;

	qsort(stats.st_lat_ms, n, sizeof(double), cmp_double);
	if (!opt.o_quiet) {
		printf("%lu sessions in %.3f s: %.1f sessions/s, latency p50 "
		    "%.3f ms p99 %.3f ms, %lu errors\n", n, secs, rate,
		    pct(stats.st_lat_ms, n, 0.5), pct(stats.st_lat_ms, n, 0.99),
		    stats.st_errors);
		if (cpu >= 0)
			printf("milter CPU %.2f s, %.1f us per session; RSS %ld "
			    "kB, peak %ld kB\n", cpu, n ? cpu * 1e6 / (double)n :
			    0, rss, hwm);
		for (st = 0; st < ST_NSTAGES; st++)
			for (k = 0; k < K_NKINDS; k++)
				if (stats.st_count[st][k] > 0)
					printf("  %-8s %-9s %lu\n", stage_names[st],
					    kind_names[k], stats.st_count[st][k]);
	}
	printf("{\"bench\":\"milter-load\",\"socket\":\"%s\",\"concurrency\":%lu,"
	    "\"sessions\":%lu,\"messages\":%lu,\"data\":%s,\"rate\":%.1f,"
	    "\"seconds\":%.4f,\"sessions_per_s\":%.2f,\"p50_ms\":%.4f,"
	    "\"p99_ms\":%.4f,\"errors\":%lu,\"milter_cpu_s\":%.4f,"
	    "\"milter_cpu_us_per_session\":%.2f,\"milter_rss_kb\":%ld,"
	    "\"milter_hwm_kb\":%ld,\"milter_rss_held_kb\":%ld,"
	    "\"load_cpu_s\":%.2f,\"replies\":{", opt.o_socket, opt.o_conc, n,
	    opt.o_msgs, opt.o_data ? "true" : "false", opt.o_rate, secs, rate,
	    pct(stats.st_lat_ms, n, 0.5), pct(stats.st_lat_ms, n, 0.99),
	    stats.st_errors, cpu, cpu >= 0 && n ? cpu * 1e6 / (double)n : -1,
	    rss, hwm, stats.st_rss_held_kb, own_cpu);
	for (st = 0, sep = ""; st < ST_NSTAGES; st++)
		for (k = 0; k < K_NKINDS; k++)
			if (stats.st_count[st][k] > 0) {
				printf("%s\"%s.%s\":%lu", sep, stage_names[st],
				    kind_names[k], stats.st_count[st][k]);
				sep = ",";
			}
	printf("}}\n");
}

static double
own_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static unsigned long
number(const char *s, unsigned long min, unsigned long max)
{
	return wl_number("milter-load", s, min, max);
}

static double
real(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v > 0) || v > 1e9) {
		fprintf(stderr, "milter-load: bad number \"%s\"\n", s);
		exit(64);
	}
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: milter-load [-c CONCURRENCY] [-n SESSIONS] "
	    "[-x MESSAGES] [-k RCPTS]\n"
	    "    [-d DOMAINS] [-T TLS%%] [-V CERT%%] [-D] [-r RATE] [-p PID] "
	    "[-H SECONDS]\n    [-s SEED] [-t SECONDS] [-q] SOCKET\n");
	exit(64);
}

static void
options(int argc, char **argv)
{
	struct wl_mix mix = WL_MIX_DEFAULT;
	int ch;

	opt = (struct opts){ .o_conc = 8, .o_sessions = 10000, .o_msgs = 1,
	    .o_seed = 1, .o_mix = mix, .o_timeout_ns = 10000000000LL };
	while ((ch = getopt(argc, argv, "c:n:x:k:d:T:V:Dr:p:H:s:t:q")) != -1) {
		switch (ch) {
		case 'c': opt.o_conc = number(optarg, 1, 100000); break;
		case 'n': opt.o_sessions = number(optarg, 1, 100000000); break;
		case 'x': opt.o_msgs = number(optarg, 1, 1000); break;
		case 'k': opt.o_mix.m_rcpt_max = (unsigned)number(optarg, 1,
		    WL_RCPT_MAX); break;
		case 'd': opt.o_mix.m_domains = (uint32_t)number(optarg, 1,
		    0xffffffffUL); break;
		case 'T': opt.o_mix.m_tls_pct = (unsigned)number(optarg, 0, 100);
			break;
		case 'V': opt.o_mix.m_cert_pct = (unsigned)number(optarg, 0,
		    100); break;
		case 'D': opt.o_data = true; break;
		case 'r': opt.o_rate = real(optarg); break;
		case 'p': opt.o_pid = (long)number(optarg, 1, 0x7fffffffUL);
			break;
		case 'H': opt.o_hold = real(optarg); break;
		case 's': opt.o_seed = number(optarg, 0, 0xffffffffUL); break;
		case 't': opt.o_timeout_ns = (long long)(real(optarg) * 1e9);
			break;
		case 'q': opt.o_quiet = true; break;
		default: usage();
		}
	}
	if (argc - optind != 1)
		usage();
	opt.o_socket = argv[optind];
	if (opt.o_hold > 0 && opt.o_sessions > opt.o_conc) {
		fprintf(stderr, "milter-load: -H needs -n SESSIONS <= -c "
		    "CONCURRENCY (all open at once)\n");
		exit(64);
	}
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	struct sess *ss;
	unsigned long nslots, i;
	double cpu0 = -1, cpu = -1, own0;
	long long t0;

	options(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	nslots = opt.o_conc < opt.o_sessions ? opt.o_conc : opt.o_sessions;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < nslots + 64) {
		rl.rlim_cur = rl.rlim_max < nslots + 64 ? rl.rlim_max :
		    nslots + 64;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((ss = calloc(nslots, sizeof(*ss))) == NULL ||
	    (stats.st_lat_ms = calloc(opt.o_sessions, sizeof(double))) ==
	    NULL || (epfd = epoll_create1(0)) < 0) {
		fprintf(stderr, "milter-load: cannot start: %s\n",
		    strerror(errno));
		return 70;
	}
	for (i = 0; i < nslots; i++)
		ss[i].s_fd = -1;
	if (opt.o_pid > 0 && (cpu0 = proc_cpu(opt.o_pid)) < 0) {
		fprintf(stderr, "milter-load: no process %ld\n", opt.o_pid);
		return 64;
	}
	own0 = own_cpu_s();
	t0 = wl_now_ns();
	run(ss, nslots);
	if (opt.o_pid > 0)
		cpu = proc_cpu(opt.o_pid) - cpu0;
	report((double)(wl_now_ns() - t0) / 1e9, cpu, own_cpu_s() - own0);
	for (i = 0; i < nslots; i++) {
		mp_buf_free(&ss[i].s_out);
		mp_buf_free(&ss[i].s_in);
	}
	free(ss);
	free(stats.st_lat_ms);
	close(epfd);
	return stats.st_errors > 0 ? 1 : 0;
}
