/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "dynpool" ops refuse, at the store, what is not a free object of the
 * pool: double puts, foreign pointers, pointers into an object. On a real
 * EAL, through DPDK's own put and get (rte_mempool_generic_put/get, mbuf
 * frees), with cache size 0 (every put reaches the store) and with an
 * lcore cache (the flush path), for fixed and elastic pools. What a user
 * checks: the pool's count stays exact, no object is handed out twice, no
 * refused pointer is ever handed out, a legitimate put after refused ones
 * still goes in, and the refusals are counted.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include <rte_launch.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "common.h"
#include "eal.h"
#include "rte_mempool_dynpool.h"

#define N 200

static void
eal_up_quiet(void)
{
	/* The refusals are logged at ERR: keep them, they are the point. */
	eal_up_with("0", "256", NULL);
}

static struct rte_mempool *
fixed_pool(const char *name, unsigned int n, unsigned int cache, const char *ops)
{
	struct rte_mempool *mp =
		rte_pktmbuf_pool_create_by_ops(name, n, cache, 0, 2048, SOCKET_ID_ANY, ops);

	cr_assert_not_null(mp, "%s: %s", name, rte_strerror(rte_errno));
	return mp;
}

static struct dp_mempool_check_stats
refused(const struct rte_mempool *mp)
{
	struct dp_mempool_check_stats st;

	cr_assert_eq(dp_mempool_check_stats(mp, &st), 0);
	return st;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;

	return x < y ? -1 : x > y;
}

/* Empty the pool (caches included, since the test runs on one lcore and
 * every get goes through its cache first): exactly `want` objects come
 * out, all distinct, none of them one of the `bad` pointers; then they go
 * back. */
static void
drain_and_check(struct rte_mempool *mp, unsigned int want, void *const *bad, unsigned int nbad)
{
	static void *objs[8192];
	unsigned int got = 0;

	cr_assert_lt(want, 8192);
	while (got < 8192 && rte_mempool_get(mp, &objs[got]) == 0)
		got++;
	cr_assert_eq(got, want, "%s: %u objects handed out, want %u", mp->name, got, want);
	qsort(objs, got, sizeof(objs[0]), cmp_ptr);
	for (unsigned int i = 1; i < got; i++)
		cr_assert_neq(objs[i], objs[i - 1], "%s: %p handed out twice", mp->name, objs[i]);
	for (unsigned int i = 0; i < got; i++)
		for (unsigned int b = 0; b < nbad; b++)
			cr_assert_neq(objs[i], bad[b], "%s: refused pointer %p handed out", mp->name,
				      bad[b]);
	for (unsigned int i = 0; i < got; i++)
		rte_mempool_put(mp, objs[i]);
	cr_assert_eq(rte_mempool_avail_count(mp), want);
}

/* A double put, a foreign pointer and two pointers into an object, put
 * between legitimate puts; cache 0 (each put is an enqueue) or a cache
 * (then the legitimate puts that follow overflow it, and the flush carries
 * the bad ones to the store; an explicit flush for large caches). */
#define K 64

static void
hostile_puts(struct rte_mempool *mp, unsigned int total)
{
	static char foreign[4096];
	static void *held[K];
	struct dp_mempool_check_stats st;
	void *x, *bad[3];

	cr_assert_eq(refused(mp).checked, 1);
	cr_assert_eq(rte_mempool_get(mp, &x), 0);
	for (unsigned int i = 0; i < K; i++)
		cr_assert_eq(rte_mempool_get(mp, &held[i]), 0);
	bad[0] = &foreign[64];
	bad[1] = (char *)x + 64;     /* inside x */
	bad[2] = (char *)x - 1;      /* in x's header, or the object before */
	rte_mempool_put(mp, x);
	rte_mempool_put(mp, x);      /* the double put */
	for (int i = 0; i < 3; i++)
		rte_mempool_put(mp, bad[i]);
	for (unsigned int i = 0; i < K; i++)
		rte_mempool_put(mp, held[i]);
	rte_mempool_cache_flush(rte_mempool_default_cache(mp, rte_lcore_id()), mp);

	st = refused(mp);
	cr_expect_eq(st.refused_double, 1, "double: %lu", (unsigned long)st.refused_double);
	cr_expect_eq(st.refused_foreign, 1, "foreign: %lu", (unsigned long)st.refused_foreign);
	cr_expect_eq(st.refused_interior, 2, "interior: %lu", (unsigned long)st.refused_interior);
	cr_assert_eq(rte_mempool_avail_count(mp), total, "count exact: %u, want %u",
		     rte_mempool_avail_count(mp), total);
	drain_and_check(mp, total, bad, 3);
}

Test(mempool_checks, fixed_pool_no_cache)
{
	struct rte_mempool *mp;

	eal_up_quiet();
	mp = fixed_pool("nocache", N, 0, DP_MEMPOOL_OPS_NAME);
	hostile_puts(mp, N);
	rte_mempool_free(mp);
}

Test(mempool_checks, fixed_pool_with_cache_flush_path)
{
	struct rte_mempool *mp;

	eal_up_quiet();
	mp = fixed_pool("cached", N, 32, DP_MEMPOOL_OPS_NAME);
	hostile_puts(mp, N);
	rte_mempool_free(mp);
}

/* The old failure: with every object out, refused pointers must not use up
 * the room of the legitimate ones, which all go back in. */
Test(mempool_checks, legitimate_puts_after_refused_ones_still_accepted)
{
	static void *objs[N];
	static char foreign[256];
	struct rte_mempool *mp;

	eal_up_quiet();
	mp = fixed_pool("full", N, 0, DP_MEMPOOL_OPS_NAME);
	cr_assert_eq(rte_mempool_generic_get(mp, objs, N, NULL), 0);
	rte_mempool_generic_put(mp, (void *[]){ foreign, (char *)objs[3] + 8 }, 2, NULL);
	rte_mempool_generic_put(mp, objs, N, NULL);
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert_eq(refused(mp).refused_foreign, 1);
	cr_assert_eq(refused(mp).refused_interior, 1);
	drain_and_check(mp, N, (void *[]){ foreign }, 1);
	rte_mempool_free(mp);
}

/* One burst with good and bad objects mixed: the good ones are stored,
 * only the bad ones dropped. */
Test(mempool_checks, burst_keeps_the_good_objects)
{
	static void *objs[N];
	static char foreign[256];
	struct rte_mempool *mp;
	struct dp_mempool_check_stats st;

	eal_up_quiet();
	mp = fixed_pool("burst", N, 0, DP_MEMPOOL_OPS_NAME);
	cr_assert_eq(rte_mempool_generic_get(mp, objs, 4, NULL), 0);
	rte_mempool_generic_put(mp,
				(void *[]){ objs[0], foreign, objs[1], objs[0], NULL, objs[2],
					    (char *)objs[3] + 1, objs[3] },
				8, NULL);
	st = refused(mp);
	cr_assert_eq(st.refused_double, 1);
	cr_assert_eq(st.refused_foreign, 2, "the static buffer and NULL");
	cr_assert_eq(st.refused_interior, 1);
	cr_assert_eq(rte_mempool_avail_count(mp), N, "all four good objects went back");
	drain_and_check(mp, N, (void *[]){ foreign }, 1);
	rte_mempool_free(mp);
}

/* An object of another mempool (same size, same ops) is foreign here. */
Test(mempool_checks, object_of_another_pool_refused)
{
	struct rte_mempool *a, *b;
	void *x;

	eal_up_quiet();
	a = fixed_pool("a", N, 0, DP_MEMPOOL_OPS_NAME);
	b = fixed_pool("b", N, 0, DP_MEMPOOL_OPS_NAME);
	cr_assert_eq(rte_mempool_get(b, &x), 0);
	rte_mempool_put(a, x);
	cr_assert_eq(refused(a).refused_foreign, 1);
	cr_assert_eq(rte_mempool_avail_count(a), N);
	cr_assert_eq(rte_mempool_avail_count(b), N - 1);
	drain_and_check(a, N, &x, 1);
	rte_mempool_put(b, x);
	cr_assert_eq(rte_mempool_avail_count(b), N);
	rte_mempool_free(a);
	rte_mempool_free(b);
}

/* Chunks added in any address order, with unaligned starts and gaps
 * between pages (4 KiB pages under --no-huge: one mbuf a page, so every
 * object starts a run): every object is recognised, nothing between. */
Test(mempool_checks, many_chunks_in_any_order)
{
	enum { CHUNKS = 6, PER = 5 };
	struct rte_mempool *mp;
	struct rte_mempool_objsz sz;
	uint32_t elt = sizeof(struct rte_mbuf) + 2048;
	size_t total = rte_mempool_calc_obj_size(elt, 0, &sz);

	cr_assert_gt(2 * total, 4096 - 64, "one object a page");
	char *mem[CHUNKS];
	void *gap[CHUNKS];

	eal_up_quiet();
	mp = rte_mempool_create_empty("chunks", CHUNKS * PER, elt, 0,
				      sizeof(struct rte_pktmbuf_pool_private), SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	rte_pktmbuf_pool_init(mp, NULL);
	for (int c = 0; c < CHUNKS; c++) {
		/* PER pages each, starting 64 bytes into a page. */
		mem[c] = rte_malloc(NULL, (PER + 1) * 4096, 4096);
		cr_assert_not_null(mem[c]);
	}
	/* Highest address first, so the table is rebuilt on every add. */
	qsort(mem, CHUNKS, sizeof(mem[0]), cmp_ptr);
	for (int c = CHUNKS - 1; c >= 0; c--) {
		int r = rte_mempool_populate_iova(mp, mem[c] + 64, rte_malloc_virt2iova(mem[c]) + 64,
						  PER * 4096, NULL, NULL);

		/* One object in the first page's rest, one in each full page. */
		cr_assert_eq(r, PER, "chunk %d: %d objects", c, r);
		/* Where the next object would start if objects did not skip
		 * to the next page: inside the chunk, not an object. */
		gap[c] = mem[c] + 4096 + total + sz.header_size;
	}
	cr_assert_eq(refused(mp).checked, 1);
	unsigned int n = mp->populated_size;
	drain_and_check(mp, n, NULL, 0);
	for (int c = 0; c < CHUNKS; c++)
		rte_mempool_put(mp, gap[c]);
	cr_assert_eq(refused(mp).refused_interior + refused(mp).refused_foreign, CHUNKS);
	cr_assert_eq(refused(mp).refused_double, 0);
	drain_and_check(mp, n, gap, CHUNKS);
	rte_mempool_free(mp);
	for (int c = 0; c < CHUNKS; c++)
		rte_free(mem[c]);
}

/* Chunks that continue one another (as DPDK populates a memzone whose
 * pages are not physically contiguous: a chunk per page), then one that
 * starts mid-page right after them. */
Test(mempool_checks, adjacent_chunks)
{
	struct rte_mempool *mp;
	struct rte_mempool_objsz sz;
	uint32_t elt = sizeof(struct rte_mbuf) + 2048;
	size_t total = rte_mempool_calc_obj_size(elt, 0, &sz);
	char *mem;
	void *gap[2];
	int r = 0;

	eal_up_quiet();
	mp = rte_mempool_create_empty("adjacent", 16, elt, 0,
				      sizeof(struct rte_pktmbuf_pool_private), SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	rte_pktmbuf_pool_init(mp, NULL);
	mem = rte_malloc(NULL, 16 * 4096, 4096);
	cr_assert_not_null(mem);
	for (int c = 0; c < 4; c++) /* pages 0-7, two at a time */
		r += rte_mempool_populate_iova(mp, mem + c * 2 * 4096,
					       rte_malloc_virt2iova(mem) + c * 2 * 4096, 2 * 4096,
					       NULL, NULL);
	r += rte_mempool_populate_iova(mp, mem + 8 * 4096 + 1024,
				       rte_malloc_virt2iova(mem) + 8 * 4096 + 1024, 4 * 4096, NULL,
				       NULL);
	cr_assert_eq(r, 12, "%d objects", r);
	gap[0] = mem + 3 * 4096 + total + sz.header_size;
	gap[1] = mem + 8 * 4096 + sz.header_size; /* before the last chunk's start */
	drain_and_check(mp, 12, NULL, 0);
	rte_mempool_put(mp, gap[0]);
	rte_mempool_put(mp, gap[1]);
	cr_assert_eq(refused(mp).refused_interior, 1);
	cr_assert_eq(refused(mp).refused_foreign, 1);
	drain_and_check(mp, 12, gap, 2);
	rte_mempool_free(mp);
	rte_free(mem);
}

/* Elastic pools: the chunks growth adds are checked as well, and growth
 * still works after refusals. */
static void
elastic_case(unsigned int cache)
{
	static const struct dp_elastic_opts o = { .grow_batch = 64,
						  .seg_flags = DP_SEG_F_NORMAL_PAGES };
	static struct rte_mbuf *m[300];
	struct rte_mempool *mp;
	struct dp_elastic_stats es;
	struct dp_mempool_check_stats st;
	unsigned int n = 0;
	void *bad[2];

	eal_up_quiet();
	mp = dp_elastic_pktmbuf_pool_create("el", 64, 512, cache, 0, 2048, SOCKET_ID_ANY, &o);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	while (n < 300 && (m[n] = rte_pktmbuf_alloc(mp)) != NULL)
		n++;
	cr_assert_eq(n, 300, "grew: %u", n);
	bad[0] = m[250];                 /* an mbuf of a grown chunk, freed twice */
	bad[1] = (char *)m[200] + 128;   /* inside a grown chunk's mbuf */
	rte_mempool_put(mp, m[250]);
	rte_mempool_put(mp, m[250]);
	rte_mempool_put(mp, bad[1]);
	rte_mempool_put(mp, m[0]);
	rte_mempool_put(mp, m[0]);
	for (unsigned int i = 1; i < n; i++)
		if (i != 250)
			rte_pktmbuf_free(m[i]);
	rte_mempool_cache_flush(rte_mempool_default_cache(mp, rte_lcore_id()), mp);
	st = refused(mp);
	cr_assert_eq(st.refused_double, 2, "double: %lu", (unsigned long)st.refused_double);
	cr_assert_eq(st.refused_interior, 1);
	cr_assert_eq(dp_elastic_stats(mp, &es), 0);
	cr_assert_eq(rte_mempool_avail_count(mp), es.populated, "%u free of %u populated",
		     rte_mempool_avail_count(mp), es.populated);
	/* Draining grows the pool to its maximum, no further, and no mbuf
	 * comes out twice. */
	drain_and_check(mp, 512, &bad[1], 1);
	cr_assert_eq(refused(mp).refused_double, 2);
	rte_mempool_free(mp);
}

Test(mempool_checks, elastic_pool_no_cache)
{
	elastic_case(0);
}

Test(mempool_checks, elastic_pool_with_cache)
{
	elastic_case(32);
}

/* Gets from another lcore take the oldest objects (the other end of the
 * store): their state is cleared there too, so they go back in, and a
 * second put of one of them is still refused. */
static void *cross[N / 2];

static int
get_half(void *arg)
{
	return rte_mempool_generic_get(arg, cross, N / 2, NULL);
}

Test(mempool_checks, gets_from_another_lcore)
{
	static void *mine[N / 4];
	struct rte_mempool *mp;
	unsigned int worker;

	eal_up_with("0-1", "256", NULL);
	mp = fixed_pool("cross", N, 0, DP_MEMPOOL_OPS_NAME);
	cr_assert_eq(rte_mempool_generic_get(mp, mine, N / 4, NULL), 0);
	rte_mempool_generic_put(mp, mine, N / 4, NULL); /* lcore 0 freed last */
	worker = rte_get_next_lcore(-1, 1, 0);
	cr_assert_eq(rte_eal_remote_launch(get_half, mp, worker), 0);
	cr_assert_eq(rte_eal_wait_lcore(worker), 0);
	rte_mempool_generic_put(mp, cross, N / 2, NULL);
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert_eq(refused(mp).refused_double, 0, "the worker's objects were not free");
	rte_mempool_generic_put(mp, cross, 1, NULL);
	cr_assert_eq(refused(mp).refused_double, 1);
	drain_and_check(mp, N, NULL, 0);
	rte_mempool_free(mp);
}

/* The whole store (n == its capacity) taken and put back in one call each,
 * across the end of the ring, by lcores that alternate (so one takes from
 * the oldest end): every object comes out once, each object's check state
 * follows it to its slot (a second put of any of them is refused) and the
 * count stays exact. */
static void *whole[N];
static unsigned int whole_n;

static int
get_whole_n(void *arg)
{
	return rte_mempool_generic_get(arg, whole, whole_n, NULL);
}

Test(mempool_checks, whole_store_across_the_end)
{
	struct rte_mempool *mp;
	unsigned int worker;

	eal_up_with("0-1", "256", NULL);
	mp = fixed_pool("whole", N, 0, DP_MEMPOOL_OPS_NAME);
	worker = rte_get_next_lcore(-1, 1, 0);
	whole_n = N / 2 + 7; /* lcore 0 populated: the worker takes the oldest */
	cr_assert_eq(rte_eal_remote_launch(get_whole_n, mp, worker), 0);
	cr_assert_eq(rte_eal_wait_lcore(worker), 0);
	rte_mempool_generic_put(mp, whole, whole_n, NULL); /* around the end */
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	whole_n = N; /* all of it, from the middle of the ring */
	cr_assert_eq(rte_eal_remote_launch(get_whole_n, mp, worker), 0);
	cr_assert_eq(rte_eal_wait_lcore(worker), 0);
	cr_assert_eq(rte_mempool_avail_count(mp), 0);
	qsort(whole, N, sizeof(whole[0]), cmp_ptr);
	for (unsigned int i = 1; i < N; i++)
		cr_assert_neq(whole[i], whole[i - 1], "%p handed out twice", whole[i]);
	rte_mempool_generic_put(mp, whole, N, NULL); /* all of it, around the end */
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert_eq(refused(mp).refused_double, 0);
	for (unsigned int i = 0; i < N; i++)
		rte_mempool_generic_put(mp, &whole[i], 1, NULL);
	cr_assert_eq(refused(mp).refused_double, N, "second puts refused: %lu of %u",
		     (unsigned long)refused(mp).refused_double, N);
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	drain_and_check(mp, N, NULL, 0);
	rte_mempool_free(mp);
}

/* More objects than the store's 32-bit positions can address: refused
 * with EINVAL (a store that large could otherwise be allocated on a big
 * machine and would wrap its positions), nothing left behind. */
Test(mempool_checks, size_above_2g_objects_refused)
{
	struct rte_mempool *mp;

	eal_up_quiet();
	mp = rte_mempool_create_empty("huge", (1u << 31) + 1, 8, 0, 0, SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	cr_assert_eq(rte_mempool_populate_default(mp), -EINVAL);
	cr_assert_null(mp->pool_data);
	rte_mempool_free(mp);
}

/* The opt-out (--vdev dynpool,checks=off): same store, nothing checked,
 * nothing counted. */
Test(mempool_checks, checks_off_checks_nothing)
{
	static const char *const off[] = { "--vdev", "dynpool,checks=off", NULL };
	struct rte_mempool *mp;
	struct dp_mempool_check_stats st;
	static void *objs[N];

	eal_up_with("0", "256", off);
	mp = fixed_pool("unchecked", N, 0, DP_MEMPOOL_OPS_NAME);
	cr_assert_eq(dp_mempool_check_stats(mp, &st), 0);
	cr_assert_eq(st.checked, 0);
	cr_assert_eq(rte_mempool_generic_get(mp, objs, N, NULL), 0);
	rte_mempool_generic_put(mp, objs, N, NULL);
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert_eq(dp_mempool_check_stats(mp, &st), 0);
	cr_assert_eq(st.refused_double + st.refused_foreign + st.refused_interior, 0);
	cr_assert_eq(dp_mempool_check_stats(NULL, &st), -EINVAL);
	cr_assert_eq(dp_mempool_check_stats(mp, NULL), -EINVAL);
	rte_mempool_free(mp);
}

/* Checks off, the store's capacity is the only guard left against a
 * double free: a put into a full store is refused whole (-ENOBUFS) and
 * nothing in the store changes (with the checks on, the state byte
 * refuses the same put first). */
Test(mempool_checks, checks_off_put_past_capacity_refused)
{
	static const char *const off[] = { "--vdev", "dynpool,checks=off", NULL };
	struct rte_mempool *mp;
	static void *objs[N];

	eal_up_with("0", "256", off);
	mp = fixed_pool("unchecked_full", N, 0, DP_MEMPOOL_OPS_NAME);
	cr_assert_eq(rte_mempool_generic_get(mp, objs, N, NULL), 0);
	cr_assert_eq(rte_mempool_ops_enqueue_bulk(mp, objs, N), 0);
	cr_assert_eq(rte_mempool_ops_enqueue_bulk(mp, objs, 1), -ENOBUFS, "a put past capacity");
	cr_assert_eq(rte_mempool_ops_enqueue_bulk(mp, &objs[1], 2), -ENOBUFS);
	/* Exactly the N objects, each once (cache 0: one get, one dequeue). */
	drain_and_check(mp, N, NULL, 0);
	rte_mempool_free(mp);
}

static void
highest_two(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	char **top = arg;

	(void)mp;
	(void)idx;
	if ((char *)obj > top[0]) {
		top[1] = top[0];
		top[0] = obj;
	} else if ((char *)obj > top[1]) {
		top[1] = obj;
	}
}

/* Memory with room for more objects than the pool holds (an application
 * populating from its own buffer): the slot just past the last object is
 * inside the chunk but no object of the pool, and a put of it is refused
 * (its index would be one past the state table). */
Test(mempool_checks, slot_past_the_last_object_refused)
{
	struct rte_mempool *mp;
	char *top[2] = { NULL, NULL }, *next;
	size_t len = 2 * (size_t)N * 4096;
	char *buf;

	eal_up_quiet();
	mp = rte_mempool_create_empty("slack", N, 2048, 0, 0, SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	buf = rte_malloc(NULL, len, 4096);
	cr_assert_not_null(buf);
	cr_assert_eq(rte_mempool_populate_iova(mp, buf, rte_malloc_virt2iova(buf), len, NULL, NULL),
		     N, "one chunk, all N objects, room to spare");
	cr_assert_eq(refused(mp).checked, 1);
	rte_mempool_obj_iter(mp, highest_two, top);
	/* The layout's own step: the next object slot, were there one more. */
	next = top[0] + (top[0] - top[1]);
	cr_assert_lt(next + 2048, buf + len, "the slot is inside the chunk");
	rte_mempool_put(mp, next);
	cr_assert_eq(refused(mp).refused_foreign + refused(mp).refused_interior, 1);
	drain_and_check(mp, N, (void *const *)&next, 1);
	rte_mempool_free(mp);
	rte_free(buf);
}

/* A mistyped opt-out (checks=of) applies nothing and says so where the
 * application makes its pool: refused like the elastic ops' pools, not a
 * pool that silently keeps the checks the user meant to turn off. */
Test(mempool_checks, bad_devargs_refuse_dynpool_pools)
{
	static const char *const bad[] = { "--vdev", "dynpool,checks=of", NULL };

	eal_up_with("0", "256", bad);
	cr_assert_null(rte_pktmbuf_pool_create_by_ops("typo", N, 0, 0, 2048, SOCKET_ID_ANY,
						      DP_MEMPOOL_OPS_NAME),
		       "a pool on the dynpool ops under refused devargs");
	cr_assert_eq(rte_errno, EINVAL, "%s", rte_strerror(rte_errno));
	cr_assert_null(rte_mempool_lookup("typo"));
}

Test(mempool_checks, stats_of_another_driver_refused)
{
	struct rte_mempool *mp;
	struct dp_mempool_check_stats st;

	eal_up_quiet();
	mp = fixed_pool("ring", 63, 0, "ring_mp_mc");
	cr_assert_eq(dp_mempool_check_stats(mp, &st), -EINVAL);
	rte_mempool_free(mp);
}

/* On 2 MiB hugepages (PA mode as root, VA otherwise): the page runs of a
 * real hugepage pool, as testpmd would make it. */
Test(mempool_checks, hugepage_pool_as_testpmd_makes_it)
{
	char prefix[64];
	char *argv[] = { "dp-test", "-l", "0", "--no-pci", "--in-memory", "-m", "256",
			 "--file-prefix", prefix, "--no-telemetry", "--log-level", "lib.eal:error",
			 NULL };
	struct rte_mempool *mp;

	snprintf(prefix, sizeof(prefix), "dpchk%d", (int)getpid());
	int ret = eal_init_huge(12, argv);

	cr_assert_geq(ret, 0, "rte_eal_init: %s", rte_strerror(rte_errno));
	mp = rte_pktmbuf_pool_create_by_ops("huge", 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, DP_MEMPOOL_OPS_NAME);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	hostile_puts(mp, 4095);
	rte_mempool_free(mp);
}

/* rte_mempool_populate_default() that runs out of memory part way frees
 * the chunks it populated (rte_mempool_free_memchunks()) and may be called
 * again once memory is back: the retry must populate the whole pool on the
 * checked ops as on any other, and the objects of the first attempt must
 * not linger in the check (their memory went back to the heap). */
static void
populate_retry(const char *ops)
{
	enum { OBJS = 6000, ELT = 1000 };
	struct rte_malloc_socket_stats ms;
	struct rte_mempool *mp;
	void *hog;
	int r;

	mp = rte_mempool_create_empty("retry", OBJS, ELT, 0, 0, SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, ops, NULL), 0);
	/* Leave room for about half the pool. */
	cr_assert_eq(rte_malloc_get_socket_stats(0, &ms), 0);
	hog = rte_malloc("hog", ms.greatest_free_size - (size_t)OBJS * ELT / 2, 0);
	cr_assert_not_null(hog);
	r = rte_mempool_populate_default(mp);
	cr_assert_lt(r, 0, "%s: the first attempt fails for lack of memory (%d)", ops, r);
	cr_assert_eq(mp->populated_size, 0);
	cr_assert_eq(mp->nb_mem_chunks, 0);
	rte_free(hog);
	r = rte_mempool_populate_default(mp);
	cr_assert_eq(r, OBJS, "%s: retry once memory is back: %d (%s)", ops, r,
		     rte_strerror(r < 0 ? -r : 0));
	cr_assert_eq(rte_mempool_avail_count(mp), OBJS);
	drain_and_check(mp, OBJS, NULL, 0);
	cr_assert_eq(refused(mp).refused_double + refused(mp).refused_foreign +
			     refused(mp).refused_interior,
		     0);
	rte_mempool_free(mp);
}

Test(mempool_checks, populate_default_retried_after_failure)
{
	eal_up_with("0", "64", NULL);
	populate_retry(DP_MEMPOOL_OPS_NAME);
}

/* A mempool on the dynpool ops freed before anything populated it (the
 * driver's alloc never ran, pool_data is NULL: DPDK still calls the free
 * op), for a fixed pool and for an elastic pool created with no mbufs. */
Test(mempool_checks, freed_before_any_populate)
{
	struct rte_mempool *mp;

	eal_up_quiet();
	mp = rte_mempool_create_empty("bare", N, 1000, 0, 0, SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	rte_mempool_free(mp);
	mp = dp_elastic_pktmbuf_pool_create("el0", 0, 512, 32, 0, 2048, SOCKET_ID_ANY, NULL);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	rte_mempool_free(mp);
	cr_assert_null(rte_memzone_lookup("dp0_el0"));
	/* The names are free again. */
	mp = dp_elastic_pktmbuf_pool_create("el0", 0, 512, 32, 0, 2048, SOCKET_ID_ANY, NULL);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(dp_elastic_grow(mp, 100), 100);
	rte_mempool_free(mp);
}

/* Every way DPDK lays out a pool's objects: populate_default with and
 * without RTE_MEMPOOL_F_NO_IOVA_CONTIG (no page rule), with
 * RTE_MEMPOOL_F_NO_CACHE_ALIGN (odd strides, 8-byte chunk starts),
 * objects larger than a page, populate_anon (a chunk per 4 KiB page where
 * IOVAs are not contiguous) and populate_virt of hugepage memory with a
 * page size other than the pool's. The checks stay on, every object is
 * recognised, and the hostile puts are refused. */
static void
layout_case(const char *name, unsigned int n, unsigned int elt, unsigned int flags, int how)
{
	struct rte_mempool *mp;
	void *mem = NULL;
	int r;

	mp = rte_mempool_create_empty(name, n, elt, 0, 0, SOCKET_ID_ANY, flags);
	cr_assert_not_null(mp, "%s: %s", name, rte_strerror(rte_errno));
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	if (how == 0) {
		r = rte_mempool_populate_default(mp);
	} else if (how == 1) {
		r = (int)rte_mempool_populate_anon(mp);
	} else {
		size_t len = (size_t)n * (mp->header_size + elt + mp->trailer_size) * 2 + 65536;

		mem = rte_malloc(NULL, len, 4096);
		cr_assert_not_null(mem);
		r = rte_mempool_populate_virt(mp, mem, len, 4096, NULL, NULL);
	}
	cr_assert_eq(r, (int)n, "%s: populated %d of %u", name, r, n);
	cr_log_info("%s: %u objects of %u bytes in %u chunks", name, n,
		    mp->header_size + elt + mp->trailer_size, mp->nb_mem_chunks);
	hostile_puts(mp, n);
	rte_mempool_free(mp);
	rte_free(mem);
}

static void
every_layout(void)
{
	layout_case("default", 3000, 2176, 0, 0);
	layout_case("nocontig", 3000, 2176, RTE_MEMPOOL_F_NO_IOVA_CONTIG, 0);
	layout_case("noalign", 3000, 200, RTE_MEMPOOL_F_NO_CACHE_ALIGN, 0);
	layout_case("noalign_nc", 3000, 200,
		    RTE_MEMPOOL_F_NO_CACHE_ALIGN | RTE_MEMPOOL_F_NO_IOVA_CONTIG, 0);
	layout_case("big", 300, 5000, 0, 0);
	layout_case("anon", 3000, 2176, 0, 1);
	layout_case("anon_odd", 3000, 1000, RTE_MEMPOOL_F_NO_CACHE_ALIGN, 1);
	layout_case("virt4k", 3000, 1000, 0, 2);
}

Test(mempool_checks, every_layout_on_4kb_pages, .timeout = 60)
{
	eal_up_with("0", "256", NULL);
	every_layout();
}

Test(mempool_checks, every_layout_on_2mb_pages_pa, .timeout = 60)
{
	static const char *const pa[] = { "--iova-mode=pa", NULL };

	eal_up_huge("0", pa);
	every_layout();
}

Test(mempool_checks, every_layout_on_2mb_pages_va, .timeout = 60)
{
	static const char *const va[] = { "--iova-mode=va", NULL };

	eal_up_huge("0", va);
	every_layout();
}

/* Several lcores get and put without a cache (every call reaches the
 * store) on an elastic pool that grows under them: growth records chunks
 * while other lcores look objects up, and the state bytes are set and
 * cleared from every lcore. Each lcore also puts one object twice in a
 * burst now and then. Only those second copies are refused: no
 * legitimate object is ever refused or lost, none is handed out twice. */
#define STRESS_MAX 4096

struct stress {
	struct rte_mempool *mp;
	_Atomic unsigned int doubles;
	_Atomic unsigned int go;
};

static int
stress_worker(void *arg)
{
	struct stress *s = arg;
	void *held[1024 + 65], *burst[1024 + 66];
	unsigned int seed = rte_lcore_id() * 7919u + 1, nheld = 0;

	while (atomic_load(&s->go) == 0)
		;
	/* A backlog that deepens (so the pool keeps growing), put back in
	 * bursts from its oldest end. */
	for (unsigned int it = 0; it < 20000; it++) {
		unsigned int n, target = RTE_MIN(it / 20, 900u), k;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % 64;
		if (rte_mempool_generic_get(s->mp, &held[nheld], n, NULL) == 0)
			nheld += n;
		if (nheld <= target)
			continue;
		k = nheld - target;
		if (it % 97 == 0) { /* the same object twice in one burst */
			memcpy(burst, held, k * sizeof(held[0]));
			burst[k] = held[0];
			rte_mempool_generic_put(s->mp, burst, k + 1, NULL);
			atomic_fetch_add(&s->doubles, 1);
		} else {
			rte_mempool_generic_put(s->mp, held, k / 2, NULL);
			rte_mempool_generic_put(s->mp, &held[k / 2], k - k / 2, NULL);
		}
		memmove(held, &held[k], (nheld - k) * sizeof(held[0]));
		nheld -= k;
	}
	rte_mempool_generic_put(s->mp, held, nheld, NULL);
	return 0;
}

Test(mempool_checks, lcores_race_growth_gets_and_puts, .timeout = 120)
{
	static const struct dp_elastic_opts o = { .grow_batch = 32 };
	struct stress s = { 0 };
	struct dp_elastic_stats es;
	struct dp_mempool_check_stats st;
	unsigned int lcore;

	char prefix[64];
	char *argv[] = { "dp-test", "--lcores", "(0-3)@(0-1)", "--no-pci", "--no-huge", "-m", "256",
			 "--no-shconf", "--file-prefix", prefix, "--no-telemetry", "--log-level",
			 "lib.eal:error", NULL };

	/* Four lcores on the CPUs there are (two on CI). */
	snprintf(prefix, sizeof(prefix), "dprace%d", (int)getpid());
	cr_assert_geq(rte_eal_init(13, argv), 0, "%s", rte_strerror(rte_errno));
	cr_assert_eq(rte_lcore_count(), 4);
	s.mp = dp_elastic_pktmbuf_pool_create("race", 32, STRESS_MAX, 0, 0, 1024, SOCKET_ID_ANY,
					      &o);
	cr_assert_not_null(s.mp, "%s", rte_strerror(rte_errno));
	RTE_LCORE_FOREACH_WORKER(lcore)
		cr_assert_eq(rte_eal_remote_launch(stress_worker, &s, lcore), 0);
	atomic_store(&s.go, 1);
	stress_worker(&s);
	rte_eal_mp_wait_lcore();
	st = refused(s.mp);
	cr_assert_eq(dp_elastic_stats(s.mp, &es), 0);
	cr_log_info("race: %u doubles put, %lu refused; populated %u in %lu growths", s.doubles,
		    (unsigned long)st.refused_double, es.populated, (unsigned long)es.grow_events);
	cr_assert_gt(es.grow_events, 0, "grew while the lcores ran");
	cr_assert_eq(st.refused_foreign + st.refused_interior, 0, "legitimate objects refused");
	cr_assert_eq(st.refused_double, s.doubles);
	cr_assert_eq(rte_mempool_avail_count(s.mp), es.populated, "%u free of %u populated",
		     rte_mempool_avail_count(s.mp), es.populated);
	drain_and_check(s.mp, STRESS_MAX, NULL, 0);
	rte_mempool_free(s.mp);
}

/* The check's chunk table cannot grow (DPDK's heap is full): the chunk is
 * populated all the same, the checks turn off (logged), and no empty chunk
 * is left in the mempool's list (DPDK 22.11 to 25.11 take a negative
 * return of the populate op for a count, list the chunk without objects,
 * and populate_default then frees its memzone twice). */
Test(mempool_checks, chunk_table_out_of_memory)
{
	enum { SMALL = 200000 };
	static void *small[SMALL];
	struct rte_malloc_socket_stats ms;
	struct rte_mempool *mp;
	unsigned int n = 0;
	char *mem = aligned_alloc(4096, 32 * 4096);
	void *hog;
	int r;

	eal_up_with("0", "64", NULL);
	cr_assert_not_null(mem);
	mp = rte_mempool_create_empty("tabnomem", 64, 1000, 0, 0, SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, NULL), 0);
	r = rte_mempool_populate_iova(mp, mem + 16 * 4096, RTE_BAD_IOVA, 8 * 4096, NULL, NULL);
	cr_assert_gt(r, 0);
	cr_assert_eq(refused(mp).checked, 1);
	/* Fill the heap, then give back one small element: room for DPDK's
	 * chunk header, none for a chunk table. */
	cr_assert_eq(rte_malloc_get_socket_stats(0, &ms), 0);
	hog = rte_malloc(NULL, ms.greatest_free_size - 65536, 0);
	cr_assert_not_null(hog);
	while (n < SMALL && (small[n] = rte_malloc(NULL, 64, 0)) != NULL)
		n++;
	cr_assert(n > 0 && n < SMALL);
	rte_free(small[--n]);
	/* Below the first chunk: the table is rebuilt. */
	r = rte_mempool_populate_iova(mp, mem, RTE_BAD_IOVA, 8 * 4096, NULL, NULL);
	cr_assert_gt(r, 0, "populated all the same: %d", r);
	cr_assert_eq(mp->nb_mem_chunks, 2);
	cr_assert_eq(refused(mp).checked, 0, "checks off, not a failed populate");
	while (n > 0)
		rte_free(small[--n]);
	rte_free(hog);
	drain_and_check(mp, mp->populated_size, NULL, 0);
	rte_mempool_free(mp);
	free(mem);
}
