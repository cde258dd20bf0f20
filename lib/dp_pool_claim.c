/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checking freed pointers, out of line: the general lookup for pointers
 * outside the pool's first chunk, undoing a partial claim, and choosing
 * the error to report.
 *
 * Error precedence on put: NULL, not-in-pool / not-block-start, pool-full,
 * double-free, so a surplus free to a limited pool with nothing handed out
 * reads as pool-full whether or not the pool tracks states (as uC/LIB
 * reports it). An unlimited pool has no "full": there a surplus free is
 * what it is, a double free, and is refused as one even when states are
 * not tracked, because pushing it would break the stack's bound.
 */
#include "dp_pool_impl.h"

/* Put back the states of blks[0..n) to USED after a refused free. */
void
dp_pool_unclaim(struct dp_pool *p, void *const *blks, size_t n)
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

		if (err == DP_OK && p->tracked && dp_blkmap_claim(p->map.state, idx) != DP_BLK_USED)
			err = DP_ERR_DOUBLE_FREE; /* also a repeat within blks */
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
	dp_pool_unclaim(p, blks, done);
	return dp_pool__claim_general(p, blks, n);
}

dp_err
dp_pool__claim_failed(struct dp_pool *p, void *const *blks, size_t done, size_t n, dp_err err)
{
	dp_pool_unclaim(p, blks, done);
	if (err == DP_ERR_DOUBLE_FREE && dp_pool_limited_and_full(p, n))
		err = DP_ERR_POOL_FULL;
	dp_pool_count_fail(p, err);
	return err;
}

dp_err
dp_pool_surplus_error(const struct dp_pool *p)
{
	return p->maximum != DP_POOL_UNLIMITED ? DP_ERR_POOL_FULL : DP_ERR_DOUBLE_FREE;
}

/*
 * Whether a refused free reads as "pool full": a limited pool with fewer
 * than n blocks handed out. Only a label for a free refused anyway, so it
 * may sum the caches: the sum is exact when no call is in flight, and
 * under concurrency a block moving between two caches during it can be
 * counted twice, which can only turn DOUBLE_FREE into POOL_FULL. Never
 * used to decide whether a free is taken.
 */
bool
dp_pool_limited_and_full(struct dp_pool *p, size_t n)
{
	size_t out, cached;

	if (p->maximum == DP_POOL_UNLIMITED)
		return false;
	dp_spin_lock(&p->lock); /* user_caches is a list under the lock */
	out = dp_pool_out_locked(p);
	cached = dp_pool_in_caches(p);
	dp_spin_unlock(&p->lock);
	return out < cached + n;
}
