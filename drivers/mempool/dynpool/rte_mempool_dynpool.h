/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file rte_mempool_dynpool.h
 * The "dynpool" mempool driver, and elastic mbuf pools built on it.
 *
 * The driver registers mempool ops named "dynpool": a shared pool of
 * object pointers behind a spinlock with backoff (dynpool's shared-pool
 * design), in DPDK shared memory so secondary processes work. Unmodified
 * applications select it with `-d librte_mempool_dynpool.so
 * --mbuf-pool-ops-name dynpool` (or with the library preloaded, or linked
 * in: link the static library whole).
 *
 * Elastic mbuf pools are real `struct rte_mempool *` mbuf pools for ethdev
 * queues that start with `initial` mbufs and grow on demand, up to
 * `maximum`, from a NUMA-local segment whose hugepages are committed only
 * as it grows (see dp_seg.h, DP_SEG_F_ON_DEMAND). A get that finds the
 * pool empty grows it by a batch and retries; growth initialises every new
 * mbuf exactly as rte_pktmbuf_pool_create() does, before any lcore can
 * get it.
 *
 * Caveats, from DPDK's design: the mempool's size is its maximum, so
 * rte_mempool_in_use_count() and rte_mempool_full() count mbufs never
 * populated as in use (use dp_elastic_stats()); RTE_MEMPOOL_EVENT_READY
 * fires only when the pool reaches its maximum, so drivers that register
 * mempool memory with the NIC on that event, or walk the memory chunks
 * once at queue setup (mlx5, mlx4, af_xdp, ...), miss later chunks;
 * growth happens in the primary process only; and segment memory that
 * dynpool maps itself must be registered (rte_extmem_register()) before a
 * vfio-bound device can DMA into it. Software ports (net_null, net_ring,
 * net_memif, net_af_packet) and NICs that take buffer IOVAs from the mbufs
 * themselves work as is.
 */
#ifndef RTE_MEMPOOL_DYNPOOL_H
#define RTE_MEMPOOL_DYNPOOL_H

#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>

#include "dp_seg.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the mempool ops (puts checked at the store: see below). */
#define DP_MEMPOOL_OPS_NAME "dynpool"
/** The same ops without the checks: the opt-out for trusted callers, as
 *  DP_POOL_F_UNCHECKED is for native pools (`--mbuf-pool-ops-name
 *  dynpool_unchecked`). Elastic pools always use the checked ops. */
#define DP_MEMPOOL_OPS_NAME_UNCHECKED "dynpool_unchecked"

/** Options of an elastic pool; zero-initialise and set what you need. */
struct dp_elastic_opts {
	/** Segment to grow from; NULL: an on-demand hugepage segment of
	 *  its own on the pool's socket, sized for `maximum`. */
	struct dp_seg *seg;
	/** Mbufs added per growth; 0: max(256, initial / 4). */
	unsigned int grow_batch;
	/** Extra DP_SEG_F_* flags for the segment of its own (for example
	 *  DP_SEG_F_NORMAL_PAGES, DP_SEG_F_IOVA_PA). */
	unsigned int seg_flags;
};

/** Counters of an elastic pool (exact when no lcore uses it). */
struct dp_elastic_stats {
	unsigned int initial;     /**< Mbufs populated at creation. */
	unsigned int maximum;     /**< Most mbufs the pool may reach. */
	unsigned int populated;   /**< Mbufs carved and initialised so far. */
	unsigned int available;   /**< Free: in the shared pool and in caches. */
	unsigned int in_use;      /**< populated - available. */
	unsigned int high_watermark; /**< Most mbufs out of the shared pool at once. */
	uint64_t grow_events;     /**< Successful growths after creation. */
	uint64_t grow_failures;   /**< Growths refused (segment full, no hugepages). */
	size_t seg_committed;     /**< Bytes of the segment backed by memory. */
};

/** What the "dynpool" ops refused (dp_mempool_check_stats()). */
struct dp_mempool_check_stats {
	int checked;               /**< Non-zero if puts to the pool are checked. */
	uint64_t refused_foreign;  /**< Pointers that are not objects of the pool. */
	uint64_t refused_interior; /**< Pointers into the pool that start no object. */
	uint64_t refused_double;   /**< Objects already free (double frees). */
};

/**
 * Counters of the puts a mempool on the "dynpool" ops refused.
 *
 * Every object that reaches the store (the shared pool behind the lcore
 * caches: cache flushes, puts to pools without a cache, puts larger than
 * the cache) is checked: it must start an object of this mempool and not
 * already be in the store. Those that do not are refused: logged at ERR
 * with the address (the first, then at most one line a second), counted
 * here and in telemetry (`/dynpool/info,<pool>`: `refused_puts`), never
 * stored, so never handed out; the good objects of the same burst are
 * stored. The put itself returns nothing, as DPDK's puts do.
 *
 * What stays undetectable, because the mempool's lcore cache sits in front
 * of the store and DPDK's put does not call the driver:
 *  - a bad pointer put into an lcore cache and handed out again from that
 *    cache before a flush moves it to the store (a get on the same lcore);
 *  - a double free whose two copies sit in a cache and are both handed out
 *    from it before a flush (a flush that takes both refuses the second);
 *  - a double free whose first copy has already been handed out again by
 *    the time the second arrives: the object is then legitimately out, and
 *    the second put is indistinguishable from its owner's.
 * With cache size 0 every put reaches the store and only the last case
 * remains. With "dynpool_unchecked" nothing is checked (all counters 0).
 *
 * @return 0, or -EINVAL if @p mp or @p st is NULL or @p mp is not on the
 *         "dynpool" or "dynpool_unchecked" ops.
 */
int dp_mempool_check_stats(const struct rte_mempool *mp, struct dp_mempool_check_stats *st);

/**
 * Create an elastic mbuf pool: arguments as rte_pktmbuf_pool_create()
 * (with `initial` mbufs populated now and `maximum` the pool's size).
 * @return the pool, or NULL with rte_errno set: EINVAL (bad argument),
 *         ENOMEM (no memory for the initial mbufs), EEXIST (name taken),
 *         ENAMETOOLONG (name of RTE_MEMPOOL_NAMESIZE characters or more),
 *         ENOENT (the "dynpool" ops are not registered), E_RTE_NO_CONFIG
 *         (rte_eal_init() has not run).
 */
struct rte_mempool *dp_elastic_pktmbuf_pool_create(const char *name, unsigned int initial,
						   unsigned int maximum, unsigned int cache_size,
						   uint16_t priv_size, uint16_t data_room_size,
						   int socket_id, const struct dp_elastic_opts *opts);

/**
 * Grow an elastic pool by up to `n` mbufs now (ahead of traffic, say).
 * @return mbufs added (0 at the maximum), or a negative errno: -EINVAL
 *         (not an elastic pool), -EBUSY (another lcore is growing it),
 *         -ENOMEM (segment full or no hugepages).
 */
int dp_elastic_grow(struct rte_mempool *mp, unsigned int n);

/** Fill @p st; -EINVAL if @p mp or @p st is NULL or @p mp is not an
 *  elastic pool (any mempool may be asked, whatever its driver). */
int dp_elastic_stats(const struct rte_mempool *mp, struct dp_elastic_stats *st);

/** Non-zero if @p mp is an elastic dynpool pool. */
int dp_elastic_is(const struct rte_mempool *mp);

/** Print an elastic pool's counters, as rte_mempool_dump() does; prints
 *  nothing for NULL arguments or a pool that is not elastic. */
void dp_elastic_dump(FILE *f, const struct rte_mempool *mp);

/**
 * Free an elastic pool and its own segment (rte_mempool_free() does the
 * same: this is for symmetry).
 */
void dp_elastic_pool_free(struct rte_mempool *mp);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MEMPOOL_DYNPOOL_H */
