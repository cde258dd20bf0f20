/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two threads freeing one block at the same moment, every time.
 *
 * A stress test only hits the window between a put's read of a block's
 * state and its write when both threads happen to run in it at once,
 * which a loaded 2-CPU machine rarely grants. Here the page holding the
 * block's word of state bytes is made read-only before the first put: that put faults on its
 * write, and its SIGSEGV handler lets the second thread put the same block
 * and waits until that one faults on its write as well. Only then is the
 * page made writable again and both writes go through. So both puts have
 * done whatever they read before writing (a load then a store reads
 * "handed out" twice and both succeed; an atomic read-modify-write faults
 * before reading, so the two run one after the other once the page is
 * writable). Real pool, real state bytes; only the scheduling is forced.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "dp_blkcheck.h"

static struct {
	uintptr_t page;
	size_t pagesz;
	pthread_t main;
	atomic_int go, second_faulted, writable, second_done;
	bool second_first;      /* the second call runs whole inside the first's fault */
	struct dp_pool *pool;
	void *blk;              /* its state word's page is made read-only */
	void *const *b1, *const *b2; /* what the two threads free */
	size_t n1, n2;
	bool second_gets;       /* the second thread gets one block instead */
	void *got;
	dp_err second;
	struct sigaction old;
} w;

/* Send SIGSEGV to handler h (reentrant: it may fault again), the previous
 * action saved in *old. */
static void
catch_segv(void (*h)(int, siginfo_t *, void *), struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGSEGV, &sa, old), 0);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	double until = now_s() + 2.0;

	(void)uc;
	if (a - w.page >= w.pagesz) { /* not ours: crash as usual */
		sigaction(SIGSEGV, &w.old, NULL);
		raise(sig);
		return;
	}
	if (pthread_equal(pthread_self(), w.main) && w.second_first) {
		/* The first call has read the word: the second one changes it
		 * before the first writes, so a compare-and-swap must fail once. */
		mprotect((void *)w.page, w.pagesz, PROT_READ | PROT_WRITE);
		atomic_store(&w.go, 1);
		while (!atomic_load(&w.second_done) && now_s() < until)
			;
		atomic_store(&w.second_faulted, 1); /* ran where it would have faulted */
	} else if (pthread_equal(pthread_self(), w.main)) {
		atomic_store(&w.go, 1);
		while (!atomic_load(&w.second_faulted) && now_s() < until)
			;
		mprotect((void *)w.page, w.pagesz, PROT_READ | PROT_WRITE);
		atomic_store(&w.writable, 1);
	} else {
		atomic_store(&w.second_faulted, 1);
		while (!atomic_load(&w.writable) && now_s() < until)
			;
	}
}

static void *
second_freer(void *arg)
{
	(void)arg;
	while (!atomic_load(&w.go))
		;
	if (w.second_gets)
		w.second = dp_pool_get(w.pool, &w.got);
	else
		w.second = dp_pool_put_bulk(w.pool, w.b2, w.n2);
	atomic_store(&w.second_done, 1);
	return NULL;
}

/* The main thread frees w.b1, a second one w.b2, with the page of w.blk's
 * state word read-only at first; returns the main thread's result. */
static dp_err
free_twice_at_once(void)
{
	const void *st;
	size_t idx;
	pthread_t t;
	dp_err first;

	assert_ok(dp_blkmap_index(&w.pool->map, w.blk, &idx));
	st = (const void *)dp_blkmap_word(&w.pool->map, idx);
	w.pagesz = (size_t)sysconf(_SC_PAGESIZE);
	w.page = (uintptr_t)st & ~(uintptr_t)(w.pagesz - 1);
	w.main = pthread_self();
	atomic_store(&w.go, 0);
	atomic_store(&w.second_faulted, 0);
	atomic_store(&w.writable, 0);
	atomic_store(&w.second_done, 0);
	catch_segv(on_segv, &w.old);
	cr_assert_eq(pthread_create(&t, NULL, second_freer, NULL), 0);
	cr_assert_eq(mprotect((void *)w.page, w.pagesz, PROT_READ), 0);
	first = dp_pool_put_bulk(w.pool, w.b1, w.n1);
	atomic_store(&w.go, 1); /* in case the first put never wrote */
	pthread_join(t, NULL);
	mprotect((void *)w.page, w.pagesz, PROT_READ | PROT_WRITE);
	sigaction(SIGSEGV, &w.old, NULL);
	cr_assert(atomic_load(&w.second_faulted), "the second put never wrote the state word");
	return first;
}

static void
check_one_free_wins(unsigned int flags)
{
	/* 32 MiB: 2^19 blocks of 64 bytes fit, a 512 KiB array of state
	 * bytes (page-aligned, so its first page holds nothing else). */
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("race", 64, 8, 0, 0, flags);
	struct dp_pool *p;
	void *a, *b, *keep;
	dp_err first;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	cr_assert_geq(p->map.state_cap, (size_t)1 << 17);
	assert_ok(dp_pool_get(p, &keep)); /* one other block stays out */
	assert_ok(dp_pool_get(p, &w.blk));
	w.pool = p;
	w.b1 = w.b2 = &w.blk;
	w.n1 = w.n2 = 1;
	first = free_twice_at_once();
	cr_expect((first == DP_OK) != (w.second == DP_OK),
		  "exactly one of two concurrent frees may succeed: got %s and %s",
		  dp_errname(first), dp_errname(w.second));
	cr_expect(first == DP_ERR_DOUBLE_FREE || w.second == DP_ERR_DOUBLE_FREE,
		  "the loser reads as a double free: got %s and %s", dp_errname(first),
		  dp_errname(w.second));
	/* What a user sees when both went through: one block handed out twice. */
	assert_ok(dp_pool_get(p, &a));
	assert_ok(dp_pool_get(p, &b));
	cr_expect_neq(a, b, "two gets returned the same block");
	assert_ok(dp_pool_put(p, a));
	if (b != a)
		assert_ok(dp_pool_put(p, b));
	assert_ok(dp_pool_put(p, keep));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

Test(free_race, concurrent_frees_of_one_block_exactly_one_wins)
{
	check_one_free_wins(0);
}

Test(free_race, concurrent_frees_of_one_block_outside_the_first_chunk)
{
	/* The pool's second chunk (another allocation of the segment sits
	 * between its carves): puts of its blocks take the general lookup. */
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("race2", 64, 8, 4, 0, 0);
	struct dp_pool *p;
	void *first4[4], *gap, *a, *b;
	dp_err first;

	prm.grow_batch = 4;
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_seg_alloc(f.seg, 100, 1, &gap, NULL));
	assert_ok(dp_pool_get_bulk(p, first4, 4));
	assert_ok(dp_pool_get(p, &w.blk)); /* carved after the gap */
	cr_assert_gt(atomic_load(&p->map.tab)->n, 1, "the pool should be two chunks");
	w.pool = p;
	w.b1 = w.b2 = &w.blk;
	w.n1 = w.n2 = 1;
	first = free_twice_at_once();
	cr_expect((first == DP_OK) != (w.second == DP_OK),
		  "exactly one of two concurrent frees may succeed: got %s and %s",
		  dp_errname(first), dp_errname(w.second));
	assert_ok(dp_pool_get(p, &a));
	assert_ok(dp_pool_get(p, &b));
	cr_expect_neq(a, b, "two gets returned the same block");
	assert_ok(dp_pool_put(p, a));
	if (b != a)
		assert_ok(dp_pool_put(p, b));
	assert_ok(dp_pool_put_bulk(p, first4, 4));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

/* Eight blocks handed out whose state bytes make one word (index / 8);
 * the other blocks taken to find them go back. */
static void
get_eight_in_one_word(struct dp_pool *p, void *blks[8])
{
	void *got[16];
	size_t idx, w0 = SIZE_MAX, n = 0;

	assert_ok(dp_pool_get_bulk(p, got, 16));
	for (int i = 0; i < 16; i++) {
		assert_ok(dp_blkmap_index(&p->map, got[i], &idx));
		if (w0 == SIZE_MAX)
			w0 = idx / 8;
		if (idx / 8 == w0 && n < 8)
			blks[n++] = got[i];
		else
			assert_ok(dp_pool_put(p, got[i]));
	}
	cr_assert_eq(n, 8, "eight of sixteen fresh blocks should share one state word");
}

/* Expect blks[0..8) free, but blks[7] handed out when last_used. */
static void
expect_eight_states(struct dp_pool *p, void *blks[8], bool last_used)
{
	size_t i0 = 0;

	for (int i = 0; i < 8; i++) {
		assert_ok(dp_blkmap_index(&p->map, blks[i], &i0));
		cr_expect_eq(dp_blkmap_state(&p->map, i0),
			     i == 7 && last_used ? DP_BLK_USED : DP_BLK_FREE,
			     "block %d: wrong state after the two concurrent calls", i);
	}
}

/*
 * Blocks share a word of state bytes: a burst's free and another thread's
 * free of a different block of the same word, both stopped at their write
 * of the word until the other has read it. A load and a store of the word
 * would lose one of the two; the compare-and-swap and the exchange keep
 * both.
 */
Test(free_race, a_burst_and_a_free_sharing_one_state_word_both_land)
{
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("word", 64, 8, 0, 0, 0);
	struct dp_pool *p;
	void *blks[8], *again[7];
	dp_err first;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	get_eight_in_one_word(p, blks);
	w.blk = blks[7];
	w.pool = p;
	w.b1 = blks; /* a burst of 7: one run, one compare-and-swap */
	w.n1 = 7;
	w.b2 = &w.blk;
	w.n2 = 1;
	first = free_twice_at_once();
	assert_ok(first);
	assert_ok(w.second);
	expect_eight_states(p, blks, false);
	/* Free, so a second free of either is refused. */
	assert_dp(dp_pool_put(p, w.blk), DP_ERR_DOUBLE_FREE);
	assert_dp(dp_pool_put_bulk(p, blks, 7), DP_ERR_DOUBLE_FREE);
	assert_ok(dp_pool_get_bulk(p, again, 7));
	assert_ok(dp_pool_put_bulk(p, again, 7));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

/*
 * A get's byte store and a put's compare-and-swap on one state word, both
 * stopped at their write until the other has read it: the get of a free
 * block of the word and the free of a burst of the others. A load and a
 * store of the whole word on the put's side would undo the get's byte
 * (the got block reading free, its holder's free then refused); a failed
 * compare-and-swap must read again, not give up.
 */
Test(free_race, a_get_and_a_burst_free_sharing_one_state_word_both_land)
{
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("wordget", 64, 8, 0, 0, 0);
	struct dp_pool *p;
	void *blks[8];

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	get_eight_in_one_word(p, blks);
	assert_ok(dp_pool_put(p, blks[7])); /* the next get takes it (no cache) */
	w.pool = p;
	w.blk = blks[7];
	w.b1 = blks; /* a burst of 7: one run, one compare-and-swap */
	w.n1 = 7;
	w.second_gets = true;
	w.got = NULL;
	assert_ok(free_twice_at_once());
	w.second_gets = false;
	assert_ok(w.second);
	cr_assert_eq(w.got, blks[7], "the get should take the block just freed");
	expect_eight_states(p, blks, true);
	assert_ok(dp_pool_put(p, w.got)); /* its holder's free is taken */
	assert_dp(dp_pool_put_bulk(p, blks, 7), DP_ERR_DOUBLE_FREE);
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

/* Get the first n blocks of a fresh pool; by_idx[i] is the one of index i. */
static void
get_by_index(struct dp_pool *p, void **got, void **by_idx, size_t n)
{
	size_t idx;

	assert_ok(dp_pool_get_bulk(p, got, n));
	for (size_t i = 0; i < n; i++) {
		assert_ok(dp_blkmap_index(&p->map, got[i], &idx));
		cr_assert_lt(idx, n, "a fresh pool hands out its first %zu blocks", n);
		by_idx[idx] = got[i];
	}
}

/*
 * The compare-and-swap's retry, forced: a burst free has read its state
 * word and stops at the compare-and-swap, and only then does another
 * thread's get of a free block of the word store that block's byte. The
 * compare-and-swap must fail, read again and clear the burst's bytes
 * without touching the got one. Through the run-by-run path (a burst of
 * 7, the word's other blocks) and the bitmap path (the same 7 and a
 * block of the next word: 8, the vector check's shortest burst).
 */
static void
cas_retry_after_a_get(size_t n)
{
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("retry", 64, 8, 0, 0, 0);
	struct dp_pool *p;
	void *got[24], *by_idx[24] = { NULL }, *burst[8];
	size_t idx;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	get_by_index(p, got, by_idx, 24);
	/* Keep 8..14 and 16 out; 15 goes back last, so the get takes it. */
	for (size_t i = 0; i < 24; i++)
		if (i < 8 || i > 16)
			assert_ok(dp_pool_put(p, by_idx[i]));
	assert_ok(dp_pool_put(p, by_idx[15]));
	for (size_t i = 0; i < 7; i++)
		burst[i] = by_idx[8 + i];
	burst[7] = by_idx[16];
	if (n >= DP_BLKCHECK_VEC_MIN) {
		uint32_t ix[8];
		struct dp_blkcheck_masks mk = { .w = DP_BLKCHECK_NO_WORD };

		cr_assert(dp_blkcheck__vec(&p->map, burst, n, ix, &mk, NULL));
		if (mk.w == DP_BLKCHECK_NO_WORD)
			cr_log_warn("no vector burst check on this CPU: bitmap path not taken");
	}
	w.pool = p;
	w.blk = by_idx[15];
	w.b1 = burst;
	w.n1 = n;
	w.second_gets = true;
	w.second_first = true;
	w.got = NULL;
	assert_ok(free_twice_at_once());
	w.second_gets = false;
	w.second_first = false;
	assert_ok(w.second);
	cr_assert_eq(w.got, by_idx[15], "the get should take the block just freed");
	for (size_t i = 0; i < n; i++) {
		assert_ok(dp_blkmap_index(&p->map, burst[i], &idx));
		cr_expect_eq(dp_blkmap_state(&p->map, idx), DP_BLK_FREE, "burst block %zu", i);
	}
	cr_expect_eq(dp_blkmap_state(&p->map, 15), DP_BLK_USED, "the got block reads free");
	assert_ok(dp_pool_put(p, w.got));
	assert_dp(dp_pool_put_bulk(p, burst, n), DP_ERR_DOUBLE_FREE);
	if (n < 8)
		assert_ok(dp_pool_put(p, by_idx[16]));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

Test(free_race, a_burst_free_retries_its_compare_and_swap_after_a_get_in_its_word)
{
	cas_retry_after_a_get(7);
}

Test(free_race, a_bitmap_burst_free_retries_its_compare_and_swap_after_a_get_in_its_word)
{
	cas_retry_after_a_get(8);
}

/* Two bursts of the blocks [x, y], handed out once, freed at once by two
 * threads, the second's in order [y, x] when `crossed`: each may read the
 * other's claim as a double free and undo its own, so both may be refused,
 * but never both taken; whatever was refused stays handed out and can then
 * be freed once. `held_out` other blocks stay out meanwhile. */
static void
check_bulk_frees_at_most_one_wins(bool crossed, unsigned int held_out)
{
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("race3", 64, 8, 0, 0, 0);
	struct dp_pool *p;
	void *others[2], *xy[2], *other_order[2], *got[2];
	dp_err first;

	cr_assert_leq(held_out, 2);
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	if (held_out > 0)
		assert_ok(dp_pool_get_bulk(p, others, held_out));
	assert_ok(dp_pool_get_bulk(p, xy, 2));
	other_order[0] = xy[crossed ? 1 : 0];
	other_order[1] = xy[crossed ? 0 : 1];
	w.pool = p;
	w.blk = xy[0];
	w.b1 = xy;
	w.b2 = other_order;
	w.n1 = w.n2 = 2;
	first = free_twice_at_once();
	cr_expect(first != DP_OK || w.second != DP_OK, "both bursts were taken");
	cr_expect(first == DP_OK || first == DP_ERR_DOUBLE_FREE, "got %s", dp_errname(first));
	cr_expect(w.second == DP_OK || w.second == DP_ERR_DOUBLE_FREE, "got %s",
		  dp_errname(w.second));
	if (first != DP_OK && w.second != DP_OK)
		assert_ok(dp_pool_put_bulk(p, xy, 2)); /* still handed out: exactly once more */
	assert_dp(dp_pool_put_bulk(p, xy, 2), DP_ERR_DOUBLE_FREE);
	assert_ok(dp_pool_get_bulk(p, got, 2));
	cr_expect_neq(got[0], got[1], "one block handed out twice");
	assert_ok(dp_pool_put_bulk(p, got, 2));
	if (held_out > 0)
		assert_ok(dp_pool_put_bulk(p, others, held_out));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

Test(free_race, bulk_frees_crossing_on_two_blocks_at_most_one_wins)
{
	/* [x, y] and [y, x]: each first claims a different block, so this
	 * tests the undo (it passes on plain loads and stores). */
	check_bulk_frees_at_most_one_wins(true, 0);
}

Test(free_race, bulk_frees_of_the_same_burst_at_most_one_wins)
{
	/* Both free [x, y], both having read x's state word before either
	 * writes it: only an atomic claim lets one of them see it taken. Two
	 * other blocks stay out, so the shared pool's count of blocks out
	 * cannot refuse the surplus push instead (with none out, this test
	 * passes on plain loads and stores). */
	check_bulk_frees_at_most_one_wins(false, 2);
}

/*
 * Issue 11 item 1, forced: an uncached free while another thread passes a
 * block from one user cache to another. Whatever the pool reads of the
 * second cache, it reads only after the move (the cache's page is
 * inaccessible until then, and the fault handler lets the move happen),
 * and whatever it read of the first was before it: a sum of the cache
 * lengths counts the moved block twice. The free must be taken anyway.
 */
static struct {
	uintptr_t page;
	size_t pagesz;
	atomic_int go, moved, faults;
	struct dp_pool *pool;
	struct dp_cache *from, *to;
	dp_err get_err, put_err;
	struct sigaction old;
} m;

static void
on_segv_move(int sig, siginfo_t *si, void *uc)
{
	double until = now_s() + 2.0;

	(void)uc;
	if ((uintptr_t)si->si_addr - m.page >= m.pagesz) {
		sigaction(SIGSEGV, &m.old, NULL);
		raise(sig);
		return;
	}
	atomic_fetch_add(&m.faults, 1);
	mprotect((void *)m.page, m.pagesz, PROT_READ | PROT_WRITE);
	atomic_store(&m.go, 1);
	while (!atomic_load(&m.moved) && now_s() < until)
		;
}

static void *
mover(void *arg)
{
	void *x;

	(void)arg;
	while (!atomic_load(&m.go))
		;
	m.get_err = dp_pool_generic_get(m.pool, m.from, &x, 1);
	if (m.get_err == DP_OK)
		m.put_err = dp_pool_generic_put(m.pool, m.to, &x, 1);
	atomic_store(&m.moved, 1);
	return NULL;
}

static bool
on_page(const void *x)
{
	return (uintptr_t)x - m.page < m.pagesz;
}

Test(free_race, uncached_free_while_a_block_passes_between_caches)
{
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("sum", 64, 8, 0, 0, 0);
	struct dp_cache *spacer, *ca, *cb;
	void *burst[8], *h;
	struct dp_pool *p;
	pthread_t t;
	dp_err err;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	/* Caches of the largest size span several pages each: the page of
	 * the middle one's header holds only the end of the first one's
	 * (unused) slots besides, so it can be made inaccessible. */
	assert_ok(dp_cache_create(p, 1024, &spacer));
	assert_ok(dp_cache_create(p, 1024, &ca));
	assert_ok(dp_cache_create(p, 1024, &cb));
	/* Sums walk the user caches in list order: take from the first one
	 * read, put into the second. */
	m.pool = p;
	m.from = p->user_caches;
	m.to = m.from->next;
	cr_assert_eq(m.to, ca);
	assert_ok(dp_pool_generic_get(p, m.from, burst, 8));
	assert_ok(dp_pool_generic_put(p, m.from, burst, 8));
	assert_ok(dp_pool_get(p, &h)); /* uncached: no lcore caches, not an lcore */
	m.pagesz = (size_t)sysconf(_SC_PAGESIZE);
	m.page = (uintptr_t)m.to & ~(uintptr_t)(m.pagesz - 1);
	cr_assert(!on_page(p) && !on_page(m.from) && !on_page(p->free.slot) && !on_page((const void *)p->map.state) &&
		  !on_page(spacer),
		  "the cache's header should have a page without other live data");
	catch_segv(on_segv_move, &m.old);
	cr_assert_eq(pthread_create(&t, NULL, mover, NULL), 0);
	cr_assert_eq(mprotect((void *)m.page, m.pagesz, PROT_NONE), 0);
	err = dp_pool_put(p, h);
	mprotect((void *)m.page, m.pagesz, PROT_READ | PROT_WRITE);
	atomic_store(&m.go, 1); /* the put read no cache: move now */
	pthread_join(t, NULL);
	sigaction(SIGSEGV, &m.old, NULL);
	assert_ok(m.get_err);
	assert_ok(m.put_err);
	cr_expect_eq(err, DP_OK, "a legitimate uncached free was refused: %s (%d faults)",
		     dp_errname(err), atomic_load(&m.faults));
	if (err != DP_OK)
		assert_ok(dp_pool_put(p, h));
	assert_ok(dp_cache_destroy(p, ca));
	assert_ok(dp_cache_destroy(p, cb));
	assert_ok(dp_cache_destroy(p, spacer));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

/*
 * What dp_pool.h documents for a bulk put refused after it claimed some
 * blocks: until it undoes its claims, they read as free, so a concurrent
 * free of one of them by its holder is refused as a double free, and the
 * block stays handed out. Forced: the bulk put [a, b] (a handed out, b
 * already free) stops at its write of b's state word (another page, made
 * read-only) while a's holder frees a.
 */
static struct {
	uintptr_t page;
	size_t pagesz;
	atomic_int holder_done, bulk_done;
	struct dp_pool *pool;
	void *a, *c;            /* c: not in the bulk put, freed after a */
	dp_err holder, holder_c;
	struct sigaction old;
} u;

static void
on_segv_hold(int sig, siginfo_t *si, void *uc)
{
	double until = now_s() + 2.0;

	(void)uc;
	if ((uintptr_t)si->si_addr - u.page >= u.pagesz) {
		sigaction(SIGSEGV, &u.old, NULL);
		raise(sig);
		return;
	}
	while (!atomic_load(&u.holder_done) && now_s() < until)
		;
	mprotect((void *)u.page, u.pagesz, PROT_READ | PROT_WRITE);
}

static void *
holder_frees(void *arg)
{
	(void)arg;
	u.holder = dp_pool_put(u.pool, u.a);
	if (u.c != NULL)
		u.holder_c = dp_pool_put(u.pool, u.c);
	atomic_store(&u.holder_done, 1);
	return NULL;
}

static pthread_t holder_thread;
static size_t u_n = 2; /* the bulk put's length */

static void *
bulk_double_free(void *arg)
{
	void **ab = arg;
	dp_err *res = malloc(sizeof(*res));

	/* Started once the page is read-only: the holder runs from inside
	 * this thread's fault. */
	*res = dp_pool_put_bulk(u.pool, ab, u_n);
	atomic_store(&u.bulk_done, 1);
	return res;
}

/* Make u.page read-only and start the bulk put of `burst` on a thread:
 * it stops at its first write to that page until the holder is done. */
static void
start_refused_bulk_put(void **burst, pthread_t *t)
{

	atomic_store(&u.holder_done, 0);
	atomic_store(&u.bulk_done, 0);
	catch_segv(on_segv_hold, &u.old);
	cr_assert_eq(mprotect((void *)u.page, u.pagesz, PROT_READ), 0);
	cr_assert_eq(pthread_create(t, NULL, bulk_double_free, burst), 0);
}

/* Run the holders' frees while the bulk put started by
 * start_refused_bulk_put() holds its claims, then let it end; its result. */
static dp_err
holders_free_then_bulk_ends(pthread_t t)
{
	dp_err *res, ret;

	cr_assert_eq(pthread_create(&holder_thread, NULL, holder_frees, NULL), 0);
	pthread_join(holder_thread, NULL);
	pthread_join(t, (void **)&res);
	mprotect((void *)u.page, u.pagesz, PROT_READ | PROT_WRITE);
	sigaction(SIGSEGV, &u.old, NULL);
	ret = *res;
	free(res);
	return ret;
}

Test(free_race, holder_free_refused_while_a_refused_bulk_put_holds_a_claim)
{
	enum { N = 40000 }; /* a and b: state words on two pages */
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("undo", 64, 8, 0, 0, 0);
	static void *blks[N];
	void *ab[2];
	struct dp_pool *p;
	size_t ia, ib;
	pthread_t t;
	dp_err bulk;

	assert_ok(dp_pool_create(f.seg, &prm, &p));
	assert_ok(dp_pool_get_bulk(p, blks, N));
	u.pool = p;
	u.c = NULL;
	u_n = 2;
	u.a = ab[0] = blks[0];
	ab[1] = blks[N - 1];
	assert_ok(dp_blkmap_index(&p->map, ab[0], &ia));
	assert_ok(dp_blkmap_index(&p->map, ab[1], &ib));
	u.pagesz = (size_t)sysconf(_SC_PAGESIZE);
	u.page = (uintptr_t)dp_blkmap_word(&p->map, ib) & ~(uintptr_t)(u.pagesz - 1);
	cr_assert((uintptr_t)dp_blkmap_word(&p->map, ia) - u.page >= u.pagesz, "a and b on one page");
	assert_ok(dp_pool_put(p, ab[1])); /* b is free: the bulk put will be refused at it */
	start_refused_bulk_put(ab, &t);
	/* The holder frees a once the bulk put has claimed it and stopped at b. */
	while (dp_blkmap_state(&p->map, ia) != DP_BLK_FREE && !atomic_load(&u.bulk_done))
		;
	cr_assert(!atomic_load(&u.bulk_done), "the bulk put never stopped holding its claim");
	bulk = holders_free_then_bulk_ends(t);
	cr_expect_eq(bulk, DP_ERR_DOUBLE_FREE, "bulk put: %s", dp_errname(bulk));
	cr_expect_eq(u.holder, DP_ERR_DOUBLE_FREE, "holder's free: %s", dp_errname(u.holder));
	/* As documented: a stays handed out, and its holder can free it. */
	cr_expect_eq(dp_blkmap_state(&p->map, ia), DP_BLK_USED);
	assert_ok(dp_pool_put(p, u.a));
	assert_ok(dp_pool_put_bulk(p, blks + 1, N - 2));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
}

/*
 * The same through the bitmap path, whose undo stores whole words: a
 * burst of 16 neighbours, 15 handed out on one page of state bytes (7 in
 * one word, whose eighth block c is handed out but not in the burst, then
 * a whole word) and the last, b, free already on the next page. The burst
 * clears both words, then stops at b's exchange. Meanwhile a's holder
 * (a in the whole word) is refused, and c's holder frees c, which must
 * stay free: the undo sets back the burst's 7 bytes of that word, never
 * the whole word.
 */
static void
bitmap_undo_racing_holders(dp_blkcheck_fn fn)
{
	struct seg_fixture f = seg_fixture(32u << 20, 0, 1);
	struct dp_pool_params prm = params("undo16", 64, 8, 0, 0, 0);
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), n = pg + 64, ia, ic;
	void **got = calloc(n, sizeof(void *)), **by_idx = calloc(n, sizeof(void *));
	void *burst[16];
	struct dp_pool *p;
	pthread_t t;
	dp_err bulk;
	uint32_t idx[16];
	struct dp_blkcheck_masks mk = { .w = DP_BLKCHECK_NO_WORD };

	cr_assert(got != NULL && by_idx != NULL);
	assert_ok(dp_pool_create(f.seg, &prm, &p));
	dp_blkcheck__vec = fn; /* after the creation, which selects the widest */
	get_by_index(p, got, by_idx, n);
	/* pg - 15 .. pg - 1 on the last page of state bytes, pg on the next. */
	for (size_t i = 0; i < 16; i++)
		burst[i] = by_idx[pg - 15 + i];
	u.pool = p;
	u.a = by_idx[pg - 4];
	u.c = by_idx[pg - 16];
	u_n = 16;
	ia = pg - 4;
	ic = pg - 16;
	cr_assert(dp_blkcheck__vec(&p->map, burst, 16, idx, &mk, NULL));
	cr_assert_neq(mk.w, DP_BLKCHECK_NO_WORD, "the burst should take the bitmap path");
	u.pagesz = pg;
	u.page = (uintptr_t)dp_blkmap_word(&p->map, pg);
	cr_assert_eq(u.page % pg, 0, "state bytes are page-aligned");
	assert_ok(dp_pool_put(p, by_idx[pg])); /* b is free: the burst is refused at it */
	start_refused_bulk_put(burst, &t);
	while ((dp_blkmap_state(&p->map, ia) != DP_BLK_FREE ||
		dp_blkmap_state(&p->map, ic + 1) != DP_BLK_FREE) && !atomic_load(&u.bulk_done))
		;
	cr_assert(!atomic_load(&u.bulk_done), "the bulk put never stopped holding its claim");
	bulk = holders_free_then_bulk_ends(t);
	cr_expect_eq(bulk, DP_ERR_DOUBLE_FREE, "bulk put: %s", dp_errname(bulk));
	cr_expect_eq(u.holder, DP_ERR_DOUBLE_FREE, "a's holder: %s", dp_errname(u.holder));
	cr_expect_eq(u.holder_c, DP_OK, "c's holder: %s", dp_errname(u.holder_c));
	for (size_t i = pg - 16; i <= pg; i++)
		cr_expect_eq(dp_blkmap_state(&p->map, i),
			     i == ic || i == pg ? DP_BLK_FREE : DP_BLK_USED, "block %zu", i);
	u.c = NULL;
	for (size_t i = 0; i < n; i++)
		if (i != ic && i != pg)
			assert_ok(dp_pool_put(p, by_idx[i]));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	seg_fixture_done(&f);
	free(got);
	free(by_idx);
}

Test(free_race, a_refused_bitmap_burst_undoes_only_its_bytes_while_holders_free)
{
	static const enum dp_blkcheck_isa vec[] = { DP_BLKCHECK_AVX2, DP_BLKCHECK_AVX512 };
	bool ran = false;

	for (size_t v = 0; v < 2; v++) {
		dp_blkcheck_fn fn = dp_blkcheck_variant(vec[v]);

		if (fn == NULL)
			continue;
		bitmap_undo_racing_holders(fn);
		cr_assert_eq(dp_blkcheck__vec, fn, "the variant was not the one tested");
		ran = true;
	}
	(void)dp_blkcheck_select();
	if (!ran)
		cr_skip_test("no vector burst check on this CPU: no bitmap path");
}
