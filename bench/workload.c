/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * workload.c - numbered domains, networks and issuers for the benchmarks
 * (see workload.h), and the random numbers that pick them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workload.h"

/*
 * wl_seed - see workload.h.
 */
void
wl_seed(struct wl_rng *r, uint64_t seed)
{
	r->r_state = seed;
}

/*
 * wl_next - see workload.h (splitmix64).
 */
uint64_t
wl_next(struct wl_rng *r)
{
	uint64_t z = (r->r_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/*
 * wl_below - see workload.h.
 */
uint32_t
wl_below(struct wl_rng *r, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)((wl_next(r) >> 32) % n);
}

/*
 * wl_domain - see workload.h.
 */
void
wl_domain(char *buf, size_t len, uint32_t k)
{
	snprintf(buf, len, "d%lu.example", (unsigned long)k);
}

/*
 * wl_network - see workload.h.
 */
void
wl_network(char *buf, size_t len, uint32_t k)
{
	if (k < 65536)
		snprintf(buf, len, "10.%lu.%lu.0/24", (unsigned long)(k >> 8),
		    (unsigned long)(k & 255));
	else
		snprintf(buf, len, "2001:db8:%lx:%lx::/64",
		    (unsigned long)(k >> 16), (unsigned long)(k & 0xffff));
}

/*
 * wl_host_addr - see workload.h.
 */
void
wl_host_addr(char *buf, size_t len, uint32_t k, uint32_t host)
{
	if (k < 65536)
		snprintf(buf, len, "10.%lu.%lu.%lu", (unsigned long)(k >> 8),
		    (unsigned long)(k & 255), (unsigned long)host);
	else
		snprintf(buf, len, "2001:db8:%lx:%lx::%lx",
		    (unsigned long)(k >> 16), (unsigned long)(k & 0xffff),
		    (unsigned long)host);
}

/*
 * wl_issuer - see workload.h.
 */
void
wl_issuer(char *buf, size_t len, uint32_t i)
{
	snprintf(buf, len, "Bench CA %lu", (unsigned long)(i % WL_ISSUERS));
}

/* A TLS version and a cipher of it, as OpenSSL names them. */
static const struct {
	unsigned	t_weight;	/* of 100 */
	const char	*t_version, *t_cipher, *t_bits;
} tls_kinds[] = {
	{ 50, "TLSv1.3", "TLS_AES_256_GCM_SHA384", "256" },
	{ 30, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "256" },
	{ 10, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "128" },
	{ 5, "TLSv1.1", "ECDHE-RSA-AES128-SHA", "128" },
	{ 5, "TLSv1", "DES-CBC3-SHA", "112" },
};

/* The client: an address, its name and its HELO. */
static void
make_client(struct wl_rng *r, const struct wl_mix *mix, uint32_t k,
    struct wl_session *s)
{
	char d[64];
	uint32_t pick = wl_below(r, 100);

	wl_domain(d, sizeof(d), k);
	if (pick < 25)
		wl_host_addr(s->ws_addr, sizeof(s->ws_addr),
		    wl_below(r, mix->m_domains), 1 + wl_below(r, 250));
	else
		snprintf(s->ws_addr, sizeof(s->ws_addr), "198.51.100.%lu",
		    (unsigned long)(1 + wl_below(r, 250)));
	pick = wl_below(r, 100);
	if (pick < 40)
		snprintf(s->ws_name, sizeof(s->ws_name), "mx.%s", d);
	else if (pick < 50)
		snprintf(s->ws_name, sizeof(s->ws_name), "out%lu.relay.%s",
		    (unsigned long)wl_below(r, 10), d);
	else
		snprintf(s->ws_name, sizeof(s->ws_name), "unknown");
	snprintf(s->ws_helo, sizeof(s->ws_helo), "mx.%s", d);
	snprintf(s->ws_listener, sizeof(s->ws_listener), "%s",
	    wl_below(r, 100) < 5 ? "submission" : "smtpd");
	if (strcmp(s->ws_listener, "submission") == 0 && wl_below(r, 5) > 0)
		snprintf(s->ws_auth, sizeof(s->ws_auth), "user%lu",
		    (unsigned long)wl_below(r, 1000));
}

/* TLS facts: version, cipher, and maybe a verified certificate of k. */
static void
make_tls(struct wl_rng *r, const struct wl_mix *mix, uint32_t k,
    struct wl_session *s)
{
	uint32_t pick = wl_below(r, 100);
	size_t i = 0;

	if (wl_below(r, 100) >= mix->m_tls_pct)
		return;
	while (pick >= tls_kinds[i].t_weight) {
		pick -= tls_kinds[i].t_weight;
		i++;
	}
	snprintf(s->ws_tls_version, sizeof(s->ws_tls_version), "%s",
	    tls_kinds[i].t_version);
	snprintf(s->ws_cipher, sizeof(s->ws_cipher), "%s", tls_kinds[i].t_cipher);
	snprintf(s->ws_bits, sizeof(s->ws_bits), "%s", tls_kinds[i].t_bits);
	if (wl_below(r, 100) >= mix->m_cert_pct)
		return;
	snprintf(s->ws_cert_subject, sizeof(s->ws_cert_subject), "%s",
	    s->ws_helo);
	wl_issuer(s->ws_cert_issuer, sizeof(s->ws_cert_issuer),
	    wl_below(r, 10) == 0 ? k + 1 : k);	/* one in ten: another CA */
}

/* The envelope: a sender of domain k, recipients anywhere. */
static void
make_envelope(struct wl_rng *r, const struct wl_mix *mix, uint32_t k,
    struct wl_session *s)
{
	static const char *const locals[] = { "user", "billing", "ceo" };
	char d[64];
	uint32_t pick = wl_below(r, 100);
	unsigned i;

	wl_domain(d, sizeof(d), k);
	if (pick < 50)
		snprintf(s->ws_sender, sizeof(s->ws_sender), "<%s@%s>",
		    locals[wl_below(r, 3)], d);
	else if (pick < 65)
		snprintf(s->ws_sender, sizeof(s->ws_sender), "<user@eu.%s>", d);
	else if (pick < 70)
		snprintf(s->ws_sender, sizeof(s->ws_sender), "<>");
	else
		snprintf(s->ws_sender, sizeof(s->ws_sender),
		    "<user%lu@elsewhere.test>", (unsigned long)wl_below(r, 1000));
	s->ws_nrcpt = 1 + wl_below(r, mix->m_rcpt_max < WL_RCPT_MAX ?
	    mix->m_rcpt_max : WL_RCPT_MAX);
	for (i = 0; i < s->ws_nrcpt; i++) {
		wl_domain(d, sizeof(d), wl_below(r, mix->m_domains));
		snprintf(s->ws_rcpt[i], sizeof(s->ws_rcpt[i]), "<rcpt%u@%s>",
		    i, d);
	}
}

/*
 * wl_session_make - see workload.h.
 */
void
wl_session_make(struct wl_rng *r, const struct wl_mix *mix,
    struct wl_session *s)
{
	uint32_t k = wl_below(r, mix->m_domains);

	memset(s, 0, sizeof(*s));
	make_client(r, mix, k, s);
	make_tls(r, mix, k, s);
	make_envelope(r, mix, k, s);
}

/*
 * wl_tls_macro - see workload.h.
 */
const char *
wl_tls_macro(const struct wl_session *w, const char *name)
{
	if (w->ws_tls_version[0] == '\0')
		return NULL;
	if (strcmp(name, "{tls_version}") == 0)
		return w->ws_tls_version;
	if (strcmp(name, "{cipher}") == 0)
		return w->ws_cipher;
	if (strcmp(name, "{cipher_bits}") == 0)
		return w->ws_bits;
	if (w->ws_cert_subject[0] == '\0')
		return NULL;
	if (strcmp(name, "{cert_subject}") == 0)
		return w->ws_cert_subject;
	if (strcmp(name, "{cert_issuer}") == 0)
		return w->ws_cert_issuer;
	return NULL;
}

/*
 * wl_now_ns - see workload.h.
 */
long long
wl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * wl_number - see workload.h.
 */
unsigned long
wl_number(const char *prog, const char *s, unsigned long min,
    unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max ||
	    s[0] == '-') {
		fprintf(stderr, "%s: bad number \"%s\"\n", prog, s);
		exit(64);
	}
	return v;
}
