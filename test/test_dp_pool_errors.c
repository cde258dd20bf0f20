/* SPDX-License-Identifier: Apache-2.0 */
/* Pools: every error the native API can return, and "nothing changed". */
#include <sys/mman.h>

#include "common.h"

#define fixture(len, padding) seg_fixture(len, 0, padding)
#define fixture_done seg_fixture_done

Test(pool_errors, create_checks_every_argument)
{
	struct seg_fixture f = fixture(4096, 32);
	char longname[DP_NAME_MAX + 1];
	struct dp_pool_params prm;
	struct dp_pool *p = NULL;
	alignas(64) uint64_t fake[512] = { 0 }; /* aligned as a pool: a foreign handle, not a misaligned one */

	memset(longname, 'n', DP_NAME_MAX);
	longname[DP_NAME_MAX] = '\0';
#define CREATE_FAILS(field, value, code)                                          \
	do {                                                                        \
		prm = params("p", 20, 8, 2, 10, 0);                                 \
		prm.field = value;                                                  \
		assert_dp(dp_pool_create(f.seg, &prm, &p), code);                   \
	} while (0)
	CREATE_FAILS(name, NULL, DP_ERR_NULL_PTR);
	CREATE_FAILS(name, "", DP_ERR_INVALID_NAME);
	CREATE_FAILS(name, longname, DP_ERR_INVALID_NAME);
	CREATE_FAILS(block_size, 0, DP_ERR_INVALID_SIZE);
	CREATE_FAILS(block_align, 0, DP_ERR_INVALID_ALIGN);
	CREATE_FAILS(block_align, 24, DP_ERR_INVALID_ALIGN);
	CREATE_FAILS(initial, 11, DP_ERR_INVALID_COUNT);
	CREATE_FAILS(flags, 1u << 7, DP_ERR_INVALID_FLAGS);
	CREATE_FAILS(block_size, (size_t)1 << 32, DP_ERR_OVERFLOW);  /* footprint over 4 GiB */
	CREATE_FAILS(block_size, SIZE_MAX, DP_ERR_OVERFLOW);         /* rounding wraps */
	CREATE_FAILS(block_align, (size_t)1 << 40, DP_ERR_OVERFLOW);
	prm = params("p", 4096, 8, SIZE_MAX / 1024, 0, 0);
	assert_dp(dp_pool_create(f.seg, &prm, &p), DP_ERR_OVERFLOW); /* size x count */
	prm = params("p", 20, 8, 2, 10, 0);
	assert_dp(dp_pool_create(NULL, &prm, &p), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_create(f.seg, NULL, &p), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_create(f.seg, &prm, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_create((struct dp_seg *)fake, &prm, &p), DP_ERR_INVALID_SEG);
	cr_assert_null(p);
	cr_assert_eq(seg_used(f.seg), 0, "no failed creation touched the segment");
	struct dp_seg_info info;
	assert_ok(dp_seg_info(f.seg, &info));
	cr_assert_eq(info.pools, 0, "no failed creation stayed attached");
	fixture_done(&f);
}

Test(pool_errors, create_without_room_changes_nothing)
{
	struct seg_fixture f = fixture(1000, 1);
	struct dp_pool_params prm = params("big", 100, 8, 11, 0, 0);
	struct dp_pool *p;
	void *x;

	assert_ok(dp_seg_alloc(f.seg, 10, 1, &x, NULL));
	assert_dp(dp_pool_create(f.seg, &prm, &p), DP_ERR_SEG_OVERFLOW);
	cr_assert_eq(seg_used(f.seg), 10);
	prm.initial = 9; /* 9 x 104 from offset 16 fits in 1000 */
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

/* A pool carves at most DP_POOL_MAX_BLOCKS (2^31) blocks: a count above it
 * is refused up front with INVALID_COUNT (a maximum the shared pool could
 * never reach was accepted before), and nothing changes. */
Test(pool_errors, block_count_limit)
{
	struct seg_fixture f = fixture(4096, 1);
	struct dp_pool_params prm;
	struct dp_pool *p = NULL;
	struct dp_seg_info info;

	prm = params("p", 8, 8, 0, DP_POOL_MAX_BLOCKS + 1, 0);
	assert_dp(dp_pool_create(f.seg, &prm, &p), DP_ERR_INVALID_COUNT);
	prm = params("p", 8, 8, DP_POOL_MAX_BLOCKS + 1, DP_POOL_UNLIMITED, 0);
	assert_dp(dp_pool_create(f.seg, &prm, &p), DP_ERR_INVALID_COUNT);
	cr_assert_null(p);
	cr_assert_eq(seg_used(f.seg), 0);
	assert_ok(dp_seg_info(f.seg, &info));
	cr_assert_eq(info.pools, 0);
	/* The limit itself is a valid maximum. */
	prm = params("p", 8, 8, 1, DP_POOL_MAX_BLOCKS, 0);
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

/* The shared pool's slots grow by doubling up to 2^31 (its positions are
 * 32-bit): every count up to the limit gets room, none above it. */
Test(pool_errors, shared_pool_room_up_to_the_limit)
{
	cr_assert_eq(dp_shpool_cap_for(0, 1), 16);
	cr_assert_eq(dp_shpool_cap_for(16, 17), 32);
	cr_assert_eq(dp_shpool_cap_for(16, ((uint64_t)1 << 30) + 1), (uint64_t)1 << 31);
	cr_assert_eq(dp_shpool_cap_for((uint64_t)1 << 30, (uint64_t)1 << 31), (uint64_t)1 << 31);
	cr_assert_eq(dp_shpool_cap_for(48, ((uint64_t)1 << 31) - 5), (uint64_t)1 << 31);
	cr_assert_eq(dp_shpool_cap_for(16, ((uint64_t)1 << 31) + 1), 0);
	cr_assert_eq(DP_POOL_MAX_BLOCKS, DP_SHPOOL_MAX_CAP);
}

Test(pool_errors, put_rejects_foreign_and_interior_pointers)
{
	struct seg_fixture f = fixture(4096, 1);
	struct dp_pool_params prm = params("p", 40, 8, 4, 0, 0);
	struct dp_pool *p, *other;
	void *b, *ob;
	int on_stack;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_create(f.seg, &prm, &other));
	assert_ok(dp_pool_get(p, &b));
	assert_ok(dp_pool_get(other, &ob));
	assert_dp(dp_pool_put(p, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_put(p, &on_stack), DP_ERR_NOT_IN_POOL);
	assert_dp(dp_pool_put(p, ob), DP_ERR_NOT_IN_POOL);
	assert_dp(dp_pool_put(p, (char *)b + 1), DP_ERR_NOT_BLOCK_START);
	assert_dp(dp_pool_put(p, (char *)b + 39), DP_ERR_NOT_BLOCK_START);
	assert_dp(dp_pool_put(p, (char *)b - 1), DP_ERR_NOT_IN_POOL); /* before the first block */
	assert_dp(dp_pool_put(p, (char *)b + 4 * 40), DP_ERR_NOT_IN_POOL); /* past the last */
	struct dp_pool_stats st;
	assert_ok(dp_pool_stats(p, &st));
	cr_assert_eq(st.fail_not_in_pool, 4);
	cr_assert_eq(st.fail_not_block_start, 2);
	cr_assert_eq(st.in_use, 1, "refused frees change nothing");
	assert_audit_ok(p);
	assert_ok(dp_pool_put(p, b));
	assert_ok(dp_pool_put(other, ob));
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_pool_destroy(other));
	fixture_done(&f);
}

Test(pool_errors, double_free_and_pool_full)
{
	struct seg_fixture f = fixture(4096, 1);
	struct dp_pool_params lim = params("lim", 16, 8, 4, 4, 0);
	struct dp_pool_params unl = params("unl", 16, 8, 4, 0, 0);
	struct dp_pool *p, *u;
	void *a, *b;

	assert_ok(dp_pool_create(f.seg, &lim, &p));
	assert_ok(dp_pool_get(p, &a));
	assert_ok(dp_pool_get(p, &b));
	assert_ok(dp_pool_put(p, a));
	assert_dp(dp_pool_put(p, a), DP_ERR_DOUBLE_FREE);
	assert_ok(dp_pool_put(p, b));
	/* Nothing handed out: a limited pool is full, checked first. */
	assert_dp(dp_pool_put(p, b), DP_ERR_POOL_FULL);
	struct dp_pool_stats st = pool_stats(p);
	cr_assert_eq(st.fail_double_free, 1);
	cr_assert_eq(st.fail_pool_full, 1);
	cr_assert_eq(st.in_use, 0);
	assert_audit_ok(p);

	/* Unlimited pools have no "full": a surplus free is a double free. */
	assert_ok(dp_pool_create(f.seg, &unl, &u));
	assert_ok(dp_pool_get(u, &a));
	assert_ok(dp_pool_put(u, a));
	assert_dp(dp_pool_put(u, a), DP_ERR_DOUBLE_FREE);
	assert_audit_ok(u);
	assert_ok(dp_pool_destroy(u));
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

Test(pool_errors, untracked_pool_still_refuses_surplus_frees)
{
	struct seg_fixture f = fixture(4096, 1);
	struct dp_pool_params prm = params("fast", 16, 8, 4, 4, DP_POOL_F_NO_TRACK);
	struct dp_pool_info info;
	struct dp_pool *p;
	void *a;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_info(p, &info));
	cr_assert_eq(info.tracked, DP_DEBUG, "NO_TRACK is honoured except in debug builds");
	assert_ok(dp_pool_get(p, &a));
	assert_ok(dp_pool_put(p, a));
	assert_dp(dp_pool_put(p, a), DP_ERR_POOL_FULL);
	assert_dp(dp_pool_put(p, (char *)a + 1), DP_ERR_NOT_BLOCK_START);
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

/* An untracked pool counts a surplus against the blocks out of the shared
 * pool, handed out or cached, under the pool lock: a count that is exact
 * there, so a legitimate free is never refused (dp_stress
 * uncached_free_beside_blocks_passed_between_lcores), unlike the former
 * "handed out" count, which summed the caches one by one. The price: a
 * double free while a cache holds blocks is not seen (dp_pool.h); once the
 * cache is flushed, the same surplus is refused. */
Test(pool_errors, untracked_surplus_counted_against_blocks_out_of_the_shared_pool)
{
	struct seg_fixture f = fixture(4096, 1);
	unsigned int flags[] = { DP_POOL_F_NO_TRACK, DP_POOL_F_UNCHECKED };

	for (int i = 0; i < 2; i++) {
		struct dp_pool_params prm = params("unl", 16, 8, 4, 0, flags[i]);
		struct dp_pool *p;
		struct dp_cache *c;
		void *a, *b, *both[2];

		assert_ok(dp_pool_create(f.seg, &prm, &p));
		assert_ok(dp_cache_create(p, 4, &c));
		assert_ok(dp_pool_generic_get(p, c, &a, 1)); /* the cache keeps the rest */
		assert_ok(dp_pool_generic_put(p, c, &a, 1));
		assert_ok(dp_pool_generic_get(p, c, &a, 1));
		assert_ok(dp_pool_generic_get(p, NULL, &b, 1));
		assert_ok(dp_pool_generic_put(p, NULL, &b, 1));
		assert_ok(dp_cache_flush(p, c));
		both[0] = a;
		both[1] = b; /* b is free: one free too many, a is the only block out */
		assert_dp(dp_pool_generic_put(p, NULL, both, 2), DP_ERR_DOUBLE_FREE);
		assert_ok(dp_pool_generic_put(p, NULL, &a, 1));
		assert_dp(dp_pool_generic_put(p, NULL, &a, 1), DP_ERR_DOUBLE_FREE);
		assert_ok(dp_cache_destroy(p, c));
		assert_audit_ok(p);
		cr_assert_eq(pool_stats(p).in_use, 0);
		assert_ok(dp_pool_destroy(p));
		assert_ok(dp_seg_reset(f.seg));
	}
	fixture_done(&f);
}

Test(pool_errors, bulk_get_is_all_or_nothing)
{
	struct seg_fixture f = fixture(1024, 1);
	struct dp_pool_params lim = params("lim", 16, 16, 2, 10, 0);
	struct dp_pool_params unl = params("unl", 16, 16, 0, 0, 0);
	struct dp_pool *p, *u;
	void *b[64] = { 0 };

	assert_ok(dp_pool_create(f.seg, &lim, &p));
	assert_dp(dp_pool_get_bulk(p, b, 11), DP_ERR_POOL_EMPTY);
	cr_assert_null(b[0], "no block handed out");
	struct dp_pool_stats st = pool_stats(p);
	cr_assert_eq(st.carved, 2, "nothing carved by a refused bulk get");
	cr_assert_eq(st.in_use, 0);
	size_t used = seg_used(f.seg);

	/* Segment room for fewer blocks than asked: refused, nothing carved. */
	assert_ok(dp_pool_create(f.seg, &unl, &u));
	size_t rem;
	assert_ok(dp_seg_remaining(f.seg, 16, &rem));
	assert_dp(dp_pool_get_bulk(u, b, rem / 16 + 1), DP_ERR_SEG_OVERFLOW);
	cr_assert_eq(seg_used(f.seg), used);
	cr_assert_eq(pool_stats(u).carved, 0);
	assert_ok(dp_pool_get_bulk(u, b, rem / 16)); /* exactly what fits */
	/* ...by the region's own bounds, not only by dp_seg_remaining(): the
	 * last block ends inside the region and one more would not. */
	uintptr_t last = 0;
	for (size_t i = 0; i < rem / 16; i++)
		last = (uintptr_t)b[i] > last ? (uintptr_t)b[i] : last;
	cr_assert_leq(last + 16, (uintptr_t)f.r.base + f.r.len);
	cr_assert_gt(last + 32, (uintptr_t)f.r.base + f.r.len, "room left for one more block");
	assert_ok(dp_pool_put_bulk(u, b, rem / 16));
	assert_ok(dp_pool_get_bulk(u, b, 0));
	assert_dp(dp_pool_get_bulk(u, NULL, 1), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_get(u, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_get(NULL, b), DP_ERR_NULL_PTR);
	assert_audit_ok(p);
	assert_audit_ok(u);
	assert_ok(dp_pool_destroy(u));
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

Test(pool_errors, bulk_put_is_all_or_nothing)
{
	struct seg_fixture f = fixture(4096, 1);
	struct dp_pool_params prm = params("p", 32, 8, 8, 8, 0);
	struct dp_pool *p;
	void *b[8], *bad[4];
	int x;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_get_bulk(p, b, 6));

	bad[0] = b[0]; bad[1] = b[1]; bad[2] = &x; bad[3] = b[2];
	assert_dp(dp_pool_put_bulk(p, bad, 4), DP_ERR_NOT_IN_POOL);
	bad[2] = (char *)b[3] + 4;
	assert_dp(dp_pool_put_bulk(p, bad, 4), DP_ERR_NOT_BLOCK_START);
	bad[2] = NULL;
	assert_dp(dp_pool_put_bulk(p, bad, 4), DP_ERR_NULL_PTR);
	bad[2] = b[0]; /* repeated within one call */
	assert_dp(dp_pool_put_bulk(p, bad, 4), DP_ERR_DOUBLE_FREE);
	cr_assert_eq(pool_stats(p).in_use, 6, "refused bulk frees change nothing");
	assert_audit_ok(p);

	/* More blocks than are handed out: pool full, nothing returned. */
	void *many[7] = { b[0], b[1], b[2], b[3], b[4], b[5], b[5] };
	assert_dp(dp_pool_put_bulk(p, many, 7), DP_ERR_POOL_FULL);
	cr_assert_eq(pool_stats(p).in_use, 6);
	assert_audit_ok(p);

	/* The refused calls left every block freeable. */
	assert_ok(dp_pool_put_bulk(p, b, 6));
	assert_dp(dp_pool_put_bulk(p, NULL, 1), DP_ERR_NULL_PTR);
	assert_ok(dp_pool_put_bulk(p, b, 0));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	fixture_done(&f);
}

Test(pool_errors, handles_are_checked)
{
	alignas(64) uint64_t fake[1024] = { 0 }; /* aligned as a pool */
	struct dp_pool *p = (struct dp_pool *)fake;
	struct dp_pool_stats st;
	struct dp_pool_info info;
	size_t n;
	void *b = NULL;

	assert_dp(dp_pool_get(p, &b), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_put(p, fake), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_get_bulk(p, &b, 1), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_put_bulk(p, &b, 1), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_avail(p, &n), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_stats(p, &st), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_info(p, &info), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_audit(p, NULL), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_destroy(p), DP_ERR_INVALID_POOL);
	assert_dp(dp_pool_destroy(NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_audit(NULL, NULL), DP_ERR_NULL_PTR);
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

/* Chunks never span 4 GiB (the fast division needs it): a pool of 5 GiB of
 * 1 MiB blocks, over address space that is reserved but never touched (the
 * pool does not write into blocks), splits its chunk and still maps every
 * block, including those past the 4 GiB mark. */
Test(pool_errors, chunks_larger_than_4GiB_are_split)
{
	size_t len = (size_t)6 << 30, fp = (size_t)1 << 20;
	void *mem = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct dp_pool_params prm = params("huge", fp, 4096, 5120, 5120, DP_POOL_F_NO_TRACK);
	struct dp_seg *s;
	struct dp_pool *p;
	void **b = malloc(5120 * sizeof(void *));

	cr_assert_neq(mem, MAP_FAILED);
	assert_ok(dp_seg_create("huge", mem, len, 1, &s));
	assert_ok(dp_pool_create(s, &prm, &p));
	assert_ok(dp_pool_get_bulk(p, b, 5120));
	/* Every block once, at footprint intervals (order within a bulk get
	 * is not promised). */
	qsort(b, 5120, sizeof(void *), cmp_ptr);
	for (size_t i = 0; i < 5120; i++)
		cr_assert_eq((uintptr_t)b[i], (uintptr_t)b[0] + i * fp);
	assert_dp(dp_pool_put(p, (char *)b[4097] + 4096), DP_ERR_NOT_BLOCK_START);
	assert_dp(dp_pool_put(p, (char *)b[5119] + fp), DP_ERR_NOT_IN_POOL);
	assert_ok(dp_pool_put_bulk(p, b, 5120));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(s));
	munmap(mem, len);
	free(b);
}
