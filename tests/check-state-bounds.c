/* SPDX-License-Identifier: MIT */
/*
 * check-state-bounds - the state decoder never reads past what it was
 * given.  Each state is cut short at every length and given a header that
 * says so (its payload length and checksum made right), so that only the
 * decoder's own bounds stand between it and the end: the bytes end at a
 * page that cannot be read, and a read past them is a crash, not a pass.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "state-format.h"

#include "helpers/runner.h"

static struct state_channel channels[] = {
	{ .fd_id = 22, .id = 1 },
	{ .fd_id = 23, .id = 2, .retired = true },
};
static struct state_service services[] = {
	{ .name = "com.example.a", .job = "com.example.job", .recv_id = 7, .send_id = 8,
	  .checked_in = true, .release_id = 13, .owner_pidfd_id = -1,
	  .channels = channels, .n_channels = 2 },
	{ .name = "com.example.reg", .job = NULL, .recv_id = -1, .send_id = 9,
	  .owner_pid = 4242, .owner_uid = 1000, .release_id = -1, .until_exit = true,
	  .owner_start = 555, .owner_pidfd_id = 14, .per_pid = true },
};
static struct state_job jobs[] = {
	{ .label = "com.example.job", .failure = "cannot exec", .state = 2, .pid = 1234,
	  .proc_start = 987654, .runs = 3, .conn_id = 10 },
};
static int32_t clients[] = { 11, 12 };
static struct state_env env[] = {
	{ .key = "SECURE_SOCKET", .value = "/tmp/x/a", .job = "com.example.job" },
	{ .key = "LANG", .value = "C" },
};

static const struct state sample = {
	.generation = 3, .daemon_pid = 99, .nofile_soft = 1024, .listen_id = 6,
	.services = services, .n_services = 2, .jobs = jobs, .n_jobs = 1,
	.clients = clients, .n_clients = 2, .env = env, .n_env = 2,
};

/* Pages of which the last cannot be read: bytes placed at its start end at a guard. */
struct guarded {
	unsigned char *base;
	size_t size;            /* the readable part */
};

static struct guarded guarded_new(size_t room)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct guarded g = { .size = (room + page - 1) / page * page };

	g.base = mmap(NULL, g.size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	ck_assert_ptr_ne(g.base, MAP_FAILED);
	ck_assert_int_eq(mprotect(g.base + g.size, page, PROT_NONE), 0);
	return g;
}

static void guarded_free(struct guarded *g)
{
	munmap(g->base, g->size + (size_t)sysconf(_SC_PAGESIZE));
}

/*
 * @s in the layout of @version, cut at every length from the header on:
 * each cut, its header made right, is refused, and read within its bytes.
 */
static void ck_every_cut_refused(const struct state *s, uint32_t version)
{
	struct guarded g;
	struct state st;
	size_t len;
	char *buf;

	ck_assert_int_eq(state_encode_as(s, version, &buf, &len), 0);
	g = guarded_new(len);
	for (size_t n = STATE_HEADER_SIZE; n < len; n++) {
		unsigned char *at = g.base + g.size - n;

		memcpy(at, buf, n);
		state_seal(at, n);
		ck_assert_msg(state_decode(at, n, &st) == -EBADMSG,
			      "version %u cut at %zu of %zu not refused", version, n, len);
	}
	memcpy(g.base + g.size - len, buf, len);
	ck_assert_int_eq(state_decode(g.base + g.size - len, len, &st), 0);     /* whole */
	state_free(&st);
	guarded_free(&g);
	free(buf);
}

/* What versions before 5 cannot hold (per-PID names, the environment) left out. */
static struct state older(struct state_service *svc)
{
	struct state s = sample;

	memcpy(svc, services, sizeof(services));
	svc[1].per_pid = false;
	s.services = svc;
	s.n_env = 0;
	s.env = NULL;
	return s;
}

START_TEST(test_every_cut_refused_within_its_bytes)
{
	struct state_service svc[2];
	struct state old = older(svc);

	for (uint32_t v = STATE_VERSION_OLDEST; v < 5; v++)
		ck_every_cut_refused(&old, v);
	for (uint32_t v = 5; v <= STATE_VERSION; v++)
		ck_every_cut_refused(&sample, v);
}
END_TEST

/*
 * A count of more items than the bytes after it could hold is refused as
 * such, before anything is allocated for them: the decoder does not
 * allocate more than its input could describe.
 */
START_TEST(test_count_beyond_the_bytes_refused)
{
	struct state st, empty = { .listen_id = -1 };
	const char *why = NULL;
	uint32_t count = 1u << 20;      /* a million services: 28 MB at least, in 4 bytes */
	size_t len;
	char *buf;

	ck_assert_int_eq(state_encode(&empty, &buf, &len), 0);
	/* payload: pid (4), nofile (8), listen (4), then the service count */
	memcpy(buf + STATE_HEADER_SIZE + 16, &count, sizeof(count));
	state_seal(buf, len);
	ck_assert_int_eq(state_decode_why(buf, len, &st, &why), -EBADMSG);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, "a count of more items than the bytes that follow");
	free(buf);
}
END_TEST

static Suite *state_bounds_suite(void)
{
	Suite *s = suite_create("state-bounds");
	TCase *tc = tcase_create("bounds");

	tcase_add_test(tc, test_every_cut_refused_within_its_bytes);
	tcase_add_test(tc, test_count_beyond_the_bytes_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(state_bounds_suite(), NULL, 0, argc, argv);
}
