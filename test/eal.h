/* SPDX-License-Identifier: Apache-2.0 */
/* Bring up a minimal, private EAL for tests that need lcore ids. */
#ifndef DP_TEST_EAL_H
#define DP_TEST_EAL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

/* No PCI probing (the machine's own NIC must stay untouched), no hugepages
 * needed, no files shared with other processes (a prefix of its own, no
 * shared config), no telemetry socket. `extra` (NULL-terminated, may be
 * NULL) adds arguments, e.g. virtual devices. */
static inline void
eal_up_with(const char *lcores, const char *mem_mb, const char *const *extra)
{
	char prefix[64];
	char *argv[32] = {
		"dp-test", "-l", (char *)lcores, "--no-pci", "--no-huge", "-m", (char *)mem_mb,
		"--no-shconf", "--file-prefix", prefix, "--no-telemetry", "--log-level",
		"lib.eal:error",
	};
	int argc = 13;

	snprintf(prefix, sizeof(prefix), "dptest%d", (int)getpid());
	for (; extra != NULL && *extra != NULL && argc < 31; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	cr_assert_geq(rte_eal_init(argc, argv), 0, "rte_eal_init failed: %s",
		      rte_strerror(rte_errno));
}

/* The start of the reason of a skip that only the checker of the stage
 * causes (valgrind, asan): cr_skip_test(DP_NOT_UNDER("valgrind") "why").
 * scripts/test-summary.py names such a skip only in a stage that really
 * runs that checker; anywhere else (and on CI) it is a failure. */
#define DP_NOT_UNDER(checker) "[not-under:" checker "] "

/* Under valgrind (quickstart runs the unit suite there too): its
 * preload library is in LD_PRELOAD. */
static inline int
eal_under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p != NULL && strstr(p, "vgpreload") != NULL;
}

static inline int
eal_hugetlbfs_mounted(void)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[512];
	int found = 0;

	while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, " hugetlbfs ") != NULL;
	if (f != NULL)
		fclose(f);
	return found;
}

/* rte_eal_init() for an argv that asks for --in-memory hugepages.
 * --in-memory registers every page size the kernel offers, mounted or
 * not, and reserves address space for each: where 1 GiB pages exist
 * (pdpe1gb), their memseg lists take 64 GiB beside the 64 GiB of the
 * 2 MiB ones, past the 128 GiB valgrind can map, and rte_eal_init fails
 * (ENOMEM). So under valgrind the EAL takes only mounted sizes:
 * hugetlbfs files unlinked once mapped (--huge-unlink), no shared config
 * (--no-shconf), the caller's --file-prefix or one of its own. The
 * memory is the same hugepages either way. A failure under valgrind
 * skips (named by scripts/test-summary.py) only without a hugetlbfs
 * mount, which that path needs. */
static inline int
eal_init_huge(int argc, char **argv)
{
	char *args[40];
	char prefix[64];
	int n = 0, named = 0, ret;

	for (int i = 0; i < argc && n < 36; i++) {
		named |= strcmp(argv[i], "--file-prefix") == 0;
		if (eal_under_valgrind() && strcmp(argv[i], "--in-memory") == 0) {
			args[n++] = "--huge-unlink";
			args[n++] = "--no-shconf";
		} else {
			args[n++] = argv[i];
		}
	}
	if (eal_under_valgrind() && !named) {
		snprintf(prefix, sizeof(prefix), "dpvg%d", (int)getpid());
		args[n++] = "--file-prefix";
		args[n++] = prefix;
	}
	args[n] = NULL;
	ret = rte_eal_init(n, args);
	if (ret < 0 && eal_under_valgrind() && !eal_hugetlbfs_mounted())
		cr_skip_test(DP_NOT_UNDER("valgrind") "hugepage EAL under valgrind needs a hugetlbfs mount: %s",
			     rte_strerror(rte_errno));
	return ret;
}

/* 2 MiB hugepages, memory on demand (DPDK's dynamic mode), nothing in
 * the file system (--in-memory): for what must be real DPDK memory.
 * `extra` as above (e.g. "--iova-mode=pa"). Skips without hugepages. */
static inline void
eal_up_huge(const char *lcores, const char *const *extra)
{
	char *argv[32] = {
		"dp-test", "-l", (char *)lcores, "--no-pci", "--in-memory", "--no-telemetry",
		"--log-level", "lib.eal:error",
	};
	int argc = 8;
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long total = 0;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Total: %ld", &total) == 1)
			break;
	if (f != NULL)
		fclose(f);
	if (total == 0)
		cr_skip_test("needs 2 MiB hugepages (scripts/hugepages.sh)");
	for (; extra != NULL && *extra != NULL && argc < 31; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	cr_assert_geq(eal_init_huge(argc, argv), 0, "rte_eal_init failed: %s", rte_strerror(rte_errno));
}

static inline void
eal_up(void)
{
	eal_up_with("0", "64", NULL);
}

#endif /* DP_TEST_EAL_H */
