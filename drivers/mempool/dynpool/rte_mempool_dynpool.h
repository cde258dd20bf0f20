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
 * `maximum`. A get that finds the pool empty grows it by a batch and
 * retries; growth initialises every new mbuf exactly as
 * rte_pktmbuf_pool_create() does, before any lcore can get it.
 *
 * Memory. Unless the caller gives a segment, an elastic pool grows in
 * memzones (rte_memzone_reserve_aligned(), named "dp<chunk in hex>_<pool>",
 * or "dp<chunk>-<n>_<pool>" when another owner took that name),
 * so its mbufs are DPDK memory to every DPDK consumer: the same address in
 * every process, chunks added while secondaries run included (DPDK maps new
 * pages in every process before the reservation returns), visible to
 * rte_memseg walks and rte_mem_virt2iova(), in whatever IOVA mode and page
 * size EAL runs (on hugepages, or --no-huge). Chunks double in size, from
 * one growth batch up to 64 MiB, so a pool takes few memzones: creation
 * refuses (ENOSPC) a pool that would need more than DPDK has left
 * (rte_memzone_max_get(): 2560 unless the application changed it, for
 * all memzones of the process; RTE_MAX_MEMZONE before DPDK 23.07), and
 * refuses (ENOMEM) a maximum that cannot fit in the memory EAL can ever
 * have on the socket (all of -m with --no-huge; free memseg list room with
 * dynamic hugepages). Hugepages the system has not got when
 * growth asks for them stop growth instead (dp_elastic_stats() says why).
 * Freeing the pool (rte_mempool_free()) frees every memzone, which gives
 * the hugepages back in DPDK's dynamic memory mode, and never grows it,
 * whatever mbufs are still in lcore caches, rings or queues.
 *
 * A caller's segment (dp_elastic_opts::seg) is carved instead. Only a
 * memzone segment (dp_seg_create_memzone()) is DPDK memory; the mbufs of a
 * pool on a caller or hugepage segment (dp_seg_create(),
 * dp_seg_create_huge()) exist in the creating process only: no secondary
 * process, dpdk-proc-info or memif/vhost peer may touch that pool, and
 * creation logs a warning saying so.
 *
 * Growth happens in the primary process only (a secondary's get fails
 * when the pool is empty, as with a fixed pool); secondaries get and free
 * mbufs, including those of chunks added while they run.
 *
 * Concurrency. Growth appends to the mempool's element and chunk lists and
 * updates populated_size, nb_mem_chunks and flags while other lcores run.
 * Safe at any time: gets and puts, rte_mempool_avail_count(),
 * rte_mempool_in_use_count(), rte_mempool_lookup(), dp_elastic_stats(),
 * dp_elastic_dump() and the telemetry endpoints (they read counters that
 * growth publishes, and walk no list). Safe only while growth is held
 * (dp_elastic_hold_growth() .. dp_elastic_release_growth()) or when no
 * lcore can get from the pool: whatever walks the lists or reads them as a
 * whole: rte_mempool_obj_iter(), rte_mempool_mem_iter(), rte_mempool_dump(),
 * rte_mempool_list_dump(), rte_mempool_audit(). The hold works from any
 * process (the lock is in shared memory), but tools that do not call it
 * (dpdk-proc-info --iter-mempool) must be run on a pool that is not
 * growing (at its maximum, or with the primary idle).
 *
 * Caveats, from DPDK's design: the mempool's size is its maximum, so
 * rte_mempool_in_use_count() and rte_mempool_full() count mbufs never
 * populated as in use (use dp_elastic_stats()); RTE_MEMPOOL_EVENT_READY
 * fires only when the pool reaches its maximum, so drivers that register
 * mempool memory with the NIC on that event, or walk the memory chunks
 * once at queue setup (mlx5, mlx4, af_xdp, ...), miss later chunks; and
 * memory of a caller's non-DPDK segment must be registered
 * (rte_extmem_register()) before a vfio-bound device can DMA into it.
 * Software ports (net_null, net_ring, net_memif, net_af_packet) and NICs
 * that take buffer IOVAs from the mbufs themselves work as is.
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
/*
 * A mempool on the dynpool ops (or dynpool_elastic) holds at most 2^31
 * objects: the alloc op refuses a larger one with -EINVAL (logged), so
 * rte_mempool_populate_default() and friends fail with it. Test:
 * test/drivers/test_mempool_checks.c (size_above_2g_objects_refused).
 */
/*
 * The opt-out for trusted callers, as DP_POOL_F_UNCHECKED is for native
 * pools: `--vdev dynpool,checks=off` on the EAL command line, for every
 * pool of the process on the dynpool ops (fixed and elastic). It is a
 * device argument, not a third ops name, because DPDK allows 16 mempool
 * ops in a process and Debian's DPDK 22.11 registers 14 (EAL loads all
 * its mempool drivers from its default plugin directory). Devargs that
 * EAL init refused (bad key or value) refuse every pool on the dynpool
 * and dynpool_elastic ops (EINVAL): nothing of them applies, and no pool
 * silently keeps what they meant to change.
 */

/**
 * Name of the elastic mempool ops: `--mbuf-pool-ops-name dynpool_elastic`
 * makes every rte_pktmbuf_pool_create(name, n, ...) of an unmodified
 * application an elastic pool of at most n mbufs (the same pool as
 * dp_elastic_pktmbuf_pool_create(), same growth code), tuned by the
 * `--vdev dynpool,...` devargs (user guide). rte_mempool_populate_default()
 * populates only its initial mbufs, which the application's own
 * rte_mempool_obj_iter(rte_pktmbuf_init) initialises; growth then
 * initialises the rest as rte_pktmbuf_init() does. Contract:
 *  - a pool that is not shaped as a packet-mbuf pool (private data not
 *    struct rte_pktmbuf_pool_private, element size not mbuf + private
 *    area + data room, or pinned external buffers) is a fixed pool of n
 *    objects on the "dynpool" store (or refused with `others=refuse`);
 *  - before it hands out its first mbuf (or grows), the pool checks that
 *    its first 64 mbufs are exactly what rte_pktmbuf_init() makes of
 *    zeroed memory; if the application initialised one otherwise (its own
 *    obj_init), the pool never grows (stop reason
 *    ::DP_ELASTIC_STOP_NOT_REPLAYABLE, logged): it stays the fixed pool of
 *    its initial mbufs, all initialised by the application. An obj_init
 *    that initialises the first 64 as rte_pktmbuf_init() does and only
 *    later ones otherwise is not detected: use `--vdev dynpool,init=100%`;
 *  - rte_mempool_avail_count() counts the mbufs not populated yet as
 *    available (a get grows the pool to hand them out), unless growth is
 *    refused for good (as above): rte_mempool_full(),
 *    rte_mempool_in_use_count() and the application's own checks see a
 *    pool of n (dp_elastic_stats() counts populated mbufs only). Pools of
 *    dp_elastic_pktmbuf_pool_create() keep counting populated mbufs only
 *    (see the caveats below).
 */
#define DP_ELASTIC_OPS_NAME "dynpool_elastic"

/** Options of an elastic pool; zero-initialise and set what you need. */
struct dp_elastic_opts {
	/** Segment to grow from; NULL: memzones of its own (DPDK memory,
	 *  see the file comment). A segment that is not a memzone segment
	 *  keeps the pool out of reach of other processes. Its room is not
	 *  checked against `maximum` (other pools may share it): growth stops
	 *  with ::DP_ELASTIC_STOP_SEGMENT_FULL when it is full. Freeing the
	 *  pool carves nothing more from it and gives nothing back to it (a
	 *  segment's bump allocation is reclaimed by dp_seg_reset()). */
	struct dp_seg *seg;
	/** Mbufs added per growth; 0: max(256, initial / 4). */
	unsigned int grow_batch;
	/** Ignored (kept for source compatibility): memory of its own comes
	 *  from EAL, on EAL's pages. */
	unsigned int seg_flags;
};

/** Why the last growth attempt added nothing (dp_elastic_stats::stop). */
enum dp_elastic_stop {
	DP_ELASTIC_GROWING = 0,       /**< No growth has failed, or the last one
	                                *   succeeded. */
	DP_ELASTIC_STOP_MAXIMUM,      /**< The pool holds its maximum. */
	DP_ELASTIC_STOP_NO_MEMORY,    /**< EAL could not reserve the memory
	                                *   (no free hugepages, -m exhausted). */
	DP_ELASTIC_STOP_SEGMENT_FULL, /**< The caller's segment is full. */
	DP_ELASTIC_STOP_MEMZONE_LIMIT,/**< No memzone left (rte_memzone_max_get()). */
	DP_ELASTIC_STOP_POPULATE,     /**< rte_mempool_populate_iova() failed. */
	DP_ELASTIC_STOP_FREEING,      /**< rte_mempool_free() has begun. */
	DP_ELASTIC_STOP_NOT_REPLAYABLE, /**< A pool made by ops name whose
	                                *   mbufs the application initialised
	                                *   otherwise than rte_pktmbuf_init():
	                                *   growth could not replay it. */
};

/** Counters of an elastic pool (exact when no lcore uses it). */
struct dp_elastic_stats {
	unsigned int initial;     /**< Mbufs populated at creation. */
	unsigned int maximum;     /**< Most mbufs the pool may reach. */
	unsigned int populated;   /**< Mbufs carved and initialised so far. */
	unsigned int available;   /**< Free: in the shared pool and in caches.
	                           *   Read in the same snapshot as populated:
	                           *   available + in_use == populated always. */
	unsigned int in_use;      /**< populated - available. */
	unsigned int high_watermark; /**< Most mbufs out of the shared pool at once. */
	uint64_t grow_events;     /**< Successful growths after creation. */
	uint64_t grow_failures;   /**< Growths that added nothing. */
	size_t seg_committed;     /**< Bytes of memory behind the pool: its
	                           *   memzones, or the committed bytes of the
	                           *   caller's segment (0 in a secondary). */
	enum dp_elastic_stop stop; /**< Why growth last stopped. */
	unsigned int memzones;    /**< Memzones of its own. */
	uint64_t refused_gets;    /**< Dequeues the pool refused: empty, and
	                           *   not grown (at the maximum, growth failed,
	                           *   or another lcore was growing it). A get
	                           *   that misses its lcore cache may count
	                           *   twice (DPDK retries without the cache). */
};

/** Short English name of @p s ("maximum reached", ...). */
const char *dp_elastic_stop_str(enum dp_elastic_stop s);

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
 * remains. With `--vdev dynpool,checks=off` nothing is checked (all
 * counters 0, `checked` 0).
 *
 * @return 0, or -EINVAL if @p mp or @p st is NULL or @p mp is not on the
 *         "dynpool" or "dynpool_elastic" ops.
 */
int dp_mempool_check_stats(const struct rte_mempool *mp, struct dp_mempool_check_stats *st);

/**
 * Create an elastic mbuf pool: arguments as rte_pktmbuf_pool_create()
 * (with `initial` mbufs populated now and `maximum` the pool's size).
 * Primary process only.
 * @return the pool, or NULL with rte_errno set: EINVAL (bad argument),
 *         ENOMEM (no memory for the initial mbufs, or `maximum` mbufs can
 *         never fit in EAL's memory on the socket: logged with the sizes),
 *         ENOSPC (`maximum` would need more memzones than are left),
 *         E_RTE_SECONDARY (called in a secondary process),
 *         EEXIST (name taken),
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
 *         (not an elastic pool), -EBUSY (another lcore is growing it, or
 *         growth is held), -EPERM (secondary process, or the pool is being
 *         freed), -ENOMEM (no memory, segment full: dp_elastic_stats()
 *         says which), -ENOSPC (no memzone left).
 */
int dp_elastic_grow(struct rte_mempool *mp, unsigned int n);

/** Fill @p st; -EINVAL if @p mp or @p st is NULL or @p mp is not an
 *  elastic pool (any mempool may be asked, whatever its driver). */
int dp_elastic_stats(const struct rte_mempool *mp, struct dp_elastic_stats *st);

/** Non-zero if @p mp is an elastic dynpool pool. */
int dp_elastic_is(const struct rte_mempool *mp);

/**
 * Hold growth of @p mp so that its element and chunk lists stay still:
 * call rte_mempool_obj_iter(), rte_mempool_mem_iter(), rte_mempool_dump()
 * or rte_mempool_audit() on it until dp_elastic_release_growth(). Gets that
 * find the pool empty meanwhile fail instead of growing it. Waits for a
 * growth in progress to end; not recursive.
 * @return 0, or -EINVAL if @p mp is not an elastic pool.
 */
int dp_elastic_hold_growth(struct rte_mempool *mp);

/** End dp_elastic_hold_growth(). @return 0, or -EINVAL. */
int dp_elastic_release_growth(struct rte_mempool *mp);

/** Print an elastic pool's counters, as rte_mempool_dump() does; prints
 *  nothing for NULL arguments or a pool that is not elastic. */
void dp_elastic_dump(FILE *f, const struct rte_mempool *mp);

/**
 * Free an elastic pool and its own memory (rte_mempool_free() does the
 * same: this is for symmetry). Never grows the pool, whatever mbufs are
 * still out; gives back every memzone of its own; carves nothing more from
 * a caller's segment.
 */
void dp_elastic_pool_free(struct rte_mempool *mp);

/**
 * Check this process's mempool ops order against the primary's.
 *
 * DPDK records a pool's ops as an index into each process's own table of
 * mempool ops, filled in the order the drivers' constructors run (link
 * order, then -d plugins, then EAL's plugin directory). A secondary whose
 * table differs from the primary's runs another driver's code on the
 * primary's pools (Debian's dpdk-proc-info with only -d for this plugin,
 * against Debian's dpdk-testpmd, reads a dynpool pool as octeontx_fpavf).
 *
 * The primary publishes its table (names, and the file each came from) in
 * the memzone "dynpool_ops_order" the first time this driver runs there:
 * this call, a `--vdev dynpool` probe, or the first pool on its ops. Any
 * other process compares its table with it, once: this call, a
 * `--vdev dynpool` probe or the first call of one of this driver's ops,
 * whichever comes first once the primary has published (until then the
 * process is pending: the ops serve unchecked and look for the table
 * again, at most once a millisecond; this call always looks). A
 * difference at any index is logged once at ERR
 * (both orders, the first index that differs, and the files to load in the
 * primary's order) and from then on this driver's ops refuse every pool in
 * this process: alloc, dequeue and enqueue fail with -EPROTO (an enqueue
 * drops the objects rather than write them into another driver's pool),
 * get_count says 0, free leaves the pool's memory alone, and this
 * driver's API (dp_elastic_*, dp_mempool_check_stats(), telemetry) takes
 * no pool for its own. Objects a refused enqueue drops are lost to their
 * pool. Another driver's
 * ops that the index leads to on a dynpool pool are out of this driver's
 * reach: call this after rte_eal_init() and stop on -EPROTO.
 *
 * @return 0: the primary (order published), or a process with the
 *   primary's order; -ENOENT: nothing to compare with yet (the driver has
 *   not run in the primary yet, or the memzone could not be made), this
 *   driver's ops serve and the order is checked once the primary
 *   publishes (call again for the verdict); -EPROTO: the orders differ,
 *   refused as above.
 *   Call it after rte_eal_init().
 */
int dp_mempool_ops_order_check(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MEMPOOL_DYNPOOL_H */
