/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Faults: the segment running out at every point where a pool grows,
 * metadata allocation failing, a thread that exits with a full cache, a
 * memzone that cannot be reserved. Each must give a clear error or a
 * documented fallback, and leave the pool consistent: audit passes and
 * the counts stay exact.
 */
#include <pthread.h>

#include <rte_memzone.h>

#include "common.h"
#include "eal.h"

/* ASan aborts on an impossible allocation unless told to return NULL,
 * which is what the C library does and what this test is about. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* Deterministic pseudo-random numbers (xorshift), so a failure replays. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define SENTINEL ((void *)0x5e5e5e5e5e5e5e5eull)
#define HELD_MAX 2048

struct run {
	struct dp_pool *pool;
	struct dp_cache *cache; /* NULL: the shared pool directly */
	void *held[HELD_MAX];
	size_t nheld;
	size_t refusals;
};

/*
 * One get of n blocks, checked against what the pool promised: it must
 * succeed when dp_pool_avail() said n were there, and otherwise fail with
 * SEG_OVERFLOW having taken nothing, carved nothing and moved nothing.
 */
static void
checked_get(struct run *r, size_t n, const struct dp_seg *seg)
{
	void *out[64];
	size_t avail, used = seg_used(seg);
	struct dp_pool_stats before = pool_stats(r->pool), after;
	dp_err e;

	assert_ok(dp_pool_avail(r->pool, &avail));
	for (size_t i = 0; i < n; i++)
		out[i] = SENTINEL;
	e = dp_pool_generic_get(r->pool, r->cache, out, n);
	after = pool_stats(r->pool);
	if (e == DP_OK) {
		cr_assert_leq(n, avail, "got %zu blocks when %zu were available", n, avail);
		for (size_t i = 0; i < n; i++)
			r->held[r->nheld++] = out[i];
		cr_assert_eq(after.in_use, before.in_use + n);
		return;
	}
	cr_assert_eq(e, DP_ERR_SEG_OVERFLOW, "get %zu: %s", n, dp_errname(e));
	cr_assert_gt(n, avail, "refused %zu blocks when %zu were available", n, avail);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(out[i], SENTINEL, "a refused get wrote out[%zu]", i);
	cr_assert_eq(after.carved, before.carved, "a refused get carved");
	cr_assert_eq(after.in_use, before.in_use);
	cr_assert_eq(after.free, before.free);
	cr_assert_eq(after.fail_seg_overflow, before.fail_seg_overflow + 1);
	cr_assert_eq(seg_used(seg), used, "a refused get moved the segment");
	assert_audit_ok(r->pool);
	r->refusals++;
}

static void
put_some(struct run *r, uint64_t *s)
{
	size_t n = r->nheld ? 1 + rnd(s) % (r->nheld < 8 ? r->nheld : 8) : 0;

	r->nheld -= n;
	assert_ok(dp_pool_generic_put(r->pool, r->cache, &r->held[r->nheld], n));
}

/*
 * Segments of every length over a range, so that the segment runs out at
 * the initial carve, at the first growth, at later growths and in the
 * middle of a bulk get (free blocks present, too few, no room to carve the
 * rest); with and without a cache in front.
 */
static void
exhaust_everywhere(bool cached, size_t grow_batch)
{
	struct region reg = region_new(8192, 8);
	size_t creates_refused = 0, refusals = 0, runs = 0;
	uint64_t s = 0x9e3779b97f4a7c15ull;

	for (size_t len = 64; len <= 4096; len += 40) {
		struct dp_pool_params prm = params("x", 48, 16, 3, 0, 0);
		struct run r = { 0 };
		struct dp_seg *seg;
		dp_err e;

		prm.grow_batch = grow_batch;
		assert_ok(dp_seg_create("s", reg.base, len, 1, &seg));
		e = dp_pool_create(seg, &prm, &r.pool);
		if (e != DP_OK) {
			cr_assert_eq(e, DP_ERR_SEG_OVERFLOW, "len %zu: %s", len, dp_errname(e));
			cr_assert_eq(seg_used(seg), 0, "a refused create carved");
			creates_refused++;
			assert_ok(dp_seg_destroy(seg));
			continue;
		}
		if (cached)
			assert_ok(dp_cache_create(r.pool, 4, &r.cache));
		for (int step = 0; r.refusals < 6 && step < 400; step++) {
			if (rnd(&s) % 4 == 0)
				put_some(&r, &s);
			else
				checked_get(&r, 1 + rnd(&s) % 9, seg);
		}
		cr_assert_gt(r.refusals, 0, "len %zu: the segment never ran out", len);
		while (r.nheld > 0)
			put_some(&r, &s);
		if (r.cache != NULL)
			assert_ok(dp_cache_destroy(r.pool, r.cache));
		struct dp_pool_stats st = pool_stats(r.pool);
		cr_assert_eq(st.in_use, 0);
		cr_assert_eq(st.free, st.carved, "every block came back");
		assert_audit_ok(r.pool);
		refusals += r.refusals;
		runs++;
		assert_ok(dp_pool_destroy(r.pool));
		assert_ok(dp_seg_destroy(seg));
	}
	cr_assert_gt(creates_refused, 0, "some segments were too small for the initial blocks");
	cr_log_info("%zu runs, %zu refused creates, %zu refused gets", runs, creates_refused,
		    refusals);
	free(reg.raw);
}

Test(faults, segment_exhaustion_at_every_growth_point)
{
	exhaust_everywhere(false, 1);
	exhaust_everywhere(false, 5);
	exhaust_everywhere(false, 0);
}

Test(faults, segment_exhaustion_behind_a_cache)
{
	exhaust_everywhere(true, 1);
	exhaust_everywhere(true, 0);
}

/*
 * Metadata that cannot be allocated: a pool with 1-byte blocks (8-byte
 * footprint) on a 64 TiB segment would need 8 TiB of state bytes. The
 * segment is address space
 * nobody maps (valgrind would not map that much): a pool with no initial
 * blocks never touches its segment's memory, blocks holding no links. The
 * create must fail with NO_MEMORY and leave the segment as it was.
 */
Test(faults, metadata_allocation_failure)
{
	struct dp_pool_params prm = params("huge", 1, 1, 0, 0, 0);
	void *nowhere = (void *)((uintptr_t)1 << 45);
	struct dp_seg_info info;
	struct dp_seg *seg;
	struct dp_pool *p;

	assert_ok(dp_seg_create("tera", nowhere, (size_t)1 << 46, 1, &seg));
	assert_dp(dp_pool_create(seg, &prm, &p), DP_ERR_NO_MEMORY);
	assert_ok(dp_seg_info(seg, &info));
	cr_assert_eq(info.used, 0);
	cr_assert_eq(info.pools, 0, "the refused pool did not stay attached");
	assert_ok(dp_seg_destroy(seg));
}

/*
 * A thread fills its lcore cache and exits. The blocks are not lost: the
 * counts show them cached, the audit finds them, and a drain from another
 * thread returns them. The next thread to take that lcore id finds them in
 * its cache and carves nothing.
 */
struct exiting {
	struct dp_pool *pool;
	unsigned int lcore;
	size_t n;
	size_t carved_after;
};

/* Register, get and put x->n blocks through the lcore cache, and exit
 * without draining it. The first such thread records its lcore id; a later
 * one checks it was given the same id and how much the pool had carved
 * while it held the blocks. */
static void *
use_cache_and_exit(void *arg)
{
	struct exiting *x = arg;
	void *blk[64];

	if (rte_thread_register() != 0)
		return (void *)1;
	if (x->lcore == LCORE_ID_ANY)
		x->lcore = rte_lcore_id();
	else if (rte_lcore_id() != x->lcore)
		return (void *)3; /* the test's premise: ids are reused */
	if (dp_pool_get_bulk(x->pool, blk, x->n) != DP_OK)
		return (void *)2;
	x->carved_after = pool_stats(x->pool).carved;
	if (dp_pool_put_bulk(x->pool, blk, x->n) != DP_OK)
		return (void *)2;
	rte_thread_unregister(); /* no drain: the cache keeps its blocks */
	return NULL;
}

Test(faults, thread_exits_with_a_full_cache)
{
	struct seg_fixture f;
	struct dp_pool_params prm = params("c", 64, 8, 0, 0, 0);
	struct exiting x = { .n = 12, .lcore = LCORE_ID_ANY };
	struct dp_pool_stats st;
	pthread_t th;
	void *ret;

	eal_up();
	f = seg_fixture(1 << 16, 0, 64);
	prm.cache_size = 16;
	assert_ok(dp_pool_create(f.seg, &prm, &x.pool));
	pthread_create(&th, NULL, use_cache_and_exit, &x);
	pthread_join(th, &ret);
	cr_assert_null(ret, "thread failed: %p", ret);
	st = pool_stats(x.pool);
	cr_assert_eq(st.in_use, 0, "the exited thread's blocks are not counted as in use");
	cr_assert_geq(st.in_caches, x.n, "they sit in its cache");
	assert_audit_ok(x.pool);

	size_t carved = st.carved;
	pthread_create(&th, NULL, use_cache_and_exit, &x);
	pthread_join(th, &ret);
	cr_assert_null(ret, "second thread failed: %p", ret);
	cr_assert_eq(x.carved_after, carved, "the new owner of the lcore id used its cache");

	assert_ok(dp_pool_cache_drain(x.pool, x.lcore));
	st = pool_stats(x.pool);
	cr_assert_eq(st.in_caches, 0, "drained from another thread");
	cr_assert_eq(st.free, st.carved);
	assert_audit_ok(x.pool);
	assert_ok(dp_pool_destroy(x.pool));
	seg_fixture_done(&f);
}

/* A user cache abandoned by its thread is flushed by whoever holds it. */
static void *
fill_user_cache(void *arg)
{
	struct dp_cache **c = arg;
	struct dp_pool *pool = (*c)->pool;
	void *blk[8];

	if (dp_pool_generic_get(pool, *c, blk, 8) != DP_OK ||
	    dp_pool_generic_put(pool, *c, blk, 8) != DP_OK)
		return (void *)1;
	return NULL;
}

Test(faults, thread_exits_holding_a_user_cache)
{
	struct seg_fixture f = seg_fixture(1 << 16, 0, 64);
	struct dp_pool_params prm = params("u", 64, 8, 0, 0, 0);
	struct dp_pool *p;
	struct dp_cache *c;
	pthread_t th;
	void *ret;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_cache_create(p, 8, &c));
	pthread_create(&th, NULL, fill_user_cache, &c);
	pthread_join(th, &ret);
	cr_assert_null(ret);
	cr_assert_geq(pool_stats(p).in_caches, 8);
	assert_audit_ok(p);
	assert_ok(dp_cache_destroy(p, c));
	struct dp_pool_stats st = pool_stats(p);
	cr_assert_eq(st.in_caches, 0);
	cr_assert_eq(st.free, st.carved);
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

static void
count_zone(const struct rte_memzone *mz, void *arg)
{
	(void)mz;
	(*(unsigned int *)arg)++;
}

/* A memzone larger than EAL's memory: SYSTEM, no memzone left behind,
 * and the name stays free for a segment that fits. */
Test(faults, memzone_reservation_failure)
{
	unsigned int zones_before = 0, zones_after = 0;
	struct dp_seg *seg;

	eal_up();
	rte_memzone_walk(count_zone, &zones_before);
	assert_dp(dp_seg_create_memzone("mzfail", (size_t)1 << 30, SOCKET_ID_ANY, 64, &seg),
		  DP_ERR_SYSTEM);
	rte_memzone_walk(count_zone, &zones_after);
	cr_assert_eq(zones_after, zones_before, "nothing reserved by the failed create");
	assert_dp(dp_seg_lookup_memzone("mzfail", &seg), DP_ERR_NOT_FOUND);
	assert_ok(dp_seg_create_memzone("mzfail", 1 << 20, SOCKET_ID_ANY, 64, &seg));
	assert_ok(dp_seg_destroy(seg));
}

/*
 * A buffer overrun from packet data into free blocks. Allocators that keep
 * free-list links inside free blocks hand out a wild pointer after this
 * (hence safe-linking in glibc); dynpool keeps its free lists outside the
 * blocks, so the same overrun (every byte of every block, free or cached,
 * overwritten) leaves the allocator intact: every get returns a distinct
 * block start, the audit passes, and nothing is lost.
 */
Test(faults, overrun_into_free_blocks_cannot_corrupt_the_pool)
{
	struct seg_fixture f = seg_fixture(1 << 16, 8, 64);
	struct dp_pool_params prm = params("o", 96, 32, 64, 0, DP_POOL_F_HW);
	struct dp_pool *p;
	struct dp_cache *c;
	void *blk[64], *seen[64];

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_cache_create(p, 16, &c));
	assert_ok(dp_pool_generic_get(p, c, blk, 64));
	assert_ok(dp_pool_generic_put(p, c, blk, 40)); /* 40 free: some cached, some shared */
	/* Overwrite everything the pool carved, as a runaway memcpy would. */
	memset(f.r.base, 0xa5, seg_used(f.seg));
	assert_audit_ok(p);
	assert_ok(dp_pool_generic_get(p, c, seen, 40));
	for (int i = 0; i < 40; i++) {
		uint64_t iova;

		assert_ok(dp_pool_iova(p, seen[i], &iova)); /* a block start of this pool */
		for (int j = 0; j < i; j++)
			cr_assert_neq(seen[i], seen[j], "block %d handed out twice", i);
		for (int j = 40; j < 64; j++)
			cr_assert_neq(seen[i], blk[j], "a block still held was handed out");
	}
	assert_ok(dp_pool_generic_put(p, c, seen, 40));
	assert_ok(dp_pool_generic_put(p, c, blk + 40, 24));
	assert_ok(dp_cache_destroy(p, c));
	struct dp_pool_stats st = pool_stats(p);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.free, st.carved);
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}
