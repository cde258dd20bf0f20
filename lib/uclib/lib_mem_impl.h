/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers of the uC/LIB compatibility layer. */
#ifndef DP_UCLIB_LIB_MEM_IMPL_H
#define DP_UCLIB_LIB_MEM_IMPL_H

#include "dp_err.h"
#include "lib_mem.h"

#define LIB_MEM_TYPE_SEG 0x4d534547u   /* 'MSEG' */
#define LIB_MEM_TYPE_POOL 0x4d44504cu  /* 'MDPL' */
#define LIB_MEM_TYPE_SPOOL 0x4d53504cu /* 'MSPL' */

/* Which uC/LIB code a native error becomes, per call family. */
enum lib_mem_ctx { CTX_SEG_CREATE, CTX_SEG_ALLOC, CTX_POOL_CREATE, CTX_POOL_OP };

LIB_ERR lib_mem_err(dp_err e, enum lib_mem_ctx ctx);

/* The MEM_SEG behind p_seg (NULL: the heap, created on first use) and its
 * native segment, or an error. */
LIB_ERR lib_mem_seg_resolve(MEM_SEG **p_seg, struct dp_seg **out);

/* The segment whose range is exactly [base, base + size), created (its
 * MEM_SEG on the C heap) when no segment has that range. */
LIB_ERR lib_mem_seg_for_range(CPU_ADDR base, CPU_SIZE_T size, MEM_SEG **out);

/* A name the native API accepts: NULL or "" become a placeholder, long
 * names are cut (uC/LIB only keeps the pointer, for debugging). */
void lib_mem_name(char *dst, const CPU_CHAR *p_name, const char *fallback);

/* Counters clients read while other threads change them. */
static inline void
lib_mem_count_add(CPU_SIZE_T *cnt, CPU_SIZE_T v)
{
	__atomic_add_fetch(cnt, v, __ATOMIC_RELAXED);
}

static inline void
lib_mem_count_sub(CPU_SIZE_T *cnt, CPU_SIZE_T v)
{
	__atomic_sub_fetch(cnt, v, __ATOMIC_RELAXED);
}

#endif /* DP_UCLIB_LIB_MEM_IMPL_H */
