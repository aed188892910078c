/* SPDX-License-Identifier: MIT */
/*
 * check-fdstore - what the daemon keeps in systemd's fd store (fdstore.c),
 * against a fake store speaking systemd's protocol: an fd the daemon kept
 * is stored once while the same file stays at its number, and again once
 * another file took the number.  Files of the anonymous-inode file system
 * (eventfds here; pidfds too before Linux 6.9) all share one inode: the
 * daemon tells the store which numbers it closed (fdstore_forget_id()).
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include <systemd/sd-daemon.h>

#include "fdstore.h"
#include "helpers/fake-fdstore.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"
#include "service.h"
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

/* Save a state naming @ids (sorted), and wait until the store has seen all it was sent. */
static void save_ids(struct fdstore *f, const int *ids, size_t n)
{
	static unsigned int saves;
	struct state st = { .listen_id = -1 };
	char status[32];

	ck_assert_int_eq(fdstore_save(f, ids, n, &st), 0);
	/* Datagrams arrive in order: once this one is seen, every earlier one was. */
	snprintf(status, sizeof(status), "STATUS=saved %u", ++saves);
	ck_assert_int_ge(sd_notify(0, status), 1);
	ck_assert(fake_fdstore_wait_status(&store, status + 7));
}

/* Save a state naming ID. */
static void save(struct fdstore *f)
{
	const int ids[] = { ID };

	save_ids(f, ids, 1);
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
 * An eventfd stored at ID, closed (and the store told so), and another
 * one put at ID: the second is stored in its place.  They look the same
 * (the same dev and inode): without being told, the store would keep the
 * first, and a start from it a registrant's pidfd, on a kernel before
 * 6.9, watched through another process's.
 */
START_TEST(test_anonymous_inode_stored_again)
{
	struct fdstore *f = fdstore_new();

	ck_assert_ptr_nonnull(f);
	put_at_id(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	ck_assert_uint_eq(stored_count(), 0);
	close(ID);
	fdstore_forget_id(f, ID);
	put_at_id(eventfd(7, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	ck_assert_uint_eq(stored_count(), 7);
	/* NAME once (the first removed), and the two states */
	ck_assert_uint_eq(fake_fdstore_count(&store), 3);
	fdstore_free(f);
	close(ID);
}
END_TEST

/*
 * An fd removed at once (fdstore_remove_id(), a restore dropping it),
 * and another file put at its number: stored at the next save, the
 * removed one gone from the store.
 */
START_TEST(test_removed_then_stored_again)
{
	struct fdstore *f = fdstore_new();

	ck_assert_ptr_nonnull(f);
	put_at_id(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	close(ID);
	fdstore_remove_id(f, ID);
	fdstore_remove_id(f, ID);
	put_at_id(eventfd(7, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	ck_assert_uint_eq(stored_count(), 7);
	/* NAME once, and the two states */
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

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

#define N_EVENTFDS 200

/*
 * Eventfds (pidfds before Linux 6.9 alike) kept, none closed: a second
 * save sends none of them again.  Each used to be removed and stored again
 * at every save, and systemd compares every fd stored against all it
 * holds: a save after every request cost it O(fds squared).
 */
START_TEST(test_unchanged_anonymous_inodes_not_stored_again)
{
	struct fdstore *f = fdstore_new();
	int ids[N_EVENTFDS];
	unsigned long first;

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < N_EVENTFDS; i++) {
		ids[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ck_assert_int_ge(ids[i], 0);
	}
	qsort(ids, N_EVENTFDS, sizeof(int), cmp_int);
	save_ids(f, ids, N_EVENTFDS);
	/* every eventfd, the state and the marker */
	ck_assert_uint_eq(fake_fdstore_count(&store), N_EVENTFDS + 1);
	first = received();
	save_ids(f, ids, N_EVENTFDS);
	/* the state memfd of the other slot and the marker, no eventfd again */
	ck_assert_uint_eq(received() - first, 2);
	ck_assert_uint_eq(fake_fdstore_count(&store), N_EVENTFDS + 2);
	fdstore_free(f);
	for (int i = 0; i < N_EVENTFDS; i++)
		close(ids[i]);
}
END_TEST

static void forget_pidfd(int fd, void *f)
{
	fdstore_forget_id(f, fd);
}

static void owner_gone(struct service *s, void *arg)
{
	(void)s;
	(void)arg;
}

/* A registration going with its process, watched through the fd at ID (taken). */
static struct service *registered_at_id(struct event_base *base)
{
	const struct service_owner owner = { .pid = getpid(), .uid = getuid(),
					     .until_exit = true, .start = 1 };
	int sv[2];
	struct service *s;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[0]);
	s = service_adopt_registered(base, "com.example.owned", sv[1], &owner, ID, owner_gone,
				     NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(service_binding(s)->pidfd, ID);
	return s;
}

/*
 * A registration's pidfd, stored, closed with its name: the store is told,
 * and the eventfd that then takes its number is stored in its place.
 */
START_TEST(test_closed_pidfd_forgotten)
{
	struct event_base *base = event_base_new();
	struct fdstore *f = fdstore_new();
	struct service *s;

	ck_assert_ptr_nonnull(base);
	ck_assert_ptr_nonnull(f);
	service_on_pidfd_close(forget_pidfd, f);
	put_at_id(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	s = registered_at_id(base);
	save(f);
	service_free(s);
	put_at_id(eventfd(7, EFD_CLOEXEC | EFD_NONBLOCK));
	save(f);
	ck_assert_uint_eq(stored_count(), 7);
	service_on_pidfd_close(NULL, NULL);
	fdstore_free(f);
	event_base_free(base);
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
	tcase_add_test(tc, test_removed_then_stored_again);
	tcase_add_test(tc, test_unchanged_anonymous_inodes_not_stored_again);
	tcase_add_test(tc, test_closed_pidfd_forgotten);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(fdstore_suite(), NULL, 0, argc, argv);
}
