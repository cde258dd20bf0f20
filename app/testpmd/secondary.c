/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-testpmd: what DPDK secondaries need from this primary.
 *
 * Hugepage files, removed at exit.
 *
 * DPDK 22.11 keeps a primary's hugepage files after rte_eal_cleanup()
 * (dpdk-testpmd leaves <prefix>map_* behind), and they hold their pages
 * until the same prefix runs again. The app cannot unlink them up front
 * (--huge-unlink) because secondaries (proc-info, pdump, dumpcap) open
 * them by name, so it removes them once it is done: the directories are
 * learnt from the segments' file descriptors before EAL goes away, the
 * files removed after. A secondary still attached keeps its mappings.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "secondary.h"

static int
learn_dir(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	struct tp_hugefiles *h = arg;
	char link[64], path[PATH_MAX];
	ssize_t n;
	char *slash;
	int fd;

	(void)msl;
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0)
		return 0; /* --no-huge, --in-memory: no file */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL || strncmp(slash + 1, h->prefix, strlen(h->prefix)) != 0)
		return 0;
	*slash = '\0';
	for (unsigned int i = 0; i < h->ndirs; i++)
		if (strcmp(h->dirs[i], path) == 0)
			return 0;
	if (h->ndirs < TP_HUGEFILE_DIRS && strlen(path) < sizeof(h->dirs[0]))
		strcpy(h->dirs[h->ndirs++], path);
	return 0;
}

void
tp_hugefiles_learn(struct tp_hugefiles *h)
{
	const char *run = rte_eal_get_runtime_dir();
	const char *base = strrchr(run, '/');

	memset(h, 0, sizeof(*h));
	if (rte_eal_process_type() != RTE_PROC_PRIMARY || base == NULL)
		return;
	/* EAL names the files <prefix>map_<n>; the prefix is the runtime
	 * directory's name. */
	snprintf(h->prefix, sizeof(h->prefix), "%smap_", base + 1);
	rte_memseg_walk_thread_unsafe(learn_dir, h);
}

unsigned int
tp_hugefiles_remove(const struct tp_hugefiles *h)
{
	unsigned int removed = 0;

	for (unsigned int i = 0; i < h->ndirs; i++) {
		DIR *d = opendir(h->dirs[i]);
		struct dirent *e;

		while (d != NULL && (e = readdir(d)) != NULL) {
			char path[PATH_MAX + 256];

			if (strncmp(e->d_name, h->prefix, strlen(h->prefix)) != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", h->dirs[i], e->d_name);
			if (unlink(path) == 0)
				removed++;
		}
		if (d != NULL)
			closedir(d);
	}
	return removed;
}

/* DPDK records a pool's ops as an index into the process's own table, so
 * a secondary must register ops in this process's order: name it. */
void
tp_secondary_hint(FILE *out)
{
	char config[PATH_MAX];

	/* Secondaries map the primary's hugepage files through its shared
	 * config: without either, none can attach. */
	snprintf(config, sizeof(config), "%s/config", rte_eal_get_runtime_dir());
	if (!rte_eal_has_hugepages() || access(config, F_OK) != 0) {
		fprintf(out, "secondaries: none can attach (%s)\n",
			!rte_eal_has_hugepages() ? "no hugepages" : "--in-memory");
		return;
	}
	fprintf(out, "secondaries (dpdk-proc-info, dpdk-pdump, dpdk-dumpcap): --file-prefix %s",
		strrchr(rte_eal_get_runtime_dir(), '/') + 1);
	if (rte_mempool_ops_table.num_ops > 0 &&
	    strcmp(rte_mempool_ops_table.ops[0].name, "dynpool") == 0)
		fprintf(out, ", with the dynpool plugin loaded first (-d PLUGIN; LD_PRELOAD=PLUGIN "
			"for dpdk-dumpcap): mempool ops #0 here is dynpool");
	fprintf(out, "\n");
}
