/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Producer/consumer: the rx lcore (main) gets bursts of 32 and passes them
 * through an SPSC ring to the tx lcore, which frees them. With touch, rx
 * writes each object's first line after the get and tx reads it before
 * the put; with hold, tx keeps that many objects after reading them and
 * frees the oldest, as a NIC's tx ring frees mbufs on completion.
 */
#include "pool_perf_pc.h"

#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_ring.h>

#define PC_BURST 32u
#define HOLD_MAX 8192u

#if POOL_PERF_PHASES
#define PH_BEGIN() uint64_t ph_t0_ = rte_rdtsc()
/* A phase longer than PH_PREEMPTED cycles (about 90 us at 2.3 GHz, well
 * above the longest back-off) lost its CPU to another task on a shared
 * machine: counted apart, so a loaded machine's preemptions do not
 * become the phase's cost. */
#define PH_PREEMPTED 200000u
#define PH_END(ph, id, n)                                                     \
	do {                                                                  \
		uint64_t ph_t1_ = rte_rdtsc();                                \
		if (likely(ph_t1_ - ph_t0_ < PH_PREEMPTED)) {                 \
			(ph)->cycles[id] += ph_t1_ - ph_t0_;                  \
			(ph)->calls[id]++;                                    \
			(ph)->objs[id] += (n);                                \
		} else {                                                      \
			(ph)->preempted++;                                    \
		}                                                             \
		ph_t0_ = ph_t1_;                                              \
	} while (0)
#define PH_RESTART() (ph_t0_ = rte_rdtsc())
#define PH_IF(x) x
#else
#define PH_BEGIN() do { } while (0)
#define PH_END(ph, id, n) do { (void)(ph); } while (0)
#define PH_RESTART() do { } while (0)
#define PH_IF(x)
#endif

struct pc_job {
	struct bpool *pool;
	struct rte_ring *ring;
	const struct pc_params *prm;
	volatile int stop;
	uint64_t consumed;
	uint64_t sink;
	int err;
	struct pc_phases ph; /* the tx side's, written once at its end */
};

/*
 * A side that finds the transfer ring full (producer) or empty (consumer)
 * waits, backing off, until a quarter of it is free (filled) again. Polling
 * at every pause kept the two lcores on neighbouring lines of the ring and
 * pulled its head and tail lines away from the side doing the work: the
 * pattern then measured that interference rather than the pools, and a run
 * with no pool at all came out at 0.87x ring_mp_mc. Waits of up to 512
 * pauses stay far below the time to drain 1024 slots, so neither side
 * starves the other.
 */
#define PC_SLACK 1024

static unsigned int
back_off(unsigned int round)
{
	for (unsigned int i = 0; i < 1u << round; i++)
		rte_pause();
	return round < 9 ? round + 1 : round;
}

/* Free the burst, counted in the put phases. */
static inline void
pc_put(struct pc_job *j, struct pc_phases *ph, void *const *objs, unsigned int n)
{
	PH_IF(bool flush = bpool_put_flushes(j->pool, n);)
	PH_IF(if (flush && bpool_lock_busy(j->pool)) ph->lock_busy_put++;)
	PH_BEGIN();
	if (bpool_put(j->pool, objs, n) != 0)
		j->err = 1;
	PH_END(ph, flush ? PH_PUT_FLUSH : PH_PUT_HIT, n);
	(void)ph;
}

static int
consumer(void *arg)
{
	struct pc_job *j = arg;
	unsigned int hold = j->prm->hold, touch = j->prm->touch, head = 0, held = 0;
	void *objs[PC_BURST], **fifo = NULL;
	struct pc_phases ph = { 0 };
	uint64_t sink = 0;

	if (hold > 0 && (fifo = malloc(sizeof(void *) * HOLD_MAX)) == NULL) {
		j->err = 1;
		return 0;
	}
	for (;;) {
		PH_BEGIN();
		unsigned int n = rte_ring_sc_dequeue_burst(j->ring, objs, PC_BURST, NULL);

		if (n == 0) {
			if (j->stop && rte_ring_count(j->ring) == 0)
				break;
			for (unsigned int w = 0; !j->stop && rte_ring_count(j->ring) < PC_SLACK;)
				w = back_off(w);
			PH_END(&ph, PH_WAIT_EMPTY, 0);
			continue;
		}
		PH_END(&ph, PH_DEQ, n);
		if (touch) {
			sink += bench_touch_read(objs, n);
			PH_END(&ph, PH_TOUCH_R, n);
		}
		if (hold == 0) {
			pc_put(j, &ph, objs, n);
		} else {
			/* FIFO of HOLD_MAX slots; hold <= HOLD_MAX - PC_BURST. */
			for (unsigned int i = 0; i < n; i++)
				fifo[(head + held + i) % HOLD_MAX] = objs[i];
			held += n;
			while (held > hold) {
				unsigned int k = held - hold < PC_BURST ? held - hold : PC_BURST;

				for (unsigned int i = 0; i < k; i++)
					objs[i] = fifo[(head + i) % HOLD_MAX];
				head = (head + k) % HOLD_MAX;
				held -= k;
				PH_END(&ph, PH_HOLD, 0);
				pc_put(j, &ph, objs, k);
				PH_RESTART();
			}
			PH_END(&ph, PH_HOLD, 0);
		}
		j->consumed += n;
	}
	/* What tx still holds goes back (not counted: consumed counts reads). */
	while (held > 0) {
		unsigned int k = held < PC_BURST ? held : PC_BURST;

		for (unsigned int i = 0; i < k; i++)
			objs[i] = fifo[(head + i) % HOLD_MAX];
		head = (head + k) % HOLD_MAX;
		held -= k;
		if (bpool_put(j->pool, objs, k) != 0)
			j->err = 1;
	}
	free(fifo);
	j->sink = sink;
	j->ph = ph;
	return 0;
}

/*
 * Repetition `rep` places the transfer ring at its own offset within a
 * page (the same offsets for every backend): which lines of the ring, the
 * pool and the lcores' stacks alias in the caches moved single runs by
 * 20 % either way, even with no pool at all, so a median over one
 * placement measured the placement.
 */
double
run_prodcons(struct bpool *p, unsigned int rep, const struct pc_params *prm, struct pc_phases *out)
{
	struct pc_job j = { .pool = p, .prm = prm };
	unsigned int worker = rte_get_next_lcore(-1, 1, 0), touch = prm->touch;
	uint64_t hz = rte_get_timer_hz(), t0, end, v = 0;
	void *objs[PC_BURST], *pad = rte_malloc("pc_pad", 64 * (1 + rep * 23 % 64), 64);
	struct pc_phases ph = { 0 };
	double rate;

	if (prm->hold > HOLD_MAX - PC_BURST)
		return -1;
	j.ring = rte_ring_create("pc", 4096, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	rte_free(pad);
	if (j.ring == NULL || worker >= RTE_MAX_LCORE)
		return -1;
	rte_eal_remote_launch(consumer, &j, worker);
	t0 = rte_get_timer_cycles();
	end = t0 + (uint64_t)(prm->duration_s * (double)hz);
	while (rte_get_timer_cycles() < end) {
		PH_IF(bool miss = bpool_get_misses(p, PC_BURST);)
		PH_IF(if (miss && bpool_lock_busy(p)) ph.lock_busy_get++;)
		PH_BEGIN();
		if (bpool_get(p, objs, PC_BURST) != 0) {
			rte_pause(); /* everything in flight: wait for the consumer */
			PH_END(&ph, PH_GET_EMPTY, 0);
			continue;
		}
		PH_END(&ph, miss ? PH_GET_MISS : PH_GET_HIT, PC_BURST);
		if (touch) {
			bench_touch_write(objs, PC_BURST, v++);
			PH_END(&ph, PH_TOUCH_W, PC_BURST);
		}
		if (rte_ring_sp_enqueue_bulk(j.ring, objs, PC_BURST, NULL) == 0) {
			for (unsigned int w = 0; rte_ring_free_count(j.ring) < PC_SLACK;)
				w = back_off(w);
			PH_END(&ph, PH_WAIT_FULL, 0);
			(void)rte_ring_sp_enqueue_bulk(j.ring, objs, PC_BURST, NULL);
		}
		PH_END(&ph, PH_ENQ, PC_BURST);
	}
	j.stop = 1;
	rte_eal_wait_lcore(worker);
	rate = (double)j.consumed / ((double)(rte_get_timer_cycles() - t0) / hz);
	rte_ring_free(j.ring);
	if (out != NULL) {
		*out = ph;
		for (unsigned int i = 0; i < PH__COUNT; i++) {
			out->cycles[i] += j.ph.cycles[i];
			out->calls[i] += j.ph.calls[i];
			out->objs[i] += j.ph.objs[i];
		}
		out->lock_busy_put = j.ph.lock_busy_put;
		out->preempted += j.ph.preempted;
	}
	return j.err ? -1.0 : rate;
}

double
pc_timer_overhead(void)
{
#if POOL_PERF_PHASES
	struct pc_phases ph = { 0 };

	for (unsigned int i = 0; i < 100000; i++) {
		PH_BEGIN();
		PH_END(&ph, PH_GET_HIT, 1);
	}
	return (double)ph.cycles[PH_GET_HIT] / (double)ph.calls[PH_GET_HIT];
#else
	return 0;
#endif
}
