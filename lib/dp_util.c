/* SPDX-License-Identifier: Apache-2.0 */
#include "dp_util.h"

#include <string.h>

bool
dp_name_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap);

	if (n == 0 || n == cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}
