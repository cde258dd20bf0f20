/* SPDX-License-Identifier: Apache-2.0 */
#include "dp_telemetry.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_SOURCES 8

static const struct dp_telemetry_source *sources[MAX_SOURCES];
static atomic_uint nsources;

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd, (void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (unsigned int i = 0; i < atomic_load(&nsources); i++)
		sources[i]->list(d);
	return 0;
}

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (params == NULL || *params == '\0')
		return -1;
	for (unsigned int i = 0; i < atomic_load(&nsources); i++)
		if (sources[i]->info(params, d) == 0)
			return 0;
	return -1;
}

void
dp_telemetry_add_source(const struct dp_telemetry_source *src)
{
	unsigned int n = atomic_load(&nsources);

	if (n == 0) {
		/* The first source registers the commands; a second copy of
		 * the library (a plugin that carries its own) is refused by
		 * telemetry and simply stays silent. */
		(void)rte_telemetry_register_cmd("/dynpool/list", tel_list,
						 "Lists the dynpool pools. Takes no parameters");
		(void)rte_telemetry_register_cmd("/dynpool/info", tel_info,
						 "Describes a dynpool pool. Parameter: pool name");
	}
	if (n < MAX_SOURCES) {
		sources[n] = src;
		atomic_store(&nsources, n + 1);
	}
}
