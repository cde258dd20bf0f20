/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "dynpool" mempool ops and elastic mbuf pools, on a real EAL with
 * net_null ports: the ops contract DPDK relies on (exact counts, all or
 * nothing dequeues up to a full cache refill), elastic growth under
 * traffic, mbufs initialised exactly as rte_pktmbuf_pool_create() does,
 * and the maximum.
 */
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "common.h"
#include "eal.h"
#include "rte_mempool_dynpool.h"

static void
eal_up_ports(void)
{
	static const char *const vdev[] = { "--vdev", "net_null0", NULL };

	eal_up_with("0-1", "512", vdev);
}

static const struct dp_elastic_opts test_opts = { .seg_flags = DP_SEG_F_NORMAL_PAGES };

Test(mempool_ops, contract_counts_and_all_or_nothing)
{
	struct rte_mempool *mp;
	void *objs[1100];

	eal_up_ports();
	mp = rte_pktmbuf_pool_create_by_ops("plain", 1000, 0, 0, 2048, SOCKET_ID_ANY,
					     DP_MEMPOOL_OPS_NAME);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_str_eq(rte_mempool_get_ops(mp->ops_index)->name, "dynpool");
	cr_assert_eq(rte_mempool_avail_count(mp), 1000);
	/* A cache refill can ask for up to 1024 at once: all or nothing. */
	objs[0] = (void *)0x1;
	cr_assert_lt(rte_mempool_generic_get(mp, objs, 1001, NULL), 0);
	cr_assert_eq(objs[0], (void *)0x1, "a failed dequeue leaves the table alone");
	cr_assert_eq(rte_mempool_avail_count(mp), 1000, "and takes nothing");
	cr_assert_eq(rte_mempool_generic_get(mp, objs, 1000, NULL), 0);
	cr_assert_eq(rte_mempool_avail_count(mp), 0);
	cr_assert_eq(rte_mempool_in_use_count(mp), 1000);
	rte_mempool_generic_put(mp, objs, 1000, NULL);
	cr_assert_eq(rte_mempool_avail_count(mp), 1000);
	cr_assert_eq(rte_mempool_get_bulk(mp, objs, 512), 0);
	rte_mempool_put_bulk(mp, objs, 512);
	cr_assert_eq(rte_mempool_avail_count(mp), 1000);
	rte_mempool_free(mp);
}

Test(mempool_ops, with_caches_counts_stay_exact)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m[64];

	eal_up_ports();
	mp = rte_pktmbuf_pool_create_by_ops("cached", 4095, 256, 0, 2048, SOCKET_ID_ANY,
					     DP_MEMPOOL_OPS_NAME);
	cr_assert_not_null(mp);
	for (int r = 0; r < 100; r++) {
		cr_assert_eq(rte_pktmbuf_alloc_bulk(mp, m, 64), 0);
		rte_pktmbuf_free_bulk(m, 64);
	}
	cr_assert_eq(rte_mempool_avail_count(mp), 4095);
	rte_mempool_free(mp);
}

/* The store is double-ended (doc/user-guide.md): an lcore gets its own
 * frees back newest first (warm in its caches), another lcore gets the
 * oldest first. */
static void *remote_got;

static int
get_one(void *arg)
{
	return rte_mempool_generic_get(arg, &remote_got, 1, NULL);
}

Test(mempool_ops, own_frees_newest_first_others_oldest_first)
{
	struct rte_mempool *mp;
	void *objs[64], *o;

	eal_up_ports();
	mp = rte_pktmbuf_pool_create_by_ops("order", 64, 0, 0, 2048, SOCKET_ID_ANY,
					     DP_MEMPOOL_OPS_NAME);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(rte_mempool_generic_get(mp, objs, 64, NULL), 0);
	rte_mempool_generic_put(mp, &objs[0], 1, NULL);
	rte_mempool_generic_put(mp, &objs[1], 1, NULL);
	cr_assert_eq(rte_mempool_generic_get(mp, &o, 1, NULL), 0);
	cr_assert_eq(o, objs[1], "own lcore: the newest free first");
	rte_mempool_generic_put(mp, &o, 1, NULL);
	cr_assert_eq(rte_eal_remote_launch(get_one, mp, 1), 0);
	cr_assert_eq(rte_eal_wait_lcore(1), 0);
	cr_assert_eq(remote_got, objs[0], "another lcore: the oldest free first");
	rte_mempool_generic_put(mp, &remote_got, 1, NULL);
	rte_mempool_generic_put(mp, &objs[2], 62, NULL);
	cr_assert_eq(rte_mempool_avail_count(mp), 64);
	rte_mempool_free(mp);
}

/* A full store refuses one object more (a double free: the store's checks
 * count it) and keeps its count; the high watermark counts objects out,
 * not free ones. */
Test(mempool_ops, full_store_refuses_more_and_watermark_counts_out)
{
	struct rte_mempool *mp;
	struct dp_elastic_stats st;
	struct dp_mempool_check_stats cs;
	struct rte_mbuf *m[10];
	void *objs[64], *extra;

	eal_up_ports();
	mp = rte_pktmbuf_pool_create_by_ops("full", 64, 0, 0, 2048, SOCKET_ID_ANY,
					     DP_MEMPOOL_OPS_NAME);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_eq(rte_mempool_generic_get(mp, objs, 64, NULL), 0);
	extra = objs[63];
	rte_mempool_generic_put(mp, objs, 64, NULL);
	cr_assert_eq(rte_mempool_avail_count(mp), 64);
	rte_mempool_ops_enqueue_bulk(mp, &extra, 1);
	cr_assert_eq(rte_mempool_avail_count(mp), 64, "a 65th object accepted");
	cr_assert_eq(dp_mempool_check_stats(mp, &cs), 0);
	cr_assert_eq(cs.refused_double, 1);
	rte_mempool_free(mp);

	mp = dp_elastic_pktmbuf_pool_create("hwm", 100, 1000, 0, 0, 256, SOCKET_ID_ANY, &test_opts);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_pktmbuf_alloc_bulk(mp, m, 10), 0);
	rte_pktmbuf_free_bulk(m, 10);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.high_watermark, 10, "high watermark %u", st.high_watermark);
	rte_mempool_free(mp);
}

/* An elastic mbuf must be indistinguishable from one of a pool made by
 * rte_pktmbuf_pool_create() with the same arguments. */
Test(elastic, mbufs_initialised_like_rte_pktmbuf_pool_create)
{
	struct rte_mempool *ref, *el;
	struct rte_mbuf *a, *b;

	eal_up_ports();
	ref = rte_pktmbuf_pool_create("ref", 1024, 32, 16, 2176, SOCKET_ID_ANY);
	el = dp_elastic_pktmbuf_pool_create("el", 64, 1024, 32, 16, 2176, SOCKET_ID_ANY, &test_opts);
	cr_assert_not_null(ref);
	cr_assert_not_null(el, "%s", rte_strerror(rte_errno));
	cr_assert(dp_elastic_is(el));
	cr_assert_not(dp_elastic_is(ref));
	a = rte_pktmbuf_alloc(ref);
	b = rte_pktmbuf_alloc(el);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_eq(b->pool, el);
	cr_assert_eq(b->buf_len, a->buf_len);
	cr_assert_eq(b->data_off, a->data_off);
	cr_assert_eq(b->priv_size, a->priv_size);
	cr_assert_eq(rte_mbuf_refcnt_read(b), rte_mbuf_refcnt_read(a));
	cr_assert_eq(b->nb_segs, a->nb_segs);
	cr_assert_eq(b->port, a->port);
	cr_assert_eq(b->ol_flags, a->ol_flags);
	cr_assert_eq(b->pkt_len, 0);
	cr_assert_eq((char *)b->buf_addr - (char *)b, (char *)a->buf_addr - (char *)a);
	cr_assert_eq(rte_mbuf_iova_get(b), rte_mempool_virt2iova(b) + ((char *)b->buf_addr - (char *)b));
	cr_assert_eq(rte_pktmbuf_data_room_size(el), rte_pktmbuf_data_room_size(ref));
	cr_assert_eq(rte_pktmbuf_priv_size(el), rte_pktmbuf_priv_size(ref));
	rte_pktmbuf_free(a);
	rte_pktmbuf_free(b);
	rte_mempool_free(ref);
	rte_mempool_free(el);
}

Test(elastic, grows_to_the_maximum_and_no_further)
{
	struct rte_mempool *mp;
	struct dp_elastic_stats st;
	static struct rte_mbuf *m[3000];
	int n = 0;

	eal_up_ports();
	mp = dp_elastic_pktmbuf_pool_create("grow", 100, 2000, 0, 0, 2048, SOCKET_ID_ANY,
					    &(struct dp_elastic_opts){ .grow_batch = 300,
								       .seg_flags = DP_SEG_F_NORMAL_PAGES });
	cr_assert_not_null(mp);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.populated, 100);
	cr_assert_eq(st.grow_events, 0);
	size_t committed0 = st.seg_committed;
	while (n < 3000 && (m[n] = rte_pktmbuf_alloc(mp)) != NULL)
		n++;
	cr_assert_eq(n, 2000, "grew to the maximum: %d", n);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.populated, 2000);
	cr_assert_eq(st.in_use, 2000);
	cr_assert_geq(st.grow_events, (2000 - 100) / 300);
	cr_assert_gt(st.seg_committed, committed0, "memory grew with the pool");
	cr_assert_eq(dp_elastic_grow(mp, 10), 0, "nothing left to add");
	for (int k = 0; k < n; k++)
		rte_pktmbuf_free(m[k]);
	cr_assert_eq(rte_mempool_avail_count(mp), 2000);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.in_use, 0);
	rte_mempool_free(mp);
}

/* Take mbufs one by one from an elastic pool without a cache and
 * record every change of populated_size: each growth adds exactly the
 * batch (the last one what is left below the maximum). The batch is
 * computed here from the documented rule (grow_batch, or
 * max(256, initial / 4)), not read from the driver. */
static void
check_elastic_steps(unsigned int initial, unsigned int maximum, unsigned int grow_batch)
{
	struct dp_elastic_opts o = { .grow_batch = grow_batch,
				     .seg_flags = DP_SEG_F_NORMAL_PAGES };
	unsigned int batch = grow_batch ? grow_batch : initial / 4 > 256 ? initial / 4 : 256;
	struct rte_mbuf **m = calloc(maximum + 1, sizeof(*m));
	struct rte_mempool *mp;
	unsigned int n = 0, populated, steps = 0;
	struct dp_elastic_stats st;

	cr_assert_not_null(m);
	mp = dp_elastic_pktmbuf_pool_create("steps", initial, maximum, 0, 0, 256,
					    SOCKET_ID_ANY, &o);
	cr_assert_not_null(mp, "create: %s", rte_strerror(rte_errno));
	populated = mp->populated_size;
	cr_assert_eq(populated, initial);
	size_t obj = (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	while (n <= maximum && (m[n] = rte_pktmbuf_alloc(mp)) != NULL) {
		n++;
		if (mp->populated_size == populated)
			continue;
		unsigned int want = maximum - populated < batch ? maximum - populated : batch;
		unsigned int added = mp->populated_size - populated;
		/* DPDK's populate skips an object that would straddle a page
		 * (4 KiB under --no-huge): at most one per page boundary in
		 * the want * obj_size bytes carved. */
		unsigned int lost = (unsigned int)((want * obj + page - 1) / page);
		cr_assert(added <= want && added + lost >= want,
			  "batch %u: growth %u at %u mbufs added %u, want %u (up to %u lost)", batch,
			  steps, populated, added, want, lost);
		cr_assert_eq(n - 1, populated, "grew only when empty");
		populated = mp->populated_size;
		steps++;
	}
	cr_assert_eq(n, maximum);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.grow_events, steps);
	for (unsigned int k = 0; k < n; k++)
		rte_pktmbuf_free(m[k]);
	cr_assert_eq(rte_mempool_avail_count(mp), maximum);
	rte_mempool_free(mp);
	free(m);
}

Test(elastic, each_growth_adds_exactly_the_batch, .timeout = 60)
{
	eal_up_ports();
	check_elastic_steps(100, 2000, 300);
	check_elastic_steps(100, 1000, 0);  /* automatic: 256 */
	check_elastic_steps(2048, 4096, 0); /* automatic: initial / 4 = 512 */
}

Test(elastic, argument_errors)
{
	eal_up_ports();
	cr_assert_null(dp_elastic_pktmbuf_pool_create("x", 10, 5, 0, 0, 2048, SOCKET_ID_ANY, NULL));
	cr_assert_eq(rte_errno, EINVAL);
	cr_assert_null(dp_elastic_pktmbuf_pool_create("x", 0, 0, 0, 0, 2048, SOCKET_ID_ANY, NULL));
	cr_assert_null(dp_elastic_pktmbuf_pool_create(NULL, 1, 5, 0, 0, 2048, SOCKET_ID_ANY, NULL));
	cr_assert_null(dp_elastic_pktmbuf_pool_create("x", 1, 5, 0, 3, 2048, SOCKET_ID_ANY, NULL));
	cr_assert_eq(dp_elastic_grow(NULL, 1), -EINVAL);
	struct dp_elastic_stats st;
	cr_assert_eq(dp_elastic_stats(NULL, &st), -EINVAL);
	struct rte_mempool *mp = dp_elastic_pktmbuf_pool_create("dup", 1, 5, 0, 0, 2048,
							       SOCKET_ID_ANY, &test_opts);
	cr_assert_not_null(mp);
	cr_assert_null(dp_elastic_pktmbuf_pool_create("dup", 1, 5, 0, 0, 2048, SOCKET_ID_ANY,
						      &test_opts));
	cr_assert_eq(rte_errno, EEXIST);
	cr_assert_eq(dp_elastic_stats(mp, NULL), -EINVAL);
	rte_mempool_free(mp);
}

/* Traffic: a worker lcore receives from net_null and holds a growing
 * backlog before transmitting, as a slow consumer would; the pool grows
 * under it, and every mbuf comes back. */
struct traffic {
	struct rte_mempool *mp;
	volatile int stop;
	uint64_t rx, tx;
	unsigned int max_held;
};

static int
traffic_worker(void *arg)
{
	struct traffic *t = arg;
	static struct rte_mbuf *held[8192];
	unsigned int nheld = 0, target = 64;

	while (!t->stop) {
		uint16_t n = rte_eth_rx_burst(0, 0, &held[nheld], RTE_MIN(32u, 8192 - nheld));

		t->rx += n;
		nheld += n;
		if (nheld > t->max_held)
			t->max_held = nheld;
		if (nheld >= target) {
			uint16_t sent = rte_eth_tx_burst(0, 0, held, (uint16_t)RTE_MIN(nheld, 512u));
			memmove(held, &held[sent], (nheld - sent) * sizeof(held[0]));
			nheld -= sent;
			t->tx += sent;
			if (target < 6000)
				target += 64; /* the backlog deepens */
		}
	}
	rte_pktmbuf_free_bulk(held, nheld);
	return 0;
}

Test(elastic, grows_under_traffic_and_nothing_leaks, .timeout = 60)
{
	struct rte_eth_conf conf = { 0 };
	struct traffic t = { 0 };
	struct dp_elastic_stats st;
	unsigned int worker;

	eal_up_ports();
	t.mp = dp_elastic_pktmbuf_pool_create("rx", 512, 16384, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					      SOCKET_ID_ANY, &test_opts);
	cr_assert_not_null(t.mp);
	cr_assert_eq(rte_eth_dev_configure(0, 1, 1, &conf), 0);
	cr_assert_eq(rte_eth_rx_queue_setup(0, 0, 256, SOCKET_ID_ANY, NULL, t.mp), 0);
	cr_assert_eq(rte_eth_tx_queue_setup(0, 0, 256, SOCKET_ID_ANY, NULL), 0);
	cr_assert_eq(rte_eth_dev_start(0), 0);
	worker = rte_get_next_lcore(-1, 1, 0);
	rte_eal_remote_launch(traffic_worker, &t, worker);
	rte_delay_ms(1500);
	t.stop = 1;
	rte_eal_wait_lcore(worker);
	cr_assert_eq(rte_eth_dev_stop(0), 0);

	cr_assert_gt(t.rx, 100000, "traffic flowed: %lu", (unsigned long)t.rx);
	cr_assert_eq(dp_elastic_stats(t.mp, &st), 0);
	cr_log_info("elastic: rx %lu, backlog up to %u, populated %u in %lu growths",
		    (unsigned long)t.rx, t.max_held, st.populated, (unsigned long)st.grow_events);
	cr_assert_gt(st.grow_events, 0, "grew while traffic ran");
	cr_assert_gt(st.populated, 512);
	cr_assert_leq(st.populated, 16384);
	cr_assert_geq(st.populated, t.max_held, "every held mbuf was carved");
	cr_assert_eq(rte_eth_dev_close(0), 0);
	cr_assert_eq(rte_mempool_avail_count(t.mp), st.populated, "every mbuf came back");
	rte_mempool_free(t.mp);
}
