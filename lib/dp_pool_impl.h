/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces between the pool's source files. */
#ifndef DP_POOL_IMPL_H
#define DP_POOL_IMPL_H

#include <rte_lcore.h>
#include <rte_memcpy.h>

#include "dp_pool.h"
#include "dp_seg_impl.h"
#include "dp_util.h"

#define DP_POOL_F_ALL (DP_POOL_F_HW | DP_POOL_F_NO_TRACK | DP_POOL_F_UNCHECKED | DP_POOL_F_NO_SPREAD)

static inline dp_err
dp_pool_check_handle(const struct dp_pool *p)
{
	if (p == NULL)
		return DP_ERR_NULL_PTR;
	return p->magic == DP_POOL_MAGIC ? DP_OK : DP_ERR_INVALID_POOL;
}

/* A live pool and a non-NULL output. */
static inline dp_err
dp_pool_check_out(const struct dp_pool *p, const void *out)
{
	dp_err err = dp_pool_check_handle(p);

	return err != DP_OK ? err : out == NULL ? DP_ERR_NULL_PTR : DP_OK;
}

/*
 * Carve at least `need` more blocks into the shared pool (lock held):
 * exactly `need` if `exact`, else up to max(want, the pool's batch) as the
 * limit and the segment allow. Returns POOL_EMPTY (allowance), SEG_OVERFLOW
 * or NO_MEMORY with the pool and segment unchanged.
 */
dp_err dp_pool_grow_locked(struct dp_pool *p, size_t need, size_t want, bool exact);

/* Page size HW blocks must stay within, or 0. */
size_t dp_pool_page_bound(const struct dp_pool *p);

/* Bursts are short: an inline copy beats a call into libc's memcpy. */
static inline void
dp_copy_ptrs(void **dst, void *const *src, size_t n)
{
	rte_memcpy(dst, src, n * sizeof(void *));
}

/* Blocks out of the shared pool (handed out or cached); lock held. */
static inline size_t
dp_pool_out_locked(const struct dp_pool *p)
{
	return p->carved - dp_shpool_count(&p->free) - p->mag_rounds;
}

/* Record the high watermark (lock held). */
static inline void
dp_pool_note_out(struct dp_pool *p)
{
	size_t out = dp_pool_out_locked(p);

	if (out > p->hwm)
		p->hwm = out;
}

/* Take n blocks from the shared pool into dst (in its order for the
 * calling lcore), emptying full magazines into it and then growing if
 * needed (lock held). */
dp_err dp_pool_pop_locked(struct dp_pool *p, void **dst, size_t n);

/* Put n claimed blocks in the shared pool, or refuse a surplus (lock held). */
dp_err dp_pool_push_locked(struct dp_pool *p, void *const *blks, size_t n);

/* Surplus free: pool full for a limited pool, a double free otherwise. */
dp_err dp_pool_surplus_error(const struct dp_pool *p);
/* A limited pool with fewer than n blocks handed out: labels a refused
 * free (exact only when no call is in flight). */
bool dp_pool_limited_and_full(struct dp_pool *p, size_t n);
/* Flip blks[0..n) back to handed out after a refused free. */
void dp_pool_unclaim(struct dp_pool *p, void *const *blks, size_t n);

/* Magazine depot (dp_pool_mag.c). A cache takes part when its size is the
 * pool's magazine size. */
static inline bool
dp_mag_eligible(const struct dp_pool *p, const struct dp_cache *c)
{
	return p->cache_size != 0 && c->size == p->cache_size;
}
/* Refill c with one full magazine; false if the depot has none. */
bool dp_mag_refill(struct dp_pool *p, struct dp_cache *c);
/* Move c's cache_size newest blocks out in a magazine. NO_MEMORY means "no
 * magazine to be had, use the shared pool"; a surplus error refuses the move. */
dp_err dp_mag_flush(struct dp_pool *p, struct dp_cache *c);
/* Empty full magazines into the shared pool until it holds `need` (lock held). */
void dp_mag_break_locked(struct dp_pool *p, size_t need);
void dp_mag_free_all(struct dp_pool *p);

/* Blocks sitting in caches (relaxed reads: exact only when quiescent). */
size_t dp_pool_in_caches(const struct dp_pool *p);

/* Count a failure in the pool's statistics. */
void dp_pool_count_fail(struct dp_pool *p, dp_err err);

/* lcore_id's cache, or NULL if that lcore has not used the pool (or the
 * pool has no caches): safe from any thread. */
struct dp_cache *dp_pool_lcore_cache_peek(const struct dp_pool *p, unsigned int lcore_id);
/* Free every user and lcore cache with its spare magazine (destroy). */
void dp_pool_caches_free(struct dp_pool *p);

/* Move k blocks from the bottom (coldest end) of c to the shared pool. */
dp_err dp_cache_flush_some(struct dp_pool *p, struct dp_cache *c, uint32_t k);

#endif /* DP_POOL_IMPL_H */
