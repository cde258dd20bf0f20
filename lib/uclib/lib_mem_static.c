/* SPDX-License-Identifier: Apache-2.0 */
/* uC/LIB static memory pools (Mem_Pool*), on fixed-size dynpool pools. */
#include <stdlib.h>
#include <string.h>

#include "dp_pool.h"
#include "lib_mem_impl.h"

void
Mem_PoolClr(MEM_POOL *p_pool, LIB_ERR *p_err)
{
	if (p_err == NULL)
		return;
	if (p_pool == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	/* Callers hand in uninitialised structures: nothing in it is trusted,
	 * so a live pool is forgotten, not destroyed (as in uC/LIB). */
	memset(p_pool, 0, sizeof(*p_pool));
	*p_err = LIB_MEM_ERR_NONE;
}

/* uC/LIB reports how many more bytes the pool needed. */
static CPU_SIZE_T
bytes_missing(struct dp_seg *seg, CPU_SIZE_T align, CPU_SIZE_T need)
{
	size_t rem = 0;

	if (dp_seg_remaining(seg, align, &rem) != DP_OK)
		return need;
	return need > rem ? need - rem : 0u;
}

/*
 * Take every block once to learn where the chunk starts, then give them
 * back lowest address first: the native free stack then hands out the
 * highest block first, which is uC/LIB's order. The pool is not visible to
 * other threads yet.
 */
static LIB_ERR
pool_layout(struct dp_pool *pool, size_t n, size_t footprint, void **start)
{
	void **blks = malloc(n * sizeof(*blks));
	CPU_INT08U *lo;
	LIB_ERR err = LIB_MEM_ERR_NONE;

	if (blks == NULL)
		return LIB_MEM_ERR_HEAP_EMPTY;
	if (dp_pool_get_bulk(pool, blks, n) != DP_OK) {
		free(blks);
		return LIB_MEM_ERR_INVALID_POOL;
	}
	lo = blks[0];
	for (size_t i = 1; i < n; i++)
		if ((CPU_INT08U *)blks[i] < lo)
			lo = blks[i];
	for (size_t i = 0; i < n; i++)
		blks[i] = lo + i * footprint;
	if (dp_pool_put_bulk(pool, blks, n) != DP_OK)
		err = LIB_MEM_ERR_INVALID_POOL; /* the blocks were not one chunk */
	free(blks);
	*start = lo;
	return err;
}

void
Mem_PoolCreate(MEM_POOL *p_pool, void *p_mem_base, CPU_SIZE_T mem_size,
	       MEM_POOL_BLK_QTY blk_nbr, CPU_SIZE_T blk_size, CPU_SIZE_T blk_align,
	       CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err)
{
	struct dp_pool_params prm;
	struct dp_pool_info info;
	struct dp_pool *pool;
	struct dp_seg *seg;
	MEM_SEG *mseg = NULL;
	CPU_SIZE_T stride;
	void *start = NULL;
	dp_err e;

	if (p_err == NULL)
		return;
	if (p_pool == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	if (p_mem_base != NULL && mem_size == 0u) {
		*p_err = LIB_MEM_ERR_INVALID_SEG_SIZE;
		return;
	}
	if (blk_nbr == 0u) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_NBR;
		return;
	}
	if (blk_size == 0u) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_SIZE;
		return;
	}
	if (blk_align == 0u || (blk_align & (blk_align - 1u)) != 0u) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_ALIGN;
		return;
	}
	if (blk_size > ~(CPU_SIZE_T)0 - (blk_align - 1u)) {
		*p_err = LIB_MEM_ERR_ADDR_OVF;
		return;
	}
	stride = (blk_size + blk_align - 1u) & ~(blk_align - 1u);
	Mem_PoolClr(p_pool, p_err);

	if (p_mem_base == NULL) {
		if (LIB_MEM_CFG_HEAP_SIZE == 0) {
			*p_err = LIB_MEM_ERR_HEAP_NOT_FOUND;
			return;
		}
	} else {
		*p_err = lib_mem_seg_for_range((CPU_ADDR)p_mem_base, mem_size, &mseg);
		if (*p_err != LIB_MEM_ERR_NONE)
			return;
	}
	*p_err = lib_mem_seg_resolve(&mseg, &seg);
	if (*p_err != LIB_MEM_ERR_NONE)
		return;

	memset(&prm, 0, sizeof(prm));
	prm.name = "static pool";
	prm.block_size = stride;
	prm.block_align = blk_align;
	prm.initial = blk_nbr;
	prm.maximum = blk_nbr;
	prm.grow_batch = 1;
	prm.flags = DP_POOL_F_NO_SPREAD; /* blocks where uC/LIB puts them */
	e = dp_pool_create(seg, &prm, &pool);
	if (e == DP_ERR_SEG_OVERFLOW && p_bytes_reqd != NULL) {
		CPU_SIZE_T fp = stride < sizeof(void *) ? sizeof(void *) : stride;

		*p_bytes_reqd = bytes_missing(seg, blk_align, fp * blk_nbr);
	}
	if (e != DP_OK) {
		*p_err = lib_mem_err(e, CTX_POOL_CREATE);
		return;
	}
	if (dp_pool_info(pool, &info) != DP_OK ||
	    (*p_err = pool_layout(pool, blk_nbr, info.footprint, &start)) != LIB_MEM_ERR_NONE) {
		dp_err gone = dp_pool_destroy(pool); /* just created: cannot fail */

		(void)gone;
		if (*p_err == LIB_MEM_ERR_NONE)
			*p_err = LIB_MEM_ERR_INVALID_POOL;
		return;
	}
	p_pool->PoolAddrStart = start;
	p_pool->PoolAddrEnd = (CPU_INT08U *)start + (info.footprint * blk_nbr - 1u);
	p_pool->BlkNbr = blk_nbr;
	p_pool->BlkSize = stride;
	p_pool->BlkFreeTbl = NULL;
	p_pool->BlkFreeTblIx = blk_nbr;
	p_pool->PoolPtr = pool;
	p_pool->Type = LIB_MEM_TYPE_SPOOL;
	*p_err = LIB_MEM_ERR_NONE;
}

static int
pool_live(const MEM_POOL *p_pool)
{
	return p_pool->Type == LIB_MEM_TYPE_SPOOL && p_pool->PoolPtr != NULL;
}

void *
Mem_PoolBlkGet(MEM_POOL *p_pool, CPU_SIZE_T size, LIB_ERR *p_err)
{
	void *blk = NULL;
	dp_err e;

	if (p_err == NULL)
		return NULL;
	if (p_pool == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return NULL;
	}
	if (size == 0u || size > p_pool->BlkSize) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_SIZE;
		return NULL;
	}
	if (!pool_live(p_pool)) {
		*p_err = LIB_MEM_ERR_INVALID_POOL;
		return NULL;
	}
	e = dp_pool_get(p_pool->PoolPtr, &blk);
	*p_err = lib_mem_err(e, CTX_POOL_OP);
	if (e != DP_OK)
		return NULL;
	lib_mem_count_sub(&p_pool->BlkFreeTblIx, 1u);
	return blk;
}

void
Mem_PoolBlkFree(MEM_POOL *p_pool, void *p_blk, LIB_ERR *p_err)
{
	dp_err e;

	if (p_err == NULL)
		return;
	if (p_pool == NULL || p_blk == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	if (!pool_live(p_pool)) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_ADDR; /* a cleared pool has no blocks */
		return;
	}
	e = dp_pool_put(p_pool->PoolPtr, p_blk);
	switch (e) {
	case DP_OK:
		lib_mem_count_add(&p_pool->BlkFreeTblIx, 1u);
		*p_err = LIB_MEM_ERR_NONE;
		break;
	case DP_ERR_POOL_FULL:
		/* Every block is free, so this valid block is one of them. */
		*p_err = LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL;
		break;
	default:
		*p_err = lib_mem_err(e, CTX_POOL_OP);
		break;
	}
}

MEM_POOL_BLK_QTY
Mem_PoolBlkGetNbrAvail(MEM_POOL *p_pool, LIB_ERR *p_err)
{
	size_t avail = 0;
	dp_err e;

	if (p_err == NULL)
		return 0u;
	if (p_pool == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return 0u;
	}
	if (!pool_live(p_pool)) {
		*p_err = LIB_MEM_ERR_INVALID_POOL;
		return 0u;
	}
	e = dp_pool_avail(p_pool->PoolPtr, &avail);
	*p_err = lib_mem_err(e, CTX_POOL_OP);
	return e == DP_OK ? avail : 0u;
}
