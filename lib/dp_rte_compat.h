/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal, not installed: the DPDK APIs whose spelling differs between
 * the releases dynpool supports (22.11 to 25.11, see README). Call sites
 * use the newest spelling; older releases get it mapped here, so dropping
 * a release means deleting its block and nothing else.
 */
#ifndef DP_RTE_COMPAT_H
#define DP_RTE_COMPAT_H

#include <rte_telemetry.h>
#include <rte_version.h>

/* 23.03 renamed the telemetry u64 adders to _uint and deprecated the old
 * names (a warning, an error under -Werror); 25.11 removed them. */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

/* 23.07 made the memzone limit a run-time setting (rte_memzone_max_get)
 * and dropped the build-time RTE_MAX_MEMZONE. The getter stayed
 * experimental until 24.11: called plainly, 23.07 to 24.07 warn that it
 * is "not yet part of stable ABI" (an error under -Werror). */
#if RTE_VERSION < RTE_VERSION_NUM(23, 7, 0, 0)
#include <rte_config.h>
#define rte_memzone_max_get() ((size_t)RTE_MAX_MEMZONE)
#elif RTE_VERSION < RTE_VERSION_NUM(24, 11, 0, 0)
#include <rte_memzone.h>
static inline size_t
dp_rte_memzone_max_get(void)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	return rte_memzone_max_get();
#pragma GCC diagnostic pop
}
#define rte_memzone_max_get dp_rte_memzone_max_get
#else
#include <rte_memzone.h>
#endif

#endif /* DP_RTE_COMPAT_H */
