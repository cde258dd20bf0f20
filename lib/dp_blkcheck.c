/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks on put, out of line: pointers outside the pool's first chunk or
 * bursts longer than the inline path takes, the choice of the error, the
 * undo of a refused put, and the choice of the vector variant.
 *
 * Error precedence on put, over the whole call: NULL and not-in-pool /
 * not-block-start (the first such pointer decides), pool-full,
 * double-free. So a surplus free to a limited pool with nothing handed
 * out reads as pool-full whether or not the pool tracks states (as uC/LIB
 * reports it). An unlimited pool has no "full": there a surplus free is
 * what it is, a double free, and is refused as one even when states are
 * not tracked, because pushing it would break the stack's bound.
 */
/* rte_vect_get_max_simd_bitwidth() is still experimental in DPDK 22.11. */
#define ALLOW_EXPERIMENTAL_API
#include <rte_cpuflags.h>
#include <rte_debug.h>
#include <rte_vect.h>

#include "dp_blkcheck.h"
#include "dp_pool_impl.h"

bool
dp_blkcheck_scalar(const struct dp_blkmap *map, void *const *ptrs, size_t n, uint32_t *idx,
		   struct dp_blkcheck_masks *masks, void **copy)
{
	struct dp_blkcheck_key key;

	(void)masks; /* left DP_BLKCHECK_NO_WORD: the caller goes run by run */
	dp_blkcheck_key_load(map, &key);
	return dp_blkcheck__scalar(&key, ptrs, n, idx, copy);
}

bool
dp_blkcheck_scalar_check(const struct dp_blkmap *map, void *const *ptrs, size_t n, void **copy)
{
	struct dp_blkcheck_key key;

	dp_blkcheck_key_load(map, &key);
	return dp_blkcheck__scalar_check(&key, ptrs, n, copy);
}

/* Process-wide, not per pool: a shared pool is used by processes whose
 * code lies at different addresses. */
dp_blkcheck_fn dp_blkcheck__vec = dp_blkcheck_scalar;
dp_blkcheck_check_fn dp_blkcheck__vec_check = dp_blkcheck_scalar_check;


#if defined(RTE_ARCH_X86) && defined(DP_HAVE_X86_VEC)
/* Whether the CPU has the variant's extensions, asked once: each question
 * runs cpuid, a VM exit under a hypervisor, and the choice is made at
 * every pool creation and lookup (a test that asked per burst spent 98%
 * of its time there). Racing first callers store the same answer. */
static bool
cpu_has(enum dp_blkcheck_isa isa)
{
	static int known[DP_BLKCHECK_AVX512 + 1] = { -1, -1, -1 };
	int k = __atomic_load_n(&known[isa], __ATOMIC_RELAXED);

	if (k < 0) {
		if (isa == DP_BLKCHECK_AVX2)
			k = rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0;
		else
			k = rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0 &&
			    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512DQ) > 0;
		__atomic_store_n(&known[isa], k, __ATOMIC_RELAXED);
	}
	return k != 0;
}
#endif

dp_blkcheck_fn
dp_blkcheck_variant(enum dp_blkcheck_isa isa)
{
	switch (isa) {
	case DP_BLKCHECK_SCALAR:
		return dp_blkcheck_scalar;
#if defined(RTE_ARCH_X86) && defined(DP_HAVE_X86_VEC)
	case DP_BLKCHECK_AVX2:
		return cpu_has(DP_BLKCHECK_AVX2) ? dp_blkcheck_avx2 : NULL;
	case DP_BLKCHECK_AVX512:
		return cpu_has(DP_BLKCHECK_AVX512) ? dp_blkcheck_avx512 : NULL;
#endif
	default:
		return NULL;
	}
}

dp_blkcheck_check_fn
dp_blkcheck_check_variant(enum dp_blkcheck_isa isa)
{
	if (dp_blkcheck_variant(isa) == NULL)
		return NULL;
	switch (isa) {
	case DP_BLKCHECK_SCALAR:
		return dp_blkcheck_scalar_check;
#if defined(RTE_ARCH_X86) && defined(DP_HAVE_X86_VEC)
	case DP_BLKCHECK_AVX2:
		return dp_blkcheck_avx2_check;
	case DP_BLKCHECK_AVX512:
		return dp_blkcheck_avx512_check;
#endif
	default:
		return NULL;
	}
}

enum dp_blkcheck_isa
dp_blkcheck_select(void)
{
	/* As DPDK's drivers choose: the CPU's flags under EAL's SIMD limit
	 * (--force-max-simd-bitwidth; 0 before rte_eal_init(), then the
	 * platform default applies). Relaxed stores of a function pointer
	 * that only ever changes between equivalent variants. */
	unsigned int width = rte_vect_get_max_simd_bitwidth();
	enum dp_blkcheck_isa isa = DP_BLKCHECK_SCALAR;

	if (width == 0)
		width = RTE_VECT_DEFAULT_SIMD_BITWIDTH;
	if (width >= RTE_VECT_SIMD_512 && dp_blkcheck_variant(DP_BLKCHECK_AVX512) != NULL)
		isa = DP_BLKCHECK_AVX512;
	else if (width >= RTE_VECT_SIMD_256 && dp_blkcheck_variant(DP_BLKCHECK_AVX2) != NULL)
		isa = DP_BLKCHECK_AVX2;
	__atomic_store_n(&dp_blkcheck__vec, dp_blkcheck_variant(isa), __ATOMIC_RELAXED);
	__atomic_store_n(&dp_blkcheck__vec_check, dp_blkcheck_check_variant(isa), __ATOMIC_RELAXED);
	return isa;
}

dp_err
dp_blkcheck__refused(struct dp_pool *p, size_t n, dp_err err)
{
	if (err == DP_ERR_DOUBLE_FREE && dp_pool_limited_and_full(p, n))
		err = DP_ERR_POOL_FULL;
	dp_pool_count_fail(p, err);
	return err;
}

/* Index of a block already known to be one (it was checked or handed out). */
static size_t
index_of(const struct dp_pool *p, const void *blk)
{
	size_t idx = SIZE_MAX;
	dp_err err = dp_blkmap_index(&p->map, blk, &idx);

#if DP_DEBUG
	RTE_VERIFY(err == DP_OK);
#endif
	(void)err;
	return idx;
}

dp_err
dp_blkcheck__put_slow(struct dp_pool *p, void *const *blks, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t idx;
		dp_err err = blks[i] != NULL ? dp_blkmap_index(&p->map, blks[i], &idx)
					     : DP_ERR_NULL_PTR;

		if (err != DP_OK)
			return dp_blkcheck__refused(p, n, err);
	}
	if (!p->tracked)
		return DP_OK;
	/* One block at a time: this path is for what the inline one leaves
	 * (other chunks, long bursts), not for speed. */
	for (i = 0; i < n; i++)
		if (__atomic_exchange_n(&p->map.state[index_of(p, blks[i])], 0, __ATOMIC_RELAXED) == 0)
			break; /* already free, or a repeat */
	if (i == n)
		return DP_OK;
	dp_blkcheck__get_slow(p, blks, i); /* set back what this call cleared */
	return dp_blkcheck__refused(p, n, DP_ERR_DOUBLE_FREE);
}

dp_err
dp_blkcheck__put_slow_copy(struct dp_pool *p, void *const *blks, size_t n, void **copy)
{
	dp_err err = dp_blkcheck__put_slow(p, blks, n);

	if (copy != NULL && err == DP_OK)
		rte_memcpy(copy, blks, n * sizeof(void *));
	return err;
}

void
dp_blkcheck_index(struct dp_pool *p, void *const *blks, size_t n, uint32_t *idx)
{
	for (size_t b = 0; b < n; b += DP_BLKCHECK_BURST) {
		size_t m = DP_MIN(n - b, (size_t)DP_BLKCHECK_BURST);

		if (dp_blkcheck__chunk0(&p->map, blks + b, m, idx + b, NULL, NULL))
			continue;
		for (size_t i = b; i < b + m; i++) /* other chunks */
			idx[i] = (uint32_t)index_of(p, blks[i]);
	}
}

void
dp_blkcheck__get_slow(struct dp_pool *p, void *const *blks, size_t n)
{
	uint32_t idx[DP_BLKCHECK_BURST];

	/* Indices, then a byte store each: no bitmap (bench/results: half
	 * the instructions of a bitmap's word stores for a burst of 32). */
	for (size_t b = 0; b < n; b += DP_BLKCHECK_BURST) {
		size_t m = DP_MIN(n - b, (size_t)DP_BLKCHECK_BURST);

		dp_blkcheck_index(p, blks + b, m, idx);
		dp_blkcheck__mark_out(p->map.state, idx, m);
	}
}

void
dp_blkcheck__verify_idx(struct dp_pool *p, void *const *blks, const uint32_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		RTE_VERIFY(index_of(p, blks[i]) == idx[i]);
}

void
dp_pool_unclaim(struct dp_pool *p, void *const *blks, size_t n)
{
	dp_blkcheck_get(p, blks, n);
}

dp_err
dp_pool_surplus_error(const struct dp_pool *p)
{
	return p->maximum != DP_POOL_UNLIMITED ? DP_ERR_POOL_FULL : DP_ERR_DOUBLE_FREE;
}

/*
 * Whether a refused free reads as "pool full": a limited pool with fewer
 * than n blocks handed out. Only a label for a free refused anyway, so it
 * may sum the caches: the sum is exact when no call is in flight, and
 * under concurrency a block moving between two caches during it can be
 * counted twice, which can only turn DOUBLE_FREE into POOL_FULL. Never
 * used to decide whether a free is taken.
 */
bool
dp_pool_limited_and_full(struct dp_pool *p, size_t n)
{
	size_t out, cached;

	if (p->maximum == DP_POOL_UNLIMITED)
		return false;
	dp_spin_lock(&p->lock); /* user_caches is a list under the lock */
	out = dp_pool_out_locked(p);
	cached = dp_pool_in_caches(p);
	dp_spin_unlock(&p->lock);
	return out < cached + n;
}
