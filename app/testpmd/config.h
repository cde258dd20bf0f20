/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: application options. */
#ifndef TP_CONFIG_H
#define TP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* As testpmd's: mac writes the tx port's address as source and the peer's
 * (--eth-peer) as destination; macswap swaps the two. */
enum tp_fwd_mode { TP_FWD_IO, TP_FWD_MAC, TP_FWD_MACSWAP, TP_FWD_RXONLY, TP_FWD_TXONLY,
		   TP_FWD__COUNT };
enum tp_topology { TP_TOPO_PAIRED, TP_TOPO_CHAINED, TP_TOPO_LOOP };
enum tp_pool_kind { TP_POOL_ELASTIC, TP_POOL_FIXED };

struct tp_config {
	enum tp_fwd_mode fwd_mode;
	enum tp_topology topology;
	unsigned int burst;
	unsigned int rxd, txd;
	unsigned int rxq, txq;
	bool pipeline;        /* rx and tx of a stream on different lcores */
	unsigned int txpkt_len;
	/* pools */
	enum tp_pool_kind pool;
	char pool_ops[32];    /* fixed pools: rte_mempool ops name */
	unsigned int pool_init, pool_max; /* elastic */
	bool pool_max_given;              /* --pool-max on the command line */
	unsigned int nb_mbufs; /* fixed; 0 = testpmd's default */
	unsigned int mbcache;
	unsigned int mbuf_size; /* data room incl. headroom, as testpmd's --mbuf-size */
	unsigned int nic_granularity;
	/* run */
	unsigned int stats_period; /* seconds; 0 = no live stats */
	unsigned int run_time;     /* seconds; 0 = until Ctrl-C / quit */
	bool interactive;
	/* --eth-peer N,MAC: destination of mac mode on port N (testpmd's
	 * default: 02:00:00:00:00:N) */
	uint8_t eth_peer[32][6];
	uint32_t eth_peer_set;     /* bit N: port N given */
	bool no_huge;              /* EAL runs without hugepages */
};

const char *tp_fwd_mode_name(enum tp_fwd_mode m);
int tp_fwd_mode_parse(const char *s, enum tp_fwd_mode *m);

/* Parse app options (after EAL's). 0 on success; -1 after printing a
 * one-line error naming the option and the accepted values; 1 after
 * printing --help. */
int tp_config_parse(int argc, char **argv, struct tp_config *cfg);
void tp_usage(const char *prog);

/* Build the EAL argument vector: the user's EAL arguments plus defaults
 * that run anywhere (no PCI probing unless devices are named, two net_null
 * ports unless ports are named, no hugepages when there are none, lcores,
 * a file prefix of its own). Returns the new argc; *out is allocated. */
int tp_eal_args(int argc, char **argv, char ***out, bool *no_huge);

/* Tee EAL's log while rte_eal_init() runs, so that a failure can be
 * explained from what EAL said: the refused option or device, quoted. */
void tp_eal_log_tee_begin(void);
void tp_eal_log_tee_end(void);
void tp_eal_explain(int err);

#endif /* TP_CONFIG_H */
