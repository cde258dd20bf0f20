/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_pool.h
 * Dynamic pools of fixed-size blocks carved from a segment.
 *
 * A pool starts with @c initial blocks carved at creation. A get takes a
 * free block; when none is free and the pool is below its @c maximum (or
 * unlimited), it carves more from the segment's free space. A limited pool
 * at its maximum answers ::DP_ERR_POOL_EMPTY; a segment without room for the
 * block answers ::DP_ERR_SEG_OVERFLOW. Growth may carve several blocks at
 * once (@c grow_batch), but a get never fails while the segment has room for
 * the blocks it needs, and a limited pool never carves past its maximum.
 *
 * Block footprint: max(block_size, sizeof(void *)) rounded up to
 * max(block_align, padding), where padding is the segment's padding for a
 * HW pool (::DP_POOL_F_HW) and 1 otherwise; then, for a pool that is not
 * HW, aligned to at most 64 bytes, and not ::DP_POOL_F_NO_SPREAD, one
 * 64-byte line more when the footprint is 1 KiB or more and a multiple of
 * 512 bytes. (Spread: at 2 KiB intervals every block's first line falls in
 * the same 2 of an L1 cache's 64 sets, and a burst of rx writes evicts
 * itself; an odd number of lines uses every set, for at most 6.25 % more
 * memory. rte_mempool spreads its objects for the same reason.) Every block starts on that
 * alignment and blocks are laid out at footprint intervals, so every block
 * of a HW pool owns whole padding units and is safe for DMA. On a segment
 * that is not one IOVA run (PA mode, scattered pages), a HW block never
 * straddles a page boundary either: carving skips to the next page, and
 * dp_pool_iova() gives each block's device address.
 *
 * Checks, always on: every argument; a freed pointer must be the start of a
 * block of this pool (::DP_ERR_NOT_IN_POOL, ::DP_ERR_NOT_BLOCK_START); a
 * free to a limited pool with nothing handed out is ::DP_ERR_POOL_FULL (to
 * an unlimited one, ::DP_ERR_DOUBLE_FREE). After any error the pool and
 * the segment are unchanged.
 *
 * Double frees (::DP_ERR_DOUBLE_FREE) are detected exactly while the pool
 * tracks block state, which is the default: one bit per block, kept
 * outside the block and outside the segment; a get sets its blocks' bits
 * and a put clears them, one atomic read-modify-write per 64-bit word a
 * burst touches, so it holds across threads too: of any number of threads
 * freeing one block at the same time, exactly one succeeds when all are
 * single-block puts. With a bulk put among them, at most one does: a bulk
 * put first checks every pointer (NULL, foreign, interior: refused before
 * anything changes), then claims its blocks word by word in burst order
 * and, refusing one (already free, repeated, or claimed by another put),
 * undoes its earlier claims; until then those
 * read as free, so a concurrent free of one of them, even by the block's
 * holder, is refused as a double free and the block stays handed out (its
 * holder may free it again). What a tracked pool cannot detect: a second
 * free of a block that was handed out again in between, to this thread or
 * another, is taken as the new holder's free (the block is then free
 * while that holder still uses it); no state per block can tell the two
 * apart.
 * ::DP_POOL_F_NO_TRACK turns tracking off for pools on a hot path; debug
 * builds (DP_DEBUG) ignore that flag and always track. An untracked pool
 * refuses only a surplus: a free of more blocks than are out of the shared
 * pool (handed out or sitting in caches), counted under the pool lock; a
 * double free of n blocks goes through, and corrupts the pool, whenever
 * n other blocks are out, in caches or in use (for one block: any other
 * block), and a free into a cache is not counted until the cache next
 * moves blocks to the shared pool.
 * Whether a refused free reads ::DP_ERR_POOL_FULL or ::DP_ERR_DOUBLE_FREE
 * is decided from counts that are exact only when no call is in flight;
 * whether it is refused never is.
 *
 * Metadata (the pool object, free lists and state bytes) is allocated
 * from the C heap, never from the segment: the segment's bytes are all for
 * blocks and for its other users. The pool does not write into free blocks:
 * free lists are arrays of pointers outside the blocks, so data overrunning
 * a block can corrupt a neighbour's data but never the allocator's links.
 *
 * Multi-process: a pool on a memzone segment (dp_seg_create_memzone()) is
 * shared. Its object lives in a memzone named after it and its metadata in
 * DPDK's shared heap, so a secondary process of the same application finds
 * it with dp_pool_lookup() and gets and puts blocks like the primary, each
 * process through the caches of its own lcores (lcore ids must differ
 * between processes, as for rte_mempool). Only the primary creates and
 * destroys shared pools; lcore caches of a shared pool take DPDK memory
 * for every possible lcore (::DP_MAX_LCORE x cache bytes).
 *
 * Caches: with @c cache_size > 0, each EAL lcore (and each thread
 * registered with rte_thread_register()) gets a cache of free blocks in
 * front of the shared pool; a hit costs no atomic operation and no lock.
 * Other threads can own a user cache (dp_cache_create()), or go to the
 * shared pool directly. The library does not need rte_eal_init(): without
 * it every thread simply goes to the shared pool.
 *
 * Thread safety: every function may be called from any thread at any time
 * on a live pool, except dp_pool_destroy() and dp_pool_cache_drain_all(),
 * which require that no other call on the pool is in flight. A cache is
 * used by one thread at a time.
 *
 * Counts (dp_pool_stats(), dp_pool_avail(), dp_pool_audit()) are exact
 * when no call on the pool is in flight; while calls are in flight the
 * cache lengths in them are read one by one and may count a block passed
 * between two threads twice. A surplus free through a cache (more frees
 * than gets) is caught as a double free on tracked pools, and on untracked
 * ones only when the cache next moves blocks to the shared pool.
 */
#ifndef DP_POOL_H
#define DP_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_memcpy.h>

#include "dp_blkcheck.h"
#include "dp_err.h"
#include "dp_pool_types.h"
#include "dp_seg.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Pool handle (layout in dp_pool_types.h is private). */
struct dp_pool;

/** Most lcores with a cache (DPDK's RTE_MAX_LCORE). */
#define DP_MAX_LCORE RTE_MAX_LCORE

/** @c maximum value meaning "no limit but the segment". */
#define DP_POOL_UNLIMITED 0u

/** Most blocks a pool can carve (2^31: its shared pool's positions are
 *  32-bit). dp_pool_create() refuses an @c initial or @c maximum above it
 *  with ::DP_ERR_INVALID_COUNT; an unlimited pool that would pass it
 *  answers ::DP_ERR_NO_MEMORY to the get that would have it grow.
 *  Test: test/test_dp_pool_errors.c (block_count_limit). */
#define DP_POOL_MAX_BLOCKS ((size_t)1 << 31)

/** HW pool: align and pad every block to the segment's padding. */
#define DP_POOL_F_HW (1u << 0)
/** Do not track block state: no double-free detection, a little faster.
 *  Ignored (tracking stays on) in DP_DEBUG builds. */
#define DP_POOL_F_NO_TRACK (1u << 1)
/** No per-block checks at all on put, like rte_mempool: for hot paths
 *  whose callers are trusted. The pointers freed are taken as they are
 *  (a NULL one included) without checking membership, block start or
 *  double frees; a bad one corrupts the pool. The call's own arguments
 *  (pool, cache, the array, counts) are still checked, and an uncached
 *  surplus of frees is still refused. Implies ::DP_POOL_F_NO_TRACK.
 *  Ignored (every check stays on) in DP_DEBUG builds. */
#define DP_POOL_F_UNCHECKED (1u << 2)
/** Lay blocks out at exactly the rounded footprint, never spread (see the
 *  footprint rule above): for callers that compute the layout themselves,
 *  such as the µC/LIB layer, whose segment usage must match uC/LIB's. */
#define DP_POOL_F_NO_SPREAD (1u << 3)

/** Creation parameters; zero-initialise and set the fields you need. */
struct dp_pool_params {
	const char *name;  /**< 1 to DP_NAME_MAX-1 characters, copied. */
	size_t block_size; /**< Bytes a caller may use in a block, > 0. */
	size_t block_align; /**< Power of two. */
	size_t initial;    /**< Blocks carved at creation (may be 0). */
	size_t maximum;    /**< Most blocks ever carved, at most ::DP_POOL_MAX_BLOCKS;
			    *   ::DP_POOL_UNLIMITED = no limit but the segment's
			    *   room and ::DP_POOL_MAX_BLOCKS. */
	size_t grow_batch; /**< Blocks carved per growth (at least; a cache
			    *   refill may carve a cache's worth); 0 = automatic
			    *   (an eighth of what the pool has, at least 32). */
	unsigned int flags; /**< DP_POOL_F_* bits. */
	unsigned int cache_size; /**< Blocks per lcore cache, 0 to ::DP_CACHE_MAX;
				  *   0 disables the lcore caches. */
};

/** Counters of a pool. Exact when no call on the pool is in flight. */
struct dp_pool_stats {
	size_t carved;          /**< Blocks carved from the segment so far. */
	size_t in_use;          /**< Blocks handed out. */
	size_t free;            /**< Blocks free, shared or cached (carved - in_use). */
	size_t in_caches;       /**< Of @c free, blocks sitting in lcore or user caches. */
	size_t high_watermark;  /**< Highest count of blocks out of the shared pool
				 *   (handed out or cached) seen. */
	uint64_t grow_events;   /**< Carves after creation. */
	uint64_t fail_pool_empty;   /**< Gets refused: limit reached. */
	uint64_t fail_seg_overflow; /**< Gets refused: segment full. */
	uint64_t fail_no_memory;    /**< Gets refused: metadata allocation failed. */
	uint64_t fail_not_in_pool;  /**< Frees refused: foreign pointer. */
	uint64_t fail_not_block_start; /**< Frees refused: pointer inside a block. */
	uint64_t fail_double_free;  /**< Frees refused: block already free. */
	uint64_t fail_pool_full;    /**< Frees refused: nothing handed out. */
	uint64_t gets;  /**< Blocks got (only counted when built with DP_STATS). */
	uint64_t puts;  /**< Blocks freed (only counted when built with DP_STATS). */
};

/** Static description of a pool. */
struct dp_pool_info {
	char name[DP_NAME_MAX];
	struct dp_seg *seg;
	size_t block_size;  /**< As requested. */
	size_t block_align; /**< Effective: max(block_align, padding). */
	size_t footprint;   /**< Distance between consecutive blocks. */
	size_t initial;
	size_t maximum;     /**< ::DP_POOL_UNLIMITED or the limit. */
	size_t grow_batch;  /**< 0 = automatic. */
	unsigned int flags; /**< As requested. */
	unsigned int cache_size; /**< Per-lcore cache size, 0 = none. */
	int checked;        /**< Non-zero if freed pointers are checked. */
	int tracked;        /**< Non-zero if double frees are detected. */
};

/**
 * Create a pool on @p seg and carve its initial blocks.
 *
 * Metadata comes from the C heap, except that when EAL is initialised the
 * lcore caches and magazines of a pool with a cache come from DPDK's heap
 * (hugepages); such a pool must be destroyed before rte_eal_cleanup(). An
 * lcore's cache (24 x cache_size bytes; 36 x on a tracked pool, which
 * keeps each cached block's index) is made by its first call on the pool,
 * so only lcores that use the pool pay for one. A pool on a memzone
 * segment keeps all of its metadata on DPDK's shared heap.
 *
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (seg, params, params->name, out),
 *         ::DP_ERR_INVALID_SEG, ::DP_ERR_INVALID_NAME, ::DP_ERR_INVALID_ALIGN,
 *         ::DP_ERR_INVALID_SIZE (block_size 0; or, for a HW pool on a
 *         segment that is not one IOVA run, a footprint above the page
 *         size), ::DP_ERR_INVALID_COUNT (initial > maximum, maximum not
 *         unlimited; initial or maximum above ::DP_POOL_MAX_BLOCKS), ::DP_ERR_INVALID_FLAGS, ::DP_ERR_OVERFLOW (footprint
 *         over 4 GiB or footprint x initial overflows), ::DP_ERR_SEG_OVERFLOW
 *         (initial blocks do not fit; segment unchanged), ::DP_ERR_NO_MEMORY;
 *         on a memzone segment (a shared pool) also ::DP_ERR_SECONDARY (not
 *         the primary process), ::DP_ERR_EXISTS (a shared pool has the
 *         name), ::DP_ERR_INVALID_NAME (over 27 characters).
 */
DP_NODISCARD dp_err dp_pool_create(struct dp_seg *seg, const struct dp_pool_params *params,
				   struct dp_pool **out);

/**
 * Release the pool object and its metadata. The segment memory of its
 * blocks is not returned (as in uC/LIB): it stays carved until the segment
 * is reset. Blocks still handed out become invalid.
 *
 * A stale handle is detected: the pool object is kept (type-stable) and
 * every call on it returns ::DP_ERR_INVALID_POOL, until a later
 * dp_pool_create() reuses the object (the oldest destroyed one first).
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_SECONDARY (a shared pool, from a secondary process).
 */
DP_NODISCARD dp_err dp_pool_destroy(struct dp_pool *pool);

/** Largest cache size (blocks) of a pool or a user cache. */
#define DP_CACHE_MAX 1024u

/** @cond INTERNAL: out-of-line halves of the inline calls below. */
dp_err dp_pool__get_slow(struct dp_pool *pool, struct dp_cache *cache, void **blks, size_t n);
/* The calling thread has no cache yet: make its lcore cache if it is an
 * lcore and the pool has caches, then go on as the slow path. */
dp_err dp_pool__lcore_get_slow(struct dp_pool *pool, void **blks, size_t n);
dp_err dp_pool__lcore_put_slow(struct dp_pool *pool, void *const *blks, size_t n);
dp_err dp_pool__put_slow(struct dp_pool *pool, struct dp_cache *cache, void *const *blks,
			 size_t n);
/* Cache hit or miss, once pool, cache and blks are known to be valid. */
static DP_ALWAYS_INLINE dp_err
dp_pool__cache_get(struct dp_pool *p, struct dp_cache *c, void **blks, size_t n)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);

	if (DP_UNLIKELY(n > len))
		return dp_pool__get_slow(p, c, blks, n);
	len -= (uint32_t)n;
	rte_memcpy(blks, &c->objs[len], n * sizeof(void *));
	/* Before the marks: len is free then, not kept in a register. */
	atomic_store_explicit(&c->len, len, memory_order_relaxed);
	dp_blkcheck_get_cached(p, blks, n, c, len);
#if DP_STATS
	atomic_fetch_add_explicit(&p->gets, n, memory_order_relaxed);
#endif
	return DP_OK;
}

static DP_ALWAYS_INLINE dp_err
dp_pool__cache_put(struct dp_pool *p, struct dp_cache *c, void *const *blks, size_t n)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	dp_err err;

	if (DP_UNLIKELY(n > c->flush_at - len))
		return dp_pool__put_slow(p, c, blks, n);
	/* slots from len on: nobody's */
	err = dp_blkcheck_put(p, blks, n, c->objs + (size_t)len, c, len);
	if (DP_UNLIKELY(err != DP_OK))
		return err;
	atomic_store_explicit(&c->len, len + (uint32_t)n, memory_order_relaxed);
#if DP_STATS
	atomic_fetch_add_explicit(&p->puts, n, memory_order_relaxed);
#endif
	return DP_OK;
}

/* The calling lcore's cache, or NULL (unregistered thread, no caches, a
 * destroyed pool, whose ncaches reads 0, or none made yet). Only the
 * calling lcore writes its own slot, so a plain load is race-free here. */
static DP_ALWAYS_INLINE struct dp_cache *
dp_pool__lcore_cache(const struct dp_pool *p)
{
	unsigned int id = rte_lcore_id(); /* LCORE_ID_ANY for unregistered threads */

	return DP_LIKELY(id < p->ncaches) ? p->lcache[id] : NULL;
}
/** @endcond */

/**
 * Get @p n blocks through @p cache, all or nothing.
 *
 * A hit is served from the cache without atomics or locks; a miss refills
 * the cache from the shared pool in one move (growing the pool if needed).
 * @p cache may be NULL (no caching). It must belong to @p pool and be used
 * by one thread at a time.
 *
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (pool, blks), ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_INVALID_CACHE, ::DP_ERR_POOL_EMPTY (the limit leaves
 *         fewer than @p n blocks), ::DP_ERR_SEG_OVERFLOW (the segment lacks
 *         room for the missing ones), ::DP_ERR_NO_MEMORY. On error no block
 *         is taken and nothing is carved. @p n == 0 does nothing.
 */
static DP_ALWAYS_INLINE DP_NODISCARD dp_err
dp_pool_generic_get(struct dp_pool *pool, struct dp_cache *cache, void **blks, size_t n)
{
	if (DP_UNLIKELY(pool == NULL || cache == NULL || blks == NULL ||
			pool->magic != DP_POOL_MAGIC || cache->pool != pool))
		return dp_pool__get_slow(pool, cache, blks, n);
	return dp_pool__cache_get(pool, cache, blks, n);
}

/**
 * Return @p n blocks through @p cache, all or nothing: every pointer is
 * checked first (see dp_pool_put()); on error none is returned. A cache
 * that would pass its flush threshold first moves its coldest blocks to
 * the shared pool in one move. @p cache may be NULL (no caching).
 *
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (pool, blks, or a NULL entry),
 *         ::DP_ERR_INVALID_POOL, ::DP_ERR_INVALID_CACHE,
 *         ::DP_ERR_NOT_IN_POOL, ::DP_ERR_NOT_BLOCK_START,
 *         ::DP_ERR_POOL_FULL, ::DP_ERR_DOUBLE_FREE (as dp_pool_put()).
 */
static DP_ALWAYS_INLINE DP_NODISCARD dp_err
dp_pool_generic_put(struct dp_pool *pool, struct dp_cache *cache, void *const *blks, size_t n)
{
	if (DP_UNLIKELY(pool == NULL || cache == NULL || blks == NULL ||
			pool->magic != DP_POOL_MAGIC || cache->pool != pool))
		return dp_pool__put_slow(pool, cache, blks, n);
	return dp_pool__cache_put(pool, cache, blks, n);
}

/**
 * Get @p n blocks, all or nothing, through the calling lcore's cache when
 * the pool has caches and the caller is an EAL lcore or a thread registered
 * with rte_thread_register(); other threads go to the shared pool.
 * @return as dp_pool_generic_get().
 */
static DP_ALWAYS_INLINE DP_NODISCARD dp_err
dp_pool_get_bulk(struct dp_pool *pool, void **blks, size_t n)
{
	struct dp_cache *c;

	if (DP_UNLIKELY(pool == NULL || blks == NULL))
		return dp_pool__get_slow(pool, NULL, blks, n);
	c = dp_pool__lcore_cache(pool);
	if (DP_UNLIKELY(c == NULL))
		return dp_pool__lcore_get_slow(pool, blks, n);
	return dp_pool__cache_get(pool, c, blks, n);
}

/**
 * Return @p n blocks, all or nothing, through the calling lcore's cache
 * (see dp_pool_get_bulk()). A pointer repeated within @p blks counts as a
 * double free on tracked pools.
 * @return as dp_pool_generic_put().
 */
static DP_ALWAYS_INLINE DP_NODISCARD dp_err
dp_pool_put_bulk(struct dp_pool *pool, void *const *blks, size_t n)
{
	struct dp_cache *c;

	if (DP_UNLIKELY(pool == NULL || blks == NULL))
		return dp_pool__put_slow(pool, NULL, blks, n);
	c = dp_pool__lcore_cache(pool);
	if (DP_UNLIKELY(c == NULL))
		return dp_pool__lcore_put_slow(pool, blks, n);
	return dp_pool__cache_put(pool, c, blks, n);
}

/**
 * Get one block.
 * @param[out] blk The block; unchanged on error.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_POOL_EMPTY, ::DP_ERR_SEG_OVERFLOW, ::DP_ERR_NO_MEMORY.
 */
static DP_ALWAYS_INLINE DP_NODISCARD dp_err
dp_pool_get(struct dp_pool *pool, void **blk)
{
	return dp_pool_get_bulk(pool, blk, 1);
}

/**
 * Return one block. The pool does not write into it.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (pool or blk), ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_NOT_IN_POOL, ::DP_ERR_NOT_BLOCK_START,
 *         ::DP_ERR_POOL_FULL (limited pool, nothing handed out),
 *         ::DP_ERR_DOUBLE_FREE (block already free, on tracked pools; any
 *         surplus free on unlimited ones). Checked in that order.
 */
static DP_ALWAYS_INLINE DP_NODISCARD dp_err
dp_pool_put(struct dp_pool *pool, void *blk)
{
	return dp_pool_put_bulk(pool, &blk, 1);
}

/**
 * Move every block of lcore @p lcore_id's cache back to the shared pool
 * (idle cores, shutdown). Call it from that lcore, or while that lcore
 * does not use the pool.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_INVALID_LCORE (no such lcore, or no caches).
 */
DP_NODISCARD dp_err dp_pool_cache_drain(struct dp_pool *pool, unsigned int lcore_id);

/** Drain every lcore cache; only while no thread uses the pool. */
DP_NODISCARD dp_err dp_pool_cache_drain_all(struct dp_pool *pool);

/**
 * Create a cache owned by the caller, for a thread that is not an lcore
 * (or wants its own). Use it with dp_pool_generic_get() and
 * dp_pool_generic_put() from one thread at a time.
 * @param size 1 to ::DP_CACHE_MAX blocks.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_INVALID_SIZE (0 or above ::DP_CACHE_MAX), ::DP_ERR_NO_MEMORY.
 */
DP_NODISCARD dp_err dp_cache_create(struct dp_pool *pool, unsigned int size,
				    struct dp_cache **out);

/**
 * Move every block of a user cache back to its pool.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_INVALID_CACHE (not a user cache of @p pool).
 */
DP_NODISCARD dp_err dp_cache_flush(struct dp_pool *pool, struct dp_cache *cache);

/**
 * Flush and free a user cache. The handle is dead afterwards: unlike pool
 * and segment handles, a destroyed cache is not detected.
 * @return as dp_cache_flush().
 */
DP_NODISCARD dp_err dp_cache_destroy(struct dp_pool *pool, struct dp_cache *cache);

/**
 * Blocks a get could obtain now: free blocks plus blocks the pool may still
 * carve (bounded by its maximum and by the segment's room). Free blocks in
 * caches count, but only a cache's owner reaches them (or a drain or flush
 * returns them): a get through cache c fails only when the shared pool, c
 * and the room left together hold fewer than it asks for.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL.
 */
DP_NODISCARD dp_err dp_pool_avail(const struct dp_pool *pool, size_t *out);

/**
 * IOVA of block @p blk (what a device must be given to reach it), in O(1)
 * for a pool that is one chunk (O(log chunks) to check the block of a pool
 * carved around other allocations). HW pools on segments that are not one
 * IOVA run never straddle a page, so the whole block is at [iova, iova +
 * footprint) for the device.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_NOT_IN_POOL, ::DP_ERR_NOT_BLOCK_START.
 */
DP_NODISCARD dp_err dp_pool_iova(const struct dp_pool *pool, const void *blk, uint64_t *iova);

/**
 * Fill @p out with the pool's counters.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL.
 */
DP_NODISCARD dp_err dp_pool_stats(const struct dp_pool *pool, struct dp_pool_stats *out);

/**
 * Fill @p out with the pool's parameters.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL.
 */
DP_NODISCARD dp_err dp_pool_info(const struct dp_pool *pool, struct dp_pool_info *out);

/**
 * Find a live pool by name (the first created, if several share it): a
 * pool of this process, else a shared pool of any process of this DPDK
 * application.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_NOT_FOUND.
 */
DP_NODISCARD dp_err dp_pool_lookup(const char *name, struct dp_pool **out);

/** Call @p fn on every live pool (under a registry lock: @p fn must not
 *  create or destroy pools). */
void dp_pool_walk(void (*fn)(struct dp_pool *pool, void *arg), void *arg);

/**
 * Print a pool's parameters and counters to @p f, as rte_mempool_dump()
 * does for mempools.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL.
 */
DP_NODISCARD dp_err dp_pool_dump(FILE *f, const struct dp_pool *pool);

/** Result of dp_pool_audit(). */
struct dp_pool_audit {
	size_t carved;      /**< Blocks in the pool's chunk table. */
	size_t free_listed; /**< Free entries: shared pool plus caches. */
	size_t in_caches;   /**< Of those, entries in lcore and user caches. */
	size_t in_use;      /**< carved - free_listed. */
	size_t bad_entries; /**< Free entries that are not block starts of the pool. */
	size_t duplicates;  /**< Blocks listed free more than once. */
	size_t state_mismatch; /**< Tracked pools: state byte disagrees with the free lists, or a cache keeps a wrong index for a block. */
};

/**
 * Check every invariant of the pool: each block is in exactly one place
 * (handed out, or once in the shared pool or a cache), counters agree.
 * Takes the pool lock for O(carved) time; meant for tests and debugging,
 * while no other call on the pool is in flight.
 * @return ::DP_OK if consistent, ::DP_ERR_CORRUPT if not, ::DP_ERR_NULL_PTR,
 *         ::DP_ERR_INVALID_POOL, ::DP_ERR_NO_MEMORY (scratch bitmap);
 *         @p out (optional) receives the counts.
 */
DP_NODISCARD dp_err dp_pool_audit(struct dp_pool *pool, struct dp_pool_audit *out);

#ifdef __cplusplus
}
#endif

#endif /* DP_POOL_H */
