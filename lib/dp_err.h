/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_err.h
 * Error codes of the dynpool native API.
 *
 * Every dynpool function that can fail returns a ::dp_err. Nothing is
 * reported through errno, and no user input is ever checked with assert():
 * a bad argument yields its own code and leaves every object unchanged.
 */
#ifndef DP_ERR_H
#define DP_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

/** Marks functions whose result must not be ignored. */
#if defined(__GNUC__) || defined(__clang__)
#define DP_NODISCARD __attribute__((warn_unused_result))
#else
#define DP_NODISCARD
#endif

/**
 * Result of a dynpool call. ::DP_OK is zero; every error is positive and
 * stable across releases (values are part of the ABI).
 */
typedef enum dp_err {
	DP_OK = 0,                /**< Success. */
	DP_ERR_NULL_PTR = 1,      /**< A required pointer argument is NULL. */
	DP_ERR_INVALID_SIZE = 2,  /**< A size, length or block count is zero. */
	DP_ERR_INVALID_ALIGN = 3, /**< An alignment is not a power of two. */
	DP_ERR_INVALID_NAME = 4,  /**< A name is empty or longer than ::DP_NAME_MAX - 1. */
	DP_ERR_INVALID_COUNT = 5, /**< A block count is inconsistent (initial > maximum). */
	DP_ERR_INVALID_FLAGS = 6, /**< Unknown or conflicting flag bits. */
	DP_ERR_OVERFLOW = 7,      /**< size x count, or a size rounded to its alignment, does not fit. */
	DP_ERR_SEG_RANGE = 8,     /**< A segment's range wraps the address space. */
	DP_ERR_SEG_OVERLAP = 9,   /**< A segment would overlap an existing one. */
	DP_ERR_SEG_EXISTS = 10,   /**< A segment with exactly this range exists. */
	DP_ERR_SEG_BUSY = 11,     /**< The segment still has pools; reset/destroy refused. */
	DP_ERR_SEG_OVERFLOW = 12, /**< Not enough free space left in the segment. */
	DP_ERR_POOL_EMPTY = 13,   /**< A limited pool has all its blocks handed out. */
	DP_ERR_POOL_FULL = 14,    /**< Free to a pool that has nothing handed out. */
	DP_ERR_NOT_IN_POOL = 15,  /**< The pointer is outside every block of the pool. */
	DP_ERR_NOT_BLOCK_START = 16, /**< The pointer is inside a block but not at its start. */
	DP_ERR_DOUBLE_FREE = 17,  /**< The block is already free. */
	DP_ERR_NO_MEMORY = 18,    /**< Allocating pool metadata (outside the segment) failed. */
	DP_ERR_INVALID_POOL = 19, /**< The handle is not a live pool (e.g. used after destroy). */
	DP_ERR_INVALID_SEG = 20,  /**< The handle is not a live segment. */
	DP_ERR_CORRUPT = 21,      /**< An audit found broken invariants. */
	DP_ERR_INVALID_CACHE = 22, /**< The cache does not belong to this pool. */
	DP_ERR_INVALID_LCORE = 23, /**< No such lcore, or the pool has no lcore caches. */
	DP_ERR_NO_HUGEPAGES = 24, /**< Hugepages were required and none could be had. */
	DP_ERR_INVALID_NODE = 25, /**< No such NUMA node (or socket). */
	DP_ERR_NO_EAL = 26,       /**< The call needs rte_eal_init() first. */
	DP_ERR_NOT_FOUND = 27,    /**< No object with that name. */
	DP_ERR_OUT_OF_RANGE = 28, /**< The address is outside the segment. */
	DP_ERR_SYSTEM = 29,       /**< The system refused (mmap, memzone, ...); see the log. */
	DP_ERR_SECONDARY = 30,    /**< Only the primary process may do this (shared pools). */
	DP_ERR_EXISTS = 31,       /**< A shared pool of that name exists. */
	DP_ERR__COUNT             /**< Number of codes; not an error. */
} dp_err;

/** Longest name, terminating NUL included, of segments and pools. */
#define DP_NAME_MAX 32

/**
 * Human-readable description of @p e, e.g. "pool is empty".
 * Never NULL; unknown values give "unknown error".
 */
const char *dp_strerror(dp_err e);

/**
 * Symbolic name of @p e, e.g. "DP_ERR_POOL_EMPTY".
 * Never NULL; unknown values give "DP_ERR_UNKNOWN".
 */
const char *dp_errname(dp_err e);

#ifdef __cplusplus
}
#endif

#endif /* DP_ERR_H */
