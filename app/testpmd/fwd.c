/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-testpmd: forwarding engines and lcore loops.
 *
 * Each worker lcore runs the streams whose rx side (or, in a pipeline,
 * tx side) it owns, in a loop, until `running` drops. Packets that a
 * transmit does not take are freed and counted as drops, so every mbuf
 * goes back to its pool.
 */
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "fwd.h"

#define BURST_MAX 512

static void
swap_macs(struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		struct rte_ether_addr a = eth->dst_addr;

		if (rte_pktmbuf_data_len(pkts[i]) < sizeof(*eth))
			continue;
		eth->dst_addr = eth->src_addr;
		eth->src_addr = a;
	}
}

/* testpmd's mac mode: from the tx port, to its peer. */
static void
set_macs(struct tp_fwd *f, uint16_t tx_port, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);

		if (rte_pktmbuf_data_len(pkts[i]) < sizeof(*eth))
			continue;
		eth->src_addr = f->mac[tx_port];
		eth->dst_addr = f->peer[tx_port];
	}
}

static void
rewrite(struct tp_fwd *f, uint16_t tx_port, struct rte_mbuf **pkts, uint16_t n)
{
	if (f->mode == TP_FWD_MAC)
		set_macs(f, tx_port, pkts, n);
	else if (f->mode == TP_FWD_MACSWAP)
		swap_macs(pkts, n);
}

/* "set verbose 1": what testpmd users read to see traffic, one line a
 * packet. Slow by design (stdout from a forwarding lcore). */
static void __rte_noinline
print_burst(const struct tp_stream *s, struct rte_mbuf **pkts, uint16_t n)
{
	printf("port %u/queue %u: received %u packets\n", s->rx_port, s->rx_queue, n);
	for (uint16_t i = 0; i < n; i++) {
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		char src[RTE_ETHER_ADDR_FMT_SIZE], dst[RTE_ETHER_ADDR_FMT_SIZE];

		if (rte_pktmbuf_data_len(pkts[i]) < sizeof(*eth))
			continue;
		rte_ether_format_addr(src, sizeof(src), &eth->src_addr);
		rte_ether_format_addr(dst, sizeof(dst), &eth->dst_addr);
		printf("  src=%s - dst=%s - type=0x%04x - length=%u - nb_segs=%u\n", src, dst,
		       rte_be_to_cpu_16(eth->ether_type), rte_pktmbuf_pkt_len(pkts[i]),
		       pkts[i]->nb_segs);
	}
	fflush(stdout);
}

static void
tx_or_drop(struct tp_stream *s, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = rte_eth_tx_burst(s->tx_port, s->tx_queue, pkts, n);

	s->tx += sent;
	if (sent < n) {
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		s->drop += n - sent;
	}
}

/* txonly: a burst of fresh packets from the pool of the tx port. */
static uint16_t
make_packets(struct tp_fwd *f, struct tp_stream *s, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mempool *mp = tp_pool_for_socket(f->pools, rte_eth_dev_socket_id(s->tx_port));
	uint16_t len = (uint16_t)f->txpkt_len;

	if (rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0) {
		s->nombuf++;
		return 0;
	}
	for (uint16_t i = 0; i < n; i++) {
		struct rte_ether_hdr *eth;

		pkts[i]->data_len = len;
		pkts[i]->pkt_len = len;
		eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		eth->src_addr = f->mac[s->tx_port];
		memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	}
	return n;
}

static void
run_stream(struct tp_fwd *f, struct tp_stream *s, unsigned int me)
{
	struct rte_mbuf *pkts[BURST_MAX];
	uint16_t burst = (uint16_t)f->burst, n;

	if (s->rx_lcore == me) {
		n = rte_eth_rx_burst(s->rx_port, s->rx_queue, pkts, burst);
		s->rx += n;
		if (unlikely(f->verbose > 0 && n > 0))
			print_burst(s, pkts, n);
		if (f->mode == TP_FWD_RXONLY || f->mode == TP_FWD_TXONLY) {
			if (n > 0)
				rte_pktmbuf_free_bulk(pkts, n);
		} else if (n > 0 && s->ring != NULL) {
			unsigned int q = rte_ring_sp_enqueue_burst(s->ring, (void **)pkts, n, NULL);

			if (q < n) {
				rte_pktmbuf_free_bulk(&pkts[q], n - q);
				s->drop += n - q;
			}
		} else if (n > 0) {
			rewrite(f, s->tx_port, pkts, n);
			tx_or_drop(s, pkts, n);
		}
		if (f->mode == TP_FWD_TXONLY && s->ring == NULL &&
		    (n = make_packets(f, s, pkts, burst)) > 0)
			tx_or_drop(s, pkts, n);
	}
	if (s->tx_lcore == me && s->rx_lcore != me) {
		if (f->mode == TP_FWD_TXONLY) {
			if ((n = make_packets(f, s, pkts, burst)) > 0)
				tx_or_drop(s, pkts, n);
		} else if ((n = (uint16_t)rte_ring_sc_dequeue_burst(s->ring, (void **)pkts, burst,
								     NULL)) > 0) {
			rewrite(f, s->tx_port, pkts, n);
			tx_or_drop(s, pkts, n);
		}
	}
}

static int
worker_loop(void *arg)
{
	struct tp_fwd *f = arg;
	unsigned int me = rte_lcore_id();
	struct tp_stream *mine[TP_MAX_STREAMS];
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->nstreams; i++)
		if (f->streams[i].rx_lcore == me || f->streams[i].tx_lcore == me)
			mine[n++] = &f->streams[i];
	while (f->running)
		for (unsigned int i = 0; i < n; i++)
			run_stream(f, mine[i], me);
	return 0;
}

/* Streams round robin over the first nb_fwd_lcores workers; a pipeline's
 * rx/tx pairs were placed at setup and stay. */
void
tp_fwd_spread(struct tp_fwd *f)
{
	unsigned int lc = rte_get_next_lcore(-1, 1, 0), used = 0;

	if (f->cfg->pipeline)
		return;
	for (unsigned int i = 0; i < f->nstreams; i++) {
		f->streams[i].rx_lcore = f->streams[i].tx_lcore = lc;
		if (++used == f->nb_fwd_lcores) {
			used = 0;
			lc = rte_get_next_lcore(-1, 1, 0);
		} else {
			lc = rte_get_next_lcore(lc, 1, 1);
		}
	}
}

uint64_t
tp_fwd_tx_first(struct tp_fwd *f, unsigned int bursts)
{
	struct rte_mbuf *pkts[BURST_MAX];
	uint64_t sent = 0;

	for (unsigned int b = 0; b < bursts; b++)
		for (unsigned int i = 0; i < f->nstreams; i++) {
			struct tp_stream *s = &f->streams[i];
			uint64_t before = s->tx;
			uint16_t n = make_packets(f, s, pkts, (uint16_t)f->burst);

			if (n > 0)
				tx_or_drop(s, pkts, n);
			sent += s->tx - before;
		}
	return sent;
}

int
tp_fwd_start(struct tp_fwd *f)
{
	unsigned int lc;

	if (f->started)
		return 0;
	tp_fwd_spread(f);
	f->running = 1;
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (rte_eal_remote_launch(worker_loop, f, lc) != 0) {
			tp_fwd_stop(f);
			return -1;
		}
	}
	f->started = true;
	return 0;
}

void
tp_fwd_main_tx_poll(struct tp_fwd *f)
{
	unsigned int me = rte_lcore_id();

	if (!f->running || !f->main_does_tx)
		return;
	for (unsigned int i = 0; i < f->nstreams; i++)
		if (f->streams[i].tx_lcore == me)
			run_stream(f, &f->streams[i], me);
}

void
tp_fwd_stop(struct tp_fwd *f)
{
	f->running = 0;
	rte_eal_mp_wait_lcore();
	/* A pipeline's main-lcore share: hand the last packets on. */
	if (f->main_does_tx)
		for (unsigned int i = 0; i < f->nstreams; i++) {
			struct rte_mbuf *pkts[BURST_MAX];
			unsigned int n;

			while ((n = rte_ring_sc_dequeue_burst(f->streams[i].ring, (void **)pkts,
							      BURST_MAX, NULL)) > 0)
				tx_or_drop(&f->streams[i], pkts, (uint16_t)n);
		}
	f->started = false;
}
