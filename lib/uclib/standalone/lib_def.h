/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lib_def.h
 * Standalone mode only: the uC/LIB core definitions µC/LIB client code
 * reaches through lib_mem.h: LIB_VERSION, boolean and configuration
 * constants, DEF_BIT_* and the bit macros, DEF_INT_* limits, DEF_OCTET_*,
 * DEF_NIBBLE_*, DEF_NBR_BASE_*, DEF_TIME_NBR_*, DEF_MIN/DEF_MAX/DEF_ABS,
 * DEF_CHK_VAL*, and LIB_ERR with uC/LIB's numeric values.
 *
 * Beside the real uC-LIB this directory is not on the include path (see
 * lib_mem.h, "Two build modes"); the guard is uC-LIB's own, so a real
 * lib_def.h included first wins and this one adds nothing.
 */
#ifndef LIB_DEF_MODULE_PRESENT
#define LIB_DEF_MODULE_PRESENT

#include "cpu_def.h"
#include "cpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/** uC-LIB API level of this layer: V1.39.01 (kal.h needs 1.38.00 or above). */
#define LIB_VERSION 13901u

/* Marks these standalone definitions: there is no lib_cfg.h to read then
 * (lib_mem.h reads it beside the real uC-LIB). */
#define DP_UCLIB_STANDALONE_LIB_DEF 1

#define DEF_NULL 0 /* an integer 0, as uC/LIB has it: fits pointers and integers */

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

/* Bit masks: DEF_BIT_nn has only bit nn set (unsigned int up to bit 31). */
#define DEF_BIT_NONE 0x00u
#define DEF_BIT_00 0x1u
#define DEF_BIT_01 0x2u
#define DEF_BIT_02 0x4u
#define DEF_BIT_03 0x8u
#define DEF_BIT_04 0x10u
#define DEF_BIT_05 0x20u
#define DEF_BIT_06 0x40u
#define DEF_BIT_07 0x80u
#define DEF_BIT_08 0x100u
#define DEF_BIT_09 0x200u
#define DEF_BIT_10 0x400u
#define DEF_BIT_11 0x800u
#define DEF_BIT_12 0x1000u
#define DEF_BIT_13 0x2000u
#define DEF_BIT_14 0x4000u
#define DEF_BIT_15 0x8000u
#define DEF_BIT_16 0x10000u
#define DEF_BIT_17 0x20000u
#define DEF_BIT_18 0x40000u
#define DEF_BIT_19 0x80000u
#define DEF_BIT_20 0x100000u
#define DEF_BIT_21 0x200000u
#define DEF_BIT_22 0x400000u
#define DEF_BIT_23 0x800000u
#define DEF_BIT_24 0x1000000u
#define DEF_BIT_25 0x2000000u
#define DEF_BIT_26 0x4000000u
#define DEF_BIT_27 0x8000000u
#define DEF_BIT_28 0x10000000u
#define DEF_BIT_29 0x20000000u
#define DEF_BIT_30 0x40000000u
#define DEF_BIT_31 0x80000000u
#define DEF_BIT_32 0x100000000uLL
#define DEF_BIT_33 0x200000000uLL
#define DEF_BIT_34 0x400000000uLL
#define DEF_BIT_35 0x800000000uLL
#define DEF_BIT_36 0x1000000000uLL
#define DEF_BIT_37 0x2000000000uLL
#define DEF_BIT_38 0x4000000000uLL
#define DEF_BIT_39 0x8000000000uLL
#define DEF_BIT_40 0x10000000000uLL
#define DEF_BIT_41 0x20000000000uLL
#define DEF_BIT_42 0x40000000000uLL
#define DEF_BIT_43 0x80000000000uLL
#define DEF_BIT_44 0x100000000000uLL
#define DEF_BIT_45 0x200000000000uLL
#define DEF_BIT_46 0x400000000000uLL
#define DEF_BIT_47 0x800000000000uLL
#define DEF_BIT_48 0x1000000000000uLL
#define DEF_BIT_49 0x2000000000000uLL
#define DEF_BIT_50 0x4000000000000uLL
#define DEF_BIT_51 0x8000000000000uLL
#define DEF_BIT_52 0x10000000000000uLL
#define DEF_BIT_53 0x20000000000000uLL
#define DEF_BIT_54 0x40000000000000uLL
#define DEF_BIT_55 0x80000000000000uLL
#define DEF_BIT_56 0x100000000000000uLL
#define DEF_BIT_57 0x200000000000000uLL
#define DEF_BIT_58 0x400000000000000uLL
#define DEF_BIT_59 0x800000000000000uLL
#define DEF_BIT_60 0x1000000000000000uLL
#define DEF_BIT_61 0x2000000000000000uLL
#define DEF_BIT_62 0x4000000000000000uLL
#define DEF_BIT_63 0x8000000000000000uLL

/** Mask with bit @p bit set. */
#define DEF_BIT(bit) (1uL << (bit))
/** @p bit_mask moved up by @p bit_shift. */
#define DEF_BIT_MASK(bit_mask, bit_shift) ((bit_mask) << (bit_shift))
#define DEF_BIT_MASK_08(bit_mask, bit_shift) ((CPU_INT08U)((CPU_INT08U)(bit_mask) << (bit_shift)))
#define DEF_BIT_MASK_16(bit_mask, bit_shift) ((CPU_INT16U)((CPU_INT16U)(bit_mask) << (bit_shift)))
#define DEF_BIT_MASK_32(bit_mask, bit_shift) ((CPU_INT32U)((CPU_INT32U)(bit_mask) << (bit_shift)))
#define DEF_BIT_MASK_64(bit_mask, bit_shift) ((CPU_INT64U)((CPU_INT64U)(bit_mask) << (bit_shift)))
/** @p bit_field consecutive bits set, starting at bit @p bit_shift. */
#define DEF_BIT_FIELD(bit_field, bit_shift) \
	((((bit_field) >= DEF_INT_CPU_NBR_BITS) ? DEF_INT_CPU_U_MAX_VAL : (DEF_BIT(bit_field) - 1uL)) << (bit_shift))
#define DEF_BIT_FIELD_08(bit_field, bit_shift) ((CPU_INT08U)DEF_BIT_FIELD(bit_field, bit_shift))
#define DEF_BIT_FIELD_16(bit_field, bit_shift) ((CPU_INT16U)DEF_BIT_FIELD(bit_field, bit_shift))
#define DEF_BIT_FIELD_32(bit_field, bit_shift) ((CPU_INT32U)DEF_BIT_FIELD(bit_field, bit_shift))
#define DEF_BIT_FIELD_64(bit_field, bit_shift) ((CPU_INT64U)DEF_BIT_FIELD(bit_field, bit_shift))

/** Set the bits of @p mask in the lvalue @p val. */
#define DEF_BIT_SET(val, mask) ((val) = (val) | (mask))
#define DEF_BIT_SET_08(val, mask) DEF_BIT_SET(val, mask)
#define DEF_BIT_SET_16(val, mask) DEF_BIT_SET(val, mask)
#define DEF_BIT_SET_32(val, mask) DEF_BIT_SET(val, mask)
#define DEF_BIT_SET_64(val, mask) DEF_BIT_SET(val, mask)
/** Clear the bits of @p mask in the lvalue @p val (whatever its width). */
#define DEF_BIT_CLR(val, mask) ((val) = (val) & ~(mask))
#define DEF_BIT_CLR_08(val, mask) ((val) = (CPU_INT08U)((val) & (CPU_INT08U)~(mask)))
#define DEF_BIT_CLR_16(val, mask) ((val) = (CPU_INT16U)((val) & (CPU_INT16U)~(mask)))
#define DEF_BIT_CLR_32(val, mask) ((val) = (CPU_INT32U)((val) & (CPU_INT32U)~(mask)))
#define DEF_BIT_CLR_64(val, mask) ((val) = (CPU_INT64U)((val) & (CPU_INT64U)~(mask)))
/** Toggle the bits of @p mask in the lvalue @p val. */
#define DEF_BIT_TOGGLE(val, mask) ((val) ^= (mask))
/** Replace the bits of @p field_mask in @p var by @p val (already shifted). */
#define DEF_BIT_FIELD_WR(var, val, field_mask) \
	((var) = (((var) & ~(field_mask)) | ((val) & (field_mask))))
/** DEF_YES when every bit of a non-empty @p mask is set in @p val. */
#define DEF_BIT_IS_SET(val, mask) \
	(((((val) & (mask)) == (mask)) && ((mask) != 0u)) ? DEF_YES : DEF_NO)
/** DEF_YES when every bit of a non-empty @p mask is clear in @p val. */
#define DEF_BIT_IS_CLR(val, mask) \
	(((((val) & (mask)) == 0u) && ((mask) != 0u)) ? DEF_YES : DEF_NO)
/** DEF_YES when at least one bit of @p mask is set in @p val. */
#define DEF_BIT_IS_SET_ANY(val, mask) ((((val) & (mask)) != 0u) ? DEF_YES : DEF_NO)
/** DEF_YES when at least one bit of @p mask is clear in @p val. */
#define DEF_BIT_IS_CLR_ANY(val, mask) ((((val) & (mask)) != (mask)) ? DEF_YES : DEF_NO)

#define DEF_OCTET_NBR_BITS 8u
#define DEF_OCTET_MASK 0xFFu
#define DEF_OCTET_TO_BIT_NBR_BITS 3u
#define DEF_OCTET_TO_BIT_SHIFT DEF_OCTET_TO_BIT_NBR_BITS
#define DEF_OCTET_TO_BIT_MASK 0x07u
#define DEF_NIBBLE_NBR_BITS 4u
#define DEF_NIBBLE_MASK 0x0Fu

#define DEF_NBR_BASE_BIN 2u
#define DEF_NBR_BASE_OCT 8u
#define DEF_NBR_BASE_DEC 10u
#define DEF_NBR_BASE_HEX 16u

#define DEF_ALIGN_MAX_NBR_OCTETS 4096u

#define DEF_INT_08_NBR_BITS 8u
#define DEF_INT_08_MASK 0xFFu
#define DEF_INT_08U_MIN_VAL 0u
#define DEF_INT_08U_MAX_VAL 255u
#define DEF_INT_08S_MIN_VAL (-128)
#define DEF_INT_08S_MIN_VAL_ONES_CPL (-127)
#define DEF_INT_08S_MAX_VAL_ONES_CPL 127
#define DEF_INT_08S_MAX_VAL 127
#define DEF_INT_08U_NBR_DIG_MIN 1u
#define DEF_INT_08U_NBR_DIG_MAX 3u
#define DEF_INT_08S_NBR_DIG_MIN 3u
#define DEF_INT_08S_NBR_DIG_MAX 3u

#define DEF_INT_16_NBR_BITS 16u
#define DEF_INT_16_MASK 0xFFFFu
#define DEF_INT_16U_MIN_VAL 0u
#define DEF_INT_16U_MAX_VAL 65535u
#define DEF_INT_16S_MIN_VAL (-32767 - 1)
#define DEF_INT_16S_MIN_VAL_ONES_CPL (-32767)
#define DEF_INT_16S_MAX_VAL_ONES_CPL 32767
#define DEF_INT_16S_MAX_VAL 32767
#define DEF_INT_16U_NBR_DIG_MIN 1u
#define DEF_INT_16U_NBR_DIG_MAX 5u
#define DEF_INT_16S_NBR_DIG_MIN 5u
#define DEF_INT_16S_NBR_DIG_MAX 5u

#define DEF_INT_32_NBR_BITS 32u
#define DEF_INT_32_MASK 0xFFFFFFFFu
#define DEF_INT_32U_MIN_VAL 0u
#define DEF_INT_32U_MAX_VAL 4294967295u
#define DEF_INT_32S_MIN_VAL (-2147483647 - 1)
#define DEF_INT_32S_MIN_VAL_ONES_CPL (-2147483647)
#define DEF_INT_32S_MAX_VAL_ONES_CPL 2147483647
#define DEF_INT_32S_MAX_VAL 2147483647
#define DEF_INT_32U_NBR_DIG_MIN 1u
#define DEF_INT_32U_NBR_DIG_MAX 10u
#define DEF_INT_32S_NBR_DIG_MIN 10u
#define DEF_INT_32S_NBR_DIG_MAX 10u

#define DEF_INT_64_NBR_BITS 64u
#define DEF_INT_64_MASK 0xFFFFFFFFFFFFFFFFuLL
#define DEF_INT_64U_MIN_VAL 0uLL
#define DEF_INT_64U_MAX_VAL 18446744073709551615uLL
#define DEF_INT_64S_MIN_VAL (-9223372036854775807LL - 1)
#define DEF_INT_64S_MIN_VAL_ONES_CPL (-9223372036854775807LL)
#define DEF_INT_64S_MAX_VAL_ONES_CPL 9223372036854775807LL
#define DEF_INT_64S_MAX_VAL 9223372036854775807LL
#define DEF_INT_64U_NBR_DIG_MIN 1u
#define DEF_INT_64U_NBR_DIG_MAX 20u
#define DEF_INT_64S_NBR_DIG_MIN 19u
#define DEF_INT_64S_NBR_DIG_MAX 19u

/* The CPU word (CPU_DATA) limits. */
#define DEF_INT_CPU_NBR_BITS (CPU_CFG_DATA_SIZE * DEF_OCTET_NBR_BITS)
#define DEF_INT_CPU_NBR_BITS_MAX (CPU_CFG_DATA_SIZE_MAX * DEF_OCTET_NBR_BITS)
#if CPU_CFG_DATA_SIZE == CPU_WORD_SIZE_64
#define DEF_INT_CPU_MASK DEF_INT_64_MASK
#define DEF_INT_CPU_U_MIN_VAL DEF_INT_64U_MIN_VAL
#define DEF_INT_CPU_U_MAX_VAL DEF_INT_64U_MAX_VAL
#define DEF_INT_CPU_S_MIN_VAL DEF_INT_64S_MIN_VAL
#define DEF_INT_CPU_S_MAX_VAL DEF_INT_64S_MAX_VAL
#define DEF_INT_CPU_S_MIN_VAL_ONES_CPL DEF_INT_64S_MIN_VAL_ONES_CPL
#define DEF_INT_CPU_S_MAX_VAL_ONES_CPL DEF_INT_64S_MAX_VAL_ONES_CPL
#else
#define DEF_INT_CPU_MASK DEF_INT_32_MASK
#define DEF_INT_CPU_U_MIN_VAL DEF_INT_32U_MIN_VAL
#define DEF_INT_CPU_U_MAX_VAL DEF_INT_32U_MAX_VAL
#define DEF_INT_CPU_S_MIN_VAL DEF_INT_32S_MIN_VAL
#define DEF_INT_CPU_S_MAX_VAL DEF_INT_32S_MAX_VAL
#define DEF_INT_CPU_S_MIN_VAL_ONES_CPL DEF_INT_32S_MIN_VAL_ONES_CPL
#define DEF_INT_CPU_S_MAX_VAL_ONES_CPL DEF_INT_32S_MAX_VAL_ONES_CPL
#endif

/** Largest value of the unsigned object @p obj, from its size. */
#define DEF_GET_U_MAX_VAL(obj) \
	((sizeof(obj) >= 8u) ? DEF_INT_64U_MAX_VAL : ((1uLL << (sizeof(obj) * 8u)) - 1uLL))

#define DEF_TIME_NBR_DAY_PER_WK 7u
#define DEF_TIME_NBR_DAY_PER_YR 365u
#define DEF_TIME_NBR_DAY_PER_YR_LEAP 366u
#define DEF_TIME_NBR_HR_PER_DAY 24u
#define DEF_TIME_NBR_HR_PER_WK (DEF_TIME_NBR_HR_PER_DAY * DEF_TIME_NBR_DAY_PER_WK)
#define DEF_TIME_NBR_HR_PER_YR (DEF_TIME_NBR_HR_PER_DAY * DEF_TIME_NBR_DAY_PER_YR)
#define DEF_TIME_NBR_HR_PER_YR_LEAP (DEF_TIME_NBR_HR_PER_DAY * DEF_TIME_NBR_DAY_PER_YR_LEAP)
#define DEF_TIME_NBR_MIN_PER_HR 60u
#define DEF_TIME_NBR_MIN_PER_DAY (DEF_TIME_NBR_MIN_PER_HR * DEF_TIME_NBR_HR_PER_DAY)
#define DEF_TIME_NBR_MIN_PER_WK (DEF_TIME_NBR_MIN_PER_DAY * DEF_TIME_NBR_DAY_PER_WK)
#define DEF_TIME_NBR_MIN_PER_YR (DEF_TIME_NBR_MIN_PER_DAY * DEF_TIME_NBR_DAY_PER_YR)
#define DEF_TIME_NBR_MIN_PER_YR_LEAP (DEF_TIME_NBR_MIN_PER_DAY * DEF_TIME_NBR_DAY_PER_YR_LEAP)
#define DEF_TIME_NBR_SEC_PER_MIN 60u
#define DEF_TIME_NBR_SEC_PER_HR (DEF_TIME_NBR_SEC_PER_MIN * DEF_TIME_NBR_MIN_PER_HR)
#define DEF_TIME_NBR_SEC_PER_DAY (DEF_TIME_NBR_SEC_PER_HR * DEF_TIME_NBR_HR_PER_DAY)
#define DEF_TIME_NBR_SEC_PER_WK (DEF_TIME_NBR_SEC_PER_DAY * DEF_TIME_NBR_DAY_PER_WK)
#define DEF_TIME_NBR_SEC_PER_YR (DEF_TIME_NBR_SEC_PER_DAY * DEF_TIME_NBR_DAY_PER_YR)
#define DEF_TIME_NBR_SEC_PER_YR_LEAP (DEF_TIME_NBR_SEC_PER_DAY * DEF_TIME_NBR_DAY_PER_YR_LEAP)
#define DEF_TIME_NBR_mS_PER_SEC 1000u
#define DEF_TIME_NBR_uS_PER_SEC 1000000uL
#define DEF_TIME_NBR_nS_PER_SEC 1000000000uL

#define DEF_MIN(a, b) (((a) < (b)) ? (a) : (b))
#define DEF_MAX(a, b) (((a) > (b)) ? (a) : (b))
#define DEF_ABS(a) (((a) < 0) ? (-(a)) : (a))

/** DEF_OK when @p val is at least @p val_min, else DEF_FAIL. */
#define DEF_CHK_VAL_MIN(val, val_min) (((val) < (val_min)) ? DEF_FAIL : DEF_OK)
/** DEF_OK when @p val is at most @p val_max, else DEF_FAIL. */
#define DEF_CHK_VAL_MAX(val, val_max) (((val) > (val_max)) ? DEF_FAIL : DEF_OK)
/** DEF_OK when @p val lies in [@p val_min, @p val_max], else DEF_FAIL. */
#define DEF_CHK_VAL(val, val_min, val_max) \
	(((DEF_CHK_VAL_MIN(val, val_min) == DEF_OK) && (DEF_CHK_VAL_MAX(val, val_max) == DEF_OK)) \
		 ? DEF_OK : DEF_FAIL)

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

#ifdef __cplusplus
}
#endif

#endif /* LIB_DEF_MODULE_PRESENT */
