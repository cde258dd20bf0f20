/* SPDX-License-Identifier: Apache-2.0 */
/* Error codes: stable values, a name and a description for each. */
#include "common.h"

Test(err, every_code_has_a_distinct_name_and_text)
{
	for (int e = 0; e < DP_ERR__COUNT; e++) {
		const char *name = dp_errname((dp_err)e), *text = dp_strerror((dp_err)e);

		cr_assert_not_null(name);
		cr_assert_not_null(text);
		cr_assert_neq(strcmp(name, "DP_ERR_UNKNOWN"), 0, "code %d has no name", e);
		cr_assert_neq(strcmp(text, "unknown error"), 0, "code %d has no text", e);
		for (int f = 0; f < e; f++)
			cr_assert_neq(strcmp(name, dp_errname((dp_err)f)), 0);
	}
}

Test(err, values_are_stable)
{
	cr_assert_eq(DP_OK, 0);
	cr_assert_eq(DP_ERR_NULL_PTR, 1);
	cr_assert_eq(DP_ERR_SEG_OVERFLOW, 12);
	cr_assert_eq(DP_ERR_POOL_EMPTY, 13);
	cr_assert_eq(DP_ERR_DOUBLE_FREE, 17);
	cr_assert_str_eq(dp_errname(DP_ERR_POOL_EMPTY), "DP_ERR_POOL_EMPTY");
	cr_assert_str_eq(dp_strerror(DP_OK), "success");
}

Test(err, unknown_values_are_handled)
{
	cr_assert_str_eq(dp_errname((dp_err)-1), "DP_ERR_UNKNOWN");
	cr_assert_str_eq(dp_strerror((dp_err)DP_ERR__COUNT), "unknown error");
	cr_assert_str_eq(dp_strerror((dp_err)12345), "unknown error");
}
