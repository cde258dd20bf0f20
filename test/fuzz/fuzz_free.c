/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Frees in dp_fuzz: dp_pool_put* and dp_pool_generic_put on native pools,
 * Mem_DynPoolBlkFree on uC/LIB pools, good and bad.
 *
 * The error of a refused free is predicted from dp_pool.h's precedence
 * (NULL, not in pool / not a block start, pool full, double free). Only
 * frees whose answer the contract fixes are made: on pools that do not
 * track block state, a double free that is not a surplus would silently
 * corrupt the pool by design, so it is never attempted.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* "Any answer may be right": the free is not attempted. */
#define FZ_UNPREDICTABLE ((dp_err)-1)

static dp_err
expect_put(const struct fz_pool *p, int pi, void *const *e, size_t n, bool uncached, dp_err *alt)
{
	size_t seen[FZ_MAX_BULK + 1], nseen = 0, idx = 0;
	bool surplus_entry = false, limited = p->maximum != DP_POOL_UNLIMITED;
	bool surplus = p->in_use < n;
	/* What an untracked pool sees of a surplus: more frees than blocks
	 * out of the shared pool, handed out or cached (dp_pool.h). */
	bool surplus_out = p->in_use + fz_in_caches(pi) < n;
	dp_err want;

	*alt = FZ_UNPREDICTABLE;
	for (size_t i = 0; i < n; i++) {
		if (e[i] == NULL) /* an unchecked pool takes it as it is */
			return p->checked ? DP_ERR_NULL_PTR : FZ_UNPREDICTABLE;
		switch (fz_classify(p, (uintptr_t)e[i], &idx)) {
		case FZ_C_FOREIGN:
			return p->checked ? DP_ERR_NOT_IN_POOL : FZ_UNPREDICTABLE;
		case FZ_C_INTERIOR:
			return p->checked ? DP_ERR_NOT_BLOCK_START : FZ_UNPREDICTABLE;
		case FZ_C_BLOCK: {
			bool again = false;

			for (size_t j = 0; j < nseen; j++)
				again |= seen[j] == idx;
			if (!p->is_live[idx] || again)
				surplus_entry = true;
			seen[nseen++] = idx;
			break;
		}
		}
	}
	if (!surplus_entry)
		return DP_OK;
	/* A block that is not out: pool full (limited, fewer out than
	 * freed) ranks before double free. */
	if (limited && surplus) {
		if (p->tracked && !uncached)
			*alt = DP_ERR_DOUBLE_FREE; /* "caught as a double free" through a cache */
		if (p->tracked)
			return DP_ERR_POOL_FULL;
		return uncached && surplus_out ? DP_ERR_POOL_FULL : FZ_UNPREDICTABLE;
	}
	if (p->tracked)
		return DP_ERR_DOUBLE_FREE;
	/* Untracked: only a surplus over the blocks out of the shared pool is
	 * caught, and only without a cache; an unlimited pool calls it a
	 * double free. */
	return !limited && surplus_out && uncached ? DP_ERR_DOUBLE_FREE : FZ_UNPREDICTABLE;
}

/* n distinct live blocks of p, at random. */
static size_t
pick_live(struct fz_rec *r, const struct fz_pool *p, void **out, size_t n)
{
	size_t *tmp;

	if (n > p->in_use)
		n = p->in_use;
	if (n == 0)
		return 0;
	tmp = malloc(p->in_use * sizeof(*tmp));
	FZ_CHECK(tmp != NULL, "harness out of memory");
	memcpy(tmp, p->live_list, p->in_use * sizeof(*tmp));
	for (size_t i = 0; i < n; i++) {
		size_t j = i + fz_randn(r, p->in_use - i), t = tmp[i];

		tmp[i] = tmp[j];
		tmp[j] = t;
		out[i] = (void *)fz_blk_addr(p, tmp[i]);
	}
	free(tmp);
	return n;
}

/* Free e[0..n) through the path and check the answer and the cache. */
static void
do_put(struct fz_pool *p, int pi, int path, struct fz_cache *c, void **e, size_t n)
{
	bool uncached = c == NULL;
	size_t inc = fz_in_caches(pi), idx;
	struct dp_pool_stats st;
	dp_err want, alt, got;

	want = expect_put(p, pi, e, n, uncached, &alt);
	FZ_TRACE("pool %d path %d n %zu cache %s in_use %zu -> %s", pi, path, n,
		 c ? "yes" : "no", p->in_use,
		 want == FZ_UNPREDICTABLE ? "(not attempted)" : dp_errname(want));
	if (want == FZ_UNPREDICTABLE)
		return;
	if (p->uclib) {
		LIB_ERR le;

		/* uC/LIB refuses any free to a limited pool with nothing handed
		 * out before it looks at the pointer (a NULL pointer first): the
		 * native pool never sees it, so nothing is counted. */
		if (e[0] != NULL && p->maximum != DP_POOL_UNLIMITED && p->in_use == 0) {
			Mem_DynPoolBlkFree(&p->upool, e[0], &le);
			FZ_EXPECT_LIB(le, fz_lib_pool_err(DP_ERR_POOL_FULL, false));
			return;
		}
		Mem_DynPoolBlkFree(&p->upool, e[0], &le);
		if (alt != FZ_UNPREDICTABLE && le == fz_lib_pool_err(alt, false))
			want = alt;
		FZ_EXPECT_LIB(le, fz_lib_pool_err(want, false));
		got = want;
	} else {
		got = path == 0 ? dp_pool_put(p->pool, e[0])
		    : path == 1 ? dp_pool_put_bulk(p->pool, e, n)
				: dp_pool_generic_put(p->pool, c ? c->c : NULL, e, n);
		if (alt != FZ_UNPREDICTABLE && got == alt)
			want = alt;
		FZ_EXPECT(got, want);
	}
	if (got != DP_OK) {
		fz_count_fail(p, got);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		(void)fz_classify(p, (uintptr_t)e[i], &idx);
		fz_give(p, idx);
	}
	p->puts += n;
	fz_stats(p, &st);
	if (!uncached) {
		long long len = (long long)c->len + ((long long)st.in_caches - (long long)inc);

		FZ_CHECK(len >= 0 && len <= 2 * (long long)c->size,
			 "cache of size %u holds %lld blocks after a put", c->size, len);
		c->len = (size_t)len;
	} else {
		FZ_CHECK(st.in_caches == inc, "uncached put moved cached blocks (%zu -> %zu)", inc,
			 st.in_caches);
	}
}

static int
pick_path(struct fz_rec *r, const struct fz_pool *p, int pi, struct fz_cache **c)
{
	int path = fz_u8(r) % 4, ci;

	*c = NULL;
	if (p->uclib)
		return 0;
	if (path == 3 && (ci = fz_pick_cache(r, pi)) >= 0)
		*c = &M.caches[ci];
	return path;
}

void
op_put(struct fz_rec *r)
{
	int pi = fz_pick_pool(r), path;
	void *e[FZ_MAX_BULK];
	struct fz_cache *c;
	struct fz_pool *p;
	size_t n;

	if (pi < 0)
		return;
	p = &M.pools[pi];
	path = pick_path(r, p, pi, &c);
	n = path == 0 ? 1 : fz_pick_n(r);
	if (path != 0 && fz_u8(r) % 8 == 0)
		n = p->in_use; /* everything, now and then */
	if (n > FZ_MAX_BULK)
		n = FZ_MAX_BULK;
	n = pick_live(r, p, e, n);
	if (n == 0)
		return;
	do_put(p, pi, path, c, e, n);
}

enum { BP_NULL, BP_FOREIGN, BP_INTERIOR, BP_OTHER_POOL, BP_FREE, BP_DUP, BP__N };

/* A free with exactly one bad entry among live blocks. */
void
op_bad_put(struct fz_rec *r)
{
	int pi = fz_pick_pool(r), kind = fz_u8(r) % BP__N, path, local = 0;
	void *e[FZ_MAX_BULK + 1], *bad = NULL;
	struct fz_cache *c;
	struct fz_pool *p;
	size_t nlive, pos;

	if (pi < 0)
		return;
	p = &M.pools[pi];
	path = pick_path(r, p, pi, &c);
	nlive = path == 0 ? 0 : fz_u8(r) % 9;
	if (kind == BP_DUP) {
		if (p->uclib || p->in_use == 0)
			return;
		if (path == 0)
			path = 1;
		if (nlive == 0)
			nlive = 1;
	}
	nlive = pick_live(r, p, e, nlive);

	switch (kind) {
	case BP_NULL:
		break;
	case BP_FOREIGN:
		switch (fz_u8(r) % 5) {
		case 0: bad = &local; break;
		case 1: bad = (void *)(uintptr_t)(1 + fz_u8(r)); break;
		case 2: bad = &fz_arena[fz_u16(r) % FZ_ARENA_SIZE]; break;
		case 3: /* just past the last block */
			if (p->nchunks == 0)
				return;
			bad = (void *)(p->chunks[p->nchunks - 1].start +
				       p->chunks[p->nchunks - 1].count * p->fp);
			break;
		default:
			bad = &fz_arena[fz_u16(r) % FZ_ARENA_SIZE];
			for (int i = 0; i < FZ_MAX_ALLOCS; i++)
				if (M.allocs[i].live) {
					bad = (void *)M.allocs[i].addr;
					break;
				}
			break;
		}
		break;
	case BP_INTERIOR:
		if (p->carved == 0)
			return;
		bad = (void *)(fz_blk_addr(p, fz_randn(r, p->carved)) + 1 + fz_randn(r, p->fp - 1));
		break;
	case BP_OTHER_POOL: {
		int qi = fz_pick_pool(r);

		if (qi < 0 || qi == pi || M.pools[qi].carved == 0)
			return;
		bad = (void *)fz_blk_addr(&M.pools[qi], fz_randn(r, M.pools[qi].carved));
		break;
	}
	case BP_FREE: {
		size_t start;

		if (p->carved == p->in_use)
			return;
		start = fz_randn(r, p->carved);
		for (size_t i = 0; i < p->carved; i++) {
			size_t idx = (start + i) % p->carved;

			if (!p->is_live[idx]) {
				bad = (void *)fz_blk_addr(p, idx);
				break;
			}
		}
		break;
	}
	case BP_DUP:
		bad = e[fz_randn(r, nlive)];
		break;
	}
	pos = fz_u8(r) % (nlive + 1);
	memmove(&e[pos + 1], &e[pos], (nlive - pos) * sizeof(e[0]));
	e[pos] = bad;
	if (path == 0 && nlive > 0)
		path = 1;
	do_put(p, pi, path, c, e, nlive + 1);
}
