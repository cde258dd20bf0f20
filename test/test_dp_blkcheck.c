/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The burst check of dp_blkcheck.h: every variant this CPU has (scalar,
 * AVX2, AVX-512) against the definition "a block start of chunk 0", on
 * pointers of every offset class, alone and at every position of bursts
 * of every length the variants treat differently, with the bitmap of the
 * burst; and the state-byte updates of a burst: repeats, undo.
 */
#include "common.h"
#include "eal.h"

#include "dp_blkcheck.h"

static const enum dp_blkcheck_isa isas[] = { DP_BLKCHECK_SCALAR, DP_BLKCHECK_AVX2,
					     DP_BLKCHECK_AVX512 };
static const char *const isa_names[] = { "scalar", "avx2", "avx512" };

/* A map whose chunk 0 has n0 blocks of footprint fp at lo: pure
 * arithmetic, the check never dereferences a pointer. */
struct chunk0 {
	struct dp_blkmap map;
	struct dp_blkcheck_key key;
};

static void
chunk0_init(struct chunk0 *c, uintptr_t lo, size_t fp, uint64_t n0)
{
	cr_assert_eq(dp_blkmap_init(&c->map, fp, 0, false, false), DP_OK);
	atomic_store(&c->map.lo, lo);
	atomic_store(&c->map.n0, n0);
	dp_blkcheck_key_load(&c->map, &c->key);
}

static bool
is_block(const struct dp_blkcheck_key *k, size_t fp, uintptr_t p, uint32_t *want)
{
	uint64_t off = (uint64_t)(p - k->lo);

	*want = (uint32_t)(off / fp);
	return off % fp == 0 && off / fp < k->n0;
}

/* Offsets of every class around chunk 0 [lo, lo + n0 fp). */
static size_t
adversarial(const struct dp_blkcheck_key *k, size_t fp, uintptr_t *out)
{
	uintptr_t lo = k->lo, end = lo + k->n0 * fp;
	size_t n = 0;
	const uint64_t g4 = (uint64_t)1 << 32;

	out[n++] = 0;                          /* NULL */
	out[n++] = UINTPTR_MAX;
	out[n++] = lo - fp;                    /* before lo, a block apart */
	out[n++] = lo - 1;
	out[n++] = lo;                         /* first block */
	out[n++] = lo + 1;                     /* interiors */
	out[n++] = lo + fp / 2;
	out[n++] = lo + fp - 1;
	out[n++] = lo + fp;
	out[n++] = lo + fp + 8;
	out[n++] = end - fp;                   /* last block */
	out[n++] = end - fp + 1;
	out[n++] = end - 1;
	out[n++] = end;                        /* one past: a gap or another chunk */
	out[n++] = end + fp;
	out[n++] = end + 7 * fp;
	out[n++] = lo + g4;                    /* offset >= 4 GiB, low half valid */
	out[n++] = lo + g4 * fp;
	out[n++] = lo + g4 + fp;
	out[n++] = lo + (g4 << 8);
	if (fp % 2 == 0) /* fp 2^(64 - k) wraps to lo (odd fp: 2^64, not a shift) */
		out[n++] = lo + fp * ((uint64_t)1 << (64 - __builtin_ctzll(fp)));
	out[n++] = lo - g4;                    /* negative offsets */
	out[n++] = lo - g4 * fp;
	return n;
}

/* Variant v's two functions on burst b of chunk 0 c: the verdict, the
 * indices and the bitmap of the one, the verdict and the copy of the
 * other. */
static void
check_burst(size_t v, const struct chunk0 *c, size_t fp, void *const *b, size_t n)
{
	const struct dp_blkcheck_key *k = &c->key;
	const char *name = isa_names[v];
	uint32_t idx[DP_BLKCHECK_BURST], want[DP_BLKCHECK_BURST];
	void *copy[DP_BLKCHECK_BURST + 1];
	struct dp_blkcheck_masks mk = { .w = DP_BLKCHECK_NO_WORD };
	dp_blkcheck_check_fn check = dp_blkcheck_check_variant(isas[v]);
	bool all = true, got;
	uint64_t m[2] = { 0, 0 };

	for (size_t i = 0; i < n; i++)
		all &= is_block(k, fp, (uintptr_t)b[i], &want[i]);
	got = check(&c->map, b, n, NULL);
	cr_assert_eq(got, all, "%s check, fp %zu, n %zu: said %d", name, fp, n, got);
	memset(copy, 0xa5, sizeof(copy));
	got = check(&c->map, b, n, copy);
	cr_assert_eq(got, all, "%s check with copy, fp %zu, n %zu: said %d", name, fp, n, got);
	if (got)
		cr_assert_arr_eq(copy, b, n * sizeof(void *), "%s: the copy differs", name);
	cr_assert_eq((uintptr_t)copy[n], (uintptr_t)0xa5a5a5a5a5a5a5a5ull,
		     "%s: copied past the burst", name);
	/* The indexing check, with and without the bitmap and a copy (a
	 * tracked put into a cache has both, a get out of one the copy). */
	for (int how = 0; how < 4; how++) {
		struct dp_blkcheck_masks m1 = { .w = DP_BLKCHECK_NO_WORD };
		bool with_masks = how & 1, with_copy = how & 2;

		memset(copy, 0xa5, sizeof(copy));
		got = dp_blkcheck_variant(isas[v])(&c->map, b, n, idx, with_masks ? &m1 : NULL,
						   with_copy ? copy : NULL);
		cr_assert_eq(got, all, "%s (bitmap %d, copy %d), fp %zu, n %zu: said %d", name,
			     with_masks, with_copy, fp, n, got);
		cr_assert_eq((uintptr_t)copy[n], (uintptr_t)0xa5a5a5a5a5a5a5a5ull,
			     "%s: the indexing check copied past the burst", name);
		if (!all)
			continue;
		if (with_copy)
			cr_assert_arr_eq(copy, b, n * sizeof(void *),
					 "%s: the indexing check's copy differs", name);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(idx[i], want[i], "%s (bitmap %d, copy %d): index %zu", name,
				     with_masks, with_copy, i);
		if (how == 1)
			mk = m1;
		else if (with_masks)
			cr_assert(m1.w == mk.w && m1.m[0] == mk.m[0] && m1.m[1] == mk.m[1],
				  "%s: the bitmap changes with the copy", name);
	}
	if (!all || mk.w == DP_BLKCHECK_NO_WORD)
		return;
	for (size_t i = 0; i < n; i++) {
		uint64_t rel = (uint64_t)want[i] - (uint64_t)mk.w * 64;

		cr_assert_lt(rel, 128, "%s: bitmap from unit %u misses index %u", name, mk.w, want[i]);
		m[rel / 64] |= (uint64_t)1 << (rel % 64);
	}
	cr_assert(m[0] == mk.m[0] && m[1] == mk.m[1], "%s: bitmap %#lx %#lx, want %#lx %#lx", name,
		  (unsigned long)mk.m[0], (unsigned long)mk.m[1], (unsigned long)m[0],
		  (unsigned long)m[1]);
}

Test(blkcheck, variants_agree_with_the_definition_on_adversarial_pointers)
{
	static const size_t fps[] = { 8, 24, 64, 192, 2048, 2176, 4096 + 64 };
	static const size_t lens[] = { 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64 };
	uintptr_t adv[32];
	int tried = 0;

	for (size_t v = 0; v < sizeof(isas) / sizeof(isas[0]); v++) {
		dp_blkcheck_fn fn = dp_blkcheck_variant(isas[v]);

		if (fn == NULL) {
			cr_log_info("%s: not on this CPU or build", isa_names[v]);
			continue;
		}
		tried++;
		for (size_t f = 0; f < sizeof(fps) / sizeof(fps[0]); f++) {
			size_t fp = fps[f];
			uint64_t n0 = (((uint64_t)1 << 32) - 1) / fp; /* largest chunk: 4 GiB */
			struct chunk0 keys[3];

			chunk0_init(&keys[0], (uintptr_t)0x7f1234560000ull, fp, 1000);
			chunk0_init(&keys[1], (uintptr_t)0x100000000ull - fp * 3, fp, n0); /* spans 4 GiB */
			chunk0_init(&keys[2], (uintptr_t)0x7f1234560000ull, fp, 0); /* nothing yet */
			for (size_t kk = 0; kk < 3; kk++) {
				const struct dp_blkcheck_key *k = &keys[kk].key;
				size_t nadv = adversarial(k, fp, adv);

				for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
					size_t n = lens[l];
					void *b[DP_BLKCHECK_BURST];

					/* Good bursts: descending, ascending, strided. */
					for (size_t i = 0; i < n; i++)
						b[i] = (void *)(k->lo + fp * ((n - 1 - i) % (k->n0 ? k->n0 : 1)));
					check_burst(v, &keys[kk], fp, b, n);
					for (size_t i = 0; i < n; i++)
						b[i] = (void *)(k->lo + fp * ((i * 97) % (k->n0 ? k->n0 : 1)));
					check_burst(v, &keys[kk], fp, b, n);
					/* One bad pointer at each position (the first,
					 * the vector part, the scalar tail). */
					for (size_t a = 0; a < nadv; a++)
						for (size_t j = 0; j < n; j++) {
							void *save = b[j];

							b[j] = (void *)adv[a];
							check_burst(v, &keys[kk], fp, b, n);
							b[j] = save;
						}
				}
			}
			for (size_t kk = 0; kk < 3; kk++)
				dp_blkmap_fini(&keys[kk].map);
		}
	}
	cr_assert_geq(tried, 1);
}

/* Footprints the usual test leaves out: odd ones (k == 0), the smallest,
 * a prime, and those near the 4 GiB limit (k up to 31, one block per
 * chunk); chunk 0 low, across a 4 GiB line, and at the top of the address
 * space (so NULL's offset is small). */
Test(blkcheck, variants_agree_at_extreme_footprints)
{
	static const size_t fps[] = { 8, 9, 15, 4093, 4097, (size_t)3 << 30, (size_t)1 << 31,
				      ((size_t)1 << 31) + 1, UINT32_MAX - 1, UINT32_MAX };
	static const size_t lens[] = { 1, 7, 8, 9, 16, 24, 33, 64 };
	uintptr_t adv[32];

	for (size_t v = 0; v < sizeof(isas) / sizeof(isas[0]); v++) {
		dp_blkcheck_fn fn = dp_blkcheck_variant(isas[v]);

		if (fn == NULL)
			continue;
		for (size_t f = 0; f < sizeof(fps) / sizeof(fps[0]); f++) {
			size_t fp = fps[f];
			uint64_t max = (((uint64_t)1 << 32) - 1) / fp, n0 = max < 300 ? max : 300;
			uintptr_t top = (UINTPTR_MAX - n0 * fp - 2 * fp) & ~(uintptr_t)4095;
			struct chunk0 keys[4];

			chunk0_init(&keys[0], (uintptr_t)0x10000, fp, n0);
			chunk0_init(&keys[1], (uintptr_t)0x100000000ull - fp, fp, max);
			chunk0_init(&keys[2], (uintptr_t)0x7ffff0001000ull, fp, max);
			chunk0_init(&keys[3], top, fp, n0);
			for (size_t kk = 0; kk < 4; kk++) {
				const struct dp_blkcheck_key *k = &keys[kk].key;
				size_t nadv = adversarial(k, fp, adv);

				for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
					size_t n = lens[l];
					void *b[DP_BLKCHECK_BURST];

					for (size_t i = 0; i < n; i++)
						b[i] = (void *)(k->lo + fp * ((n - 1 - i) % k->n0));
					check_burst(v, &keys[kk], fp, b, n);
					for (size_t a = 0; a < nadv; a++)
						for (size_t j = 0; j < n; j += (n > 9 ? 7 : 1)) {
							void *save = b[j];

							b[j] = (void *)adv[a];
							check_burst(v, &keys[kk], fp, b, n);
							b[j] = save;
						}
				}
			}
			for (size_t kk = 0; kk < 4; kk++)
				dp_blkmap_fini(&keys[kk].map);
		}
	}
}

Test(blkcheck, the_selected_variant_is_one_this_cpu_has)
{
	enum dp_blkcheck_isa isa = dp_blkcheck_select();

	cr_assert_not_null(dp_blkcheck_variant(isa));
	cr_assert_eq(dp_blkcheck__vec, dp_blkcheck_variant(isa));
	cr_assert_eq(dp_blkcheck__vec_check, dp_blkcheck_check_variant(isa));
	cr_log_info("burst check: %s", isa_names[isa]);
}

/* The variant each_variant() runs; pool creation re-selects the widest
 * one (dp_blkcheck_select()), so every pool created under it is followed
 * by forced_again(). */
static dp_blkcheck_fn forced;
static dp_blkcheck_check_fn forced_check;

static void
forced_again(void)
{
	if (forced != NULL) {
		dp_blkcheck__vec = forced;
		dp_blkcheck__vec_check = forced_check;
	}
}

/* A fresh tracked pool with n blocks handed out (consecutive in carve
 * order, so runs of them share state words). */
static struct dp_pool *
pool_with(struct seg_fixture *f, void **blks, size_t n)
{
	struct dp_pool_params prm = params("bc", 64, 8, 0, 0, 0);
	struct dp_pool *p;

	assert_ok(dp_pool_create(f->seg, &prm, &p));
	forced_again();
	assert_ok(dp_pool_get_bulk(p, blks, n));
	return p;
}

/* Free the 200 blocks of pool_with(), check and destroy. */
static void
done_with(struct dp_pool *p, void **blks, struct seg_fixture *f)
{
	for (size_t i = 0; i < 200; i += 50)
		assert_ok(dp_pool_put_bulk(p, blks + i, 50));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(f);
}

static size_t
idx_of(struct dp_pool *p, void *b)
{
	size_t i = 0;

	assert_ok(dp_blkmap_index(&p->map, b, &i));
	return i;
}

/* Every variant as the burst check, in turn. */
static void
each_variant(void (*fn)(void))
{
	for (size_t v = 0; v < sizeof(isas) / sizeof(isas[0]); v++) {
		dp_blkcheck_fn f = dp_blkcheck_variant(isas[v]);

		if (f == NULL)
			continue;
		forced = f;
		forced_check = dp_blkcheck_check_variant(isas[v]);
		forced_again();
		fn();
		cr_assert(dp_blkcheck__vec == f && dp_blkcheck__vec_check == forced_check,
			  "%s: the variant was not the one tested", isa_names[v]);
	}
	forced = NULL;
	(void)dp_blkcheck_select();
}

static void
repeats_refused(void)
{
	static const size_t lens[] = { 2, 3, 8, 9, 32, 33, 64 };
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	void *blks[200], *b[DP_BLKCHECK_BURST];
	struct dp_pool *p = pool_with(&f, blks, 200);

	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		size_t n = lens[l];

		/* Distinct blocks but the last, which repeats each earlier one
		 * in turn: in one word, adjacent or not; across words. */
		for (size_t r = 0; r + 1 < n; r++) {
			for (size_t i = 0; i + 1 < n; i++)
				b[i] = blks[i * (l % 2 ? 1 : 3)];
			b[n - 1] = b[r];
			assert_dp(dp_pool_put_bulk(p, b, n), DP_ERR_DOUBLE_FREE);
			for (size_t i = 0; i + 1 < n; i++)
				cr_assert_eq(dp_blkmap_state(&p->map, idx_of(p, b[i])), DP_BLK_USED,
					     "refused burst of %zu (repeat of %zu) freed block %zu", n,
					     r, i);
		}
	}
	done_with(p, blks, &f);
}

Test(blkcheck, a_repeat_within_a_burst_is_a_double_free_and_frees_nothing)
{
	each_variant(repeats_refused);
}

static void
undo_sets_back_only_own_bytes(void)
{
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	void *blks[200], *b[DP_BLKCHECK_BURST];
	struct dp_pool *p = pool_with(&f, blks, 200);

	/* One block of the burst is free already: in the burst's word, in
	 * a later word, at the end of a long burst. The refused burst must
	 * set back its own bytes, leave the free one free and the other
	 * blocks of the words (handed out, not in the burst) as they were. */
	static const size_t frees[] = { 5, 70, 150, 31 };

	for (size_t t = 0; t < sizeof(frees) / sizeof(frees[0]); t++) {
		size_t x = frees[t], n = 0;

		assert_ok(dp_pool_put(p, blks[x]));
		for (size_t i = 0; i < 200 && n < (t == 3 ? 64 : 40); i += (t == 2 ? 4 : 2))
			if (i != x)
				b[n++] = blks[i];
		b[n - 1 - t % 2] = blks[x];
		assert_dp(dp_pool_put_bulk(p, b, n), DP_ERR_DOUBLE_FREE);
		for (size_t i = 0; i < 200; i++)
			cr_assert_eq(dp_blkmap_state(&p->map, idx_of(p, blks[i])),
				     i == x ? DP_BLK_FREE : DP_BLK_USED, "case %zu, block %zu", t, i);
		assert_ok(dp_pool_get(p, &blks[x]));
	}
	done_with(p, blks, &f);
}

Test(blkcheck, a_refused_burst_sets_back_exactly_the_bytes_it_cleared)
{
	each_variant(undo_sets_back_only_own_bytes);
}

/* Free b[k] of a burst of n taken from blks (of pool_with()), then the
 * burst: refused as a double free, every block but b[k] still handed
 * out; b[k] is got back into its slot of blks. */
static void
refused_with_one_freed(struct dp_pool *p, void **blks, void **b, size_t n, size_t k)
{
	assert_ok(dp_pool_put(p, b[k]));
	assert_dp(dp_pool_put_bulk(p, b, n), DP_ERR_DOUBLE_FREE);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(dp_blkmap_state(&p->map, idx_of(p, b[i])),
			     i == k ? DP_BLK_FREE : DP_BLK_USED, "block %zu of the burst", i);
	for (size_t i = 0; i < 200; i++)
		if (blks[i] == b[k])
			assert_ok(dp_pool_get(p, &blks[i]));
}

/* A burst of 16 neighbours (the vector check's bitmap: three words of
 * state bytes) whose highest block is free already: the words below it
 * were cleared first, and must be set back. */
static void
undo_of_the_bitmap_words_before(void)
{
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	void *blks[200], *b[16];
	struct dp_pool *p = pool_with(&f, blks, 200);
	size_t top = 0, low = SIZE_MAX;

	for (size_t i = 0; i < 16; i++) {
		b[i] = blks[100 + i];
		if (idx_of(p, b[i]) < low)
			low = idx_of(p, b[i]);
		if (idx_of(p, b[i]) > idx_of(p, b[top]))
			top = i;
	}
	cr_assert_eq(idx_of(p, b[top]) - low, 15, "the 16 blocks should be neighbours");
	refused_with_one_freed(p, blks, b, 16, top);
	done_with(p, blks, &f);
}

Test(blkcheck, a_refused_bitmap_burst_sets_back_the_words_it_cleared)
{
	each_variant(undo_of_the_bitmap_words_before);
}

/*
 * The error of a refused burst, over the whole call (dp_blkcheck.c): the
 * first NULL, foreign or interior pointer decides, wherever a double free
 * stands before it; a double free alone is DOUBLE_FREE (POOL_FULL on a
 * limited pool with fewer blocks out than freed). Bursts the inline path
 * takes (2, 8 through the vector variant, 64) and the slow path (65, 130),
 * and the same in an untracked pool. Nothing changes.
 */
static void
precedence_over_the_burst(void)
{
	static const size_t lens[] = { 2, 8, 9, 64, 65, 130 };
	static const unsigned int flags[] = { 0, DP_POOL_F_NO_TRACK };
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	void *blks[200], *b[130], *spare;
	int x;

	for (size_t fl = 0; fl < 2; fl++) {
		struct dp_pool_params prm = params("prec", 64, 8, 0, 0, flags[fl]);
		struct dp_pool *p;

		assert_ok(dp_pool_create(f.seg, &prm, &p));
		forced_again();
		assert_ok(dp_pool_get_bulk(p, blks, 200));
		assert_ok(dp_pool_put(p, blks[199])); /* free: a double free below */
		for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			size_t n = lens[l];
			void *bad[3] = { NULL, &x, (char *)blks[3] + 8 };
			dp_err want[3] = { DP_ERR_NULL_PTR, DP_ERR_NOT_IN_POOL,
					   DP_ERR_NOT_BLOCK_START };

			for (size_t k = 0; k < 3; k++) {
				for (size_t i = 0; i < n; i++)
					b[i] = blks[i];
				b[0] = blks[199];       /* double free first */
				b[n - 1] = bad[k];      /* the bad pointer last */
				assert_dp(dp_pool_put_bulk(p, b, n), want[k]);
				if (n > 2) {
					b[n - 1] = blks[n - 1];
					b[n / 2] = bad[k]; /* and in the middle */
					b[n / 2 + 1] = bad[(k + 1) % 3];
					assert_dp(dp_pool_put_bulk(p, b, n), want[k]);
				}
			}
			for (size_t i = 0; i < n; i++)
				b[i] = blks[i];
			b[n - 1] = blks[199];
			/* Tracked: the byte says so; untracked: 199 blocks out,
			 * a free of n <= 130 is not a surplus and goes through
			 * (documented), so only the tracked pool is asked. */
			if (flags[fl] == 0) {
				assert_dp(dp_pool_put_bulk(p, b, n), DP_ERR_DOUBLE_FREE);
				b[n - 1] = b[0]; /* a repeat, the last pointer */
				assert_dp(dp_pool_put_bulk(p, b, n), DP_ERR_DOUBLE_FREE);
				for (size_t i = 0; i < 199; i++)
					cr_assert_eq(dp_blkmap_state(&p->map, idx_of(p, blks[i])),
						     DP_BLK_USED, "n %zu: block %zu freed", n, i);
			}
			cr_assert_eq(pool_stats(p).in_use, 199, "n %zu: refused frees changed the pool",
				     n);
		}
		assert_ok(dp_pool_get(p, &spare));
		cr_assert_eq(spare, blks[199]);
		for (size_t i = 0; i < 200; i += 50)
			assert_ok(dp_pool_put_bulk(p, blks + i, 50));
		assert_audit_ok(p);
		assert_ok(dp_pool_destroy(p));
	}
	seg_fixture_done(&f);
}

Test(blkcheck, the_first_bad_pointer_decides_over_a_double_free_in_any_burst)
{
	each_variant(precedence_over_the_burst);
}

/*
 * The bitmap's eight bits of one word as that word's mask of state bytes
 * (dp_blkcheck__spread), for every one of the 256 values: bit i must be
 * exactly block i's byte as the run-by-run path builds it
 * (dp_blkcheck__byte), on this CPU's byte order, and each byte 0 or 1.
 */
Test(blkcheck, spreading_eight_bits_gives_the_mask_of_their_state_bytes)
{
	for (uint64_t bits = 0; bits < 256; bits++) {
		uint64_t want = 0, got = dp_blkcheck__spread(bits);
		union {
			uint64_t w;
			uint8_t b[8];
		} u = { .w = got };

		for (uint32_t i = 0; i < 8; i++)
			if (bits >> i & 1)
				want |= dp_blkcheck__byte(i);
		cr_assert_eq(got, want, "spread(%#lx) = %#lx, want %#lx", (unsigned long)bits,
			     (unsigned long)got, (unsigned long)want);
		for (int i = 0; i < 8; i++)
			cr_assert_eq(u.b[i], bits >> i & 1, "spread(%#lx): byte %d in memory is %u",
				     (unsigned long)bits, i, u.b[i]);
	}
}

/*
 * A pool of 13 blocks (not a multiple of 8): its last word of state bytes
 * holds 5 blocks and 3 bytes past the last one, which no get, put or undo
 * may write (a whole-word store or compare-and-swap there must leave
 * them 0), and its bursts at the end stay exact: all 13 out and back in
 * one burst, a double free of the last block in a burst of the last word
 * and in a full one, a repeat of it.
 */
static void
end_of_the_state_bytes(void)
{
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	struct dp_pool_params prm = params("end13", 64, 8, 0, 13, 0);
	struct dp_pool *p;
	void *b[13], *by_idx[13], *tail[6];
	const uint8_t *last;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	forced_again();
	cr_assert_eq(p->map.state_cap, 13);
	last = (const uint8_t *)dp_blkmap_word(&p->map, 12);
	for (int round = 0; round < 2; round++) {
		assert_ok(dp_pool_get_bulk(p, b, 13));
		for (size_t i = 0; i < 13; i++) {
			cr_assert_eq(dp_blkmap_state(&p->map, idx_of(p, b[i])), DP_BLK_USED);
			by_idx[idx_of(p, b[i])] = b[i];
		}
		for (int i = 5; i < 8; i++)
			cr_assert_eq(last[i], 0, "byte %d past the last block written", i);
		/* 8..12 and 12 again: a repeat in the last word. */
		for (int i = 0; i < 5; i++)
			tail[i] = by_idx[8 + i];
		tail[5] = by_idx[12];
		assert_dp(dp_pool_put_bulk(p, tail, 6), DP_ERR_DOUBLE_FREE);
		assert_ok(dp_pool_put(p, by_idx[12]));
		/* Every block, the last free already: refused after the
		 * first word was cleared, set back. */
		assert_dp(dp_pool_put_bulk(p, by_idx, 13), DP_ERR_POOL_FULL);
		assert_dp(dp_pool_put_bulk(p, tail, 5), DP_ERR_DOUBLE_FREE);
		for (size_t i = 0; i < 13; i++)
			cr_assert_eq(dp_blkmap_state(&p->map, i), i == 12 ? DP_BLK_FREE : DP_BLK_USED,
				     "round %d, block %zu", round, i);
		for (int i = 5; i < 8; i++)
			cr_assert_eq(last[i], 0, "byte %d past the last block written", i);
		assert_ok(dp_pool_get(p, &by_idx[12]));
		assert_ok(dp_pool_put_bulk(p, by_idx, 13));
		for (int i = 0; i < 8; i++)
			cr_assert_eq(last[i], 0, "byte %d of the last word after all came back", i);
	}
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

Test(blkcheck, a_pool_of_13_blocks_keeps_its_last_state_word_exact)
{
	each_variant(end_of_the_state_bytes);
}

/* Destroy cache c and its pool p, audited, and the segment of f. */
static void
cached_pool_done(struct dp_pool *p, struct dp_cache *c, struct seg_fixture *f)
{
	assert_ok(dp_cache_destroy(p, c));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(f);
}

/* Put blks[0..n) reversed through cache c and get them back: the same
 * blocks in the same order. Reversed, because the cache slots still hold
 * blks from their get, so only a real copy gives this order back. */
static void
reversed_burst_comes_back(struct dp_pool *p, struct dp_cache *c, void *const *blks, size_t n)
{
	void *b[64], *back[64];
	const char *name = "?";

	for (size_t v = 0; v < sizeof(isas) / sizeof(isas[0]); v++)
		if (p->tracked ? dp_blkcheck__vec == dp_blkcheck_variant(isas[v])
			       : dp_blkcheck__vec_check == dp_blkcheck_check_variant(isas[v]))
			name = isa_names[v];
	for (size_t i = 0; i < n; i++)
		b[i] = blks[n - 1 - i];
	assert_ok(dp_pool_generic_put(p, c, b, n));
	assert_ok(dp_pool_generic_get(p, c, back, n));
	cr_assert_arr_eq(back, b, n * sizeof(void *),
			 "%s, n %zu: the cache gave back other blocks than were put", name, n);
	assert_ok(dp_pool_generic_put(p, c, back, n));
}

/* A put into a cache checks the burst while it copies it there, and a
 * tracked get out of one indexes it while it copies it out: bursts of
 * every length the variants treat differently, with one interior or
 * foreign pointer (or, tracked, a repeat) at each position, are refused
 * and leave the cache and the states as they were; good ones come back
 * from it in their order. */
static void
puts_copy_while_checking(unsigned int flags)
{
	static const size_t lens[] = { 1, 7, 8, 9, 16, 31, 32, 33, 64 };
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	struct dp_pool_params prm = params("bcu", 64, 8, 0, 0, flags);
	struct dp_pool *p;
	struct dp_cache *c;
	struct dp_pool_stats st0, st;
	void *blks[64], *b[64];
	char foreign[64];

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	forced_again();
	assert_ok(dp_cache_create(p, 256, &c));
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		size_t n = lens[l];

		assert_ok(dp_pool_generic_get(p, c, blks, n));
		assert_ok(dp_pool_stats(p, &st0));
		for (size_t j = 0; j < n; j++) {
			memcpy(b, blks, n * sizeof(void *));
			b[j] = (char *)blks[j] + 8;
			assert_dp(dp_pool_generic_put(p, c, b, n), DP_ERR_NOT_BLOCK_START);
			b[j] = foreign;
			assert_dp(dp_pool_generic_put(p, c, b, n), DP_ERR_NOT_IN_POOL);
			if (!p->tracked || n < 2)
				continue;
			b[j] = blks[(j + 1) % n];
			assert_dp(dp_pool_generic_put(p, c, b, n), DP_ERR_DOUBLE_FREE);
		}
		assert_ok(dp_pool_stats(p, &st));
		cr_assert_eq(st.in_caches, st0.in_caches, "n %zu: a refused put changed the cache", n);
		cr_assert_eq(st.in_use, st0.in_use);
		reversed_burst_comes_back(p, c, blks, n);
	}
	cached_pool_done(p, c, &f);
}

static void
untracked_puts_copy_while_checking(void)
{
	puts_copy_while_checking(DP_POOL_F_NO_TRACK);
}

Test(blkcheck, untracked_puts_copy_while_checking)
{
	each_variant(untracked_puts_copy_while_checking);
}

static void
tracked_puts_and_gets_copy_while_indexing(void)
{
	puts_copy_while_checking(0);
}

Test(blkcheck, tracked_puts_and_gets_copy_while_indexing)
{
	each_variant(tracked_puts_and_gets_copy_while_indexing);
}

/* A cached put whose burst has a valid block outside chunk 0: the
 * chunk-0 check says false (copy unspecified), the general lookup takes
 * the burst, so the cache must hold the burst itself, not what its slots
 * held before (a block handed out twice, another lost); and a tracked get
 * of that burst out of the cache, refused by the check the same way, must
 * still copy it out. */
static void
put_of_a_later_chunk_lands_in_the_cache(unsigned int flags)
{
	static const size_t lens[] = { 9, 12, 15, 17, 33, 63 };
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("bcl", 64, 8, 4, 0, flags);
	struct dp_pool *p;
	struct dp_cache *c;
	void *blks[64], *gap;

	prm.grow_batch = 4;
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	forced_again();
	if (p->tracked != !(flags & DP_POOL_F_NO_TRACK)) {
		cr_log_info("debug checks track every pool: nothing to test");
		assert_ok(dp_pool_destroy(p));
		seg_fixture_done(&f);
		return;
	}
	assert_ok(dp_seg_alloc(f.seg, 100, 1, &gap, NULL)); /* later carves: chunk 1 */
	assert_ok(dp_cache_create(p, 256, &c));
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		size_t n = lens[l], in0 = 0;

		assert_ok(dp_pool_generic_get(p, c, blks, n));
		cr_assert_gt(atomic_load(&p->map.tab)->n, 1, "the pool should be two chunks");
		for (size_t j = 0; j < n; j++)
			in0 += dp_blkcheck__chunk0_check(&p->map, &blks[j], 1, NULL);
		cr_assert_lt(in0, n, "n %zu: every block in chunk 0", n);
		reversed_burst_comes_back(p, c, blks, n);
	}
	cached_pool_done(p, c, &f);
}

static void
untracked_put_of_a_later_chunk_lands_in_the_cache(void)
{
	put_of_a_later_chunk_lands_in_the_cache(DP_POOL_F_NO_TRACK);
}

static void
tracked_put_of_a_later_chunk_lands_in_the_cache(void)
{
	put_of_a_later_chunk_lands_in_the_cache(0);
}

Test(blkcheck, tracked_put_of_a_later_chunk_lands_in_the_cache)
{
	each_variant(tracked_put_of_a_later_chunk_lands_in_the_cache);
}

Test(blkcheck, untracked_put_of_a_later_chunk_lands_in_the_cache)
{
	each_variant(untracked_put_of_a_later_chunk_lands_in_the_cache);
}

/* A refused bitmap burst whose failing word is a whole one (eight blocks
 * of the burst): the whole words claimed before it in the same 64 blocks
 * are set back too. */
static void
undo_before_a_failing_whole_word(void)
{
	struct seg_fixture f = seg_fixture(4u << 20, 0, 1);
	void *blks[200], *b[24];
	struct dp_pool *p = pool_with(&f, blks, 200);
	size_t got = 0;

	for (size_t want = 96; want < 120; want++)
		for (size_t i = 0; i < 200; i++)
			if (idx_of(p, blks[i]) == want)
				b[got++] = blks[i];
	cr_assert_eq(got, 24, "blocks 96..119 should be out");
	refused_with_one_freed(p, blks, b, 24, 20); /* block 116: its word fails */
	done_with(p, blks, &f);
}

Test(blkcheck, a_refused_bitmap_burst_failing_on_a_whole_word_sets_back_those_before)
{
	each_variant(undo_before_a_failing_whole_word);
}

/* EAL's --force-max-simd-bitwidth=w: a pool created after rte_eal_init()
 * chooses the widest variant this CPU has within w, and its bursts are
 * checked there; one created before it chose under the platform default
 * (256 bits), as dp_blkcheck_select() documents. */
static void
simd_limit_chooses(unsigned int w)
{
	char arg[48];
	const char *extra[] = { arg, NULL };
	enum dp_blkcheck_isa want = DP_BLKCHECK_SCALAR, before = DP_BLKCHECK_SCALAR;
	struct seg_fixture f = seg_fixture(1u << 20, 0, 1);
	struct dp_pool_params prm = params("simd", 64, 8, 16, 0, 0);
	struct dp_pool *early, *p;
	void *b[16];

	if (dp_blkcheck_variant(DP_BLKCHECK_AVX2) != NULL)
		before = DP_BLKCHECK_AVX2;
	if (w >= 512 && dp_blkcheck_variant(DP_BLKCHECK_AVX512) != NULL)
		want = DP_BLKCHECK_AVX512;
	else if (w >= 256 && dp_blkcheck_variant(DP_BLKCHECK_AVX2) != NULL)
		want = DP_BLKCHECK_AVX2;
	assert_ok(dp_pool_create(f.seg, &prm, &early));
	cr_assert_eq(dp_blkcheck__vec, dp_blkcheck_variant(before),
		     "before EAL: not the %s variant", isa_names[before]);
	snprintf(arg, sizeof(arg), "--force-max-simd-bitwidth=%u", w);
	eal_up_with("0", "64", extra);
	prm.name = "simd2";
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	cr_assert(dp_blkcheck__vec == dp_blkcheck_variant(want) &&
			  dp_blkcheck__vec_check == dp_blkcheck_check_variant(want),
		  "limit %u: not the %s variant", w, isa_names[want]);
	cr_log_info("limit %u: %s", w, isa_names[want]);
	assert_ok(dp_pool_get_bulk(p, b, 16));
	b[15] = (char *)b[15] + 8;
	assert_dp(dp_pool_put_bulk(p, b, 16), DP_ERR_NOT_BLOCK_START);
	b[15] = (char *)b[15] - 8;
	assert_ok(dp_pool_put_bulk(p, b, 8));
	assert_dp(dp_pool_put_bulk(p, b, 16), DP_ERR_DOUBLE_FREE);
	assert_ok(dp_pool_put_bulk(p, b + 8, 8));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_pool_destroy(early));
	seg_fixture_done(&f);
	rte_eal_cleanup();
}

Test(blkcheck, eal_simd_limit_128_chooses_scalar)
{
	simd_limit_chooses(128);
}

Test(blkcheck, eal_simd_limit_256_chooses_avx2_at_most)
{
	simd_limit_chooses(256);
}

Test(blkcheck, eal_simd_limit_512_chooses_the_widest)
{
	simd_limit_chooses(512);
}
