/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DP_POOL_GROW_H
#define DP_POOL_GROW_H

#include "dp_pool_impl.h"

/*
 * Carve at least `need` more blocks into the free stack (lock held).
 * batch_hint 0 applies the pool's policy; otherwise carve max(need, hint).
 * Returns POOL_EMPTY (allowance), SEG_OVERFLOW or NO_MEMORY with the pool
 * and segment unchanged.
 */
dp_err dp_pool_grow_locked(struct dp_pool *p, size_t need, size_t batch_hint);

#endif /* DP_POOL_GROW_H */
