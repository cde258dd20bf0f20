/* SPDX-License-Identifier: Apache-2.0 */
/* uC-LIB configuration for scripts/check-micrium.sh (mode b, host). The
 * heap size here is what the real lib_mem.h would use; dynpool's heap is
 * its own build option (see lib_mem.h). */
#ifndef LIB_CFG_MODULE_PRESENT
#define LIB_CFG_MODULE_PRESENT

#define LIB_MEM_CFG_ARG_CHK_EXT_EN DEF_ENABLED
#define LIB_MEM_CFG_OPTIMIZE_ASM_EN DEF_DISABLED
#define LIB_MEM_CFG_DBG_INFO_EN DEF_DISABLED
#define LIB_STR_CFG_FP_EN DEF_DISABLED
#define LIB_STR_CFG_FP_MAX_NBR_DIG_SIG LIB_STR_FP_MAX_NBR_DIG_SIG_DFLT

#endif
