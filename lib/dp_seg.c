/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Segments: a registry of live regions (to refuse overlaps, as uC/LIB
 * does) and a lock-free bump allocator per region.
 */
#include "dp_seg_impl.h"

#include <pthread.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "dp_util.h"

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dp_seg *registry;
/* Orders page locking of caller segments (create) against unlocking
 * (destroy): taken before registry_lock, never after it. */
pthread_mutex_t dp_seg_pin_lock = PTHREAD_MUTEX_INITIALIZER;
/* Destroyed segment objects, oldest first: type-stable for the same reason
 * as pools (see dp_pool.c), so a stale handle reads DP_ERR_INVALID_SEG. */
static struct dp_seg *retired, **retired_tail = &retired;

struct dp_seg *
dp_seg_obj_new(void)
{
	struct dp_seg *seg;

	pthread_mutex_lock(&registry_lock);
	seg = retired;
	if (seg != NULL) {
		retired = seg->reg_next;
		if (retired == NULL)
			retired_tail = &retired;
	}
	pthread_mutex_unlock(&registry_lock);
	if (seg == NULL)
		return calloc(1, sizeof(*seg));
	memset(seg, 0, sizeof(*seg));
	return seg;
}

void
dp_seg_obj_retire(struct dp_seg *seg)
{
	free(seg->page_iova);
	memset(seg, 0, sizeof(*seg));
	pthread_mutex_lock(&registry_lock);
	*retired_tail = seg;
	retired_tail = &seg->reg_next;
	pthread_mutex_unlock(&registry_lock);
}

bool
dp_seg_valid(const struct dp_seg *seg)
{
	return seg->magic == DP_SEG_MAGIC;
}

static dp_err
check_handle(const struct dp_seg *seg)
{
	if (seg == NULL)
		return DP_ERR_NULL_PTR;
	return dp_seg_valid(seg) ? DP_OK : DP_ERR_INVALID_SEG;
}

/* A live segment and a non-NULL output. */
static dp_err
check_out(const struct dp_seg *seg, const void *out)
{
	dp_err err = check_handle(seg);

	return err != DP_OK ? err : out == NULL ? DP_ERR_NULL_PTR : DP_OK;
}

/* Last byte, inclusive, so that a region ending at the top of the address
 * space is still representable in the comparison. */
static uintptr_t
last_byte(uintptr_t base, size_t len)
{
	return base + (len - 1);
}

static dp_err
registry_check(uintptr_t base, size_t len)
{
	uintptr_t last = last_byte(base, len);

	for (const struct dp_seg *s = registry; s != NULL; s = s->reg_next) {
		uintptr_t s_last = last_byte(s->base, s->len);

		if (s->base == base && s_last == last)
			return DP_ERR_SEG_EXISTS;
		if (base <= s_last && s->base <= last)
			return DP_ERR_SEG_OVERLAP;
	}
	return DP_OK;
}

bool
dp_seg_pinned_elsewhere(const struct dp_seg *self, uintptr_t lo, uintptr_t hi)
{
	bool found = false;

	pthread_mutex_lock(&registry_lock);
	for (const struct dp_seg *s = registry; s != NULL && !found; s = s->reg_next) {
		uintptr_t s_lo = s->base & ~(uintptr_t)(s->page_size - 1);
		uintptr_t s_hi = last_byte(s->base, s->len) | (s->page_size - 1);

		found = s != self && s->pinned && s_lo < hi && lo <= s_hi;
	}
	pthread_mutex_unlock(&registry_lock);
	return found;
}

dp_err
dp_seg_setup(struct dp_seg *seg, const char *name, uintptr_t base, size_t len, size_t padding)
{
	if (len == 0)
		return DP_ERR_INVALID_SIZE;
	if (base > UINTPTR_MAX - len)
		return DP_ERR_SEG_RANGE;
	if (!dp_is_pow2(padding))
		return DP_ERR_INVALID_ALIGN;
	if (!dp_name_copy(seg->name, sizeof(seg->name), name))
		return DP_ERR_INVALID_NAME;
	seg->base = base;
	seg->len = len;
	seg->padding = padding;
	atomic_init(&seg->used, 0);
	dp_spin_init(&seg->attach_lock);
	dp_spin_init(&seg->commit_lock);
	atomic_init(&seg->committed, 0);
	seg->on_demand = false;
	seg->pools = 0;
	seg->kind = DP_SEG_CALLER;
	seg->node = -1;
	seg->page_size = (size_t)sysconf(_SC_PAGESIZE);
	seg->iova_mode = DP_IOVA_VA;
	seg->iova_contig = true;
	seg->iova_base = base;
	return DP_OK;
}

dp_err
dp_seg_register(struct dp_seg *seg)
{
	dp_err err;

	pthread_mutex_lock(&registry_lock);
	err = registry_check(seg->base, seg->len);
	if (err == DP_OK) {
		seg->magic = DP_SEG_MAGIC;
		seg->reg_next = registry;
		registry = seg;
	}
	pthread_mutex_unlock(&registry_lock);
	return err;
}

void
dp_seg_unregister(struct dp_seg *seg)
{
	pthread_mutex_lock(&registry_lock);
	for (struct dp_seg **pp = &registry; *pp != NULL; pp = &(*pp)->reg_next) {
		if (*pp == seg) {
			*pp = seg->reg_next;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
}

dp_err
dp_seg_create(const char *name, void *base, size_t len, size_t padding, struct dp_seg **out)
{
	struct dp_seg *seg;
	dp_err err;

	if (name == NULL || base == NULL || out == NULL)
		return DP_ERR_NULL_PTR;
	seg = dp_seg_obj_new();
	if (seg == NULL)
		return DP_ERR_NO_MEMORY;
	err = dp_seg_setup(seg, name, (uintptr_t)base, len, padding);
	if (err != DP_OK) {
		dp_seg_obj_retire(seg);
		return err;
	}
	pthread_mutex_lock(&dp_seg_pin_lock);
	err = dp_seg_iova_setup(seg, 0, NULL); /* PA mode: pins the pages first */
	if (err == DP_OK)
		err = dp_seg_register(seg);
	if (err != DP_OK && seg->pinned)
		dp_seg_iova_unpin(seg);
	pthread_mutex_unlock(&dp_seg_pin_lock);
	if (err != DP_OK) {
		dp_seg_obj_retire(seg);
		return err;
	}
	*out = seg;
	return DP_OK;
}

dp_err
dp_seg_destroy(struct dp_seg *seg)
{
	dp_err err = check_handle(seg);

	if (err != DP_OK)
		return err;
	dp_spin_lock(&seg->attach_lock);
	if (seg->pools != 0) {
		dp_spin_unlock(&seg->attach_lock);
		return DP_ERR_SEG_BUSY;
	}
	dp_spin_unlock(&seg->attach_lock);
	/* Pools attach under attach_lock after checking the handle, so a
	 * pool racing with destroy is the caller's bug, as with any object. */
	if (seg->kind == DP_SEG_MEMZONE)
		return dp_seg_release_memzone(seg);
	pthread_mutex_lock(&dp_seg_pin_lock);
	dp_seg_unregister(seg);
	if (seg->pinned)
		dp_seg_iova_unpin(seg);
	pthread_mutex_unlock(&dp_seg_pin_lock);
	seg->magic = 0;
	if (seg->kind != DP_SEG_CALLER)
		dp_seg_release_huge(seg);
	dp_seg_obj_retire(seg);
	return DP_OK;
}

dp_err
dp_seg_attach(struct dp_seg *seg)
{
	dp_spin_lock(&seg->attach_lock);
	seg->pools++;
	dp_spin_unlock(&seg->attach_lock);
	return DP_OK;
}

void
dp_seg_detach(struct dp_seg *seg)
{
	dp_spin_lock(&seg->attach_lock);
	seg->pools--;
	dp_spin_unlock(&seg->attach_lock);
}

/* Bytes that min_n items would need from `addr`, saturating at SIZE_MAX. */
static size_t
bytes_needed(uintptr_t addr, size_t align, size_t stride, size_t pad, size_t min_n)
{
	uintptr_t start, stop, padded;
	size_t span;

	if (!dp_align_up(addr, align, &start) || !dp_mul(stride, min_n, &span) ||
	    start > UINTPTR_MAX - span)
		return SIZE_MAX;
	stop = start + span;
	if (!dp_align_up(stop, pad, &padded))
		return SIZE_MAX;
	return padded - addr;
}

/* How many items fit from `addr`, ignoring min/max; *start gets the first.
 * With `page`, only items inside the first page that can hold one. */
static size_t
fit_from(const struct dp_seg *seg, uintptr_t addr, size_t align, size_t stride,
	 size_t pad, size_t page, size_t max_n, uintptr_t *start, uintptr_t *stop)
{
	uintptr_t end = seg->base + seg->len; /* cannot wrap: checked at create */
	size_t n;

	if (!dp_align_up(addr, align, start) || *start >= end)
		return 0;
	if (page != 0) {
		if (stride > page)
			return 0;
		if ((*start & (page - 1)) + stride > page &&
		    (!dp_align_up(*start, page, start) || *start >= end))
			return 0;
		end = DP_MIN(end, (*start & ~(uintptr_t)(page - 1)) + page);
	}
	n = DP_MIN(max_n, (end - *start) / stride);
	/* Padding the end can push the last item out; drop items until the
	 * padded end fits (at most one step when pad divides stride). */
	while (n > 0) {
		uintptr_t padded;

		if (dp_align_up(*start + n * stride, pad, &padded) && padded <= end) {
			*stop = padded;
			break;
		}
		n--;
	}
	return n;
}

dp_err
dp_seg_reserve(struct dp_seg *seg, size_t align, size_t stride, size_t pad, size_t page,
	       size_t min_n, size_t max_n, struct dp_seg_carve *out, size_t *missing)
{
	size_t used = atomic_load_explicit(&seg->used, memory_order_relaxed);

	for (;;) {
		uintptr_t addr = seg->base + used, start = 0, stop = 0;
		size_t n = fit_from(seg, addr, align, stride, pad, page, max_n, &start, &stop);

		if (n < min_n || n == 0) {
			if (missing != NULL) {
				size_t need = bytes_needed(addr, align, stride, pad, min_n);
				size_t have = seg->len - used;
				*missing = need == SIZE_MAX ? SIZE_MAX : need - have;
			}
			return DP_ERR_SEG_OVERFLOW;
		}
		/* Back the memory before anyone can be handed it. */
		if (seg->on_demand &&
		    stop > seg->base + atomic_load_explicit(&seg->committed, memory_order_acquire)) {
			dp_err err = dp_seg_commit(seg, stop);
			if (err != DP_OK)
				return err;
		}
		/* acq_rel: a reservation must not be reordered before the
		 * load that decided it fits, nor after the stores into it. */
		if (atomic_compare_exchange_weak_explicit(&seg->used, &used,
							  stop - seg->base,
							  memory_order_acq_rel,
							  memory_order_relaxed)) {
			out->start = start;
			out->count = n;
			return DP_OK;
		}
	}
}

size_t
dp_seg_fit_count(const struct dp_seg *seg, size_t align, size_t stride, size_t page)
{
	size_t used = atomic_load_explicit(&seg->used, memory_order_relaxed), total = 0;
	uintptr_t start, stop, end = seg->base + seg->len, addr = seg->base + used;
	size_t n;

	if (page == 0)
		return fit_from(seg, addr, align, stride, 1, 0, SIZE_MAX, &start, &stop);
	/* The partial first page, then whole pages in closed form (stride is
	 * a multiple of align, so every page holds the same count), then the
	 * partial last page. */
	n = fit_from(seg, addr, align, stride, 1, page, SIZE_MAX, &start, &stop);
	if (n == 0 && (stride > page || !dp_align_up(addr, page, &start) || start >= end))
		return 0;
	if (n != 0)
		start = (start & ~(uintptr_t)(page - 1)) + page; /* next page */
	total = n;
	if (start < end) {
		size_t whole = (end - start) / page;
		uintptr_t tail = start + whole * page;

		total += whole * (page / stride);
		if (tail < end)
			total += (end - tail) / stride;
	}
	return total;
}

static dp_err
seg_alloc(struct dp_seg *seg, size_t size, size_t align, size_t pad, void **out,
	  size_t *missing)
{
	struct dp_seg_carve c;
	dp_err err = check_out(seg, out);

	if (err != DP_OK)
		return err;
	if (size == 0)
		return DP_ERR_INVALID_SIZE;
	if (!dp_is_pow2(align))
		return DP_ERR_INVALID_ALIGN;
	err = dp_seg_reserve(seg, DP_MAX(align, pad), size, pad, 0, 1, 1, &c, missing);
	if (err == DP_OK)
		*out = (void *)c.start;
	return err;
}

dp_err
dp_seg_alloc(struct dp_seg *seg, size_t size, size_t align, void **out, size_t *missing)
{
	return seg_alloc(seg, size, align, 1, out, missing);
}

dp_err
dp_seg_alloc_hw(struct dp_seg *seg, size_t size, size_t align, void **out,
		size_t *missing)
{
	dp_err err = check_handle(seg);

	if (err != DP_OK)
		return err;
	return seg_alloc(seg, size, align, seg->padding, out, missing);
}

dp_err
dp_seg_remaining(const struct dp_seg *seg, size_t align, size_t *out)
{
	dp_err err = check_out(seg, out);
	uintptr_t start, end;

	if (err != DP_OK)
		return err;
	if (!dp_is_pow2(align))
		return DP_ERR_INVALID_ALIGN;
	end = seg->base + seg->len;
	if (!dp_align_up(seg->base + atomic_load(&seg->used), align, &start) || start >= end)
		*out = 0;
	else
		*out = end - start;
	return DP_OK;
}

dp_err
dp_seg_info(const struct dp_seg *seg, struct dp_seg_info *out)
{
	dp_err err = check_out(seg, out);

	if (err != DP_OK)
		return err;
	memset(out, 0, sizeof(*out));
	memcpy(out->name, seg->name, sizeof(out->name));
	out->base = (void *)seg->base;
	out->len = seg->len;
	out->padding = seg->padding;
	out->kind = seg->kind;
	out->page_size = seg->page_size;
	out->node = seg->node;
	out->iova_mode = seg->iova_mode;
	out->iova_contig = seg->iova_contig;
	out->committed = seg->on_demand ? atomic_load(&seg->committed) : seg->len;
	out->used = atomic_load(&seg->used);
	dp_spin_lock((dp_spinlock_t *)&seg->attach_lock);
	out->pools = seg->pools;
	dp_spin_unlock((dp_spinlock_t *)&seg->attach_lock);
	return DP_OK;
}

dp_err
dp_seg_reset(struct dp_seg *seg)
{
	dp_err err = check_handle(seg);

	if (err != DP_OK)
		return err;
	dp_spin_lock(&seg->attach_lock);
	if (seg->pools != 0) {
		err = DP_ERR_SEG_BUSY;
	} else {
		atomic_store(&seg->used, 0);
	}
	dp_spin_unlock(&seg->attach_lock);
	return err;
}

dp_err
dp_seg_iova(const struct dp_seg *seg, const void *addr, uint64_t *iova)
{
	dp_err err = check_handle(seg);
	uintptr_t a = (uintptr_t)addr;

	if (err != DP_OK)
		return err;
	if (iova == NULL)
		return DP_ERR_NULL_PTR;
	if (a < seg->base || a - seg->base >= seg->len)
		return DP_ERR_OUT_OF_RANGE;
	*iova = dp_seg_iova_of(seg, a);
	return DP_OK;
}

dp_err
dp_seg_alloc_contig(struct dp_seg *seg, size_t size, size_t align, void **out, uint64_t *iova)
{
	struct dp_seg_carve c;
	dp_err err = check_handle(seg);
	size_t page;

	if (err != DP_OK)
		return err;
	if (out == NULL)
		return DP_ERR_NULL_PTR;
	if (size == 0)
		return DP_ERR_INVALID_SIZE;
	if (!dp_is_pow2(align))
		return DP_ERR_INVALID_ALIGN;
	page = seg->iova_contig ? 0 : seg->page_size;
	if (page != 0 && size > page)
		return DP_ERR_INVALID_SIZE;
	err = dp_seg_reserve(seg, DP_MAX(align, seg->padding), size, seg->padding, page, 1, 1, &c,
			     NULL);
	if (err != DP_OK)
		return err;
	*out = (void *)c.start;
	if (iova != NULL)
		*iova = dp_seg_iova_of(seg, c.start);
	return DP_OK;
}
