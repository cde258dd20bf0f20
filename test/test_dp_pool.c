/* SPDX-License-Identifier: Apache-2.0 */
/* Pools: layout, growth, limits, reuse, statistics, audit. */
#include "common.h"

#define fixture(len, skew, padding) seg_fixture(len, skew, padding)
#define fixture_done seg_fixture_done

static size_t
footprint(const struct dp_pool *p)
{
	struct dp_pool_info info;

	assert_ok(dp_pool_info(p, &info));
	return info.footprint;
}

Test(pool, footprint_rules)
{
	struct seg_fixture f = fixture(1 << 16, 0, 32);
	struct {
		size_t size, align;
		unsigned int flags;
		size_t fp;
	} cases[] = {
		{ 20, 8, 0, 24 },            /* seed: general-purpose pool */
		{ 20, 8, DP_POOL_F_HW, 32 }, /* seed note 5: HW blocks are 32 long */
		{ 1, 1, 0, sizeof(void *) }, /* never below a pointer */
		{ 1, 1, DP_POOL_F_HW, 32 },
		{ 33, 1, DP_POOL_F_HW, 64 }, /* a multiple of the padding */
		{ 20, 128, DP_POOL_F_HW, 128 }, /* alignment above the padding wins */
		{ 100, 4, 0, 100 },
		/* spread: an odd number of lines from 1 KiB in multiples of 512 */
		{ 2048, 64, 0, 2048 + 64 },
		{ 2000, 8, 0, 2000 },       /* not a multiple of 512 */
		{ 1024, 1, 0, 1024 + 64 },
		{ 1536, 16, 0, 1536 + 64 },
		{ 512, 64, 0, 512 },        /* under 1 KiB: a line would cost too much */
		{ 2048, 64, DP_POOL_F_NO_SPREAD, 2048 },
		{ 2048, 64, DP_POOL_F_HW, 2048 }, /* HW: whole padding units */
		{ 2048, 128, 0, 2048 },     /* a line would break the alignment */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dp_pool_params prm = params("p", cases[i].size, cases[i].align, 3, 0,
						   cases[i].flags);
		struct dp_pool *p;
		void *b[3];

		assert_ok(dp_pool_create(f.seg, &prm, &p));
		cr_assert_eq(footprint(p), cases[i].fp, "case %zu: fp %zu", i, footprint(p));
		assert_ok(dp_pool_get_bulk(p, b, 3));
		for (int k = 0; k < 3; k++) {
			size_t walign = (cases[i].flags & DP_POOL_F_HW) && cases[i].align < 32
						? 32 : cases[i].align;
			cr_assert_eq((uintptr_t)b[k] % walign, 0, "case %zu block %d misaligned", i, k);
		}
		assert_ok(dp_pool_destroy(p));
	}
	fixture_done(&f);
}

/* Initial blocks: carved at creation, aligned (absolute address), at
 * footprint intervals, handed out lowest address first. */
Test(pool, initial_blocks_layout_and_order)
{
	struct seg_fixture f = fixture(4096, 5, 32);
	struct dp_pool_params prm = params("hw", 20, 8, 10, 0, DP_POOL_F_HW);
	uintptr_t first = align_up((uintptr_t)f.r.base, 32);
	struct dp_pool *p;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	cr_assert_eq(seg_used(f.seg), first + 10 * 32 - (uintptr_t)f.r.base);
	cr_assert_eq(pool_stats(p).carved, 10);
	for (int i = 0; i < 10; i++) {
		void *b;
		assert_ok(dp_pool_get(p, &b));
		cr_assert_eq((uintptr_t)b, first + 32 * (uintptr_t)i);
	}
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

Test(pool, freed_block_is_reused_first)
{
	struct seg_fixture f = fixture(4096, 0, 1);
	struct dp_pool_params prm = params("p", 64, 8, 4, 4, 0);
	struct dp_pool *p;
	void *a, *b, *c;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_get(p, &a));
	assert_ok(dp_pool_get(p, &b));
	assert_ok(dp_pool_put(p, a));
	assert_ok(dp_pool_get(p, &c));
	cr_assert_eq(c, a, "LIFO: the block just freed comes back first");
	assert_ok(dp_pool_put(p, b));
	assert_ok(dp_pool_put(p, c));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

Test(pool, limited_pool_stops_at_maximum_and_recovers)
{
	struct seg_fixture f = fixture(1 << 16, 0, 1);
	struct dp_pool_params prm = params("lim", 32, 8, 2, 5, 0);
	struct dp_pool *p;
	void *b[6];

	prm.grow_batch = 100; /* never carves past the maximum anyway */
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	for (int i = 0; i < 5; i++)
		assert_ok(dp_pool_get(p, &b[i]));
	cr_assert_eq(pool_stats(p).carved, 5);
	assert_dp(dp_pool_get(p, &b[5]), DP_ERR_POOL_EMPTY);
	cr_assert_eq(pool_stats(p).fail_pool_empty, 1);
	assert_ok(dp_pool_put(p, b[2]));
	assert_ok(dp_pool_get(p, &b[5]));
	cr_assert_eq(b[5], b[2]);
	cr_assert_eq(pool_stats(p).carved, 5);
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

/* Seed note 6: an unlimited pool grows until the segment overflows, and a
 * get never fails while one more block fits, whatever the batch size. */
Test(pool, unlimited_pool_grows_until_segment_is_full)
{
	size_t batches[] = { 0, 1, 7, 1000 };

	for (size_t k = 0; k < sizeof(batches) / sizeof(batches[0]); k++) {
		struct seg_fixture f = fixture(10000, 3, 64);
		struct dp_pool_params prm = params("grow", 100, 8, 4, DP_POOL_UNLIMITED, DP_POOL_F_HW);
		uintptr_t first = align_up((uintptr_t)f.r.base, 64);
		size_t expect = ((uintptr_t)f.r.base + 10000 - first) / 128, n = 0;
		struct dp_pool *p;
		void *b;

		prm.grow_batch = batches[k];
		assert_ok(dp_pool_create(f.seg, &prm, &p));
		while (dp_pool_get(p, &b) == DP_OK) {
			cr_assert_eq((uintptr_t)b, first + 128 * n, "batch %zu: block %zu", batches[k], n);
			n++;
		}
		cr_assert_eq(n, expect, "batch %zu: got %zu blocks, room for %zu", batches[k], n, expect);
		assert_dp(dp_pool_get(p, &b), DP_ERR_SEG_OVERFLOW);
		struct dp_pool_stats st = pool_stats(p);
		cr_assert_eq(st.carved, expect);
		cr_assert_eq(st.in_use, expect);
		cr_assert_eq(st.fail_seg_overflow, 2);
		cr_assert_gt(st.grow_events, 0);
		/* Blocks become available again after a free. */
		assert_ok(dp_pool_put(p, (void *)first));
		assert_ok(dp_pool_get(p, &b));
		cr_assert_eq((uintptr_t)b, first);
		assert_audit_ok(p);
		assert_ok(dp_pool_destroy(p));
		fixture_done(&f);
	}
}

Test(pool, automatic_batch_grows_geometrically)
{
	struct seg_fixture f = fixture(64 << 20, 0, 1);
	struct dp_pool_params prm = params("auto", 64, 64, 0, DP_POOL_UNLIMITED, 0);
	struct dp_pool *p;
	void **b = malloc(100000 * sizeof(void *));

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	cr_assert_eq(pool_stats(p).carved, 0);
	for (int i = 0; i < 100000; i++)
		assert_ok(dp_pool_get(p, &b[i]));
	struct dp_pool_stats st = pool_stats(p);
	cr_assert_geq(st.carved, 100000);
	cr_assert_leq(st.carved, 100000 + 100000 / 8 + 32, "over-carving bounded by 1/8");
	cr_assert_lt(st.grow_events, 80, "logarithmic number of carves: %llu",
		     (unsigned long long)st.grow_events);
	assert_ok(dp_pool_put_bulk(p, b, 100000));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	free(b);
	fixture_done(&f);
}

/* Each carve of an empty, unlimited, uncached pool adds exactly the
 * documented batch: grow_batch when set, else max(32, carved / 8), the
 * 12.5 % of doc/design.md, computed here from the pool's own carve
 * history rather than read from the library. */
static void
check_batches(size_t grow_batch, size_t blocks)
{
	struct seg_fixture f = fixture(16 << 20, 0, 1);
	struct dp_pool_params prm = params("batch", 64, 64, 0, DP_POOL_UNLIMITED, 0);
	struct dp_pool *p;
	void **b = malloc(blocks * sizeof(void *));
	size_t carved = 0, carves = 0;

	cr_assert_not_null(b);
	prm.grow_batch = grow_batch;
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	for (size_t i = 0; i < blocks; i++) {
		assert_ok(dp_pool_get(p, &b[i]));
		size_t now = pool_stats(p).carved;
		if (now == carved)
			continue;
		size_t want = grow_batch ? grow_batch : carved / 8 > 32 ? carved / 8 : 32;
		cr_assert_eq(now - carved, want, "batch %zu: carve %zu at %zu blocks added %zu",
			     grow_batch, carves, carved, now - carved);
		cr_assert_eq(i, carved, "carved only when empty");
		carved = now;
		carves++;
	}
	cr_assert_eq(pool_stats(p).grow_events, carves);
	assert_ok(dp_pool_put_bulk(p, b, blocks));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	free(b);
	fixture_done(&f);
}

Test(pool, each_growth_carves_exactly_the_batch)
{
	check_batches(0, 20000); /* 32 while under 256 blocks, then an eighth */
	check_batches(7, 500);
	check_batches(1, 100);
}

Test(pool, stats_and_avail)
{
	struct seg_fixture f = fixture(4096, 0, 1);
	struct dp_pool_params lim = params("lim", 16, 16, 4, 8, 0);
	struct dp_pool_params unl = params("unl", 16, 16, 0, 0, 0);
	struct dp_pool *p, *q;
	size_t avail;
	void *b[8];

	assert_ok(dp_pool_create(f.seg, &lim, &p));
	assert_ok(dp_pool_avail(p, &avail));
	cr_assert_eq(avail, 8);
	assert_ok(dp_pool_get_bulk(p, b, 6));
	struct dp_pool_stats st = pool_stats(p);
	cr_assert_eq(st.carved, 8, "automatic batch capped by the maximum");
	cr_assert_eq(st.in_use, 6);
	cr_assert_eq(st.free, st.carved - 6);
	cr_assert_eq(st.high_watermark, 6);
	cr_assert_eq(st.grow_events, 1);
	assert_ok(dp_pool_avail(p, &avail));
	cr_assert_eq(avail, 2);
	assert_ok(dp_pool_put_bulk(p, b, 3));
	st = pool_stats(p);
	cr_assert_eq(st.in_use, 3);
	cr_assert_eq(st.high_watermark, 6, "watermark keeps the peak");

	/* Unlimited: avail counts what the segment can still hold. Checked
	 * against the region itself (blocks from the first one's address to
	 * the region's end) and by taking them all: exactly avail gets
	 * succeed, the next one is refused. */
	assert_ok(dp_pool_create(f.seg, &unl, &q));
	assert_ok(dp_pool_avail(q, &avail));
	void *all[4096 / 16 + 1];
	size_t got = 0;
	while (got <= 4096 / 16 && dp_pool_get(q, &all[got]) == DP_OK)
		got++;
	cr_assert_gt(got, 0);
	cr_assert_eq(avail, (size_t)(f.r.base + f.r.len - (uint8_t *)all[0]) / 16);
	cr_assert_eq(got, avail, "took %zu blocks, avail said %zu", got, avail);
	assert_ok(dp_pool_avail(q, &avail));
	cr_assert_eq(avail, 0);
	assert_ok(dp_pool_put_bulk(q, all, got));
	assert_dp(dp_pool_avail(q, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_avail(NULL, &avail), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_stats(q, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_info(q, NULL), DP_ERR_NULL_PTR);
	assert_ok(dp_pool_destroy(q));
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

Test(pool, info_reports_parameters)
{
	struct seg_fixture f = fixture(4096, 0, 64);
	struct dp_pool_params prm = params("info-pool", 100, 16, 2, 9, DP_POOL_F_HW);
	struct dp_pool_info info;
	struct dp_pool *p;

	prm.grow_batch = 3;
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_info(p, &info));
	cr_assert_str_eq(info.name, "info-pool");
	cr_assert_eq(info.seg, f.seg);
	cr_assert_eq(info.block_size, 100);
	cr_assert_eq(info.block_align, 64);
	cr_assert_eq(info.footprint, 128);
	cr_assert_eq(info.initial, 2);
	cr_assert_eq(info.maximum, 9);
	cr_assert_eq(info.grow_batch, 3);
	cr_assert_eq(info.flags, DP_POOL_F_HW);
	cr_assert(info.tracked);
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

/* Two pools growing in turn on one segment: their chunks interleave, and
 * each pool still recognises exactly its own blocks. */
Test(pool, interleaved_chunks_of_two_pools)
{
	struct seg_fixture f = fixture(1 << 16, 0, 1);
	struct dp_pool_params pa = params("a", 48, 16, 1, 0, 0);
	struct dp_pool_params pb = params("b", 48, 16, 1, 0, 0);
	struct dp_pool *a, *b;
	void *ba[40], *bb[40];

	pa.grow_batch = pb.grow_batch = 1;
	assert_ok(dp_pool_create(f.seg, &pa, &a));
	assert_ok(dp_pool_create(f.seg, &pb, &b));
	for (int i = 0; i < 40; i++) {
		assert_ok(dp_pool_get(a, &ba[i]));
		assert_ok(dp_pool_get(b, &bb[i]));
	}
	for (int i = 0; i < 40; i++) {
		assert_dp(dp_pool_put(a, bb[i]), DP_ERR_NOT_IN_POOL);
		assert_dp(dp_pool_put(b, ba[i]), DP_ERR_NOT_IN_POOL);
		assert_dp(dp_pool_put(a, (char *)ba[i] + 8), DP_ERR_NOT_BLOCK_START);
	}
	assert_ok(dp_pool_put_bulk(a, ba, 40));
	assert_ok(dp_pool_put_bulk(b, bb, 40));
	assert_audit_ok(a);
	assert_audit_ok(b);
	assert_ok(dp_pool_destroy(a));
	assert_ok(dp_pool_destroy(b));
	fixture_done(&f);
}
