/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Elastic pools by ops name (issue 14, items 1 and 2), on a real EAL with
 * 2 MiB hugepages, each test its own process: rte_pktmbuf_pool_create()
 * under --mbuf-pool-ops-name dynpool_elastic, as an unmodified application
 * calls it, tuned by --vdev dynpool,... devargs.
 */
#define ALLOW_EXPERIMENTAL_API 1 /* rte_pktmbuf_pool_create_extbuf */
#include <dlfcn.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "eal.h"
#include "rte_mempool_dynpool.h"

#define N 8192
#define ROOM (2048 + RTE_PKTMBUF_HEADROOM)

static void
up(const char *vdev)
{
	const char *extra[] = { "--mbuf-pool-ops-name", DP_ELASTIC_OPS_NAME, "--vdev", vdev, NULL };

	eal_up_huge("0", vdev != NULL ? extra : (const char *const[]){ extra[0], extra[1], NULL });
}

static void
add_len(struct rte_mempool *mp, void *arg, struct rte_mempool_memhdr *h, unsigned int i)
{
	(void)mp;
	(void)i;
	*(size_t *)arg += h->len;
}

/* Bytes of memory chunks behind the pool (walked with growth held). */
static size_t
chunk_bytes(struct rte_mempool *mp)
{
	size_t n = 0;

	cr_assert_eq(dp_elastic_hold_growth(mp), 0);
	rte_mempool_mem_iter(mp, add_len, &n);
	dp_elastic_release_growth(mp);
	return n;
}

static void
count_mz(const struct rte_memzone *mz, void *arg)
{
	/* The driver's first pool in a primary publishes the process's
	 * mempool ops order for secondaries, once, for the process's life. */
	if (strcmp(mz->name, "dynpool_ops_order") != 0)
		++*(unsigned int *)arg;
}

static unsigned int
memzones(void)
{
	unsigned int n = 0;

	rte_memzone_walk(count_mz, &n);
	return n;
}

/* What rte_pktmbuf_init() promises of a fresh mbuf, IOVA included. */
static void
check_mbuf(const struct rte_mbuf *m, const struct rte_mempool *mp)
{
	cr_assert_eq(m->pool, mp);
	cr_assert_eq(m->buf_len, ROOM);
	cr_assert_eq(m->data_off, RTE_PKTMBUF_HEADROOM);
	cr_assert_eq(m->data_len, 0);
	cr_assert_eq(m->nb_segs, 1);
	cr_assert_eq(rte_mbuf_refcnt_read(m), 1);
	cr_assert_eq(m->buf_addr, (const char *)m + sizeof(*m));
	cr_assert_eq(rte_mbuf_data_iova_default(m), rte_mem_virt2iova(rte_pktmbuf_mtod(m, void *)));
	cr_assert_neq(rte_mbuf_data_iova_default(m), RTE_BAD_IOVA);
}

Test(byname, unmodified_create_grows_to_n_and_frees_all, .timeout = 120)
{
	static struct rte_mbuf *m[N + 1];
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	unsigned int mz0, i;
	char *dump = NULL;
	size_t dump_len = 0, full;
	FILE *f;

	up(NULL);
	mz0 = memzones();
	cr_assert_str_eq(rte_mbuf_best_mempool_ops(), DP_ELASTIC_OPS_NAME);
	mp = rte_pktmbuf_pool_create("bn", N, 0, 0, ROOM, SOCKET_ID_ANY);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert(dp_elastic_is(mp));
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.maximum, N);
	cr_assert_eq(st.initial, 512, "default initial: 512 mbufs");
	cr_assert_eq(mp->populated_size, 512);
	cr_assert_eq(mp->size, N);
	full = (size_t)N * (mp->header_size + mp->elt_size + mp->trailer_size);
	cr_assert_lt(chunk_bytes(mp), full / 10, "created with %zu of %zu bytes", chunk_bytes(mp),
		     full);
	/* Not populated yet counts as available (a get grows the pool). */
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert(rte_mempool_full(mp), "an unmodified app sees a full pool of n");
	cr_assert_eq(rte_mempool_in_use_count(mp), 0);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.available, 512);
	cr_assert_eq(st.in_use, 0);

	for (i = 0; i < N; i++) {
		m[i] = rte_pktmbuf_alloc(mp);
		cr_assert_not_null(m[i], "mbuf %u of %u", i, N);
		check_mbuf(m[i], mp);
	}
	cr_assert_null(rte_pktmbuf_alloc(mp), "more than n mbufs");
	cr_assert_eq(mp->populated_size, N);
	cr_assert_eq(rte_mempool_avail_count(mp), 0);
	cr_assert_eq(rte_mempool_in_use_count(mp), N);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_MAXIMUM);
	cr_assert_gt(st.grow_events, 0);
	for (i = 0; i < N; i++)
		rte_pktmbuf_free(m[i]);
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert_eq(rte_mempool_in_use_count(mp), 0);
	cr_assert(rte_mempool_full(mp));
	rte_mempool_audit(mp); /* panics on a bad object header */
	f = open_memstream(&dump, &dump_len);
	rte_mempool_dump(f, mp);
	dp_elastic_dump(f, mp);
	fclose(f);
	cr_assert_not_null(strstr(dump, "populated_size=8192"), "%s", dump);
	cr_assert_not_null(strstr(dump, "maximum=8192"), "%s", dump);
	free(dump);
	rte_mempool_free(mp);
	cr_assert_eq(memzones(), mz0, "every memzone of the pool given back");
}

/* An application's own object initialisation, which growth cannot replay. */
static void
own_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int i)
{
	struct rte_mbuf *m = obj;

	rte_pktmbuf_init(mp, arg, obj, i);
	*rte_pktmbuf_mtod(m, uint32_t *) = 0xfeed; /* a template, say */
}

Test(byname, own_obj_init_never_grows_never_half_initialised, .timeout = 120)
{
	struct rte_pktmbuf_pool_private priv = { .mbuf_data_room_size = ROOM };
	static struct rte_mbuf *m[N];
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	unsigned int i, got = 0;

	up("dynpool,init=300");
	mp = rte_mempool_create_empty("own", N, sizeof(struct rte_mbuf) + ROOM, 0,
				      sizeof(priv), SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL), 0);
	rte_pktmbuf_pool_init(mp, &priv);
	cr_assert_eq(rte_mempool_populate_default(mp), N);
	rte_mempool_obj_iter(mp, own_init, NULL);
	for (i = 0; i < N; i++) {
		m[i] = rte_pktmbuf_alloc(mp);
		if (m[i] == NULL)
			break;
		cr_assert_eq(*rte_pktmbuf_mtod(m[i], uint32_t *), 0xfeed, "mbuf %u not initialised by the application", i);
		got++;
	}
	cr_assert_eq(got, 300, "got %u mbufs: the pool grew past what the app initialised", got);
	/* Growth refused for good: only the populated mbufs count. */
	cr_assert_eq(rte_mempool_avail_count(mp), 0);
	cr_assert_eq(dp_elastic_stats(mp, &st), 0);
	cr_assert_eq(st.stop, DP_ELASTIC_STOP_NOT_REPLAYABLE);
	cr_assert_eq(st.populated, 300);
	cr_assert_eq(dp_elastic_grow(mp, 10), -EPERM);
	for (i = 0; i < got; i++)
		rte_pktmbuf_free(m[i]);
	cr_assert_eq(rte_mempool_avail_count(mp), 300);
	rte_mempool_free(mp);
}

static void
not_mbuf_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int i)
{
	(void)mp;
	(void)arg;
	*(unsigned int *)obj = i + 1;
}

static struct rte_mempool *
not_mbuf_pool(int *populated)
{
	struct rte_mempool *mp = rte_mempool_create_empty("obj", 1000, 100, 0, 0, SOCKET_ID_ANY, 0);

	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, DP_ELASTIC_OPS_NAME, NULL), 0);
	*populated = rte_mempool_populate_default(mp);
	return mp;
}

Test(byname, not_an_mbuf_pool_is_fixed, .timeout = 60)
{
	struct rte_mempool *mp;
	void *objs[1000];
	int r;

	up(NULL);
	mp = not_mbuf_pool(&r);
	cr_assert_eq(r, 1000);
	cr_assert_not(dp_elastic_is(mp));
	cr_assert_eq(mp->populated_size, 1000, "all objects at creation");
	rte_mempool_obj_iter(mp, not_mbuf_init, NULL);
	cr_assert_eq(rte_mempool_get_bulk(mp, objs, 1000), 0);
	for (unsigned int i = 0; i < 1000; i++)
		cr_assert_neq(*(unsigned int *)objs[i], 0u, "object %u not initialised", i);
	rte_mempool_put_bulk(mp, objs, 1000);
	rte_mempool_free(mp);
}

Test(byname, not_an_mbuf_pool_refused_with_others_refuse, .timeout = 60)
{
	struct rte_mempool *mp;
	int r;

	up("dynpool,others=refuse");
	mp = not_mbuf_pool(&r);
	cr_assert_eq(r, -EINVAL);
	cr_assert_eq(mp->populated_size, 0);
	rte_mempool_free(mp);
}

Test(vdev, init_percent_and_batch_applied, .timeout = 60)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m[N / 10 + 1];
	unsigned int i;

	up("dynpool,init=10%,batch=100");
	mp = rte_pktmbuf_pool_create("pct", N, 0, 0, ROOM, SOCKET_ID_ANY);
	cr_assert_not_null(mp);
	cr_assert_eq(mp->populated_size, N / 10);
	for (i = 0; i < N / 10 + 1; i++)
		cr_assert_not_null(m[i] = rte_pktmbuf_alloc(mp));
	cr_assert_eq(mp->populated_size, N / 10 + 100, "one growth of batch=100");
	for (i = 0; i < N / 10 + 1; i++)
		rte_pktmbuf_free(m[i]);
	rte_mempool_free(mp);
}

/* A bad --vdev: EAL comes up (DPDK ignores a failed vdev probe), nothing
 * of it applies, and every pool asked of the elastic ops is refused. */
static void
refused(const char *vdev)
{
	struct rte_mempool *mp;

	up(vdev);
	mp = rte_pktmbuf_pool_create("bad", N, 0, 0, ROOM, SOCKET_ID_ANY);
	cr_assert_null(mp, "%s accepted", vdev);
	cr_assert_eq(rte_errno, EINVAL, "%s: %s", vdev, rte_strerror(rte_errno));
	cr_assert_null(rte_mempool_lookup("bad"));
}

Test(vdev, unknown_key_refused, .timeout = 60) { refused("dynpool,init=64,size=3"); }
Test(vdev, zero_count_refused, .timeout = 60) { refused("dynpool,batch=0"); }
Test(vdev, not_a_number_refused, .timeout = 60) { refused("dynpool,init=12k"); }
Test(vdev, percent_over_100_refused, .timeout = 60) { refused("dynpool,init=101%"); }
Test(vdev, key_twice_refused, .timeout = 60) { refused("dynpool,init=64,init=128"); }
Test(vdev, bad_others_refused, .timeout = 60) { refused("dynpool,others=maybe"); }
Test(vdev, bad_checks_refused, .timeout = 60) { refused("dynpool,checks=maybe"); }

Test(vdev, second_device_refused, .timeout = 60)
{
	const char *extra[] = { "--mbuf-pool-ops-name", DP_ELASTIC_OPS_NAME, "--vdev",
				"dynpool0,init=64", "--vdev", "dynpool1,batch=32", NULL };

	eal_up_huge("0", extra);
	cr_assert_null(rte_pktmbuf_pool_create("bad", N, 0, 0, ROOM, SOCKET_ID_ANY),
		       "two dynpool devices accepted");
	cr_assert_eq(rte_errno, EINVAL);
}

/* cool=: growth keeps that many mbufs free, not only when the pool is empty. */
Test(vdev, cool_grows_before_empty, .timeout = 60)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m;

	up("dynpool,init=64,batch=64,cool=200");
	mp = rte_pktmbuf_pool_create("cool", N, 0, 0, ROOM, SOCKET_ID_ANY);
	cr_assert_not_null(mp);
	cr_assert_eq(mp->populated_size, 64);
	cr_assert_not_null(m = rte_pktmbuf_alloc(mp));
	cr_assert_eq(mp->populated_size, 128, "63 free < cool=200: one batch more");
	rte_pktmbuf_free(m);
	rte_mempool_free(mp);
}

Test(vdev, cool_zero_refused, .timeout = 60) { refused("dynpool,cool=0"); }

/* Review (r14): what an unmodified application asks of the elastic ops. */

/* An obj_init that writes the object's index: the first object's index is
 * 0, which looks like rte_pktmbuf_init() of zeroes; the second's is not. */
static void
index_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int i)
{
	rte_pktmbuf_init(mp, arg, obj, i);
	*rte_pktmbuf_mtod((struct rte_mbuf *)obj, uint32_t *) = i;
}

Test(byname, index_obj_init_never_grows, .timeout = 120)
{
	struct rte_pktmbuf_pool_private priv = { .mbuf_data_room_size = ROOM };
	static struct rte_mbuf *m[N];
	struct rte_mempool *mp;
	unsigned int i, got = 0;

	up("dynpool,init=300");
	mp = rte_mempool_create_empty("idx", N, sizeof(struct rte_mbuf) + ROOM, 0,
				      sizeof(priv), SOCKET_ID_ANY, 0);
	cr_assert_not_null(mp);
	cr_assert_eq(rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL), 0);
	rte_pktmbuf_pool_init(mp, &priv);
	cr_assert_eq(rte_mempool_populate_default(mp), N);
	rte_mempool_obj_iter(mp, index_init, NULL);
	for (i = 0; i < N && (m[i] = rte_pktmbuf_alloc(mp)) != NULL; i++)
		got++;
	cr_assert_eq(got, 300, "got %u mbufs: growth handed out mbufs index_init never saw",
		     got);
	for (i = 0; i < got; i++)
		rte_pktmbuf_free(m[i]);
	rte_mempool_free(mp);
}

/* Checks on (the default): a double free reaches the store (no cache) and
 * is refused, for an mbuf of the creation chunk and one of growth. */
Test(byname, double_put_refused, .timeout = 60)
{
	static struct rte_mbuf *m[600];
	struct dp_mempool_check_stats st;
	struct rte_mempool *mp;
	unsigned int i;

	up(NULL);
	mp = rte_pktmbuf_pool_create("dbl", N, 0, 0, ROOM, SOCKET_ID_ANY);
	cr_assert_not_null(mp);
	for (i = 0; i < 600; i++)
		cr_assert_not_null(m[i] = rte_pktmbuf_alloc(mp));
	cr_assert_gt(mp->populated_size, 512, "grown");
	for (i = 0; i < 600; i++)
		rte_pktmbuf_free(m[i]);
	rte_mempool_put(mp, m[0]);
	rte_mempool_put(mp, m[599]);
	cr_assert_eq(dp_mempool_check_stats(mp, &st), 0);
	cr_assert(st.checked);
	cr_assert_eq(st.refused_double, 2);
	cr_assert_eq(rte_mempool_avail_count(mp), N);
	cr_assert(rte_mempool_full(mp));
	rte_mempool_free(mp);
}

/* Shapes rte_pktmbuf_pool_create() accepts: private area, no data room,
 * a 512 cache, one mbuf, fewer mbufs than the default initial. */
static void
shape(const char *name, unsigned int n, unsigned int cache, uint16_t priv, uint16_t room)
{
	struct rte_mbuf **m = calloc(n + 1, sizeof(*m));
	struct rte_mempool *mp;
	unsigned int i;

	cr_assert_not_null(m);
	mp = rte_pktmbuf_pool_create(name, n, cache, priv, room, SOCKET_ID_ANY);
	cr_assert_not_null(mp, "%s: %s", name, rte_strerror(rte_errno));
	cr_assert(dp_elastic_is(mp), "%s", name);
	cr_assert_eq(rte_mempool_avail_count(mp), n, "%s", name);
	for (i = 0; i < n; i++) {
		m[i] = rte_pktmbuf_alloc(mp);
		cr_assert_not_null(m[i], "%s: mbuf %u of %u", name, i, n);
		cr_assert_eq(m[i]->priv_size, priv);
		cr_assert_eq(m[i]->buf_len, room);
		cr_assert_eq(m[i]->buf_addr, (char *)m[i] + sizeof(struct rte_mbuf) + priv);
		cr_assert_eq(rte_mbuf_refcnt_read(m[i]), 1);
		cr_assert_eq(m[i]->pool, mp);
	}
	cr_assert_null(rte_pktmbuf_alloc(mp), "%s: more than %u", name, n);
	cr_assert(rte_mempool_empty(mp), "%s", name);
	cr_assert_eq(rte_mempool_in_use_count(mp), n, "%s", name);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
	cr_assert_eq(rte_mempool_avail_count(mp), n, "%s", name);
	cr_assert(rte_mempool_full(mp), "%s", name);
	rte_mempool_audit(mp);
	rte_mempool_free(mp);
	free(m);
}

Test(byname, shapes_apps_ask_for, .timeout = 120)
{
	up(NULL);
	shape("priv", 2000, 0, 64, ROOM);
	shape("noroom", 2000, 0, 0, 0);
	shape("cache512", N, 512, 0, ROOM);
	shape("one", 1, 0, 0, ROOM);
	shape("few", 100, 0, 0, ROOM);
}

/* Pinned external buffers are initialised by DPDK otherwise: a fixed pool. */
Test(byname, extbuf_pool_is_fixed, .timeout = 60)
{
	struct rte_pktmbuf_extmem ext;
	static struct rte_mbuf *m[1000];
	struct rte_mempool *mp;
	unsigned int i;

	up(NULL);
	ext.elt_size = 2048;
	ext.buf_len = 1000 * 2048;
	ext.buf_ptr = rte_malloc(NULL, ext.buf_len, 4096);
	cr_assert_not_null(ext.buf_ptr);
	ext.buf_iova = rte_malloc_virt2iova(ext.buf_ptr);
	mp = rte_pktmbuf_pool_create_extbuf("ext", 1000, 0, 0, 2048, SOCKET_ID_ANY, &ext, 1);
	cr_assert_not_null(mp, "%s", rte_strerror(rte_errno));
	cr_assert_not(dp_elastic_is(mp));
	cr_assert_eq(mp->populated_size, 1000);
	for (i = 0; i < 1000; i++) {
		cr_assert_not_null(m[i] = rte_pktmbuf_alloc(mp));
		cr_assert(RTE_MBUF_HAS_PINNED_EXTBUF(m[i]));
		cr_assert((char *)m[i]->buf_addr >= (char *)ext.buf_ptr &&
			  (char *)m[i]->buf_addr < (char *)ext.buf_ptr + ext.buf_len,
			  "mbuf %u's buffer outside the pinned memory", i);
	}
	cr_assert_null(rte_pktmbuf_alloc(mp));
	for (i = 0; i < 1000; i++)
		rte_pktmbuf_free(m[i]);
	cr_assert(rte_mempool_full(mp));
	rte_mempool_free(mp);
	rte_free(ext.buf_ptr);
}

static bool
registered(const char *name)
{
	for (uint32_t i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name, name) == 0)
			return true;
	return false;
}

/* DPDK holds 16 mempool ops per process; EAL of a shared DPDK loads every
 * mempool driver of its default plugin directory (Debian's 22.11: 14 ops).
 * Both dynpool ops and every one of those must have a slot. */
Test(byname, ops_registered_beside_every_plugin_driver, .timeout = 60)
{
	static const char *const theirs[] = { "ring_mp_mc", "ring_sp_sc", "ring_mp_sc",
					      "ring_sp_mc", "ring_mt_rts", "ring_mt_hts",
					      "stack", "lf_stack", "bucket" };

	up(NULL);
	cr_assert(registered(DP_MEMPOOL_OPS_NAME));
	cr_assert(registered(DP_ELASTIC_OPS_NAME));
	for (unsigned int i = 0; i < RTE_DIM(theirs); i++)
		cr_assert(registered(theirs[i]), "%s lost its slot (%u ops registered)", theirs[i],
			  rte_mempool_ops_table.num_ops);
	cr_log_info("%u mempool ops registered of %d", rte_mempool_ops_table.num_ops,
		    RTE_MEMPOOL_MAX_OPS_IDX);
}

static unsigned int
times_registered(const char *name)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < rte_mempool_ops_table.num_ops; i++)
		n += strcmp(rte_mempool_ops_table.ops[i].name, name) == 0;
	return n;
}

/* An application linking the driver (dynpool-testpmd, this test) on a
 * machine where meson install put the plugin in EAL's plugin directory
 * loads the driver twice: the second copy must take no slot, or two of the
 * drivers EAL loads after it lose theirs (which, readdir order decides). */
Test(byname, second_copy_of_the_driver_takes_no_slot, .timeout = 60)
{
	static const char *const theirs[] = { "ring_mp_mc", "ring_sp_sc", "ring_mp_sc",
					      "ring_sp_mc", "ring_mt_rts", "ring_mt_hts",
					      "stack", "lf_stack", "bucket" };

	/* As EAL does with a plugin: loaded before the rest of the directory. */
	cr_assert_not_null(dlopen(DP_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL), "%s", dlerror());
	up(NULL);
	cr_assert_eq(times_registered(DP_MEMPOOL_OPS_NAME), 1);
	cr_assert_eq(times_registered(DP_ELASTIC_OPS_NAME), 1);
	for (unsigned int i = 0; i < RTE_DIM(theirs); i++)
		cr_assert(registered(theirs[i]), "%s lost its slot (%u ops registered)", theirs[i],
			  rte_mempool_ops_table.num_ops);
	cr_assert_not_null(rte_pktmbuf_pool_create("two", 1024, 0, 0, ROOM, SOCKET_ID_ANY));
}

/* checks=off reaches pools made by ops name too, growth included. */
Test(vdev, checks_off_elastic_by_ops_name, .timeout = 60)
{
	static struct rte_mbuf *m[600];
	struct dp_mempool_check_stats st;
	struct rte_mempool *mp;
	unsigned int i;

	up("dynpool,checks=off");
	mp = rte_pktmbuf_pool_create("off", N, 0, 0, ROOM, SOCKET_ID_ANY);
	cr_assert_not_null(mp);
	cr_assert(dp_elastic_is(mp));
	for (i = 0; i < 600; i++)
		cr_assert_not_null(m[i] = rte_pktmbuf_alloc(mp));
	cr_assert_gt(mp->populated_size, 512, "grown");
	for (i = 0; i < 600; i++)
		rte_pktmbuf_free(m[i]);
	cr_assert_eq(dp_mempool_check_stats(mp, &st), 0);
	cr_assert_not(st.checked);
	cr_assert_eq(st.refused_double + st.refused_foreign + st.refused_interior, 0);
	cr_assert(rte_mempool_full(mp));
	rte_mempool_free(mp);
}
