/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Slow paths of get and put: cache misses, flushes, uncached calls,
 * refused frees.
 *
 * Lock discipline: pointer validation and state bytes are handled outside
 * the lock (the block map is safe for lock-free readers, and a state byte
 * is only written by the thread that owns the block at that moment); the
 * lock covers the shared stack, the counters, growth, and every move
 * between a cache and the stack, so a locked reader never sees a block in
 * both places.
 *
 * Cache policy: a miss refills the cache to `size` blocks after serving
 * the request (one move of size + n - len blocks); a put that would pass
 * `flush_at` (2 x size) moves the oldest blocks out, bringing the cache
 * back to `size`. Each move therefore carries at least `size` blocks, so
 * the shared pool is locked at most once per `size` blocks on any lcore,
 * and the most recently freed (cache-warm) blocks stay in the cache. The
 * measurements behind this choice are in doc/design.md.
 *
 * Error precedence on put: NULL, not-in-pool / not-block-start, pool-full,
 * double-free, so a surplus free to a limited pool with nothing handed out
 * reads as pool-full whether or not the pool tracks states (as uC/LIB
 * reports it). An unlimited pool has no "full": there a surplus free is
 * what it is, a double free, and is refused as one even when states are
 * not tracked, because pushing it would break the stack's bound.
 */
#include <rte_memcpy.h>

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

static struct dp_cache *
lcore_cache_at(const struct dp_pool *p, unsigned int id)
{
	return (struct dp_cache *)(p->caches + (size_t)id * p->cache_stride);
}

size_t
dp_pool_in_caches(const struct dp_pool *p)
{
	size_t n = 0;

	for (unsigned int i = 0; i < p->ncaches; i++)
		n += atomic_load_explicit(&lcore_cache_at(p, i)->len, memory_order_relaxed);
	for (const struct dp_cache *c = p->user_caches; c != NULL; c = c->next)
		n += atomic_load_explicit(&c->len, memory_order_relaxed);
	return n;
}

static void
note_out(struct dp_pool *p)
{
	size_t out = p->carved - p->nfree;

	if (out > p->hwm)
		p->hwm = out;
}

/* Bursts are short: an inline copy beats a call into libc's memcpy. */
static inline void
copy_ptrs(void **dst, void *const *src, size_t n)
{
	rte_memcpy(dst, src, n * sizeof(void *));
}

dp_err
dp_pool_pop_locked(struct dp_pool *p, void **dst, size_t n)
{
	if (DP_UNLIKELY(p->nfree < n)) {
		dp_err err = dp_pool_grow_locked(p, n - p->nfree, n - p->nfree, false);
		if (err != DP_OK)
			return err;
		p->grow_events++;
	}
	p->nfree -= n;
	copy_ptrs(dst, &p->stack[p->nfree], n);
	note_out(p);
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
	} else {
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		if (n > len) {
			/* Refill: enough for n, up to refill_to left after serving n. */
			size_t want = c->refill_to + n - len, need = n - len, k;

			dp_spin_lock(&p->lock);
			if (p->nfree < need) {
				err = dp_pool_grow_locked(p, need - p->nfree, want - p->nfree, false);
				if (err == DP_OK)
					p->grow_events++;
			}
			if (err == DP_OK) {
				k = DP_MIN(want, p->nfree);
				p->nfree -= k;
				copy_ptrs(&c->objs[len], &p->stack[p->nfree], k);
				len += (uint32_t)k;
				atomic_store_explicit(&c->len, len, memory_order_relaxed);
				note_out(p);
			}
			dp_spin_unlock(&p->lock);
		}
		if (err == DP_OK) {
			len -= (uint32_t)n;
			copy_ptrs(blks, &c->objs[len], n);
			atomic_store_explicit(&c->len, len, memory_order_relaxed);
		}
	}
	if (err != DP_OK) {
		dp_pool_count_fail(p, err);
		return err;
	}
	if (p->tracked)
		dp_pool__mark_used(p, blks, n);
#if DP_STATS
	atomic_fetch_add_explicit(&p->gets, n, memory_order_relaxed);
#endif
	return DP_OK;
}

/* Blocks handed out, as far as a locked reader can tell (lock held). A
 * concurrent cache hit may make it too high, never too low. */
static size_t
in_use_locked(const struct dp_pool *p)
{
	size_t out = p->carved - p->nfree, cached;

	if (p->ncaches == 0 && p->user_caches == NULL)
		return out;
	cached = dp_pool_in_caches(p);
	return out > cached ? out - cached : 0;
}

static bool
limited_and_full(struct dp_pool *p, size_t n)
{
	bool full;

	if (p->maximum == DP_POOL_UNLIMITED)
		return false;
	dp_spin_lock(&p->lock);
	full = in_use_locked(p) < n;
	dp_spin_unlock(&p->lock);
	return full;
}


/* Put back the states of blks[0..n) to USED after a refused free. */
static void
unclaim(struct dp_pool *p, void *const *blks, size_t n)
{
	if (p->tracked)
		dp_pool__mark_used(p, blks, n);
}

dp_err
dp_pool__claim_general(struct dp_pool *p, void *const *blks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t idx = 0;
		dp_err err = blks[i] != NULL ? dp_blkmap_index(&p->map, blks[i], &idx)
					     : DP_ERR_NULL_PTR;

		if (err == DP_OK && p->tracked) {
			if (dp_blkmap_state(&p->map, idx) == DP_BLK_USED)
				dp_blkmap_set_state(&p->map, idx, DP_BLK_FREE);
			else
				err = DP_ERR_DOUBLE_FREE; /* also a repeat within blks */
		}
		if (err != DP_OK)
			return dp_pool__claim_failed(p, blks, i, n, err);
	}
	return DP_OK;
}

/* The one-pass claim stopped at blks[done]: undo what it flipped and let
 * the general path decide (another chunk, or a real refusal). */
dp_err
dp_pool__claim_slow(struct dp_pool *p, void *const *blks, size_t done, size_t n)
{
	unclaim(p, blks, done);
	return dp_pool__claim_general(p, blks, n);
}

dp_err
dp_pool__claim_failed(struct dp_pool *p, void *const *blks, size_t done, size_t n, dp_err err)
{
	unclaim(p, blks, done);
	if (err == DP_ERR_DOUBLE_FREE && limited_and_full(p, n))
		err = DP_ERR_POOL_FULL;
	dp_pool_count_fail(p, err);
	return err;
}

static dp_err
surplus_error(const struct dp_pool *p)
{
	return p->maximum != DP_POOL_UNLIMITED ? DP_ERR_POOL_FULL : DP_ERR_DOUBLE_FREE;
}

/* Push n claimed blocks to the stack (lock held), or refuse a surplus. */
static dp_err
push_locked(struct dp_pool *p, void *const *blks, size_t n)
{
	/* carved - nfree >= n keeps the stack within carved <= stack_cap. */
	if (p->carved - p->nfree < n)
		return surplus_error(p);
	copy_ptrs(&p->stack[p->nfree], blks, n);
	p->nfree += n;
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
	err = push_locked(p, c->objs, k);
	if (err == DP_OK) {
		memmove(c->objs, &c->objs[k], (len - k) * sizeof(void *));
		atomic_store_explicit(&c->len, len - k, memory_order_relaxed);
	}
	dp_spin_unlock(&p->lock);
	return err;
}

#if DP_CACHE_POLICY == DP_CACHE_NEWEST_TO_SIZE
/* Move the k newest blocks of c to the stack: nothing to shift down. */
static dp_err
flush_newest(struct dp_pool *p, struct dp_cache *c, uint32_t k)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	dp_err err;

	dp_spin_lock(&p->lock);
	err = push_locked(p, &c->objs[len - k], k);
	if (err == DP_OK)
		atomic_store_explicit(&c->len, len - k, memory_order_relaxed);
	dp_spin_unlock(&p->lock);
	return err;
}
#endif

/* A put of n (<= bypass) that does not fit under flush_at. */
static dp_err
put_overflow(struct dp_pool *p, struct dp_cache *c, void *const *blks, uint32_t n)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	dp_err err;

#if DP_CACHE_POLICY == DP_CACHE_FLUSH_ALL
	err = dp_cache_flush_some(p, c, len);
	if (err == DP_OK) {
		copy_ptrs(c->objs, blks, n);
		atomic_store_explicit(&c->len, n, memory_order_relaxed);
	}
#elif DP_CACHE_POLICY == DP_CACHE_HALF
	err = dp_cache_flush_some(p, c, DP_MIN(len, DP_MAX(c->size / 2, len + n - c->flush_at)));
	if (err == DP_OK) {
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		copy_ptrs(&c->objs[len], blks, n);
		atomic_store_explicit(&c->len, len + n, memory_order_relaxed);
	}
#else
	copy_ptrs(&c->objs[len], blks, n);
	atomic_store_explicit(&c->len, len + n, memory_order_relaxed);
#if DP_CACHE_POLICY == DP_CACHE_NEWEST_TO_SIZE
	err = flush_newest(p, c, len + n - c->size);
#else
	err = dp_cache_flush_some(p, c, len + n - c->size);
#endif
	if (err != DP_OK)
		atomic_store_explicit(&c->len, len, memory_order_relaxed);
#endif
	return err;
}

dp_err
dp_pool__put_slow(struct dp_pool *p, struct dp_cache *c, void *const *blks, size_t n)
{
	dp_err err = check_call(p, c, blks);
	uint32_t len;

	if (err != DP_OK || n == 0)
		return err;
	err = dp_pool__claim(p, blks, n);
	if (err != DP_OK)
		return err; /* counted by the claim */

	if (c == NULL || n > c->bypass) {
		dp_spin_lock(&p->lock);
		if (p->maximum != DP_POOL_UNLIMITED && in_use_locked(p) < n)
			err = DP_ERR_POOL_FULL;
		else
			err = push_locked(p, blks, n);
		dp_spin_unlock(&p->lock);
	} else {
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		if (len + n <= c->flush_at) { /* fits after all (direct slow-path call) */
			copy_ptrs(&c->objs[len], blks, n);
			atomic_store_explicit(&c->len, len + (uint32_t)n, memory_order_relaxed);
		} else {
			/* Only a surplus of untracked frees can be refused here. */
			err = put_overflow(p, c, blks, (uint32_t)n);
		}
	}
	if (err != DP_OK) {
		unclaim(p, blks, n);
		dp_pool_count_fail(p, err);
		return err;
	}
#if DP_STATS
	atomic_fetch_add_explicit(&p->puts, n, memory_order_relaxed);
#endif
	return DP_OK;
}
