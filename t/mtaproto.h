/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mtaproto.h - the MTA side of the milter protocol (version 6): packets,
 * what each command carries, and how to read the milter's replies.
 *
 * Shared by the tools that play an MTA: t/mtaclient (scripted, for the
 * protocol tests) and bench/milter-load (many sessions at once, for the
 * benchmarks).  Written from the constants of <libmilter/mfdef.h>; it
 * does not link libmilter and does no I/O of its own: each tool reads and
 * writes its sockets its own way.  These are test tools: running out of
 * memory prints a message and exits with status 70.
 */
#ifndef MTAPROTO_H
#define MTAPROTO_H

#include <stddef.h>
#include <stdint.h>

#include <libmilter/mfdef.h>

/* What Postfix 3.7 offers with milter_protocol = 6. */
#define MP_OFFER_VERSION	6UL
#define MP_OFFER_ACTIONS	SMFI_CURR_ACTS
#define MP_OFFER_PROTOCOL	SMFI_CURR_PROT

/* The stages a milter may ask macros for: the numbers <libmilter/mfapi.h>
 * calls SMFIM_CONNECT .. SMFIM_EOH. */
enum mp_stage {
	MP_CONNECT, MP_HELO, MP_ENVFROM, MP_ENVRCPT, MP_DATA, MP_EOM, MP_EOH,
	MP_STAGES
};

/* A growable byte buffer, always NUL-terminated after b_len bytes. */
struct mp_buf {
	char	*b_data;
	size_t	b_len;
	size_t	b_size;
};

#define MP_BUF_INIT	{ NULL, 0, 0 }

/* mp_buf_add - append len bytes. */
void mp_buf_add(struct mp_buf *b, const void *data, size_t len);

/* mp_buf_addc - append one byte. */
void mp_buf_addc(struct mp_buf *b, int c);

/* mp_buf_addz - append s[0..len-1] and a NUL: one protocol string. */
void mp_buf_addz(struct mp_buf *b, const char *s, size_t len);

/* mp_buf_add32 - append v in network byte order. */
void mp_buf_add32(struct mp_buf *b, uint32_t v);

/* mp_buf_drop - remove the first n bytes (n <= b_len). */
void mp_buf_drop(struct mp_buf *b, size_t n);

/* mp_buf_free - release the memory; the buffer is empty again. */
void mp_buf_free(struct mp_buf *b);

/* mp_packet - append one command packet: length, cmd, data[0..len-1]. */
void mp_packet(struct mp_buf *out, int cmd, const void *data, size_t len);

/*
 * mp_take - find the first packet in in[0..len-1].  Returns its whole
 * size with *cmd, *data and *dlen (its data) set; 0 when more bytes are
 * needed; -1 when its length is 0 or its data longer than max.
 */
long mp_take(const char *in, size_t len, size_t max, int *cmd,
    const char **data, size_t *dlen);

/* A cursor over a packet's data. */
struct mp_reader {
	const char	*rd_p;
	size_t		rd_left;
};

/* mp_read32 - take a 32-bit number; -1 when too few bytes are left. */
int mp_read32(struct mp_reader *r, uint32_t *v);

/* mp_readz - take a NUL-terminated string (*len without the NUL); NULL
 * when no NUL is left. */
const char *mp_readz(struct mp_reader *r, size_t *len);

/* mp_optneg_data - append the data of SMFIC_OPTNEG: version, actions,
 * protocol. */
void mp_optneg_data(struct mp_buf *b, uint32_t version, uint32_t actions,
    uint32_t protocol);

#define MP_LISTS_MAX	16

/* The milter's SMFIC_OPTNEG reply.  Macro lists point into the packet. */
struct mp_optneg {
	uint32_t	on_version;
	uint32_t	on_actions;
	uint32_t	on_protocol;
	size_t		on_nlists;
	struct {
		uint32_t	ml_stage;	/* enum mp_stage, or what it sent */
		const char	*ml_text;	/* "{tls_version} {cipher}" */
	} on_lists[MP_LISTS_MAX];
};

/*
 * mp_optneg_parse - read the milter's SMFIC_OPTNEG reply data.  Returns 0,
 * or -1 with *why set (static text) when it is malformed.
 */
int mp_optneg_parse(const char *data, size_t len, struct mp_optneg *o,
    const char **why);

/* mp_stage_name - "connect", "helo", "envfrom", "envrcpt", "data", "eom",
 * "eoh" for enum mp_stage; NULL for anything else. */
const char *mp_stage_name(uint32_t stage);

/*
 * mp_event_flags - for an event command (SMFIC_CONNECT, SMFIC_HELO, ...),
 * the SMFIP_NO* flag that asks the MTA not to send it and the SMFIP_NR_*
 * flag that says it gets no reply (0 where there is none).
 */
void mp_event_flags(int cmd, uint32_t *no, uint32_t *nr);

/* mp_connect_data - append the data of SMFIC_CONNECT; family is SMFIA_*
 * (port and addr are not sent for SMFIA_UNKNOWN); port in host order. */
void mp_connect_data(struct mp_buf *b, const char *host, int family,
    uint16_t port, const char *addr);

/* mp_final_name - the name of a final reply without data ("continue",
 * "accept", "reject", "tempfail", "discard", "skip", "shutdown",
 * "connfail"); NULL if cmd is none of them. */
const char *mp_final_name(int cmd);

/* mp_smtp_reply_ok - is text[0..len-1] a 4xx/5xx SMTP reply (one or more
 * lines joined by CRLF) as Postfix takes it from SMFIR_REPLYCODE? */
int mp_smtp_reply_ok(const char *text, size_t len);

/*
 * mp_connect_spec - connect to a libmilter socket spec: unix:/path,
 * local:/path, /path, inet:PORT@HOST, inet6:PORT@HOST.  Returns a
 * blocking socket, or -1 (cannot connect) or -2 (not a spec), with a
 * message in err (errlen bytes).
 */
int mp_connect_spec(const char *spec, char *err, size_t errlen);

#endif
