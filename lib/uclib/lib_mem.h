/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lib_mem.h
 * uC/LIB memory API (segments and dynamic memory pools) on top of dynpool.
 *
 * Source-compatible with Micrium uC/LIB's lib_mem.h for the functions
 * below: same names, arguments and LIB_ERR codes, and the same observable
 * behaviour (block layout, bump allocation, remaining sizes, growth one
 * block at a time), with these deliberate differences:
 *
 *  - Argument checks are always on (uC/LIB compiles them out by default).
 *    A NULL @c p_err cannot carry an error: the call then does nothing and
 *    returns NULL / 0 instead of trapping.
 *  - Every block has the full rounded size, and every block of a HW pool,
 *    initial ones included, is aligned and padded to the segment padding.
 *  - Mem_DynPoolBlkFree() detects a pointer that is not a block of the pool
 *    (::LIB_MEM_ERR_INVALID_BLK_ADDR) and a block freed twice
 *    (::LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL), as uC/LIB's static pools
 *    do. A limited pool with nothing handed out answers
 *    ::LIB_MEM_ERR_POOL_FULL first, as in uC/LIB.
 *  - Free blocks are not linked through their first word: the data of a
 *    freed block is left as it was (uC/LIB overwrites it; neither promises
 *    anything).
 *  - Every function is thread-safe without masking interrupts.
 *  - Mem_SegClr() refuses a segment that dynamic pools carve from
 *    (::LIB_MEM_ERR_INVALID_POOL): clearing it would hand their blocks out
 *    twice.
 *  - Mem_SegCreate() on a MEM_SEG that is already a live segment answers
 *    ::LIB_MEM_ERR_INVALID_SEG_EXISTS instead of corrupting the list.
 *  - Mem_Init() is idempotent, and a NULL segment initialises the heap on
 *    first use, so calling Mem_Init() first is not required.
 *  - Pool metadata lives outside the segment; when it cannot be allocated
 *    the call answers ::LIB_MEM_ERR_HEAP_EMPTY.
 *
 * The heap segment's size is ::LIB_MEM_CFG_HEAP_SIZE (meson option
 * uclib_heap_size); with 0 there is no heap and a NULL segment is
 * ::LIB_MEM_ERR_NULL_PTR.
 */
#ifndef DP_UCLIB_LIB_MEM_H
#define DP_UCLIB_LIB_MEM_H

#include "cpu.h"
#include "dp_config.h"
#include "lib_def.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIB_MEM_PADDING_ALIGN_NONE 1u /**< Segment without padding. */
#define LIB_MEM_BLK_QTY_UNLIMITED 0u  /**< Dynamic pool without a block limit. */

#ifndef LIB_MEM_CFG_HEAP_SIZE
#define LIB_MEM_CFG_HEAP_SIZE DP_UCLIB_HEAP_SIZE /**< Heap segment size in bytes. */
#endif

struct dp_seg;
struct dp_pool;

/** Memory segment. Treat the fields as private. */
typedef struct mem_seg {
	struct dp_seg *SegPtr; /**< dynpool segment, once created. */
	CPU_INT32U Type;       /**< Marks a created segment. */
} MEM_SEG;

/** Segment usage, filled by Mem_SegRemSizeGet(). */
typedef struct mem_seg_info {
	CPU_SIZE_T UsedSize;    /**< Bytes from the base to the next free address. */
	CPU_SIZE_T TotalSize;   /**< Segment capacity in bytes. */
	CPU_ADDR AddrBase;      /**< First address of the segment. */
	CPU_ADDR AddrNextAlloc; /**< Next address aligned as asked, 0 if none. */
} MEM_SEG_INFO;

/** Dynamic memory pool. Treat the fields as private. */
typedef struct mem_dyn_pool {
	struct dp_pool *PoolPtr; /**< dynpool pool, once created. */
	CPU_INT32U Type;         /**< Marks a created pool. */
} MEM_DYN_POOL;

/** Create the heap segment (idempotent). */
void Mem_Init(void);

/**
 * Create a segment over [seg_base_addr, seg_base_addr + size).
 * Errors: NULL_PTR (p_seg, or base 0), INVALID_SEG_SIZE (size 0 or the
 * range wraps), INVALID_MEM_ALIGN (padding_align neither 1 nor a power of
 * two), INVALID_SEG_EXISTS (same range, or p_seg already created),
 * INVALID_SEG_OVERLAP, HEAP_EMPTY.
 */
void Mem_SegCreate(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_ADDR seg_base_addr,
		   CPU_SIZE_T size, CPU_SIZE_T padding_align, LIB_ERR *p_err);

/** Forget every allocation of the segment. Errors: NULL_PTR, INVALID_POOL (pools exist). */
void Mem_SegClr(MEM_SEG *p_seg, LIB_ERR *p_err);

/**
 * Bytes left after aligning the next free address to @p align. NULL segment:
 * the heap. @p p_seg_info may be NULL. Errors: INVALID_MEM_ALIGN, NULL_PTR.
 */
CPU_SIZE_T Mem_SegRemSizeGet(MEM_SEG *p_seg, CPU_SIZE_T align, MEM_SEG_INFO *p_seg_info,
			     LIB_ERR *p_err);

/** Allocate @p size bytes aligned to sizeof(CPU_ALIGN). Errors: INVALID_MEM_SIZE, SEG_OVF, NULL_PTR. */
void *Mem_SegAlloc(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_SIZE_T size, LIB_ERR *p_err);

/**
 * Allocate @p size bytes aligned to @p align, no padding. On SEG_OVF,
 * @p p_bytes_reqd (optional) receives the missing byte count.
 * Errors: INVALID_MEM_SIZE, INVALID_MEM_ALIGN, SEG_OVF, NULL_PTR.
 */
void *Mem_SegAllocExt(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_SIZE_T size,
		      CPU_SIZE_T align, CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err);

/** As Mem_SegAllocExt(), aligned to max(align, padding) and padded to the segment padding. */
void *Mem_SegAllocHW(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_SIZE_T size,
		     CPU_SIZE_T align, CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err);

/**
 * Create a general-purpose dynamic pool. NULL segment: the heap.
 * Errors: NULL_PTR, INVALID_BLK_SIZE (0), INVALID_BLK_ALIGN (not a power of
 * two), INVALID_BLK_NBR (init > max), ADDR_OVF (size x count overflows),
 * SEG_OVF (initial blocks do not fit), HEAP_EMPTY.
 */
void Mem_DynPoolCreate(const CPU_CHAR *p_name, MEM_DYN_POOL *p_pool, MEM_SEG *p_seg,
		       CPU_SIZE_T blk_size, CPU_SIZE_T blk_align, CPU_SIZE_T blk_qty_init,
		       CPU_SIZE_T blk_qty_max, LIB_ERR *p_err);

/** As Mem_DynPoolCreate(), blocks aligned and padded to the segment's padding (DMA-safe). */
void Mem_DynPoolCreateHW(const CPU_CHAR *p_name, MEM_DYN_POOL *p_pool, MEM_SEG *p_seg,
			 CPU_SIZE_T blk_size, CPU_SIZE_T blk_align, CPU_SIZE_T blk_qty_init,
			 CPU_SIZE_T blk_qty_max, LIB_ERR *p_err);

/** Get a block. Errors: NULL_PTR, INVALID_POOL, POOL_EMPTY, SEG_OVF, HEAP_EMPTY. */
void *Mem_DynPoolBlkGet(MEM_DYN_POOL *p_pool, LIB_ERR *p_err);

/**
 * Free a block. Errors: NULL_PTR, INVALID_POOL, INVALID_BLK_ADDR,
 * POOL_FULL, INVALID_BLK_ADDR_IN_POOL.
 */
void Mem_DynPoolBlkFree(MEM_DYN_POOL *p_pool, void *p_blk, LIB_ERR *p_err);

/**
 * Blocks still obtainable from a limited pool (maximum - handed out).
 * An unlimited pool answers 0 with LIB_MEM_ERR_POOL_UNLIMITED.
 */
CPU_SIZE_T Mem_DynPoolBlkNbrAvailGet(MEM_DYN_POOL *p_pool, LIB_ERR *p_err);

#ifdef __cplusplus
}
#endif

#endif /* DP_UCLIB_LIB_MEM_H */
