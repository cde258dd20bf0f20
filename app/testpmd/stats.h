/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: live statistics and the summary. */
#ifndef TP_STATS_H
#define TP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "fwd.h"

/* Counters of every port (by index in tp_fwd::ports) at one moment.
 * drop = missed + nombuf + what a transmit refused (tx_drop). */
struct tp_snap {
	uint64_t tsc;
	uint64_t rx[TP_MAX_PORTS], tx[TP_MAX_PORTS], drop[TP_MAX_PORTS];
	uint64_t rx_bytes[TP_MAX_PORTS], tx_bytes[TP_MAX_PORTS];
	uint64_t missed[TP_MAX_PORTS], ierrors[TP_MAX_PORTS], oerrors[TP_MAX_PORTS];
	uint64_t nombuf[TP_MAX_PORTS];  /* ethdev rx_nombuf + txonly bursts refused */
	uint64_t tx_drop[TP_MAX_PORTS];
};

void tp_snap_take(const struct tp_fwd *f, struct tp_snap *s);
/* One block of live statistics: rates since `prev`, then pools. */
void tp_stats_print(FILE *out, struct tp_fwd *f, const struct tp_snap *prev,
		    const struct tp_snap *now);
void tp_pools_print(FILE *out, struct tp_fwd *f);
/* Totals since `start`. */
void tp_summary_print(FILE *out, struct tp_fwd *f, const struct tp_snap *start,
		      const struct tp_snap *end);

/* testpmd's "show port stats": counters and the throughput since the
 * previous call for the same port. */
void tp_port_stats_display(FILE *out, struct tp_fwd *f, unsigned int idx);
/* testpmd's "clear port stats": ethdev counters and the throughput base. */
void tp_port_stats_clear(FILE *out, struct tp_fwd *f, unsigned int idx);
/* testpmd's "show fwd stats all" (and the block "stop" prints): per port
 * and accumulated, since `start`. */
void tp_fwd_stats_print(FILE *out, struct tp_fwd *f, const struct tp_snap *start,
			const struct tp_snap *end);
/* testpmd's "show config fwd": mode, lcores and their streams. */
void tp_fwd_config_print(FILE *out, struct tp_fwd *f);

#endif /* TP_STATS_H */
