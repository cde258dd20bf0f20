/* SPDX-License-Identifier: Apache-2.0 */
/* A program outside the tree using both APIs, built with nothing but
 * `pkg-config --cflags --libs dynpool`. Exit status 0 means it worked. */
#include <dynpool.h>
#include <lib_mem.h>
#include <stdio.h>

static CPU_INT08U seg_mem[4096];
static unsigned char native_mem[1 << 16];

int
main(void)
{
	struct dp_pool_params prm = { .name = "consumer", .block_size = 100,
				      .block_align = 64, .initial = 8 };
	MEM_SEG seg;
	MEM_DYN_POOL pool;
	LIB_ERR err;
	struct dp_seg *s;
	struct dp_pool *p;
	void *blk;

	Mem_SegCreate("consumer", &seg, (CPU_ADDR)seg_mem, sizeof(seg_mem), 32, &err);
	if (err != LIB_MEM_ERR_NONE)
		return 1;
	Mem_DynPoolCreateHW("hw", &pool, &seg, 20, 8, 4, LIB_MEM_BLK_QTY_UNLIMITED, &err);
	if (err != LIB_MEM_ERR_NONE)
		return 2;
	blk = Mem_DynPoolBlkGet(&pool, &err);
	if (err != LIB_MEM_ERR_NONE || (CPU_ADDR)blk % 32 != 0)
		return 3;
	Mem_DynPoolBlkFree(&pool, blk, &err);
	if (err != LIB_MEM_ERR_NONE)
		return 4;

	if (dp_seg_create("native", native_mem, sizeof(native_mem), 64, &s) != DP_OK)
		return 5;
	if (dp_pool_create(s, &prm, &p) != DP_OK || dp_pool_get(p, &blk) != DP_OK)
		return 6;
	if ((uintptr_t)blk % 64 != 0 || dp_pool_put(p, blk) != DP_OK)
		return 7;
	if (dp_pool_put(p, blk) != DP_ERR_DOUBLE_FREE)
		return 8;
	printf("consumer: both APIs work (%s)\n", dp_strerror(DP_OK));
	return dp_pool_destroy(p) == DP_OK && dp_seg_destroy(s) == DP_OK ? 0 : 9;
}
