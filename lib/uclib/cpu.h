/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file cpu.h
 * CPU data types of the uC/CPU port, as the uC/LIB compatibility layer of
 * dynpool needs them (host build: sizes follow the C implementation).
 */
#ifndef DP_UCLIB_CPU_H
#define DP_UCLIB_CPU_H

#include <stddef.h>
#include <stdint.h>

typedef void CPU_VOID;
typedef char CPU_CHAR;               /**< 8-bit character. */
typedef unsigned char CPU_BOOLEAN;   /**< DEF_TRUE / DEF_FALSE. */
typedef uint8_t CPU_INT08U;
typedef int8_t CPU_INT08S;
typedef uint16_t CPU_INT16U;
typedef int16_t CPU_INT16S;
typedef uint32_t CPU_INT32U;
typedef int32_t CPU_INT32S;
typedef uint64_t CPU_INT64U;
typedef int64_t CPU_INT64S;
typedef float CPU_FP32;
typedef double CPU_FP64;

typedef uintptr_t CPU_ADDR;          /**< Integer wide enough for an address. */
typedef size_t CPU_SIZE_T;           /**< Sizes and counts. */
typedef unsigned long CPU_DATA;      /**< Natural CPU word. */
typedef CPU_DATA CPU_ALIGN;          /**< sizeof(CPU_ALIGN) is the natural alignment. */

#endif /* DP_UCLIB_CPU_H */
