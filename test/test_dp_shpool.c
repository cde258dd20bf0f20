/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared pool's ordering rule (lib/dp_shpool.h), which the native
 * pools and the mempool driver's store both follow: an lcore gets back
 * what it put itself last newest first, another lcore's puts oldest first.
 * A take of n hands over the newest (or oldest) n as a run, in the order
 * they were put, as one copy.
 */
#include <pthread.h>
#include <string.h>

#include <criterion/criterion.h>

#include "common.h"
#include "dp_shpool.h"
#include "eal.h"

#define CAP 8u

static void *slots[CAP];
static struct dp_shpool q;
static char blk[16];

static void
setup(void)
{
	dp_shpool_init(&q, slots, CAP);
}

/* blk + i for i in [from, from + n): distinct, recognisable pointers. */
static void
put_run(unsigned int from, unsigned int n, uint32_t owner)
{
	void *objs[2 * CAP];

	for (unsigned int i = 0; i < n; i++)
		objs[i] = &blk[from + i];
	dp_shpool_put(&q, objs, n, owner);
}

static void
expect_take(uint32_t who, const int *want, unsigned int n)
{
	void *got[2 * CAP];
	uint32_t from = dp_shpool_take(&q, got, n, who);

	for (unsigned int i = 0; i < n; i++) {
		cr_expect_eq((char *)got[i] - blk, want[i], "lcore %u, entry %u: got %td, want %d",
			     who, i, (char *)got[i] - blk, want[i]);
		/* Taken in slot order from the position returned (the driver
		 * clears its check state by these positions). */
		cr_expect_eq(q.slot[(from + i) % q.cap], got[i]);
	}
}

TestSuite(shpool, .init = setup);

Test(shpool, own_puts_come_back_newest_first)
{
	put_run(0, 4, 1);
	expect_take(1, (int[]){ 2, 3 }, 2);
	cr_expect_eq(dp_shpool_count(&q), 2);
	expect_take(1, (int[]){ 0, 1 }, 2);
}

Test(shpool, another_lcores_puts_come_back_oldest_first)
{
	put_run(0, 4, 1);
	expect_take(2, (int[]){ 0, 1 }, 2);
	expect_take(2, (int[]){ 2, 3 }, 2);
	cr_expect_eq(dp_shpool_count(&q), 0);
}

/* Only the lcore that put last counts as the owner of what is there. */
Test(shpool, own_means_the_lcore_that_put_last)
{
	put_run(0, 2, 1);
	put_run(2, 1, 2);
	expect_take(1, (int[]){ 0 }, 1);
	expect_take(2, (int[]){ 1, 2 }, 2);
}

/* Entries nobody put (a pool's fresh blocks) keep the order they were laid
 * in: newest first for every lcore. */
Test(shpool, nobodys_entries_come_back_newest_first_to_everyone)
{
	put_run(0, 3, DP_SHPOOL_NOBODY);
	expect_take(5, (int[]){ 2 }, 1);
	expect_take(7, (int[]){ 1 }, 1);
}

Test(shpool, the_rule_holds_across_the_end_of_the_ring)
{
	put_run(0, 6, 1);
	expect_take(2, (int[]){ 0, 1, 2, 3, 4 }, 5); /* head now at 5 */
	put_run(6, 5, 1);                              /* 5 .. 10 wrap */
	cr_expect_eq(dp_shpool_count(&q), 6);
	expect_take(1, (int[]){ 8, 9, 10 }, 3);
	expect_take(3, (int[]){ 5, 6, 7 }, 3);
}

Test(shpool, growing_keeps_the_order_of_wrapped_entries)
{
	static void *big[2 * CAP];

	put_run(0, 6, 1);
	expect_take(2, (int[]){ 0, 1, 2, 3 }, 4);
	put_run(6, 5, 1); /* entries 4 .. 10, wrapped */
	memcpy(big, slots, sizeof(slots));
	dp_shpool_resized(&q, big, 2 * CAP);
	cr_expect_eq(q.cap, 2 * CAP);
	put_run(11, 2, 1);
	expect_take(3, (int[]){ 4, 5, 6, 7, 8, 9, 10, 11, 12 }, 9);
}

/* ---- the rule through a native pool (uncached), with real lcore ids ---- */

static void *
put_from_another_lcore(void *arg)
{
	void **b = arg;
	struct dp_pool *p = b[4];

	if (rte_thread_register() != 0 || rte_lcore_id() == LCORE_ID_ANY)
		return (void *)1;
	if (dp_pool_put_bulk(p, b, 4) != DP_OK)
		return (void *)2;
	rte_thread_unregister();
	return NULL;
}

Test(shpool_in_a_pool, another_lcores_frees_oldest_first_own_newest_first)
{
	struct dp_pool_params prm = params("order", 64, 64, 4, 4, 0);
	struct region r;
	struct dp_seg *seg;
	struct dp_pool *p;
	void *b[5], *got[2], *ret;
	pthread_t t;

	eal_up();
	r = region_new(1 << 20, 0);
	assert_ok(dp_seg_create("seg", r.base, r.len, 64, &seg));
	assert_ok(dp_pool_create(seg, &prm, &p)); /* no cache: the shared pool serves */
	assert_ok(dp_pool_get_bulk(p, b, 4));
	b[4] = p;
	cr_assert_eq(pthread_create(&t, NULL, put_from_another_lcore, b), 0);
	cr_assert_eq(pthread_join(t, &ret), 0);
	cr_assert_null(ret, "the other lcore's put failed (%p)", ret);

	/* Lcore 0 did not put last: the oldest of the other lcore's frees. */
	assert_ok(dp_pool_get_bulk(p, got, 2));
	cr_expect(got[0] == b[0] && got[1] == b[1], "want the oldest two (%p %p), got %p %p", b[0],
		  b[1], got[0], got[1]);
	/* Its own frees come back newest first. */
	assert_ok(dp_pool_put_bulk(p, got, 2));
	assert_ok(dp_pool_get_bulk(p, got, 1));
	cr_expect_eq(got[0], b[1], "want its own newest (%p), got %p", b[1], got[0]);
	assert_ok(dp_pool_put_bulk(p, got, 1));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(seg));
	free(r.raw);
}

/* ---- wrap-around and growth through a real pool ---- */

static void *
put_n_from_another_lcore(void *arg)
{
	void **a = arg;
	struct dp_pool *p = a[0];
	size_t n = (size_t)(uintptr_t)a[1];

	if (rte_thread_register() != 0 || rte_lcore_id() == LCORE_ID_ANY)
		return (void *)1;
	if (dp_pool_put_bulk(p, &a[2], n) != DP_OK)
		return (void *)2;
	rte_thread_unregister();
	return NULL;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;

	return x < y ? -1 : x > y;
}

/*
 * The shared pool exactly full and wrapped (another lcore's frees taken
 * oldest first moved its head; the taker's own frees then went around the
 * end) when a get larger than it makes the pool grow: the slot array is
 * reallocated and unwrapped under the lock. Every block must come out
 * exactly once, the counts stay exact and the audit agrees.
 */
Test(shpool_in_a_pool, full_wrapped_ring_survives_growth)
{
	enum { N = 16, MORE = 20 };
	struct dp_pool_params prm = params("wrapgrow", 64, 64, N, 0, 0);
	struct region r;
	struct dp_seg *seg;
	struct dp_pool *p;
	void *a[2 + N], *got[2 * N], *ret;
	struct dp_pool_stats s;
	size_t got_n;
	pthread_t t;

	eal_up();
	prm.grow_batch = 8;
	r = region_new(1 << 20, 0);
	assert_ok(dp_seg_create("seg", r.base, r.len, 64, &seg));
	assert_ok(dp_pool_create(seg, &prm, &p)); /* no cache: the shared pool serves */
	assert_ok(dp_pool_get_bulk(p, &a[2], N));
	a[0] = p;
	a[1] = (void *)(uintptr_t)N;
	cr_assert_eq(pthread_create(&t, NULL, put_n_from_another_lcore, a), 0);
	cr_assert_eq(pthread_join(t, &ret), 0);
	cr_assert_null(ret, "the other lcore's put failed (%p)", ret);
	assert_ok(dp_pool_get_bulk(p, got, 10)); /* oldest 10: head moves to 10 */
	assert_ok(dp_pool_put_bulk(p, got, 10)); /* own: wraps, ring full */
	assert_audit_ok(p);
	assert_ok(dp_pool_stats(p, &s));
	cr_assert_eq(s.carved, N);
	cr_assert_eq(s.free, N);

	assert_ok(dp_pool_get_bulk(p, got, MORE)); /* grows with the ring wrapped */
	assert_ok(dp_pool_stats(p, &s));
	cr_assert_eq(s.in_use, MORE);
	cr_assert_leq(s.carved, 2 * N);
	assert_audit_ok(p);
	/* The rest too: every carved block exactly once, the old ones among them. */
	got_n = s.carved < 2 * N ? s.carved : 2 * N; /* asserted above */
	assert_ok(dp_pool_get_bulk(p, &got[MORE], got_n - MORE));
	qsort(got, got_n, sizeof(void *), cmp_ptr);
	for (size_t i = 1; i < got_n; i++)
		cr_assert_neq(got[i - 1], got[i], "a block handed out twice: %p", got[i]);
	for (int i = 0; i < N; i++)
		cr_assert_not_null(bsearch(&a[2 + i], got, got_n, sizeof(void *), cmp_ptr),
				   "block %p lost in the growth", a[2 + i]);
	assert_ok(dp_pool_stats(p, &s));
	cr_assert_eq(s.free, 0);
	assert_ok(dp_pool_put_bulk(p, got, got_n));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(seg));
	free(r.raw);
}
