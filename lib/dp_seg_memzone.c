/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Segments on DPDK memzones, shared between the processes of one DPDK
 * application.
 *
 * Two memzones: `name` holds the region (IOVA-contiguous when DPDK can
 * find such memory, so its IOVA is mz->iova + offset), and "dpseg:name"
 * holds the segment's own state followed by its page IOVA table, so that
 * a secondary process finds the same bump pointer by name and carves from
 * the same region. DPDK maps shared memory at the same address in every
 * process, so the state may keep plain pointers into it. Memzone segments
 * are not in the per-process overlap registry: memzones cannot overlap.
 */
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "dp_log.h"
#include "dp_seg_impl.h"
#include "dp_util.h"

#define META_PREFIX "dpseg:"
#define NAME_MAX_MZ (RTE_MEMZONE_NAMESIZE - sizeof(META_PREFIX)) /* 25 */

static dp_err
check_name(const char *name)
{
	size_t n = strnlen(name, DP_NAME_MAX);

	return n == 0 || n > NAME_MAX_MZ - 2 || n == DP_NAME_MAX ? DP_ERR_INVALID_NAME : DP_OK;
}

static bool
socket_exists(int socket)
{
	if (socket == SOCKET_ID_ANY)
		return true;
	for (unsigned int i = 0; i < rte_socket_count(); i++)
		if (rte_socket_id_by_idx(i) == socket)
			return true;
	return false;
}

dp_err
dp_seg_create_memzone(const char *name, size_t len, int socket, size_t padding,
		      struct dp_seg **out)
{
	char meta_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz, *meta;
	struct dp_seg *seg;
	size_t npages;
	dp_err err;

	if (name == NULL || out == NULL)
		return DP_ERR_NULL_PTR;
	if ((err = check_name(name)) != DP_OK)
		return err;
	if (len == 0)
		return DP_ERR_INVALID_SIZE;
	if (!dp_is_pow2(padding))
		return DP_ERR_INVALID_ALIGN;
	if (!dp_eal_is_up())
		return DP_ERR_NO_EAL;
	if (!socket_exists(socket))
		return DP_ERR_INVALID_NODE;
	snprintf(meta_name, sizeof(meta_name), META_PREFIX "%s", name);
	if (rte_memzone_lookup(name) != NULL || rte_memzone_lookup(meta_name) != NULL)
		return DP_ERR_SEG_EXISTS;

	mz = rte_memzone_reserve_aligned(name, len, socket, RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (mz == NULL) /* no contiguous run that large: take pages */
		mz = rte_memzone_reserve_aligned(name, len, socket, 0, 4096);
	if (mz == NULL) {
		DP_LOG(ERR, "segment '%s': memzone of %zu bytes on socket %d: %s\n", name, len,
		       socket, rte_strerror(rte_errno));
		return DP_ERR_SYSTEM;
	}
	npages = (mz->len + 2 * mz->hugepage_sz - 1) / mz->hugepage_sz;
	meta = rte_memzone_reserve(meta_name, sizeof(*seg) + npages * sizeof(uint64_t),
				   mz->socket_id, 0);
	if (meta == NULL) {
		DP_LOG(ERR, "segment '%s': state memzone: %s\n", name, rte_strerror(rte_errno));
		rte_memzone_free(mz);
		return DP_ERR_SYSTEM;
	}
	seg = meta->addr;
	memset(seg, 0, sizeof(*seg));
	err = dp_seg_setup(seg, name, (uintptr_t)mz->addr, mz->len, padding);
	if (err == DP_OK) {
		seg->kind = DP_SEG_MEMZONE;
		seg->node = mz->socket_id;
		seg->page_size = mz->hugepage_sz;
		seg->mz = mz;
		seg->meta_mz = meta;
		err = dp_seg_iova_setup(seg, 0, (uint64_t *)(seg + 1));
		/* DPDK knows the IOVA of its own memory in any mode. */
		if (err == DP_OK && seg->iova_mode == DP_IOVA_VA && rte_eal_iova_mode() == RTE_IOVA_PA) {
			seg->iova_contig = (mz->flags & RTE_MEMZONE_IOVA_CONTIG) != 0;
			seg->iova_base = mz->iova;
		}
	}
	if (err != DP_OK) {
		rte_memzone_free(meta);
		rte_memzone_free(mz);
		return err;
	}
	seg->magic = DP_SEG_MAGIC;
	*out = seg;
	return DP_OK;
}

dp_err
dp_seg_lookup_memzone(const char *name, struct dp_seg **out)
{
	char meta_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *meta;
	struct dp_seg *seg;

	if (name == NULL || out == NULL)
		return DP_ERR_NULL_PTR;
	if (!dp_eal_is_up())
		return DP_ERR_NO_EAL;
	if (check_name(name) != DP_OK)
		return DP_ERR_NOT_FOUND;
	snprintf(meta_name, sizeof(meta_name), META_PREFIX "%s", name);
	meta = rte_memzone_lookup(meta_name);
	if (meta == NULL)
		return DP_ERR_NOT_FOUND;
	seg = meta->addr;
	if (!dp_seg_valid(seg))
		return DP_ERR_NOT_FOUND;
	*out = seg;
	return DP_OK;
}

dp_err
dp_seg_release_memzone(struct dp_seg *seg)
{
	const struct rte_memzone *mz = seg->mz, *meta = seg->meta_mz;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return DP_ERR_SEG_BUSY; /* the primary owns shared memory */
	seg->magic = 0;
	rte_memzone_free(mz);
	rte_memzone_free(meta); /* seg lives here: last */
	return DP_OK;
}
