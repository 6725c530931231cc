/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ruleindex.c - the rules filed by selector (see ruleindex.h).
 *
 * Keys are (kind, string) for names, domains and listeners, (kind,
 * network) for client_addr, and a few kinds without a key (always, "<>",
 * unreadable sender or recipient, authenticated).  A domain key is a name
 * ("example.org") or a parent-domain pattern (".example.org"); looking a
 * name up means probing the name itself and each of its suffixes that
 * starts at a dot.  Hashes run from the last byte to the first, so one
 * pass from the end of a name gives the hash of every suffix.
 *
 * The finished index keeps only the 32-bit hash of each key, not the key:
 * a lookup whose hash happens to equal another key's hash brings rules
 * that policy_eval() then finds not to apply, which costs a few
 * comparisons and changes no answer.  A slot is 8 bytes: the hash and
 * where the key's rules are, [n_mail, n_rcpt, mail rules..., rcpt
 * rules...] (each list ascending) in one array, or, for the many keys of
 * a single rule, that rule itself.  Most lookups find nothing, and the
 * table of a large policy does not fit a CPU cache, so a bitmap of 16 bits
 * a key, two bits set per key in one 64-bit word, answers most of those
 * first.  The build keeps the keys themselves (pointing into the rules:
 * nothing is copied) to tell them apart.
 *
 * A rule is filed under the selector whose keys are shared by the fewest
 * rules of the policy (counted over all selectors); ties go to the order
 * of enum sel.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rule.h"
#include "ruleindex.h"

/*
 * The kinds of key: "always", then up to KIND_SUBS of each selector
 * (selector.h), by its shape: SHAPE_NET an IPv4 (0) or IPv6 (1) network;
 * SHAPE_ADDR a domain (0), "<>" (1) or "any unreadable address" (2);
 * SHAPE_BOOL false (0) or true (1); the others one kind (0).  A rule
 * with no selector is filed under "always" (selector SEL_N).
 */
#define KIND_SUBS	3
#define K_ALWAYS	0u
#define K_NKINDS	(1u + SEL_N * KIND_SUBS)
#define KIND(sel, sub)	(1u + (unsigned)(sel) * KIND_SUBS + (unsigned)(sub))
#define KIND_SEL(k)	((enum sel)(((k) - 1) / KIND_SUBS))
#define KIND_SUB(k)	(((k) - 1) % KIND_SUBS)
#define SUB_ANY		2	/* SHAPE_ADDR: an address that cannot be read */

_Static_assert(K_NKINDS <= 64, "the kinds of key are bits of a uint64_t");

typedef unsigned kind;

enum view { V_MAIL, V_RCPT, V_NVIEWS };

/* A slot of the finished table; ts_list 0: free. */
struct tableslot {
	uint32_t	ts_hash;
	uint32_t	ts_list;	/* offset of [n_mail, n_rcpt, ...], or
					 * ONE | view bits | the one rule */
};

#define ONE		UINT32_C(0x80000000)
#define ONE_MAIL	UINT32_C(0x40000000)
#define ONE_RCPT	UINT32_C(0x20000000)
#define ONE_RULE	UINT32_C(0x1fffffff)

/* What a view has, so that lookups for nothing are skipped. */
struct viewinfo {
	uint64_t	vi_kinds;	/* 1 << kind: some list is not empty */
	uint32_t	vi_sels;	/* 1 << selector: one of its kinds */
	uint32_t	vi_first[K_NKINDS];	/* its first rule of each kind */
	uint32_t	vi_always;	/* the slot word of K_ALWAYS, or 0 */
	uint64_t	vi_labels[K_NKINDS];	/* 1 << n: a ".x" key of n labels */
	uint64_t	vi_plen[K_NKINDS][3];	/* [p / 64] bit p % 64: a /p
						 * network of that kind */
};

struct ruleindex {
	uint64_t	*ix_filter;	/* 2 bits set per key, in one word */
	unsigned	ix_fshift;	/* 32 - log2(words) */
	struct tableslot *ix_table;
	uint32_t	ix_tmask;	/* table size - 1 */
	uint32_t	*ix_post;	/* the lists; [0] unused */
	size_t		ix_npost;
	uint32_t	ix_nrules;
	struct viewinfo	ix_views[V_NVIEWS];
};

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

/* ---------------------------------------------------------------- hashes */

static uint32_t
hash_seed(kind k)
{
	return (FNV_OFFSET ^ (uint32_t)k) * FNV_PRIME;
}

static uint32_t
hash_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * FNV_PRIME;
}

/* The hash of a string key, from its last byte to its first. */
static uint32_t
hash_string(kind k, const char *s)
{
	size_t n = strlen(s);
	uint32_t h = hash_seed(k);

	while (n-- > 0)
		h = hash_step(h, (unsigned char)s[n]);
	return h;
}

/* The hash of a network: its prefix length and its address bytes. */
static uint32_t
hash_net(kind k, unsigned plen, const unsigned char *bytes, size_t n)
{
	uint32_t h = hash_step(hash_seed(k), (unsigned char)plen);
	size_t i;

	for (i = 0; i < n; i++)
		h = hash_step(h, bytes[i]);
	return h;
}

/* The word of the filter for hash h. */
static uint32_t
filter_word(const struct ruleindex *ix, uint32_t h)
{
	return (h * 0x9e3779b1u) >> ix->ix_fshift;
}

/* The two bits in that word. */
static uint64_t
filter_bits(uint32_t h)
{
	uint32_t x = (h ^ (h >> 15)) * 0x85ebca6bu;

	return UINT64_C(1) << (x >> 26) | UINT64_C(1) << ((x >> 20) & 63);
}

/* ---------------------------------------------------------------- keys */

/* One key while building: its kind, what it points to, its hash. */
struct key {
	kind		k_kind;
	const void	*k_key;		/* const char *, const struct cidr * or
					 * const uint16_t *, by its shape */
	uint32_t	k_hash;
};

/* A key while building, with what the passes learn about it. */
struct entry {
	struct key	e_key;
	uint32_t	e_count;	/* rules that have it, any selector */
	uint32_t	e_len[V_NVIEWS];	/* rules filed under it */
	uint32_t	e_fill[V_NVIEWS];	/* rules written so far */
	uint32_t	e_last[V_NVIEWS];	/* last rule filed + 1 */
	uint32_t	e_list;		/* offset of its lists in ix_post */
};

/* The state of a build. */
struct build {
	struct ruleindex *b_ix;
	struct entry	*b_entries;
	uint32_t	b_nentries, b_size;
	uint32_t	*b_slots;	/* entry number + 1; 0: free */
	uint32_t	b_mask;
	uint32_t	b_rule;		/* the rule being looked at */
	enum view	b_view;
	uint64_t	b_cost;
	bool		b_fill;		/* writing the lists, not counting */
};

typedef int key_fn(struct build *b, const struct key *key);

/* The shape of the selector of kind k (K_ALWAYS: SHAPE_BOOL, no key). */
static enum sel_shape
kind_shape(kind k)
{
	return k == K_ALWAYS ? SHAPE_BOOL : selectors[KIND_SEL(k)].se_shape;
}

/* Is k a kind of string key (a name, a domain, a text)? */
static bool
is_string_kind(kind k)
{
	enum sel_shape sh = kind_shape(k);

	return sh == SHAPE_NAME || sh == SHAPE_TEXT ||
	    (sh == SHAPE_ADDR && KIND_SUB(k) == 0);
}

static bool
key_equal(const struct key *a, const struct key *b)
{
	const struct cidr *x, *y;

	if (a->k_kind != b->k_kind || a->k_hash != b->k_hash)
		return false;
	if (is_string_kind(a->k_kind))
		return strcmp(a->k_key, b->k_key) == 0;
	if (kind_shape(a->k_kind) == SHAPE_PORT)
		return *(const uint16_t *)a->k_key == *(const uint16_t *)b->k_key;
	if (kind_shape(a->k_kind) != SHAPE_NET)
		return true;	/* one key of its kind */
	x = a->k_key;
	y = b->k_key;
	return x->cidr_prefix == y->cidr_prefix &&
	    memcmp(x->cidr_net.ip_bytes, y->cidr_net.ip_bytes,
	    KIND_SUB(a->k_kind) == 0 ? 4 : 16) == 0;
}

/* The key of a network entry of selector sel. */
static struct key
net_key(enum sel sel, const struct cidr *c)
{
	int six = c->cidr_net.ip_family != AF_INET;
	kind k = KIND(sel, six);

	return (struct key){ k, c, hash_net(k, (unsigned)c->cidr_prefix,
	    c->cidr_net.ip_bytes, six ? 16 : 4) };
}

/* The hash of a port number. */
static uint32_t
hash_port(kind k, long port)
{
	return hash_step(hash_step(hash_seed(k), (unsigned char)(port >> 8)),
	    (unsigned char)port);
}

static struct key
string_key(kind k, const char *s)
{
	return (struct key){ k, s, hash_string(k, s) };
}

static struct key
plain_key(kind k)
{
	return (struct key){ k, NULL, hash_seed(k) };
}

/* The key of entry i of selector sel's values v. */
static struct key
entry_key(enum sel sel, const struct selvalue *v, size_t i)
{
	kind k = KIND(sel, 0);

	switch (selectors[sel].se_shape) {
	case SHAPE_NET:
		return net_key(sel, &v->sv_nets[i]);
	case SHAPE_NAME:
	case SHAPE_TEXT:
		return string_key(k, v->sv_names[i]);
	case SHAPE_ADDR:
		return v->sv_addrs[i].ap_kind == ADDRPAT_NULL ?
		    plain_key(KIND(sel, 1)) :
		    string_key(k, v->sv_addrs[i].ap_domain);
	case SHAPE_PORT:
		return (struct key){ k, &v->sv_ports[i],
		    hash_port(k, v->sv_ports[i]) };
	case SHAPE_BOOL:
		break;
	}
	return plain_key(KIND(sel, v->sv_bool));
}

/*
 * Where selector_all() could say -1 for some fact, the rule must come
 * whatever that fact: address patterns other than "<>" are also filed
 * under "any unreadable address".  (A HELO name's -1 needs a match, so
 * its name keys bring it; a boolean's unknown fact looks up both keys.)
 */
static bool
needs_any(enum sel sel, const struct selvalue *v)
{
	size_t i;

	if (selectors[sel].se_shape != SHAPE_ADDR)
		return false;
	for (i = 0; i < v->sv_n; i++)
		if (v->sv_addrs[i].ap_kind != ADDRPAT_NULL)
			return true;
	return false;
}

/* Call fn for each key of rule r's selector sel (SEL_N: "always"); 0 or
 * fn's -1. */
static int
sel_keys(struct build *b, const struct rule *r, enum sel sel, key_fn *fn)
{
	const struct selvalue *v;
	struct key k;
	size_t i;

	if (sel == SEL_N) {
		k = plain_key(K_ALWAYS);
		return fn(b, &k);
	}
	v = &r->r_sel[sel];
	for (i = 0; i < v->sv_n; i++) {
		k = entry_key(sel, v, i);
		if (fn(b, &k) < 0)
			return -1;
		if (selectors[sel].se_shape == SHAPE_BOOL)
			break;
	}
	if (!needs_any(sel, v))
		return 0;
	k = plain_key(KIND(sel, SUB_ANY));
	return fn(b, &k);
}

/* Does the rule have selector sel?  Every rule has "always" (SEL_N). */
static bool
has_sel(const struct rule *r, enum sel sel)
{
	return sel == SEL_N || r->r_sel[sel].sv_n > 0;
}

/* May rule r be filed under its selector sel in view v? */
static bool
can_file(const struct rule *r, enum sel sel, enum view v)
{
	return sel != SEL_N && has_sel(r, sel) && !(v == V_MAIL &&
	    selectors[sel].se_stage == STAGE_RCPT);
}

/* ---------------------------------------------------------------- building */

/* The entry of key, or NULL. */
static struct entry *
find(const struct build *b, const struct key *key)
{
	uint32_t i, e;

	for (i = key->k_hash & b->b_mask; (e = b->b_slots[i]) != 0;
	    i = (i + 1) & b->b_mask)
		if (key_equal(&b->b_entries[e - 1].e_key, key))
			return &b->b_entries[e - 1];
	return NULL;
}

/* Double the slots and re-file every entry; -1 when out of memory. */
static int
slots_grow(struct build *b)
{
	uint32_t size = b->b_mask ? 2 * (b->b_mask + 1) : 1024, i, j;
	uint32_t *slots = calloc(size, sizeof(*slots));

	if (slots == NULL)
		return -1;
	for (i = 0; i < b->b_nentries; i++) {
		for (j = b->b_entries[i].e_key.k_hash & (size - 1);
		    slots[j] != 0; j = (j + 1) & (size - 1))
			continue;
		slots[j] = i + 1;
	}
	free(b->b_slots);
	b->b_slots = slots;
	b->b_mask = size - 1;
	return 0;
}

/* Pass 1: every key of every selector, with how many rules have it. */
static int
count_key(struct build *b, const struct key *key)
{
	struct entry *e = find(b, key), *grown;
	uint32_t i;

	if (e == NULL) {
		if (2 * (b->b_nentries + 1) > b->b_mask + 1 && slots_grow(b) < 0)
			return -1;
		if (b->b_nentries == b->b_size) {
			b->b_size = b->b_size ? 2 * b->b_size : 1024;
			grown = realloc(b->b_entries, b->b_size *
			    sizeof(*grown));
			if (grown == NULL)
				return -1;
			b->b_entries = grown;
		}
		e = &b->b_entries[b->b_nentries++];
		memset(e, 0, sizeof(*e));
		e->e_key = *key;
		for (i = key->k_hash & b->b_mask; b->b_slots[i] != 0;
		    i = (i + 1) & b->b_mask)
			continue;
		b->b_slots[i] = b->b_nentries;
	}
	e->e_count++;
	return 0;
}

/* Add up how many rules share the keys of a selector (leaving out the
 * lists for unreadable addresses: rarely looked at). */
static int
cost_key(struct build *b, const struct key *key)
{
	const struct entry *e;

	if (kind_shape(key->k_kind) == SHAPE_ADDR &&
	    KIND_SUB(key->k_kind) == SUB_ANY)
		return 0;
	if ((e = find(b, key)) != NULL)
		b->b_cost += e->e_count;
	return 0;
}

/* Passes 2 and 3: count, then write, rule b_rule under its key. */
static int
file_key(struct build *b, const struct key *key)
{
	struct entry *e = find(b, key);
	uint32_t *list;

	if (e->e_last[b->b_view] == b->b_rule + 1)
		return 0;	/* the rule is in this list already */
	e->e_last[b->b_view] = b->b_rule + 1;
	if (!b->b_fill) {
		e->e_len[b->b_view]++;
		return 0;
	}
	if (e->e_list & ONE)
		return 0;	/* written by lay_out() */
	list = &b->b_ix->ix_post[e->e_list];
	list[2 + (b->b_view == V_RCPT ? list[0] : 0) + e->e_fill[b->b_view]++] =
	    b->b_rule;
	return 0;
}

/* The selector to file rule r under in view v. */
static enum sel
choose(struct build *b, const struct rule *r, enum view v)
{
	enum sel s, best = SEL_N;
	uint64_t best_cost = UINT64_MAX;
	unsigned n = 0;

	for (s = 0; s < SEL_N; s++)
		if (can_file(r, s, v)) {
			best = s;
			n++;
		}
	if (n <= 1)
		return best;	/* most rules: no choice to make */
	for (s = 0; s < SEL_N; s++) {
		if (!can_file(r, s, v))
			continue;
		b->b_cost = 0;
		(void)sel_keys(b, r, s, cost_key);
		if (b->b_cost < best_cost) {
			best_cost = b->b_cost;
			best = s;
		}
	}
	return best;
}

/* File every rule in both views, counting (b_fill false) or writing. */
static int
file_rules(struct build *b, const struct rule *rules, const uint8_t *chosen)
{
	uint32_t i;
	enum view v;

	for (i = 0; i < b->b_nentries; i++)
		memset(b->b_entries[i].e_last, 0,
		    sizeof(b->b_entries[i].e_last));
	for (i = 0; i < b->b_ix->ix_nrules; i++)
		for (v = 0; v < V_NVIEWS; v++) {
			b->b_rule = i;
			b->b_view = v;
			if (sel_keys(b, &rules[i],
			    (enum sel)chosen[i * V_NVIEWS + v], file_key) < 0)
				return -1;
		}
	return 0;
}

/* Labels of a ".x.y" key: its dots. */
static unsigned
dots(const char *s)
{
	unsigned n = 0;

	for (; *s != '\0'; s++)
		n += *s == '.';
	return n;
}

/* Note what view v has, for lookups to skip what it has not. */
static void
note_key(struct viewinfo *vi, const struct key *k)
{
	const struct cidr *c;
	unsigned n;

	vi->vi_kinds |= UINT64_C(1) << k->k_kind;
	if (k->k_kind != K_ALWAYS)
		vi->vi_sels |= UINT32_C(1) << KIND_SEL(k->k_kind);
	if (kind_shape(k->k_kind) == SHAPE_NET) {
		c = k->k_key;
		vi->vi_plen[k->k_kind][c->cidr_prefix / 64] |=
		    UINT64_C(1) << (c->cidr_prefix % 64);
	} else if (is_string_kind(k->k_kind) &&
	    ((const char *)k->k_key)[0] == '.') {
		n = dots(k->k_key);
		vi->vi_labels[k->k_kind] |= UINT64_C(1) << (n < 63 ? n : 63);
	}
}

/*
 * Is the key's one rule (b_last of the counting pass) all it has?  Then
 * the slot holds it (returned), else 0.
 */
static uint32_t
one_rule(const struct build *b, const struct entry *e)
{
	uint32_t m = e->e_len[V_MAIL], r = e->e_len[V_RCPT];

	if (m > 1 || r > 1 || b->b_ix->ix_nrules > ONE_RULE ||
	    (m == 1 && r == 1 && e->e_last[V_MAIL] != e->e_last[V_RCPT]))
		return 0;
	return ONE | (m ? ONE_MAIL : 0) | (r ? ONE_RCPT : 0) |
	    ((m ? e->e_last[V_MAIL] : e->e_last[V_RCPT]) - 1);
}

/* Room for the lists of the keys that have rules, and their offsets. */
static int
lay_out(struct build *b)
{
	struct ruleindex *ix = b->b_ix;
	size_t total = 1;
	struct entry *e;
	uint32_t i;

	for (i = 0; i < b->b_nentries; i++) {
		e = &b->b_entries[i];
		if (e->e_len[V_MAIL] + e->e_len[V_RCPT] > 0 && !one_rule(b, e))
			total += 2 + e->e_len[V_MAIL] + e->e_len[V_RCPT];
	}
	if (total > UINT32_MAX ||
	    (ix->ix_post = calloc(total, sizeof(*ix->ix_post))) == NULL)
		return -1;
	ix->ix_npost = total;
	for (i = 0, total = 1; i < b->b_nentries; i++) {
		e = &b->b_entries[i];
		if (e->e_len[V_MAIL] + e->e_len[V_RCPT] == 0)
			continue;
		if ((e->e_list = one_rule(b, e)) == 0) {
			e->e_list = (uint32_t)total;
			ix->ix_post[total] = e->e_len[V_MAIL];
			ix->ix_post[total + 1] = e->e_len[V_RCPT];
			total += 2 + e->e_len[V_MAIL] + e->e_len[V_RCPT];
		}
		if (e->e_len[V_MAIL] > 0)
			note_key(&ix->ix_views[V_MAIL], &e->e_key);
		if (e->e_len[V_RCPT] > 0)
			note_key(&ix->ix_views[V_RCPT], &e->e_key);
	}
	return 0;
}

/* Note the first rule of the key in each view, and where "always" is. */
static void
note_first(struct ruleindex *ix, const struct entry *e)
{
	const uint32_t *list;
	uint32_t first;
	enum view v;

	for (v = 0; v < V_NVIEWS; v++) {
		if (e->e_len[v] == 0)
			continue;
		if (e->e_list & ONE) {
			first = e->e_list & ONE_RULE;
		} else {
			list = &ix->ix_post[e->e_list];
			first = list[2 + (v == V_RCPT ? list[0] : 0)];
		}
		if (first < ix->ix_views[v].vi_first[e->e_key.k_kind])
			ix->ix_views[v].vi_first[e->e_key.k_kind] = first;
		if (e->e_key.k_kind == K_ALWAYS)
			ix->ix_views[v].vi_always = e->e_list;
	}
}

/* The finished table and filter, of the keys that have rules. */
static int
finish(struct build *b)
{
	struct ruleindex *ix = b->b_ix;
	uint32_t size = 1, words = 64, n = 0, i, j, h;
	const struct entry *e;

	for (i = 0; i < b->b_nentries; i++)
		n += b->b_entries[i].e_list != 0;
	while (size < n + n / 3 + 1)
		size *= 2;
	while (words < n / 4 && words < (1u << 26))
		words *= 2;
	ix->ix_fshift = 32;
	for (j = words; j > 1; j /= 2)
		ix->ix_fshift--;
	for (i = 0; i < K_NKINDS; i++)
		ix->ix_views[V_MAIL].vi_first[i] =
		    ix->ix_views[V_RCPT].vi_first[i] = UINT32_MAX;
	if ((ix->ix_table = calloc(size, sizeof(*ix->ix_table))) == NULL ||
	    (ix->ix_filter = calloc(words, sizeof(uint64_t))) == NULL)
		return -1;
	ix->ix_tmask = size - 1;
	for (i = 0; i < b->b_nentries; i++) {
		e = &b->b_entries[i];
		if (e->e_list == 0)
			continue;
		h = e->e_key.k_hash;
		for (j = h & ix->ix_tmask; ix->ix_table[j].ts_list != 0;
		    j = (j + 1) & ix->ix_tmask)
			continue;
		ix->ix_table[j] = (struct tableslot){ h, e->e_list };
		ix->ix_filter[filter_word(ix, h)] |= filter_bits(h);
		note_first(ix, e);
	}
	return 0;
}

static int
build(struct build *b, const struct rule *rules, uint8_t *chosen)
{
	uint32_t i, n = b->b_ix->ix_nrules;
	enum sel s;
	enum view v;

	if (slots_grow(b) < 0)
		return -1;
	for (i = 0; i < n; i++)
		for (s = 0; s <= SEL_N; s++)
			if (has_sel(&rules[i], s) &&
			    sel_keys(b, &rules[i], s, count_key) < 0)
				return -1;
	for (i = 0; i < n; i++)
		for (v = 0; v < V_NVIEWS; v++)
			chosen[i * V_NVIEWS + v] = (uint8_t)choose(b, &rules[i], v);
	if (file_rules(b, rules, chosen) < 0 || lay_out(b) < 0)
		return -1;
	b->b_fill = true;
	if (file_rules(b, rules, chosen) < 0)
		return -1;
	return finish(b);
}

/*
 * ruleindex_build - see ruleindex.h.
 */
struct ruleindex *
ruleindex_build(const struct rule *rules, size_t n)
{
	struct build b = { 0 };
	uint8_t *chosen;
	int rc = -1;

	if (n >= UINT32_MAX || (b.b_ix = calloc(1, sizeof(*b.b_ix))) == NULL)
		return NULL;
	b.b_ix->ix_nrules = (uint32_t)n;
	if ((chosen = calloc(n + 1, V_NVIEWS)) != NULL)
		rc = build(&b, rules, chosen);
	free(chosen);
	free(b.b_entries);
	free(b.b_slots);
	if (rc < 0) {
		ruleindex_free(b.b_ix);
		return NULL;
	}
	return b.b_ix;
}

/*
 * ruleindex_free - see ruleindex.h.
 */
void
ruleindex_free(struct ruleindex *ix)
{
	if (ix == NULL)
		return;
	free(ix->ix_filter);
	free(ix->ix_table);
	free(ix->ix_post);
	free(ix);
}

/*
 * ruleindex_bytes - see ruleindex.h.
 */
size_t
ruleindex_bytes(const struct ruleindex *ix)
{
	return sizeof(*ix) + ((size_t)1 << (32 - ix->ix_fshift)) * 8 +
	    ((size_t)ix->ix_tmask + 1) * sizeof(*ix->ix_table) +
	    ix->ix_npost * sizeof(*ix->ix_post);
}

/* ---------------------------------------------------------------- lookups */

/*
 * A question's facts (one per selector: its FACT, selector.h) are looked
 * up only when they could bring a rule before the next candidate the walk
 * already has: each kind of key knows the first rule filed under it.  So
 * a policy whose first rule applies to everything, or selects only on the
 * recipient (at MAIL: defer), costs no lookup at all.  Those looked up
 * together are gathered first and then probed in stages (filter, table,
 * list), each stage touching all its memory at once: the cache misses of
 * one stage overlap instead of queueing.
 */
struct probes {
	uint32_t	pr_hash[RULEINDEX_LISTS];
	uint32_t	pr_word[RULEINDEX_LISTS];	/* what the table says */
	unsigned	pr_n;
	bool		pr_full;	/* more keys than room: walk everything */
	enum view	pr_view;
	const struct ruleindex *pr_ix;
};

static void
probe(struct probes *pr, uint32_t h)
{
	if (pr->pr_n == RULEINDEX_LISTS)
		pr->pr_full = true;	/* correct, only slower */
	else
		pr->pr_hash[pr->pr_n++] = h;
}

/*
 * A name and, where the view has ".x" keys of that many labels, each of
 * its parent domains: what dnsname_match() would match.
 */
static void
probe_name(struct probes *pr, kind k, const char *name)
{
	uint64_t labels = pr->pr_ix->ix_views[pr->pr_view].vi_labels[k];
	uint32_t h = hash_seed(k);
	unsigned ndots = 0;
	size_t i;

	for (i = strlen(name); i-- > 0; ) {
		h = hash_step(h, (unsigned char)name[i]);
		if (name[i] != '.' || i == 0 || labels == 0)
			continue;
		ndots++;
		if (labels & (UINT64_C(1) << (ndots < 63 ? ndots : 63)))
			probe(pr, h);
	}
	probe(pr, h);
}

/* The client's address under every prefix length the view has. */
static void
probe_addr(struct probes *pr, kind k, const struct ipaddr *a)
{
	int six = KIND_SUB(k) == 1;
	const uint64_t *plens = pr->pr_ix->ix_views[pr->pr_view].vi_plen[k];
	unsigned char net[16];
	uint64_t bits;
	unsigned p, word;

	for (word = 0; word < 3; word++)
		for (bits = plens[word]; bits != 0; bits &= bits - 1) {
			p = word * 64 + (unsigned)__builtin_ctzll(bits);
			memset(net, 0, sizeof(net));
			memcpy(net, a->ip_bytes, p / 8);
			if (p % 8 != 0)
				net[p / 8] = (unsigned char)(a->ip_bytes[p / 8] &
				    (0xff << (8 - p % 8)));
			probe(pr, hash_net(k, p, net, six ? 16 : 4));
		}
}

/* The kind of key of an envelope address of selector sel: what
 * selector_all() could say 1 or -1 to; 0 when there is none. */
static kind
mailaddr_kind(enum sel sel, const struct mailaddr *a)
{
	if (a == NULL || !a->ma_present)
		return 0;
	if (a->ma_null)
		return KIND(sel, 1);
	if (!a->ma_valid)
		return KIND(sel, SUB_ANY);
	return a->ma_domain[0] != '\0' && a->ma_domain[0] != '.' ?
	    KIND(sel, 0) : 0;
}

/* A name that can be looked up: known, and not a ".domain" pattern. */
static bool
name_known(const char *name)
{
	return name[0] != '\0' && name[0] != '.';
}

/*
 * The kinds of key the fact f of selector sel is looked up under, into
 * k[]: how many (0 when the fact brings no rule, 2 for a boolean that is
 * unknown: both).
 */
static inline unsigned
fact_kinds(enum sel sel, enum sel_shape shape, const struct selfact *f,
    kind k[2])
{
	k[0] = KIND(sel, 0);
	switch (shape) {
	case SHAPE_NET:
		k[0] = KIND(sel, f->sf_addr->ip_family == AF_INET6);
		return f->sf_addr->ip_family == AF_INET ||
		    f->sf_addr->ip_family == AF_INET6;
	case SHAPE_NAME:
		return name_known(f->sf_name);
	case SHAPE_TEXT:
		return f->sf_text->st_present && !f->sf_text->st_cut;
	case SHAPE_ADDR:
		return (k[0] = mailaddr_kind(sel, f->sf_mail)) != 0;
	case SHAPE_PORT:
		return f->sf_num >= 0;
	case SHAPE_BOOL:
		break;
	}
	if (f->sf_bool >= 0) {
		k[0] = KIND(sel, f->sf_bool);
		return 1;
	}
	k[1] = KIND(sel, 1);
	return 2;
}

/* Gather the keys of selector sel's fact f, of kind k. */
static void
probe_kind(struct probes *pr, enum sel sel, const struct selfact *f, kind k)
{
	switch (selectors[sel].se_shape) {
	case SHAPE_NET:
		probe_addr(pr, k, f->sf_addr);
		break;
	case SHAPE_NAME:
		probe_name(pr, k, f->sf_name);
		break;
	case SHAPE_TEXT:
		probe(pr, hash_string(k, f->sf_text->st_value));
		break;
	case SHAPE_ADDR:
		if (KIND_SUB(k) == 0)
			probe_name(pr, k, f->sf_mail->ma_domain);
		else
			probe(pr, hash_seed(k));
		break;
	case SHAPE_PORT:
		probe(pr, hash_port(k, f->sf_num));
		break;
	case SHAPE_BOOL:
		probe(pr, hash_seed(k));
		break;
	}
}

/* Is h in the filter? */
static bool
filter_has(const struct ruleindex *ix, uint32_t h)
{
	uint64_t bits = filter_bits(h);

	return (ix->ix_filter[filter_word(ix, h)] & bits) == bits;
}

/* The slot's word of the key hashed h, or 0. */
static uint32_t
table_find(const struct ruleindex *ix, uint32_t h)
{
	const struct tableslot *ts;
	uint32_t i;

	for (i = h & ix->ix_tmask; ; i = (i + 1) & ix->ix_tmask) {
		ts = &ix->ix_table[i];
		if (ts->ts_list == 0 || ts->ts_hash == h)
			return ts->ts_list;
	}
}

/* Add what the slot's word says view v has to the walk. */
static void
walk_add(struct ruleindex_walk *w, const struct ruleindex *ix, uint32_t word,
    enum view v)
{
	const uint32_t *list;

	if (w->rw_nlists == RULEINDEX_LISTS) {
		w->rw_all = true;	/* correct, only slower */
		return;
	}
	if (word & ONE) {
		if (!(word & (v == V_MAIL ? ONE_MAIL : ONE_RCPT)))
			return;
		w->rw_one[w->rw_nlists] = word & ONE_RULE;
		w->rw_at[w->rw_nlists] = &w->rw_one[w->rw_nlists];
		w->rw_end[w->rw_nlists] = w->rw_at[w->rw_nlists] + 1;
		w->rw_nlists++;
		return;
	}
	list = &ix->ix_post[word];
	if (list[v] == 0)
		return;
	w->rw_at[w->rw_nlists] = list + 2 + (v == V_RCPT ? list[0] : 0);
	w->rw_end[w->rw_nlists] = w->rw_at[w->rw_nlists] + list[v];
	w->rw_nlists++;
}

/* Probe the gathered keys, stage by stage, into the walk's lists. */
static void
probe_all(struct probes *pr, struct ruleindex_walk *w)
{
	const struct ruleindex *ix = pr->pr_ix;
	unsigned i, n;

	for (i = 0; i < pr->pr_n; i++)
		__builtin_prefetch(&ix->ix_filter[filter_word(ix,
		    pr->pr_hash[i])]);
	for (i = n = 0; i < pr->pr_n; i++)
		if (filter_has(ix, pr->pr_hash[i])) {
			pr->pr_hash[n++] = pr->pr_hash[i];
			__builtin_prefetch(&ix->ix_table[pr->pr_hash[i] &
			    ix->ix_tmask]);
		}
	for (i = 0, pr->pr_n = 0; i < n; i++)
		if ((pr->pr_word[pr->pr_n] = table_find(ix, pr->pr_hash[i])) !=
		    0 && !(pr->pr_word[pr->pr_n++] & ONE))
			__builtin_prefetch(&ix->ix_post[pr->pr_word[pr->pr_n - 1]]);
	for (i = 0; i < pr->pr_n; i++)
		walk_add(w, ix, pr->pr_word[i], pr->pr_view);
}

/* Look up, in one batch, every pending fact that may bring a rule at or
 * before rule `before`. */
static void
walk_probe(struct ruleindex_walk *w, uint32_t before)
{
	struct probes pr;
	unsigned i, kept = 0;

	pr.pr_n = 0;
	pr.pr_full = false;
	pr.pr_view = w->rw_question->q_rcpt == NULL ? V_MAIL : V_RCPT;
	pr.pr_ix = w->rw_index;
	for (i = 0; i < w->rw_npending; i++) {
		if (w->rw_first[i] <= before)
			probe_kind(&pr, (enum sel)w->rw_sel[i],
			    &w->rw_facts[w->rw_sel[i]], w->rw_kind[i]);
		else {
			w->rw_sel[kept] = w->rw_sel[i];
			w->rw_kind[kept] = w->rw_kind[i];
			w->rw_first[kept++] = w->rw_first[i];
		}
	}
	w->rw_npending = kept;
	if (pr.pr_full)
		w->rw_all = true;
	else
		probe_all(&pr, w);
}

/* Note fact f of selector sel, under each kind of key that the view has
 * (fact_kinds()), to be looked up when the walk needs it. */
static inline void
walk_pend(struct ruleindex_walk *w, const struct viewinfo *vi, enum sel sel,
    enum sel_shape shape, const struct selfact *f)
{
	unsigned i, n;
	kind k[2];

	w->rw_facts[sel] = *f;
	n = fact_kinds(sel, shape, f, k);
	for (i = 0; i < n; i++) {
		if (!(vi->vi_kinds & (UINT64_C(1) << k[i])))
			continue;
		w->rw_sel[w->rw_npending] = (uint8_t)sel;
		w->rw_kind[w->rw_npending] = (uint8_t)k[i];
		w->rw_first[w->rw_npending++] = vi->vi_first[k[i]];
	}
}

/*
 * ruleindex_start - see ruleindex.h.  Every fact the view has keys for is
 * read here, one step per selector in the table's order, its fact and
 * shape fixed in each step: the session's cache misses overlap, and no
 * dispatch varies with the selector (a loop with a switch cost more in
 * time than in instructions: bench/policy-bench's mean_ns).
 */
void
ruleindex_start(const struct ruleindex *ix, const struct question *q,
    struct ruleindex_walk *w)
{
	enum view v = q->q_rcpt == NULL ? V_MAIL : V_RCPT;
	const struct viewinfo *vi = &ix->ix_views[v];
	const struct session *s = q->q_session;
	uint32_t sels = vi->vi_sels;
	struct selfact f;

	w->rw_index = ix;
	w->rw_question = q;
	w->rw_nlists = 0;
	w->rw_all = false;
	w->rw_last = UINT32_MAX;
	w->rw_nrules = ix->ix_nrules;
	w->rw_npending = 0;
#define START_STEP(id, key, shape, entry, stage, query, macro, log, fact) \
	if (sels & (UINT32_C(1) << SEL_##id)) { \
		f = fact; \
		walk_pend(w, vi, SEL_##id, shape, &f); \
	}
	SELECTORS(START_STEP)
#undef START_STEP
	if (vi->vi_always != 0)
		walk_add(w, ix, vi->vi_always, v);
}

/* The smallest next rule of the lists, UINT32_MAX if none. */
static uint32_t
walk_min(const struct ruleindex_walk *w)
{
	uint32_t min = UINT32_MAX;
	unsigned i;

	for (i = 0; i < w->rw_nlists; i++)
		if (*w->rw_at[i] < min)
			min = *w->rw_at[i];
	return min;
}

/* The pending fact that may bring the earliest rule: its first rule. */
static uint32_t
pending_first(const struct ruleindex_walk *w)
{
	uint32_t first = UINT32_MAX;
	unsigned i;

	for (i = 0; i < w->rw_npending; i++)
		if (w->rw_first[i] < first)
			first = w->rw_first[i];
	return first;
}

/*
 * ruleindex_next - see ruleindex.h.
 */
uint32_t
ruleindex_next(struct ruleindex_walk *w)
{
	uint32_t min;
	unsigned i;

	min = walk_min(w);
	if (w->rw_npending > 0 && !w->rw_all && pending_first(w) <= min) {
		walk_probe(w, min);
		min = walk_min(w);
	}
	if (w->rw_all) {	/* every rule after the last one given */
		min = w->rw_last == UINT32_MAX ? 0 : w->rw_last + 1;
		return (w->rw_last = min < w->rw_nrules ? min : UINT32_MAX);
	}
	for (i = 0; i < w->rw_nlists; ) {
		if (*w->rw_at[i] == min && ++w->rw_at[i] == w->rw_end[i]) {
			w->rw_nlists--;
			w->rw_at[i] = w->rw_at[w->rw_nlists];
			w->rw_end[i] = w->rw_end[w->rw_nlists];
		} else {
			i++;
		}
	}
	return (w->rw_last = min);
}
