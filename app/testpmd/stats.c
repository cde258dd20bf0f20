/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: statistics. Ports count what the device saw (rte_eth
 * stats); drops are what the device missed plus what a transmit refused. */
#include "stats.h"

#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

void
tp_snap_take(const struct tp_fwd *f, struct tp_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->tsc = rte_get_timer_cycles();
	for (unsigned int i = 0; i < f->nports; i++) {
		struct rte_eth_stats st;
		uint16_t p = f->ports[i];

		if (rte_eth_stats_get(p, &st) == 0) {
			s->rx[i] = st.ipackets;
			s->tx[i] = st.opackets;
			s->drop[i] = st.imissed + st.rx_nombuf;
		}
		for (unsigned int k = 0; k < f->nstreams; k++)
			if (f->streams[k].tx_port == p)
				s->drop[i] += f->streams[k].drop;
	}
}

static double
mpps(uint64_t a, uint64_t b, uint64_t tsc_a, uint64_t tsc_b)
{
	double secs = (double)(tsc_b - tsc_a) / (double)rte_get_timer_hz();

	return secs > 0 ? (double)(b - a) / secs / 1e6 : 0.0;
}

void
tp_pools_print(FILE *out, struct tp_fwd *f)
{
	for (unsigned int i = 0; i < f->pools->n; i++) {
		struct tp_pool_stats st;

		tp_pool_stats(f->pools, i, &st);
		fprintf(out, "  pool %-10s in use %7u  free %7u  in caches %6u  carved %7u/%-7u "
			"growths %4" PRIu64 "  high-water %7u  memory %6.1f MiB\n",
			f->pools->mp[i]->name, st.in_use, st.free, st.in_caches, st.size, st.maximum,
			st.grow_events, st.high_watermark, (double)st.memory / (1 << 20));
	}
}

void
tp_stats_print(FILE *out, struct tp_fwd *f, const struct tp_snap *prev, const struct tp_snap *now)
{
	for (unsigned int i = 0; i < f->nports; i++)
		fprintf(out, "  port %-2u rx %8.3f Mpps  tx %8.3f Mpps  drops %10.0f/s\n",
			f->ports[i], mpps(prev->rx[i], now->rx[i], prev->tsc, now->tsc),
			mpps(prev->tx[i], now->tx[i], prev->tsc, now->tsc),
			1e6 * mpps(prev->drop[i], now->drop[i], prev->tsc, now->tsc));
	tp_pools_print(out, f);
	fflush(out);
}

void
tp_summary_print(FILE *out, struct tp_fwd *f, const struct tp_snap *start, const struct tp_snap *end)
{
	double secs = (double)(end->tsc - start->tsc) / (double)rte_get_timer_hz();

	fprintf(out, "\n==== summary: %s forwarding, %.2f s ====\n", tp_fwd_mode_name(f->mode), secs);
	for (unsigned int i = 0; i < f->nports; i++)
		fprintf(out, "  port %-2u rx %12" PRIu64 "  tx %12" PRIu64 "  drops %10" PRIu64
			"  rx %8.3f Mpps  tx %8.3f Mpps\n", f->ports[i], end->rx[i] - start->rx[i],
			end->tx[i] - start->tx[i], end->drop[i] - start->drop[i],
			mpps(start->rx[i], end->rx[i], start->tsc, end->tsc),
			mpps(start->tx[i], end->tx[i], start->tsc, end->tsc));
	tp_pools_print(out, f);
}
