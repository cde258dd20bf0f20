/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces between the pool's source files. */
#ifndef DP_POOL_IMPL_H
#define DP_POOL_IMPL_H

#include "dp_pool.h"
#include "dp_seg_impl.h"
#include "dp_util.h"

#define DP_POOL_F_ALL (DP_POOL_F_HW | DP_POOL_F_NO_TRACK | DP_POOL_F_UNCHECKED)

static inline dp_err
dp_pool_check_handle(const struct dp_pool *p)
{
	if (p == NULL)
		return DP_ERR_NULL_PTR;
	return p->magic == DP_POOL_MAGIC ? DP_OK : DP_ERR_INVALID_POOL;
}

/*
 * Carve at least `need` more blocks into the free stack (lock held):
 * exactly `need` if `exact`, else up to max(want, the pool's batch) as the
 * limit and the segment allow. Returns POOL_EMPTY (allowance), SEG_OVERFLOW
 * or NO_MEMORY with the pool and segment unchanged.
 */
dp_err dp_pool_grow_locked(struct dp_pool *p, size_t need, size_t want, bool exact);

/* Take n blocks off the stack into dst, growing first if needed (lock held). */
dp_err dp_pool_pop_locked(struct dp_pool *p, void **dst, size_t n);

/* Blocks sitting in caches (relaxed reads: exact only when quiescent). */
size_t dp_pool_in_caches(const struct dp_pool *p);

/* Count a failure in the pool's statistics. */
void dp_pool_count_fail(struct dp_pool *p, dp_err err);

/* Cache life cycle inside a pool's allocation. */
void dp_cache_init(struct dp_cache *c, struct dp_pool *p, uint32_t size, bool user);
size_t dp_cache_bytes(uint32_t size);

/* Move k blocks from the bottom (coldest end) of c to the stack. */
dp_err dp_cache_flush_some(struct dp_pool *p, struct dp_cache *c, uint32_t k);

#endif /* DP_POOL_IMPL_H */
