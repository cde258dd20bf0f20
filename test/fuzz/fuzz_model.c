/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference model of dp_fuzz: where blocks are and who holds them.
 *
 * The model never asks the library where a block should be: it predicts
 * every carve's address from its own copy of the segment's bump offset
 * (block layout and alignment rules of dp_pool.h and doc/design.md), and
 * learns only *how many* blocks a growth carved (the growth policy is the
 * library's business; the bounds on it are checked in fuzz_pool.c).
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct fz_model M;
alignas(4096) unsigned char fz_arena[FZ_ARENA_SIZE];
bool fz_trace_on;

/* Bytes of the arena held by a caller right now (live blocks and direct
 * allocations): two handouts that overlap trip over each other here, not
 * in the code that computed them. */
static uint8_t owner[FZ_ARENA_SIZE];

static void
dump_model(void)
{
	for (int i = 0; i < FZ_MAX_SEGS; i++) {
		const struct fz_seg *s = &M.segs[i];

		if (s->live)
			fprintf(stderr, "  seg %d%s: base %#lx len %zu padding %zu used %zu pools %d\n",
				i, s->uclib ? " (uC/LIB)" : "", (unsigned long)s->base, s->len,
				s->padding, s->used, s->npools);
	}
	for (int i = 0; i < FZ_MAX_POOLS; i++) {
		const struct fz_pool *p = &M.pools[i];

		if (p->live)
			fprintf(stderr,
				"  pool %d%s on seg %d: bsize %zu align %zu fp %zu initial %zu max %zu "
				"batch %zu flags %#x cache %u; carved %zu in_use %zu chunks %zu\n",
				i, p->uclib ? " (uC/LIB)" : "", p->seg, p->bsize, p->walign, p->fp,
				p->initial, p->maximum, p->grow_batch, p->flags, p->cache_size,
				p->carved, p->in_use, p->nchunks);
	}
	for (int i = 0; i < FZ_MAX_CACHES; i++) {
		const struct fz_cache *c = &M.caches[i];

		if (c->live)
			fprintf(stderr, "  cache %d of pool %d: size %u len %zu\n", i, c->pool,
				c->size, c->len);
	}
}

void
fz_trace(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "op %d %s: ", M.op, M.opname ? M.opname : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
fz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\ndp_fuzz: DIVERGENCE at op %d (%s), %s:%d:\n  ", M.op,
		M.opname ? M.opname : "setup", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nmodel state:\n");
	dump_model();
	fflush(stderr);
	abort();
}

/* ---- arithmetic ------------------------------------------------------- */

bool
fz_pow2(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

bool
fz_align_up(uintptr_t x, size_t a, uintptr_t *out)
{
	uintptr_t mask = (uintptr_t)a - 1;

	if (x > UINTPTR_MAX - mask)
		return false;
	*out = (x + mask) & ~mask;
	return true;
}

/* Blocks of footprint fp that still fit: from the next walign boundary
 * to the segment's end (dp_pool_avail's "segment's room"). */
size_t
fz_fit(const struct fz_seg *s, size_t walign, size_t fp)
{
	uintptr_t end = s->base + s->len, start;

	if (!fz_align_up(s->base + s->used, walign, &start) || start >= end)
		return 0;
	return (end - start) / fp;
}

size_t
fz_allowance(const struct fz_pool *p)
{
	return p->maximum != DP_POOL_UNLIMITED ? p->maximum - p->carved : SIZE_MAX;
}

size_t
fz_in_caches(int pool)
{
	size_t n = 0;

	for (int i = 0; i < FZ_MAX_CACHES; i++)
		if (M.caches[i].live && M.caches[i].pool == pool)
			n += M.caches[i].len;
	return n;
}

uint8_t
fz_new_tag(void)
{
	M.next_tag = (uint8_t)(M.next_tag % 255 + 1); /* never 0: 0 means "no tag" */
	return M.next_tag;
}

/* ---- owner map -------------------------------------------------------- */

static size_t
arena_off(uintptr_t a, size_t len, const char *what)
{
	uintptr_t lo = (uintptr_t)fz_arena;

	FZ_CHECK(a >= lo && a - lo <= FZ_ARENA_SIZE && len <= FZ_ARENA_SIZE - (a - lo),
		 "%s [%#lx, +%zu) is outside the arena [%#lx, +%u)", what, (unsigned long)a, len,
		 (unsigned long)lo, FZ_ARENA_SIZE);
	return a - lo;
}

void
fz_owner_mark(uintptr_t a, size_t len, const char *what)
{
	size_t off = arena_off(a, len, what);

	for (size_t i = 0; i < len; i++)
		FZ_CHECK(owner[off + i] == 0,
			 "%s [%#lx, +%zu) overlaps a live handout at byte %#lx", what,
			 (unsigned long)a, len, (unsigned long)(a + i));
	memset(&owner[off], 1, len);
}

void
fz_owner_clear(uintptr_t a, size_t len)
{
	memset(&owner[arena_off(a, len, "released range")], 0, len);
}

/* Offset of the first byte still owned, or FZ_ARENA_SIZE. */
size_t
fz_owner_first(void)
{
	static const uint8_t zero[4096];

	for (size_t off = 0; off < FZ_ARENA_SIZE; off += sizeof(zero))
		if (memcmp(&owner[off], zero, sizeof(zero)) != 0)
			for (size_t i = off;; i++)
				if (owner[i] != 0)
					return i;
	return FZ_ARENA_SIZE;
}

/* ---- blocks ----------------------------------------------------------- */

enum fz_class
fz_classify(const struct fz_pool *p, uintptr_t a, size_t *idx)
{
	for (size_t i = 0; i < p->nchunks; i++) {
		const struct fz_chunk *c = &p->chunks[i];
		size_t off = a - c->start;

		if (a >= c->start && off < c->count * p->fp) {
			if (off % p->fp != 0)
				return FZ_C_INTERIOR;
			*idx = c->first + off / p->fp;
			return FZ_C_BLOCK;
		}
	}
	return FZ_C_FOREIGN;
}

uintptr_t
fz_blk_addr(const struct fz_pool *p, size_t idx)
{
	for (size_t i = 0; i < p->nchunks; i++) {
		const struct fz_chunk *c = &p->chunks[i];

		if (idx >= c->first && idx - c->first < c->count)
			return c->start + (idx - c->first) * p->fp;
	}
	fz_fail(__FILE__, __LINE__, "model: block index %zu beyond %zu carved", idx, p->carved);
}

static void *
grow_array(void *a, size_t old, size_t n, size_t elem)
{
	unsigned char *b = realloc(a, n * elem);

	FZ_CHECK(b != NULL, "harness out of memory");
	memset(b + old * elem, 0, (n - old) * elem);
	return b;
}

static void
reserve_blocks(struct fz_pool *p, size_t n)
{
	size_t cap = p->cap ? p->cap : 64;

	if (n <= p->cap)
		return;
	while (cap < n)
		cap *= 2;
	p->is_live = grow_array(p->is_live, p->cap, cap, 1);
	p->tag = grow_array(p->tag, p->cap, cap, 1);
	p->live_list = grow_array(p->live_list, p->cap, cap, sizeof(size_t));
	p->live_pos = grow_array(p->live_pos, p->cap, cap, sizeof(size_t));
	p->cap = cap;
}

/* The library carved k blocks: they must be where the bump pointer says,
 * on the pool's alignment, and fit in the segment. */
void
fz_carve(struct fz_pool *p, size_t k)
{
	struct fz_seg *s = &M.segs[p->seg];
	size_t fit = fz_fit(s, p->walign, p->fp);
	uintptr_t start = 0;
	struct fz_chunk *last;

	FZ_CHECK(k <= fit, "pool carved %zu blocks but only %zu fit in the segment", k, fit);
	if (k == 0)
		return;
	(void)fz_align_up(s->base + s->used, p->walign, &start); /* fit > 0: no wrap */
	reserve_blocks(p, p->carved + k);
	last = p->nchunks ? &p->chunks[p->nchunks - 1] : NULL;
	if (last != NULL && last->start + last->count * p->fp == start) {
		last->count += k;
	} else {
		if (p->nchunks == p->chunk_cap) {
			size_t cap = p->chunk_cap ? 2 * p->chunk_cap : 8;

			p->chunks = grow_array(p->chunks, p->chunk_cap, cap, sizeof(*p->chunks));
			p->chunk_cap = cap;
		}
		p->chunks[p->nchunks++] = (struct fz_chunk){ start, k, p->carved };
	}
	p->carved += k;
	s->used = start + k * p->fp - s->base;
}

/* The library handed blk out of pool p. */
void
fz_take(struct fz_pool *p, void *blk)
{
	const struct fz_seg *s = &M.segs[p->seg];
	uintptr_t a = (uintptr_t)blk;
	size_t idx = 0;
	uint8_t t;

	FZ_CHECK(blk != NULL, "pool handed out NULL");
	FZ_CHECK(a >= s->base && a - s->base <= s->len && p->fp <= s->len - (a - s->base),
		 "block %p (footprint %zu) is outside its segment [%#lx, +%zu)", blk, p->fp,
		 (unsigned long)s->base, s->len);
	FZ_CHECK(a % p->align == 0, "block %p misses block_align %zu", blk, p->align);
	if (p->hw)
		FZ_CHECK(a % s->padding == 0 && (a + p->fp) % s->padding == 0,
			 "HW block %p (footprint %zu) does not own whole padding units of %zu",
			 blk, p->fp, s->padding);
	switch (fz_classify(p, a, &idx)) {
	case FZ_C_FOREIGN:
		fz_fail(__FILE__, __LINE__, "pool handed out %p, which it never carved", blk);
	case FZ_C_INTERIOR:
		fz_fail(__FILE__, __LINE__, "pool handed out %p, inside a block (footprint %zu)",
			blk, p->fp);
	case FZ_C_BLOCK:
		break;
	}
	FZ_CHECK(!p->is_live[idx], "block %p (index %zu) handed out twice", blk, idx);
	fz_owner_mark(a, p->fp, "block");
	/* The pool must not write into blocks it holds. */
	if (p->tag[idx] != 0)
		for (size_t i = 0; i < p->bsize; i++)
			FZ_CHECK(((const uint8_t *)blk)[i] == p->tag[idx],
				 "block %p changed at byte %zu while free (%#x, was %#x)", blk, i,
				 ((const uint8_t *)blk)[i], p->tag[idx]);
	t = fz_new_tag();
	memset(blk, t, p->bsize);
	p->tag[idx] = t;
	p->is_live[idx] = 1;
	p->live_pos[idx] = p->in_use;
	p->live_list[p->in_use++] = idx;
}

/* The library took block idx back. */
void
fz_give(struct fz_pool *p, size_t idx)
{
	size_t pos = p->live_pos[idx], last = p->live_list[p->in_use - 1];

	p->live_list[pos] = last;
	p->live_pos[last] = pos;
	p->in_use--;
	p->is_live[idx] = 0;
	fz_owner_clear(fz_blk_addr(p, idx), p->fp);
}

/* The pool is gone: its handouts are void, its caches freed with it. */
void
fz_pool_forget(int pi)
{
	struct fz_pool *p = &M.pools[pi];

	while (p->in_use > 0)
		fz_give(p, p->live_list[p->in_use - 1]);
	for (int i = 0; i < FZ_MAX_CACHES; i++)
		if (M.caches[i].live && M.caches[i].pool == pi)
			memset(&M.caches[i], 0, sizeof(M.caches[i]));
	M.segs[p->seg].npools--;
	free(p->chunks);
	free(p->is_live);
	free(p->tag);
	free(p->live_list);
	free(p->live_pos);
	memset(p, 0, sizeof(*p));
}

/* ---- direct segment allocations --------------------------------------- */

void
fz_alloc_add(int seg, uintptr_t addr, size_t size)
{
	uint8_t t = fz_new_tag();

	fz_owner_mark(addr, size, "segment allocation");
	memset((void *)addr, t, size);
	for (int i = 0; i < FZ_MAX_ALLOCS; i++)
		if (!M.allocs[i].live) {
			M.allocs[i] = (struct fz_alloc){ true, seg, addr, size, t };
			return;
		}
	/* No slot left: checked against live handouts, not tracked further. */
	fz_owner_clear(addr, size);
}

/* The segment forgets its allocations (reset, destroy): nobody may have
 * written into them meanwhile. */
void
fz_allocs_drop(int seg)
{
	for (int i = 0; i < FZ_MAX_ALLOCS; i++) {
		struct fz_alloc *a = &M.allocs[i];

		if (!a->live || a->seg != seg)
			continue;
		for (size_t j = 0; j < a->size; j++)
			FZ_CHECK(((const uint8_t *)a->addr)[j] == a->tag,
				 "segment allocation %#lx (+%zu) changed at byte %zu",
				 (unsigned long)a->addr, a->size, j);
		fz_owner_clear(a->addr, a->size);
		a->live = false;
	}
}

/* ---- picking ---------------------------------------------------------- */

int
fz_pick_seg(struct fz_rec *r, int uclib)
{
	int n = 0, k;

	for (int i = 0; i < FZ_MAX_SEGS; i++)
		n += M.segs[i].live && (uclib < 0 || M.segs[i].uclib == (uclib != 0));
	if (n == 0)
		return -1;
	k = fz_u8(r) % n;
	for (int i = 0; i < FZ_MAX_SEGS; i++)
		if (M.segs[i].live && (uclib < 0 || M.segs[i].uclib == (uclib != 0)) && k-- == 0)
			return i;
	return -1;
}

int
fz_pick_pool(struct fz_rec *r)
{
	int n = 0, k;

	for (int i = 0; i < FZ_MAX_POOLS; i++)
		n += M.pools[i].live;
	if (n == 0)
		return -1;
	k = fz_u8(r) % n;
	for (int i = 0; i < FZ_MAX_POOLS; i++)
		if (M.pools[i].live && k-- == 0)
			return i;
	return -1;
}

int
fz_pick_cache(struct fz_rec *r, int pool)
{
	int n = 0, k;

	for (int i = 0; i < FZ_MAX_CACHES; i++)
		n += M.caches[i].live && (pool < 0 || M.caches[i].pool == pool);
	if (n == 0)
		return -1;
	k = fz_u8(r) % n;
	for (int i = 0; i < FZ_MAX_CACHES; i++)
		if (M.caches[i].live && (pool < 0 || M.caches[i].pool == pool) && k-- == 0)
			return i;
	return -1;
}
