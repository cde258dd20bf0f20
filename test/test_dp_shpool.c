/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared pool's ordering rule (lib/dp_shpool.h), which the native
 * pools and the mempool driver's store both follow: an lcore gets back
 * what it put itself last newest first, another lcore's puts oldest first.
 * A take of n hands over the newest (or oldest) n as a run, in the order
 * they were put, as one copy.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "dp_shpool.h"

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
