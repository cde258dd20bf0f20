/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Elastic mbuf pools: an rte_mempool whose size is its maximum, populated
 * chunk by chunk, on demand (memory: dp_elastic_mem.c).
 *
 * Growth: one lcore at a time (trylock: an lcore that finds another one
 * growing fails its get instead of waiting, and an rx burst simply comes
 * back shorter). It hands each chunk to rte_mempool_populate_iova(), the
 * public API, which calls our populate op (mbufs initialised before they
 * are enqueued). populate_iova rather than populate_virt because a failing
 * populate_virt frees every chunk of the pool, in use or not.
 *
 * Teardown: rte_mempool_free() unlists the pool, then dequeues one object
 * per element while it lowers populated_size. Mbufs still in lcore caches,
 * rings or queues make those dequeues miss, and a miss is what grows a
 * pool: so growth first checks that the pool is still listed, and a pool
 * that is not never grows again.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_memzone.h>
#include <rte_version.h>

#include "dp_log_drv.h"
#include "dp_mempool_store.h"
#include "dp_ops_order.h"
#include "dp_rte_compat.h"

RTE_LOG_REGISTER(dp_drv_logtype, mempool.dynpool, NOTICE);

bool
dp_ops_is_ours(const struct rte_mempool *mp)
{
	const char *name = rte_mempool_get_ops(mp->ops_index)->name;

	/* Where this process's ops order differs from the primary's, the
	 * index names no driver reliably (dp_ops_order.h). */
	return (strcmp(name, DP_MEMPOOL_OPS_NAME) == 0 || strcmp(name, DP_ELASTIC_OPS_NAME) == 0) &&
	       dp_ops_order_guard() == 0;
}

struct dp_elastic *
dp_elastic_of(const struct rte_mempool *mp)
{
	const struct dp_store *st;
	struct dp_elastic *el;

	/* The ops first: another driver's pool_data is not a dp_store. */
	if (!dp_ops_is_ours(mp))
		return NULL;
	st = dp_store_of(mp);
	el = st != NULL ? st->el : mp->pool_config;
	if (el == NULL || el->magic != DP_ELASTIC_MAGIC)
		return NULL;
	return el;
}

int
dp_elastic_is(const struct rte_mempool *mp)
{
	return mp != NULL && dp_elastic_of(mp) != NULL;
}

static bool
ops_registered(void)
{
	for (unsigned int i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name, DP_MEMPOOL_OPS_NAME) == 0)
			return true;
	return false;
}

/* rte_mempool_free() has unlisted the pool (or begun lowering
 * populated_size below what growth left). Under grow_lock. */
static bool
being_freed(const struct rte_mempool *mp, struct dp_elastic *el)
{
	if (__atomic_load_n(&el->dying, __ATOMIC_RELAXED))
		return true;
	if (mp->populated_size < atomic_load_explicit(&el->populated, memory_order_relaxed) ||
	    rte_mempool_lookup(mp->name) != mp) {
		__atomic_store_n(&el->dying, true, __ATOMIC_RELAXED);
		atomic_store(&el->stop, DP_ELASTIC_STOP_FREEING);
		return true;
	}
	return false;
}

int
dp_elastic_grow_locked_try(struct rte_mempool *mp, struct dp_elastic *el, unsigned int n,
			   bool exact)
{
	unsigned int left, k;
	int added;

	/* Growth writes the mempool's lists, which are the primary's to
	 * change (and a caller's segment is the primary's object). */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -EPERM;
	if (!dp_spin_trylock(&el->grow_lock))
		return -EBUSY;
	if (being_freed(mp, el)) {
		atomic_fetch_add_explicit(&el->refused_freeing, 1, memory_order_relaxed);
		dp_spin_unlock(&el->grow_lock);
		return -EPERM;
	}
	if (atomic_load(&el->replay) != DP_REPLAY_API) {
		/* Made by ops name: grow only what rte_pktmbuf_init() made. */
		dp_elastic_replay_check(mp, el);
		if (atomic_load(&el->replay) != DP_REPLAY_OK) {
			atomic_store(&el->stop, DP_ELASTIC_STOP_NOT_REPLAYABLE);
			dp_spin_unlock(&el->grow_lock);
			return -EPERM;
		}
	}
	left = el->maximum - mp->populated_size;
	if (left == 0) {
		atomic_store(&el->stop, DP_ELASTIC_STOP_MAXIMUM);
		dp_spin_unlock(&el->grow_lock);
		return 0;
	}
	k = RTE_MIN(exact ? n : RTE_MAX(n, el->batch), left);
	added = dp_elastic_mem_add(mp, el, k);
	if (added > 0)
		atomic_store(&el->stop, mp->populated_size == el->maximum ? DP_ELASTIC_STOP_MAXIMUM :
									    DP_ELASTIC_GROWING);
	/* Readers that do not take the lock see the lists complete up to
	 * this count. */
	atomic_store_explicit(&el->populated, mp->populated_size, memory_order_release);
	dp_spin_unlock(&el->grow_lock);
	if (added > 0)
		atomic_fetch_add_explicit(&el->grow_events, 1, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&el->grow_failures, 1, memory_order_relaxed);
	return added;
}

int
dp_elastic_grow(struct rte_mempool *mp, unsigned int n)
{
	struct dp_elastic *el = mp != NULL ? dp_elastic_of(mp) : NULL;
	int added = 0;

	if (el == NULL)
		return -EINVAL;
	/* A batch at a time until n, or until the maximum. */
	while ((unsigned int)added < n) {
		unsigned int want = n - (unsigned int)added;
		int r = dp_elastic_grow_locked_try(mp, el, RTE_MIN(want, el->batch), true);

		if (r <= 0)
			return added > 0 ? added : r;
		added += r;
	}
	return added;
}

static void
count_memzone(const struct rte_memzone *mz, void *arg)
{
	(void)mz;
	++*(unsigned int *)arg;
}

struct room {
	int socket;
	size_t bytes;
};

/* Pages EAL may still map on the socket (dynamic memory mode). */
static int
msl_room(const struct rte_memseg_list *msl, void *arg)
{
	struct room *r = arg;

	if (!msl->external && (r->socket == SOCKET_ID_ANY || msl->socket_id == r->socket))
		r->bytes += (size_t)(msl->memseg_arr.len - msl->memseg_arr.count) * msl->page_sz;
	return 0;
}

/* Most bytes EAL could ever give the socket: what its heap has free, and
 * (hugepages in dynamic mode) the room left in its memseg lists. */
static size_t
eal_room(int socket)
{
	struct room r = { socket, 0 };
	struct rte_malloc_socket_stats s;

	for (unsigned int i = 0; i < rte_socket_count(); i++) {
		int id = rte_socket_id_by_idx(i);

		if ((socket == SOCKET_ID_ANY || socket == id) &&
		    rte_malloc_get_socket_stats(id, &s) == 0)
			r.bytes += s.heap_freesz_bytes;
	}
	if (rte_eal_has_hugepages())
		rte_memseg_list_walk(msl_room, &r);
	return r.bytes;
}

/* Own memory: refuse what can never be had, before anything is taken. */
static int
check_capacity(const char *name, struct dp_elastic *el, int socket, unsigned int chunks,
	       size_t bytes)
{
	unsigned int used = 0;
	unsigned int limit = (unsigned int)rte_memzone_max_get();
	size_t room;

	room = eal_room(socket);
	if (bytes > room) {
		DP_DRV_LOG(ERR, "%s: %u mbufs of %zu bytes need %zu MiB (pages of %zu bytes); EAL "
				"can give %s at most %zu MiB\n",
			   name, el->maximum, el->obj_sz, bytes >> 20, el->pg_sz,
			   socket == SOCKET_ID_ANY ? "all sockets" : "the socket", room >> 20);
		return ENOMEM;
	}
	rte_memzone_walk(count_memzone, &used);
	if (chunks > limit - RTE_MIN(used, limit)) {
		DP_DRV_LOG(ERR, "%s: %u mbufs need %u memzones; %u of the %u memzones EAL allows are left\n",
			   name, el->maximum, chunks, limit - RTE_MIN(used, limit), limit);
		return ENOSPC;
	}
	return 0;
}

static void
warn_private(const char *name, struct dp_seg *seg)
{
	struct dp_seg_info info;

	if (dp_seg_info(seg, &info) == DP_OK && info.kind != DP_SEG_MEMZONE)
		DP_DRV_LOG(WARNING, "%s: segment %s is not DPDK memory: no secondary process, "
				    "dpdk-proc-info or memif/vhost peer may use this pool\n",
			   name, info.name);
}

static int
check_args(const char *name, unsigned int initial, unsigned int maximum, uint16_t priv_size)
{
	if (name == NULL || name[0] == '\0' || maximum == 0 || initial > maximum ||
	    RTE_ALIGN(priv_size, RTE_MBUF_PRIV_ALIGN) != priv_size)
		return EINVAL;
	if (strnlen(name, RTE_MEMPOOL_NAMESIZE) == RTE_MEMPOOL_NAMESIZE)
		return ENAMETOOLONG;
	if (rte_lcore_count() == 0) /* rte_eal_init() has not run */
		return E_RTE_NO_CONFIG;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return E_RTE_SECONDARY;
	if (!ops_registered())
		return ENOENT;
	return 0;
}

int
dp_elastic_new(struct rte_mempool *mp, unsigned int initial, unsigned int batch,
	       struct dp_seg *seg, struct dp_elastic **out)
{
	struct dp_elastic proto = { 0 }, *el;
	unsigned int chunks = 0;
	size_t bytes = 0;
	int ret;

	proto.magic = DP_ELASTIC_MAGIC;
	proto.initial = initial;
	proto.maximum = mp->size;
	proto.batch = batch ? batch : RTE_MAX(256u, initial / 4);
	proto.seg = seg;
	proto.obj_sz = (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
	ret = -rte_mempool_get_page_size(mp, &proto.pg_sz);
	if (ret == 0 && seg == NULL) {
		chunks = dp_elastic_mem_plan(&proto, &bytes);
		ret = check_capacity(mp->name, &proto, mp->socket_id, chunks, bytes);
	}
	if (ret != 0)
		return ret;
	el = rte_zmalloc_socket("dynpool_elastic", sizeof(*el) + chunks * sizeof(el->mz[0]),
				RTE_CACHE_LINE_SIZE, mp->socket_id);
	if (el == NULL)
		return ENOMEM;
	*el = proto;
	dp_spin_init(&el->grow_lock);
	el->max_mz = chunks;
	*out = el;
	return 0;
}

struct rte_mempool *
dp_elastic_pktmbuf_pool_create(const char *name, unsigned int initial, unsigned int maximum,
			       unsigned int cache_size, uint16_t priv_size,
			       uint16_t data_room_size, int socket_id,
			       const struct dp_elastic_opts *opts)
{
	struct rte_pktmbuf_pool_private mbp_priv = { 0 };
	struct dp_elastic_opts o = { 0 };
	struct dp_elastic *el;
	struct rte_mempool *mp;
	int ret;

	if (opts != NULL)
		o = *opts;
	ret = check_args(name, initial, maximum, priv_size);
	if (ret != 0) {
		rte_errno = ret;
		return NULL;
	}
	mp = rte_mempool_create_empty(name, maximum,
				      sizeof(struct rte_mbuf) + priv_size + data_room_size,
				      cache_size, sizeof(struct rte_pktmbuf_pool_private),
				      socket_id, 0);
	if (mp == NULL)
		return NULL;
	ret = dp_elastic_new(mp, initial, o.grow_batch, o.seg, &el);
	if (ret != 0)
		goto fail;
	if (o.seg != NULL)
		warn_private(name, o.seg);
	/* pool_config reaches our alloc op at the first populate. */
	ret = -rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, el);
	if (ret != 0) {
		rte_free(el);
		goto fail;
	}
	mbp_priv.mbuf_data_room_size = data_room_size;
	mbp_priv.mbuf_priv_size = priv_size;
	rte_pktmbuf_pool_init(mp, &mbp_priv);
	/* From here the mempool owns el (its ops free releases it, and the
	 * memzones; DPDK calls it even for a pool never populated). */
	if (initial > 0 && dp_elastic_grow(mp, initial) < (int)initial) {
		DP_DRV_LOG(ERR, "%s: %u initial mbufs: %s\n", name, initial,
			   dp_elastic_stop_str(atomic_load(&el->stop)));
		rte_mempool_free(mp);
		rte_errno = ENOMEM;
		return NULL;
	}
	el->initial = mp->populated_size;
	atomic_store(&el->grow_events, 0); /* creation is not growth */
	return mp;

fail:
	rte_mempool_free(mp);
	rte_errno = ret;
	return NULL;
}

void
dp_elastic_pool_free(struct rte_mempool *mp)
{
	rte_mempool_free(mp);
}
