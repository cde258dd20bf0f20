/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The burst check of dp_blkcheck.h for x86 vectors, compiled for their
 * ISA with target attributes and chosen at run time (dp_blkcheck_select()):
 * the project's flags come from DPDK's pkg-config (-march=corei7).
 *
 * AVX2 has no 64-bit multiply, so it works on 32-bit lanes: chunk 0 is
 * below 4 GiB, so a pointer of it has an offset whose high half is zero,
 * and on the low half the exact-division test holds modulo 2^32 with the
 * inverse's low half. The high halves are OR-ed and the quotients
 * max-accumulated, one compare for the burst. AVX-512 (F, DQ) does the
 * 64-bit test directly and takes the tail with masks.
 */
#include <immintrin.h>

#include "dp_blkcheck.h"

bool dp_blkcheck_avx2(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
		      uint32_t *idx, struct dp_blkcheck_masks *masks);
bool dp_blkcheck_avx512(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
			uint32_t *idx, struct dp_blkcheck_masks *masks);

#define AVX2 __attribute__((target("avx2,tune=haswell")))

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

/* Haswell tuning: generic splits unaligned 256-bit loads in two. */
AVX2 bool
dp_blkcheck_avx2(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n, uint32_t *idx,
		 struct dp_blkcheck_masks *masks)
{
	const __m256i lo = _mm256_set1_epi64x((long long)key->lo);
	const __m256i inv = _mm256_set1_epi32((int)(uint32_t)key->inv);
	const __m128i sr = _mm_cvtsi32_si128((int)key->k);
	const __m128i sl = _mm_cvtsi32_si128((int)(32 - key->k)); /* 32: all out, k == 0 */
	__m256i hi = _mm256_setzero_si256(), qmax = _mm256_setzero_si256();
	__m256i rmax = _mm256_setzero_si256(), m0 = rmax, m1 = rmax, base;
	uint32_t w = 0;
	size_t i = 0;

	if (key->n0 == 0 || n < 8)
		return dp_blkcheck__scalar(key, ptrs, n, idx);
	if (masks != NULL)
		w = dp_blkcheck_base_word(
			(uint32_t)dp_blkmap_rotr(((uintptr_t)ptrs[0] - key->lo) * key->inv, key->k));
	base = _mm256_set1_epi32((int)(w * 64));
	for (; i + 8 <= n; i += 8) {
		__m256i a = _mm256_sub_epi64(_mm256_loadu_si256((const void *)&ptrs[i]), lo);
		__m256i b = _mm256_sub_epi64(_mm256_loadu_si256((const void *)&ptrs[i + 4]), lo);
		/* Low halves [a0 a1 b0 b1 | a2 a3 b2 b3], high halves likewise. */
		__m256i l = _mm256_castps_si256(
			_mm256_shuffle_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), 0x88));
		__m256i h = _mm256_castps_si256(
			_mm256_shuffle_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), 0xdd));
		__m256i x = _mm256_mullo_epi32(_mm256_permute4x64_epi64(l, 0xd8), inv);
		__m256i q = _mm256_or_si256(_mm256_srl_epi32(x, sr), _mm256_sll_epi32(x, sl));

		hi = _mm256_or_si256(hi, h);
		qmax = _mm256_max_epu32(qmax, q);
		_mm256_storeu_si256((void *)&idx[i], q);
		if (masks != NULL) {
			__m256i r = _mm256_sub_epi32(q, base);

			rmax = _mm256_max_epu32(rmax, r);
			avx2_masks(_mm256_cvtepu32_epi64(_mm256_castsi256_si128(r)), &m0, &m1);
			avx2_masks(_mm256_cvtepu32_epi64(_mm256_extracti128_si256(r, 1)), &m0, &m1);
		}
	}
	/* All q <= n0 - 1 (n0 < 2^32: chunk 0 is below 4 GiB). */
	if (!_mm256_testz_si256(hi, hi) || !avx2_all_le(qmax, (uint32_t)(key->n0 - 1)) ||
	    !dp_blkcheck__scalar(key, ptrs + i, n - i, idx + i))
		return false;
	if (masks != NULL && i == n && avx2_all_le(rmax, 127)) {
		masks->w = w;
		masks->m[0] = avx2_or4(m0);
		masks->m[1] = avx2_or4(m1);
	}
	return true;
}

__attribute__((target("avx512f,avx512dq"))) bool
dp_blkcheck_avx512(const struct dp_blkcheck_key *key, void *const *ptrs, size_t n,
		   uint32_t *idx, struct dp_blkcheck_masks *masks)
{
	const __m512i lo = _mm512_set1_epi64((long long)key->lo);
	const __m512i inv = _mm512_set1_epi64((long long)key->inv);
	const __m512i k = _mm512_set1_epi64(key->k);
	const __m512i lim = _mm512_set1_epi64((long long)key->n0);
	const __m512i one = _mm512_set1_epi64(1), c64 = _mm512_set1_epi64(64);
	const __m512i c128 = _mm512_set1_epi64(128);
	__m512i m0 = _mm512_setzero_si512(), m1 = m0, base;
	__mmask8 bad = 0, far = 0;
	uint32_t w = 0;

	if (masks != NULL && n > 0)
		w = dp_blkcheck_base_word(
			(uint32_t)dp_blkmap_rotr(((uintptr_t)ptrs[0] - key->lo) * key->inv, key->k));
	base = _mm512_set1_epi64((long long)w * 64);
	for (size_t i = 0; i < n; i += 8) {
		__mmask8 m = n - i >= 8 ? 0xff : (__mmask8)((1u << (n - i)) - 1);
		__m512i x = _mm512_sub_epi64(_mm512_maskz_loadu_epi64(m, &ptrs[i]), lo);
		__m512i q = _mm512_rorv_epi64(_mm512_mullo_epi64(x, inv), k);

		bad |= _mm512_mask_cmpge_epu64_mask(m, q, lim);
		_mm512_mask_cvtepi64_storeu_epi32(&idx[i], m, q);
		if (masks != NULL) {
			__m512i r = _mm512_sub_epi64(q, base);

			far |= _mm512_mask_cmpge_epu64_mask(m, r, c128);
			m0 = _mm512_mask_or_epi64(m0, m, m0, _mm512_sllv_epi64(one, r));
			m1 = _mm512_mask_or_epi64(m1, m, m1,
						  _mm512_sllv_epi64(one, _mm512_sub_epi64(r, c64)));
		}
	}
	if (bad != 0)
		return false;
	if (masks != NULL && far == 0 && n > 0) {
		masks->w = w;
		masks->m[0] = (uint64_t)_mm512_reduce_or_epi64(m0);
		masks->m[1] = (uint64_t)_mm512_reduce_or_epi64(m1);
	}
	return true;
}
