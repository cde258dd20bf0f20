/* SPDX-License-Identifier: Apache-2.0 */
#include "dp_pktbuf.h"

#include <stdint.h>

#include <rte_mbuf.h>

#include "dp_util.h"

dp_err
dp_pktbuf_layout(size_t data_room, size_t headroom, size_t priv_size, size_t granularity,
		 size_t padding, struct dp_pktbuf_layout *out)
{
	uintptr_t room, priv, elt;

	if (out == NULL)
		return DP_ERR_NULL_PTR;
	if (data_room == 0)
		return DP_ERR_INVALID_SIZE;
	if (granularity == 0)
		granularity = DP_PKTBUF_GRANULARITY;
	if (!dp_is_pow2(granularity) || !dp_is_pow2(padding))
		return DP_ERR_INVALID_ALIGN;
	if (!dp_align_up(data_room, granularity, &room) ||
	    !dp_align_up(priv_size, RTE_MBUF_PRIV_ALIGN, &priv) || room > UINT16_MAX ||
	    headroom > UINT16_MAX - room || priv > UINT16_MAX)
		return DP_ERR_OVERFLOW;
	if (!dp_align_up(sizeof(struct rte_mbuf) + priv + headroom + room, padding, &elt))
		return DP_ERR_OVERFLOW;
	out->hdr_size = sizeof(struct rte_mbuf);
	out->priv_size = priv;
	out->headroom = headroom;
	out->data_room = room;
	out->buf_size = headroom + room;
	out->buf_offset = sizeof(struct rte_mbuf) + priv;
	out->elt_size = elt;
	out->granularity = granularity;
	return DP_OK;
}
