/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "dynpool_elastic" ops: rte_pktmbuf_pool_create(name, n, ...) of an
 * unmodified application makes an elastic pool of at most n mbufs.
 *
 * What DPDK 22.11 (and 25.11) does in rte_pktmbuf_pool_create(), which
 * this relies on (doc/design.md, "Elastic by ops name"):
 * rte_mempool_create_empty(n) -> set_ops_byname(ops, NULL) ->
 * rte_pktmbuf_pool_init() (private data set) -> rte_mempool_populate_default()
 * -> rte_mempool_obj_iter(rte_pktmbuf_init). populate_default first runs
 * our alloc (the pool's shape is known by then), then loops
 * `for (n = size; n > 0; n -= populated)`: calc_mem_size(n) sizes a
 * memzone, which it reserves and hands to populate_iova/virt, which call
 * our populate and add what it returns. So calc_mem_size asks memory for
 * the initial mbufs only, and populate, once it has populated them, also
 * counts the mbufs never populated: the loop ends with one memzone of
 * DPDK's own (freed by DPDK with the pool) and populate_default returns
 * the pool's size; populated_size stays true, and the application's
 * obj_iter initialises the initial mbufs. Populate calls past that (the
 * rest of the memzone's IOVA runs) add nothing; growth after creation
 * goes through the elastic code shared with dp_elastic_pktmbuf_pool_create().
 *
 * Growth initialises mbufs with rte_pktmbuf_init(), which is right only if
 * the application did too: before the first mbuf leaves the pool, the
 * first 64 (zeroed before the application's obj_iter ran) are compared
 * with what rte_pktmbuf_init() makes of zeroes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dp_elastic_cfg.h"
#include "dp_log_drv.h"
#include "dp_mempool_store.h"
#include "dp_ops_order.h"

/* Made by rte_pktmbuf_pool_create() or the like: private data of an mbuf
 * pool and an element of mbuf + private area + data room. Pinned external
 * buffers (rte_pktmbuf_pool_create_extbuf) are initialised otherwise. */
static bool
mbuf_shaped(const struct rte_mempool *mp)
{
	const struct rte_pktmbuf_pool_private *p;
	size_t want;

	if (mp->private_data_size !=
	    RTE_ALIGN_CEIL(sizeof(struct rte_pktmbuf_pool_private), RTE_MEMPOOL_ALIGN))
		return false;
	p = rte_mempool_get_priv((struct rte_mempool *)(uintptr_t)mp);
	want = sizeof(struct rte_mbuf) + p->mbuf_priv_size + p->mbuf_data_room_size;
	return p->flags == 0 && RTE_ALIGN(p->mbuf_priv_size, RTE_MBUF_PRIV_ALIGN) == p->mbuf_priv_size &&
	       mp->elt_size == RTE_ALIGN_CEIL(want, sizeof(uint64_t));
}

static int
el_alloc(struct rte_mempool *mp)
{
	const struct dp_elastic_cfg *c = dp_elastic_cfg();
	struct dp_elastic *el = NULL;
	int ret;

	if (c->bad) {
		DP_DRV_LOG(ERR, "%s: refused: the --vdev dynpool devargs were refused at EAL "
				"init (see the log above)\n", mp->name);
		return -EINVAL;
	}
	if (!mbuf_shaped(mp)) {
		if (c->refuse_others) {
			DP_DRV_LOG(ERR, "%s: not a packet mbuf pool: refused (others=refuse)\n",
				   mp->name);
			return -EINVAL;
		}
		DP_DRV_LOG(NOTICE, "%s: not a packet mbuf pool: a fixed pool of %u objects\n",
			   mp->name, mp->size);
		mp->pool_config = NULL;
	} else {
		ret = dp_elastic_new(mp, dp_elastic_cfg_initial(c, mp->size), c->batch, NULL, &el);
		if (ret != 0)
			return -ret;
		atomic_store(&el->replay, DP_REPLAY_CREATING);
		el->cool = c->cool;
		mp->pool_config = el;
		DP_DRV_LOG(NOTICE, "%s: elastic pool of at most %u mbufs, %u at creation, "
				   "growing by %u\n",
			   mp->name, mp->size, el->initial, el->batch);
	}
	ret = dp_mempool_ops.alloc(mp);
	if (ret != 0 && el != NULL) {
		rte_free(el);
		mp->pool_config = NULL;
	}
	return ret;
}

static ssize_t
el_calc_mem_size(const struct rte_mempool *mp, uint32_t obj_num, uint32_t pg_shift,
		 size_t *min_chunk_size, size_t *align)
{
	const struct dp_elastic *el = dp_elastic_of(mp);

	/* Also what rte_mempool_populate_anon() recomputes when it unmaps:
	 * the same answer every time. */
	if (el != NULL)
		obj_num = RTE_MIN(obj_num, el->initial);
	return rte_mempool_op_calc_mem_size_default(mp, obj_num, pg_shift, min_chunk_size, align);
}

struct first_arg {
	rte_mempool_populate_obj_cb_t *cb;
	void *arg;
};

/* Objects compared by the replay check. More than one: an obj_init that
 * writes the object's index leaves the first one as rte_pktmbuf_init()
 * leaves zeroes (index 0), not the second. */
#define REPLAY_CHECKED 64

/* The first objects start zeroed, so the check can tell what the
 * application's initialisation wrote (populated_size is the object's index:
 * DPDK's callback counts it after this). */
static void
zero_first(struct rte_mempool *mp, void *opaque, void *obj, rte_iova_t iova)
{
	struct first_arg *a = opaque;

	if (mp->populated_size < REPLAY_CHECKED)
		memset(obj, 0, mp->elt_size);
	a->cb(mp, a->arg, obj, iova);
}

static int
el_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr, rte_iova_t iova,
	    size_t len, rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	struct dp_elastic *el = dp_elastic_of(mp);
	struct first_arg a = { obj_cb, obj_cb_arg };
	int r;

	if (el == NULL) /* the fixed fallback: a checked store all the same */
		return dp_populate_recorded(mp, max_objs, vaddr, iova, len, obj_cb, obj_cb_arg,
					    false);
	/* Growth waits for the check that ends CREATING. */
	if (atomic_load(&el->replay) != DP_REPLAY_CREATING)
		return dp_mempool_ops.populate(mp, max_objs, vaddr, iova, len, obj_cb, obj_cb_arg);
	/* rte_mempool_populate_default(), creating the pool. */
	if (mp->populated_size >= el->initial)
		return 0;
	/* Recorded for the store's checks like every chunk; the mbufs are
	 * left to the application's own initialisation (the replay check). */
	r = dp_populate_recorded(mp, RTE_MIN(max_objs, el->initial - mp->populated_size), vaddr,
				 iova, len, zero_first, &a, false);
	if (r <= 0)
		return r;
	atomic_fetch_add(&el->mem_bytes, len);
	atomic_store_explicit(&el->populated, mp->populated_size, memory_order_release);
	if (mp->populated_size < el->initial)
		return r;
	/* Done: count the rest too, which ends populate_default's loop. */
	return r + (int)(mp->size - mp->populated_size);
}

void
dp_elastic_replay_check(struct rte_mempool *mp, struct dp_elastic *el)
{
	struct dp_store *st = dp_store_of(mp);
	struct rte_mempool_objhdr *hdr;
	void *obj, *saved;
	unsigned int i;
	bool same = true;

	if (st == NULL)
		return;
	dp_spin_lock(&st->lock); /* no mbuf can leave the store meanwhile */
	if (atomic_load(&el->replay) != DP_REPLAY_CREATING || rte_mempool_lookup(mp->name) != mp)
		goto out; /* settled, or being freed */
	hdr = STAILQ_FIRST(&mp->elt_list);
	saved = hdr != NULL ? malloc(mp->elt_size) : NULL;
	if (saved == NULL) {
		atomic_store(&el->replay, DP_REPLAY_REFUSED);
		DP_DRV_LOG(ERR, "%s: cannot check how its mbufs were initialised: no growth\n",
			   mp->name);
		goto out;
	}
	for (i = 0; hdr != NULL && i < REPLAY_CHECKED && same; i++) {
		obj = hdr + 1;
		memcpy(saved, obj, mp->elt_size);
		memset(obj, 0, mp->elt_size);
		rte_pktmbuf_init(mp, NULL, obj, i);
		same = memcmp(saved, obj, mp->elt_size) == 0;
		memcpy(obj, saved, mp->elt_size);
		hdr = STAILQ_NEXT(hdr, next);
	}
	if (!same) {
		DP_DRV_LOG(ERR, "%s: its mbufs were not initialised by rte_pktmbuf_init() alone: "
				"growth could not replay that; the pool keeps its %u mbufs and never "
				"grows (use rte_pktmbuf_pool_create(), or --vdev dynpool,init=%u)\n",
			   mp->name, mp->populated_size, mp->size);
	}
	free(saved);
	atomic_store(&el->replay, same ? DP_REPLAY_OK : DP_REPLAY_REFUSED);
out:
	dp_spin_unlock(&st->lock);
}

/* cool=: a pool that grows only when empty hands the rx lcore of a
 * pipeline the mbufs the tx lcore freed a moment ago, their lines still in
 * the other core's cache; growing while few are free keeps more of them
 * waiting (the store hands another lcore's frees out oldest first). */
static int
el_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	const struct dp_store *st = dp_store_of(mp);
	struct dp_elastic *el = st != NULL ? st->el : NULL;
	int r;

	if (unlikely(el != NULL &&
		     atomic_load_explicit(&el->replay, memory_order_relaxed) == DP_REPLAY_CREATING))
		dp_elastic_replay_check(mp, el);
	r = dp_mempool_ops.dequeue(mp, objs, n);
	if (unlikely(el != NULL && el->cool != 0) && r == 0 &&
	    dp_shpool_count(&st->q) < el->cool &&
	    mp->populated_size < el->maximum)
		dp_elastic_grow_locked_try(mp, el, el->batch, false);
	return r;
}

unsigned int
dp_elastic_unpopulated(const struct rte_mempool *mp, const struct dp_elastic *el)
{
	uint32_t r = atomic_load_explicit(&el->replay, memory_order_relaxed);
	unsigned int pop = __atomic_load_n(&mp->populated_size, __ATOMIC_RELAXED);

	if (r == DP_REPLAY_API || r == DP_REPLAY_REFUSED ||
	    __atomic_load_n(&el->dying, __ATOMIC_RELAXED))
		return 0;
	return pop < el->maximum ? el->maximum - pop : 0;
}

/* Mbufs not populated yet count as available: a get grows the pool to
 * hand them out. So an unmodified application's checks see a pool of n:
 * rte_mempool_full() once every mbuf is back, rte_mempool_in_use_count()
 * the mbufs it holds. (mempool_add_elem() bumps populated_size before it
 * enqueues: growth never counts an mbuf twice; DPDK caps the sum at size.) */
static unsigned int
el_get_count(const struct rte_mempool *mp)
{
	const struct dp_store *st = dp_store_of(mp);
	unsigned int n = dp_mempool_ops.get_count(mp);

	if (st != NULL && st->el != NULL)
		n += dp_elastic_unpopulated(mp, st->el);
	return n;
}

/* Refused where the ops order differs from the primary's (dp_ops_order.h):
 * these read the elastic state behind pool_data before the base ops run. */
static int
guarded_el_alloc(struct rte_mempool *mp)
{
	int ret = dp_ops_order_guard();

	return ret != 0 ? ret : el_alloc(mp);
}

static int
guarded_el_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	if (unlikely(dp_ops_order_guard() != 0))
		return -EPROTO;
	return el_dequeue(mp, objs, n);
}

static unsigned int
guarded_el_get_count(const struct rte_mempool *mp)
{
	return likely(dp_ops_order_guard() == 0) ? el_get_count(mp) : 0;
}

RTE_INIT(dp_elastic_ops_register)
{
	static struct rte_mempool_ops ops;

	ops = dp_mempool_ops;
	snprintf(ops.name, sizeof(ops.name), "%s", DP_ELASTIC_OPS_NAME);
	ops.alloc = guarded_el_alloc;
	ops.dequeue = guarded_el_dequeue;
	ops.get_count = guarded_el_get_count;
	ops.calc_mem_size = el_calc_mem_size;
	ops.populate = el_populate;
	dp_register_ops_once(&ops);
}
