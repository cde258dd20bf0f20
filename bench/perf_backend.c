/* SPDX-License-Identifier: Apache-2.0 */
#include "perf_backend.h"

#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>

static int seq;
int bench_spread;

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
	size_t fp = (elt_size + 63u) & ~(size_t)63u, len;
	struct dp_pool_params prm;

	/* rte_mempool pads its objects to a line count prime to its memory
	 * channels (2,048-byte elements stride 2,112 bytes, 33 lines); a
	 * 2,048-byte stride puts every object's first line in 2 of the L1's
	 * 64 sets. bench_spread gives dynpool an odd line count too. */
	if (bench_spread && (fp / 64) % 2 == 0)
		fp += 64;
	len = fp * n;
	prm = (struct dp_pool_params){
		.name = "bench", .block_size = fp, .block_align = 64,
		.initial = initial, .maximum = maximum, .cache_size = cache_size,
		.flags = p->b->kind == BK_DYNPOOL_NT	 ? DP_POOL_F_NO_TRACK
			 : p->b->kind == BK_DYNPOOL ? 0
						    : DP_POOL_F_UNCHECKED,
	};
	char name[DP_NAME_MAX];
	dp_err e;

	p->mem = rte_malloc(NULL, len, 4096);
	if (p->mem == NULL)
		return -1;
	snprintf(name, sizeof(name), "bench%d", seq++);
	e = dp_seg_create(name, p->mem, len, 64, &p->seg);
	if (e == DP_OK)
		e = dp_pool_create(p->seg, &prm, &p->dp);
	if (e != DP_OK) {
		fprintf(stderr, "dynpool: %s\n", dp_strerror(e));
		return -1;
	}
	if (p->b->kind == BK_EMU_XCHG || p->b->kind == BK_EMU_LOCK) {
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
