/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile input: every public function of the native API and of the
 * uC/LIB layer, called with every class of invalid argument that applies
 * to it. Each case runs in a fresh world (segments, pools with blocks out
 * and blocks cached, stale handles) and must return its documented error,
 * not crash, and leave every pool and segment exactly as it was: audits
 * pass, no block is carved, lost, freed or handed out. Refusals may only
 * bump the failure counters. The mempool driver's entry points have their
 * own table in drivers/test_mempool_dynpool.c (they need EAL).
 *
 * The cases are one X-macro list, so adding a case is one line and the
 * count printed at the end is the real number of calls made.
 */
#include <lib_mem.h>
#include <stdio.h>

#include "common.h"

#define NPOOLS 9
#define NSEGS 3

struct world {
	struct region ra, rb, rc;
	struct dp_seg *sa;        /* 64 KiB, padding 64: p, hw, q, lim, full */
	struct dp_seg *sb;        /* 4 KiB, exactly full of tiny's blocks */
	struct dp_seg *dead_seg;  /* destroyed: a stale handle */
	struct dp_pool *p;        /* unlimited, lcore caches on, blocks out and cached */
	struct dp_pool *hw;       /* HW pool */
	struct dp_pool *q;        /* another pool, one block out */
	struct dp_pool *lim;      /* maximum 2, both out */
	struct dp_pool *full;     /* maximum 2, none out */
	struct dp_pool *tiny;     /* every block out, segment exhausted */
	struct dp_pool *dead;     /* destroyed: a stale handle */
	struct dp_cache *uc;      /* user cache of p, holding blocks */
	struct dp_cache *uq;      /* user cache of q */
	void *pb[2], *pfree, *hwb, *qb, *limb[2], *fullfree, *tb[4];
	void *beyond;             /* in sa, past every carved block */
	alignas(64) uint64_t fake[64]; /* zeroed memory posing as a handle, aligned
				    * as a pool: foreign, not misaligned */
	unsigned char foreign[256];
	/* uC/LIB */
	MEM_SEG useg, uzero;
	MEM_DYN_POOL upool, ulim, ufull, uzpool;
	void *ub, *ulimb, *ufree, *ufullb;
	LIB_ERR lerr;
	/* outputs of the calls */
	struct dp_seg *oseg;
	struct dp_pool *opool;
	struct dp_cache *ocache;
	void *optr, *blks[8];
	size_t osize;
	uint64_t oiova;
	struct dp_seg_info oinfo;
	struct dp_pool_stats ostats;
	struct dp_pool_info opinfo;
	struct dp_pool_audit oaudit;
	struct dp_pktbuf_layout olayout;
	struct dp_pool_params prm;
	char longname[DP_NAME_MAX + 8];
};

static struct dp_pool_params
wparams(struct world *w, size_t size, size_t align, size_t init, size_t max)
{
	w->prm = params("h", size, align, init, max, 0);
	return w->prm;
}

/* Parameters of a valid pool with one field changed: a macro, because
 * the field is a name. */
#define PRM(field, value) (wparams(w, 64, 8, 1, 0), w->prm.field = (value), &w->prm)


/* Without EAL no thread has an lcore id, and an lcore cache is only made
 * by its lcore's first call: borrow ids 0 and 1 for a moment so that p
 * has two lcore caches (holding blocks) to pass where a user cache is
 * expected. */
static void
make_lcore_caches(struct dp_pool *p)
{
	for (unsigned int id = 0; id < 2; id++) {
		void *b;

		RTE_PER_LCORE(_lcore_id) = id;
		assert_ok(dp_pool_get(p, &b));
		assert_ok(dp_pool_put(p, b));
	}
	RTE_PER_LCORE(_lcore_id) = LCORE_ID_ANY;
	cr_assert_not_null(p->lcache[0]);
	cr_assert_not_null(p->lcache[1]);
}
static void
world_init(struct world *w)
{
	struct dp_pool_params prm;
	LIB_ERR e;

	memset(w, 0, sizeof(*w));
	memset(w->longname, 'n', sizeof(w->longname) - 1);
	w->ra = region_new(65536, 8);
	w->rb = region_new(4096, 0);
	w->rc = region_new(16384, 0);
	assert_ok(dp_seg_create("sa", w->ra.base, w->ra.len, 64, &w->sa));
	assert_ok(dp_seg_create("sb", w->rb.base, w->rb.len, 1, &w->sb));
	assert_ok(dp_seg_create("dead", w->rc.base, 512, 1, &w->dead_seg));
	assert_ok(dp_seg_destroy(w->dead_seg));

	prm = params("p", 100, 8, 8, 0, 0);
	prm.cache_size = 4;
	assert_ok(dp_pool_create(w->sa, &prm, &w->p));
	prm = params("hw", 200, 16, 2, 0, DP_POOL_F_HW);
	assert_ok(dp_pool_create(w->sa, &prm, &w->hw));
	prm = params("q", 100, 8, 2, 0, 0);
	assert_ok(dp_pool_create(w->sa, &prm, &w->q));
	prm = params("lim", 32, 8, 2, 2, 0);
	assert_ok(dp_pool_create(w->sa, &prm, &w->lim));
	prm = params("full", 32, 8, 2, 2, 0);
	assert_ok(dp_pool_create(w->sa, &prm, &w->full));
	prm = params("tiny", 1024, 8, 4, 0, DP_POOL_F_NO_SPREAD); /* 4 x 1 KiB, no more */
	prm.grow_batch = 1;
	assert_ok(dp_pool_create(w->sb, &prm, &w->tiny));
	make_lcore_caches(w->p);
	assert_ok(dp_cache_create(w->p, 4, &w->uc));
	assert_ok(dp_cache_create(w->q, 4, &w->uq));
	assert_ok(dp_pool_generic_get(w->p, w->uc, w->blks, 3));
	assert_ok(dp_pool_generic_put(w->p, w->uc, w->blks, 3)); /* uc now holds blocks */
	assert_ok(dp_pool_get(w->p, &w->pb[0]));
	assert_ok(dp_pool_get(w->p, &w->pb[1]));
	assert_ok(dp_pool_get(w->p, &w->pfree));
	assert_ok(dp_pool_put(w->p, w->pfree));
	assert_ok(dp_pool_get(w->hw, &w->hwb));
	assert_ok(dp_pool_get(w->q, &w->qb));
	assert_ok(dp_pool_get_bulk(w->lim, w->limb, 2));
	assert_ok(dp_pool_get(w->full, &w->fullfree));
	assert_ok(dp_pool_put(w->full, w->fullfree));
	assert_ok(dp_pool_get_bulk(w->tiny, w->tb, 4));
	assert_ok(dp_seg_alloc(w->sa, 64, 8, &w->beyond, NULL));

	Mem_SegCreate("useg", &w->useg, (CPU_ADDR)w->rc.base + 1024, 8192, 32, &e);
	cr_assert_eq(e, LIB_MEM_ERR_NONE);
	Mem_DynPoolCreate("upool", &w->upool, &w->useg, 48, 8, 2, 0, &e);
	cr_assert_eq(e, LIB_MEM_ERR_NONE);
	Mem_DynPoolCreate("ulim", &w->ulim, &w->useg, 48, 8, 1, 1, &e);
	cr_assert_eq(e, LIB_MEM_ERR_NONE);
	w->ub = Mem_DynPoolBlkGet(&w->upool, &e);
	w->ufree = Mem_DynPoolBlkGet(&w->upool, &e);
	Mem_DynPoolBlkFree(&w->upool, w->ufree, &e);
	w->ulimb = Mem_DynPoolBlkGet(&w->ulim, &e);
	cr_assert_eq(e, LIB_MEM_ERR_NONE);
	Mem_DynPoolCreate("ufull", &w->ufull, &w->useg, 48, 8, 1, 1, &e);
	w->ufullb = Mem_DynPoolBlkGet(&w->ufull, &e);
	Mem_DynPoolBlkFree(&w->ufull, w->ufullb, &e);
	cr_assert_eq(e, LIB_MEM_ERR_NONE);

	/* Last, so that no pool of this world reuses its object. */
	prm = params("dead", 16, 8, 0, 0, 0);
	assert_ok(dp_pool_create(w->sa, &prm, &w->dead));
	assert_ok(dp_pool_destroy(w->dead));
}

/* The live pools, in a fixed order; returns how many. */
static int
world_pools(const struct world *w, struct dp_pool **out)
{
	struct dp_pool *all[NPOOLS] = { w->p, w->hw, w->q, w->lim, w->full, w->tiny,
					w->upool.PoolPtr, w->ulim.PoolPtr, w->ufull.PoolPtr };

	memcpy(out, all, sizeof(all));
	return NPOOLS;
}

static void
world_fini(struct world *w)
{
	/* Pools are abandoned with their segments: the objects are released,
	 * the regions freed; blocks still out die with them. */
	struct dp_pool *pools[NPOOLS];
	int n = world_pools(w, pools);

	assert_ok(dp_cache_destroy(w->p, w->uc));
	assert_ok(dp_cache_destroy(w->q, w->uq));
	for (int i = 0; i < n; i++)
		assert_ok(dp_pool_destroy(pools[i]));
	assert_ok(dp_seg_destroy(w->sa));
	assert_ok(dp_seg_destroy(w->sb));
	assert_ok(dp_seg_destroy(w->useg.SegPtr));
	free(w->ra.raw);
	free(w->rb.raw);
	free(w->rc.raw);
}

/* What must not change: per pool, where its blocks are; per segment, its
 * bump pointer and attached pools. */
struct snapshot {
	struct dp_pool_stats pool[NPOOLS];
	struct dp_seg_info seg[NSEGS];
	size_t heap_used;
};

static size_t
heap_used(void)
{
	MEM_SEG_INFO info;
	LIB_ERR e;

	Mem_SegRemSizeGet(NULL, 1, &info, &e);
	cr_assert_eq(e, LIB_MEM_ERR_NONE);
	return info.UsedSize;
}

static void
world_snapshot(struct world *w, struct snapshot *s)
{
	struct dp_pool *pools[NPOOLS];
	struct dp_seg *segs[NSEGS] = { w->sa, w->sb, w->useg.SegPtr };

	world_pools(w, pools);
	for (int i = 0; i < NPOOLS; i++) {
		assert_audit_ok(pools[i]);
		s->pool[i] = pool_stats(pools[i]);
	}
	for (int i = 0; i < NSEGS; i++)
		assert_ok(dp_seg_info(segs[i], &s->seg[i]));
	s->heap_used = heap_used();
}

static void
assert_unchanged(const struct snapshot *a, const struct snapshot *b, const char *what)
{
	for (int i = 0; i < NPOOLS; i++) {
		const struct dp_pool_stats *x = &a->pool[i], *y = &b->pool[i];

		cr_assert(x->carved == y->carved && x->in_use == y->in_use && x->free == y->free &&
				  x->in_caches == y->in_caches && x->grow_events == y->grow_events,
			  "%s: pool %d changed (carved %zu->%zu, in use %zu->%zu, cached %zu->%zu)",
			  what, i, x->carved, y->carved, x->in_use, y->in_use, x->in_caches,
			  y->in_caches);
	}
	for (int i = 0; i < NSEGS; i++)
		cr_assert(a->seg[i].used == b->seg[i].used && a->seg[i].pools == b->seg[i].pools,
			  "%s: segment %d changed (used %zu->%zu)", what, i, a->seg[i].used,
			  b->seg[i].used);
	cr_assert_eq(a->heap_used, b->heap_used, "%s: the uC/LIB heap changed", what);
}

/* uC/LIB calls report through *p_err; a pointer-returning call must also
 * return NULL (0) when it fails. Both fold into one int to compare. The
 * error is read through a pointer, after the call has run. */
static int
uc_ptr(const void *ret, const LIB_ERR *e)
{
	return (ret != NULL) == (*e == LIB_MEM_ERR_NONE) ? (int)*e : -1;
}

static int
uc_size(CPU_SIZE_T ret, const LIB_ERR *e)
{
	return *e == LIB_MEM_ERR_NONE || ret == 0 ? (int)*e : -1;
}

/* Calls with a NULL error pointer return nothing to compare: each of
 * these reads what the call could have changed, and answers 0 only when
 * it did not (the world snapshot after the case checks the rest). */
static int
uc_seg_left_uncreated(const MEM_SEG *seg)
{
	return seg->SegPtr == NULL && seg->Type == 0 ? 0 : -1;
}

static int
uc_clear_silently(MEM_SEG *seg)
{
	struct dp_seg *was = seg->SegPtr;
	size_t before, after;

	if (dp_seg_remaining(was, 1, &before) != DP_OK)
		return -2;
	Mem_SegClr(seg, NULL);
	if (seg->SegPtr != was || dp_seg_remaining(was, 1, &after) != DP_OK)
		return -1;
	return after == before ? 0 : -1;
}

static int
uc_free_silently(MEM_DYN_POOL *pool, void *blk)
{
	struct dp_pool_stats before, after;

	if (dp_pool_stats(pool->PoolPtr, &before) != DP_OK)
		return -2;
	Mem_DynPoolBlkFree(pool, blk, NULL);
	if (dp_pool_stats(pool->PoolPtr, &after) != DP_OK)
		return -2;
	return after.in_use == before.in_use && after.free == before.free ? 0 : -1;
}

/* dp_strerror()/dp_errname() of an unknown code: a readable string. */
static int
unknown_code_named(int code)
{
	const char *s = dp_strerror((dp_err)code), *n = dp_errname((dp_err)code);

	return s != NULL && n != NULL && strcmp(n, "DP_ERR_UNKNOWN") == 0 ? DP_OK : -1;
}

static int
walk_null(void)
{
	dp_pool_walk(NULL, NULL);
	return DP_OK;
}

#define B(p, off) ((void *)((char *)(p) + (off)))
#define FAKE_SEG ((struct dp_seg *)w->fake)
#define FAKE_POOL ((struct dp_pool *)w->fake)
#define WRAP_BASE ((void *)(UINTPTR_MAX - 4095))
#define BIG ((size_t)1 << 62)
#define BLKS2(a, b) (w->blks[0] = (a), w->blks[1] = (b), w->blks)
#define BLKS3(a, b, c) (w->blks[0] = (a), w->blks[1] = (b), w->blks[2] = (c), w->blks)

/* X(function, class of input, expected result, call) */
#define SEG_CASES(X)                                                                        \
	X("dp_seg_create", "NULL name", DP_ERR_NULL_PTR,                                     \
	  dp_seg_create(NULL, w->rc.base, 64, 1, &w->oseg))                                  \
	X("dp_seg_create", "NULL base", DP_ERR_NULL_PTR, dp_seg_create("x", NULL, 64, 1, &w->oseg)) \
	X("dp_seg_create", "NULL out", DP_ERR_NULL_PTR, dp_seg_create("x", w->rc.base, 64, 1, NULL)) \
	X("dp_seg_create", "empty name", DP_ERR_INVALID_NAME,                                \
	  dp_seg_create("", w->rc.base, 64, 1, &w->oseg))                                    \
	X("dp_seg_create", "name too long", DP_ERR_INVALID_NAME,                             \
	  dp_seg_create(w->longname, w->rc.base, 64, 1, &w->oseg))                           \
	X("dp_seg_create", "zero length", DP_ERR_INVALID_SIZE,                               \
	  dp_seg_create("x", w->rc.base, 0, 1, &w->oseg))                                    \
	X("dp_seg_create", "range wraps", DP_ERR_SEG_RANGE,                                  \
	  dp_seg_create("x", WRAP_BASE, 8192, 1, &w->oseg))                                  \
	X("dp_seg_create", "huge length", DP_ERR_SEG_RANGE,                                  \
	  dp_seg_create("x", w->rc.base, SIZE_MAX, 1, &w->oseg))                             \
	X("dp_seg_create", "zero padding", DP_ERR_INVALID_ALIGN,                             \
	  dp_seg_create("x", w->rc.base, 64, 0, &w->oseg))                                   \
	X("dp_seg_create", "padding not a power of two", DP_ERR_INVALID_ALIGN,               \
	  dp_seg_create("x", w->rc.base, 64, 24, &w->oseg))                                  \
	X("dp_seg_create", "same range as a live segment", DP_ERR_SEG_EXISTS,                \
	  dp_seg_create("x", w->ra.base, w->ra.len, 1, &w->oseg))                            \
	X("dp_seg_create", "overlapping a live segment", DP_ERR_SEG_OVERLAP,                 \
	  dp_seg_create("x", B(w->ra.base, 100), 64, 1, &w->oseg))                           \
	X("dp_seg_destroy", "NULL", DP_ERR_NULL_PTR, dp_seg_destroy(NULL))                   \
	X("dp_seg_destroy", "foreign handle", DP_ERR_INVALID_SEG, dp_seg_destroy(FAKE_SEG))  \
	X("dp_seg_destroy", "after destroy", DP_ERR_INVALID_SEG, dp_seg_destroy(w->dead_seg)) \
	X("dp_seg_destroy", "pools attached", DP_ERR_SEG_BUSY, dp_seg_destroy(w->sa))        \
	X("dp_seg_alloc", "NULL segment", DP_ERR_NULL_PTR, dp_seg_alloc(NULL, 8, 8, &w->optr, NULL)) \
	X("dp_seg_alloc", "NULL out", DP_ERR_NULL_PTR, dp_seg_alloc(w->sa, 8, 8, NULL, NULL)) \
	X("dp_seg_alloc", "zero size", DP_ERR_INVALID_SIZE,                                  \
	  dp_seg_alloc(w->sa, 0, 8, &w->optr, NULL))                                         \
	X("dp_seg_alloc", "zero alignment", DP_ERR_INVALID_ALIGN,                            \
	  dp_seg_alloc(w->sa, 8, 0, &w->optr, NULL))                                         \
	X("dp_seg_alloc", "alignment not a power of two", DP_ERR_INVALID_ALIGN,              \
	  dp_seg_alloc(w->sa, 8, 12, &w->optr, NULL))                                        \
	X("dp_seg_alloc", "huge size", DP_ERR_SEG_OVERFLOW,                                  \
	  dp_seg_alloc(w->sa, SIZE_MAX, 8, &w->optr, &w->osize))                             \
	X("dp_seg_alloc", "huge alignment", DP_ERR_SEG_OVERFLOW,                             \
	  dp_seg_alloc(w->sa, 8, (size_t)1 << 63, &w->optr, NULL))                           \
	X("dp_seg_alloc", "full segment", DP_ERR_SEG_OVERFLOW,                               \
	  dp_seg_alloc(w->sb, 1, 1, &w->optr, &w->osize))                                    \
	X("dp_seg_alloc", "foreign handle", DP_ERR_INVALID_SEG,                              \
	  dp_seg_alloc(FAKE_SEG, 8, 8, &w->optr, NULL))                                      \
	X("dp_seg_alloc", "after destroy", DP_ERR_INVALID_SEG,                               \
	  dp_seg_alloc(w->dead_seg, 8, 8, &w->optr, NULL))                                   \
	X("dp_seg_alloc_hw", "NULL segment", DP_ERR_NULL_PTR,                                \
	  dp_seg_alloc_hw(NULL, 8, 8, &w->optr, NULL))                                       \
	X("dp_seg_alloc_hw", "NULL out", DP_ERR_NULL_PTR, dp_seg_alloc_hw(w->sa, 8, 8, NULL, NULL)) \
	X("dp_seg_alloc_hw", "zero size", DP_ERR_INVALID_SIZE,                               \
	  dp_seg_alloc_hw(w->sa, 0, 8, &w->optr, NULL))                                      \
	X("dp_seg_alloc_hw", "alignment not a power of two", DP_ERR_INVALID_ALIGN,           \
	  dp_seg_alloc_hw(w->sa, 8, 3, &w->optr, NULL))                                      \
	X("dp_seg_alloc_hw", "size overflowing the padding", DP_ERR_SEG_OVERFLOW,            \
	  dp_seg_alloc_hw(w->sa, SIZE_MAX - 10, 8, &w->optr, NULL))                          \
	X("dp_seg_alloc_hw", "full segment", DP_ERR_SEG_OVERFLOW,                            \
	  dp_seg_alloc_hw(w->sb, 1, 1, &w->optr, NULL))                                      \
	X("dp_seg_alloc_hw", "after destroy", DP_ERR_INVALID_SEG,                            \
	  dp_seg_alloc_hw(w->dead_seg, 8, 8, &w->optr, NULL))                                \
	X("dp_seg_alloc_contig", "NULL segment", DP_ERR_NULL_PTR,                            \
	  dp_seg_alloc_contig(NULL, 8, 8, &w->optr, &w->oiova))                              \
	X("dp_seg_alloc_contig", "NULL out", DP_ERR_NULL_PTR,                                \
	  dp_seg_alloc_contig(w->sa, 8, 8, NULL, &w->oiova))                                 \
	X("dp_seg_alloc_contig", "zero size", DP_ERR_INVALID_SIZE,                           \
	  dp_seg_alloc_contig(w->sa, 0, 8, &w->optr, &w->oiova))                             \
	X("dp_seg_alloc_contig", "alignment not a power of two", DP_ERR_INVALID_ALIGN,       \
	  dp_seg_alloc_contig(w->sa, 8, 48, &w->optr, &w->oiova))                            \
	X("dp_seg_alloc_contig", "huge size", DP_ERR_SEG_OVERFLOW,                           \
	  dp_seg_alloc_contig(w->sa, SIZE_MAX, 8, &w->optr, &w->oiova))                      \
	X("dp_seg_alloc_contig", "after destroy", DP_ERR_INVALID_SEG,                        \
	  dp_seg_alloc_contig(w->dead_seg, 8, 8, &w->optr, &w->oiova))                       \
	X("dp_seg_remaining", "NULL segment", DP_ERR_NULL_PTR, dp_seg_remaining(NULL, 8, &w->osize)) \
	X("dp_seg_remaining", "NULL out", DP_ERR_NULL_PTR, dp_seg_remaining(w->sa, 8, NULL)) \
	X("dp_seg_remaining", "zero alignment", DP_ERR_INVALID_ALIGN,                        \
	  dp_seg_remaining(w->sa, 0, &w->osize))                                             \
	X("dp_seg_remaining", "alignment not a power of two", DP_ERR_INVALID_ALIGN,          \
	  dp_seg_remaining(w->sa, 6, &w->osize))                                             \
	X("dp_seg_remaining", "after destroy", DP_ERR_INVALID_SEG,                           \
	  dp_seg_remaining(w->dead_seg, 8, &w->osize))                                       \
	X("dp_seg_info", "NULL segment", DP_ERR_NULL_PTR, dp_seg_info(NULL, &w->oinfo))      \
	X("dp_seg_info", "NULL out", DP_ERR_NULL_PTR, dp_seg_info(w->sa, NULL))              \
	X("dp_seg_info", "foreign handle", DP_ERR_INVALID_SEG, dp_seg_info(FAKE_SEG, &w->oinfo)) \
	X("dp_seg_info", "after destroy", DP_ERR_INVALID_SEG, dp_seg_info(w->dead_seg, &w->oinfo)) \
	X("dp_seg_reset", "NULL", DP_ERR_NULL_PTR, dp_seg_reset(NULL))                       \
	X("dp_seg_reset", "after destroy", DP_ERR_INVALID_SEG, dp_seg_reset(w->dead_seg))    \
	X("dp_seg_reset", "pools attached", DP_ERR_SEG_BUSY, dp_seg_reset(w->sa))            \
	X("dp_seg_create_huge", "NULL name", DP_ERR_NULL_PTR,                                \
	  dp_seg_create_huge(NULL, 4096, -1, 64, DP_SEG_F_NORMAL_PAGES, &w->oseg))           \
	X("dp_seg_create_huge", "NULL out", DP_ERR_NULL_PTR,                                 \
	  dp_seg_create_huge("x", 4096, -1, 64, DP_SEG_F_NORMAL_PAGES, NULL))                \
	X("dp_seg_create_huge", "zero length", DP_ERR_INVALID_SIZE,                          \
	  dp_seg_create_huge("x", 0, -1, 64, DP_SEG_F_NORMAL_PAGES, &w->oseg))               \
	X("dp_seg_create_huge", "huge length", DP_ERR_OVERFLOW,                          \
	  dp_seg_create_huge("x", SIZE_MAX, -1, 64, DP_SEG_F_NORMAL_PAGES, &w->oseg))        \
	X("dp_seg_create_huge", "padding not a power of two", DP_ERR_INVALID_ALIGN,          \
	  dp_seg_create_huge("x", 4096, -1, 96, DP_SEG_F_NORMAL_PAGES, &w->oseg))            \
	X("dp_seg_create_huge", "unknown flag", DP_ERR_INVALID_FLAGS,                        \
	  dp_seg_create_huge("x", 4096, -1, 64, 1u << 20, &w->oseg))                         \
	X("dp_seg_create_huge", "no such node", DP_ERR_INVALID_NODE,                         \
	  dp_seg_create_huge("x", 4096, 4000, 64, DP_SEG_F_NORMAL_PAGES, &w->oseg))          \
	X("dp_seg_create_huge", "negative node", DP_ERR_INVALID_NODE,                        \
	  dp_seg_create_huge("x", 4096, -7, 64, DP_SEG_F_NORMAL_PAGES, &w->oseg))            \
	X("dp_seg_create_memzone", "NULL name", DP_ERR_NULL_PTR,                             \
	  dp_seg_create_memzone(NULL, 4096, -1, 64, &w->oseg))                               \
	X("dp_seg_create_memzone", "EAL not initialised", DP_ERR_NO_EAL,                     \
	  dp_seg_create_memzone("x", 4096, -1, 64, &w->oseg))                                \
	X("dp_seg_lookup_memzone", "NULL name", DP_ERR_NULL_PTR,                             \
	  dp_seg_lookup_memzone(NULL, &w->oseg))                                             \
	X("dp_seg_lookup_memzone", "EAL not initialised", DP_ERR_NO_EAL,                     \
	  dp_seg_lookup_memzone("x", &w->oseg))                                              \
	X("dp_seg_iova", "NULL segment", DP_ERR_NULL_PTR, dp_seg_iova(NULL, w->pb[0], &w->oiova)) \
	X("dp_seg_iova", "NULL out", DP_ERR_NULL_PTR, dp_seg_iova(w->sa, w->pb[0], NULL))    \
	X("dp_seg_iova", "address outside", DP_ERR_OUT_OF_RANGE,                             \
	  dp_seg_iova(w->sa, w->foreign, &w->oiova))                                         \
	X("dp_seg_iova", "one past the end", DP_ERR_OUT_OF_RANGE,                            \
	  dp_seg_iova(w->sa, B(w->ra.base, w->ra.len), &w->oiova))                           \
	X("dp_seg_iova", "after destroy", DP_ERR_INVALID_SEG,                                \
	  dp_seg_iova(w->dead_seg, w->rc.base, &w->oiova))

#define CREATE_CASES(X)                                                                     \
	X("dp_pool_create", "NULL segment", DP_ERR_NULL_PTR,                                 \
	  dp_pool_create(NULL, PRM(flags, 0), &w->opool))                                    \
	X("dp_pool_create", "NULL params", DP_ERR_NULL_PTR, dp_pool_create(w->sa, NULL, &w->opool)) \
	X("dp_pool_create", "NULL name", DP_ERR_NULL_PTR,                                    \
	  dp_pool_create(w->sa, PRM(name, NULL), &w->opool))                                 \
	X("dp_pool_create", "NULL out", DP_ERR_NULL_PTR, dp_pool_create(w->sa, PRM(flags, 0), NULL)) \
	X("dp_pool_create", "foreign segment", DP_ERR_INVALID_SEG,                           \
	  dp_pool_create(FAKE_SEG, PRM(flags, 0), &w->opool))                                \
	X("dp_pool_create", "destroyed segment", DP_ERR_INVALID_SEG,                         \
	  dp_pool_create(w->dead_seg, PRM(flags, 0), &w->opool))                             \
	X("dp_pool_create", "empty name", DP_ERR_INVALID_NAME,                               \
	  dp_pool_create(w->sa, PRM(name, ""), &w->opool))                                   \
	X("dp_pool_create", "name too long", DP_ERR_INVALID_NAME,                            \
	  dp_pool_create(w->sa, PRM(name, w->longname), &w->opool))                          \
	X("dp_pool_create", "zero block size", DP_ERR_INVALID_SIZE,                          \
	  dp_pool_create(w->sa, PRM(block_size, 0), &w->opool))                              \
	X("dp_pool_create", "zero alignment", DP_ERR_INVALID_ALIGN,                          \
	  dp_pool_create(w->sa, PRM(block_align, 0), &w->opool))                             \
	X("dp_pool_create", "alignment not a power of two", DP_ERR_INVALID_ALIGN,            \
	  dp_pool_create(w->sa, PRM(block_align, 40), &w->opool))                            \
	X("dp_pool_create", "initial above maximum", DP_ERR_INVALID_COUNT,                   \
	  dp_pool_create(w->sa, (wparams(w, 64, 8, 5, 4), &w->prm), &w->opool))       \
	X("dp_pool_create", "unknown flag", DP_ERR_INVALID_FLAGS,                            \
	  dp_pool_create(w->sa, PRM(flags, 1u << 30), &w->opool))                            \
	X("dp_pool_create", "cache above DP_CACHE_MAX", DP_ERR_INVALID_SIZE,                 \
	  dp_pool_create(w->sa, PRM(cache_size, DP_CACHE_MAX + 1), &w->opool))               \
	X("dp_pool_create", "huge block size", DP_ERR_OVERFLOW,                              \
	  dp_pool_create(w->sa, PRM(block_size, SIZE_MAX), &w->opool))                       \
	X("dp_pool_create", "huge alignment", DP_ERR_OVERFLOW,                               \
	  dp_pool_create(w->sa, PRM(block_align, (size_t)1 << 63), &w->opool))               \
	X("dp_pool_create", "size x initial overflows", DP_ERR_OVERFLOW,                     \
	  dp_pool_create(w->sa, PRM(initial, SIZE_MAX / 16), &w->opool))                     \
	X("dp_pool_create", "initial blocks do not fit", DP_ERR_SEG_OVERFLOW,                \
	  dp_pool_create(w->sa, PRM(initial, 100000), &w->opool))                            \
	X("dp_pool_create", "segment already full", DP_ERR_SEG_OVERFLOW,                     \
	  dp_pool_create(w->sb, PRM(initial, 1), &w->opool))                                 \
	X("dp_pool_destroy", "NULL", DP_ERR_NULL_PTR, dp_pool_destroy(NULL))                 \
	X("dp_pool_destroy", "foreign handle", DP_ERR_INVALID_POOL, dp_pool_destroy(FAKE_POOL)) \
	X("dp_pool_destroy", "after destroy", DP_ERR_INVALID_POOL, dp_pool_destroy(w->dead))

#define GETPUT_CASES(X)                                                                     \
	X("dp_pool_get", "NULL pool", DP_ERR_NULL_PTR, dp_pool_get(NULL, &w->optr))          \
	X("dp_pool_get", "NULL out", DP_ERR_NULL_PTR, dp_pool_get(w->p, NULL))               \
	X("dp_pool_get", "foreign handle", DP_ERR_INVALID_POOL, dp_pool_get(FAKE_POOL, &w->optr)) \
	X("dp_pool_get", "after destroy", DP_ERR_INVALID_POOL, dp_pool_get(w->dead, &w->optr)) \
	X("dp_pool_get", "limit reached", DP_ERR_POOL_EMPTY, dp_pool_get(w->lim, &w->optr))  \
	X("dp_pool_get", "segment exhausted", DP_ERR_SEG_OVERFLOW, dp_pool_get(w->tiny, &w->optr)) \
	X("dp_pool_get_bulk", "NULL array", DP_ERR_NULL_PTR, dp_pool_get_bulk(w->p, NULL, 2)) \
	X("dp_pool_get_bulk", "zero count", DP_OK, dp_pool_get_bulk(w->p, w->blks, 0))      \
	X("dp_pool_get_bulk", "more than the limit leaves", DP_ERR_POOL_EMPTY,               \
	  dp_pool_get_bulk(w->full, w->blks, 3))                                             \
	X("dp_pool_get_bulk", "huge count, limited pool", DP_ERR_POOL_EMPTY,                 \
	  dp_pool_get_bulk(w->full, w->blks, SIZE_MAX))                                      \
	X("dp_pool_get_bulk", "huge count, unlimited pool", DP_ERR_SEG_OVERFLOW,             \
	  dp_pool_get_bulk(w->p, w->blks, SIZE_MAX))                                         \
	X("dp_pool_get_bulk", "more than the segment holds", DP_ERR_SEG_OVERFLOW,            \
	  dp_pool_get_bulk(w->p, w->blks, 1000))                                             \
	X("dp_pool_get_bulk", "after destroy", DP_ERR_INVALID_POOL,                          \
	  dp_pool_get_bulk(w->dead, w->blks, 2))                                             \
	X("dp_pool_put", "NULL pool", DP_ERR_NULL_PTR, dp_pool_put(NULL, w->pb[0]))          \
	X("dp_pool_put", "NULL block", DP_ERR_NULL_PTR, dp_pool_put(w->p, NULL))             \
	X("dp_pool_put", "foreign handle", DP_ERR_INVALID_POOL, dp_pool_put(FAKE_POOL, w->pb[0])) \
	X("dp_pool_put", "after destroy", DP_ERR_INVALID_POOL, dp_pool_put(w->dead, w->pb[0])) \
	X("dp_pool_put", "foreign pointer", DP_ERR_NOT_IN_POOL, dp_pool_put(w->p, w->foreign)) \
	X("dp_pool_put", "pointer 1", DP_ERR_NOT_IN_POOL, dp_pool_put(w->p, (void *)1))      \
	X("dp_pool_put", "pointer UINTPTR_MAX", DP_ERR_NOT_IN_POOL,                          \
	  dp_pool_put(w->p, (void *)UINTPTR_MAX))                                            \
	X("dp_pool_put", "segment memory outside the pool", DP_ERR_NOT_IN_POOL,              \
	  dp_pool_put(w->p, w->beyond))                                                      \
	X("dp_pool_put", "block of another pool", DP_ERR_NOT_IN_POOL, dp_pool_put(w->p, w->qb)) \
	X("dp_pool_put", "middle of a block", DP_ERR_NOT_BLOCK_START,                        \
	  dp_pool_put(w->p, B(w->pb[0], 40)))                                                \
	X("dp_pool_put", "misaligned by one byte", DP_ERR_NOT_BLOCK_START,                   \
	  dp_pool_put(w->p, B(w->pb[1], 1)))                                                 \
	X("dp_pool_put", "last byte of a block", DP_ERR_NOT_BLOCK_START,                     \
	  dp_pool_put(w->p, B(w->pb[1], 99)))                                                \
	X("dp_pool_put", "HW pool, into its padding", DP_ERR_NOT_BLOCK_START,                \
	  dp_pool_put(w->hw, B(w->hwb, 220)))                                                \
	X("dp_pool_put", "double free", DP_ERR_DOUBLE_FREE, dp_pool_put(w->p, w->pfree))     \
	X("dp_pool_put", "double free of a cached block", DP_ERR_DOUBLE_FREE,                \
	  dp_pool_put(w->p, w->blks[0]))                                                     \
	X("dp_pool_put", "nothing handed out", DP_ERR_POOL_FULL, dp_pool_put(w->full, w->fullfree)) \
	X("dp_pool_put_bulk", "NULL array", DP_ERR_NULL_PTR, dp_pool_put_bulk(w->p, NULL, 2)) \
	X("dp_pool_put_bulk", "zero count", DP_OK, dp_pool_put_bulk(w->p, w->blks, 0))      \
	X("dp_pool_put_bulk", "NULL entry", DP_ERR_NULL_PTR,                                 \
	  dp_pool_put_bulk(w->p, BLKS2(w->pb[0], NULL), 2))                                  \
	X("dp_pool_put_bulk", "foreign pointer in the middle", DP_ERR_NOT_IN_POOL,           \
	  dp_pool_put_bulk(w->p, BLKS3(w->pb[0], w->foreign, w->pb[1]), 3))                  \
	X("dp_pool_put_bulk", "block of another pool last", DP_ERR_NOT_IN_POOL,              \
	  dp_pool_put_bulk(w->p, BLKS3(w->pb[0], w->pb[1], w->qb), 3))                       \
	X("dp_pool_put_bulk", "same block twice", DP_ERR_DOUBLE_FREE,                        \
	  dp_pool_put_bulk(w->p, BLKS2(w->pb[0], w->pb[0]), 2))                              \
	X("dp_pool_put_bulk", "a free block among used ones", DP_ERR_DOUBLE_FREE,            \
	  dp_pool_put_bulk(w->p, BLKS3(w->pb[0], w->pb[1], w->pfree), 3))                    \
	X("dp_pool_put_bulk", "more than handed out, limited pool", DP_ERR_POOL_FULL,                    \
	  dp_pool_put_bulk(w->lim, BLKS3(w->limb[0], w->limb[1], w->limb[0]), 3))            \
	X("dp_pool_put_bulk", "NULL entry last", DP_ERR_NULL_PTR,                                 \
	  dp_pool_put_bulk(w->p, BLKS3(w->pb[0], w->pb[1], NULL), 3))                        \
	X("dp_pool_generic_get", "cache of another pool", DP_ERR_INVALID_CACHE,              \
	  dp_pool_generic_get(w->p, w->uq, w->blks, 1))                                      \
	X("dp_pool_generic_get", "after destroy", DP_ERR_INVALID_POOL,                       \
	  dp_pool_generic_get(w->dead, w->uc, w->blks, 1))                                   \
	X("dp_pool_generic_get", "limit reached, cached", DP_ERR_POOL_EMPTY,                 \
	  dp_pool_generic_get(w->lim, NULL, w->blks, 1))                                     \
	X("dp_pool_generic_put", "cache of another pool", DP_ERR_INVALID_CACHE,              \
	  dp_pool_generic_put(w->p, w->uq, &w->pb[0], 1))                                    \
	X("dp_pool_generic_put", "foreign pointer through a cache", DP_ERR_NOT_IN_POOL,      \
	  dp_pool_generic_put(w->p, w->uc, BLKS2(w->pb[0], w->foreign), 2))                  \
	X("dp_pool_generic_put", "middle of a block through a cache", DP_ERR_NOT_BLOCK_START, \
	  dp_pool_generic_put(w->p, w->uc, BLKS2(w->pb[0], B(w->pb[1], 8)), 2))              \
	X("dp_pool_generic_put", "double free through a cache", DP_ERR_DOUBLE_FREE,          \
	  dp_pool_generic_put(w->p, w->uc, BLKS2(w->pb[0], w->pfree), 2))                    \
	X("dp_pool_generic_put", "block of another pool through a cache", DP_ERR_NOT_IN_POOL, \
	  dp_pool_generic_put(w->q, w->uq, &w->pb[0], 1))

#define CACHE_CASES(X)                                                                      \
	X("dp_pool_cache_drain", "NULL pool", DP_ERR_NULL_PTR, dp_pool_cache_drain(NULL, 0)) \
	X("dp_pool_cache_drain", "after destroy", DP_ERR_INVALID_POOL,                       \
	  dp_pool_cache_drain(w->dead, 0))                                                   \
	X("dp_pool_cache_drain", "no such lcore", DP_ERR_INVALID_LCORE,                      \
	  dp_pool_cache_drain(w->p, RTE_MAX_LCORE))                                          \
	X("dp_pool_cache_drain", "LCORE_ID_ANY", DP_ERR_INVALID_LCORE,                       \
	  dp_pool_cache_drain(w->p, LCORE_ID_ANY))                                           \
	X("dp_pool_cache_drain", "pool without caches", DP_ERR_INVALID_LCORE,                \
	  dp_pool_cache_drain(w->q, 0))                                                      \
	X("dp_pool_cache_drain_all", "NULL", DP_ERR_NULL_PTR, dp_pool_cache_drain_all(NULL)) \
	X("dp_pool_cache_drain_all", "after destroy", DP_ERR_INVALID_POOL,                   \
	  dp_pool_cache_drain_all(w->dead))                                                  \
	X("dp_cache_create", "NULL pool", DP_ERR_NULL_PTR, dp_cache_create(NULL, 4, &w->ocache)) \
	X("dp_cache_create", "NULL out", DP_ERR_NULL_PTR, dp_cache_create(w->p, 4, NULL))    \
	X("dp_cache_create", "zero size", DP_ERR_INVALID_SIZE, dp_cache_create(w->p, 0, &w->ocache)) \
	X("dp_cache_create", "above DP_CACHE_MAX", DP_ERR_INVALID_SIZE,                      \
	  dp_cache_create(w->p, DP_CACHE_MAX + 1, &w->ocache))                               \
	X("dp_cache_create", "huge size", DP_ERR_INVALID_SIZE,                               \
	  dp_cache_create(w->p, UINT32_MAX, &w->ocache))                                     \
	X("dp_cache_create", "after destroy", DP_ERR_INVALID_POOL,                           \
	  dp_cache_create(w->dead, 4, &w->ocache))                                           \
	X("dp_cache_flush", "NULL pool", DP_ERR_NULL_PTR, dp_cache_flush(NULL, w->uc))       \
	X("dp_cache_flush", "NULL cache", DP_ERR_NULL_PTR, dp_cache_flush(w->p, NULL))       \
	X("dp_cache_flush", "cache of another pool", DP_ERR_INVALID_CACHE,                   \
	  dp_cache_flush(w->p, w->uq))                                                       \
	X("dp_cache_flush", "an lcore cache", DP_ERR_INVALID_CACHE,                          \
	  dp_cache_flush(w->p, w->p->lcache[0]))                                             \
	X("dp_cache_flush", "after destroy", DP_ERR_INVALID_POOL, dp_cache_flush(w->dead, w->uc)) \
	X("dp_cache_destroy", "NULL pool", DP_ERR_NULL_PTR, dp_cache_destroy(NULL, w->uc))   \
	X("dp_cache_destroy", "NULL cache", DP_ERR_NULL_PTR, dp_cache_destroy(w->p, NULL))   \
	X("dp_cache_destroy", "cache of another pool", DP_ERR_INVALID_CACHE,                 \
	  dp_cache_destroy(w->p, w->uq))                                                     \
	X("dp_cache_destroy", "an lcore cache", DP_ERR_INVALID_CACHE,                        \
	  dp_cache_destroy(w->p, w->p->lcache[1]))                                           \
	X("dp_cache_destroy", "after destroy", DP_ERR_INVALID_POOL,                          \
	  dp_cache_destroy(w->dead, w->uc))

#define QUERY_CASES(X)                                                                      \
	X("dp_pool_avail", "NULL pool", DP_ERR_NULL_PTR, dp_pool_avail(NULL, &w->osize))     \
	X("dp_pool_avail", "NULL out", DP_ERR_NULL_PTR, dp_pool_avail(w->p, NULL))           \
	X("dp_pool_avail", "foreign handle", DP_ERR_INVALID_POOL, dp_pool_avail(FAKE_POOL, &w->osize)) \
	X("dp_pool_avail", "after destroy", DP_ERR_INVALID_POOL, dp_pool_avail(w->dead, &w->osize)) \
	X("dp_pool_iova", "NULL pool", DP_ERR_NULL_PTR, dp_pool_iova(NULL, w->pb[0], &w->oiova)) \
	X("dp_pool_iova", "NULL block", DP_ERR_NULL_PTR, dp_pool_iova(w->p, NULL, &w->oiova)) \
	X("dp_pool_iova", "NULL out", DP_ERR_NULL_PTR, dp_pool_iova(w->p, w->pb[0], NULL))   \
	X("dp_pool_iova", "foreign pointer", DP_ERR_NOT_IN_POOL,                             \
	  dp_pool_iova(w->p, w->foreign, &w->oiova))                                         \
	X("dp_pool_iova", "block of another pool", DP_ERR_NOT_IN_POOL,                       \
	  dp_pool_iova(w->p, w->qb, &w->oiova))                                              \
	X("dp_pool_iova", "middle of a block", DP_ERR_NOT_BLOCK_START,                       \
	  dp_pool_iova(w->hw, B(w->hwb, 64), &w->oiova))                                     \
	X("dp_pool_iova", "after destroy", DP_ERR_INVALID_POOL,                              \
	  dp_pool_iova(w->dead, w->pb[0], &w->oiova))                                        \
	X("dp_pool_stats", "NULL pool", DP_ERR_NULL_PTR, dp_pool_stats(NULL, &w->ostats))    \
	X("dp_pool_stats", "NULL out", DP_ERR_NULL_PTR, dp_pool_stats(w->p, NULL))           \
	X("dp_pool_stats", "foreign handle", DP_ERR_INVALID_POOL, dp_pool_stats(FAKE_POOL, &w->ostats)) \
	X("dp_pool_stats", "after destroy", DP_ERR_INVALID_POOL, dp_pool_stats(w->dead, &w->ostats)) \
	X("dp_pool_info", "NULL pool", DP_ERR_NULL_PTR, dp_pool_info(NULL, &w->opinfo))      \
	X("dp_pool_info", "NULL out", DP_ERR_NULL_PTR, dp_pool_info(w->p, NULL))             \
	X("dp_pool_info", "after destroy", DP_ERR_INVALID_POOL, dp_pool_info(w->dead, &w->opinfo)) \
	X("dp_pool_lookup", "NULL name", DP_ERR_NULL_PTR, dp_pool_lookup(NULL, &w->opool))   \
	X("dp_pool_lookup", "NULL out", DP_ERR_NULL_PTR, dp_pool_lookup("p", NULL))          \
	X("dp_pool_lookup", "unknown name", DP_ERR_NOT_FOUND, dp_pool_lookup("nope", &w->opool)) \
	X("dp_pool_lookup", "name of a destroyed pool", DP_ERR_NOT_FOUND,                    \
	  dp_pool_lookup("dead", &w->opool))                                                 \
	X("dp_pool_lookup", "name too long", DP_ERR_NOT_FOUND,                               \
	  dp_pool_lookup(w->longname, &w->opool))                                            \
	X("dp_pool_dump", "NULL stream", DP_ERR_NULL_PTR, dp_pool_dump(NULL, w->p))          \
	X("dp_pool_dump", "NULL pool", DP_ERR_NULL_PTR, dp_pool_dump(stderr, NULL))          \
	X("dp_pool_dump", "after destroy", DP_ERR_INVALID_POOL, dp_pool_dump(stderr, w->dead)) \
	X("dp_pool_audit", "NULL pool", DP_ERR_NULL_PTR, dp_pool_audit(NULL, &w->oaudit))    \
	X("dp_pool_audit", "foreign handle", DP_ERR_INVALID_POOL,                            \
	  dp_pool_audit(FAKE_POOL, &w->oaudit))                                              \
	X("dp_pool_audit", "after destroy", DP_ERR_INVALID_POOL, dp_pool_audit(w->dead, &w->oaudit)) \
	X("dp_pool_walk", "NULL function", DP_OK, walk_null())                               \
	X("dp_pktbuf_layout", "NULL out", DP_ERR_NULL_PTR, dp_pktbuf_layout(2048, 128, 0, 0, 64, NULL)) \
	X("dp_pktbuf_layout", "zero data room", DP_ERR_INVALID_SIZE,                         \
	  dp_pktbuf_layout(0, 128, 0, 0, 64, &w->olayout))                                   \
	X("dp_pktbuf_layout", "granularity not a power of two", DP_ERR_INVALID_ALIGN,        \
	  dp_pktbuf_layout(2048, 128, 0, 100, 64, &w->olayout))                              \
	X("dp_pktbuf_layout", "padding not a power of two", DP_ERR_INVALID_ALIGN,            \
	  dp_pktbuf_layout(2048, 128, 0, 0, 48, &w->olayout))                                \
	X("dp_pktbuf_layout", "buffer above 64 KiB", DP_ERR_OVERFLOW,                        \
	  dp_pktbuf_layout(70000, 128, 0, 0, 64, &w->olayout))                               \
	X("dp_pktbuf_layout", "huge sizes", DP_ERR_OVERFLOW,                                 \
	  dp_pktbuf_layout(SIZE_MAX, SIZE_MAX, SIZE_MAX, 0, 64, &w->olayout))                \
	X("dp_strerror", "unknown code", DP_OK, unknown_code_named(DP_ERR__COUNT))           \
	X("dp_strerror", "negative code", DP_OK, unknown_code_named(-5))

#define UCLIB_CASES(X)                                                                      \
	X("Mem_SegCreate", "NULL segment", LIB_MEM_ERR_NULL_PTR,                             \
	  (Mem_SegCreate("x", NULL, (CPU_ADDR)w->foreign, 64, 1, &w->lerr), w->lerr))        \
	X("Mem_SegCreate", "base 0", LIB_MEM_ERR_NULL_PTR,                                   \
	  (Mem_SegCreate("x", &w->uzero, 0, 64, 1, &w->lerr), w->lerr))                      \
	X("Mem_SegCreate", "zero size", LIB_MEM_ERR_INVALID_SEG_SIZE,                        \
	  (Mem_SegCreate("x", &w->uzero, (CPU_ADDR)w->foreign, 0, 1, &w->lerr), w->lerr))    \
	X("Mem_SegCreate", "range wraps", LIB_MEM_ERR_INVALID_SEG_SIZE,                      \
	  (Mem_SegCreate("x", &w->uzero, (CPU_ADDR)WRAP_BASE, 8192, 1, &w->lerr), w->lerr))  \
	X("Mem_SegCreate", "padding not a power of two", LIB_MEM_ERR_INVALID_MEM_ALIGN,      \
	  (Mem_SegCreate("x", &w->uzero, (CPU_ADDR)w->foreign, 64, 3, &w->lerr), w->lerr))   \
	X("Mem_SegCreate", "overlapping a live segment", LIB_MEM_ERR_INVALID_SEG_OVERLAP,    \
	  (Mem_SegCreate("x", &w->uzero, (CPU_ADDR)w->ra.base + 8, 64, 1, &w->lerr), w->lerr)) \
	X("Mem_SegCreate", "same range as a live segment", LIB_MEM_ERR_INVALID_SEG_EXISTS,   \
	  (Mem_SegCreate("x", &w->uzero, (CPU_ADDR)w->rb.base, 4096, 1, &w->lerr), w->lerr)) \
	X("Mem_SegCreate", "segment created twice", LIB_MEM_ERR_INVALID_SEG_EXISTS,          \
	  (Mem_SegCreate("x", &w->useg, (CPU_ADDR)w->foreign, 64, 1, &w->lerr), w->lerr))    \
	X("Mem_SegCreate", "NULL error pointer", 0,                                          \
	  (Mem_SegCreate("x", &w->uzero, (CPU_ADDR)w->ra.base, 64, 1, NULL),                 \
	   uc_seg_left_uncreated(&w->uzero)))                                                \
	X("Mem_SegClr", "NULL", LIB_MEM_ERR_NULL_PTR, (Mem_SegClr(NULL, &w->lerr), w->lerr)) \
	X("Mem_SegClr", "never created", LIB_MEM_ERR_NULL_PTR,                               \
	  (Mem_SegClr(&w->uzero, &w->lerr), w->lerr))                                        \
	X("Mem_SegClr", "pools on it", LIB_MEM_ERR_INVALID_POOL,                             \
	  (Mem_SegClr(&w->useg, &w->lerr), w->lerr))                                         \
	X("Mem_SegClr", "NULL error pointer", 0,                                             \
	  uc_clear_silently(&w->useg))                                                       \
	X("Mem_SegRemSizeGet", "zero alignment", LIB_MEM_ERR_INVALID_MEM_ALIGN,              \
	  uc_size(Mem_SegRemSizeGet(&w->useg, 0, NULL, &w->lerr), &w->lerr))                  \
	X("Mem_SegRemSizeGet", "alignment not a power of two", LIB_MEM_ERR_INVALID_MEM_ALIGN, \
	  uc_size(Mem_SegRemSizeGet(&w->useg, 12, NULL, &w->lerr), &w->lerr))                 \
	X("Mem_SegRemSizeGet", "never created", LIB_MEM_ERR_NULL_PTR,                        \
	  uc_size(Mem_SegRemSizeGet(&w->uzero, 8, NULL, &w->lerr), &w->lerr))                 \
	X("Mem_SegRemSizeGet", "NULL error pointer", 0,                                      \
	  (int)Mem_SegRemSizeGet(&w->useg, 8, NULL, NULL))                                   \
	X("Mem_SegAlloc", "zero size", LIB_MEM_ERR_INVALID_MEM_SIZE,                         \
	  uc_ptr(Mem_SegAlloc("x", &w->useg, 0, &w->lerr), &w->lerr))                         \
	X("Mem_SegAlloc", "huge size", LIB_MEM_ERR_SEG_OVF,                                  \
	  uc_ptr(Mem_SegAlloc("x", &w->useg, SIZE_MAX, &w->lerr), &w->lerr))                  \
	X("Mem_SegAlloc", "huge size, heap", LIB_MEM_ERR_SEG_OVF,                           \
	  uc_ptr(Mem_SegAlloc("x", NULL, SIZE_MAX, &w->lerr), &w->lerr))                      \
	X("Mem_SegAlloc", "never created", LIB_MEM_ERR_NULL_PTR,                             \
	  uc_ptr(Mem_SegAlloc("x", &w->uzero, 8, &w->lerr), &w->lerr))                        \
	X("Mem_SegAlloc", "NULL error pointer", 0,                                           \
	  (Mem_SegAlloc("x", &w->useg, 8, NULL) == NULL ? 0 : -1))                           \
	X("Mem_SegAllocExt", "alignment not a power of two", LIB_MEM_ERR_INVALID_MEM_ALIGN,  \
	  uc_ptr(Mem_SegAllocExt("x", &w->useg, 8, 3, NULL, &w->lerr), &w->lerr))             \
	X("Mem_SegAllocExt", "zero size", LIB_MEM_ERR_INVALID_MEM_SIZE,                      \
	  uc_ptr(Mem_SegAllocExt("x", &w->useg, 0, 8, NULL, &w->lerr), &w->lerr))             \
	X("Mem_SegAllocExt", "too big", LIB_MEM_ERR_SEG_OVF,                                 \
	  uc_ptr(Mem_SegAllocExt("x", &w->useg, 1 << 20, 8, &w->osize, &w->lerr), &w->lerr))  \
	X("Mem_SegAllocHW", "alignment not a power of two", LIB_MEM_ERR_INVALID_MEM_ALIGN,   \
	  uc_ptr(Mem_SegAllocHW("x", &w->useg, 8, 5, NULL, &w->lerr), &w->lerr))              \
	X("Mem_SegAllocHW", "huge size", LIB_MEM_ERR_SEG_OVF,                                \
	  uc_ptr(Mem_SegAllocHW("x", &w->useg, SIZE_MAX, 8, &w->osize, &w->lerr), &w->lerr))  \
	X("Mem_DynPoolCreate", "NULL pool", LIB_MEM_ERR_NULL_PTR,                            \
	  (Mem_DynPoolCreate("x", NULL, &w->useg, 8, 8, 1, 0, &w->lerr), w->lerr))           \
	X("Mem_DynPoolCreate", "zero block size", LIB_MEM_ERR_INVALID_BLK_SIZE,              \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->useg, 0, 8, 1, 0, &w->lerr), w->lerr))     \
	X("Mem_DynPoolCreate", "alignment not a power of two", LIB_MEM_ERR_INVALID_BLK_ALIGN, \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->useg, 8, 7, 1, 0, &w->lerr), w->lerr))     \
	X("Mem_DynPoolCreate", "initial above maximum", LIB_MEM_ERR_INVALID_BLK_NBR,         \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->useg, 8, 8, 5, 4, &w->lerr), w->lerr))     \
	X("Mem_DynPoolCreate", "size x count overflows", LIB_MEM_ERR_ADDR_OVF,               \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->useg, 4096, 8, SIZE_MAX / 64, 0, &w->lerr), w->lerr)) \
	X("Mem_DynPoolCreate", "initial blocks do not fit", LIB_MEM_ERR_SEG_OVF,             \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->useg, 1024, 8, 100, 0, &w->lerr), w->lerr)) \
	X("Mem_DynPoolCreate", "segment never created", LIB_MEM_ERR_NULL_PTR,                \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->uzero, 8, 8, 1, 0, &w->lerr), w->lerr))    \
	X("Mem_DynPoolCreate", "NULL error pointer", 0,                                      \
	  (Mem_DynPoolCreate("x", &w->uzpool, &w->useg, 8, 8, 1, 0, NULL), w->uzpool.Type))  \
	X("Mem_DynPoolCreateHW", "zero block size", LIB_MEM_ERR_INVALID_BLK_SIZE,            \
	  (Mem_DynPoolCreateHW("x", &w->uzpool, &w->useg, 0, 8, 1, 0, &w->lerr), w->lerr))   \
	X("Mem_DynPoolCreateHW", "initial blocks do not fit", LIB_MEM_ERR_SEG_OVF,           \
	  (Mem_DynPoolCreateHW("x", &w->uzpool, &w->useg, 4000, 8, 3, 0, &w->lerr), w->lerr)) \
	X("Mem_DynPoolBlkGet", "NULL pool", LIB_MEM_ERR_NULL_PTR,                            \
	  uc_ptr(Mem_DynPoolBlkGet(NULL, &w->lerr), &w->lerr))                                \
	X("Mem_DynPoolBlkGet", "never created", LIB_MEM_ERR_INVALID_POOL,                    \
	  uc_ptr(Mem_DynPoolBlkGet(&w->uzpool, &w->lerr), &w->lerr))                          \
	X("Mem_DynPoolBlkGet", "limit reached", LIB_MEM_ERR_POOL_EMPTY,                      \
	  uc_ptr(Mem_DynPoolBlkGet(&w->ulim, &w->lerr), &w->lerr))                            \
	X("Mem_DynPoolBlkGet", "NULL error pointer", 0,                                      \
	  (Mem_DynPoolBlkGet(&w->upool, NULL) == NULL ? 0 : -1))                             \
	X("Mem_DynPoolBlkFree", "NULL pool", LIB_MEM_ERR_NULL_PTR,                           \
	  (Mem_DynPoolBlkFree(NULL, w->ub, &w->lerr), w->lerr))                              \
	X("Mem_DynPoolBlkFree", "NULL block", LIB_MEM_ERR_NULL_PTR,                          \
	  (Mem_DynPoolBlkFree(&w->upool, NULL, &w->lerr), w->lerr))                          \
	X("Mem_DynPoolBlkFree", "never created", LIB_MEM_ERR_INVALID_POOL,                   \
	  (Mem_DynPoolBlkFree(&w->uzpool, w->ub, &w->lerr), w->lerr))                        \
	X("Mem_DynPoolBlkFree", "foreign pointer", LIB_MEM_ERR_INVALID_BLK_ADDR,             \
	  (Mem_DynPoolBlkFree(&w->upool, w->foreign, &w->lerr), w->lerr))                    \
	X("Mem_DynPoolBlkFree", "middle of a block", LIB_MEM_ERR_INVALID_BLK_ADDR,           \
	  (Mem_DynPoolBlkFree(&w->upool, B(w->ub, 4), &w->lerr), w->lerr))                   \
	X("Mem_DynPoolBlkFree", "block of another pool", LIB_MEM_ERR_INVALID_BLK_ADDR,       \
	  (Mem_DynPoolBlkFree(&w->upool, w->ulimb, &w->lerr), w->lerr))                      \
	X("Mem_DynPoolBlkFree", "double free", LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL,         \
	  (Mem_DynPoolBlkFree(&w->upool, w->ufree, &w->lerr), w->lerr))                      \
	X("Mem_DynPoolBlkFree", "nothing handed out", LIB_MEM_ERR_POOL_FULL,                 \
	  (Mem_DynPoolBlkFree(&w->ufull, w->ufullb, &w->lerr), w->lerr))                     \
	X("Mem_DynPoolBlkFree", "NULL error pointer", 0,                                     \
	  uc_free_silently(&w->upool, w->ub))                                                \
	X("Mem_DynPoolBlkNbrAvailGet", "NULL pool", LIB_MEM_ERR_NULL_PTR,                    \
	  uc_size(Mem_DynPoolBlkNbrAvailGet(NULL, &w->lerr), &w->lerr))                       \
	X("Mem_DynPoolBlkNbrAvailGet", "never created", LIB_MEM_ERR_INVALID_POOL,            \
	  uc_size(Mem_DynPoolBlkNbrAvailGet(&w->uzpool, &w->lerr), &w->lerr))                 \
	X("Mem_DynPoolBlkNbrAvailGet", "unlimited pool", LIB_MEM_ERR_POOL_UNLIMITED,         \
	  uc_size(Mem_DynPoolBlkNbrAvailGet(&w->upool, &w->lerr), &w->lerr))

#define ALL_CASES(X)                                                                        \
	SEG_CASES(X) CREATE_CASES(X) GETPUT_CASES(X) CACHE_CASES(X) QUERY_CASES(X) UCLIB_CASES(X)

struct hcase {
	const char *fn;
	const char *input;
	int want;
};

static const struct hcase cases[] = {
#define X(fn, input, want, call) { fn, input, (int)(want) },
	ALL_CASES(X)
#undef X
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static int
run_case(struct world *w, size_t i)
{
	size_t k = 0;

#define X(fn, input, want, call)                                                            \
	if (i == k++)                                                                        \
		return (int)(call);
	ALL_CASES(X)
#undef X
	return -1;
}

/* Cases whose refusal is a documented "nothing happens" for the caller:
 * a NULL error pointer in uC/LIB calls. These may not even report. */
static bool
is_silent(const struct hcase *c)
{
	return strcmp(c->input, "NULL error pointer") == 0;
}

Test(hostile, every_function_every_invalid_input)
{
	struct world *w = aligned_alloc(64, (sizeof(*w) + 63) & ~(size_t)63);
	struct snapshot before, after;
	size_t fns = 0;

	cr_assert_not_null(w);
	for (size_t i = 0; i < NCASES; i++) {
		char what[160];
		int got;

		if (i == 0 || strcmp(cases[i].fn, cases[i - 1].fn) != 0)
			fns++;
		snprintf(what, sizeof(what), "%s(%s)", cases[i].fn, cases[i].input);
		world_init(w);
		world_snapshot(w, &before);
		got = run_case(w, i);
		if (!is_silent(&cases[i]))
			cr_expect_eq(got, cases[i].want, "%s: got %d (%s), want %d (%s)", what, got,
				     got >= 0 && got < DP_ERR__COUNT ? dp_errname((dp_err)got) : "-",
				     cases[i].want,
				     cases[i].want < DP_ERR__COUNT ? dp_errname((dp_err)cases[i].want) : "-");
		else
			cr_expect_eq(got, 0, "%s: the call did something", what);
		world_snapshot(w, &after);
		assert_unchanged(&before, &after, what);
		world_fini(w);
	}
	fprintf(stderr, "hostile: %zu cases over %zu functions, each in a fresh world\n", NCASES,
		fns);
	free(w);
}
