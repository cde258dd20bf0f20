/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory behind elastic growth.
 *
 * Own memory is memzones, so that every DPDK consumer (secondaries,
 * dpdk-proc-info, memif and vhost peers, rte_mem_virt2iova) sees DPDK
 * memory. Not an external heap: a process that does not call
 * rte_malloc_heap_memory_attach() (dpdk-proc-info, any unmodified
 * secondary) cannot see one.
 *
 * Sizes are counted as the mempool's populate helper places objects: none
 * straddles a boundary of the EAL's smallest page (rte_mempool_get_page_size)
 * unless it is larger than a page. Counting bytes as n x object size is
 * what left PA mode and 4 KiB pages short of the maximum. Counts follow
 * each memzone's address: DPDK's heap puts an element header before a
 * memzone's data, so one aligned to a page would take a page more for the
 * header; memzones are cache-line aligned and SLACK bytes short of whole
 * pages instead, and a chunk is sized to hold its objects wherever it
 * starts (at worst one object fewer than from a page boundary).
 *
 * PA mode: a memzone need not be one IOVA run; it is populated one run
 * (of pages whose IOVAs follow each other) at a time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "dp_log_drv.h"
#include "dp_mempool_store.h"

#define CHUNK_CAP ((size_t)64 << 20)
#define SLACK ((size_t)256) /* more than a heap element's header and trailer */

static size_t
unit_of(const struct dp_elastic *el)
{
	return el->pg_sz != 0 ? el->pg_sz : (size_t)sysconf(_SC_PAGESIZE);
}

static bool
no_page_rule(const struct dp_elastic *el)
{
	return el->pg_sz == 0 || el->obj_sz > el->pg_sz;
}

/* Offset just past n objects placed from `off`. */
static size_t
place(const struct dp_elastic *el, size_t off, size_t n)
{
	size_t pg = el->pg_sz, sz = el->obj_sz, per, room, next;

	if (n == 0)
		return off;
	if (no_page_rule(el))
		return off + n * sz;
	per = pg / sz;
	room = off % pg == 0 ? per : (pg - off % pg) / sz;
	if (n <= room)
		return off + n * sz;
	n -= room;
	next = RTE_ALIGN_CEIL(off + 1, pg);
	return next + (n - 1) / per * pg + ((n - 1) % per + 1) * sz;
}

/* Objects that fit in [off, end): the rest of off's page, whole pages,
 * then the start of end's page. */
static size_t
fit(const struct dp_elastic *el, size_t off, size_t end)
{
	size_t pg = el->pg_sz, sz = el->obj_sz, first_end, n;

	if (end <= off)
		return 0;
	if (no_page_rule(el))
		return (end - off) / sz;
	first_end = RTE_MIN(RTE_ALIGN_FLOOR(off, pg) + pg, end);
	n = (first_end - off) / sz;
	if (first_end == end)
		return n;
	return n + (end - first_end) / pg * (pg / sz) + (end - first_end) % pg / sz;
}

/* Objects a chunk of len bytes (pages) holds at least, wherever its
 * memzone (len - SLACK bytes) starts. */
static size_t
holds(const struct dp_elastic *el, size_t len)
{
	size_t n = fit(el, 0, len - SLACK);

	return n > 0 ? n - 1 : 0;
}

/* Pages for n objects wherever they start. */
static size_t
pages_for(const struct dp_elastic *el, size_t n)
{
	return RTE_ALIGN_CEIL(place(el, 0, n + 1) + SLACK, unit_of(el));
}

/* Bytes (whole pages) of chunk i when `left` objects still need memory:
 * twice the one before, from one growth batch up to CHUNK_CAP, and no more
 * than left needs. */
static size_t
chunk_len(const struct dp_elastic *el, unsigned int i, size_t left)
{
	size_t first = pages_for(el, el->batch);
	size_t cap = RTE_MAX(CHUNK_CAP, first);
	size_t len = i >= 30 || (first << i) > cap ? cap : first << i;

	return RTE_MIN(len, pages_for(el, left));
}

unsigned int
dp_elastic_mem_plan(const struct dp_elastic *el, size_t *bytes)
{
	size_t left = el->maximum, total = 0, i = 0;

	while (left > 0) {
		size_t len = chunk_len(el, (unsigned int)RTE_MIN(i, 31u), left);
		size_t per = holds(el, len);

		if (i >= 30 && per > 0 && left > per) {
			/* Chunks at the cap from here: all of them but the last
			 * at once (a maximum of 2^31 mbufs is 2^17 chunks). */
			size_t k = (left - 1) / per;

			total += k * len;
			left -= k * per;
			i += k;
			continue;
		}
		left -= RTE_MIN(left, per);
		total += len;
		i++;
	}
	*bytes = total;
	return i > UINT32_MAX ? UINT32_MAX : (unsigned int)i;
}

static bool
one_run(const struct dp_elastic *el)
{
	return rte_eal_iova_mode() == RTE_IOVA_VA || no_page_rule(el);
}

/* Populate [from, to) of memzone mz, one IOVA run at a time. */
static int
populate_range(struct rte_mempool *mp, const struct dp_elastic *el,
	       const struct rte_memzone *mz, size_t from, size_t to)
{
	char *base = mz->addr;
	size_t unit = unit_of(el);
	int added = 0;

	while (from < to) {
		rte_iova_t iova = rte_mem_virt2iova(base + from);
		size_t end = to;
		int r;

		if (!one_run(el) && iova != RTE_BAD_IOVA) {
			/* Page boundaries are those of the addresses. */
			end = RTE_ALIGN_FLOOR((uintptr_t)base + from, unit) + unit - (uintptr_t)base;
			while (end < to && rte_mem_virt2iova(base + end) == iova + (end - from))
				end += unit;
			end = RTE_MIN(end, to);
		}
		r = rte_mempool_populate_iova(mp, base + from, iova, end - from, NULL, NULL);
		if (r < 0)
			return added > 0 ? added : r;
		added += r;
		from = end;
	}
	return added;
}

static enum dp_elastic_stop
stop_of_errno(int e)
{
	return e == ENOSPC ? DP_ELASTIC_STOP_MEMZONE_LIMIT : DP_ELASTIC_STOP_NO_MEMORY;
}

/* Logged once per stop, not at every get that retries. */
static const struct rte_memzone *
reserve(struct rte_mempool *mp, struct dp_elastic *el, size_t len)
{
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int flags = 0;
	const struct rte_memzone *mz = NULL;

	/* Objects larger than a page straddle pages: one IOVA run in PA mode. */
	if (no_page_rule(el) && rte_eal_iova_mode() != RTE_IOVA_VA)
		flags |= RTE_MEMZONE_IOVA_CONTIG;
	/* A name someone else took (the names are plain memzone names) is
	 * not a reason to stop: the next one with a suffix ("dp<chunk>-<n>_"). */
	for (unsigned int k = 0; k < 16; k++) {
		int len_name = k == 0 ? snprintf(name, sizeof(name), "dp%x_%s", el->nb_mz, mp->name) :
					snprintf(name, sizeof(name), "dp%x-%x_%s", el->nb_mz, k,
						 mp->name);

		if (len_name >= (int)sizeof(name)) {
			rte_errno = ENOSPC; /* past 4095 chunks for a 25-character name */
			return NULL;
		}
		mz = rte_memzone_reserve_aligned(name, len - SLACK, mp->socket_id, flags,
						 RTE_CACHE_LINE_SIZE);
		if (mz != NULL || rte_errno != EEXIST)
			break;
	}
	if (mz == NULL && atomic_load(&el->stop) != stop_of_errno(rte_errno))
		DP_DRV_LOG(WARNING, "%s: growth stops: memzone %s of %zu bytes: %s\n", mp->name,
			   name, len, rte_strerror(rte_errno));
	return mz;
}

static int
memzone_add(struct rte_mempool *mp, struct dp_elastic *el, unsigned int k)
{
	int added = 0;

	while ((unsigned int)added < k) {
		const struct rte_memzone *mz = el->nb_mz > 0 ? el->mz[el->nb_mz - 1] : NULL;
		/* Offsets counted from the page the memzone starts in. */
		size_t mod = mz != NULL && el->pg_sz != 0 ? (uintptr_t)mz->addr % el->pg_sz : 0;
		size_t room = 0, to;
		int r;

		if (mz != NULL)
			room = fit(el, mod + el->mz_off, mod + mz->len);
		if (room == 0) {
			size_t left = el->maximum - mp->populated_size;

			if (el->nb_mz == el->max_mz) {
				atomic_store(&el->stop, DP_ELASTIC_STOP_MEMZONE_LIMIT);
				return added > 0 ? added : -ENOSPC;
			}
			mz = reserve(mp, el, chunk_len(el, el->nb_mz, left));
			if (mz == NULL) {
				atomic_store(&el->stop, stop_of_errno(rte_errno));
				return added > 0 ? added : (rte_errno == ENOSPC ? -ENOSPC : -ENOMEM);
			}
			el->mz[el->nb_mz] = mz;
			__atomic_store_n(&el->nb_mz, el->nb_mz + 1, __ATOMIC_RELEASE);
			el->mz_off = 0;
			atomic_fetch_add_explicit(&el->mem_bytes, mz->len, memory_order_release);
			continue;
		}
		to = place(el, mod + el->mz_off, RTE_MIN(room, (size_t)(k - added))) - mod;
		r = populate_range(mp, el, mz, el->mz_off, to);
		if (r <= 0) {
			DP_DRV_LOG(ERR, "%s: populate: %s\n", mp->name, rte_strerror(-r));
			atomic_store(&el->stop, DP_ELASTIC_STOP_POPULATE);
			return added > 0 ? added : (r < 0 ? r : -ENOMEM);
		}
		el->mz_off = to;
		added += r;
	}
	return added;
}

/* A caller's segment: carve IOVA-contiguous blocks with room for one more
 * page boundary than a block starting on a page would cross. */
static int
segment_add(struct rte_mempool *mp, struct dp_elastic *el, unsigned int k)
{
	size_t want = k;

	while (want > 0) {
		size_t len = place(el, 0, want) + el->obj_sz;
		void *va;
		uint64_t iova;
		dp_err e = dp_seg_alloc_contig(el->seg, len, RTE_CACHE_LINE_SIZE, &va, &iova);
		int r;

		if (e == DP_ERR_INVALID_SIZE || e == DP_ERR_SEG_OVERFLOW ||
		    e == DP_ERR_NO_HUGEPAGES || e == DP_ERR_SYSTEM) {
			/* Too long for one page of a segment that is not one
			 * IOVA run, or short of room or pages: smaller. */
			if (want == 1) {
				atomic_store(&el->stop, e == DP_ERR_NO_HUGEPAGES || e == DP_ERR_SYSTEM ?
								DP_ELASTIC_STOP_NO_MEMORY :
								DP_ELASTIC_STOP_SEGMENT_FULL);
				return -ENOMEM;
			}
			want /= 2;
			continue;
		}
		if (e != DP_OK) {
			atomic_store(&el->stop, DP_ELASTIC_STOP_SEGMENT_FULL);
			return -ENOMEM;
		}
		r = rte_mempool_populate_iova(mp, va, iova, len, NULL, NULL);
		if (r <= 0) {
			DP_DRV_LOG(ERR, "%s: populate: %s\n", mp->name, rte_strerror(r < 0 ? -r : ENOMEM));
			atomic_store(&el->stop, DP_ELASTIC_STOP_POPULATE);
			return r < 0 ? r : -ENOMEM;
		}
		return r;
	}
	return -ENOMEM;
}

int
dp_elastic_mem_add(struct rte_mempool *mp, struct dp_elastic *el, unsigned int k)
{
	return el->seg != NULL ? segment_add(mp, el, k) : memzone_add(mp, el, k);
}

void
dp_elastic_mem_free(const struct rte_mempool *mp, struct dp_elastic *el)
{
	/* What a user checks at exit: all memory back, none added by the
	 * free itself (dynpool-testpmd's test compares it with its stats). */
	DP_DRV_LOG(INFO, "%s: freed: %" PRIu64 " bytes in %u memzones given back; %u gets found "
			 "it empty while it was freed and did not grow it\n",
		   mp->name, (uint64_t)atomic_load(&el->mem_bytes), el->nb_mz,
		   atomic_load(&el->refused_freeing));
	for (unsigned int i = 0; i < el->nb_mz; i++)
		if (rte_memzone_free(el->mz[i]) != 0)
			DP_DRV_LOG(WARNING, "memzone %s not freed\n", el->mz[i]->name);
	__atomic_store_n(&el->nb_mz, 0, __ATOMIC_RELEASE);
	atomic_store(&el->mem_bytes, 0);
}
