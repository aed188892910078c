/* SPDX-License-Identifier: MIT */
/* chan-wire.c - channels v2 spoken by hand (chan-wire.h). */
#include "chan-wire.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <servers/bootstrap.h>

#include "bootstrap-mig.h"
#include "bsctl-run.h"
#include "daemon.h"
#include "fake-fdstore.h"
#include "fdpass.h"
#include "port.h"
#include "raw-client.h"
#include "wire.h"

void chan_serve(const char *name, mach_port_t *recv, mach_port_t *send)
{
	ck_assert_int_eq(bootstrap_check_in(bootstrap_port, (char *)name, recv), KERN_SUCCESS);
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, (char *)name, send), KERN_SUCCESS);
}

void chan_receiver_goes(mach_port_t recv)
{
	ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE, -1),
			 KERN_SUCCESS);
}

int chan_fds_at_rest(pid_t pid)
{
	int base = -1;

	for (int k = 0; k < 30; k++) {
		int n = raw_fd_count(pid);

		if (base < 0 || n < base)
			base = n;
		usleep(10000);
	}
	return base;
}

void chan_pair(int *a, int *b)
{
	int sv[2], one = 1;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)), 0);
	*a = sv[0];
	*b = sv[1];
}

kern_return_t chan_ask_with(mach_port_t port, int b)
{
	mach_port_name_t name = port_name_send_fd(b);

	ck_assert(MACH_PORT_VALID(name));
	return bs_mig_channel(bootstrap_port, port, name, 30000);      /* moved: the name goes */
}

kern_return_t chan_ask(mach_port_t port, int *a)
{
	kern_return_t kr;
	int b;

	chan_pair(a, &b);
	kr = chan_ask_with(port, b);
	if (kr != KERN_SUCCESS) {
		close(*a);
		*a = -1;
	}
	return kr;
}

/* In the child: look @service up, ask, hand the code and A (if any) up @up. */
static _Noreturn void ask_in_child(const char *service, int up)
{
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr;
	int a = -1;

	/* A forked task holds no right of its parent's but the bootstrap port. */
	kr = bootstrap_look_up(bootstrap_port, (char *)service, &port);
	if (kr == KERN_SUCCESS)
		kr = chan_ask(port, &a);
	if (fdpass_send(up, &(struct iovec){ .iov_base = &kr, .iov_len = sizeof(kr) }, 1, &a,
			a >= 0, 0) < 0)
		_exit(255);
	_exit(0);
}

kern_return_t chan_ask_from_child(const char *service, int *a)
{
	int sv[2], fds[FDPASS_MAX_FDS], st;
	size_t nfds = 0;
	kern_return_t kr = KERN_FAILURE;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		ask_in_child(service, sv[1]);
	close(sv[1]);
	ck_assert_int_eq(fdpass_recv(sv[0], &kr, sizeof(kr), fds, &nfds, NULL, 0),
			 (ssize_t)sizeof(kr));
	close(sv[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(nfds, kr == KERN_SUCCESS);
	*a = nfds ? fds[0] : -1;
	return kr;
}

int32_t chan_read_offer(int r, int *b)
{
	struct wire_hdr h;
	int fds[FDPASS_MAX_FDS];
	size_t nfds = 0;
	ssize_t len = fdpass_recv(r, &h, sizeof(h), fds, &nfds, NULL, MSG_DONTWAIT);

	ck_assert_int_eq(len, (ssize_t)sizeof(h));
	ck_assert_int_eq(wire_control(&h, (size_t)len, nfds), WIRE_CTL_OFFER);
	ck_assert_uint_eq(h.nfds, 1);
	*b = fds[0];
	return h.id;
}

int chan_call(int s, uint16_t seq)
{
	return chan_send_bits(s, WIRE_BITS_CHAN | WIRE_BITS_ONCONN, seq);
}

int chan_send_bits(int s, uint32_t bits, uint16_t seq)
{
	struct {
		struct wire_hdr h;
		char body[8];
	} m = {
		.h = { .magic = WIRE_MAGIC, .id = 4242, .seq = seq, .body_len = 8, .data_len = 8,
		       .bits = bits |
			       MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) },
		.body = "channel",
	};

	return send(s, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(m) ? 0 : -errno;
}

uint64_t chan_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int chan_read(int a, uint16_t *seq, uint64_t *looked_ns)
{
	struct pollfd p = { .fd = a, .events = POLLIN };
	_Alignas(8) char buf[256];
	const struct wire_hdr *h = (const void *)buf;
	struct wire_retired body;
	int fds[FDPASS_MAX_FDS];
	size_t nfds = 0;
	ssize_t len;

	if (poll(&p, 1, CHAN_WAIT_MS) != 1)
		return -EAGAIN;
	len = fdpass_recv(a, buf, sizeof(buf), fds, &nfds, NULL, MSG_DONTWAIT);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	if (len == 0)
		return 0;
	if (len != (ssize_t)(sizeof(*h) + sizeof(body)) ||
	    wire_control(buf, (size_t)len, nfds) != WIRE_CTL_RETIRED)
		return -EBADMSG;
	memcpy(&body, buf + sizeof(*h), sizeof(body));
	*seq = h->seq;
	*looked_ns = body.looked_ns;
	return 1;
}

int chan_pending(int a)
{
	struct pollfd p = { .fd = a, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

int chan_peer_gone(int a)
{
	struct pollfd p = { .fd = a, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLRDHUP));
}

void chan_assert_peers(int x, int y)
{
	char c = 0;

	ck_assert_int_eq(chan_call(x, 7), 0);
	ck_assert_int_gt(recv(y, &c, 1, MSG_DONTWAIT | MSG_TRUNC), 0);
}

int chan_wait_peer_gone(int a)
{
	for (int k = 0; k < CHAN_WAIT_MS / 10; k++) {
		if (chan_peer_gone(a))
			return 1;
		usleep(10000);
	}
	return 0;
}

void chan_pair_from_child(int *a, int *b)
{
	int sv[2], fds[FDPASS_MAX_FDS], st;
	size_t nfds = 0;
	char c;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int x, y;

		chan_pair(&x, &y);
		_exit(fdpass_send(sv[1], &(struct iovec){ .iov_base = "p", .iov_len = 1 }, 1,
				  (int[]){ x, y }, 2, 0) < 0);
	}
	close(sv[1]);
	ck_assert_int_eq(fdpass_recv(sv[0], &c, 1, fds, &nfds, NULL, 0), 1);
	ck_assert_uint_eq(nfds, 2);
	close(sv[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	*a = fds[0];
	*b = fds[1];
}

uint16_t chan_retired_seq(int a, uint64_t before)
{
	uint64_t looked = 0;
	uint16_t seq = 0xffff;

	ck_assert_int_eq(chan_read(a, &seq, &looked), 1);
	ck_assert_uint_ge(looked, before);
	ck_assert_uint_le(looked, chan_now_ns());
	return seq;
}

mach_port_msgcount_t chan_msgcount(mach_port_t recv)
{
	mach_port_status_t st;
	mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;

	ck_assert_int_eq(mach_port_get_attributes(mach_task_self(), recv, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &n), KERN_SUCCESS);
	return st.mps_msgcount;
}

void chan_restart(struct test_daemon *td, struct fake_fdstore *store, int from_store,
		  const char *name)
{
	static struct bsctl_out out;
	mach_port_t probe;

	if (!from_store) {
		ck_assert_int_eq(BSCTL_RUN(&out, "reexec"), 0);
		return;
	}
	ck_assert_int_eq(bootstrap_look_up(bootstrap_port, (char *)name, &probe), KERN_SUCCESS);
	fake_fdstore_kill(store, td);
	fake_fdstore_start(store, td);
}

#pragma pack(push, 4)
struct check_in_body {
	NDR_record_t ndr;
	name_t name;
	uint64_t flags;
};
#pragma pack(pop)

/* The check-in request on @c, to be answered on @c (WIRE_BITS_ONCONN). */
static void send_check_in(int c, const char *name)
{
	struct {
		struct wire_hdr h;
		struct check_in_body b;
	} m = {
		.h = { .magic = WIRE_MAGIC, .id = 402, .seq = 1,
		       .body_len = sizeof(struct check_in_body),
		       .data_len = sizeof(struct check_in_body),
		       .bits = WIRE_BITS_ONCONN |
			       MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) },
		.b = { .ndr = NDR_record },
	};

	strncpy(m.b.name, name, sizeof(m.b.name) - 1);
	ck_assert_int_eq(raw_send(c, &m, sizeof(m), NULL, 0), (ssize_t)sizeof(m));
}

kern_return_t chan_raw_check_in(const char *socket, const char *name, struct chan_check_in *ci)
{
	_Alignas(8) char buf[1024];
	const struct wire_hdr *h = (const void *)buf;
	const struct wire_desc *d = wire_descs(buf);
	int c = raw_connect(socket);
	ssize_t len;

	memset(ci, 0, sizeof(*ci));
	ck_assert_int_ge(c, 0);
	send_check_in(c, name);
	len = fdpass_recv(c, buf, sizeof(buf), ci->fds, &ci->nfds, NULL, 0);
	close(c);
	ck_assert_int_ge(len, (ssize_t)sizeof(*h));
	ck_assert_int_eq(wire_validate(buf, (size_t)len, ci->nfds), 0);
	if (!(h->bits & MACH_MSGH_BITS_COMPLEX)) {
		const mig_reply_error_t *e = (const void *)(wire_body(buf) - sizeof(mach_msg_header_t));

		ck_assert_uint_ge(h->body_len, sizeof(NDR_record_t) + sizeof(kern_return_t));
		return e->RetCode;
	}
	ck_assert_uint_eq(h->ndesc, 1);
	ck_assert_int_eq(d->kind, WIRE_PORT_RECEIVE);
	ci->reserved = d->reserved;
	return KERN_SUCCESS;
}

void chan_check_in_close(struct chan_check_in *ci)
{
	for (size_t i = 0; i < ci->nfds; i++)
		close(ci->fds[i]);
	ci->nfds = 0;
}
