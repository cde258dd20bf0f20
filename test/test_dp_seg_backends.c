/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Segment backends on real memory: hugepages on a NUMA node (with the
 * fallback and the strict refusal), memzones (with lookup by name), IOVA
 * translation in VA and PA mode, and the no-straddle rule of HW pools.
 * PA-mode checks need root (the kernel hides physical addresses from
 * others) and are skipped without it.
 */
#include <fcntl.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "eal.h"

#define MB2 ((size_t)2 << 20)

static long
meminfo(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key) + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static struct dp_seg_info
info_of(const struct dp_seg *s)
{
	struct dp_seg_info i;

	assert_ok(dp_seg_info(s, &i));
	return i;
}

/* Physical address from pagemap, independently of the library. */
static uint64_t
phys_of(const void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (off_t)((uintptr_t)va / 4096) * 8) != 8)
		e = 0;
	close(fd);
	if (!(e & (1ull << 63)) || (e & ((1ull << 55) - 1)) == 0)
		return 0;
	return (e & ((1ull << 55) - 1)) * 4096 + (uintptr_t)va % 4096;
}

static bool
resident(const void *addr, size_t len)
{
	size_t pages = (len + 4095) / 4096;
	unsigned char *v = malloc(pages);
	bool all = mincore((void *)addr, len, v) == 0;

	for (size_t i = 0; all && i < pages; i++)
		all = v[i] & 1;
	free(v);
	return all;
}

Test(seg_huge, hugepages_on_node_0_prefaulted, .timeout = 60)
{
	struct dp_seg *s;
	struct dp_seg_info i;
	uint64_t iova;

	if (meminfo("HugePages_Free") < 2)
		cr_skip_test("no free 2 MiB hugepages here (the fallback test covers this)");
	assert_ok(dp_seg_create_huge("huge", MB2 + 1, 0, 64, DP_SEG_F_STRICT_HUGE, &s));
	i = info_of(s);
	cr_assert_eq(i.kind, DP_SEG_HUGE);
	cr_assert_eq(i.page_size, MB2);
	cr_assert_eq(i.len, 2 * MB2, "rounded up to whole pages");
	cr_assert_eq((uintptr_t)i.base % MB2, 0);
	cr_assert_eq(i.node, 0);
	cr_assert(resident(i.base, i.len), "pre-faulted: every page present");
	/* No EAL: VA mode, one IOVA run. */
	cr_assert_eq(i.iova_mode, DP_IOVA_VA);
	cr_assert(i.iova_contig);
	assert_ok(dp_seg_iova(s, (char *)i.base + 12345, &iova));
	cr_assert_eq(iova, (uintptr_t)i.base + 12345);
	assert_dp(dp_seg_iova(s, (char *)i.base + i.len, &iova), DP_ERR_OUT_OF_RANGE);
	assert_dp(dp_seg_iova(s, (char *)i.base - 1, &iova), DP_ERR_OUT_OF_RANGE);
	assert_dp(dp_seg_iova(s, i.base, NULL), DP_ERR_NULL_PTR);
	assert_ok(dp_seg_destroy(s));
}

Test(seg_huge, strict_refuses_and_default_falls_back, .timeout = 60)
{
	/* More than the total, not the free count: tests running beside
	 * this one free pages between the read and the request. */
	long all_pages = meminfo("HugePages_Total");
	size_t too_much = (size_t)(all_pages + 1) * MB2;
	struct dp_seg *s = NULL;

	assert_dp(dp_seg_create_huge("strict", too_much, -1, 64, DP_SEG_F_STRICT_HUGE, &s),
		  DP_ERR_NO_HUGEPAGES);
	cr_assert_null(s);
	assert_ok(dp_seg_create_huge("fallback", too_much, -1, 64, 0, &s));
	struct dp_seg_info i = info_of(s);
	cr_assert_eq(i.kind, DP_SEG_ANON);
	cr_assert_eq(i.page_size, (size_t)sysconf(_SC_PAGESIZE));
	cr_assert_geq(i.len, too_much);
	assert_ok(dp_seg_destroy(s));
}

Test(seg_huge, argument_errors)
{
	struct dp_seg *s;

	assert_dp(dp_seg_create_huge(NULL, MB2, 0, 64, 0, &s), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_create_huge("x", MB2, 0, 64, 0, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_seg_create_huge("", MB2, 0, 64, 0, &s), DP_ERR_INVALID_NAME);
	assert_dp(dp_seg_create_huge("x", 0, 0, 64, 0, &s), DP_ERR_INVALID_SIZE);
	assert_dp(dp_seg_create_huge("x", MB2, 0, 48, 0, &s), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_seg_create_huge("x", MB2, 0, 64, 1u << 9, &s), DP_ERR_INVALID_FLAGS);
	assert_dp(dp_seg_create_huge("x", MB2, 0, 64, DP_SEG_F_NORMAL_PAGES | DP_SEG_F_STRICT_HUGE,
				     &s), DP_ERR_INVALID_FLAGS);
	assert_dp(dp_seg_create_huge("x", MB2, 999, 64, 0, &s), DP_ERR_INVALID_NODE);
	assert_dp(dp_seg_create_huge("x", MB2, -2, 64, 0, &s), DP_ERR_INVALID_NODE);
	assert_dp(dp_seg_create_huge("x", SIZE_MAX - 100, 0, 64, DP_SEG_F_NORMAL_PAGES, &s),
		  DP_ERR_OVERFLOW);
}

Test(seg_huge, physical_addresses_as_root, .timeout = 60)
{
	struct dp_seg *s;
	struct dp_seg_info i;
	uint64_t iova;

	if (geteuid() != 0)
		cr_skip_test("PA mode needs root");
	assert_ok(dp_seg_create_huge("pa", 64 * 4096, 0, 64,
				     DP_SEG_F_NORMAL_PAGES | DP_SEG_F_IOVA_PA, &s));
	i = info_of(s);
	cr_assert_eq(i.iova_mode, DP_IOVA_PA);
	for (size_t off = 0; off < i.len; off += 4096 + 100) {
		assert_ok(dp_seg_iova(s, (char *)i.base + off, &iova));
		cr_assert_eq(iova, phys_of((char *)i.base + off), "offset %zu", off);
	}
	assert_ok(dp_seg_destroy(s));
}

/* On a segment that is not one IOVA run, HW blocks never straddle a page,
 * and each block's IOVA is its physical address. 4 KiB pages of normal
 * memory are scattered physically, which makes the case real. */
Test(seg_huge, hw_blocks_never_straddle_pages, .timeout = 60)
{
	struct dp_pool_params prm = params("nostraddle", 1500, 64, 0, 0, DP_POOL_F_HW);
	struct dp_seg *s;
	struct dp_pool *p;
	struct dp_seg_info i;
	void *b[200];
	size_t n = 0;
	uint64_t iova;

	if (geteuid() != 0)
		cr_skip_test("PA mode needs root");
	/* Physically contiguous 4 KiB pages are rare but possible: try a
	 * few segments, since CI counts a skip as a failure. */
	for (int tries = 0;; tries++) {
		assert_ok(dp_seg_create_huge("pages", 64 * 4096, 0, 64,
					     DP_SEG_F_NORMAL_PAGES | DP_SEG_F_IOVA_PA, &s));
		i = info_of(s);
		if (!i.iova_contig)
			break;
		assert_ok(dp_seg_destroy(s));
		if (tries == 7)
			cr_skip_test("the kernel gave physically contiguous pages 8 times");
	}
	assert_ok(dp_pool_create(s, &prm, &p));
	while (n < 200 && dp_pool_get(p, &b[n]) == DP_OK)
		n++;
	/* 1536-byte blocks: 2 per 4 KiB page, 64 pages. */
	cr_assert_eq(n, 128, "got %zu blocks", n);
	for (size_t k = 0; k < n; k++) {
		uintptr_t a = (uintptr_t)b[k];

		cr_assert_eq(a / 4096, (a + 1536 - 1) / 4096, "block %zu straddles", k);
		assert_ok(dp_pool_iova(p, b[k], &iova));
		cr_assert_eq(iova, phys_of(b[k]));
	}
	assert_dp(dp_pool_iova(p, (char *)b[0] + 1, &iova), DP_ERR_NOT_BLOCK_START);
	assert_ok(dp_pool_put_bulk(p, b, n));
	assert_audit_ok(p);
	/* A block larger than a page cannot avoid straddling: refused. */
	struct dp_pool_params big = params("big", 5000, 64, 0, 0, DP_POOL_F_HW);
	struct dp_pool *q;
	assert_dp(dp_pool_create(s, &big, &q), DP_ERR_INVALID_SIZE);
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(s));
}

Test(seg_memzone, needs_eal)
{
	struct dp_seg *s;

	assert_dp(dp_seg_create_memzone("mz", MB2, -1, 64, &s), DP_ERR_NO_EAL);
	assert_dp(dp_seg_lookup_memzone("mz", &s), DP_ERR_NO_EAL);
}

Test(seg_memzone, create_lookup_iova, .timeout = 60)
{
	struct dp_seg *s, *found;
	struct dp_seg_info i;
	const struct rte_memzone *mz;
	uint64_t iova;
	void *p;

	eal_up();
	assert_dp(dp_seg_create_memzone("a-name-that-is-far-too-long", MB2, -1, 64, &s),
		  DP_ERR_INVALID_NAME);
	assert_dp(dp_seg_create_memzone("mz", MB2, 77, 64, &s), DP_ERR_INVALID_NODE);
	assert_dp(dp_seg_create_memzone("mz", 0, -1, 64, &s), DP_ERR_INVALID_SIZE);
	assert_ok(dp_seg_create_memzone("mz", MB2, -1, 64, &s));
	assert_dp(dp_seg_create_memzone("mz", MB2, -1, 64, &found), DP_ERR_SEG_EXISTS);
	i = info_of(s);
	cr_assert_eq(i.kind, DP_SEG_MEMZONE);
	mz = rte_memzone_lookup("mz");
	cr_assert_not_null(mz);
	cr_assert_eq(i.base, mz->addr);
	cr_assert_eq(i.len, mz->len);
	assert_ok(dp_seg_lookup_memzone("mz", &found));
	cr_assert_eq(found, s, "the same shared segment, found by name");
	assert_dp(dp_seg_lookup_memzone("nope", &found), DP_ERR_NOT_FOUND);
	assert_ok(dp_seg_alloc(s, 1000, 64, &p, NULL));
	assert_ok(dp_seg_iova(s, (char *)p + 10, &iova));
	cr_assert_eq(iova, rte_mem_virt2iova((char *)p + 10));
	assert_ok(dp_seg_destroy(s));
	cr_assert_null(rte_memzone_lookup("mz"), "memzone freed");
	assert_dp(dp_seg_lookup_memzone("mz", &found), DP_ERR_NOT_FOUND);
}

/* EAL in PA mode on real hugepages (root): a memzone segment's IOVAs are
 * the physical addresses, as DPDK and the kernel's pagemap both say. */
Test(seg_memzone, physical_addresses_in_pa_mode, .timeout = 60)
{
	char prefix[64];
	char *argv[] = { "dp-test", "-l", "0", "--no-pci", "--iova-mode=pa", "-m", "16",
			 "--huge-unlink", "--no-shconf", "--file-prefix", prefix,
			 "--no-telemetry", "--log-level", "lib.eal:error", NULL };
	struct dp_seg *s;
	uint64_t iova;
	void *p;

	if (geteuid() != 0)
		cr_skip_test("PA mode needs root");
	if (meminfo("HugePages_Free") < 16)
		cr_skip_test("needs 16 free 2 MiB hugepages");
	snprintf(prefix, sizeof(prefix), "dptestpa%d", (int)getpid());
	cr_assert_geq(rte_eal_init(14, argv), 0, "rte_eal_init: %s", rte_strerror(rte_errno));
	cr_assert_eq(rte_eal_iova_mode(), RTE_IOVA_PA);
	assert_ok(dp_seg_create_memzone("pamz", MB2, -1, 64, &s));
	cr_assert_eq(info_of(s).iova_mode, DP_IOVA_PA);
	for (int k = 0; k < 8; k++) {
		assert_ok(dp_seg_alloc(s, 100000, 64, &p, NULL));
		assert_ok(dp_seg_iova(s, (char *)p + 17, &iova));
		cr_assert_eq(iova, rte_mem_virt2iova((char *)p + 17), "allocation %d", k);
		cr_assert_eq(iova, phys_of((char *)p + 17), "allocation %d", k);
	}
	assert_ok(dp_seg_destroy(s));
}

/* A pool on a memzone segment is shared: its object is a memzone of its
 * name, so names are unique and bounded, and lookup finds it through DPDK
 * (what a secondary process does; test/mp covers a real one). */
Test(seg_memzone, shared_pool_names, .timeout = 60)
{
	struct dp_pool_params prm = params("sp", 100, 8, 4, 0, 0);
	struct dp_pool *p, *q, *found;
	struct dp_seg *s;
	void *blk;

	eal_up();
	assert_ok(dp_seg_create_memzone("spz", MB2, -1, 64, &s));
	assert_ok(dp_pool_create(s, &prm, &p));
	assert_dp(dp_pool_create(s, &prm, &q), DP_ERR_EXISTS);
	prm.name = "a-pool-name-of-28-characters";
	assert_dp(dp_pool_create(s, &prm, &q), DP_ERR_INVALID_NAME);
	cr_assert_not_null(rte_memzone_lookup("dpp_sp"), "the pool object is a memzone");
	assert_ok(dp_pool_lookup("sp", &found));
	cr_assert_eq(found, p);
	assert_ok(dp_pool_get(p, &blk));
	assert_ok(dp_pool_put(p, blk));
	assert_audit_ok(p);
	cr_assert_eq(info_of(s).pools, 1, "refused creates did not stay attached");
	assert_ok(dp_pool_destroy(p));
	cr_assert_null(rte_memzone_lookup("dpp_sp"), "its memzone went with it");
	assert_dp(dp_pool_lookup("sp", &found), DP_ERR_NOT_FOUND);
	assert_ok(dp_seg_destroy(s));
}
