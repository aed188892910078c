/* SPDX-License-Identifier: MIT */
/*
 * check-request.c - the daemon's request path against the inputs its fuzz
 * harness found (tests/fuzz/corpus/request/regress-*), sent by a raw
 * client in wire form (client-lib/wire.h) to a real daemon.
 */
#include <check.h>
#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bootstrap-proto.h"
#include "fdpass.h"
#include "helpers/daemon.h"
#include "helpers/runner.h"
#include "wire.h"

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "request");
	test_daemon_add_job(&td, "com.example.svc",
		"<key>Program</key><string>/bin/true</string>\n"
		"<key>MachServices</key><dict><key>com.example.svc</key><true/></dict>");
	test_daemon_start(&td);
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

static int connect_raw(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	strncpy(sun.sun_path, td.socket, sizeof(sun.sun_path) - 1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static int daemon_fd_count(void)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)td.pid);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

struct reply {
	struct wire_hdr hdr;
	NDR_record_t ndr;       /* only its size is used */
	kern_return_t ret;
};

/*
 * Send look_up("com.example.svc") with message id @id on @conn, with a
 * send-once reply socket, and wait for the reply (requests on one
 * connection are handled in order) and for the daemon to let go of the
 * reply right.  Return: the reply's header and code.
 */
static struct reply call(int conn, int32_t id)
{
	struct {
		struct wire_hdr hdr;
		NDR_record_t ndr;
		name_t name;
	} rq = {
		.hdr = { .magic = WIRE_MAGIC,
			 .bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
			 .id = id, .nfds = 1, .reply_nfds = 1,
			 .body_len = sizeof(NDR_record_t) + sizeof(name_t),
			 .data_len = sizeof(NDR_record_t) + sizeof(name_t) },
		.ndr = NDR_record,
		.name = "com.example.svc",
	};
	struct iovec iov = { &rq, sizeof(rq) };
	struct pollfd pfd = { .events = POLLIN };
	_Alignas(8) char buf[1024];
	struct reply rep;
	int sv[2], fds[FDPASS_MAX_FDS];
	size_t nfds;
	ssize_t n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(fdpass_send(conn, &iov, 1, &sv[1], 1, 0), 0);
	close(sv[1]);
	pfd.fd = sv[0];
	ck_assert_int_eq(poll(&pfd, 1, 30000), 1);
	n = fdpass_recv(sv[0], buf, sizeof(buf), fds, &nfds, NULL, 0);
	fdpass_close_all(fds, nfds);
	ck_assert_int_ge(n, (ssize_t)sizeof(rep.hdr));
	ck_assert_int_eq(wire_validate(buf, (size_t)n, nfds), 0);
	memcpy(&rep.hdr, buf, sizeof(rep.hdr));
	ck_assert_uint_ge(rep.hdr.body_len, sizeof(rep.ndr) + sizeof(rep.ret));
	/* The body (after any descriptor): NDR, then the return code. */
	memcpy(&rep.ret, wire_body(buf) + sizeof(rep.ndr), sizeof(rep.ret));
	/* Hung up once the daemon closed its copy of the reply right too: its fd count is settled. */
	pfd.events = POLLRDHUP;
	ck_assert_int_eq(poll(&pfd, 1, 30000), 1);
	ck_assert(pfd.revents & (POLLHUP | POLLRDHUP));
	close(sv[0]);
	return rep;
}

/* An empty datagram is dropped, and so are the descriptors it carried. */
START_TEST(test_empty_datagrams_keep_no_fds)
{
	int conn = connect_raw(), baseline, p[2];
	struct reply rep;
	char none = 0;
	struct iovec iov = { &none, 0 };

	ck_assert_int_eq(call(conn, BOOTSTRAP_MSG_LOOK_UP).ret, KERN_SUCCESS);
	baseline = daemon_fd_count();
	ck_assert_int_eq(pipe(p), 0);
	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(fdpass_send(conn, &iov, 1, p, 2, 0), 0);
	close(p[0]);
	close(p[1]);
	rep = call(conn, BOOTSTRAP_MSG_LOOK_UP);  /* after all 300 on this connection */
	ck_assert_int_eq(rep.ret, KERN_SUCCESS);
	ck_assert_int_eq(daemon_fd_count(), baseline);
	close(conn);
}
END_TEST

/* The largest request id: an unknown request, answered; its reply id computed without overflow. */
START_TEST(test_largest_request_id_is_answered)
{
	int conn = connect_raw();
	struct reply rep = call(conn, INT32_MAX);

	ck_assert_int_eq(rep.ret, MIG_BAD_ID);
	ck_assert_int_eq((uint32_t)rep.hdr.id, (uint32_t)INT32_MAX + 100u);
	/* Still serving. */
	ck_assert_int_eq(call(conn, BOOTSTRAP_MSG_LOOK_UP).ret, KERN_SUCCESS);
	close(conn);
}
END_TEST

static Suite *request_suite(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_empty_datagrams_keep_no_fds);
	tcase_add_test(tc, test_largest_request_id_is_answered);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(request_suite(), NULL, 0, argc, argv);
}
