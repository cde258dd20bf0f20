/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: elastic dynpool pools, or fixed rte_mempools to compare. */
#include "pools.h"

#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dynpool.h"
#include "rte_mempool_dynpool.h"

/* testpmd's default size: (largest rx ring + every forwarding lcore's
 * cache + largest tx ring + largest burst) for every possible port:
 * 155456 mbufs with one forwarding lcore and the default cache. */
static unsigned int
testpmd_default_mbufs(const struct tp_config *c)
{
	unsigned int fwd_lcores = rte_lcore_count() > 1 ? rte_lcore_count() - 1 : 1;

	return (2048 + fwd_lcores * c->mbcache + 2048 + 512) * RTE_MAX_ETHPORTS;
}

int
tp_pools_create(struct tp_pools *p, const struct tp_config *c, const int *sockets,
		unsigned int nsockets)
{
	struct dp_pktbuf_layout layout;
	unsigned int headroom = RTE_PKTMBUF_HEADROOM, room;
	dp_err e;

	memset(p, 0, sizeof(*p));
	/* The NIC writes data_room bytes after the headroom: round that to
	 * its granularity, as dp_pktbuf_layout() does. */
	e = dp_pktbuf_layout(c->mbuf_size - headroom, headroom, 0, c->nic_granularity, 64, &layout);
	if (e != DP_OK) {
		fprintf(stderr, "dynpool-testpmd: --mbuf-size %u with --nic-granularity %u: %s\n",
			c->mbuf_size, c->nic_granularity, dp_strerror(e));
		return -1;
	}
	room = (unsigned int)layout.buf_size;
	p->data_room = room;
	for (unsigned int i = 0; i < nsockets && i < TP_MAX_SOCKETS; i++) {
		char name[RTE_MEMPOOL_NAMESIZE];
		struct rte_mempool *mp;

		snprintf(name, sizeof(name), "mb_pool_%d", sockets[i]);
		if (c->pool == TP_POOL_ELASTIC) {
			unsigned int max = c->pool_max;

			mp = dp_elastic_pktmbuf_pool_create(name, c->pool_init, max, c->mbcache, 0,
							    (uint16_t)room, sockets[i], NULL);
			/* The default maximum, not one asked for, shrinks to
			 * what EAL's memory can hold (--no-huge: -m, at one
			 * mbuf per 4 KiB page). */
			while (mp == NULL && rte_errno == ENOMEM && !c->pool_max_given &&
			       max / 2 >= c->pool_init && max / 2 > 0) {
				max /= 2;
				mp = dp_elastic_pktmbuf_pool_create(name, c->pool_init, max, c->mbcache,
								    0, (uint16_t)room, sockets[i], NULL);
				if (mp != NULL)
					fprintf(stderr, "dynpool-testpmd: %s: maximum lowered to %u mbufs "
							"(EAL's memory cannot hold %u)\n",
						name, max, c->pool_max);
			}
		} else {
			unsigned int n = c->nb_mbufs ? c->nb_mbufs : testpmd_default_mbufs(c);

			mp = rte_pktmbuf_pool_create_by_ops(name, n, c->mbcache, 0, (uint16_t)room,
							    sockets[i], c->pool_ops);
		}
		if (mp == NULL) {
			fprintf(stderr, "dynpool-testpmd: cannot create pool %s (%s): %s\n", name,
				c->pool == TP_POOL_ELASTIC ? "elastic" : c->pool_ops,
				rte_strerror(rte_errno));
			if (rte_errno == ENOENT || rte_errno == EINVAL)
				fprintf(stderr, "  the ops name may be unknown: ring_mp_mc, stack and "
						"dynpool are built in\n");
			tp_pools_free(p);
			return -1;
		}
		p->mp[p->n] = mp;
		p->socket[p->n] = sockets[i];
		p->n++;
	}
	return 0;
}

struct rte_mempool *
tp_pool_for_socket(const struct tp_pools *p, int socket)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->socket[i] == socket)
			return p->mp[i];
	return p->n > 0 ? p->mp[0] : NULL;
}

static unsigned int
cached(const struct rte_mempool *mp)
{
	unsigned int n = 0;

	if (mp->cache_size == 0)
		return 0;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		n += mp->local_cache[l].len;
	return n;
}

void
tp_pool_stats(struct tp_pools *p, unsigned int i, struct tp_pool_stats *st)
{
	struct rte_mempool *mp = p->mp[i];
	struct dp_elastic_stats es;

	memset(st, 0, sizeof(*st));
	st->in_caches = cached(mp);
	if (dp_elastic_stats(mp, &es) == 0) {
		st->size = es.populated;
		st->maximum = es.maximum;
		st->in_use = es.in_use;
		st->free = es.available - RTE_MIN(es.available, st->in_caches);
		st->high_watermark = es.high_watermark;
		st->grow_events = es.grow_events;
		st->grow_failures = es.grow_failures;
		st->refused_gets = es.refused_gets;
		st->stop = dp_elastic_stop_str(es.stop);
		st->memory = es.seg_committed;
		st->elastic = true;
		return;
	}
	st->size = st->maximum = mp->size;
	st->in_use = rte_mempool_in_use_count(mp);
	st->free = rte_mempool_avail_count(mp) - RTE_MIN(rte_mempool_avail_count(mp), st->in_caches);
	if (st->in_use + st->in_caches > p->hwm[i])
		p->hwm[i] = st->in_use + st->in_caches;
	st->high_watermark = p->hwm[i];
	st->memory = (size_t)mp->size * (mp->header_size + mp->elt_size + mp->trailer_size);
}

void
tp_pools_free(struct tp_pools *p)
{
	for (unsigned int i = 0; i < p->n; i++)
		rte_mempool_free(p->mp[i]);
	p->n = 0;
}
