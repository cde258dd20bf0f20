/* SPDX-License-Identifier: Apache-2.0 */
/* Cache life cycle: lcore caches (made on first use) and user caches. */
#include <stdlib.h>

#include <rte_lcore.h>

#include "dp_meta.h"
#include "dp_pool_impl.h"

static struct dp_cache *
cache_new(struct dp_pool *p, uint32_t size, bool user)
{
	/* Room for flush_at (2 x size) blocks plus one more put of size,
	 * and as many indices after them on a tracked pool. */
	size_t slots = (size_t)3 * size;
	size_t bytes = sizeof(struct dp_cache) + slots * sizeof(void *);
	struct dp_cache *c;

	if (p->tracked)
		bytes += slots * sizeof(uint32_t);
	bytes = (bytes + DP_CACHELINE - 1) & ~(size_t)(DP_CACHELINE - 1);
	c = dp_meta_alloc(p->hot_dpdk, bytes, DP_CACHELINE);
	if (c == NULL)
		return NULL;
	c->idx = p->tracked ? (uint32_t *)(void *)&c->objs[slots] : NULL;
	atomic_init(&c->len, 0);
	c->size = size;
	c->flush_at = 2 * size;
	c->refill_to = size;
	c->bypass = size;
	c->user = user;
	c->pool = p;
	c->next = NULL;
	c->spare = NULL;
	return c;
}

static void
cache_free(struct dp_pool *p, struct dp_cache *c)
{
	c->pool = NULL;
	dp_meta_free(p->hot_dpdk, c->spare);
	dp_meta_free(p->hot_dpdk, c);
}

/*
 * An lcore's cache is made on its first call, by that lcore only, so its
 * slot has a single writer; the cache comes from the lcore's own socket
 * when it is on DPDK's heap. Should the allocation fail, the call goes on
 * uncached and the next one tries again.
 */
static struct dp_cache *
lcore_cache_make(struct dp_pool *p)
{
	unsigned int id = rte_lcore_id();
	struct dp_cache *c;

	if (dp_pool_check_handle(p) != DP_OK || id >= p->ncaches)
		return NULL;
	c = p->lcache[id]; /* our own slot */
	if (c != NULL)
		return c;
	c = cache_new(p, p->cache_size, false);
	if (c == NULL)
		return NULL;
	__atomic_store_n(&p->lcache[id], c, __ATOMIC_RELEASE);
	return c;
}

dp_err
dp_pool__lcore_get_slow(struct dp_pool *p, void **blks, size_t n)
{
	return dp_pool__get_slow(p, lcore_cache_make(p), blks, n);
}

dp_err
dp_pool__lcore_put_slow(struct dp_pool *p, void *const *blks, size_t n)
{
	return dp_pool__put_slow(p, lcore_cache_make(p), blks, n);
}

struct dp_cache *
dp_pool_lcore_cache_peek(const struct dp_pool *p, unsigned int lcore_id)
{
	return lcore_id < p->ncaches
		       ? __atomic_load_n(&p->lcache[lcore_id], __ATOMIC_ACQUIRE)
		       : NULL;
}

void
dp_pool_caches_free(struct dp_pool *p)
{
	while (p->user_caches != NULL) {
		struct dp_cache *c = p->user_caches;

		p->user_caches = c->next;
		cache_free(p, c);
	}
	for (unsigned int i = 0; i < DP_MAX_LCORE; i++) {
		struct dp_cache *c = __atomic_load_n(&p->lcache[i], __ATOMIC_ACQUIRE);

		if (c != NULL) {
			cache_free(p, c);
			__atomic_store_n(&p->lcache[i], NULL, __ATOMIC_RELAXED);
		}
	}
}

dp_err
dp_pool_cache_drain(struct dp_pool *p, unsigned int lcore_id)
{
	dp_err err = dp_pool_check_handle(p);
	struct dp_cache *c;

	if (err != DP_OK)
		return err;
	if (lcore_id >= p->ncaches)
		return DP_ERR_INVALID_LCORE;
	c = dp_pool_lcore_cache_peek(p, lcore_id);
	if (c == NULL) /* that lcore never used the pool */
		return DP_OK;
	return dp_cache_flush_some(p, c, atomic_load_explicit(&c->len, memory_order_relaxed));
}

dp_err
dp_pool_cache_drain_all(struct dp_pool *p)
{
	dp_err err = dp_pool_check_handle(p);

	for (unsigned int i = 0; err == DP_OK && i < p->ncaches; i++)
		err = dp_pool_cache_drain(p, i);
	return err;
}

dp_err
dp_cache_create(struct dp_pool *p, unsigned int size, struct dp_cache **out)
{
	dp_err err = dp_pool_check_handle(p);
	struct dp_cache *c;

	if (err != DP_OK)
		return err;
	if (out == NULL)
		return DP_ERR_NULL_PTR;
	if (size == 0 || size > DP_CACHE_MAX)
		return DP_ERR_INVALID_SIZE;
	c = cache_new(p, size, true);
	if (c == NULL)
		return DP_ERR_NO_MEMORY;
	dp_spin_lock(&p->lock);
	c->next = p->user_caches;
	p->user_caches = c;
	dp_spin_unlock(&p->lock);
	*out = c;
	return DP_OK;
}

static dp_err
check_user_cache(const struct dp_pool *p, const struct dp_cache *c)
{
	dp_err err = dp_pool_check_handle(p);

	if (err != DP_OK)
		return err;
	if (c == NULL)
		return DP_ERR_NULL_PTR;
	return c->pool == p && c->user ? DP_OK : DP_ERR_INVALID_CACHE;
}

dp_err
dp_cache_flush(struct dp_pool *p, struct dp_cache *c)
{
	dp_err err = check_user_cache(p, c);

	if (err != DP_OK)
		return err;
	return dp_cache_flush_some(p, c, atomic_load_explicit(&c->len, memory_order_relaxed));
}

dp_err
dp_cache_destroy(struct dp_pool *p, struct dp_cache *c)
{
	dp_err err = dp_cache_flush(p, c);

	if (err != DP_OK)
		return err;
	dp_spin_lock(&p->lock);
	for (struct dp_cache **pp = &p->user_caches; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	dp_spin_unlock(&p->lock);
	cache_free(p, c);
	return DP_OK;
}
