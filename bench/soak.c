/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_soak: a bounded soak test of dynpool pools, minutes long, for a
 * script (bench/soak), not for CI.
 *
 * Worker threads (EAL-registered lcores, so the lcore caches take part,
 * plus threads on user caches) do random single and bulk gets and puts on
 * three pools at once: an unlimited pool that runs into the end of its
 * segment, a limited pool that runs into its maximum, and a HW pool on an
 * on-demand segment. Each thread writes its own tag over every block it
 * holds and verifies it before letting go, passes blocks to other threads
 * through a handoff queue (so blocks are freed by another lcore than the
 * one that got them), and drains its cache now and then.
 *
 * Every audit period the coordinator stops the workers at a barrier, so
 * that no call is in flight and the model (what each thread holds) is
 * exact, and checks: dp_pool_audit(); carved == free + in_use; in_use ==
 * the blocks the model says are held; no block held twice; every held
 * block aligned, inside the used part of its segment, a block of its pool,
 * and still carrying its holder's tag. A limited pool refusing a get
 * (DP_ERR_POOL_EMPTY) or a full segment (DP_ERR_SEG_OVERFLOW) is counted,
 * not a violation, unless the pool could in fact have served the get.
 *
 * usage: dp_soak [--seconds S] [--threads T] [--user-threads U] [--huge]
 *                [--audit-ms MS] [--seed N] [--csv FILE] [--inject-fault]
 * --inject-fault frees one held block behind the model's back after 2 s,
 * to show that the checks catch it (the run must then fail).
 * Output: one progress line per audit, a summary line
 *   soak: OPS operations, AUDITS audits, VIOLATIONS violations, SECONDS s
 * and exit status 1 if any violation was seen (2 for setup failures).
 */
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "soak.h"

#define MIB (1024.0 * 1024.0)
#define VIOLATIONS_SHOWN 50

/*
 * Sized for the default three threads, whose working sets drift between
 * empty and hold_max: "std" carves its whole segment (about 21,000 blocks)
 * early and then refuses gets whenever the threads together want more;
 * "lim" sits at its maximum most of the time; "hw" keeps room and grows
 * in steps, on pages committed as it goes.
 */
static const struct pool_spec specs[SOAK_POOLS] = {
	{ .name = "std", .backend = SEG_CALLER, .seg_len = 4u << 20, .seg_pad = 64,
	  .block_size = 200, .block_align = 8, .initial = 16, .maximum = DP_POOL_UNLIMITED,
	  .cache_size = 64, .hold_max = 8192 },
	{ .name = "lim", .backend = SEG_MEMZONE, .seg_len = 1u << 20, .seg_pad = 64,
	  .block_size = 64, .block_align = 64, .initial = 64, .maximum = 2048,
	  .cache_size = 32, .hold_max = 1024 },
	/* Untracked, so the double-free state bytes are not what keeps it honest. */
	{ .name = "hw", .backend = SEG_ON_DEMAND, .seg_len = 64u << 20, .seg_pad = 128,
	  .block_size = 1500, .block_align = 64, .initial = 8, .maximum = DP_POOL_UNLIMITED,
	  .flags = DP_POOL_F_HW | DP_POOL_F_NO_TRACK, .cache_size = 16, .hold_max = 2048 },
};

struct soak g;

static struct {
	double seconds, audit_s;
	unsigned int threads, user_threads;
	uint64_t seed;
	const char *csv;
} opt = { .seconds = 60, .audit_s = 1, .threads = 2, .user_threads = 1 };

double
soak_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
soak_violation(int pool, const char *fmt, ...)
{
	unsigned long n = atomic_fetch_add(&g.violations, 1) + 1;
	va_list ap;

	atomic_fetch_add(&g.pool_violations[pool], 1);
	if (n > VIOLATIONS_SHOWN)
		return;
	flockfile(stderr);
	fprintf(stderr, "soak: VIOLATION %lu at %.3f s, pool %s: ", n, soak_now() - g.t0,
		specs[pool].name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (n == VIOLATIONS_SHOWN)
		fprintf(stderr, "soak: further violations are counted, not shown\n");
	funlockfile(stderr);
}

/* ---- setup ---------------------------------------------------------------- */

static dp_err
make_segment(struct soak_pool *sp)
{
	const struct pool_spec *s = sp->spec;
	char name[DP_NAME_MAX];
	unsigned int norm = g.huge ? 0 : DP_SEG_F_NORMAL_PAGES;

	snprintf(name, sizeof(name), "soak-%s", s->name);
	switch (s->backend) {
	case SEG_CALLER:
		/* Hugepages asked for: the same pool on dynpool's own hugepages. */
		if (g.huge)
			return dp_seg_create_huge(name, s->seg_len, -1, s->seg_pad, 0, &sp->seg);
		sp->raw = aligned_alloc(4096, s->seg_len);
		if (sp->raw == NULL)
			return DP_ERR_NO_MEMORY;
		return dp_seg_create(name, sp->raw, s->seg_len, s->seg_pad, &sp->seg);
	case SEG_PREFAULT:
		return dp_seg_create_huge(name, s->seg_len, -1, s->seg_pad, norm, &sp->seg);
	case SEG_MEMZONE:
		return dp_seg_create_memzone(name, s->seg_len, SOCKET_ID_ANY, s->seg_pad, &sp->seg);
	case SEG_ON_DEMAND:
		return dp_seg_create_huge(name, s->seg_len, -1, s->seg_pad,
					  DP_SEG_F_ON_DEMAND | norm, &sp->seg);
	}
	return DP_ERR_INVALID_FLAGS;
}

static int
make_pool(int pi)
{
	struct soak_pool *sp = &g.pools[pi];
	const struct pool_spec *s = &specs[pi];
	struct dp_pool_params prm = { .name = s->name, .block_size = s->block_size,
				      .block_align = s->block_align, .initial = s->initial,
				      .maximum = s->maximum, .flags = s->flags,
				      .cache_size = s->cache_size };
	struct dp_pool_info pinfo;
	struct dp_seg_info si;
	dp_err e;

	sp->spec = s;
	pthread_mutex_init(&sp->ho.lock, NULL);
	e = make_segment(sp);
	if (e == DP_OK)
		e = dp_pool_create(sp->seg, &prm, &sp->pool);
	if (e == DP_OK)
		e = dp_pool_info(sp->pool, &pinfo);
	if (e == DP_OK)
		e = dp_seg_info(sp->seg, &si);
	if (e != DP_OK) {
		fprintf(stderr, "soak: pool %s: %s\n", s->name, dp_errname(e));
		return -1;
	}
	sp->base = (uintptr_t)si.base;
	sp->seg_len = si.len;
	sp->walign = pinfo.block_align;
	sp->footprint = pinfo.footprint;
	sp->page_bound = (s->flags & DP_POOL_F_HW) && !si.iova_contig ? si.page_size : 0;
	printf("soak: pool %-3s block %zu (footprint %zu, align %zu), initial %zu, maximum %zu, "
	       "cache %u, %s%s; segment %.0f MiB, %s pages of %zu KiB%s%s\n",
	       s->name, s->block_size, sp->footprint, sp->walign, s->initial, s->maximum,
	       s->cache_size, pinfo.tracked ? "tracked" : "untracked",
	       (s->flags & DP_POOL_F_HW) ? ", HW" : "", si.len / MIB,
	       si.kind == DP_SEG_HUGE ? "huge" : si.kind == DP_SEG_MEMZONE ? "memzone" : "normal",
	       si.page_size / 1024, (s->backend == SEG_ON_DEMAND) ? ", on demand" : "",
	       sp->page_bound ? ", blocks kept within pages (IOVA PA)" : "");
	return 0;
}

/* ---- audits --------------------------------------------------------------- */

struct sample {
	uint64_t ops, blocks, empty, overflow;
	size_t held, carved, in_caches, hwm, seg_used, committed;
};

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;

	return x < y ? -1 : x > y;
}

/* A held block must be a live block of its pool, in the used part of the
 * segment, with its holder's tag intact. */
static void
check_held(int pi, const struct held *h, size_t seg_used)
{
	const struct soak_pool *sp = &g.pools[pi];
	uintptr_t a = (uintptr_t)h->p;
	uint64_t iova;
	long off;
	dp_err e;

	if (a % sp->walign != 0 || a < sp->base ||
	    a + sp->spec->block_size > sp->base + seg_used) {
		soak_violation(pi, "held block %p misaligned or outside [%#" PRIxPTR ", +%zu)",
			       h->p, sp->base, seg_used);
		return;
	}
	e = dp_pool_iova(sp->pool, h->p, &iova);
	if (e != DP_OK)
		soak_violation(pi, "held block %p is not a block of the pool: %s", h->p,
			       dp_errname(e));
	off = soak_tag_check(h->p, sp->spec->block_size, h->tag);
	if (off >= 0)
		soak_violation(pi, "held block %p: tag %#" PRIx64 " overwritten at byte %ld", h->p,
			       h->tag, off);
}

static void
audit_pool(int pi, struct sample *smp)
{
	struct soak_pool *sp = &g.pools[pi];
	struct dp_pool_stats st;
	struct dp_pool_audit a;
	struct dp_seg_info si;
	size_t held = sp->ho.n, n = 0, dups = 0;
	void **all;
	dp_err e;

	*smp = (struct sample){ 0 };
	for (unsigned int t = 0; t < g.nworkers; t++) {
		held += g.w[t].set[pi].n + g.w[t].quarantine[pi].n;
		smp->ops += g.w[t].c[pi].ops;
		smp->blocks += g.w[t].c[pi].blocks;
		smp->empty += g.w[t].c[pi].empty;
		smp->overflow += g.w[t].c[pi].overflow;
	}
	smp->held = held;
	e = dp_pool_audit(sp->pool, &a);
	if (e != DP_OK)
		soak_violation(pi, "dp_pool_audit: %s (carved %zu, free listed %zu, in caches %zu, "
				   "bad entries %zu, duplicates %zu, state mismatches %zu)",
			       dp_errname(e), a.carved, a.free_listed, a.in_caches, a.bad_entries,
			       a.duplicates, a.state_mismatch);
	if (dp_pool_stats(sp->pool, &st) != DP_OK || dp_seg_info(sp->seg, &si) != DP_OK) {
		soak_violation(pi, "dp_pool_stats or dp_seg_info refused a live pool");
		return;
	}
	smp->carved = st.carved;
	smp->in_caches = st.in_caches;
	smp->hwm = st.high_watermark;
	smp->seg_used = si.used;
	smp->committed = si.committed;
	if (st.carved != st.free + st.in_use)
		soak_violation(pi, "stats: carved %zu != free %zu + in use %zu", st.carved, st.free,
			       st.in_use);
	if (e == DP_OK && (a.carved != st.carved || a.in_use != st.in_use ||
			   a.free_listed != st.free || a.in_caches != st.in_caches))
		soak_violation(pi, "audit and stats disagree: carved %zu / %zu, in use %zu / %zu, "
				   "free %zu / %zu, in caches %zu / %zu",
			       a.carved, st.carved, a.in_use, st.in_use, a.free_listed, st.free,
			       a.in_caches, st.in_caches);
	if (st.in_use != held)
		soak_violation(pi, "in use %zu, but threads and handoff queue hold %zu", st.in_use,
			       held);
	if (st.in_caches > st.free)
		soak_violation(pi, "in caches %zu > free %zu", st.in_caches, st.free);
	if (sp->spec->maximum != DP_POOL_UNLIMITED && st.carved > sp->spec->maximum)
		soak_violation(pi, "carved %zu past the maximum %zu", st.carved, sp->spec->maximum);
	if (si.used > si.len || st.carved * sp->footprint > si.used)
		soak_violation(pi, "segment used %zu of %zu for %zu blocks of %zu", si.used, si.len,
			       st.carved, sp->footprint);

	all = malloc((held ? held : 1) * sizeof(void *));
	if (all == NULL) {
		fprintf(stderr, "soak: out of memory for the audit\n");
		return;
	}
	for (unsigned int t = 0; t < g.nworkers; t++) {
		const struct worker *w = &g.w[t];

		for (size_t i = 0; i < w->set[pi].n; i++) {
			check_held(pi, &w->set[pi].b[i], si.used);
			all[n++] = w->set[pi].b[i].p;
		}
		for (size_t i = 0; i < w->quarantine[pi].n; i++)
			all[n++] = w->quarantine[pi].b[i].p;
	}
	for (size_t i = 0; i < sp->ho.n; i++) {
		const struct held *h = &sp->ho.q[(sp->ho.head + i) % SOAK_HANDOFF_CAP];

		check_held(pi, h, si.used);
		all[n++] = h->p;
	}
	qsort(all, n, sizeof(void *), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		if (all[i] == all[i - 1] && dups++ < 5)
			soak_violation(pi, "block %p held twice", all[i]);
	free(all);
}

/* ---- run ------------------------------------------------------------------ */

static int
parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' }, { "threads", required_argument, NULL, 't' },
		{ "user-threads", required_argument, NULL, 'u' }, { "huge", no_argument, NULL, 'H' },
		{ "audit-ms", required_argument, NULL, 'a' }, { "seed", required_argument, NULL, 'r' },
		{ "csv", required_argument, NULL, 'c' }, { "inject-fault", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 's': opt.seconds = atof(optarg); break;
		case 't': opt.threads = (unsigned int)atoi(optarg); break;
		case 'u': opt.user_threads = (unsigned int)atoi(optarg); break;
		case 'H': g.huge = true; break;
		case 'a': opt.audit_s = atof(optarg) / 1000; break;
		case 'r': opt.seed = strtoull(optarg, NULL, 0); break;
		case 'c': opt.csv = optarg; break;
		case 'i': g.inject = true; break;
		default:
			fprintf(stderr, "usage: dp_soak [--seconds S] [--threads T] [--user-threads U] "
					"[--huge] [--audit-ms MS] [--seed N] [--csv FILE] "
					"[--inject-fault]\n");
			return c == 'h' ? 1 : -1;
		}
	}
	if (opt.seconds <= 0 || opt.audit_s <= 0 || opt.threads + opt.user_threads == 0 ||
	    opt.threads + opt.user_threads > SOAK_MAX_THREADS) {
		fprintf(stderr, "dp_soak: need seconds and audit-ms > 0, 1 to %d threads in all\n",
			SOAK_MAX_THREADS);
		return -1;
	}
	return 0;
}

static int
eal_up(void)
{
	char prefix[64];
	char *argv[16] = { "dp-soak", "-l", "0", "--no-pci", "--no-shconf", "--file-prefix",
			   prefix, "--no-telemetry", "--log-level", "lib.eal:error", "-m", "256" };
	int argc = 12;

	snprintf(prefix, sizeof(prefix), "dpsoak%d", (int)getpid());
	argv[argc++] = g.huge ? "--huge-unlink" : "--no-huge";
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "soak: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static void
report(FILE *csv, double t, unsigned long audits, double *last_t, uint64_t *last_ops)
{
	struct sample s[SOAK_POOLS], sum = { 0 };

	for (int pi = 0; pi < SOAK_POOLS; pi++) {
		audit_pool(pi, &s[pi]);
		sum.ops += s[pi].ops;
		sum.held += s[pi].held;
		sum.carved += s[pi].carved;
		sum.seg_used += s[pi].seg_used;
		sum.empty += s[pi].empty;
		sum.overflow += s[pi].overflow;
	}
	for (int pi = 0; csv != NULL && pi < SOAK_POOLS; pi++)
		fprintf(csv, "%.3f,%s,%" PRIu64 ",%" PRIu64 ",%zu,%zu,%zu,%zu,%zu,%zu,%" PRIu64
			     ",%" PRIu64 ",%lu\n",
			t, specs[pi].name, s[pi].ops, s[pi].blocks, s[pi].held, s[pi].carved,
			s[pi].in_caches, s[pi].hwm, s[pi].seg_used, s[pi].committed, s[pi].empty,
			s[pi].overflow, atomic_load(&g.pool_violations[pi]));
	if (csv != NULL)
		fflush(csv);
	printf("soak: %7.1f s  audit %lu  ops %" PRIu64 " (%.0f/s)  held %zu  carved %zu  "
	       "seg used %.1f MiB  refused %" PRIu64 "/%" PRIu64 "  violations %lu\n",
	       t, audits, sum.ops, (double)(sum.ops - *last_ops) / (t - *last_t), sum.held,
	       sum.carved, sum.seg_used / MIB, sum.empty, sum.overflow, atomic_load(&g.violations));
	fflush(stdout);
	*last_t = t;
	*last_ops = sum.ops;
}

/* After the workers left: give back what sits in the handoff queues, then
 * every pool must have all its blocks back and pass its audit. */
static void
final_checks(void)
{
	for (int pi = 0; pi < SOAK_POOLS; pi++) {
		struct soak_pool *sp = &g.pools[pi];
		size_t quarantined = 0;
		struct dp_pool_stats st;

		while (sp->ho.n > 0) {
			struct held *h = &sp->ho.q[sp->ho.head];

			if (soak_tag_check(h->p, sp->spec->block_size, h->tag) >= 0)
				soak_violation(pi, "queued block %p: tag overwritten", h->p);
			else if (dp_pool_generic_put(sp->pool, NULL, &h->p, 1) != DP_OK)
				soak_violation(pi, "final put of queued block %p refused", h->p);
			sp->ho.head = (sp->ho.head + 1) % SOAK_HANDOFF_CAP;
			sp->ho.n--;
		}
		for (unsigned int t = 0; t < g.nworkers; t++)
			quarantined += g.w[t].quarantine[pi].n;
		if (dp_pool_audit(sp->pool, NULL) != DP_OK)
			soak_violation(pi, "final audit failed");
		if (dp_pool_stats(sp->pool, &st) == DP_OK &&
		    (st.in_use != quarantined || st.in_caches != 0))
			soak_violation(pi, "at the end: in use %zu (quarantined %zu), in caches %zu",
				       st.in_use, quarantined, st.in_caches);
		printf("soak: pool %-3s carved %zu, high watermark %zu, grows %" PRIu64
		       ", refused: pool empty %" PRIu64 ", segment full %" PRIu64
		       ", violations %lu\n",
		       specs[pi].name, st.carved, st.high_watermark, st.grow_events,
		       st.fail_pool_empty, st.fail_seg_overflow, atomic_load(&g.pool_violations[pi]));
	}
}

int
main(int argc, char **argv)
{
	cpu_set_t cpus;
	pthread_attr_t attr;
	FILE *csv = NULL;
	unsigned long audits = 0;
	uint64_t last_ops = 0, ops = 0;
	double next, last_t = 0, t = 0;
	int rc = parse(argc, argv);

	if (rc != 0)
		return rc > 0 ? 0 : 2;
	/* EAL pins this thread to lcore 0; workers must not inherit that. */
	sched_getaffinity(0, sizeof(cpus), &cpus);
	if (eal_up() != 0)
		return 2;
	if (opt.seed == 0)
		opt.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (opt.csv != NULL && (csv = fopen(opt.csv, "w")) == NULL) {
		perror(opt.csv);
		return 2;
	}
	if (csv != NULL)
		fprintf(csv, "time_s,pool,ops,blocks,held,carved,in_caches,high_watermark,seg_used,"
			     "seg_committed,pool_empty,seg_overflow,violations\n");
	printf("soak: %u lcore threads, %u user-cache threads, %.0f s, audit every %.0f ms, "
	       "seed %#" PRIx64 ", %s\n",
	       opt.threads, opt.user_threads, opt.seconds, opt.audit_s * 1000, opt.seed,
	       g.huge ? "hugepages" : "normal pages");
	for (int pi = 0; pi < SOAK_POOLS; pi++)
		if (make_pool(pi) != 0)
			return 2;

	g.nworkers = opt.threads + opt.user_threads;
	pthread_barrier_init(&g.barrier, NULL, g.nworkers + 1);
	g.t0 = soak_now(); /* before the workers read it */
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	for (unsigned int i = 0; i < g.nworkers; i++) {
		struct worker *w = &g.w[i];

		w->id = (int)i;
		w->user_cache = i >= opt.threads;
		w->rng = opt.seed + 0x9E3779B97F4A7C15ull * (i + 1);
		if (pthread_create(&w->th, &attr, soak_worker_main, w) != 0) {
			fprintf(stderr, "soak: pthread_create failed\n");
			return 2;
		}
	}
	pthread_attr_destroy(&attr);
	pthread_barrier_wait(&g.barrier);
	next = soak_now() - g.t0 + opt.audit_s;
	for (;;) {
		double wait = next - (soak_now() - g.t0);

		if (wait > 0)
			usleep((useconds_t)(wait * 1e6));
		atomic_store(&g.pause, 1);
		pthread_barrier_wait(&g.barrier); /* every worker is between calls */
		t = soak_now() - g.t0;
		report(csv, t, ++audits, &last_t, &last_ops);
		if (t >= opt.seconds)
			atomic_store(&g.stop, 1);
		/* Cleared before the release, or a worker could pause again. */
		atomic_store(&g.pause, 0);
		pthread_barrier_wait(&g.barrier);
		if (atomic_load(&g.stop))
			break;
		next += opt.audit_s;
	}
	for (unsigned int i = 0; i < g.nworkers; i++)
		pthread_join(g.w[i].th, NULL);
	final_checks();
	for (unsigned int i = 0; i < g.nworkers; i++)
		for (int pi = 0; pi < SOAK_POOLS; pi++)
			ops += g.w[i].c[pi].ops;
	for (int pi = 0; pi < SOAK_POOLS; pi++) {
		if (dp_pool_destroy(g.pools[pi].pool) != DP_OK || dp_seg_destroy(g.pools[pi].seg) != DP_OK)
			soak_violation(pi, "destroying the pool or its segment was refused");
		free(g.pools[pi].raw);
	}
	if (csv != NULL)
		fclose(csv);
	printf("soak: %" PRIu64 " operations, %lu audits, %lu violations, %.0f s\n", ops, audits,
	       atomic_load(&g.violations), soak_now() - g.t0);
	fflush(stdout);
	rte_eal_cleanup();
	return atomic_load(&g.violations) ? 1 : 0;
}
