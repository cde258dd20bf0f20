/* SPDX-License-Identifier: Apache-2.0 */
/* Internal view of a segment, shared with the pool code. */
#ifndef DP_SEG_IMPL_H
#define DP_SEG_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>

#include "dp_seg.h"
#include "dp_spinlock.h"

#define DP_SEG_MAGIC 0x64707365676d6e74ull /* "dpsegmnt" */

/*
 * Invariants:
 *  - base + len does not wrap; 0 <= used <= len at all times.
 *  - used only grows, except in dp_seg_reset(), which requires pools == 0
 *    under attach_lock so no pool can be carving at that moment.
 */
struct dp_seg {
	uint64_t magic;
	uintptr_t base;
	size_t len;
	size_t padding;
	_Atomic size_t used;    /* bump offset from base */
	dp_spinlock_t attach_lock; /* orders pool attach/detach against reset/destroy */
	size_t pools;           /* under attach_lock */
	struct dp_seg *reg_next; /* registry list, under the registry lock */
	char name[DP_NAME_MAX];
};

/* One reservation: where it starts and how many items of the stride it holds. */
struct dp_seg_carve {
	uintptr_t start;
	size_t count;
};

/*
 * Reserve between min_n and max_n consecutive items of `stride` bytes, the
 * first aligned to `align`, the bump pointer then moving to the end rounded
 * up to `pad`. Takes as many as fit, up to max_n. Atomic with respect to all
 * other reservations. On DP_ERR_SEG_OVERFLOW nothing moves and *missing (if
 * not NULL) is the shortfall for min_n items.
 */
dp_err dp_seg_reserve(struct dp_seg *seg, size_t align, size_t stride, size_t pad,
		      size_t min_n, size_t max_n, struct dp_seg_carve *out,
		      size_t *missing);

/* How many items of `stride` aligned to `align` still fit. */
size_t dp_seg_fit_count(const struct dp_seg *seg, size_t align, size_t stride);

bool dp_seg_valid(const struct dp_seg *seg);
dp_err dp_seg_attach(struct dp_seg *seg);
void dp_seg_detach(struct dp_seg *seg);

#endif /* DP_SEG_IMPL_H */
