/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal test-and-test-and-set spinlock.
 *
 * Why not a pthread mutex: the lock guards short critical sections (a
 * memcpy of at most a few hundred pointers), must work between processes
 * when the pool lives in DPDK shared memory, and is taken by pinned lcores
 * that would rather spin than sleep. Why not a pure spin: unpinned threads
 * (tests, apps without EAL) can be preempted while holding it, so a waiter
 * yields the CPU after a bounded number of spins instead of burning its
 * whole time slice.
 */
#ifndef DP_SPINLOCK_H
#define DP_SPINLOCK_H

#include <sched.h>
#include <stdatomic.h>

typedef struct dp_spinlock {
	atomic_int locked;
} dp_spinlock_t;

#define DP_SPINLOCK_INIT { 0 }
#define DP_SPIN_BEFORE_YIELD 256
#ifndef DP_SPIN_BACKOFF_MAX
#define DP_SPIN_BACKOFF_MAX 64
#endif

static inline void
dp_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static inline void
dp_spin_init(dp_spinlock_t *l)
{
	atomic_init(&l->locked, 0);
}

static inline void
dp_spin_lock(dp_spinlock_t *l)
{
	unsigned int spins = 0, backoff = 1;

	while (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire)) {
		do {
			/* Back off before looking again: every look pulls the
			 * line away from the holder, who is about to write it. */
			for (unsigned int i = 0; i < backoff; i++)
				dp_cpu_relax();
			if (backoff < DP_SPIN_BACKOFF_MAX)
				backoff *= 2;
			if (++spins >= DP_SPIN_BEFORE_YIELD) {
				spins = 0;
				sched_yield();
			}
		} while (atomic_load_explicit(&l->locked, memory_order_relaxed));
	}
}

/* Non-zero if the lock was taken. */
static inline int
dp_spin_trylock(dp_spinlock_t *l)
{
	return atomic_load_explicit(&l->locked, memory_order_relaxed) == 0 &&
	       atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) == 0;
}

static inline void
dp_spin_unlock(dp_spinlock_t *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

#endif /* DP_SPINLOCK_H */
