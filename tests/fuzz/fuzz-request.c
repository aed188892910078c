/* SPDX-License-Identifier: MIT */
/*
 * fuzz-request.c - the daemon's request path: datagrams and descriptors,
 * as any local user can send them to the bootstrap socket, through
 * recvmsg, ipc_recv's validation and server_dispatch (check-in, register,
 * look-up, and the control requests' framing).
 *
 * Input:
 *   byte 0                 FUZZ_DAEMON_* bits: domain and connection
 *   then up to 8 records   u8 fd count (low 3 bits), u16 length (LE),
 *                          one fd-kind byte per fd (fuzz-fds.h),
 *                          length bytes of datagram
 * Each record is one datagram on the same connection, handled before the
 * next is sent (so register then look-up is one input).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-daemon.h"
#include "fuzz-fds.h"

#define MAX_RECORDS 8

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_daemon_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fds fds[MAX_RECORDS];
	struct fuzz_daemon fd;
	size_t at = 1, n = 0;

	if (size < 1)
		return 0;
	fuzz_daemon_start(&fd, data[0]);
	while (n < MAX_RECORDS && size - at >= 3) {
		size_t nfds = data[at] & 7, len = (size_t)data[at + 1] | (size_t)data[at + 2] << 8;

		at += 3;
		if (nfds > size - at)
			nfds = size - at;
		if (fuzz_fds_make(&fds[n], data + at, nfds) < 0)
			break;
		at += nfds;
		if (len > size - at)
			len = size - at;
		fuzz_daemon_request(&fd, data + at, len, fds[n].fds, fds[n].n);
		at += len;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		fuzz_fds_close(&fds[i]);
	fuzz_daemon_stop(&fd);
	return 0;
}
