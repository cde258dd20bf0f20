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
 * HW pool (::DP_POOL_F_HW) and 1 otherwise. Every block starts on that
 * alignment and blocks are laid out at footprint intervals, so every block
 * of a HW pool owns whole padding units and is safe for DMA.
 *
 * Checks, always on: every argument; a freed pointer must be the start of a
 * block of this pool (::DP_ERR_NOT_IN_POOL, ::DP_ERR_NOT_BLOCK_START); a
 * free to a limited pool with nothing handed out is ::DP_ERR_POOL_FULL (to
 * an unlimited one, ::DP_ERR_DOUBLE_FREE, tracked or not). Double
 * frees (::DP_ERR_DOUBLE_FREE) are detected exactly while the pool tracks
 * block state, which is the default: one byte per block, kept outside the
 * block and outside the segment, costing one load and one store per get or
 * put. ::DP_POOL_F_NO_TRACK turns tracking off for pools on a hot path;
 * debug builds (DP_DEBUG) ignore that flag and always track. After any
 * error the pool and the segment are unchanged.
 *
 * Metadata (the pool object, free-block stack and state bytes) is allocated
 * from the C heap, never from the segment: the segment's bytes are all for
 * blocks and for its other users. The pool does not write into free blocks.
 *
 * Thread safety: every function may be called from any thread at any time
 * on a live pool, except dp_pool_destroy(), which requires that no other
 * call on the pool is in flight.
 */
#ifndef DP_POOL_H
#define DP_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "dp_err.h"
#include "dp_seg.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque pool handle. */
struct dp_pool;

/** @c maximum value meaning "no limit but the segment". */
#define DP_POOL_UNLIMITED 0u

/** HW pool: align and pad every block to the segment's padding. */
#define DP_POOL_F_HW (1u << 0)
/** Do not track block state: no double-free detection, a little faster.
 *  Ignored (tracking stays on) in DP_DEBUG builds. */
#define DP_POOL_F_NO_TRACK (1u << 1)

/** Creation parameters; zero-initialise and set the fields you need. */
struct dp_pool_params {
	const char *name;  /**< 1 to DP_NAME_MAX-1 characters, copied. */
	size_t block_size; /**< Bytes a caller may use in a block, > 0. */
	size_t block_align; /**< Power of two. */
	size_t initial;    /**< Blocks carved at creation (may be 0). */
	size_t maximum;    /**< Most blocks ever carved; ::DP_POOL_UNLIMITED = no limit. */
	size_t grow_batch; /**< Blocks carved per growth; 0 = automatic (a
			    *   fraction of what the pool already has). */
	unsigned int flags; /**< DP_POOL_F_* bits. */
};

/** Counters of a pool. Exact when no call on the pool is in flight. */
struct dp_pool_stats {
	size_t carved;          /**< Blocks carved from the segment so far. */
	size_t in_use;          /**< Blocks handed out. */
	size_t free;            /**< Blocks free in the pool (carved - in_use). */
	size_t high_watermark;  /**< Highest @c in_use seen. */
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
	int tracked;        /**< Non-zero if double frees are detected. */
};

/**
 * Create a pool on @p seg and carve its initial blocks.
 *
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (seg, params, params->name, out),
 *         ::DP_ERR_INVALID_SEG, ::DP_ERR_INVALID_NAME,
 *         ::DP_ERR_INVALID_SIZE (block_size 0), ::DP_ERR_INVALID_ALIGN,
 *         ::DP_ERR_INVALID_COUNT (initial > maximum, maximum not unlimited),
 *         ::DP_ERR_INVALID_FLAGS, ::DP_ERR_OVERFLOW (footprint over 4 GiB or
 *         footprint x initial overflows), ::DP_ERR_SEG_OVERFLOW (initial
 *         blocks do not fit; segment unchanged), ::DP_ERR_NO_MEMORY.
 */
DP_NODISCARD dp_err dp_pool_create(struct dp_seg *seg, const struct dp_pool_params *params,
				   struct dp_pool **out);

/**
 * Release the pool object and its metadata. The segment memory of its
 * blocks is not returned (as in uC/LIB): it stays carved until the segment
 * is reset. Blocks still handed out become invalid.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL.
 */
DP_NODISCARD dp_err dp_pool_destroy(struct dp_pool *pool);

/**
 * Get one block.
 * @param[out] blk The block; unchanged on error.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_POOL_EMPTY, ::DP_ERR_SEG_OVERFLOW, ::DP_ERR_NO_MEMORY.
 */
DP_NODISCARD dp_err dp_pool_get(struct dp_pool *pool, void **blk);

/**
 * Return one block. The pool does not write into it.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (pool or blk), ::DP_ERR_INVALID_POOL,
 *         ::DP_ERR_NOT_IN_POOL, ::DP_ERR_NOT_BLOCK_START,
 *         ::DP_ERR_POOL_FULL (limited pool, nothing handed out),
 *         ::DP_ERR_DOUBLE_FREE (block already free, on tracked pools; any
 *         surplus free on unlimited ones). Checked in that order.
 */
DP_NODISCARD dp_err dp_pool_put(struct dp_pool *pool, void *blk);

/**
 * Get @p n blocks, all or nothing: on error no block is taken and nothing is
 * carved. @p n == 0 succeeds and does nothing.
 * @return as dp_pool_get(); ::DP_ERR_POOL_EMPTY if the limit leaves fewer
 *         than @p n blocks, ::DP_ERR_SEG_OVERFLOW if the segment lacks room
 *         for the missing ones.
 */
DP_NODISCARD dp_err dp_pool_get_bulk(struct dp_pool *pool, void **blks, size_t n);

/**
 * Return @p n blocks, all or nothing: every pointer is checked first
 * (a pointer repeated within @p blks counts as a double free on tracked
 * pools), and on error none is returned.
 * @return as dp_pool_put(); ::DP_ERR_POOL_FULL if fewer than @p n blocks
 *         are handed out from a limited pool.
 */
DP_NODISCARD dp_err dp_pool_put_bulk(struct dp_pool *pool, void *const *blks, size_t n);

/**
 * Blocks a get could obtain now: free blocks plus blocks the pool may still
 * carve (bounded by its maximum and by the segment's room).
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_POOL.
 */
DP_NODISCARD dp_err dp_pool_avail(const struct dp_pool *pool, size_t *out);

/** Fill @p out with the pool's counters. */
DP_NODISCARD dp_err dp_pool_stats(const struct dp_pool *pool, struct dp_pool_stats *out);

/** Fill @p out with the pool's parameters. */
DP_NODISCARD dp_err dp_pool_info(const struct dp_pool *pool, struct dp_pool_info *out);

/** Result of dp_pool_audit(). */
struct dp_pool_audit {
	size_t carved;      /**< Blocks in the pool's chunk table. */
	size_t free_listed; /**< Entries in the free-block stack. */
	size_t in_use;      /**< carved - free_listed. */
	size_t bad_entries; /**< Free entries that are not block starts of the pool. */
	size_t duplicates;  /**< Blocks listed free more than once. */
	size_t state_mismatch; /**< Tracked pools: state byte disagrees with the stack. */
};

/**
 * Check every invariant of the pool: each block is in exactly one place
 * (handed out, or once in the free stack), counters agree. Takes the pool
 * lock for O(carved) time; meant for tests and debugging.
 * @return ::DP_OK if consistent, ::DP_ERR_CORRUPT if not, ::DP_ERR_NULL_PTR,
 *         ::DP_ERR_INVALID_POOL, ::DP_ERR_NO_MEMORY (scratch bitmap);
 *         @p out (optional) receives the counts.
 */
DP_NODISCARD dp_err dp_pool_audit(struct dp_pool *pool, struct dp_pool_audit *out);

#ifdef __cplusplus
}
#endif

#endif /* DP_POOL_H */
