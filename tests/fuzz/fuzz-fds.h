/* SPDX-License-Identifier: MIT */
/*
 * fuzz-fds.h - descriptors made from fuzz input bytes, and the fd count
 * every harness checks after each input.
 *
 * One spec byte makes one descriptor: its low three bits pick the kind
 * (see enum fuzz_fd_kind), the next two a size for memfds.  The first fd
 * cannot be FUZZ_FD_DUP (it is /dev/null then).  The fds that
 * would travel in SCM_RIGHTS are in .fds; the other ends of pairs (kept so
 * that a reply can be written to them) in .peers.  fuzz_fds_close() closes
 * both, whatever the code under test did with its copies.
 */
#ifndef BOOTSTRAPD_FUZZ_FDS_H
#define BOOTSTRAPD_FUZZ_FDS_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_FDS_MAX 8

enum fuzz_fd_kind {
	FUZZ_FD_SEQPACKET,      /* a port: a SOCK_SEQPACKET pair's end */
	FUZZ_FD_MEMFD,          /* memfd, no seals */
	FUZZ_FD_MEMFD_SHRINK,   /* memfd sealed against shrinking (memory entries) */
	FUZZ_FD_MEMFD_FROZEN,   /* memfd sealed against shrinking and writes (OOL data) */
	FUZZ_FD_PIPE,           /* a pipe's read end */
	FUZZ_FD_DEVNULL,        /* /dev/null */
	FUZZ_FD_STREAM,         /* a SOCK_STREAM pair's end */
	FUZZ_FD_DUP,            /* a dup of the previous fd (bit 3 clear) or of
				 * the previous pair's other end (bit 3 set):
				 * one port's R and S, one file twice */
};

struct fuzz_fds {
	int fds[FUZZ_FDS_MAX];
	size_t n;
	int peers[FUZZ_FDS_MAX];
	size_t npeers;
};

/**
 * fuzz_fds_make() - one descriptor per byte of @spec (at most FUZZ_FDS_MAX).
 * Return: 0, or a negative errno (then nothing is left open).
 */
int fuzz_fds_make(struct fuzz_fds *f, const uint8_t *spec, size_t n);

/** fuzz_fds_close() - close every fd and peer still open. */
void fuzz_fds_close(struct fuzz_fds *f);

/** fuzz_fd_count() - how many fds the process has open. */
int fuzz_fd_count(void);

/*
 * Count before and after each input, never against a count taken once at
 * start-up: libFuzzer itself opens pipes between inputs (to symbolize the
 * new functions it reports).
 */

/**
 * fuzz_fd_check() - abort (a crash libFuzzer reports, with the input) if
 * the process holds a different number of fds than @baseline, after
 * listing them on stderr.
 */
void fuzz_fd_check(int baseline);

#endif
