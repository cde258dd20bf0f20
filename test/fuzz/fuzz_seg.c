/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Segment operations of dp_fuzz, native (dp_seg_*) and uC/LIB (Mem_Seg*).
 * Each one predicts its result from the model before calling, and at most
 * one argument is wrong per call: dp_seg.h lists the codes but does not
 * rank them, so a call with two faults has no single right answer.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

/* Alignment argument: mostly powers of two up to a page, sometimes
 * invalid, sometimes far larger than any segment. */
static size_t
pick_align(struct fz_rec *r)
{
	uint8_t k = fz_u8(r) % 16;

	if (k < 13)
		return (size_t)1 << k;
	if (k == 13)
		return 0;
	if (k == 14)
		return (size_t)3 << (fz_u8(r) % 8);
	return (size_t)1 << (20 + fz_u8(r) % 44);
}

static LIB_ERR
lib_seg_err(dp_err e, bool create)
{
	switch (e) {
	case DP_OK: return LIB_MEM_ERR_NONE;
	case DP_ERR_NULL_PTR: return LIB_MEM_ERR_NULL_PTR;
	case DP_ERR_INVALID_SIZE: return create ? LIB_MEM_ERR_INVALID_SEG_SIZE
						: LIB_MEM_ERR_INVALID_MEM_SIZE;
	case DP_ERR_SEG_RANGE: return LIB_MEM_ERR_INVALID_SEG_SIZE;
	case DP_ERR_INVALID_ALIGN: return LIB_MEM_ERR_INVALID_MEM_ALIGN;
	case DP_ERR_SEG_EXISTS: return LIB_MEM_ERR_INVALID_SEG_EXISTS;
	case DP_ERR_SEG_OVERLAP: return LIB_MEM_ERR_INVALID_SEG_OVERLAP;
	case DP_ERR_SEG_OVERFLOW: return LIB_MEM_ERR_SEG_OVF;
	case DP_ERR_SEG_BUSY: return LIB_MEM_ERR_INVALID_POOL;
	default: fz_fail(__FILE__, __LINE__, "no uC/LIB code for %s", dp_errname(e));
	}
}

enum { SF_NONE, SF_NULL_BASE, SF_LEN0, SF_PADDING, SF_WRAP, SF_NAME, SF_SAME_RANGE, SF__N };

static void
seg_create(struct fz_rec *r, bool uclib)
{
	static const size_t bad_padding[] = { 0, 3, 6, 96, ((size_t)1 << 20) + 1 };
	int slot = -1, fault = fz_u8(r) % 24;
	uint8_t mode = fz_u8(r), lk = fz_u8(r) % 4;
	size_t padding = (size_t)1 << (fz_u8(r) % 13), len, off, end_max = 0;
	char name[DP_NAME_MAX + 8];
	const char *nm = name;
	uintptr_t base;
	struct fz_seg *s;
	MEM_SEG spare;
	dp_err want = DP_OK, got;

	for (int i = FZ_MAX_SEGS - 1; i >= 0; i--)
		if (!M.segs[i].live)
			slot = i;
	if (fault >= SF__N)
		fault = SF_NONE;
	len = lk == 0 ? 1 + (size_t)fz_u8(r)
	    : lk == 1 ? 256 + (size_t)fz_u16(r) % 4096
	    : lk == 2 ? 1 + (size_t)fz_u16(r) % FZ_ARENA_SIZE
		      : SIZE_MAX;
	/* Mostly after the other segments (so most creations succeed), now
	 * and then anywhere (overlaps). */
	for (int i = 0; i < FZ_MAX_SEGS; i++)
		if (M.segs[i].live && M.segs[i].base + M.segs[i].len - (uintptr_t)fz_arena > end_max)
			end_max = M.segs[i].base + M.segs[i].len - (uintptr_t)fz_arena;
	off = mode % 4 == 0 ? (size_t)fz_u16(r) % FZ_ARENA_SIZE : end_max + fz_u8(r) % 64;
	if (off >= FZ_ARENA_SIZE)
		off = FZ_ARENA_SIZE - 1;
	if (len > FZ_ARENA_SIZE - off)
		len = FZ_ARENA_SIZE - off;
	base = (uintptr_t)fz_arena + off;
	snprintf(name, sizeof(name), "seg%d", M.op);

	switch (fault) {
	case SF_NULL_BASE:
		base = 0;
		want = DP_ERR_NULL_PTR;
		break;
	case SF_LEN0:
		len = 0;
		want = DP_ERR_INVALID_SIZE;
		break;
	case SF_PADDING:
		padding = bad_padding[fz_u8(r) % 5];
		want = DP_ERR_INVALID_ALIGN;
		break;
	case SF_WRAP: /* never touched: the range is refused first */
		base = UINTPTR_MAX - fz_u8(r);
		len = 4096 + fz_u8(r);
		want = DP_ERR_SEG_RANGE;
		break;
	case SF_NAME: /* uC/LIB substitutes or cuts names: no fault there */
		if (fz_u8(r) & 1) {
			nm = uclib && (fz_u8(r) & 1) ? NULL : "";
		} else {
			memset(name, 'n', DP_NAME_MAX);
			name[DP_NAME_MAX] = '\0';
		}
		want = uclib ? DP_OK : DP_ERR_INVALID_NAME;
		break;
	case SF_SAME_RANGE: {
		int si = fz_pick_seg(r, -1);

		if (si >= 0) {
			base = M.segs[si].base;
			len = M.segs[si].len;
		}
		break;
	}
	}
	if (want == DP_OK)
		for (int i = 0; i < FZ_MAX_SEGS; i++) {
			const struct fz_seg *o = &M.segs[i];

			if (!o->live)
				continue;
			if (o->base == base && o->len == len)
				want = DP_ERR_SEG_EXISTS;
			else if (base < o->base + o->len && o->base < base + len)
				want = DP_ERR_SEG_OVERLAP;
		}
	if (want == DP_OK && slot < 0)
		return; /* no room in the model */

	s = slot >= 0 ? &M.segs[slot] : NULL;
	if (uclib) {
		LIB_ERR e;
		MEM_SEG *ms = s ? &s->useg : &spare;

		memset(ms, 0, sizeof(*ms));
		Mem_SegCreate(nm, ms, (CPU_ADDR)base, len, padding, &e);
		FZ_EXPECT_LIB(e, lib_seg_err(want, true));
		if (want != DP_OK)
			return;
		s->seg = ms->SegPtr;
	} else {
		struct dp_seg *h = NULL;

		got = dp_seg_create(nm, (void *)base, len, padding, &h);
		FZ_EXPECT(got, want);
		if (want != DP_OK)
			return;
		s->seg = h;
	}
	s->live = true;
	s->uclib = uclib;
	s->base = base;
	s->len = len;
	s->padding = padding;
	s->used = 0;
	s->npools = 0;
}

void
op_seg_create(struct fz_rec *r)
{
	seg_create(r, false);
}

void
op_useg_create(struct fz_rec *r)
{
	seg_create(r, true);
}

/* Where a bump allocation of `size` bytes aligned to max(align, pad) and
 * padded to `pad` lands, or how many bytes the segment lacks for it. */
static bool
seg_predict(const struct fz_seg *s, size_t size, size_t align, size_t pad, uintptr_t *start,
	    uintptr_t *stop, size_t *missing)
{
	uintptr_t addr = s->base + s->used, end = s->base + s->len, a0 = 0, padded = 0;
	size_t a = align > pad ? align : pad;

	if (fz_align_up(addr, a, &a0) && a0 < end && size <= end - a0 &&
	    fz_align_up(a0 + size, pad, &padded) && padded <= end) {
		*start = a0;
		*stop = padded;
		return true;
	}
	if (!fz_align_up(addr, a, &a0) || a0 > UINTPTR_MAX - size ||
	    !fz_align_up(a0 + size, pad, &padded))
		*missing = SIZE_MAX;
	else
		*missing = (padded - addr) - (end - addr);
	return false;
}

void
op_seg_alloc(struct fz_rec *r)
{
	int si = fz_pick_seg(r, -1);
	uint8_t kind = fz_u8(r) % 4, sk = fz_u8(r) % 8;
	size_t size, align, pad, missing = 0, want_missing = 0;
	uintptr_t start = 0, stop = 0;
	void *const sentinel = (void *)(uintptr_t)0x5a5a;
	void *blk = sentinel;
	bool ask_missing;
	struct fz_seg *s;
	dp_err want;

	if (si < 0)
		return;
	s = &M.segs[si];
	size = sk == 0 ? 0
	     : sk <= 4 ? 1 + (size_t)fz_u8(r)
	     : sk == 5 ? 1 + (size_t)fz_u16(r) % 4096
	     : sk == 6 ? 1 + (size_t)fz_u16(r)
		       : SIZE_MAX - fz_u8(r);
	align = pick_align(r);
	if (size == 0 && !fz_pow2(align))
		align = 1; /* one fault at a time */
	if (s->uclib && kind == 0)
		align = sizeof(CPU_ALIGN); /* Mem_SegAlloc */
	if (s->uclib && kind == 3)
		kind = 2;
	ask_missing = fz_u8(r) & 1;
	pad = kind >= 2 ? s->padding : 1; /* HW and IOVA-contiguous: padded */

	if (size == 0)
		want = DP_ERR_INVALID_SIZE;
	else if (!fz_pow2(align))
		want = DP_ERR_INVALID_ALIGN;
	else if (seg_predict(s, size, align, pad, &start, &stop, &want_missing))
		want = DP_OK;
	else
		want = DP_ERR_SEG_OVERFLOW;

	if (s->uclib) {
		CPU_SIZE_T reqd = 0;
		LIB_ERR e;

		if (kind == 0)
			blk = Mem_SegAlloc("a", &s->useg, size, &e);
		else if (kind == 1)
			blk = Mem_SegAllocExt("a", &s->useg, size, align, ask_missing ? &reqd : NULL, &e);
		else
			blk = Mem_SegAllocHW("a", &s->useg, size, align, ask_missing ? &reqd : NULL, &e);
		FZ_EXPECT_LIB(e, lib_seg_err(want, false));
		if (want != DP_OK)
			FZ_CHECK(blk == NULL, "failed uC/LIB allocation returned %p", blk);
		missing = reqd;
		ask_missing = ask_missing && kind != 0;
	} else if (kind == 3) {
		/* Caller memory in VA mode is one IOVA run: a padded allocation
		 * whose IOVA is its address. */
		uint64_t iova = 0;

		FZ_EXPECT(dp_seg_alloc_contig(s->seg, size, align, &blk, &iova), want);
		if (want == DP_OK)
			FZ_CHECK(iova == (uintptr_t)blk, "IOVA %#llx of %p", (unsigned long long)iova,
				 blk);
		ask_missing = false;
	} else {
		dp_err got = kind == 2 ? dp_seg_alloc_hw(s->seg, size, align, &blk,
							 ask_missing ? &missing : NULL)
				       : dp_seg_alloc(s->seg, size, align, &blk,
						      ask_missing ? &missing : NULL);
		FZ_EXPECT(got, want);
		if (want != DP_OK)
			FZ_CHECK(blk == sentinel, "failed allocation changed *out to %p", blk);
	}
	if (want == DP_ERR_SEG_OVERFLOW && ask_missing)
		FZ_CHECK(missing == want_missing,
			 "segment overflow of %zu bytes aligned %zu: missing %zu, model %zu", size,
			 align, missing, want_missing);
	if (want != DP_OK)
		return;
	FZ_CHECK((uintptr_t)blk == start,
		 "allocation of %zu bytes aligned %zu (pad %zu) at %p, model %#lx", size, align,
		 pad, blk, (unsigned long)start);
	s->used = stop - s->base;
	fz_alloc_add(si, start, size);
}

void
op_seg_remaining(struct fz_rec *r)
{
	int si = fz_pick_seg(r, -1);
	size_t align = pick_align(r), rem = 0, want_rem = 0;
	bool with_info = fz_u8(r) & 1;
	uintptr_t a0, end;
	struct fz_seg *s;

	if (si < 0)
		return;
	s = &M.segs[si];
	end = s->base + s->len;
	if (fz_pow2(align) && fz_align_up(s->base + s->used, align, &a0) && a0 < end)
		want_rem = end - a0;
	if (s->uclib) {
		MEM_SEG_INFO info;
		LIB_ERR e;

		memset(&info, 0, sizeof(info));
		rem = Mem_SegRemSizeGet(&s->useg, align, with_info ? &info : NULL, &e);
		FZ_EXPECT_LIB(e, fz_pow2(align) ? LIB_MEM_ERR_NONE : LIB_MEM_ERR_INVALID_MEM_ALIGN);
		if (!fz_pow2(align))
			return;
		if (with_info)
			FZ_CHECK(info.TotalSize == s->len && info.UsedSize == s->used &&
					 info.AddrBase == s->base &&
					 info.AddrNextAlloc == (want_rem ? end - want_rem : 0),
				 "Mem_SegRemSizeGet info: total %zu used %zu base %#lx next %#lx",
				 info.TotalSize, info.UsedSize, (unsigned long)info.AddrBase,
				 (unsigned long)info.AddrNextAlloc);
	} else {
		size_t off = fz_u16(r);
		uintptr_t a = s->base - 64 + off % (s->len + 128);
		uint64_t iova = 0;

		FZ_EXPECT(dp_seg_remaining(s->seg, align, &rem),
			  fz_pow2(align) ? DP_OK : DP_ERR_INVALID_ALIGN);
		/* IOVA of any byte: its address (VA mode), or out of range. */
		if (a >= s->base && a - s->base < s->len) {
			FZ_EXPECT(dp_seg_iova(s->seg, (void *)a, &iova), DP_OK);
			FZ_CHECK(iova == a, "IOVA %#llx of %#lx", (unsigned long long)iova,
				 (unsigned long)a);
		} else {
			FZ_EXPECT(dp_seg_iova(s->seg, (void *)a, &iova), DP_ERR_OUT_OF_RANGE);
		}
		if (!fz_pow2(align))
			return;
	}
	FZ_CHECK(rem == want_rem, "remaining(align %zu) = %zu, model %zu", align, rem, want_rem);
}

void
op_seg_reset(struct fz_rec *r)
{
	int si = fz_pick_seg(r, -1);
	struct fz_seg *s;
	dp_err want;

	if (si < 0)
		return;
	s = &M.segs[si];
	want = s->npools > 0 ? DP_ERR_SEG_BUSY : DP_OK;
	if (s->uclib) {
		LIB_ERR e;

		Mem_SegClr(&s->useg, &e);
		FZ_EXPECT_LIB(e, lib_seg_err(want, false));
	} else {
		FZ_EXPECT(dp_seg_reset(s->seg), want);
	}
	if (want == DP_OK) {
		fz_allocs_drop(si);
		s->used = 0;
	}
}

void
op_seg_destroy(struct fz_rec *r)
{
	int si = fz_pick_seg(r, -1);
	struct dp_seg *h;
	struct fz_seg *s;
	dp_err want;

	if (si < 0)
		return;
	s = &M.segs[si];
	want = s->npools > 0 ? DP_ERR_SEG_BUSY : DP_OK;
	/* uC/LIB has no destroy: its segments go through the native handle. */
	FZ_EXPECT(dp_seg_destroy(s->seg), want);
	if (want != DP_OK)
		return;
	fz_allocs_drop(si);
	h = s->seg;
	memset(s, 0, sizeof(*s));
	/* Stale but type-stable until a later dp_seg_create reuses it. */
	if (fz_u8(r) % 2 == 0) {
		struct dp_pool_params prm = { .name = "stale", .block_size = 8, .block_align = 8 };
		struct dp_pool *p;
		void *blk;
		size_t n;

		FZ_EXPECT(dp_seg_alloc(h, 8, 8, &blk, NULL), DP_ERR_INVALID_SEG);
		FZ_EXPECT(dp_seg_remaining(h, 8, &n), DP_ERR_INVALID_SEG);
		FZ_EXPECT(dp_seg_reset(h), DP_ERR_INVALID_SEG);
		FZ_EXPECT(dp_pool_create(h, &prm, &p), DP_ERR_INVALID_SEG);
		FZ_EXPECT(dp_seg_destroy(h), DP_ERR_INVALID_SEG);
	}
}
