/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hugepage segments on a NUMA node.
 *
 * Order matters: map (MAP_HUGETLB reserves the pages up front, so a later
 * fault cannot SIGBUS), bind to the node, then touch every page, so each
 * page is allocated on the node that was asked for; then lock, and read
 * the physical addresses if PA mode is wanted. Without hugepages the
 * segment falls back to normal pages, loudly, unless told not to.
 */
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dp_log.h"
#include "dp_seg_impl.h"
#include "dp_util.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB_ (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB_ (30 << MAP_HUGE_SHIFT)

#define HUGE_FLAGS                                                                    \
	(DP_SEG_F_STRICT_HUGE | DP_SEG_F_HUGE_1G | DP_SEG_F_IOVA_PA | DP_SEG_F_NORMAL_PAGES | \
	 DP_SEG_F_ON_DEMAND)

static dp_err
resolve_node(int *node)
{
	if (numa_available() < 0) /* no NUMA support: one node, 0 */
		return *node == -1 || *node == 0 ? (*node = 0, DP_OK) : DP_ERR_INVALID_NODE;
	if (*node == -1) {
		int cpu = sched_getcpu();
		*node = cpu >= 0 ? numa_node_of_cpu(cpu) : 0;
		if (*node < 0)
			*node = 0;
	}
	if (*node < 0 || *node > numa_max_node() ||
	    !numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned int)*node))
		return DP_ERR_INVALID_NODE;
	return DP_OK;
}

static int
bind_to_node(void *addr, size_t len, int node)
{
	unsigned long mask[16] = { 0 };

	if (numa_available() < 0)
		return 0;
	mask[node / (8 * sizeof(long))] |= 1ul << (node % (8 * sizeof(long)));
	return (int)mbind(addr, len, MPOL_BIND, mask, 8 * sizeof(mask), MPOL_MF_STRICT);
}

/* The node the kernel actually placed a page on. */
static int
node_of(void *addr)
{
	int node = -1;

	if (numa_available() < 0)
		return 0;
	if (get_mempolicy(&node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR) != 0)
		return -1;
	return node;
}

/* Map, bind, fault in and lock [addr, addr + len) (page-aligned). */
static dp_err
back_pages(const char *name, void *addr, size_t len, size_t page, int node, bool huge,
	   unsigned int flags, bool fixed)
{
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS | (fixed ? MAP_FIXED : 0);
	void *p;

	if (huge)
		mflags |= MAP_HUGETLB | ((flags & DP_SEG_F_HUGE_1G) ? MAP_HUGE_1GB_ : MAP_HUGE_2MB_);
	p = mmap(addr, len, PROT_READ | PROT_WRITE, mflags, -1, 0);
	if (p == MAP_FAILED)
		return huge ? DP_ERR_NO_HUGEPAGES : DP_ERR_SYSTEM;
	if (bind_to_node(p, len, node) != 0)
		DP_LOG(WARNING, "segment '%s': cannot bind to node %d (%s)\n", name, node,
		       strerror(errno));
	for (size_t off = 0; off < len; off += page)
		((volatile char *)p)[off] = 0; /* fault in, on the bound node */
	if (mlock(p, len) != 0 && !huge)
		DP_LOG(WARNING, "segment '%s': cannot lock %zu KiB (%s): pages may move\n", name,
		       len >> 10, strerror(errno));
	return DP_OK;
}

/*
 * On-demand segments reserve address space only (PROT_NONE, no memory) and
 * back it page by page as reservations reach it, with mmap(MAP_FIXED) of
 * the kind of page asked for: running out of hugepages is then an mmap
 * failure reported to the allocation, never a SIGBUS in the data path.
 */
static dp_err
create_on_demand(const char *name, size_t len, int node, size_t padding, unsigned int flags,
		 struct dp_seg **out)
{
	bool huge = !(flags & DP_SEG_F_NORMAL_PAGES);
	size_t page = !huge ? (size_t)sysconf(_SC_PAGESIZE)
		      : (flags & DP_SEG_F_HUGE_1G) ? (size_t)1 << 30 : (size_t)2 << 20;
	size_t maplen = (len + page - 1) & ~(page - 1), span = maplen + page;
	uintptr_t raw, base;
	struct dp_seg *seg;
	dp_err err;

	raw = (uintptr_t)mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			      -1, 0);
	if ((void *)raw == MAP_FAILED)
		return DP_ERR_SYSTEM;
	base = (raw + page - 1) & ~(uintptr_t)(page - 1); /* MAP_FIXED hugepages need it */
	seg = dp_seg_obj_new();
	if (seg == NULL) {
		munmap((void *)raw, span);
		return DP_ERR_NO_MEMORY;
	}
	err = dp_seg_setup(seg, name, base, maplen, padding);
	seg->kind = huge ? DP_SEG_HUGE : DP_SEG_ANON;
	seg->page_size = page;
	seg->node = node;
	seg->map_base = raw;
	seg->map_len = span;
	seg->on_demand = true;
	seg->commit_huge = huge;
	seg->commit_flags = flags;
	if (err == DP_OK)
		err = dp_seg_iova_setup(seg, flags, NULL);
	if (err == DP_OK)
		err = dp_seg_register(seg);
	if (err != DP_OK) {
		munmap((void *)raw, span);
		dp_seg_obj_retire(seg);
		return err;
	}
	*out = seg;
	return DP_OK;
}

dp_err
dp_seg_commit(struct dp_seg *seg, uintptr_t upto)
{
	size_t target, done;
	dp_err err = DP_OK;

	dp_spin_lock(&seg->commit_lock);
	done = atomic_load_explicit(&seg->committed, memory_order_relaxed);
	target = DP_MIN(seg->len, (upto - seg->base + seg->page_size - 1) & ~(seg->page_size - 1));
	if (target > done) {
		err = back_pages(seg->name, (void *)(seg->base + done), target - done, seg->page_size,
				 seg->node, seg->commit_huge, seg->commit_flags, true);
		if (err == DP_OK && seg->page_iova != NULL)
			err = dp_seg_iova_fill(seg, done / seg->page_size,
					       (target - done) / seg->page_size);
		if (err == DP_OK)
			atomic_store_explicit(&seg->committed, target, memory_order_release);
		else /* give the range back to address space only */
			mmap((void *)(seg->base + done), target - done, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	}
	dp_spin_unlock(&seg->commit_lock);
	if (err == DP_ERR_NO_HUGEPAGES)
		DP_LOG(WARNING, "segment '%s': no hugepage left to grow past %zu MiB\n", seg->name,
		       done >> 20);
	return err;
}

dp_err
dp_seg_create_huge(const char *name, size_t len, int node, size_t padding, unsigned int flags,
		   struct dp_seg **out)
{
	size_t page = (flags & DP_SEG_F_HUGE_1G) ? (size_t)1 << 30 : (size_t)2 << 20, maplen;
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
	enum dp_seg_kind kind = DP_SEG_HUGE;
	struct dp_seg *seg;
	void *addr;
	dp_err err;

	if (name == NULL || out == NULL)
		return DP_ERR_NULL_PTR;
	if (name[0] == '\0' || strnlen(name, DP_NAME_MAX) == DP_NAME_MAX)
		return DP_ERR_INVALID_NAME;
	if (len == 0)
		return DP_ERR_INVALID_SIZE;
	if (!dp_is_pow2(padding))
		return DP_ERR_INVALID_ALIGN;
	if ((flags & ~HUGE_FLAGS) ||
	    ((flags & DP_SEG_F_NORMAL_PAGES) && (flags & (DP_SEG_F_STRICT_HUGE | DP_SEG_F_HUGE_1G))))
		return DP_ERR_INVALID_FLAGS;
	err = resolve_node(&node);
	if (err != DP_OK)
		return err;
	if (len > SIZE_MAX - page)
		return DP_ERR_OVERFLOW;

	if (flags & DP_SEG_F_ON_DEMAND)
		return create_on_demand(name, len, node, padding, flags, out);

	maplen = (len + page - 1) & ~(page - 1);
	addr = MAP_FAILED;
	if (!(flags & DP_SEG_F_NORMAL_PAGES))
		addr = mmap(NULL, maplen, PROT_READ | PROT_WRITE,
			    mflags | MAP_HUGETLB |
				    ((flags & DP_SEG_F_HUGE_1G) ? MAP_HUGE_1GB_ : MAP_HUGE_2MB_),
			    -1, 0);
	if (addr == MAP_FAILED) {
		if (flags & DP_SEG_F_STRICT_HUGE) {
			DP_LOG(ERR, "segment '%s': %zu MiB of %s hugepages not available (%s); "
			       "reserve more in /proc/sys/vm/nr_hugepages\n", name, maplen >> 20,
			       page == (size_t)1 << 30 ? "1 GiB" : "2 MiB", strerror(errno));
			return DP_ERR_NO_HUGEPAGES;
		}
		if (!(flags & DP_SEG_F_NORMAL_PAGES))
			DP_LOG(WARNING, "segment '%s': no %s hugepages for %zu MiB (%s); falling "
			       "back to normal pages (slower: TLB misses; reserve hugepages in "
			       "/proc/sys/vm/nr_hugepages)\n", name,
			       page == (size_t)1 << 30 ? "1 GiB" : "2 MiB", maplen >> 20,
			       strerror(errno));
		kind = DP_SEG_ANON;
		page = (size_t)sysconf(_SC_PAGESIZE);
		maplen = (len + page - 1) & ~(page - 1);
		addr = mmap(NULL, maplen, PROT_READ | PROT_WRITE, mflags, -1, 0);
		if (addr == MAP_FAILED)
			return DP_ERR_SYSTEM;
	}
	if (bind_to_node(addr, maplen, node) != 0)
		DP_LOG(WARNING, "segment '%s': cannot bind to node %d (%s)\n", name, node,
		       strerror(errno));
	for (size_t off = 0; off < maplen; off += page)
		((volatile char *)addr)[off] = 0; /* fault in, on the bound node */
	if (mlock(addr, maplen) != 0 && kind == DP_SEG_ANON)
		DP_LOG(WARNING, "segment '%s': cannot lock %zu KiB (%s): pages may move\n", name,
		       maplen >> 10, strerror(errno));

	seg = dp_seg_obj_new();
	if (seg == NULL) {
		munmap(addr, maplen);
		return DP_ERR_NO_MEMORY;
	}
	err = dp_seg_setup(seg, name, (uintptr_t)addr, maplen, padding);
	seg->kind = kind;
	seg->page_size = page;
	seg->node = node_of(addr);
	seg->map_base = (uintptr_t)addr;
	seg->map_len = maplen;
	if (err == DP_OK)
		err = dp_seg_iova_setup(seg, flags, NULL);
	if (err == DP_OK)
		err = dp_seg_register(seg);
	if (err != DP_OK) {
		munmap(addr, maplen);
		dp_seg_obj_retire(seg);
		return err;
	}
	*out = seg;
	return DP_OK;
}

void
dp_seg_release_huge(struct dp_seg *seg)
{
	if (seg->map_len != 0)
		munmap((void *)seg->map_base, seg->map_len);
}
