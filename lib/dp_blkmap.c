/* SPDX-License-Identifier: Apache-2.0 */
#include "dp_blkmap.h"
#include "dp_meta.h"
#include "dp_util.h"

#include <stdlib.h>

#include <rte_malloc.h>

#include <unistd.h>

#define CHUNK_BYTES_MAX (((size_t)1 << 32) - 1)
#define TAB_INITIAL_CAP 4
#define STATE_ALIGN 4096 /* a page: tests make the state's pages read-only */

/* Inverse of odd d modulo 2^64 (Newton: each step doubles the bits). */
static uint64_t
odd_inverse(uint64_t d)
{
	uint64_t x = d; /* right to 3 bits: d * d == 1 mod 8 */

	for (int i = 0; i < 5; i++)
		x *= 2 - d * x;
	return x;
}

/* Zeroed state bytes for state_cap blocks (whole 8-byte words) on a page
 * boundary; *mem is what to free. */
static uint8_t *
state_alloc(bool shared, size_t state_cap, void **mem)
{
	size_t bytes = (state_cap + 7) / 8 * sizeof(uint64_t);

	if (shared) {
		*mem = rte_zmalloc("dynpool", bytes, STATE_ALIGN);
		return *mem;
	}
	/* calloc keeps large arrays on untouched zero pages (aligned_alloc
	 * plus memset would touch them all). */
	*mem = calloc(1, bytes + STATE_ALIGN);
	if (*mem == NULL)
		return NULL;
	return (uint8_t *)(((uintptr_t)*mem + STATE_ALIGN - 1) & ~(uintptr_t)(STATE_ALIGN - 1));
}

static struct dp_chunktab *
tab_alloc(const struct dp_blkmap *m, size_t cap)
{
	struct dp_chunktab *t = dp_meta_calloc(m->shared, sizeof(*t) + cap * sizeof(t->c[0]));

	if (t != NULL)
		t->cap = cap;
	return t;
}

dp_err
dp_blkmap_init(struct dp_blkmap *m, size_t fp, size_t state_cap, bool track, bool shared)
{
	struct dp_chunktab *t;

	m->shared = shared;
	t = tab_alloc(m, TAB_INITIAL_CAP);

	if (t == NULL)
		return DP_ERR_NO_MEMORY;
	atomic_init(&t->n, 0);
	atomic_init(&m->tab, t);
	m->retired = NULL;
	m->fp = fp;
	m->k = (uint32_t)__builtin_ctzll(fp);
	m->inv = odd_inverse(fp >> m->k);
	m->must0 = ~(uint64_t)UINT32_MAX | (((uint64_t)1 << m->k) - 1);
	m->chunk_max = CHUNK_BYTES_MAX / fp;
	atomic_init(&m->lo, 0);
	atomic_init(&m->hi, 0);
	atomic_init(&m->n0, 0);
	m->nblocks = 0;
	m->state = NULL;
	m->state_mem = NULL;
	m->state_cap = state_cap;
	if (track && state_cap > 0) {
		m->state = state_alloc(shared, state_cap, &m->state_mem);
		if (m->state == NULL) {
			dp_meta_free(shared, t);
			return DP_ERR_NO_MEMORY;
		}
	}
	return DP_OK;
}

void
dp_blkmap_fini(struct dp_blkmap *m)
{
	struct dp_chunktab *t;

	dp_meta_free(m->shared, atomic_load(&m->tab));
	for (t = m->retired; t != NULL;) {
		struct dp_chunktab *next = t->retired_next;
		dp_meta_free(m->shared, t);
		t = next;
	}
	dp_meta_free(m->shared, m->state_mem);
	m->state_mem = NULL;
	m->state = NULL;
	atomic_store(&m->tab, NULL);
	m->retired = NULL;
}

dp_err
dp_blkmap_reserve(struct dp_blkmap *m, size_t nblocks, size_t nchunks)
{
	struct dp_chunktab *t = atomic_load_explicit(&m->tab, memory_order_relaxed);
	size_t n = atomic_load_explicit(&t->n, memory_order_relaxed);
	/* Worst case: nothing merges and every chunk is as large as allowed,
	 * plus one partial chunk; or the caller knows it needs more. */
	size_t need = DP_MAX(nblocks / m->chunk_max + 1, nchunks), cap;
	struct dp_chunktab *bigger;

	if (m->state != NULL && (m->nblocks > m->state_cap || nblocks > m->state_cap - m->nblocks))
		return DP_ERR_NO_MEMORY; /* cannot happen: the cap bounds every carve */
	if (t->cap - n >= need)
		return DP_OK;
	cap = t->cap;
	while (cap - n < need) {
		if (cap > SIZE_MAX / 2 / sizeof(t->c[0]))
			return DP_ERR_NO_MEMORY;
		cap *= 2;
	}
	bigger = tab_alloc(m, cap);
	if (bigger == NULL)
		return DP_ERR_NO_MEMORY;
	for (size_t i = 0; i < n; i++) {
		bigger->c[i].start = t->c[i].start;
		atomic_init(&bigger->c[i].count, atomic_load(&t->c[i].count));
		bigger->c[i].first = t->c[i].first;
	}
	atomic_init(&bigger->n, n);
	t->retired_next = m->retired;
	m->retired = t;
	atomic_store_explicit(&m->tab, bigger, memory_order_release);
	return DP_OK;
}

/* New chunks that adding n blocks at start takes: the first part may
 * extend the last chunk, the rest is cut at chunk_max. */
static size_t
chunks_needed(const struct dp_blkmap *m, const struct dp_chunktab *t, uintptr_t start, size_t n)
{
	size_t cnt = atomic_load_explicit(&t->n, memory_order_relaxed);

	if (cnt > 0) {
		const struct dp_chunk *last = &t->c[cnt - 1];
		size_t last_count = atomic_load_explicit(&last->count, memory_order_relaxed);

		if (last->start + last_count * m->fp == start) {
			size_t take = DP_MIN(n, m->chunk_max - last_count);
			n -= take;
		}
	}
	return n / m->chunk_max + (n % m->chunk_max != 0);
}

bool
dp_blkmap_has_room(const struct dp_blkmap *m, uintptr_t start, size_t n)
{
	const struct dp_chunktab *t = atomic_load_explicit(&m->tab, memory_order_relaxed);
	size_t cnt = atomic_load_explicit(&t->n, memory_order_relaxed);

	if (m->state != NULL && (m->nblocks > m->state_cap || n > m->state_cap - m->nblocks))
		return false;
	return chunks_needed(m, t, start, n) <= t->cap - cnt;
}

dp_err
dp_blkmap_add(struct dp_blkmap *m, uintptr_t start, size_t n)
{
	struct dp_chunktab *t = atomic_load_explicit(&m->tab, memory_order_relaxed);
	size_t cnt = atomic_load_explicit(&t->n, memory_order_relaxed);

	/* Checked before anything is written: a carve that another user of
	 * the segment cut into more chunks than reserved must not run past
	 * the table (or the state bytes). */
	if (!dp_blkmap_has_room(m, start, n))
		return DP_ERR_NO_MEMORY;
	/* New blocks read free already: their state bytes were never set. */
	if (cnt == 0)
		atomic_store_explicit(&m->lo, start, memory_order_relaxed);

	while (n > 0) {
		struct dp_chunk *last = cnt ? &t->c[cnt - 1] : NULL;
		size_t last_count = last ? atomic_load_explicit(&last->count, memory_order_relaxed) : 0;
		size_t take;

		if (last != NULL && last->start + last_count * m->fp == start &&
		    last_count < m->chunk_max) {
			take = DP_MIN(n, m->chunk_max - last_count);
			atomic_store_explicit(&last->count, last_count + take, memory_order_release);
			if (cnt == 1)
				atomic_store_explicit(&m->n0, last_count + take,
						      memory_order_release);
		} else {
			struct dp_chunk *c = &t->c[cnt]; /* cnt < cap: checked above */

			take = DP_MIN(n, m->chunk_max);
			c->start = start;
			c->first = m->nblocks;
			atomic_store_explicit(&c->count, take, memory_order_relaxed);
			atomic_store_explicit(&t->n, ++cnt, memory_order_release);
			if (cnt == 1) /* after lo: n0's acquire covers it */
				atomic_store_explicit(&m->n0, take, memory_order_release);
		}
		start += take * m->fp;
		m->nblocks += take;
		n -= take;
	}
	atomic_store_explicit(&m->hi, start, memory_order_release);
	return DP_OK;
}

uintptr_t
dp_blkmap_addr(const struct dp_blkmap *m, size_t idx)
{
	const struct dp_chunktab *t = atomic_load_explicit(&m->tab, memory_order_acquire);
	size_t l = 0, r = atomic_load_explicit(&t->n, memory_order_acquire);

	while (r - l > 1) {
		size_t mid = l + (r - l) / 2;
		if (t->c[mid].first <= idx)
			l = mid;
		else
			r = mid;
	}
	return t->c[l].start + (idx - t->c[l].first) * m->fp;
}
