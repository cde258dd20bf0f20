/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mempool ops order of the primary, checked in every process.
 *
 * DPDK keeps a pool's ops as an index (mp->ops_index) into each process's
 * own ops table, filled in constructor order (plugin and link order). A
 * process whose table differs from the primary's at an index runs another
 * driver's code on the pool. The primary publishes its table (names and
 * the objects holding them) in a memzone when the driver first runs there;
 * any other process compares its own table with it the first time one of
 * the driver's ops is called (or the vdev probes, or the application asks),
 * and from then on the driver's ops refuse every pool in a process that
 * differs: they cannot tell a pool of theirs from another driver's pool
 * that the primary files under the same index. Until the primary has
 * published, a process is pending: the ops serve, unchecked, and look for
 * the table again (at most once a millisecond).
 */
#ifndef DP_OPS_ORDER_H
#define DP_OPS_ORDER_H

#include <errno.h>

#include <rte_branch_prediction.h>

enum { DP_OPS_ORDER_UNKNOWN, DP_OPS_ORDER_OK, DP_OPS_ORDER_REFUSED, DP_OPS_ORDER_PENDING };

/* What this process found; only DP_OPS_ORDER_OK passes the inline test. */
__attribute__((visibility("hidden"))) extern int dp_ops_order_state;

/* Publishes (primary) or checks (other processes), once the primary has
 * published: 0 or -EPROTO. */
__attribute__((visibility("hidden"))) int dp_ops_order_settle(void);

/* At the top of every op that reads the pool: 0, or -EPROTO (refuse). */
static inline int
dp_ops_order_guard(void)
{
	if (likely(__atomic_load_n(&dp_ops_order_state, __ATOMIC_RELAXED) == DP_OPS_ORDER_OK))
		return 0;
	return dp_ops_order_settle();
}

#endif /* DP_OPS_ORDER_H */
