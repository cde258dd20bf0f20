/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Publishing and checking the mempool ops order (dp_ops_order.h).
 *
 * Why here and not earlier: a -d plugin's constructors run before EAL has
 * memory (nothing to publish to or read from); the vdev probe and the ops
 * run after. Why the ops refuse every pool rather than the one that
 * differs: once the tables differ, mp->ops_index no longer says which
 * process's table made the pool, so no pool is known to be ours.
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "dp_log_drv.h"
#include "dp_ops_order.h"
#include "rte_mempool_dynpool.h"

#define MZ_NAME "dynpool_ops_order"
#define OBJ_LEN 160

/* The primary's table, in shared memory. `ready` is written last. */
struct ops_order {
	uint32_t ready;
	uint32_t num_ops;
	char name[RTE_MEMPOOL_MAX_OPS_IDX][RTE_MEMPOOL_OPS_NAMESIZE];
	char obj[RTE_MEMPOOL_MAX_OPS_IDX][OBJ_LEN]; /* the file that registered it */
};

int dp_ops_order_state = DP_OPS_ORDER_UNKNOWN;
static int published = -ENOENT; /* what dp_mempool_ops_order_check() returns when OK */
static rte_spinlock_t settle_lock = RTE_SPINLOCK_INITIALIZER;
/* While pending, when to look for the primary's table again: a memzone
 * lookup takes EAL's memory lock, too dear for every op. */
static uint64_t next_look;

/* The file (plugin, DPDK library or executable) an ops came from, which is
 * what a user orders with -d or LD_PRELOAD. */
static void
ops_object(const struct rte_mempool_ops *ops, char *out, size_t len)
{
	Dl_info info;
	void *fn = ops->alloc != NULL ? (void *)ops->alloc : (void *)ops->get_count;

	if (fn != NULL && dladdr(fn, &info) != 0 && info.dli_fname != NULL)
		snprintf(out, len, "%s", info.dli_fname);
	else
		snprintf(out, len, "?");
}

static void
describe(char *buf, size_t len, uint32_t n, const char (*name)[RTE_MEMPOOL_OPS_NAMESIZE])
{
	size_t at = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%u %s", i ? ", " : "", i, name[i]);
}

/* The primary's objects in index order, each once: the -d order to give. */
static void
describe_objects(char *buf, size_t len, const struct ops_order *o)
{
	size_t at = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < o->num_ops && at < len; i++)
		if (i == 0 || strcmp(o->obj[i], o->obj[i - 1]) != 0)
			at += (size_t)snprintf(buf + at, len - at, "%s%s (#%u)", i ? ", " : "",
					       o->obj[i], i);
}

static int
publish(void)
{
	const struct rte_memzone *mz;
	struct ops_order *o;

	mz = rte_memzone_reserve(MZ_NAME, sizeof(*o), SOCKET_ID_ANY, 0);
	if (mz == NULL) {
		/* EEXIST: another copy of the driver in this process (linked
		 * in, and the plugin EAL loads) published it: rewrite. */
		mz = rte_errno == EEXIST ? rte_memzone_lookup(MZ_NAME) : NULL;
		if (mz == NULL) {
			DP_DRV_LOG(WARNING, "cannot publish the mempool ops order (%s): secondaries "
					    "cannot check theirs\n", rte_strerror(rte_errno));
			return DP_OPS_ORDER_OK;
		}
		/* Not the driver's (the name is the application's too). */
		if (mz->len < sizeof(*o)) {
			DP_DRV_LOG(WARNING, "cannot publish the mempool ops order: memzone " MZ_NAME
					    " exists with %zu bytes, not the driver's: secondaries "
					    "cannot check theirs\n", mz->len);
			return DP_OPS_ORDER_OK;
		}
	}
	o = mz->addr;
	__atomic_store_n(&o->ready, 0, __ATOMIC_RELEASE);
	o->num_ops = rte_mempool_ops_table.num_ops;
	for (uint32_t i = 0; i < o->num_ops; i++) {
		snprintf(o->name[i], sizeof(o->name[i]), "%s", rte_mempool_ops_table.ops[i].name);
		ops_object(&rte_mempool_ops_table.ops[i], o->obj[i], sizeof(o->obj[i]));
	}
	__atomic_store_n(&o->ready, 1, __ATOMIC_RELEASE);
	published = 0;
	return DP_OPS_ORDER_OK;
}

/* DP_OPS_ORDER_PENDING while the primary has published nothing: its
 * driver may run later (its first pool, made after this process settled),
 * so that verdict is looked at again, not kept. */
static int
check(int first)
{
	char here_names[RTE_MEMPOOL_MAX_OPS_IDX][RTE_MEMPOOL_OPS_NAMESIZE];
	char primary[RTE_MEMPOOL_MAX_OPS_IDX * (RTE_MEMPOOL_OPS_NAMESIZE + 6)];
	char here[sizeof(primary)], objs[RTE_MEMPOOL_MAX_OPS_IDX * (OBJ_LEN + 8)];
	const struct rte_memzone *mz = rte_memzone_lookup(MZ_NAME);
	const struct ops_order *o = mz != NULL && mz->len >= sizeof(*o) ? mz->addr : NULL;
	uint32_t n_here = rte_mempool_ops_table.num_ops, n, i;

	if (o == NULL || !__atomic_load_n(&o->ready, __ATOMIC_ACQUIRE)) {
		if (first)
			DP_DRV_LOG(NOTICE, "the primary published no mempool ops order (the dynpool "
					   "driver has not run there yet): this process's order is "
					   "checked once it has\n");
		published = -ENOENT;
		return DP_OPS_ORDER_PENDING;
	}
	published = 0;
	n = RTE_MIN(n_here, o->num_ops);
	for (i = 0; i < n; i++)
		if (strcmp(o->name[i], rte_mempool_ops_table.ops[i].name) != 0)
			break;
	for (uint32_t k = 0; k < n_here; k++)
		snprintf(here_names[k], sizeof(here_names[k]), "%s",
			 rte_mempool_ops_table.ops[k].name);
	describe(primary, sizeof(primary), o->num_ops, o->name);
	describe(here, sizeof(here), n_here, (const char(*)[RTE_MEMPOOL_OPS_NAMESIZE])here_names);
	if (i < n) {
		describe_objects(objs, sizeof(objs), o);
		DP_DRV_LOG(ERR, "REFUSED: this process registers its mempool ops in another order "
				"than the primary (#%u is %s there, %s here); DPDK finds a pool's ops "
				"by index, so pools would run on the wrong driver and the dynpool ops "
				"refuse every pool here (-EPROTO). Primary: %s. Here: %s. Fix: load "
				"the mempool drivers in the primary's order, before any other "
				"(-d for plugins, LD_PRELOAD for dpdk-dumpcap; an executable below "
				"links the driver: give its plugin): %s\n",
			   i, o->name[i], rte_mempool_ops_table.ops[i].name, primary, here, objs);
		return DP_OPS_ORDER_REFUSED;
	}
	if (n_here != o->num_ops)
		DP_DRV_LOG(WARNING, "this process registers %u mempool ops, the primary %u (same "
				    "order up to #%u): a pool on an ops beyond that fails in the "
				    "other process. Primary: %s. Here: %s\n",
			   n_here, o->num_ops, n - 1, primary, here);
	return DP_OPS_ORDER_OK;
}

static int
settle(int now, int *pub)
{
	int st = __atomic_load_n(&dp_ops_order_state, __ATOMIC_RELAXED);

	if (st == DP_OPS_ORDER_PENDING && !now &&
	    rte_get_timer_cycles() < __atomic_load_n(&next_look, __ATOMIC_RELAXED))
		return 0;
	rte_spinlock_lock(&settle_lock);
	st = __atomic_load_n(&dp_ops_order_state, __ATOMIC_RELAXED);
	if (st == DP_OPS_ORDER_UNKNOWN || st == DP_OPS_ORDER_PENDING) {
		int first = st == DP_OPS_ORDER_UNKNOWN;

		st = rte_eal_process_type() == RTE_PROC_PRIMARY ? publish() : check(first);
		if (st == DP_OPS_ORDER_PENDING)
			__atomic_store_n(&next_look, rte_get_timer_cycles() + rte_get_timer_hz() / 1000,
					 __ATOMIC_RELAXED);
		__atomic_store_n(&dp_ops_order_state, st, __ATOMIC_RELEASE);
	}
	*pub = published; /* another thread's look may change it */
	rte_spinlock_unlock(&settle_lock);
	return st == DP_OPS_ORDER_REFUSED ? -EPROTO : 0;
}

int
dp_ops_order_settle(void)
{
	int pub;

	return settle(0, &pub);
}

int
dp_mempool_ops_order_check(void)
{
	int pub, ret = settle(1, &pub);

	return ret != 0 ? ret : pub;
}
