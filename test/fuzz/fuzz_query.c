/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Caches, queries and bad arguments in dp_fuzz: dp_cache_*, the pool's
 * read-only calls (avail, stats, info, audit, dump, iova, lookup, walk),
 * and calls with a wrong argument, which must give the documented code
 * and change nothing (fz_sync_all checks the latter after every op).
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

/* ---- caches ----------------------------------------------------------- */

void
op_cache(struct fz_rec *r)
{
	uint8_t sub = fz_u8(r) % 4;

	if (sub < 2) { /* create */
		int pi = fz_pick_pool(r), slot = -1;
		uint8_t k = fz_u8(r) % 8;
		struct dp_cache *h = NULL;
		unsigned int size;
		struct fz_pool *p;
		dp_err want;

		if (pi < 0 || M.pools[pi].uclib)
			return;
		p = &M.pools[pi];
		for (int i = FZ_MAX_CACHES - 1; i >= 0; i--)
			if (!M.caches[i].live)
				slot = i;
		/* Now and then the pool's own cache size: such caches trade
		 * whole magazines with the depot. */
		size = k == 0 ? 0
		     : k == 1 ? DP_CACHE_MAX + 1 + fz_u8(r)
		     : k < 4 && p->cache_size ? p->cache_size
					       : 1 + fz_u8(r) % 32;
		want = size == 0 || size > DP_CACHE_MAX ? DP_ERR_INVALID_SIZE : DP_OK;
		if (want == DP_OK && slot < 0)
			return;
		FZ_EXPECT(dp_cache_create(p->pool, size, &h), want);
		if (want == DP_OK)
			M.caches[slot] = (struct fz_cache){ true, pi, h, size, 0 };
		return;
	}
	/* flush or destroy, sometimes naming the wrong pool */
	{
		int ci = fz_pick_cache(r, -1), qi;
		struct fz_cache *c;
		struct fz_pool *p;
		size_t inc;
		dp_err want = DP_OK;

		if (ci < 0)
			return;
		c = &M.caches[ci];
		p = &M.pools[c->pool];
		qi = fz_u8(r) % 4 == 0 ? fz_pick_pool(r) : c->pool;
		if (qi < 0)
			qi = c->pool;
		if (qi != c->pool)
			want = DP_ERR_INVALID_CACHE;
		inc = fz_in_caches(c->pool);
		FZ_EXPECT(sub == 2 ? dp_cache_flush(M.pools[qi].pool, c->c)
				   : dp_cache_destroy(M.pools[qi].pool, c->c),
			  want);
		if (want != DP_OK)
			return;
		{
			struct dp_pool_stats st;

			fz_stats(p, &st);
			FZ_CHECK(st.in_caches == inc - c->len,
				 "flushing a cache of %zu blocks left in_caches %zu (was %zu)",
				 c->len, st.in_caches, inc);
		}
		c->len = 0;
		if (sub == 3)
			memset(c, 0, sizeof(*c));
	}
}

/* ---- queries ---------------------------------------------------------- */

static void
count_pool(struct dp_pool *pool, void *arg)
{
	(void)pool;
	++*(size_t *)arg;
}

void
op_query(struct fz_rec *r)
{
	static FILE *devnull;
	int pi = fz_pick_pool(r);
	struct fz_pool *p;
	size_t avail, want;

	if (pi < 0)
		return;
	p = &M.pools[pi];
	want = p->carved - p->in_use +
	       fz_min3(fz_fit(&M.segs[p->seg], p->walign, p->fp), fz_allowance(p), SIZE_MAX);
	switch (fz_u8(r) % 8) {
	case 0:
		FZ_EXPECT(dp_pool_avail(p->pool, &avail), DP_OK);
		FZ_CHECK(avail == want, "dp_pool_avail %zu, model %zu", avail, want);
		break;
	case 1:
		if (p->uclib) {
			LIB_ERR e;
			CPU_SIZE_T n = Mem_DynPoolBlkNbrAvailGet(&p->upool, &e);

			if (p->maximum == DP_POOL_UNLIMITED) {
				FZ_EXPECT_LIB(e, LIB_MEM_ERR_POOL_UNLIMITED);
				FZ_CHECK(n == 0, "unlimited pool: %zu available", n);
			} else {
				FZ_EXPECT_LIB(e, LIB_MEM_ERR_NONE);
				FZ_CHECK(n == p->maximum - p->in_use,
					 "Mem_DynPoolBlkNbrAvailGet %zu, model %zu", n,
					 p->maximum - p->in_use);
			}
		} else {
			fz_check_info(p);
		}
		break;
	case 2:
		fz_audit(pi);
		break;
	case 3:
		fz_check_info(p);
		break;
	case 4:
		if (devnull == NULL)
			devnull = fopen("/dev/null", "w");
		if (devnull != NULL)
			FZ_EXPECT(dp_pool_dump(devnull, p->pool), DP_OK);
		/* No lcore ever used the caches: draining them all moves nothing. */
		FZ_EXPECT(dp_pool_cache_drain_all(p->pool), DP_OK);
		break;
	case 5: { /* IOVA of a block (its address on caller memory), or why not */
		uintptr_t a = (uintptr_t)fz_arena + fz_u16(r) % FZ_ARENA_SIZE;
		uint64_t iova = 0;
		size_t idx;
		dp_err e;

		if (p->carved > 0 && fz_u8(r) % 2)
			a = fz_blk_addr(p, fz_randn(r, p->carved)) + (fz_u8(r) % 4 ? 0 : fz_u8(r) % p->fp);
		switch (fz_classify(p, a, &idx)) {
		case FZ_C_BLOCK: e = DP_OK; break;
		case FZ_C_INTERIOR: e = DP_ERR_NOT_BLOCK_START; break;
		default: e = DP_ERR_NOT_IN_POOL; break;
		}
		FZ_EXPECT(dp_pool_iova(p->pool, (void *)a, &iova), e);
		if (e == DP_OK)
			FZ_CHECK(iova == a, "IOVA %#llx of block %#lx", (unsigned long long)iova,
				 (unsigned long)a);
		break;
	}
	case 6: { /* the registry: every live pool, found by its (unique) name */
		struct dp_pool *found = NULL;
		size_t walked = 0, live = 0, same = 0;

		dp_pool_walk(count_pool, &walked);
		for (int i = 0; i < FZ_MAX_POOLS; i++)
			if (M.pools[i].live) {
				live++;
				same += !M.pools[i].uclib && strcmp(M.pools[i].name, p->name) == 0;
			}
		FZ_CHECK(walked == live, "dp_pool_walk saw %zu pools, model %zu", walked, live);
		if (!p->uclib && same == 1) {
			FZ_EXPECT(dp_pool_lookup(p->name, &found), DP_OK);
			FZ_CHECK(found == p->pool, "dp_pool_lookup(%s) found another pool", p->name);
		}
		FZ_EXPECT(dp_pool_lookup("no such pool", &found), DP_ERR_NOT_FOUND);
		break;
	}
	default:
		FZ_CHECK(dp_strerror((dp_err)fz_u8(r)) != NULL && dp_errname((dp_err)fz_u8(r)) != NULL,
			 "dp_strerror/dp_errname returned NULL");
		fz_check_info(p);
		break;
	}
}

/* ---- arguments that are wrong: the documented code, and no change ----- */

void
op_bad_args(struct fz_rec *r)
{
	int pi = fz_pick_pool(r), si = fz_pick_seg(r, -1);
	uint8_t sub = fz_u8(r) % 12;
	struct fz_pool *p = pi >= 0 ? &M.pools[pi] : NULL;
	void *blk = NULL, *blks[4];
	size_t out;

	switch (sub) {
	case 0:
		FZ_EXPECT(dp_pool_get(NULL, &blk), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_put(NULL, &out), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_reset(NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_destroy(NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_destroy(NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_audit(NULL, NULL), DP_ERR_NULL_PTR);
		break;
	case 1:
		if (p == NULL)
			return;
		FZ_EXPECT(dp_pool_get_bulk(p->pool, NULL, 1 + fz_u8(r) % 4), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_put_bulk(p->pool, NULL, 1 + fz_u8(r) % 4), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_avail(p->pool, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_stats(p->pool, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_info(p->pool, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_cache_create(p->pool, 4, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_cache_flush(p->pool, NULL), DP_ERR_NULL_PTR);
		break;
	case 2: { /* a cache of another pool */
		int ci = fz_pick_cache(r, -1);
		size_t n = 1 + fz_u8(r) % 4;

		if (p == NULL || ci < 0 || M.caches[ci].pool == pi)
			return;
		FZ_EXPECT(dp_pool_generic_get(p->pool, M.caches[ci].c, blks, n),
			  DP_ERR_INVALID_CACHE);
		if (p->in_use > 0) {
			blks[0] = (void *)fz_blk_addr(p, p->live_list[0]);
			FZ_EXPECT(dp_pool_generic_put(p->pool, M.caches[ci].c, blks, 1),
				  DP_ERR_INVALID_CACHE);
		}
		break;
	}
	case 3: /* n == 0 does nothing */
		if (p == NULL || p->uclib)
			return;
		FZ_EXPECT(dp_pool_get_bulk(p->pool, blks, 0), DP_OK);
		FZ_EXPECT(dp_pool_put_bulk(p->pool, blks, 0), DP_OK);
		break;
	case 4:
		if (si < 0)
			return;
		FZ_EXPECT(dp_seg_alloc(NULL, 8, 8, &blk, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_alloc(M.segs[si].seg, 8, 8, NULL, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_alloc_hw(NULL, 8, 8, &blk, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_remaining(M.segs[si].seg, 8, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_info(M.segs[si].seg, NULL), DP_ERR_NULL_PTR);
		break;
	case 5: {
		struct dp_pool_params prm = { .name = "x", .block_size = 8, .block_align = 8 };
		struct dp_seg *sh = NULL;

		if (si < 0)
			return;
		FZ_EXPECT(dp_pool_create(M.segs[si].seg, &prm, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_pool_create(NULL, &prm, (struct dp_pool **)&blk), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_create(NULL, fz_arena, 8, 1, &sh), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_seg_create("x", fz_arena, 8, 1, NULL), DP_ERR_NULL_PTR);
		break;
	}
	case 6: { /* uC/LIB objects that were never created */
		MEM_DYN_POOL none;
		MEM_SEG noseg;
		LIB_ERR e;

		memset(&none, 0, sizeof(none));
		memset(&noseg, 0, sizeof(noseg));
		FZ_CHECK(Mem_DynPoolBlkGet(&none, &e) == NULL, "block from a pool never created");
		FZ_EXPECT_LIB(e, LIB_MEM_ERR_INVALID_POOL);
		FZ_CHECK(Mem_DynPoolBlkGet(NULL, &e) == NULL, "block from a NULL pool");
		FZ_EXPECT_LIB(e, LIB_MEM_ERR_NULL_PTR);
		(void)Mem_DynPoolBlkNbrAvailGet(NULL, &e);
		FZ_EXPECT_LIB(e, LIB_MEM_ERR_NULL_PTR);
		Mem_DynPoolBlkFree(&none, fz_arena, &e);
		FZ_EXPECT_LIB(e, LIB_MEM_ERR_INVALID_POOL);
		FZ_CHECK(Mem_SegAllocExt("x", &noseg, 8, 8, NULL, &e) == NULL,
			 "allocation from a segment never created");
		FZ_EXPECT_LIB(e, LIB_MEM_ERR_NULL_PTR);
		Mem_SegClr(&noseg, &e);
		FZ_EXPECT_LIB(e, LIB_MEM_ERR_NULL_PTR);
		break;
	}
	case 7: /* uC/LIB without p_err: nothing happens */
		if (p == NULL || !p->uclib)
			return;
		FZ_CHECK(Mem_DynPoolBlkGet(&p->upool, NULL) == NULL, "got a block without p_err");
		if (p->in_use > 0)
			Mem_DynPoolBlkFree(&p->upool, (void *)fz_blk_addr(p, p->live_list[0]), NULL);
		FZ_CHECK(Mem_DynPoolBlkNbrAvailGet(&p->upool, NULL) == 0, "count without p_err");
		break;
	case 8: /* uC/LIB segment calls without p_err, or on a live MEM_SEG */
		if (si < 0 || !M.segs[si].uclib)
			return;
		{
			struct fz_seg *s = &M.segs[si];
			LIB_ERR e;

			FZ_CHECK(Mem_SegAllocExt("x", &s->useg, 8, 8, NULL, NULL) == NULL,
				 "allocated without p_err");
			Mem_SegCreate("again", &s->useg, (CPU_ADDR)s->base, s->len, s->padding, &e);
			FZ_EXPECT_LIB(e, LIB_MEM_ERR_INVALID_SEG_EXISTS);
			FZ_CHECK(s->useg.SegPtr == s->seg, "Mem_SegCreate on a live MEM_SEG replaced it");
			Mem_SegCreate("x", NULL, (CPU_ADDR)s->base, s->len, 1, &e);
			FZ_EXPECT_LIB(e, LIB_MEM_ERR_NULL_PTR);
		}
		break;
	case 9: /* uC/LIB free of NULL */
		if (p == NULL || !p->uclib)
			return;
		{
			LIB_ERR e;

			Mem_DynPoolBlkFree(&p->upool, NULL, &e);
			FZ_EXPECT_LIB(e, LIB_MEM_ERR_NULL_PTR);
		}
		break;
	case 10: /* cache calls on the wrong objects */
		if (p == NULL || p->uclib)
			return;
		FZ_EXPECT(dp_cache_destroy(NULL, NULL), DP_ERR_NULL_PTR);
		FZ_EXPECT(dp_cache_create(NULL, 4, (struct dp_cache **)&blk), DP_ERR_NULL_PTR);
		/* Without EAL no lcore uses the caches: draining one moves nothing. */
		if (p->cache_size == 0) {
			FZ_EXPECT(dp_pool_cache_drain(p->pool, fz_u8(r) % 4), DP_ERR_INVALID_LCORE);
		} else {
			dp_err e = dp_pool_cache_drain(p->pool, fz_u8(r) % 4);

			FZ_CHECK(e == DP_OK || e == DP_ERR_INVALID_LCORE,
				 "draining an unused lcore cache: %s", dp_errname(e));
		}
		FZ_EXPECT(dp_pool_cache_drain(p->pool, DP_MAX_LCORE), DP_ERR_INVALID_LCORE);
		break;
	default:
		if (si < 0)
			return;
		FZ_EXPECT(dp_seg_remaining(M.segs[si].seg, 3, &out), DP_ERR_INVALID_ALIGN);
		FZ_EXPECT(dp_seg_alloc(M.segs[si].seg, 0, 8, &blk, NULL), DP_ERR_INVALID_SIZE);
		FZ_EXPECT(dp_seg_alloc_hw(M.segs[si].seg, 8, 0, &blk, NULL), DP_ERR_INVALID_ALIGN);
		break;
	}
}
