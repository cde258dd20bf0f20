/* SPDX-License-Identifier: Apache-2.0 */
/* Pool life cycle and queries. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "dp_meta.h"
#include "dp_pool_impl.h"

/* A shared pool (on a memzone segment) lives in a memzone of this name
 * prefix plus its own name, which is how other processes find it. */
#define SHARED_PREFIX "dpp_"
#define SHARED_NAME_MAX (RTE_MEMZONE_NAMESIZE - sizeof(SHARED_PREFIX))

/*
 * Pool objects are type-stable: a destroyed pool's struct is never given
 * back to the C heap but queued (through reg_next, magic 0, ncaches 0) and
 * reused, oldest first, by a later dp_pool_create(). A call on a stale
 * handle therefore reads memory that is still a pool and fails with
 * DP_ERR_INVALID_POOL instead of being undefined, until the struct is
 * reused by a newer pool (then the stale handle names that pool: the ABA
 * case no pointer handle can catch). The cost is at most the peak number
 * of pools alive at once, a few KiB each.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dp_pool *registry;
static struct dp_pool *retired, **retired_tail = &retired;

static struct dp_pool *
pool_obj_new(void)
{
	size_t sz = (sizeof(struct dp_pool) + DP_CACHELINE - 1) & ~(size_t)(DP_CACHELINE - 1);
	struct dp_pool *p;

	pthread_mutex_lock(&registry_lock);
	p = retired;
	if (p != NULL) {
		retired = p->reg_next;
		if (retired == NULL)
			retired_tail = &retired;
	}
	pthread_mutex_unlock(&registry_lock);
	if (p == NULL)
		p = aligned_alloc(DP_CACHELINE, sz);
	if (p != NULL)
		memset(p, 0, sizeof(*p));
	return p;
}

static void
pool_obj_retire(struct dp_pool *p)
{
	pthread_mutex_lock(&registry_lock);
	p->reg_next = NULL;
	*retired_tail = p;
	retired_tail = &p->reg_next;
	pthread_mutex_unlock(&registry_lock);
}

static void
registry_add(struct dp_pool *p)
{
	pthread_mutex_lock(&registry_lock);
	p->reg_next = registry;
	registry = p;
	pthread_mutex_unlock(&registry_lock);
}

static void
registry_remove(struct dp_pool *p)
{
	pthread_mutex_lock(&registry_lock);
	for (struct dp_pool **pp = &registry; *pp != NULL; pp = &(*pp)->reg_next)
		if (*pp == p) {
			*pp = p->reg_next;
			break;
		}
	pthread_mutex_unlock(&registry_lock);
}

/* The shared pool of that name, created by any process of this DPDK
 * application, or NULL. */
static struct dp_pool *
shared_lookup(const char *name)
{
	char mzname[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct dp_pool *p;

	if (!dp_eal_is_up() || strnlen(name, SHARED_NAME_MAX + 1) > SHARED_NAME_MAX)
		return NULL;
	snprintf(mzname, sizeof(mzname), SHARED_PREFIX "%s", name);
	mz = rte_memzone_lookup(mzname);
	if (mz == NULL)
		return NULL;
	p = mz->addr;
	return p->magic == DP_POOL_MAGIC ? p : NULL;
}

dp_err
dp_pool_lookup(const char *name, struct dp_pool **out)
{
	struct dp_pool *found = NULL;

	if (name == NULL || out == NULL)
		return DP_ERR_NULL_PTR;
	pthread_mutex_lock(&registry_lock);
	for (struct dp_pool *p = registry; p != NULL; p = p->reg_next)
		if (strcmp(p->name, name) == 0)
			found = p; /* the list is newest first: keep the oldest */
	pthread_mutex_unlock(&registry_lock);
	if (found == NULL)
		found = shared_lookup(name); /* another process's */
	if (found == NULL)
		return DP_ERR_NOT_FOUND;
	(void)dp_blkcheck_select(); /* a secondary's first sight of the pool */
	*out = found;
	return DP_OK;
}

void
dp_pool_walk(void (*fn)(struct dp_pool *pool, void *arg), void *arg)
{
	if (fn == NULL)
		return;
	pthread_mutex_lock(&registry_lock);
	for (struct dp_pool *p = registry; p != NULL; p = p->reg_next)
		fn(p, arg);
	pthread_mutex_unlock(&registry_lock);
}

/* The footprint rule's spread (dp_pool.h): first lines in every L1 set. */
static bool
dp_pool_spreads(unsigned int flags, size_t walign, uintptr_t fp)
{
	return !(flags & (DP_POOL_F_HW | DP_POOL_F_NO_SPREAD)) && walign <= 64 && fp >= 1024 &&
	       fp % 512 == 0;
}

static dp_err
check_params(const struct dp_seg *seg, const struct dp_pool_params *prm, size_t *walign,
	     size_t *footprint)
{
	size_t pad, size, span;
	uintptr_t fp;

	if (seg == NULL || prm == NULL || prm->name == NULL)
		return DP_ERR_NULL_PTR;
	if (!dp_seg_valid(seg))
		return DP_ERR_INVALID_SEG;
	if (prm->name[0] == '\0' || strnlen(prm->name, DP_NAME_MAX) == DP_NAME_MAX)
		return DP_ERR_INVALID_NAME;
	if (prm->block_size == 0)
		return DP_ERR_INVALID_SIZE;
	if (!dp_is_pow2(prm->block_align))
		return DP_ERR_INVALID_ALIGN;
	if (prm->maximum != DP_POOL_UNLIMITED && prm->initial > prm->maximum)
		return DP_ERR_INVALID_COUNT;
	if (prm->flags & ~DP_POOL_F_ALL)
		return DP_ERR_INVALID_FLAGS;
	if (prm->cache_size > DP_CACHE_MAX)
		return DP_ERR_INVALID_SIZE;

	pad = (prm->flags & DP_POOL_F_HW) ? seg->padding : 1;
	*walign = DP_MAX(prm->block_align, pad);
	size = DP_MAX(prm->block_size, sizeof(void *));
	if (!dp_align_up(size, *walign, &fp))
		return DP_ERR_OVERFLOW;
	if (dp_pool_spreads(prm->flags, *walign, fp))
		fp += 64;
	if (fp > UINT32_MAX)
		return DP_ERR_OVERFLOW;
	if (!dp_mul(fp, prm->initial, &span))
		return DP_ERR_OVERFLOW;
	if (prm->initial > DP_POOL_MAX_BLOCKS || prm->maximum > DP_POOL_MAX_BLOCKS)
		return DP_ERR_INVALID_COUNT;
	/* A HW block that may not straddle a page must fit in one. */
	if ((prm->flags & DP_POOL_F_HW) && !seg->iova_contig && fp > seg->page_size)
		return DP_ERR_INVALID_SIZE;
	*footprint = fp;
	return DP_OK;
}

/* The object of a shared pool: a memzone named after it (primary only). */
static dp_err
shared_obj_new(const char *name, int socket, struct dp_pool **out)
{
	char mzname[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct dp_pool *p;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return DP_ERR_SECONDARY;
	if (strlen(name) > SHARED_NAME_MAX)
		return DP_ERR_INVALID_NAME;
	snprintf(mzname, sizeof(mzname), SHARED_PREFIX "%s", name);
	if (rte_memzone_lookup(mzname) != NULL)
		return DP_ERR_EXISTS;
	mz = rte_memzone_reserve_aligned(mzname, sizeof(*p), socket, 0, DP_CACHELINE);
	if (mz == NULL)
		return rte_errno == EEXIST ? DP_ERR_EXISTS : DP_ERR_NO_MEMORY;
	p = mz->addr;
	memset(p, 0, sizeof(*p));
	p->shared = true;
	p->mz = mz;
	*out = p;
	return DP_OK;
}

static void
pool_free(struct dp_pool *p)
{
	bool shared = p->shared;

	/* A stale handle fails the fast path's cache lookup and then the slow
	 * path's magic check (the struct itself is retired, not freed). */
	p->ncaches = 0;
	p->magic = 0;
	dp_pool_caches_free(p);
	dp_mag_free_all(p);
	dp_blkmap_fini(&p->map);
	dp_meta_free(shared, p->free.slot);
	dp_shpool_init(&p->free, NULL, 0);
	if (shared)
		rte_memzone_free(p->mz);
	else
		pool_obj_retire(p);
}

_Static_assert(offsetof(struct dp_pool, hwm) + sizeof(size_t) - offsetof(struct dp_pool, lock) <=
		       DP_CACHELINE,
	       "a magazine exchange or shared-pool move should write one line of the pool");

dp_err
dp_pool_create(struct dp_seg *seg, const struct dp_pool_params *prm, struct dp_pool **out)
{
	size_t walign = 0, fp = 0, state_cap;
	struct dp_pool *p;
	dp_err err;

	if (out == NULL)
		return DP_ERR_NULL_PTR;
	(void)dp_blkcheck_select(); /* EAL's SIMD limit may have changed */
	err = check_params(seg, prm, &walign, &fp);
	if (err != DP_OK)
		return err;

	if (seg->kind == DP_SEG_MEMZONE) {
		err = shared_obj_new(prm->name, seg->node, &p);
		if (err != DP_OK)
			return err;
	} else {
		p = pool_obj_new();
		if (p == NULL)
			return DP_ERR_NO_MEMORY;
	}
	memcpy(p->name, prm->name, strlen(prm->name) + 1);
	p->hot_dpdk = p->shared || (!DP_META_SANITIZED && dp_eal_is_up());
	p->flags = prm->flags;
	p->checked = DP_DEBUG || !(prm->flags & DP_POOL_F_UNCHECKED);
	p->tracked = DP_DEBUG || !(prm->flags & (DP_POOL_F_NO_TRACK | DP_POOL_F_UNCHECKED));
	p->footprint = fp;
	p->walign = walign;
	p->block_size = prm->block_size;
	p->initial = prm->initial;
	p->maximum = prm->maximum;
	p->grow_batch = prm->grow_batch;
	p->cache_size = prm->cache_size;
	p->seg = seg;
	dp_spin_init(&p->lock);
	for (int i = 0; i < DP_FAIL__COUNT; i++)
		atomic_init(&p->fails[i], 0);
#if DP_STATS
	atomic_init(&p->gets, 0);
	atomic_init(&p->puts, 0);
#endif

	/* The most blocks this pool can ever carve: reset is refused while
	 * the pool is attached, so the segment's room only shrinks. */
	dp_seg_attach(seg);
	state_cap = dp_seg_fit_count(seg, walign, fp, dp_pool_page_bound(p));
	if (p->maximum != DP_POOL_UNLIMITED)
		state_cap = DP_MIN(state_cap, p->maximum);

	err = dp_blkmap_init(&p->map, fp, state_cap, p->tracked, p->shared);
	if (err != DP_OK) {
		dp_seg_detach(seg);
		if (p->shared)
			rte_memzone_free(p->mz);
		else
			pool_obj_retire(p);
		return err;
	}
	dp_shpool_init(&p->free, NULL, 0);
	/* Lcore caches are made by each lcore on its first call. */
	p->ncaches = prm->cache_size > 0 ? DP_MAX_LCORE : 0;
	if (p->initial > 0)
		err = dp_pool_grow_locked(p, p->initial, p->initial, true);
	p->grow_events = 0; /* they count carves after creation */
	if (err != DP_OK) {
		dp_seg_detach(seg);
		pool_free(p);
		return err;
	}
	p->magic = DP_POOL_MAGIC;
	registry_add(p);
	*out = p;
	return DP_OK;
}

dp_err
dp_pool_destroy(struct dp_pool *p)
{
	dp_err err = dp_pool_check_handle(p);

	if (err != DP_OK)
		return err;
	if (p->shared && rte_eal_process_type() != RTE_PROC_PRIMARY)
		return DP_ERR_SECONDARY;
	registry_remove(p);
	dp_seg_detach(p->seg);
	pool_free(p);
	return DP_OK;
}

dp_err
dp_pool_avail(const struct dp_pool *cp, size_t *out)
{
	struct dp_pool *p = (struct dp_pool *)cp; /* the lock is not part of the value */
	dp_err err = dp_pool_check_out(p, out);
	size_t carvable, room;

	if (err != DP_OK)
		return err;
	dp_spin_lock(&p->lock);
	carvable = p->maximum ? p->maximum - p->carved : SIZE_MAX;
	room = dp_seg_fit_count(p->seg, p->walign, p->footprint, dp_pool_page_bound(p));
	*out = dp_shpool_count(&p->free) + p->mag_rounds + dp_pool_in_caches(p) + DP_MIN(carvable, room);
	dp_spin_unlock(&p->lock);
	return DP_OK;
}

dp_err
dp_pool_stats(const struct dp_pool *cp, struct dp_pool_stats *out)
{
	struct dp_pool *p = (struct dp_pool *)cp;
	dp_err err = dp_pool_check_out(p, out);

	if (err != DP_OK)
		return err;
	memset(out, 0, sizeof(*out));
	dp_spin_lock(&p->lock);
	out->carved = p->carved;
	out->in_caches = dp_pool_in_caches(p);
	out->free = DP_MIN(p->carved, dp_shpool_count(&p->free) + p->mag_rounds + out->in_caches);
	out->in_use = p->carved - out->free;
	out->high_watermark = p->hwm;
	out->grow_events = p->grow_events;
	dp_spin_unlock(&p->lock);
	out->fail_pool_empty = atomic_load(&p->fails[DP_FAIL_POOL_EMPTY]);
	out->fail_seg_overflow = atomic_load(&p->fails[DP_FAIL_SEG_OVERFLOW]);
	out->fail_no_memory = atomic_load(&p->fails[DP_FAIL_NO_MEMORY]);
	out->fail_not_in_pool = atomic_load(&p->fails[DP_FAIL_NOT_IN_POOL]);
	out->fail_not_block_start = atomic_load(&p->fails[DP_FAIL_NOT_BLOCK_START]);
	out->fail_double_free = atomic_load(&p->fails[DP_FAIL_DOUBLE_FREE]);
	out->fail_pool_full = atomic_load(&p->fails[DP_FAIL_POOL_FULL]);
#if DP_STATS
	out->gets = atomic_load(&p->gets);
	out->puts = atomic_load(&p->puts);
#endif
	return DP_OK;
}

dp_err
dp_pool_info(const struct dp_pool *p, struct dp_pool_info *out)
{
	dp_err err = dp_pool_check_out(p, out);

	if (err != DP_OK)
		return err;
	memset(out, 0, sizeof(*out));
	memcpy(out->name, p->name, sizeof(out->name));
	out->seg = p->seg;
	out->block_size = p->block_size;
	out->block_align = p->walign;
	out->footprint = p->footprint;
	out->initial = p->initial;
	out->maximum = p->maximum;
	out->grow_batch = p->grow_batch;
	out->flags = p->flags;
	out->cache_size = p->cache_size;
	out->checked = p->checked;
	out->tracked = p->tracked;
	return DP_OK;
}

dp_err
dp_pool_iova(const struct dp_pool *p, const void *blk, uint64_t *iova)
{
	dp_err err = dp_pool_check_handle(p);
	size_t idx;

	if (err != DP_OK)
		return err;
	if (blk == NULL || iova == NULL)
		return DP_ERR_NULL_PTR;
	err = dp_blkmap_index(&p->map, blk, &idx);
	if (err == DP_OK)
		*iova = dp_seg_iova_of(p->seg, (uintptr_t)blk);
	return err;
}
