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
#include <pthread.h>
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
		pthread_create(&th[i], NULL, worker_main, &w[i]);
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
		pthread_create(&th[i], NULL, grab_all, &rc[i]);
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

static const struct scenario {
	const char *name;
	void (*run)(struct arena *);
} scenarios[] = {
	{ "unlimited_pool_mixed_callers", unlimited_pool_mixed_callers },
	{ "limited_pool_at_its_maximum", limited_pool_at_its_maximum },
	{ "segment_exhaustion_race_untracked", segment_exhaustion_race_untracked },
	{ "growth_race_to_the_limit", growth_race_to_the_limit },
	{ "growth_race_to_the_segment_end", growth_race_to_the_segment_end },
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
