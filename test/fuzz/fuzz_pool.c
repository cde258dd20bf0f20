/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pool life cycle and gets in dp_fuzz: dp_pool_create/destroy and
 * dp_pool_get* on native pools, Mem_DynPoolCreate[HW] and Mem_DynPoolBlkGet
 * on uC/LIB pools.
 *
 * Gets: the model says whether a get must succeed from what the pool holds
 * that the caller can reach (free blocks outside other caches, plus the
 * calling cache's own) and what it may still carve (its allowance, and
 * the blocks that fit in the segment by the model's own layout). Growth
 * policy is the library's; the model checks only what dp_pool.h promises
 * of it: carve when blocks are missing, at least what is missing, at least
 * grow_batch (or the automatic batch) as room allows, never past the
 * maximum or the segment, and for uC/LIB pools one block at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

size_t
fz_min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

LIB_ERR
fz_lib_pool_err(dp_err e, bool create)
{
	switch (e) {
	case DP_OK: return LIB_MEM_ERR_NONE;
	case DP_ERR_NULL_PTR: return LIB_MEM_ERR_NULL_PTR;
	case DP_ERR_INVALID_SIZE: return LIB_MEM_ERR_INVALID_BLK_SIZE;
	case DP_ERR_INVALID_ALIGN: return LIB_MEM_ERR_INVALID_BLK_ALIGN;
	case DP_ERR_INVALID_COUNT: return LIB_MEM_ERR_INVALID_BLK_NBR;
	case DP_ERR_OVERFLOW: return LIB_MEM_ERR_ADDR_OVF;
	case DP_ERR_SEG_OVERFLOW: return LIB_MEM_ERR_SEG_OVF;
	case DP_ERR_POOL_EMPTY: return LIB_MEM_ERR_POOL_EMPTY;
	case DP_ERR_POOL_FULL: return LIB_MEM_ERR_POOL_FULL;
	case DP_ERR_NOT_IN_POOL:
	case DP_ERR_NOT_BLOCK_START: return LIB_MEM_ERR_INVALID_BLK_ADDR;
	case DP_ERR_DOUBLE_FREE: return LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL;
	default:
		fz_fail(__FILE__, __LINE__, "no uC/LIB %s code for %s", create ? "create" : "op",
			dp_errname(e));
	}
}

void
fz_count_fail(struct fz_pool *p, dp_err e)
{
	switch (e) {
	case DP_ERR_POOL_EMPTY: p->fails[FZ_F_EMPTY]++; break;
	case DP_ERR_SEG_OVERFLOW: p->fails[FZ_F_SEGOVF]++; break;
	case DP_ERR_NOT_IN_POOL: p->fails[FZ_F_NOTIN]++; break;
	case DP_ERR_NOT_BLOCK_START: p->fails[FZ_F_NOTSTART]++; break;
	case DP_ERR_DOUBLE_FREE: p->fails[FZ_F_DOUBLE]++; break;
	case DP_ERR_POOL_FULL: p->fails[FZ_F_FULL]++; break;
	default: break;
	}
}

void
fz_check_info(const struct fz_pool *p)
{
	struct dp_pool_info info;

	FZ_EXPECT(dp_pool_info(p->pool, &info), DP_OK);
	FZ_CHECK((p->uclib || strcmp(info.name, p->name) == 0) &&
			 info.seg == M.segs[p->seg].seg && info.block_size == p->bsize &&
			 info.block_align == p->walign && info.footprint == p->fp &&
			 info.initial == p->initial && info.maximum == p->maximum &&
			 info.grow_batch == p->grow_batch && info.flags == p->flags &&
			 info.cache_size == p->cache_size && !!info.checked == p->checked &&
			 !!info.tracked == p->tracked,
		 "pool info: name '%s' bsize %zu align %zu fp %zu initial %zu max %zu batch %zu "
		 "flags %#x cache %u checked %d tracked %d; model: align %zu fp %zu checked %d "
		 "tracked %d",
		 info.name, info.block_size, info.block_align, info.footprint, info.initial,
		 info.maximum, info.grow_batch, info.flags, info.cache_size, info.checked,
		 info.tracked, p->walign, p->fp, p->checked, p->tracked);
}

/* ---- create ----------------------------------------------------------- */

enum {
	PF_NONE, PF_NULL_PARAMS, PF_NULL_NAME, PF_EMPTY_NAME, PF_LONG_NAME, PF_SIZE0,
	PF_ALIGN, PF_COUNT, PF_FLAGS, PF_CACHE, PF_FP_OVERFLOW, PF_INIT_OVERFLOW,
	PF_INIT_HUGE, PF__N
};

void
op_pool_create(struct fz_rec *r)
{
	int slot = -1, si = fz_pick_seg(r, -1), fault = fz_u8(r) % 32;
	uint8_t k;
	struct dp_pool_params prm;
	struct fz_seg *s;
	struct fz_pool *p;
	size_t walign, fp = 0, span;
	char name[DP_NAME_MAX + 8];
	dp_err want = DP_OK;
	bool uclib, hw;

	if (si < 0)
		return;
	s = &M.segs[si];
	uclib = s->uclib;
	for (int i = FZ_MAX_POOLS - 1; i >= 0; i--)
		if (!M.pools[i].live)
			slot = i;
	if (fault >= PF__N)
		fault = PF_NONE;
	memset(&prm, 0, sizeof(prm));
	snprintf(name, sizeof(name), "pool%d", M.op);
	prm.name = name;
	k = fz_u8(r) % 8;
	prm.block_size = k < 4 ? 1 + (size_t)fz_u8(r) % 64
		       : k < 6 ? 1 + (size_t)fz_u8(r)
		       : k == 6 ? 1 + (size_t)fz_u16(r) % 2048
				: 1 + (size_t)fz_u16(r) % 16384;
	prm.block_align = (size_t)1 << (fz_u8(r) % 13);
	k = fz_u8(r);
	prm.flags = (k & 1) ? DP_POOL_F_HW : 0;
	if (!uclib && (k >> 1) % 4 == 0)
		prm.flags |= DP_POOL_F_NO_TRACK;
	if (!uclib && (k >> 3) % 8 == 0)
		prm.flags |= DP_POOL_F_UNCHECKED;
	if (!uclib && (k >> 6) == 0)
		prm.flags |= DP_POOL_F_NO_SPREAD;
	k = fz_u8(r) % 4;
	prm.initial = k == 0 ? 0 : k == 1 ? fz_u8(r) % 8 : k == 2 ? fz_u8(r) % 64 : fz_u16(r) % 1024;
	k = fz_u8(r) % 4;
	prm.maximum = k == 0 ? DP_POOL_UNLIMITED
		    : k == 1 ? prm.initial + fz_u8(r) % 8
		    : k == 2 ? prm.initial + fz_u8(r)
			     : prm.initial;
	k = fz_u8(r) % 4;
	prm.grow_batch = uclib ? 1 : k == 0 ? 0 : k == 1 ? 1 : k == 2 ? 1 + fz_u8(r) % 16 : fz_u8(r);
	k = fz_u8(r) % 8;
	prm.cache_size = uclib || k < 4 ? 0
		       : k < 6 ? 1 + fz_u8(r) % 16
		       : k == 6 ? 1 + (unsigned int)fz_u8(r)
				: 1 + (unsigned int)fz_u16(r) % DP_CACHE_MAX;

	/* One fault; uC/LIB makes any name valid and has no flags or caches. */
	switch (fault) {
	case PF_NULL_PARAMS: want = DP_ERR_NULL_PTR; break;
	case PF_NULL_NAME: prm.name = NULL; want = uclib ? DP_OK : DP_ERR_NULL_PTR; break;
	case PF_EMPTY_NAME: prm.name = ""; want = uclib ? DP_OK : DP_ERR_INVALID_NAME; break;
	case PF_LONG_NAME:
		memset(name, 'p', DP_NAME_MAX);
		name[DP_NAME_MAX] = '\0';
		want = uclib ? DP_OK : DP_ERR_INVALID_NAME;
		break;
	case PF_SIZE0: prm.block_size = 0; want = DP_ERR_INVALID_SIZE; break;
	case PF_ALIGN:
		prm.block_align = fz_u8(r) & 1 ? 0 : (size_t)3 << (fz_u8(r) % 8);
		want = DP_ERR_INVALID_ALIGN;
		break;
	case PF_COUNT:
		prm.initial = 2 + fz_u8(r) % 16;
		prm.maximum = 1 + fz_u8(r) % (prm.initial - 1);
		want = DP_ERR_INVALID_COUNT;
		break;
	case PF_FLAGS:
		if (!uclib) {
			prm.flags |= 1u << (4 + fz_u8(r) % 28);
			want = DP_ERR_INVALID_FLAGS;
		}
		break;
	case PF_CACHE:
		if (!uclib) {
			prm.cache_size = DP_CACHE_MAX + 1 + fz_u8(r);
			want = DP_ERR_INVALID_SIZE;
		}
		break;
	case PF_FP_OVERFLOW:
		prm.block_size = (size_t)UINT32_MAX + 1 + fz_u8(r);
		want = DP_ERR_OVERFLOW;
		break;
	case PF_INIT_OVERFLOW:
		prm.initial = SIZE_MAX / 2 + fz_u8(r);
		prm.maximum = DP_POOL_UNLIMITED;
		want = DP_ERR_OVERFLOW;
		break;
	case PF_INIT_HUGE: /* fits in size_t, never in the arena */
		prm.initial = (size_t)1 << (20 + fz_u8(r) % 20);
		prm.maximum = DP_POOL_UNLIMITED;
		break;
	}
	hw = prm.flags & DP_POOL_F_HW;
	walign = prm.block_align > (hw ? s->padding : 1) ? prm.block_align : (hw ? s->padding : 1);
	if (want == DP_OK) {
		uintptr_t f = 0;

		(void)fz_align_up(prm.block_size > sizeof(void *) ? prm.block_size : sizeof(void *),
				  walign, &f);
		fp = f;
		/* dp_pool.h's spread; the uC/LIB layer never spreads */
		if (!uclib && !hw && !(prm.flags & DP_POOL_F_NO_SPREAD) && walign <= 64 &&
		    fp >= 1024 && fp % 512 == 0)
			fp += 64;
		if (__builtin_mul_overflow(fp, prm.initial, &span))
			fz_fail(__FILE__, __LINE__, "model: initial blocks overflow unplanned");
		if (prm.initial > DP_POOL_MAX_BLOCKS || prm.maximum > DP_POOL_MAX_BLOCKS)
			want = DP_ERR_INVALID_COUNT; /* the shared pool's 32-bit positions */
		else if (prm.initial > fz_fit(s, walign, fp))
			want = DP_ERR_SEG_OVERFLOW;
	}
	if (want == DP_OK && slot < 0)
		return;

	p = slot >= 0 ? &M.pools[slot] : NULL;
	if (uclib) {
		MEM_DYN_POOL spare, *up = p ? &p->upool : &spare;
		LIB_ERR e;

		memset(up, 0, sizeof(*up));
		(hw ? Mem_DynPoolCreateHW : Mem_DynPoolCreate)(prm.name, fault == PF_NULL_PARAMS ? NULL : up,
							   &s->useg, prm.block_size,
							   prm.block_align, prm.initial,
							   prm.maximum, &e);
		FZ_EXPECT_LIB(e, fz_lib_pool_err(want, true));
		if (want != DP_OK)
			return;
		p->pool = up->PoolPtr;
	} else {
		struct dp_pool *h = NULL;

		FZ_EXPECT(dp_pool_create(s->seg, fault == PF_NULL_PARAMS ? NULL : &prm, &h), want);
		if (want != DP_OK)
			return;
		p->pool = h;
	}
	p->live = true;
	p->uclib = uclib;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->seg = si;
	p->bsize = prm.block_size;
	p->align = prm.block_align;
	p->walign = walign;
	p->fp = fp;
	p->initial = prm.initial;
	p->maximum = prm.maximum;
	p->grow_batch = prm.grow_batch;
	p->flags = prm.flags | (uclib ? DP_POOL_F_NO_SPREAD : 0);
	p->cache_size = prm.cache_size;
	p->hw = hw;
	p->checked = DP_DEBUG || !(prm.flags & DP_POOL_F_UNCHECKED);
	p->tracked = DP_DEBUG || !(prm.flags & (DP_POOL_F_NO_TRACK | DP_POOL_F_UNCHECKED));
	s->npools++;
	fz_carve(p, prm.initial); /* exactly the initial blocks: sync checks the count */
	fz_check_info(p);
}

void
op_pool_destroy(struct fz_rec *r)
{
	int pi = fz_pick_pool(r);
	struct dp_pool *h;
	MEM_DYN_POOL up;
	void *blk = NULL;
	size_t n;

	if (pi < 0)
		return;
	h = M.pools[pi].pool;
	up = M.pools[pi].upool;
	if (M.pools[pi].in_use > 0)
		blk = (void *)fz_blk_addr(&M.pools[pi], M.pools[pi].live_list[0]);
	/* dp_pool.h: allowed with blocks out; they become invalid, their
	 * memory stays carved until the segment is reset. */
	FZ_EXPECT(dp_pool_destroy(h), DP_OK);
	fz_pool_forget(pi);
	/* The handle is stale but type-stable until a later create reuses
	 * the object: every call is refused, none touches freed memory. */
	switch (fz_u8(r) % 4) {
	case 0:
		FZ_EXPECT(dp_pool_get(h, &blk), DP_ERR_INVALID_POOL);
		FZ_EXPECT(dp_pool_avail(h, &n), DP_ERR_INVALID_POOL);
		FZ_EXPECT(dp_pool_destroy(h), DP_ERR_INVALID_POOL);
		break;
	case 1:
		if (blk != NULL)
			FZ_EXPECT(dp_pool_put(h, blk), DP_ERR_INVALID_POOL);
		FZ_EXPECT(dp_cache_create(h, 4, (struct dp_cache **)&blk), DP_ERR_INVALID_POOL);
		FZ_EXPECT(dp_pool_audit(h, NULL), DP_ERR_INVALID_POOL);
		break;
	case 2:
		if (up.PoolPtr != NULL) {
			LIB_ERR e;

			FZ_CHECK(Mem_DynPoolBlkGet(&up, &e) == NULL, "block from a destroyed pool");
			FZ_EXPECT_LIB(e, LIB_MEM_ERR_INVALID_POOL);
		}
		break;
	default:
		break;
	}
}

/* ---- get -------------------------------------------------------------- */

size_t
fz_pick_n(struct fz_rec *r)
{
	uint8_t k = fz_u8(r);

	switch (k % 4) {
	case 0: return (k >> 2) % 5;
	case 1: return 1 + fz_u8(r) % 32;
	case 2: return 1 + fz_u8(r) % FZ_MAX_BULK;
	default: return 1 + fz_u8(r) % 8;
	}
}

void
op_get(struct fz_rec *r)
{
	int pi = fz_pick_pool(r), path = fz_u8(r) % 4, ci = -1;
	void *blks[FZ_MAX_BULK];
	void *const sentinel = (void *)(uintptr_t)0x5a5a;
	struct dp_pool_stats st;
	struct fz_pool *p;
	struct fz_cache *c = NULL;
	size_t n, inc, shared, own = 0, fit, allow, need, k;
	enum { NO_CACHE, HIT, REFILL, BYPASS } mode = NO_CACHE;
	dp_err want, got;

	if (pi < 0)
		return;
	p = &M.pools[pi];
	n = p->uclib || path == 0 ? 1 : fz_pick_n(r);
	if (path == 3 && !p->uclib && (ci = fz_pick_cache(r, pi)) >= 0)
		c = &M.caches[ci];
	/* A hit is served from the cache; a miss refills it, unless the request
	 * is larger than the cache, which then goes to the shared pool first
	 * (doc/design.md, "Refill and flush policy"). Either way the caller's
	 * own cache counts (dp_pool_avail: "a get through cache c fails only
	 * when the shared pool, c and the room left together hold fewer"). */
	if (c != NULL) {
		mode = n <= c->len ? HIT : n <= c->size ? REFILL : BYPASS;
		own = c->len;
	}
	inc = fz_in_caches(pi);
	shared = p->carved - p->in_use - inc;
	fit = fz_fit(&M.segs[p->seg], p->walign, p->fp);
	allow = fz_allowance(p);
	need = n > own + shared ? n - own - shared : 0;
	if (need == 0)
		want = DP_OK;
	else if (need > allow)
		want = DP_ERR_POOL_EMPTY;
	else if (need > fit)
		want = DP_ERR_SEG_OVERFLOW;
	else
		want = DP_OK;

	FZ_TRACE("pool %d path %d n %zu cache %d mode %d: own %zu shared %zu fit %zu allowance %zu "
		 "-> %s", pi, path, n, ci, mode, own, shared, fit, allow, dp_errname(want));
	for (size_t i = 0; i < n; i++)
		blks[i] = sentinel;
	if (p->uclib) {
		LIB_ERR e;

		blks[0] = Mem_DynPoolBlkGet(&p->upool, &e);
		FZ_EXPECT_LIB(e, fz_lib_pool_err(want, false));
		if (want != DP_OK)
			FZ_CHECK(blks[0] == NULL, "failed Mem_DynPoolBlkGet returned %p", blks[0]);
		got = want;
	} else {
		got = path == 0 ? dp_pool_get(p->pool, &blks[0])
		    : path == 1 ? dp_pool_get_bulk(p->pool, blks, n)
				: dp_pool_generic_get(p->pool, c ? c->c : NULL, blks, n);
		FZ_EXPECT(got, want);
		if (want != DP_OK && path == 0)
			FZ_CHECK(blks[0] == sentinel, "failed dp_pool_get changed *blk to %p", blks[0]);
	}
	if (want != DP_OK) {
		fz_count_fail(p, want);
		return;
	}
	if (n == 0)
		return;

	fz_stats(p, &st);
	FZ_CHECK(st.carved >= p->carved, "carved went down from %zu to %zu", p->carved, st.carved);
	k = st.carved - p->carved;
	/* Carve only when blocks are missing; a bypassing get may carve
	 * rather than take its own cache's blocks. */
	FZ_CHECK(need == 0 ? (k == 0 || (mode == BYPASS && n > shared)) : k > 0,
		 "get of %zu (%zu free within reach, %zu shared) carved %zu blocks, needed %zu", n,
		 own + shared, shared, k, need);
	if (k > 0) {
		size_t batch = p->grow_batch ? p->grow_batch
			     : p->carved / 8 > 32 ? p->carved / 8 : 32;

		FZ_CHECK(k <= allow, "carved %zu blocks past the maximum (allowance %zu)", k, allow);
		FZ_CHECK(k >= need, "carved %zu blocks, %zu missing", k, need);
		FZ_CHECK(k >= fz_min3(batch, allow, fit),
			 "carved %zu blocks, batch %zu allowance %zu room %zu", k, batch, allow, fit);
		if (p->uclib)
			FZ_CHECK(k == 1, "uC/LIB pool carved %zu blocks at once", k);
		fz_carve(p, k);
		p->grow_events++;
	}
	for (size_t i = 0; i < n; i++)
		fz_take(p, blks[i]);
	p->gets += n;

	/* Only the calling cache may change, and a hit is served from it. */
	if (c != NULL) {
		long long len = (long long)c->len + ((long long)st.in_caches - (long long)inc);

		FZ_CHECK(len >= 0 && len <= 2 * (long long)c->size,
			 "cache of size %u holds %lld blocks after a get", c->size, len);
		if (mode == HIT)
			FZ_CHECK(len == (long long)(c->len - n),
				 "cache hit of %zu on %zu cached blocks left %lld", n, c->len, len);
		c->len = (size_t)len;
	} else {
		FZ_CHECK(st.in_caches == inc, "uncached get moved cached blocks (%zu -> %zu)", inc,
			 st.in_caches);
	}
}
