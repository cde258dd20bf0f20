/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: the prompt's set and port commands (testpmd's). Every
 * setting that the forwarding lcores read changes only while they are
 * stopped. */
#include <stdio.h>
#include <string.h>

#include <cmdline_parse.h>
#include <cmdline_parse_etheraddr.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "cmds.h"

struct three_words {
	cmdline_fixed_string_t a, b, c;
};
struct set_num {
	cmdline_fixed_string_t set, what;
	uint32_t v;
};
struct set_peer {
	cmdline_fixed_string_t set, what;
	uint16_t port;
	struct rte_ether_addr mac;
};
struct four_words {
	cmdline_fixed_string_t a, b, c, d;
};

static bool
stopped_or_say(void)
{
	if (tp_cli_fwd->started)
		printf("Please stop forwarding first\n");
	return !tp_cli_fwd->started;
}

static void
do_set_fwd(void *res, struct cmdline *cl, void *data)
{
	struct three_words *r = res;
	enum tp_fwd_mode m;

	(void)cl, (void)data;
	if (!stopped_or_say())
		return;
	if (tp_fwd_mode_parse(r->c, &m) != 0) {
		printf("unknown mode '%s': io, mac, macswap, rxonly or txonly\n", r->c);
		return;
	}
	tp_cli_fwd->mode = m;
	printf("Set %s packet forwarding mode\n", tp_fwd_mode_name(m));
}

static void
do_set_num(void *res, struct cmdline *cl, void *data)
{
	struct set_num *r = res;
	struct tp_fwd *f = tp_cli_fwd;
	unsigned int workers = rte_lcore_count() - 1;

	(void)cl, (void)data;
	if (strcmp(r->what, "verbose") == 0) { /* read per burst: safe while running */
		printf("Change verbose level from %u to %u\n", f->verbose, r->v);
		f->verbose = r->v;
		return;
	}
	if (!stopped_or_say())
		return;
	if (strcmp(r->what, "nbcore") == 0) {
		if (f->cfg->pipeline) {
			printf("nbcore: a pipeline uses its rx/tx lcore pairs as set up\n");
		} else if (r->v < 1 || r->v > workers) {
			printf("nbcore %u: 1..%u (the worker lcores given with -l)\n", r->v, workers);
		} else {
			f->nb_fwd_lcores = r->v;
			tp_fwd_spread(f);
			printf("Number of forwarding cores set to %u\n", r->v);
		}
	} else if (strcmp(r->what, "burst") == 0) {
		if (r->v < 1 || r->v > 512)
			printf("burst %u: 1..512\n", r->v);
		else
			printf("Number of packets per burst set to %u\n", f->burst = r->v);
	} else { /* txpkts */
		if (r->v < 60 || r->v > 9000 || r->v > tp_cli_fwd->pools->data_room)
			printf("txpkts %u: 60..%u (one segment, the mbuf data room)\n", r->v,
			       RTE_MIN(9000u, tp_cli_fwd->pools->data_room));
		else
			printf("txonly packet length set to %u\n", f->txpkt_len = r->v);
	}
}

static void
do_set_peer(void *res, struct cmdline *cl, void *data)
{
	struct set_peer *r = res;
	char addr[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int first, last;
	char id[8];

	(void)cl, (void)data;
	snprintf(id, sizeof(id), "%u", r->port);
	if (!stopped_or_say() || tp_cli_ports(id, &first, &last) != 0)
		return;
	tp_cli_fwd->peer[r->port] = r->mac;
	rte_ether_format_addr(addr, sizeof(addr), &r->mac);
	printf("port %u: peer %s\n", r->port, addr);
}

static void
do_set_promisc(void *res, struct cmdline *cl, void *data)
{
	struct four_words *r = res;
	unsigned int first, last;
	bool on = strcmp(r->d, "on") == 0;

	(void)cl, (void)data;
	if (tp_cli_ports(r->c, &first, &last) != 0)
		return;
	for (unsigned int i = first; i <= last; i++) {
		uint16_t port = tp_cli_fwd->ports[i];
		int e = on ? rte_eth_promiscuous_enable(port) : rte_eth_promiscuous_disable(port);

		if (e != 0)
			printf("port %u: promiscuous mode %s failed: %s\n", port, r->d, strerror(-e));
	}
}

static void
do_port_stop_start(void *res, struct cmdline *cl, void *data)
{
	struct three_words *r = res;
	bool start = strcmp(r->b, "start") == 0;
	unsigned int first, last;

	(void)cl, (void)data;
	if (!stopped_or_say() || tp_cli_ports(r->c, &first, &last) != 0)
		return;
	printf("%s ports...\n", start ? "Starting" : "Stopping");
	for (unsigned int i = first; i <= last; i++) {
		uint16_t port = tp_cli_fwd->ports[i];
		int e = start ? tp_port_start(tp_cli_fwd, port) : tp_port_stop(tp_cli_fwd, port);

		if (e != 0)
			printf("port %u: %s failed: %s\n", port, r->b, strerror(-e));
	}
	printf("Done\n");
}

static cmdline_parse_token_string_t sf_set = TOKEN_STRING_INITIALIZER(struct three_words, a, "set");
static cmdline_parse_token_string_t sf_fwd = TOKEN_STRING_INITIALIZER(struct three_words, b, "fwd");
static cmdline_parse_token_string_t sf_mode = TOKEN_STRING_INITIALIZER(struct three_words, c, NULL);
static cmdline_parse_token_string_t sn_set = TOKEN_STRING_INITIALIZER(struct set_num, set, "set");
static cmdline_parse_token_string_t sn_what =
	TOKEN_STRING_INITIALIZER(struct set_num, what, "nbcore#burst#txpkts#verbose");
static cmdline_parse_token_num_t sn_v = TOKEN_NUM_INITIALIZER(struct set_num, v, RTE_UINT32);
static cmdline_parse_token_string_t ep_set = TOKEN_STRING_INITIALIZER(struct set_peer, set, "set");
static cmdline_parse_token_string_t ep_what = TOKEN_STRING_INITIALIZER(struct set_peer, what, "eth-peer");
static cmdline_parse_token_num_t ep_port = TOKEN_NUM_INITIALIZER(struct set_peer, port, RTE_UINT16);
static cmdline_parse_token_etheraddr_t ep_mac = TOKEN_ETHERADDR_INITIALIZER(struct set_peer, mac);
static cmdline_parse_token_string_t pm_set = TOKEN_STRING_INITIALIZER(struct four_words, a, "set");
static cmdline_parse_token_string_t pm_promisc = TOKEN_STRING_INITIALIZER(struct four_words, b, "promisc");
static cmdline_parse_token_string_t pm_which = TOKEN_STRING_INITIALIZER(struct four_words, c, NULL);
static cmdline_parse_token_string_t pm_on = TOKEN_STRING_INITIALIZER(struct four_words, d, "on#off");
static cmdline_parse_token_string_t ps_port = TOKEN_STRING_INITIALIZER(struct three_words, a, "port");
static cmdline_parse_token_string_t ps_op = TOKEN_STRING_INITIALIZER(struct three_words, b, "stop#start");
static cmdline_parse_token_string_t ps_which = TOKEN_STRING_INITIALIZER(struct three_words, c, NULL);

cmdline_parse_inst_t tp_cmd_set_fwd = {
	.f = do_set_fwd, .help_str = "set fwd io|mac|macswap|rxonly|txonly",
	.tokens = { (void *)&sf_set, (void *)&sf_fwd, (void *)&sf_mode, NULL },
};
cmdline_parse_inst_t tp_cmd_set_num = {
	.f = do_set_num, .help_str = "set nbcore|burst|txpkts|verbose N",
	.tokens = { (void *)&sn_set, (void *)&sn_what, (void *)&sn_v, NULL },
};
cmdline_parse_inst_t tp_cmd_set_peer = {
	.f = do_set_peer, .help_str = "set eth-peer PORT XX:XX:XX:XX:XX:XX: mac mode's destination",
	.tokens = { (void *)&ep_set, (void *)&ep_what, (void *)&ep_port, (void *)&ep_mac, NULL },
};
cmdline_parse_inst_t tp_cmd_set_promisc = {
	.f = do_set_promisc, .help_str = "set promisc all|PORT on|off",
	.tokens = { (void *)&pm_set, (void *)&pm_promisc, (void *)&pm_which, (void *)&pm_on, NULL },
};
cmdline_parse_inst_t tp_cmd_port_stop_start = {
	.f = do_port_stop_start, .help_str = "port stop|start all|PORT",
	.tokens = { (void *)&ps_port, (void *)&ps_op, (void *)&ps_which, NULL },
};
