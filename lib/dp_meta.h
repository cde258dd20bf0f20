/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where pool metadata lives. A pool of one process keeps its stack, state
 * bytes and chunk tables on the C heap, which backs what is sized for the
 * segment but not yet used with zero pages. Its lcore caches and magazines
 * go to DPDK's heap when EAL is up at creation: they are what every cache
 * move touches, from several lcores, and on hugepages they take a few TLB
 * entries instead of one per 4 KiB (doc/design.md, section 3, has the
 * measurement); each lcore makes its cache on first use, on its own
 * socket, so pinned memory grows only with the lcores that use the pool
 * (rte_mempool pins a cache for every possible lcore). A pool on a memzone segment may be used by
 * secondary processes, so all of its metadata goes to DPDK's shared heap:
 * DPDK maps it at the same address in every process of the application,
 * which keeps the pointers between those structures valid everywhere.
 */
#ifndef DP_META_H
#define DP_META_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Sanitizers cannot see into DPDK's heap (its lock is inline assembly,
 * its elements are not instrumented, and TSan then reads a block reused
 * by another thread as a race): sanitizer builds keep a one-process
 * pool's caches and magazines on the C heap, where ASan checks their
 * bounds and TSan sees them change hands.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DP_META_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define DP_META_SANITIZED 1
#endif
#endif
#ifndef DP_META_SANITIZED
#define DP_META_SANITIZED 0
#endif

/* Uninitialised memory aligned to `align` (a power of two, at most a page). */
void *dp_meta_alloc(bool shared, size_t size, size_t align);
/* Zeroed memory (on the C heap, large sizes stay untouched zero pages). */
void *dp_meta_calloc(bool shared, size_t size);
/* As realloc(); new bytes are not zeroed. */
void *dp_meta_realloc(bool shared, void *ptr, size_t size);
void dp_meta_free(bool shared, void *ptr);

#endif /* DP_META_H */
