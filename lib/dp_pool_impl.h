/* SPDX-License-Identifier: Apache-2.0 */
/* Internal layout of a pool. */
#ifndef DP_POOL_IMPL_H
#define DP_POOL_IMPL_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "dp_blkmap.h"
#include "dp_config.h"
#include "dp_pool.h"
#include "dp_seg_impl.h"
#include "dp_spinlock.h"

#define DP_POOL_MAGIC 0x6470706f6f6c6f6bull /* "dppoolok" */
#define DP_POOL_F_ALL (DP_POOL_F_HW | DP_POOL_F_NO_TRACK)
#define DP_CACHELINE 64

enum dp_fail {
	DP_FAIL_POOL_EMPTY,
	DP_FAIL_SEG_OVERFLOW,
	DP_FAIL_NO_MEMORY,
	DP_FAIL_NOT_IN_POOL,
	DP_FAIL_NOT_BLOCK_START,
	DP_FAIL_DOUBLE_FREE,
	DP_FAIL_POOL_FULL,
	DP_FAIL__COUNT
};

/*
 * Invariants (under `lock`, when no call is in flight):
 *  - every carved block is in exactly one place: handed out, or once in
 *    stack[0 .. nfree);
 *  - carved == map.nblocks == in_use + nfree, carved <= maximum (if set),
 *    carved <= map.state_cap, nfree <= stack_cap;
 *  - tracked pools: state[i] == FREE for exactly the blocks in the stack,
 *    USED for the blocks handed out.
 * The stack is LIFO so the most recently freed (cache-warm) block goes out
 * first, as in uC/LIB's free list.
 */
struct dp_pool {
	uint64_t magic;
	unsigned int flags;
	bool tracked;
	size_t footprint;
	size_t walign;
	size_t block_size;
	size_t initial;
	size_t maximum;
	size_t grow_batch;
	struct dp_seg *seg;
	struct dp_blkmap map;

	alignas(DP_CACHELINE) dp_spinlock_t lock;
	void **stack;
	size_t nfree;
	size_t stack_cap;
	size_t carved;
	size_t in_use;
	size_t hwm;
	uint64_t grow_events;

	alignas(DP_CACHELINE) atomic_uint_least64_t fails[DP_FAIL__COUNT];
#if DP_STATS
	atomic_uint_least64_t gets, puts;
#endif
	char name[DP_NAME_MAX];
};

static inline dp_err
dp_pool_check_handle(const struct dp_pool *p)
{
	if (p == NULL)
		return DP_ERR_NULL_PTR;
	return p->magic == DP_POOL_MAGIC ? DP_OK : DP_ERR_INVALID_POOL;
}

#endif /* DP_POOL_IMPL_H */
