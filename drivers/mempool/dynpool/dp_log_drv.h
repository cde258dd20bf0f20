/* SPDX-License-Identifier: Apache-2.0 */
/* The driver logs under "mempool.dynpool". */
#ifndef DP_LOG_DRV_H
#define DP_LOG_DRV_H

#include <rte_log.h>

extern int dp_drv_logtype;

#define DP_DRV_LOG(level, ...) rte_log(RTE_LOG_##level, dp_drv_logtype, "mempool dynpool: " __VA_ARGS__)

#endif /* DP_LOG_DRV_H */
