/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rest of lib_mem.h, called the way Micrium clients call it: buffer
 * functions (uC-HTTP, uC-TCP-IP), heap functions (uC-USBH's periodic list),
 * static pools read through PoolAddrStart/BlkSize (uC-USBH host drivers),
 * MEM_DYN_POOL's BlkAllocCnt/BlkQtyMax (uC-TCP-IP net_secure_emssl.c),
 * MEM_VAL_* (network headers), and the lib_def.h/cpu.h items of the
 * standalone mode (uC-Common KAL).
 */
#include <criterion/criterion.h>
#include <lib_mem.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <string.h>

#define assert_lib(err, want) \
	cr_assert_eq((err), (want), "LIB_ERR %d, want %d", (int)(err), (int)(want))

Test(lib_mem_api, buffers_clr_set_copy_move_cmp)
{
	CPU_INT08U a[64], b[64];

	memset(a, 0xAA, sizeof(a));
	Mem_Clr(a + 1, 10);
	cr_assert_eq(a[0], 0xAA);
	for (int i = 1; i <= 10; i++)
		cr_assert_eq(a[i], 0);
	cr_assert_eq(a[11], 0xAA);
	Mem_Set(a, 0x5C, 4);
	cr_assert_eq(a[3], 0x5C);
	cr_assert_eq(a[4], 0);
	Mem_Clr(NULL, 10); /* NULL or size 0: nothing, no crash */
	Mem_Set(a, 1, 0);
	cr_assert_eq(a[0], 0x5C);

	for (int i = 0; i < 64; i++)
		a[i] = (CPU_INT08U)i;
	Mem_Copy(b, a, sizeof(a));
	cr_assert_eq(Mem_Cmp(a, b, sizeof(a)), DEF_YES);
	b[63] ^= 1; /* uC/LIB compares from the end: the last byte counts */
	cr_assert_eq(Mem_Cmp(a, b, sizeof(a)), DEF_NO);
	cr_assert_eq(Mem_Cmp(a, b, 63), DEF_YES);
	cr_assert_eq(Mem_Cmp(a, NULL, 0), DEF_YES, "empty compare is equal");
	cr_assert_eq(Mem_Cmp(a, NULL, 1), DEF_NO);

	Mem_Move(a + 1, a, 10); /* overlapping, forward */
	for (int i = 1; i <= 10; i++)
		cr_assert_eq(a[i], i - 1);
	Mem_Copy(a, a + 1, 10); /* overlapping Mem_Copy stays defined here */
	for (int i = 0; i < 10; i++)
		cr_assert_eq(a[i], i);
	Mem_Copy(NULL, a, 4);
	Mem_Move(a, NULL, 4);
}

Test(lib_mem_api, heap_alloc_and_size_rem)
{
	CPU_SIZE_T reqd = 1, rem, rem2;
	LIB_ERR err;
	void *p;

	rem = Mem_HeapGetSizeRem(1, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(rem, LIB_MEM_CFG_HEAP_SIZE);
	/* uC-USBH EHCI: 512 x 4 bytes on a 4096-byte boundary. */
	p = Mem_HeapAlloc(512u * sizeof(CPU_INT32U), 4096u, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq((CPU_ADDR)p % 4096u, 0);
	cr_assert_eq(reqd, 1, "written only on overflow, as uC/LIB");
	rem2 = Mem_HeapGetSizeRem(1, &err);
	cr_assert_leq(rem2, rem - 2048);
	p = Mem_HeapAlloc(rem2 + 1, 1, &reqd, &err);
	cr_assert_null(p);
	assert_lib(err, LIB_MEM_ERR_HEAP_OVF);
	cr_assert_eq(reqd, 1, "one byte missing");
	cr_assert_eq(Mem_HeapGetSizeRem(1, &err), rem2, "failed allocation took nothing");
	(void)Mem_HeapAlloc(0, 4, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_SIZE);
	(void)Mem_HeapAlloc(4, 3, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	(void)Mem_HeapGetSizeRem(6, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	cr_assert_null(Mem_HeapAlloc(4, 4, NULL, NULL));
}

static alignas(64) CPU_INT08U Dma[4096];

Test(lib_mem_api, static_pool_as_usbh_host_drivers_use_it)
{
	MEM_POOL qh, td;
	CPU_SIZE_T reqd = 7;
	LIB_ERR err;
	CPU_INT08U *blk[4];

	/* Dedicated DMA memory, sized exactly: the pool starts at its base. */
	Mem_PoolCreate(&qh, Dma, 4 * 64, 4, 48, 32, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(qh.PoolAddrStart, (void *)Dma);
	cr_assert_eq(qh.BlkSize, 64, "48 rounded up to 32");
	cr_assert_eq(qh.BlkNbr, 4);
	cr_assert_eq(qh.PoolAddrEnd, (void *)&Dma[4 * 64 - 1]);
	cr_assert_null(qh.BlkFreeTbl);
	cr_assert_eq(Mem_PoolBlkGetNbrAvail(&qh, &err), 4);
	/* Blocks come out highest first, as from uC/LIB's free table, and each
	 * is PoolAddrStart + i * BlkSize: drivers index the DMA array so. */
	for (int i = 0; i < 4; i++) {
		blk[i] = Mem_PoolBlkGet(&qh, 48, &err);
		assert_lib(err, LIB_MEM_ERR_NONE);
		cr_assert_eq(blk[i], (CPU_INT08U *)qh.PoolAddrStart + (3 - i) * qh.BlkSize);
		cr_assert_eq(qh.BlkFreeTblIx, (CPU_SIZE_T)(3 - i));
	}
	cr_assert_null(Mem_PoolBlkGet(&qh, 1, &err));
	assert_lib(err, LIB_MEM_ERR_POOL_EMPTY);
	(void)Mem_PoolBlkGet(&qh, 65, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_SIZE);
	(void)Mem_PoolBlkGet(&qh, 0, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_SIZE);
	Mem_PoolBlkFree(&qh, blk[0] + 1, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR);
	Mem_PoolBlkFree(&qh, &Dma[1024], &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR);
	Mem_PoolBlkFree(&qh, blk[2], &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_PoolBlkFree(&qh, blk[2], &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL);
	cr_assert_eq(Mem_PoolBlkGet(&qh, 8, &err), blk[2], "LIFO");
	for (int i = 0; i < 4; i++)
		Mem_PoolBlkFree(&qh, blk[i], &err);
	Mem_PoolBlkFree(&qh, blk[0], &err); /* all free: it is one of them */
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL);
	cr_assert_eq(Mem_PoolBlkGetNbrAvail(&qh, &err), 4);

	/* The same range again is the same segment, now full. */
	Mem_PoolCreate(&td, Dma, 4 * 64, 1, 16, 16, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_SEG_OVF);
	cr_assert_eq(reqd, 16);
	Mem_PoolCreate(&td, &Dma[128], 64, 1, 16, 16, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_OVERLAP);
	/* From the heap (p_mem_base NULL), as the drivers' system-memory case. */
	Mem_PoolCreate(&td, NULL, 0, 8, 32, 32, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq((CPU_ADDR)td.PoolAddrStart % 32, 0);
}

Test(lib_mem_api, static_pool_errors_and_clr)
{
	MEM_POOL p;
	LIB_ERR err;

	memset(&p, 0x5A, sizeof(p)); /* uC-TCP-IP clears uninitialised pools */
	Mem_PoolClr(&p, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_null(p.PoolAddrStart);
	cr_assert_eq(p.BlkSize, 0);
	(void)Mem_PoolBlkGet(&p, 4, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_SIZE); /* BlkSize 0, as uC/LIB */
	Mem_PoolBlkFree(&p, Dma, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR);
	(void)Mem_PoolBlkGetNbrAvail(&p, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_POOL);
	Mem_PoolClr(NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);

	Mem_PoolCreate(NULL, NULL, 0, 1, 8, 8, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_PoolCreate(&p, Dma, 0, 1, 8, 8, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_SIZE);
	Mem_PoolCreate(&p, NULL, 0, 0, 8, 8, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_NBR);
	Mem_PoolCreate(&p, NULL, 0, 1, 0, 8, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_SIZE);
	Mem_PoolCreate(&p, NULL, 0, 1, 8, 12, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ALIGN);
	Mem_PoolCreate(&p, NULL, 0, (CPU_SIZE_T)1 << 62, 64, 8, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_ADDR_OVF);
	(void)Mem_PoolBlkGet(NULL, 4, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_PoolBlkFree(&p, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_PoolCreate(&p, NULL, 0, 1, 8, 8, NULL, NULL);
}

/* NetSecure_InitSession() refuses a session when BlkAllocCnt reaches BlkQtyMax. */
Test(lib_mem_api, dyn_pool_fields_as_net_secure_reads_them)
{
	MEM_DYN_POOL pool, unl;
	LIB_ERR err;
	void *blk[3];

	Mem_DynPoolCreate("sessions", &pool, NULL, 40, sizeof(CPU_ALIGN), 1, 3, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(pool.BlkQtyMax, 3);
	cr_assert_eq(pool.BlkSize, 40);
	cr_assert_eq(pool.BlkAlign, sizeof(CPU_ALIGN));
	cr_assert_eq(pool.BlkPaddingAlign, LIB_MEM_PADDING_ALIGN_NONE);
	cr_assert_not_null(pool.PoolSegPtr, "the heap segment");
	for (int i = 0; i < 3; i++) {
		cr_assert_neq(pool.BlkAllocCnt, pool.BlkQtyMax);
		blk[i] = Mem_DynPoolBlkGet(&pool, &err);
		assert_lib(err, LIB_MEM_ERR_NONE);
		cr_assert_eq(pool.BlkAllocCnt, (CPU_SIZE_T)i + 1);
	}
	cr_assert_eq(pool.BlkAllocCnt, pool.BlkQtyMax, "full: the client stops here");
	(void)Mem_DynPoolBlkGet(&pool, &err);
	assert_lib(err, LIB_MEM_ERR_POOL_EMPTY);
	cr_assert_eq(pool.BlkAllocCnt, 3, "a refused get counts nothing");
	Mem_DynPoolBlkFree(&pool, blk[1], &err);
	cr_assert_eq(pool.BlkAllocCnt, 2);
	Mem_DynPoolBlkFree(&pool, blk[1], &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL);
	cr_assert_eq(pool.BlkAllocCnt, 2, "a refused free counts nothing");

	Mem_DynPoolCreate("unl", &unl, NULL, 8, 8, 0, LIB_MEM_BLK_QTY_UNLIMITED, &err);
	(void)Mem_DynPoolBlkGet(&unl, &err);
	cr_assert_eq(unl.BlkAllocCnt, 0, "counted for limited pools only, as uC/LIB");
}

/* With several bad arguments, uC/LIB answers for the first one it checks:
 * pool, block size, block counts, then alignment. And a limited pool with
 * nothing handed out answers POOL_FULL to any free, before looking at the
 * pointer. */
Test(lib_mem_api, dyn_pool_errors_in_uclib_order)
{
	static CPU_INT08U foreign[64];
	MEM_DYN_POOL pool, before;
	LIB_ERR err;
	void *blk;

	memset(&pool, 0x5a, sizeof(pool));
	before = pool;
	Mem_DynPoolCreate("p", &pool, NULL, 0, 3, 5, 2, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_SIZE);
	Mem_DynPoolCreate("p", &pool, NULL, 8, 3, 5, 2, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_NBR);
	Mem_DynPoolCreateHW("p", &pool, NULL, 8, 3, 5, 2, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_NBR);
	Mem_DynPoolCreate("p", &pool, NULL, 8, 3, 1, 2, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ALIGN);
	cr_assert_arr_eq(&pool, &before, sizeof(pool), "refused: the structure is untouched");

	Mem_DynPoolCreate("p", &pool, NULL, 16, 8, 0, 2, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolBlkFree(&pool, foreign, &err);
	assert_lib(err, LIB_MEM_ERR_POOL_FULL);
	blk = Mem_DynPoolBlkGet(&pool, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolBlkFree(&pool, foreign, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR); /* one handed out: the pointer is checked */
	cr_assert_eq(pool.BlkAllocCnt, 1);
	Mem_DynPoolBlkFree(&pool, blk, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolBlkFree(&pool, blk, &err);
	assert_lib(err, LIB_MEM_ERR_POOL_FULL);
	cr_assert_eq(pool.BlkAllocCnt, 0);
}

Test(lib_mem_api, seg_and_hw_pool_fields)
{
	static alignas(64) CPU_INT08U area[2048];
	MEM_DYN_POOL hw;
	MEM_SEG seg;
	LIB_ERR err;

	memset(&seg, 0, sizeof(seg));
	Mem_SegCreate("dma", &seg, (CPU_ADDR)area, sizeof(area), 64, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(seg.AddrBase, (CPU_ADDR)area);
	cr_assert_eq(seg.AddrEnd, (CPU_ADDR)&area[sizeof(area) - 1], "last byte, as uC/LIB");
	cr_assert_eq(seg.PaddingAlign, 64);
	cr_assert_str_eq(seg.NamePtr, "dma");
	Mem_DynPoolCreateHW("hw", &hw, &seg, 20, 8, 2, 0, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(hw.PoolSegPtr, &seg);
	cr_assert_eq(hw.BlkSize, 20, "as requested");
	cr_assert_eq(hw.BlkAlign, 64, "max(blk_align, padding)");
	cr_assert_eq(hw.BlkPaddingAlign, 64);
	cr_assert_eq(hw.BlkQtyMax, LIB_MEM_BLK_QTY_UNLIMITED);
}

Test(lib_mem_api, mem_val_get_set_copy)
{
	CPU_INT08U buf[8] = { 0x12, 0x34, 0x56, 0x78, 0x9A, 0, 0, 0 };
	CPU_INT08U out[8];
	CPU_INT32U v32;
	CPU_INT16U v16;

	/* Unaligned reads, as protocol stacks do on packet headers. */
	cr_assert_eq(MEM_VAL_GET_INT16U_LITTLE(&buf[1]), 0x5634);
	cr_assert_eq(MEM_VAL_GET_INT16U_BIG(&buf[1]), 0x3456);
	cr_assert_eq(MEM_VAL_GET_INT24U_BIG(buf), 0x123456u);
	cr_assert_eq(MEM_VAL_GET_INT24U_LITTLE(buf), 0x563412u);
	cr_assert_eq(MEM_VAL_GET_INT32U_BIG(&buf[1]), 0x3456789Au);
	cr_assert_eq(MEM_VAL_GET_INT32U_LITTLE(&buf[1]), 0x9A785634u);
	cr_assert_eq(MEM_VAL_GET_INT08U_BIG(&buf[4]), 0x9A);
	cr_assert_eq(MEM_VAL_GET_INT08U_LITTLE(&buf[4]), 0x9A);
	memcpy(&v32, &buf[1], 4);
	cr_assert_eq(MEM_VAL_GET_INT32U(&buf[1]), v32, "no suffix: host order");
	memcpy(&v16, buf, 2);
	cr_assert_eq(MEM_VAL_GET_INT16U(buf), v16);
	cr_assert_eq(MEM_VAL_GET_INT24U(buf), CPU_CFG_ENDIAN_TYPE == CPU_ENDIAN_TYPE_BIG
							   ? 0x123456u : 0x563412u);
	cr_assert_eq(MEM_VAL_GET_INT08U(buf), 0x12);

	memset(out, 0, sizeof(out));
	MEM_VAL_SET_INT32U_BIG(&out[1], 0xA1B2C3D4u);
	cr_assert_arr_eq(&out[1], ((CPU_INT08U[]){ 0xA1, 0xB2, 0xC3, 0xD4 }), 4);
	MEM_VAL_SET_INT32U_LITTLE(&out[1], 0xA1B2C3D4u);
	cr_assert_arr_eq(&out[1], ((CPU_INT08U[]){ 0xD4, 0xC3, 0xB2, 0xA1 }), 4);
	MEM_VAL_SET_INT24U_BIG(out, 0xFF123456u); /* bits above 24 dropped */
	cr_assert_arr_eq(out, ((CPU_INT08U[]){ 0x12, 0x34, 0x56 }), 3);
	MEM_VAL_SET_INT24U_LITTLE(out, 0x123456u);
	cr_assert_arr_eq(out, ((CPU_INT08U[]){ 0x56, 0x34, 0x12 }), 3);
	MEM_VAL_SET_INT16U_BIG(out, 0xBEEF);
	cr_assert_arr_eq(out, ((CPU_INT08U[]){ 0xBE, 0xEF }), 2);
	MEM_VAL_SET_INT16U_LITTLE(out, 0xBEEF);
	cr_assert_arr_eq(out, ((CPU_INT08U[]){ 0xEF, 0xBE }), 2);
	MEM_VAL_SET_INT08U_BIG(out, 0x1FF);
	cr_assert_eq(out[0], 0xFF);
	MEM_VAL_SET_INT08U_LITTLE(out, 7);
	cr_assert_eq(out[0], 7);
	MEM_VAL_SET_INT08U(out, 8);
	cr_assert_eq(out[0], 8);
	MEM_VAL_SET_INT16U(out, 0x0102);
	cr_assert_eq(MEM_VAL_GET_INT16U(out), 0x0102);
	MEM_VAL_SET_INT24U(out, 0x010203);
	cr_assert_eq(MEM_VAL_GET_INT24U(out), 0x010203u);
	MEM_VAL_SET_INT32U(out, 0x01020304u);
	cr_assert_eq(MEM_VAL_GET_INT32U(out), 0x01020304u);

	/* COPY_GET: stored order -> host order; COPY_SET: host -> stored. */
	v32 = 0;
	MEM_VAL_COPY_GET_INT32U_BIG(&v32, &buf[1]);
	cr_assert_eq(v32, 0x3456789Au);
	MEM_VAL_COPY_GET_INT32U_LITTLE(&v32, &buf[1]);
	cr_assert_eq(v32, 0x9A785634u);
	MEM_VAL_COPY_SET_INT32U_BIG(&out[3], &v32);
	cr_assert_eq(MEM_VAL_GET_INT32U_BIG(&out[3]), 0x9A785634u);
	MEM_VAL_COPY_SET_INT32U_LITTLE(&out[3], &v32);
	cr_assert_eq(MEM_VAL_GET_INT32U_LITTLE(&out[3]), 0x9A785634u);
	v16 = 0;
	MEM_VAL_COPY_GET_INT16U_BIG(&v16, buf);
	cr_assert_eq(v16, 0x1234);
	MEM_VAL_COPY_GET_INT16U_LITTLE(&v16, buf);
	cr_assert_eq(v16, 0x3412);
	MEM_VAL_COPY_SET_INT16U_BIG(out, &v16);
	cr_assert_eq(MEM_VAL_GET_INT16U_BIG(out), 0x3412);
	MEM_VAL_COPY_SET_INT16U_LITTLE(out, &v16);
	cr_assert_eq(MEM_VAL_GET_INT16U_LITTLE(out), 0x3412);
	MEM_VAL_COPY_GET_INT16U(&v16, buf);
	cr_assert_eq(v16, MEM_VAL_GET_INT16U(buf));
	MEM_VAL_COPY_SET_INT16U(out, &v16);
	cr_assert_arr_eq(out, buf, 2);
	MEM_VAL_COPY_GET_INT32U(&v32, buf);
	MEM_VAL_COPY_SET_INT32U(out, &v32);
	cr_assert_arr_eq(out, buf, 4);
	v32 = 0;
	MEM_VAL_COPY_GET_INT24U_BIG(&v32, buf); /* 3 bytes into the low end */
	cr_assert_eq(MEM_VAL_GET_INT24U(&v32), 0x123456u);
	MEM_VAL_COPY_GET_INT24U_LITTLE(out, buf);
	cr_assert_eq(MEM_VAL_GET_INT24U_LITTLE(buf), MEM_VAL_GET_INT24U(out));
	MEM_VAL_COPY_SET_INT24U_BIG(out, &v32);
	cr_assert_eq(MEM_VAL_GET_INT24U_BIG(out), 0x123456u);
	MEM_VAL_COPY_SET_INT24U_LITTLE(out, &v32);
	cr_assert_eq(MEM_VAL_GET_INT24U_LITTLE(out), 0x123456u);
	MEM_VAL_COPY_GET_INT24U(out, buf);
	MEM_VAL_COPY_SET_INT24U(&out[4], out);
	cr_assert_arr_eq(&out[4], buf, 3);
	MEM_VAL_COPY_GET_INT08U_BIG(out, &buf[4]);
	MEM_VAL_COPY_GET_INT08U_LITTLE(&out[1], &buf[4]);
	MEM_VAL_COPY_GET_INT08U(&out[2], &buf[4]);
	MEM_VAL_COPY_SET_INT08U_BIG(&out[3], &buf[4]);
	MEM_VAL_COPY_SET_INT08U_LITTLE(&out[4], &buf[4]);
	MEM_VAL_COPY_SET_INT08U(&out[5], &buf[4]);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(out[i], 0x9A);
	MEM_VAL_COPY_GET_INTU_BIG(out, buf, 5); /* on a little-endian host: reversed */
	for (int i = 0; i < 5; i++)
		cr_assert_eq(out[i], buf[CPU_CFG_ENDIAN_TYPE == CPU_ENDIAN_TYPE_LITTLE ? 4 - i : i]);
	MEM_VAL_COPY_SET_INTU_LITTLE(out, buf, 5);
	MEM_VAL_COPY_GET_INTU_LITTLE(&out[5], out, 3);
	MEM_VAL_COPY_SET_INTU_BIG(out, buf, 2);
	MEM_VAL_COPY_GET_INTU(out, buf, 5);
	MEM_VAL_COPY_SET_INTU(&out[0], &out[0], 5);
	cr_assert_arr_eq(out, buf, 5);

	/* Plain copies and conversions. */
	memset(out, 0, sizeof(out));
	MEM_VAL_COPY_08(out, buf);
	MEM_VAL_COPY_16(&out[1], &buf[1]);
	MEM_VAL_COPY_24(&out[3], &buf[3]);
	cr_assert_arr_eq(out, buf, 6);
	MEM_VAL_COPY_32(out, &buf[4]);
	cr_assert_arr_eq(out, &buf[4], 4);
	MEM_VAL_COPY(out, buf, 5);
	cr_assert_arr_eq(out, buf, 5);
	cr_assert_eq(MEM_VAL_BIG_TO_LITTLE_16(0x1234), 0x3412);
	cr_assert_eq(MEM_VAL_LITTLE_TO_BIG_16(0x1234), 0x3412);
	cr_assert_eq(MEM_VAL_BIG_TO_LITTLE_32(0x12345678u), 0x78563412u);
	cr_assert_eq(MEM_VAL_LITTLE_TO_BIG_32(0x12345678u), 0x78563412u);
	v32 = MEM_VAL_HOST_TO_BIG_32(0x12345678u);
	cr_assert_arr_eq(&v32, ((CPU_INT08U[]){ 0x12, 0x34, 0x56, 0x78 }), 4);
	cr_assert_eq(MEM_VAL_BIG_TO_HOST_32(v32), 0x12345678u);
	v32 = MEM_VAL_HOST_TO_LITTLE_32(0x12345678u);
	cr_assert_arr_eq(&v32, ((CPU_INT08U[]){ 0x78, 0x56, 0x34, 0x12 }), 4);
	cr_assert_eq(MEM_VAL_LITTLE_TO_HOST_32(v32), 0x12345678u);
	v16 = MEM_VAL_HOST_TO_BIG_16(0x1234);
	cr_assert_arr_eq(&v16, ((CPU_INT08U[]){ 0x12, 0x34 }), 2);
	cr_assert_eq(MEM_VAL_BIG_TO_HOST_16(v16), 0x1234);
	v16 = MEM_VAL_HOST_TO_LITTLE_16(0x1234);
	cr_assert_arr_eq(&v16, ((CPU_INT08U[]){ 0x34, 0x12 }), 2);
	cr_assert_eq(MEM_VAL_LITTLE_TO_HOST_16(v16), 0x1234);
}

/* uC/LIB's conversions are plain macros, so protocol code uses them where C
 * wants a constant: file-scope initialisers, case labels, static asserts. */
static const CPU_INT16U EtherTypeIpNet = MEM_VAL_HOST_TO_BIG_16(0x0800u);
static const CPU_INT32U AddrLoopNet = MEM_VAL_HOST_TO_BIG_32(0x7F000001u);
_Static_assert(MEM_VAL_BIG_TO_LITTLE_32(0x12345678u) == 0x78563412u, "constant swap");
_Static_assert(MEM_VAL_LITTLE_TO_BIG_16(0x1234u) == 0x3412u, "constant swap");

static int
ether_kind(CPU_INT16U type_net)
{
	switch (type_net) {
	case MEM_VAL_HOST_TO_BIG_16(0x0800u): return 4;
	case MEM_VAL_HOST_TO_BIG_16(0x86DDu): return 6;
	case MEM_VAL_HOST_TO_LITTLE_16(0x0806u): return 1; /* never both on one host */
	default: return 0;
	}
}

Test(lib_mem_api, mem_val_conversions_are_constant_expressions)
{
	cr_assert_arr_eq(&EtherTypeIpNet, ((CPU_INT08U[]){ 0x08, 0x00 }), 2);
	cr_assert_arr_eq(&AddrLoopNet, ((CPU_INT08U[]){ 0x7F, 0x00, 0x00, 0x01 }), 4);
	cr_assert_eq(ether_kind(MEM_VAL_HOST_TO_BIG_16(0x86DDu)), 6);
	cr_assert_eq(ether_kind(EtherTypeIpNet), 4);
	cr_assert_eq(MEM_VAL_BIG_TO_HOST_16(EtherTypeIpNet), 0x0800u);
}

static char usage[4096];

static void
collect(CPU_CHAR *line)
{
	strncat(usage, line, sizeof(usage) - strlen(usage) - 2);
	strcat(usage, "\n");
}

Test(lib_mem_api, output_usage_lists_segments)
{
	static CPU_INT08U area[1000];
	MEM_SEG seg;
	LIB_ERR err;

	memset(&seg, 0, sizeof(seg));
	Mem_SegCreate("usage-seg", &seg, (CPU_ADDR)area, sizeof(area), 1, &err);
	(void)Mem_SegAlloc("x", &seg, 100, &err);
	Mem_OutputUsage(collect, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_not_null(strstr(usage, "Heap: "), "%s", usage);
	cr_assert_not_null(strstr(usage, "usage-seg: 1000 bytes"), "%s", usage);
	cr_assert_not_null(strstr(usage, "100 used, 900 free"), "%s", usage);
	Mem_OutputUsage(NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
}

struct worker_arg {
	MEM_DYN_POOL *dyn;
	MEM_POOL *spool;
	int id;
	int bad;
};

/* Every block a thread holds carries its id until it frees it: two threads
 * ever holding one block would overwrite each other's mark. 200000 rounds:
 * with non-atomic counters this test failed 2 runs of 2 on 2 cores, with
 * 100000 only 1 of 4. */
static void *
worker(void *p)
{
	struct worker_arg *a = p;
	LIB_ERR err;

	for (int i = 0; i < 200000; i++) {
		int *d = Mem_DynPoolBlkGet(a->dyn, &err);
		int *s = Mem_PoolBlkGet(a->spool, sizeof(int), &err);

		if (d != NULL)
			*d = a->id;
		if (s != NULL)
			*s = a->id;
		if ((d != NULL && *d != a->id) || (s != NULL && *s != a->id))
			a->bad++;
		if (d != NULL)
			Mem_DynPoolBlkFree(a->dyn, d, &err);
		if (d != NULL && err != LIB_MEM_ERR_NONE)
			a->bad++;
		if (s != NULL)
			Mem_PoolBlkFree(a->spool, s, &err);
		if (s != NULL && err != LIB_MEM_ERR_NONE)
			a->bad++;
	}
	return NULL;
}

Test(lib_mem_api, pools_and_their_counters_from_8_threads)
{
	MEM_DYN_POOL dyn;
	MEM_POOL spool;
	struct worker_arg arg[8];
	pthread_t th[8];
	LIB_ERR err;

	Mem_DynPoolCreate("mt", &dyn, NULL, 64, 8, 0, 4, &err); /* fewer blocks than threads */
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_PoolCreate(&spool, NULL, 0, 4, 64, 8, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	for (int i = 0; i < 8; i++) {
		arg[i] = (struct worker_arg){ &dyn, &spool, i + 1, 0 };
		cr_assert_eq(pthread_create(&th[i], NULL, worker, &arg[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(arg[i].bad, 0, "thread %d saw a shared block or a refused free", i);
	}
	cr_assert_eq(dyn.BlkAllocCnt, 0);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&dyn, &err), 4);
	cr_assert_eq(spool.BlkFreeTblIx, 4);
	cr_assert_eq(Mem_PoolBlkGetNbrAvail(&spool, &err), 4);
}

/* What uC-Common's kal.c needs from lib_def.h / cpu_core.h in standalone mode. */
Test(lib_mem_api, standalone_lib_def_and_cpu_items)
{
	CPU_INT32U flags = DEF_BIT_NONE;
	CPU_INT08U byte = 0xFF;
	CPU_SR_ALLOC();

	cr_assert_geq(LIB_VERSION, 13800u, "kal.h refuses older");
	cr_assert_eq(DEF_BIT_00, 1u);
	cr_assert_eq(DEF_BIT_07, 0x80u);
	cr_assert_eq(DEF_BIT_31, 0x80000000u);
	cr_assert_eq(DEF_BIT_63, 0x8000000000000000uLL);
	cr_assert_eq(DEF_BIT(5), DEF_BIT_05);
	DEF_BIT_SET(flags, DEF_BIT_00 | DEF_BIT_04);
	cr_assert_eq(DEF_BIT_IS_SET(flags, DEF_BIT_00), DEF_YES);
	cr_assert_eq(DEF_BIT_IS_SET(flags, DEF_BIT_00 | DEF_BIT_01), DEF_NO);
	cr_assert_eq(DEF_BIT_IS_SET(flags, DEF_BIT_NONE), DEF_NO, "an empty mask is never set");
	cr_assert_eq(DEF_BIT_IS_SET_ANY(flags, DEF_BIT_00 | DEF_BIT_01), DEF_YES);
	cr_assert_eq(DEF_BIT_IS_CLR(flags, DEF_BIT_01), DEF_YES);
	cr_assert_eq(DEF_BIT_IS_CLR_ANY(flags, DEF_BIT_00 | DEF_BIT_01), DEF_YES);
	DEF_BIT_CLR(flags, DEF_BIT_00);
	cr_assert_eq(flags, DEF_BIT_04);
	DEF_BIT_CLR(byte, DEF_BIT_07);
	cr_assert_eq(byte, 0x7F);
	cr_assert_eq(DEF_BIT_FIELD(3u, 4u), 0x70u);
	cr_assert_eq(DEF_BIT_MASK(0x3u, 2u), 0xCu);
	cr_assert_eq(DEF_INT_08U_MAX_VAL, 255u);
	cr_assert_eq(DEF_INT_16U_MAX_VAL, 65535u);
	cr_assert_eq(DEF_INT_32U_MAX_VAL, 4294967295u);
	cr_assert_eq(DEF_INT_16S_MIN_VAL, -32768);
	cr_assert_eq(DEF_INT_32S_MIN_VAL_ONES_CPL, -2147483647); /* lib_str.c needs it */
	cr_assert_eq(DEF_INT_CPU_U_MAX_VAL, (CPU_DATA)-1);
	cr_assert_eq(DEF_OCTET_NBR_BITS, 8u);
	cr_assert_eq(DEF_OCTET_MASK, 0xFFu);
	cr_assert_eq(DEF_NULL, 0);
	cr_assert_eq(DEF_CHK_VAL(5, 1, 9), DEF_OK);
	cr_assert_eq(DEF_CHK_VAL(10, 1, 9), DEF_FAIL);
	cr_assert_eq(CPU_CFG_ADDR_SIZE, sizeof(void *));
	cr_assert_eq(sizeof(CPU_ALIGN), CPU_CFG_DATA_SIZE);
	/* Critical sections nest on one thread (a recursive lock). */
	CPU_CRITICAL_ENTER();
	{
		CPU_SR_ALLOC();

		CPU_CRITICAL_ENTER();
		CPU_CRITICAL_EXIT();
	}
	CPU_CRITICAL_EXIT();
}

Test(lib_mem_api, sw_exception_traps, .signal = SIGABRT)
{
	CPU_SW_EXCEPTION(;);
}
