/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where pool metadata lives. A pool of one process keeps its stack, state
 * bytes, chunk tables, caches and magazines on the C heap. A pool on a
 * memzone segment may be used by secondary processes, so all of that goes
 * to DPDK's shared heap instead: DPDK maps it at the same address in every
 * process of the application, which keeps the pointers between those
 * structures valid everywhere.
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
