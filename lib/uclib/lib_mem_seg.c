/* SPDX-License-Identifier: Apache-2.0 */
/* uC/LIB segments, the heap segment and its functions, on dynpool segments. */
#include <pthread.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_seg.h"
#include "lib_mem_impl.h"

#if LIB_MEM_CFG_HEAP_SIZE > 0
static alignas(64) CPU_INT08U Mem_Heap[LIB_MEM_CFG_HEAP_SIZE];
#endif
static MEM_SEG Mem_SegHeap;
static pthread_once_t heap_once = PTHREAD_ONCE_INIT;
/* Every created segment, newest first: Mem_PoolCreate() looks ranges up
 * in it and Mem_OutputUsage() walks it. Segments are never destroyed. */
static pthread_mutex_t seg_lock = PTHREAD_MUTEX_INITIALIZER;
static MEM_SEG *seg_head;

static void
heap_create(void)
{
#if LIB_MEM_CFG_HEAP_SIZE > 0
	LIB_ERR err;

	Mem_SegCreate("Heap", &Mem_SegHeap, (CPU_ADDR)&Mem_Heap[0], LIB_MEM_CFG_HEAP_SIZE,
		      LIB_MEM_PADDING_ALIGN_NONE, &err);
	(void)err; /* a static, private array cannot overlap anything */
#endif
}

void
Mem_Init(void)
{
	pthread_once(&heap_once, heap_create);
}

LIB_ERR
lib_mem_seg_resolve(MEM_SEG **p_seg, struct dp_seg **out)
{
	if (*p_seg == NULL) {
		Mem_Init();
		*p_seg = &Mem_SegHeap;
	}
	if ((*p_seg)->Type != LIB_MEM_TYPE_SEG || (*p_seg)->SegPtr == NULL)
		return LIB_MEM_ERR_NULL_PTR; /* never created: no segment behind it */
	*out = (*p_seg)->SegPtr;
	return LIB_MEM_ERR_NONE;
}

void
lib_mem_name(char *dst, const CPU_CHAR *p_name, const char *fallback)
{
	const char *src = (p_name != NULL && p_name[0] != '\0') ? p_name : fallback;
	size_t n = strnlen(src, DP_NAME_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

LIB_ERR
lib_mem_err(dp_err e, enum lib_mem_ctx ctx)
{
	switch (e) {
	case DP_OK: return LIB_MEM_ERR_NONE;
	case DP_ERR_NULL_PTR:
	case DP_ERR_INVALID_SEG: return LIB_MEM_ERR_NULL_PTR;
	case DP_ERR_INVALID_SIZE:
		if (ctx == CTX_SEG_CREATE)
			return LIB_MEM_ERR_INVALID_SEG_SIZE;
		return ctx == CTX_POOL_CREATE ? LIB_MEM_ERR_INVALID_BLK_SIZE
					      : LIB_MEM_ERR_INVALID_MEM_SIZE;
	case DP_ERR_INVALID_ALIGN:
		return ctx == CTX_POOL_CREATE ? LIB_MEM_ERR_INVALID_BLK_ALIGN
					      : LIB_MEM_ERR_INVALID_MEM_ALIGN;
	case DP_ERR_INVALID_COUNT: return LIB_MEM_ERR_INVALID_BLK_NBR;
	case DP_ERR_OVERFLOW: return LIB_MEM_ERR_ADDR_OVF;
	case DP_ERR_SEG_RANGE: return LIB_MEM_ERR_INVALID_SEG_SIZE;
	case DP_ERR_SEG_OVERLAP: return LIB_MEM_ERR_INVALID_SEG_OVERLAP;
	case DP_ERR_SEG_EXISTS: return LIB_MEM_ERR_INVALID_SEG_EXISTS;
	case DP_ERR_SEG_BUSY: return LIB_MEM_ERR_INVALID_POOL;
	case DP_ERR_SEG_OVERFLOW: return LIB_MEM_ERR_SEG_OVF;
	case DP_ERR_POOL_EMPTY: return LIB_MEM_ERR_POOL_EMPTY;
	case DP_ERR_POOL_FULL: return LIB_MEM_ERR_POOL_FULL;
	case DP_ERR_NOT_IN_POOL:
	case DP_ERR_NOT_BLOCK_START: return LIB_MEM_ERR_INVALID_BLK_ADDR;
	case DP_ERR_DOUBLE_FREE: return LIB_MEM_ERR_INVALID_BLK_ADDR_IN_POOL;
	case DP_ERR_NO_MEMORY: return LIB_MEM_ERR_HEAP_EMPTY;
	case DP_ERR_INVALID_POOL: return LIB_MEM_ERR_INVALID_POOL;
	/* Names are made valid before the native call; audits, caches and
	 * the memory backends are not used by this layer. */
	case DP_ERR_INVALID_NAME:
	case DP_ERR_INVALID_FLAGS:
	case DP_ERR_CORRUPT:
	case DP_ERR_INVALID_CACHE:
	case DP_ERR_INVALID_LCORE:
	case DP_ERR_NO_HUGEPAGES:
	case DP_ERR_INVALID_NODE:
	case DP_ERR_NO_EAL:
	case DP_ERR_NOT_FOUND:
	case DP_ERR_OUT_OF_RANGE:
	case DP_ERR_SYSTEM:
	case DP_ERR_SECONDARY:
	case DP_ERR_EXISTS:
	case DP_ERR__COUNT:
		break;
	}
	return LIB_MEM_ERR_INVALID_POOL;
}

/* Creates and links p_seg; seg_lock held. */
static LIB_ERR
seg_create_locked(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_ADDR base, CPU_SIZE_T size,
		  CPU_SIZE_T padding_align)
{
	char name[DP_NAME_MAX];
	struct dp_seg *seg;
	dp_err e;

	if (p_seg->Type == LIB_MEM_TYPE_SEG && p_seg->SegPtr != NULL)
		return LIB_MEM_ERR_INVALID_SEG_EXISTS;
	lib_mem_name(name, p_name, "segment");
	e = dp_seg_create(name, (void *)base, size, padding_align, &seg);
	if (e != DP_OK)
		return lib_mem_err(e, CTX_SEG_CREATE);
	p_seg->AddrBase = base;
	p_seg->AddrEnd = base + (size - 1u);
	p_seg->PaddingAlign = padding_align;
	p_seg->NamePtr = p_name;
	p_seg->SegPtr = seg;
	p_seg->Type = LIB_MEM_TYPE_SEG;
	p_seg->NextPtr = seg_head;
	seg_head = p_seg;
	return LIB_MEM_ERR_NONE;
}

void
Mem_SegCreate(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_ADDR seg_base_addr,
	      CPU_SIZE_T size, CPU_SIZE_T padding_align, LIB_ERR *p_err)
{
	if (p_err == NULL)
		return;
	if (p_seg == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	pthread_mutex_lock(&seg_lock);
	*p_err = seg_create_locked(p_name, p_seg, seg_base_addr, size, padding_align);
	pthread_mutex_unlock(&seg_lock);
}

LIB_ERR
lib_mem_seg_for_range(CPU_ADDR base, CPU_SIZE_T size, MEM_SEG **out)
{
	MEM_SEG *s;
	LIB_ERR err = LIB_MEM_ERR_NONE;

	if (size == 0u || base + (size - 1u) < base)
		return LIB_MEM_ERR_INVALID_SEG_SIZE;
	Mem_Init(); /* the heap is on the list like any segment */
	pthread_mutex_lock(&seg_lock);
	for (s = seg_head; s != NULL; s = s->NextPtr)
		if (s->AddrBase == base && s->AddrEnd == base + (size - 1u))
			break;
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL) {
			err = LIB_MEM_ERR_HEAP_EMPTY;
		} else {
			err = seg_create_locked("static pool", s, base, size,
						LIB_MEM_PADDING_ALIGN_NONE);
			if (err != LIB_MEM_ERR_NONE) {
				free(s);
				s = NULL;
			}
		}
	}
	pthread_mutex_unlock(&seg_lock);
	*out = s;
	return err;
}

void
Mem_OutputUsage(void (*out_fnct)(CPU_CHAR *), LIB_ERR *p_err)
{
	struct dp_seg_info info;
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f;

	if (p_err == NULL)
		return;
	if (out_fnct == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	Mem_Init();
	f = open_memstream(&text, &len);
	if (f == NULL) {
		*p_err = LIB_MEM_ERR_HEAP_EMPTY;
		return;
	}
	/* Snapshot under the lock, report outside it: out_fnct may call us. */
	pthread_mutex_lock(&seg_lock);
	for (MEM_SEG *s = seg_head; s != NULL; s = s->NextPtr)
		if (dp_seg_info(s->SegPtr, &info) == DP_OK)
			fprintf(f, "%s: %zu bytes at 0x%lx, %zu used, %zu free\n",
				s->NamePtr != NULL ? s->NamePtr : "(unnamed)", info.len,
				(unsigned long)s->AddrBase, info.used, info.len - info.used);
	pthread_mutex_unlock(&seg_lock);
	if (fclose(f) != 0 || text == NULL) {
		free(text);
		*p_err = LIB_MEM_ERR_HEAP_EMPTY;
		return;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		out_fnct(line);
	free(text);
	*p_err = LIB_MEM_ERR_NONE;
}

void
Mem_SegClr(MEM_SEG *p_seg, LIB_ERR *p_err)
{
	if (p_err == NULL)
		return;
	if (p_seg == NULL || p_seg->Type != LIB_MEM_TYPE_SEG || p_seg->SegPtr == NULL) {
		*p_err = LIB_MEM_ERR_NULL_PTR;
		return;
	}
	*p_err = lib_mem_err(dp_seg_reset(p_seg->SegPtr), CTX_SEG_ALLOC);
}

CPU_SIZE_T
Mem_SegRemSizeGet(MEM_SEG *p_seg, CPU_SIZE_T align, MEM_SEG_INFO *p_seg_info, LIB_ERR *p_err)
{
	struct dp_seg_info info;
	struct dp_seg *seg;
	size_t rem;
	dp_err e;

	if (p_err == NULL)
		return 0;
	if (align == 0 || (align & (align - 1)) != 0) {
		*p_err = LIB_MEM_ERR_INVALID_MEM_ALIGN;
		return 0;
	}
	*p_err = lib_mem_seg_resolve(&p_seg, &seg);
	if (*p_err != LIB_MEM_ERR_NONE)
		return 0;
	e = dp_seg_remaining(seg, align, &rem);
	if (e == DP_OK)
		e = dp_seg_info(seg, &info);
	if (e != DP_OK) {
		*p_err = lib_mem_err(e, CTX_SEG_ALLOC);
		return 0;
	}
	if (p_seg_info != NULL) {
		p_seg_info->TotalSize = info.len;
		p_seg_info->UsedSize = info.used;
		p_seg_info->AddrBase = (CPU_ADDR)info.base;
		p_seg_info->AddrNextAlloc =
			rem == 0 ? 0 : (CPU_ADDR)info.base + (info.len - rem);
	}
	return rem;
}

static void *
seg_alloc(MEM_SEG *p_seg, CPU_SIZE_T size, CPU_SIZE_T align, int hw,
	  CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err)
{
	struct dp_seg *seg;
	void *blk = NULL;
	size_t missing = 0;
	dp_err e;

	if (p_err == NULL)
		return NULL;
	*p_err = lib_mem_seg_resolve(&p_seg, &seg);
	if (*p_err != LIB_MEM_ERR_NONE)
		return NULL;
	e = hw ? dp_seg_alloc_hw(seg, size, align, &blk, &missing)
	       : dp_seg_alloc(seg, size, align, &blk, &missing);
	if (e == DP_ERR_SEG_OVERFLOW && p_bytes_reqd != NULL)
		*p_bytes_reqd = missing;
	*p_err = lib_mem_err(e, CTX_SEG_ALLOC);
	return e == DP_OK ? blk : NULL;
}

void *
Mem_SegAlloc(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_SIZE_T size, LIB_ERR *p_err)
{
	(void)p_name;
	return seg_alloc(p_seg, size, sizeof(CPU_ALIGN), 0, NULL, p_err);
}

void *
Mem_SegAllocExt(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_SIZE_T size, CPU_SIZE_T align,
		CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err)
{
	(void)p_name;
	return seg_alloc(p_seg, size, align, 0, p_bytes_reqd, p_err);
}

void *
Mem_SegAllocHW(const CPU_CHAR *p_name, MEM_SEG *p_seg, CPU_SIZE_T size, CPU_SIZE_T align,
	       CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err)
{
	(void)p_name;
	return seg_alloc(p_seg, size, align, 1, p_bytes_reqd, p_err);
}

void *
Mem_HeapAlloc(CPU_SIZE_T size, CPU_SIZE_T align, CPU_SIZE_T *p_bytes_reqd, LIB_ERR *p_err)
{
	void *blk;

	if (p_err == NULL)
		return NULL;
	if (LIB_MEM_CFG_HEAP_SIZE == 0) {
		*p_err = LIB_MEM_ERR_HEAP_NOT_FOUND;
		return NULL;
	}
	blk = seg_alloc(NULL, size, align, 0, p_bytes_reqd, p_err);
	if (*p_err == LIB_MEM_ERR_SEG_OVF)
		*p_err = LIB_MEM_ERR_HEAP_OVF; /* uC/LIB's answer for the heap */
	return blk;
}

CPU_SIZE_T
Mem_HeapGetSizeRem(CPU_SIZE_T align, LIB_ERR *p_err)
{
	if (p_err == NULL)
		return 0;
	if (LIB_MEM_CFG_HEAP_SIZE == 0) {
		*p_err = LIB_MEM_ERR_HEAP_NOT_FOUND;
		return 0;
	}
	return Mem_SegRemSizeGet(NULL, align, NULL, p_err);
}
