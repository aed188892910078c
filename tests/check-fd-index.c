/* SPDX-License-Identifier: MIT */
/*
 * check-fd-index - the map from fd to queue position that a receive right
 * with many send-once queues uses (client-lib/ipc/fd-index.h), against a
 * plain array under seeded random puts, replacements and deletions: every
 * fd is found where it was put, and nowhere once deleted, however the
 * probes wrapped and the deletions shifted entries back.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fd-index.h"
#include "helpers/runner.h"

#define FDS 3000

static void assert_same(const struct fd_index *x, const int64_t *want)
{
	size_t n = 0;

	for (int fd = 0; fd < FDS; fd++) {
		ck_assert_msg(fd_index_get(x, fd) == want[fd], "fd %d: %lld, want %lld", fd,
			      (long long)fd_index_get(x, fd), (long long)want[fd]);
		n += want[fd] >= 0;
	}
	ck_assert_uint_eq(x->n, n);
}

START_TEST(test_against_an_array)
{
	static int64_t want[FDS];
	unsigned short xs[3] = { 7, 8, (unsigned short)_i };
	struct fd_index x = { 0 };

	memset(want, 0xff, sizeof(want));       /* -1: absent */
	for (int round = 0; round < 40; round++) {
		for (int k = 0; k < 500; k++) {
			/* Fds bunched, as a process's are, and spread, to make probes collide and wrap. */
			int fd = (int)(nrand48(xs) % (round % 2 ? FDS : 200));

			if (nrand48(xs) % 3) {
				uint32_t pos = (uint32_t)nrand48(xs);

				ck_assert_int_eq(fd_index_put(&x, fd, pos), 0);
				want[fd] = pos;
			} else {
				fd_index_del(&x, fd);
				want[fd] = -1;
			}
		}
		assert_same(&x, want);
	}
	for (int fd = 0; fd < FDS; fd++)
		fd_index_del(&x, fd);
	ck_assert_uint_eq(x.n, 0);
	fd_index_free(&x);
	ck_assert_int_eq(fd_index_get(&x, 1), -1);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("fd-index");
	TCase *tc = tcase_create("map");

	tcase_add_loop_test(tc, test_against_an_array, 0, 4);
	suite_add_tcase(s, tc);
	return runner_main(s, NULL, 0, argc, argv);
}
