/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers: power-of-two arithmetic without silent wrap-around. */
#ifndef DP_UTIL_H
#define DP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_compiler.h"

#define DP_MAX(a, b) ((a) > (b) ? (a) : (b))
#define DP_MIN(a, b) ((a) < (b) ? (a) : (b))

static inline bool
dp_is_pow2(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Round x up to a multiple of the power of two a; false if that wraps. */
static inline bool
dp_align_up(uintptr_t x, size_t a, uintptr_t *out)
{
	uintptr_t mask = (uintptr_t)a - 1;
	if (x > UINTPTR_MAX - mask)
		return false;
	*out = (x + mask) & ~mask;
	return true;
}

/* a * b, false if it overflows size_t. */
static inline bool
dp_mul(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

/* Copy a name into a fixed buffer; false if it does not fit or is empty. */
bool dp_name_copy(char *dst, size_t cap, const char *src);

#endif /* DP_UTIL_H */
