/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynpool-testpmd: why EAL refused to start, named from what EAL said.
 *
 * rte_errno alone cannot tell a refused option from a missing driver
 * (both are EINVAL), so EAL's log is teed while rte_eal_init() runs: to
 * stdout, where EAL's console log goes anyway, and into a small buffer
 * whose error lines are matched against the causes users meet.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "config.h"

static char seen[8192];
static size_t seen_len;
static FILE *tee;

static ssize_t
tee_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	fwrite(buf, 1, size, stdout);
	fflush(stdout);
	if (size >= sizeof(seen)) {
		buf += size - (sizeof(seen) - 1);
		size = sizeof(seen) - 1;
	}
	if (seen_len + size >= sizeof(seen)) { /* keep the newest lines */
		size_t drop = seen_len + size - (sizeof(seen) - 1);

		memmove(seen, seen + drop, seen_len - drop);
		seen_len -= drop;
	}
	memcpy(seen + seen_len, buf, size);
	seen_len += size;
	seen[seen_len] = '\0';
	return (ssize_t)size;
}

void
tp_eal_log_tee_begin(void)
{
	cookie_io_functions_t io = { .write = tee_write };

	seen_len = 0;
	seen[0] = '\0';
	tee = fopencookie(NULL, "w", io);
	if (tee != NULL) {
		setvbuf(tee, NULL, _IOLBF, 0);
		rte_openlog_stream(tee);
	}
}

void
tp_eal_log_tee_end(void)
{
	if (tee == NULL)
		return;
	rte_openlog_stream(NULL); /* back to EAL's console log */
	fclose(tee);
	tee = NULL;
}

/* The first line of EAL's output containing `needle`, trimmed; NULL if none. */
static const char *
line_with(const char *needle, char *out, size_t len)
{
	const char *p = strstr(seen, needle), *b, *e;

	if (p == NULL)
		return NULL;
	for (b = p; b > seen && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	if (e == NULL)
		e = seen + seen_len;
	snprintf(out, len, "%.*s", (int)(e - b), b);
	return out;
}

struct cause {
	const char *needle; /* in EAL's output */
	const char *hint;
};

static const struct cause causes[] = {
	{ "is not compatible with", "two EAL options that EAL refuses together (quoted above): "
				    "drop one of them" },
	{ "unrecognized option", "an option EAL does not know: app options go after '--'" },
	{ "invalid option", "an option EAL does not know: app options go after '--'" },
	/* Before the generic line EAL ends every refusal with: these name
	 * the option. */
	{ "invalid parameters for", "a value EAL refuses for the option quoted above" },
	{ " unavailable", "-l/-c/--lcores names CPUs this machine does not have or this "
			  "process may not use (see nproc, taskset -p $$)" },
	{ "Invalid 'command line'", "an option EAL does not know, or a value it refuses: the "
				    "line above the usage text names it (app options go after '--')" },
	{ "Unable to parse device", "a --vdev or -a device EAL cannot parse: an unknown driver "
				    "name (net_null, net_ring, net_memif, net_af_packet) or a bad "
				    "argument" },
	{ "Invalid", "an EAL option value EAL refuses (quoted above)" },
	{ "world-writable", "a -d plugin under a world-writable directory (/tmp included): "
			    "keep plugins in a private directory, or LD_PRELOAD them" },
	{ "permissions", "a -d plugin path EAL refuses: keep plugins in a private directory" },
	{ "cannot open shared object", "a -d plugin that cannot be loaded (path or its "
				       "dependencies)" },
	{ "Cannot init plugins", "a -d plugin that cannot be loaded" },
	{ "Is another primary process running", "another DPDK process uses the same file "
						"prefix: give this one --file-prefix NAME" },
	{ "Cannot create lock", "another DPDK process uses the same file prefix: give this one "
				"--file-prefix NAME" },
	{ "Cannot get hugepage information", "no hugepages: reserve some (echo 512 > "
					     "/proc/sys/vm/nr_hugepages) or run with --no-huge -m 1024" },
	{ "Cannot init memory", "not enough memory for -m/--socket-mem: reserve hugepages or "
				"ask for less" },
	{ "Cannot allocate memory", "not enough hugepages: reserve more or ask for less" },
	{ "failed to initialize", "a --vdev device its driver refused (its arguments, quoted "
				  "above)" },
	{ "Bus (vdev) probe failed", "a --vdev device its driver refused" },
	{ "Cannot find", "a --vdev driver that is not loaded (net_null, net_ring, net_memif, "
			 "net_af_packet) or a device that does not exist" },
};

void
tp_eal_explain(int err)
{
	char line[512];

	/* some refusals leave rte_errno at 0 */
	fprintf(stderr, "dynpool-testpmd: EAL initialisation failed%s%s\n", err ? ": " : "",
		err ? rte_strerror(err) : "");
	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (line_with(causes[i].needle, line, sizeof(line)) != NULL) {
			fprintf(stderr, "  EAL said: %s\n  cause: %s\n", line, causes[i].hint);
			return;
		}
	if (err == ENOMEM)
		fprintf(stderr, "  likely cause: not enough hugepages. Reserve some (echo 512 > "
				"/proc/sys/vm/nr_hugepages) or run with --no-huge -m 1024\n");
	else if (err == EALREADY || err == EBUSY)
		fprintf(stderr, "  likely cause: another DPDK process uses the same file prefix. "
				"Give this one its own: --file-prefix NAME\n");
	else if (err == EACCES || err == EPERM)
		fprintf(stderr, "  likely cause: not root\n");
	else
		fprintf(stderr, "  the EAL messages above say which option or device it refused\n");
}
