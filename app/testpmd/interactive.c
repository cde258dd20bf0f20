/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: the interactive command line (-i), on DPDK's cmdline. */
#include <stdio.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_socket.h>
#include <rte_common.h>

#include "interactive.h"
#include "stats.h"

static struct tp_fwd *fwd;
static struct tp_snap since_start;

struct one_word {
	cmdline_fixed_string_t w;
};
struct three_words {
	cmdline_fixed_string_t a, b, c;
};
struct two_words {
	cmdline_fixed_string_t a, b;
};

static void
do_start(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)data;
	if (fwd->started) {
		cmdline_printf(cl, "already forwarding (stop first)\n");
		return;
	}
	tp_snap_take(fwd, &since_start);
	if (tp_fwd_start(fwd) != 0)
		cmdline_printf(cl, "cannot start forwarding\n");
	else
		cmdline_printf(cl, "%s forwarding started on %u streams\n",
			       tp_fwd_mode_name(fwd->mode), fwd->nstreams);
}

static void
do_stop(void *res, struct cmdline *cl, void *data)
{
	struct tp_snap now;

	(void)res, (void)data;
	if (!fwd->started) {
		cmdline_printf(cl, "not forwarding\n");
		return;
	}
	tp_fwd_stop(fwd);
	tp_snap_take(fwd, &now);
	tp_summary_print(stdout, fwd, &since_start, &now);
}

static void
do_quit(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)data;
	if (fwd->started)
		tp_fwd_stop(fwd);
	cmdline_quit(cl);
}

static void
do_show_port_stats(void *res, struct cmdline *cl, void *data)
{
	struct tp_snap zero, now;

	(void)res, (void)cl, (void)data;
	memset(&zero, 0, sizeof(zero));
	tp_snap_take(fwd, &now);
	zero.tsc = since_start.tsc ? since_start.tsc : now.tsc;
	for (unsigned int i = 0; i < fwd->nports; i++)
		printf("  port %-2u rx-packets %12lu  tx-packets %12lu  drops %10lu\n", fwd->ports[i],
		       (unsigned long)now.rx[i], (unsigned long)now.tx[i], (unsigned long)now.drop[i]);
	fflush(stdout);
}

static void
do_show_pool(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)cl, (void)data;
	tp_pools_print(stdout, fwd);
}

static void
do_set_fwd(void *res, struct cmdline *cl, void *data)
{
	struct three_words *r = res;
	enum tp_fwd_mode m;

	(void)data;
	if (fwd->started) {
		cmdline_printf(cl, "stop forwarding first\n");
		return;
	}
	if (tp_fwd_mode_parse(r->c, &m) != 0) {
		cmdline_printf(cl, "unknown mode '%s': io, mac, rxonly or txonly\n", r->c);
		return;
	}
	fwd->mode = m;
	cmdline_printf(cl, "forwarding mode: %s\n", tp_fwd_mode_name(m));
}

static void
do_help(void *res, struct cmdline *cl, void *data)
{
	(void)res, (void)data;
	cmdline_printf(cl, "commands: start | stop | show port stats | show pool | "
			   "set fwd io|mac|rxonly|txonly | quit\n");
}

#define WORD1(name, str) \
	static cmdline_parse_token_string_t name = TOKEN_STRING_INITIALIZER(struct one_word, w, str)
WORD1(tok_start, "start");
WORD1(tok_stop, "stop");
WORD1(tok_quit, "quit");
WORD1(tok_help, "help");
static cmdline_parse_token_string_t tok_show = TOKEN_STRING_INITIALIZER(struct three_words, a, "show");
static cmdline_parse_token_string_t tok_port = TOKEN_STRING_INITIALIZER(struct three_words, b, "port");
static cmdline_parse_token_string_t tok_stats = TOKEN_STRING_INITIALIZER(struct three_words, c, "stats");
static cmdline_parse_token_string_t tok_show2 = TOKEN_STRING_INITIALIZER(struct two_words, a, "show");
static cmdline_parse_token_string_t tok_pool = TOKEN_STRING_INITIALIZER(struct two_words, b, "pool");
static cmdline_parse_token_string_t tok_set = TOKEN_STRING_INITIALIZER(struct three_words, a, "set");
static cmdline_parse_token_string_t tok_fwd = TOKEN_STRING_INITIALIZER(struct three_words, b, "fwd");
static cmdline_parse_token_string_t tok_mode = TOKEN_STRING_INITIALIZER(struct three_words, c, NULL);

#define INST(name, fn, help, ...)                                                  \
	static cmdline_parse_inst_t name = {                                       \
		.f = fn, .data = NULL, .help_str = help, .tokens = { __VA_ARGS__, NULL }, \
	}
INST(cmd_start, do_start, "start: start forwarding", (void *)&tok_start);
INST(cmd_stop, do_stop, "stop: stop forwarding and show its statistics", (void *)&tok_stop);
INST(cmd_quit, do_quit, "quit: stop and exit", (void *)&tok_quit);
INST(cmd_help, do_help, "help: list the commands", (void *)&tok_help);
INST(cmd_port_stats, do_show_port_stats, "show port stats: port counters", (void *)&tok_show,
     (void *)&tok_port, (void *)&tok_stats);
INST(cmd_pool, do_show_pool, "show pool: buffer pool counters", (void *)&tok_show2,
     (void *)&tok_pool);
INST(cmd_set_fwd, do_set_fwd, "set fwd io|mac|rxonly|txonly: forwarding mode",
     (void *)&tok_set, (void *)&tok_fwd, (void *)&tok_mode);

static cmdline_parse_ctx_t ctx[] = {
	(cmdline_parse_inst_t *)&cmd_start, (cmdline_parse_inst_t *)&cmd_stop,
	(cmdline_parse_inst_t *)&cmd_quit, (cmdline_parse_inst_t *)&cmd_help,
	(cmdline_parse_inst_t *)&cmd_port_stats, (cmdline_parse_inst_t *)&cmd_pool,
	(cmdline_parse_inst_t *)&cmd_set_fwd, NULL,
};

int
tp_interactive(struct tp_fwd *f)
{
	struct cmdline *cl;

	fwd = f;
	cl = cmdline_stdin_new(ctx, "dynpool-testpmd> ");
	if (cl == NULL)
		return -1;
	cmdline_interact(cl);
	cmdline_stdin_exit(cl);
	if (fwd->started)
		tp_fwd_stop(fwd);
	return 0;
}
