/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_blkcheck.h
 * "Is this a live block of this pool": the one home of the checks on put
 * and of the state bits (internal; public only for the inline fast path).
 * The usual case inline here, everything else in dp_blkcheck.c.
 *
 * Check: a burst of pointers all in the pool's first chunk costs four
 * operations each, a subtract, a multiply, a rotate and an unsigned
 * maximum (dp_blkmap.h: exact division), and one compare per burst. The
 * result is each block's index. Bursts of DP_BLKCHECK_VEC_MIN or more go
 * through the widest variant this CPU and EAL's SIMD limit allow
 * (dp_blkcheck_select(): scalar, AVX2 on 32-bit lanes, AVX-512 on 64-bit
 * lanes), shorter ones through the scalar loop inline.
 *
 * Track: a run of consecutive blocks of a burst in one 64-bit word of
 * state bits is one mask and one atomic read-modify-write: fetch_or on
 * get, fetch_and on put. A put is refused as a double free when a bit of
 * its mask was already clear in the word it cleared (a repeat within a
 * run shows in the mask itself), and its undo sets back exactly the bits
 * it cleared. So of any number of threads freeing one block at once,
 * exactly one clears its bit.
 */
#ifndef DP_BLKCHECK_H
#define DP_BLKCHECK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_blkmap.h"
#include "dp_compiler.h"
#include "dp_err.h"
#include "dp_pool_types.h"

/** Most pointers the inline path checks at once; longer bursts go out of line. */
#define DP_BLKCHECK_BURST 64
/** Shortest burst handed to the vector variant. */
#define DP_BLKCHECK_VEC_MIN 8

/** What a check of chunk 0 needs, read once per burst. */
struct dp_blkcheck_key {
	uintptr_t lo;
	uint64_t inv;
	uint64_t n0; /**< blocks of chunk 0; 0 fails every pointer */
	uint32_t k;
};

/** A burst's state bits in words w and w + 1, when every index of the
 *  burst falls there (so they flip with one or two atomic operations);
 *  w == DP_BLKCHECK_NO_WORD otherwise, or when not computed. */
struct dp_blkcheck_masks {
	uint64_t m[2];
	uint32_t w;
};
#define DP_BLKCHECK_NO_WORD UINT32_MAX

/** First of the two words the masks of a burst whose first index is i0 use:
 *  the window [64 w, 64 w + 128) holds any run of 33 blocks around i0. */
static DP_ALWAYS_INLINE uint32_t
dp_blkcheck_base_word(uint32_t i0)
{
	uint32_t w = (uint32_t)(((uint64_t)i0 + 32) / 64);

	return w > 0 ? w - 1 : 0;
}

/** A burst check: true iff every ptrs[i] is a block start of chunk 0;
 *  idx[i] receives its index (meaningless for a false answer). With
 *  @p masks non-NULL, also the masks when the burst allows them. */
typedef bool (*dp_blkcheck_fn)(const struct dp_blkcheck_key *key, void *const *ptrs,
			       size_t n, uint32_t *idx, struct dp_blkcheck_masks *masks);

/** Variants, for dp_blkcheck_select() and tests. */
enum dp_blkcheck_isa {
	DP_BLKCHECK_SCALAR,
	DP_BLKCHECK_AVX2,
	DP_BLKCHECK_AVX512,
};

/** @cond INTERNAL */
extern dp_blkcheck_fn dp_blkcheck__vec;
bool dp_blkcheck_scalar(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
			uint32_t *idx, struct dp_blkcheck_masks *masks);
/** The variant's function, or NULL if this build or CPU lacks it. */
dp_blkcheck_fn dp_blkcheck_variant(enum dp_blkcheck_isa isa);
/** Pick the widest variant the CPU and rte_vect_get_max_simd_bitwidth()
 *  allow for bursts (made at each pool creation and lookup); returns it. */
enum dp_blkcheck_isa dp_blkcheck_select(void);

dp_err dp_blkcheck__put_slow(struct dp_pool *p, void *const *blks, size_t n);
dp_err dp_blkcheck__refused(struct dp_pool *p, size_t n, dp_err err);
void dp_blkcheck__get_slow(struct dp_pool *p, void *const *blks, size_t n);
/** @endcond */

static DP_ALWAYS_INLINE void
dp_blkcheck_key_load(const struct dp_blkmap *m, struct dp_blkcheck_key *key)
{
	/* n0 first: its acquire covers lo, stored before n0's release. */
	key->n0 = atomic_load_explicit(&m->n0, memory_order_acquire);
	key->lo = atomic_load_explicit(&m->lo, memory_order_relaxed);
	key->inv = m->inv;
	key->k = m->k;
}

static DP_ALWAYS_INLINE bool
dp_blkcheck__scalar(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
		    uint32_t *idx)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t q = dp_blkmap_rotr(((uintptr_t)ptrs[i] - key->lo) * key->inv, key->k);

		bad |= q >= key->n0;
		idx[i] = (uint32_t)q;
	}
	return bad == 0;
}

/* Chunk-0 check of n <= DP_BLKCHECK_BURST pointers, indices into idx. */
static DP_ALWAYS_INLINE bool
dp_blkcheck__chunk0(const struct dp_blkmap *m, void *const *ptrs, size_t n, uint32_t *idx,
		    struct dp_blkcheck_masks *masks)
{
	struct dp_blkcheck_key key;

	dp_blkcheck_key_load(m, &key);
	if (masks != NULL)
		masks->w = DP_BLKCHECK_NO_WORD;
	if (n >= DP_BLKCHECK_VEC_MIN) /* relaxed: a pool creation may re-choose it */
		return __atomic_load_n(&dp_blkcheck__vec, __ATOMIC_RELAXED)(&key, ptrs, n, idx,
									     masks);
	return dp_blkcheck__scalar(&key, ptrs, n, idx);
}


/* One run's mask to word w: set (get), or clear (put) if every bit of it
 * was set and the run of cnt blocks had no repeat (cnt bits in mask). */
static DP_ALWAYS_INLINE bool
dp_blkcheck__flip_word(_Atomic uint64_t *bits, uint32_t w, uint64_t mask, size_t cnt, bool put)
{
	uint64_t old;

	if (!put) {
		atomic_fetch_or_explicit(&bits[w], mask, memory_order_relaxed);
		return true;
	}
	if (DP_UNLIKELY((size_t)__builtin_popcountll(mask) != cnt))
		return false; /* a repeat within the run: nothing cleared */
	old = atomic_fetch_and_explicit(&bits[w], ~mask, memory_order_relaxed);
	if (DP_UNLIKELY((old & mask) != mask)) {
		atomic_fetch_or_explicit(&bits[w], old & mask, memory_order_relaxed);
		return false;
	}
	return true;
}

/*
 * Set (get) or clear (put) the state bits of blocks idx[0..n), one atomic
 * operation per run of consecutive blocks in one word. A put returns the
 * count of blocks before the first run it could not clear (a bit already
 * clear: a double free, or a repeat); that run is left as it was. n when
 * all went through.
 */
static DP_ALWAYS_INLINE size_t
dp_blkcheck__flip(_Atomic uint64_t *bits, const uint32_t *idx, size_t n, bool put)
{
	uint32_t cw = n > 0 ? idx[0] / 64 : 0;
	uint64_t mask = 0;
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t w = idx[i] / 64;

		if (w != cw) {
			if (DP_UNLIKELY(!dp_blkcheck__flip_word(bits, cw, mask, i - start, put)))
				return start;
			cw = w;
			mask = 0;
			start = i;
		}
		mask |= (uint64_t)1 << (idx[i] % 64);
	}
	if (n > 0 && DP_UNLIKELY(!dp_blkcheck__flip_word(bits, cw, mask, n - start, put)))
		return start;
	return n;
}

/* Flip a burst given by its masks (two words at most): like
 * dp_blkcheck__flip(), but all or nothing; false when refused. */
static DP_ALWAYS_INLINE bool
dp_blkcheck__flip_masks(_Atomic uint64_t *bits, const struct dp_blkcheck_masks *mk, size_t n,
			bool put)
{
	if (!put) {
		if (mk->m[0] != 0)
			atomic_fetch_or_explicit(&bits[mk->w], mk->m[0], memory_order_relaxed);
		if (mk->m[1] != 0)
			atomic_fetch_or_explicit(&bits[mk->w + 1], mk->m[1], memory_order_relaxed);
		return true;
	}
	if (DP_UNLIKELY((size_t)(__builtin_popcountll(mk->m[0]) + __builtin_popcountll(mk->m[1])) !=
			n))
		return false; /* a repeat within the burst */
	if (mk->m[0] != 0 &&
	    DP_UNLIKELY(!dp_blkcheck__flip_word(bits, mk->w, mk->m[0],
						(size_t)__builtin_popcountll(mk->m[0]), true)))
		return false;
	if (mk->m[1] != 0 &&
	    DP_UNLIKELY(!dp_blkcheck__flip_word(bits, mk->w + 1, mk->m[1],
						(size_t)__builtin_popcountll(mk->m[1]), true))) {
		if (mk->m[0] != 0)
			atomic_fetch_or_explicit(&bits[mk->w], mk->m[0], memory_order_relaxed);
		return false;
	}
	return true;
}

/* Set back the bits of idx[0..n), all cleared by this call (undo). */
static inline void
dp_blkcheck__unflip(_Atomic uint64_t *bits, const uint32_t *idx, size_t n)
{
	(void)dp_blkcheck__flip(bits, idx, n, false);
}

/**
 * Put: check every pointer and, on tracked pools, mark its block free;
 * all or nothing. Errors by the precedence of dp_blkcheck.c, counted.
 */
static DP_ALWAYS_INLINE dp_err
dp_blkcheck_put(struct dp_pool *p, void *const *blks, size_t n)
{
	uint32_t idx[DP_BLKCHECK_BURST];
	struct dp_blkcheck_masks mk = { .w = DP_BLKCHECK_NO_WORD };
	size_t done;

	if (!p->checked)
		return DP_OK;
	if (DP_UNLIKELY(n > DP_BLKCHECK_BURST ||
			!dp_blkcheck__chunk0(&p->map, blks, n, idx, p->tracked ? &mk : NULL)))
		return dp_blkcheck__put_slow(p, blks, n);
	if (!p->tracked)
		return DP_OK;
	if (mk.w != DP_BLKCHECK_NO_WORD) {
		if (DP_UNLIKELY(!dp_blkcheck__flip_masks(p->map.bits, &mk, n, true)))
			return dp_blkcheck__refused(p, n, DP_ERR_DOUBLE_FREE);
		return DP_OK;
	}
	done = dp_blkcheck__flip(p->map.bits, idx, n, true);
	if (DP_UNLIKELY(done != n)) {
		dp_blkcheck__unflip(p->map.bits, idx, done);
		return dp_blkcheck__refused(p, n, DP_ERR_DOUBLE_FREE);
	}
	return DP_OK;
}

/** Get: mark blocks handed out (tracked pools; they came from the pool). */
static DP_ALWAYS_INLINE void
dp_blkcheck_get(struct dp_pool *p, void *const *blks, size_t n)
{
	uint32_t idx[DP_BLKCHECK_BURST];
	struct dp_blkcheck_masks mk = { .w = DP_BLKCHECK_NO_WORD };

	if (!p->tracked)
		return;
	if (DP_UNLIKELY(n > DP_BLKCHECK_BURST || !dp_blkcheck__chunk0(&p->map, blks, n, idx, &mk))) {
		dp_blkcheck__get_slow(p, blks, n);
		return;
	}
	if (mk.w != DP_BLKCHECK_NO_WORD)
		(void)dp_blkcheck__flip_masks(p->map.bits, &mk, n, false);
	else
		(void)dp_blkcheck__flip(p->map.bits, idx, n, false);
}

#endif /* DP_BLKCHECK_H */
