/* SPDX-License-Identifier: Apache-2.0 */
/* uC-CPU configuration for scripts/check-micrium.sh (mode b, host). CPU
 * names on, so the real cpu_core.h includes lib_mem.h and lib_str.h too. */
#ifndef CPU_CFG_MODULE_PRESENT
#define CPU_CFG_MODULE_PRESENT

#define CPU_CFG_NAME_EN DEF_ENABLED
#define CPU_CFG_NAME_SIZE 16u
#define CPU_CFG_TS_32_EN DEF_DISABLED
#define CPU_CFG_TS_64_EN DEF_DISABLED
#define CPU_CFG_TS_TMR_SIZE CPU_WORD_SIZE_32

#endif
