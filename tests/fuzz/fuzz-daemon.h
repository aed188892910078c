/* SPDX-License-Identifier: MIT */
/*
 * fuzz-daemon.h - a bootstrapd domain inside the harness process, fed
 * requests through a real connection and its real read path (conn.c:
 * recvmsg, ipc_recv's validation, server_dispatch, control_dispatch).
 *
 * Each input gets a fresh domain holding one job (com.example.fuzz, with
 * the MachServices name com.example.fuzz, recorded as if its process were
 * the harness, so that check-in can succeed), a fresh connection, and an
 * empty state directory; afterwards everything is torn down and the fd
 * count must be back where it started.  The harness runs no program: its
 * spawn_job() refuses (fuzz-daemon.c), so a fuzzed plist that asks to run
 * at load only makes the job fail to start.
 */
#ifndef BOOTSTRAPD_FUZZ_DAEMON_H
#define BOOTSTRAPD_FUZZ_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "domain.h"

/* Bits of the first input byte: which domain, and who asks. */
#define FUZZ_DAEMON_SYSTEM      0x1     /* the system domain (owner root) */
#define FUZZ_DAEMON_STRANGER    0x2     /* a user domain owned by someone else */
#define FUZZ_DAEMON_JOB_PORT    0x4     /* the connection is the job's bootstrap port */

struct fuzz_daemon {
	struct domain d;
	int client;     /* our end of the connection */
	int fd_baseline;
};

/** fuzz_daemon_init() - once per process: event base, state directory, log level. */
void fuzz_daemon_init(void);

/**
 * fuzz_daemon_start() - a fresh domain and connection, per @flags
 * (FUZZ_DAEMON_*).  Aborts if the fixture cannot be made (not an input's fault).
 */
void fuzz_daemon_start(struct fuzz_daemon *fd, uint8_t flags);

/**
 * fuzz_daemon_request() - send one datagram carrying @fds (borrowed) on
 * the connection and let the daemon's loop handle what is ready.
 */
void fuzz_daemon_request(struct fuzz_daemon *fd, const void *buf, size_t len, const int *fds,
			 size_t nfds);

/** fuzz_daemon_stop() - hang up, tear down, and check that no fd is left over. */
void fuzz_daemon_stop(struct fuzz_daemon *fd);

#endif
