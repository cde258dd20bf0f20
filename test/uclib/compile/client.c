/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A uC/LIB client as Micrium code is written (C89 style, everything from
 * lib_mem.h), for test/uclib/compile-modes.sh: it must build warning-free
 * in standalone mode as gnu89, c99 and c11, link with libdynpool and run.
 * Each item is one that uC-Common's kal.c or uC-TCP-IP/uC-USBH use.
 */
#include <lib_mem.h>

#if (LIB_VERSION < 13800u)
#error "KAL requires LIB_VERSION 1.38.00 or higher"
#endif
#if (CPU_CFG_ADDR_SIZE != CPU_WORD_SIZE_64) && (CPU_CFG_ADDR_SIZE != CPU_WORD_SIZE_32)
#error "CPU_CFG_ADDR_SIZE"
#endif

static MEM_DYN_POOL Pool;
static MEM_POOL StaticPool;

static CPU_BOOLEAN
pool_full(void)
{
	return (Pool.BlkAllocCnt == Pool.BlkQtyMax) ? DEF_YES : DEF_NO;
}

static void *
get_blk(LIB_ERR *p_err)
{
	if (p_err == DEF_NULL) {
		CPU_SW_EXCEPTION(DEF_NULL);
	}
	return Mem_DynPoolBlkGet(&Pool, p_err);
}

int
main(void)
{
	CPU_INT08U buf[8];
	CPU_INT32U opt = DEF_BIT_NONE;
	CPU_INT32U max = DEF_INT_32U_MAX_VAL;
	CPU_INT08U *p_blk;
	CPU_INT08U *p_first;
	LIB_ERR err;
	CPU_SR_ALLOC();

	Mem_Init();
	Mem_DynPoolCreate("client", &Pool, DEF_NULL, sizeof(buf), sizeof(CPU_ALIGN), 1u, 1u, &err);
	if (err != LIB_MEM_ERR_NONE) {
		return (1);
	}
	p_blk = (CPU_INT08U *)get_blk(&err);
	if ((p_blk == DEF_NULL) || (pool_full() != DEF_YES)) {
		return (2);
	}
	Mem_Clr(buf, sizeof(buf));
	MEM_VAL_SET_INT16U_LITTLE(&buf[1], 0x1234u);
	Mem_Copy(p_blk, buf, sizeof(buf));
	if ((MEM_VAL_GET_INT16U_LITTLE(&p_blk[1]) != 0x1234u) || (Mem_Cmp(p_blk, buf, sizeof(buf)) != DEF_YES)) {
		return (3);
	}
	DEF_BIT_SET(opt, DEF_BIT_00);
	if ((DEF_BIT_IS_SET(opt, DEF_BIT_00) != DEF_YES) || (max != 0xFFFFFFFFu) ||
	    (DEF_OCTET_NBR_BITS != 8u)) {
		return (4);
	}
	CPU_CRITICAL_ENTER();
	Mem_DynPoolBlkFree(&Pool, p_blk, &err);
	CPU_CRITICAL_EXIT();
	if (err != LIB_MEM_ERR_NONE) {
		return (5);
	}
	Mem_PoolClr(&StaticPool, &err);
	Mem_PoolCreate(&StaticPool, DEF_NULL, 0u, 2u, 30u, 32u, DEF_NULL, &err);
	if (err != LIB_MEM_ERR_NONE) {
		return (6);
	}
	p_first = (CPU_INT08U *)StaticPool.PoolAddrStart;
	p_blk = (CPU_INT08U *)Mem_PoolBlkGet(&StaticPool, StaticPool.BlkSize, &err);
	if (p_blk != p_first + StaticPool.BlkSize) {
		return (7);
	}
	return (0);
}
