/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: what DPDK secondaries need from this primary: its
 * hugepage files while it runs (removed at exit), and its ops order. */
#ifndef TP_SECONDARY_H
#define TP_SECONDARY_H

#include <stdio.h>

#define TP_HUGEFILE_DIRS 4

struct tp_hugefiles {
	char prefix[80];                   /* "<file prefix>map_" */
	char dirs[TP_HUGEFILE_DIRS][256];  /* hugetlbfs directories in use */
	unsigned int ndirs;
};

/* While EAL runs (primary only; nothing to learn without hugepage files):
 * note where this process's hugepage files are. */
void tp_hugefiles_learn(struct tp_hugefiles *h);
/* After rte_eal_cleanup(): remove them. Returns how many were removed. */
unsigned int tp_hugefiles_remove(const struct tp_hugefiles *h);

/* One line on how DPDK's secondary tools attach to this process. */
void tp_secondary_hint(FILE *out);

#endif /* TP_SECONDARY_H */
