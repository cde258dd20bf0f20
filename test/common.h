/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the Criterion tests. */
#ifndef DP_TEST_COMMON_H
#define DP_TEST_COMMON_H

#include <criterion/criterion.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dynpool.h"

/* Assert a dp_err, printing names rather than numbers on failure. */
#define assert_dp(expr, want)                                                          \
	do {                                                                           \
		dp_err got_ = (expr);                                                  \
		dp_err want_ = (want);                                                 \
		cr_assert_eq(got_, want_, "%s: got %s, want %s", #expr, dp_errname(got_), \
			     dp_errname(want_));                                       \
	} while (0)

#define assert_ok(expr) assert_dp((expr), DP_OK)

/* A heap region for a segment, deliberately misaligned by `skew` bytes
 * so tests exercise absolute-address alignment. */
struct region {
	void *raw;
	uint8_t *base;
	size_t len;
};

static inline struct region
region_new(size_t len, size_t skew)
{
	struct region r;

	r.raw = aligned_alloc(4096, (len + skew + 4095) / 4096 * 4096);
	cr_assert_not_null(r.raw);
	r.base = (uint8_t *)r.raw + skew;
	r.len = len;
	return r;
}

/* A segment over a fresh region, for tests that need one. */
struct seg_fixture {
	struct region r;
	struct dp_seg *seg;
};

static inline struct seg_fixture
seg_fixture(size_t len, size_t skew, size_t padding)
{
	struct seg_fixture f;

	f.r = region_new(len, skew);
	assert_ok(dp_seg_create("seg", f.r.base, len, padding, &f.seg));
	return f;
}

static inline void
seg_fixture_done(struct seg_fixture *f)
{
	assert_ok(dp_seg_destroy(f->seg));
	free(f->r.raw);
}

static inline uintptr_t
align_up(uintptr_t x, uintptr_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline struct dp_pool_params
params(const char *name, size_t size, size_t align, size_t init, size_t max,
       unsigned int flags)
{
	struct dp_pool_params p;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.block_size = size;
	p.block_align = align;
	p.initial = init;
	p.maximum = max;
	p.flags = flags;
	return p;
}

static inline size_t
seg_used(const struct dp_seg *s)
{
	struct dp_seg_info info;

	assert_ok(dp_seg_info(s, &info));
	return info.used;
}

static inline struct dp_pool_stats
pool_stats(const struct dp_pool *p)
{
	struct dp_pool_stats st;

	assert_ok(dp_pool_stats(p, &st));
	return st;
}

static inline void
assert_audit_ok(struct dp_pool *p)
{
	struct dp_pool_audit a;
	dp_err e = dp_pool_audit(p, &a);

	cr_assert_eq(e, DP_OK,
		     "audit: %s (carved %zu free %zu in_use %zu bad %zu dup %zu state %zu)",
		     dp_errname(e), a.carved, a.free_listed, a.in_use, a.bad_entries,
		     a.duplicates, a.state_mismatch);
}

#endif /* DP_TEST_COMMON_H */
