/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: how pools made by ops name are tuned (--vdev dynpool,...). */
#ifndef DP_ELASTIC_CFG_H
#define DP_ELASTIC_CFG_H

#include <stdbool.h>

struct dp_elastic_cfg {
	unsigned int init;     /* initial mbufs (0: init_pct or the default) */
	unsigned int init_pct; /* initial mbufs, percent of n (0: unset) */
	unsigned int batch;    /* mbufs per growth (0: the API's default) */
	unsigned int cool;     /* grow while fewer free mbufs than this (0: off) */
	bool refuse_others;    /* pools that are not mbuf pools: refused */
	bool checks_off;       /* the store takes puts unchecked (checks=off) */
	bool bad;              /* the devargs were refused: refuse every pool */
};

/* The configuration in force (defaults until a dynpool vdev is probed). */
__attribute__((visibility("hidden"))) const struct dp_elastic_cfg *dp_elastic_cfg(void);

/* Initial mbufs of a pool of n under @p c (at least 1, at most n). */
__attribute__((visibility("hidden"))) unsigned int
dp_elastic_cfg_initial(const struct dp_elastic_cfg *c, unsigned int n);

#endif /* DP_ELASTIC_CFG_H */
