/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: the mbuf pools, one per socket that has ports. */
#ifndef TP_POOLS_H
#define TP_POOLS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "config.h"

#define TP_MAX_SOCKETS 8

struct tp_pool_stats {
	unsigned int size;       /* carved (elastic: populated) */
	unsigned int maximum;
	unsigned int in_use;
	unsigned int free;       /* in the shared pool */
	unsigned int in_caches;
	unsigned int high_watermark;
	uint64_t grow_events;
	uint64_t grow_failures;
	uint64_t refused_gets;   /* dequeues the pool refused (elastic) */
	const char *stop;        /* why growth stopped, the driver's words */
	size_t memory;           /* bytes of memory behind the pool */
	bool elastic;
};

struct tp_pools {
	struct rte_mempool *mp[TP_MAX_SOCKETS];
	int socket[TP_MAX_SOCKETS];
	unsigned int n;
	unsigned int hwm[TP_MAX_SOCKETS]; /* fixed pools: sampled */
	unsigned int data_room;           /* mbuf data room after NIC rounding */
};

/* Create a pool for each socket in `sockets`. 0 or -1 (message printed). */
int tp_pools_create(struct tp_pools *p, const struct tp_config *c, const int *sockets,
		    unsigned int nsockets);
struct rte_mempool *tp_pool_for_socket(const struct tp_pools *p, int socket);
void tp_pool_stats(struct tp_pools *p, unsigned int i, struct tp_pool_stats *st);
void tp_pools_free(struct tp_pools *p);

#endif /* TP_POOLS_H */
