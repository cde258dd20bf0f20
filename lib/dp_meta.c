/* SPDX-License-Identifier: Apache-2.0 */
#include "dp_meta.h"

#include <stdlib.h>

#include <rte_malloc.h>

void *
dp_meta_alloc(bool shared, size_t size, size_t align)
{
	if (shared)
		return rte_malloc("dynpool", size, (unsigned int)align);
	if (align <= sizeof(void *) * 2)
		return malloc(size);
	/* aligned_alloc() wants a multiple of the alignment */
	return aligned_alloc(align, (size + align - 1) & ~(align - 1));
}

void *
dp_meta_calloc(bool shared, size_t size)
{
	return shared ? rte_zmalloc("dynpool", size, 0) : calloc(1, size);
}

void *
dp_meta_realloc(bool shared, void *ptr, size_t size)
{
	return shared ? rte_realloc(ptr, size, 0) : realloc(ptr, size);
}

void
dp_meta_free(bool shared, void *ptr)
{
	if (shared)
		rte_free(ptr);
	else
		free(ptr);
}
