/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the driver's shared pool and elastic state, in DPDK shared memory. */
#ifndef DP_MEMPOOL_STORE_H
#define DP_MEMPOOL_STORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "dp_shpool.h"
#include "dp_spinlock.h"
#include "dp_store_check.h"
#include "rte_mempool_dynpool.h"

struct dp_elastic;

/*
 * The shared pool behind DPDK's caches: dynpool's own (lib/dp_shpool.h, a
 * deque of pointers whose order decides pipelines), sized for the
 * mempool's whole size, so an enqueue of objects that belong to the pool
 * always fits, under one spinlock with backoff. The count shares the
 * lock's cache line on purpose: an uncontended operation touches one line
 * before the objects. The whole store is in DPDK shared memory
 * (rte_zmalloc), slots included, so secondaries see it.
 */
struct dp_store {
	dp_spinlock_t lock;
	struct dp_shpool q;       /* slots: objs below */
	uint32_t out_max;         /* most objects out of the store at once */
	struct dp_elastic *el;
	struct dp_store_check ck; /* what enqueue refuses (dp_store_check.h) */
	void *objs[];
};

/* Puts refused so far (foreign, interior and double), for telemetry; 0
 * for NULL (a pool not yet populated). */
static inline uint64_t
dp_store_refused(const struct dp_store *st)
{
	uint64_t n = 0;

	for (int r = 0; st != NULL && r < DP_REFUSE_N; r++)
		n += atomic_load_explicit(&st->ck.refused[r], memory_order_relaxed);
	return n;
}

/* Whether mp is on either of the driver's ops (pool_data a dp_store). */
__attribute__((visibility("hidden"))) bool dp_on_store_ops(const struct rte_mempool *mp);

/* Registers @p ops unless another copy of this driver in the process
 * (linked in, and the plugin EAL loads from its directory) already did:
 * DPDK holds 16 ops and does not refuse a name twice, and a second copy's
 * slots would be taken from drivers EAL loads after it. */
__attribute__((visibility("hidden"))) void dp_register_ops_once(const struct rte_mempool_ops *ops);

/* The populate op's work: the chunk recorded for the store's checks, then
 * DPDK's helper lays the objects out, calling obj_cb for each (and
 * rte_pktmbuf_init() after it if mbuf_init). Objects' count or a negative
 * errno, as a populate op returns. */
__attribute__((visibility("hidden"))) int
dp_populate_recorded(struct rte_mempool *mp, unsigned int max_objs, void *vaddr, rte_iova_t iova,
		     size_t len, rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg,
		     bool mbuf_init);

#define DP_ELASTIC_MAGIC 0x656c617374696321ull /* "elastic!" */

struct rte_memzone;

/*
 * Elastic state, in DPDK shared memory (every process reads it; only the
 * primary grows). Growth writes everything below under grow_lock; readers
 * that must not block growth (stats, dump, telemetry) read only the
 * atomics, which growth publishes with release stores once the mempool's
 * own lists are complete.
 */
struct dp_elastic {
	uint64_t magic;
	dp_spinlock_t grow_lock;   /* growth is serialised; others don't wait */
	struct dp_seg *seg;        /* the caller's segment (primary's), or NULL */
	bool dying;                /* rte_mempool_free() has begun: never grow */
	unsigned int initial, maximum, batch;
	size_t obj_sz;             /* header + element + trailer */
	size_t pg_sz;              /* pages objects may not straddle (0: none) */
	_Atomic uint64_t grow_events, grow_failures;
	_Atomic uint32_t populated; /* mbufs carved, published after growth */
	_Atomic uint32_t stop;      /* enum dp_elastic_stop of the last growth */
	_Atomic uint64_t mem_bytes; /* bytes of the memzones (own memory) */
	_Atomic uint32_t refused_freeing; /* misses not grown: pool being freed */
	/* Pools made by ops name (dp_elastic_ops.c): enum dp_replay. */
	_Atomic uint32_t replay;
	/* Pools made by ops name: also grow (up to the maximum) while the
	 * store holds fewer than `cool` free mbufs (0: only when empty). */
	unsigned int cool;
	_Atomic uint64_t refused_gets; /* dequeues failed: empty and not grown */
	/* Own memory: memzones, geometric sizes; the last one is carved from
	 * mz_off on. */
	uint32_t nb_mz, max_mz;
	size_t mz_off;
	const struct rte_memzone *mz[];
};

/* Whether growth may initialise new mbufs with rte_pktmbuf_init(). */
enum dp_replay {
	DP_REPLAY_API = 0,  /* dp_elastic_pktmbuf_pool_create(): always */
	DP_REPLAY_CREATING, /* by ops name, not checked yet: no growth */
	DP_REPLAY_OK,       /* by ops name, the application's init checked */
	DP_REPLAY_REFUSED,  /* by ops name, the application's own init */
};

/* rte_mempool_dynpool.c: the "dynpool" ops, which the elastic ops extend. */
__attribute__((visibility("hidden"))) extern const struct rte_mempool_ops dp_mempool_ops;

/* dp_elastic_ops.c: before growth or the first get of a pool made by ops
 * name, settle el->replay (once). */
__attribute__((visibility("hidden"))) void dp_elastic_replay_check(struct rte_mempool *mp,
								   struct dp_elastic *el);

/* Mbufs of a pool made by ops name that rte_mempool_avail_count() counts
 * as available though not populated yet (0 for the API's pools). */
__attribute__((visibility("hidden"))) unsigned int
dp_elastic_unpopulated(const struct rte_mempool *mp, const struct dp_elastic *el);

/* Elastic state for mp (size: its maximum), after the capacity checks;
 * 0 or a positive errno. dp_elastic.c. */
__attribute__((visibility("hidden"))) int
dp_elastic_new(struct rte_mempool *mp, unsigned int initial, unsigned int batch,
	       struct dp_seg *seg, struct dp_elastic **out);

/* The mempool runs on the "dynpool" or the "dynpool_elastic" ops. */
__attribute__((visibility("hidden"))) bool dp_ops_is_ours(const struct rte_mempool *mp);

/* dp_elastic_mem.c: the memory behind growth. */

/* Chunks (memzones) it takes to hold `maximum` objects, and their bytes. */
__attribute__((visibility("hidden"))) unsigned int
dp_elastic_mem_plan(const struct dp_elastic *el, size_t *bytes);

/* Carve and populate up to k objects (at least one, all-or-some). Count
 * added, or a negative errno with el->stop set. Under grow_lock. */
__attribute__((visibility("hidden"))) int
dp_elastic_mem_add(struct rte_mempool *mp, struct dp_elastic *el, unsigned int k);

/* Give the memzones back (after the mempool released its chunks). */
__attribute__((visibility("hidden"))) void dp_elastic_mem_free(const struct rte_mempool *mp,
							       struct dp_elastic *el);

/* Release/acquire publication of pool_data (set by the alloc op, which a
 * growing lcore may run while others read). */
static inline struct dp_store *
dp_store_of(const struct rte_mempool *mp)
{
	return __atomic_load_n(&mp->pool_data, __ATOMIC_ACQUIRE);
}

/* Grow by n objects, or by the pool's batch if larger and not `exact`
 * (lock taken with trylock). Count of objects added (0 at the maximum), or
 * a negative errno. */
__attribute__((visibility("hidden"))) int
dp_elastic_grow_locked_try(struct rte_mempool *mp, struct dp_elastic *el, unsigned int n,
			   bool exact);

/* The elastic state of mp, or NULL. */
__attribute__((visibility("hidden"))) struct dp_elastic *dp_elastic_of(const struct rte_mempool *mp);

#endif /* DP_MEMPOOL_STORE_H */
