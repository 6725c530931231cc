/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * workload.h - the synthetic mail world the benchmarks share.
 *
 * bench/gen-policy writes rules about numbered domains, hosts and networks;
 * bench/milter-load and bench/policy-bench make sessions from the same
 * numbers, so a large policy is really exercised: domain k is
 * "dK.example", its mail host "mx.dK.example", its relay names below
 * "relay.dK.example", its network 10.A.B.0/24 (k < 65,536) or
 * 2001:db8:X:Y::/64 beyond.  Everything is drawn from one small
 * deterministic generator, so a seed gives the same policy and load on
 * every machine.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

/* A splitmix64 generator: one state word, good enough for test data. */
struct wl_rng {
	uint64_t	r_state;
};

/* wl_seed - start the generator at seed (any value). */
void wl_seed(struct wl_rng *r, uint64_t seed);

/* wl_next - the next 64 random bits. */
uint64_t wl_next(struct wl_rng *r);

/* wl_below - a number in [0, n); n 0 gives 0. */
uint32_t wl_below(struct wl_rng *r, uint32_t n);

/* wl_domain - "dK.example" into buf (len bytes). */
void wl_domain(char *buf, size_t len, uint32_t k);

/* wl_network - domain k's network: "10.A.B.0/24" or "2001:db8:X:Y::/64". */
void wl_network(char *buf, size_t len, uint32_t k);

/* wl_host_addr - address host (1..250) inside domain k's network. */
void wl_host_addr(char *buf, size_t len, uint32_t k, uint32_t host);

/* The common names of the certificate issuers the policy names. */
#define WL_ISSUERS 8
/* wl_issuer - issuer i modulo WL_ISSUERS: "Bench CA 3". */
void wl_issuer(char *buf, size_t len, uint32_t i);

/* What sessions to make. */
struct wl_mix {
	uint32_t	m_domains;	/* domains are numbered [0, m_domains) */
	unsigned	m_tls_pct;	/* sessions that use TLS, in percent */
	unsigned	m_cert_pct;	/* TLS sessions with a verified cert */
	unsigned	m_rcpt_max;	/* recipients per message: 1..this */
};

#define WL_MIX_DEFAULT	{ 100000, 70, 30, 3 }
#define WL_RCPT_MAX	16
#define WL_TEXT		96

/*
 * One SMTP session as an MTA would describe it to a milter: strings as
 * Postfix sends them, "" where it sends nothing.  A TLS session gives its
 * HELO name twice, before and after STARTTLS.
 */
struct wl_session {
	char		ws_addr[48];		/* {client_addr} */
	char		ws_name[WL_TEXT];	/* {client_name}: "unknown" or a name */
	char		ws_listener[16];	/* {daemon_name} */
	char		ws_helo[WL_TEXT];
	char		ws_tls_version[16];	/* "" for plaintext */
	char		ws_cipher[48];
	char		ws_bits[8];
	char		ws_cert_subject[WL_TEXT];	/* "" unless verified */
	char		ws_cert_issuer[48];
	char		ws_auth[16];		/* {auth_authen}, "" if none */
	char		ws_sender[WL_TEXT];	/* MAIL FROM argument, with <> */
	unsigned	ws_nrcpt;
	char		ws_rcpt[WL_RCPT_MAX][WL_TEXT];
};

/* wl_session_make - a random session of the mix; partners, relays and
 * networks come from the numbered domains, the rest from nobody's. */
void wl_session_make(struct wl_rng *r, const struct wl_mix *mix,
    struct wl_session *s);

/* wl_tls_macro - the value of a TLS macro ("{tls_version}", "{cipher}",
 * "{cipher_bits}", "{cert_subject}", "{cert_issuer}") of the session as
 * Postfix gives it once TLS is on; NULL when it sends none. */
const char *wl_tls_macro(const struct wl_session *s, const char *name);

/* wl_now_ns - CLOCK_MONOTONIC in nanoseconds. */
long long wl_now_ns(void);

/* wl_number - a decimal command-line argument in [min, max]; otherwise
 * "PROG: bad number" and exit status 64. */
unsigned long wl_number(const char *prog, const char *s, unsigned long min,
    unsigned long max);

#endif
