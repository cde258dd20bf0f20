/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_pool_types.h
 * Layout of pools and caches. Internal: public only because the get/put
 * fast path is inline (dp_pool.h). Do not touch the fields.
 */
#ifndef DP_POOL_TYPES_H
#define DP_POOL_TYPES_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_config.h>

#include "dp_blkmap.h"
#include "dp_compiler.h"
#include "dp_config.h"
#include "dp_err.h"
#include "dp_shpool.h"
#include "dp_spinlock.h"

#define DP_POOL_MAGIC 0x6470706f6f6c6f6bull /* "dppoolok" */

/** Failure counters, by reason. */
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

/**
 * A magazine: a full run of free blocks moved between a cache and the
 * shared pool by swapping one pointer under the lock, so the copying
 * happens outside it (Bonwick and Adams, USENIX 2001).
 */
struct dp_mag {
	struct dp_mag *next;
	uint32_t n;
	uint32_t owner; /* lcore that filled it: its owner in the shared pool */
	void *objs[];
};

/**
 * A cache of free blocks in front of the shared stack, owned by one thread
 * at a time (an lcore, or whoever holds a user cache). `len` is only
 * written by the owner; other threads read it (relaxed) for statistics.
 * `objs` has room for `flush_at + size` pointers: a put of at most `size`
 * blocks always fits before the flush.
 */
struct dp_cache {
	_Atomic uint32_t len;  /**< Blocks held: objs[0 .. len). */
	uint32_t size;         /**< Nominal size (cache_size). */
	uint32_t flush_at;     /**< A put that would exceed this flushes first. */
	uint32_t refill_to;    /**< Blocks left after a get that refilled. */
	uint32_t bypass;       /**< Requests above this go to the shared pool. */
	uint32_t user;         /**< Non-zero for a user-owned cache. */
	struct dp_pool *pool;  /**< Owner pool. */
	struct dp_cache *next; /**< User caches of the pool (under the pool lock). */
	struct dp_mag *spare;  /**< Empty magazine for the next flush, or NULL. */
	/** Tracked pools: idx[i] is the state index of objs[i] (i < len), so
	 *  a get marks its blocks without finding them again; NULL otherwise. */
	uint32_t *idx;
	alignas(DP_CACHELINE) void *objs[];
};

/*
 * Invariants (under `lock`, when no call is in flight):
 *  - every carved block is in exactly one place: handed out, in one cache
 *    (once), in one full magazine (once), or once in the shared pool
 *    `free` (dp_shpool.h);
 *  - carved == map.nblocks == free.n + mag_rounds + (in caches) + (handed out);
 *  - carved <= maximum (if set), carved <= map.state_cap, carved <= free.cap;
 *  - tracked pools: block i's state byte is 0 exactly for blocks in the
 *    shared pool or a cache, set for blocks handed out.
 * Moves between a cache and the shared pool take a block out of one before
 * it enters the other, so carved - free.n - mag_rounds (blocks out of the
 * shared pool) is exact under the lock. Cache lengths summed while their
 * owners work are not: a block got from one cache and freed into another
 * during the sum is counted twice.
 */
struct dp_pool {
	/* Read-mostly: everything the inline fast path touches. */
	uint64_t magic;
	uint32_t ncaches;      /* lcore ids that may have a cache: DP_MAX_LCORE,
				* or 0 (and 0 again once destroyed) */
	bool checked;          /* per-block checks on put */
	bool tracked;          /* per-block state bytes (implies checked) */
	unsigned int flags;
	struct dp_blkmap map;
	/* lcore id -> its cache, made by that lcore on its first call (so
	 * only lcores that use the pool pay for a cache) and published with
	 * a release store; NULL until then. The owner, the slot's only
	 * writer, reads it plainly on the fast path (an atomic load there
	 * cost 2 instructions per get+put pair under callgrind, 37 against
	 * 35); every other thread reads it with an acquire load. */
	struct dp_cache *lcache[RTE_MAX_LCORE];

	/* Read-only after creation. */
	size_t footprint;
	size_t walign;
	size_t block_size;
	size_t initial;
	size_t maximum;
	size_t grow_batch;
	uint32_t cache_size;   /* also the magazine size; 0 = neither */
	struct dp_seg *seg;
	struct dp_pool *reg_next; /* live pools, under the registry lock */
	bool shared;           /* on a memzone segment: metadata in DPDK's
				* shared heap, the pool itself in a memzone */
	bool hot_dpdk;         /* caches and magazines on DPDK's heap: shared,
				* or EAL was up at creation (dp_meta.h) */
	const void *mz;        /* that memzone (struct rte_memzone *) */
	char name[DP_NAME_MAX];

	/* Shared pool and counters, under the lock. The first line holds
	 * everything a magazine exchange or a move to or from the shared pool
	 * writes, so an lcore taking the lock from another pulls one line
	 * across before its critical section; the second is read-mostly in
	 * steady state. */
	alignas(DP_CACHELINE) dp_spinlock_t lock;
	struct dp_shpool free;    /* loose free blocks: the driver's design */
	struct dp_mag *mag_full;  /* full magazines (cache_size blocks each) */
	struct dp_mag *mag_empty; /* empty ones, for caches' next flush */
	size_t mag_rounds;        /* blocks in mag_full */
	size_t hwm;            /* highest count of blocks out of the shared pool */
	size_t carved;
	uint64_t grow_events;
	struct dp_cache *user_caches;

	alignas(DP_CACHELINE) atomic_uint_least64_t fails[DP_FAIL__COUNT];
#if DP_STATS
	atomic_uint_least64_t gets, puts;
#endif
};

#endif /* DP_POOL_TYPES_H */
