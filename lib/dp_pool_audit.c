/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Audit: prove that every carved block is in exactly one place (the
 * shared pool, a full magazine, a cache, or handed out). O(carved)
 * time and carved/8 bytes of scratch; holds the pool lock throughout and
 * expects no other call on the pool in flight (caches are read unlocked).
 */
#include <stdlib.h>
#include <string.h>

#include "dp_pool_impl.h"

struct walk {
	struct dp_pool *p;
	unsigned char *seen;
	struct dp_pool_audit a;
};

static void
check_free_entries(struct walk *w, void *const *objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t idx;

		if (dp_blkmap_index(&w->p->map, objs[i], &idx) != DP_OK) {
			w->a.bad_entries++;
			continue;
		}
		if (w->seen[idx / 8] & (1u << (idx % 8))) {
			w->a.duplicates++;
			continue;
		}
		w->seen[idx / 8] |= (unsigned char)(1u << (idx % 8));
		if (w->p->tracked && dp_blkmap_state(&w->p->map, idx) != DP_BLK_FREE)
			w->a.state_mismatch++;
	}
	w->a.free_listed += n;
}

static void
check_cache(struct walk *w, const struct dp_cache *c)
{
	uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);

	if (c->pool != w->p || len > c->flush_at + c->size) {
		w->a.bad_entries++;
		return;
	}
	check_free_entries(w, c->objs, len);
	/* A tracked cache's index of an entry names its state byte: a wrong
	 * one would mark another block handed out at the next get. */
	for (uint32_t i = 0; c->idx != NULL && i < len; i++) {
		size_t idx;

		if (dp_blkmap_index(&w->p->map, c->objs[i], &idx) == DP_OK && idx != c->idx[i])
			w->a.state_mismatch++;
	}
	w->a.in_caches += len;
}

dp_err
dp_pool_audit(struct dp_pool *p, struct dp_pool_audit *out)
{
	struct walk w;
	dp_err err = dp_pool_check_handle(p);

	if (err != DP_OK)
		return err;
	memset(&w, 0, sizeof(w));
	w.p = p;

	dp_spin_lock(&p->lock);
	w.seen = calloc(p->carved / 8 + 1, 1);
	if (w.seen == NULL) {
		dp_spin_unlock(&p->lock);
		return DP_ERR_NO_MEMORY;
	}
	w.a.carved = p->map.nblocks;
	if (dp_shpool_count(&p->free) > p->free.cap ||
	    (p->free.head >= p->free.cap && p->free.cap != 0)) {
		w.a.bad_entries++; /* a ring that cannot be walked without overrunning it */
	} else {
		size_t first = dp_shpool_first_run(&p->free);

		/* slot is NULL while the pool has never had room for a block */
		if (p->free.slot != NULL) {
			check_free_entries(&w, &p->free.slot[p->free.head], first);
			check_free_entries(&w, p->free.slot, dp_shpool_count(&p->free) - first);
		}
	}
	{
		size_t rounds = 0;

		for (const struct dp_mag *m = p->mag_full; m != NULL; m = m->next) {
			check_free_entries(&w, m->objs, m->n);
			rounds += m->n;
		}
		if (rounds != p->mag_rounds)
			w.a.bad_entries++;
	}
	for (unsigned int i = 0; i < p->ncaches; i++) {
		const struct dp_cache *c = dp_pool_lcore_cache_peek(p, i);

		if (c != NULL)
			check_cache(&w, c);
	}
	for (const struct dp_cache *c = p->user_caches; c != NULL; c = c->next)
		check_cache(&w, c);
	if (p->tracked) {
		/* Blocks listed nowhere must read as handed out. */
		for (size_t idx = 0; idx < w.a.carved; idx++)
			if (!(w.seen[idx / 8] & (1u << (idx % 8))) &&
			    dp_blkmap_state(&p->map, idx) != DP_BLK_USED)
				w.a.state_mismatch++;
	}
	w.a.in_use = w.a.carved >= w.a.free_listed ? w.a.carved - w.a.free_listed : 0;
	if (w.a.carved != p->carved || w.a.free_listed > w.a.carved || dp_shpool_count(&p->free) > p->free.cap ||
	    w.a.bad_entries || w.a.duplicates || w.a.state_mismatch)
		err = DP_ERR_CORRUPT;
	dp_spin_unlock(&p->lock);
	free(w.seen);

	if (out != NULL)
		*out = w.a;
	return err;
}
