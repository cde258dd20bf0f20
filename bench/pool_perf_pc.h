/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pool-perf's producer/consumer pattern and its per-phase cycle counts.
 *
 * The phase counts are compiled in only with POOL_PERF_PHASES=1 (the
 * pool_perf_phases binary); in pool_perf the PH_* macros are empty, so
 * the measured loop is the same code it always was.
 */
#ifndef POOL_PERF_PC_H
#define POOL_PERF_PC_H

#include <stdint.h>
#include <stdio.h>

#include "perf_backend.h"

#ifndef POOL_PERF_PHASES
#define POOL_PERF_PHASES 0
#endif

/* Where a side's cycles go. GET/PUT are split by what the cache would do,
 * decided from its length just before the call (bpool_get_misses()). */
enum pc_phase {
	PH_GET_HIT,   /* rx: get served from the lcore cache */
	PH_GET_MISS,  /* rx: get that refills (dynpool: magazine or stack) */
	PH_GET_EMPTY, /* rx: refused get (everything in flight) and its pause */
	PH_TOUCH_W,   /* rx: writing the first line of each object */
	PH_ENQ,       /* rx: passing the burst to the tx lcore */
	PH_WAIT_FULL, /* rx: backing off on a full transfer ring */
	PH_DEQ,       /* tx: taking a burst from the transfer ring */
	PH_WAIT_EMPTY,/* tx: backing off on an empty transfer ring */
	PH_TOUCH_R,   /* tx: reading the first line of each object */
	PH_HOLD,      /* tx: the tx-ring model (hold FIFO) bookkeeping */
	PH_PUT_HIT,   /* tx: put into the lcore cache */
	PH_PUT_FLUSH, /* tx: put that flushes (dynpool: magazine or stack) */
	PH__COUNT
};

struct pc_phases {
	uint64_t cycles[PH__COUNT];
	uint64_t calls[PH__COUNT];
	uint64_t objs[PH__COUNT];
	uint64_t lock_busy_get, lock_busy_put; /* dynpool slow calls that found
						* the pool lock held on entry */
	uint64_t preempted; /* phases left out: the lcore lost its CPU */
};

struct pc_params {
	double duration_s;
	unsigned int touch; /* write line 0 after get, read it before put */
	unsigned int hold;  /* objects the tx lcore keeps after reading them
			     * before it frees them, oldest first (a NIC's tx
			     * ring that frees on completion); 0 = at once */
};

/* Objects per second through the pair (each object counted once per get +
 * put), or < 0 on failure. ph, when not NULL and the phases are compiled in,
 * receives both sides' phase counts (rx and tx summed: phases are per side). */
double run_prodcons(struct bpool *p, unsigned int rep, const struct pc_params *prm,
		    struct pc_phases *ph);

/* Cycles one PH_BEGIN/PH_END pair costs with nothing between (0 when the
 * phases are not compiled in). */
double pc_timer_overhead(void);

#endif /* POOL_PERF_PC_H */
