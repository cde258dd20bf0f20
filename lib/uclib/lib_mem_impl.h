/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers of the uC/LIB compatibility layer. */
#ifndef DP_UCLIB_LIB_MEM_IMPL_H
#define DP_UCLIB_LIB_MEM_IMPL_H

#include "dp_err.h"
#include "lib_mem.h"

#define LIB_MEM_TYPE_SEG 0x4d534547u  /* 'MSEG' */
#define LIB_MEM_TYPE_POOL 0x4d44504cu /* 'MDPL' */

/* Which uC/LIB code a native error becomes, per call family. */
enum lib_mem_ctx { CTX_SEG_CREATE, CTX_SEG_ALLOC, CTX_POOL_CREATE, CTX_POOL_OP };

LIB_ERR lib_mem_err(dp_err e, enum lib_mem_ctx ctx);

/* The native segment behind p_seg (NULL: the heap), or an error. */
LIB_ERR lib_mem_seg_resolve(MEM_SEG *p_seg, struct dp_seg **out);

/* A name the native API accepts: NULL or "" become a placeholder, long
 * names are cut (uC/LIB only keeps the pointer, for debugging). */
void lib_mem_name(char *dst, const CPU_CHAR *p_name, const char *fallback);

#endif /* DP_UCLIB_LIB_MEM_IMPL_H */
