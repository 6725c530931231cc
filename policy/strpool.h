/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strpool.h - the memory a loaded policy's rules point into.
 *
 * A 100,000-rule policy holds a few hundred thousand short strings and
 * small arrays.  One malloc() each would cost more in headers and
 * fragmentation than the data; instead the loader takes them from a pool
 * of large blocks that lives exactly as long as the policy and is freed
 * in one go.  Equal strings (reply texts, issuer names, domains that
 * appear both as a sender and as a cert_name) are stored once while the
 * policy is being loaded; strpool_seal() then drops that lookup table.
 * A pool is filled by one thread; once sealed, it is only read.  What it
 * buys over a malloc() a string (bench/policy-bench; bench/README, "What
 * the machinery buys"): a policy half the size, and a free after a
 * reload that does not hold up the session that drops it.
 */
#ifndef STRPOOL_H
#define STRPOOL_H

#include <stddef.h>

struct strpool;

/* strpool_new - an empty pool, or NULL when out of memory. */
struct strpool *strpool_new(void);

/*
 * strpool_alloc - size zeroed bytes aligned for any type, owned by the
 * pool.  Returns NULL when out of memory (size 0 gives a valid pointer).
 */
void *strpool_alloc(struct strpool *sp, size_t size);

/*
 * strpool_intern - a copy of s owned by the pool; equal strings give the
 * same pointer until the pool is sealed.  Returns NULL when out of memory
 * (s NULL gives NULL too).
 */
const char *strpool_intern(struct strpool *sp, const char *s);

/* strpool_seal - loading is over: free the table that finds equal
 * strings.  Later strpool_intern() calls still work, without sharing. */
void strpool_seal(struct strpool *sp);

/* strpool_bytes - bytes the pool holds from malloc(), for reports. */
size_t strpool_bytes(const struct strpool *sp);

/* strpool_free - free the pool and everything in it; NULL is ignored. */
void strpool_free(struct strpool *sp);

#endif
