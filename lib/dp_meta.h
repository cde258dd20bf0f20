/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where pool metadata lives. A pool of one process keeps its stack, state
 * bytes and chunk tables on the C heap, which backs what is sized for the
 * segment but not yet used with zero pages. Its lcore caches and magazines
 * go to DPDK's heap when EAL is up at creation: they are what every cache
 * move touches, from several lcores, and on hugepages they take a few TLB
 * entries instead of one per 4 KiB (doc/design.md, section 3, has the
 * measurement), at the price of pinned memory for every possible lcore,
 * as rte_mempool's caches. A pool on a memzone segment may be used by
 * secondary processes, so all of its metadata goes to DPDK's shared heap:
 * DPDK maps it at the same address in every process of the application,
 * which keeps the pointers between those structures valid everywhere.
 */
#ifndef DP_META_H
#define DP_META_H

#include <stdbool.h>
#include <stddef.h>

/* Uninitialised memory aligned to `align` (a power of two, at most a page). */
void *dp_meta_alloc(bool shared, size_t size, size_t align);
/* Zeroed memory (on the C heap, large sizes stay untouched zero pages). */
void *dp_meta_calloc(bool shared, size_t size);
/* As realloc(); new bytes are not zeroed. */
void *dp_meta_realloc(bool shared, void *ptr, size_t size);
void dp_meta_free(bool shared, void *ptr);

#endif /* DP_META_H */
