/* SPDX-License-Identifier: Apache-2.0 */
/* Packet-buffer layout: NIC granularity, mbuf header, padding. */
#include <rte_mbuf.h>

#include "common.h"

Test(pktbuf, rounds_data_room_to_the_nic_granularity)
{
	struct dp_pktbuf_layout l;

	assert_ok(dp_pktbuf_layout(2000, RTE_PKTMBUF_HEADROOM, 0, 0, 64, &l));
	cr_assert_eq(l.granularity, 128);
	cr_assert_eq(l.data_room, 2048);
	cr_assert_eq(l.hdr_size, sizeof(struct rte_mbuf));
	cr_assert_eq(l.buf_offset, sizeof(struct rte_mbuf));
	cr_assert_eq(l.buf_size, RTE_PKTMBUF_HEADROOM + 2048);
	cr_assert_eq(l.elt_size % 64, 0);
	cr_assert_geq(l.elt_size, l.buf_offset + l.buf_size);
	/* ixgbe: 1 KiB granules. */
	assert_ok(dp_pktbuf_layout(1500, 128, 0, 1024, 64, &l));
	cr_assert_eq(l.data_room, 2048);
	assert_ok(dp_pktbuf_layout(1500, 128, 0, 128, 64, &l));
	cr_assert_eq(l.data_room, 1536);
	/* Private area aligned as DPDK wants; element padded to 256. */
	assert_ok(dp_pktbuf_layout(1024, 128, 13, 128, 256, &l));
	cr_assert_eq(l.priv_size % RTE_MBUF_PRIV_ALIGN, 0);
	cr_assert_geq(l.priv_size, 13);
	cr_assert_eq(l.elt_size % 256, 0);
}

Test(pktbuf, elements_tile_a_hw_pool)
{
	struct region r = region_new(1 << 20, 0);
	struct dp_pktbuf_layout l;
	struct dp_seg *s;
	struct dp_pool *p;
	void *a, *b;

	assert_ok(dp_pktbuf_layout(2048, RTE_PKTMBUF_HEADROOM, 0, 0, 128, &l));
	assert_ok(dp_seg_create("pkt", r.base, r.len, 128, &s));
	struct dp_pool_params prm = params("pkt", l.elt_size, 64, 4, 0, DP_POOL_F_HW);
	assert_ok(dp_pool_create(s, &prm, &p));
	assert_ok(dp_pool_get(p, &a));
	assert_ok(dp_pool_get(p, &b));
	cr_assert_eq((uintptr_t)b - (uintptr_t)a, l.elt_size, "no padding needed beyond the layout");
	cr_assert_eq(((uintptr_t)a + l.buf_offset + l.headroom) % 64, 0, "packet data cache-aligned");
	assert_ok(dp_pool_put(p, a));
	assert_ok(dp_pool_put(p, b));
	assert_ok(dp_pool_destroy(p));
	assert_ok(dp_seg_destroy(s));
	free(r.raw);
}

Test(pktbuf, argument_errors)
{
	struct dp_pktbuf_layout l;

	assert_dp(dp_pktbuf_layout(2048, 128, 0, 0, 64, NULL), DP_ERR_NULL_PTR);
	assert_dp(dp_pktbuf_layout(0, 128, 0, 0, 64, &l), DP_ERR_INVALID_SIZE);
	assert_dp(dp_pktbuf_layout(2048, 128, 0, 100, 64, &l), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_pktbuf_layout(2048, 128, 0, 0, 0, &l), DP_ERR_INVALID_ALIGN);
	assert_dp(dp_pktbuf_layout(65535, 128, 0, 0, 64, &l), DP_ERR_OVERFLOW);
	assert_dp(dp_pktbuf_layout(60000, 6000, 0, 0, 64, &l), DP_ERR_OVERFLOW);
	assert_dp(dp_pktbuf_layout(SIZE_MAX, 0, 0, 0, 64, &l), DP_ERR_OVERFLOW);
}
