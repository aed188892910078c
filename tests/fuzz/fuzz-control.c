/* SPDX-License-Identifier: MIT */
/*
 * fuzz-control.c - bsctl's requests as the daemon decodes and answers
 * them (control.c, control-show.c, control-load.c): the framing is built
 * here, mostly right, so that the fuzzer spends its time in the request
 * fields, the plist sent for load, and what list, print and blame then
 * make of the loaded job.
 *
 * Input:
 *   byte 0                 FUZZ_DAEMON_* bits: domain and connection
 *   then up to 6 records   u8 id (700 + id % 12: every control id and one
 *                          past the last), u8 flags (below), u8 signal,
 *                          u16 length (LE), then length bytes: the arg up
 *                          to the first NUL, and the rest the plist sent
 *                          out of line (load; any request when F_OOL)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control-proto.h"
#include "fuzz-daemon.h"
#include "wire.h"

#define MAX_RECORDS 6

/* Record flags: the low four bits are the request's CONTROL_F_* flags. */
#define F_MEMFD         0x10    /* the plist in a memfd, not inline */
#define F_NO_REPLY      0x20    /* no reply right */
#define F_OOL           0x40    /* an out-of-line descriptor whatever the id */
#define F_SHORT         0x80    /* the body cut short by the arg's length */

/* One record of the input. */
struct record {
	uint8_t id, flags, signal;
	const uint8_t *bytes;   /* arg, NUL, plist */
	size_t len;
};

/* The datagram: header, descriptor (if any), body, inline out-of-line bytes. */
struct datagram {
	_Alignas(8) char buf[sizeof(struct wire_hdr) + sizeof(struct wire_desc) +
			     sizeof(struct control_request) + WIRE_OOL_INLINE_MAX];
	size_t len;
	int memfd;      /* the plist out of line in a memfd, or -1 */
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_daemon_init();
	return 0;
}

static int sealed_memfd(const void *buf, size_t len)
{
	int fd = memfd_create("fuzz-plist", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if ((len && write(fd, buf, len) != (ssize_t)len) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void body_of(struct control_request *body, const struct record *rec, size_t arg_len)
{
	memset(body, 0, sizeof(*body));
	body->ndr = NDR_record;
	body->flags = rec->flags & 0xf;
	body->signal = (int8_t)rec->signal;
	memcpy(body->arg, rec->bytes, arg_len);
}

static void put(struct datagram *g, const void *p, size_t n)
{
	memcpy(g->buf + g->len, p, n);
	g->len += n;
}

/* One control request in wire form, into @g. */
static void build(struct datagram *g, const struct record *rec)
{
	const uint8_t *nul = memchr(rec->bytes, '\0', rec->len);
	size_t arg_len = nul ? (size_t)(nul - rec->bytes) : rec->len;
	const uint8_t *plist = nul ? nul + 1 : rec->bytes + rec->len;
	size_t plist_len = (size_t)(rec->bytes + rec->len - plist), body_len;
	bool ool = rec->id % 12 == CONTROL_LOAD - CONTROL_LIST || (rec->flags & F_OOL);
	bool in_memfd = ool && ((rec->flags & F_MEMFD) || plist_len > WIRE_OOL_INLINE_MAX);
	bool reply = !(rec->flags & F_NO_REPLY);
	size_t ool_inline = ool && !in_memfd ? plist_len : 0;
	struct control_request body;
	struct wire_hdr hdr = {
		.magic = WIRE_MAGIC,
		.bits = MACH_MSGH_BITS(reply ? MACH_MSG_TYPE_PORT_SEND_ONCE : 0,
				       MACH_MSG_TYPE_PORT_SEND) | (ool ? MACH_MSGH_BITS_COMPLEX : 0),
		.id = CONTROL_LIST + rec->id % 12,
		.ndesc = ool,
		.nfds = reply + in_memfd,
		.reply_nfds = reply,
	};
	struct wire_desc desc = {
		.type = MACH_MSG_OOL_DESCRIPTOR,
		.kind = in_memfd ? WIRE_OOL_MEMFD : WIRE_OOL_INLINE,
		.nfds = in_memfd,
		.size = (uint32_t)plist_len,
	};

	if (arg_len >= sizeof(body.arg))
		arg_len = sizeof(body.arg) - 1;
	body_of(&body, rec, arg_len);
	body_len = (rec->flags & F_SHORT) ?
		offsetof(struct control_request, arg) + (arg_len & ~(size_t)3) : sizeof(body);
	hdr.body_len = (uint32_t)body_len;
	hdr.data_len = (uint32_t)(body_len + ool_inline);
	g->memfd = in_memfd ? sealed_memfd(plist, plist_len) : -1;
	if (in_memfd && g->memfd < 0)
		abort();
	g->len = 0;
	put(g, &hdr, sizeof(hdr));
	if (ool)
		put(g, &desc, sizeof(desc));
	put(g, &body, body_len);
	put(g, plist, ool_inline);
}

static void send_one(struct fuzz_daemon *fd, const struct record *rec)
{
	static struct datagram g;
	int sv[2] = { -1, -1 }, fds[2];
	size_t nfds = 0;

	build(&g, rec);
	if (!(rec->flags & F_NO_REPLY)) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
			abort();
		fds[nfds++] = sv[1];
	}
	if (g.memfd >= 0)
		fds[nfds++] = g.memfd;
	fuzz_daemon_request(fd, g.buf, g.len, fds, nfds);
	for (size_t i = 0; i < 2; i++)
		if (sv[i] >= 0)
			close(sv[i]);
	if (g.memfd >= 0)
		close(g.memfd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_daemon fd;
	size_t at = 1;

	if (size < 1)
		return 0;
	fuzz_daemon_start(&fd, data[0]);
	for (int n = 0; n < MAX_RECORDS && size - at >= 5; n++) {
		struct record rec = { data[at], data[at + 1], data[at + 2], data + at + 5,
				      (size_t)data[at + 3] | (size_t)data[at + 4] << 8 };

		at += 5;
		if (rec.len > size - at)
			rec.len = size - at;
		send_one(&fd, &rec);
		at += rec.len;
	}
	fuzz_daemon_stop(&fd);
	return 0;
}
