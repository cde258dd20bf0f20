/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dp_pktbuf.h
 * Layout of mbuf-compatible packet buffers for NIC DMA.
 *
 * An element is laid out as DPDK's rte_pktmbuf_pool_create() lays out an
 * mbuf: the struct rte_mbuf header, the application's private area, then
 * the buffer (headroom, then the data room the NIC writes into). NICs
 * receive into buffers whose size is a multiple of their granularity (the
 * SRRCTL/RXDCTL buffer size field: 128 B on i40e and ice, 1 KiB on ixgbe);
 * a data room that is not a multiple wastes the remainder or, worse, makes
 * the driver round down and split frames. So the data room is rounded up
 * to the granularity, and the element to the segment's padding, so a HW
 * pool of such elements hands out DMA-ready buffers back to back.
 */
#ifndef DP_PKTBUF_H
#define DP_PKTBUF_H

#include <stddef.h>

#include "dp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default NIC receive-buffer granularity (i40e, ice). */
#define DP_PKTBUF_GRANULARITY 128u

/** Computed layout, offsets from the start of the element. */
struct dp_pktbuf_layout {
	size_t hdr_size;    /**< sizeof(struct rte_mbuf). */
	size_t priv_size;   /**< Private area, rounded to RTE_MBUF_PRIV_ALIGN. */
	size_t headroom;    /**< Bytes before packet data (RTE_PKTMBUF_HEADROOM is typical). */
	size_t data_room;   /**< Bytes the NIC may write: a multiple of granularity. */
	size_t buf_size;    /**< headroom + data_room: the mbuf data room size to
			     *   give rte_pktmbuf_pool_create() (buf_len). */
	size_t buf_offset;  /**< hdr_size + priv_size: where the buffer starts. */
	size_t elt_size;    /**< buf_offset + buf_size rounded up to padding. */
	size_t granularity; /**< As used. */
};

/**
 * Compute the layout of an mbuf-compatible element.
 *
 * @param data_room   Bytes of packet data per buffer, > 0 (rounded up).
 * @param headroom    Bytes reserved before the data.
 * @param priv_size   Application private area per mbuf.
 * @param granularity NIC buffer granularity, a power of two; 0 = 128.
 * @param padding     Segment padding the element size must be a multiple
 *                    of (1 for none), a power of two.
 * @return ::DP_OK, ::DP_ERR_NULL_PTR, ::DP_ERR_INVALID_SIZE (data_room 0),
 *         ::DP_ERR_INVALID_ALIGN (granularity or padding),
 *         ::DP_ERR_OVERFLOW (buffer above 65535 bytes: mbuf lengths are 16-bit).
 */
DP_NODISCARD dp_err dp_pktbuf_layout(size_t data_room, size_t headroom, size_t priv_size,
				     size_t granularity, size_t padding,
				     struct dp_pktbuf_layout *out);

#ifdef __cplusplus
}
#endif

#endif /* DP_PKTBUF_H */
