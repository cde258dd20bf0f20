/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file cpu_def.h
 * Standalone mode only: the uC/CPU configuration constants that cpu.h and
 * lib_mem.h compare against (word sizes, byte orders, critical-section
 * methods), for programs built without the real uC-CPU.
 *
 * Beside the real uC-CPU, this directory is not on the include path (see
 * lib_mem.h, "Two build modes"); the guard is uC-CPU's own, so if the real
 * cpu_def.h was included first this one adds nothing.
 */
#ifndef CPU_DEF_MODULE_PRESENT
#define CPU_DEF_MODULE_PRESENT

/** uC-CPU API level these definitions follow (V1.32.01). */
#define CPU_CORE_VERSION 13201u

#define CPU_WORD_SIZE_08 1u
#define CPU_WORD_SIZE_16 2u
#define CPU_WORD_SIZE_32 4u
#define CPU_WORD_SIZE_64 8u

#define CPU_STK_GROWTH_NONE 0u
#define CPU_STK_GROWTH_LO_TO_HI 1u
#define CPU_STK_GROWTH_HI_TO_LO 2u

#define CPU_ENDIAN_TYPE_NONE 0u
#define CPU_ENDIAN_TYPE_BIG 1u
#define CPU_ENDIAN_TYPE_LITTLE 2u

#define CPU_CRITICAL_METHOD_NONE 0u
#define CPU_CRITICAL_METHOD_INT_DIS_EN 1u
#define CPU_CRITICAL_METHOD_STATUS_STK 2u
#define CPU_CRITICAL_METHOD_STATUS_LOCAL 3u

#endif /* CPU_DEF_MODULE_PRESENT */
