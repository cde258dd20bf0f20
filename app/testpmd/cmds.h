/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: the prompt's commands, in testpmd's syntax, shared
 * between the files that implement them. */
#ifndef TP_CMDS_H
#define TP_CMDS_H

#include <cmdline_parse.h>

#include "fwd.h"
#include "stats.h"

/* The forwarding state the prompt drives, and the counters at "start". */
extern struct tp_fwd *tp_cli_fwd;
extern struct tp_snap tp_cli_since_start;

/* "all" or a port id: the range of indexes in tp_fwd::ports. 0, or -1
 * after printing which ports exist. */
int tp_cli_ports(const char *which, unsigned int *first, unsigned int *last);

/* Command instances, for the context in interactive.c. */
extern cmdline_parse_inst_t tp_cmd_show_port, tp_cmd_show_port_stats, tp_cmd_clear_port, tp_cmd_show_fwd_stats,
	tp_cmd_show_config_fwd, tp_cmd_show_pool, tp_cmd_dump_mempool;
extern cmdline_parse_inst_t tp_cmd_set_fwd, tp_cmd_set_num, tp_cmd_set_peer, tp_cmd_set_promisc,
	tp_cmd_port_stop_start;

#endif /* TP_CMDS_H */
