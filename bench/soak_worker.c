/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_soak workers: random single and bulk gets and puts on every pool,
 * through the lcore cache, a user cache or the shared pool, plus block
 * handoffs between threads and cache drains. Every block held is covered
 * by its holder's tag, and the tag is verified before the block leaves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_lcore.h>

#include "soak.h"

/* Every pool aligns blocks to at least 8, so whole words can be used. */
void
soak_tag_fill(void *blk, size_t size, uint64_t tag)
{
	uint64_t *w = blk;
	size_t i;

	for (i = 0; i < size / 8; i++)
		w[i] = tag;
	memset((char *)blk + i * 8, (int)(tag & 0xff), size % 8);
}

long
soak_tag_check(const void *blk, size_t size, uint64_t tag)
{
	const uint64_t *w = blk;
	const unsigned char *c = blk;

	for (size_t i = 0; i < size / 8; i++)
		if (w[i] != tag)
			for (size_t k = i * 8;; k++)
				if (c[k] != ((const unsigned char *)&tag)[k % 8])
					return (long)k;
	for (size_t k = size / 8 * 8; k < size; k++)
		if (c[k] != (unsigned char)(tag & 0xff))
			return (long)k;
	return -1;
}

void
soak_set_push(struct held_set *s, void *p, uint64_t tag)
{
	if (s->n == s->cap) { /* only quarantine sets grow */
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct held *b = realloc(s->b, cap * sizeof(*b));

		if (b == NULL) { /* the model would be wrong from here on */
			fprintf(stderr, "soak: FATAL: out of memory\n");
			abort();
		}
		s->b = b;
		s->cap = cap;
	}
	s->b[s->n++] = (struct held){ p, tag };
}

static uint64_t
rnd(struct worker *w)
{
	/* xorshift64*: cheap, and each thread has its own stream. */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1Dull;
}

static size_t
rnd_below(struct worker *w, size_t n)
{
	return n ? (size_t)((rnd(w) >> 16) % n) : 0;
}

/* Unique per thread, pool and get: a block holding another tag than the
 * one recorded was written by someone else meanwhile. */
static uint64_t
next_tag(struct worker *w, int pi)
{
	return ((uint64_t)(w->id + 1) << 56) | ((uint64_t)pi << 48) | (++w->seq & 0xffffffffffffull);
}

enum path { PATH_OWN_CACHE, PATH_SHARED };

static dp_err
do_get(struct worker *w, int pi, enum path path, void **b, size_t n)
{
	struct dp_pool *p = g.pools[pi].pool;

	if (path == PATH_SHARED)
		return dp_pool_generic_get(p, NULL, b, n);
	if (w->user_cache)
		return dp_pool_generic_get(p, w->ucache[pi], b, n);
	return n == 1 ? dp_pool_get(p, b) : dp_pool_get_bulk(p, b, n);
}

static dp_err
do_put(struct worker *w, int pi, enum path path, void *const *b, size_t n)
{
	struct dp_pool *p = g.pools[pi].pool;

	if (path == PATH_SHARED)
		return dp_pool_generic_put(p, NULL, b, n);
	if (w->user_cache)
		return dp_pool_generic_put(p, w->ucache[pi], b, n);
	return n == 1 ? dp_pool_put(p, b[0]) : dp_pool_put_bulk(p, b, n);
}

/* A refused get is legitimate only when the pool really could not serve
 * it. Carved only grows and segment room only shrinks, so what we read
 * after the refusal bounds what the failed call saw. */
static void
check_refusal(struct worker *w, int pi, dp_err e, size_t n)
{
	struct soak_pool *sp = &g.pools[pi];
	struct dp_pool_stats st;
	size_t rem, fit;

	if (e == DP_ERR_POOL_EMPTY) {
		w->c[pi].empty++;
		if (sp->spec->maximum == DP_POOL_UNLIMITED)
			soak_violation(pi, "POOL_EMPTY from an unlimited pool (get of %zu)", n);
		else if (dp_pool_stats(sp->pool, &st) == DP_OK && st.carved + n <= sp->spec->maximum)
			soak_violation(pi, "POOL_EMPTY for %zu blocks with %zu carved of %zu", n,
				       st.carved, sp->spec->maximum);
		return;
	}
	if (e == DP_ERR_SEG_OVERFLOW) {
		w->c[pi].overflow++;
		if (dp_seg_remaining(sp->seg, sp->walign, &rem) != DP_OK)
			return;
		/* Blocks that cannot straddle a page: count whole pages only
		 * (a lower bound of what fits). */
		fit = sp->page_bound ? (rem / sp->page_bound > 0 ? rem / sp->page_bound - 1 : 0) *
					       (sp->page_bound / sp->footprint)
				     : rem / sp->footprint;
		if (fit >= n)
			soak_violation(pi, "SEG_OVERFLOW for %zu blocks with room for %zu", n, fit);
		return;
	}
	if (e == DP_ERR_NO_HUGEPAGES && g.huge && sp->spec->backend == SEG_ON_DEMAND) {
		w->c[pi].no_huge++; /* the machine ran out, not the library */
		return;
	}
	soak_violation(pi, "get of %zu: %s", n, dp_errname(e));
}

static void
op_get(struct worker *w, int pi, enum path path, size_t n)
{
	struct soak_pool *sp = &g.pools[pi];
	struct held_set *s = &w->set[pi];
	void *b[SOAK_BULK_MAX];
	dp_err e;

	n = n < s->cap - s->n ? n : s->cap - s->n;
	if (n == 0)
		return;
	e = do_get(w, pi, path, b, n);
	w->c[pi].ops++;
	if (e != DP_OK) {
		check_refusal(w, pi, e, n);
		return;
	}
	w->c[pi].blocks += n;
	for (size_t i = 0; i < n; i++) {
		uintptr_t a = (uintptr_t)b[i];
		uint64_t tag = next_tag(w, pi);

		if (a < sp->base || a + sp->spec->block_size > sp->base + sp->seg_len) {
			/* Writing a tag there could corrupt anything. */
			fprintf(stderr, "soak: FATAL: pool %s handed out %p, outside its segment "
					"[%#lx, %#lx)\n", sp->spec->name, b[i], (unsigned long)sp->base,
				(unsigned long)(sp->base + sp->seg_len));
			abort();
		}
		if (a % sp->walign != 0) {
			soak_violation(pi, "got %p, not aligned to %zu", b[i], sp->walign);
			soak_set_push(&w->quarantine[pi], b[i], 0);
			continue;
		}
		soak_tag_fill(b[i], sp->spec->block_size, tag);
		soak_set_push(s, b[i], tag);
	}
}

/* Take n random blocks out of the set, verified; broken ones go to
 * quarantine instead. Returns how many went to out. */
static size_t
pick_blocks(struct worker *w, int pi, struct held *out, size_t n)
{
	struct held_set *s = &w->set[pi];
	size_t size = g.pools[pi].spec->block_size, k = 0;

	for (size_t i = 0; i < n && s->n > 0; i++) {
		size_t at = rnd_below(w, s->n);
		struct held h = s->b[at];
		long off;

		s->b[at] = s->b[--s->n];
		off = soak_tag_check(h.p, size, h.tag);
		if (off >= 0) {
			soak_violation(pi, "block %p: tag %#llx overwritten at byte %ld (another "
					   "holder?)", h.p, (unsigned long long)h.tag, off);
			soak_set_push(&w->quarantine[pi], h.p, h.tag);
			continue;
		}
		out[k++] = h;
	}
	return k;
}

static void
op_put(struct worker *w, int pi, enum path path, size_t n)
{
	struct held h[SOAK_BULK_MAX];
	void *b[SOAK_BULK_MAX];
	size_t k = pick_blocks(w, pi, h, n);
	dp_err e;

	if (k == 0)
		return;
	for (size_t i = 0; i < k; i++)
		b[i] = h[i].p;
	e = do_put(w, pi, path, b, k);
	w->c[pi].ops++;
	if (e == DP_OK) {
		w->c[pi].blocks += k;
		return;
	}
	/* A put refused changes nothing: the blocks are still ours, but
	 * suspect. */
	soak_violation(pi, "put of %zu held blocks (first %p): %s", k, b[0], dp_errname(e));
	for (size_t i = 0; i < k; i++)
		soak_set_push(&w->quarantine[pi], h[i].p, h[i].tag);
}

static void
op_give(struct worker *w, int pi, size_t n)
{
	struct handoff *ho = &g.pools[pi].ho;
	struct held h[16];
	size_t k;

	pthread_mutex_lock(&ho->lock);
	if (ho->n + n > SOAK_HANDOFF_CAP)
		n = SOAK_HANDOFF_CAP - ho->n;
	k = pick_blocks(w, pi, h, n);
	for (size_t i = 0; i < k; i++)
		ho->q[(ho->head + ho->n++) % SOAK_HANDOFF_CAP] = h[i];
	pthread_mutex_unlock(&ho->lock);
	w->c[pi].handoffs += k;
}

/* Oldest first, so blocks cross threads after lingering a while. */
static void
op_take(struct worker *w, int pi, size_t n)
{
	struct soak_pool *sp = &g.pools[pi];
	struct handoff *ho = &sp->ho;
	struct held_set *s = &w->set[pi];
	struct held h[16];
	size_t k = 0;

	pthread_mutex_lock(&ho->lock);
	while (k < n && ho->n > 0 && s->n + k < s->cap) {
		h[k++] = ho->q[ho->head];
		ho->head = (ho->head + 1) % SOAK_HANDOFF_CAP;
		ho->n--;
	}
	pthread_mutex_unlock(&ho->lock);
	for (size_t i = 0; i < k; i++) {
		long off = soak_tag_check(h[i].p, sp->spec->block_size, h[i].tag);
		uint64_t tag = next_tag(w, pi);

		if (off >= 0) {
			soak_violation(pi, "handed-off block %p: tag overwritten at byte %ld", h[i].p,
				       off);
			soak_set_push(&w->quarantine[pi], h[i].p, h[i].tag);
			continue;
		}
		soak_tag_fill(h[i].p, sp->spec->block_size, tag);
		soak_set_push(s, h[i].p, tag);
	}
	w->c[pi].handoffs += k;
}

static void
op_drain(struct worker *w, int pi)
{
	struct dp_pool *p = g.pools[pi].pool;
	dp_err e = w->user_cache ? dp_cache_flush(p, w->ucache[pi])
				 : dp_pool_cache_drain(p, w->lcore);

	w->c[pi].ops++;
	w->c[pi].drains++;
	if (e != DP_OK)
		soak_violation(pi, "%s: %s", w->user_cache ? "dp_cache_flush" : "dp_pool_cache_drain",
			       dp_errname(e));
}

/* Free a block but keep it in the model, as a buggy pool handing the
 * block out again while its holder still uses it would look. */
static void
inject_fault(struct worker *w)
{
	struct held_set *s = &w->set[0];
	int no = 0;

	if (s->n == 0 || !atomic_compare_exchange_strong(&g.injected, &no, 1))
		return;
	fprintf(stderr, "soak: injecting a fault: freeing %p (pool %s) and keeping it\n",
		s->b[0].p, g.pools[0].spec->name);
	if (dp_pool_generic_put(g.pools[0].pool, NULL, &s->b[0].p, 1) != DP_OK)
		fprintf(stderr, "soak: the injected free was refused\n");
}

static void
step(struct worker *w)
{
	int pi = (int)rnd_below(w, SOAK_POOLS);
	struct held_set *s = &w->set[pi];
	unsigned int r = (unsigned int)rnd_below(w, 1000);
	/* Half single-block calls, half bulks of 1 to 64. */
	size_t n = rnd(w) & 1 ? 1 : 1 + rnd_below(w, SOAK_BULK_MAX);
	enum path path = r < 50 ? PATH_SHARED : PATH_OWN_CACHE;
	bool get;

	if (DP_UNLIKELY(g.inject) && w->id == 0 && soak_now() - g.t0 > 2)
		inject_fault(w);
	/* Working sets drift, so pools grow in steps and sit at the limit or
	 * the end of the segment some of the time. */
	if (rnd_below(w, 200000) == 0)
		s->target = rnd_below(w, s->cap + 1);
	if (r < 5) {
		op_give(w, pi, 1 + rnd_below(w, 16));
		return;
	}
	if (r < 10) {
		op_take(w, pi, 1 + rnd_below(w, 16));
		return;
	}
	if (r < 12) {
		op_drain(w, pi);
		return;
	}
	get = rnd_below(w, 100) < (s->n < s->target ? 60u : 40u);
	if (get)
		op_get(w, pi, path, n);
	else
		op_put(w, pi, path, n);
}

static void
return_all(struct worker *w)
{
	for (int pi = 0; pi < SOAK_POOLS; pi++) {
		while (w->set[pi].n > 0)
			op_put(w, pi, PATH_OWN_CACHE, SOAK_BULK_MAX);
		if (w->user_cache) {
			if (dp_cache_destroy(g.pools[pi].pool, w->ucache[pi]) != DP_OK)
				soak_violation(pi, "dp_cache_destroy refused");
		} else {
			op_drain(w, pi);
		}
	}
}

void *
soak_worker_main(void *arg)
{
	struct worker *w = arg;

	if (w->user_cache) {
		for (int pi = 0; pi < SOAK_POOLS; pi++) {
			if (dp_cache_create(g.pools[pi].pool, 1 + (unsigned int)rnd_below(w, 64),
					    &w->ucache[pi]) != DP_OK) {
				fprintf(stderr, "soak: dp_cache_create failed\n");
				exit(2);
			}
		}
	} else {
		/* An lcore id is what gives the thread the pools' lcore caches. */
		if (rte_thread_register() != 0) {
			fprintf(stderr, "soak: rte_thread_register failed\n");
			exit(2);
		}
		w->lcore = rte_lcore_id();
	}
	for (int pi = 0; pi < SOAK_POOLS; pi++) {
		w->set[pi].cap = g.pools[pi].spec->hold_max;
		w->set[pi].target = rnd_below(w, w->set[pi].cap / 2 + 1);
		w->set[pi].b = malloc(w->set[pi].cap * sizeof(struct held));
		if (w->set[pi].b == NULL) {
			fprintf(stderr, "soak: out of memory\n");
			exit(2);
		}
	}
	pthread_barrier_wait(&g.barrier); /* everyone set up */

	while (!atomic_load_explicit(&g.stop, memory_order_acquire)) {
		if (atomic_load_explicit(&g.pause, memory_order_acquire)) {
			/* No call in flight from here until the audit is done. */
			pthread_barrier_wait(&g.barrier);
			pthread_barrier_wait(&g.barrier);
			continue;
		}
		step(w);
	}
	return_all(w);
	if (!w->user_cache)
		rte_thread_unregister();
	return NULL;
}
