/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: which pointers are objects of a mempool on the "dynpool" ops,
 * and which of them are in the store, so that enqueue can refuse foreign
 * pointers, pointers into an object and objects already free.
 *
 * Layout (DPDK 22.11 rte_mempool_op_populate_helper, which our populate op
 * calls): objects follow each other at a fixed stride from the chunk's
 * start, and one that would cross a multiple of the mempool's page size
 * (when it is not 0 and the stride fits in a page) starts at that page
 * instead. So a chunk is a first run from its start to the end of its
 * first page, then one run per page, and an object's index is arithmetic.
 * The populate op records each chunk before the helper enqueues its
 * objects, and checks every object the helper hands out against that
 * arithmetic: if DPDK ever lays objects out differently, the pool's
 * checks turn off (logged) instead of refusing legitimate objects.
 *
 * A chunk that continues the last one (DPDK populates a memzone whose
 * pages are not physically contiguous as one chunk per page) extends it,
 * so a fixed pool is one chunk however its memory is split.
 *
 * Readers (every enqueue and dequeue, any lcore, any process) take no
 * lock: the chunk table only grows (it starts afresh only when the
 * mempool has no chunk, hence no object to look up), an entry is written
 * before the count that publishes it, and a table that must be rebuilt
 * (full, or a chunk below the last one) is published whole by pointer,
 * the old one kept until the pool is freed (release/acquire on both).
 */
#ifndef DP_STORE_CHECK_H
#define DP_STORE_CHECK_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mempool.h>

#include "dp_spinlock.h"

#define DP_HIDDEN __attribute__((visibility("hidden")))

struct dp_chunk {
	uintptr_t start;      /* element starts (object header) in [start, end) */
	_Atomic uintptr_t end; /* grows when the next chunk continues this one */
	uintptr_t page1;      /* where the second run starts (0: one run) */
	uint32_t first;       /* index of the chunk's first object */
	uint32_t n0;          /* objects of the first run */
	_Atomic uint32_t count;
};

struct dp_chunk_tab {
	uint32_t cap;
	_Atomic uint32_t n;
	struct dp_chunk_tab *older; /* replaced tables, freed with the pool */
	struct dp_chunk c[];        /* sorted by start */
};

/* Why an object was refused (index into dp_store_check.refused). */
enum dp_refusal { DP_REFUSE_FOREIGN, DP_REFUSE_INTERIOR, DP_REFUSE_DOUBLE, DP_REFUSE_N };

/* Index values that are not indexes. */
#define DP_IX_FOREIGN (UINT32_MAX - DP_REFUSE_FOREIGN)
#define DP_IX_INTERIOR (UINT32_MAX - DP_REFUSE_INTERIOR)
#define DP_IX_DOUBLE (UINT32_MAX - DP_REFUSE_DOUBLE)
#define DP_IX_BAD (UINT32_MAX - DP_REFUSE_N + 1) /* every index >= this is one */

struct dp_store_check {
	_Atomic bool on;       /* false: checks=off, or layout unknown */
	uint32_t header;       /* mp->header_size */
	uint64_t stride;       /* header + element + trailer */
	uint64_t odd_inv;      /* inverse of stride's odd part, modulo 2^64 */
	uint64_t odd_max;      /* UINT64_MAX / odd part */
	unsigned int tz;       /* trailing zero bits of stride */
	unsigned int pg_shift; /* log2 of the page size, 0 for none */
	uint32_t per_page;     /* objects of a run that starts a page */
	_Atomic(struct dp_chunk_tab *) tab;
	/* Chunk of the last lookup that searched: written by lookups, so on a
	 * line of its own, away from what every lookup reads. */
	alignas(RTE_CACHE_LINE_SIZE) _Atomic uint32_t hint;
	/* Under the store's lock: per object index, 1 while in the store;
	 * per store position, the index of the object there (so a dequeue
	 * clears states without looking objects up). */
	alignas(RTE_CACHE_LINE_SIZE) uint8_t *state;
	uint32_t *pos_ix;
	dp_spinlock_t add_lock; /* chunk additions */
	uint32_t next_index;    /* under add_lock */
	_Atomic uint64_t refused[DP_REFUSE_N];
	_Atomic uint64_t last_log; /* timer cycles of the last refusal logged */
};

/* off / stride when stride divides off, else UINT64_MAX: a multiply by
 * the inverse of the odd part instead of a division (exact for any off). */
static inline uint64_t
dp_exact_div(const struct dp_store_check *ck, uint64_t off)
{
	uint64_t q;

	if (off & ((UINT64_C(1) << ck->tz) - 1))
		return UINT64_MAX;
	q = (off >> ck->tz) * ck->odd_inv;
	return q <= ck->odd_max ? q : UINT64_MAX;
}

/* Index of element start a inside chunk c, or DP_IX_INTERIOR. */
static inline uint32_t
dp_chunk_index(const struct dp_store_check *ck, const struct dp_chunk *c, uintptr_t a)
{
	uint64_t q;

	if (c->page1 == 0 || a < c->page1) {
		q = dp_exact_div(ck, a - c->start);
		if (c->page1 != 0 && q >= c->n0)
			return DP_IX_INTERIOR; /* includes UINT64_MAX */
	} else {
		uintptr_t pg = (uintptr_t)1 << ck->pg_shift;
		uint64_t run = (a - c->page1) >> ck->pg_shift;

		q = dp_exact_div(ck, (a - c->page1) & (pg - 1));
		if (q >= ck->per_page)
			return DP_IX_INTERIOR;
		q += c->n0 + run * ck->per_page;
	}
	if (q >= atomic_load_explicit(&c->count, memory_order_acquire))
		return DP_IX_INTERIOR;
	return c->first + (uint32_t)q;
}

/* Object index of obj, or DP_IX_FOREIGN / DP_IX_INTERIOR. Lock-free. */
static inline uint32_t
dp_obj_index(struct dp_store_check *ck, const void *obj)
{
	const struct dp_chunk_tab *t = atomic_load_explicit(&ck->tab, memory_order_acquire);
	uintptr_t a = (uintptr_t)obj - ck->header;
	uint32_t n, h, lo, hi;

	if (unlikely(t == NULL || (uintptr_t)obj < ck->header))
		return DP_IX_FOREIGN;
	n = atomic_load_explicit(&t->n, memory_order_acquire);
	h = atomic_load_explicit(&ck->hint, memory_order_relaxed);
	if (likely(h < n && a >= t->c[h].start &&
		   a < atomic_load_explicit(&t->c[h].end, memory_order_relaxed)))
		return dp_chunk_index(ck, &t->c[h], a);
	/* Last chunk whose start is at or below a. */
	lo = 0;
	hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->c[mid].start <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || a >= atomic_load_explicit(&t->c[lo - 1].end, memory_order_relaxed))
		return DP_IX_FOREIGN;
	atomic_store_explicit(&ck->hint, lo - 1, memory_order_relaxed);
	return dp_chunk_index(ck, &t->c[lo - 1], a);
}

/* Set up for mp (alloc op); `on` false for the unchecked ops. 0 or -ENOMEM. */
DP_HIDDEN
int dp_check_init(struct dp_store_check *ck, struct rte_mempool *mp, bool on);
DP_HIDDEN
void dp_check_fini(struct dp_store_check *ck);

/* The mempool has no chunk (none yet, or a failed populate freed them
 * all, rte_mempool_free_memchunks(), and it is being populated again):
 * forget the chunks and indexes of before. */
DP_HIDDEN
void dp_check_restart(struct dp_store_check *ck, const struct rte_mempool *mp);

/* Record the chunk [vaddr, vaddr + len) before the populate helper lays
 * out up to max_objs objects in it: the index of its first object and how
 * many the helper will place. 0, or a negative errno. */
DP_HIDDEN
int dp_check_add_chunk(struct dp_store_check *ck, struct rte_mempool *mp, void *vaddr,
		       size_t len, unsigned int max_objs, uint32_t *first, uint32_t *count);
/* The helper placed an object, or a number of them, other than the
 * arithmetic expects: turn the pool's checks off (logged). */
DP_HIDDEN
void dp_check_layout_mismatch(struct dp_store_check *ck, const struct rte_mempool *mp,
			      const void *obj);

/* The chunk at `chunk` could not be recorded (err, negative): turn the
 * pool's checks off (logged) rather than fail the populate. */
DP_HIDDEN
void dp_check_give_up(struct dp_store_check *ck, const struct rte_mempool *mp,
		      const void *chunk, int err);

/* Count and log (rate-limited) the refused objects of a burst. */
DP_HIDDEN
void dp_check_report(struct dp_store_check *ck, const struct rte_mempool *mp,
		     void *const *objs, const uint32_t *ix, unsigned int n);

#endif /* DP_STORE_CHECK_H */
