/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_soak: state shared by the coordinator (soak.c) and the workers
 * (soak_worker.c). See soak.c for what the program checks and why.
 */
#ifndef DP_SOAK_H
#define DP_SOAK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynpool.h"

#define SOAK_POOLS 3
#define SOAK_MAX_THREADS 64
#define SOAK_BULK_MAX 64
#define SOAK_HANDOFF_CAP 4096

/* A block as the model sees it: where, and the tag written over all of
 * its usable bytes by its current holder. */
struct held {
	void *p;
	uint64_t tag;
};

struct held_set {
	struct held *b;
	size_t n, cap;
	size_t target; /* working-set size this thread drifts towards */
};

enum seg_backend { SEG_CALLER, SEG_PREFAULT, SEG_MEMZONE, SEG_ON_DEMAND };

struct pool_spec {
	const char *name;
	enum seg_backend backend;
	size_t seg_len, seg_pad;
	size_t block_size, block_align, initial, maximum;
	unsigned int flags, cache_size;
	size_t hold_max; /* per thread */
};

/* Blocks in transit between threads: the giver verified them, the taker
 * verifies them again and frees them later through its own cache. */
struct handoff {
	pthread_mutex_t lock;
	struct held q[SOAK_HANDOFF_CAP];
	size_t head, n;
};

struct soak_pool {
	const struct pool_spec *spec;
	struct dp_seg *seg;
	struct dp_pool *pool;
	void *raw; /* caller memory of a SEG_CALLER segment */
	uintptr_t base;
	size_t seg_len, walign, footprint;
	size_t page_bound; /* HW blocks never straddle pages of this size (0: any) */
	struct handoff ho;
};

struct pool_counters {
	uint64_t ops;      /* library calls */
	uint64_t blocks;   /* blocks moved by gets and puts */
	uint64_t empty;    /* DP_ERR_POOL_EMPTY: the limit, expected */
	uint64_t overflow; /* DP_ERR_SEG_OVERFLOW: the segment, expected */
	uint64_t no_huge;  /* DP_ERR_NO_HUGEPAGES on an on-demand hugepage segment */
	uint64_t handoffs; /* blocks given to or taken from the handoff queue */
	uint64_t drains;
};

struct worker {
	int id;
	bool user_cache; /* a thread without lcore id, on caches of its own */
	unsigned int lcore;
	pthread_t th;
	uint64_t rng, seq;
	struct held_set set[SOAK_POOLS];
	/* Blocks found broken (tag overwritten, refused by a put): never
	 * touched again, but still counted as handed out. */
	struct held_set quarantine[SOAK_POOLS];
	struct dp_cache *ucache[SOAK_POOLS];
	struct pool_counters c[SOAK_POOLS];
};

struct soak {
	struct soak_pool pools[SOAK_POOLS];
	struct worker w[SOAK_MAX_THREADS];
	unsigned int nworkers;
	bool huge;
	bool inject; /* --inject-fault: prove the checks catch a bad free */
	atomic_int injected;
	double t0;
	pthread_barrier_t barrier;
	atomic_int pause, stop;
	atomic_ulong violations;
	atomic_ulong pool_violations[SOAK_POOLS];
};

extern struct soak g;

double soak_now(void);
void soak_violation(int pool, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Check a tag over the whole block; on a mismatch return the offset of
 * the first differing byte, else -1. */
long soak_tag_check(const void *blk, size_t size, uint64_t tag);
void soak_tag_fill(void *blk, size_t size, uint64_t tag);
void soak_set_push(struct held_set *s, void *p, uint64_t tag);
void *soak_worker_main(void *arg);

#endif /* DP_SOAK_H */
