/* SPDX-License-Identifier: Apache-2.0 */
/* dynpool-testpmd: the primary's hugepage files, removed at exit. */
#ifndef TP_HUGEFILES_H
#define TP_HUGEFILES_H

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

#endif /* TP_HUGEFILES_H */
