/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Library versus model in dp_fuzz: the comparisons made after every
 * operation (segment usage, pool counters), and the end of every input,
 * where every block must come home (fz_teardown).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* ---- library versus model --------------------------------------------- */

void
fz_stats(const struct fz_pool *p, struct dp_pool_stats *st)
{
	FZ_EXPECT(dp_pool_stats(p->pool, st), DP_OK);
}

static void
sync_pool(int pi)
{
	struct fz_pool *p = &M.pools[pi];
	struct dp_pool_stats st;
	size_t inc = fz_in_caches(pi);

	fz_stats(p, &st);
	if (p->in_use + inc > p->hwm)
		p->hwm = p->in_use + inc;
	FZ_CHECK(st.carved == p->carved && st.in_use == p->in_use &&
			 st.free == p->carved - p->in_use && st.in_caches == inc,
		 "pool %d stats: carved %zu in_use %zu free %zu in_caches %zu; model: carved %zu "
		 "in_use %zu free %zu in_caches %zu",
		 pi, st.carved, st.in_use, st.free, st.in_caches, p->carved, p->in_use,
		 p->carved - p->in_use, inc);
	FZ_CHECK(st.high_watermark == p->hwm, "pool %d high watermark %zu, model %zu", pi,
		 st.high_watermark, p->hwm);
	FZ_CHECK(st.grow_events == p->grow_events, "pool %d grow_events %llu, model %llu", pi,
		 (unsigned long long)st.grow_events, (unsigned long long)p->grow_events);
	FZ_CHECK(st.fail_pool_empty == p->fails[FZ_F_EMPTY] &&
			 st.fail_seg_overflow == p->fails[FZ_F_SEGOVF] &&
			 st.fail_not_in_pool == p->fails[FZ_F_NOTIN] &&
			 st.fail_not_block_start == p->fails[FZ_F_NOTSTART] &&
			 st.fail_double_free == p->fails[FZ_F_DOUBLE] &&
			 st.fail_pool_full == p->fails[FZ_F_FULL] && st.fail_no_memory == 0,
		 "pool %d failure counters (empty %llu segovf %llu notin %llu notstart %llu "
		 "double %llu full %llu nomem %llu) differ from the model (%llu %llu %llu %llu "
		 "%llu %llu 0)",
		 pi, (unsigned long long)st.fail_pool_empty,
		 (unsigned long long)st.fail_seg_overflow, (unsigned long long)st.fail_not_in_pool,
		 (unsigned long long)st.fail_not_block_start,
		 (unsigned long long)st.fail_double_free, (unsigned long long)st.fail_pool_full,
		 (unsigned long long)st.fail_no_memory, (unsigned long long)p->fails[FZ_F_EMPTY],
		 (unsigned long long)p->fails[FZ_F_SEGOVF], (unsigned long long)p->fails[FZ_F_NOTIN],
		 (unsigned long long)p->fails[FZ_F_NOTSTART],
		 (unsigned long long)p->fails[FZ_F_DOUBLE], (unsigned long long)p->fails[FZ_F_FULL]);
#if DP_STATS
	FZ_CHECK(st.gets == p->gets && st.puts == p->puts,
		 "pool %d gets/puts %llu/%llu, model %llu/%llu", pi, (unsigned long long)st.gets,
		 (unsigned long long)st.puts, (unsigned long long)p->gets,
		 (unsigned long long)p->puts);
#endif
}

static void
sync_seg(int si)
{
	const struct fz_seg *s = &M.segs[si];
	struct dp_seg_info info;

	FZ_EXPECT(dp_seg_info(s->seg, &info), DP_OK);
	FZ_CHECK((uintptr_t)info.base == s->base && info.len == s->len &&
			 info.padding == s->padding && info.used == s->used &&
			 info.pools == (size_t)s->npools,
		 "segment %d info: base %p len %zu padding %zu used %zu pools %zu; model: "
		 "base %#lx len %zu padding %zu used %zu pools %d",
		 si, info.base, info.len, info.padding, info.used, info.pools,
		 (unsigned long)s->base, s->len, s->padding, s->used, s->npools);
}

void
fz_sync_all(void)
{
	for (int i = 0; i < FZ_MAX_SEGS; i++)
		if (M.segs[i].live)
			sync_seg(i);
	for (int i = 0; i < FZ_MAX_POOLS; i++)
		if (M.pools[i].live)
			sync_pool(i);
}

/* ---- end of an input: nothing may be lost ------------------------------ */

void
fz_audit(int pi)
{
	struct fz_pool *p = &M.pools[pi];
	struct dp_pool_audit a;
	size_t avail, want = p->carved - p->in_use;

	FZ_EXPECT(dp_pool_audit(p->pool, &a), DP_OK);
	FZ_CHECK(a.carved == p->carved && a.free_listed == want && a.in_use == p->in_use &&
			 a.in_caches == fz_in_caches(pi) && a.bad_entries == 0 &&
			 a.duplicates == 0 && a.state_mismatch == 0,
		 "pool %d audit: carved %zu free_listed %zu in_use %zu in_caches %zu bad %zu "
		 "dup %zu mismatch %zu",
		 pi, a.carved, a.free_listed, a.in_use, a.in_caches, a.bad_entries, a.duplicates,
		 a.state_mismatch);
	FZ_EXPECT(dp_pool_avail(p->pool, &avail), DP_OK);
	{
		size_t room = fz_fit(&M.segs[p->seg], p->walign, p->fp), allow = fz_allowance(p);

		want += room < allow ? room : allow;
	}
	FZ_CHECK(avail == want, "pool %d avail %zu, model %zu", pi, avail, want);
}

/* Free all[0..n), every live block of p, in one bulk put; frees all. */
static void
put_all(struct fz_pool *p, void **all, size_t n)
{
	FZ_EXPECT(dp_pool_put_bulk(p->pool, all, n), DP_OK);
	while (p->in_use > 0)
		fz_give(p, p->live_list[p->in_use - 1]);
	p->puts += n;
	free(all);
}

/* Every block comes home: caches flushed and every live block freed, the
 * pool must list exactly what it carved, then hand all of it out again
 * without carving (proof that no block was lost or listed twice). */
static void
drain_pool(int pi)
{
	struct fz_pool *p = &M.pools[pi];
	struct dp_pool_stats st;
	void **all;
	size_t n;

	M.opname = "teardown: flush caches";
	for (int i = 0; i < FZ_MAX_CACHES; i++) {
		struct fz_cache *c = &M.caches[i];

		if (c->live && c->pool == pi) {
			FZ_EXPECT(dp_cache_flush(p->pool, c->c), DP_OK);
			c->len = 0;
		}
	}
	fz_sync_all();
	M.opname = "teardown: free live blocks";
	n = p->in_use;
	if (n > 0) {
		all = malloc(n * sizeof(void *));
		FZ_CHECK(all != NULL, "harness out of memory");
		for (size_t i = 0; i < n; i++)
			all[i] = (void *)fz_blk_addr(p, p->live_list[i]);
		put_all(p, all, n);
	}
	fz_sync_all();
	fz_audit(pi);

	M.opname = "teardown: get every carved block";
	n = p->carved;
	if (n > 0) {
		all = malloc(n * sizeof(void *));
		FZ_CHECK(all != NULL, "harness out of memory");
		FZ_EXPECT(dp_pool_get_bulk(p->pool, all, n), DP_OK);
		fz_stats(p, &st);
		FZ_CHECK(st.carved == p->carved, "getting the %zu free blocks carved %zu more", n,
			 st.carved - p->carved);
		for (size_t i = 0; i < n; i++)
			fz_take(p, all[i]);
		p->gets += n;
		fz_sync_all();
		put_all(p, all, n);
		fz_sync_all();
		fz_audit(pi);
	}

	M.opname = "teardown: destroy";
	for (int i = 0; i < FZ_MAX_CACHES; i++) {
		struct fz_cache *c = &M.caches[i];

		if (c->live && c->pool == pi) {
			FZ_EXPECT(dp_cache_destroy(p->pool, c->c), DP_OK);
			memset(c, 0, sizeof(*c));
		}
	}
	FZ_EXPECT(dp_pool_destroy(p->pool), DP_OK);
	fz_pool_forget(pi);
}

void
fz_teardown(void)
{
	size_t owned;

	for (int i = 0; i < FZ_MAX_POOLS; i++)
		if (M.pools[i].live)
			drain_pool(i);
	M.opname = "teardown: segments";
	fz_sync_all();
	for (int i = 0; i < FZ_MAX_SEGS; i++) {
		struct fz_seg *s = &M.segs[i];

		if (!s->live)
			continue;
		fz_allocs_drop(i);
		FZ_EXPECT(dp_seg_destroy(s->seg), DP_OK);
		memset(s, 0, sizeof(*s));
	}
	owned = fz_owner_first();
	FZ_CHECK(owned == FZ_ARENA_SIZE, "model: arena byte %zu still held after teardown", owned);
	memset(&M, 0, sizeof(M));
}
