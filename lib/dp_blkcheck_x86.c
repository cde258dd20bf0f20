/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The burst check of dp_blkcheck.h for x86 vectors, compiled for their
 * ISA with target attributes and chosen at run time (dp_blkcheck_select()):
 * the project's flags come from DPDK's pkg-config (-march=corei7).
 *
 * AVX2 has no 64-bit multiply, so it works on 32-bit lanes, by the test
 * of dp_blkcheck_key_load(): one OR of the raw offsets catches a high half
 * or one of the k low bits set, and on the low halves q = off * inv mod
 * 2^32 is below lim = n0 << k exactly for block starts, index q >> k.
 * Quotients are max-accumulated, one compare for the burst. AVX-512 (F,
 * DQ) does the 64-bit rotate test directly and takes the tail with masks.
 */
#include <immintrin.h>

#include "dp_blkcheck.h"

/* Only the extensions dp_blkcheck_variant() asks the CPU for: a VM may
 * offer AVX2 without BMI2, and BMI2's shifts would be SIGILL there. */
#define AVX2 __attribute__((target("avx2,tune=haswell")))
#define AVX512 __attribute__((target("avx512f,avx512dq")))

/* The bitmap of idx' lanes (as 64-bit lanes r) in units w, w + 1 of 64 blocks. */
static AVX2 DP_ALWAYS_INLINE void
avx2_masks(__m256i r, __m256i *m0, __m256i *m1)
{
	const __m256i one = _mm256_set1_epi64x(1), c64 = _mm256_set1_epi64x(64);

	/* vpsllvq gives 0 for counts of 64 and more, also for r - 64 < 0. */
	*m0 = _mm256_or_si256(*m0, _mm256_sllv_epi64(one, r));
	*m1 = _mm256_or_si256(*m1, _mm256_sllv_epi64(one, _mm256_sub_epi64(r, c64)));
}

static AVX2 DP_ALWAYS_INLINE uint64_t
avx2_or4(__m256i v)
{
	__m128i x = _mm_or_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));

	return (uint64_t)_mm_cvtsi128_si64(_mm_or_si128(x, _mm_unpackhi_epi64(x, x)));
}

/* Every lane of v at most lim (unsigned 32-bit). */
static AVX2 DP_ALWAYS_INLINE bool
avx2_all_le(__m256i v, uint32_t lim)
{
	__m256i l = _mm256_set1_epi32((int)lim);

	return _mm256_movemask_epi8(_mm256_cmpeq_epi32(_mm256_max_epu32(v, l), l)) == -1;
}

/* Offsets of ptrs[0..8) from lo (neg_lo = -lo): the two halves of four,
 * OR-ed into *any, and their low halves (lanes in the order 0 1 4 5 2 3 6
 * 7), copied to copy[0..8) on the way when it is not NULL. */
static AVX2 DP_ALWAYS_INLINE __m256i
avx2_low_offsets(void *const *ptrs, __m256i neg_lo, __m256i *any, void **copy)
{
	__m256i p0 = _mm256_loadu_si256((const void *)ptrs);
	__m256i p1 = _mm256_loadu_si256((const void *)(ptrs + 4));
	__m256i a, b;

	if (copy != NULL) {
		/* Opaque, so that the add uses these loads: GCC loads again
		 * to fold one into it, an instruction more each. */
		__asm__("" : "+x"(p0), "+x"(p1));
		_mm256_storeu_si256((void *)copy, p0);
		_mm256_storeu_si256((void *)(copy + 4), p1);
	}
	a = _mm256_add_epi64(p0, neg_lo);
	b = _mm256_add_epi64(p1, neg_lo);
	*any = _mm256_or_si256(*any, _mm256_or_si256(a, b));
	return _mm256_castps_si256(
		_mm256_shuffle_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), 0x88));
}

/* The verdict on a burst's offsets: none with a bit outside the block
 * starts' (any), every quotient below lim (qmax <= lim - 1; lim == 0
 * refuses all). */
static AVX2 DP_ALWAYS_INLINE bool
avx2_verdict(__m256i any, uint64_t must0, __m256i qmax, uint32_t lim)
{
	return _mm256_testz_si256(any, _mm256_set1_epi64x((long long)must0)) &&
	       avx2_all_le(qmax, lim - 1) && lim != 0;
}

/* Haswell tuning: generic splits unaligned 256-bit loads in two. */
static AVX2 DP_ALWAYS_INLINE bool
avx2_map(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
	 struct dp_blkcheck_masks *masks, void **copy)
{
	struct dp_blkcheck_key key;
	__m256i neg_lo, inv, any = _mm256_setzero_si256(), qmax = any;
	__m256i rmax = any, m0 = any, m1 = any, base;
	__m128i k;
	uint32_t w = 0;
	size_t i = 0;

	if (n < 8) /* out of line, as the tail below */
		return dp_blkcheck_scalar(map, ptrs, n, idx, NULL, copy);
	dp_blkcheck_key_load(map, &key);
	neg_lo = _mm256_set1_epi64x(-(long long)key.lo);
	inv = _mm256_set1_epi32((int)(uint32_t)key.inv);
	k = _mm_cvtsi32_si128((int)key.k);
	if (masks != NULL)
		w = dp_blkcheck_base_word(
			(uint32_t)(((uintptr_t)ptrs[0] - key.lo) * (uint32_t)key.inv) >> key.k);
	base = _mm256_set1_epi32((int)(w * 64));
	for (; i + 8 <= n; i += 8) {
		__m256i l = avx2_low_offsets(ptrs + i, neg_lo, &any, copy ? copy + i : NULL);
		__m256i q = _mm256_mullo_epi32(_mm256_permute4x64_epi64(l, 0xd8), inv);
		__m256i x = _mm256_srl_epi32(q, k);

		qmax = _mm256_max_epu32(q, qmax);
		_mm256_storeu_si256((void *)&idx[i], x);
		if (masks != NULL) {
			__m256i r = _mm256_sub_epi32(x, base);

			rmax = _mm256_max_epu32(r, rmax);
			avx2_masks(_mm256_cvtepu32_epi64(_mm256_castsi256_si128(r)), &m0, &m1);
			avx2_masks(_mm256_cvtepu32_epi64(_mm256_extracti128_si256(r, 1)), &m0, &m1);
		}
	}
	/* The tail out of line: inlined, GCC vectorises it and the registers
	 * that takes make every call save six and realign the stack. */
	if (!avx2_verdict(any, key.must0, qmax, key.lim) ||
	    (i < n && !dp_blkcheck_scalar(map, ptrs + i, n - i, idx + i, NULL, copy ? copy + i : NULL)))
		return false;
	if (masks != NULL && i == n && avx2_all_le(rmax, 127)) {
		masks->w = w;
		masks->m[0] = avx2_or4(m0);
		masks->m[1] = avx2_or4(m1);
	}
	return true;
}

/* A loop for each use (a copy decided per round costs a test and a
 * branch), and a function for the bitmap's: its registers make a frame
 * that realigns the stack, which the indices alone (refills, gets off
 * the shared pool) should not pay on every call. */
static AVX2 __attribute__((noinline)) bool
avx2_map_with_masks(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
		    struct dp_blkcheck_masks *masks, void **copy)
{
	return copy != NULL ? avx2_map(map, ptrs, n, idx, masks, copy)
			    : avx2_map(map, ptrs, n, idx, masks, NULL);
}

AVX2 bool
dp_blkcheck_avx2(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
		 struct dp_blkcheck_masks *masks, void **copy)
{
	if (masks != NULL)
		return avx2_map_with_masks(map, ptrs, n, idx, masks, copy);
	return copy != NULL ? avx2_map(map, ptrs, n, idx, NULL, copy)
			    : avx2_map(map, ptrs, n, idx, NULL, NULL);
}

/* The check alone (untracked pools): no index leaves, so lane order does
 * not matter. Adding -lo, not subtracting lo, lets a load fold into the
 * add when nothing is copied. */
static AVX2 DP_ALWAYS_INLINE bool
avx2_check(const struct dp_blkmap *map, void *const *ptrs, size_t n, void **copy)
{
	struct dp_blkcheck_key key;
	__m256i neg_lo, inv, any = _mm256_setzero_si256(), qmax = any;
	size_t nv = n & ~(size_t)7;
	bool ok;

	/* Out of line (inlined, its vectorised copy costs registers here),
	 * and tested before the key is loaded: loaded first, the key's
	 * fields held registers across the test that made every call save
	 * one and keep a frame. */
	if (nv == 0)
		return dp_blkcheck_scalar_check(map, ptrs, n, copy);
	dp_blkcheck_key_load(map, &key);
	neg_lo = _mm256_set1_epi64x(-(long long)key.lo);
	inv = _mm256_set1_epi32((int)(uint32_t)key.inv);
	for (size_t i = 0; i < nv; i += 8) {
		__m256i l = avx2_low_offsets(ptrs + i, neg_lo, &any, copy ? copy + i : NULL);

		qmax = _mm256_max_epu32(qmax, _mm256_mullo_epi32(l, inv));
	}
	ok = avx2_verdict(any, key.must0, qmax, key.lim);
	if (nv == n || !ok)
		return ok;
	return dp_blkcheck_scalar_check(map, ptrs + nv, n - nv, copy ? copy + nv : NULL);
}

AVX2 bool
dp_blkcheck_avx2_check(const struct dp_blkmap *map, void *const *ptrs, size_t n, void **copy)
{
	/* Two loops: with the copy and without. */
	return copy != NULL ? avx2_check(map, ptrs, n, copy) : avx2_check(map, ptrs, n, NULL);
}

/* AVX-512: the 64-bit rotate test of dp_blkmap.h on eight lanes. */
struct avx512_key {
	__m512i lo, inv, k, lim;
};

static AVX512 DP_ALWAYS_INLINE struct avx512_key
avx512_key_load(const struct dp_blkmap *map, struct dp_blkcheck_key *key)
{
	dp_blkcheck_key_load(map, key);
	return (struct avx512_key){ .lo = _mm512_set1_epi64((long long)key->lo),
				    .inv = _mm512_set1_epi64((long long)key->inv),
				    .k = _mm512_set1_epi64(key->k),
				    .lim = _mm512_set1_epi64((long long)key->n0) };
}

/* The first n lanes of a group of eight (n < 8). */
static AVX512 DP_ALWAYS_INLINE __mmask8
avx512_lanes(size_t n)
{
	return (__mmask8)((1u << n) - 1);
}

/* Quotient of each pointer: its index when below lim, else no block start. */
static AVX512 DP_ALWAYS_INLINE __m512i
avx512_q(const struct avx512_key *v, __m512i p)
{
	return _mm512_rorv_epi64(_mm512_mullo_epi64(_mm512_sub_epi64(p, v->lo), v->inv), v->k);
}

/* Lanes m of ptrs[0..8) checked (quotients max-ed into *qmax) and copied
 * when copy is not NULL. Whole groups pass m = 0xff, and the masks fold
 * away: a loop of load, store, subtract, multiply, rotate and max. */
static AVX512 DP_ALWAYS_INLINE __m512i
avx512_check8(const struct avx512_key *v, void *const *ptrs, __mmask8 m, __m512i *qmax,
	      void **copy)
{
	__m512i p = _mm512_maskz_loadu_epi64(m, ptrs);
	__m512i q;

	if (copy != NULL)
		_mm512_mask_storeu_epi64(copy, m, p);
	q = avx512_q(v, p);
	*qmax = _mm512_mask_max_epu64(*qmax, m, *qmax, q);
	return q;
}

static AVX512 DP_ALWAYS_INLINE bool
avx512_check(const struct dp_blkmap *map, void *const *ptrs, size_t n, void **copy)
{
	struct dp_blkcheck_key key;
	struct avx512_key v = avx512_key_load(map, &key);
	__m512i qmax = _mm512_setzero_si512();
	size_t nv = n & ~(size_t)7;

	if (n == 0) /* true: no pointer to refuse, also while lim is 0 */
		return true;
	/* Down, by a byte offset: one register steps and indexes both arrays
	 * (counting up, or by an index, GCC steps two pointers and a counter). */
	for (size_t b = nv * sizeof(void *); b > 0;) {
		b -= 8 * sizeof(void *);
		avx512_check8(&v, (void *const *)((const char *)ptrs + b), 0xff, &qmax,
			      copy ? (void **)((char *)copy + b) : NULL);
	}
	if (nv < n)
		avx512_check8(&v, ptrs + nv, avx512_lanes(n - nv), &qmax, copy ? copy + nv : NULL);
	return _mm512_cmpge_epu64_mask(qmax, v.lim) == 0; /* one compare per burst */
}

AVX512 bool
dp_blkcheck_avx512_check(const struct dp_blkmap *map, void *const *ptrs, size_t n, void **copy)
{
	/* Two loops: with the copy and without. */
	return copy != NULL ? avx512_check(map, ptrs, n, copy) : avx512_check(map, ptrs, n, NULL);
}

/* Indices of lanes m (q from avx512_check8) stored, and with a bitmap
 * their bits OR-ed into m0, m1 (windows of 64 blocks from base) and
 * their offsets in it max-ed into *rmax. */
static AVX512 DP_ALWAYS_INLINE void
avx512_index8(__m512i q, __mmask8 m, uint32_t *idx, bool masks, __m512i base, __m512i *rmax,
	      __m512i *m0, __m512i *m1)
{
	const __m512i one = _mm512_set1_epi64(1), c64 = _mm512_set1_epi64(64);

	_mm512_mask_cvtepi64_storeu_epi32(idx, m, q);
	if (masks) {
		__m512i r = _mm512_sub_epi64(q, base);

		*rmax = _mm512_mask_max_epu64(*rmax, m, *rmax, r);
		*m0 = _mm512_mask_or_epi64(*m0, m, *m0, _mm512_sllv_epi64(one, r));
		*m1 = _mm512_mask_or_epi64(*m1, m, *m1, _mm512_sllv_epi64(one, _mm512_sub_epi64(r, c64)));
	}
}

static AVX512 DP_ALWAYS_INLINE bool
avx512_map(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
	   struct dp_blkcheck_masks *masks, void **copy)
{
	struct dp_blkcheck_key key;
	struct avx512_key v = avx512_key_load(map, &key);
	__m512i qmax = _mm512_setzero_si512(), rmax = qmax, m0 = qmax, m1 = qmax, base;
	uint32_t w = 0;
	size_t nv = n & ~(size_t)7;

	if (n == 0)
		return true;
	if (masks != NULL)
		w = dp_blkcheck_base_word(
			(uint32_t)dp_blkmap_rotr(((uintptr_t)ptrs[0] - key.lo) * key.inv, key.k));
	base = _mm512_set1_epi64((long long)w * 64);
	/* Down, as avx512_check()'s, by an index (idx's stride is not ptrs'),
	 * which only an opaque copy keeps GCC from turning into three
	 * stepped pointers. */
	for (size_t i = nv; i > 0;) {
		i -= 8;
		__asm__("" : "+r"(i));
		__m512i q = avx512_check8(&v, ptrs + i, 0xff, &qmax, copy ? copy + i : NULL);

		avx512_index8(q, 0xff, idx + i, masks != NULL, base, &rmax, &m0, &m1);
	}
	if (nv < n) {
		__mmask8 m = avx512_lanes(n - nv);
		__m512i q = avx512_check8(&v, ptrs + nv, m, &qmax, copy ? copy + nv : NULL);

		avx512_index8(q, m, idx + nv, masks != NULL, base, &rmax, &m0, &m1);
	}
	if (_mm512_cmpge_epu64_mask(qmax, v.lim) != 0)
		return false;
	if (masks != NULL && _mm512_cmpge_epu64_mask(rmax, _mm512_set1_epi64(128)) == 0) {
		masks->w = w;
		masks->m[0] = (uint64_t)_mm512_reduce_or_epi64(m0);
		masks->m[1] = (uint64_t)_mm512_reduce_or_epi64(m1);
	}
	return true;
}

/* As for AVX2, a loop for each use; the bitmap's is out of line. */
static AVX512 __attribute__((noinline)) bool
avx512_map_with_masks(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
		      struct dp_blkcheck_masks *masks, void **copy)
{
	if (masks == NULL) /* never: said, so that no round of the loop tests it */
		__builtin_unreachable();
	return copy != NULL ? avx512_map(map, ptrs, n, idx, masks, copy)
			    : avx512_map(map, ptrs, n, idx, masks, NULL);
}

AVX512 bool
dp_blkcheck_avx512(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
		   struct dp_blkcheck_masks *masks, void **copy)
{
	if (masks != NULL)
		return avx512_map_with_masks(map, ptrs, n, idx, masks, copy);
	return copy != NULL ? avx512_map(map, ptrs, n, idx, NULL, copy)
			    : avx512_map(map, ptrs, n, idx, NULL, NULL);
}
