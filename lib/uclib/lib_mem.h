/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lib_mem.h
 * uC/LIB memory module (lib_mem.h of uC-LIB V1.39) on top of dynpool.
 *
 * The whole public surface of the original: Mem_Clr/Set/Copy/Move/Cmp,
 * the heap functions, segments, the static Mem_Pool* pools, the dynamic
 * Mem_DynPool* pools, the MEM_VAL_* macros, the LIB_MEM_ERR_* codes (in
 * lib_def.h) and the structure fields client code reads. Same names,
 * arguments, error values and observable behaviour (block layout, bump
 * allocation, remaining sizes, growth one block at a time), with these
 * deliberate differences:
 *
 *  - Argument checks are always on (uC/LIB compiles them out by default).
 *    A NULL @c p_err cannot carry an error: the call then does nothing and
 *    returns NULL / 0 instead of trapping.
 *  - Every dynamic-pool block has the full rounded size, and every block
 *    of a HW pool, initial ones included, is aligned and padded to the
 *    segment padding.
 *  - Mem_DynPoolBlkFree() detects a pointer that is not a block of the pool
 *    (::LIB_MEM_ERR_INVALID_BLK_ADDR) and a block freed twice
 *    (::LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL), as uC/LIB's static pools
 *    do. A limited pool with nothing handed out answers
 *    ::LIB_MEM_ERR_POOL_FULL first, as in uC/LIB.
 *  - Free blocks are not linked through their first word: the data of a
 *    freed block is left as it was (uC/LIB overwrites it; neither promises
 *    anything). MEM_DYN_POOL has no BlkFreePtr and MEM_POOL's BlkFreeTbl
 *    stays NULL: the free lists live in the native pool.
 *  - Every function is thread-safe without masking interrupts. The fields
 *    clients read (MEM_DYN_POOL::BlkAllocCnt, MEM_POOL::BlkFreeTblIx) are
 *    updated atomically after each successful get or free; reading them
 *    while other threads allocate gives a value that was true a moment ago.
 *  - Mem_SegClr() refuses a segment that pools carve from
 *    (::LIB_MEM_ERR_INVALID_POOL): clearing it would hand their blocks out
 *    twice.
 *  - Mem_SegCreate() on a MEM_SEG that is already a live segment answers
 *    ::LIB_MEM_ERR_INVALID_SEG_EXISTS instead of corrupting the list.
 *    MEM_SEG carries AddrBase, AddrEnd and PaddingAlign but no AddrNext:
 *    ask Mem_SegRemSizeGet() for the free space.
 *  - Mem_Init() is idempotent, and a NULL segment initialises the heap on
 *    first use, so calling Mem_Init() first is not required.
 *  - Pool metadata lives outside the segments (the C heap): Mem_PoolCreate()
 *    takes no free-block table and no MEM_SEG from the heap segment, and
 *    when metadata cannot be allocated a call answers
 *    ::LIB_MEM_ERR_HEAP_EMPTY.
 *  - Static pools (Mem_PoolCreate()) are native pools too: blocks at least
 *    pointer-sized, so blocks smaller than sizeof(void *) after rounding
 *    to @c blk_align take sizeof(void *) each (MEM_POOL::BlkSize stays the
 *    rounded size, as in uC/LIB). Blocks are contiguous from PoolAddrStart
 *    and handed out in uC/LIB's order (highest address first).
 *  - Mem_Copy() copies overlapping buffers correctly (as Mem_Move()).
 *  - The heap functions and the static pools exist whatever the heap size;
 *    with no heap (::LIB_MEM_CFG_HEAP_SIZE 0) the heap calls answer
 *    ::LIB_MEM_ERR_HEAP_NOT_FOUND. The heap size is dynpool's build option
 *    (meson uclib_heap_size); a LIB_MEM_CFG_HEAP_SIZE from lib_cfg.h does
 *    not change it, nor does LIB_MEM_CFG_HEAP_PADDING_ALIGN (the heap has
 *    no padding). LIB_MEM_CFG_HEAP_BASE_ADDR is not supported.
 *  - Mem_SegCreate() refuses base address 0 (::LIB_MEM_ERR_NULL_PTR): no
 *    process memory lives there.
 *  - Mem_PoolBlkGetNbrAvail() on a pool that was only cleared (or never
 *    created) answers 0 with ::LIB_MEM_ERR_INVALID_POOL (uC/LIB: 0, NONE).
 *  - The functions link as dp_uclib_Mem_* (see "Link names" below), so
 *    code built against the real lib_mem.h does not link with dynpool.
 *  - Mem_OutputUsage() always exists and reports each segment's name, size
 *    and use (uC/LIB lists every allocation, only with DBG_INFO enabled).
 *
 * Two build modes (doc/user-guide.md, "µC/LIB"):
 *  - standalone: put lib/uclib and lib/uclib/standalone on the include path
 *    (pkg-config dynpool does): the standalone directory supplies the cpu.h,
 *    cpu_def.h, cpu_core.h and lib_def.h items uC/LIB clients use.
 *  - beside the real uC-CPU and uC-LIB: put lib/uclib (this header only)
 *    BEFORE uC-LIB's directory and leave lib/uclib/standalone off the path
 *    (or after the real directories). Then <cpu.h>, <cpu_core.h> and
 *    <lib_def.h> below are the real ones, the real lib_str.c and lib_math.c
 *    build in the same program, and the real lib_mem.c must not be built.
 *    As the real lib_mem.h, this one then reads <lib_cfg.h>; of its
 *    LIB_MEM_CFG_* settings only the client's view changes (see above).
 *    The checks below refuse a cpu.h whose types do not match the ABI the
 *    library was built with, and a client that got the real lib_mem.h
 *    instead of this one (wrong include order) does not link (see the
 *    link names below).
 */
#ifndef LIB_MEM_MODULE_PRESENT
#define LIB_MEM_MODULE_PRESENT

#include <stddef.h>

#include <cpu.h>
#include <cpu_core.h>
#include <lib_def.h>
#ifndef DP_UCLIB_STANDALONE_LIB_DEF
/* The real uC-LIB: read the product's configuration before the defaults
 * below, as the real lib_mem.h does, so a lib_cfg.h included later (by
 * lib_str.h, say) redefines nothing. */
#include <lib_cfg.h>
#endif

#include "dp_config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIB_MEM_PADDING_ALIGN_NONE 1u /**< Segment without padding. */
#define LIB_MEM_BLK_QTY_UNLIMITED 0u  /**< Dynamic pool without a block limit. */

#ifndef LIB_MEM_CFG_HEAP_SIZE
#define LIB_MEM_CFG_HEAP_SIZE DP_UCLIB_HEAP_SIZE /**< Heap segment size in bytes. */
#endif
#ifndef LIB_MEM_CFG_ARG_CHK_EXT_EN
#define LIB_MEM_CFG_ARG_CHK_EXT_EN DEF_ENABLED /**< Always on here. */
#endif
#ifndef LIB_MEM_CFG_OPTIMIZE_ASM_EN
#define LIB_MEM_CFG_OPTIMIZE_ASM_EN DEF_DISABLED
#endif
#ifndef LIB_MEM_CFG_DBG_INFO_EN
#define LIB_MEM_CFG_DBG_INFO_EN DEF_DISABLED
#endif
#ifndef LIB_MEM_CFG_HEAP_PADDING_ALIGN
#define LIB_MEM_CFG_HEAP_PADDING_ALIGN LIB_MEM_PADDING_ALIGN_NONE
#endif

/* The library is built with the standalone cpu.h; a real one must agree
 * on every type that crosses the API (a negative array size stops the
 * build otherwise). */
typedef char dp_uclib_abi_size_t[(sizeof(CPU_SIZE_T) == sizeof(size_t)) ? 1 : -1];
typedef char dp_uclib_abi_addr[(sizeof(CPU_ADDR) == sizeof(void *)) ? 1 : -1];
typedef char dp_uclib_abi_bool[(sizeof(CPU_BOOLEAN) == 1u) ? 1 : -1];
typedef char dp_uclib_abi_err[(sizeof(LIB_ERR) == sizeof(int)) ? 1 : -1];

typedef CPU_INT32U LIB_MEM_TYPE;        /**< Object type marker. */
typedef CPU_SIZE_T MEM_POOL_BLK_QTY;    /**< Block count of a static pool. */
typedef MEM_POOL_BLK_QTY MEM_POOL_IX;   /**< Block index of a static pool. */

struct dp_seg;
struct dp_pool;

/** Memory segment. AddrBase..AddrEnd and PaddingAlign are readable once created. */
typedef struct mem_seg MEM_SEG;
struct mem_seg {
	CPU_ADDR AddrBase;       /**< First address of the segment. */
	CPU_ADDR AddrEnd;        /**< Last address of the segment. */
	MEM_SEG *NextPtr;        /**< Private: list of segments. */
	CPU_SIZE_T PaddingAlign; /**< Padding of HW allocations, 1 = none. */
	const CPU_CHAR *NamePtr; /**< Name given at creation (pointer kept). */
	struct dp_seg *SegPtr;   /**< Private: the dynpool segment. */
	LIB_MEM_TYPE Type;       /**< Private: marks a created segment. */
};

/** Segment usage, filled by Mem_SegRemSizeGet(). */
typedef struct mem_seg_info {
	CPU_SIZE_T UsedSize;    /**< Bytes from the base to the next free address. */
	CPU_SIZE_T TotalSize;   /**< Segment capacity in bytes. */
	CPU_ADDR AddrBase;      /**< First address of the segment. */
	CPU_ADDR AddrNextAlloc; /**< Next address aligned as asked, 0 if none. */
} MEM_SEG_INFO;

/**
 * Static memory pool (Mem_PoolCreate()). Fields readable after creation:
 * PoolAddrStart / PoolAddrEnd (first and last byte of the contiguous
 * blocks), BlkNbr, BlkSize (blk_size rounded up to blk_align), and
 * BlkFreeTblIx (free blocks).
 */
typedef struct mem_pool {
	void *PoolAddrStart;
	void *PoolAddrEnd;
	MEM_POOL_BLK_QTY BlkNbr;
	CPU_SIZE_T BlkSize;
	void **BlkFreeTbl;         /**< Always NULL: the free list is native. */
	CPU_SIZE_T BlkFreeTblIx;   /**< Free blocks. */
	struct dp_pool *PoolPtr;   /**< Private: the dynpool pool. */
	LIB_MEM_TYPE Type;         /**< Private: marks a created pool. */
} MEM_POOL;

/**
 * Dynamic memory pool. Fields readable after creation, as in uC/LIB:
 * PoolSegPtr, BlkSize (as requested), BlkAlign (max of blk_align and the
 * padding), BlkPaddingAlign, BlkQtyMax (0 = unlimited) and BlkAllocCnt
 * (blocks handed out, counted for limited pools only, 0 otherwise).
 */
typedef struct mem_dyn_pool {
	MEM_SEG *PoolSegPtr;
	CPU_SIZE_T BlkSize;
	CPU_SIZE_T BlkAlign;
	CPU_SIZE_T BlkPaddingAlign;
	CPU_SIZE_T BlkQtyMax;
	CPU_SIZE_T BlkAllocCnt;
	struct dp_pool *PoolPtr; /**< Private: the dynpool pool. */
	LIB_MEM_TYPE Type;       /**< Private: marks a created pool. */
} MEM_DYN_POOL;

#include "lib_mem_val.h"

/*
 * Link names: dynpool's own (dp_uclib_Mem_*). A client compiled against
 * another lib_mem.h (the real uC-LIB directory ahead of lib/uclib on the
 * include path) lays its MEM_POOL / MEM_DYN_POOL / MEM_SEG out differently:
 * it must fail to link against libdynpool ("undefined reference to
 * Mem_..."), not have its structures overrun. Source code, function
 * pointers (&Mem_Copy) and the names in this header are unchanged.
 */
#ifndef DP_DOXYGEN /* the reference names the functions as clients call them */
#define Mem_Init dp_uclib_Mem_Init
#define Mem_Clr dp_uclib_Mem_Clr
#define Mem_Set dp_uclib_Mem_Set
#define Mem_Copy dp_uclib_Mem_Copy
#define Mem_Move dp_uclib_Mem_Move
#define Mem_Cmp dp_uclib_Mem_Cmp
#define Mem_HeapAlloc dp_uclib_Mem_HeapAlloc
#define Mem_HeapGetSizeRem dp_uclib_Mem_HeapGetSizeRem
#define Mem_SegCreate dp_uclib_Mem_SegCreate
#define Mem_SegClr dp_uclib_Mem_SegClr
#define Mem_SegRemSizeGet dp_uclib_Mem_SegRemSizeGet
#define Mem_SegAlloc dp_uclib_Mem_SegAlloc
#define Mem_SegAllocExt dp_uclib_Mem_SegAllocExt
#define Mem_SegAllocHW dp_uclib_Mem_SegAllocHW
#define Mem_OutputUsage dp_uclib_Mem_OutputUsage
#define Mem_PoolCreate dp_uclib_Mem_PoolCreate
#define Mem_PoolClr dp_uclib_Mem_PoolClr
#define Mem_PoolBlkGet dp_uclib_Mem_PoolBlkGet
#define Mem_PoolBlkFree dp_uclib_Mem_PoolBlkFree
#define Mem_PoolBlkGetNbrAvail dp_uclib_Mem_PoolBlkGetNbrAvail
#define Mem_DynPoolCreate dp_uclib_Mem_DynPoolCreate
#define Mem_DynPoolCreateHW dp_uclib_Mem_DynPoolCreateHW
#define Mem_DynPoolBlkGet dp_uclib_Mem_DynPoolBlkGet
#define Mem_DynPoolBlkFree dp_uclib_Mem_DynPoolBlkFree
#define Mem_DynPoolBlkNbrAvailGet dp_uclib_Mem_DynPoolBlkNbrAvailGet
#endif

/** Create the heap segment (idempotent). */
void Mem_Init(void);

/** Set @p size bytes at @p pmem to 0. NULL or size 0: nothing. */
void Mem_Clr(void *pmem, CPU_SIZE_T size);
/** Set @p size bytes at @p pmem to @p data_val. NULL or size 0: nothing. */
void Mem_Set(void *pmem, CPU_INT08U data_val, CPU_SIZE_T size);
/** Copy @p size bytes (overlap allowed). A NULL pointer or size 0: nothing. */
void Mem_Copy(void *pdest, const void *psrc, CPU_SIZE_T size);
/** Copy @p size bytes between possibly overlapping buffers. NULL or size 0: nothing. */
void Mem_Move(void *pdest, const void *psrc, CPU_SIZE_T size);
/**
 * Compare @p size bytes. @return DEF_YES if equal (always for size 0),
 * DEF_NO if they differ or a pointer is NULL (size > 0).
 */
CPU_BOOLEAN Mem_Cmp(const void *p1_mem, const void *p2_mem, CPU_SIZE_T size);

/**
 * Allocate @p size bytes aligned to @p align from the heap segment
 * (deprecated in uC/LIB; Mem_SegAllocExt() on a NULL segment). On
 * overflow @p p_bytes_reqd (optional) receives the missing byte count.
 * Errors: INVALID_MEM_SIZE, INVALID_MEM_ALIGN, HEAP_OVF, HEAP_NOT_FOUND.
 */
void *Mem_HeapAlloc(CPU_SIZE_T size, CPU_SIZE_T align, CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err);
/** Heap bytes left after aligning to @p align. Errors: INVALID_MEM_ALIGN, HEAP_NOT_FOUND. */
CPU_SIZE_T Mem_HeapGetSizeRem(CPU_SIZE_T align, LIB_ERR *p_err);

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
 * Report every segment (name, size, bytes used, bytes left) through
 * @p out_fnct, one line per call. Errors: NULL_PTR.
 */
void Mem_OutputUsage(void (*out_fnct)(CPU_CHAR *), LIB_ERR *p_err);

/**
 * Create a static pool of @p blk_nbr blocks of @p blk_size bytes rounded up
 * to @p blk_align, contiguous, in the heap (@p p_mem_base NULL) or in
 * [p_mem_base, p_mem_base + mem_size): that range becomes a segment unless
 * a segment with exactly that range exists, which is then used. Once the
 * arguments are checked the pool structure is cleared (Mem_PoolClr()), so
 * a later failure leaves it cleared, as in uC/LIB. On SEG_OVF
 * @p p_bytes_reqd (optional) receives the missing byte count; it is not
 * written otherwise.
 * Errors: NULL_PTR, INVALID_SEG_SIZE (mem_size 0 with a base),
 * INVALID_BLK_NBR (0), INVALID_BLK_SIZE (0), INVALID_BLK_ALIGN (not a power
 * of two), INVALID_SEG_OVERLAP, ADDR_OVF, SEG_OVF, HEAP_EMPTY,
 * HEAP_NOT_FOUND (NULL base without a heap).
 */
void Mem_PoolCreate(MEM_POOL *p_pool, void *p_mem_base, CPU_SIZE_T mem_size,
		    MEM_POOL_BLK_QTY blk_nbr, CPU_SIZE_T blk_size, CPU_SIZE_T blk_align,
		    CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err);

/**
 * Clear the pool structure's fields, for use before Mem_PoolCreate() (any
 * content, even uninitialised, is accepted). On a created pool it forgets
 * the pool, as uC/LIB does: its blocks stay carved. Errors: NULL_PTR.
 */
void Mem_PoolClr(MEM_POOL *p_pool, LIB_ERR *p_err);

/**
 * Get a block for @p size bytes (1 to BlkSize).
 * Errors: NULL_PTR, INVALID_BLK_SIZE, INVALID_POOL (never created), POOL_EMPTY.
 */
void *Mem_PoolBlkGet(MEM_POOL *p_pool, CPU_SIZE_T size, LIB_ERR *p_err);

/**
 * Return a block. Errors: NULL_PTR, INVALID_BLK_ADDR (not a block start of
 * this pool), INVALID_BLK_ADDR_IN_POOL (already free).
 */
void Mem_PoolBlkFree(MEM_POOL *p_pool, void *p_blk, LIB_ERR *p_err);

/** Free blocks of the pool. Errors: NULL_PTR, INVALID_POOL (never created). */
MEM_POOL_BLK_QTY Mem_PoolBlkGetNbrAvail(MEM_POOL *p_pool, LIB_ERR *p_err);

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

#endif /* LIB_MEM_MODULE_PRESENT */
