/* SPDX-License-Identifier: MIT */
/*
 * check-fdstore - what the daemon keeps in systemd's fd store (fdstore.c),
 * against a fake store speaking systemd's protocol: an fd the daemon kept
 * is stored once while the same file stays at its number, and again once
 * another file took the number.  Files of the anonymous-inode file system
 * (eventfds here; pidfds too before Linux 6.9) all share one inode, so
 * none of them is ever taken for the one stored before.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "fdstore.h"
#include "helpers/fake-fdstore.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"
#include "state-format.h"

#define ID 50
#define NAME "fd50"

static struct fake_fdstore store;
static char *dir;

static void setup(void)
{
	dir = tmpdir_new("fdstore");
	fake_fdstore_open(&store, dir);
	setenv("NOTIFY_SOCKET", store.path, 1);
	setenv("FDSTORE", "64", 1);
}

static void teardown(void)
{
	fake_fdstore_close(&store);
	tmpdir_remove(dir);
}

/* @fd moved to number ID (taken). */
static void put_at_id(int fd)
{
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup3(fd, ID, O_CLOEXEC), ID);
	close(fd);
}

/* Datagrams the store has seen. */
static unsigned long received(void)
{
	unsigned long n;

	pthread_mutex_lock(&store.lock);
	n = store.received;
	pthread_mutex_unlock(&store.lock);
	return n;
}

/* Save a state naming ID, and wait until the store has seen all it was sent. */
static void save(struct fdstore *f)
{
	static unsigned int saves;
	struct state st = { .listen_id = -1 };
	const int ids[] = { ID };
	char status[32];

	ck_assert_int_eq(fdstore_save(f, ids, 1, &st), 0);
	/* Datagrams arrive in order: once this one is seen, every earlier one was. */
	snprintf(status, sizeof(status), "STATUS=saved %u", ++saves);
	ck_assert_int_ge(sd_notify(0, status), 1);
	ck_assert(fake_fdstore_wait_status(&store, status + 7));
}

/* What the eventfd stored as NAME counts (0: nothing written to it). */
static uint64_t stored_count(void)
{
	int fd = fake_fdstore_dup(&store, NAME);
	uint64_t v = 0;

	ck_assert_int_ge(fd, 0);
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		v = 0;
	close(fd);
	return v;
}

/*
 * An eventfd stored at ID, closed, and another one put at ID: the second
 * is stored in its place.  It used to look the same (the same dev and
 * inode), was not stored, and a start from the store got the first one:
 * a registrant's pidfd, on a kernel before 6.9, watched through another
 * process's.
 */
START_TEST(test_anonymous_inode_stored_again)
{
	struct fdstore *f = fdstore_new();

	ck_assert_ptr_nonnull(f);
	put_at_id(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	ck_assert_uint_eq(stored_count(), 0);
	close(ID);
	put_at_id(eventfd(7, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	ck_assert_uint_eq(stored_count(), 7);
	/* NAME once (the first removed), and the two states */
	ck_assert_uint_eq(fake_fdstore_count(&store), 3);
	fdstore_free(f);
	close(ID);
}
END_TEST

/* A file with an inode of its own, still at its number, is stored once. */
START_TEST(test_same_file_stored_once)
{
	struct fdstore *f = fdstore_new();
	int p[2];
	unsigned long first;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	close(p[1]);
	put_at_id(p[0]);
	save(f);
	first = received();
	save(f);
	/* the state memfd of the other slot and the marker, not the fd again */
	ck_assert_uint_eq(received() - first, 2);
	fdstore_free(f);
	close(ID);
}
END_TEST

static Suite *fdstore_suite(void)
{
	Suite *s = suite_create("fdstore");
	TCase *tc = tcase_create("save");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_anonymous_inode_stored_again);
	tcase_add_test(tc, test_same_file_stored_once);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(fdstore_suite(), NULL, 0, argc, argv);
}
