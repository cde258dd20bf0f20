/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "dynpool" mempool ops: DPDK's mempool library keeps the objects,
 * their memory and the per-lcore caches; this driver is the shared pool
 * behind the caches (or behind every call, with cache size 0).
 *
 * Contract (DPDK 22.11, lib/mempool): enqueue must accept every object of
 * the pool, so the store holds mp->size pointers; dequeue is all or
 * nothing for any n (a cache refill asks for up to 2 x 512) and must not
 * touch the output table when it fails; get_count is called outside any
 * lock and must not crash before alloc (pool_data NULL). Elastic pools
 * grow in dequeue when the store is short, then retry once.
 */
#include <errno.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "dp_log_drv.h"
#include "dp_mempool_store.h"

/* Copies across the end of the circular array. */
static inline void
copy_in(struct dp_store *st, uint32_t at, void *const *objs, uint32_t n)
{
	uint32_t first = RTE_MIN(n, st->cap - at);

	rte_memcpy(&st->objs[at], objs, first * sizeof(void *));
	if (first < n)
		rte_memcpy(st->objs, &objs[first], (n - first) * sizeof(void *));
}

static inline void
copy_out(const struct dp_store *st, uint32_t at, void **objs, uint32_t n)
{
	uint32_t first = RTE_MIN(n, st->cap - at);

	rte_memcpy(objs, &st->objs[at], first * sizeof(void *));
	if (first < n)
		rte_memcpy(&objs[first], st->objs, (n - first) * sizeof(void *));
}

static int
dp_ops_alloc(struct rte_mempool *mp)
{
	struct dp_store *st;

	st = rte_zmalloc_socket("dynpool_store", sizeof(*st) + (size_t)mp->size * sizeof(void *),
				RTE_CACHE_LINE_SIZE, mp->socket_id);
	if (st == NULL)
		return -ENOMEM;
	dp_spin_init(&st->lock);
	atomic_init(&st->n, 0);
	st->cap = mp->size;
	st->last_enq_lcore = LCORE_ID_ANY;
	st->el = mp->pool_config; /* set by dp_elastic_pktmbuf_pool_create() only */
	/* Growth may run this while other lcores read pool_data. */
	__atomic_store_n(&mp->pool_data, st, __ATOMIC_RELEASE);
	return 0;
}

static void
dp_ops_free(struct rte_mempool *mp)
{
	struct dp_store *st = mp->pool_data;
	struct dp_elastic *el = dp_elastic_of(mp);

	/* The mempool has released its memory chunks by now: the memzones
	 * they came from can go (a caller's segment stays the caller's). */
	if (el != NULL) {
		dp_elastic_mem_free(mp, el);
		rte_free(el);
	}
	rte_free(st);
	mp->pool_data = NULL;
}

static int
dp_ops_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct dp_store *st = mp->pool_data;
	uint32_t have;

	dp_spin_lock(&st->lock);
	have = atomic_load_explicit(&st->n, memory_order_relaxed);
	if (unlikely(n > st->cap - have)) {
		dp_spin_unlock(&st->lock);
		DP_DRV_LOG(ERR, "%s: %u objects more than the pool holds: double free?\n", mp->name,
			   n - (st->cap - have));
		return -ENOBUFS;
	}
	copy_in(st, (st->head + have) % st->cap, objs, n);
	st->last_enq_lcore = rte_lcore_id();
	atomic_store_explicit(&st->n, have + n, memory_order_relaxed);
	dp_spin_unlock(&st->lock);
	return 0;
}

static int
take(struct rte_mempool *mp, struct dp_store *st, void **objs, unsigned int n)
{
	uint32_t have;

	dp_spin_lock(&st->lock);
	have = atomic_load_explicit(&st->n, memory_order_relaxed);
	if (unlikely(have < n)) {
		dp_spin_unlock(&st->lock);
		return -ENOBUFS;
	}
	have -= n;
	if (rte_lcore_id() == st->last_enq_lcore) { /* its own: newest first */
		copy_out(st, (st->head + have) % st->cap, objs, n);
	} else { /* another lcore's: oldest first */
		copy_out(st, st->head, objs, n);
		st->head = (st->head + n) % st->cap;
	}
	atomic_store_explicit(&st->n, have, memory_order_relaxed);
	if (mp->populated_size - have > st->out_max)
		st->out_max = mp->populated_size - have;
	dp_spin_unlock(&st->lock);
	return 0;
}

static int
dp_ops_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	struct dp_store *st = mp->pool_data;
	struct dp_elastic *el;

	if (likely(st != NULL) && likely(take(mp, st, objs, n) == 0))
		return 0;
	el = dp_elastic_of(mp);
	if (el == NULL || dp_elastic_grow_locked_try(mp, el, n, false) <= 0)
		return -ENOBUFS;
	st = dp_store_of(mp); /* the first growth of an empty pool allocates it */
	return st != NULL ? take(mp, st, objs, n) : -ENOBUFS;
}

static unsigned int
dp_ops_get_count(const struct rte_mempool *mp)
{
	const struct dp_store *st = dp_store_of(mp);

	return st != NULL ? atomic_load_explicit(&st->n, memory_order_relaxed) : 0;
}

/* Elastic pools: initialise each mbuf after DPDK has set up its object
 * header (the callback) and before the helper enqueues it, so no lcore can
 * get an mbuf that rte_pktmbuf_init() has not seen. */
struct init_arg {
	rte_mempool_populate_obj_cb_t *cb;
	void *arg;
};

static void
init_then_add(struct rte_mempool *mp, void *opaque, void *obj, rte_iova_t iova)
{
	struct init_arg *a = opaque;

	a->cb(mp, a->arg, obj, iova);
	rte_pktmbuf_init(mp, NULL, obj, 0);
}

static int
dp_ops_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr, rte_iova_t iova,
		size_t len, rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	struct init_arg a = { obj_cb, obj_cb_arg };

	if (dp_elastic_of(mp) == NULL)
		return rte_mempool_op_populate_helper(mp, 0, max_objs, vaddr, iova, len, obj_cb,
						      obj_cb_arg);
	return rte_mempool_op_populate_helper(mp, 0, max_objs, vaddr, iova, len, init_then_add,
					      &a);
}

const struct rte_mempool_ops dp_mempool_ops = {
	.name = DP_MEMPOOL_OPS_NAME,
	.alloc = dp_ops_alloc,
	.free = dp_ops_free,
	.enqueue = dp_ops_enqueue,
	.dequeue = dp_ops_dequeue,
	.get_count = dp_ops_get_count,
	.populate = dp_ops_populate,
};

RTE_MEMPOOL_REGISTER_OPS(dp_mempool_ops);
