/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Elastic pools seen from outside: stats, dump, telemetry, and holding
 * growth for callers that walk the mempool's lists.
 *
 * None of these readers walks a list growth appends to, or reads
 * populated_size, which DPDK bumps object by object during a populate:
 * they read the counters growth publishes (release) once a populate is
 * complete, so they run at any time without stalling growth.
 */
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp_log_drv.h"
#include "dp_mempool_store.h"
#include "dp_rte_compat.h"
#include "dp_telemetry.h"

const char *
dp_elastic_stop_str(enum dp_elastic_stop s)
{
	switch (s) {
	case DP_ELASTIC_GROWING: return "growing";
	case DP_ELASTIC_STOP_MAXIMUM: return "maximum reached";
	case DP_ELASTIC_STOP_NO_MEMORY: return "no memory (hugepages or -m exhausted)";
	case DP_ELASTIC_STOP_SEGMENT_FULL: return "segment full";
	case DP_ELASTIC_STOP_MEMZONE_LIMIT: return "memzone limit (rte_memzone_max_get)";
	case DP_ELASTIC_STOP_POPULATE: return "populate failed";
	case DP_ELASTIC_STOP_FREEING: return "pool being freed";
	case DP_ELASTIC_STOP_NOT_REPLAYABLE:
		return "mbufs not initialised by rte_pktmbuf_init: growth cannot replay it";
	}
	return "unknown";
}

int
dp_elastic_stats(const struct rte_mempool *mp, struct dp_elastic_stats *st)
{
	struct dp_elastic *el = mp != NULL ? dp_elastic_of(mp) : NULL;
	const struct dp_store *s;
	struct dp_seg_info info;

	if (el == NULL || st == NULL)
		return -EINVAL;
	s = dp_store_of(mp);
	memset(st, 0, sizeof(*st));
	st->initial = el->initial;
	st->maximum = el->maximum;
	/* One snapshot: the free count is racy against lcores (their caches
	 * are read without a lock) and against growth, so it is read between
	 * two reads of populated and capped by it; in_use is what remains. */
	for (int tries = 0; tries < 4; tries++) {
		st->populated = atomic_load_explicit(&el->populated, memory_order_acquire);
		st->available = rte_mempool_avail_count(mp);
		/* Populated mbufs only, for pools made by ops name too. */
		st->available -= RTE_MIN(st->available, dp_elastic_unpopulated(mp, el));
		if (atomic_load_explicit(&el->populated, memory_order_acquire) == st->populated)
			break;
	}
	st->available = RTE_MIN(st->available, st->populated);
	st->in_use = st->populated - st->available;
	st->refused_gets = atomic_load_explicit(&el->refused_gets, memory_order_relaxed);
	st->high_watermark = s != NULL ? s->out_max : 0;
	st->grow_events = atomic_load(&el->grow_events);
	st->grow_failures = atomic_load(&el->grow_failures);
	st->stop = (enum dp_elastic_stop)atomic_load(&el->stop);
	if (el->seg == NULL) {
		st->seg_committed = atomic_load_explicit(&el->mem_bytes, memory_order_acquire);
		st->memzones = __atomic_load_n(&el->nb_mz, __ATOMIC_RELAXED);
	} else if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
		   dp_seg_info(el->seg, &info) == DP_OK) {
		st->seg_committed = info.committed; /* the segment is the primary's */
	}
	return 0;
}

int
dp_elastic_hold_growth(struct rte_mempool *mp)
{
	struct dp_elastic *el = mp != NULL ? dp_elastic_of(mp) : NULL;

	if (el == NULL)
		return -EINVAL;
	dp_spin_lock(&el->grow_lock);
	return 0;
}

int
dp_elastic_release_growth(struct rte_mempool *mp)
{
	struct dp_elastic *el = mp != NULL ? dp_elastic_of(mp) : NULL;

	if (el == NULL)
		return -EINVAL;
	dp_spin_unlock(&el->grow_lock);
	return 0;
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
	fprintf(f, "  grow_events=%lu grow_failures=%lu refused_gets=%lu memory=%zu bytes memzones=%u\n",
		(unsigned long)st.grow_events, (unsigned long)st.grow_failures,
		(unsigned long)st.refused_gets, st.seg_committed, st.memzones);
	fprintf(f, "  growth: %s\n", dp_elastic_stop_str(st.stop));
}

/* Telemetry: every mempool on the dynpool ops, elastic or not. */
static bool
on_dynpool_ops(const struct rte_mempool *mp)
{
	return dp_ops_is_ours(mp);
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
	rte_tel_data_add_dict_uint(d, "refused_puts", dp_store_refused(dp_store_of(mp)));
	if (dp_elastic_stats(mp, &st) == 0) {
		/* available and in_use from the one snapshot: they add up. */
		rte_tel_data_add_dict_uint(d, "available", st.available);
		rte_tel_data_add_dict_uint(d, "refused_gets", st.refused_gets);
		rte_tel_data_add_dict_string(d, "kind", "elastic mbuf pool");
		rte_tel_data_add_dict_uint(d, "initial", st.initial);
		rte_tel_data_add_dict_uint(d, "maximum", st.maximum);
		rte_tel_data_add_dict_uint(d, "populated", st.populated);
		rte_tel_data_add_dict_uint(d, "in_use", st.in_use);
		rte_tel_data_add_dict_uint(d, "high_watermark", st.high_watermark);
		rte_tel_data_add_dict_uint(d, "grow_events", st.grow_events);
		rte_tel_data_add_dict_uint(d, "grow_failures", st.grow_failures);
		rte_tel_data_add_dict_uint(d, "memory_bytes", st.seg_committed);
		rte_tel_data_add_dict_uint(d, "memzones", st.memzones);
		rte_tel_data_add_dict_string(d, "growth", dp_elastic_stop_str(st.stop));
	} else {
		unsigned int avail = rte_mempool_avail_count(mp);

		rte_tel_data_add_dict_uint(d, "available", avail);
		rte_tel_data_add_dict_string(d, "kind", "mempool on dynpool ops");
		rte_tel_data_add_dict_uint(d, "in_use", mp->size - RTE_MIN(avail, mp->size));
	}
	return 0;
}

RTE_INIT(dp_elastic_telemetry_init)
{
	static const struct dp_telemetry_source src = { mempool_list, mempool_info };

	dp_telemetry_add_source(&src);
}
