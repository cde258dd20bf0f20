/* SPDX-License-Identifier: Apache-2.0 */
/* Segments: creation rules, registry, bump allocation, reset. */
#include <pthread.h>

#include "common.h"

Test(seg, create_and_info)
{
	struct region r = region_new(4096, 3);
	struct dp_seg_info info;
	struct dp_seg *s;

	assert_ok(dp_seg_create("rx-seg", r.base, r.len, 64, &s));
	assert_ok(dp_seg_info(s, &info));
	cr_assert_str_eq(info.name, "rx-seg");
	cr_assert_eq(info.base, r.base);
	cr_assert_eq(info.len, 4096);
	cr_assert_eq(info.padding, 64);
	cr_assert_eq(info.used, 0);
	cr_assert_eq(info.pools, 0);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(seg, create_rejects_bad_arguments)
{
	struct region r = region_new(4096, 0);
	char longname[DP_NAME_MAX + 1];
	struct dp_seg *s = NULL;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[DP_NAME_MAX] = '\0';
	assert_dp(dp_seg_create(NULL, r.base, 64, 1, &s), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_create("s", NULL, 64, 1, &s), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_create("s", r.base, 64, 1, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_create("", r.base, 64, 1, &s), DP_ERR_INVALID_NAME);
	assert_dp(dp_seg_create(longname, r.base, 64, 1, &s), DP_ERR_INVALID_NAME);
	longname[DP_NAME_MAX - 1] = '\0'; /* exactly DP_NAME_MAX - 1 chars fits */
	assert_dp(dp_seg_create("s", r.base, 0, 1, &s), DP_ERR_INVALID_SIZE);
	assert_dp(dp_seg_create("s", (void *)(UINTPTR_MAX - 10), 64, 1, &s), DP_ERR_SEG_RANGE);
	assert_dp(dp_seg_create("s", r.base, 64, 0, &s), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_create("s", r.base, 64, 48, &s), DP_ERR_INVALID_ALIGN);
	cr_assert_null(s, "no segment may be returned on error");
	assert_ok(dp_seg_create(longname, r.base, 64, 1, &s));
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(seg, registry_refuses_overlap_and_duplicates)
{
	struct region r = region_new(4096, 0);
	struct dp_seg *a, *b;

	assert_ok(dp_seg_create("a", r.base + 1024, 1024, 1, &a));
	assert_dp(dp_seg_create("b", r.base + 1024, 1024, 1, &b), DP_ERR_SEG_EXISTS);
	assert_dp(dp_seg_create("b", r.base + 1024, 1023, 1, &b), DP_ERR_SEG_OVERLAP);
	assert_dp(dp_seg_create("b", r.base + 1500, 2000, 1, &b), DP_ERR_SEG_OVERLAP);
	assert_dp(dp_seg_create("b", r.base, 1025, 1, &b), DP_ERR_SEG_OVERLAP);
	assert_dp(dp_seg_create("b", r.base, 4096, 1, &b), DP_ERR_SEG_OVERLAP);
	assert_dp(dp_seg_create("b", r.base + 2047, 1, 1, &b), DP_ERR_SEG_OVERLAP);
	/* Adjacent on both sides is fine. */
	assert_ok(dp_seg_create("b", r.base, 1024, 1, &b));
	assert_ok(dp_seg_destroy(b));
	assert_ok(dp_seg_create("b", r.base + 2048, 1024, 1, &b));
	assert_ok(dp_seg_destroy(b));
	/* A destroyed segment's range is free again. */
	assert_ok(dp_seg_destroy(a));
	assert_ok(dp_seg_create("a2", r.base + 1024, 1024, 1, &a));
	assert_ok(dp_seg_destroy(a));
	free(r.raw);
}

Test(seg, alloc_aligns_absolute_addresses_and_bumps)
{
	struct region r = region_new(1024, 3); /* base is 3 past a page boundary */
	struct dp_seg *s;
	void *p1, *p2, *p3;

	assert_ok(dp_seg_create("s", r.base, r.len, 32, &s));
	assert_ok(dp_seg_alloc(s, 10, 8, &p1, NULL));
	cr_assert_eq((uintptr_t)p1, align_up((uintptr_t)r.base, 8));
	cr_assert_eq(seg_used(s), (uintptr_t)p1 + 10 - (uintptr_t)r.base, "plain: no padding");
	assert_ok(dp_seg_alloc(s, 1, 1, &p2, NULL));
	cr_assert_eq((uintptr_t)p2, (uintptr_t)p1 + 10);
	/* HW: aligned to max(align, padding), end rounded to the padding. */
	assert_ok(dp_seg_alloc_hw(s, 20, 8, &p3, NULL));
	cr_assert_eq((uintptr_t)p3 % 32, 0);
	cr_assert_eq((uintptr_t)p3, align_up((uintptr_t)p2 + 1, 32));
	cr_assert_eq(seg_used(s), (uintptr_t)p3 + 32 - (uintptr_t)r.base);
	/* An alignment above the padding wins. */
	assert_ok(dp_seg_alloc_hw(s, 1, 128, &p3, NULL));
	cr_assert_eq((uintptr_t)p3 % 128, 0);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(seg, alloc_rejects_bad_arguments_without_moving)
{
	struct region r = region_new(256, 0);
	struct dp_seg *s;
	void *p = (void *)0x1;
	alignas(64) uint64_t fake[512] = { 0 }; /* aligned as a pool: a foreign handle, not a misaligned one */

	assert_ok(dp_seg_create("s", r.base, r.len, 16, &s));
	assert_dp(dp_seg_alloc(NULL, 8, 8, &p, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_alloc(s, 8, 8, NULL, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_alloc(s, 0, 8, &p, NULL), DP_ERR_INVALID_SIZE);
	assert_dp(dp_seg_alloc(s, 8, 0, &p, NULL), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_alloc(s, 8, 12, &p, NULL), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_alloc_hw(s, 0, 8, &p, NULL), DP_ERR_INVALID_SIZE);
	assert_dp(dp_seg_alloc_hw(s, 8, 3, &p, NULL), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_alloc((struct dp_seg *)fake, 8, 8, &p, NULL), DP_ERR_INVALID_SEG);
	assert_dp(dp_seg_alloc(s, SIZE_MAX, 8, &p, NULL), DP_ERR_SEG_OVERFLOW);
	assert_dp(dp_seg_alloc(s, 8, (size_t)1 << 63, &p, NULL), DP_ERR_SEG_OVERFLOW);
	cr_assert_eq(p, (void *)0x1, "output untouched on error");
	cr_assert_eq(seg_used(s), 0);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(seg, overflow_reports_missing_bytes_exactly)
{
	struct region r = region_new(100, 0); /* base page-aligned */
	struct dp_seg *s;
	size_t missing = 0;
	void *p;

	assert_ok(dp_seg_create("s", r.base, r.len, 32, &s));
	assert_ok(dp_seg_alloc(s, 60, 1, &p, NULL));
	/* 40 bytes left; 50 needed. */
	assert_dp(dp_seg_alloc(s, 50, 1, &p, &missing), DP_ERR_SEG_OVERFLOW);
	cr_assert_eq(missing, 10);
	/* HW: starts at 64, 20 bytes padded to 32 -> ends at 96, fits. */
	assert_ok(dp_seg_alloc_hw(s, 20, 1, &p, &missing));
	cr_assert_eq((uintptr_t)p - (uintptr_t)r.base, 64);
	cr_assert_eq(seg_used(s), 96);
	/* Next HW block would start at 96 and end (padded) at 128: 28 missing. */
	assert_dp(dp_seg_alloc_hw(s, 1, 1, &p, &missing), DP_ERR_SEG_OVERFLOW);
	cr_assert_eq(missing, 28);
	cr_assert_eq(seg_used(s), 96, "a refused allocation moves nothing");
	assert_ok(dp_seg_alloc(s, 4, 1, &p, NULL)); /* plain: exactly the last 4 */
	assert_dp(dp_seg_alloc(s, 1, 1, &p, &missing), DP_ERR_SEG_OVERFLOW);
	cr_assert_eq(missing, 1);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(seg, remaining_is_exact)
{
	struct region r = region_new(1000, 5);
	struct dp_seg *s;
	size_t rem;
	void *p;

	assert_ok(dp_seg_create("s", r.base, r.len, 1, &s));
	assert_ok(dp_seg_remaining(s, 1, &rem));
	cr_assert_eq(rem, 1000);
	assert_ok(dp_seg_remaining(s, 8, &rem));
	cr_assert_eq(rem, (uintptr_t)r.base + 1000 - align_up((uintptr_t)r.base, 8));
	assert_ok(dp_seg_alloc(s, 995, 1, &p, NULL));
	assert_ok(dp_seg_remaining(s, 1, &rem));
	cr_assert_eq(rem, 5);
	assert_ok(dp_seg_remaining(s, 4096, &rem)); /* next 4 KiB boundary is past the end */
	cr_assert_eq(rem, 0);
	assert_dp(dp_seg_remaining(s, 3, &rem), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_remaining(s, 0, &rem), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_remaining(s, 1, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_remaining(NULL, 1, &rem), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_info(NULL, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_info(s, NULL), DP_ERR_NULL_PTR);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(seg, reset_and_destroy_refused_while_pools_exist)
{
	struct region r = region_new(4096, 0);
	struct dp_pool_params prm = params("p", 64, 8, 4, 0, 0);
	struct dp_seg_info info;
	struct dp_seg *s;
	struct dp_pool *pool;
	void *p;

	assert_ok(dp_seg_create("s", r.base, r.len, 1, &s));
	assert_ok(dp_seg_alloc(s, 100, 1, &p, NULL));
	assert_ok(dp_seg_reset(s));
	cr_assert_eq(seg_used(s), 0);
	assert_ok(dp_pool_create(s, &prm, &pool));
	assert_ok(dp_seg_info(s, &info));
	cr_assert_eq(info.pools, 1);
	size_t used = info.used;
	assert_dp(dp_seg_reset(s), DP_ERR_SEG_BUSY);
	assert_dp(dp_seg_destroy(s), DP_ERR_SEG_BUSY);
	cr_assert_eq(seg_used(s), used, "refused reset changes nothing");
	assert_ok(dp_pool_destroy(pool));
	assert_ok(dp_seg_reset(s));
	assert_dp(dp_seg_reset(NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_destroy(NULL), DP_ERR_NULL_PTR);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

struct alloc_arg {
	struct dp_seg *seg;
	void **out;
	size_t n;
};

static void *
alloc_until_full(void *argp)
{
	struct alloc_arg *a = argp;
	void *p;

	while (dp_seg_alloc(a->seg, 16, 16, &p, NULL) == DP_OK)
		a->out[a->n++] = p;
	return NULL;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

/* Concurrent bump allocation: no byte handed out twice, none lost. */
Test(seg, concurrent_allocations_are_disjoint_and_complete)
{
	enum { THREADS = 4, LEN = 1 << 20, N = LEN / 16 };
	struct region r = region_new(LEN, 0);
	struct alloc_arg args[THREADS];
	pthread_t th[THREADS];
	void **all = malloc(N * sizeof(void *));
	struct dp_seg *s;
	size_t total = 0;

	assert_ok(dp_seg_create("s", r.base, r.len, 1, &s));
	for (int i = 0; i < THREADS; i++) {
		args[i] = (struct alloc_arg){ s, malloc(N * sizeof(void *)), 0 };
		pthread_create(&th[i], NULL, alloc_until_full, &args[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		memcpy(all + total, args[i].out, args[i].n * sizeof(void *));
		total += args[i].n;
		free(args[i].out);
	}
	cr_assert_eq(total, N, "every 16-byte slot handed out once: got %zu", total);
	qsort(all, total, sizeof(void *), cmp_ptr);
	for (size_t i = 0; i < total; i++)
		cr_assert_eq((uintptr_t)all[i], (uintptr_t)r.base + 16 * i);
	free(all);
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}
