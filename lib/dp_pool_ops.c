/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Slow paths of get and put: cache misses and overflows, uncached calls.
 *
 * Lock discipline: pointer validation and state bytes are handled outside
 * the lock (the block map is safe for lock-free readers; a put clears
 * state bytes by atomic read-modify-writes, dp_blkcheck.h, so of two threads freeing
 * one block one wins); the
 * lock covers the shared pool, the magazine lists, the counters and
 * growth, and every move between a cache and the shared pool, so a locked
 * reader never sees a block in two places.
 *
 * Cache policy: a cache holds up to flush_at = 2 x size blocks. A miss
 * refills it with one magazine (size blocks) from the depot, or with
 * size + n - len blocks from the shared pool when the depot has none, growing the
 * pool if needed. A put that would pass flush_at moves `size` blocks out,
 * the newest ones (taking them off the top needs no shifting): one
 * magazine, or through the shared pool. So every move carries a cache's worth of
 * blocks and requests above `bypass` (= size) skip the cache. The
 * measurements behind this choice are in doc/design.md.
 */
#include "dp_pool_impl.h"

void
dp_pool_count_fail(struct dp_pool *p, dp_err err)
{
	enum dp_fail f;

	switch (err) {
	case DP_ERR_POOL_EMPTY: f = DP_FAIL_POOL_EMPTY; break;
	case DP_ERR_SEG_OVERFLOW: f = DP_FAIL_SEG_OVERFLOW; break;
	case DP_ERR_NO_MEMORY: f = DP_FAIL_NO_MEMORY; break;
	case DP_ERR_NOT_IN_POOL: f = DP_FAIL_NOT_IN_POOL; break;
	case DP_ERR_NOT_BLOCK_START: f = DP_FAIL_NOT_BLOCK_START; break;
	case DP_ERR_DOUBLE_FREE: f = DP_FAIL_DOUBLE_FREE; break;
	case DP_ERR_POOL_FULL: f = DP_FAIL_POOL_FULL; break;
	default: return;
	}
	atomic_fetch_add_explicit(&p->fails[f], 1, memory_order_relaxed);
}

size_t
dp_pool_in_caches(const struct dp_pool *p)
{
	size_t n = 0;

	for (unsigned int i = 0; i < p->ncaches; i++) {
		const struct dp_cache *c = dp_pool_lcore_cache_peek(p, i);

		if (c != NULL)
			n += atomic_load_explicit(&c->len, memory_order_relaxed);
	}
	for (const struct dp_cache *c = p->user_caches; c != NULL; c = c->next)
		n += atomic_load_explicit(&c->len, memory_order_relaxed);
	return n;
}

dp_err
dp_pool_pop_locked(struct dp_pool *p, void **dst, size_t n)
{
	size_t have = dp_shpool_count(&p->free);

	if (DP_UNLIKELY(have < n)) {
		dp_mag_break_locked(p, n);
		have = dp_shpool_count(&p->free);
		if (have < n) {
			dp_err err = dp_pool_grow_locked(p, n - have, n - have, false);
			if (err != DP_OK)
				return err;
		}
	}
	dp_shpool_take(&p->free, dst, (uint32_t)n, rte_lcore_id());
	dp_pool_note_out(p);
	return DP_OK;
}

dp_err
dp_pool_push_locked(struct dp_pool *p, void *const *blks, size_t n)
{
	/* out >= n keeps free.n + mag_rounds <= carved <= free.cap. */
	if (dp_pool_out_locked(p) < n)
		return dp_pool_surplus_error(p);
	dp_shpool_put(&p->free, blks, (uint32_t)n, rte_lcore_id());
	return DP_OK;
}

static dp_err
check_call(const struct dp_pool *p, const struct dp_cache *c, const void *blks)
{
	dp_err err = dp_pool_check_handle(p);

	if (err != DP_OK)
		return err;
	if (blks == NULL)
		return DP_ERR_NULL_PTR;
	if (c != NULL && c->pool != p)
		return DP_ERR_INVALID_CACHE;
	return DP_OK;
}

/* Refill c so that it holds at least n blocks, from the shared pool
 * (growing the pool when needed): up to refill_to left after serving n. */
static dp_err
refill_from_shared(struct dp_pool *p, struct dp_cache *c, size_t n)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	size_t want = c->refill_to + n - len, need = n - len, k;
	dp_err err = DP_OK;

	dp_spin_lock(&p->lock);
	if (dp_shpool_count(&p->free) < want)
		dp_mag_break_locked(p, want);
	if (dp_shpool_count(&p->free) < need)
		err = dp_pool_grow_locked(p, need - dp_shpool_count(&p->free),
					  want - dp_shpool_count(&p->free), false);
	if (err == DP_OK) {
		k = DP_MIN(want, dp_shpool_count(&p->free));
		dp_shpool_take(&p->free, &c->objs[len], (uint32_t)k, rte_lcore_id());
		atomic_store_explicit(&c->len, len + (uint32_t)k, memory_order_relaxed);
		dp_pool_note_out(p);
	}
	dp_spin_unlock(&p->lock);
	/* After the lock: only this cache's owner reads its indices. */
	if (err == DP_OK && c->idx != NULL)
		dp_blkcheck_index(p, &c->objs[len], k, &c->idx[len]);
	return err;
}

/*
 * A get too big for the cache went to the shared pool and the pool ran dry. The
 * caller's own cache may still hold blocks that make up the difference:
 * use them before refusing, so that a get through a cache fails only when
 * the blocks it can reach (shared pool, magazines, its cache, room to carve)
 * are too few.
 */
static dp_err
pop_with_cache(struct dp_pool *p, struct dp_cache *c, void **blks, size_t n, dp_err err)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	size_t k = DP_MIN((size_t)len, n);

	if (k == 0)
		return err;
	dp_spin_lock(&p->lock);
	err = dp_pool_pop_locked(p, blks + k, n - k);
	dp_spin_unlock(&p->lock);
	if (err == DP_OK) {
		dp_copy_ptrs(blks, &c->objs[len - k], k);
		atomic_store_explicit(&c->len, len - (uint32_t)k, memory_order_relaxed);
	}
	return err;
}

dp_err
dp_pool__get_slow(struct dp_pool *p, struct dp_cache *c, void **blks, size_t n)
{
	dp_err err = check_call(p, c, blks);
	uint32_t len;

	if (err != DP_OK || n == 0)
		return err;

	if (c == NULL || n > c->bypass) {
		dp_spin_lock(&p->lock);
		err = dp_pool_pop_locked(p, blks, n);
		dp_spin_unlock(&p->lock);
		if (DP_UNLIKELY(err != DP_OK && c != NULL))
			err = pop_with_cache(p, c, blks, n, err);
	} else {
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		if (n > len && !(dp_mag_eligible(p, c) && dp_mag_refill(p, c)))
			err = refill_from_shared(p, c, n);
		if (err == DP_OK) {
			len = atomic_load_explicit(&c->len, memory_order_relaxed) - (uint32_t)n;
			dp_copy_ptrs(blks, &c->objs[len], n);
			atomic_store_explicit(&c->len, len, memory_order_relaxed);
		}
	}
	if (err != DP_OK) {
		dp_pool_count_fail(p, err);
		return err;
	}
	dp_blkcheck_get(p, blks, n);
#if DP_STATS
	atomic_fetch_add_explicit(&p->gets, n, memory_order_relaxed);
#endif
	return DP_OK;
}

dp_err
dp_cache_flush_some(struct dp_pool *p, struct dp_cache *c, uint32_t k)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	dp_err err;

	if (k == 0)
		return DP_OK;
	dp_spin_lock(&p->lock);
	err = dp_pool_push_locked(p, c->objs, k);
	if (err == DP_OK) {
		memmove(c->objs, &c->objs[k], (len - k) * sizeof(void *));
		if (c->idx != NULL)
			memmove(c->idx, &c->idx[k], (len - k) * sizeof(uint32_t));
		atomic_store_explicit(&c->len, len - k, memory_order_relaxed);
	}
	dp_spin_unlock(&p->lock);
	return err;
}

/* Move c's k newest blocks to the shared pool. */
static dp_err
flush_newest(struct dp_pool *p, struct dp_cache *c, uint32_t k)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	dp_err err;

	dp_spin_lock(&p->lock);
	err = dp_pool_push_locked(p, &c->objs[len - k], k);
	if (err == DP_OK)
		atomic_store_explicit(&c->len, len - k, memory_order_relaxed);
	dp_spin_unlock(&p->lock);
	return err;
}

/* c holds more than flush_at: move a cache's worth of blocks out. */
static dp_err
flush_overflow(struct dp_pool *p, struct dp_cache *c)
{
	dp_err err = DP_ERR_NO_MEMORY;

	if (dp_mag_eligible(p, c))
		err = dp_mag_flush(p, c);
	if (err == DP_ERR_NO_MEMORY) /* no magazine: through the shared pool */
		err = flush_newest(p, c, c->size);
	return err;
}

dp_err
dp_pool__put_slow(struct dp_pool *p, struct dp_cache *c, void *const *blks, size_t n)
{
	dp_err err = check_call(p, c, blks);
	uint32_t len;

	if (err != DP_OK || n == 0)
		return err;
	err = dp_blkcheck_put(p, blks, n, NULL, NULL, 0);
	if (err != DP_OK)
		return err; /* counted by the claim */

	if (c == NULL || n > c->bypass) {
		/* The push refuses more frees than blocks out of the shared
		 * pool: exact under the lock, so never a legitimate free, and
		 * no cache is read. A tracked pool's blocks were all claimed
		 * above, so only an untracked surplus ends there. */
		dp_spin_lock(&p->lock);
		err = dp_pool_push_locked(p, blks, n);
		dp_spin_unlock(&p->lock);
	} else {
		/* Add first (objs has room for flush_at + size), then move out. */
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		dp_copy_ptrs(&c->objs[len], blks, n);
		if (c->idx != NULL)
			dp_blkcheck_index(p, blks, n, &c->idx[len]);
		atomic_store_explicit(&c->len, len + (uint32_t)n, memory_order_relaxed);
		if (len + n > c->flush_at) {
			err = flush_overflow(p, c);
			if (err != DP_OK) /* only a surplus of untracked frees */
				atomic_store_explicit(&c->len, len, memory_order_relaxed);
		}
	}
	if (err != DP_OK) {
		dp_pool_unclaim(p, blks, n);
		dp_pool_count_fail(p, err);
		return err;
	}
#if DP_STATS
	atomic_fetch_add_explicit(&p->puts, n, memory_order_relaxed);
#endif
	return DP_OK;
}
