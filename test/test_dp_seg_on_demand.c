/* SPDX-License-Identifier: Apache-2.0 */
/*
 * On-demand segments: address space first, pages as allocations reach
 * them, and a clean error, not a fault, when hugepages run out. These
 * tests take hugepages from the system, so their executable runs alone
 * and one test at a time. Other processes take and give back hugepages
 * meanwhile, so what the tests measure is this process's own hugepages
 * (HugetlbPages in /proc/self/status), never the system's free count.
 */
#include <sys/mman.h>

#include "common.h"

#define MB2 ((size_t)2 << 20)

static long
proc_field(const char *file, const char *field)
{
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	FILE *f = fopen(file, "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0)
			v = strtol(line + n, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/* Bytes of hugepages mapped by this process. */
static size_t
own_huge(void)
{
	long kb = proc_field("/proc/self/status", "HugetlbPages:");

	cr_assert_geq(kb, 0, "no HugetlbPages in /proc/self/status");
	return (size_t)kb << 10;
}

static size_t
committed(const struct dp_seg *s)
{
	struct dp_seg_info i;

	assert_ok(dp_seg_info(s, &i));
	return i.committed;
}

Test(seg_on_demand, pages_arrive_with_allocations)
{
	struct dp_seg *s;
	void *p;
	size_t before = own_huge();

	if (proc_field("/proc/meminfo", "HugePages_Free:") < 4)
		cr_skip_test("needs 4 free 2 MiB hugepages");
	assert_ok(dp_seg_create_huge("grow", 64 * MB2, 0, 64, DP_SEG_F_ON_DEMAND, &s));
	cr_assert_eq(committed(s), 0, "nothing backed yet");
	cr_assert_eq(own_huge(), before, "no hugepage taken by the reservation");
	assert_ok(dp_seg_alloc(s, 100, 64, &p, NULL));
	cr_assert_eq(committed(s), MB2);
	cr_assert_eq(own_huge(), before + MB2);
	memset(p, 0xab, 100); /* backed: no fault */
	assert_ok(dp_seg_alloc(s, 3 * MB2, 64, &p, NULL));
	cr_assert_eq(committed(s), 4 * MB2, "pages up to the end of the block");
	cr_assert_eq(own_huge(), before + 4 * MB2);
	memset(p, 0xcd, 3 * MB2);
	assert_ok(dp_seg_destroy(s));
	cr_assert_eq(own_huge(), before, "every page given back");
}

/*
 * The segment is larger than all the system's hugepages, so only the
 * kernel's refusal can end the loop, however many pages other processes
 * free meanwhile (this test briefly takes every free hugepage).
 */
Test(seg_on_demand, running_out_of_hugepages_is_an_error_not_a_fault)
{
	long total = proc_field("/proc/meminfo", "HugePages_Total:");
	size_t before = own_huge();
	struct dp_seg *s;
	struct dp_seg_info i;
	size_t got = 0;
	void *p;
	dp_err e;

	if (proc_field("/proc/meminfo", "HugePages_Free:") < 1)
		cr_skip_test("needs free 2 MiB hugepages");
	assert_ok(dp_seg_create_huge("exhaust", (size_t)(total + 8) * MB2, 0, 64,
				     DP_SEG_F_ON_DEMAND, &s));
	while ((e = dp_seg_alloc(s, MB2, MB2, &p, NULL)) == DP_OK) {
		memset(p, 1, MB2);
		got++;
	}
	cr_assert_eq(e, DP_ERR_NO_HUGEPAGES, "%s", dp_errname(e));
	cr_assert_gt(got, 0, "hugepages were free: some allocations succeed first");
	cr_assert_eq(committed(s), got * MB2, "the refused page is not counted");
	cr_assert_eq(own_huge(), before + got * MB2, "the refused page is not mapped");
	assert_ok(dp_seg_info(s, &i));
	cr_assert_eq(i.used, got * MB2, "the refused allocation moved nothing");
	assert_ok(dp_seg_destroy(s));
	cr_assert_eq(own_huge(), before, "every page given back");
}

Test(seg_on_demand, normal_pages_and_a_pool_on_top)
{
	struct dp_pool_params prm = params("elastic", 2048, 64, 16, 0, DP_POOL_F_HW);
	struct dp_seg *s;
	struct dp_pool *p;
	void *b[1000];

	assert_ok(dp_seg_create_huge("grow4k", 64 << 20, 0, 64,
				     DP_SEG_F_ON_DEMAND | DP_SEG_F_NORMAL_PAGES, &s));
	assert_ok(dp_pool_create(s, &prm, &p));
	cr_assert_eq(committed(s), 32768, "16 blocks of 2 KiB: 8 pages");
	assert_ok(dp_pool_get_bulk(p, b, 1000));
	cr_assert_geq(committed(s), 1000 * 2048);
	cr_assert_lt(committed(s), 1200 * 2048, "grown with the pool, not to the segment");
	for (int k = 0; k < 1000; k++)
		memset(b[k], k, 2048);
	assert_ok(dp_pool_put_bulk(p, b, 1000));
	assert_audit_ok(p);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(s));
}
