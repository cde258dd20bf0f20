/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: option parsing, testpmd-style. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

static const char *const fwd_names[TP_FWD__COUNT] = { "io", "mac", "macswap", "rxonly", "txonly" };

const char *
tp_fwd_mode_name(enum tp_fwd_mode m)
{
	return (unsigned int)m < TP_FWD__COUNT ? fwd_names[m] : "?";
}

int
tp_fwd_mode_parse(const char *s, enum tp_fwd_mode *m)
{
	for (int i = 0; i < TP_FWD__COUNT; i++)
		if (strcmp(s, fwd_names[i]) == 0) {
			*m = (enum tp_fwd_mode)i;
			return 0;
		}
	return -1;
}

void
tp_usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [options]\n"
	       "\n"
	       "Forwards packets between DPDK ports, testpmd-style, with dynpool buffer pools.\n"
	       "EAL defaults when not given: --no-pci, --vdev net_null0 --vdev net_null1,\n"
	       "--no-huge -m 1024 when no hugepage is free, -l 0-1, a file prefix of its own.\n"
	       "Hugepage files stay while it runs, so that secondaries (dpdk-proc-info,\n"
	       "dpdk-pdump, dpdk-dumpcap) can attach, and are removed when it exits.\n"
	       "\n"
	       "Forwarding:\n"
	       "  --forward-mode MODE   io | mac | macswap | rxonly | txonly (default io;\n"
	       "                        --fwd-mode too). mac: source = the port's address,\n"
	       "                        destination = its --eth-peer; macswap swaps them\n"
	       "  --eth-peer N,MAC      mac mode's destination on port N (default\n"
	       "                        02:00:00:00:00:N, as testpmd)\n"
	       "  --port-topology T     paired | chained | loop (default paired)\n"
	       "  --burst N             packets per burst, 1..512 (default 32)\n"
	       "  --rxd N, --txd N      descriptors per rx/tx queue (default 1024)\n"
	       "  --rxq N, --txq N      queues per port (default 1); streams (port, queue)\n"
	       "                        are spread over the worker lcores given with -l\n"
	       "  --pipeline            rx and tx on different lcores, handing packets over\n"
	       "                        a ring: buffers are freed on another lcore\n"
	       "  --txpkts LEN          packet length for txonly (default 64)\n"
	       "Buffer pools (one per socket):\n"
	       "  --pool KIND           elastic (default): grows on demand; fixed: rte_mempool\n"
	       "  --pool-ops NAME       ops of a fixed pool: ring_mp_mc (default), stack, dynpool\n"
	       "  --pool-init N         elastic: mbufs at start (default 4096)\n"
	       "  --pool-max N          elastic: most mbufs (default 262144, halved until\n"
	       "                        EAL's memory holds it, e.g. with --no-huge)\n"
	       "  --total-num-mbufs N   fixed: mbufs (default testpmd's: 155456 with one\n"
	       "                        forwarding lcore)\n"
	       "  --mbcache N           per-lcore mbuf cache, 0..512 (default 250)\n"
	       "  --mbuf-size N         buffer size incl. headroom (default %u)\n"
	       "  --nic-granularity N   round the data room to the NIC's rx buffer granule,\n"
	       "                        a power of two (default 128: i40e/ice; ixgbe: 1024)\n"
	       "Run:\n"
	       "  --stats-period S      live statistics every S seconds, 0 = none (default 1)\n"
	       "  --run-time S          stop after S seconds, 0 = until Ctrl-C (default 5)\n"
	       "  -i, --interactive     testpmd's command line (start, stop, show port stats all,\n"
	       "                        set fwd MODE, ...; 'help' lists them)\n"
	       "  -h, --help            this text\n",
	       prog, RTE_MBUF_DEFAULT_BUF_SIZE);
}

static int
bad(const char *opt, const char *val, const char *accepted)
{
	fprintf(stderr, "dynpool-testpmd: invalid value '%s' for %s: expected %s\n", val, opt,
		accepted);
	return -1;
}

static int
num(const char *opt, const char *val, unsigned long lo, unsigned long hi, unsigned int *out)
{
	char *end;
	unsigned long v;
	char range[64];

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || *val == '\0' || *end != '\0' || v < lo || v > hi) {
		snprintf(range, sizeof(range), "an integer in %lu..%lu", lo, hi);
		return bad(opt, val, range);
	}
	*out = (unsigned int)v;
	return 0;
}

static int
eth_peer(const char *val, struct tp_config *c)
{
	unsigned int port, b[6];
	char tail;

	if (sscanf(val, "%u,%x:%x:%x:%x:%x:%x%c", &port, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 7 || port >= 32)
		return bad("--eth-peer", val, "PORT,XX:XX:XX:XX:XX:XX with PORT in 0..31");
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return bad("--eth-peer", val, "PORT,XX:XX:XX:XX:XX:XX (bytes in hex)");
		c->eth_peer[port][i] = (uint8_t)b[i];
	}
	c->eth_peer_set |= 1u << port;
	return 0;
}

int
tp_config_parse(int argc, char **argv, struct tp_config *c)
{
	enum { O_FWD = 256, O_TOPO, O_BURST, O_RXD, O_TXD, O_RXQ, O_TXQ, O_PIPE, O_TXPKTS,
	       O_POOL, O_OPS, O_INIT, O_MAX, O_NMB, O_CACHE, O_MSIZE, O_GRAN, O_PERIOD,
	       O_RUNTIME, O_PEER };
	static const struct option lo[] = {
		{ "forward-mode", 1, 0, O_FWD }, { "fwd-mode", 1, 0, O_FWD },
		{ "port-topology", 1, 0, O_TOPO }, { "burst", 1, 0, O_BURST },
		{ "rxd", 1, 0, O_RXD }, { "txd", 1, 0, O_TXD }, { "rxq", 1, 0, O_RXQ },
		{ "txq", 1, 0, O_TXQ }, { "pipeline", 0, 0, O_PIPE }, { "txpkts", 1, 0, O_TXPKTS },
		{ "pool", 1, 0, O_POOL }, { "pool-ops", 1, 0, O_OPS }, { "pool-init", 1, 0, O_INIT },
		{ "pool-max", 1, 0, O_MAX }, { "total-num-mbufs", 1, 0, O_NMB },
		{ "mbcache", 1, 0, O_CACHE }, { "mbuf-size", 1, 0, O_MSIZE },
		{ "nic-granularity", 1, 0, O_GRAN }, { "stats-period", 1, 0, O_PERIOD },
		{ "run-time", 1, 0, O_RUNTIME }, { "eth-peer", 1, 0, O_PEER }, { "interactive", 0, 0, 'i' }, { "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int o, r = 0;

	*c = (struct tp_config){
		.fwd_mode = TP_FWD_IO, .topology = TP_TOPO_PAIRED, .burst = 32, .rxd = 1024,
		.txd = 1024, .rxq = 1, .txq = 1, .txpkt_len = 64, .pool = TP_POOL_ELASTIC,
		.pool_init = 4096, .pool_max = 262144, .mbcache = 250,
		.mbuf_size = RTE_MBUF_DEFAULT_BUF_SIZE, .nic_granularity = 128,
		.stats_period = 1, .run_time = 5,
	};
	strcpy(c->pool_ops, "ring_mp_mc");
	optind = 1;
	opterr = 0;
	while (r == 0 && (o = getopt_long(argc, argv, ":ih", lo, NULL)) != -1) {
		switch (o) {
		case O_FWD:
			if (tp_fwd_mode_parse(optarg, &c->fwd_mode))
				r = bad("--forward-mode", optarg, "io, mac, macswap, rxonly or txonly");
			break;
		case O_TOPO:
			if (!strcmp(optarg, "paired"))
				c->topology = TP_TOPO_PAIRED;
			else if (!strcmp(optarg, "chained"))
				c->topology = TP_TOPO_CHAINED;
			else if (!strcmp(optarg, "loop"))
				c->topology = TP_TOPO_LOOP;
			else
				r = bad("--port-topology", optarg, "paired, chained or loop");
			break;
		case O_BURST: r = num("--burst", optarg, 1, 512, &c->burst); break;
		case O_RXD: r = num("--rxd", optarg, 16, 16384, &c->rxd); break;
		case O_TXD: r = num("--txd", optarg, 16, 16384, &c->txd); break;
		case O_RXQ: r = num("--rxq", optarg, 1, 64, &c->rxq); break;
		case O_TXQ: r = num("--txq", optarg, 1, 64, &c->txq); break;
		case O_PIPE: c->pipeline = true; break;
		case O_TXPKTS: r = num("--txpkts", optarg, 60, 9000, &c->txpkt_len); break;
		case O_POOL:
			if (!strcmp(optarg, "elastic"))
				c->pool = TP_POOL_ELASTIC;
			else if (!strcmp(optarg, "fixed"))
				c->pool = TP_POOL_FIXED;
			else
				r = bad("--pool", optarg, "elastic or fixed");
			break;
		case O_OPS:
			if (strlen(optarg) == 0 || strlen(optarg) >= sizeof(c->pool_ops))
				r = bad("--pool-ops", optarg, "a mempool ops name (ring_mp_mc, stack, dynpool)");
			else
				strcpy(c->pool_ops, optarg);
			break;
		case O_INIT: r = num("--pool-init", optarg, 1, UINT32_MAX / 2, &c->pool_init); break;
		case O_MAX:
			r = num("--pool-max", optarg, 1, UINT32_MAX / 2, &c->pool_max);
			c->pool_max_given = true;
			break;
		case O_NMB: r = num("--total-num-mbufs", optarg, 1024, UINT32_MAX / 2, &c->nb_mbufs); break;
		case O_CACHE: r = num("--mbcache", optarg, 0, RTE_MEMPOOL_CACHE_MAX_SIZE, &c->mbcache); break;
		case O_MSIZE: r = num("--mbuf-size", optarg, RTE_PKTMBUF_HEADROOM + 64, UINT16_MAX, &c->mbuf_size); break;
		case O_GRAN:
			r = num("--nic-granularity", optarg, 1, 65536, &c->nic_granularity);
			if (r == 0 && (c->nic_granularity & (c->nic_granularity - 1)))
				r = bad("--nic-granularity", optarg, "a power of two (128, 1024, ...)");
			break;
		case O_PERIOD: r = num("--stats-period", optarg, 0, 3600, &c->stats_period); break;
		case O_RUNTIME: r = num("--run-time", optarg, 0, UINT32_MAX, &c->run_time); break;
		case O_PEER: r = eth_peer(optarg, c); break;
		case 'i': c->interactive = true; break;
		case 'h': tp_usage(argv[0]); return 1;
		case ':':
			fprintf(stderr, "dynpool-testpmd: option %s needs a value (see --help)\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "dynpool-testpmd: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (r == 0 && optind < argc) {
		fprintf(stderr, "dynpool-testpmd: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -1;
	}
	if (r == 0 && c->pool_init > c->pool_max) {
		fprintf(stderr, "dynpool-testpmd: --pool-init %u exceeds --pool-max %u\n", c->pool_init,
			c->pool_max);
		return -1;
	}
	return r;
}
