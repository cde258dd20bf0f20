/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-testpmd: the interactive command line (-i), on DPDK's cmdline,
 * with testpmd's commands and output. The prompt reads the terminal raw
 * (no ISIG), so Ctrl-C arrives as a byte: it stops forwarding and quits,
 * as SIGINT does when input is not a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <cmdline_socket.h>
#include <rte_common.h>
#include <rte_ethdev.h>

#include "cmds.h"
#include "interactive.h"

struct tp_fwd *tp_cli_fwd;
struct tp_snap tp_cli_since_start;

#define CTRL_C 3

int
tp_cli_ports(const char *which, unsigned int *first, unsigned int *last)
{
	struct tp_fwd *f = tp_cli_fwd;
	char *end;
	unsigned long id;

	if (strcmp(which, "all") == 0) {
		*first = 0;
		*last = f->nports - 1;
		return 0;
	}
	id = strtoul(which, &end, 10);
	for (unsigned int i = 0; *which != '\0' && *end == '\0' && i < f->nports; i++)
		if (f->ports[i] == id) {
			*first = *last = i;
			return 0;
		}
	printf("Invalid port %s: ports are", which);
	for (unsigned int i = 0; i < f->nports; i++)
		printf(" %u", f->ports[i]);
	printf(", or all\n");
	return -1;
}

static void
start(unsigned int tx_first_bursts)
{
	struct tp_fwd *f = tp_cli_fwd;

	if (f->started) {
		printf("Packet forwarding already started\n");
		return;
	}
	for (unsigned int i = 0; i < f->nports; i++)
		if (f->port_stopped[f->ports[i]]) {
			printf("port %u is stopped: 'port start all' first\n", f->ports[i]);
			return;
		}
	tp_snap_take(f, &tp_cli_since_start);
	if (tx_first_bursts > 0)
		printf("tx_first: %lu packets sent\n",
		       (unsigned long)tp_fwd_tx_first(f, tx_first_bursts));
	if (tp_fwd_start(f) != 0)
		printf("cannot start forwarding\n");
	else
		printf("%s forwarding started on %u streams\n", tp_fwd_mode_name(f->mode), f->nstreams);
}

/* Stop, then what testpmd prints at stop, then the app's summary. */
static void
stop(void)
{
	struct tp_fwd *f = tp_cli_fwd;
	struct tp_snap now;

	if (!f->started) {
		printf("Packet forwarding not started\n");
		return;
	}
	printf("Telling cores to stop...\nWaiting for lcores to finish...\n");
	tp_fwd_stop(f);
	tp_snap_take(f, &now);
	tp_fwd_stats_print(stdout, f, &tp_cli_since_start, &now);
	tp_summary_print(stdout, f, &tp_cli_since_start, &now);
	printf("\nDone.\n");
}

struct one_word {
	cmdline_fixed_string_t w;
};
struct start_tx_first {
	cmdline_fixed_string_t start, tx_first;
	uint32_t n;
};

static void
do_start(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	start(0);
}

static void
do_start_tx_first(void *res, struct cmdline *cl, void *data)
{
	struct start_tx_first *r = res;

	(void)cl;
	if (data != NULL && (r->n == 0 || r->n > 1024)) {
		printf("tx_first: 1..1024 bursts\n");
		return;
	}
	start(data != NULL ? r->n : 1);
}

static void
do_stop(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	stop();
}

static void
do_quit(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)data;
	if (tp_cli_fwd->started)
		stop();
	cmdline_quit(cl);
}

static void
do_help(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	printf("testpmd's commands:\n"
	       "  start | start tx_first [N] | stop | quit (Ctrl-C too)\n"
	       "  show port stats|info|xstats all|PORT     clear port stats all|PORT\n"
	       "  show fwd stats all | show config fwd | show pool | dump_mempool\n"
	       "  set fwd io|mac|macswap|rxonly|txonly     set nbcore|burst|txpkts|verbose N\n"
	       "  set eth-peer PORT XX:XX:XX:XX:XX:XX      set promisc all|PORT on|off\n"
	       "  port stop|start all|PORT\n");
}

static cmdline_parse_token_string_t tok_start = TOKEN_STRING_INITIALIZER(struct one_word, w, "start");
static cmdline_parse_token_string_t tok_stop = TOKEN_STRING_INITIALIZER(struct one_word, w, "stop");
static cmdline_parse_token_string_t tok_quit = TOKEN_STRING_INITIALIZER(struct one_word, w, "quit");
static cmdline_parse_token_string_t tok_help = TOKEN_STRING_INITIALIZER(struct one_word, w, "help");
static cmdline_parse_token_string_t tok_tf_start =
	TOKEN_STRING_INITIALIZER(struct start_tx_first, start, "start");
static cmdline_parse_token_string_t tok_tf =
	TOKEN_STRING_INITIALIZER(struct start_tx_first, tx_first, "tx_first");
static cmdline_parse_token_num_t tok_tf_n = TOKEN_NUM_INITIALIZER(struct start_tx_first, n, RTE_UINT32);

static cmdline_parse_inst_t cmd_start = {
	.f = do_start, .help_str = "start: start forwarding", .tokens = { (void *)&tok_start, NULL },
};
static cmdline_parse_inst_t cmd_start_tx_first = {
	.f = do_start_tx_first, .help_str = "start tx_first: send a burst on every stream, then forward",
	.tokens = { (void *)&tok_tf_start, (void *)&tok_tf, NULL },
};
static cmdline_parse_inst_t cmd_start_tx_first_n = {
	.f = do_start_tx_first, .data = (void *)1,
	.help_str = "start tx_first N: send N bursts on every stream, then forward",
	.tokens = { (void *)&tok_tf_start, (void *)&tok_tf, (void *)&tok_tf_n, NULL },
};
static cmdline_parse_inst_t cmd_stop = {
	.f = do_stop, .help_str = "stop: stop forwarding and show its statistics",
	.tokens = { (void *)&tok_stop, NULL },
};
static cmdline_parse_inst_t cmd_quit = {
	.f = do_quit, .help_str = "quit: stop and exit", .tokens = { (void *)&tok_quit, NULL },
};
static cmdline_parse_inst_t cmd_help = {
	.f = do_help, .help_str = "help: list the commands", .tokens = { (void *)&tok_help, NULL },
};

static cmdline_parse_ctx_t ctx[] = {
	&cmd_start, &cmd_start_tx_first, &cmd_start_tx_first_n, &cmd_stop, &cmd_quit, &cmd_help,
	&tp_cmd_show_port, &tp_cmd_show_port_stats, &tp_cmd_clear_port, &tp_cmd_show_fwd_stats, &tp_cmd_show_config_fwd,
	&tp_cmd_show_pool, &tp_cmd_dump_mempool, &tp_cmd_set_fwd, &tp_cmd_set_num,
	&tp_cmd_set_peer, &tp_cmd_set_promisc, &tp_cmd_port_stop_start, NULL,
};

int
tp_interactive(struct tp_fwd *f)
{
	struct cmdline *cl;
	char c;

	tp_cli_fwd = f;
	cl = cmdline_stdin_new(ctx, "dynpool-testpmd> ");
	if (cl == NULL)
		return -1;
	/* cmdline_interact(), with Ctrl-C and signals ending the loop; stdout
	 * flushed after every byte handled, so that a command's output
	 * reaches a pipe before the next prompt. */
	while (!tp_quit) {
		if (read(STDIN_FILENO, &c, 1) <= 0)
			break;
		if (c == CTRL_C) {
			printf("\n");
			tp_quit = 1;
			break;
		}
		if (cmdline_in(cl, &c, 1) < 0)
			break;
		fflush(stdout);
	}
	cmdline_stdin_exit(cl);
	if (f->started)
		stop();
	fflush(stdout);
	return 0;
}
