/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-testpmd: EAL defaults that run anywhere. Never probe PCI unless
 * the user names devices (the machine's own NIC could be taken away from
 * the kernel); two net_null ports unless ports are named; no hugepages
 * when none are free; a file prefix of its own so several instances (or a
 * memif peer) can run side by side. Hugepage files stay linked while the
 * app runs, as with dpdk-testpmd: DPDK's secondary processes (proc-info,
 * pdump, dumpcap) map them by name. main() removes them at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static bool
has(int argc, char **argv, const char *const *names)
{
	for (int i = 1; i < argc; i++)
		for (const char *const *n = names; *n != NULL; n++) {
			size_t l = strlen(*n);
			if (strncmp(argv[i], *n, l) == 0 && (argv[i][l] == '\0' || argv[i][l] == '=' ||
							    (l == 2 && argv[i][0] == '-' && argv[i][1] != '-')))
				return true;
		}
	return false;
}

static long
free_hugepages(void)
{
	char line[128];
	long v = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f))
		if (strncmp(line, "HugePages_Free:", 15) == 0)
			v = strtol(line + 15, NULL, 10);
	if (f != NULL)
		fclose(f);
	return v;
}

int
tp_eal_args(int argc, char **argv, char ***out, bool *no_huge)
{
	static const char *const dev_opts[] = { "-a", "--allow", "-b", "--block", "--no-pci", NULL };
	static const char *const vdev_opts[] = { "--vdev", NULL };
	static const char *const lcore_opts[] = { "-l", "-c", "--lcores", NULL };
	static const char *const prefix_opts[] = { "--file-prefix", "--in-memory", NULL };
	static const char *const mem_opts[] = { "--no-huge", "-m", "--socket-mem", NULL };
	static char prefix[64];
	char **v = calloc((size_t)argc + 16, sizeof(char *));
	int n = 0;
	bool user_devs = has(argc, argv, dev_opts);

	if (v == NULL)
		return -1;
	for (int i = 0; i < argc; i++)
		v[n++] = argv[i];
	if (!user_devs)
		v[n++] = "--no-pci";
	if (!has(argc, argv, vdev_opts) && !has(argc, argv, (const char *const[]){ "-a", "--allow", NULL })) {
		v[n++] = "--vdev";
		v[n++] = "net_null0";
		v[n++] = "--vdev";
		v[n++] = "net_null1";
	}
	if (!has(argc, argv, lcore_opts)) {
		v[n++] = "-l";
		v[n++] = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? "0-1" : "0";
	}
	if (!has(argc, argv, prefix_opts)) {
		snprintf(prefix, sizeof(prefix), "dynpool-testpmd-%d", (int)getpid());
		v[n++] = "--file-prefix";
		v[n++] = prefix;
	}
	*no_huge = has(argc, argv, (const char *const[]){ "--no-huge", NULL });
	if (!has(argc, argv, mem_opts) && free_hugepages() == 0) {
		fprintf(stderr, "dynpool-testpmd: no free hugepages: running with --no-huge -m 1024 "
				"(reserve some with: echo 512 > /proc/sys/vm/nr_hugepages)\n");
		v[n++] = "--no-huge";
		v[n++] = "-m";
		v[n++] = "1024";
		*no_huge = true;
	}
	v[n] = NULL;
	*out = v;
	return n;
}
