/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging through rte_log under the type "lib.dynpool" (so EAL's
 * --log-level=lib.dynpool:debug tunes it). rte_log works before and
 * without rte_eal_init(): messages then go to stderr.
 */
#ifndef DP_LOG_H
#define DP_LOG_H

#include <rte_log.h>

extern int dp_logtype;

#define DP_LOG(level, ...) rte_log(RTE_LOG_##level, dp_logtype, "dynpool: " __VA_ARGS__)

#endif /* DP_LOG_H */
