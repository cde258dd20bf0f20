/* SPDX-License-Identifier: Apache-2.0 */
/* uC/LIB compatibility layer: every function, every error code it returns. */
#include <criterion/criterion.h>
#include <lib_mem.h>
#include <stdalign.h>
#include <string.h>

static alignas(4096) CPU_INT08U Area[8192];

#define assert_lib(err, want) \
	cr_assert_eq((err), (want), "LIB_ERR %d, want %d", (int)(err), (int)(want))

static void
make_seg(MEM_SEG *seg, CPU_SIZE_T off, CPU_SIZE_T len, CPU_SIZE_T pad)
{
	LIB_ERR err;

	memset(seg, 0, sizeof(*seg));
	Mem_SegCreate("seg", seg, (CPU_ADDR)&Area[off], len, pad, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
}

Test(lib_mem, error_codes_keep_their_uclib_values)
{
	cr_assert_eq(LIB_MEM_ERR_NONE, 10000);
	cr_assert_eq(LIB_MEM_ERR_NULL_PTR, 10001);
	cr_assert_eq(LIB_MEM_ERR_INVALID_MEM_SIZE, 10100);
	cr_assert_eq(LIB_MEM_ERR_INVALID_MEM_ALIGN, 10101);
	cr_assert_eq(LIB_MEM_ERR_INVALID_SEG_SIZE, 10110);
	cr_assert_eq(LIB_MEM_ERR_INVALID_SEG_OVERLAP, 10111);
	cr_assert_eq(LIB_MEM_ERR_INVALID_SEG_EXISTS, 10112);
	cr_assert_eq(LIB_MEM_ERR_INVALID_POOL, 10120);
	cr_assert_eq(LIB_MEM_ERR_INVALID_BLK_NBR, 10130);
	cr_assert_eq(LIB_MEM_ERR_INVALID_BLK_SIZE, 10131);
	cr_assert_eq(LIB_MEM_ERR_INVALID_BLK_ALIGN, 10132);
	cr_assert_eq(LIB_MEM_ERR_INVALID_BLK_IX, 10133);
	cr_assert_eq(LIB_MEM_ERR_INVALID_BLK_ADDR, 10135);
	cr_assert_eq(LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL, 10136);
	cr_assert_eq(LIB_MEM_ERR_SEG_EMPTY, 10200);
	cr_assert_eq(LIB_MEM_ERR_SEG_OVF, 10201);
	cr_assert_eq(LIB_MEM_ERR_POOL_FULL, 10205);
	cr_assert_eq(LIB_MEM_ERR_POOL_EMPTY, 10206);
	cr_assert_eq(LIB_MEM_ERR_POOL_UNLIMITED, 10207);
	cr_assert_eq(LIB_MEM_ERR_HEAP_EMPTY, 10210);
	cr_assert_eq(LIB_MEM_ERR_HEAP_OVF, 10211);
	cr_assert_eq(LIB_MEM_ERR_HEAP_NOT_FOUND, 10215);
	cr_assert_eq(LIB_MEM_ERR_ADDR_OVF, 10300);
	cr_assert_eq(LIB_ERR_NONE, 0);
	cr_assert_eq(LIB_MEM_BLK_QTY_UNLIMITED, 0);
	cr_assert_eq(LIB_MEM_PADDING_ALIGN_NONE, 1);
}

Test(lib_mem, seg_create_errors)
{
	MEM_SEG a, b;
	LIB_ERR err;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	Mem_SegCreate("s", NULL, (CPU_ADDR)Area, 64, 1, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_SegCreate("s", &a, (CPU_ADDR)Area, 0, 1, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_SIZE);
	Mem_SegCreate("s", &a, (CPU_ADDR)-16, 64, 1, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_SIZE);
	Mem_SegCreate("s", &a, (CPU_ADDR)0, 64, 1, &err); /* differs on purpose: no memory at 0 */
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_SegCreate("s", &a, (CPU_ADDR)Area, 64, 0, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	Mem_SegCreate("s", &a, (CPU_ADDR)Area, 64, 6, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	Mem_SegCreate(NULL, &a, (CPU_ADDR)Area, 64, 1, &err); /* names are optional */
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_SegCreate("again", &a, (CPU_ADDR)&Area[1024], 64, 1, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_EXISTS);
	Mem_SegCreate("s", &b, (CPU_ADDR)Area, 64, 1, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_EXISTS);
	Mem_SegCreate("s", &b, (CPU_ADDR)&Area[32], 64, 1, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_SEG_OVERLAP);
	Mem_SegCreate("a very long segment name that uC/LIB would have accepted", &b,
		      (CPU_ADDR)&Area[64], 64, 1, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_SegCreate("s", &b, (CPU_ADDR)&Area[4096], 64, 1, NULL); /* NULL p_err: no crash */
}

Test(lib_mem, seg_alloc_variants_exact)
{
	MEM_SEG s;
	LIB_ERR err;
	CPU_SIZE_T reqd = 0;
	CPU_INT08U *p;

	make_seg(&s, 3, 200, 16); /* base 3 bytes past a page boundary */
	p = Mem_SegAlloc("a", &s, 5, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(p, &Area[8], "aligned to sizeof(CPU_ALIGN), absolute");
	p = Mem_SegAllocExt("b", &s, 3, 4, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(p, &Area[16]);
	p = Mem_SegAllocHW("c", &s, 5, 4, &reqd, &err); /* 16-aligned, padded to 16 */
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(p, &Area[32]);
	p = Mem_SegAllocExt("d", &s, 1, 1, &reqd, &err);
	cr_assert_eq(p, &Area[48], "HW allocation padded to 48");
	/* 3 + 200 = 203 is the end; 154 bytes remain from 49. */
	p = Mem_SegAllocExt("e", &s, 200, 1, &reqd, &err);
	assert_lib(err, LIB_MEM_ERR_SEG_OVF);
	cr_assert_null(p);
	cr_assert_eq(reqd, 46);
	p = Mem_SegAllocHW("f", &s, 150, 1, &reqd, &err); /* 64 + 150 -> 224 > 203 */
	assert_lib(err, LIB_MEM_ERR_SEG_OVF);
	cr_assert_eq(reqd, 224 - 203);
	p = Mem_SegAlloc("g", &s, 0, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_SIZE);
	p = Mem_SegAllocExt("h", &s, 4, 3, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	p = Mem_SegAllocHW("i", &s, 4, 0, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	MEM_SEG never;
	memset(&never, 0, sizeof(never));
	p = Mem_SegAlloc("j", &never, 4, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	cr_assert_null(Mem_SegAlloc("k", &s, 4, NULL));
	cr_assert_null(Mem_SegAllocExt("k", &s, 4, 4, NULL, NULL));
	cr_assert_null(Mem_SegAllocHW("k", &s, 4, 4, NULL, NULL));
}

Test(lib_mem, seg_rem_size_get_exact)
{
	MEM_SEG_INFO info;
	MEM_SEG s;
	LIB_ERR err;
	CPU_SIZE_T rem;

	make_seg(&s, 0, 1000, 1);
	rem = Mem_SegRemSizeGet(&s, 1, &info, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(rem, 1000);
	cr_assert_eq(info.TotalSize, 1000);
	cr_assert_eq(info.UsedSize, 0);
	cr_assert_eq(info.AddrBase, (CPU_ADDR)Area);
	cr_assert_eq(info.AddrNextAlloc, (CPU_ADDR)Area);
	(void)Mem_SegAllocExt("x", &s, 3, 1, NULL, &err);
	rem = Mem_SegRemSizeGet(&s, 64, &info, &err);
	cr_assert_eq(rem, 1000 - 64);
	cr_assert_eq(info.UsedSize, 3);
	cr_assert_eq(info.AddrNextAlloc, (CPU_ADDR)&Area[64]);
	(void)Mem_SegAllocExt("y", &s, 990, 1, NULL, &err);
	rem = Mem_SegRemSizeGet(&s, 8, &info, &err); /* next 8-aligned is 1000: the end */
	cr_assert_eq(rem, 0);
	cr_assert_eq(info.AddrNextAlloc, 0, "0 when no aligned address is left");
	rem = Mem_SegRemSizeGet(&s, 1, NULL, &err);
	cr_assert_eq(rem, 7);
	rem = Mem_SegRemSizeGet(&s, 12, &info, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_MEM_ALIGN);
	cr_assert_eq(rem, 0);
	MEM_SEG never;
	memset(&never, 0, sizeof(never));
	(void)Mem_SegRemSizeGet(&never, 1, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	cr_assert_eq(Mem_SegRemSizeGet(&s, 1, NULL, NULL), 0);
}

Test(lib_mem, seg_clr)
{
	MEM_DYN_POOL pool;
	MEM_SEG s;
	LIB_ERR err;

	make_seg(&s, 0, 1024, 1);
	(void)Mem_SegAlloc("x", &s, 100, &err);
	Mem_SegClr(&s, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(Mem_SegRemSizeGet(&s, 1, NULL, &err), 1024);
	Mem_SegClr(NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_DynPoolCreate("p", &pool, &s, 16, 8, 2, 0, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_SegClr(&s, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_POOL); /* would hand blocks out twice */
	cr_assert_eq(Mem_SegRemSizeGet(&s, 1, NULL, &err), 1024 - 32);
	Mem_SegClr(&s, NULL);
}

Test(lib_mem, dyn_pool_create_errors)
{
	MEM_DYN_POOL pool;
	MEM_SEG s, never;
	LIB_ERR err;

	make_seg(&s, 0, 1024, 32);
	memset(&never, 0, sizeof(never));
	Mem_DynPoolCreate("p", NULL, &s, 16, 8, 2, 4, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_DynPoolCreate("p", &pool, &never, 16, 8, 2, 4, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_DynPoolCreate("p", &pool, &s, 0, 8, 2, 4, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_SIZE);
	Mem_DynPoolCreate("p", &pool, &s, 16, 6, 2, 4, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ALIGN);
	Mem_DynPoolCreateHW("p", &pool, &s, 16, 0, 2, 4, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ALIGN);
	Mem_DynPoolCreate("p", &pool, &s, 16, 8, 5, 4, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_NBR);
	Mem_DynPoolCreate("p", &pool, &s, (CPU_SIZE_T)1 << 20, 8, (CPU_SIZE_T)1 << 60, 0, &err);
	assert_lib(err, LIB_MEM_ERR_ADDR_OVF);
	Mem_DynPoolCreateHW("p", &pool, &s, 16, 8, 33, 0, &err); /* 33 x 32 > 1024 */
	assert_lib(err, LIB_MEM_ERR_SEG_OVF);
	cr_assert_eq(Mem_SegRemSizeGet(&s, 1, NULL, &err), 1024, "failed creations carve nothing");
	Mem_DynPoolCreateHW("p", &pool, &s, 16, 8, 32, 0, &err); /* exactly fits */
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolCreate("p", &pool, &s, 16, 8, 1, 0, NULL);
}

Test(lib_mem, blk_get_and_free_errors)
{
	MEM_DYN_POOL lim, unl, never;
	MEM_SEG s;
	LIB_ERR err;
	CPU_INT08U *a, *b, local;

	make_seg(&s, 0, 1024, 1);
	memset(&never, 0, sizeof(never));
	Mem_DynPoolCreate("lim", &lim, &s, 20, 4, 2, 3, &err);
	Mem_DynPoolCreate("unl", &unl, &s, 20, 4, 0, 0, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);

	cr_assert_null(Mem_DynPoolBlkGet(NULL, &err));
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	cr_assert_null(Mem_DynPoolBlkGet(&never, &err));
	assert_lib(err, LIB_MEM_ERR_INVALID_POOL);
	cr_assert_null(Mem_DynPoolBlkGet(&lim, NULL));

	a = Mem_DynPoolBlkGet(&lim, &err);
	b = Mem_DynPoolBlkGet(&lim, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolBlkFree(NULL, a, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_DynPoolBlkFree(&lim, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	Mem_DynPoolBlkFree(&never, a, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_POOL);
	Mem_DynPoolBlkFree(&lim, &local, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR);
	Mem_DynPoolBlkFree(&lim, a + 4, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR);
	Mem_DynPoolBlkFree(&unl, a, &err); /* a block of another pool */
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR);
	Mem_DynPoolBlkFree(&lim, a, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolBlkFree(&lim, a, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL);
	Mem_DynPoolBlkFree(&lim, b, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolBlkFree(&lim, b, &err);
	assert_lib(err, LIB_MEM_ERR_POOL_FULL); /* nothing handed out: uC/LIB's answer */
	Mem_DynPoolBlkFree(&lim, b, NULL);

	/* Unlimited pool: double free is reported as such. */
	a = Mem_DynPoolBlkGet(&unl, &err);
	Mem_DynPoolBlkFree(&unl, a, &err);
	Mem_DynPoolBlkFree(&unl, a, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL);
}

Test(lib_mem, limited_pool_grows_to_max_then_empty)
{
	MEM_DYN_POOL p;
	MEM_SEG s;
	LIB_ERR err;
	CPU_SIZE_T rem;

	make_seg(&s, 0, 4096, 1);
	Mem_DynPoolCreate("p", &p, &s, 20, 8, 2, 5, &err);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&p, &err), 5);
	assert_lib(err, LIB_MEM_ERR_NONE);
	rem = Mem_SegRemSizeGet(&s, 1, NULL, &err);
	cr_assert_eq(rem, 4096 - 48);
	for (int i = 0; i < 5; i++) {
		cr_assert_not_null(Mem_DynPoolBlkGet(&p, &err));
		cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&p, &err), (CPU_SIZE_T)(4 - i));
	}
	/* One block carved per growth, exactly as uC/LIB consumes its segment. */
	cr_assert_eq(Mem_SegRemSizeGet(&s, 1, NULL, &err), 4096 - 5 * 24);
	cr_assert_null(Mem_DynPoolBlkGet(&p, &err));
	assert_lib(err, LIB_MEM_ERR_POOL_EMPTY);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(NULL, &err), 0);
	assert_lib(err, LIB_MEM_ERR_NULL_PTR);
	MEM_DYN_POOL never;
	memset(&never, 0, sizeof(never));
	(void)Mem_DynPoolBlkNbrAvailGet(&never, &err);
	assert_lib(err, LIB_MEM_ERR_INVALID_POOL);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&p, NULL), 0);
}

Test(lib_mem, unlimited_pool_reports_unlimited_and_overflows)
{
	MEM_DYN_POOL p;
	MEM_SEG s;
	LIB_ERR err;
	int n = 0;

	make_seg(&s, 0, 256, 1);
	Mem_DynPoolCreate("p", &p, &s, 16, 16, 0, LIB_MEM_BLK_QTY_UNLIMITED, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&p, &err), 0);
	assert_lib(err, LIB_MEM_ERR_POOL_UNLIMITED);
	while (Mem_DynPoolBlkGet(&p, &err) != NULL)
		n++;
	assert_lib(err, LIB_MEM_ERR_SEG_OVF);
	cr_assert_eq(n, 16);
}

Test(lib_mem, heap_segment_by_default)
{
	MEM_SEG_INFO info;
	MEM_DYN_POOL p;
	LIB_ERR err;
	CPU_SIZE_T rem;
	void *blk;

	/* A NULL segment works even before Mem_Init(). */
	rem = Mem_SegRemSizeGet(NULL, 1, &info, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(rem, LIB_MEM_CFG_HEAP_SIZE);
	cr_assert_eq(info.TotalSize, LIB_MEM_CFG_HEAP_SIZE);
	Mem_Init();
	Mem_Init(); /* idempotent */
	cr_assert_eq(Mem_SegRemSizeGet(NULL, 1, NULL, &err), LIB_MEM_CFG_HEAP_SIZE);
	blk = Mem_SegAlloc("h", NULL, 100, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_eq((CPU_ADDR)blk, info.AddrBase);
	blk = Mem_SegAllocExt("h", NULL, 10, 64, NULL, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_not_null(blk); /* NULL would pass the alignment check */
	cr_assert_eq((CPU_ADDR)blk % 64, 0);
	blk = Mem_SegAllocHW("h", NULL, 10, 8, NULL, &err); /* heap has no padding */
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_not_null(blk);
	cr_assert_eq((CPU_ADDR)blk % 8, 0);
	Mem_DynPoolCreate("hp", &p, NULL, 32, 8, 4, 0, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	Mem_DynPoolCreateHW("hp2", &p, NULL, 32, 8, 4, 0, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	blk = Mem_DynPoolBlkGet(&p, &err);
	assert_lib(err, LIB_MEM_ERR_NONE);
	cr_assert_gt((CPU_ADDR)blk, info.AddrBase);
	cr_assert_lt((CPU_ADDR)blk, info.AddrBase + info.TotalSize);
}
