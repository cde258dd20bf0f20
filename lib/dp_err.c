/* SPDX-License-Identifier: Apache-2.0 */
#include "dp_err.h"

#include <stddef.h>

struct err_desc {
	const char *name;
	const char *text;
};

/* Indexed by code: adding a code without a description fails to compile
 * the static assertion below rather than printing garbage. */
static const struct err_desc descs[] = {
	[DP_OK] = { "DP_OK", "success" },
	[DP_ERR_NULL_PTR] = { "DP_ERR_NULL_PTR", "required pointer argument is NULL" },
	[DP_ERR_INVALID_SIZE] = { "DP_ERR_INVALID_SIZE", "size, length or count is zero" },
	[DP_ERR_INVALID_ALIGN] = { "DP_ERR_INVALID_ALIGN", "alignment is not a power of two" },
	[DP_ERR_INVALID_NAME] = { "DP_ERR_INVALID_NAME", "name is empty or too long" },
	[DP_ERR_INVALID_COUNT] = { "DP_ERR_INVALID_COUNT", "initial block count exceeds the maximum, or a count exceeds DP_POOL_MAX_BLOCKS" },
	[DP_ERR_INVALID_FLAGS] = { "DP_ERR_INVALID_FLAGS", "unknown or conflicting flags" },
	[DP_ERR_OVERFLOW] = { "DP_ERR_OVERFLOW", "size computation overflows" },
	[DP_ERR_SEG_RANGE] = { "DP_ERR_SEG_RANGE", "segment range wraps the address space" },
	[DP_ERR_SEG_OVERLAP] = { "DP_ERR_SEG_OVERLAP", "segment overlaps an existing segment" },
	[DP_ERR_SEG_EXISTS] = { "DP_ERR_SEG_EXISTS", "segment with this range already exists" },
	[DP_ERR_SEG_BUSY] = { "DP_ERR_SEG_BUSY", "segment still has pools" },
	[DP_ERR_SEG_OVERFLOW] = { "DP_ERR_SEG_OVERFLOW", "not enough free space in the segment" },
	[DP_ERR_POOL_EMPTY] = { "DP_ERR_POOL_EMPTY", "pool is empty (maximum reached)" },
	[DP_ERR_POOL_FULL] = { "DP_ERR_POOL_FULL", "pool is full (nothing handed out)" },
	[DP_ERR_NOT_IN_POOL] = { "DP_ERR_NOT_IN_POOL", "pointer is not in any block of the pool" },
	[DP_ERR_NOT_BLOCK_START] = { "DP_ERR_NOT_BLOCK_START", "pointer is not at the start of a block" },
	[DP_ERR_DOUBLE_FREE] = { "DP_ERR_DOUBLE_FREE", "block is already free" },
	[DP_ERR_NO_MEMORY] = { "DP_ERR_NO_MEMORY", "out of memory for pool metadata" },
	[DP_ERR_INVALID_POOL] = { "DP_ERR_INVALID_POOL", "not a live pool" },
	[DP_ERR_INVALID_SEG] = { "DP_ERR_INVALID_SEG", "not a live segment" },
	[DP_ERR_CORRUPT] = { "DP_ERR_CORRUPT", "pool invariants violated" },
	[DP_ERR_INVALID_CACHE] = { "DP_ERR_INVALID_CACHE", "cache does not belong to this pool" },
	[DP_ERR_INVALID_LCORE] = { "DP_ERR_INVALID_LCORE", "no cache for this lcore" },
	[DP_ERR_NO_HUGEPAGES] = { "DP_ERR_NO_HUGEPAGES", "no hugepages available" },
	[DP_ERR_INVALID_NODE] = { "DP_ERR_INVALID_NODE", "no such NUMA node" },
	[DP_ERR_NO_EAL] = { "DP_ERR_NO_EAL", "DPDK EAL is not initialised" },
	[DP_ERR_NOT_FOUND] = { "DP_ERR_NOT_FOUND", "no object with that name" },
	[DP_ERR_OUT_OF_RANGE] = { "DP_ERR_OUT_OF_RANGE", "address outside the segment" },
	[DP_ERR_SYSTEM] = { "DP_ERR_SYSTEM", "the system refused the request" },
	[DP_ERR_SECONDARY] = { "DP_ERR_SECONDARY", "only the primary process may do this" },
	[DP_ERR_EXISTS] = { "DP_ERR_EXISTS", "a shared pool of that name exists" },
};

_Static_assert(sizeof(descs) / sizeof(descs[0]) == DP_ERR__COUNT,
	       "every dp_err needs a description");

static const struct err_desc *
lookup(dp_err e)
{
	if ((unsigned)e >= DP_ERR__COUNT)
		return NULL;
	return &descs[e];
}

const char *
dp_strerror(dp_err e)
{
	const struct err_desc *d = lookup(e);
	return d ? d->text : "unknown error";
}

const char *
dp_errname(dp_err e)
{
	const struct err_desc *d = lookup(e);
	return d ? d->name : "DP_ERR_UNKNOWN";
}
