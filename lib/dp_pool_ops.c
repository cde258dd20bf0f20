/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Get and put through the shared free stack.
 *
 * Lock discipline: pointer validation and state bytes are handled outside
 * the lock (the block map is safe for lock-free readers, and a state byte
 * is only written by the thread that owns the block at that moment); the
 * lock covers the stack, the counters and growth. Error precedence on put:
 * NULL, not-in-pool / not-block-start, pool-full, double-free, so a surplus
 * free to a limited pool with nothing handed out reads as pool-full whether
 * or not the pool tracks states (as uC/LIB reports it). An unlimited pool
 * has no "full": there a surplus free is what it is, a double free, and is
 * refused as one even when states are not tracked, because pushing it would
 * break the stack's bound.
 */
#include "dp_pool_grow.h"
#include "dp_pool_impl.h"

static void
count_fail(struct dp_pool *p, dp_err err)
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

static void
mark_used(struct dp_pool *p, void **blks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t idx;
		/* Cannot fail: the block came from our own stack. */
		if (dp_blkmap_index(&p->map, blks[i], &idx) == DP_OK)
			dp_blkmap_set_state(&p->map, idx, DP_BLK_USED);
	}
}

dp_err
dp_pool_get_bulk(struct dp_pool *p, void **blks, size_t n)
{
	dp_err err = dp_pool_check_handle(p);

	if (err != DP_OK)
		return err;
	if (blks == NULL)
		return DP_ERR_NULL_PTR;
	if (n == 0)
		return DP_OK;

	dp_spin_lock(&p->lock);
	if (p->nfree < n) {
		err = dp_pool_grow_locked(p, n - p->nfree, 0);
		if (err != DP_OK) {
			dp_spin_unlock(&p->lock);
			count_fail(p, err);
			return err;
		}
		p->grow_events++;
	}
	for (size_t i = 0; i < n; i++)
		blks[i] = p->stack[--p->nfree];
	p->in_use += n;
	if (p->in_use > p->hwm)
		p->hwm = p->in_use;
	dp_spin_unlock(&p->lock);

	if (p->tracked)
		mark_used(p, blks, n);
#if DP_STATS
	atomic_fetch_add_explicit(&p->gets, n, memory_order_relaxed);
#endif
	return DP_OK;
}

dp_err
dp_pool_get(struct dp_pool *p, void **blk)
{
	return dp_pool_get_bulk(p, blk, 1);
}

/* Put back the states of blks[0..n) to USED after a refused free. */
static void
unmark(struct dp_pool *p, void *const *blks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t idx;
		if (dp_blkmap_index(&p->map, blks[i], &idx) == DP_OK)
			dp_blkmap_set_state(&p->map, idx, DP_BLK_USED);
	}
}

static dp_err
surplus_error(const struct dp_pool *p)
{
	return p->maximum != DP_POOL_UNLIMITED ? DP_ERR_POOL_FULL : DP_ERR_DOUBLE_FREE;
}

static bool
limited_and_full(struct dp_pool *p, size_t n)
{
	bool full;

	if (p->maximum == DP_POOL_UNLIMITED)
		return false;
	dp_spin_lock(&p->lock);
	full = p->in_use < n;
	dp_spin_unlock(&p->lock);
	return full;
}

/* Validate every pointer and, on tracked pools, flip USED -> FREE. */
static dp_err
claim_for_free(struct dp_pool *p, void *const *blks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t idx;
		dp_err err;

		if (blks[i] == NULL)
			err = DP_ERR_NULL_PTR;
		else
			err = dp_blkmap_index(&p->map, blks[i], &idx);
		if (err == DP_OK && p->tracked) {
			if (dp_blkmap_state(&p->map, idx) != DP_BLK_USED)
				err = DP_ERR_DOUBLE_FREE; /* also a repeat within blks */
			else
				dp_blkmap_set_state(&p->map, idx, DP_BLK_FREE);
		}
		if (err != DP_OK) {
			if (p->tracked)
				unmark(p, blks, i);
			if (err == DP_ERR_DOUBLE_FREE && limited_and_full(p, n))
				err = DP_ERR_POOL_FULL;
			return err;
		}
	}
	return DP_OK;
}

dp_err
dp_pool_put_bulk(struct dp_pool *p, void *const *blks, size_t n)
{
	dp_err err = dp_pool_check_handle(p);

	if (err != DP_OK)
		return err;
	if (blks == NULL)
		return DP_ERR_NULL_PTR;
	if (n == 0)
		return DP_OK;

	err = claim_for_free(p, blks, n);
	if (err != DP_OK) {
		count_fail(p, err);
		return err;
	}

	dp_spin_lock(&p->lock);
	if (p->in_use < n) {
		dp_spin_unlock(&p->lock);
		if (p->tracked)
			unmark(p, blks, n);
		err = surplus_error(p);
		count_fail(p, err);
		return err;
	}
	/* stack_cap >= carved >= nfree + n, since in_use >= n. */
	for (size_t i = 0; i < n; i++)
		p->stack[p->nfree++] = blks[i];
	p->in_use -= n;
	dp_spin_unlock(&p->lock);
#if DP_STATS
	atomic_fetch_add_explicit(&p->puts, n, memory_order_relaxed);
#endif
	return DP_OK;
}

dp_err
dp_pool_put(struct dp_pool *p, void *blk)
{
	return dp_pool_put_bulk(p, &blk, 1);
}
