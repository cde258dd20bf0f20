/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Backends of the pool benchmark. Each exposes get/put as inline code so
 * the measured loop is specialised per backend (no indirect call per
 * operation), exactly as an application would compile it.
 */
#ifndef PERF_BACKEND_H
#define PERF_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "dynpool.h"

enum backend_kind {
	BK_DYNPOOL,    /* dynpool native API, default pool (tracked) */
	BK_DYNPOOL_NT, /* dynpool native API, DP_POOL_F_NO_TRACK */
	BK_DYNPOOL_FAST, /* dynpool native API, DP_POOL_F_UNCHECKED */
	BK_DYNPOOL_PFW, /* BK_DYNPOOL, the bench prefetching for writing the
			 * state bytes of a burst before its put (an experiment
			 * for a library change: doc/benchmarks.md) */
	BK_MEMPOOL,    /* rte_mempool with a given ops name */
	BK_NONE,       /* no pool: hands out the same objects again (a
			* reference point for patterns, not a bound) */
};

struct backend {
	const char *name;  /* as printed: dynpool, dynpool-nt, ring_mp_mc, stack, ... */
	enum backend_kind kind;
	const char *ops;   /* rte_mempool ops name (BK_MEMPOOL) */
};

/* One pool of a backend. */
struct bpool {
	const struct backend *b;
	struct rte_mempool *mp;
	struct dp_pool *dp;
	struct dp_seg *seg;
	void *mem;
};

/* A fixed pool of n objects of elt_size bytes, per-lcore cache of cache_size. */
int bpool_create(struct bpool *p, const struct backend *b, unsigned int n, unsigned int elt_size,
		 unsigned int cache_size);
/* An empty pool that grows on demand (dynpool) or a full one (mempool). */
int bpool_create_growing(struct bpool *p, const struct backend *b, unsigned int n,
			 unsigned int elt_size);
void bpool_free(struct bpool *p);

static inline int
bpool_get(struct bpool *p, void **objs, unsigned int n)
{
	if (p->b->kind == BK_NONE) {
		for (unsigned int i = 0; i < n; i++)
			objs[i] = (char *)p->mem + 64 * i;
		return 0;
	}
	if (p->b->kind == BK_MEMPOOL)
		return rte_mempool_get_bulk(p->mp, objs, n);
	return dp_pool_get_bulk(p->dp, objs, n) == DP_OK ? 0 : -1;
}

/*
 * What dynpool's put would do first if it issued the burst's state-byte
 * misses together: the claim's atomic exchanges wait for their lines one
 * by one, and in producer/consumer every line was last written by the
 * other lcore's get. Reads dp_blkmap internals; one chunk pools only.
 */
static inline void
bpool_prefetch_state(const struct bpool *p, void *const *objs, unsigned int n)
{
	const struct dp_blkmap *m = &p->dp->map;
	uintptr_t lo = atomic_load_explicit(&m->lo, memory_order_relaxed);
	size_t span = atomic_load_explicit(&m->span0, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t off = (uintptr_t)objs[i] - lo;

		if (off < span)
			__builtin_prefetch(&m->state[(size_t)(((unsigned __int128)off * m->fp_inv) >> 64)],
					   1, 3);
	}
}

static inline int
bpool_put(struct bpool *p, void *const *objs, unsigned int n)
{
	if (p->b->kind == BK_NONE)
		return 0;
	if (p->b->kind == BK_DYNPOOL_PFW)
		bpool_prefetch_state(p, objs, n);
	if (p->b->kind == BK_MEMPOOL) {
		rte_mempool_put_bulk(p->mp, objs, n);
		return 0;
	}
	return dp_pool_put_bulk(p->dp, objs, n) == DP_OK ? 0 : -1;
}

/*
 * Touching variant: an rx path writes the first cache line of each buffer
 * it receives (the mbuf header), a tx path reads it before the buffer goes
 * back. Eight 8-byte stores and loads, so the whole line moves.
 */
static inline void
bench_touch_write(void *const *objs, unsigned int n, uint64_t v)
{
	for (unsigned int i = 0; i < n; i++) {
		volatile uint64_t *q = objs[i];

		for (unsigned int k = 0; k < 8; k++)
			q[k] = v + k;
	}
}

static inline uint64_t
bench_touch_read(void *const *objs, unsigned int n)
{
	uint64_t s = 0;

	for (unsigned int i = 0; i < n; i++) {
		const volatile uint64_t *q = objs[i];

		for (unsigned int k = 0; k < 8; k++)
			s += q[k];
	}
	return s;
}

/*
 * For the phase counts only: whether a get (put) of n by the calling lcore
 * would leave its cache for the shared pool, read from the cache's length
 * just before the call. Reads internals of both libraries (dynpool's
 * dp_pool_types.h, rte_mempool's cache): a benchmark's business, nobody
 * else's.
 */
static inline bool
bpool_get_misses(const struct bpool *p, unsigned int n)
{
	unsigned int id = rte_lcore_id();

	if (p->b->kind == BK_NONE)
		return false;
	if (p->b->kind == BK_MEMPOOL) {
		const struct rte_mempool_cache *c = rte_mempool_default_cache(p->mp, id);

		return c == NULL || c->len < n;
	}
	const struct dp_cache *c = id < p->dp->ncaches ? p->dp->lcache[id] : NULL;

	return c == NULL || atomic_load_explicit(&c->len, memory_order_relaxed) < n;
}

static inline bool
bpool_put_flushes(const struct bpool *p, unsigned int n)
{
	unsigned int id = rte_lcore_id();

	if (p->b->kind == BK_NONE)
		return false;
	if (p->b->kind == BK_MEMPOOL) {
		const struct rte_mempool_cache *c = rte_mempool_default_cache(p->mp, id);

		return c == NULL || c->len + n > c->flushthresh;
	}
	const struct dp_cache *c = id < p->dp->ncaches ? p->dp->lcache[id] : NULL;

	return c == NULL || n > c->flush_at - atomic_load_explicit(&c->len, memory_order_relaxed);
}

/* dynpool only: whether the pool lock is held right now (a relaxed look;
 * the look itself pulls the lock's line, so only the phases build does it). */
static inline bool
bpool_lock_busy(const struct bpool *p)
{
	return p->dp != NULL && atomic_load_explicit(&p->dp->lock.locked, memory_order_relaxed);
}

#endif /* PERF_BACKEND_H */
