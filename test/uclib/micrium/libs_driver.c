/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode (b) check: the real uC-CPU core and the real lib_str, lib_ascii
 * and lib_math, compiled against the real cpu.h / lib_def.h with dynpool's
 * lib_mem.h, run in one program with dynpool's lib_mem: strings formatted
 * by lib_str into blocks of a Mem_DynPool and a Mem_Pool, compared with
 * Mem_Cmp, CPU_NameSet() (cpu_core.c calls Mem_Clr and Str_Copy_N), and
 * Math_Rand(). Prints "libs: ok" or the first failure. Used by
 * scripts/check-micrium.sh; not built in CI.
 */
#include <stdio.h>

#include <cpu_core.h>
#include <lib_ascii.h>
#include <lib_math.h>
#include <lib_mem.h>
#include <lib_str.h>

#define FAIL(...)                                     \
	do {                                          \
		fprintf(stderr, "libs: " __VA_ARGS__); \
		return 1;                             \
	} while (0)

int
main(void)
{
	MEM_DYN_POOL dyn;
	MEM_POOL spool;
	CPU_CHAR name[CPU_CFG_NAME_SIZE];
	CPU_CHAR *a, *b;
	CPU_ERR cpu_err;
	LIB_ERR err;
	RAND_NBR r1, r2;

	CPU_Init();
	Mem_Init();
	Math_Init();

	Mem_DynPoolCreate("strings", &dyn, DEF_NULL, 32u, sizeof(CPU_ALIGN), 2u, 4u, &err);
	if (err != LIB_MEM_ERR_NONE)
		FAIL("Mem_DynPoolCreate: %d\n", (int)err);
	Mem_PoolCreate(&spool, DEF_NULL, 4u * 32u, 4u, 32u, 32u, DEF_NULL, &err);
	if (err != LIB_MEM_ERR_NONE)
		FAIL("Mem_PoolCreate: %d\n", (int)err);
	a = (CPU_CHAR *)Mem_DynPoolBlkGet(&dyn, &err);
	b = (CPU_CHAR *)Mem_PoolBlkGet(&spool, 32u, &err);
	if (a == DEF_NULL || b == DEF_NULL)
		FAIL("block get: %d\n", (int)err);
	if (dyn.BlkAllocCnt != 1u || dyn.BlkQtyMax != 4u)
		FAIL("MEM_DYN_POOL fields: %lu of %lu\n", (unsigned long)dyn.BlkAllocCnt,
		     (unsigned long)dyn.BlkQtyMax);
	if ((CPU_INT08U *)b != (CPU_INT08U *)spool.PoolAddrStart + 3u * spool.BlkSize)
		FAIL("MEM_POOL: first block is not the last of the array\n");

	(void)Str_FmtNbr_Int32U(4294967295u, 10u, DEF_NBR_BASE_DEC, '\0', DEF_NO, DEF_YES, a);
	(void)Str_Copy_N(b, a, 32u);
	if (Str_Len(b) != 10u || Str_Cmp(a, "4294967295") != 0 || Mem_Cmp(a, b, 11u) != DEF_YES)
		FAIL("lib_str into lib_mem blocks: \"%s\" / \"%s\"\n", a, b);
	if (ASCII_IsDig(b[0]) != DEF_YES)
		FAIL("lib_ascii\n");

	CPU_NameSet("dynpool-host", &cpu_err);
	CPU_NameGet(name, &cpu_err);
	if (cpu_err != CPU_ERR_NONE || Str_Cmp(name, "dynpool-host") != 0)
		FAIL("CPU_NameSet/Get: %d \"%s\"\n", (int)cpu_err, name);

	Math_RandSetSeed(7u);
	r1 = Math_Rand();
	Math_RandSetSeed(7u);
	r2 = Math_Rand();
	if (r1 != r2)
		FAIL("Math_Rand: %lu %lu\n", (unsigned long)r1, (unsigned long)r2);

	Mem_DynPoolBlkFree(&dyn, a, &err);
	if (err != LIB_MEM_ERR_NONE || dyn.BlkAllocCnt != 0u)
		FAIL("Mem_DynPoolBlkFree: %d\n", (int)err);
	Mem_PoolBlkFree(&spool, b, &err);
	if (err != LIB_MEM_ERR_NONE || Mem_PoolBlkGetNbrAvail(&spool, &err) != 4u)
		FAIL("Mem_PoolBlkFree: %d\n", (int)err);
	printf("libs: ok (real lib_str, lib_ascii, lib_math, cpu_core with dynpool lib_mem)\n");
	return 0;
}
