/* SPDX-License-Identifier: Apache-2.0 */
/* The slow paths of the store's checks: chunk table, layout, reports. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dp_elastic_cfg.h"
#include "dp_log_drv.h"
#include "dp_mempool_store.h"

int
dp_check_init(struct dp_store_check *ck, struct rte_mempool *mp, bool on)
{
	uint64_t odd, inv;
	size_t pg;

	memset(ck, 0, sizeof(*ck));
	dp_spin_init(&ck->add_lock);
	ck->header = mp->header_size;
	ck->stride = (uint64_t)mp->header_size + mp->elt_size + mp->trailer_size;
	if (!on || ck->stride == 0)
		return 0;
	if (rte_mempool_get_page_size(mp, &pg) < 0)
		return -EINVAL;
	/* Page sizes are powers of two; a run per page only when an object
	 * fits in one (else the helper ignores pages). */
	if (pg != 0 && (pg & (pg - 1)) == 0 && ck->stride <= pg) {
		ck->pg_shift = (unsigned int)__builtin_ctzll(pg);
		ck->per_page = (uint32_t)(pg / ck->stride);
	}
	ck->tz = (unsigned int)__builtin_ctzll(ck->stride);
	odd = ck->stride >> ck->tz;
	inv = odd; /* Newton: each step doubles the correct low bits (3 to 96) */
	for (int i = 0; i < 5; i++)
		inv *= 2 - odd * inv;
	ck->odd_inv = inv;
	ck->odd_max = UINT64_MAX / odd;
	ck->state = rte_zmalloc_socket("dynpool_state", mp->size ? mp->size : 1, 0, mp->socket_id);
	ck->pos_ix = rte_malloc_socket("dynpool_pos", (mp->size ? mp->size : 1) * sizeof(uint32_t),
				       0, mp->socket_id);
	if (ck->state == NULL || ck->pos_ix == NULL) {
		rte_free(ck->state);
		rte_free(ck->pos_ix);
		return -ENOMEM;
	}
	atomic_store_explicit(&ck->on, true, memory_order_relaxed);
	return 0;
}

void
dp_check_fini(struct dp_store_check *ck)
{
	struct dp_chunk_tab *t = atomic_load(&ck->tab);

	while (t != NULL) {
		struct dp_chunk_tab *older = t->older;

		rte_free(t);
		t = older;
	}
	atomic_store(&ck->tab, NULL);
	rte_free(ck->state);
	rte_free(ck->pos_ix);
	ck->state = NULL;
	ck->pos_ix = NULL;
}

void
dp_check_restart(struct dp_store_check *ck, const struct rte_mempool *mp)
{
	struct dp_chunk_tab *t;

	dp_spin_lock(&ck->add_lock);
	t = atomic_load_explicit(&ck->tab, memory_order_relaxed);
	if (t != NULL) /* no object is left to look up */
		atomic_store_explicit(&t->n, 0, memory_order_release);
	ck->next_index = 0;
	memset(ck->state, 0, mp->size ? mp->size : 1);
	dp_spin_unlock(&ck->add_lock);
}

/* How many objects the helper places in [start, end), at most max. */
static uint32_t
predicted(const struct dp_store_check *ck, const struct dp_chunk *c, unsigned int max)
{
	uint64_t n;

	if (c->end - c->start < ck->stride)
		return 0;
	if (c->page1 == 0 || c->end <= c->page1) {
		n = (c->end - c->start) / ck->stride;
	} else {
		uint64_t rest = c->end - c->page1;

		n = c->n0 + (rest >> ck->pg_shift) * ck->per_page +
		    (rest & (((uint64_t)1 << ck->pg_shift) - 1)) / ck->stride;
	}
	return (uint32_t)RTE_MIN(n, (uint64_t)max);
}

/* Whether c lays its objects out exactly as last's arithmetic would past
 * its end, with the next indexes: then last can simply grow. */
static bool
continues(const struct dp_store_check *ck, const struct dp_chunk *last, const struct dp_chunk *c)
{
	uintptr_t end = atomic_load_explicit(&last->end, memory_order_relaxed);
	uint32_t count = atomic_load_explicit(&last->count, memory_order_relaxed);

	if (end != c->start || last->first + count != c->first ||
	    count != predicted(ck, last, UINT32_MAX))
		return false;
	if (ck->pg_shift != 0) /* runs restart at every page */
		return last->page1 != 0 && (c->start & (((uintptr_t)1 << ck->pg_shift) - 1)) == 0;
	return c->start - last->start == (uint64_t)count * ck->stride;
}

static void
copy_chunk(struct dp_chunk *to, const struct dp_chunk *from)
{
	to->start = from->start;
	atomic_init(&to->end, atomic_load_explicit(&from->end, memory_order_relaxed));
	to->page1 = from->page1;
	to->first = from->first;
	to->n0 = from->n0;
	atomic_init(&to->count, atomic_load_explicit(&from->count, memory_order_relaxed));
}

int
dp_check_add_chunk(struct dp_store_check *ck, struct rte_mempool *mp, void *vaddr, size_t len,
		   unsigned int max_objs, uint32_t *first, uint32_t *count)
{
	struct dp_chunk c = { .start = (uintptr_t)vaddr, .end = (uintptr_t)vaddr + len };
	struct dp_chunk_tab *t, *nt;
	struct dp_chunk *last;
	uint32_t n, at;

	if (ck->pg_shift != 0) {
		uintptr_t pg = (uintptr_t)1 << ck->pg_shift;

		c.page1 = (c.start & ~(pg - 1)) + pg;
		c.n0 = (uint32_t)((c.page1 - c.start) / ck->stride);
	}
	dp_spin_lock(&ck->add_lock);
	c.first = ck->next_index;
	atomic_init(&c.count, predicted(ck, &c, max_objs));
	*first = c.first;
	*count = atomic_load(&c.count);
	if (*count == 0) { /* nothing will be placed: nothing to look up */
		dp_spin_unlock(&ck->add_lock);
		return 0;
	}
	if (c.first + (uint64_t)*count > mp->size) {
		dp_spin_unlock(&ck->add_lock);
		return -ENOSPC;
	}
	t = atomic_load_explicit(&ck->tab, memory_order_relaxed);
	n = t != NULL ? atomic_load_explicit(&t->n, memory_order_relaxed) : 0;
	last = n > 0 ? &t->c[n - 1] : NULL;
	if (last != NULL && continues(ck, last, &c)) {
		/* Objects of the new part reach no other lcore before the
		 * helper enqueues them, after both stores. */
		atomic_store_explicit(&last->count, atomic_load(&last->count) + *count,
				      memory_order_release);
		atomic_store_explicit(&last->end, c.end, memory_order_release);
		ck->next_index += *count;
		dp_spin_unlock(&ck->add_lock);
		return 0;
	}
	for (at = n; at > 0 && t->c[at - 1].start > c.start; at--)
		;
	if (t != NULL && at == n && n < t->cap) {
		/* At the end: readers see it once n says so. */
		copy_chunk(&t->c[n], &c);
		atomic_store_explicit(&t->n, n + 1, memory_order_release);
	} else {
		/* Rebuilt whole and published by pointer; readers of the old
		 * table may still be in it, so it stays until the pool goes. */
		uint32_t cap = t == NULL ? 4 : (n < t->cap ? t->cap : t->cap * 2);

		nt = rte_zmalloc_socket("dynpool_chunks", sizeof(*nt) + cap * sizeof(nt->c[0]),
					RTE_CACHE_LINE_SIZE, mp->socket_id);
		if (nt == NULL) {
			dp_spin_unlock(&ck->add_lock);
			return -ENOMEM;
		}
		nt->cap = cap;
		nt->older = t;
		for (uint32_t i = 0, j = 0; i <= n; i++)
			copy_chunk(&nt->c[i], i == at ? &c : &t->c[j++]);
		atomic_init(&nt->n, n + 1);
		atomic_store_explicit(&ck->tab, nt, memory_order_release);
	}
	ck->next_index += *count;
	dp_spin_unlock(&ck->add_lock);
	return 0;
}

void
dp_check_layout_mismatch(struct dp_store_check *ck, const struct rte_mempool *mp,
			 const void *obj)
{
	if (atomic_exchange(&ck->on, false))
		DP_DRV_LOG(ERR, "%s: the populate helper laid out objects where the driver does "
			   "not expect them (near %p): puts to this pool are no longer checked\n",
			   mp->name, obj);
}

void
dp_check_give_up(struct dp_store_check *ck, const struct rte_mempool *mp, const void *chunk,
		 int err)
{
	if (atomic_exchange(&ck->on, false))
		DP_DRV_LOG(ERR, "%s: chunk at %p not recorded (%s): puts to this pool are no "
			   "longer checked\n", mp->name, chunk, strerror(-err));
}

static const char *const why[DP_REFUSE_N] = {
	[DP_REFUSE_FOREIGN] = "not an object of this pool",
	[DP_REFUSE_INTERIOR] = "inside an object, not its start",
	[DP_REFUSE_DOUBLE] = "already free (double free)",
};

void
dp_check_report(struct dp_store_check *ck, const struct rte_mempool *mp, void *const *objs,
		const uint32_t *ix, unsigned int n)
{
	uint64_t now = rte_get_timer_cycles(), last, total = 0;
	const void *shown = NULL;
	unsigned int shown_why = 0, bad = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (ix[i] < DP_IX_BAD)
			continue;
		atomic_fetch_add_explicit(&ck->refused[UINT32_MAX - ix[i]], 1,
					  memory_order_relaxed);
		if (bad++ == 0) {
			shown = objs[i];
			shown_why = UINT32_MAX - ix[i];
		}
	}
	if (bad == 0)
		return;
	for (int r = 0; r < DP_REFUSE_N; r++)
		total += atomic_load_explicit(&ck->refused[r], memory_order_relaxed);
	/* The first refusal, then at most one line a second. */
	last = atomic_load_explicit(&ck->last_log, memory_order_relaxed);
	if (total != bad && now - last < rte_get_timer_hz())
		return;
	if (!atomic_compare_exchange_strong(&ck->last_log, &last, now))
		return;
	DP_DRV_LOG(ERR, "%s: put of %p refused: %s (%u refused in this burst, %" PRIu64
		   " so far; the objects are not stored)\n", mp->name, shown, why[shown_why], bad,
		   total);
}

int
dp_mempool_check_stats(const struct rte_mempool *mp, struct dp_mempool_check_stats *out)
{
	struct dp_store *st;

	if (mp == NULL || out == NULL || !dp_on_store_ops(mp))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	st = mp->pool_data;
	if (st == NULL) { /* not populated yet */
		out->checked = !dp_elastic_cfg()->checks_off;
		return 0;
	}
	out->checked = atomic_load(&st->ck.on);
	out->refused_foreign = atomic_load(&st->ck.refused[DP_REFUSE_FOREIGN]);
	out->refused_interior = atomic_load(&st->ck.refused[DP_REFUSE_INTERIOR]);
	out->refused_double = atomic_load(&st->ck.refused[DP_REFUSE_DOUBLE]);
	return 0;
}
