/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The uC/LIB usage example of the seed document, compiled unchanged
 * (seed_example.inc is the listing with only its call-out markers removed,
 * see check-seed.sh), run, and checked against its notes (1) to (10).
 *
 * The listing carries one non-breaking space (U+00A0, web-page formatting)
 * before "static void Mem_DynPoolExample". Clang reads it as whitespace;
 * GCC rejects it. So GCC builds compile a copy with that one character
 * turned into a space (SEED_LISTING, made by test/meson.build), and
 * seed-clang.sh compiles the verbatim listing with clang.
 */
#include <criterion/criterion.h>
#include <lib_mem.h> /* all the example needs */

#ifndef SEED_LISTING
#define SEED_LISTING "seed_example.inc"
#endif
#include SEED_LISTING

#define SEG_END ((CPU_ADDR)MemSegData + sizeof(MemSegData))

static CPU_ADDR
align_up(CPU_ADDR x, CPU_ADDR a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Where the example's pools must have put their initial blocks. */
static CPU_ADDR
gp_first(void)
{
	return align_up((CPU_ADDR)MemSegData, sizeof(CPU_ALIGN));
}

static CPU_ADDR
hw_first(void)
{
	return align_up(gp_first() + 10 * 24, CACHE_LINE_LEN);
}

static void
run_example(void)
{
	LIB_ERR err;

	Mem_DynPoolExample();
	/* Both pools exist only if every step of the example succeeded. */
	(void)Mem_DynPoolBlkNbrAvailGet(&DynamicMemPool, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE, "example stopped early: %d", err);
	(void)Mem_DynPoolBlkNbrAvailGet(&DynamicMemPoolHW, &err);
	cr_assert_eq(err, LIB_MEM_ERR_POOL_UNLIMITED, "HW pool missing: %d", err);
}

Test(seed_example, note1_segment_created_over_the_array)
{
	MEM_SEG_INFO info;
	LIB_ERR err;

	run_example();
	(void)Mem_SegRemSizeGet(&MemorySegment, 1, &info, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(info.AddrBase, (CPU_ADDR)MemSegData);
	cr_assert_eq(info.TotalSize, 4096);
}

Test(seed_example, notes_2_3_5_segment_holds_exactly_the_initial_blocks)
{
	MEM_SEG_INFO info;
	LIB_ERR err;
	CPU_SIZE_T rem;

	run_example();
	/* 10 x 24 general-purpose bytes, then 10 x 32 HW bytes on a 32-byte
	 * boundary, nothing else: the example's get/free pairs reused those. */
	rem = Mem_SegRemSizeGet(&MemorySegment, 1, &info, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(info.AddrNextAlloc, hw_first() + 10 * 32);
	cr_assert_eq(rem, SEG_END - (hw_first() + 10 * 32));
	cr_assert_eq(info.UsedSize, hw_first() + 10 * 32 - (CPU_ADDR)MemSegData);
}

Test(seed_example, notes_2_7_general_purpose_blocks_word_aligned_20_bytes)
{
	CPU_INT08U *blk[10];
	LIB_ERR err;

	run_example();
	for (int i = 0; i < 10; i++) {
		blk[i] = Mem_DynPoolBlkGet(&DynamicMemPool, &err);
		cr_assert_eq(err, LIB_MEM_ERR_NONE);
		cr_assert_eq((CPU_ADDR)blk[i] % sizeof(CPU_ALIGN), 0);
		cr_assert_eq((CPU_ADDR)blk[i], gp_first() + 24 * (CPU_ADDR)i);
		memset(blk[i], 0xA5, 20); /* at least 20 usable bytes each */
	}
	for (int i = 0; i < 10; i++) {
		Mem_DynPoolBlkFree(&DynamicMemPool, blk[i], &err);
		cr_assert_eq(err, LIB_MEM_ERR_NONE);
	}
}

Test(seed_example, notes_3_4_static_pool_refuses_an_11th_block)
{
	void *blk[10];
	LIB_ERR err;
	CPU_SIZE_T rem_before, rem_after;

	run_example();
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&DynamicMemPool, &err), 10);
	rem_before = Mem_SegRemSizeGet(&MemorySegment, 1, NULL, &err);
	for (int i = 0; i < 10; i++) {
		blk[i] = Mem_DynPoolBlkGet(&DynamicMemPool, &err);
		cr_assert_eq(err, LIB_MEM_ERR_NONE, "block %d", i);
	}
	cr_assert_null(Mem_DynPoolBlkGet(&DynamicMemPool, &err));
	cr_assert_eq(err, LIB_MEM_ERR_POOL_EMPTY);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&DynamicMemPool, &err), 0);
	rem_after = Mem_SegRemSizeGet(&MemorySegment, 1, NULL, &err);
	cr_assert_eq(rem_after, rem_before, "a static pool never carves");
	Mem_DynPoolBlkFree(&DynamicMemPool, blk[3], &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(Mem_DynPoolBlkNbrAvailGet(&DynamicMemPool, &err), 1);
}

Test(seed_example, notes_5_8_hw_blocks_32_aligned_32_long)
{
	CPU_INT08U *prev = NULL, *blk;
	LIB_ERR err;

	run_example();
	for (int i = 0; i < 10; i++) {
		blk = Mem_DynPoolBlkGet(&DynamicMemPoolHW, &err);
		cr_assert_eq(err, LIB_MEM_ERR_NONE);
		cr_assert_eq((CPU_ADDR)blk % CACHE_LINE_LEN, 0, "HW block on a 32-byte boundary");
		cr_assert_eq((CPU_ADDR)blk, hw_first() + 32 * (CPU_ADDR)i);
		if (prev != NULL)
			cr_assert_eq(blk - prev, 32, "HW blocks are 32 bytes long");
		prev = blk;
	}
}

Test(seed_example, note6_unlimited_hw_pool_grows_until_segment_overflows)
{
	CPU_ADDR next = hw_first() + 10 * 32;
	CPU_SIZE_T expect = 10 + (SEG_END - next) / 32, n = 0, rem;
	CPU_INT08U *blk, *last = NULL;
	LIB_ERR err;

	run_example();
	for (;;) {
		rem = Mem_SegRemSizeGet(&MemorySegment, 1, NULL, &err);
		blk = Mem_DynPoolBlkGet(&DynamicMemPoolHW, &err);
		if (err != LIB_MEM_ERR_NONE)
			break;
		cr_assert_eq((CPU_ADDR)blk % 32, 0);
		if (n >= 10) /* grown: one 32-byte block carved per get */
			cr_assert_eq(Mem_SegRemSizeGet(&MemorySegment, 1, NULL, &err), rem - 32);
		last = blk;
		n++;
	}
	cr_assert_eq(err, LIB_MEM_ERR_SEG_OVF);
	cr_assert_null(blk);
	cr_assert_eq(n, expect, "got %zu blocks, the segment had room for %zu", n, expect);
	cr_assert_lt(Mem_SegRemSizeGet(&MemorySegment, 32, NULL, &err), 32);
	/* Note 6: once freed, a block is available for the next allocation. */
	Mem_DynPoolBlkFree(&DynamicMemPoolHW, last, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	blk = Mem_DynPoolBlkGet(&DynamicMemPoolHW, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	cr_assert_eq(blk, last);
}

Test(seed_example, notes_9_10_freed_blocks_are_reused)
{
	void *a, *b;
	LIB_ERR err;

	run_example();
	a = Mem_DynPoolBlkGet(&DynamicMemPool, &err);
	Mem_DynPoolBlkFree(&DynamicMemPool, a, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	b = Mem_DynPoolBlkGet(&DynamicMemPool, &err);
	cr_assert_eq(b, a);
	a = Mem_DynPoolBlkGet(&DynamicMemPoolHW, &err);
	Mem_DynPoolBlkFree(&DynamicMemPoolHW, a, &err);
	cr_assert_eq(err, LIB_MEM_ERR_NONE);
	b = Mem_DynPoolBlkGet(&DynamicMemPoolHW, &err);
	cr_assert_eq(b, a);
}
