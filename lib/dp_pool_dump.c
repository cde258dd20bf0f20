/* SPDX-License-Identifier: Apache-2.0 */
/* Human-readable dump of a pool, and its telemetry view. */
#include <inttypes.h>
#include <stdio.h>

#include <rte_telemetry.h>

#include "dp_pool_impl.h"
#include "dp_rte_compat.h"
#include "dp_telemetry.h"

dp_err
dp_pool_dump(FILE *f, const struct dp_pool *p)
{
	struct dp_pool_stats st;
	struct dp_pool_info in;
	dp_err err;

	if (f == NULL)
		return DP_ERR_NULL_PTR;
	if ((err = dp_pool_info(p, &in)) != DP_OK || (err = dp_pool_stats(p, &st)) != DP_OK)
		return err;
	fprintf(f, "dynpool pool <%s>@%p\n", in.name, (const void *)p);
	fprintf(f, "  block_size=%zu block_align=%zu footprint=%zu flags=%#x%s%s%s\n",
		in.block_size, in.block_align, in.footprint, in.flags,
		in.flags & DP_POOL_F_HW ? " hw" : "", in.checked ? " checked" : " unchecked",
		in.tracked ? " tracked" : "");
	fprintf(f, "  initial=%zu maximum=%zu%s grow_batch=%zu cache_size=%u\n", in.initial,
		in.maximum, in.maximum ? "" : " (unlimited)", in.grow_batch, in.cache_size);
	fprintf(f, "  carved=%zu in_use=%zu free=%zu in_caches=%zu high_watermark=%zu\n", st.carved,
		st.in_use, st.free, st.in_caches, st.high_watermark);
	fprintf(f, "  grow_events=%" PRIu64 " fails: pool_empty=%" PRIu64 " seg_overflow=%" PRIu64
		" no_memory=%" PRIu64 " not_in_pool=%" PRIu64 " not_block_start=%" PRIu64
		" double_free=%" PRIu64 " pool_full=%" PRIu64 "\n", st.grow_events, st.fail_pool_empty,
		st.fail_seg_overflow, st.fail_no_memory, st.fail_not_in_pool, st.fail_not_block_start,
		st.fail_double_free, st.fail_pool_full);
	return DP_OK;
}

/* Telemetry source for native pools. */
static void
add_name(struct dp_pool *p, void *arg)
{
	rte_tel_data_add_array_string(arg, p->name);
}

static void
native_list(struct rte_tel_data *d)
{
	dp_pool_walk(add_name, d);
}

static int
native_info(const char *name, struct rte_tel_data *d)
{
	struct dp_pool *p;
	struct dp_pool_stats st;
	struct dp_pool_info in;

	if (dp_pool_lookup(name, &p) != DP_OK || dp_pool_info(p, &in) != DP_OK ||
	    dp_pool_stats(p, &st) != DP_OK)
		return -1;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", in.name);
	rte_tel_data_add_dict_string(d, "kind", in.flags & DP_POOL_F_HW ? "hw pool" : "pool");
	rte_tel_data_add_dict_uint(d, "block_size", in.block_size);
	rte_tel_data_add_dict_uint(d, "footprint", in.footprint);
	rte_tel_data_add_dict_uint(d, "maximum", in.maximum);
	rte_tel_data_add_dict_uint(d, "cache_size", in.cache_size);
	rte_tel_data_add_dict_uint(d, "carved", st.carved);
	rte_tel_data_add_dict_uint(d, "in_use", st.in_use);
	rte_tel_data_add_dict_uint(d, "free", st.free);
	rte_tel_data_add_dict_uint(d, "in_caches", st.in_caches);
	rte_tel_data_add_dict_uint(d, "high_watermark", st.high_watermark);
	rte_tel_data_add_dict_uint(d, "grow_events", st.grow_events);
	rte_tel_data_add_dict_uint(d, "fail_pool_empty", st.fail_pool_empty);
	rte_tel_data_add_dict_uint(d, "fail_seg_overflow", st.fail_seg_overflow);
	rte_tel_data_add_dict_uint(d, "fail_double_free", st.fail_double_free);
	return 0;
}

RTE_INIT(dp_pool_telemetry_init)
{
	static const struct dp_telemetry_source native = { native_list, native_info };

	dp_telemetry_add_source(&native);
}
