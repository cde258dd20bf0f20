/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Elastic pools and memory, on a real EAL (each test its own process):
 * teardown never grows a pool and gives all of its memory back, with mbufs
 * left in an lcore cache and in a ring (issue 10, item 1); a pool reaches
 * its maximum in PA and VA mode on 2 MiB pages and on 4 KiB pages, or is
 * refused at creation, and its stats say why growth stopped (item 3);
 * elastic mbufs are DPDK memory: known to rte_memseg, with the IOVA EAL
 * gives their page (item 2, this process's side).
 *
 * Memory is measured for this process only (/proc/self/smaps_rollup and
 * DPDK's memseg walk), never system-wide: other processes use hugepages
 * at the same time.
 */
#include <inttypes.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "common.h"
#include "dp_rte_compat.h"
#include "eal.h"
#include "rte_mempool_dynpool.h"

/* Hugetlb kB mapped by this process. */
static long
huge_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[128];
	long kb, total = 0;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Shared_Hugetlb: %ld", &kb) == 1 ||
		    sscanf(line, "Private_Hugetlb: %ld", &kb) == 1)
			total += kb;
	fclose(f);
	return total;
}

static int
add_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	if (!msl->external)
		*(size_t *)arg += ms->len;
	return 0;
}

/* Bytes of DPDK memory this process has mapped. */
static size_t
dpdk_bytes(void)
{
	size_t n = 0;

	rte_memseg_walk(add_seg, &n);
	return n;
}

static void
count_own(const struct rte_memzone *mz, void *arg)
{
	const char *pool = ((const char **)arg)[0];
	const char *us = strchr(mz->name, '_');

	if (strncmp(mz->name, "dp", 2) == 0 && us != NULL && strcmp(us + 1, pool) == 0)
		++*(unsigned int *)((void **)arg)[1];
}

/* Memzones of the pool's own memory still reserved. */
static unsigned int
own_memzones(const char *pool)
{
	unsigned int n = 0;
	void *arg[2] = { (void *)pool, &n };

	rte_memzone_walk(count_own, arg);
	return n;
}

static unsigned int alloc_events;

static void
on_mem_event(enum rte_mem_event ev, const void *addr, size_t len, void *arg)
{
	(void)addr;
	(void)len;
	(void)arg;
	if (ev == RTE_MEM_EVENT_ALLOC)
		alloc_events++;
}

/* Mbufs out of the shared pool: `in_ring` in a ring, the rest freed
 * through lcore 0's cache, so that a few stay in the cache. */
static void
leave_mbufs_out(struct rte_mempool *mp, unsigned int n, struct rte_ring *r, unsigned int in_ring)
{
	struct rte_mbuf **m = calloc(n, sizeof(*m));

	cr_assert_not_null(m);
	cr_assert_eq(rte_pktmbuf_alloc_bulk(mp, m, n), 0, "the pool grows to %u", n);
	cr_assert_eq(rte_ring_enqueue_bulk(r, (void **)m, in_ring, NULL), in_ring);
	for (unsigned int i = in_ring; i < n; i++)
		rte_pktmbuf_free(m[i]);
	free(m);
	cr_assert_gt(rte_mempool_default_cache(mp, rte_lcore_id())->len, 0,
		     "mbufs left in lcore %u's cache", rte_lcore_id());
}

Test(teardown, own_memory_all_back_and_no_growth, .timeout = 60)
{
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	struct rte_ring *r;
	long kb0, kb1;
	size_t b0, b1;

	eal_up_huge("0", NULL);
	r = rte_ring_create("left", 1024, SOCKET_ID_ANY, 0); /* before measuring */
	cr_assert_not_null(r);
	kb0 = huge_kb();
	b0 = dpdk_bytes();
	mp = dp_elastic_pktmbuf_pool_create("td", 256, 20000, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, NULL);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	leave_mbufs_out(mp, 3000, r, 500);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_lt(st.populated, 20000);
	cr_assert_gt(huge_kb(), kb0, "the pool's memory is hugepages of this process");
	cr_log_info("teardown: populated %u of 20000, %u memzones, %zu bytes; process hugetlb "
		    "%ld kB -> %ld kB", st.populated, st.memzones, st.seg_committed, kb0, huge_kb());

	cr_assert_eq(rte_mem_event_callback_register("td", on_mem_event, NULL), 0);
	rte_mempool_free(mp);
	cr_assert_eq(rte_mem_event_callback_unregister("td", NULL), 0);
	kb1 = huge_kb();
	b1 = dpdk_bytes();
	cr_assert_eq(alloc_events, 0, "freeing the pool mapped %u more pages: it grew",
		     alloc_events);
	cr_assert_eq(own_memzones("td"), 0, "every memzone of the pool is freed");
	cr_assert_leq(kb1, kb0, "hugepages of this process back to %ld kB, not %ld kB", kb0, kb1);
	cr_assert_leq(b1, b0, "DPDK memory back to %zu bytes, not %zu", b0, b1);
	rte_ring_free(r); /* holds pointers into the freed pool: never read */
}

Test(teardown, user_segment_nothing_more_carved, .timeout = 60)
{
	struct dp_seg_info before, after;
	struct dp_elastic_opts o = { 0 };
	struct rte_mempool *mp;
	struct rte_ring *r;

	eal_up_huge("0", NULL);
	assert_ok(dp_seg_create_huge("useg", 256u << 20, -1, RTE_CACHE_LINE_SIZE,
				     DP_SEG_F_ON_DEMAND, &o.seg));
	mp = dp_elastic_pktmbuf_pool_create("tu", 64, 100000, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, &o);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	r = rte_ring_create("left", 1024, SOCKET_ID_ANY, 0);
	cr_assert_not_null(r);
	leave_mbufs_out(mp, 600, r, 33);
	assert_ok(dp_seg_info(o.seg, &before));
	rte_mempool_free(mp);
	assert_ok(dp_seg_info(o.seg, &after));
	cr_log_info("user segment: used %zu -> %zu, committed %zu -> %zu bytes", before.used,
		    after.used, before.committed, after.committed);
	cr_assert_eq(after.used, before.used, "freeing carved %zu more bytes",
		     after.used - before.used);
	cr_assert_eq(after.committed, before.committed, "freeing committed %zu more bytes",
		     after.committed - before.committed);
	rte_ring_free(r);
	assert_ok(dp_seg_destroy(o.seg));
}

/* Gets until the pool is dry: every mbuf is DPDK memory with its page's
 * IOVA, and there are exactly `maximum` of them. */
static void
reaches_maximum(unsigned int maximum, unsigned int batch)
{
	/* NORMAL_PAGES: what the own segment was on a 4 KiB-page EAL before
	 * memzones (ignored now). */
	struct dp_elastic_opts o = { .grow_batch = batch,
				     .seg_flags = rte_eal_has_hugepages() ? 0 : DP_SEG_F_NORMAL_PAGES };
	struct rte_mbuf **m = calloc(maximum + 1, sizeof(*m));
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	unsigned int n = 0, bad_iova = 0, not_dpdk = 0;
	uint64_t refused;

	cr_assert_not_null(m);
	mp = dp_elastic_pktmbuf_pool_create("cap", 0, maximum, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, &o);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	while (n <= maximum && (m[n] = rte_pktmbuf_alloc(mp)) != NULL) {
		if (rte_mem_virt2memseg(m[n]->buf_addr, NULL) == NULL)
			not_dpdk++;
		else if (rte_mbuf_iova_get(m[n]) != rte_mem_virt2iova(m[n]->buf_addr))
			bad_iova++;
		n++;
	}
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_log_info("%s, %s pages, batch %u: %u of %u mbufs, %u memzones, %zu bytes, growth: %s",
		    rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA",
		    rte_eal_has_hugepages() ? "2 MiB" : "4 KiB", batch, n, maximum, st.memzones,
		    st.seg_committed, dp_elastic_stop_str(st.stop));
	cr_assert_eq(n, maximum, "got %u of %u mbufs (growth: %s)", n, maximum,
		     dp_elastic_stop_str(st.stop));
	cr_assert_eq(st.populated, maximum);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_MAXIMUM, "growth: %s", dp_elastic_stop_str(st.stop));
	cr_assert_eq(st.available + st.in_use, st.populated);
	/* The get that found it dry was refused and counted; so is the next. */
	cr_assert_geq(st.refused_gets, 1);
	refused = st.refused_gets;
	cr_assert_null(rte_pktmbuf_alloc(mp));
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_gt(st.refused_gets, refused, "refused gets %" PRIu64 " after %" PRIu64,
		     st.refused_gets, refused);
	cr_assert_eq(not_dpdk, 0, "%u mbufs outside DPDK memory", not_dpdk);
	cr_assert_eq(bad_iova, 0, "%u mbufs with an IOVA EAL does not give their page", bad_iova);
	rte_pktmbuf_free_bulk(m, n);
	cr_assert_eq(rte_mempool_avail_count(mp), maximum);
	rte_mempool_free(mp);
	free(m);
}

Test(capacity, maximum_in_pa_mode_on_2mb_pages, .timeout = 60)
{
	static const char *const pa[] = { "--iova-mode=pa", NULL };

	eal_up_huge("0", pa);
	cr_assert_eq(rte_eal_iova_mode(), RTE_IOVA_PA);
	reaches_maximum(20000, 0);
}

Test(capacity, maximum_in_pa_mode_with_batches_of_512, .timeout = 60)
{
	static const char *const pa[] = { "--iova-mode=pa", NULL };

	eal_up_huge("0", pa);
	reaches_maximum(20000, 512);
}

Test(capacity, maximum_in_va_mode_on_2mb_pages, .timeout = 60)
{
	static const char *const va[] = { "--iova-mode=va", NULL };

	eal_up_huge("0", va);
	cr_assert_eq(rte_eal_iova_mode(), RTE_IOVA_VA);
	reaches_maximum(20000, 0);
}

Test(capacity, maximum_on_4kb_pages, .timeout = 60)
{
	eal_up_with("0", "256", NULL);
	reaches_maximum(20000, 0);
}

Test(capacity, refused_when_eal_memory_cannot_hold_the_maximum)
{
	eal_up_with("0", "64", NULL); /* 20,000 mbufs take 80 MiB on 4 KiB pages */
	cr_assert_null(dp_elastic_pktmbuf_pool_create("big", 0, 20000, 0, 0,
						      RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
						      NULL));
	cr_assert_eq(rte_errno, ENOMEM);
	cr_assert_null(rte_mempool_lookup("big"), "nothing left behind");
	cr_assert_eq(own_memzones("big"), 0);
	/* What fits is accepted. */
	struct rte_mempool *mp = dp_elastic_pktmbuf_pool_create("fits", 0, 8000, 0, 0,
								RTE_MBUF_DEFAULT_BUF_SIZE,
								SOCKET_ID_ANY, NULL);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(dp_elastic_grow(mp, 8000), 8000);
	rte_mempool_free(mp);
}

Test(capacity, stats_say_no_memory)
{
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	void *hog;

	eal_up_with("0", "128", NULL);
	mp = dp_elastic_pktmbuf_pool_create("nm", 0, 20000, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY,
					    &(struct dp_elastic_opts){ .grow_batch = 1000 });
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(dp_elastic_grow(mp, 1000), 1000);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_GROWING);
	/* Someone else takes the rest of -m. */
	struct rte_malloc_socket_stats ms;
	cr_assert_eq(rte_malloc_get_socket_stats(0, &ms), 0);
	hog = rte_malloc("hog", ms.greatest_free_size - 65536, 0);
	cr_assert_not_null(hog);
	cr_assert_lt(dp_elastic_grow(mp, 19000), 19000);
	while (dp_elastic_grow(mp, 1000) > 0)
		;
	cr_assert_eq(dp_elastic_grow(mp, 1000), -ENOMEM);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_NO_MEMORY, "growth: %s", dp_elastic_stop_str(st.stop));
	cr_assert_gt(st.grow_failures, 0);
	rte_free(hog);
	cr_assert_gt(dp_elastic_grow(mp, 1000), 0, "grows again once memory is back");
	rte_mempool_free(mp);
}

Test(capacity, stats_say_segment_full)
{
	struct dp_elastic_opts o = { 0 };
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	int r;

	eal_up_with("0", "64", NULL);
	assert_ok(dp_seg_create_memzone("small", 1u << 20, SOCKET_ID_ANY, RTE_CACHE_LINE_SIZE,
					&o.seg));
	mp = dp_elastic_pktmbuf_pool_create("sf", 16, 10000, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, &o);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	while ((r = dp_elastic_grow(mp, 64)) > 0)
		;
	cr_assert_eq(r, -ENOMEM);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_SEGMENT_FULL, "growth: %s",
		     dp_elastic_stop_str(st.stop));
	cr_assert_gt(st.populated, 16);
	cr_assert_lt(st.populated, (1u << 20) / 2048);
	rte_mempool_free(mp);
	assert_ok(dp_seg_destroy(o.seg));
}

static void
count_all(const struct rte_memzone *mz, void *arg)
{
	(void)mz;
	++*(unsigned int *)arg;
}

/* Reserve memzones until `leave` are left of EAL's limit. */
static void
fill_memzones(const struct rte_memzone **mz, unsigned int *n, unsigned int leave)
{
	unsigned int total = 0;

	rte_memzone_walk(count_all, &total);
	for (; total + leave < rte_memzone_max_get(); total++, ++*n) {
		char name[RTE_MEMZONE_NAMESIZE];

		snprintf(name, sizeof(name), "fill%u", *n);
		mz[*n] = rte_memzone_reserve(name, 64, SOCKET_ID_ANY, 0);
		cr_assert_not_null(mz[*n], "%s: %s", name, rte_strerror(rte_errno));
	}
}

Test(capacity, memzone_limit_refused_at_creation_and_reported, .timeout = 60)
{
	const struct rte_memzone **mz;
	struct dp_elastic_opts o = { .grow_batch = 64 };
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	unsigned int n = 0;
	int r;

	eal_up_with("0", "256", NULL);
	mz = calloc(rte_memzone_max_get(), sizeof(*mz));
	cr_assert_not_null(mz);
	/* Needs 9 memzones: 66 pages, twice that ... up to 64 MiB, the rest. */
	fill_memzones(mz, &n, 4);
	cr_assert_null(dp_elastic_pktmbuf_pool_create("mzl", 0, 20000, 0, 0,
						      RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
						      &o));
	cr_assert_eq(rte_errno, ENOSPC);
	cr_assert_null(rte_mempool_lookup("mzl"));
	while (n > 0)
		rte_memzone_free(mz[--n]);
	mp = dp_elastic_pktmbuf_pool_create("mzl", 0, 20000, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, &o);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(dp_elastic_grow(mp, 64), 64);
	fill_memzones(mz, &n, 0); /* others take every memzone left */
	/* What is left of the first memzone, then no memzone for more. */
	while ((r = dp_elastic_grow(mp, 1000)) > 0)
		;
	cr_assert_eq(r, -ENOSPC);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_MEMZONE_LIMIT, "growth: %s",
		     dp_elastic_stop_str(st.stop));
	cr_assert_lt(st.populated, 128, "the first memzone's mbufs only: %u", st.populated);
	rte_mempool_free(mp);
	while (n > 0)
		rte_memzone_free(mz[--n]);
	free(mz);
}

/* A memzone someone else named as the pool's next chunk would be does not
 * stop growth (it used to: ENOMEM at creation, "no memory" in the stats). */
Test(capacity, memzone_name_taken_by_another)
{
	const struct rte_memzone *theirs[2];
	struct dp_elastic_stats st;
	struct rte_mempool *mp;

	eal_up_with("0", "256", NULL);
	theirs[0] = rte_memzone_reserve("dp0_nt", 64, SOCKET_ID_ANY, 0);
	theirs[1] = rte_memzone_reserve("dp1_nt", 64, SOCKET_ID_ANY, 0);
	cr_assert(theirs[0] != NULL && theirs[1] != NULL);
	mp = dp_elastic_pktmbuf_pool_create("nt", 64, 2000, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY, &(struct dp_elastic_opts){ .grow_batch = 64 });
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(dp_elastic_grow(mp, 2000 - 64), 2000 - 64);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_MAXIMUM, "growth: %s", dp_elastic_stop_str(st.stop));
	rte_mempool_free(mp);
	cr_assert_eq(own_memzones("nt"), 2, "only the other owner's memzones are left");
	cr_assert_eq(rte_memzone_lookup("dp0_nt"), theirs[0]);
	cr_assert_eq(rte_memzone_lookup("dp1_nt"), theirs[1]);
}
