/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Segments: a registry of live regions (to refuse overlaps, as uC/LIB
 * does) and a lock-free bump allocator per region.
 */
#include "dp_seg_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dp_util.h"

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dp_seg *registry;

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

dp_err
dp_seg_create(const char *name, void *base, size_t len, size_t padding,
	      struct dp_seg **out)
{
	struct dp_seg *seg;
	dp_err err;

	if (name == NULL || base == NULL || out == NULL)
		return DP_ERR_NULL_PTR;
	if (len == 0)
		return DP_ERR_INVALID_SIZE;
	if ((uintptr_t)base > UINTPTR_MAX - len)
		return DP_ERR_SEG_RANGE;
	if (!dp_is_pow2(padding))
		return DP_ERR_INVALID_ALIGN;

	seg = calloc(1, sizeof(*seg));
	if (seg == NULL)
		return DP_ERR_NO_MEMORY;
	if (!dp_name_copy(seg->name, sizeof(seg->name), name)) {
		free(seg);
		return DP_ERR_INVALID_NAME;
	}
	seg->base = (uintptr_t)base;
	seg->len = len;
	seg->padding = padding;
	atomic_init(&seg->used, 0);
	dp_spin_init(&seg->attach_lock);

	pthread_mutex_lock(&registry_lock);
	err = registry_check(seg->base, len);
	if (err == DP_OK) {
		seg->magic = DP_SEG_MAGIC;
		seg->reg_next = registry;
		registry = seg;
	}
	pthread_mutex_unlock(&registry_lock);

	if (err != DP_OK) {
		free(seg);
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

	pthread_mutex_lock(&registry_lock);
	dp_spin_lock(&seg->attach_lock);
	if (seg->pools != 0) {
		dp_spin_unlock(&seg->attach_lock);
		pthread_mutex_unlock(&registry_lock);
		return DP_ERR_SEG_BUSY;
	}
	for (struct dp_seg **pp = &registry; *pp != NULL; pp = &(*pp)->reg_next) {
		if (*pp == seg) {
			*pp = seg->reg_next;
			break;
		}
	}
	seg->magic = 0;
	dp_spin_unlock(&seg->attach_lock);
	pthread_mutex_unlock(&registry_lock);
	free(seg);
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

/* How many items fit from `addr`, ignoring min/max; *start gets the first. */
static size_t
fit_from(const struct dp_seg *seg, uintptr_t addr, size_t align, size_t stride,
	 size_t pad, size_t max_n, uintptr_t *start, uintptr_t *stop)
{
	uintptr_t end = seg->base + seg->len; /* cannot wrap: checked at create */
	size_t n;

	if (!dp_align_up(addr, align, start) || *start >= end)
		return 0;
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
dp_seg_reserve(struct dp_seg *seg, size_t align, size_t stride, size_t pad,
	       size_t min_n, size_t max_n, struct dp_seg_carve *out, size_t *missing)
{
	size_t used = atomic_load_explicit(&seg->used, memory_order_relaxed);

	for (;;) {
		uintptr_t addr = seg->base + used, start = 0, stop = 0;
		size_t n = fit_from(seg, addr, align, stride, pad, max_n, &start, &stop);

		if (n < min_n || n == 0) {
			if (missing != NULL) {
				size_t need = bytes_needed(addr, align, stride, pad, min_n);
				size_t have = seg->len - used;
				*missing = need == SIZE_MAX ? SIZE_MAX : need - have;
			}
			return DP_ERR_SEG_OVERFLOW;
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
dp_seg_fit_count(const struct dp_seg *seg, size_t align, size_t stride)
{
	size_t used = atomic_load_explicit(&seg->used, memory_order_relaxed);
	uintptr_t start, stop;

	return fit_from(seg, seg->base + used, align, stride, 1, SIZE_MAX, &start, &stop);
}

static dp_err
seg_alloc(struct dp_seg *seg, size_t size, size_t align, size_t pad, void **out,
	  size_t *missing)
{
	struct dp_seg_carve c;
	dp_err err = check_handle(seg);

	if (err != DP_OK)
		return err;
	if (out == NULL)
		return DP_ERR_NULL_PTR;
	if (size == 0)
		return DP_ERR_INVALID_SIZE;
	if (!dp_is_pow2(align))
		return DP_ERR_INVALID_ALIGN;
	err = dp_seg_reserve(seg, DP_MAX(align, pad), size, pad, 1, 1, &c, missing);
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
	dp_err err = check_handle(seg);
	uintptr_t start, end;

	if (err != DP_OK)
		return err;
	if (out == NULL)
		return DP_ERR_NULL_PTR;
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
	dp_err err = check_handle(seg);

	if (err != DP_OK)
		return err;
	if (out == NULL)
		return DP_ERR_NULL_PTR;
	memset(out, 0, sizeof(*out));
	memcpy(out->name, seg->name, sizeof(out->name));
	out->base = (void *)seg->base;
	out->len = seg->len;
	out->padding = seg->padding;
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
