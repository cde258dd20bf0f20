/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pool-perf: dynpool against rte_mempool, same process, same run.
 *
 * The matrix reproduces the method of DPDK's mempool_perf_autotest: each
 * lcore repeatedly gets `keep` objects in bulks of `bulk`, then puts them
 * back in bulks of `bulk`, counting each object once per get + put. The
 * rate differs from DPDK's, which divides each lcore's count by the
 * nominal length (5 s there): here each lcore's count over its own elapsed
 * time, summed over the lcores, since an lcore stops only at the end of a
 * chunk (CHUNK_OBJS), which a short run cannot ignore. Bulk sizes
 * are compile-time constants in the loop for every backend alike. Each
 * configuration runs `reps` times, backends interleaved within a
 * repetition so drift hits them equally, and the median is reported.
 *
 * Every pattern but growth also runs touching the objects (--touch 0,1):
 * the first cache line of each is written after the get and read before
 * the put, as an rx and a tx path do; without, only pointers move.
 *
 * Patterns besides the matrix: producer/consumer (one lcore gets and
 * passes objects through an SPSC ring to another that frees them, as rx
 * and tx lcores do; pool_perf_pc.c) and growth (get N objects from a pool that starts
 * empty; rte_mempool cannot grow, so its pool is created full, creation
 * included in its time).
 *
 * Output: CSV rows on stdout (or --csv), progress on stderr.
 * Usage: pool_perf [EAL args] -- [options]; --help lists them.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "perf_backend.h"
#include "pool_perf_pc.h"

#define ELT_SIZE 2048u
#define KEEP_MAX 512u
/* The clock is read once per chunk. DPDK's 65,536 suits its 5 s runs; at
 * 40 ms a contended configuration overran by most of a chunk, run by the
 * later lcore alone. 4,096 bounds that tail to about 1 % of a quick run's
 * time and its excess to 0.1 M/s per lcore (2.5 % of the slowest rate,
 * stack's 4 M/s on two lcores without a cache), for one timer read per
 * 4,096 pairs. */
#define CHUNK_OBJS 4096u
#define MAX_LIST 8

static const struct backend all_backends[] = {
	{ "dynpool", BK_DYNPOOL, NULL },
	{ "dynpool-nt", BK_DYNPOOL_NT, NULL },
	{ "dynpool-fast", BK_DYNPOOL_FAST, NULL },
	{ "emu-xchg", BK_EMU_XCHG, NULL }, /* experiments: doc/benchmarks.md */
	{ "emu-lock", BK_EMU_LOCK, NULL },
	{ "ring_mp_mc", BK_MEMPOOL, "ring_mp_mc" },
	{ "stack", BK_MEMPOOL, "stack" },
	{ "lf_stack", BK_MEMPOOL, "lf_stack" },
	{ "mempool-dynpool", BK_MEMPOOL, "dynpool" }, /* rte_mempool on the dynpool driver */
	{ "none", BK_NONE, NULL },
};

struct list {
	unsigned int v[MAX_LIST];
	unsigned int n;
};

static struct opts {
	const struct backend *backends[8];
	unsigned int nbackends;
	struct list caches, bulks, keeps, cores, touches, holds;
	unsigned int reps;
	double duration_s;
	int matrix, prodcons, growth;
	unsigned int growth_blocks;
	FILE *csv;
	const char *callgrind; /* backend:bulk:pairs */
	FILE *phases;          /* per-phase cycles (pool_perf_phases only) */
} o;

/* ---- the measured loops -------------------------------------------------- */

struct job {
	struct bpool *pool;
	unsigned int cache, bulk, keep, cores, touch;
	double duration_s;
	volatile int go;
	int err;
	bool disturbed; /* see disturbed() */
	uint64_t objs[RTE_MAX_LCORE];
	uint64_t start[RTE_MAX_LCORE];  /* timer cycles when each lcore began */
	uint64_t cycles[RTE_MAX_LCORE]; /* each lcore's own: its last chunk ends past the deadline */
	double on_cpu[RTE_MAX_LCORE];   /* the share of those cycles its thread ran */
};

/* One chunk of rounds; n is a constant at every call site. */
#define DEFINE_CHUNK(NAME, GET, PUT)                                                     \
	static __rte_always_inline int NAME(struct bpool *p, void **tab, unsigned int keep, \
					    unsigned int n, unsigned int touch,          \
					    uint64_t *sink)                              \
	{                                                                                \
		for (unsigned int r = 0; r < CHUNK_OBJS / keep; r++) {                  \
			for (unsigned int i = 0; i < keep; i += n) {                    \
				if (unlikely(GET(p, &tab[i], n) != 0))                  \
					return -1;                                      \
				if (touch)                                              \
					bench_touch_write(&tab[i], n, r);               \
			}                                                               \
			for (unsigned int i = 0; i < keep; i += n) {                    \
				if (touch)                                              \
					*sink += bench_touch_read(&tab[i], n);          \
				if (unlikely(PUT(p, &tab[i], n) != 0))                  \
					return -1;                                      \
			}                                                               \
		}                                                                        \
		return 0;                                                                \
	}

#define MP_GET(p, t, n) rte_mempool_get_bulk((p)->mp, (t), (n))
#define MP_PUT(p, t, n) (rte_mempool_put_bulk((p)->mp, (t), (n)), 0)
#define DP_GET(p, t, n) (dp_pool_get_bulk((p)->dp, (t), (n)) != DP_OK)
#define DP_PUT(p, t, n) (dp_pool_put_bulk((p)->dp, (t), (n)) != DP_OK)
DEFINE_CHUNK(chunk_mp, MP_GET, MP_PUT)
DEFINE_CHUNK(chunk_dp, DP_GET, DP_PUT)
DEFINE_CHUNK(chunk_emu, bpool_get, bpool_put) /* the emu-* experiments */

#define DISPATCH_BULK(FN, p, tab, keep, bulk, t, s)                               \
	((bulk) == 1	? FN(p, tab, keep, 1, t, s)                               \
	 : (bulk) == 4	? FN(p, tab, keep, 4, t, s)                               \
	 : (bulk) == 32 ? FN(p, tab, keep, 32, t, s)                              \
			: FN(p, tab, keep, bulk, t, s))

static double
thread_cpu_s(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
matrix_worker(void *arg)
{
	struct job *j = arg;
	void *tab[KEEP_MAX] __rte_cache_aligned;
	unsigned int me = rte_lcore_id();
	uint64_t hz = rte_get_timer_hz(), start, end;
	double cpu0;
	int mp = j->pool->b->kind == BK_MEMPOOL, err = 0;
	int emu = j->pool->state != NULL;
	uint64_t sink = 0;

	while (!j->go)
		rte_pause();
	start = rte_get_timer_cycles();
	j->start[me] = start;
	cpu0 = thread_cpu_s();
	end = start + (uint64_t)(j->duration_s * (double)hz);
	j->objs[me] = 0;
	while (rte_get_timer_cycles() < end) {
		err = mp ? DISPATCH_BULK(chunk_mp, j->pool, tab, j->keep, j->bulk, j->touch, &sink)
		       : emu ? DISPATCH_BULK(chunk_emu, j->pool, tab, j->keep, j->bulk, j->touch, &sink)
			 : DISPATCH_BULK(chunk_dp, j->pool, tab, j->keep, j->bulk, j->touch, &sink);
		if (err)
			break;
		j->objs[me] += CHUNK_OBJS / j->keep * j->keep;
	}
	j->cycles[me] = rte_get_timer_cycles() - start;
	j->on_cpu[me] = j->cycles[me] ? (thread_cpu_s() - cpu0) * (double)hz / (double)j->cycles[me] : 1.0;
	if (err)
		j->err = 1;
	if (sink == 1) /* keeps the reads; never true in practice */
		fprintf(stderr, " ");
	return 0;
}

/* An lcore preempted for part of a run, or started late, leaves the
 * others running with fewer contenders: their rates are then partly
 * uncontended ones, summed. True, with a line on stderr naming the run,
 * when any lcore ran under 95 % of its time or the lcores' windows differ
 * by more than 2 % of their span (a chunk's tail is about 1 %). */
static bool
disturbed(const struct job *j)
{
	uint64_t first = UINT64_MAX, last = 0, last_start = 0, first_end = UINT64_MAX;
	unsigned int lc, ran = 0;
	double worst = 1.0, hz = (double)rte_get_timer_hz(), together;

	if (j->cores < 2 || j->err)
		return false;
	RTE_LCORE_FOREACH(lc) {
		if (j->cycles[lc] == 0)
			continue;
		ran++;
		worst = RTE_MIN(worst, j->on_cpu[lc]);
		first = RTE_MIN(first, j->start[lc]);
		last_start = RTE_MAX(last_start, j->start[lc]);
		first_end = RTE_MIN(first_end, j->start[lc] + j->cycles[lc]);
		last = RTE_MAX(last, j->start[lc] + j->cycles[lc]);
	}
	if (ran == 0 || last <= first)
		return false;
	together = first_end > last_start ? (double)(first_end - last_start) / (double)(last - first) : 0;
	if (ran == j->cores && worst >= 0.95 && together >= 0.98)
		return false;
	fprintf(stderr, "warning: %s cache %u bulk %u keep %u touch %u: %u of %u lcores ran, "
		"together for %.0f%% of %.1f ms, the least on its CPU %.0f%% of its time\n",
		j->pool->b->name, j->cache, j->bulk, j->keep, j->touch, ran, j->cores,
		100.0 * together, 1e3 * (double)(last - first) / hz, 100.0 * worst);
	return true;
}

/* Run fn on `cores` lcores (main included), started together. */
static double
run_on_lcores(lcore_function_t *fn, struct job *j)
{
	unsigned int left = j->cores, lc;
	double rate = 0, hz = (double)rte_get_timer_hz();

	memset(j->objs, 0, sizeof(j->objs));
	memset(j->cycles, 0, sizeof(j->cycles));
	memset(j->start, 0, sizeof(j->start));
	j->go = 0;
	j->err = 0;
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (left <= 1)
			break;
		left--;
		rte_eal_remote_launch(fn, j, lc);
	}
	__atomic_store_n(&j->go, 1, __ATOMIC_RELEASE);
	fn(j);
	rte_eal_mp_wait_lcore();
	/* Each lcore's objects over its own time, summed. Dividing by the
	 * nominal length (DPDK's way) counted up to a chunk per lcore that ran
	 * past it, and rounded every rate of a short run to chunks per run. */
	RTE_LCORE_FOREACH(lc) {
		if (j->cycles[lc] == 0)
			continue;
		rate += (double)j->objs[lc] * hz / (double)j->cycles[lc];
		if (j->objs[lc] == 0)
			fprintf(stderr, "warning: lcore %u moved nothing in %.1f ms: "
				"preempted for the whole run?\n", lc, 1e3 * (double)j->cycles[lc] / hz);
		if (getenv("POOL_PERF_FAIRNESS") != NULL && j->cores > 1)
			fprintf(stderr, "fairness: lcore %u %" PRIu64 " objects, %.2f M/s\n", lc,
				j->objs[lc], 1e-6 * (double)j->objs[lc] * hz / (double)j->cycles[lc]);
	}
	j->disturbed = disturbed(j);
	return j->err ? -1.0 : rate;
}

/* ---- growth ------------------------------------------------------------- */

static double
run_growth(const struct backend *b)
{
	unsigned int n = o.growth_blocks;
	void **objs = malloc((size_t)n * sizeof(void *));
	uint64_t t0 = rte_get_timer_cycles(), t;
	struct bpool p;
	int err = 0;

	if (objs == NULL)
		return -1;
	if (bpool_create_growing(&p, b, n, 64) != 0) {
		free(objs);
		return -1;
	}
	for (unsigned int i = 0; i + 32 <= n && !err; i += 32)
		err = bpool_get(&p, &objs[i], 32);
	t = rte_get_timer_cycles() - t0;
	for (unsigned int i = 0; i + 32 <= n && !err; i += 32)
		err = bpool_put(&p, &objs[i], 32);
	bpool_free(&p);
	free(objs);
	return err ? -1.0 : (double)(n / 32 * 32) / ((double)t / rte_get_timer_hz());
}

/* ---- orchestration ------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void
emit(const char *pattern, const struct backend *b, unsigned int cache, unsigned int bulk,
     unsigned int keep, unsigned int cores, unsigned int touch, unsigned int hold, double *rates,
     unsigned int reps, int disturbed_reps)
{
	char dist[16] = ""; /* empty where the pattern does not look (disturbed()) */

	if (disturbed_reps >= 0)
		snprintf(dist, sizeof(dist), "%d", disturbed_reps);
	qsort(rates, reps, sizeof(double), cmp_double);
	fprintf(o.csv, "%s,%s,%u,%u,%u,%u,%u,%u,%.0f,%.0f,%.0f,%u,%s\n", pattern, b->name, cache,
		bulk, keep, cores, touch, hold, rates[reps / 2], rates[0], rates[reps - 1], reps,
		dist);
	fflush(o.csv);
}

static unsigned int
pool_size(unsigned int cores)
{
	/* As mempool_perf_autotest (22.11): lcores x (512 kept + 512 cached) - 1. */
	return cores * (KEEP_MAX + 512) - 1;
}

static int
run_matrix(void)
{
	unsigned int total = o.caches.n * o.bulks.n * o.keeps.n * o.cores.n, done = 0;
	static double rates[MAX_LIST][8][32];
	static unsigned int dist[MAX_LIST][8];

	for (unsigned int ci = 0; ci < o.cores.n; ci++)
	for (unsigned int ca = 0; ca < o.caches.n; ca++)
	for (unsigned int bu = 0; bu < o.bulks.n; bu++)
	for (unsigned int ke = 0; ke < o.keeps.n; ke++) {
		unsigned int cores = o.cores.v[ci], cache = o.caches.v[ca];
		struct job j = { .cache = cache, .bulk = o.bulks.v[bu], .keep = o.keeps.v[ke],
				 .cores = cores, .duration_s = o.duration_s };

		if (j.keep % j.bulk != 0 || cores > rte_lcore_count())
			continue;
		/* "none" is a ceiling for patterns that move objects between
		 * lcores; the matrix has no such thing. Touching and not
		 * alternate within a repetition, like the backends. */
		memset(dist, 0, sizeof(dist));
		for (unsigned int r = 0; r < o.reps; r++) {
			for (unsigned int ti = 0; ti < o.touches.n; ti++)
			for (unsigned int bi = 0; bi < o.nbackends; bi++) {
				struct bpool p;

				rates[ti][bi][r] = 0;
				if (o.backends[bi]->kind == BK_NONE)
					continue;
				if (bpool_create(&p, o.backends[bi], pool_size(cores), ELT_SIZE, cache) != 0)
					return -1;
				j.pool = &p;
				j.touch = o.touches.v[ti];
				rates[ti][bi][r] = run_on_lcores(matrix_worker, &j);
				dist[ti][bi] += j.disturbed;
				bpool_free(&p);
				if (rates[ti][bi][r] < 0) {
					fprintf(stderr, "%s failed\n", o.backends[bi]->name);
					return -1;
				}
			}
		}
		for (unsigned int ti = 0; ti < o.touches.n; ti++)
			for (unsigned int bi = 0; bi < o.nbackends; bi++)
				if (o.backends[bi]->kind != BK_NONE)
					emit("matrix", o.backends[bi], cache, j.bulk, j.keep, cores,
					     o.touches.v[ti], 0, rates[ti][bi], o.reps, (int)dist[ti][bi]);
		fprintf(stderr, isatty(2) ? "\rpool-perf: matrix %u/%u" : "pool-perf: matrix %u/%u\n",
			++done, total);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	return 0;
}

/* One row per phase of one producer/consumer run (pool_perf_phases). */
static void
emit_phases(const struct backend *b, unsigned int cache, const struct pc_params *prm,
	    unsigned int rep, double rate, const struct pc_phases *ph)
{
	static const char *const names[PH__COUNT] = {
		"get_hit", "get_miss", "get_empty", "touch_write", "enqueue", "wait_full",
		"dequeue", "wait_empty", "touch_read", "hold", "put_hit", "put_flush",
	};

	for (unsigned int i = 0; i < PH__COUNT; i++)
		fprintf(o.phases, "%s,%u,%u,%u,%u,%.0f,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
			b->name, cache, prm->touch, prm->hold, rep, rate, names[i], ph->calls[i],
			ph->objs[i], ph->cycles[i]);
	fprintf(o.phases, "%s,%u,%u,%u,%u,%.0f,lock_busy_get,%" PRIu64 ",0,0\n", b->name, cache,
		prm->touch, prm->hold, rep, rate, ph->lock_busy_get);
	fprintf(o.phases, "%s,%u,%u,%u,%u,%.0f,lock_busy_put,%" PRIu64 ",0,0\n", b->name, cache,
		prm->touch, prm->hold, rep, rate, ph->lock_busy_put);
	fprintf(o.phases, "%s,%u,%u,%u,%u,%.0f,preempted,%" PRIu64 ",0,0\n", b->name, cache,
		prm->touch, prm->hold, rep, rate, ph->preempted);
	fflush(o.phases);
}

static int
run_prodcons_all(void)
{
	static double rates[MAX_LIST][8][32];

	for (unsigned int ca = 0; ca < o.caches.n; ca++)
	for (unsigned int ho = 0; ho < o.holds.n; ho++) {
		for (unsigned int r = 0; r < o.reps; r++)
			for (unsigned int ti = 0; ti < o.touches.n; ti++)
			for (unsigned int bi = 0; bi < o.nbackends; bi++) {
				struct pc_params prm = { .duration_s = o.duration_s,
							 .touch = o.touches.v[ti],
							 .hold = o.holds.v[ho] };
				struct pc_phases ph;
				struct bpool p;

				if (bpool_create(&p, o.backends[bi], 16383, ELT_SIZE,
						 o.caches.v[ca]) != 0)
					return -1;
				rates[ti][bi][r] = run_prodcons(&p, r, &prm, &ph);
				bpool_free(&p);
				if (rates[ti][bi][r] < 0) {
					fprintf(stderr, "%s failed\n", o.backends[bi]->name);
					return -1;
				}
				if (o.phases != NULL)
					emit_phases(o.backends[bi], o.caches.v[ca], &prm, r,
						    rates[ti][bi][r], &ph);
			}
		for (unsigned int ti = 0; ti < o.touches.n; ti++)
			for (unsigned int bi = 0; bi < o.nbackends; bi++)
				emit("prodcons", o.backends[bi], o.caches.v[ca], 32, 32, 2,
				     o.touches.v[ti], o.holds.v[ho], rates[ti][bi], o.reps, -1);
		fprintf(stderr, "pool-perf: producer/consumer, cache %u hold %u done\n",
			o.caches.v[ca], o.holds.v[ho]);
	}
	return 0;
}

static int
run_other_patterns(void)
{
	double rates[8][32];

	if (o.prodcons && rte_lcore_count() >= 2 && run_prodcons_all() != 0)
		return -1;
	if (o.growth) {
		for (unsigned int r = 0; r < o.reps; r++)
			for (unsigned int bi = 0; bi < o.nbackends; bi++)
				rates[bi][r] = o.backends[bi]->kind == BK_NONE ? 0 : run_growth(o.backends[bi]);
		for (unsigned int bi = 0; bi < o.nbackends; bi++)
			if (o.backends[bi]->kind != BK_NONE)
				emit("growth", o.backends[bi], 0, 32, o.growth_blocks, 1, 0, 0,
				     rates[bi], o.reps, -1);
		fprintf(stderr, "pool-perf: growth to %u blocks done\n", o.growth_blocks);
	}
	return 0;
}

/* Cache-hit fast path, for instruction counts under callgrind: warm the
 * cache, then `pairs` get+put pairs of `bulk`. */
/* Not inlined, cloned or specialised (GCC's noipa; clang has no such
 * attribute and neither clones nor specialises a noinline extern function),
 * and not static: callgrind must find them under these names. */
#if defined(__clang__)
#define CG_OPAQUE __attribute__((noinline))
#else
#define CG_OPAQUE __attribute__((noipa))
#endif
void cg_loop_mempool(struct rte_mempool *mp, void **t, unsigned int bulk, unsigned long pairs);
void cg_loop_dynpool(struct dp_pool *p, void **t, unsigned int bulk, unsigned long pairs);

#define CG_MP(n)                                                              \
	for (unsigned long i = 0; i < pairs; i++) {                           \
		if (rte_mempool_get_bulk(mp, t, (n)) != 0)                    \
			abort();                                              \
		rte_mempool_put_bulk(mp, t, (n));                             \
	}
#define CG_DP(n)                                                              \
	for (unsigned long i = 0; i < pairs; i++)                             \
		if (dp_pool_get_bulk(p, t, (n)) != DP_OK ||                   \
		    dp_pool_put_bulk(p, t, (n)) != DP_OK)                     \
			abort();
/* Bulk sizes are constants, as in the measured loops. */
#define CG_BODY(M)                                                            \
	switch (bulk) {                                                       \
	case 1: M(1) break;                                                   \
	case 4: M(4) break;                                                   \
	case 32: M(32) break;                                                 \
	default: M(bulk) break;                                               \
	}

CG_OPAQUE void
cg_loop_mempool(struct rte_mempool *mp, void **t, unsigned int bulk, unsigned long pairs)
{
	CG_BODY(CG_MP)
}

CG_OPAQUE void
cg_loop_dynpool(struct dp_pool *p, void **t, unsigned int bulk, unsigned long pairs)
{
	CG_BODY(CG_DP)
}

static int
run_callgrind(const char *spec)
{
	char name[32];
	unsigned int bulk, cache = 256;
	unsigned long pairs;
	void *t[KEEP_MAX];
	struct bpool p;

	if (sscanf(spec, "%31[^:]:%u:%lu:%u", name, &bulk, &pairs, &cache) < 3 || bulk > 256)
		return -1;
	for (unsigned int i = 0; i < sizeof(all_backends) / sizeof(all_backends[0]); i++) {
		const struct backend *b = &all_backends[i];

		if (strcmp(b->name, name) != 0)
			continue;
		if (bpool_create(&p, b, pool_size(1), ELT_SIZE, cache) != 0)
			return -1;
		if (b->kind == BK_MEMPOOL) {
			cg_loop_mempool(p.mp, t, bulk, 1000); /* warm-up: cache filled */
			cg_loop_mempool(p.mp, t, bulk, pairs);
		} else {
			cg_loop_dynpool(p.dp, t, bulk, 1000);
			cg_loop_dynpool(p.dp, t, bulk, pairs);
		}
		bpool_free(&p);
		printf("callgrind loop done: %s bulk %u pairs %lu cache %u\n", name, bulk, pairs, cache);
		return 0;
	}
	return -1;
}

static void
usage(void)
{
	printf("usage: pool_perf [EAL args] -- [options]\n"
	       "  --backends LIST   of: dynpool,dynpool-nt,dynpool-fast,ring_mp_mc,stack,lf_stack,\n"
	       "                    emu-xchg,emu-lock,\n"
	       "                    mempool-dynpool,none\n"
	       "                    (default all but lf_stack; dynpool = checked and tracked, -nt = not\n"
	       "                    tracked, -fast = unchecked like rte_mempool; none = no pool at\n"
	       "                    all, a reference point for producer/consumer; emu-xchg and\n"
	       "                    emu-lock = dynpool-fast with double-free tracking done by the\n"
	       "                    bench, an atomic exchange per object or one lock per put: an\n"
	       "                    experiment)\n"
	       "  --caches LIST     per-lcore cache sizes (default 0,256,512)\n"
	       "  --bulks LIST      get/put bulk sizes (default 1,4,32)\n"
	       "  --keeps LIST      objects kept per round (default 32,128,512)\n"
	       "  --cores LIST      lcores taking part (default 1,<all>)\n"
	       "  --touch LIST      0: move pointers only, 1: write each object's first cache\n"
	       "                    line after the get, read it before the put (default 0,1)\n"
	       "  --holds LIST      producer/consumer: objects the tx lcore holds after reading\n"
	       "                    them before it frees the oldest, as a NIC's tx ring does\n"
	       "                    (default 0: freed at once; at most 8160)\n"
	       "  --no-spread       dynpool blocks 2,048 bytes apart (DP_POOL_F_NO_SPREAD), not\n"
	       "                    the library's default 2,112, an odd number of lines as\n"
	       "                    rte_mempool pads its objects\n"
	       "  --phases FILE     producer/consumer cycles per phase, CSV (only the\n"
	       "                    pool_perf_phases build, which has the rdtsc probes)\n"
	       "  --reps N          repetitions per configuration; the median is kept (default 5)\n"
	       "  --duration MS     length of one measurement (default 250)\n"
	       "  --patterns LIST   of: matrix,prodcons,growth (default all)\n"
	       "  --growth-blocks N objects the growth pattern gets (default 1048576)\n"
	       "  --csv FILE        write CSV there instead of stdout\n"
	       "  --callgrind B:BULK:PAIRS[:CACHE]  only run the get+put loop (for valgrind;\n"
	       "                    cache 256 by default, so every call hits it)\n"
	       "  --quick           short run: 3 repetitions of 40 ms\n"
	       "CSV: pattern,backend,cache,bulk,keep,cores,touch,hold,rate_median,rate_min,rate_max,reps,\n"
	       "     disturbed (matrix: repetitions in which an lcore ran under 95 %% of its time or\n"
	       "     the lcores ran apart, each also a warning on stderr)\n"
	       "(rates in objects per second; each object counted once per get + put)\n");
}

static int
parse_list(const char *s, struct list *l)
{
	char *end;

	l->n = 0;
	while (*s && l->n < MAX_LIST) {
		l->v[l->n++] = (unsigned int)strtoul(s, &end, 10);
		if (end == s)
			return -1;
		s = *end == ',' ? end + 1 : end;
	}
	return l->n ? 0 : -1;
}

static int
parse_backends(const char *s)
{
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", s);
	o.nbackends = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned int i, n = sizeof(all_backends) / sizeof(all_backends[0]);

		for (i = 0; i < n && strcmp(all_backends[i].name, tok) != 0; i++)
			;
		if (i == n || o.nbackends == 8) {
			fprintf(stderr, "pool_perf: unknown backend '%s'\n", tok);
			return -1;
		}
		o.backends[o.nbackends++] = &all_backends[i];
	}
	return o.nbackends ? 0 : -1;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "backends", 1, 0, 'b' }, { "caches", 1, 0, 'c' }, { "bulks", 1, 0, 'u' },
		{ "keeps", 1, 0, 'k' },	   { "cores", 1, 0, 'n' },  { "reps", 1, 0, 'r' },
		{ "duration", 1, 0, 'd' }, { "patterns", 1, 0, 'p' }, { "csv", 1, 0, 'o' },
		{ "growth-blocks", 1, 0, 'g' }, { "callgrind", 1, 0, 'G' }, { "quick", 0, 0, 'q' },
		{ "touch", 1, 0, 't' },	   { "holds", 1, 0, 'H' },  { "phases", 1, 0, 'P' },
		{ "no-spread", 0, 0, 'S' },
		{ "help", 0, 0, 'h' },	   { 0, 0, 0, 0 },
	};
	int c;

	o.csv = stdout;
	o.reps = 5;
	o.duration_s = 0.25;
	o.matrix = o.prodcons = o.growth = 1;
	o.growth_blocks = 1u << 20;
	parse_backends("dynpool,dynpool-nt,dynpool-fast,ring_mp_mc,stack,mempool-dynpool,none");
	parse_list("0,256,512", &o.caches);
	parse_list("1,4,32", &o.bulks);
	parse_list("32,128,512", &o.keeps);
	parse_list("0,1", &o.touches);
	parse_list("0", &o.holds);
	o.cores.n = 0;
	o.cores.v[o.cores.n++] = 1;
	if (rte_lcore_count() > 1)
		o.cores.v[o.cores.n++] = rte_lcore_count();
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'b': if (parse_backends(optarg)) return -1; break;
		case 'c': if (parse_list(optarg, &o.caches)) return -1; break;
		case 'u': if (parse_list(optarg, &o.bulks)) return -1; break;
		case 'k': if (parse_list(optarg, &o.keeps)) return -1; break;
		case 'n': if (parse_list(optarg, &o.cores)) return -1; break;
		case 'r': o.reps = (unsigned int)atoi(optarg); break;
		case 'd': o.duration_s = atof(optarg) / 1000.0; break;
		case 'g': o.growth_blocks = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'G': o.callgrind = optarg; break;
		case 'q': o.reps = 3; o.duration_s = 0.04; break;
		case 't': if (parse_list(optarg, &o.touches)) return -1; break;
		case 'S': bench_no_spread = 1; break;
		case 'H': if (parse_list(optarg, &o.holds)) return -1; break;
		case 'P':
			if (!POOL_PERF_PHASES) {
				fprintf(stderr, "pool_perf: --phases needs the pool_perf_phases build\n");
				return -1;
			}
			o.phases = fopen(optarg, "w");
			if (o.phases == NULL) {
				perror(optarg);
				return -1;
			}
			fprintf(o.phases, "# timer overhead per phase: %.1f cycles; TSC %" PRIu64 " Hz\n"
				"backend,cache,touch,hold,rep,rate,phase,calls,objs,cycles\n",
				pc_timer_overhead(), rte_get_tsc_hz());
			break;
		case 'o':
			o.csv = fopen(optarg, "w");
			if (o.csv == NULL) {
				perror(optarg);
				return -1;
			}
			break;
		case 'p':
			o.matrix = strstr(optarg, "matrix") != NULL;
			o.prodcons = strstr(optarg, "prodcons") != NULL;
			o.growth = strstr(optarg, "growth") != NULL;
			break;
		case 'h': usage(); exit(0);
		default: usage(); return -1;
		}
	}
	if (o.reps == 0 || o.reps > 32 || o.duration_s <= 0) {
		fprintf(stderr, "pool_perf: --reps must be 1..32 and --duration positive\n");
		return -1;
	}
	for (unsigned int i = 0; i < o.holds.n; i++)
		if (o.holds.v[i] > 8160) {
			fprintf(stderr, "pool_perf: --holds values must be 0..8160\n");
			return -1;
		}
	return 0;
}

int
main(int argc, char **argv)
{
	int n = rte_eal_init(argc, argv), rc;

	if (n < 0) {
		fprintf(stderr, "pool_perf: EAL init failed (see above)\n");
		return 1;
	}
	if (parse_args(argc - n, argv + n) != 0)
		return 2;
	if (o.callgrind)
		rc = run_callgrind(o.callgrind);
	else {
		fprintf(o.csv, "pattern,backend,cache,bulk,keep,cores,touch,hold,rate_median,rate_min,"
			"rate_max,reps,disturbed\n");
		rc = o.matrix ? run_matrix() : 0;
		if (rc == 0)
			rc = run_other_patterns();
	}
	if (o.csv != stdout)
		fclose(o.csv);
	if (o.phases != NULL)
		fclose(o.phases);
	rte_eal_cleanup();
	return rc == 0 ? 0 : 1;
}
