/* SPDX-License-Identifier: Apache-2.0 */
/* What the multi-process test programs (dp_mp, dp_mp_elastic) share:
 * their TAP lines, and their EAL start: one core, the primary or secondary role, the run's --file-prefix, no
 * PCI probing, then the primary's extra arguments and the plugin
 * arguments the script passed (-d, the same in every process). */
#ifndef DP_TEST_MP_COMMON_H
#define DP_TEST_MP_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>

/* The secondary maps DPDK memory at the primary's addresses. By default
 * EAL asks for 4 GiB, which ASan's shadow holds, and then takes what the
 * kernel gives near the libraries, where the secondary's own mappings may
 * already sit (about 1 run in 5 under ASan). 32 TiB is clear of both, with
 * or without ASan: every primary passes it. */
#define MP_BASE_VIRTADDR "--base-virtaddr=0x200000000000"

/* `primary_extra`: NULL-terminated, given to the primary only. */
static inline int
mp_eal_init(const char *prog, int argc, char **argv, const char *lcores, const char *type,
	    const char *prefix, const char *const *primary_extra)
{
	char *args[64];
	int n = 0;

	args[n++] = (char *)prog;
	args[n++] = "-l";
	args[n++] = (char *)lcores;
	args[n++] = (char *)type;
	args[n++] = "--file-prefix";
	args[n++] = (char *)prefix;
	args[n++] = "--no-pci";
	args[n++] = "--no-telemetry";
	args[n++] = "--log-level";
	args[n++] = "lib.eal:error";
	if (strcmp(type, "--proc-type=primary") == 0)
		for (; *primary_extra != NULL && n < 32; primary_extra++)
			args[n++] = (char *)*primary_extra;
	for (int i = 0; i < argc && n < 63; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return rte_eal_init(n, args);
}

static int ntests, nfailed;

/* One TAP result line; a failure counts in nfailed (the exit status). */
static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	nfailed += !ok;
}

#endif /* DP_TEST_MP_COMMON_H */
