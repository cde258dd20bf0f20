/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file cpu.h
 * Standalone mode only: the uC/CPU port items µC/LIB client code reaches
 * through lib_mem.h, for a host (sizes follow the C implementation):
 * the CPU_* integer types, CPU_CFG_ADDR_SIZE / CPU_CFG_DATA_SIZE /
 * CPU_CFG_ENDIAN_TYPE, and the critical-section macros.
 *
 * CPU_CRITICAL_ENTER()/EXIT() cannot mask interrupts in a process: they
 * take one process-wide recursive lock, so every section entered through
 * them excludes every other, from any thread (what a uC/OS port gives on
 * one core). Keep them short, and never block inside one.
 *
 * Beside the real uC-CPU this directory is not on the include path; the
 * guard is uC-CPU's own, so a real cpu.h included first wins.
 */
#ifndef CPU_MODULE_PRESENT
#define CPU_MODULE_PRESENT

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_def.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void CPU_VOID;
typedef char CPU_CHAR;               /**< 8-bit character. */
typedef uint8_t CPU_BOOLEAN;         /**< DEF_TRUE / DEF_FALSE. */
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

typedef volatile CPU_INT08U CPU_REG08;
typedef volatile CPU_INT16U CPU_REG16;
typedef volatile CPU_INT32U CPU_REG32;
typedef volatile CPU_INT64U CPU_REG64;

typedef void (*CPU_FNCT_VOID)(void);
typedef void (*CPU_FNCT_PTR)(void *p_obj);

/* Address and data words: the host's pointer and long. */
#if UINTPTR_MAX > 0xFFFFFFFFu
#define CPU_CFG_ADDR_SIZE CPU_WORD_SIZE_64
#else
#define CPU_CFG_ADDR_SIZE CPU_WORD_SIZE_32
#endif
#if ULONG_MAX > 0xFFFFFFFFu || defined(__LP64__) || defined(_LP64)
#define CPU_CFG_DATA_SIZE CPU_WORD_SIZE_64
#else
#define CPU_CFG_DATA_SIZE CPU_WORD_SIZE_32
#endif
#define CPU_CFG_DATA_SIZE_MAX CPU_WORD_SIZE_64

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define CPU_CFG_ENDIAN_TYPE CPU_ENDIAN_TYPE_BIG
#else
#define CPU_CFG_ENDIAN_TYPE CPU_ENDIAN_TYPE_LITTLE
#endif

#define CPU_CFG_STK_GROWTH CPU_STK_GROWTH_HI_TO_LO

typedef uintptr_t CPU_ADDR;          /**< Integer wide enough for an address. */
typedef unsigned long CPU_DATA;      /**< Natural CPU word. */
typedef CPU_DATA CPU_ALIGN;          /**< sizeof(CPU_ALIGN) is the natural alignment. */
typedef size_t CPU_SIZE_T;           /**< Sizes and counts. */
typedef CPU_INT32U CPU_STK;
typedef CPU_ADDR CPU_STK_SIZE;

/** Status saved by CPU_CRITICAL_ENTER(): the lock's nesting depth. */
typedef CPU_INT32U CPU_SR;

#define CPU_CFG_CRITICAL_METHOD CPU_CRITICAL_METHOD_STATUS_LOCAL

/** Enter the process-wide critical section (recursive); returns the depth before. */
CPU_SR dp_uclib_critical_enter(void);
/** Leave the critical section entered by the matching dp_uclib_critical_enter(). */
void dp_uclib_critical_exit(CPU_SR sr);

#define CPU_SR_ALLOC() CPU_SR cpu_sr = (CPU_SR)0
#define CPU_CRITICAL_ENTER() do { cpu_sr = dp_uclib_critical_enter(); } while (0)
#define CPU_CRITICAL_EXIT() do { dp_uclib_critical_exit(cpu_sr); } while (0)

#ifdef __cplusplus
}
#endif

#endif /* CPU_MODULE_PRESENT */
