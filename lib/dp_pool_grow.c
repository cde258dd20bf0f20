/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growth: carving blocks from the segment into the pool.
 *
 * Policy: a growth carves max(want, batch) blocks, where want is what the
 * caller would like (a cache refill asks for a whole cache's worth) and
 * batch is the pool's grow_batch or, when 0, max(32, carved / 8): a pool
 * grows by about
 * 12.5 % at a time, so reaching N blocks takes O(log N) carves and
 * over-carving stays below an eighth of what the pool already holds. The
 * batch is cut to the pool's remaining allowance and to what the segment
 * still holds, but never below `need`: a get fails only when the blocks it
 * needs cannot fit.
 *
 * Everything that can fail (metadata growth) is done before the segment is
 * touched, so a failed growth leaves both pool and segment unchanged,
 * unless another user of the segment takes room between two per-page
 * reservations of a HW pool: then the blocks already carved stay, free.
 * Every carve that carves blocks counts as a grow event, short or not.
 */
#include <string.h>

#include "dp_meta.h"
#include "dp_pool_impl.h"

#include <stdlib.h>

#define AUTO_BATCH_MIN 32
#define AUTO_BATCH_SHIFT 3

static size_t
batch_for(const struct dp_pool *p, size_t want, size_t allowance)
{
	size_t batch = p->grow_batch;

	if (batch == 0)
		batch = DP_MAX((size_t)AUTO_BATCH_MIN, p->carved >> AUTO_BATCH_SHIFT);
	return DP_MIN(DP_MAX(batch, want), allowance);
}

/* Room in the shared pool for every carved block: at most
 * DP_POOL_MAX_BLOCKS (dp_pool.h), as its positions are 32-bit. */
_Static_assert(DP_POOL_MAX_BLOCKS == DP_SHPOOL_MAX_CAP, "the pool's limit is its shared pool's");

static dp_err
free_reserve(struct dp_pool *p, size_t total)
{
	size_t cap;
	void **bigger;

	if (total <= p->free.cap)
		return DP_OK;
	cap = (size_t)dp_shpool_cap_for(p->free.cap, total);
	if (cap == 0)
		return DP_ERR_NO_MEMORY;
	bigger = dp_meta_realloc(p->shared, p->free.slot, cap * sizeof(void *));
	if (bigger == NULL)
		return DP_ERR_NO_MEMORY;
	dp_shpool_resized(&p->free, bigger, (uint32_t)cap);
	return DP_OK;
}

/* HW blocks must not straddle a page unless the segment is one IOVA run:
 * a device would see the two halves at unrelated addresses. */
size_t
dp_pool_page_bound(const struct dp_pool *p)
{
	return (p->flags & DP_POOL_F_HW) && !p->seg->iova_contig ? p->seg->page_size : 0;
}

dp_err
dp_pool_grow_locked(struct dp_pool *p, size_t need, size_t want, bool exact)
{
	size_t allowance = p->maximum ? p->maximum - p->carved : SIZE_MAX;
	size_t page = dp_pool_page_bound(p), batch, fit, got = 0;
	uint32_t at;
	struct dp_seg_carve c;
	dp_err err;

	if (need > allowance)
		return DP_ERR_POOL_EMPTY;
	/* A racy early answer that spares sizing metadata for blocks that
	 * cannot fit; the reservations below are the real check. */
	fit = dp_seg_fit_count(p->seg, p->walign, p->footprint, page);
	if (fit < need)
		return DP_ERR_SEG_OVERFLOW;
	batch = exact ? need : batch_for(p, DP_MAX(want, need), allowance);
	batch = DP_MAX(DP_MIN(batch, fit), need);

	err = free_reserve(p, p->carved + batch);
	if (err == DP_OK)
		err = dp_blkmap_reserve(&p->map, batch, page ? batch / (page / p->footprint) + 2 : 1);
	if (err != DP_OK)
		return err;
	/* One reservation, or one per page when blocks must not straddle.
	 * Another user of the segment may allocate between two per-page
	 * reservations, so each may start a chunk of its own: room for one
	 * more chunk is made before each reservation, never assumed. */
	do {
		if (page != 0 && (err = dp_blkmap_reserve(&p->map, batch - got, 1)) != DP_OK)
			break;
		err = dp_seg_reserve(p->seg, p->walign, p->footprint, 1, page, page ? 1 : need,
				     batch - got, &c, NULL);
		if (err != DP_OK)
			break;
		err = dp_blkmap_add(&p->map, c.start, c.count);
		if (err != DP_OK)
			break; /* cannot happen after the reserve; c stays unused */
		at = dp_shpool_tail(&p->free);
		for (size_t i = 0; i < c.count; i++, at = dp_shpool_next(&p->free, at))
			p->free.slot[at] = (void *)(c.start + i * p->footprint);
		dp_shpool_added(&p->free, (uint32_t)c.count, DP_SHPOOL_NOBODY);
		got += c.count;
	} while (page != 0 && got < batch);
	/* Lowest address newest, and nobody's (so every lcore takes them
	 * newest first): consecutive gets walk memory forward. */
	for (size_t i = dp_shpool_count(&p->free) - got, j = dp_shpool_count(&p->free); i + 1 < j;
	     i++, j--) {
		void **a = &p->free.slot[dp_shpool_at(&p->free, (uint32_t)i)];
		void **b = &p->free.slot[dp_shpool_at(&p->free, (uint32_t)j - 1)];
		void *t = *a;

		*a = *b;
		*b = t;
	}
	p->carved += got;
	if (got > 0)
		p->grow_events++; /* even when short: the blocks were carved */
	/* Short only when another user of the segment took the room between
	 * the fit check and the reservations (or, then, the chunk table could
	 * not grow); what was carved stays free. */
	if (got >= need)
		return DP_OK;
	return err == DP_ERR_NO_MEMORY ? err : DP_ERR_SEG_OVERFLOW;
}
