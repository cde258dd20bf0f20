/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Drives the real uC-Common KAL (POSIX port), built against dynpool's
 * lib_mem.h, the way a product uses it: KAL_Init(), then 100 rounds of
 * creating, using and deleting 64 locks and 64 semaphores (their handles
 * come from KAL's Mem_DynPool pools), then 8 threads x 5000 lock and
 * semaphore cycles on shared objects. Prints "kal: ok" and exits 0, or
 * names the first failure and exits 1. Used by scripts/check-micrium.sh;
 * not built in CI (it needs the fetched Micrium sources).
 */
#include <pthread.h>
#include <stdio.h>

#include "kal.h"

#define NBR_OBJ 64
#define NBR_ROUND 100
#define NBR_THREAD 8
#define NBR_CYCLE 5000

static KAL_LOCK_HANDLE shared_lock;
static KAL_SEM_HANDLE shared_sem;
static unsigned long counter;
static int failed;

#define CHECK(err, what)                                                   \
	do {                                                               \
		if ((err) != RTOS_ERR_NONE) {                              \
			fprintf(stderr, "kal: %s failed: %d\n", (what), (int)(err)); \
			failed = 1;                                        \
			return 0;                                          \
		}                                                          \
	} while (0)

static int
rounds(void)
{
	KAL_LOCK_HANDLE locks[NBR_OBJ];
	KAL_SEM_HANDLE sems[NBR_OBJ];
	RTOS_ERR err;

	for (int r = 0; r < NBR_ROUND; r++) {
		for (int i = 0; i < NBR_OBJ; i++) {
			locks[i] = KAL_LockCreate("lock", DEF_NULL, &err);
			CHECK(err, "KAL_LockCreate");
			sems[i] = KAL_SemCreate("sem", DEF_NULL, &err);
			CHECK(err, "KAL_SemCreate");
		}
		for (int i = 0; i < NBR_OBJ; i++) {
			KAL_LockAcquire(locks[i], KAL_OPT_PEND_NONE, KAL_TIMEOUT_INFINITE, &err);
			CHECK(err, "KAL_LockAcquire");
			KAL_LockRelease(locks[i], &err);
			CHECK(err, "KAL_LockRelease");
			KAL_SemPost(sems[i], KAL_OPT_POST_NONE, &err);
			CHECK(err, "KAL_SemPost");
			KAL_SemPend(sems[i], KAL_OPT_PEND_NONE, KAL_TIMEOUT_INFINITE, &err);
			CHECK(err, "KAL_SemPend");
		}
		for (int i = 0; i < NBR_OBJ; i++) {
			KAL_LockDel(locks[i], &err);
			CHECK(err, "KAL_LockDel");
			KAL_SemDel(sems[i], &err);
			CHECK(err, "KAL_SemDel");
		}
	}
	return 1;
}

static void *
worker(void *arg)
{
	RTOS_ERR err;

	(void)arg;
	for (int i = 0; i < NBR_CYCLE; i++) {
		KAL_LockAcquire(shared_lock, KAL_OPT_PEND_NONE, KAL_TIMEOUT_INFINITE, &err);
		CHECK(err, "KAL_LockAcquire (thread)");
		counter++;
		KAL_LockRelease(shared_lock, &err);
		CHECK(err, "KAL_LockRelease (thread)");
		KAL_SemPost(shared_sem, KAL_OPT_POST_NONE, &err);
		CHECK(err, "KAL_SemPost (thread)");
		KAL_SemPend(shared_sem, KAL_OPT_PEND_NONE, KAL_TIMEOUT_INFINITE, &err);
		CHECK(err, "KAL_SemPend (thread)");
	}
	return 0;
}

int
main(void)
{
	pthread_t th[NBR_THREAD];
	RTOS_ERR err;

	KAL_Init(DEF_NULL, &err);
	if (err != RTOS_ERR_NONE) {
		fprintf(stderr, "kal: KAL_Init failed: %d\n", (int)err);
		return 1;
	}
	if (!rounds())
		return 1;
	shared_lock = KAL_LockCreate("shared", DEF_NULL, &err);
	if (err == RTOS_ERR_NONE)
		shared_sem = KAL_SemCreate("shared", DEF_NULL, &err);
	if (err != RTOS_ERR_NONE) {
		fprintf(stderr, "kal: shared objects: %d\n", (int)err);
		return 1;
	}
	for (int i = 0; i < NBR_THREAD; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	for (int i = 0; i < NBR_THREAD; i++)
		pthread_join(th[i], NULL);
	if (failed || counter != (unsigned long)NBR_THREAD * NBR_CYCLE) {
		fprintf(stderr, "kal: counter %lu, want %lu\n", counter,
			(unsigned long)NBR_THREAD * NBR_CYCLE);
		return 1;
	}
	printf("kal: ok (%d rounds x %d locks and semaphores, %d threads x %d cycles)\n",
	       NBR_ROUND, NBR_OBJ, NBR_THREAD, NBR_CYCLE);
	return 0;
}
