/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile input for the mempool driver's user-facing entry points (the
 * elastic pool API), on a real EAL: each call with each class of bad
 * argument returns its documented error, does not crash, and leaves the
 * pools as they were. A mempool of another driver (ring_mp_mc) and a plain
 * dynpool mempool pose as "not an elastic pool": their pool_data is not
 * ours to read. Bad puts through the dynpool ops are refused and leave
 * the pool's count as it was. Also: the API before rte_eal_init().
 */
#include <stdio.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "common.h"
#include "eal.h"
#include "rte_mempool_dynpool.h"

static const struct dp_elastic_opts opts = { .seg_flags = DP_SEG_F_NORMAL_PAGES };

struct dworld {
	struct rte_mempool *ring, *plain, *el, *full;
	struct dp_elastic_stats st;
	char longname[RTE_MEMPOOL_NAMESIZE + 8];
	char dumpbuf[256];
};

static void
eal_up_quiet(void)
{
	static const char *const quiet[] = { "--log-level", "lib.mempool:emerg", NULL };

	eal_up_with("0", "256", quiet);
}

/* Create with the errno folded in: 0 if it failed with `want`, else -1
 * (a pool that should not exist is freed, and reported). */
static int
create_fails(const char *name, unsigned int initial, unsigned int maximum, unsigned int cache,
	     uint16_t priv, uint16_t room, int socket)
{
	struct rte_mempool *mp;

	rte_errno = 0;
	mp = dp_elastic_pktmbuf_pool_create(name, initial, maximum, cache, priv, room, socket,
					    &opts);
	if (mp != NULL) {
		rte_mempool_free(mp);
		return -1;
	}
	return rte_errno;
}

/* Bytes dp_elastic_dump() wrote for mp. */
static int
dump_len(struct dworld *w, const struct rte_mempool *mp, bool null_stream)
{
	FILE *f = fmemopen(w->dumpbuf, sizeof(w->dumpbuf), "w");
	long n;

	cr_assert_not_null(f);
	dp_elastic_dump(null_stream ? NULL : f, mp);
	n = ftell(f);
	fclose(f);
	return (int)n;
}

static int
pool_free_null(void)
{
	dp_elastic_pool_free(NULL);
	return 0;
}

/* Puts refused by the dynpool ops of w->plain (cache 0: every put is an
 * enqueue) during one hostile put; the snapshot around it checks that the
 * pool's count did not move. */
enum hostile_put { PUT_FOREIGN, PUT_INTERIOR, PUT_DOUBLE, PUT_OTHER_POOL };

static int
put_refused(struct dworld *w, enum hostile_put kind)
{
	static char foreign[512];
	struct dp_mempool_check_stats a, b;
	void *x = NULL;

	cr_assert_eq(dp_mempool_check_stats(w->plain, &a), 0);
	switch (kind) {
	case PUT_FOREIGN:
		rte_mempool_put(w->plain, &foreign[128]);
		break;
	case PUT_INTERIOR:
		cr_assert_eq(rte_mempool_get(w->plain, &x), 0);
		rte_mempool_put(w->plain, (char *)x + 32);
		rte_mempool_put(w->plain, x);
		break;
	case PUT_DOUBLE:
		cr_assert_eq(rte_mempool_get(w->plain, &x), 0);
		rte_mempool_put(w->plain, x);
		rte_mempool_put(w->plain, x);
		break;
	case PUT_OTHER_POOL:
		cr_assert_eq(rte_mempool_get(w->ring, &x), 0);
		rte_mempool_put(w->plain, x);
		rte_mempool_put(w->ring, x);
		break;
	}
	cr_assert_eq(dp_mempool_check_stats(w->plain, &b), 0);
	return (int)((b.refused_foreign - a.refused_foreign) +
		     (b.refused_interior - a.refused_interior) +
		     (b.refused_double - a.refused_double));
}

/* X(function, class of input, expected result, call) */
#define DRIVER_CASES(X)                                                                     \
	X("dp_elastic_pktmbuf_pool_create", "NULL name", EINVAL,                             \
	  create_fails(NULL, 1, 8, 0, 0, 2048, SOCKET_ID_ANY))                               \
	X("dp_elastic_pktmbuf_pool_create", "empty name", EINVAL,                            \
	  create_fails("", 1, 8, 0, 0, 2048, SOCKET_ID_ANY))                                 \
	X("dp_elastic_pktmbuf_pool_create", "zero maximum", EINVAL,                          \
	  create_fails("x", 0, 0, 0, 0, 2048, SOCKET_ID_ANY))                                \
	X("dp_elastic_pktmbuf_pool_create", "initial above maximum", EINVAL,                 \
	  create_fails("x", 9, 8, 0, 0, 2048, SOCKET_ID_ANY))                                \
	X("dp_elastic_pktmbuf_pool_create", "private area misaligned", EINVAL,               \
	  create_fails("x", 1, 8, 0, 3, 2048, SOCKET_ID_ANY))                                \
	X("dp_elastic_pktmbuf_pool_create", "cache above the mempool limit", EINVAL,         \
	  create_fails("x", 1, 8, RTE_MEMPOOL_CACHE_MAX_SIZE + 1, 0, 2048, SOCKET_ID_ANY))   \
	X("dp_elastic_pktmbuf_pool_create", "name too long", ENAMETOOLONG,                   \
	  create_fails(w->longname, 1, 8, 0, 0, 2048, SOCKET_ID_ANY))                        \
	X("dp_elastic_pktmbuf_pool_create", "name taken", EEXIST,                            \
	  create_fails("el", 1, 8, 0, 0, 2048, SOCKET_ID_ANY))                               \
	X("dp_elastic_pktmbuf_pool_create", "name of another driver's pool", EEXIST,         \
	  create_fails("ring", 1, 8, 0, 0, 2048, SOCKET_ID_ANY))                             \
	X("dp_elastic_pktmbuf_pool_create", "maximum beyond memory", ENOMEM,                 \
	  create_fails("x", 1, UINT32_MAX / 2, 0, 0, UINT16_MAX, SOCKET_ID_ANY))            \
	X("dp_elastic_pktmbuf_pool_create", "initial beyond memory", ENOMEM,                 \
	  create_fails("x", 400000, 400000, 0, 0, 2048, SOCKET_ID_ANY))                      \
	X("dp_elastic_grow", "NULL", -EINVAL, dp_elastic_grow(NULL, 1))                      \
	X("dp_elastic_grow", "another driver's pool", -EINVAL, dp_elastic_grow(w->ring, 1))  \
	X("dp_elastic_grow", "dynpool pool, not elastic", -EINVAL, dp_elastic_grow(w->plain, 1)) \
	X("dp_elastic_grow", "at its maximum", 0, dp_elastic_grow(w->full, 1))               \
	X("dp_elastic_grow", "zero", 0, dp_elastic_grow(w->el, 0))                           \
	X("dp_elastic_stats", "NULL pool", -EINVAL, dp_elastic_stats(NULL, &w->st))          \
	X("dp_elastic_stats", "NULL out", -EINVAL, dp_elastic_stats(w->el, NULL))            \
	X("dp_elastic_stats", "another driver's pool", -EINVAL, dp_elastic_stats(w->ring, &w->st)) \
	X("dp_elastic_stats", "dynpool pool, not elastic", -EINVAL,                          \
	  dp_elastic_stats(w->plain, &w->st))                                                \
	X("dp_elastic_is", "NULL", 0, dp_elastic_is(NULL))                                   \
	X("dp_elastic_is", "another driver's pool", 0, dp_elastic_is(w->ring))               \
	X("dp_elastic_is", "dynpool pool, not elastic", 0, dp_elastic_is(w->plain))          \
	X("dp_elastic_dump", "NULL stream", 0, dump_len(w, w->el, true))                     \
	X("dp_elastic_dump", "NULL pool", 0, dump_len(w, NULL, false))                       \
	X("dp_elastic_dump", "another driver's pool", 0, dump_len(w, w->ring, false))        \
	X("dp_elastic_pool_free", "NULL", 0, pool_free_null())                               \
	X("rte_mempool_put (dynpool ops)", "foreign pointer", 1, put_refused(w, PUT_FOREIGN)) \
	X("rte_mempool_put (dynpool ops)", "pointer into an object", 1,                      \
	  put_refused(w, PUT_INTERIOR))                                                      \
	X("rte_mempool_put (dynpool ops)", "double put", 1, put_refused(w, PUT_DOUBLE))      \
	X("rte_mempool_put (dynpool ops)", "object of another pool", 1,                      \
	  put_refused(w, PUT_OTHER_POOL))

static const struct {
	const char *fn, *input;
	int want;
} dcases[] = {
#define X(fn, input, want, call) { fn, input, want },
	DRIVER_CASES(X)
#undef X
};

#define NDCASES (sizeof(dcases) / sizeof(dcases[0]))

static int
run_dcase(struct dworld *w, size_t i)
{
	size_t k = 0;

#define X(fn, input, want, call)                                                            \
	if (i == k++)                                                                        \
		return (call);
	DRIVER_CASES(X)
#undef X
	return -9999;
}

struct dsnap {
	unsigned int avail[4];
	unsigned int populated[4];
	unsigned int mempools;
};

static void
count_pool(struct rte_mempool *mp, void *arg)
{
	(void)mp;
	(*(unsigned int *)arg)++;
}

static void
snap(struct dworld *w, struct dsnap *s)
{
	struct rte_mempool *all[4] = { w->ring, w->plain, w->el, w->full };

	for (int i = 0; i < 4; i++) {
		rte_mempool_audit(all[i]); /* panics on a broken pool */
		s->avail[i] = rte_mempool_avail_count(all[i]);
		s->populated[i] = all[i]->populated_size;
	}
	s->mempools = 0;
	rte_mempool_walk(count_pool, &s->mempools);
}

Test(hostile_driver, every_entry_point_every_invalid_input, .timeout = 120)
{
	struct dworld w = { 0 };
	struct dsnap a, b;

	eal_up_quiet();
	memset(w.longname, 'n', sizeof(w.longname) - 1);
	w.ring = rte_pktmbuf_pool_create_by_ops("ring", 63, 0, 0, 2048, SOCKET_ID_ANY, "ring_mp_mc");
	w.plain = rte_pktmbuf_pool_create_by_ops("plain", 63, 0, 0, 2048, SOCKET_ID_ANY,
						 DP_MEMPOOL_OPS_NAME);
	w.el = dp_elastic_pktmbuf_pool_create("el", 8, 64, 0, 0, 2048, SOCKET_ID_ANY, &opts);
	w.full = dp_elastic_pktmbuf_pool_create("full", 16, 16, 0, 0, 2048, SOCKET_ID_ANY, &opts);
	cr_assert(w.ring && w.plain && w.el && w.full, "pools: %s", rte_strerror(rte_errno));
	cr_assert_eq(dp_elastic_is(w.el), 1, "the control case: an elastic pool is one");

	for (size_t i = 0; i < NDCASES; i++) {
		int got;

		snap(&w, &a);
		got = run_dcase(&w, i);
		cr_expect_eq(got, dcases[i].want, "%s(%s): got %d, want %d", dcases[i].fn,
			     dcases[i].input, got, dcases[i].want);
		snap(&w, &b);
		cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "%s(%s): a pool or the mempool list changed",
			  dcases[i].fn, dcases[i].input);
	}
	fprintf(stderr, "hostile driver: %zu cases\n", NDCASES);
	rte_mempool_free(w.full);
	rte_mempool_free(w.el);
	rte_mempool_free(w.plain);
	rte_mempool_free(w.ring);
}

/* Before rte_eal_init(): a clear error, not a crash in DPDK's heap. */
Test(hostile_driver, before_eal_init)
{
	struct dp_seg *seg;

	cr_assert_null(dp_elastic_pktmbuf_pool_create("x", 1, 8, 0, 0, 2048, SOCKET_ID_ANY, &opts));
	cr_assert_eq(rte_errno, E_RTE_NO_CONFIG);
	cr_assert_eq(dp_elastic_grow(NULL, 1), -EINVAL);
	assert_dp(dp_seg_create_memzone("x", 4096, SOCKET_ID_ANY, 64, &seg), DP_ERR_NO_EAL);
	assert_dp(dp_seg_lookup_memzone("x", &seg), DP_ERR_NO_EAL);
}
