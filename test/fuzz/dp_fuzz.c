/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp_fuzz: libFuzzer harness that runs random programs of segment and pool
 * operations against dynpool and against a reference model of it, and
 * aborts with "dp_fuzz: DIVERGENCE" at the first disagreement.
 *
 * Input: a sequence of 16-byte records, one operation each. Byte 0 picks
 * the operation (ops[] below, modulo its size; some appear twice so that
 * gets and frees dominate random inputs). Bytes 1..15 are its parameters,
 * read in order and as zeros past the record's end, so a mutation of one
 * record changes one operation and never shifts the others. Choices that
 * need more than 15 bytes (which live blocks to free) come from a PRNG
 * seeded with the record and its position. test/fuzz/gen-corpus.py
 * writes seeds in this format; keep its opcode table in step with ops[].
 *
 * Every input starts from nothing and ends by tearing everything down,
 * so inputs are independent and a crash file replays on its own.
 * Segments sit in one static arena; EAL is never initialised, so lcore
 * caches stay unused and user caches (dp_cache_create) do the caching.
 *
 * What the model checks (a failure of any of these is a divergence):
 *  - the error code of every call, predicted before the call from the
 *    model and the contracts in dp_seg.h, dp_pool.h and lib_mem.h (one
 *    faulty argument per call: the headers do not rank faults);
 *  - the exact address of every segment allocation and of every pool
 *    carve (bump pointer, absolute alignment, HW padding), the bytes a
 *    failed allocation lacked, and dp_seg_info()'s usage after every op;
 *  - that each block handed out is a carved, free block start of its pool,
 *    aligned to block_align (and for HW pools owns whole padding units),
 *    inside its segment, not overlapping any live handout, and unchanged
 *    since it was freed (the pool never writes into blocks);
 *  - gets: all or nothing; success exactly when the reachable free blocks
 *    plus what may still be carved cover the request; POOL_EMPTY versus
 *    SEG_OVERFLOW; growth only when needed and within the documented bounds;
 *  - frees: dp_pool.h's precedence (NULL, not in pool / not a block start,
 *    pool full, double free), on tracked pools for every bad pointer, on
 *    untracked and unchecked pools only where the contract still promises
 *    an answer (a surplus free without a cache);
 *  - after every operation, every pool's counters (carved, in_use, free,
 *    in_caches, high watermark, growths, each failure counter);
 *  - at the end, for every pool: caches flushed and every block freed, the
 *    audit is clean and dp_pool_avail() exact, and a get of every carved
 *    block succeeds without carving and returns each block exactly once:
 *    nothing lost, nothing listed twice.
 *
 * Bugs it found (fixed, regression seeds in corpus/): an uncached surplus
 * free accepted by an unlimited untracked pool while a cache held blocks;
 * a NULL free accepted by an unchecked pool (now the documented contract
 * of DP_POOL_F_UNCHECKED, so the model no longer makes that call).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct op {
	const char *name;
	void (*fn)(struct fz_rec *r);
};

static const struct op ops[] = {
	{ "seg_create", op_seg_create },       /*  0 */
	{ "useg_create", op_useg_create },     /*  1 */
	{ "seg_alloc", op_seg_alloc },         /*  2 */
	{ "seg_remaining", op_seg_remaining }, /*  3 */
	{ "seg_reset", op_seg_reset },         /*  4 */
	{ "seg_destroy", op_seg_destroy },     /*  5 */
	{ "pool_create", op_pool_create },     /*  6 */
	{ "pool_destroy", op_pool_destroy },   /*  7 */
	{ "get", op_get },                     /*  8 */
	{ "put", op_put },                     /*  9 */
	{ "bad_put", op_bad_put },             /* 10 */
	{ "cache", op_cache },                 /* 11 */
	{ "query", op_query },                 /* 12 */
	{ "bad_args", op_bad_args },           /* 13 */
	{ "get", op_get },                     /* 14 */
	{ "put", op_put },                     /* 15 */
	{ "pool_create", op_pool_create },     /* 16 */
	{ "get", op_get },                     /* 17 */
	{ "put", op_put },                     /* 18 */
	{ "seg_alloc", op_seg_alloc },         /* 19 */
	{ "bad_put", op_bad_put },             /* 20 */
	{ "get", op_get },                     /* 21 */
	{ "put", op_put },                     /* 22 */
	{ "cache", op_cache },                 /* 23 */
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_trace_on = getenv("DP_FUZZ_TRACE") != NULL;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&M, 0, sizeof(M));
	for (size_t off = 0; off < size && M.op < FZ_MAX_OPS; off += FZ_REC, M.op++) {
		size_t len = size - off < FZ_REC ? size - off : FZ_REC;
		const struct op *o = &ops[data[off] % NOPS];
		struct fz_rec r = { data + off + 1, len - 1, 0, 0x9E3779B97F4A7C15ull };

		for (size_t i = 0; i < len; i++)
			r.rng = (r.rng ^ data[off + i]) * 0x100000001B3ull;
		r.rng = (r.rng ^ (uint64_t)M.op << 32) | 1; /* xorshift must not start at 0 */
		M.opname = o->name;
		o->fn(&r);
		fz_sync_all();
	}
	M.opname = "teardown";
	fz_teardown();
	return 0;
}
