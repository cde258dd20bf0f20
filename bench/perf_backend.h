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
#include <rte_spinlock.h>

#include "dynpool.h"

enum backend_kind {
	BK_DYNPOOL,    /* dynpool native API, default pool (tracked) */
	BK_DYNPOOL_NT, /* dynpool native API, DP_POOL_F_NO_TRACK */
	BK_DYNPOOL_FAST, /* dynpool native API, DP_POOL_F_UNCHECKED */
	/* Experiments for a library change (doc/benchmarks.md): an unchecked
	 * dynpool with double-free tracking done by the bench, one state byte
	 * per object, a get storing USED, a put turning it FREE ... */
	BK_EMU_XCHG, /* ... with an atomic exchange per object, as dynpool's
		      * tracked put does */
	BK_EMU_LOCK, /* ... checking and flipping the whole burst with plain
		      * loads and stores under one spinlock per put */
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
	uint8_t *state;        /* BK_EMU_*: a byte per object, 1 = handed out */
	rte_spinlock_t *lock;  /* BK_EMU_LOCK: on a line of its own */
	unsigned int shift;    /* BK_EMU_*: log2 of the object footprint */
};

/* Non-zero: dynpool blocks at exactly the element size, 2,048 bytes apart
 * (--no-spread, DP_POOL_F_NO_SPREAD), not the library's spread stride. */
extern int bench_no_spread;

/* A fixed pool of n objects of elt_size bytes, per-lcore cache of cache_size. */
int bpool_create(struct bpool *p, const struct backend *b, unsigned int n, unsigned int elt_size,
		 unsigned int cache_size);
/* An empty pool that grows on demand (dynpool) or a full one (mempool). */
int bpool_create_growing(struct bpool *p, const struct backend *b, unsigned int n,
			 unsigned int elt_size);
void bpool_free(struct bpool *p);

static inline size_t
emu_idx(const struct bpool *p, const void *obj)
{
	return (size_t)((uintptr_t)obj - (uintptr_t)p->mem) >> p->shift;
}

static inline void
emu_mark_used(struct bpool *p, void *const *objs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		__atomic_store_n(&p->state[emu_idx(p, objs[i])], 1, __ATOMIC_RELAXED);
}

/* 0 when every object was handed out (and is now free), -1 otherwise. */
static inline int
emu_claim(struct bpool *p, void *const *objs, unsigned int n)
{
	int bad = 0;

	if (p->b->kind == BK_EMU_XCHG) {
		for (unsigned int i = 0; i < n; i++)
			bad |= __atomic_exchange_n(&p->state[emu_idx(p, objs[i])], 0,
						   __ATOMIC_ACQ_REL) != 1;
		return bad ? -1 : 0;
	}
	rte_spinlock_lock(p->lock);
	for (unsigned int i = 0; i < n; i++)
		bad |= __atomic_load_n(&p->state[emu_idx(p, objs[i])], __ATOMIC_RELAXED) != 1;
	for (unsigned int i = 0; i < n && !bad; i++)
		__atomic_store_n(&p->state[emu_idx(p, objs[i])], 0, __ATOMIC_RELAXED);
	rte_spinlock_unlock(p->lock);
	return bad ? -1 : 0;
}

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
	if (dp_pool_get_bulk(p->dp, objs, n) != DP_OK)
		return -1;
	if (p->state != NULL)
		emu_mark_used(p, objs, n);
	return 0;
}

static inline int
bpool_put(struct bpool *p, void *const *objs, unsigned int n)
{
	if (p->b->kind == BK_NONE)
		return 0;
	if (p->state != NULL && emu_claim(p, objs, n) != 0)
		return -1;
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
static inline const struct dp_cache *
bpool_dp_cache(const struct bpool *p)
{
	unsigned int id = rte_lcore_id();

	return id < p->dp->ncaches ? p->dp->lcache[id] : NULL;
}

static inline bool
bpool_get_misses(const struct bpool *p, unsigned int n)
{
	if (p->b->kind == BK_NONE)
		return false;
	if (p->b->kind == BK_MEMPOOL) {
		const struct rte_mempool_cache *c = rte_mempool_default_cache(p->mp, rte_lcore_id());

		return c == NULL || c->len < n;
	}
	const struct dp_cache *c = bpool_dp_cache(p);

	return c == NULL || atomic_load_explicit(&c->len, memory_order_relaxed) < n;
}

static inline bool
bpool_put_flushes(const struct bpool *p, unsigned int n)
{
	if (p->b->kind == BK_NONE)
		return false;
	if (p->b->kind == BK_MEMPOOL) {
		const struct rte_mempool_cache *c = rte_mempool_default_cache(p->mp, rte_lcore_id());

		return c == NULL || c->len + n > c->flushthresh;
	}
	const struct dp_cache *c = bpool_dp_cache(p);

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
