/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multi-thread stress: random single and bulk gets and frees through lcore
 * caches (registered threads), user caches and the shared pool at once,
 * growth races and cache drains. The conservation invariant is checked as
 * it goes (each block carries an owner tag, swapped in atomically on get:
 * a block handed out twice is seen at once) and at the end (no block lost:
 * everything returned, audit clean). Bounded in count and time.
 *
 * A plain program printing TAP, not a Criterion test, so that the same
 * binary also runs under ThreadSanitizer (Criterion's runner cannot:
 * Snaipe/Criterion#274).
 */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_cycles.h>
#include <rte_pause.h>

#include "dynpool.h"

/* A failed check ends the current scenario (TAP "not ok") and the run
 * goes on with the next one. */
static char failure[512];

#define CHECK(cond, ...)                                                             \
	do {                                                                         \
		if (!(cond)) {                                                       \
			snprintf(failure, sizeof(failure), __VA_ARGS__);             \
			return;                                                      \
		}                                                                    \
	} while (0)
#define CHECK_OK(expr)                                                               \
	do {                                                                         \
		dp_err e_ = (expr);                                                  \
		CHECK(e_ == DP_OK, "%s: %s", #expr, dp_errname(e_));                \
	} while (0)

#define THREADS 4
#define OPS 300000
#define MAX_HELD 512
#define TIME_LIMIT_S 20

enum mode { MODE_LCORE, MODE_USER_CACHE, MODE_SHARED };

struct worker {
	struct dp_pool *pool;
	enum mode mode;
	unsigned int seed;
	int id;
	atomic_ulong *violations;
	unsigned long ops, refusals;
	const char *failure;
};

/* The CPUs the process may use, saved before rte_eal_init() pins the main
 * thread to lcore 0's CPU: threads made by a pinned thread inherit its
 * pinning, and would all take turns on one CPU instead of racing. */
static cpu_set_t all_cpus;

static void
spawn(pthread_t *th, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(all_cpus), &all_cpus);
	if (pthread_create(th, &attr, fn, arg) != 0) {
		perror("pthread_create");
		abort();
	}
	pthread_attr_destroy(&attr);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
take(struct worker *w, void *blk)
{
	/* The first word of a block is its owner tag; free blocks read 0. */
	long prev = atomic_exchange((atomic_long *)blk, w->id);

	if (prev != 0)
		atomic_fetch_add(w->violations, 1);
}

static void
give(struct worker *w, void *blk)
{
	long prev = atomic_exchange((atomic_long *)blk, 0);

	if (prev != w->id)
		atomic_fetch_add(w->violations, 1);
}

static dp_err
w_get(struct worker *w, struct dp_cache *c, void **b, size_t n)
{
	switch (w->mode) {
	case MODE_LCORE: return dp_pool_get_bulk(w->pool, b, n);
	case MODE_USER_CACHE: return dp_pool_generic_get(w->pool, c, b, n);
	default: return dp_pool_generic_get(w->pool, NULL, b, n);
	}
}

static dp_err
w_put(struct worker *w, struct dp_cache *c, void *const *b, size_t n)
{
	switch (w->mode) {
	case MODE_LCORE: return dp_pool_put_bulk(w->pool, b, n);
	case MODE_USER_CACHE: return dp_pool_generic_put(w->pool, c, b, n);
	default: return dp_pool_generic_put(w->pool, NULL, b, n);
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct dp_cache *cache = NULL;
	void *held[MAX_HELD];
	size_t nheld = 0;
	double deadline = now_s() + TIME_LIMIT_S;

	if (w->mode == MODE_LCORE && rte_thread_register() != 0) {
		w->failure = "rte_thread_register";
		return NULL;
	}
	if (w->mode == MODE_USER_CACHE && dp_cache_create(w->pool, 1 + rand_r(&w->seed) % 64,
							  &cache) != DP_OK) {
		w->failure = "dp_cache_create";
		return NULL;
	}
	for (int i = 0; i < OPS && (i % 1024 || now_s() < deadline); i++) {
		unsigned int r = rand_r(&w->seed) % 100;
		size_t n = r % 2 ? 1 : 1 + rand_r(&w->seed) % 48;

		if (r < 50) {
			if (nheld + n > MAX_HELD)
				continue;
			dp_err e = w_get(w, cache, &held[nheld], n);
			if (e == DP_OK) {
				for (size_t k = 0; k < n; k++)
					take(w, held[nheld + k]);
				nheld += n;
			} else if (e == DP_ERR_POOL_EMPTY || e == DP_ERR_SEG_OVERFLOW) {
				w->refusals++;
			} else {
				w->failure = dp_errname(e);
				break;
			}
		} else if (r < 98) {
			n = n > nheld ? nheld : n;
			/* Free a random run, not just the newest. */
			size_t at = nheld > n ? rand_r(&w->seed) % (nheld - n + 1) : 0;
			void *run[48];
			memcpy(run, &held[at], n * sizeof(void *));
			for (size_t k = 0; k < n; k++)
				give(w, run[k]);
			if (w_put(w, cache, run, n) != DP_OK) {
				w->failure = "put refused a valid block";
				break;
			}
			memmove(&held[at], &held[at + n], (nheld - at - n) * sizeof(void *));
			nheld -= n;
		} else if (w->mode == MODE_LCORE) {
			if (dp_pool_cache_drain(w->pool, rte_lcore_id()) != DP_OK) {
				w->failure = "drain";
				break;
			}
		} else if (w->mode == MODE_USER_CACHE) {
			if (dp_cache_flush(w->pool, cache) != DP_OK) {
				w->failure = "user cache flush";
				break;
			}
		}
		w->ops++;
	}
	for (size_t k = 0; k < nheld; k++)
		give(w, held[k]);
	if (nheld > 0 && w_put(w, cache, held, nheld) != DP_OK && w->failure == NULL)
		w->failure = "final put refused";
	if (w->mode == MODE_LCORE) {
		if (dp_pool_cache_drain(w->pool, rte_lcore_id()) != DP_OK && w->failure == NULL)
			w->failure = "drain";
		rte_thread_unregister();
	}
	if (cache != NULL && dp_cache_destroy(w->pool, cache) != DP_OK && w->failure == NULL)
		w->failure = "dp_cache_destroy";
	return NULL;
}

static void
run_workers(struct dp_pool *pool, unsigned int seed)
{
	struct worker w[THREADS];
	pthread_t th[THREADS];
	atomic_ulong violations = 0;
	unsigned long ops = 0;
	struct dp_pool_stats st;

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .pool = pool, .mode = (enum mode)(i % 3),
					.seed = seed + (unsigned int)i, .id = i + 1,
					.violations = &violations };
		spawn(&th[i], worker_main, &w[i]);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++) {
		CHECK(w[i].failure == NULL, "worker %d (mode %d): %s", i, w[i].mode, w[i].failure);
		ops += w[i].ops;
	}
	CHECK(atomic_load(&violations) == 0, "%lu blocks handed out twice or mis-tagged",
	      atomic_load(&violations));
	CHECK_OK(dp_pool_stats(pool, &st));
	CHECK(st.in_use == 0, "every block came back: in_use %zu", st.in_use);
	CHECK(st.in_caches == 0 && st.free == st.carved, "free %zu of %zu, %zu cached", st.free,
	      st.carved, st.in_caches);
	CHECK_OK(dp_pool_audit(pool, NULL));
	printf("# %lu operations, 0 violations, %zu blocks carved\n", ops, st.carved);
}

struct arena {
	void *raw;
	struct dp_seg *seg;
	struct dp_pool *pool;
};

static dp_err
arena_up(struct arena *a, size_t seg_len, size_t init, size_t max, unsigned int cache_size,
	 unsigned int flags)
{
	struct dp_pool_params prm = { .name = "stress", .block_size = 64, .block_align = 64,
				      .initial = init, .maximum = max, .flags = flags,
				      .cache_size = cache_size };
	dp_err e;

	a->raw = aligned_alloc(4096, (seg_len + 4095) / 4096 * 4096);
	if (a->raw == NULL)
		return DP_ERR_NO_MEMORY;
	memset(a->raw, 0, seg_len); /* owner tags start at 0 */
	e = dp_seg_create("stress", a->raw, seg_len, 64, &a->seg);
	if (e == DP_OK)
		e = dp_pool_create(a->seg, &prm, &a->pool);
	return e;
}

static void
arena_down(struct arena *a)
{
	if (a->pool != NULL && dp_pool_destroy(a->pool) != DP_OK && failure[0] == '\0')
		snprintf(failure, sizeof(failure), "dp_pool_destroy");
	if (a->seg != NULL && dp_seg_destroy(a->seg) != DP_OK && failure[0] == '\0')
		snprintf(failure, sizeof(failure), "dp_seg_destroy");
	free(a->raw);
}

static size_t
pool_in_use(struct dp_pool *p)
{
	struct dp_pool_stats st;

	return dp_pool_stats(p, &st) == DP_OK ? st.in_use : SIZE_MAX;
}

static void
carved_at_most(struct dp_pool *p, size_t most)
{
	struct dp_pool_stats st;

	CHECK_OK(dp_pool_stats(p, &st));
	CHECK(st.carved <= most, "carved %zu, limit %zu", st.carved, most);
}

static void
unlimited_pool_mixed_callers(struct arena *a)
{
	CHECK_OK(arena_up(a, 8 << 20, 0, DP_POOL_UNLIMITED, 64, 0));
	run_workers(a->pool, 1);
}

/* A tight limit makes POOL_EMPTY, refills and flushes race constantly. */
static void
limited_pool_at_its_maximum(struct arena *a)
{
	CHECK_OK(arena_up(a, 8 << 20, 16, 1200, 32, 0));
	run_workers(a->pool, 2);
	if (failure[0] == '\0')
		carved_at_most(a->pool, 1200);
}

/* A segment that runs out mid-race: SEG_OVERFLOW everywhere, nothing lost. */
static void
segment_exhaustion_race_untracked(struct arena *a)
{
	CHECK_OK(arena_up(a, 64 * 1500, 0, DP_POOL_UNLIMITED, 16, DP_POOL_F_NO_TRACK));
	run_workers(a->pool, 3);
	if (failure[0] == '\0')
		carved_at_most(a->pool, 1500);
}

struct racer {
	struct dp_pool *pool;
	size_t got;
	void **blks;
};

static void *
grab_all(void *arg)
{
	struct racer *rc = arg;

	while (dp_pool_get_bulk(rc->pool, &rc->blks[rc->got], 7) == DP_OK)
		rc->got += 7;
	while (dp_pool_get(rc->pool, &rc->blks[rc->got]) == DP_OK)
		rc->got++;
	return NULL;
}

/* Many threads find the pool empty at once: together they get exactly
 * what the limit (or the segment) allows, each block once. */
static void
growth_race(struct arena *a, size_t seg_blocks, size_t max)
{
	enum { N = 4 };
	struct racer rc[N];
	pthread_t th[N];
	size_t expect = max ? max : seg_blocks, total = 0;
	unsigned char *seen = calloc(seg_blocks, 1);
	struct dp_pool_stats st;

	CHECK(seen != NULL, "calloc");
	CHECK_OK(arena_up(a, 64 * seg_blocks, 0, max, 0, 0));
	for (int i = 0; i < N; i++) {
		rc[i] = (struct racer){ a->pool, 0, malloc(seg_blocks * sizeof(void *)) };
		spawn(&th[i], grab_all, &rc[i]);
	}
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < N && failure[0] == '\0'; i++) {
		for (size_t k = 0; k < rc[i].got; k++) {
			size_t idx = ((uintptr_t)rc[i].blks[k] - (uintptr_t)a->raw) / 64;
			if (idx >= seg_blocks || seen[idx]) {
				snprintf(failure, sizeof(failure), "block %zu outside or twice", idx);
				break;
			}
			seen[idx] = 1;
		}
		total += rc[i].got;
	}
	for (int i = 0; i < N; i++) {
		if (failure[0] == '\0' && dp_pool_put_bulk(a->pool, rc[i].blks, rc[i].got) != DP_OK)
			snprintf(failure, sizeof(failure), "put back refused");
		free(rc[i].blks);
	}
	free(seen);
	if (failure[0] != '\0')
		return;
	CHECK(total == expect, "got %zu blocks, expected %zu", total, expect);
	CHECK_OK(dp_pool_stats(a->pool, &st));
	CHECK(st.carved == expect && st.in_use == 0, "carved %zu in use %zu", st.carved, st.in_use);
	CHECK_OK(dp_pool_audit(a->pool, NULL));
}

static void
growth_race_to_the_limit(struct arena *a)
{
	growth_race(a, 5000, 3001);
}

static void
growth_race_to_the_segment_end(struct arena *a)
{
	growth_race(a, 4099, 0);
}

/* How long each race below runs: 1.5 s, or DP_STRESS_SECONDS (longer runs
 * on a loaded machine, where two threads seldom run at the same moment). */
static double
race_seconds(void)
{
	const char *s = getenv("DP_STRESS_SECONDS");
	double v = s ? atof(s) : 0;

	return v > 0 ? v : 1.5;
}

/* A waiter's pause: busy at first, then giving the CPU away now and then,
 * since the machine may have fewer free CPUs than the test has threads. */
static void
relax(unsigned long spins)
{
	if (spins % 16384 == 0)
		sched_yield();
	else
		rte_pause();
}

/*
 * Issue 11, item 1. Lcore 0 and a thread with a user cache pass one block
 * back and forth through their caches while a thread without a cache gets
 * and frees its one block in the shared pool. The uncached free used to be
 * checked against "handed out = out of the shared pool - cache lengths
 * summed one by one, under the pool lock", and a block moving from lcore
 * 0's cache (read first) to the user cache (read last) during the sum was
 * counted twice: the free was refused as a double free. The idle user
 * caches are what lengthens that sum, as 128 lcore caches would in an
 * application. Each flavour of pool runs for a bounded time.
 */
#define PP_IDLE_CACHES 4096

struct pingpong {
	struct dp_pool *pool;
	struct dp_cache *far_cache;
	_Atomic(void *) to_far, to_near;
	atomic_bool stop;
	const char *failure;
	char why[128];
	unsigned long passes, frees;
};

/* Keep the block in the cache for a moment, as a busy application would. */
static void
linger(void)
{
	for (int i = 0; i < 64; i++)
		rte_pause();
}

static void *
pp_far(void *arg)
{
	struct pingpong *pp = arg;
	unsigned long idle = 0;
	void *b;

	while (!atomic_load(&pp->stop)) {
		b = atomic_exchange(&pp->to_far, NULL);
		if (b == NULL) {
			relax(++idle);
			continue;
		}
		if (dp_pool_generic_put(pp->pool, pp->far_cache, &b, 1) != DP_OK) {
			pp->failure = "user cache: put failed";
			atomic_store(&pp->stop, true);
			break;
		}
		linger();
		if (dp_pool_generic_get(pp->pool, pp->far_cache, &b, 1) != DP_OK) {
			pp->failure = "user cache: get failed";
			atomic_store(&pp->stop, true);
			break;
		}
		atomic_store(&pp->to_near, b);
	}
	return NULL;
}

static void *
pp_uncached_freer(void *arg)
{
	struct pingpong *pp = arg;

	while (!atomic_load(&pp->stop)) {
		void *b;
		dp_err e = dp_pool_generic_get(pp->pool, NULL, &b, 1);

		if (e == DP_OK)
			e = dp_pool_generic_put(pp->pool, NULL, &b, 1);
		if (e != DP_OK) {
			snprintf(pp->why, sizeof(pp->why),
				 "uncached free of a block handed out refused after %lu frees: %s",
				 pp->frees, dp_errname(e));
			atomic_store(&pp->stop, true);
			break;
		}
		pp->frees++;
	}
	return NULL;
}

static void
pingpong_run(struct arena *a, unsigned int flags)
{
	static struct dp_cache *idle[PP_IDLE_CACHES];
	struct pingpong pp = { 0 };
	double deadline;
	pthread_t far, freer;
	void *b = NULL;
	size_t nidle = 0;

	CHECK_OK(arena_up(a, 1 << 20, 64, DP_POOL_UNLIMITED, 16, flags));
	pp.pool = a->pool;
	/* The far cache first: the list is read newest first, so it is last. */
	CHECK_OK(dp_cache_create(a->pool, 16, &pp.far_cache));
	while (nidle < PP_IDLE_CACHES && dp_cache_create(a->pool, 1, &idle[nidle]) == DP_OK)
		nidle++;
	spawn(&far, pp_far, &pp);
	spawn(&freer, pp_uncached_freer, &pp);
	deadline = now_s() + race_seconds();
	if (dp_pool_get(a->pool, &b) != DP_OK)
		pp.failure = "first get";
	while (pp.failure == NULL && !atomic_load(&pp.stop) && now_s() < deadline) {
		atomic_store(&pp.to_far, b);
		for (unsigned long idle = 1;
		     (b = atomic_exchange(&pp.to_near, NULL)) == NULL && !atomic_load(&pp.stop);
		     idle++)
			relax(idle);
		if (b == NULL)
			break;
		/* Into lcore 0's cache for a moment, and out again. */
		if (dp_pool_put(a->pool, b) != DP_OK) {
			pp.failure = "lcore 0: cached put failed";
			b = NULL;
			break;
		}
		linger();
		if (dp_pool_get(a->pool, &b) != DP_OK) {
			pp.failure = "lcore 0: cached get failed";
			b = NULL;
			break;
		}
		pp.passes++;
	}
	atomic_store(&pp.stop, true);
	pthread_join(far, NULL);
	pthread_join(freer, NULL);
	/* The block is in lcore 0's hands, or (stopped mid-pass) in a slot. */
	if (b == NULL)
		b = atomic_load(&pp.to_far) ? atomic_load(&pp.to_far) : atomic_load(&pp.to_near);
	if (b != NULL && dp_pool_put(a->pool, b) != DP_OK && pp.failure == NULL)
		pp.failure = "returning the block";
	for (size_t i = 0; i < nidle; i++)
		if (dp_cache_destroy(a->pool, idle[i]) != DP_OK && pp.failure == NULL)
			pp.failure = "dp_cache_destroy";
	if (dp_cache_destroy(a->pool, pp.far_cache) != DP_OK && pp.failure == NULL)
		pp.failure = "dp_cache_destroy";
	CHECK(pp.failure == NULL, "%s", pp.failure);
	CHECK(nidle == PP_IDLE_CACHES, "only %zu idle caches", nidle);
	CHECK(pp.why[0] == '\0', "%s (%lu passes)", pp.why, pp.passes);
	CHECK_OK(dp_pool_cache_drain_all(a->pool));
	printf("# flags %#x: %lu passes between lcore 0 and a user cache, %lu uncached frees, "
	       "none refused\n", flags, pp.passes, pp.frees);
	CHECK_OK(dp_pool_audit(a->pool, NULL));
	CHECK(pool_in_use(a->pool) == 0, "in use after the run");
}

static void
uncached_free_beside_a_block_passed_between_caches(struct arena *a)
{
	unsigned int flags[] = { 0, DP_POOL_F_NO_TRACK, DP_POOL_F_UNCHECKED };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]) && failure[0] == '\0'; i++) {
		struct arena one = { 0 };

		pingpong_run(&one, flags[i]);
		arena_down(&one);
	}
	(void)a;
}

/*
 * Issue 11, item 3. Two registered threads free the same blocks at the
 * same moment, round after round: the getter of the round (they take
 * turns) gets K blocks, both meet, and both free all K, in the same order,
 * from a clock tick they agree on. The getter holds the blocks' state
 * bytes in its cache and would be done before the other's first miss
 * came back, so it starts later by an offset that sweeps 0 to ~200 ns
 * over the rounds: some rounds find both checks in flight at once. With
 * single puts exactly one of the two frees of each block succeeds and the
 * other is DP_ERR_DOUBLE_FREE; with bulk puts at most one succeeds per
 * block, and a block both refused is still handed out (the getter frees
 * it once more, which must succeed). At the end every block is in the
 * pool exactly once (audit).
 */
#define DF_SINGLE_BLOCKS 4
#define DF_BULK_BLOCKS 32
#define DF_ROUNDS_MAX 2000000ul

struct barrier2 {
	atomic_uint count, sense;
};

/* Two threads meet here (sense-reversing). */
static void
barrier2_wait(struct barrier2 *b, unsigned int *my_sense)
{
	*my_sense ^= 1;
	if (atomic_fetch_add(&b->count, 1) == 1) {
		atomic_store(&b->count, 0);
		atomic_store(&b->sense, *my_sense);
		return;
	}
	for (unsigned long spins = 1; atomic_load(&b->sense) != *my_sense; spins++)
		relax(spins);
}

struct dfree {
	struct dp_pool *pool;
	void *blks[DF_BULK_BLOCKS];
	size_t k;
	bool bulk;
	atomic_bool stop;
	struct barrier2 meet;
	_Atomic uint64_t go; /* TSC at which the non-getter starts */
	unsigned char won[2][DF_BULK_BLOCKS];
	const char *failure[2];
	char why[160];
	unsigned long rounds, single_wins, both_refused;
};

struct dfree_worker {
	struct dfree *df;
	int me;
};

static void
dfree_free_all(struct dfree *df, int me)
{
	if (df->bulk) {
		dp_err e = dp_pool_put_bulk(df->pool, df->blks, df->k);

		if (e != DP_OK && e != DP_ERR_DOUBLE_FREE)
			df->failure[me] = dp_errname(e);
		memset(df->won[me], e == DP_OK, df->k);
		return;
	}
	for (size_t i = 0; i < df->k; i++) {
		dp_err e = dp_pool_put(df->pool, df->blks[i]);

		if (e != DP_OK && e != DP_ERR_DOUBLE_FREE)
			df->failure[me] = dp_errname(e);
		df->won[me][i] = e == DP_OK;
	}
}

/* After a round, on its getter: one free per block, no more. */
static bool
dfree_judge(struct dfree *df)
{
	for (size_t i = 0; i < df->k; i++) {
		int wins = df->won[0][i] + df->won[1][i];

		if (wins == 2) {
			snprintf(df->why, sizeof(df->why),
				 "round %lu: block %p freed by both threads at once (%s puts)",
				 df->rounds, df->blks[i], df->bulk ? "bulk" : "single");
			return false;
		}
		if (wins == 0 && !df->bulk) {
			snprintf(df->why, sizeof(df->why), "round %lu: both frees refused",
				 df->rounds);
			return false;
		}
		if (wins == 0 && dp_pool_put(df->pool, df->blks[i]) != DP_OK) {
			snprintf(df->why, sizeof(df->why),
				 "round %lu: a block both refused is not handed out", df->rounds);
			return false;
		}
		df->single_wins += wins == 1;
		df->both_refused += wins == 0;
	}
	return true;
}

static void *
dfree_worker(void *arg)
{
	struct dfree_worker *dw = arg;
	struct dfree *df = dw->df;
	double deadline = now_s() + race_seconds();
	uint64_t ns200 = rte_get_tsc_hz() / 5000000 + 1;
	unsigned int sense = 0;

	if (rte_thread_register() != 0) {
		df->failure[dw->me] = "rte_thread_register";
		atomic_store(&df->stop, true);
	}
	for (unsigned long r = 0;; r++) {
		bool getter = (int)(r % 2) == dw->me;
		uint64_t start;

		if (getter) {
			dp_err e = DP_OK;

			if (r >= DF_ROUNDS_MAX || (r % 64 == 0 && now_s() > deadline) ||
			    (e = dp_pool_get_bulk(df->pool, df->blks, df->k)) != DP_OK) {
				if (e != DP_OK)
					df->failure[dw->me] = dp_errname(e);
				atomic_store(&df->stop, true);
			}
			atomic_store(&df->go, rte_rdtsc() + rte_get_tsc_hz() / 500000); /* +2 us */
		}
		barrier2_wait(&df->meet, &sense); /* blocks and go written, or stop */
		if (atomic_load(&df->stop))
			break;
		start = atomic_load(&df->go) + (getter ? (r * 2654435761u) % ns200 : 0);
		while (rte_rdtsc() < start)
			rte_pause();
		dfree_free_all(df, dw->me);
		barrier2_wait(&df->meet, &sense); /* both done */
		if (getter) {
			df->rounds++;
			if (!dfree_judge(df))
				atomic_store(&df->stop, true);
		}
	}
	if (dp_pool_cache_drain(df->pool, rte_lcore_id()) != DP_OK)
		df->failure[dw->me] = "drain";
	rte_thread_unregister();
	return NULL;
}

static void
dfree_run(struct arena *a, bool bulk)
{
	struct dfree df = { .bulk = bulk, .k = bulk ? DF_BULK_BLOCKS : DF_SINGLE_BLOCKS };
	struct dfree_worker dw[2];
	pthread_t th[2];

	CHECK_OK(arena_up(a, 4 << 20, 256, DP_POOL_UNLIMITED, 64, 0));
	df.pool = a->pool;
	for (int i = 0; i < 2; i++) {
		dw[i] = (struct dfree_worker){ &df, i };
		spawn(&th[i], dfree_worker, &dw[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(df.why[0] == '\0', "%s", df.why);
	CHECK(df.failure[0] == NULL && df.failure[1] == NULL, "worker: %s",
	      df.failure[0] ? df.failure[0] : df.failure[1]);
	printf("# %s puts: %lu rounds of %zu blocks freed by two threads at once: %lu won by "
	       "one, %lu refused to both\n", bulk ? "bulk" : "single", df.rounds, df.k,
	       df.single_wins, df.both_refused);
	CHECK_OK(dp_pool_audit(a->pool, NULL));
	CHECK(pool_in_use(a->pool) == 0, "in use after the run");
}

static void
concurrent_frees_of_one_block_single(struct arena *a)
{
	dfree_run(a, false);
}

static void
concurrent_frees_of_one_block_bulk(struct arena *a)
{
	dfree_run(a, true);
}

static const struct scenario {
	const char *name;
	void (*run)(struct arena *);
} scenarios[] = {
	{ "unlimited_pool_mixed_callers", unlimited_pool_mixed_callers },
	{ "limited_pool_at_its_maximum", limited_pool_at_its_maximum },
	{ "segment_exhaustion_race_untracked", segment_exhaustion_race_untracked },
	{ "growth_race_to_the_limit", growth_race_to_the_limit },
	{ "growth_race_to_the_segment_end", growth_race_to_the_segment_end },
	{ "uncached_free_beside_a_block_passed_between_caches",
	  uncached_free_beside_a_block_passed_between_caches },
	{ "concurrent_frees_of_one_block_single", concurrent_frees_of_one_block_single },
	{ "concurrent_frees_of_one_block_bulk", concurrent_frees_of_one_block_bulk },
};

int
main(void)
{
	char prefix[64];
	char *argv[] = { "dp-stress", "-l", "0", "--no-pci", "--no-huge", "-m", "64",
			 "--no-shconf", "--file-prefix", prefix, "--no-telemetry",
			 "--log-level", "lib.eal:error", NULL };
	size_t n = sizeof(scenarios) / sizeof(scenarios[0]);
	int failed = 0;

	snprintf(prefix, sizeof(prefix), "dpstress%d", (int)getpid());
	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus) != 0) {
		printf("Bail out! sched_getaffinity\n");
		return 1;
	}
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0) {
		printf("Bail out! rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		struct arena a = { 0 };

		failure[0] = '\0';
		scenarios[i].run(&a);
		arena_down(&a);
		if (failure[0] == '\0') {
			printf("ok %zu - %s\n", i + 1, scenarios[i].name);
		} else {
			printf("not ok %zu - %s: %s\n", i + 1, scenarios[i].name, failure);
			failed++;
		}
		fflush(stdout);
	}
	rte_eal_cleanup();
	return failed ? 1 : 0;
}
