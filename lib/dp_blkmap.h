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
 * O(1). A pointer's offset in a chunk becomes its index by exact division
 * (Granlund and Montgomery, "Division by invariant integers using
 * multiplication", 1994): with fp = d0 * 2^k, d0 odd and inv its inverse
 * modulo 2^64, q = rotr64(off * inv, k) is off / fp when fp divides off,
 * and at least 2^64 / fp otherwise, so "q < count" alone says "a block
 * start of this chunk, and its index" (dp_blkcheck.h). A chunk never spans
 * 4 GiB, so the same test on 32-bit offsets (inv mod 2^32) serves vectors
 * of 32-bit lanes.
 *
 * Readers (every put validates its pointer) run without the pool lock.
 * Writers hold it. Hence: entries are written before the count that
 * publishes them (release/acquire); a full table is copied into a bigger
 * one and the old one retired, never freed, until the map is destroyed;
 * the last chunk's count only grows. A reader that sees an old table or
 * count only misses blocks that were not yet handed out to anyone, so it
 * cannot be holding one of them legitimately.
 *
 * State bytes (tracked pools): one per block, indexed by carve order, 1
 * while the block is handed out, 0 for free and uncarved blocks, so a
 * carve writes nothing. A get marks its blocks with plain byte stores: it
 * holds them, and a byte shares no bits with any other block. A put
 * claims its blocks back with one atomic read-modify-write per 8-byte
 * word its burst touches (dp_blkcheck.h), so of threads freeing one block
 * at once exactly one wins. Byte stores and word read-modify-writes meet
 * on the same memory: both CPUs this runs on (x86, arm64) keep them
 * atomic with respect to each other, and the GCC builtins used for both
 * make the compiler treat them as such. Bytes rather than bits: a get
 * needs no lock and a cache line covers 64 blocks, not 512, so lcores
 * freeing nearby blocks share lines less (bench/results: bits cost twice
 * the cycles of bytes per single-block get and put). Allocated once at
 * creation for the most blocks the pool can ever carve (its maximum, or
 * what fits in the segment's free space at creation), page-aligned, so it
 * never moves under lock-free readers; the C heap backs large arrays with
 * zero pages that are only touched as blocks get carved.
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
	uint64_t inv;           /* fp's odd part's inverse modulo 2^64 */
	uint32_t k;             /* fp = odd part * 2^k */
	uint64_t must0;         /* offset bits no block start of chunk 0 has:
				 * the high half and the k low bits (a
				 * burst check's key, dp_blkcheck.h) */
	size_t fp;
	size_t chunk_max;       /* most blocks in one chunk (< 4 GiB of them) */
	_Atomic uintptr_t lo, hi; /* [first chunk start, last chunk end) */
	_Atomic size_t n0;      /* blocks of chunk 0, which starts at lo: the
				 * whole pool unless it grew around others */
	uint8_t *state;         /* state bytes; NULL when the pool does not track */
	void *state_mem;        /* what was allocated for them */
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

static DP_ALWAYS_INLINE uint64_t
dp_blkmap_rotr(uint64_t x, uint32_t k)
{
	return (x >> k) | (x << ((64 - k) & 63));
}

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
	off = (size_t)dp_blkmap_rotr(off * m->inv, m->k);
	if (off >= count)
		return DP_ERR_NOT_BLOCK_START;
	*idx = c->first + off;
	return DP_OK;
}

/* Block address for an index (audit and tests; O(log chunks)). */
uintptr_t dp_blkmap_addr(const struct dp_blkmap *m, size_t idx);

/* The 8-byte word that holds block idx's state byte. */
static inline uint64_t *
dp_blkmap_word(const struct dp_blkmap *m, size_t idx)
{
	return (uint64_t *)(void *)(m->state + (idx & ~(size_t)7));
}

/* DP_BLK_USED while block idx is handed out, else DP_BLK_FREE (audit,
 * tests; tracked pools only). */
static inline unsigned char
dp_blkmap_state(const struct dp_blkmap *m, size_t idx)
{
	return __atomic_load_n(&m->state[idx], __ATOMIC_RELAXED) ? DP_BLK_USED : DP_BLK_FREE;
}

/* Force block idx's state (tests that corrupt a pool on purpose). */
static inline void
dp_blkmap_set_state(struct dp_blkmap *m, size_t idx, unsigned char s)
{
	__atomic_store_n(&m->state[idx], s == DP_BLK_USED, __ATOMIC_RELAXED);
}

#endif /* DP_BLKMAP_H */
