/* SPDX-License-Identifier: Apache-2.0 */
/* uC/LIB buffer functions: Mem_Clr, Mem_Set, Mem_Copy, Mem_Move, Mem_Cmp. */
#include <string.h>

#include "lib_mem.h"

void
Mem_Clr(void *pmem, CPU_SIZE_T size)
{
	Mem_Set(pmem, 0u, size);
}

void
Mem_Set(void *pmem, CPU_INT08U data_val, CPU_SIZE_T size)
{
	if (pmem == NULL || size == 0u)
		return;
	memset(pmem, data_val, size);
}

void
Mem_Copy(void *pdest, const void *psrc, CPU_SIZE_T size)
{
	/* memmove: an overlapping Mem_Copy() in client code stays defined. */
	Mem_Move(pdest, psrc, size);
}

void
Mem_Move(void *pdest, const void *psrc, CPU_SIZE_T size)
{
	if (pdest == NULL || psrc == NULL || size == 0u)
		return;
	memmove(pdest, psrc, size);
}

CPU_BOOLEAN
Mem_Cmp(const void *p1_mem, const void *p2_mem, CPU_SIZE_T size)
{
	if (size == 0u)
		return DEF_YES; /* two empty buffers are equal */
	if (p1_mem == NULL || p2_mem == NULL)
		return DEF_NO;
	return memcmp(p1_mem, p2_mem, size) == 0 ? DEF_YES : DEF_NO;
}
