/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: the prompt's show, clear and dump commands (testpmd's). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "cmds.h"
#include "rte_mempool_dynpool.h"

struct four_words {
	cmdline_fixed_string_t a, b, c, d;
};
struct three_words {
	cmdline_fixed_string_t a, b, c;
};
struct two_words {
	cmdline_fixed_string_t a, b;
};
struct one_word {
	cmdline_fixed_string_t w;
};

static void
port_info(uint16_t port)
{
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	struct rte_ether_addr mac;
	char name[RTE_ETH_NAME_MAX_LEN], addr[RTE_ETHER_ADDR_FMT_SIZE];
	uint16_t mtu = 0;

	if (rte_eth_dev_info_get(port, &info) != 0 || rte_eth_dev_get_name_by_port(port, name) != 0) {
		printf("port %u: cannot read its information\n", port);
		return;
	}
	printf("\n********************* Infos for port %-2u *********************\n", port);
	if (rte_eth_macaddr_get(port, &mac) == 0) {
		rte_ether_format_addr(addr, sizeof(addr), &mac);
		printf("MAC address: %s\n", addr);
	}
	printf("Device name: %s\nDriver name: %s\n", name, info.driver_name);
	printf("Connect to socket: %d\n", rte_eth_dev_socket_id(port));
	if (rte_eth_link_get_nowait(port, &link) == 0)
		printf("Link status: %s\nLink speed: %u Mbps\nLink duplex: %s\n",
		       link.link_status ? "up" : "down", link.link_speed,
		       link.link_duplex ? "full-duplex" : "half-duplex");
	if (rte_eth_dev_get_mtu(port, &mtu) == 0)
		printf("MTU: %u\n", mtu);
	printf("Promiscuous mode: %s\n", rte_eth_promiscuous_get(port) == 1 ? "enabled" : "disabled");
	printf("Max possible RX queues: %u\nCurrent number of RX queues: %u\n", info.max_rx_queues,
	       info.nb_rx_queues);
	printf("Max possible TX queues: %u\nCurrent number of TX queues: %u\n", info.max_tx_queues,
	       info.nb_tx_queues);
	printf("Port state: %s\n", tp_cli_fwd->port_stopped[port] ? "stopped" : "started");
}

static void
port_xstats(uint16_t port)
{
	int n = rte_eth_xstats_get(port, NULL, 0);
	struct rte_eth_xstat *v = n > 0 ? calloc((size_t)n, sizeof(*v)) : NULL;
	struct rte_eth_xstat_name *names = n > 0 ? calloc((size_t)n, sizeof(*names)) : NULL;

	if (v == NULL || names == NULL || rte_eth_xstats_get(port, v, (unsigned int)n) != n ||
	    rte_eth_xstats_get_names(port, names, (unsigned int)n) != n) {
		printf("port %u: cannot read its extended statistics\n", port);
	} else {
		printf("###### NIC extended statistics for port %-2u\n", port);
		for (int i = 0; i < n; i++)
			printf("%s: %" PRIu64 "\n", names[v[i].id].name, v[i].value);
	}
	free(v);
	free(names);
}

static void
do_show_port(void *res, struct cmdline *cl, void *data)
{
	struct four_words *r = res;
	unsigned int first, last;

	(void)cl, (void)data;
	if (tp_cli_ports(r->d, &first, &last) != 0)
		return;
	for (unsigned int i = first; i <= last; i++) {
		uint16_t port = tp_cli_fwd->ports[i];

		if (strcmp(r->c, "stats") == 0)
			tp_port_stats_display(stdout, tp_cli_fwd, i);
		else if (strcmp(r->c, "info") == 0)
			port_info(port);
		else
			port_xstats(port);
	}
}

/* "show port stats" with no port: every port (the app's older syntax) */
static void
do_show_port_stats(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	for (unsigned int i = 0; i < tp_cli_fwd->nports; i++)
		tp_port_stats_display(stdout, tp_cli_fwd, i);
}

static void
do_clear_port(void *res, struct cmdline *cl, void *data)
{
	struct four_words *r = res;
	unsigned int first, last;

	(void)cl, (void)data;
	if (tp_cli_ports(r->d, &first, &last) != 0)
		return;
	for (unsigned int i = first; i <= last; i++)
		tp_port_stats_clear(stdout, tp_cli_fwd, i);
}

static void
do_show_fwd_stats(void *res, struct cmdline *cl, void *data)
{
	struct tp_snap now, zero;

	(void)res, (void)cl, (void)data;
	tp_snap_take(tp_cli_fwd, &now);
	memset(&zero, 0, sizeof(zero));
	/* since "start"; before any start, since the ports started */
	tp_fwd_stats_print(stdout, tp_cli_fwd, tp_cli_since_start.tsc ? &tp_cli_since_start : &zero,
			   &now);
}

static void
do_show_config_fwd(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	tp_fwd_config_print(stdout, tp_cli_fwd);
}

static void
do_show_pool(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	tp_pools_print(stdout, tp_cli_fwd);
}

/* testpmd's dump_mempool: rte_mempool_dump() of every pool. It walks the
 * pool's lists, which an elastic pool appends to as it grows: while
 * forwarding, an elastic pool shows its counters only. */
static void
dump_one(struct rte_mempool *mp, void *arg)
{
	(void)arg;
	if (dp_elastic_is(mp) && tp_cli_fwd->started) {
		printf("mempool <%s>: elastic, growing while forwarding: counters only "
		       "('stop' first for the full dump)\n", mp->name);
	} else {
		rte_mempool_dump(stdout, mp);
	}
	dp_elastic_dump(stdout, mp);
}

static void
do_dump_mempool(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	rte_mempool_walk(dump_one, NULL);
}

static cmdline_parse_token_string_t sp_show = TOKEN_STRING_INITIALIZER(struct four_words, a, "show");
static cmdline_parse_token_string_t sp_port = TOKEN_STRING_INITIALIZER(struct four_words, b, "port");
static cmdline_parse_token_string_t sp_what =
	TOKEN_STRING_INITIALIZER(struct four_words, c, "stats#info#xstats");
static cmdline_parse_token_string_t sp_which = TOKEN_STRING_INITIALIZER(struct four_words, d, NULL);
static cmdline_parse_token_string_t cp_clear = TOKEN_STRING_INITIALIZER(struct four_words, a, "clear");
static cmdline_parse_token_string_t cp_stats = TOKEN_STRING_INITIALIZER(struct four_words, c, "stats");
static cmdline_parse_token_string_t fs_fwd = TOKEN_STRING_INITIALIZER(struct four_words, b, "fwd");
static cmdline_parse_token_string_t fs_all = TOKEN_STRING_INITIALIZER(struct four_words, d, "all");
static cmdline_parse_token_string_t cf_show = TOKEN_STRING_INITIALIZER(struct three_words, a, "show");
static cmdline_parse_token_string_t cf_config = TOKEN_STRING_INITIALIZER(struct three_words, b, "config");
static cmdline_parse_token_string_t cf_fwd = TOKEN_STRING_INITIALIZER(struct three_words, c, "fwd");
static cmdline_parse_token_string_t pl_show = TOKEN_STRING_INITIALIZER(struct two_words, a, "show");
static cmdline_parse_token_string_t pl_pool = TOKEN_STRING_INITIALIZER(struct two_words, b, "pool");
static cmdline_parse_token_string_t dm = TOKEN_STRING_INITIALIZER(struct one_word, w, "dump_mempool");

cmdline_parse_inst_t tp_cmd_show_port = {
	.f = do_show_port, .help_str = "show port stats|info|xstats all|PORT",
	.tokens = { (void *)&sp_show, (void *)&sp_port, (void *)&sp_what, (void *)&sp_which, NULL },
};
cmdline_parse_inst_t tp_cmd_show_port_stats = {
	.f = do_show_port_stats, .help_str = "show port stats: every port's",
	.tokens = { (void *)&sp_show, (void *)&sp_port, (void *)&cp_stats, NULL },
};
cmdline_parse_inst_t tp_cmd_clear_port = {
	.f = do_clear_port, .help_str = "clear port stats all|PORT",
	.tokens = { (void *)&cp_clear, (void *)&sp_port, (void *)&cp_stats, (void *)&sp_which, NULL },
};
cmdline_parse_inst_t tp_cmd_show_fwd_stats = {
	.f = do_show_fwd_stats, .help_str = "show fwd stats all: forwarding statistics since start",
	.tokens = { (void *)&sp_show, (void *)&fs_fwd, (void *)&cp_stats, (void *)&fs_all, NULL },
};
cmdline_parse_inst_t tp_cmd_show_config_fwd = {
	.f = do_show_config_fwd, .help_str = "show config fwd: mode, lcores, streams",
	.tokens = { (void *)&cf_show, (void *)&cf_config, (void *)&cf_fwd, NULL },
};
cmdline_parse_inst_t tp_cmd_show_pool = {
	.f = do_show_pool, .help_str = "show pool: buffer pool counters",
	.tokens = { (void *)&pl_show, (void *)&pl_pool, NULL },
};
cmdline_parse_inst_t tp_cmd_dump_mempool = {
	.f = do_dump_mempool, .help_str = "dump_mempool: every mempool, as rte_mempool_dump()",
	.tokens = { (void *)&dm, NULL },
};
