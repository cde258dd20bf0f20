/* SPDX-License-Identifier: Apache-2.0 */
/* Standalone-mode uC/CPU services: the critical section and the software
 * exception trap behind CPU_CRITICAL_ENTER()/EXIT() and CPU_SW_EXCEPTION()
 * of standalone/cpu.h and standalone/cpu_core.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "standalone/cpu_core.h"

/* A process cannot mask interrupts: one recursive lock stands for
 * "interrupts off", so nested sections on one thread keep working. */
static pthread_mutex_t crit_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static __thread CPU_SR crit_depth;

CPU_SR
dp_uclib_critical_enter(void)
{
	pthread_mutex_lock(&crit_lock);
	return crit_depth++;
}

void
dp_uclib_critical_exit(CPU_SR sr)
{
	crit_depth = sr;
	pthread_mutex_unlock(&crit_lock);
}

void
dp_uclib_sw_exception(const char *file, int line)
{
	fprintf(stderr, "CPU_SW_EXCEPTION at %s:%d\n", file, line);
	abort();
}
