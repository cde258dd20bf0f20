/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: port setup, topology and streams. */
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "fwd.h"

static uint16_t
peer(const struct tp_fwd *f, unsigned int i)
{
	switch (f->cfg->topology) {
	case TP_TOPO_LOOP:
		return f->ports[i];
	case TP_TOPO_CHAINED:
		return f->ports[(i + 1) % f->nports];
	case TP_TOPO_PAIRED:
	default:
		/* 0<->1, 2<->3; an odd last port loops to itself. */
		if ((i ^ 1) < f->nports)
			return f->ports[i ^ 1];
		return f->ports[i];
	}
}

static int
port_start(struct tp_fwd *f, uint16_t port)
{
	const struct tp_config *c = f->cfg;
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *mp = tp_pool_for_socket(f->pools, rte_eth_dev_socket_id(port));
	uint16_t rxd = (uint16_t)c->rxd, txd = (uint16_t)c->txd;
	int r;

	r = rte_eth_dev_configure(port, (uint16_t)c->rxq, (uint16_t)c->txq, &conf);
	if (r == 0)
		r = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
	for (unsigned int q = 0; r == 0 && q < c->rxq; q++)
		r = rte_eth_rx_queue_setup(port, (uint16_t)q, rxd, rte_eth_dev_socket_id(port), NULL, mp);
	for (unsigned int q = 0; r == 0 && q < c->txq; q++)
		r = rte_eth_tx_queue_setup(port, (uint16_t)q, txd, rte_eth_dev_socket_id(port), NULL);
	if (r == 0)
		r = rte_eth_dev_start(port);
	if (r != 0) {
		fprintf(stderr, "dynpool-testpmd: port %u: setup failed: %s\n", port, strerror(-r));
		return -1;
	}
	(void)rte_eth_promiscuous_enable(port);
	(void)rte_eth_macaddr_get(port, &f->mac[port]);
	return 0;
}

int
tp_ports_setup(struct tp_fwd *f, const struct tp_config *c, struct tp_pools *pools)
{
	unsigned int workers = rte_lcore_count() - 1, w = 0;
	uint16_t port;

	f->cfg = c;
	f->pools = pools;
	f->mode = c->fwd_mode;
	f->burst = c->burst;
	f->txpkt_len = c->txpkt_len;
	f->nb_fwd_lcores = workers;
	f->verbose = 0;
	for (unsigned int p = 0; p < TP_MAX_PORTS; p++) {
		/* testpmd's default peer: a locally administered 02:00:00:00:00:N */
		struct rte_ether_addr a = { .addr_bytes = { 2, 0, 0, 0, 0, (uint8_t)p } };

		if (c->eth_peer_set & (1u << p))
			memcpy(a.addr_bytes, c->eth_peer[p], RTE_ETHER_ADDR_LEN);
		f->peer[p] = a;
	}
	f->nports = 0;
	RTE_ETH_FOREACH_DEV(port) {
		if (f->nports < TP_MAX_PORTS)
			f->ports[f->nports++] = port;
	}
	if (f->nports == 0) {
		fprintf(stderr, "dynpool-testpmd: no ports. Name some with --vdev (net_null0, "
				"net_ring0, net_memif0, ...) or -a <pci address>\n");
		return -1;
	}
	if (workers == 0) {
		fprintf(stderr, "dynpool-testpmd: no worker lcore to forward on: give at least two "
				"lcores with -l (e.g. -l 0-1)\n");
		return -1;
	}
	for (unsigned int i = 0; i < f->nports; i++)
		if (port_start(f, f->ports[i]) != 0)
			return -1;

	/* Streams: every rx queue of every port, spread over the workers;
	 * in a pipeline, consecutive workers take the rx and the tx side. */
	f->main_does_tx = c->pipeline && workers == 1;
	for (unsigned int i = 0; i < f->nports; i++) {
		for (unsigned int q = 0; q < c->rxq && f->nstreams < TP_MAX_STREAMS; q++) {
			struct tp_stream *s = &f->streams[f->nstreams];
			unsigned int rx = rte_get_next_lcore(-1, 1, 0);

			for (unsigned int k = 0; k < w; k++)
				rx = rte_get_next_lcore(rx, 1, 1);
			memset(s, 0, sizeof(*s));
			s->rx_port = f->ports[i];
			s->rx_queue = (uint16_t)q;
			s->tx_port = peer(f, i);
			s->tx_queue = (uint16_t)(q % c->txq);
			s->rx_lcore = s->tx_lcore = rx;
			if (c->pipeline) {
				char name[RTE_RING_NAMESIZE];

				snprintf(name, sizeof(name), "tp_pipe_%u", f->nstreams);
				s->ring = rte_ring_create(name, 4096, rte_socket_id(),
							  RING_F_SP_ENQ | RING_F_SC_DEQ);
				if (s->ring == NULL) {
					fprintf(stderr, "dynpool-testpmd: pipeline ring: out of memory\n");
					return -1;
				}
				s->tx_lcore = f->main_does_tx ? rte_get_main_lcore()
							      : rte_get_next_lcore(rx, 1, 1);
			}
			f->nstreams++;
			w = (w + (c->pipeline && !f->main_does_tx ? 2 : 1)) % workers;
		}
	}
	return 0;
}

int
tp_port_stop(struct tp_fwd *f, uint16_t port)
{
	int r = f->port_stopped[port] ? 0 : rte_eth_dev_stop(port);

	if (r == 0)
		f->port_stopped[port] = true;
	return r;
}

int
tp_port_start(struct tp_fwd *f, uint16_t port)
{
	int r = f->port_stopped[port] ? rte_eth_dev_start(port) : 0;

	if (r == 0)
		f->port_stopped[port] = false;
	return r;
}

void
tp_ports_close(struct tp_fwd *f)
{
	for (unsigned int i = 0; i < f->nports; i++) {
		(void)rte_eth_dev_stop(f->ports[i]);
		(void)rte_eth_dev_close(f->ports[i]);
	}
	for (unsigned int i = 0; i < f->nstreams; i++) {
		struct rte_mbuf *m;

		if (f->streams[i].ring == NULL)
			continue;
		while (rte_ring_dequeue(f->streams[i].ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(f->streams[i].ring);
	}
}
