/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growth while others read (issue 10, item 5): a worker lcore grows an
 * elastic pool by getting mbufs from it, batch after batch, while the main
 * lcore keeps reading it the ways the project and the header allow:
 * dp_elastic_stats(), dp_elastic_dump(), the /dynpool/info telemetry
 * endpoint over DPDK's telemetry socket, and rte_mempool_obj_iter() /
 * rte_mempool_mem_iter() between dp_elastic_hold_growth() and
 * dp_elastic_release_growth(). Every mbuf a walk meets must be initialised,
 * walks must count what the stats say, and the stats must never go back.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_launch.h>
#include <rte_mbuf.h>

#include "common.h"
#include "eal.h"
#include "rte_mempool_dynpool.h"

#define MAXIMUM 20000u
#define ROOM 2048u

struct grower {
	struct rte_mempool *mp;
	volatile int done;
	volatile unsigned int reads; /* the main lcore's read rounds */
	unsigned int got;
	uint64_t retries;
};

static int
grow_by_getting(void *arg)
{
	struct grower *g = arg;
	static struct rte_mbuf *m[MAXIMUM];

	/* A get fails while a reader holds growth: try again. Every 20
	 * growths, wait for the readers to go round once, so that they run
	 * during growth even where threads do not run side by side
	 * (valgrind). */
	while (g->got < MAXIMUM) {
		unsigned int n = RTE_MIN(32u, MAXIMUM - g->got), seen = g->reads;

		if (rte_pktmbuf_alloc_bulk(g->mp, &m[g->got], n) == 0)
			g->got += n;
		else
			g->retries++;
		if (g->got % 640 == 0)
			while (g->reads == seen && g->reads < 1000000)
				rte_pause();
	}
	rte_pktmbuf_free_bulk(m, g->got);
	g->done = 1;
	return 0;
}

struct walk {
	const struct rte_mempool *mp;
	unsigned int objs, uninit;
	size_t mem;
};

static void
check_obj(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct walk *w = arg;
	const struct rte_mbuf *m = obj;

	(void)idx;
	w->objs++;
	if (m->pool != mp || m->buf_len != ROOM || m->buf_addr != (const char *)(m + 1))
		w->uninit++;
}

static void
add_mem(struct rte_mempool *mp, void *arg, struct rte_mempool_memhdr *hdr, unsigned int idx)
{
	(void)mp;
	(void)idx;
	((struct walk *)arg)->mem += hdr->len;
}

static int
telemetry_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[1024];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		 rte_eal_get_runtime_dir());
	cr_assert_geq(fd, 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0, "%s", sun.sun_path);
	cr_assert_gt(read(fd, buf, sizeof(buf)), 0, "telemetry welcome");
	return fd;
}

/* /dynpool/info,NAME: the populated count it reports. */
static long
telemetry_populated(int fd, const char *name)
{
	char buf[4096], cmd[64];
	ssize_t n;
	const char *p;

	snprintf(cmd, sizeof(cmd), "/dynpool/info,%s", name);
	cr_assert_eq(write(fd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	n = read(fd, buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	p = strstr(buf, "\"populated\":");
	cr_assert_not_null(p, "%s", buf);
	return atol(p + strlen("\"populated\":"));
}

Test(readers, stats_dump_telemetry_and_walks_during_growth, .timeout = 120)
{
	char prefix[64];
	char *argv[] = { "dp-test", "-l", "0-1", "--no-pci", "--no-huge", "-m", "512",
			 "--file-prefix", prefix, "--log-level", "lib.eal:error",
			 "--log-level", "lib.telemetry:error", NULL };
	unsigned int walks = 0, reads = 0, worker;
	int tfd;

	snprintf(prefix, sizeof(prefix), "dprd%d", (int)getpid());
	cr_assert_geq(rte_eal_init(13, argv), 0, "%s", rte_strerror(rte_errno));
	tfd = telemetry_connect();
	worker = rte_get_next_lcore(-1, 1, 0);
	for (int round = 0; round < 3; round++) {
		char name[16];
		struct grower g = { 0 };
		unsigned int last = 0;

		snprintf(name, sizeof(name), "rd%d", round);
		g.mp = dp_elastic_pktmbuf_pool_create(name, 0, MAXIMUM, 0, 0, ROOM, SOCKET_ID_ANY,
						      &(struct dp_elastic_opts){ .grow_batch = 32 });
		cr_assert_not_null(g.mp, "%s", rte_strerror(rte_errno));
		rte_eal_remote_launch(grow_by_getting, &g, worker);
		while (!g.done) {
			struct dp_elastic_stats st;
			struct walk w = { g.mp, 0, 0, 0 };
			char *text = NULL;
			size_t len = 0;
			FILE *f;
			long tel;

			cr_assert_eq(dp_elastic_stats(g.mp, &st), 0);
			cr_assert_geq(st.populated, last, "populated went back: %u < %u",
				      st.populated, last);
			cr_assert_leq(st.populated, MAXIMUM);
			cr_assert_geq(st.seg_committed, (size_t)st.populated * (sizeof(struct rte_mbuf) + ROOM),
				      "memory behind every populated mbuf");
			last = st.populated;
			f = open_memstream(&text, &len);
			dp_elastic_dump(f, g.mp);
			fclose(f);
			cr_assert_not_null(strstr(text, "populated="));
			free(text);
			tel = telemetry_populated(tfd, name);
			cr_assert_geq(tel, (long)last);
			cr_assert_leq(tel, (long)MAXIMUM);
			reads++;

			cr_assert_eq(dp_elastic_hold_growth(g.mp), 0);
			rte_mempool_obj_iter(g.mp, check_obj, &w);
			rte_mempool_mem_iter(g.mp, add_mem, &w);
			cr_assert_eq(dp_elastic_stats(g.mp, &st), 0);
			cr_assert_eq(w.objs, g.mp->populated_size);
			cr_assert_eq(dp_elastic_release_growth(g.mp), 0);
			cr_assert_eq(w.uninit, 0, "a walk met %u mbufs not initialised yet", w.uninit);
			cr_assert_eq(w.objs, st.populated, "walk %u objects, stats %u", w.objs,
				     st.populated);
			cr_assert_geq(w.mem, (size_t)w.objs * (sizeof(struct rte_mbuf) + ROOM));
			walks++;
			g.reads++;
		}
		rte_eal_wait_lcore(worker);
		cr_assert_eq(g.got, MAXIMUM);
		cr_log_info("round %d: %lu gets failed while growth was held", round,
			    (unsigned long)g.retries);
		rte_mempool_free(g.mp);
	}
	cr_log_info("readers: %u reads and %u walks during 3 growths to %u", reads, walks, MAXIMUM);
	cr_assert_gt(walks, 10, "the readers ran while the pool grew");
	close(tfd);
}

Test(readers, hold_growth_argument_errors)
{
	eal_up();
	cr_assert_eq(dp_elastic_hold_growth(NULL), -EINVAL);
	cr_assert_eq(dp_elastic_release_growth(NULL), -EINVAL);
	struct rte_mempool *mp = rte_pktmbuf_pool_create("plain", 63, 0, 0, 2048, SOCKET_ID_ANY);
	cr_assert_not_null(mp);
	cr_assert_eq(dp_elastic_hold_growth(mp), -EINVAL, "not an elastic pool");
	rte_mempool_free(mp);
}

/* While growth is held, a get that finds the pool empty fails instead of
 * growing it; after release, it grows. */
Test(readers, held_growth_fails_gets_then_resumes)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m[64];

	eal_up();
	mp = dp_elastic_pktmbuf_pool_create("held", 32, 1000, 0, 0, ROOM, SOCKET_ID_ANY, NULL);
	cr_assert_not_null(mp);
	cr_assert_eq(dp_elastic_hold_growth(mp), 0);
	cr_assert_neq(rte_pktmbuf_alloc_bulk(mp, m, 64), 0);
	cr_assert_eq(dp_elastic_grow(mp, 10), -EBUSY);
	cr_assert_eq(mp->populated_size, 32);
	cr_assert_eq(dp_elastic_release_growth(mp), 0);
	cr_assert_eq(rte_pktmbuf_alloc_bulk(mp, m, 64), 0);
	rte_pktmbuf_free_bulk(m, 64);
	rte_mempool_free(mp);
}
