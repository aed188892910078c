/* SPDX-License-Identifier: MIT */
/*
 * fake-fdstore.h - systemd's side of the fd store, for daemon tests: a
 * NOTIFY_SOCKET datagram socket that keeps the fds sent with FDSTORE=1
 * under their FDNAME= (dropping them on FDSTOREREMOVE=1), notes READY=1,
 * and starts bootstrapd again with the stored fds from fd 3 on, with
 * LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID as sd_listen_fds(3) reads
 * them.  A thread reads the socket all along, as systemd would.
 */
#ifndef BOOTSTRAPD_TEST_FAKE_FDSTORE_H
#define BOOTSTRAPD_TEST_FAKE_FDSTORE_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

#include "daemon.h"

struct fake_fdstore_entry {
	char name[64];
	int fd;
};

struct fake_fdstore {
	int sock;
	char path[256];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct fake_fdstore_entry *v;
	size_t n, cap;
	unsigned int ready;     /* READY=1 datagrams seen */
	unsigned long received; /* datagrams seen */
	char status[64];        /* the last STATUS= seen */
	int stop;
};

/** fake_fdstore_open() - the notify socket in @dir, and its reading thread. */
void fake_fdstore_open(struct fake_fdstore *s, const char *dir);

/** fake_fdstore_close() - stop reading, close every stored fd. */
void fake_fdstore_close(struct fake_fdstore *s);

/**
 * fake_fdstore_fixture_setup() - a test's daemon @td named @name, and this
 * process the subreaper of the jobs a killed daemon leaves behind.
 */
void fake_fdstore_fixture_setup(struct test_daemon *td, const char *name);

/**
 * fake_fdstore_fixture_start() - start @td: under the fake fd store @s
 * (opened in its directory) if @from_store, for a restart by SIGKILL,
 * else plainly.  *@used says which, for the teardown.
 */
void fake_fdstore_fixture_start(struct test_daemon *td, struct fake_fdstore *s, int *used,
				int from_store);

/** fake_fdstore_fixture_teardown() - stop @td, and close @s if *@used (then cleared). */
void fake_fdstore_fixture_teardown(struct test_daemon *td, struct fake_fdstore *s, int *used);

/** fake_fdstore_damage() - truncate the stored state memfds to @len bytes. */
void fake_fdstore_damage(struct fake_fdstore *s, off_t len);

/** fake_fdstore_count() - how many fds are stored. */
size_t fake_fdstore_count(struct fake_fdstore *s);

/**
 * fake_fdstore_wait_status() - wait (30 s at most) until the last STATUS=
 * seen is @status: every datagram sent before that one was seen then.
 * Return: whether it was.
 */
int fake_fdstore_wait_status(struct fake_fdstore *s, const char *status);

/** fake_fdstore_replace() - @fd (taken) stored as @name, in place of what was. */
void fake_fdstore_replace(struct fake_fdstore *s, const char *name, int fd);

/**
 * fake_fdstore_dup() - a copy of the fd last stored as @name (the caller
 * closes it), or -1 if none is.
 */
int fake_fdstore_dup(struct fake_fdstore *s, const char *name);

/**
 * fake_fdstore_start() - start @td's bootstrapd with NOTIFY_SOCKET and
 * FDSTORE set, and the stored fds as systemd passes them; wait for the
 * next READY=1.  The log is appended to.
 */
void fake_fdstore_start(struct fake_fdstore *s, struct test_daemon *td);

/**
 * fake_fdstore_kill() - SIGKILL the daemon, reap it, and (as systemd does
 * before it handles a death) take in every datagram it sent before; the
 * store keeps its fds.
 */
void fake_fdstore_kill(struct fake_fdstore *s, struct test_daemon *td);

#endif
