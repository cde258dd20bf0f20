/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multi-process: a DPDK primary creates a shared dynpool pool (on a
 * memzone segment) and a mempool on the "dynpool" ops; a secondary
 * process attaches to both by name and works on them at the same time as
 * the primary. Every block a process holds carries its owner's tag,
 * checked before it goes back, so a block handed to both processes at once
 * shows. Afterwards the primary checks the pool's counts and audit, and
 * the mempool's, to the block. Output is TAP (the primary's).
 *
 *   dp_mp primary PREFIX SELF [EAL args for both, e.g. -d plugin.so]
 * The primary starts the secondary itself (SELF secondary PREFIX ...).
 */
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
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "dynpool.h"
#include "mp_common.h"

#define HELD_MAX 1024
#define RUN_MS 1500
#define PRIMARY_KEEPS 10

/* What the secondary reports back, in a memzone the primary made. */
struct mp_result {
	volatile int done;
	uint64_t ops, mbuf_ops, tag_errors, errors;
	unsigned int lcore;
	int destroy_refused, create_refused;
};

struct held {
	void *b[HELD_MAX];
	size_t n;
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
tag(void *blk, uint64_t owner)
{
	memcpy(blk, &owner, sizeof(owner));
}

static bool
tagged(const void *blk, uint64_t owner)
{
	uint64_t t;

	memcpy(&t, blk, sizeof(t));
	return t == owner;
}

/* Random bulk gets and puts on the native pool for `ms` milliseconds,
 * holding up to `hold` blocks; returns the operations done. */
static uint64_t
churn_pool(struct dp_pool *p, struct held *h, size_t hold, uint64_t owner, unsigned int ms,
	   uint64_t *tag_errors, uint64_t *errors)
{
	uint64_t s = owner | 1, ops = 0, end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;

	while (rte_get_timer_cycles() < end) {
		size_t n = 1 + rnd(&s) % 32;

		if (h->n + n <= hold && rnd(&s) % 2 == 0) {
			if (dp_pool_get_bulk(p, &h->b[h->n], n) != DP_OK) {
				(*errors)++;
				continue;
			}
			for (size_t i = 0; i < n; i++)
				tag(h->b[h->n + i], owner);
			h->n += n;
		} else {
			n = n < h->n ? n : h->n;
			h->n -= n;
			for (size_t i = 0; i < n; i++)
				if (!tagged(h->b[h->n + i], owner))
					(*tag_errors)++;
			if (dp_pool_put_bulk(p, &h->b[h->n], n) != DP_OK)
				(*errors)++;
		}
		ops++;
	}
	return ops;
}

/* The same on the mempool, through DPDK's API and its lcore cache. */
static uint64_t
churn_mempool(struct rte_mempool *mp, uint64_t owner, unsigned int ms, uint64_t *tag_errors,
	      uint64_t *errors)
{
	struct rte_mbuf *m[64];
	uint64_t s = owner | 1, ops = 0, end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;

	while (rte_get_timer_cycles() < end) {
		unsigned int n = 1 + rnd(&s) % 64;

		if (rte_pktmbuf_alloc_bulk(mp, m, n) != 0) {
			(*errors)++;
			continue;
		}
		for (unsigned int i = 0; i < n; i++)
			tag(rte_pktmbuf_mtod(m[i], void *), owner);
		for (unsigned int i = 0; i < n; i++)
			if (!tagged(rte_pktmbuf_mtod(m[i], void *), owner))
				(*tag_errors)++;
		rte_pktmbuf_free_bulk(m, n);
		ops++;
	}
	return ops;
}

/* dp_mp's primary: 256 MiB up front (the shared pool's memzone). */
static int
eal(int argc, char **argv, const char *lcores, const char *type, const char *prefix)
{
	static const char *const primary[] = { "-m", "256", MP_BASE_VIRTADDR, NULL };

	return mp_eal_init("dp_mp", argc, argv, lcores, type, prefix, primary);
}

static int
secondary(const char *prefix, int argc, char **argv)
{
	const struct rte_memzone *rz;
	struct mp_result *r;
	struct rte_mempool *mp;
	struct dp_pool *pool, *again;
	struct dp_seg *seg;
	struct dp_pool_params prm = { .name = "mp_other", .block_size = 64, .block_align = 8 };
	static struct held h;
	uint64_t owner = 0x5ec0000000000000ull | (uint64_t)getpid();

	if (eal(argc, argv, "1", "--proc-type=secondary", prefix) < 0)
		return 10;
	rz = rte_memzone_lookup("mp_result");
	if (rz == NULL || dp_seg_lookup_memzone("mp_seg", &seg) != DP_OK ||
	    dp_pool_lookup("mp_pool", &pool) != DP_OK ||
	    (mp = rte_mempool_lookup("mp_mbuf")) == NULL)
		return 11;
	r = rz->addr;
	r->lcore = rte_lcore_id();
	r->destroy_refused = dp_pool_destroy(pool) == DP_ERR_SECONDARY;
	r->create_refused = dp_pool_create(seg, &prm, &again) == DP_ERR_SECONDARY;
	r->ops = churn_pool(pool, &h, HELD_MAX, owner, RUN_MS, &r->tag_errors, &r->errors);
	r->mbuf_ops = churn_mempool(mp, owner, RUN_MS / 3, &r->tag_errors, &r->errors);
	/* Give everything back through this lcore's cache: blocks stay in it
	 * after exit, for the primary to find and drain. */
	for (size_t i = 0; i < h.n; i++)
		if (!tagged(h.b[i], owner))
			r->tag_errors++;
	if (dp_pool_put_bulk(pool, h.b, h.n) != DP_OK)
		r->errors++;
	r->done = 1;
	rte_eal_cleanup();
	return 0;
}

static int
primary(const char *prefix, const char *self, int argc, char **argv)
{
	struct dp_pool_params prm = { .name = "mp_pool", .block_size = 200, .block_align = 64,
				      .initial = 64, .cache_size = 32 };
	uint64_t owner = 0x9a10000000000000ull | (uint64_t)getpid(), tag_errors = 0, errors = 0;
	const struct rte_memzone *rz;
	struct rte_mempool *mp;
	struct dp_pool_stats st;
	struct dp_pool_audit au;
	struct mp_result *r;
	struct dp_pool *pool;
	struct dp_seg *seg;
	static struct held h;
	char *child[64];
	int n = 0, status;
	pid_t pid;

	if (eal(argc, argv, "0", "--proc-type=primary", prefix) < 0) {
		printf("Bail out! primary EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	printf("1..8\n");
	rz = rte_memzone_reserve("mp_result", sizeof(*r), SOCKET_ID_ANY, 0);
	if (rz == NULL || dp_seg_create_memzone("mp_seg", 8 << 20, SOCKET_ID_ANY, 64, &seg) != DP_OK ||
	    dp_pool_create(seg, &prm, &pool) != DP_OK) {
		printf("Bail out! shared pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	mp = rte_pktmbuf_pool_create_by_ops("mp_mbuf", 2047, 64, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					     SOCKET_ID_ANY, "dynpool");
	if (mp == NULL) {
		printf("Bail out! dynpool mempool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	r = rz->addr;
	memset(r, 0, sizeof(*r));
	if (dp_pool_get_bulk(pool, h.b, PRIMARY_KEEPS) != DP_OK)
		return 1;
	h.n = PRIMARY_KEEPS;
	for (size_t i = 0; i < h.n; i++)
		tag(h.b[i], owner);

	child[n++] = (char *)self;
	child[n++] = "secondary";
	child[n++] = (char *)prefix;
	for (int i = 0; i < argc && n < 63; i++)
		child[n++] = argv[i];
	child[n] = NULL;
	if (posix_spawn(&pid, self, NULL, NULL, child, environ) != 0) {
		printf("Bail out! cannot start the secondary\n");
		return 1;
	}
	/* Work alongside it: the primary keeps its PRIMARY_KEEPS blocks and
	 * churns more on top, so both processes carve and free at once. */
	struct held more = { .n = 0 };
	uint64_t ops = 0;
	while (!r->done && waitpid(pid, &status, WNOHANG) == 0) {
		ops += churn_pool(pool, &more, HELD_MAX / 2, owner, 100, &tag_errors, &errors);
		ops += churn_mempool(mp, owner, 20, &tag_errors, &errors);
	}
	if (dp_pool_put_bulk(pool, more.b, more.n) != DP_OK)
		errors++;
	if (waitpid(pid, &status, 0) != pid)
		status = -1;
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && r->done,
	      "secondary attached to the pool, segment and mempool by name (status %d)", status);
	check(r->destroy_refused && r->create_refused,
	      "secondary may not destroy or create shared pools (DP_ERR_SECONDARY)");
	check(r->tag_errors == 0 && tag_errors == 0 && r->errors == 0 && errors == 0,
	      "no block held by both processes: %" PRIu64 " + %" PRIu64 " pool ops, %" PRIu64
	      " mempool bursts, tag errors %" PRIu64 "/%" PRIu64 ", errors %" PRIu64 "/%" PRIu64,
	      r->ops, ops, r->mbuf_ops, r->tag_errors, tag_errors, r->errors, errors);

	for (size_t i = 0; i < h.n; i++)
		tag_errors += !tagged(h.b[i], owner);
	if (dp_pool_stats(pool, &st) != DP_OK)
		st = (struct dp_pool_stats){ 0 };
	check(st.in_use == PRIMARY_KEEPS && tag_errors == 0 && st.grow_events > 0,
	      "counts exact after the secondary exits: in use %zu (the primary's %d), carved %zu in "
	      "%" PRIu64 " growths, %zu cached", st.in_use, PRIMARY_KEEPS, st.carved, st.grow_events,
	      st.in_caches);
	bool audited = dp_pool_audit(pool, &au) == DP_OK; /* before au is read below */
	check(audited && au.carved == st.carved && au.free_listed + au.in_use == au.carved,
	      "audit: carved %zu = free %zu + in use %zu", au.carved, au.free_listed, au.in_use);
	size_t cached = st.in_caches;
	bool drained = dp_pool_cache_drain(pool, r->lcore) == DP_OK &&
		       dp_pool_cache_drain(pool, rte_lcore_id()) == DP_OK;
	drained = drained && dp_pool_stats(pool, &st) == DP_OK;
	check(drained && st.in_caches == 0 && cached > 0 && st.free + st.in_use == st.carved,
	      "the exited secondary's lcore %u cache drained from the primary (%zu blocks)",
	      r->lcore, cached);
	rte_mempool_audit(mp);
	check(rte_mempool_avail_count(mp) == mp->size,
	      "mempool on the dynpool ops: every mbuf back (%u of %u)", rte_mempool_avail_count(mp),
	      mp->size);
	bool returned = dp_pool_put_bulk(pool, h.b, h.n) == DP_OK;
	rte_mempool_free(mp);
	check(returned && dp_pool_destroy(pool) == DP_OK && dp_seg_destroy(seg) == DP_OK &&
		      dp_pool_lookup("mp_pool", &pool) == DP_ERR_NOT_FOUND,
	      "the primary destroys the shared pool and its segment; the name is gone");
	rte_memzone_free(rz);
	rte_eal_cleanup();
	return nfailed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "secondary") == 0)
		return secondary(argv[2], argc - 3, argv + 3);
	if (argc >= 4 && strcmp(argv[1], "primary") == 0)
		return primary(argv[2], argv[3], argc - 4, argv + 4);
	fprintf(stderr, "usage: %s primary PREFIX SELF [EAL args]\n", argv[0]);
	return 2;
}
