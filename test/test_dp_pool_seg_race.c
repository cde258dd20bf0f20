/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Another user of the segment allocating in the middle of a pool's growth.
 *
 * A HW pool on a segment that is not one IOVA run carves one page at a
 * time, and other users of the segment may allocate between two of those
 * reservations (dp_seg.h allows it). A thread would hit that window by
 * chance; here the test links the library statically with
 * -Wl,--wrap=dp_seg_reserve, so the pool's own reservations go through
 * the wrapper below, which allocates from the segment (through the public
 * dp_seg_alloc(), whose reservation is not wrapped) right after each one:
 * the interleaving every time, with the real segment and the real pool.
 *
 * The segment is real memory in PA mode (4 KiB pages, physically
 * scattered), which needs root, as the driver's PA tests do.
 */
#include <unistd.h>

#include "common.h"
#include "dp_seg_impl.h"

enum intruder { NONE, SPLIT_PAGES, TAKE_THE_REST };

static struct {
	struct dp_seg *seg;
	enum intruder mode;
	unsigned long reservations, intrusions;
} w;

dp_err __real_dp_seg_reserve(struct dp_seg *seg, size_t align, size_t stride, size_t pad,
			     size_t page, size_t min_n, size_t max_n, struct dp_seg_carve *out,
			     size_t *missing);

dp_err
__wrap_dp_seg_reserve(struct dp_seg *seg, size_t align, size_t stride, size_t pad, size_t page,
		      size_t min_n, size_t max_n, struct dp_seg_carve *out, size_t *missing)
{
	dp_err e = __real_dp_seg_reserve(seg, align, stride, pad, page, min_n, max_n, out, missing);
	uintptr_t end;
	size_t take, room;
	void *x;

	if (e != DP_OK || seg != w.seg || page == 0 || w.mode == NONE)
		return e;
	w.reservations++;
	end = out->start + out->count * stride;
	if (w.mode == SPLIT_PAGES) {
		/* The rest of this page, and the next one but for one block:
		 * every later reservation of this growth holds one block and
		 * starts a chunk of its own. */
		take = (page - end % page) % page + page - stride;
	} else {
		/* Everything left: the growth comes up short. */
		if (dp_seg_remaining(seg, 1, &room) != DP_OK || room == 0)
			return e;
		take = room;
	}
	if (dp_seg_alloc(seg, take, 1, &x, NULL) == DP_OK)
		w.intrusions++;
	return e;
}

/* A segment of 4 KiB pages that is not one IOVA run, or skip. */
static struct dp_seg *
scattered_segment(size_t pages)
{
	struct dp_seg_info i;
	struct dp_seg *s;

	if (geteuid() != 0)
		cr_skip_test("PA mode needs root");
	assert_ok(dp_seg_create_huge("scattered", pages * 4096, 0, 64,
				     DP_SEG_F_NORMAL_PAGES | DP_SEG_F_IOVA_PA, &s));
	assert_ok(dp_seg_info(s, &i));
	if (i.iova_contig) {
		assert_ok(dp_seg_destroy(s));
		cr_skip_test("the kernel gave physically contiguous pages this time");
	}
	cr_assert_eq(i.page_size, 4096);
	return s;
}

/*
 * Issue 11, item 2: each growth reserved batch / blocks-per-page + 2 chunk
 * slots, and a growth cut into one chunk per block by the other user wrote
 * past the chunk table (a heap overflow in dp_blkmap_add). Now every
 * reservation has a slot before it is made, and every block carved is a
 * block of the pool.
 */
Test(pool_seg_race, growth_split_into_a_chunk_per_page_stays_in_the_table, .timeout = 60)
{
	/* 1000-byte blocks, footprint 1024: 4 per page; 256 per growth. */
	struct dp_pool_params prm = params("split", 1000, 64, 0, 0, DP_POOL_F_HW);
	enum { N = 256 };
	static void *b[2 * N];
	struct dp_seg *s = scattered_segment(1024);
	struct dp_pool *p;
	uint64_t iova;

	prm.grow_batch = N;
	assert_ok(dp_pool_create(s, &prm, &p));
	w.seg = s;
	w.mode = SPLIT_PAGES;
	assert_ok(dp_pool_get_bulk(p, b, N));
	w.mode = NONE;
	cr_assert_geq(w.intrusions, N - 8, "the other user got in %lu times", w.intrusions);
	cr_assert_geq(w.reservations, N - 4, "%lu reservations: one chunk each", w.reservations);
	cr_assert_eq(pool_stats(p).carved, N);
	for (size_t k = 0; k < N; k++) {
		/* Found through the chunk table, to the byte. */
		assert_ok(dp_pool_iova(p, b[k], &iova));
		assert_dp(dp_pool_iova(p, (char *)b[k] + 64, &iova), DP_ERR_NOT_BLOCK_START);
		cr_assert_eq((uintptr_t)b[k] / 4096, ((uintptr_t)b[k] + 1023) / 4096,
			     "block %zu straddles a page", k);
	}
	assert_ok(dp_pool_put_bulk(p, b, N));
	assert_dp(dp_pool_put(p, b[N / 2]), DP_ERR_DOUBLE_FREE);
	assert_audit_ok(p);
	/* And the pool goes on growing normally. */
	assert_ok(dp_pool_get_bulk(p, b, 2 * N));
	cr_assert_eq(pool_stats(p).carved, 2 * N);
	assert_ok(dp_pool_put_bulk(p, b, 2 * N));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(s));
	w.seg = NULL;
}

/*
 * Issue 11, item 4: a growth that carved some blocks but fewer than the get
 * needed (the other user took the rest) ended in DP_ERR_SEG_OVERFLOW
 * without counting a grow event. The get is refused with nothing handed
 * out; what was carved stays free, counted, and serves the next get.
 */
Test(pool_seg_race, short_growth_counts_as_a_grow_event, .timeout = 60)
{
	struct dp_pool_params prm = params("short", 1000, 64, 0, 0, DP_POOL_F_HW);
	struct dp_seg *s = scattered_segment(64);
	struct dp_pool_stats st;
	struct dp_pool *p;
	void *b[8] = { 0 };

	assert_ok(dp_pool_create(s, &prm, &p));
	w.seg = s;
	w.mode = TAKE_THE_REST;
	assert_dp(dp_pool_get_bulk(p, b, 8), DP_ERR_SEG_OVERFLOW);
	w.mode = NONE;
	cr_assert_null(b[0], "nothing handed out");
	st = pool_stats(p);
	cr_assert_eq(st.carved, 4, "one page carved before the other user took the rest");
	cr_assert_eq(st.grow_events, 1, "grow_events %lu", (unsigned long)st.grow_events);
	cr_assert_eq(st.fail_seg_overflow, 1);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.free, 4);
	assert_audit_ok(p);
	assert_ok(dp_pool_get_bulk(p, b, 4));
	cr_assert_eq(pool_stats(p).grow_events, 1, "served from what was carved");
	assert_ok(dp_pool_put_bulk(p, b, 4));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(s));
	w.seg = NULL;
}
