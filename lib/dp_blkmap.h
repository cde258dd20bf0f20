/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_blkmap.h
 * Block map (internal; public only for the inline fast path): which
 * addresses are blocks of a pool, and each block's state.
 *
 * A pool's blocks live in chunks, one per carve, at footprint intervals.
 * Because a segment only bumps forward (reset is refused while pools
 * exist), chunks are carved at increasing addresses: the chunk table is
 * sorted by construction and a pointer finds its chunk by binary search.
 * A carve that lands right after the pool's last chunk extends it, so a
 * pool growing alone on its segment stays a single chunk and the lookup is
 * O(1). A chunk never spans 4 GiB, which lets the offset-to-index division
 * use a 64-bit multiply (Lemire et al., "Faster remainder by direct
 * computation", 2019) instead of a divide.
 *
 * Readers (every put validates its pointer) run without the pool lock.
 * Writers hold it. Hence: entries are written before the count that
 * publishes them (release/acquire); a full table is copied into a bigger
 * one and the old one retired, never freed, until the map is destroyed;
 * the last chunk's count only grows. A reader that sees an old table or
 * count only misses blocks that were not yet handed out to anyone, so it
 * cannot be holding one of them legitimately.
 *
 * State bytes (tracked pools): one per block, indexed by carve order,
 * written USED by the getter (plain store: it owns the block) and turned
 * FREE by an atomic exchange on put (dp_blkmap_claim()),
 * allocated once at creation for the most blocks the pool can ever carve
 * (its maximum, or what fits in the segment's free space at creation), so
 * they never move under lock-free readers. The C heap backs large arrays
 * with zero pages that are only touched as blocks get carved.
 */
#ifndef DP_BLKMAP_H
#define DP_BLKMAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_err.h"
#include "dp_compiler.h"

enum dp_blk_state {
	DP_BLK_UNCARVED = 0,
	DP_BLK_FREE = 1,
	DP_BLK_USED = 2,
};

struct dp_chunk {
	uintptr_t start;
	_Atomic size_t count; /* grows in place when a carve extends the chunk */
	size_t first;         /* block index of the chunk's first block */
};

struct dp_chunktab {
	_Atomic size_t n;
	size_t cap;
	struct dp_chunktab *retired_next;
	struct dp_chunk c[];
};

struct dp_blkmap {
	_Atomic(struct dp_chunktab *) tab;
	struct dp_chunktab *retired;
	uint64_t fp_inv;        /* UINT64_MAX / fp + 1 */
	size_t fp;
	size_t chunk_max;       /* most blocks in one chunk (< 4 GiB of them) */
	_Atomic uintptr_t lo, hi; /* [first chunk start, last chunk end) */
	_Atomic size_t span0;   /* bytes of chunk 0, which starts at lo: the
				 * whole pool unless it grew around others */
	atomic_uchar *state;    /* NULL when the pool does not track */
	size_t state_cap;
	size_t nblocks;         /* blocks added so far; writers only */
	bool shared;            /* tables on DPDK's shared heap (dp_meta.h) */
};

dp_err dp_blkmap_init(struct dp_blkmap *m, size_t fp, size_t state_cap, bool track,
		      bool shared);
void dp_blkmap_fini(struct dp_blkmap *m);

/* Make sure adding `nblocks` more blocks in up to `nchunks` separate
 * chunks cannot fail. Writers only. */
dp_err dp_blkmap_reserve(struct dp_blkmap *m, size_t nblocks, size_t nchunks);

/* Room for `n` more blocks at `start` in the table as it is (no growth):
 * the new chunks they need and their state bytes. Writers only. */
bool dp_blkmap_has_room(const struct dp_blkmap *m, uintptr_t start, size_t n);

/* Record `n` blocks at `start`, mark them free. Bounded: NO_MEMORY, with
 * nothing written, when the table or the state bytes lack room (a reserve
 * for at least n blocks in one more chunk guarantees it). Writers only. */
dp_err dp_blkmap_add(struct dp_blkmap *m, uintptr_t start, size_t n);

/* Index of the block starting at p, or NOT_IN_POOL / NOT_BLOCK_START. */
static inline dp_err
dp_blkmap_index(const struct dp_blkmap *m, const void *ptr, size_t *idx)
{
	uintptr_t p = (uintptr_t)ptr;
	uintptr_t hi = atomic_load_explicit(&m->hi, memory_order_acquire);
	uintptr_t lo = atomic_load_explicit(&m->lo, memory_order_relaxed);
	const struct dp_chunktab *t;
	const struct dp_chunk *c;
	size_t l, r, off, count;

	if (p - lo >= hi - lo) /* also rejects everything while hi == lo */
		return DP_ERR_NOT_IN_POOL;
	t = atomic_load_explicit(&m->tab, memory_order_acquire);
	r = atomic_load_explicit(&t->n, memory_order_acquire);
	l = 0;
	/* Last chunk whose start is <= p; c[0].start == lo <= p. */
	while (r - l > 1) {
		size_t mid = l + (r - l) / 2;
		if (t->c[mid].start <= p)
			l = mid;
		else
			r = mid;
	}
	c = &t->c[l];
	off = p - c->start;
	count = atomic_load_explicit(&c->count, memory_order_acquire);
	if (off >= count * m->fp)
		return DP_ERR_NOT_IN_POOL; /* in a gap between chunks */
	/* off < 2^32 and fp < 2^32: the product's low half decides
	 * divisibility and its high half is the exact quotient. */
	if ((uint64_t)off * m->fp_inv >= m->fp_inv)
		return DP_ERR_NOT_BLOCK_START;
	*idx = c->first + (size_t)(((unsigned __int128)off * m->fp_inv) >> 64);
	return DP_OK;
}

/*
 * Fast check of a batch against chunk 0 only: true if every pointer is a
 * block start there. Branch-free per pointer (a subtract, a compare and a
 * multiply), so a burst of 32 costs little more than copying it. A false
 * answer means "ask dp_blkmap_index()", not "invalid".
 */
static DP_ALWAYS_INLINE bool
dp_blkmap_all_in_chunk0(const struct dp_blkmap *m, void *const *ptrs, size_t n)
{
	/* span0 first: its acquire covers lo, stored before span0's release. */
	size_t span = atomic_load_explicit(&m->span0, memory_order_acquire);
	uintptr_t lo = atomic_load_explicit(&m->lo, memory_order_relaxed);
	uint64_t inv = m->fp_inv, bad = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t off = (uintptr_t)ptrs[i] - lo;

		bad |= (uint64_t)(off >= span) | (uint64_t)(off * inv >= inv);
	}
	return bad == 0;
}

/* Block address for an index (audit and tests; O(log chunks)). */
uintptr_t dp_blkmap_addr(const struct dp_blkmap *m, size_t idx);

static inline unsigned char
dp_blkmap_state(const struct dp_blkmap *m, size_t idx)
{
	return atomic_load_explicit(&m->state[idx], memory_order_relaxed);
}

static inline void
dp_blkmap_set_state(struct dp_blkmap *m, size_t idx, unsigned char s)
{
	atomic_store_explicit(&m->state[idx], s, memory_order_relaxed);
}

/* Mark a carved block free and return its state before: DP_BLK_USED when
 * this call freed it. One atomic exchange, so of any number of threads
 * freeing one block at once exactly one reads USED. (A free block only
 * reads FREE and is written FREE again: nothing changes.) */
static DP_ALWAYS_INLINE unsigned char
dp_blkmap_claim(atomic_uchar *state, size_t idx)
{
	return atomic_exchange_explicit(&state[idx], DP_BLK_FREE, memory_order_relaxed);
}

#endif /* DP_BLKMAP_H */
