/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_blkcheck.h
 * "Is this a live block of this pool": the one home of the checks on put
 * and of the state bytes (internal; public only for the inline fast path).
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
 * Track: a get stores 1 in each block's state byte (dp_blkmap.h), no
 * lock. A put clears the bytes of each run of its burst that falls in one
 * 8-byte word with one atomic operation: an exchange for a single block,
 * a compare-and-swap for more, taken only if every byte of the run reads
 * 1. A put is refused as a double free at the first run that does not (a
 * repeat within a run shows in its mask), and its undo stores back 1 in
 * exactly the bytes it cleared. So of any number of threads freeing one
 * block at once, exactly one clears its byte.
 */
#ifndef DP_BLKCHECK_H
#define DP_BLKCHECK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_memcpy.h>

#include "dp_blkmap.h"
#include "dp_compiler.h"
#include "dp_err.h"
#include "dp_pool_types.h"

/** Most pointers the inline path checks at once; longer bursts go out of line. */
#define DP_BLKCHECK_BURST 64
/** Shortest burst handed to the vector variant. */
#define DP_BLKCHECK_VEC_MIN 8

/** What a check of chunk 0 needs, read once per burst. The scalar test
 *  is dp_blkmap.h's rotate on 64 bits; vectors of 32-bit lanes use the
 *  same division split in two: with off = p - lo, a block start has no
 *  bit of must0 set (off < 4 GiB, the k low bits 0), and then q = off *
 *  inv mod 2^32 is (off / fp) << k when fp divides off, and at least lim
 *  otherwise (d0 inv = 1 maps the multiples of d0 below 2^(32 - k) onto
 *  [0, 2^(32 - k) / d0) and the rest above; n0 d0 2^k <= 4 GiB). */
struct dp_blkcheck_key {
	uintptr_t lo;
	uint64_t inv;
	uint64_t n0;    /**< blocks of chunk 0; 0 fails every pointer */
	uint64_t must0; /**< offset bits no block start has */
	uint32_t lim;   /**< n0 << k */
	uint32_t k;
};

/** The blocks of a burst as a bitmap of the window [64 w, 64 w + 128),
 *  when every index of the burst falls there (bit i of m[j]: block 64 (w
 *  + j) + i); w == DP_BLKCHECK_NO_WORD otherwise, or when not computed.
 *  Each 8 bits of it are one word of state bytes. */
struct dp_blkcheck_masks {
	uint64_t m[2];
	uint32_t w;
};
#define DP_BLKCHECK_NO_WORD UINT32_MAX

/** First 64-block unit of the window of a burst whose first index is i0:
 *  [64 w, 64 w + 128) holds any run of 33 blocks around i0. */
static DP_ALWAYS_INLINE uint32_t
dp_blkcheck_base_word(uint32_t i0)
{
	uint32_t w = (uint32_t)(((uint64_t)i0 + 32) / 64);

	return w > 0 ? w - 1 : 0;
}

/** A burst check: true iff every ptrs[i] is a block start of @p map's
 *  chunk 0; idx[i] receives its index (meaningless for a false answer).
 *  With @p masks non-NULL, also the bitmap when the burst allows it.
 *  With @p copy non-NULL, a true answer has also copied ptrs[0..n) there
 *  on the way (a tracked put into a cache); after a false one
 *  copy[0..n) holds anything. */
typedef bool (*dp_blkcheck_fn)(const struct dp_blkmap *map, void *const *ptrs, size_t n,
			       uint32_t *idx, struct dp_blkcheck_masks *masks, void **copy);

/** The check alone, for pools that do not track: true iff every ptrs[i]
 *  is a block start of chunk 0 (any n). With @p copy non-NULL, a true
 *  answer has also copied ptrs[0..n) there, on the way (a put into a
 *  cache reads each pointer once); after a false one copy[0..n) holds
 *  anything. */
typedef bool (*dp_blkcheck_check_fn)(const struct dp_blkmap *map, void *const *ptrs, size_t n,
				     void **copy);

/** Variants, for dp_blkcheck_select() and tests. */
enum dp_blkcheck_isa {
	DP_BLKCHECK_SCALAR,
	DP_BLKCHECK_AVX2,
	DP_BLKCHECK_AVX512,
};

/** @cond INTERNAL */
extern dp_blkcheck_fn dp_blkcheck__vec;
extern dp_blkcheck_check_fn dp_blkcheck__vec_check;
bool dp_blkcheck_scalar(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
			struct dp_blkcheck_masks *masks, void **copy);
bool dp_blkcheck_scalar_check(const struct dp_blkmap *map, void *const *ptrs, size_t n,
			      void **copy);
/** The variant's function, or NULL if this build or CPU lacks it. */
dp_blkcheck_fn dp_blkcheck_variant(enum dp_blkcheck_isa isa);
/** The variant's check alone, or NULL if this build or CPU lacks it. */
dp_blkcheck_check_fn dp_blkcheck_check_variant(enum dp_blkcheck_isa isa);
/** Pick the widest variant the CPU and rte_vect_get_max_simd_bitwidth()
 *  allow for bursts, both functions of it, for the whole process; returns
 *  it. Made at each pool creation and lookup, so a limit set later
 *  (rte_eal_init() with --force-max-simd-bitwidth after a pool was
 *  created, or rte_vect_set_max_simd_bitwidth()) holds from the next
 *  creation or lookup; until then the variant chosen stays in use, with
 *  the same verdicts (every variant answers alike). */
enum dp_blkcheck_isa dp_blkcheck_select(void);

/* The x86 variants (dp_blkcheck_x86.c), for dp_blkcheck_variant(). */
bool dp_blkcheck_avx2(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
		      struct dp_blkcheck_masks *masks, void **copy);
bool dp_blkcheck_avx512(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
			struct dp_blkcheck_masks *masks, void **copy);
bool dp_blkcheck_avx2_check(const struct dp_blkmap *map, void *const *ptrs, size_t n,
			    void **copy);
bool dp_blkcheck_avx512_check(const struct dp_blkmap *map, void *const *ptrs, size_t n,
			      void **copy);

dp_err dp_blkcheck__put_slow(struct dp_pool *p, void *const *blks, size_t n);
/* The same, then blks copied to copy (if not NULL) when it returns DP_OK. */
dp_err dp_blkcheck__put_slow_copy(struct dp_pool *p, void *const *blks, size_t n, void **copy);
dp_err dp_blkcheck__refused(struct dp_pool *p, size_t n, dp_err err);
void dp_blkcheck__get_slow(struct dp_pool *p, void *const *blks, size_t n);
/* DP_DEBUG builds: abort unless idx[i] is the index of blks[i], for all i. */
void dp_blkcheck__verify_idx(struct dp_pool *p, void *const *blks, const uint32_t *idx, size_t n);
/** @endcond */

/** State indices of n blocks of the pool (blocks it carved: every
 *  pointer was checked or handed out by it) into idx, for a cache's
 *  indices filled outside a put (refills). */
void dp_blkcheck_index(struct dp_pool *p, void *const *blks, size_t n, uint32_t *idx);

static DP_ALWAYS_INLINE void
dp_blkcheck_key_load(const struct dp_blkmap *m, struct dp_blkcheck_key *key)
{
	/* n0 first: its acquire covers lo, stored before n0's release. */
	key->n0 = atomic_load_explicit(&m->n0, memory_order_acquire);
	key->lo = atomic_load_explicit(&m->lo, memory_order_relaxed);
	key->inv = m->inv;
	key->k = m->k;
	key->must0 = m->must0;
	key->lim = (uint32_t)(key->n0 << m->k); /* n0 fp < 4 GiB: no bit lost */
	/* Hence n0 < 2^32: an index below it needs no zero-extension. */
	if (key->n0 > UINT32_MAX)
		__builtin_unreachable();
}

static DP_ALWAYS_INLINE bool
dp_blkcheck__scalar(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
		    uint32_t *idx, void **copy)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		void *ptr = ptrs[i];
		uint64_t q = dp_blkmap_rotr(((uintptr_t)ptr - key->lo) * key->inv, key->k);

		if (copy != NULL)
			copy[i] = ptr;
		bad |= q >= key->n0;
		idx[i] = (uint32_t)q;
	}
	return bad == 0;
}

static DP_ALWAYS_INLINE bool
dp_blkcheck__scalar_check(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
			  void **copy)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		void *ptr = ptrs[i];

		if (copy != NULL)
			copy[i] = ptr;
		bad |= dp_blkmap_rotr(((uintptr_t)ptr - key->lo) * key->inv, key->k) >= key->n0;
	}
	return bad == 0;
}

/* Chunk-0 check of any number of pointers, copied to copy if not NULL. */
static DP_ALWAYS_INLINE bool
dp_blkcheck__chunk0_check(const struct dp_blkmap *m, void *const *ptrs, size_t n, void **copy)
{
	struct dp_blkcheck_key key;

	if (n >= DP_BLKCHECK_VEC_MIN) /* relaxed: a pool creation may re-choose it */
		return __atomic_load_n(&dp_blkcheck__vec_check, __ATOMIC_RELAXED)(m, ptrs, n, copy);
	dp_blkcheck_key_load(m, &key);
	return dp_blkcheck__scalar_check(&key, ptrs, n, copy);
}

/* Chunk-0 check of n <= DP_BLKCHECK_BURST pointers, indices into idx,
 * copied to copy if not NULL (as dp_blkcheck_fn). */
static DP_ALWAYS_INLINE bool
dp_blkcheck__chunk0(const struct dp_blkmap *m, void *const *ptrs, size_t n, uint32_t *idx,
		    struct dp_blkcheck_masks *masks, void **copy)
{
	struct dp_blkcheck_key key;

	if (masks != NULL)
		masks->w = DP_BLKCHECK_NO_WORD;
	if (n >= DP_BLKCHECK_VEC_MIN) /* relaxed: a pool creation may re-choose it */
		return __atomic_load_n(&dp_blkcheck__vec, __ATOMIC_RELAXED)(m, ptrs, n, idx, masks,
									  copy);
	dp_blkcheck_key_load(m, &key);
	return dp_blkcheck__scalar(&key, ptrs, n, idx, copy);
}

/* Mark blocks idx[0..n) handed out: the caller holds them. */
static DP_ALWAYS_INLINE void
dp_blkcheck__mark_out(uint8_t *state, const uint32_t *idx, size_t n)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		__atomic_store_n(&state[idx[i]], 1, __ATOMIC_RELAXED);
}

/* Block i's byte within its 8-byte word, as a mask of that word. */
static DP_ALWAYS_INLINE uint64_t
dp_blkcheck__byte(uint32_t i)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (uint64_t)1 << (8 * (i % 8));
#else
	return (uint64_t)1 << (8 * (7 - i % 8));
#endif
}

/* Clear the bytes `mask` of a word of state bytes if every one of them
 * reads 1 (all or nothing); false, nothing written, if not. */
static DP_ALWAYS_INLINE bool
dp_blkcheck__claim_word(uint64_t *word, uint64_t mask)
{
	uint64_t old = __atomic_load_n(word, __ATOMIC_RELAXED);

	do {
		if (DP_UNLIKELY((old & mask) != mask))
			return false;
	} while (!__atomic_compare_exchange_n(word, &old, old & ~mask, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}

/* The same for a word whose eight blocks are all in the burst. State
 * bytes are only ever 0 or 1, so the word can only be right as all ones:
 * one compare-and-swap from that value, no load before it, and any other
 * value it finds refuses the claim. Strong: a weak one's spurious failure
 * (LL/SC on arm64) would refuse a good put as a double free. */
static DP_ALWAYS_INLINE bool
dp_blkcheck__claim_full_word(uint64_t *word)
{
	uint64_t all = 0x0101010101010101ull;

	return __atomic_compare_exchange_n(word, &all, 0, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* The same for the run of cnt blocks from `first` in one word. */
static DP_ALWAYS_INLINE bool
dp_blkcheck__free_run(uint8_t *state, uint32_t first, uint64_t mask, size_t cnt)
{
	if (cnt == 1) /* one block: an exchange, never a retry */
		return __atomic_exchange_n(&state[first], 0, __ATOMIC_RELAXED) != 0;
	return dp_blkcheck__claim_word((uint64_t *)(void *)(state + (first & ~7u)), mask);
}

/*
 * Mark blocks idx[0..n) free, one atomic operation per run of consecutive
 * entries in one 8-byte word. Returns the count of entries before the
 * first run it could not free (a byte already 0: a double free, or a
 * repeat); that run and the rest are left as they were. n when all went
 * through.
 */
static DP_ALWAYS_INLINE size_t
dp_blkcheck__mark_free(uint8_t *state, const uint32_t *idx, size_t n)
{
	size_t start = 0;

	while (start < n) {
		uint32_t w = idx[start] / 8;
		uint64_t mask = dp_blkcheck__byte(idx[start]);
		size_t i = start + 1;

		for (; i < n && idx[i] / 8 == w; i++) {
			uint64_t b = dp_blkcheck__byte(idx[i]);

			if (DP_UNLIKELY(mask & b))
				return start; /* a repeat within the run */
			mask |= b;
		}
		if (DP_UNLIKELY(!dp_blkcheck__free_run(state, idx[start], mask, i - start)))
			return start;
		start = i;
	}
	return n;
}

/* Eight bits of a bitmap as eight state bytes (bit i: byte i of the word),
 * in two nibbles: a nibble times 0x204081 puts its bit i at 8 i with no
 * carries, which a whole byte's product would have. */
static DP_ALWAYS_INLINE uint64_t
dp_blkcheck__spread(uint64_t bits8)
{
	const uint64_t m = 0x01010101;
	uint64_t lo = ((bits8 & 0xf) * 0x204081) & m, hi = ((bits8 >> 4) * 0x204081) & m;
	uint64_t le = lo | hi << 32;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return le;
#else
	return __builtin_bswap64(le);
#endif
}

/* Mark the blocks of a bitmap handed out: a word whose eight blocks are
 * all the caller's takes one store, the others a store per byte. */
static DP_ALWAYS_INLINE void
dp_blkcheck__mark_out_masks(uint8_t *state, const struct dp_blkcheck_masks *mk)
{
	for (int j = 0; j < 2; j++) {
		uint8_t *base = state + 64 * ((size_t)mk->w + (size_t)j);

		for (uint64_t m = mk->m[j]; m != 0;) {
			unsigned int g = (unsigned int)__builtin_ctzll(m) / 8;
			uint64_t bits8 = (m >> (8 * g)) & 0xff;

			m ^= bits8 << (8 * g); /* clears byte g */
			if (bits8 == 0xff) {
				__atomic_store_n((uint64_t *)(void *)(base + 8 * g),
						 0x0101010101010101ull, __ATOMIC_RELAXED);
				continue;
			}
			for (; bits8 != 0; bits8 &= bits8 - 1)
				__atomic_store_n(&base[8 * g + (unsigned int)__builtin_ctzll(bits8)], 1,
						 __ATOMIC_RELAXED);
		}
	}
}

/* Mark the blocks of a bitmap of n blocks free, one atomic operation per
 * word of state bytes: all or nothing, false when refused (a repeat
 * shows as fewer bits than blocks). */
static DP_ALWAYS_INLINE bool
dp_blkcheck__mark_free_masks(uint8_t *state, const struct dp_blkcheck_masks *mk, size_t n)
{
	if (DP_UNLIKELY((size_t)(__builtin_popcountll(mk->m[0]) + __builtin_popcountll(mk->m[1])) !=
			n))
		return false;
	for (int j = 0; j < 2; j++) {
		uint8_t *base = state + 64 * ((size_t)mk->w + (size_t)j);

		for (uint64_t m = mk->m[j]; m != 0;) {
			unsigned int g = (unsigned int)__builtin_ctzll(m) / 8;
			uint64_t bits8 = (m >> (8 * g)) & 0xff;
			bool ok;

			m ^= bits8 << (8 * g); /* clears byte g */
			if (bits8 == 0xff) /* the usual case in a burst: the whole word */
				ok = dp_blkcheck__claim_full_word((uint64_t *)(void *)(base + 8 * g));
			else
				ok = dp_blkcheck__free_run(base, 8 * g + (uint32_t)__builtin_ctzll(bits8),
							   dp_blkcheck__spread(bits8),
							   (size_t)__builtin_popcountll(bits8));
			if (DP_UNLIKELY(!ok)) {
				/* set back the words before this one */
				struct dp_blkcheck_masks done = *mk;

				done.m[j] &= ((uint64_t)1 << (8 * g)) - 1;
				if (j == 0)
					done.m[1] = 0;
				dp_blkcheck__mark_out_masks(state, &done);
				return false;
			}
		}
	}
	return true;
}

/* Put on a tracked pool: check (copying on the way), then mark free.
 * idx receives the blocks' indices; with keep, a put that returns DP_OK
 * leaves them there (a cache's, beside the copy). */
static DP_ALWAYS_INLINE dp_err
dp_blkcheck__put_tracked(struct dp_pool *p, void *const *blks, size_t n, void **copy,
			 uint32_t *idx, bool keep)
{
	struct dp_blkcheck_masks mk = { .w = DP_BLKCHECK_NO_WORD };
	size_t done;

	if (DP_UNLIKELY(n > DP_BLKCHECK_BURST ||
			!dp_blkcheck__chunk0(&p->map, blks, n, idx, &mk, copy))) {
		dp_err err = dp_blkcheck__put_slow_copy(p, blks, n, copy);

		if (err == DP_OK && keep)
			dp_blkcheck_index(p, blks, n, idx);
		return err;
	}
	if (mk.w != DP_BLKCHECK_NO_WORD) {
		if (DP_UNLIKELY(!dp_blkcheck__mark_free_masks(p->map.state, &mk, n)))
			return dp_blkcheck__refused(p, n, DP_ERR_DOUBLE_FREE);
		return DP_OK;
	}
	done = dp_blkcheck__mark_free(p->map.state, idx, n);
	if (DP_UNLIKELY(done != n)) {
		dp_blkcheck__mark_out(p->map.state, idx, done); /* undo: they were ours */
		return dp_blkcheck__refused(p, n, DP_ERR_DOUBLE_FREE);
	}
	return DP_OK;
}

/**
 * Put: check every pointer and, on tracked pools, mark its block free;
 * all or nothing. Errors by the precedence of dp_blkcheck.c, counted.
 * With @p copy non-NULL, a put that returns DP_OK has also copied blks
 * there (what it holds after an error is unspecified), in the check's
 * loop when the burst is all in chunk 0 (and, tracked, at most
 * DP_BLKCHECK_BURST long; the slow path copies after it accepts). On a
 * tracked pool with @p c non-NULL (copy is its slots from @p at), their
 * indices go to c->idx[at..at + n) likewise.
 */
static DP_ALWAYS_INLINE dp_err
dp_blkcheck_put(struct dp_pool *p, void *const *blks, size_t n, void **copy,
		const struct dp_cache *c, uint32_t at)
{
	if (!p->checked) {
		if (copy != NULL)
			rte_memcpy(copy, blks, n * sizeof(void *));
		return DP_OK;
	}
	if (!p->tracked) {
		if (DP_LIKELY(dp_blkcheck__chunk0_check(&p->map, blks, n, copy)))
			return DP_OK;
		/* Other chunks: the slow path may still accept the burst, and a
		 * false check promised nothing about copy. */
		return dp_blkcheck__put_slow_copy(p, blks, n, copy);
	}
	if (c == NULL) {
		uint32_t idx[DP_BLKCHECK_BURST];

		return dp_blkcheck__put_tracked(p, blks, n, copy, idx, false);
	}
	/* c->idx read here only: an untracked put does not load it. */
	return dp_blkcheck__put_tracked(p, blks, n, copy, c->idx + at, true);
}

/** Get not served by a cache's indices (the shared pool, slow paths):
 *  mark blocks handed out (tracked pools; they came from the pool). */
static DP_ALWAYS_INLINE void
dp_blkcheck_get(struct dp_pool *p, void *const *blks, size_t n)
{
	if (p->tracked)
		dp_blkcheck__get_slow(p, blks, n);
}

/** Get of blks[0..n), which were cache @p c's slots from @p at: on a
 *  tracked pool, mark them handed out by the indices the cache keeps
 *  beside them (struct dp_cache), with nothing to compute. */
static DP_ALWAYS_INLINE void
dp_blkcheck_get_cached(struct dp_pool *p, void *const *blks, size_t n, const struct dp_cache *c,
		       uint32_t at)
{
	(void)blks; /* read by DP_DEBUG builds only */
	if (p->tracked) {
#if DP_DEBUG
		dp_blkcheck__verify_idx(p, blks, c->idx + at, n);
#endif
		dp_blkcheck__mark_out(p->map.state, c->idx + at, n);
	}
}

#endif /* DP_BLKCHECK_H */
