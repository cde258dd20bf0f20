/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Audit: prove that every carved block is in exactly one place. O(carved)
 * time and carved/8 bytes of scratch; holds the pool lock throughout.
 */
#include <stdlib.h>
#include <string.h>

#include "dp_pool_impl.h"

dp_err
dp_pool_audit(struct dp_pool *p, struct dp_pool_audit *out)
{
	struct dp_pool_audit a;
	dp_err err = dp_pool_check_handle(p);
	unsigned char *seen;

	if (err != DP_OK)
		return err;
	memset(&a, 0, sizeof(a));

	dp_spin_lock(&p->lock);
	seen = calloc(p->carved / 8 + 1, 1);
	if (seen == NULL) {
		dp_spin_unlock(&p->lock);
		return DP_ERR_NO_MEMORY;
	}
	a.carved = p->map.nblocks;
	a.free_listed = p->nfree;
	for (size_t i = 0; i < p->nfree; i++) {
		size_t idx;

		if (dp_blkmap_index(&p->map, p->stack[i], &idx) != DP_OK) {
			a.bad_entries++;
			continue;
		}
		if (seen[idx / 8] & (1u << (idx % 8))) {
			a.duplicates++;
			continue;
		}
		seen[idx / 8] |= (unsigned char)(1u << (idx % 8));
		if (p->tracked && dp_blkmap_state(&p->map, idx) != DP_BLK_FREE)
			a.state_mismatch++;
	}
	if (p->tracked) {
		/* Blocks not in the stack must read as handed out. */
		for (size_t idx = 0; idx < a.carved; idx++)
			if (!(seen[idx / 8] & (1u << (idx % 8))) &&
			    dp_blkmap_state(&p->map, idx) != DP_BLK_USED)
				a.state_mismatch++;
	}
	a.in_use = a.carved >= a.free_listed ? a.carved - a.free_listed : 0;
	if (a.carved != p->carved || a.in_use != p->in_use ||
	    a.free_listed > a.carved || a.bad_entries || a.duplicates || a.state_mismatch)
		err = DP_ERR_CORRUPT;
	dp_spin_unlock(&p->lock);
	free(seen);

	if (out != NULL)
		*out = a;
	return err;
}
