/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Elastic mbuf pools: an rte_mempool whose size is its maximum, populated
 * chunk by chunk, on demand, from a segment that commits hugepages only as
 * it is carved.
 *
 * Growth: one lcore at a time (trylock: an lcore that finds another one
 * growing fails its get instead of waiting, and an rx burst simply comes
 * back shorter). It carves an IOVA-contiguous chunk for a batch of
 * objects from the segment, halving the batch when the segment is short,
 * and hands the chunk to rte_mempool_populate_iova(), the public API,
 * which calls our populate op (mbufs initialised before they are
 * enqueued). populate_iova rather than populate_virt because a failing
 * populate_virt frees every chunk of the pool, in use or not.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>

#include "dp_log_drv.h"
#include "dp_mempool_store.h"
#include "dp_rte_compat.h"
#include "dp_telemetry.h"

RTE_LOG_REGISTER(dp_drv_logtype, mempool.dynpool, NOTICE);

struct dp_elastic *
dp_elastic_of(const struct rte_mempool *mp)
{
	const struct dp_store *st;
	struct dp_elastic *el;

	/* The ops first: another driver's pool_data is not a dp_store. */
	if (strcmp(rte_mempool_get_ops(mp->ops_index)->name, DP_MEMPOOL_OPS_NAME) != 0)
		return NULL;
	st = mp->pool_data;
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

static size_t
obj_size(const struct rte_mempool *mp)
{
	return (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
}

int
dp_elastic_grow_locked_try(struct rte_mempool *mp, struct dp_elastic *el, unsigned int n,
			   bool exact)
{
	size_t sz = obj_size(mp);
	unsigned int left, k;
	int added = 0;

	/* The segment object is the primary's. */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -EPERM;
	if (!dp_spin_trylock(&el->grow_lock))
		return -EBUSY;
	left = mp->size - mp->populated_size;
	k = RTE_MIN(exact ? n : RTE_MAX(n, el->batch), left);
	while (k > 0 && added == 0) {
		void *va;
		uint64_t iova;
		dp_err e = dp_seg_alloc_contig(el->seg, k * sz, RTE_CACHE_LINE_SIZE, &va, &iova);

		if (e == DP_ERR_INVALID_SIZE) {
			/* Larger than a page of a segment that is not one IOVA
			 * run: one page's worth at a time. */
			struct dp_seg_info info;
			if (dp_seg_info(el->seg, &info) != DP_OK || info.page_size < sz)
				break;
			k = RTE_MIN(k - 1, (unsigned int)(info.page_size / sz));
			continue;
		}
		if (e != DP_OK) {
			k /= 2; /* short of room or hugepages: try smaller */
			continue;
		}
		added = rte_mempool_populate_iova(mp, va, iova, k * sz, NULL, NULL);
		if (added < 0) {
			DP_DRV_LOG(ERR, "%s: populate %u objects: %s\n", mp->name, k,
				   rte_strerror(-added));
			break;
		}
	}
	dp_spin_unlock(&el->grow_lock);
	if (added > 0)
		atomic_fetch_add_explicit(&el->grow_events, 1, memory_order_relaxed);
	else if (left > 0)
		atomic_fetch_add_explicit(&el->grow_failures, 1, memory_order_relaxed);
	return added > 0 ? added : (left == 0 ? 0 : -ENOMEM);
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

static struct dp_seg *
own_segment(const char *name, unsigned int maximum, size_t sz, int socket_id, unsigned int flags)
{
	struct dp_seg *seg;
	/* Room for every mbuf, plus what page boundaries may waste. */
	size_t len = (size_t)maximum * sz + (size_t)maximum * sz / 16 + (4u << 20);
	dp_err e = dp_seg_create_huge(name, len, socket_id == SOCKET_ID_ANY ? -1 : socket_id,
				      RTE_CACHE_LINE_SIZE, DP_SEG_F_ON_DEMAND | flags, &seg);

	if (e != DP_OK) {
		DP_DRV_LOG(ERR, "%s: segment: %s\n", name, dp_strerror(e));
		return NULL;
	}
	return seg;
}

struct rte_mempool *
dp_elastic_pktmbuf_pool_create(const char *name, unsigned int initial, unsigned int maximum,
			       unsigned int cache_size, uint16_t priv_size,
			       uint16_t data_room_size, int socket_id,
			       const struct dp_elastic_opts *opts)
{
	struct rte_pktmbuf_pool_private mbp_priv = { 0 };
	struct dp_elastic_opts o = { 0 };
	struct rte_mempool_objsz objsz;
	struct rte_mempool *mp;
	struct dp_elastic *el;
	unsigned int elt_size;
	int ret;

	if (opts != NULL)
		o = *opts;
	if (name == NULL || name[0] == '\0' || maximum == 0 || initial > maximum ||
	    RTE_ALIGN(priv_size, RTE_MBUF_PRIV_ALIGN) != priv_size) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* As rte_mempool_create_empty() would, but before the segment (whose
	 * name is the pool's) is made. */
	if (strnlen(name, RTE_MEMPOOL_NAMESIZE) == RTE_MEMPOOL_NAMESIZE) {
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	if (rte_lcore_count() == 0) { /* rte_eal_init() has not run */
		rte_errno = E_RTE_NO_CONFIG;
		return NULL;
	}
	if (!ops_registered()) {
		rte_errno = ENOENT;
		return NULL;
	}
	elt_size = sizeof(struct rte_mbuf) + priv_size + data_room_size;
	rte_mempool_calc_obj_size(elt_size, 0, &objsz);

	el = rte_zmalloc_socket("dynpool_elastic", sizeof(*el), RTE_CACHE_LINE_SIZE, socket_id);
	if (el == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	el->magic = DP_ELASTIC_MAGIC;
	dp_spin_init(&el->grow_lock);
	el->initial = initial;
	el->maximum = maximum;
	el->batch = o.grow_batch ? o.grow_batch : RTE_MAX(256u, initial / 4);
	el->seg = o.seg != NULL ? o.seg : own_segment(name, maximum, objsz.total_size, socket_id,
						     o.seg_flags);
	el->own_seg = o.seg == NULL;
	if (el->seg == NULL) {
		rte_free(el);
		rte_errno = ENOMEM;
		return NULL;
	}

	mp = rte_mempool_create_empty(name, maximum, elt_size, cache_size,
				      sizeof(struct rte_pktmbuf_pool_private), socket_id, 0);
	if (mp == NULL) {
		ret = rte_errno;
		goto fail;
	}
	/* pool_config reaches our alloc op at the first populate. */
	ret = rte_mempool_set_ops_byname(mp, DP_MEMPOOL_OPS_NAME, el);
	if (ret != 0) {
		ret = -ret;
		rte_mempool_free(mp);
		goto fail;
	}
	mbp_priv.mbuf_data_room_size = data_room_size;
	mbp_priv.mbuf_priv_size = priv_size;
	rte_pktmbuf_pool_init(mp, &mbp_priv);
	/* From here the mempool owns el (its ops free releases it). */
	if (initial > 0 && dp_elastic_grow(mp, initial) < (int)initial) {
		rte_mempool_free(mp);
		rte_errno = ENOMEM;
		return NULL;
	}
	el->initial = mp->populated_size;
	atomic_store(&el->grow_events, 0); /* creation is not growth */
	return mp;

fail:
	if (el->own_seg && dp_seg_destroy(el->seg) != DP_OK)
		DP_DRV_LOG(WARNING, "%s: segment not released\n", name);
	rte_free(el);
	rte_errno = ret;
	return NULL;
}

int
dp_elastic_stats(const struct rte_mempool *mp, struct dp_elastic_stats *st)
{
	const struct dp_elastic *el = mp != NULL ? dp_elastic_of(mp) : NULL;
	const struct dp_store *s;
	struct dp_seg_info info;

	if (el == NULL || st == NULL)
		return -EINVAL;
	s = mp->pool_data;
	memset(st, 0, sizeof(*st));
	st->initial = el->initial;
	st->maximum = el->maximum;
	st->populated = mp->populated_size;
	st->available = rte_mempool_avail_count(mp);
	st->in_use = st->populated > st->available ? st->populated - st->available : 0;
	st->high_watermark = s != NULL ? s->out_max : 0;
	st->grow_events = atomic_load(&el->grow_events);
	st->grow_failures = atomic_load(&el->grow_failures);
	if (dp_seg_info(el->seg, &info) == DP_OK)
		st->seg_committed = info.committed;
	return 0;
}

void
dp_elastic_pool_free(struct rte_mempool *mp)
{
	rte_mempool_free(mp);
}

void
dp_elastic_dump(FILE *f, const struct rte_mempool *mp)
{
	struct dp_elastic_stats st;

	if (f == NULL || dp_elastic_stats(mp, &st) != 0)
		return;
	fprintf(f, "dynpool elastic mempool <%s>@%p\n", mp->name, (const void *)mp);
	fprintf(f, "  initial=%u maximum=%u populated=%u available=%u in_use=%u high_watermark=%u\n",
		st.initial, st.maximum, st.populated, st.available, st.in_use, st.high_watermark);
	fprintf(f, "  grow_events=%lu grow_failures=%lu segment_committed=%zu bytes\n",
		(unsigned long)st.grow_events, (unsigned long)st.grow_failures, st.seg_committed);
}

/* Telemetry: every mempool on the dynpool ops, elastic or not. */
static bool
on_dynpool_ops(const struct rte_mempool *mp)
{
	return strcmp(rte_mempool_get_ops(mp->ops_index)->name, DP_MEMPOOL_OPS_NAME) == 0;
}

static void
add_mempool(struct rte_mempool *mp, void *arg)
{
	if (on_dynpool_ops(mp))
		rte_tel_data_add_array_string(arg, mp->name);
}

static void
mempool_list(struct rte_tel_data *d)
{
	rte_mempool_walk(add_mempool, d);
}

static int
mempool_info(const char *name, struct rte_tel_data *d)
{
	struct rte_mempool *mp = rte_mempool_lookup(name);
	struct dp_elastic_stats st;

	if (mp == NULL || !on_dynpool_ops(mp))
		return -1;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", mp->name);
	rte_tel_data_add_dict_uint(d, "size", mp->size);
	rte_tel_data_add_dict_uint(d, "cache_size", mp->cache_size);
	rte_tel_data_add_dict_uint(d, "available", rte_mempool_avail_count(mp));
	if (dp_elastic_stats(mp, &st) == 0) {
		rte_tel_data_add_dict_string(d, "kind", "elastic mbuf pool");
		rte_tel_data_add_dict_uint(d, "initial", st.initial);
		rte_tel_data_add_dict_uint(d, "maximum", st.maximum);
		rte_tel_data_add_dict_uint(d, "populated", st.populated);
		rte_tel_data_add_dict_uint(d, "in_use", st.in_use);
		rte_tel_data_add_dict_uint(d, "high_watermark", st.high_watermark);
		rte_tel_data_add_dict_uint(d, "grow_events", st.grow_events);
		rte_tel_data_add_dict_uint(d, "grow_failures", st.grow_failures);
		rte_tel_data_add_dict_uint(d, "memory_bytes", st.seg_committed);
	} else {
		rte_tel_data_add_dict_string(d, "kind", "mempool on dynpool ops");
		rte_tel_data_add_dict_uint(d, "in_use", rte_mempool_in_use_count(mp));
	}
	return 0;
}

RTE_INIT(dp_elastic_telemetry_init)
{
	static const struct dp_telemetry_source src = { mempool_list, mempool_info };

	dp_telemetry_add_source(&src);
}
