/* SPDX-License-Identifier: Apache-2.0 */
/* uC/LIB dynamic memory pools, on dynpool pools. */
#include <string.h>

#include "dp_pool.h"
#include "lib_mem_impl.h"

static void
pool_create(const CPU_CHAR *p_name, MEM_DYN_POOL *p_pool, MEM_SEG *p_seg,
	    CPU_SIZE_T blk_size, CPU_SIZE_T blk_align, CPU_SIZE_T blk_qty_init,
	    CPU_SIZE_T blk_qty_max, unsigned int flags, LIB_ERR *p_err)
{
	char name[DP_NAME_MAX];
	struct dp_pool_params prm;
	struct dp_seg *seg;
	struct dp_pool *pool;
	dp_err e;

	if (p_err == NULL)
		return;
	/* uC/LIB's checks, in its order: with several bad arguments the
	 * caller gets the same code as from the original. */
	if (p_pool == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	if (blk_size == 0u) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_SIZE;
		return;
	}
	if (blk_qty_max != LIB_MEM_BLK_QTY_UNLIMITED && blk_qty_init > blk_qty_max) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_NBR;
		return;
	}
	if (blk_align == 0u || (blk_align & (blk_align - 1u)) != 0u) {
		*p_err = LIB_MEM_ERR_INVALID_BLK_ALIGN;
		return;
	}
	*p_err = lib_mem_seg_resolve(&p_seg, &seg);
	if (*p_err != LIB_MEM_ERR_NONE)
		return;
	lib_mem_name(name, p_name, "dynamic pool");
	memset(&prm, 0, sizeof(prm));
	prm.name = name;
	prm.block_size = blk_size;
	prm.block_align = blk_align;
	prm.initial = blk_qty_init;
	prm.maximum = blk_qty_max;
	/* One block per growth, as uC/LIB carves: segment usage stays the
	 * same as with the original library, block for block. */
	prm.grow_batch = 1;
	/* never NO_TRACK: double frees must be reported; never spread:
	 * blocks where uC/LIB puts them */
	prm.flags = flags | DP_POOL_F_NO_SPREAD;
	e = dp_pool_create(seg, &prm, &pool);
	if (e == DP_OK) {
		CPU_SIZE_T padding = (flags & DP_POOL_F_HW) ? p_seg->PaddingAlign
							     : LIB_MEM_PADDING_ALIGN_NONE;

		p_pool->PoolSegPtr = p_seg;
		p_pool->BlkSize = blk_size;
		p_pool->BlkAlign = DEF_MAX(blk_align, padding);
		p_pool->BlkPaddingAlign = padding;
		p_pool->BlkQtyMax = blk_qty_max;
		p_pool->BlkAllocCnt = 0u;
		p_pool->PoolPtr = pool;
		p_pool->Type = LIB_MEM_TYPE_POOL;
	}
	*p_err = lib_mem_err(e, CTX_POOL_CREATE);
}

void
Mem_DynPoolCreate(const CPU_CHAR *p_name, MEM_DYN_POOL *p_pool, MEM_SEG *p_seg,
		  CPU_SIZE_T blk_size, CPU_SIZE_T blk_align, CPU_SIZE_T blk_qty_init,
		  CPU_SIZE_T blk_qty_max, LIB_ERR *p_err)
{
	pool_create(p_name, p_pool, p_seg, blk_size, blk_align, blk_qty_init, blk_qty_max,
		    0, p_err);
}

void
Mem_DynPoolCreateHW(const CPU_CHAR *p_name, MEM_DYN_POOL *p_pool, MEM_SEG *p_seg,
		    CPU_SIZE_T blk_size, CPU_SIZE_T blk_align, CPU_SIZE_T blk_qty_init,
		    CPU_SIZE_T blk_qty_max, LIB_ERR *p_err)
{
	pool_create(p_name, p_pool, p_seg, blk_size, blk_align, blk_qty_init, blk_qty_max,
		    DP_POOL_F_HW, p_err);
}

/* The native pool behind p_pool, or the error to report. */
static LIB_ERR
pool_resolve(MEM_DYN_POOL *p_pool, struct dp_pool **out)
{
	if (p_pool == NULL)
		return LIB_MEM_ERR_NULL_PTR;
	if (p_pool->Type != LIB_MEM_TYPE_POOL || p_pool->PoolPtr == NULL)
		return LIB_MEM_ERR_INVALID_POOL;
	*out = p_pool->PoolPtr;
	return LIB_MEM_ERR_NONE;
}

void *
Mem_DynPoolBlkGet(MEM_DYN_POOL *p_pool, LIB_ERR *p_err)
{
	struct dp_pool *pool;
	void *blk = NULL;
	dp_err e;

	if (p_err == NULL)
		return NULL;
	*p_err = pool_resolve(p_pool, &pool);
	if (*p_err != LIB_MEM_ERR_NONE)
		return NULL;
	e = dp_pool_get(pool, &blk);
	*p_err = lib_mem_err(e, CTX_POOL_OP);
	if (e != DP_OK)
		return NULL;
	if (p_pool->BlkQtyMax != LIB_MEM_BLK_QTY_UNLIMITED)
		lib_mem_count_add(&p_pool->BlkAllocCnt, 1u);
	return blk;
}

void
Mem_DynPoolBlkFree(MEM_DYN_POOL *p_pool, void *p_blk, LIB_ERR *p_err)
{
	struct dp_pool *pool;

	if (p_err == NULL)
		return;
	*p_err = pool_resolve(p_pool, &pool);
	if (*p_err != LIB_MEM_ERR_NONE)
		return;
	if (p_blk == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	/* uC/LIB refuses any free to a limited pool with nothing handed out
	 * before it looks at the pointer. */
	if (p_pool->BlkQtyMax != LIB_MEM_BLK_QTY_UNLIMITED &&
	    __atomic_load_n(&p_pool->BlkAllocCnt, __ATOMIC_RELAXED) == 0u) {
		*p_err = LIB_MEM_ERR_POOL_FULL;
		return;
	}
	*p_err = lib_mem_err(dp_pool_put(pool, p_blk), CTX_POOL_OP);
	if (*p_err == LIB_MEM_ERR_NONE && p_pool->BlkQtyMax != LIB_MEM_BLK_QTY_UNLIMITED)
		lib_mem_count_sub(&p_pool->BlkAllocCnt, 1u);
}

CPU_SIZE_T
Mem_DynPoolBlkNbrAvailGet(MEM_DYN_POOL *p_pool, LIB_ERR *p_err)
{
	struct dp_pool_stats st;
	struct dp_pool_info info;
	struct dp_pool *pool;
	dp_err e;

	if (p_err == NULL)
		return 0;
	*p_err = pool_resolve(p_pool, &pool);
	if (*p_err != LIB_MEM_ERR_NONE)
		return 0;
	e = dp_pool_info(pool, &info);
	if (e == DP_OK)
		e = dp_pool_stats(pool, &st);
	if (e != DP_OK) {
		*p_err = lib_mem_err(e, CTX_POOL_OP);
		return 0;
	}
	if (info.maximum == LIB_MEM_BLK_QTY_UNLIMITED) {
		*p_err = LIB_MEM_ERR_POOL_UNLIMITED;
		return 0;
	}
	return info.maximum - st.in_use;
}
