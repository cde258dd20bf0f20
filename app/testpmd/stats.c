/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: statistics. Ports count what the device saw (rte_eth
 * stats); drops are what the device missed plus what a transmit refused. */
#include "stats.h"

#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

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
			s->rx_bytes[i] = st.ibytes;
			s->tx_bytes[i] = st.obytes;
			s->missed[i] = st.imissed;
			s->ierrors[i] = st.ierrors;
			s->oerrors[i] = st.oerrors;
			s->nombuf[i] = st.rx_nombuf;
		}
		for (unsigned int k = 0; k < f->nstreams; k++)
			if (f->streams[k].tx_port == p) {
				s->tx_drop[i] += f->streams[k].drop;
				s->nombuf[i] += f->streams[k].nombuf;
			}
		s->drop[i] = s->missed[i] + s->nombuf[i] + s->tx_drop[i];
	}
}

/* Counters can be cleared under a snapshot: never print a wrapped delta. */
static uint64_t
delta(uint64_t a, uint64_t b)
{
	return b > a ? b - a : 0;
}

static double
mpps(uint64_t a, uint64_t b, uint64_t tsc_a, uint64_t tsc_b)
{
	double secs = (double)(tsc_b - tsc_a) / (double)rte_get_timer_hz();

	return secs > 0 && b > a ? (double)(b - a) / secs / 1e6 : 0.0;
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
		/* A pool that refuses mbufs forwards nothing: say so, and why. */
		if (st.elastic && (st.grow_failures > 0 || st.refused_gets > 0 ||
				   st.size >= st.maximum))
			fprintf(out, "  pool %-10s growth stopped: %s; refused gets %" PRIu64
				"; grow failures %" PRIu64 "\n",
				f->pools->mp[i]->name, st.stop, st.refused_gets, st.grow_failures);
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
			"  rx %8.3f Mpps  tx %8.3f Mpps  nombuf %" PRIu64 "  errors %" PRIu64 "\n",
			f->ports[i], delta(start->rx[i], end->rx[i]), delta(start->tx[i], end->tx[i]),
			delta(start->drop[i], end->drop[i]),
			mpps(start->rx[i], end->rx[i], start->tsc, end->tsc),
			mpps(start->tx[i], end->tx[i], start->tsc, end->tsc),
			delta(start->nombuf[i], end->nombuf[i]),
			delta(start->ierrors[i] + start->oerrors[i], end->ierrors[i] + end->oerrors[i]));
	tp_pools_print(out, f);
}

static struct {
	uint64_t tsc, rx, tx, rx_bytes, tx_bytes;
} shown[TP_MAX_PORTS];

void
tp_port_stats_display(FILE *out, struct tp_fwd *f, unsigned int idx)
{
	static const char border[] = "########################";
	uint16_t port = f->ports[idx];
	struct rte_eth_stats st;
	uint64_t now = rte_get_timer_cycles(), nombuf = 0;
	double secs;

	if (rte_eth_stats_get(port, &st) != 0) {
		fprintf(out, "port %u: cannot read its statistics\n", port);
		return;
	}
	for (unsigned int k = 0; k < f->nstreams; k++)
		if (f->streams[k].tx_port == port)
			nombuf += f->streams[k].nombuf;
	fprintf(out, "\n  %s NIC statistics for port %-2u %s\n", border, port, border);
	fprintf(out, "  RX-packets: %-10" PRIu64 " RX-missed: %-10" PRIu64 " RX-bytes:  %" PRIu64 "\n",
		st.ipackets, st.imissed, st.ibytes);
	fprintf(out, "  RX-errors: %" PRIu64 "\n", st.ierrors);
	fprintf(out, "  RX-nombuf:  %-10" PRIu64 "\n", st.rx_nombuf);
	/* not testpmd's: the bursts txonly asked of the pool in vain */
	fprintf(out, "  TX-nombuf:  %-10" PRIu64 "\n", nombuf);
	fprintf(out, "  TX-packets: %-10" PRIu64 " TX-errors: %-10" PRIu64 " TX-bytes:  %" PRIu64 "\n",
		st.opackets, st.oerrors, st.obytes);
	secs = shown[idx].tsc ? (double)(now - shown[idx].tsc) / (double)rte_get_timer_hz() : 0;
	fprintf(out, "\n  Throughput (since last show)\n");
	fprintf(out, "  Rx-pps: %12.0f          Rx-bps: %12.0f\n  Tx-pps: %12.0f          Tx-bps: %12.0f\n",
		secs > 0 ? (double)delta(shown[idx].rx, st.ipackets) / secs : 0.0,
		secs > 0 ? 8.0 * (double)delta(shown[idx].rx_bytes, st.ibytes) / secs : 0.0,
		secs > 0 ? (double)delta(shown[idx].tx, st.opackets) / secs : 0.0,
		secs > 0 ? 8.0 * (double)delta(shown[idx].tx_bytes, st.obytes) / secs : 0.0);
	fprintf(out, "  %s%s%s\n", border, border, "############################");
	shown[idx].tsc = now;
	shown[idx].rx = st.ipackets;
	shown[idx].tx = st.opackets;
	shown[idx].rx_bytes = st.ibytes;
	shown[idx].tx_bytes = st.obytes;
}

void
tp_port_stats_clear(FILE *out, struct tp_fwd *f, unsigned int idx)
{
	uint16_t port = f->ports[idx];
	int r = rte_eth_stats_reset(port);

	(void)rte_eth_xstats_reset(port);
	memset(&shown[idx], 0, sizeof(shown[idx]));
	if (r != 0)
		fprintf(out, "port %u: cannot clear its statistics: %s\n", port, strerror(-r));
	else
		fprintf(out, "\n  NIC statistics for port %u cleared\n", port);
}

void
tp_fwd_stats_print(FILE *out, struct tp_fwd *f, const struct tp_snap *start,
		   const struct tp_snap *end)
{
	uint64_t rx = 0, rxd = 0, tx = 0, txd = 0;

	for (unsigned int i = 0; i < f->nports; i++) {
		uint64_t r = delta(start->rx[i], end->rx[i]), t = delta(start->tx[i], end->tx[i]);
		uint64_t rd = delta(start->missed[i] + start->nombuf[i], end->missed[i] + end->nombuf[i]);
		uint64_t td = delta(start->tx_drop[i], end->tx_drop[i]);

		fprintf(out, "\n  ---------------------- Forward statistics for port %-2u "
			"----------------------\n", f->ports[i]);
		fprintf(out, "  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64 "RX-total: %" PRIu64
			"\n", r, rd, r + rd);
		fprintf(out, "  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64 "TX-total: %" PRIu64
			"\n", t, td, t + td);
		fprintf(out, "  ----------------------------------------------------------------"
			"------------\n");
		rx += r, rxd += rd, tx += t, txd += td;
	}
	fprintf(out, "\n  +++++++++++++++ Accumulated forward statistics for all ports"
		"+++++++++++++++\n");
	fprintf(out, "  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64 "RX-total: %" PRIu64 "\n",
		rx, rxd, rx + rxd);
	fprintf(out, "  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64 "TX-total: %" PRIu64 "\n",
		tx, txd, tx + txd);
	fprintf(out, "  ++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++"
		"++++++++++++\n");
}

void
tp_fwd_config_print(FILE *out, struct tp_fwd *f)
{
	unsigned int lc, cores = 0;

	RTE_LCORE_FOREACH_WORKER(lc)
		for (unsigned int i = 0; i < f->nstreams; i++)
			if (f->streams[i].rx_lcore == lc || f->streams[i].tx_lcore == lc) {
				cores++;
				break;
			}
	fprintf(out, "%s packet forwarding%s - ports=%u - cores=%u - streams=%u - burst=%u - "
		"txpkts=%u - pool %s\n", tp_fwd_mode_name(f->mode), f->cfg->pipeline ? " pipelined" : "",
		f->nports, cores, f->nstreams, f->burst, f->txpkt_len,
		f->cfg->pool == TP_POOL_ELASTIC ? "elastic" : f->cfg->pool_ops);
	RTE_LCORE_FOREACH(lc) {
		unsigned int n = 0;

		for (unsigned int i = 0; i < f->nstreams; i++)
			n += f->streams[i].rx_lcore == lc || f->streams[i].tx_lcore == lc;
		if (n == 0)
			continue;
		fprintf(out, "Logical Core %u (socket %u) forwards packets on %u streams:\n", lc,
			rte_lcore_to_socket_id(lc), n);
		for (unsigned int i = 0; i < f->nstreams; i++) {
			const struct tp_stream *s = &f->streams[i];
			char peer[RTE_ETHER_ADDR_FMT_SIZE];

			if (s->rx_lcore != lc && s->tx_lcore != lc)
				continue;
			rte_ether_format_addr(peer, sizeof(peer), &f->peer[s->tx_port]);
			fprintf(out, "  %sRX P=%u/Q=%u (socket %d) -> TX P=%u/Q=%u (socket %d) peer=%s\n",
				s->ring == NULL ? "" : s->rx_lcore == lc ? "[rx side] " : "[tx side] ",
				s->rx_port, s->rx_queue, rte_eth_dev_socket_id(s->rx_port), s->tx_port,
				s->tx_queue, rte_eth_dev_socket_id(s->tx_port), peer);
		}
	}
}
