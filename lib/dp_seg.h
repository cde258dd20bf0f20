/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_seg.h
 * Memory segments: bump allocators over a region of memory.
 *
 * A segment hands out memory from a contiguous region by moving a "next"
 * offset forward; nothing is ever freed individually (dp_seg_reset() starts
 * over). Pools carve their blocks from a segment, and callers may allocate
 * from the same segment directly. Every block of a segment starts at an
 * address aligned to the requested alignment (absolute address, not offset
 * from the base). A HW allocation is additionally aligned to the segment's
 * *padding* and its end is rounded up to the padding, so that no two HW
 * allocations share a padding unit (a cache line or DMA burst).
 *
 * Thread safety: dp_seg_alloc(), dp_seg_alloc_hw(), dp_seg_remaining() and
 * dp_seg_info() may be called from any number of threads at once (the bump
 * pointer moves with a compare-and-swap). dp_seg_create() and
 * dp_seg_destroy() are serialised through a process-wide registry that also
 * rejects overlapping segments.
 *
 * Segment metadata (this object) lives outside the region: every byte of
 * the region is available to allocations.
 */
#ifndef DP_SEG_H
#define DP_SEG_H

#include <stddef.h>
#include <stdint.h>

#include "dp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque segment handle. */
struct dp_seg;

/** Padding alignment meaning "no padding". */
#define DP_SEG_PADDING_NONE 1u

/** Where a segment's memory comes from. */
enum dp_seg_kind {
	DP_SEG_CALLER = 0,  /**< Caller-provided memory (dp_seg_create()). */
	DP_SEG_HUGE = 1,    /**< Hugepages mapped by dynpool (dp_seg_create_huge()). */
	DP_SEG_ANON = 2,    /**< Normal pages: dp_seg_create_huge()'s fallback. */
	DP_SEG_MEMZONE = 3, /**< A DPDK memzone (dp_seg_create_memzone()). */
};

/** How a segment's addresses translate to IOVAs (what a device sees). */
enum dp_iova_mode {
	DP_IOVA_VA = 0, /**< IOVA = virtual address (IOMMU, or no device). */
	DP_IOVA_PA = 1, /**< IOVA = physical address, page by page. */
};

/** Snapshot of a segment's state, filled by dp_seg_info(). */
struct dp_seg_info {
	char name[DP_NAME_MAX]; /**< Name given at creation. */
	void *base;             /**< First byte of the region. */
	size_t len;             /**< Length of the region in bytes. */
	size_t padding;         /**< Padding alignment (1 = none). */
	size_t used;            /**< Bytes from @c base to the bump pointer. */
	size_t pools;           /**< Pools currently carving from this segment. */
	enum dp_seg_kind kind;  /**< Backing memory. */
	size_t page_size;       /**< Size of the pages backing the region. */
	int node;               /**< NUMA node of the memory, -1 if unknown. */
	enum dp_iova_mode iova_mode; /**< How dp_seg_iova() translates. */
	int iova_contig;        /**< Non-zero if the whole region is one IOVA run:
				 *   then HW blocks may straddle pages. */
	size_t committed;       /**< Bytes backed by memory (all of @c len except
				 *   for ::DP_SEG_F_ON_DEMAND segments). */
};

/**
 * Create a segment over caller-provided memory.
 *
 * IOVAs: virtual addresses, unless EAL runs in PA mode (no IOMMU, or
 * --iova-mode=pa; as root). Then every page of the region (rounded out to
 * whole pages) is first faulted in as if written and locked (mlock), so a
 * page never written before (untouched, or only read and so mapping the
 * kernel's shared zero page) gets the physical address it keeps, and its
 * physical address is read from /proc/self/pagemap; dp_seg_destroy()
 * unlocks the pages again, except those another live segment shares, and
 * except a region the caller had locked whole itself before (mlock(),
 * mlockall(): locks do not nest; one it locked only in part is unlocked
 * whole). Locking keeps a normal page present, not in place: the kernel
 * may still migrate it (memory compaction, with
 * vm.compact_unevictable_allowed = 1, the default), so memory a device
 * without an IOMMU will use belongs on
 * hugepages (DPDK's own memory, dp_seg_create_huge(),
 * dp_seg_create_memzone()). Test: test/test_dp_seg_pa.c.
 *
 * @param name     1 to DP_NAME_MAX-1 characters, copied.
 * @param base     First byte of the region; the caller keeps it valid for
 *                 the segment's lifetime. Any alignment. In PA mode it must
 *                 be writable.
 * @param len      Length in bytes, > 0; base + len must not wrap.
 * @param padding  1 (::DP_SEG_PADDING_NONE) or a power of two: alignment and
 *                 size granule of HW allocations and HW pool blocks.
 * @param[out] out The new segment.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (name, base or out), ::DP_ERR_INVALID_NAME,
 *         ::DP_ERR_INVALID_SIZE (len 0), ::DP_ERR_SEG_RANGE (wraps),
 *         ::DP_ERR_INVALID_ALIGN (padding 0 or not a power of two),
 *         ::DP_ERR_SEG_EXISTS (same range as a live segment),
 *         ::DP_ERR_SEG_OVERLAP (intersects a live segment), ::DP_ERR_NO_MEMORY,
 *         ::DP_ERR_SYSTEM (PA mode only: the region is not writable, its
 *         pages cannot be locked (RLIMIT_MEMLOCK without CAP_IPC_LOCK), or
 *         their physical addresses cannot be read (not root); see the log).
 *         On error nothing is registered and no page stays locked.
 */
DP_NODISCARD dp_err dp_seg_create(const char *name, void *base, size_t len,
				  size_t padding, struct dp_seg **out);

/**
 * Destroy a segment object. The region itself belongs to the caller and is
 * not touched. A stale handle then reads ::DP_ERR_INVALID_SEG, as for pools
 * (see dp_pool_destroy()), except for memzone segments, whose state lives
 * in the memzone that destroy frees.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_SEG,
 *         ::DP_ERR_SEG_BUSY (pools still carve from it; nothing changes).
 */
DP_NODISCARD dp_err dp_seg_destroy(struct dp_seg *seg);

/**
 * Allocate @p size bytes aligned to @p align, without padding: the bump
 * pointer moves to the end of the block.
 *
 * @param[out] out     The block (unchanged on error).
 * @param[out] missing Optional (may be NULL): on ::DP_ERR_SEG_OVERFLOW, how
 *                     many more bytes the segment would have needed.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR (seg or out), ::DP_ERR_INVALID_SEG,
 *         ::DP_ERR_INVALID_SIZE (size 0), ::DP_ERR_INVALID_ALIGN,
 *         ::DP_ERR_SEG_OVERFLOW (segment unchanged), ::DP_ERR_NO_HUGEPAGES
 *         (::DP_SEG_F_ON_DEMAND segment: no page to back the block).
 */
DP_NODISCARD dp_err dp_seg_alloc(struct dp_seg *seg, size_t size, size_t align,
				 void **out, size_t *missing);

/**
 * Like dp_seg_alloc(), but the block is aligned to max(align, padding) and
 * the bump pointer moves to the block's end rounded up to the padding, so
 * the block owns whole padding units (DMA-safe).
 */
DP_NODISCARD dp_err dp_seg_alloc_hw(struct dp_seg *seg, size_t size, size_t align,
				    void **out, size_t *missing);

/**
 * Allocate @p size bytes that a device can reach as one IOVA run: aligned
 * to max(align, padding), padded, and, on a segment that is not one IOVA
 * run, within a single page (skipping to the next page when needed).
 * @param[out] iova Optional: the block's IOVA.
 * @return as dp_seg_alloc_hw(); ::DP_ERR_INVALID_SIZE also when @p size
 *         exceeds the page size of a segment that is not one IOVA run.
 */
DP_NODISCARD dp_err dp_seg_alloc_contig(struct dp_seg *seg, size_t size, size_t align,
					void **out, uint64_t *iova);

/**
 * Bytes left between the next address aligned to @p align and the end of
 * the segment (0 when that address is past the end).
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_SEG, ::DP_ERR_INVALID_ALIGN.
 */
DP_NODISCARD dp_err dp_seg_remaining(const struct dp_seg *seg, size_t align,
				     size_t *out);

/**
 * Fill @p out with the segment's name, range and usage.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_SEG.
 */
DP_NODISCARD dp_err dp_seg_info(const struct dp_seg *seg, struct dp_seg_info *out);

/**
 * Move the bump pointer back to the base: every earlier allocation is
 * forgotten. Refused while pools carve from the segment, since their blocks
 * would be handed out twice.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_SEG, ::DP_ERR_SEG_BUSY.
 */
DP_NODISCARD dp_err dp_seg_reset(struct dp_seg *seg);

/** dp_seg_create_huge(): fail with ::DP_ERR_NO_HUGEPAGES rather than fall
 *  back to normal pages. */
#define DP_SEG_F_STRICT_HUGE (1u << 0)
/** dp_seg_create_huge(): 1 GiB pages instead of 2 MiB. */
#define DP_SEG_F_HUGE_1G (1u << 1)
/** Translate IOVAs as physical addresses (needs root), even without EAL
 *  or when EAL runs in VA mode: for devices without an IOMMU. */
#define DP_SEG_F_IOVA_PA (1u << 2)
/** dp_seg_create_huge(): normal pages on purpose (no hugepage attempt,
 *  no warning): small or short-lived segments, tests. */
#define DP_SEG_F_NORMAL_PAGES (1u << 3)
/** dp_seg_create_huge(): reserve only address space, and back it with
 *  pages as allocations reach them (pages are then bound, faulted in and
 *  locked before the allocation returns). Memory grows with use; an
 *  allocation that finds no hugepage to back it fails with
 *  ::DP_ERR_NO_HUGEPAGES, never with a fault. For elastic pools. */
#define DP_SEG_F_ON_DEMAND (1u << 4)

/**
 * Create a segment of @p len bytes of hugepages on NUMA node @p node.
 *
 * The memory is mapped with MAP_HUGETLB, bound to the node (libnuma) before
 * it is touched, pre-faulted and locked, so the data path never faults.
 * When no hugepages can be had, the segment falls back to normal pages
 * (::DP_SEG_ANON, with a warning in the log) unless
 * ::DP_SEG_F_STRICT_HUGE is given. @p len is rounded up to the page size.
 * The segment owns the memory: dp_seg_destroy() unmaps it.
 *
 * IOVAs: physical addresses (from /proc/self/pagemap, root only) when EAL
 * runs in PA mode or ::DP_SEG_F_IOVA_PA is given, virtual addresses
 * otherwise. DPDK does not know this memory: a device behind vfio needs it
 * registered (rte_extmem_register(), rte_dev_dma_map()) before DMA.
 *
 * @param node NUMA node, or -1 for the calling thread's node.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_NAME,
 *         ::DP_ERR_INVALID_SIZE, ::DP_ERR_OVERFLOW (@p len rounded up to
 *         the page size wraps), ::DP_ERR_INVALID_ALIGN (padding),
 *         ::DP_ERR_INVALID_FLAGS, ::DP_ERR_INVALID_NODE (no such node),
 *         ::DP_ERR_NO_HUGEPAGES (strict), ::DP_ERR_SYSTEM (mapping failed;
 *         PA asked without root), ::DP_ERR_NO_MEMORY.
 */
DP_NODISCARD dp_err dp_seg_create_huge(const char *name, size_t len, int node, size_t padding,
				       unsigned int flags, struct dp_seg **out);

/**
 * Create a segment on a DPDK memzone named @p name, reserved on @p socket
 * (SOCKET_ID_ANY = -1 for any), IOVA-contiguous when DPDK can provide it.
 * The segment's state lives in DPDK shared memory too, so secondary
 * processes find it with dp_seg_lookup_memzone(). Needs rte_eal_init().
 * @param name 1 to 23 characters (the memzone names derive from it).
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_NAME,
 *         ::DP_ERR_INVALID_SIZE, ::DP_ERR_INVALID_ALIGN, ::DP_ERR_NO_EAL,
 *         ::DP_ERR_INVALID_NODE, ::DP_ERR_SEG_EXISTS (name taken),
 *         ::DP_ERR_SYSTEM (reservation failed: see the log).
 */
DP_NODISCARD dp_err dp_seg_create_memzone(const char *name, size_t len, int socket,
					  size_t padding, struct dp_seg **out);

/**
 * Find a memzone segment created by this or another process of the same
 * DPDK application.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_NO_EAL, ::DP_ERR_NOT_FOUND.
 */
DP_NODISCARD dp_err dp_seg_lookup_memzone(const char *name, struct dp_seg **out);

/**
 * IOVA of @p addr, an address inside the segment: what a device must be
 * given to reach that byte.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_SEG,
 *         ::DP_ERR_OUT_OF_RANGE.
 */
DP_NODISCARD dp_err dp_seg_iova(const struct dp_seg *seg, const void *addr, uint64_t *iova);

#ifdef __cplusplus
}
#endif

#endif /* DP_SEG_H */
