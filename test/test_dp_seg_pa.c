/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Segments over caller memory under an EAL in PA mode (--iova-mode=pa, as
 * root, on hugepages: DPDK's own choice without an IOMMU): memory never
 * written before dp_seg_create() (untouched, or only read, so that it maps
 * the shared zero page) gets the physical addresses it keeps after the
 * first write, as rte_mem_virt2phy() reads them; the README's example
 * (a static buffer) works; the pages are locked while the segment lives
 * and unlocked by dp_seg_destroy(), except those another segment shares
 * and those the caller had locked itself;
 * memory that cannot be written is refused with DP_ERR_SYSTEM.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "common.h"
#include "eal.h"

#define PG 4096
#define NPG 64

static void
eal_up_pa(void)
{
	char prefix[64];
	char *argv[] = { "dp-test", "-l", "0", "--no-pci", "--in-memory", "-m", "64",
			 "--iova-mode=pa", "--file-prefix", prefix, "--no-telemetry",
			 "--log-level", "lib.eal:error", NULL };

	if (geteuid() != 0)
		cr_skip_test("PA mode needs root");
	snprintf(prefix, sizeof(prefix), "dppa%d", (int)getpid());
	int ret = eal_init_huge(13, argv);

	cr_assert_geq(ret, 0, "rte_eal_init: %s", rte_strerror(rte_errno));
	cr_assert_eq(rte_eal_iova_mode(), RTE_IOVA_PA);
}

#if defined(__SANITIZE_ADDRESS__)
#define DP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DP_ASAN 1
#endif
#endif

static int
sanitized(void)
{
#ifdef DP_ASAN
	return 1;
#else
	return 0;
#endif
}

/* Locked memory of this process, in bytes (VmLck). */
static size_t
locked_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t kb = 0;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmLck: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* Every page's recorded IOVA is its physical address after a write. */
static void
assert_iovas_hold(struct dp_seg *seg, unsigned char *buf, size_t npages)
{
	for (size_t i = 0; i < npages; i++) {
		volatile unsigned char *p = buf + i * PG + 1100; /* in partial end pages too */
		uint64_t iova;

		assert_ok(dp_seg_iova(seg, (const void *)p, &iova));
		*p = (unsigned char)(i + 1); /* the first write */
		cr_assert_eq(iova, rte_mem_virt2phy((const void *)p),
			     "page %zu: recorded %#lx, physical after the write %#lx", i,
			     (unsigned long)iova, (unsigned long)rte_mem_virt2phy((const void *)p));
	}
}

static unsigned char untouched[NPG * PG] __attribute__((aligned(PG)));
static unsigned char only_read[NPG * PG] __attribute__((aligned(PG)));

Test(seg_pa, static_buffer_never_touched)
{
	struct dp_seg *seg;

	eal_up_pa();
	assert_ok(dp_seg_create("untouched", untouched, sizeof(untouched), 64, &seg));
	assert_iovas_hold(seg, untouched, NPG);
	assert_ok(dp_seg_destroy(seg));
}

Test(seg_pa, static_buffer_only_read_before)
{
	struct dp_seg *seg;
	unsigned int sum = 0;

	eal_up_pa();
	for (size_t i = 0; i < sizeof(only_read); i += PG)
		sum += ((volatile unsigned char *)only_read)[i]; /* maps the zero page */
	cr_assert_eq(sum, 0);
	assert_ok(dp_seg_create("read", only_read, sizeof(only_read), 64, &seg));
	assert_iovas_hold(seg, only_read, NPG);
	assert_ok(dp_seg_destroy(seg));
}

Test(seg_pa, mapped_buffer_only_read_before)
{
	struct dp_seg *seg;
	unsigned char *buf = mmap(NULL, NPG * PG, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int sum = 0;

	eal_up_pa();
	cr_assert_neq(buf, MAP_FAILED);
	for (size_t i = 0; i < NPG * PG; i += PG)
		sum += ((volatile unsigned char *)buf)[i];
	cr_assert_eq(sum, 0);
	/* Not page-aligned: the end pages are partial. */
	assert_ok(dp_seg_create("mapped", buf + 1000, NPG * PG - 2000, 64, &seg));
	assert_iovas_hold(seg, buf, NPG);
	assert_ok(dp_seg_destroy(seg));
	munmap(buf, NPG * PG);
}

/* README.md's native API example, as printed there, under a PA-mode EAL. */
static unsigned char mem[1 << 20];

static int
readme_example(void)
{
	struct dp_seg *seg;
	struct dp_pool *pool;
	struct dp_pool_params prm = {
		.name = "rx", .block_size = 2048, .block_align = 64,
		.initial = 64, .maximum = DP_POOL_UNLIMITED, .flags = DP_POOL_F_HW,
	};
	void *buf;

	if (dp_seg_create("rx-seg", mem, sizeof(mem), 64, &seg) != DP_OK ||
	    dp_pool_create(seg, &prm, &pool) != DP_OK)
		return 1;
	if (dp_pool_get(pool, &buf) != DP_OK || dp_pool_put(pool, buf) != DP_OK)
		return 1;
	return dp_pool_put(pool, buf) == DP_ERR_DOUBLE_FREE ? 0 : 1;
}

Test(seg_pa, readme_example_works)
{
	eal_up_pa();
	cr_assert_eq(readme_example(), 0);
}

Test(seg_pa, pages_locked_while_the_segment_lives)
{
	unsigned char *buf = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dp_seg *a, *b, *c;
	size_t base;

	eal_up_pa();
	if (sanitized())
		cr_skip_test(DP_NOT_UNDER("asan") "AddressSanitizer turns mlock() into a no-op");
	cr_assert_neq(buf, MAP_FAILED);
	base = locked_bytes();
	/* a: pages 0-1, b: pages 1-2 (page 1 shared). */
	assert_ok(dp_seg_create("a", buf, PG + 100, 64, &a));
	cr_assert_eq(locked_bytes(), base + 2 * PG);
	assert_ok(dp_seg_create("b", buf + PG + 100, 2 * PG - 200, 64, &b));
	cr_assert_eq(locked_bytes(), base + 3 * PG);
	/* A create refused for overlap unlocks none of a's pages. */
	assert_dp(dp_seg_create("c", buf, PG + 100, 64, &c), DP_ERR_SEG_EXISTS);
	cr_assert_eq(locked_bytes(), base + 3 * PG);
	assert_ok(dp_seg_destroy(a));
	cr_assert_eq(locked_bytes(), base + 2 * PG, "page 1 stays locked for b");
	assert_ok(dp_seg_destroy(b));
	cr_assert_eq(locked_bytes(), base);
	munmap(buf, 4 * PG);
}

/* Memory the caller locked itself (mlock(), or mlockall()) stays locked
 * after the segment over it is destroyed: locks do not nest, so an unlock
 * by the segment would undo the caller's. */
Test(seg_pa, pages_the_caller_locked_stay_locked)
{
	unsigned char *buf = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dp_seg *a, *b;
	size_t base;

	eal_up_pa();
	if (sanitized())
		cr_skip_test(DP_NOT_UNDER("asan") "AddressSanitizer turns mlock() into a no-op");
	cr_assert_neq(buf, MAP_FAILED);
	cr_assert_eq(mlock(buf, 4 * PG), 0);
	base = locked_bytes();
	assert_ok(dp_seg_create("mine", buf + 100, 2 * PG, 64, &a));
	cr_assert_eq(locked_bytes(), base);
	assert_ok(dp_seg_destroy(a));
	cr_assert_eq(locked_bytes(), base, "the caller's lock undone: %zu of %zu bytes locked",
		     locked_bytes(), base);
	munlock(buf, 4 * PG);
	/* Pages locked by another segment are not the caller's: two
	 * segments in one page, the page unlocked when both are gone. */
	base = locked_bytes();
	assert_ok(dp_seg_create("a", buf, 1000, 64, &a));
	assert_ok(dp_seg_create("b", buf + 2000, 1000, 64, &b));
	cr_assert_eq(locked_bytes(), base + PG);
	assert_ok(dp_seg_destroy(a));
	cr_assert_eq(locked_bytes(), base + PG, "the page stays locked for b");
	assert_ok(dp_seg_destroy(b));
	cr_assert_eq(locked_bytes(), base);
	munmap(buf, 4 * PG);
}

/* Memory a device could not be given (it cannot be written): refused
 * with the documented error, nothing registered, nothing locked. */
Test(seg_pa, read_only_memory_refused)
{
	unsigned char *buf = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dp_seg *seg;
	size_t base;

	eal_up_pa();
	cr_assert_neq(buf, MAP_FAILED);
	base = locked_bytes();
	assert_dp(dp_seg_create("ro", buf, 4 * PG, 64, &seg), DP_ERR_SYSTEM);
	cr_assert_eq(locked_bytes(), base);
	cr_assert_eq(mprotect(buf, 4 * PG, PROT_READ | PROT_WRITE), 0);
	assert_ok(dp_seg_create("ro", buf, 4 * PG, 64, &seg)); /* the range was not kept */
	assert_iovas_hold(seg, buf, 4);
	assert_ok(dp_seg_destroy(seg));
	munmap(buf, 4 * PG);
}
