/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: ports, streams and forwarding lcores. */
#ifndef TP_FWD_H
#define TP_FWD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ring.h>

#include "config.h"
#include "pools.h"

#define TP_MAX_PORTS 32
/* mac[], peer[] and port_stopped[] are indexed by port id, which ethdev
 * keeps below RTE_MAX_ETHPORTS (32 in DPDK's default build): a DPDK built
 * with more ports must not compile into out-of-bounds writes. */
_Static_assert(TP_MAX_PORTS >= RTE_MAX_ETHPORTS,
	       "dynpool-testpmd: raise TP_MAX_PORTS (and --eth-peer's 0..31) to RTE_MAX_ETHPORTS");

/* Set by SIGINT/SIGTERM, and by Ctrl-C at the prompt: stop and exit. */
extern volatile sig_atomic_t tp_quit;
#define TP_MAX_STREAMS 256

/* One rx queue and where its packets go. Counters are written by the
 * lcores that own the stream (rx side / tx side) and read by the main
 * lcore for statistics. */
struct tp_stream {
	uint16_t rx_port, rx_queue, tx_port, tx_queue;
	struct rte_ring *ring;        /* pipeline: rx lcore -> tx lcore */
	unsigned int rx_lcore, tx_lcore;
	volatile uint64_t rx, tx, drop;
	volatile uint64_t nombuf;     /* txonly: bursts the pool refused */
} __rte_cache_aligned;

struct tp_fwd {
	const struct tp_config *cfg;
	struct tp_pools *pools;
	uint16_t ports[TP_MAX_PORTS];
	unsigned int nports;
	struct rte_ether_addr mac[TP_MAX_PORTS];  /* by port id */
	struct rte_ether_addr peer[TP_MAX_PORTS]; /* mac mode's destination, by port id */
	bool port_stopped[TP_MAX_PORTS];          /* by port id: "port stop" */
	struct tp_stream streams[TP_MAX_STREAMS];
	unsigned int nstreams;
	enum tp_fwd_mode mode;
	/* Settable at the prompt while forwarding is stopped. */
	unsigned int burst, txpkt_len;
	unsigned int nb_fwd_lcores;   /* workers that take streams ("set nbcore") */
	unsigned int verbose;         /* >0: every received burst is printed */
	volatile int running;
	bool main_does_tx;            /* pipeline with a single worker */
	bool started;
};

/* Configure and start every port; streams from the topology. 0 or -1. */
int tp_ports_setup(struct tp_fwd *f, const struct tp_config *c, struct tp_pools *pools);
void tp_ports_close(struct tp_fwd *f);
/* "port stop|start": 0 or a negative errno from ethdev; idempotent. */
int tp_port_stop(struct tp_fwd *f, uint16_t port);
int tp_port_start(struct tp_fwd *f, uint16_t port);

/* Start / stop forwarding on the worker lcores. Start spreads the streams
 * over the first nb_fwd_lcores workers (pipelines keep their pairing). */
int tp_fwd_start(struct tp_fwd *f);
void tp_fwd_spread(struct tp_fwd *f);
/* testpmd's "start tx_first": every stream's tx port sends `bursts`
 * bursts of txonly packets first. Returns the packets sent. */
uint64_t tp_fwd_tx_first(struct tp_fwd *f, unsigned int bursts);
void tp_fwd_stop(struct tp_fwd *f);
/* Pipeline with one worker: the main lcore's share of the tx work. */
void tp_fwd_main_tx_poll(struct tp_fwd *f);

#endif /* TP_FWD_H */
