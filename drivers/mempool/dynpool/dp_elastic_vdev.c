/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `--vdev 'dynpool,init=4096,batch=512'`: the EAL command line tunes the
 * pools that unmodified applications make by ops name (dynpool_elastic).
 *
 * A vdev driver so that EAL hands the devargs over during rte_eal_init(),
 * before the application creates a pool. All keys are parsed before any is
 * applied: a bad key or value applies none and marks the configuration bad,
 * so that every pool asked of the elastic ops is refused. (EAL logs the
 * failed probe but does not fail rte_eal_init() on it, in 22.11 as in
 * 25.11: rte_bus_probe() ignores a bus's probe result.)
 *
 * Debian and DPDK's default install ship no driver SDK headers
 * (bus_vdev_driver.h); rte_vdev_register() and struct rte_vdev_driver are
 * the same in 22.11 and 25.11 (checked in the DPDK sources), so without the
 * header this file declares them itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_devargs.h>
#include <rte_kvargs.h>

#include "dp_elastic_cfg.h"
#include "dp_log_drv.h"
#include "dp_ops_order.h"
#include "rte_mempool_dynpool.h"

#if defined(__has_include) && __has_include(<bus_vdev_driver.h>)
#include <bus_vdev_driver.h>
#else
#include <sys/queue.h>
struct rte_vdev_device;
struct dp_rte_driver { /* struct rte_driver, dev_driver.h */
	TAILQ_ENTRY(dp_rte_driver) next;
	const char *name;
	const char *alias;
};
struct rte_vdev_driver { /* bus_vdev_driver.h */
	TAILQ_ENTRY(rte_vdev_driver) next;
	struct dp_rte_driver driver;
	int (*probe)(struct rte_vdev_device *dev);
	int (*remove)(struct rte_vdev_device *dev);
	int (*dma_map)(struct rte_vdev_device *dev, void *addr, uint64_t iova, size_t len);
	int (*dma_unmap)(struct rte_vdev_device *dev, void *addr, uint64_t iova, size_t len);
	uint32_t drv_flags;
};
void rte_vdev_register(struct rte_vdev_driver *driver);
#endif

#define DRV_NAME "dynpool"

static struct dp_elastic_cfg cfg;
static bool probed;

const struct dp_elastic_cfg *
dp_elastic_cfg(void)
{
	return &cfg;
}

unsigned int
dp_elastic_cfg_initial(const struct dp_elastic_cfg *c, unsigned int n)
{
	uint64_t want = c->init_pct != 0 ? (uint64_t)n * c->init_pct / 100 :
		       c->init != 0     ? c->init :
					  512;

	return (unsigned int)RTE_MAX((uint64_t)1, RTE_MIN(want, (uint64_t)n));
}

/* A count 1 .. UINT32_MAX, or (pct != NULL) "P%" with P 1 .. 100. */
static int
parse_count(const char *v, unsigned int *out, unsigned int *pct)
{
	char *end;
	unsigned long long x;

	if (v == NULL || *v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno != 0 || x == 0 || x > UINT32_MAX)
		return -EINVAL;
	if (pct != NULL && strcmp(end, "%") == 0) {
		if (x > 100)
			return -EINVAL;
		*pct = (unsigned int)x;
		return 0;
	}
	if (*end != '\0')
		return -EINVAL;
	*out = (unsigned int)x;
	return 0;
}

static int
parse_pair(struct dp_elastic_cfg *c, const char *key, const char *value)
{
	if (strcmp(key, "init") == 0) {
		if (parse_count(value, &c->init, &c->init_pct) == 0)
			return 0;
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": init=%s: want a count 1..%u or a percent "
				"1%%..100%% of the pool\n",
			   value ? value : "", UINT32_MAX);
	} else if (strcmp(key, "batch") == 0) {
		if (parse_count(value, &c->batch, NULL) == 0)
			return 0;
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": batch=%s: want a count 1..%u\n",
			   value ? value : "", UINT32_MAX);
	} else if (strcmp(key, "cool") == 0) {
		if (parse_count(value, &c->cool, NULL) == 0)
			return 0;
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": cool=%s: want a count 1..%u\n",
			   value ? value : "", UINT32_MAX);
	} else if (strcmp(key, "others") == 0) {
		if (value != NULL && (strcmp(value, "fixed") == 0 || strcmp(value, "refuse") == 0)) {
			c->refuse_others = strcmp(value, "refuse") == 0;
			return 0;
		}
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": others=%s: want fixed or refuse\n",
			   value ? value : "");
	} else if (strcmp(key, "checks") == 0) {
		if (value != NULL && (strcmp(value, "on") == 0 || strcmp(value, "off") == 0)) {
			c->checks_off = strcmp(value, "off") == 0;
			return 0;
		}
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": checks=%s: want on or off\n",
			   value ? value : "");
	} else {
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": unknown key '%s' (keys: init, batch, cool, "
				"others, checks)\n",
			   key);
	}
	return -EINVAL;
}

static int
parse_args(const char *args, struct dp_elastic_cfg *c)
{
	struct rte_kvargs *kv;
	int ret = 0;

	if (args == NULL || args[0] == '\0')
		return 0;
	/* No key list: rte_kvargs_parse() would refuse an unknown key
	 * without saying which. */
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ",%s: not a key=value list\n", args);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < kv->count && ret == 0; i++) {
		const char *k = kv->pairs[i].key;

		if (rte_kvargs_count(kv, k) > 1) {
			DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": key '%s' given twice\n", k);
			ret = -EINVAL;
		} else {
			ret = parse_pair(c, k, kv->pairs[i].value);
		}
	}
	rte_kvargs_free(kv);
	return ret;
}

/* The devargs of our device, through the public devargs list. */
static const char *
our_args(void)
{
	struct rte_devargs *da;

	RTE_EAL_DEVARGS_FOREACH("vdev", da)
		if (strncmp(da->name, DRV_NAME, strlen(DRV_NAME)) == 0)
			return da->args;
	return NULL;
}

static int
dp_vdev_probe(struct rte_vdev_device *dev)
{
	struct dp_elastic_cfg c = { 0 };
	int ret;

	(void)dev;
	/* The probe runs after EAL has memory, before the application makes
	 * or looks up a pool: publish the ops order, or check this process's. */
	if (dp_ops_order_settle() != 0)
		return -EPROTO;
	if (probed) {
		DP_DRV_LOG(ERR, "--vdev " DRV_NAME ": given twice; give one device with all "
				"keys\n");
		cfg.bad = true;
		return -EINVAL;
	}
	probed = true;
	ret = parse_args(our_args(), &c);
	if (ret != 0) {
		/* Nothing applied; pools asked of the elastic ops fail. */
		cfg.bad = true;
		return ret;
	}
	cfg = c;
	DP_DRV_LOG(INFO, "pools by ops name " DP_ELASTIC_OPS_NAME ": init=%u%s batch=%u others=%s; "
			 "store checks %s\n",
		   c.init_pct ? c.init_pct : c.init, c.init_pct ? "%" : "", c.batch,
		   c.refuse_others ? "refuse" : "fixed", c.checks_off ? "off" : "on");
	return 0;
}

static int
dp_vdev_remove(struct rte_vdev_device *dev)
{
	(void)dev;
	return 0;
}

static struct rte_vdev_driver dp_vdev_drv = {
	.probe = dp_vdev_probe,
	.remove = dp_vdev_remove,
};

RTE_INIT(dp_vdev_register)
{
	dp_vdev_drv.driver.name = DRV_NAME;
	rte_vdev_register(&dp_vdev_drv);
}
