/* SPDX-License-Identifier: Apache-2.0 */
#include "perf_backend.h"

#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>

static int seq;
int bench_no_spread;

static int
mempool_create(struct bpool *p, unsigned int n, unsigned int elt_size, unsigned int cache_size)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "bp%d", seq++);
	p->mp = rte_mempool_create_empty(name, n, elt_size, cache_size, 0, SOCKET_ID_ANY, 0);
	if (p->mp == NULL)
		return -1;
	if (rte_mempool_set_ops_byname(p->mp, p->b->ops, NULL) < 0 ||
	    rte_mempool_populate_default(p->mp) < 0) {
		fprintf(stderr, "mempool %s: %s\n", p->b->ops, rte_strerror(rte_errno));
		rte_mempool_free(p->mp);
		p->mp = NULL;
		return -1;
	}
	return 0;
}

/* dynpool over EAL memory, as rte_mempool uses: a segment of exactly the
 * pool's size, padded to cache lines like mempool objects. */
static int
dynpool_create(struct bpool *p, unsigned int n, unsigned int elt_size, unsigned int cache_size,
	       size_t initial, size_t maximum)
{
	size_t size = (elt_size + 63u) & ~(size_t)63u, fp = size, len;
	struct dp_pool_params prm;
	struct dp_pool_info info;
	bool emu = p->b->kind == BK_EMU_XCHG || p->b->kind == BK_EMU_LOCK;
	bool spread = !bench_no_spread && !emu; /* the emulations index by shift */

	/* The segment is exactly the pool: the stride is dp_pool.h's footprint
	 * rule (one line more from 1 KiB in multiples of 512, unless
	 * DP_POOL_F_NO_SPREAD), checked against dp_pool_info() below. */
	if (spread && fp >= 1024 && fp % 512 == 0)
		fp += 64;
	len = fp * n;
	prm = (struct dp_pool_params){
		.name = "bench", .block_size = size, .block_align = 64,
		.initial = initial, .maximum = maximum, .cache_size = cache_size,
		.flags = p->b->kind == BK_DYNPOOL_NT	 ? DP_POOL_F_NO_TRACK
			 : p->b->kind == BK_DYNPOOL ? 0
						    : DP_POOL_F_UNCHECKED,
	};
	if (!spread)
		prm.flags |= DP_POOL_F_NO_SPREAD;
	char name[DP_NAME_MAX];
	dp_err e;

	p->mem = rte_malloc(NULL, len, 4096);
	if (p->mem == NULL)
		return -1;
	snprintf(name, sizeof(name), "bench%d", seq++);
	e = dp_seg_create(name, p->mem, len, 64, &p->seg);
	if (e == DP_OK)
		e = dp_pool_create(p->seg, &prm, &p->dp);
	if (e == DP_OK)
		e = dp_pool_info(p->dp, &info);
	if (e != DP_OK) {
		fprintf(stderr, "dynpool: %s\n", dp_strerror(e));
		return -1;
	}
	if (info.footprint != fp) {
		fprintf(stderr, "dynpool: stride %zu, the bench assumed %zu\n", info.footprint, fp);
		return -1;
	}
	if (emu) {
		if ((fp & (fp - 1)) != 0)
			return -1; /* the index is a shift */
		p->shift = (unsigned int)__builtin_ctzl(fp);
		p->state = rte_zmalloc(NULL, n, 64);
		p->lock = rte_zmalloc(NULL, 64, 64);
		if (p->state == NULL || p->lock == NULL)
			return -1;
		rte_spinlock_init(p->lock);
	}
	return 0;
}

int
bpool_create(struct bpool *p, const struct backend *b, unsigned int n, unsigned int elt_size,
	     unsigned int cache_size)
{
	*p = (struct bpool){ .b = b };
	if (b->kind == BK_NONE) {
		p->mem = rte_malloc(NULL, 64 * 512, 64);
		return p->mem != NULL ? 0 : -1;
	}
	if (b->kind == BK_MEMPOOL)
		return mempool_create(p, n, elt_size, cache_size);
	return dynpool_create(p, n, elt_size, cache_size, n, n);
}

int
bpool_create_growing(struct bpool *p, const struct backend *b, unsigned int n,
		     unsigned int elt_size)
{
	*p = (struct bpool){ .b = b };
	if (b->kind == BK_MEMPOOL)
		return mempool_create(p, n, elt_size, 0);
	return dynpool_create(p, n, elt_size, 0, 0, DP_POOL_UNLIMITED);
}

void
bpool_free(struct bpool *p)
{
	if (p->mp != NULL)
		rte_mempool_free(p->mp);
	if (p->dp != NULL) {
		(void)!dp_pool_destroy(p->dp);
		(void)!dp_seg_destroy(p->seg);
	}
	rte_free(p->mem);
	rte_free(p->state);
	rte_free(p->lock);
	*p = (struct bpool){ 0 };
}
