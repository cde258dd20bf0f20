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

#include "dp_elastic_cfg.h"
#include "dp_log_drv.h"
#include "dp_mempool_store.h"
#include "dp_ops_order.h"

static int
store_alloc(struct rte_mempool *mp, bool on)
{
	struct dp_store *st;

	/* The store's positions are 32-bit (lib/dp_shpool.h): past 2^31
	 * slots they would wrap, not fail. */
	if (mp->size > DP_SHPOOL_MAX_CAP) {
		DP_DRV_LOG(ERR, "%s: refused: %u objects, the dynpool store holds at most %u\n",
			   mp->name, mp->size, DP_SHPOOL_MAX_CAP);
		return -EINVAL;
	}
	st = rte_zmalloc_socket("dynpool_store", sizeof(*st) + (size_t)mp->size * sizeof(void *),
				RTE_CACHE_LINE_SIZE, mp->socket_id);
	if (st == NULL)
		return -ENOMEM;
	dp_spin_init(&st->lock);
	dp_shpool_init(&st->q, st->objs, mp->size);
	st->el = mp->pool_config; /* set by dp_elastic_pktmbuf_pool_create() only */
	if (dp_check_init(&st->ck, mp, on) != 0) {
		rte_free(st);
		return -ENOMEM;
	}
	/* Growth may run this while other lcores read pool_data. */
	__atomic_store_n(&mp->pool_data, st, __ATOMIC_RELEASE);
	return 0;
}

/* Checked unless the process opted out (--vdev dynpool,checks=off).
 * Refused devargs refuse the pool: a mistyped checks=off must not leave a
 * pool that silently checks (EAL does not fail on a failed vdev probe). */
static int
dp_ops_alloc(struct rte_mempool *mp)
{
	if (dp_elastic_cfg()->bad) {
		DP_DRV_LOG(ERR, "%s: refused: the --vdev dynpool devargs were refused at EAL "
				"init (see the log above)\n", mp->name);
		return -EINVAL;
	}
	return store_alloc(mp, !dp_elastic_cfg()->checks_off);
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
	if (st == NULL) /* freed before a populate ran the alloc op */
		return;
	dp_check_fini(&st->ck);
	rte_free(st);
	mp->pool_data = NULL;
}

static int
dp_ops_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct dp_store *st = mp->pool_data;
	uint32_t room;

	dp_spin_lock(&st->lock);
	room = st->q.cap - dp_shpool_count(&st->q);
	if (unlikely(n > room)) {
		dp_spin_unlock(&st->lock);
		DP_DRV_LOG(ERR, "%s: %u objects more than the pool holds: double free?\n", mp->name,
			   n - room);
		return -ENOBUFS;
	}
	dp_shpool_put(&st->q, objs, n, rte_lcore_id());
	dp_spin_unlock(&st->lock);
	return 0;
}

/*
 * The checked store boundary: each object must be an object of this pool
 * (a chunk lookup and a division by multiply, outside the lock) and not
 * already in the store (its state byte, tested and set under the lock,
 * so two lcores freeing the same object cannot both succeed; take()
 * clears it, under the lock too, from the index kept per position). The good
 * objects of a burst are stored; the bad ones are counted, logged and
 * dropped. Returns 0 either way: DPDK's put ignores the result, and the
 * legitimate objects did go in.
 */
#define CHECK_BATCH 256u

static int
dp_ops_enqueue_checked(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct dp_store *st = mp->pool_data;
	uint8_t *state = st->ck.state;
	uint32_t *pos_ix = st->ck.pos_ix;
	uint32_t ix[CHECK_BATCH];

	if (unlikely(!atomic_load_explicit(&st->ck.on, memory_order_relaxed)))
		return dp_ops_enqueue(mp, objs, n);
	for (unsigned int done = 0, k; done < n; done += k) {
		unsigned int bad = 0, added = 0;
		uint32_t at;

		k = RTE_MIN(n - done, CHECK_BATCH);
		for (unsigned int i = 0; i < k; i++) {
			ix[i] = dp_obj_index(&st->ck, objs[done + i]);
			bad += ix[i] >= DP_IX_BAD;
		}
		dp_spin_lock(&st->lock);
		at = dp_shpool_tail(&st->q);
		for (unsigned int i = 0; i < k; i++) {
			if (ix[i] >= DP_IX_BAD)
				continue;
			if (state[ix[i]]) {
				ix[i] = DP_IX_DOUBLE;
				bad++;
				continue;
			}
			/* Distinct objects of the pool not in the store always fit. */
			state[ix[i]] = 1;
			st->q.slot[at] = objs[done + i];
			pos_ix[at] = ix[i];
			at = dp_shpool_next(&st->q, at);
			added++;
		}
		dp_shpool_added(&st->q, added, rte_lcore_id());
		dp_spin_unlock(&st->lock);
		if (unlikely(bad != 0))
			dp_check_report(&st->ck, mp, &objs[done], ix, k);
	}
	return 0;
}

static int
take(struct rte_mempool *mp, struct dp_store *st, void **objs, unsigned int n)
{
	uint32_t have, from;

	dp_spin_lock(&st->lock);
	have = dp_shpool_count(&st->q);
	if (unlikely(have < n)) {
		dp_spin_unlock(&st->lock);
		return -ENOBUFS;
	}
	from = dp_shpool_take(&st->q, objs, n, rte_lcore_id());
	if (atomic_load_explicit(&st->ck.on, memory_order_relaxed))
		for (uint32_t i = 0, p = from; i < n; i++, p = dp_shpool_next(&st->q, p))
			st->ck.state[st->ck.pos_ix[p]] = 0; /* handed out: no longer free */
	have -= n;
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
	if (el == NULL)
		return -ENOBUFS;
	if (dp_elastic_grow_locked_try(mp, el, n, false) > 0) {
		st = dp_store_of(mp); /* the first growth of an empty pool allocates it */
		if (st != NULL && take(mp, st, objs, n) == 0)
			return 0;
	}
	/* At the maximum, out of memory, or another lcore growing: a pool
	 * that refuses mbufs forwards nothing, so every refusal is counted. */
	atomic_fetch_add_explicit(&el->refused_gets, 1, memory_order_relaxed);
	return -ENOBUFS;
}

static unsigned int
dp_ops_get_count(const struct rte_mempool *mp)
{
	const struct dp_store *st = dp_store_of(mp);

	return st != NULL ? dp_shpool_count(&st->q) : 0;
}

/* Each object the helper lays out, before it enqueues it. Elastic pools:
 * initialise the mbuf after DPDK has set up its object header (the
 * callback), so no lcore can get an mbuf that rte_pktmbuf_init() has not
 * seen. Checked pools: the chunk is recorded first, then every object is
 * compared with where the arithmetic expects it. */

struct populate_arg {
	rte_mempool_populate_obj_cb_t *cb;
	void *arg;
	bool mbuf_init;       /* elastic pools */
	struct dp_store *st;  /* checked pools */
	uint32_t next;        /* index the next object should have */
};

static void
each_obj(struct rte_mempool *mp, void *opaque, void *obj, rte_iova_t iova)
{
	struct populate_arg *a = opaque;

	a->cb(mp, a->arg, obj, iova);
	if (a->mbuf_init)
		rte_pktmbuf_init(mp, NULL, obj, 0);
	/* The helper enqueues obj next: the check must agree it is one. */
	if (a->st != NULL && atomic_load_explicit(&a->st->ck.on, memory_order_relaxed) &&
	    dp_obj_index(&a->st->ck, obj) != a->next++)
		dp_check_layout_mismatch(&a->st->ck, mp, obj);
}

int
dp_populate_recorded(struct rte_mempool *mp, unsigned int max_objs, void *vaddr, rte_iova_t iova,
		     size_t len, rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg,
		     bool mbuf_init)
{
	struct populate_arg a = { obj_cb, obj_cb_arg, mbuf_init, NULL, 0 };
	struct dp_store *st = mp->pool_data;
	uint32_t expect = 0;
	int ret;

	if (atomic_load_explicit(&st->ck.on, memory_order_relaxed)) {
		if (mp->nb_mem_chunks == 0 && mp->populated_size == 0)
			dp_check_restart(&st->ck, mp);
		/* A chunk the check cannot record (no memory for its table)
		 * turns the checks off rather than failing the populate: DPDK
		 * (22.11 to 25.11) takes a negative return for a count. */
		ret = dp_check_add_chunk(&st->ck, mp, vaddr, len, max_objs, &a.next, &expect);
		if (ret == 0)
			a.st = st;
		else
			dp_check_give_up(&st->ck, mp, vaddr, ret);
	}
	if (a.st == NULL && !a.mbuf_init)
		return rte_mempool_op_populate_helper(mp, 0, max_objs, vaddr, iova, len, obj_cb,
						      obj_cb_arg);
	ret = rte_mempool_op_populate_helper(mp, 0, max_objs, vaddr, iova, len, each_obj, &a);
	if (a.st != NULL && ret >= 0 && (uint32_t)ret != expect)
		dp_check_layout_mismatch(&st->ck, mp, vaddr);
	return ret;
}

static int
dp_ops_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr, rte_iova_t iova,
		size_t len, rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	return dp_populate_recorded(mp, max_objs, vaddr, iova, len, obj_cb, obj_cb_arg,
				    dp_elastic_of(mp) != NULL);
}

bool
dp_on_store_ops(const struct rte_mempool *mp)
{
	const char *name = rte_mempool_get_ops(mp->ops_index)->name;

	/* As dp_ops_is_ours(): the index is not to be trusted where refused. */
	return (strcmp(name, DP_MEMPOOL_OPS_NAME) == 0 || strcmp(name, DP_ELASTIC_OPS_NAME) == 0) &&
	       dp_ops_order_guard() == 0;
}

/* The ops as DPDK calls them: refused in a process whose mempool ops order
 * differs from the primary's (dp_ops_order.h), where mp may be another
 * driver's pool. Once settled, a load and a compare before the inner
 * function (inlined, or reached by a direct jump). */
static int
guarded_alloc(struct rte_mempool *mp)
{
	int ret = dp_ops_order_guard();

	return ret != 0 ? ret : dp_ops_alloc(mp);
}

static void
guarded_free(struct rte_mempool *mp)
{
	if (dp_ops_order_guard() == 0)
		dp_ops_free(mp);
}

static int
guarded_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	if (unlikely(dp_ops_order_guard() != 0))
		return -EPROTO;
	return dp_ops_enqueue_checked(mp, objs, n);
}

static int
guarded_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	if (unlikely(dp_ops_order_guard() != 0))
		return -EPROTO;
	return dp_ops_dequeue(mp, objs, n);
}

static unsigned int
guarded_get_count(const struct rte_mempool *mp)
{
	return likely(dp_ops_order_guard() == 0) ? dp_ops_get_count(mp) : 0;
}

const struct rte_mempool_ops dp_mempool_ops = {
	.name = DP_MEMPOOL_OPS_NAME,
	.alloc = guarded_alloc,
	.free = guarded_free,
	.enqueue = guarded_enqueue,
	.dequeue = guarded_dequeue,
	.get_count = guarded_get_count,
	.populate = dp_ops_populate,
};

void
dp_register_ops_once(const struct rte_mempool_ops *ops)
{
	for (uint32_t i = 0; i < rte_mempool_ops_table.num_ops; i++) {
		if (strcmp(rte_mempool_ops_table.ops[i].name, ops->name) == 0) {
			DP_DRV_LOG(INFO, "%s: registered by another copy of the driver in this "
					 "process, which serves it\n",
				   ops->name);
			return;
		}
	}
	/* DPDK holds RTE_MEMPOOL_MAX_OPS_IDX (16) ops; Debian's 22.11
	 * registers 14 when all its mempool drivers are loaded. */
	if (rte_mempool_register_ops(ops) < 0)
		DP_DRV_LOG(ERR, "%s not registered: no mempool ops slot left "
				"(RTE_MEMPOOL_MAX_OPS_IDX %d)\n",
			   ops->name, RTE_MEMPOOL_MAX_OPS_IDX);
}

RTE_INIT(dp_mempool_ops_register)
{
	dp_register_ops_once(&dp_mempool_ops);
}
