/* SPDX-License-Identifier: Apache-2.0 */
/* Bring up a minimal, private EAL for tests that need lcore ids. */
#ifndef DP_TEST_EAL_H
#define DP_TEST_EAL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

/* No PCI probing (the machine's own NIC must stay untouched), no hugepages
 * needed, no files shared with other processes (a prefix of its own, no
 * shared config), no telemetry socket. */
static inline void
eal_up(void)
{
	char prefix[64];
	char *argv[] = {
		"dp-test", "-l", "0", "--no-pci", "--no-huge", "-m", "64", "--no-shconf",
		"--file-prefix", prefix, "--no-telemetry", "--log-level", "lib.eal:error", NULL,
	};

	snprintf(prefix, sizeof(prefix), "dptest%d", (int)getpid());
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	cr_assert_geq(rte_eal_init(argc, argv), 0, "rte_eal_init failed: %s",
		      rte_strerror(rte_errno));
}

#endif /* DP_TEST_EAL_H */
