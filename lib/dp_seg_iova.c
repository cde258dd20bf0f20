/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IOVAs of segment memory: what a device has to be given to reach a byte.
 *
 * VA mode (an IOMMU maps the process's addresses, or nothing does DMA):
 * IOVA = virtual address, so every segment is one contiguous IOVA run.
 * PA mode (no IOMMU, EAL --iova-mode=pa, or DP_SEG_F_IOVA_PA): IOVA =
 * physical address, read once per page from /proc/self/pagemap (root
 * only; others read zeroes) when the segment is created. That is sound
 * for memory that stays where it is: hugepages, and locked pages (caller
 * memory is faulted in and locked first: dp_seg_iova_pin()). Pages that
 * happen to be physically consecutive make the segment contiguous again
 * and spare the table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "dp_log.h"
#include "dp_seg_impl.h"

#define PAGEMAP_PRESENT (1ull << 63)
#define PAGEMAP_PFN_MASK ((1ull << 55) - 1)

bool
dp_eal_is_up(void)
{
	/* rte_config's lcore count is 0 until rte_eal_init() fills it. */
	return rte_lcore_count() > 0;
}

/* Physical address of va, or 0 when the kernel will not say. */
static uint64_t
pagemap_pa(int fd, uintptr_t va)
{
	long small = sysconf(_SC_PAGESIZE);
	uint64_t entry;

	if (pread(fd, &entry, sizeof(entry), (off_t)(va / (uintptr_t)small) * sizeof(entry)) !=
		    (ssize_t)sizeof(entry) ||
	    !(entry & PAGEMAP_PRESENT) || (entry & PAGEMAP_PFN_MASK) == 0)
		return 0;
	return (entry & PAGEMAP_PFN_MASK) * (uint64_t)small + (va % (uintptr_t)small);
}

static bool
want_pa(unsigned int flags)
{
	return (flags & DP_SEG_F_IOVA_PA) || (dp_eal_is_up() && rte_eal_iova_mode() == RTE_IOVA_PA);
}

dp_err
dp_seg_iova_fill(struct dp_seg *seg, size_t first_page, size_t n)
{
	uintptr_t first = seg->base & ~(uintptr_t)(seg->page_size - 1);
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return DP_ERR_SYSTEM;
	for (size_t i = first_page; i < first_page + n; i++) {
		seg->page_iova[i] = pagemap_pa(fd, first + i * seg->page_size);
		if (seg->page_iova[i] == 0) {
			close(fd);
			DP_LOG(ERR, "segment '%s': no physical address for page %zu "
			       "(PA mode needs root)\n", seg->name, i);
			return DP_ERR_SYSTEM;
		}
	}
	close(fd);
	return DP_OK;
}

/*
 * Caller memory: a page that was never touched has no physical address,
 * and one only read so far maps the shared zero page, whose address goes
 * stale on the first write. So before reading pagemap: fault every page
 * in as if written (MADV_POPULATE_WRITE, which also refuses memory that
 * cannot be written) and lock it, so it is not swapped out and stays
 * present. Locking is not pinning: the kernel may still migrate a locked
 * normal page (compaction, when vm.compact_unevictable_allowed is 1), so
 * caller memory for a device without an IOMMU belongs on hugepages (see
 * dp_seg_create()).
 */
#ifdef MADV_POPULATE_WRITE
/* Whether the kernel has MADV_POPULATE_WRITE (5.14): it answers EINVAL
 * both when it does not and for memory that cannot be written, so ask
 * once on memory that can. Without it, mlock() alone still faults
 * writable private pages in for writing. */
static bool
populate_write_works(void)
{
	static _Atomic int known; /* 0 unknown, 1 yes, 2 no */
	int k = atomic_load_explicit(&known, memory_order_relaxed);

	if (k == 0) {
		long pg = sysconf(_SC_PAGESIZE);
		void *p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		k = p != MAP_FAILED && madvise(p, (size_t)pg, MADV_POPULATE_WRITE) == 0 ? 1 : 2;
		if (p != MAP_FAILED)
			munmap(p, (size_t)pg);
		atomic_store_explicit(&known, k, memory_order_relaxed);
	}
	return k == 1;
}
#endif

/* Whether every page of [lo, hi) is locked already (VmFlags "lo" of the
 * mappings in /proc/self/smaps): the caller's mlock() or mlockall(). Locks
 * do not nest, so the segment must then not unlock them at destroy. A
 * range the caller locked only in part is unlocked whole, as before. */
static bool
range_locked(uintptr_t lo, uintptr_t hi)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long start = 0, end = 0;
	size_t covered = 0;
	char line[512];

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			start = a;
			end = b;
		} else if (strncmp(line, "VmFlags:", 8) == 0 && start < hi && lo < end &&
			   strstr(line, " lo") != NULL) {
			covered += RTE_MIN((uintptr_t)end, hi) - RTE_MAX((uintptr_t)start, lo);
		}
	}
	fclose(f);
	return covered == hi - lo;
}

dp_err
dp_seg_iova_pin(struct dp_seg *seg)
{
	uintptr_t lo = seg->base & ~(uintptr_t)(seg->page_size - 1);
	size_t n = (seg->base + seg->len - lo + seg->page_size - 1) & ~(seg->page_size - 1);

#ifdef MADV_POPULATE_WRITE
	if (populate_write_works() && madvise((void *)lo, n, MADV_POPULATE_WRITE) != 0) {
		DP_LOG(ERR, "segment '%s': PA mode: cannot fault the pages in for writing (%s): "
		       "caller memory must be writable\n", seg->name, strerror(errno));
		return DP_ERR_SYSTEM;
	}
#endif
	/* Pages another segment locked are that segment's to keep or not. */
	/* Pages another segment locked are that segment's to keep or not. */
	seg->caller_locked = !dp_seg_pinned_elsewhere(seg, lo, lo + n) && range_locked(lo, lo + n);
	if (mlock((void *)lo, n) != 0) {
		DP_LOG(ERR, "segment '%s': PA mode: cannot lock the pages (%s; needs root or "
		       "RLIMIT_MEMLOCK)\n", seg->name, strerror(errno));
		return DP_ERR_SYSTEM;
	}
	seg->pinned = true;
	return DP_OK;
}

void
dp_seg_iova_unpin(struct dp_seg *seg)
{
	size_t pg = seg->page_size;
	uintptr_t lo = seg->base & ~(uintptr_t)(pg - 1);
	uintptr_t hi = (seg->base + seg->len + pg - 1) & ~(uintptr_t)(pg - 1);

	seg->pinned = false;
	if (seg->caller_locked)
		return;
	if (!dp_seg_pinned_elsewhere(seg, lo, hi)) {
		(void)munlock((void *)lo, hi - lo);
		return;
	}
	/* Another segment shares some pages (at most the end pages of a live
	 * one): leave those locked. */
	for (uintptr_t p = lo; p < hi; p += pg)
		if (!dp_seg_pinned_elsewhere(seg, p, p + pg))
			(void)munlock((void *)p, pg);
}

dp_err
dp_seg_iova_setup(struct dp_seg *seg, unsigned int flags, uint64_t *table)
{
	uintptr_t first = seg->base & ~(uintptr_t)(seg->page_size - 1);
	size_t npages = (seg->base + seg->len - first + seg->page_size - 1) / seg->page_size;
	uint64_t *t = table;
	bool contig = true;
	int fd;

	seg->iova_mode = DP_IOVA_VA;
	seg->iova_contig = true;
	seg->iova_base = seg->base;
	seg->page_iova = NULL;
	seg->npages = npages;
	if (!want_pa(flags))
		return DP_OK;
	if (seg->on_demand) {
		/* Pages arrive later: the table is filled as they are committed,
		 * and nothing says they will be consecutive. */
		seg->page_iova = table != NULL ? table : calloc(npages, sizeof(uint64_t));
		if (seg->page_iova == NULL)
			return DP_ERR_NO_MEMORY;
		seg->iova_mode = DP_IOVA_PA;
		seg->iova_contig = false;
		return DP_OK;
	}

	if (seg->kind == DP_SEG_CALLER) {
		dp_err err = dp_seg_iova_pin(seg);

		if (err != DP_OK)
			return err;
	}
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return DP_ERR_SYSTEM;
	if (t == NULL && (t = calloc(npages, sizeof(*t))) == NULL) {
		close(fd);
		return DP_ERR_NO_MEMORY;
	}
	for (size_t i = 0; i < npages; i++) {
		t[i] = pagemap_pa(fd, first + i * seg->page_size);
		if (t[i] == 0) {
			DP_LOG(ERR, "segment '%s': no physical address for page %zu "
			       "(PA mode needs root, and memory that is present)\n", seg->name, i);
			close(fd);
			if (t != table)
				free(t);
			return DP_ERR_SYSTEM;
		}
		if (i > 0 && t[i] != t[i - 1] + seg->page_size)
			contig = false;
	}
	close(fd);
	seg->iova_mode = DP_IOVA_PA;
	if (contig) {
		seg->iova_base = t[0] + (seg->base - first);
		if (t != table)
			free(t);
		return DP_OK;
	}
	seg->iova_contig = false;
	seg->page_iova = t;
	return DP_OK;
}
