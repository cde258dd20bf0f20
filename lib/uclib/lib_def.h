/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lib_def.h
 * uC/LIB core definitions for the dynpool compatibility layer: boolean and
 * configuration constants, DEF_MIN/DEF_MAX and the LIB_ERR codes with their
 * original numeric values.
 */
#ifndef DP_UCLIB_LIB_DEF_H
#define DP_UCLIB_LIB_DEF_H

#include "cpu.h"

#define DEF_NULL 0
#define DEF_FALSE 0u
#define DEF_TRUE 1u
#define DEF_NO 0u
#define DEF_YES 1u
#define DEF_DISABLED 0u
#define DEF_ENABLED 1u
#define DEF_INACTIVE 0u
#define DEF_ACTIVE 1u
#define DEF_INVALID 0u
#define DEF_VALID 1u
#define DEF_OFF 0u
#define DEF_ON 1u
#define DEF_CLR 0u
#define DEF_SET 1u
#define DEF_FAIL 0u
#define DEF_OK 1u

#define DEF_MIN(a, b) (((a) < (b)) ? (a) : (b))
#define DEF_MAX(a, b) (((a) > (b)) ? (a) : (b))

/** Error codes; the values are those of uC/LIB and part of the interface. */
typedef enum lib_err {
	LIB_ERR_NONE = 0u,

	LIB_MEM_ERR_NONE = 10000u,
	LIB_MEM_ERR_NULL_PTR = 10001u,             /**< Pointer argument is NULL. */

	LIB_MEM_ERR_INVALID_MEM_SIZE = 10100u,     /**< Invalid memory size. */
	LIB_MEM_ERR_INVALID_MEM_ALIGN = 10101u,    /**< Invalid memory alignment. */
	LIB_MEM_ERR_INVALID_SEG_SIZE = 10110u,     /**< Invalid segment size. */
	LIB_MEM_ERR_INVALID_SEG_OVERLAP = 10111u,  /**< Segment overlaps another. */
	LIB_MEM_ERR_INVALID_SEG_EXISTS = 10112u,   /**< Segment already exists. */
	LIB_MEM_ERR_INVALID_POOL = 10120u,         /**< Invalid pool. */
	LIB_MEM_ERR_INVALID_BLK_NBR = 10130u,      /**< Invalid block count. */
	LIB_MEM_ERR_INVALID_BLK_SIZE = 10131u,     /**< Invalid block size. */
	LIB_MEM_ERR_INVALID_BLK_ALIGN = 10132u,    /**< Invalid block alignment. */
	LIB_MEM_ERR_INVALID_BLK_IX = 10133u,       /**< Invalid block index. */
	LIB_MEM_ERR_INVALID_BLK_ADDR = 10135u,     /**< Not a block of the pool. */
	LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL = 10136u, /**< Block already in the pool. */

	LIB_MEM_ERR_SEG_EMPTY = 10200u,            /**< Segment empty. */
	LIB_MEM_ERR_SEG_OVF = 10201u,              /**< Request overflows the segment. */
	LIB_MEM_ERR_POOL_FULL = 10205u,            /**< All blocks are in the pool. */
	LIB_MEM_ERR_POOL_EMPTY = 10206u,           /**< No block left in the pool. */
	LIB_MEM_ERR_POOL_UNLIMITED = 10207u,       /**< The pool is unlimited. */

	LIB_MEM_ERR_HEAP_EMPTY = 10210u,           /**< Heap empty. */
	LIB_MEM_ERR_HEAP_OVF = 10211u,             /**< Request overflows the heap. */
	LIB_MEM_ERR_HEAP_NOT_FOUND = 10215u,       /**< Heap not found. */

	LIB_MEM_ERR_ADDR_OVF = 10300u              /**< Exceeds the address space. */
} LIB_ERR;

#endif /* DP_UCLIB_LIB_DEF_H */
