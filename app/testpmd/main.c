/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-testpmd: a testpmd-style forwarding app whose buffer pools are
 * dynpool's (elastic by default), tuned through EAL arguments.
 *   dynpool-testpmd [EAL options] -- [options]      (--help lists them)
 * Exit status: 0 after a clean run with every mbuf back in its pool; 1 on
 * a setup error; 2 on bad options; 3 if mbufs went missing.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_pdump.h>

#include "config.h"
#include "fwd.h"
#include "interactive.h"
#include "pools.h"
#include "rte_mempool_dynpool.h"
#include "secondary.h"
#include "stats.h"

volatile sig_atomic_t tp_quit;
/* Set once EAL is up: before, nothing polls tp_quit (EAL may wait for a
 * primary forever), so a signal ends the process as by default. */
static volatile sig_atomic_t eal_up;

static void
on_signal(int sig)
{
	if (!eal_up) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	tp_quit = 1;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed terminal (SIGHUP) or a reader of our output gone (SIGPIPE:
	 * "| head") would kill the app before it removes its hugepage files,
	 * which then hold their memory until the prefix runs again: stop as
	 * on Ctrl-C. Writes to the dead pipe then fail quietly. */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

/* Every mbuf is back in its pool once ports are closed. */
static int
leak_check(struct tp_fwd *f)
{
	int leaks = 0;

	for (unsigned int i = 0; i < f->pools->n; i++) {
		struct tp_pool_stats st;

		tp_pool_stats(f->pools, i, &st);
		if (st.in_use != 0) {
			printf("  leak check: %u mbufs of %s not returned\n", st.in_use,
			       f->pools->mp[i]->name);
			leaks = 1;
		} else {
			printf("  leak check: every mbuf of %s returned (%u carved, %zu bytes)\n",
			       f->pools->mp[i]->name, st.size, st.memory);
		}
	}
	return leaks;
}

static void
run_timed(struct tp_fwd *f, const struct tp_config *c, struct tp_snap *start, struct tp_snap *end)
{
	uint64_t hz = rte_get_timer_hz(), t0 = rte_get_timer_cycles();
	uint64_t next = t0 + c->stats_period * hz;
	struct tp_snap prev = *start, now;

	while (!tp_quit && (c->run_time == 0 || rte_get_timer_cycles() - t0 < c->run_time * hz)) {
		if (f->main_does_tx)
			tp_fwd_main_tx_poll(f);
		else
			rte_delay_us_sleep(1000);
		if (c->stats_period && rte_get_timer_cycles() >= next) {
			tp_snap_take(f, &now);
			printf("---- %.0f s ----\n", (double)(now.tsc - t0) / (double)hz);
			tp_stats_print(stdout, f, &prev, &now);
			prev = now;
			next += c->stats_period * hz;
		}
	}
	tp_fwd_stop(f);
	tp_snap_take(f, end);
}

int
main(int argc, char **argv)
{
	static struct tp_fwd fwd;
	struct tp_config cfg;
	struct tp_pools pools;
	struct tp_snap start, end;
	struct tp_hugefiles huge;
	int sockets[TP_MAX_SOCKETS], nsockets = 0, sep, eal_argc, r, rc = 0;
	char **eal_argv;
	bool no_huge;
	uint16_t port;

	/* Output reaches a pipe line by line, as on a terminal: scripts that
	 * drive the prompt see each command's answer before sending the next. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (sep = 1; sep < argc && strcmp(argv[sep], "--") != 0; sep++)
		;
	r = tp_config_parse(argc - sep, argv + sep, &cfg);
	if (sep == argc) /* no "--": everything was EAL's, or --help */
		r = tp_config_parse(1, argv, &cfg);
	for (int i = 1; i < sep; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			tp_usage(argv[0]);
			return 0;
		}
	if (r != 0)
		return r > 0 ? 0 : 2;
	eal_argc = tp_eal_args(sep, argv, &eal_argv, &no_huge);
	cfg.no_huge = no_huge;
	install_signals();
	tp_eal_log_tee_begin();
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		int err = rte_errno;

		tp_eal_log_tee_end();
		tp_eal_explain(err);
		return 1;
	}
	eal_up = 1;
	tp_eal_log_tee_end();
	/* Publishes this primary's mempool ops order; as a secondary, a table
	 * in another order would read the primary's pools with the wrong
	 * drivers (the driver has logged both orders and the fix). */
	if (dp_mempool_ops_order_check() == -EPROTO) {
		fprintf(stderr, "dynpool-testpmd: refused: mempool ops order differs from the "
				"primary's (see the REFUSED line above)\n");
		rte_eal_cleanup();
		return 1;
	}
	/* dpdk-pdump and dpdk-dumpcap ask the primary to copy packets into
	 * their pool: without this, they get "Operation not permitted". */
	if (rte_pdump_init() != 0)
		fprintf(stderr, "dynpool-testpmd: packet capture unavailable: %s\n",
			rte_strerror(rte_errno));
	RTE_ETH_FOREACH_DEV(port) {
		int s = rte_eth_dev_socket_id(port), k;

		if (s < 0)
			s = 0;
		for (k = 0; k < nsockets && sockets[k] != s; k++)
			;
		if (k == nsockets && nsockets < TP_MAX_SOCKETS)
			sockets[nsockets++] = s;
	}
	if (nsockets == 0)
		sockets[nsockets++] = (int)rte_socket_id();
	if (tp_pools_create(&pools, &cfg, sockets, (unsigned int)nsockets) != 0 ||
	    tp_ports_setup(&fwd, &cfg, &pools) != 0) {
		tp_hugefiles_learn(&huge);
		rte_eal_cleanup();
		tp_hugefiles_remove(&huge);
		return 1;
	}
	printf("dynpool-testpmd: %u ports, %u streams, %s forwarding%s, %s pool (%s), "
	       "mbuf cache %u\n", fwd.nports, fwd.nstreams, tp_fwd_mode_name(fwd.mode),
	       cfg.pipeline ? " pipelined" : "", cfg.pool == TP_POOL_ELASTIC ? "elastic" : "fixed",
	       cfg.pool == TP_POOL_ELASTIC ? "grows on demand" : cfg.pool_ops, cfg.mbcache);
	for (unsigned int i = 0; i < fwd.nports; i++) {
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		rte_ether_format_addr(mac, sizeof(mac), &fwd.mac[fwd.ports[i]]);
		printf("Port %u: %s\n", fwd.ports[i], mac);
	}
	tp_pools_print(stdout, &fwd);
	tp_secondary_hint(stdout);

	if (cfg.interactive) {
		tp_snap_take(&fwd, &start);
		r = tp_interactive(&fwd);
		tp_snap_take(&fwd, &end);
	} else {
		tp_snap_take(&fwd, &start);
		r = tp_fwd_start(&fwd);
		if (r == 0)
			run_timed(&fwd, &cfg, &start, &end);
		tp_summary_print(stdout, &fwd, &start, &end);
	}
	if (tp_quit)
		printf("\ninterrupted: stopping ports\n");
	tp_ports_close(&fwd);
	if (leak_check(&fwd))
		rc = 3;
	tp_pools_free(&pools);
	rte_pdump_uninit();
	tp_hugefiles_learn(&huge);
	rte_eal_cleanup();
	tp_hugefiles_remove(&huge);
	free(eal_argv);
	printf("bye\n");
	return r != 0 ? 1 : rc;
}
