/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the shared pool of free pointers behind the caches, one design
 * for dynpool's native pools (lib/dp_pool_ops.c) and the mempool driver's
 * store (drivers/mempool/dynpool/), each under its own lock.
 *
 * A circular double-ended queue. Which end a take comes from is the rule
 * that decides pipelines (measured in doc/design.md, "One shared pool"):
 * an lcore gets back what it put itself last newest first (still warm in
 * its own caches: run to completion), and what another lcore put oldest
 * first (by then evicted from that lcore's caches, so writing the buffers
 * does not pull modified lines across cores: rx allocating what tx freed).
 * Only the owner of the newest entries is remembered: entries are not
 * tagged, so "own" means "the lcore that put last".
 *
 * Nothing here locks or allocates: the caller holds its lock around every
 * call but dp_shpool_count() (a relaxed read, exact only under the lock)
 * and owns the slot array (the driver's in DPDK shared memory, so
 * secondaries see it; the pool's on its metadata heap). Everything is
 * inline because the driver, a separate plugin, includes it too.
 */
#ifndef DP_SHPOOL_H
#define DP_SHPOOL_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <rte_memcpy.h>

/* The owner of entries nobody put back (a pool's freshly carved blocks):
 * taken newest first by everyone, so the order carving chose stands. Not
 * an lcore id, nor LCORE_ID_ANY (UINT32_MAX, non-EAL threads). */
#define DP_SHPOOL_NOBODY (UINT32_MAX - 1)

/* Most slots: positions are 32-bit and dp_shpool_at() adds one below cap
 * to one at most cap, so cap may be 2^31 but no more. */
#define DP_SHPOOL_MAX_CAP ((uint32_t)1 << 31)

struct dp_shpool {
	uint32_t head;          /* position of the oldest entry */
	_Atomic uint32_t n;     /* entries; written under the caller's lock */
	uint32_t cap;           /* slots */
	uint32_t last_owner;    /* who put the newest entries */
	void **slot;
};

static inline void
dp_shpool_init(struct dp_shpool *q, void **slot, uint32_t cap)
{
	q->head = 0;
	atomic_init(&q->n, 0);
	q->cap = cap;
	q->last_owner = DP_SHPOOL_NOBODY;
	q->slot = slot;
}

static inline uint32_t
dp_shpool_count(const struct dp_shpool *q)
{
	return atomic_load_explicit(&q->n, memory_order_relaxed);
}

/* Position after pos, around the end. */
static inline uint32_t
dp_shpool_next(const struct dp_shpool *q, uint32_t pos)
{
	return pos + 1 == q->cap ? 0 : pos + 1;
}

/* Position of the i-th oldest entry (i < cap). */
static inline uint32_t
dp_shpool_at(const struct dp_shpool *q, uint32_t i)
{
	uint32_t pos = q->head + i;

	return pos >= q->cap ? pos - q->cap : pos;
}

/* Where the next put goes: a caller that fills slots one by one (the
 * driver's checked put) writes from here, then calls dp_shpool_added(). */
static inline uint32_t
dp_shpool_tail(const struct dp_shpool *q)
{
	return dp_shpool_at(q, dp_shpool_count(q));
}

/* k entries were written from dp_shpool_tail() on, by owner. */
static inline void
dp_shpool_added(struct dp_shpool *q, uint32_t k, uint32_t owner)
{
	if (k == 0)
		return;
	q->last_owner = owner;
	atomic_store_explicit(&q->n, dp_shpool_count(q) + k, memory_order_relaxed);
}

/* Copy n pointers into the ring from pos on (wrapping), or out of it. */
static inline void
dp_shpool_copy_in(struct dp_shpool *q, uint32_t pos, void *const *objs, uint32_t n)
{
	uint32_t first = n < q->cap - pos ? n : q->cap - pos;

	rte_memcpy(&q->slot[pos], objs, first * sizeof(void *));
	rte_memcpy(q->slot, &objs[first], (n - first) * sizeof(void *));
}

static inline void
dp_shpool_copy_out(const struct dp_shpool *q, uint32_t pos, void **objs, uint32_t n)
{
	uint32_t first = n < q->cap - pos ? n : q->cap - pos;

	rte_memcpy(objs, &q->slot[pos], first * sizeof(void *));
	rte_memcpy(&objs[first], q->slot, (n - first) * sizeof(void *));
}

/* Put n entries (n <= cap - count: the caller's counting guarantees it). */
static inline void
dp_shpool_put(struct dp_shpool *q, void *const *objs, uint32_t n, uint32_t owner)
{
	dp_shpool_copy_in(q, dp_shpool_tail(q), objs, n);
	dp_shpool_added(q, n, owner);
}

/*
 * Take n entries (n <= count) for lcore `who` into objs: the newest n if
 * who put last (or nobody did), else the oldest n; either way as one run
 * in the order they were put (one copy). Returns the position of
 * the first one taken; the n taken are consecutive from there, in the
 * order objs receives them (a caller keeping per-slot data, such as the
 * driver's check indices, reads it at those positions).
 */
static inline uint32_t
dp_shpool_take(struct dp_shpool *q, void **objs, uint32_t n, uint32_t who)
{
	uint32_t have = dp_shpool_count(q) - n, from;

	if (who == q->last_owner || q->last_owner == DP_SHPOOL_NOBODY) {
		from = dp_shpool_at(q, have); /* the newest n */
	} else {
		from = q->head; /* the oldest n */
		q->head = dp_shpool_at(q, n);
	}
	dp_shpool_copy_out(q, from, objs, n);
	atomic_store_explicit(&q->n, have, memory_order_relaxed);
	return from;
}

/* Entries from the oldest on lie in at most two runs: the first is
 * slot[head .. head + len), the second (the rest) starts at slot[0]. */
static inline uint32_t
dp_shpool_first_run(const struct dp_shpool *q)
{
	uint32_t n = dp_shpool_count(q), room = q->cap - q->head;

	return n < room ? n : room;
}

/* Slots to reallocate to for `total` entries, from `cap` (doubling from
 * 16, at most DP_SHPOOL_MAX_CAP); 0 when total is above that. */
static inline uint64_t
dp_shpool_cap_for(uint64_t cap, uint64_t total)
{
	if (total > DP_SHPOOL_MAX_CAP)
		return 0;
	if (cap == 0)
		cap = 16;
	while (cap < total)
		cap *= 2;
	return cap < DP_SHPOOL_MAX_CAP ? cap : DP_SHPOOL_MAX_CAP;
}

/*
 * The slot array was reallocated to `cap` (>= the old cap) slots at
 * `slot`, the old contents at its start: unwrap the entries that went
 * around the old end, keeping their order.
 */
static inline void
dp_shpool_resized(struct dp_shpool *q, void **slot, uint32_t cap)
{
	uint32_t first;

	q->slot = slot;
	first = dp_shpool_first_run(q);
	if (first < dp_shpool_count(q) && cap > q->cap) {
		/* Move the first run to the new end: the second run, at 0,
		 * then follows it around the end as before. */
		memmove(&slot[cap - first], &slot[q->head], first * sizeof(void *));
		q->head = cap - first;
	}
	q->cap = cap;
}

#endif /* DP_SHPOOL_H */
