/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Magazine depot: how lcore caches trade runs of blocks with the shared
 * pool without copying under the lock.
 *
 * A cache flushing copies its `cache_size` newest blocks into its spare
 * magazine first, then, under the lock, links the magazine into the full
 * list and takes an empty one as its next spare. (Newest, not oldest: the
 * oldest would leave a hole to close with a memmove of the rest, which
 * measured as the largest remaining cost of a flush; see doc/design.md.) A cache refilling takes
 * a full magazine under the lock (handing in its spare) and copies the
 * blocks out afterwards. The lock is held for a few pointer swaps, whatever
 * the magazine size, and the cross-core traffic of moving the pointers
 * happens outside it: that is what lets a producer lcore and a consumer
 * lcore trade blocks without queueing behind each other's copies.
 *
 * Counting: a block leaves a cache (its length drops, under the lock)
 * when its magazine enters the full list, and enters a cache (after the
 * lock) only after its magazine left the list, so the blocks out of the
 * shared pool, counted under the lock, stay exact. (A sum of the cache
 * lengths does not: blocks also pass between caches through their users.) Magazines are allocated on demand and only freed
 * with the pool; there are at most about carved / cache_size full ones plus
 * one spare per cache.
 */
#include "dp_meta.h"
#include "dp_pool_impl.h"

static struct dp_mag *
mag_alloc(const struct dp_pool *p, uint32_t size)
{
	struct dp_mag *m = dp_meta_alloc(p->hot_dpdk, sizeof(*m) + (size_t)size * sizeof(void *),
					 sizeof(void *));

	if (m != NULL) {
		m->next = NULL;
		m->n = 0;
	}
	return m;
}

bool
dp_mag_refill(struct dp_pool *p, struct dp_cache *c)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);
	struct dp_mag *m;

	dp_spin_lock(&p->lock);
	m = p->mag_full;
	if (m != NULL) {
		p->mag_full = m->next;
		p->mag_rounds -= m->n;
		if (c->spare != NULL) {
			c->spare->next = p->mag_empty;
			p->mag_empty = c->spare;
			c->spare = NULL;
		}
		dp_pool_note_out(p);
	}
	dp_spin_unlock(&p->lock);
	if (m == NULL)
		return false;
	dp_copy_ptrs(&c->objs[len], m->objs, m->n);
	if (c->idx != NULL)
		dp_blkcheck_index(p, m->objs, m->n, &c->idx[len]);
	atomic_store_explicit(&c->len, len + m->n, memory_order_relaxed);
	c->spare = m; /* its n is stale until a flush sets it: writing it now
		       * would pull its line back from the lcore that filled it */
	return true;
}

dp_err
dp_mag_flush(struct dp_pool *p, struct dp_cache *c)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed), k = p->cache_size;
	struct dp_mag *m = c->spare;
	dp_err err = DP_OK;

	if (m == NULL) {
		dp_spin_lock(&p->lock);
		m = p->mag_empty;
		if (m != NULL)
			p->mag_empty = m->next;
		dp_spin_unlock(&p->lock);
		if (m == NULL && (m = mag_alloc(p, k)) == NULL)
			return DP_ERR_NO_MEMORY;
		c->spare = m;
	}
	dp_copy_ptrs(m->objs, &c->objs[len - k], k);
	m->n = k;
	m->owner = rte_lcore_id();

	dp_spin_lock(&p->lock);
	if (dp_pool_out_locked(p) < k) {
		err = dp_pool_surplus_error(p); /* untracked double frees only */
		m->n = 0;
	} else {
		m->next = p->mag_full;
		p->mag_full = m;
		p->mag_rounds += k;
		atomic_store_explicit(&c->len, len - k, memory_order_relaxed);
		c->spare = p->mag_empty;
		if (c->spare != NULL)
			p->mag_empty = c->spare->next;
	}
	dp_spin_unlock(&p->lock);
	return err;
}

void
dp_mag_break_locked(struct dp_pool *p, size_t need)
{
	while (dp_shpool_count(&p->free) < need && p->mag_full != NULL) {
		struct dp_mag *m = p->mag_full;

		p->mag_full = m->next;
		/* free.cap >= carved >= free.n + mag_rounds: room for it all. */
		dp_shpool_put(&p->free, m->objs, m->n, m->owner);
		p->mag_rounds -= m->n;
		m->n = 0;
		m->next = p->mag_empty;
		p->mag_empty = m;
	}
}

static void
free_list(const struct dp_pool *p, struct dp_mag *m)
{
	while (m != NULL) {
		struct dp_mag *next = m->next;
		dp_meta_free(p->hot_dpdk, m);
		m = next;
	}
}

void
dp_mag_free_all(struct dp_pool *p)
{
	free_list(p, p->mag_full);
	free_list(p, p->mag_empty);
	p->mag_full = p->mag_empty = NULL;
	p->mag_rounds = 0;
}
