/*
 * selector.c - the selectors' descriptions, the fact each one reads from
 * a session, and how a rule's values match it (see selector.h).
 */
#include <string.h>
#include <sys/socket.h>

#include "dnsname.h"
#include "selector.h"

#define SEL_DESC(id, key, shape, entry, stage, query, macro, log) \
	[SEL_##id] = { key, shape, stage, query, macro, log },
const struct selector selectors[SEL_N] = {
	SELECTORS(SEL_DESC)
};
#undef SEL_DESC

/*
 * The HELO name: a name given before STARTTLS is void once TLS is on
 * (RFC 3207 section 4.2; session_set_tls() forgets it then).  While the
 * TLS state is unknown, a match on a name from before TLS is undecided;
 * a mismatch stays one.
 */
static void
fact_helo(const struct session *s, struct selfact *f)
{
	f->sf_name = s->ss_helo;
	f->sf_unsure = s->ss_tls == SESSION_TLS_UNKNOWN && !s->ss_helo_tls;
}

/*
 * selector_fact - see selector.h.  The one place that knows which
 * session field answers which selector.
 */
void
selector_fact(enum sel id, const struct question *q, struct selfact *f)
{
	const struct session *s = q->q_session;

	f->sf_unsure = false;
	switch (id) {
	case SEL_CLIENT_ADDR:
		f->sf_addr = &s->ss_addr;
		break;
	case SEL_CLIENT_NAME:
		f->sf_name = s->ss_client_name;
		break;
	case SEL_HELO:
		fact_helo(s, f);
		break;
	case SEL_SENDER:
		f->sf_mail = &s->ss_sender;
		break;
	case SEL_RECIPIENT:
		f->sf_mail = q->q_rcpt;
		break;
	case SEL_LISTENER:
		f->sf_text = &s->ss_listener;
		break;
	case SEL_LISTENER_PORT:
		f->sf_num = s->ss_listener_port;
		break;
	case SEL_LISTENER_ADDR:
		f->sf_addr = &s->ss_listener_addr;
		break;
	case SEL_AUTHENTICATED:
		f->sf_bool = s->ss_auth;
		break;
	case SEL_TLS:
		f->sf_bool = s->ss_tls == SESSION_TLS_UNKNOWN ? -1 :
		    s->ss_tls == SESSION_TLS_ON;
		break;
	case SEL_N:
		break;
	}
}

static int
match_nets(const struct selvalue *v, const struct ipaddr *a)
{
	size_t i;

	for (i = 0; i < v->sv_n; i++)
		if (cidr_match(&v->sv_nets[i], a))
			return 1;
	return 0;
}

/* name is normalised, "" when unknown (matches nothing). */
static int
match_names(const struct selvalue *v, const struct selfact *f)
{
	size_t i;

	for (i = 0; i < v->sv_n; i++)
		if (dnsname_match(v->sv_names[i], f->sf_name))
			return f->sf_unsure ? -1 : 1;
	return 0;
}

static int
match_texts(const struct selvalue *v, const struct session_text *t)
{
	size_t i;

	if (!t->st_present || t->st_cut)
		return 0;
	for (i = 0; i < v->sv_n; i++)
		if (strcmp(v->sv_names[i], t->st_value) == 0)
			return 1;
	return 0;
}

/*
 * An envelope address the MTA gave but that cannot be read (over-long or
 * malformed) can neither match nor be ruled out, unless every pattern is
 * "<>".  Reading it as "no match" would let a client skip a rule just by
 * garbling an address the MTA still delivers (a 300-byte local part with a
 * recipient delimiter).  No address at all (a rule asked at MAIL about a
 * recipient) matches nothing.
 */
static int
match_addrs(const struct selvalue *v, const struct mailaddr *a,
    const char *delim)
{
	int undecided = 0;
	size_t i;

	if (a == NULL)
		return 0;
	for (i = 0; i < v->sv_n; i++) {
		if (addrpat_match(&v->sv_addrs[i], a, delim))
			return 1;
		if (v->sv_addrs[i].ap_kind != ADDRPAT_NULL)
			undecided = 1;
	}
	return undecided && a->ma_present && !a->ma_null && !a->ma_valid ?
	    -1 : 0;
}

static int
match_ports(const struct selvalue *v, long port)
{
	size_t i;

	for (i = 0; i < v->sv_n; i++)
		if (v->sv_ports[i] == port)
			return 1;
	return 0;
}

/*
 * selector_match - see selector.h.
 */
int
selector_match(enum sel id, const struct selvalue *v,
    const struct selfact *f, const char *delim)
{
	switch (selectors[id].se_shape) {
	case SHAPE_NET:
		return match_nets(v, f->sf_addr);
	case SHAPE_NAME:
		return match_names(v, f);
	case SHAPE_TEXT:
		return match_texts(v, f->sf_text);
	case SHAPE_ADDR:
		return match_addrs(v, f->sf_mail, delim);
	case SHAPE_BOOL:
		return f->sf_bool < 0 ? -1 : v->sv_bool == (f->sf_bool == 1);
	case SHAPE_PORT:
		return match_ports(v, f->sf_num);
	}
	return 0;
}

/*
 * selector_find - see selector.h.
 */
enum sel
selector_find(const char *name, size_t len, bool query)
{
	const char *k;
	unsigned i;

	for (i = 0; i < SEL_N; i++) {
		k = query ? selectors[i].se_query : selectors[i].se_key;
		if (k != NULL && strlen(k) == len && strncmp(k, name, len) == 0)
			return (enum sel)i;
	}
	return SEL_N;
}
