/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: live statistics and the summary. */
#ifndef TP_STATS_H
#define TP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "fwd.h"

struct tp_snap {
	uint64_t tsc;
	uint64_t rx[TP_MAX_PORTS], tx[TP_MAX_PORTS], drop[TP_MAX_PORTS];
};

void tp_snap_take(const struct tp_fwd *f, struct tp_snap *s);
/* One block of live statistics: rates since `prev`, then pools. */
void tp_stats_print(FILE *out, struct tp_fwd *f, const struct tp_snap *prev,
		    const struct tp_snap *now);
void tp_pools_print(FILE *out, struct tp_fwd *f);
/* Totals since `start`. */
void tp_summary_print(FILE *out, struct tp_fwd *f, const struct tp_snap *start,
		      const struct tp_snap *end);

#endif /* TP_STATS_H */
