/* SPDX-License-Identifier: Apache-2.0 */
/* Caches: lcore caches (EAL), user caches, refill/flush amounts, drains. */
#include <pthread.h>

#include <rte_malloc.h>

#include "common.h"
#include "dp_meta.h"
#include "eal.h"

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

struct fixture {
	struct region r;
	struct dp_seg *seg;
	struct dp_pool *pool;
};

static struct fixture
fixture(size_t init, size_t max, unsigned int cache_size, unsigned int flags)
{
	struct fixture f;
	struct dp_pool_params prm = params("cached", 64, 64, init, max, flags);

	prm.cache_size = cache_size;
	f.r = region_new(4 << 20, 0);
	assert_ok(dp_seg_create("seg", f.r.base, f.r.len, 64, &f.seg));
	assert_ok(dp_pool_create(f.seg, &prm, &f.pool));
	return f;
}

static void
fixture_done(struct fixture *f)
{
	assert_audit_ok(f->pool);
	assert_ok(dp_pool_destroy(f->pool));
	assert_ok(dp_seg_destroy(f->seg));
	free(f->r.raw);
}

Test(cache, without_eal_every_thread_goes_to_the_shared_pool)
{
	struct fixture f = fixture(64, 0, 32, 0);
	void *b[16];

	cr_assert_eq(rte_lcore_id(), LCORE_ID_ANY);
	assert_ok(dp_pool_get_bulk(f.pool, b, 16));
	assert_ok(dp_pool_put_bulk(f.pool, b, 8));
	struct dp_pool_stats st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 0);
	cr_assert_eq(st.in_use, 8);
	assert_dp(dp_pool_cache_drain(f.pool, 0), DP_OK); /* lcore 0's cache is empty */
	assert_ok(dp_pool_put_bulk(f.pool, b + 8, 8));
	fixture_done(&f);
}

Test(cache, user_cache_refills_to_size_and_flushes_down_to_size)
{
	struct fixture f = fixture(0, 0, 0, 0);
	struct dp_cache *c;
	void *b[40];

	assert_ok(dp_cache_create(f.pool, 8, &c));
	assert_ok(dp_pool_generic_get(f.pool, c, b, 3));
	struct dp_pool_stats st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 8, "refilled to size after serving 3");
	cr_assert_eq(st.in_use, 3);
	assert_ok(dp_pool_generic_get(f.pool, c, b + 3, 8)); /* hit */
	cr_assert_eq(pool_stats(f.pool).in_caches, 0);
	assert_ok(dp_pool_generic_get(f.pool, c, b + 11, 5)); /* miss: refill 8 + 5 */
	cr_assert_eq(pool_stats(f.pool).in_caches, 8);
	/* Puts: up to flush_at (16) stay cached; the next one moves a cache's
	 * worth (8), the newest, back to the shared pool. */
	assert_ok(dp_pool_generic_put(f.pool, c, b, 8));
	cr_assert_eq(pool_stats(f.pool).in_caches, 16);
	size_t shared_before = pool_stats(f.pool).free - 16;
	assert_ok(dp_pool_generic_put(f.pool, c, b + 8, 1));
	st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 9);
	cr_assert_eq(st.free - st.in_caches, shared_before + 8, "8 went back");
	/* b[1..8] left; b[0], freed just before them, is the next one out. */
	void *again;
	assert_ok(dp_pool_generic_get(f.pool, c, &again, 1));
	cr_assert_eq(again, b[0]);
	assert_ok(dp_pool_generic_put(f.pool, c, &again, 1));
	assert_ok(dp_pool_generic_put(f.pool, c, b + 9, 7));
	assert_ok(dp_cache_flush(f.pool, c));
	cr_assert_eq(pool_stats(f.pool).in_caches, 0);
	/* A request above the cache size bypasses it. */
	assert_ok(dp_pool_generic_get(f.pool, c, b, 20));
	cr_assert_eq(pool_stats(f.pool).in_caches, 0);
	assert_ok(dp_pool_generic_put(f.pool, c, b, 20));
	assert_audit_ok(f.pool);
	cr_assert_eq(pool_stats(f.pool).in_use, 0);
	assert_ok(dp_cache_destroy(f.pool, c));
	fixture_done(&f);
}

Test(cache, user_cache_argument_errors)
{
	struct fixture f = fixture(16, 0, 0, 0);
	struct fixture g = fixture(16, 0, 0, 0);
	struct dp_cache *c, *other;
	void *b;

	assert_dp(dp_cache_create(f.pool, 0, &c), DP_ERR_INVALID_SIZE);
	assert_dp(dp_cache_create(f.pool, DP_CACHE_MAX + 1, &c), DP_ERR_INVALID_SIZE);
	assert_dp(dp_cache_create(f.pool, 8, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_cache_create(NULL, 8, &c), DP_ERR_NULL_PTR);
	assert_ok(dp_cache_create(f.pool, 8, &c));
	assert_ok(dp_cache_create(g.pool, 8, &other));
	assert_dp(dp_pool_generic_get(g.pool, c, &b, 1), DP_ERR_INVALID_CACHE);
	assert_ok(dp_pool_generic_get(f.pool, c, &b, 1));
	assert_dp(dp_pool_generic_put(g.pool, c, &b, 1), DP_ERR_INVALID_CACHE);
	assert_dp(dp_pool_generic_put(f.pool, c, NULL, 1), DP_ERR_NULL_PTR);
	assert_dp(dp_pool_generic_get(f.pool, c, NULL, 1), DP_ERR_NULL_PTR);
	assert_dp(dp_cache_flush(g.pool, c), DP_ERR_INVALID_CACHE);
	assert_dp(dp_cache_flush(f.pool, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_cache_destroy(g.pool, c), DP_ERR_INVALID_CACHE);
	assert_ok(dp_pool_generic_put(f.pool, c, &b, 1));
	assert_ok(dp_pool_generic_get(f.pool, NULL, &b, 1)); /* NULL cache: uncached */
	assert_ok(dp_pool_generic_put(f.pool, NULL, &b, 1));
	assert_ok(dp_cache_destroy(g.pool, other));
	/* A pool destroyed with a user cache left frees it too. */
	fixture_done(&g);
	fixture_done(&f);
}

Test(cache, checks_stay_on_through_the_cache)
{
	struct fixture f = fixture(4, 4, 0, 0);
	struct dp_cache *c;
	void *a, *b, *pair[2];
	int x;

	assert_ok(dp_cache_create(f.pool, 8, &c));
	assert_ok(dp_pool_generic_get(f.pool, c, &a, 1));
	assert_ok(dp_pool_generic_get(f.pool, c, &b, 1));
	assert_dp(dp_pool_generic_put(f.pool, c, (void **)&(void *){ &x }, 1), DP_ERR_NOT_IN_POOL);
	assert_dp(dp_pool_generic_put(f.pool, c, (void **)&(void *){ (char *)a + 1 }, 1),
		  DP_ERR_NOT_BLOCK_START);
	pair[0] = a;
	pair[1] = a;
	assert_dp(dp_pool_generic_put(f.pool, c, pair, 2), DP_ERR_DOUBLE_FREE);
	assert_ok(dp_pool_generic_put(f.pool, c, &a, 1));
	assert_dp(dp_pool_generic_put(f.pool, c, &a, 1), DP_ERR_DOUBLE_FREE);
	assert_ok(dp_pool_generic_put(f.pool, c, &b, 1));
	/* Limited pool, nothing handed out: full, even through a cache. */
	assert_dp(dp_pool_generic_put(f.pool, c, &b, 1), DP_ERR_POOL_FULL);
	struct dp_pool_stats st = pool_stats(f.pool);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.fail_double_free, 2);
	cr_assert_eq(st.fail_pool_full, 1);
	/* The limit holds with the cache: 4 blocks, then empty. */
	void *four[5];
	assert_ok(dp_pool_generic_get(f.pool, c, four, 4));
	assert_dp(dp_pool_generic_get(f.pool, c, &four[4], 1), DP_ERR_POOL_EMPTY);
	assert_ok(dp_pool_generic_put(f.pool, c, four, 4));
	assert_ok(dp_cache_destroy(f.pool, c));
	fixture_done(&f);
}

Test(cache, lcore_cache_with_eal_and_drain)
{
	struct fixture f;
	struct dp_pool *nocache;
	void *b[64];

	eal_up();
	f = fixture(0, 0, 32, 0);
	cr_assert_eq(rte_lcore_id(), 0);
	assert_ok(dp_pool_get_bulk(f.pool, b, 10));
	struct dp_pool_stats st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 32, "main lcore's cache refilled to its size");
	assert_ok(dp_pool_put_bulk(f.pool, b, 10));
	cr_assert_eq(pool_stats(f.pool).in_caches, 42);
	assert_ok(dp_pool_cache_drain(f.pool, rte_lcore_id()));
	st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 0);
	cr_assert_eq(st.free, st.carved);
	assert_dp(dp_pool_cache_drain(f.pool, DP_MAX_LCORE), DP_ERR_INVALID_LCORE);
	assert_dp(dp_pool_cache_drain(NULL, 0), DP_ERR_NULL_PTR);
	struct dp_pool_params prm = params("nocache", 64, 64, 4, 0, 0);
	assert_ok(dp_pool_create(f.seg, &prm, &nocache));
	assert_dp(dp_pool_cache_drain(nocache, 0), DP_ERR_INVALID_LCORE);
	assert_ok(dp_pool_cache_drain_all(f.pool));
	assert_ok(dp_pool_destroy(nocache));
	fixture_done(&f);
}

/* A registered thread that fills its lcore cache and leaves without a
 * drain: dp_pool_cache_drain_all() must empty that cache and the main
 * lcore's, every block back in the shared stack. */
static void *
fill_and_leave(void *arg)
{
	struct dp_pool *p = arg;
	void *b[20];

	if (rte_thread_register() != 0 || rte_lcore_id() == LCORE_ID_ANY)
		return (void *)1;
	if (dp_pool_get_bulk(p, b, 20) != DP_OK || dp_pool_put_bulk(p, b, 20) != DP_OK)
		return (void *)2;
	rte_thread_unregister();
	return NULL;
}

Test(cache, drain_all_empties_every_lcore_cache)
{
	struct fixture f;
	pthread_t th;
	void *ret, *b[20];

	eal_up();
	f = fixture(0, 0, 32, 0);
	assert_ok(dp_pool_get_bulk(f.pool, b, 20));
	assert_ok(dp_pool_put_bulk(f.pool, b, 20));
	pthread_create(&th, NULL, fill_and_leave, f.pool);
	pthread_join(th, &ret);
	cr_assert_null(ret, "thread failed at step %p", ret);
	struct dp_pool_stats st = pool_stats(f.pool);
	/* Each of the two caches holds at least the 20 blocks put back. */
	cr_assert_geq(st.in_caches, 40, "in caches before: %zu", st.in_caches);
	cr_assert_eq(st.in_use, 0);
	assert_ok(dp_pool_cache_drain_all(f.pool));
	st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 0);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.free, st.carved);
	struct dp_pool_audit a;
	assert_ok(dp_pool_audit(f.pool, &a));
	cr_assert_eq(a.in_caches, 0);
	cr_assert_eq(a.free_listed, st.carved, "every block in the shared pool");
	fixture_done(&f);
}

static void *
registered_thread(void *arg)
{
	struct dp_pool *p = arg;
	struct dp_pool_stats st;
	void *b[8];
	unsigned int id;

	if (rte_thread_register() != 0)
		return (void *)1;
	id = rte_lcore_id();
	if (id == LCORE_ID_ANY || dp_pool_get_bulk(p, b, 8) != DP_OK ||
	    dp_pool_put_bulk(p, b, 8) != DP_OK)
		return (void *)2;
	/* This thread's cache now holds at least the 8 blocks it put back
	 * (without a cache they would be in the shared stack)... */
	if (dp_pool_stats(p, &st) != DP_OK || st.in_caches < 8)
		return (void *)4;
	/* ...give them back before leaving. */
	if (dp_pool_cache_drain(p, id) != DP_OK)
		return (void *)3;
	rte_thread_unregister();
	return NULL;
}

Test(cache, registered_non_eal_thread_gets_a_cache)
{
	struct fixture f;
	pthread_t th;
	void *ret;

	eal_up();
	f = fixture(0, 0, 16, 0);
	pthread_create(&th, NULL, registered_thread, f.pool);
	pthread_join(th, &ret);
	cr_assert_null(ret, "thread failed at step %p", ret);
	struct dp_pool_stats st = pool_stats(f.pool);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.in_caches, 0);
	cr_assert_geq(st.carved, 16 + 8);
	fixture_done(&f);
}

/* A cache whose size is the pool's trades whole magazines with the shared
 * pool: a flush hands one over, another cache's refill takes it back. */
Test(cache, magazines_move_between_caches)
{
	struct fixture f = fixture(0, 0, 8, 0);
	struct dp_cache *a, *b;
	void *blk[24], *again[8];

	assert_ok(dp_cache_create(f.pool, 8, &a));
	assert_ok(dp_cache_create(f.pool, 8, &b));
	assert_ok(dp_pool_generic_get(f.pool, NULL, blk, 24)); /* uncached: carve 24 */
	assert_ok(dp_pool_generic_put(f.pool, a, blk, 8));
	assert_ok(dp_pool_generic_put(f.pool, a, blk + 8, 8));
	cr_assert_eq(pool_stats(f.pool).in_caches, 16);
	assert_ok(dp_pool_generic_put(f.pool, a, blk + 16, 1)); /* 17 > 16: one magazine out */
	struct dp_pool_stats st = pool_stats(f.pool);
	cr_assert_eq(st.in_caches, 9);
	cr_assert_eq(st.in_use, 7);
	assert_audit_ok(f.pool);
	/* b misses and takes that magazine: the 8 newest blocks of a. */
	assert_ok(dp_pool_generic_get(f.pool, b, again, 8));
	void *newest[8];
	memcpy(newest, blk + 9, sizeof(newest));
	qsort(newest, 8, sizeof(void *), cmp_ptr);
	qsort(again, 8, sizeof(void *), cmp_ptr);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(again[i], newest[i], "block %d", i);
	cr_assert_eq(pool_stats(f.pool).in_caches, 9);
	assert_ok(dp_pool_generic_put(f.pool, b, again, 8));
	assert_ok(dp_pool_generic_put(f.pool, NULL, blk + 17, 7));
	assert_ok(dp_cache_destroy(f.pool, a));
	assert_ok(dp_cache_destroy(f.pool, b));
	st = pool_stats(f.pool);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.free, st.carved);
	fixture_done(&f);
}

/*
 * A tracked cache keeps each block's state index beside it, and a get
 * from the cache marks by that index alone. Every way blocks enter a
 * cache must therefore leave the right index: a put (inline, and past
 * the inline burst), a put that overflows (magazine, or the shared pool
 * for a cache of another size), a refill from a magazine or from the
 * shared pool, growth into chunks that are not the pool's first (the
 * segment hands out memory between them). Random bursts through three caches and none;
 * after each step the audit compares every cached index with its block's,
 * and every get and put must succeed: a wrong index marks another block,
 * whose own put is then refused as a double free.
 */
Test(cache, tracked_cache_keeps_each_blocks_index_on_every_path)
{
	struct dp_pool_params prm = params("idx", 64, 64, 8, DP_POOL_UNLIMITED, 0);
	struct seg_fixture sf = seg_fixture(8 << 20, 0, 64);
	static void *held[2048];
	struct dp_pool *p;
	struct dp_cache *cs[3];
	size_t nheld = 0, carved = 0;
	const size_t bursts[] = { 1, 3, 8, 9, 33, 70 };
	uint64_t rng = 0x9e3779b97f4a7c15ull;

	prm.cache_size = 8;
	assert_ok(dp_pool_create(sf.seg, &prm, &p));
	assert_ok(dp_cache_create(p, 8, &cs[0]));   /* trades magazines */
	assert_ok(dp_cache_create(p, 128, &cs[1])); /* flushes to the shared pool; takes 70 at once */
	assert_ok(dp_cache_create(p, 4, &cs[2]));
	for (int step = 0; step < 600; step++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		struct dp_cache *c = (rng >> 33) % 4 < 3 ? cs[(rng >> 33) % 4] : NULL;
		size_t n = bursts[(rng >> 40) % 6];

		if (p->carved != carved) { /* p's next carve: a chunk of its own */
			void *wedge;

			assert_ok(dp_seg_alloc(sf.seg, 64, 64, &wedge, NULL));
			carved = p->carved;
		}
		if (((rng >> 50) & 1) && nheld + n <= 2048) {
			dp_err e = dp_pool_generic_get(p, c, held + nheld, n);

			cr_assert_eq(e, DP_OK, "step %d: get %zu: %s", step, n, dp_errname(e));
			nheld += n;
		} else if (nheld > 0) {
			n = n < nheld ? n : nheld;
			/* Any n of the held blocks, not the last got: a block
			 * put back into the slot it came from would find its
			 * old index still there. */
			for (size_t j = 0; j < n; j++) {
				size_t a = nheld - 1 - j, b = (size_t)(rng >> (j % 32)) % nheld;
				void *t = held[a];

				held[a] = held[b];
				held[b] = t;
			}
			nheld -= n;
			dp_err e = dp_pool_generic_put(p, c, held + nheld, n);

			cr_assert_eq(e, DP_OK, "step %d: put %zu: %s", step, n, dp_errname(e));
		}
		assert_audit_ok(p);
	}
	cr_assert_gt(p->map.tab->n, 3, "blocks in several chunks (%zu)", (size_t)p->map.tab->n);
	while (nheld > 0) {
		size_t n = nheld < 33 ? nheld : 33;

		nheld -= n;
		assert_ok(dp_pool_generic_put(p, cs[nheld % 3], held + nheld, n));
	}
	/* Everything back: any block got out of each cache and put again
	 * is taken; the same block twice is not. */
	for (int i = 0; i < 3; i++) {
		void *b;

		assert_ok(dp_pool_generic_get(p, cs[i], &b, 1));
		assert_ok(dp_pool_generic_put(p, cs[i], &b, 1));
		assert_dp(dp_pool_generic_put(p, cs[i], &b, 1), DP_ERR_DOUBLE_FREE);
	}
	assert_audit_ok(p);
	cr_assert_eq(pool_stats(p).in_use, 0);
	for (int i = 0; i < 3; i++)
		assert_ok(dp_cache_destroy(p, cs[i]));
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&sf);
}

static size_t
dpdk_heap_used(void)
{
	struct rte_malloc_socket_stats s;

	cr_assert_eq(rte_malloc_get_socket_stats((int)rte_socket_id(), &s), 0);
	return s.heap_allocsz_bytes;
}

Test(cache, lcore_cache_is_made_by_its_lcore_on_first_use)
{
	struct fixture f;
	size_t before, created, used;
	void *b[4];

	eal_up();
	before = dpdk_heap_used();
	f = fixture(0, 0, 32, 0);
	created = dpdk_heap_used();
	cr_assert_eq(created, before, "no cache memory before an lcore uses the pool");
	cr_assert_eq(f.pool->hot_dpdk, !DP_META_SANITIZED, "caches on DPDK's heap (C heap under sanitizers)");
	cr_assert_null(f.pool->lcache[0]);
	assert_ok(dp_pool_cache_drain(f.pool, 1)); /* never used: nothing to drain */
	assert_ok(dp_pool_get_bulk(f.pool, b, 4));
	used = dpdk_heap_used();
	cr_assert_not_null(f.pool->lcache[0], "the main lcore made its cache");
	cr_assert_null(f.pool->lcache[1]);
	/* One cache of 32: 3 x 32 pointers, as many indices (the pool is
	 * tracked) and a header, on DPDK's heap. */
	if (!DP_META_SANITIZED)
		cr_assert(used > created && used - created < 4096, "cache took %zu bytes",
			  used - created);
	cr_assert_eq(pool_stats(f.pool).in_caches, 32);
	assert_ok(dp_pool_put_bulk(f.pool, b, 4));
	fixture_done(&f);
	cr_assert_eq(dpdk_heap_used(), before, "destroy gave every cache back");
}

/* An lcore's first call on a pool can be a put: it makes the cache and
 * puts into it through the slow path with no flush after, so the indices
 * that path writes are the ones the next cached get marks by. */
Test(cache, first_call_a_put_leaves_the_indices_a_get_marks_by)
{
	struct fixture f;
	void *b[5], *again[5];

	eal_up();
	f = fixture(0, 0, 8, 0);
	assert_ok(dp_pool_generic_get(f.pool, NULL, b, 5)); /* no cache: none made */
	cr_assert_null(f.pool->lcache[0]);
	assert_ok(dp_pool_put_bulk(f.pool, b, 5));
	cr_assert_not_null(f.pool->lcache[0], "the put made the cache");
	cr_assert_eq(pool_stats(f.pool).in_caches, 5, "and left its blocks there");
	assert_audit_ok(f.pool);
	assert_ok(dp_pool_get_bulk(f.pool, again, 5)); /* a hit: marked by the cached indices */
	assert_audit_ok(f.pool);
	assert_ok(dp_pool_put_bulk(f.pool, again, 5));
	fixture_done(&f);
}
