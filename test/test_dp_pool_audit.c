/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_pool_audit() must see corruption. Almost every "nothing changed"
 * assertion of the suite rests on the audit, so each test here damages
 * one invariant of a real pool on purpose, through the pool's internals,
 * expects DP_ERR_CORRUPT and the counter that names the damage, then
 * repairs it and expects DP_OK again (the report is about the damage,
 * not about the pool's shape). Tracked (default) and untracked pools,
 * the shared stack, full magazines and user caches.
 */
#include "common.h"
#include "dp_pool_impl.h"

struct world {
	struct seg_fixture f;
	struct dp_pool *p;
	void *out[8]; /* blocks handed out */
};

/* 64 blocks carved, 8 handed out, 56 free in the shared stack. */
static struct world
world_new(unsigned int flags)
{
	struct world w;
	struct dp_pool_params prm = params("audit", 64, 64, 64, 64, flags);

	w.f = seg_fixture(64 * 128, 0, 1);
	assert_ok(dp_pool_create(w.f.seg, &prm, &w.p));
	assert_ok(dp_pool_get_bulk(w.p, w.out, 8));
	cr_assert_eq(w.p->carved, 64);
	cr_assert_eq(w.p->free.n, 56);
	assert_audit_ok(w.p);
	return w;
}

static void
world_done(struct world *w)
{
	assert_audit_ok(w->p);
	assert_ok(dp_pool_put_bulk(w->p, w->out, 8));
	assert_audit_ok(w->p);
	assert_ok(dp_pool_destroy(w->p));
	seg_fixture_done(&w->f);
}

static struct dp_pool_audit
audit_corrupt(struct dp_pool *p)
{
	struct dp_pool_audit a;

	memset(&a, 0xa5, sizeof(a));
	assert_dp(dp_pool_audit(p, &a), DP_ERR_CORRUPT);
	return a;
}

static size_t
index_of(struct dp_pool *p, void *blk)
{
	size_t idx = SIZE_MAX;

	assert_ok(dp_blkmap_index(&p->map, blk, &idx));
	return idx;
}

static const unsigned int kinds[] = { 0, DP_POOL_F_NO_TRACK };

Test(audit, free_entry_listed_twice)
{
	for (size_t k = 0; k < 2; k++) {
		struct world w = world_new(kinds[k]);
		void *saved = w.p->free.slot[1];

		w.p->free.slot[1] = w.p->free.slot[0];
		struct dp_pool_audit a = audit_corrupt(w.p);
		cr_assert_eq(a.duplicates, 1, "flags %#x", kinds[k]);
		cr_assert_eq(a.bad_entries, 0);
		w.p->free.slot[1] = saved;
		world_done(&w);
	}
}

Test(audit, handed_out_block_listed_free)
{
	for (size_t k = 0; k < 2; k++) {
		struct world w = world_new(kinds[k]);
		void *saved = w.p->free.slot[5];

		/* A block the caller holds appears in the free stack: tracked
		 * pools see its state byte; untracked ones cannot tell. */
		w.p->free.slot[5] = w.out[0];
		if (kinds[k] == 0) {
			struct dp_pool_audit a = audit_corrupt(w.p);
			cr_assert_geq(a.state_mismatch, 1);
		}
		w.p->free.slot[5] = saved;
		world_done(&w);
	}
}

Test(audit, entry_that_is_not_a_block_start)
{
	static char foreign[64];

	for (size_t k = 0; k < 2; k++) {
		struct world w = world_new(kinds[k]);
		void *saved = w.p->free.slot[3];

		w.p->free.slot[3] = (char *)saved + 1;
		struct dp_pool_audit a = audit_corrupt(w.p);
		cr_assert_eq(a.bad_entries, 1, "inside a block, flags %#x", kinds[k]);
		w.p->free.slot[3] = foreign;
		a = audit_corrupt(w.p);
		cr_assert_eq(a.bad_entries, 1, "outside the pool, flags %#x", kinds[k]);
		w.p->free.slot[3] = saved;
		world_done(&w);
	}
}

Test(audit, state_byte_flipped)
{
	struct world w = world_new(0);
	size_t free_idx = index_of(w.p, w.p->free.slot[0]);
	size_t used_idx = index_of(w.p, w.out[0]);

	dp_blkmap_set_state(&w.p->map, free_idx, DP_BLK_USED);
	struct dp_pool_audit a = audit_corrupt(w.p);
	cr_assert_eq(a.state_mismatch, 1, "free block marked used");
	dp_blkmap_set_state(&w.p->map, free_idx, DP_BLK_FREE);
	assert_audit_ok(w.p);
	dp_blkmap_set_state(&w.p->map, used_idx, DP_BLK_FREE);
	a = audit_corrupt(w.p);
	cr_assert_eq(a.state_mismatch, 1, "handed-out block marked free");
	dp_blkmap_set_state(&w.p->map, used_idx, DP_BLK_USED);
	world_done(&w);
}

Test(audit, free_block_lost_from_the_stack)
{
	/* nfree one short: the last free block is listed nowhere, so a
	 * tracked pool finds a FREE state byte on a block "handed out". */
	struct world w = world_new(0);

	w.p->free.n--;
	struct dp_pool_audit a = audit_corrupt(w.p);
	cr_assert_eq(a.state_mismatch, 1);
	cr_assert_eq(a.free_listed, 55);
	w.p->free.n++;
	world_done(&w);
}

Test(audit, counts_off)
{
	for (size_t k = 0; k < 2; k++) {
		struct world w = world_new(kinds[k]);

		w.p->carved++;
		audit_corrupt(w.p);
		w.p->carved -= 2;
		audit_corrupt(w.p);
		w.p->carved++;
		assert_audit_ok(w.p);
		size_t cap = w.p->free.cap;
		w.p->free.cap = w.p->free.n - 1; /* more free than the stack holds */
		audit_corrupt(w.p);
		w.p->free.cap = cap;
		w.p->mag_rounds++;
		struct dp_pool_audit a = audit_corrupt(w.p);
		cr_assert_eq(a.bad_entries, 1, "magazine rounds off");
		w.p->mag_rounds--;
		world_done(&w);
	}
}

/* The shared pool's ring itself corrupt (its head past its slots, or more
 * entries than slots): reported, not walked past the end of its array. */
Test(audit, shared_pool_ring_out_of_shape)
{
	for (size_t k = 0; k < 2; k++) {
		struct world w = world_new(kinds[k]);
		uint32_t head = w.p->free.head, cap = w.p->free.cap;
		struct dp_pool_audit a;

		w.p->free.head = (uint32_t)1 << 30;
		a = audit_corrupt(w.p);
		cr_assert_geq(a.bad_entries, 1, "head past the slots, flags %#x", kinds[k]);
		w.p->free.head = head;
		w.p->free.cap = 8; /* 56 entries */
		a = audit_corrupt(w.p);
		cr_assert_geq(a.bad_entries, 1, "more entries than slots, flags %#x", kinds[k]);
		w.p->free.cap = cap;
		assert_audit_ok(w.p);
		world_done(&w);
	}
}

Test(audit, magazine_entry_also_in_the_stack)
{
	struct world w = world_new(0);
	struct dp_mag *m = malloc(sizeof(*m) + 2 * sizeof(void *));

	/* A full magazine of one block that the stack also lists. */
	cr_assert_not_null(m);
	m->next = NULL;
	m->n = 1;
	m->objs[0] = w.p->free.slot[0];
	w.p->mag_full = m;
	w.p->mag_rounds = 1;
	struct dp_pool_audit a = audit_corrupt(w.p);
	cr_assert_eq(a.duplicates, 1);
	/* Moved, not copied: consistent again. */
	w.p->free.n--;
	m->objs[0] = w.p->free.slot[w.p->free.n];
	assert_audit_ok(w.p);
	w.p->free.slot[w.p->free.n++] = m->objs[0];
	w.p->mag_full = NULL;
	w.p->mag_rounds = 0;
	free(m);
	world_done(&w);
}

Test(audit, user_cache_damage)
{
	for (size_t k = 0; k < 2; k++) {
		struct world w = world_new(kinds[k]);
		struct dp_cache *c;
		void *b[4];

		assert_ok(dp_cache_create(w.p, 8, &c));
		assert_ok(dp_pool_generic_get(w.p, c, b, 1));
		assert_ok(dp_pool_generic_put(w.p, c, b, 1));
		uint32_t len = atomic_load(&c->len);
		cr_assert_geq(len, 2, "the cache holds blocks");
		assert_audit_ok(w.p);

		void *saved = c->objs[1];
		c->objs[1] = c->objs[0];
		struct dp_pool_audit a = audit_corrupt(w.p);
		cr_assert_eq(a.duplicates, 1, "listed twice in a cache, flags %#x", kinds[k]);
		c->objs[1] = w.p->free.slot[0];
		a = audit_corrupt(w.p);
		cr_assert_eq(a.duplicates, 1, "in a cache and in the stack, flags %#x", kinds[k]);
		c->objs[1] = saved;
		assert_audit_ok(w.p);

		atomic_store(&c->len, c->flush_at + c->size + 1);
		a = audit_corrupt(w.p);
		cr_assert_eq(a.bad_entries, 1, "impossible cache length");
		atomic_store(&c->len, len);
		struct dp_pool *owner = c->pool;
		c->pool = NULL;
		a = audit_corrupt(w.p);
		cr_assert_eq(a.bad_entries, 1, "cache of another pool");
		c->pool = owner;
		assert_audit_ok(w.p);
		assert_ok(dp_cache_destroy(w.p, c));
		world_done(&w);
	}
}

/* A tracked cache keeps each block's index beside it, and a get marks
 * by that index alone: a wrong one would mark another block handed out. */
Test(audit, user_cache_wrong_index)
{
	struct world w = world_new(0);
	struct dp_cache *c;
	void *b[2];

	assert_ok(dp_cache_create(w.p, 8, &c));
	assert_ok(dp_pool_generic_get(w.p, c, b, 2));
	assert_ok(dp_pool_generic_put(w.p, c, b, 2));
	cr_assert_not_null(c->idx, "a tracked pool's cache keeps indices");
	cr_assert_eq(c->idx[0], index_of(w.p, c->objs[0]));
	assert_audit_ok(w.p);
	uint32_t saved = c->idx[0];
	c->idx[0] = c->idx[1];
	struct dp_pool_audit a = audit_corrupt(w.p);
	cr_assert_eq(a.state_mismatch, 1, "a cached index naming another block");
	cr_assert_eq(a.duplicates, 0);
	c->idx[0] = saved;
	assert_audit_ok(w.p);
	assert_ok(dp_cache_destroy(w.p, c));
	world_done(&w);

	w = world_new(DP_POOL_F_NO_TRACK); /* tracked all the same in DP_DEBUG builds */
	assert_ok(dp_cache_create(w.p, 8, &c));
	cr_assert_eq(c->idx != NULL, w.p->tracked != 0, "indices kept exactly when tracked");
	assert_ok(dp_cache_destroy(w.p, c));
	world_done(&w);
}

Test(audit, large_pool_every_bitmap_byte)
{
	/* Corruption in the last block of a pool whose block count is not a
	 * multiple of 8 (the scratch bitmap's last, partial byte). */
	struct seg_fixture f = seg_fixture(1003 * 64 + 64, 0, 1);
	struct dp_pool_params prm = params("audit-big", 64, 64, 1003, 1003, 0);
	struct dp_pool *p;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	cr_assert_eq(p->free.n, 1003);
	assert_audit_ok(p);
	for (size_t i = 0; i < p->free.n; i++) {
		if (index_of(p, p->free.slot[i]) != 1002)
			continue;
		void *saved = p->free.slot[(i + 1) % p->free.n];
		p->free.slot[(i + 1) % p->free.n] = p->free.slot[i];
		struct dp_pool_audit a = audit_corrupt(p);
		cr_assert_eq(a.duplicates, 1);
		p->free.slot[(i + 1) % p->free.n] = saved;
	}
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}
