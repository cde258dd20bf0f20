/* SPDX-License-Identifier: Apache-2.0 */
/* Internal view of a segment, shared with the pool code and the backends. */
#ifndef DP_SEG_IMPL_H
#define DP_SEG_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "dp_seg.h"
#include "dp_spinlock.h"

#define DP_SEG_MAGIC 0x64707365676d6e74ull /* "dpsegmnt" */

/*
 * Invariants:
 *  - base + len does not wrap; 0 <= used <= len at all times.
 *  - used only grows, except in dp_seg_reset(), which requires pools == 0
 *    under attach_lock so no pool can be carving at that moment.
 *  - iova_contig: IOVA(base + off) = iova_base + off for the whole region;
 *    otherwise page_iova[i] is the IOVA of page i (pages counted from the
 *    page-aligned address at or below base).
 * A memzone segment lives in DPDK shared memory, so everything here that
 * it uses is plain data (no pointers into one process's heap).
 */
struct dp_seg {
	uint64_t magic;
	uintptr_t base;
	size_t len;
	size_t padding;
	_Atomic size_t used;       /* bump offset from base */
	dp_spinlock_t attach_lock; /* orders pool attach/detach against reset/destroy */
	size_t pools;              /* under attach_lock */
	struct dp_seg *reg_next;   /* registry list, under the registry lock */
	char name[DP_NAME_MAX];

	enum dp_seg_kind kind;
	int node;
	size_t page_size;
	enum dp_iova_mode iova_mode;
	bool iova_contig;
	uint64_t iova_base;
	uint64_t *page_iova;       /* NULL when iova_contig */
	size_t npages;
	bool pinned;               /* CALLER in PA mode: pages faulted in and locked */
	bool caller_locked;        /* pinned, and locked by the caller before: keep */
	uintptr_t map_base;        /* what dynpool mapped, to unmap (HUGE, ANON) */
	size_t map_len;
	/* DP_SEG_F_ON_DEMAND: [base, base + committed) is backed; commits
	 * are serialised by commit_lock and only ever grow. */
	bool on_demand;
	bool commit_huge;          /* back with hugepages (else normal pages) */
	unsigned int commit_flags; /* creation flags, for the page mapping */
	_Atomic size_t committed;
	dp_spinlock_t commit_lock;
	const void *mz, *meta_mz;  /* struct rte_memzone * (MEMZONE) */
};

/* One reservation: where it starts and how many items of the stride it holds. */
struct dp_seg_carve {
	uintptr_t start;
	size_t count;
};

/*
 * Reserve between min_n and max_n consecutive items of `stride` bytes, the
 * first aligned to `align`, the bump pointer then moving to the end rounded
 * up to `pad`. With `page` non-zero no item may cross a multiple of `page`
 * (the reservation stays within one page; call again for more). Takes as
 * many as fit, up to max_n. Atomic with respect to all other reservations.
 * On DP_ERR_SEG_OVERFLOW nothing moves and *missing (if not NULL) is the
 * shortfall for min_n items.
 */
dp_err dp_seg_reserve(struct dp_seg *seg, size_t align, size_t stride, size_t pad,
		      size_t page, size_t min_n, size_t max_n, struct dp_seg_carve *out,
		      size_t *missing);

/* How many items of `stride` aligned to `align` still fit (none crossing a
 * multiple of `page` when it is non-zero). */
size_t dp_seg_fit_count(const struct dp_seg *seg, size_t align, size_t stride, size_t page);

bool dp_seg_valid(const struct dp_seg *seg);
dp_err dp_seg_attach(struct dp_seg *seg);
void dp_seg_detach(struct dp_seg *seg);

/* Backends. */
/* A zeroed segment object; a failed or destroyed one goes back with
 * dp_seg_obj_retire() (which frees its page table), never to free(). */
struct dp_seg *dp_seg_obj_new(void);
void dp_seg_obj_retire(struct dp_seg *seg);
dp_err dp_seg_setup(struct dp_seg *seg, const char *name, uintptr_t base, size_t len,
		    size_t padding);
dp_err dp_seg_register(struct dp_seg *seg);
void dp_seg_unregister(struct dp_seg *seg);
bool dp_eal_is_up(void);
/* Decide the IOVA mode and fill iova_* / page_iova (table from `table`
 * storage when not NULL, else the heap). */
dp_err dp_seg_iova_setup(struct dp_seg *seg, unsigned int flags, uint64_t *table);
void dp_seg_release_huge(struct dp_seg *seg);
/* Back [base, upto) with memory (on-demand segments). */
dp_err dp_seg_commit(struct dp_seg *seg, uintptr_t upto);
/* Fill page_iova[first .. first + n) from pagemap (PA mode). */
dp_err dp_seg_iova_fill(struct dp_seg *seg, size_t first, size_t n);
/* Caller memory in PA mode: fault the pages in writable and lock them
 * before their physical addresses are read (sets pinned), and unlock them
 * again, except pages another pinned segment shares. Both under
 * dp_seg_pin_lock. */
dp_err dp_seg_iova_pin(struct dp_seg *seg);
void dp_seg_iova_unpin(struct dp_seg *seg);
extern pthread_mutex_t dp_seg_pin_lock;
/* Whether a live pinned segment other than self has a page in [lo, hi). */
bool dp_seg_pinned_elsewhere(const struct dp_seg *self, uintptr_t lo, uintptr_t hi);
dp_err dp_seg_release_memzone(struct dp_seg *seg);

/* IOVA of an address known to be inside seg. */
static inline uint64_t
dp_seg_iova_of(const struct dp_seg *seg, uintptr_t addr)
{
	uintptr_t first_page;

	if (seg->iova_contig)
		return seg->iova_base + (addr - seg->base);
	first_page = seg->base & ~(uintptr_t)(seg->page_size - 1);
	return seg->page_iova[(addr - first_page) / seg->page_size] +
	       (addr & (seg->page_size - 1));
}

#endif /* DP_SEG_IMPL_H */
