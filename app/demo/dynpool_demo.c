/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-demo: a short tour of dynamic pools, run by the README's quick
 * start until the forwarding app takes its place. It carves a HW pool of
 * packet-sized buffers from a segment, drives bursts of gets and frees as
 * an rx/tx loop would, lets the pool grow on demand, and prints what the
 * pool did.
 */
#include <dynpool.h>
#include <stdio.h>
#include <stdlib.h>

#define SEG_BYTES (8u << 20)
#define BURST 32
#define ROUNDS 2000

static void
print_stats(const char *when, const struct dp_pool *p)
{
	struct dp_pool_stats st;

	if (dp_pool_stats(p, &st) != DP_OK)
		return;
	printf("%-28s carved %6zu  in use %6zu  free %6zu  high-water %6zu  growths %3llu\n",
	       when, st.carved, st.in_use, st.free, st.high_watermark,
	       (unsigned long long)st.grow_events);
}

static int
fail(const char *what, dp_err e)
{
	fprintf(stderr, "dynpool-demo: %s: %s (%s)\n", what, dp_strerror(e), dp_errname(e));
	return 1;
}

int
main(void)
{
	static void *inflight[BURST * 64];
	struct dp_pool_params prm = {
		.name = "pkt-buffers", .block_size = 2048 + 128, .block_align = 64,
		.initial = 256, .maximum = DP_POOL_UNLIMITED, .flags = DP_POOL_F_HW,
	};
	struct dp_pool_info info;
	struct dp_seg *seg;
	struct dp_pool *pool;
	size_t held = 0, rem;
	void *mem = aligned_alloc(4096, SEG_BYTES);
	unsigned int seed = 1;
	dp_err e;

	if (mem == NULL)
		return 1;
	if ((e = dp_seg_create("demo-seg", mem, SEG_BYTES, 64, &seg)) != DP_OK)
		return fail("segment", e);
	if ((e = dp_pool_create(seg, &prm, &pool)) != DP_OK)
		return fail("pool", e);
	if ((e = dp_pool_info(pool, &info)) != DP_OK)
		return fail("info", e);
	printf("dynpool %s demo: segment of %u KiB, padding 64\n", DP_VERSION, SEG_BYTES / 1024);
	printf("HW pool '%s': %zu-byte buffers, footprint %zu, alignment %zu, %zu initial\n",
	       info.name, info.block_size, info.footprint, info.block_align, info.initial);
	print_stats("after creation:", pool);

	/* Bursty traffic: the backlog swings, the pool grows to the peak. */
	for (int r = 0; r < ROUNDS; r++) {
		size_t want = (size_t)(rand_r(&seed) % BURST) + 1;
		int rx = held < BURST * 8 || (rand_r(&seed) % 3 != 0 && held + want <= BURST * 64);

		if (rx) {
			e = dp_pool_get_bulk(pool, &inflight[held], want);
			if (e != DP_OK)
				return fail("get", e);
			held += want;
		} else {
			size_t n = want < held ? want : held;
			held -= n;
			if ((e = dp_pool_put_bulk(pool, &inflight[held], n)) != DP_OK)
				return fail("put", e);
		}
		if (r == ROUNDS / 2)
			print_stats("mid-run:", pool);
	}
	print_stats("end of traffic:", pool);
	if ((e = dp_pool_put_bulk(pool, inflight, held)) != DP_OK)
		return fail("drain", e);
	print_stats("all buffers returned:", pool);

	/* The checks stay on: a bad free is refused and changes nothing. */
	e = dp_pool_put(pool, inflight[0]);
	printf("freeing a buffer twice: %s\n", dp_errname(e));
	e = dp_pool_put(pool, (char *)inflight[1] + 14);
	printf("freeing a pointer into a buffer: %s\n", dp_errname(e));
	e = dp_pool_audit(pool, NULL);
	printf("audit: %s\n", e == DP_OK ? "every buffer accounted for" : dp_strerror(e));
	if (dp_seg_remaining(seg, 64, &rem) == DP_OK)
		printf("segment: %zu KiB still free for growth\n", rem / 1024);

	if (dp_pool_destroy(pool) != DP_OK || dp_seg_destroy(seg) != DP_OK)
		return 1;
	free(mem);
	return e == DP_OK ? 0 : 1;
}
