/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Elastic mbufs are DPDK memory to other processes (issue 10, item 2).
 * A primary creates an elastic pool; a secondary finds it by name and
 * gets, writes and frees mbufs while the primary forwards on net_null
 * (whose rx allocates from the pool) and so grows the pool (hugepages
 * mapped on demand, so new chunks reach the secondary while it runs).
 * Then dpdk-proc-info, another secondary that knows nothing of dynpool but
 * the plugin, shows and iterates the pool. Output is TAP (the primary's).
 *
 *   dp_mp_elastic primary PREFIX SELF PROC_INFO [EAL args for all, e.g. -d plugin.so]
 *
 * The API comes from the plugin that EAL loaded (-d) or from a preloaded
 * one, so every process registers the mempool ops in the same order.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "mp_common.h"
#include "rte_mempool_dynpool.h"

#define POOL "el_mp"
#define MAXIMUM 4000u
#define RUN_MS 1500
#define MAX_ZONES 64
#define HOLD 1024 /* more than the cache: gets and frees reach the shared pool */

struct result {
	volatile int ready, done;
	unsigned int zones_at_start;
	uint64_t gets, from_new_chunks, bad_pool, not_dpdk, bad_iova, bad_data;
	int grow_refused;
	unsigned int populated_seen;
};

struct api {
	struct rte_mempool *(*create)(const char *, unsigned int, unsigned int, unsigned int,
				      uint16_t, uint16_t, int, const struct dp_elastic_opts *);
	int (*stats)(const struct rte_mempool *, struct dp_elastic_stats *);
	int (*grow)(struct rte_mempool *, unsigned int);
};

/* From a preloaded plugin, or the one EAL loaded with -d. */
static bool
resolve(struct api *a, int argc, char **argv)
{
	void *h = RTLD_DEFAULT;

	if (dlsym(h, "dp_elastic_stats") == NULL) {
		h = NULL;
		for (int i = 0; i + 1 < argc && h == NULL; i++)
			if (strcmp(argv[i], "-d") == 0)
				h = dlopen(argv[i + 1], RTLD_NOW | RTLD_NOLOAD);
		if (h == NULL)
			return false;
	}
	*(void **)&a->create = dlsym(h, "dp_elastic_pktmbuf_pool_create");
	*(void **)&a->stats = dlsym(h, "dp_elastic_stats");
	*(void **)&a->grow = dlsym(h, "dp_elastic_grow");
	return a->create != NULL && a->stats != NULL && a->grow != NULL;
}

/* No -m: hugepages are mapped as the pool grows (dynamic memory); the
 * primary has a port, which dpdk-proc-info wants. */
static int
eal(int argc, char **argv, const char *lcores, const char *type, const char *prefix)
{
	static const char *const primary[] = { MP_BASE_VIRTADDR, "--vdev", "net_null0", NULL };

	return mp_eal_init("dp_mp_elastic", argc, argv, lcores, type, prefix, primary);
}

struct zones {
	unsigned int n;
	const void *lo[MAX_ZONES], *hi[MAX_ZONES];
};

static void
own_zone(const struct rte_memzone *mz, void *arg)
{
	struct zones *z = arg;
	const char *us = strchr(mz->name, '_');

	if (strncmp(mz->name, "dp", 2) == 0 && us != NULL && strcmp(us + 1, POOL) == 0 &&
	    z->n < MAX_ZONES) {
		z->lo[z->n] = mz->addr;
		z->hi[z->n++] = RTE_PTR_ADD(mz->addr, mz->len);
	}
}

static bool
in_zones(const struct zones *z, const void *p)
{
	for (unsigned int i = 0; i < z->n; i++)
		if (p >= z->lo[i] && p < z->hi[i])
			return true;
	return false;
}

static void
use(struct rte_mbuf *m, struct rte_mempool *mp, struct result *r, const struct zones *start)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);

	r->gets++;
	r->bad_pool += m->pool != mp;
	r->not_dpdk += rte_mem_virt2memseg(m->buf_addr, NULL) == NULL;
	r->bad_iova += m->buf_iova != rte_mem_virt2iova(m->buf_addr);
	r->from_new_chunks += !in_zones(start, m);
	/* The whole data room is this process's to write. */
	memset(d, 0xa5, rte_pktmbuf_tailroom(m));
	r->bad_data += d[rte_pktmbuf_tailroom(m) - 1] != 0xa5;
}

static int
secondary(const char *prefix, int argc, char **argv)
{
	const struct rte_memzone *rz;
	struct rte_mempool *mp;
	static struct rte_mbuf *m[HOLD];
	unsigned int held = 0;
	struct dp_elastic_stats st;
	struct zones start = { 0 };
	struct result *r;
	struct api a;
	uint64_t end;

	if (eal(argc, argv, "1", "--proc-type=secondary", prefix) < 0)
		return 10;
	if (!resolve(&a, argc, argv))
		return 11;
	rz = rte_memzone_lookup("el_result");
	mp = rte_mempool_lookup(POOL);
	if (rz == NULL || mp == NULL)
		return 12;
	r = rz->addr;
	rte_memzone_walk(own_zone, &start);
	r->zones_at_start = start.n;
	r->grow_refused = a.grow(mp, 10) == -EPERM;
	r->ready = 1;
	end = rte_get_timer_cycles() + rte_get_timer_hz() * RUN_MS / 1000;
	while (rte_get_timer_cycles() < end) {
		if (held == HOLD) {
			rte_pktmbuf_free_bulk(m, HOLD / 2);
			memmove(m, &m[HOLD / 2], HOLD / 2 * sizeof(m[0]));
			held = HOLD / 2;
		}
		if (rte_pktmbuf_alloc_bulk(mp, &m[held], 32) != 0)
			continue; /* the primary holds them all: it grows */
		for (unsigned int i = held; i < held + 32; i++)
			use(m[i], mp, r, &start);
		held += 32;
	}
	rte_pktmbuf_free_bulk(m, held);
	if (a.stats(mp, &st) == 0)
		r->populated_seen = st.populated;
	r->done = 1;
	rte_eal_cleanup();
	return 0;
}

static pid_t
spawn(const char *path, char **args, const char *out)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	if (out != NULL)
		posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (posix_spawn(&pid, path, &fa, NULL, args, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static bool
port_up(struct rte_mempool *mp)
{
	struct rte_eth_conf conf = { 0 };

	return rte_eth_dev_configure(0, 1, 1, &conf) == 0 &&
	       rte_eth_rx_queue_setup(0, 0, 256, SOCKET_ID_ANY, NULL, mp) == 0 &&
	       rte_eth_tx_queue_setup(0, 0, 256, SOCKET_ID_ANY, NULL) == 0 &&
	       rte_eth_dev_start(0) == 0;
}

static void
send_all(struct rte_mbuf **m, unsigned int n)
{
	for (unsigned int sent = 0; sent < n;)
		sent += rte_eth_tx_burst(0, 0, &m[sent], (uint16_t)RTE_MIN(n - sent, 512u));
}

/* Forward with a backlog that deepens (received packets held before they
 * are sent, as behind a slow consumer): the pool grows under the rx queue.
 * The backlog drains now and then so the secondary gets mbufs of every
 * chunk. */
static uint64_t
forward_while_secondary_runs(pid_t pid, int *status)
{
	static struct rte_mbuf *held[MAXIMUM];
	unsigned int n = 0, target = 256;
	uint64_t fwd = 0;

	/* Until the secondary exits (crashes included). */
	while (waitpid(pid, status, WNOHANG) == 0) {
		uint16_t got = n + 32 <= target ? rte_eth_rx_burst(0, 0, &held[n], 32) : 0;

		n += got;
		if (n + 32 > target || (got == 0 && n > 0)) {
			send_all(held, n);
			fwd += n;
			n = 0;
			target = RTE_MIN(target * 2, MAXIMUM - 256);
			rte_delay_ms(50);
		}
	}
	send_all(held, n);
	return fwd + n;
}

static bool
output_has(const char *file, const char *what, unsigned long *num)
{
	char line[512];
	FILE *f = fopen(file, "r");
	bool found = false;

	while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL) {
		const char *p = strstr(line, what);

		if (p != NULL) {
			found = true;
			if (num != NULL)
				*num = strtoul(p + strlen(what), NULL, 10);
		}
	}
	if (f != NULL)
		fclose(f);
	return found;
}

static void
proc_info(const char *path, const char *prefix, int argc, char **argv, unsigned int populated)
{
	char out[] = "/tmp/dp_mp_elastic_procinfo.XXXXXX";
	char *args[64];
	unsigned long iterated = 0, ops = 0;
	int n = 0, status = -1, fd = mkstemp(out);
	pid_t pid;

	if (fd >= 0)
		close(fd);
	args[n++] = (char *)path;
	args[n++] = "--file-prefix";
	args[n++] = (char *)prefix;
	args[n++] = "--no-pci";
	args[n++] = "--log-level";
	args[n++] = "lib.eal:error";
	for (int i = 0; i < argc && n < 58; i++)
		args[n++] = argv[i];
	args[n++] = "--";
	args[n++] = "--show-mempool=" POOL;
	args[n++] = "--iter-mempool=" POOL;
	args[n] = NULL;
	pid = spawn(path, args, out);
	if (pid > 0)
		waitpid(pid, &status, 0);
	check(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "dpdk-proc-info --show-mempool --iter-mempool on the elastic pool exits cleanly "
	      "(status %d)", status);
	check(output_has(out, "ops_name dynpool", NULL) && output_has(out, "ops_index ", &ops),
	      "dpdk-proc-info sees the pool on the dynpool ops (index %lu)", ops);
	output_has(out, "iterated ", &iterated);
	check(iterated == populated, "dpdk-proc-info iterated every mbuf: %lu of %u", iterated,
	      populated);
	unlink(out);
}

static int
primary(const char *prefix, const char *self, const char *pinfo, int argc, char **argv)
{
	const struct rte_memzone *rz;
	struct dp_elastic_stats st;
	struct rte_mempool *mp;
	struct zones end = { 0 };
	struct result *r;
	struct api a;
	char *child[64];
	int n = 0, status = -1;
	uint64_t fwd;
	pid_t pid;

	if (eal(argc, argv, "0", "--proc-type=primary", prefix) < 0) {
		printf("Bail out! primary EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (!resolve(&a, argc, argv)) {
		printf("Bail out! no dynpool plugin in this process\n");
		return 1;
	}
	printf("1..11\n");
	rz = rte_memzone_reserve("el_result", sizeof(*r), SOCKET_ID_ANY, 0);
	mp = a.create(POOL, 64, MAXIMUM, 64, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
		      &(struct dp_elastic_opts){ .grow_batch = 128 });
	if (rz == NULL || mp == NULL) {
		printf("Bail out! elastic pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (!port_up(mp)) {
		printf("Bail out! net_null0 port on the pool\n");
		return 1;
	}
	r = rz->addr;
	memset(r, 0, sizeof(*r));
	child[n++] = (char *)self;
	child[n++] = "secondary";
	child[n++] = (char *)prefix;
	for (int i = 0; i < argc && n < 63; i++)
		child[n++] = argv[i];
	child[n] = NULL;
	pid = spawn(self, child, NULL);
	if (pid < 0) {
		printf("Bail out! cannot start the secondary\n");
		return 1;
	}
	/* The secondary notes the memzones there are before the pool grows. */
	while (!r->ready && waitpid(pid, &status, WNOHANG) == 0)
		rte_delay_ms(1);
	fwd = forward_while_secondary_runs(pid, &status);
	a.stats(mp, &st);
	rte_memzone_walk(own_zone, &end);
	check(fwd > 10000 && st.grow_events > 0,
	      "the primary forwarded %" PRIu64 " packets on net_null and grew the pool %" PRIu64
	      " times, to %u mbufs", fwd, st.grow_events, st.populated);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && r->done,
	      "secondary found the elastic pool by name and ran (%s %d)",
	      WIFSIGNALED(status) ? "signal" : "status",
	      WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	check(r->grow_refused, "a secondary may not grow the pool (-EPERM)");
	check(r->gets > 1000 && r->bad_pool == 0 && r->bad_data == 0,
	      "secondary got, wrote and freed %" PRIu64 " mbufs of the pool", r->gets);
	check(r->not_dpdk == 0 && r->bad_iova == 0,
	      "every mbuf is DPDK memory in the secondary, with EAL's IOVA "
	      "(outside %" PRIu64 ", wrong IOVA %" PRIu64 ")", r->not_dpdk, r->bad_iova);
	check(end.n > r->zones_at_start && r->from_new_chunks > 0,
	      "the pool grew from %u to %u memzones while the secondary ran, and the "
	      "secondary used %" PRIu64 " mbufs of the new ones", r->zones_at_start, end.n,
	      r->from_new_chunks);
	check(r->populated_seen > 0 && rte_mempool_avail_count(mp) == st.populated,
	      "every mbuf back (%u of %u; the secondary's stats saw %u)",
	      rte_mempool_avail_count(mp), st.populated, r->populated_seen);
	proc_info(pinfo, prefix, argc, argv, st.populated);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_mempool_free(mp);
	end.n = 0;
	rte_memzone_walk(own_zone, &end);
	check(end.n == 0, "freeing the pool freed its memzones (%u left)", end.n);
	rte_memzone_free(rz);
	rte_eal_cleanup();
	return nfailed != 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "secondary") == 0)
		return secondary(argv[2], argc - 3, argv + 3);
	if (argc >= 5 && strcmp(argv[1], "primary") == 0)
		return primary(argv[2], argv[3], argv[4], argc - 5, argv + 5);
	fprintf(stderr, "usage: %s primary PREFIX SELF PROC_INFO [EAL args]\n", argv[0]);
	return 2;
}
