/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_telemetry.h
 * DPDK telemetry endpoints of dynpool: /dynpool/list lists every pool a
 * source knows (native pools; the mempool driver adds its mempools), and
 * /dynpool/info,NAME describes one, so `dpdk-telemetry.py` shows the
 * pools of a running application.
 */
#ifndef DP_TELEMETRY_H
#define DP_TELEMETRY_H

#include <rte_telemetry.h>

/** A provider of pools for the telemetry endpoints. */
struct dp_telemetry_source {
	/** Add the names of its pools to @p d (an array of strings). */
	void (*list)(struct rte_tel_data *d);
	/** Fill @p d (a dict) for pool @p name; -1 if it does not know it. */
	int (*info)(const char *name, struct rte_tel_data *d);
};

/** Register a source (at most 8; kept for the process's life). */
void dp_telemetry_add_source(const struct dp_telemetry_source *src);

#endif /* DP_TELEMETRY_H */
