/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One process of test/integration/ops-order.sh: EAL with the -d order the
 * script gives, the dynpool driver only from a -d plugin.
 *
 *   dp_ops_peer primary STOPFILE EAL-ARGS...
 *     makes "opsord_dp" (dynpool ops) and "opsord_ring" (ring_mp_mc),
 *     1023 objects each, prints their ops indexes and "ready", and waits
 *     for STOPFILE to exist. With DP_OPS_PEER_GO=FILE in the environment
 *     it prints "waiting" after EAL init and makes the pools once FILE
 *     exists (the driver has not run there before). With
 *     DP_OPS_PEER_SQUAT it first holds a 64-byte memzone of the name the
 *     driver publishes in, and says whether its bytes stayed as written.
 *   dp_ops_peer secondary EAL-ARGS...
 *     prints "eal up", then for each pool the ops name its index has in
 *     this process, and counts, gets and puts an object of the pools that
 *     index leads to this driver or to ring_mp_mc (never another driver:
 *     that one would read our pool), what dp_mempool_check_stats() says
 *     of each pool, then dp_mempool_ops_order_check()'s result. With
 *     DP_OPS_PEER_WAIT set it waits (30 s) for the pools to appear.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <stdlib.h>

#include <rte_eal.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include "rte_mempool_dynpool.h"

static const char *const pools[2][2] = { { "opsord_dp", "dynpool" },
					  { "opsord_ring", "ring_mp_mc" } };

static struct rte_mempool *
make(const char *name, const char *ops)
{
	struct rte_mempool *mp = rte_mempool_create_empty(name, 1023, 64, 0, 0, SOCKET_ID_ANY, 0);

	if (mp == NULL || rte_mempool_set_ops_byname(mp, ops, NULL) != 0 ||
	    rte_mempool_populate_default(mp) != 1023) {
		fprintf(stderr, "cannot make %s on %s\n", name, ops);
		return NULL;
	}
	return mp;
}

static int
primary(const char *stop)
{
	const char *go = getenv("DP_OPS_PEER_GO");
	const struct rte_memzone *squat = NULL;
	struct rte_mempool *mp[2];

	/* DP_OPS_PEER_SQUAT: the application holds a small memzone of the
	 * name the driver publishes in; the driver must leave it alone. */
	if (getenv("DP_OPS_PEER_SQUAT") != NULL) {
		squat = rte_memzone_reserve("dynpool_ops_order", 64, SOCKET_ID_ANY, 0);
		if (squat == NULL) {
			fprintf(stderr, "cannot reserve the squatting memzone\n");
			return 1;
		}
		memset(squat->addr, 0xab, 64);
	}

	if (go != NULL) {
		printf("waiting\n");
		fflush(stdout);
		for (int t = 0; t < 3000 && access(go, F_OK) != 0; t++)
			usleep(20000);
	}
	for (int i = 0; i < 2; i++) {
		mp[i] = make(pools[i][0], pools[i][1]);
		if (mp[i] == NULL)
			return 1;
		printf("primary: %s #%d %s\n", pools[i][0], mp[i]->ops_index, pools[i][1]);
	}
	if (squat != NULL) {
		const unsigned char *b = squat->addr;
		int intact = 1;

		for (int i = 0; i < 64; i++)
			intact &= b[i] == 0xab;
		printf("squat %s\n", intact ? "intact" : "overwritten");
	}
	printf("ready\n");
	fflush(stdout);
	for (int t = 0; t < 6000 && access(stop, F_OK) != 0; t++)
		usleep(20000);
	for (int i = 0; i < 2; i++)
		rte_mempool_free(mp[i]);
	return 0;
}

/* From the plugin that registered the dynpool ops (EAL opens plugins
 * RTLD_LOCAL, and its getopt reorders argv). */
static void *
find_sym(const char *sym)
{
	for (unsigned int i = 0; i < rte_mempool_ops_table.num_ops; i++) {
		Dl_info info;
		void *h;

		if (strcmp(rte_mempool_ops_table.ops[i].name, "dynpool") != 0 ||
		    dladdr((void *)rte_mempool_ops_table.ops[i].alloc, &info) == 0 ||
		    (h = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD)) == NULL)
			continue;
		return dlsym(h, sym);
	}
	return NULL;
}

static int
secondary(void)
{
	int (*check)(void) = (int (*)(void))find_sym("dp_mempool_ops_order_check");
	int (*stats)(const struct rte_mempool *, struct dp_mempool_check_stats *) =
		(int (*)(const struct rte_mempool *, struct dp_mempool_check_stats *))find_sym(
			"dp_mempool_check_stats");
	int wait = getenv("DP_OPS_PEER_WAIT") != NULL;

	printf("eal up\n");
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		struct rte_mempool *mp = rte_mempool_lookup(pools[i][0]);
		const char *here;
		void *obj = NULL;
		int r;

		for (int t = 0; wait && mp == NULL && t < 1500; t++) {
			usleep(20000);
			mp = rte_mempool_lookup(pools[i][0]);
		}

		if (mp == NULL) {
			printf("%s: not found\n", pools[i][0]);
			return 1;
		}
		here = rte_mempool_get_ops(mp->ops_index)->name;
		printf("%s #%d here %s\n", pools[i][0], mp->ops_index, here);
		fflush(stdout);
		if (strncmp(here, "dynpool", 7) != 0 && strcmp(here, pools[i][1]) != 0)
			continue;
		printf("%s: count %u\n", pools[i][0], rte_mempool_avail_count(mp));
		fflush(stdout);
		r = rte_mempool_get(mp, &obj);
		printf("%s: get %d\n", pools[i][0], r);
		if (r == 0)
			rte_mempool_put(mp, obj);
		else /* refused: so must an enqueue be, before it reads anything */
			printf("%s: enqueue %d\n", pools[i][0],
			       rte_mempool_ops_enqueue_bulk(mp, (void *const *)&stats, 1));
		fflush(stdout);
	}
	/* A pool of this process's own on the dynpool ops: its alloc too is
	 * refused where the order differs. */
	if (check != NULL) {
		struct rte_mempool *own = rte_mempool_create_empty("opsord_sec", 63, 0, 0, 0,
								   SOCKET_ID_ANY, 0);

		if (own != NULL && rte_mempool_set_ops_byname(own, "dynpool", NULL) == 0)
			printf("own pool: populate %d\n", rte_mempool_populate_default(own));
		rte_mempool_free(own);
	}
	/* The driver's own API must not read another driver's pool either
	 * (-EINVAL), whatever this process's table says. After the ops, so
	 * that without --vdev dynpool the ops meet the order first. */
	for (int i = 0; i < 2 && stats != NULL; i++) {
		struct dp_mempool_check_stats cs;

		printf("%s: stats %d\n", pools[i][0], stats(rte_mempool_lookup(pools[i][0]), &cs));
	}
	/* Last, so that without --vdev dynpool the ops meet the order first. */
	if (check == NULL)
		printf("check absent\n");
	else
		printf("check %d\n", check());
	return 0;
}

int
main(int argc, char **argv)
{
	const char *stop = argv[argc > 2 ? 2 : 0];
	int skip, ret;

	if (argc < 2 || (strcmp(argv[1], "primary") == 0 && argc < 3)) {
		fprintf(stderr, "usage: %s primary STOPFILE EAL-ARGS... | secondary EAL-ARGS...\n",
			argv[0]);
		return 2;
	}
	skip = strcmp(argv[1], "primary") == 0 ? 2 : 1;
	argv[skip] = argv[0];
	if (rte_eal_init(argc - skip, argv + skip) < 0) {
		fprintf(stderr, "cannot init EAL\n");
		return 1;
	}
	ret = skip == 2 ? primary(stop) : secondary();
	rte_eal_cleanup();
	return ret;
}
