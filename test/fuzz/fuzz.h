/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared state of the dp_fuzz harness: the input records, the reference
 * model and the checks. dp_fuzz.c explains the input encoding and what
 * the model promises to catch.
 */
#ifndef DP_FUZZ_H
#define DP_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynpool.h"
#include "lib_mem.h"

/* All segments live in one static arena, so every address the library
 * hands out can be checked against one owner map. Small on purpose:
 * segments run out after a few dozen blocks, which is where the
 * interesting errors are. */
#define FZ_ARENA_SIZE (96u * 1024u)
#define FZ_MAX_SEGS 4
#define FZ_MAX_POOLS 6
#define FZ_MAX_CACHES 6
#define FZ_MAX_ALLOCS 128
#define FZ_MAX_BULK 160
#define FZ_REC 16 /* bytes per operation record */
#define FZ_MAX_OPS 1024

/* ---- input ---------------------------------------------------------- */

/* One operation's parameters: the record's bytes, then zeros; choices
 * that need more entropy than a record holds (which live blocks to free)
 * come from a PRNG seeded by the record, so a mutation stays local. */
struct fz_rec {
	const uint8_t *b;
	size_t n, pos;
	uint64_t rng;
};

static inline uint8_t
fz_u8(struct fz_rec *r)
{
	return r->pos < r->n ? r->b[r->pos++] : 0;
}

static inline uint16_t
fz_u16(struct fz_rec *r)
{
	uint16_t lo = fz_u8(r);

	return (uint16_t)(lo | (uint16_t)fz_u8(r) << 8);
}

static inline uint64_t
fz_rand(struct fz_rec *r)
{
	/* xorshift64* */
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return r->rng * 0x2545F4914F6CDD1Dull;
}

/* Uniform-enough value in [0, n) from the PRNG (n > 0). */
static inline size_t
fz_randn(struct fz_rec *r, size_t n)
{
	return (size_t)(fz_rand(r) % n);
}

/* ---- checks ----------------------------------------------------------- */

/* DP_FUZZ_TRACE=1: one line per operation on stderr, to read a crash. */
extern bool fz_trace_on;
void fz_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define FZ_TRACE(...)                                                                  \
	do {                                                                           \
		if (fz_trace_on)                                                       \
			fz_trace(__VA_ARGS__);                                         \
	} while (0)

_Noreturn void fz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define FZ_CHECK(cond, ...)                                                            \
	do {                                                                           \
		if (!(cond))                                                           \
			fz_fail(__FILE__, __LINE__, __VA_ARGS__);                      \
	} while (0)

#define FZ_EXPECT(got, want)                                                           \
	do {                                                                           \
		dp_err g_ = (got), w_ = (want);                                        \
		if (g_ != w_)                                                          \
			fz_fail(__FILE__, __LINE__, "%s: got %s, model expects %s", #got, \
				dp_errname(g_), dp_errname(w_));                       \
	} while (0)

#define FZ_EXPECT_LIB(got, want)                                                       \
	do {                                                                           \
		unsigned g_ = (unsigned)(got), w_ = (unsigned)(want);                  \
		if (g_ != w_)                                                          \
			fz_fail(__FILE__, __LINE__, "%s: got LIB_ERR %u, model expects %u", \
				#got, g_, w_);                                         \
	} while (0)

/* ---- model ------------------------------------------------------------ */

struct fz_seg {
	bool live, uclib;
	struct dp_seg *seg; /* native handle (useg.SegPtr for uC/LIB segments) */
	MEM_SEG useg;
	uintptr_t base;
	size_t len, padding;
	size_t used; /* predicted bump offset, compared with dp_seg_info() */
	int npools;
};

/* A direct segment allocation: filled with a tag that nobody else may
 * change while the segment lives. */
struct fz_alloc {
	bool live;
	int seg;
	uintptr_t addr;
	size_t size;
	uint8_t tag;
};

struct fz_chunk {
	uintptr_t start;
	size_t count, first;
};

enum { FZ_F_EMPTY, FZ_F_SEGOVF, FZ_F_NOTIN, FZ_F_NOTSTART, FZ_F_DOUBLE, FZ_F_FULL, FZ_F__N };

struct fz_pool {
	bool live, uclib;
	struct dp_pool *pool; /* native handle (upool.PoolPtr for uC/LIB pools) */
	MEM_DYN_POOL upool;
	char name[DP_NAME_MAX];
	int seg;
	size_t bsize, align, walign, fp, initial, maximum, grow_batch;
	unsigned int flags, cache_size;
	bool hw, checked, tracked;
	/* Where the model says the blocks are: one chunk per carve, merged
	 * when a carve continues the previous one. */
	struct fz_chunk *chunks;
	size_t nchunks, chunk_cap;
	size_t carved, in_use, cap;
	uint8_t *is_live;  /* per block index */
	uint8_t *tag;      /* fill byte of the last handout, 0 = never handed out */
	size_t *live_list; /* indices of live blocks, any order */
	size_t *live_pos;  /* index -> position in live_list */
	/* Counters dp_pool_stats() must agree with. */
	size_t hwm;
	uint64_t grow_events, gets, puts, fails[FZ_F__N];
};

struct fz_cache {
	bool live;
	int pool;
	struct dp_cache *c;
	unsigned int size;
	size_t len; /* learnt from in_caches deltas; bounded by 2 x size */
};

struct fz_model {
	struct fz_seg segs[FZ_MAX_SEGS];
	struct fz_pool pools[FZ_MAX_POOLS];
	struct fz_cache caches[FZ_MAX_CACHES];
	struct fz_alloc allocs[FZ_MAX_ALLOCS];
	int op;             /* index of the running operation */
	const char *opname; /* its name, for failure messages */
	uint8_t next_tag;
};

extern struct fz_model M;
extern unsigned char fz_arena[FZ_ARENA_SIZE];

/* Arithmetic the model shares with every prediction. */
bool fz_align_up(uintptr_t x, size_t a, uintptr_t *out);
bool fz_pow2(size_t x);
size_t fz_fit(const struct fz_seg *s, size_t walign, size_t fp);
size_t fz_allowance(const struct fz_pool *p);
size_t fz_in_caches(int pool);
uint8_t fz_new_tag(void);

/* Blocks. */
enum fz_class { FZ_C_FOREIGN, FZ_C_INTERIOR, FZ_C_BLOCK };
enum fz_class fz_classify(const struct fz_pool *p, uintptr_t a, size_t *idx);
uintptr_t fz_blk_addr(const struct fz_pool *p, size_t idx);
void fz_carve(struct fz_pool *p, size_t k);
void fz_take(struct fz_pool *p, void *blk);
void fz_give(struct fz_pool *p, size_t idx);
void fz_owner_mark(uintptr_t a, size_t len, const char *what);
void fz_owner_clear(uintptr_t a, size_t len);
size_t fz_owner_first(void);
void fz_pool_forget(int pi);

/* Direct segment allocations. */
void fz_alloc_add(int seg, uintptr_t addr, size_t size);
void fz_allocs_drop(int seg);

/* Shared by the operations (fuzz_pool.c). */
size_t fz_min3(size_t a, size_t b, size_t c);
size_t fz_pick_n(struct fz_rec *r);
LIB_ERR fz_lib_pool_err(dp_err e, bool create);
void fz_count_fail(struct fz_pool *p, dp_err e);
void fz_check_info(const struct fz_pool *p);

/* Library versus model. */
void fz_stats(const struct fz_pool *p, struct dp_pool_stats *st);
void fz_sync_all(void);
void fz_audit(int pool);
void fz_teardown(void);

/* Operations (fuzz_seg.c, fuzz_pool.c, fuzz_free.c, fuzz_query.c). */
void op_seg_create(struct fz_rec *r);
void op_useg_create(struct fz_rec *r);
void op_seg_alloc(struct fz_rec *r);
void op_seg_remaining(struct fz_rec *r);
void op_seg_reset(struct fz_rec *r);
void op_seg_destroy(struct fz_rec *r);
void op_pool_create(struct fz_rec *r);
void op_get(struct fz_rec *r);
void op_put(struct fz_rec *r);
void op_bad_put(struct fz_rec *r);
void op_cache(struct fz_rec *r);
void op_query(struct fz_rec *r);
void op_pool_destroy(struct fz_rec *r);
void op_bad_args(struct fz_rec *r);

/* Picking objects: the n-th live one, wrapping around; -1 if none. */
int fz_pick_seg(struct fz_rec *r, int uclib); /* uclib: 0, 1, or -1 for any */
int fz_pick_pool(struct fz_rec *r);
int fz_pick_cache(struct fz_rec *r, int pool); /* pool -1: any pool */

#endif /* DP_FUZZ_H */
