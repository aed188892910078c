/* SPDX-License-Identifier: MIT */
#include "peer.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/notify.h>

#include "fdcheck.h"

#include "port.h"

mach_port_t peer_name_send_fd(int fd)
{
	return port_name_send_fd(fd);
}

int peer_send_fd(mach_port_t name)
{
	struct port *p;
	int fd = -1;

	space_lock();
	p = space_get(name);
	if (p && p->send_fd >= 0)
		fd = fcntl(p->send_fd, F_DUPFD_CLOEXEC, 0);
	space_unlock();
	return fd;
}

int peer_recv_fd(mach_port_t name)
{
	struct port *p;
	int fd = -1;

	space_lock();
	p = space_get(name);
	if (p && (p->type & MACH_PORT_TYPE_RECEIVE))
		fd = p->u.recv.fd;
	space_unlock();
	return fd;
}

int peer_recv_epoll(mach_port_t name)
{
	struct port *p;
	int fd = -1;

	space_lock();
	p = space_get(name);
	if (p && p->kind == PORT_KIND_RECEIVE)
		fd = p->u.recv.epfd;
	space_unlock();
	return fd;
}

mach_port_t peer_port(void)
{
	mach_port_t name = MACH_PORT_NULL;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name),
			 KERN_SUCCESS);
	ck_assert(MACH_PORT_VALID(name));
	return name;
}

mach_port_t peer_port_send(void)
{
	mach_port_t name = peer_port();

	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), name, name,
						MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	return name;
}

void peer_msg_init(struct peer_msg *m, mach_port_t dest, mach_msg_type_name_t dest_disp,
		   mach_msg_id_t id, mach_port_t name, mach_msg_type_name_t disp)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(dest_disp, 0) | MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = id;
	m->body.msgh_descriptor_count = 1;
	m->port.name = name;
	m->port.disposition = disp;
	m->port.type = MACH_MSG_PORT_DESCRIPTOR;
}

void peer_post(struct peer_msg *m)
{
	mach_msg_return_t mr = mach_msg(&m->head, MACH_SEND_MSG, sizeof(*m), 0, MACH_PORT_NULL,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

	ck_assert_msg(mr == MACH_MSG_SUCCESS, "send id %d: 0x%x", m->head.msgh_id, mr);
}

mach_msg_return_t peer_send_id(mach_port_t dest, mach_msg_type_name_t disp, mach_msg_id_t id)
{
	struct {
		mach_msg_header_t head;
		int32_t value;
	} m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(disp, 0), .msgh_size = sizeof(m),
			  .msgh_remote_port = dest, .msgh_id = id },
		.value = id,
	};

	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

mach_msg_return_t peer_recv(mach_port_t port, struct peer_rcv *r, mach_msg_timeout_t ms)
{
	memset(r, 0, sizeof(*r));
	return mach_msg(&r->msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			0, sizeof(*r), port, ms, MACH_PORT_NULL);
}

bool peer_told_send_once(mach_port_t port)
{
	struct peer_rcv r;

	return peer_recv(port, &r, PEER_TIMEOUT_MS) == MACH_MSG_SUCCESS &&
	       r.msg.head.msgh_id == MACH_NOTIFY_SEND_ONCE;
}

audit_token_t peer_audit(const struct peer_rcv *r)
{
	mach_msg_audit_trailer_t t;

	ck_assert_uint_le(round_msg(r->msg.head.msgh_size) + sizeof(t), sizeof(*r));
	memcpy(&t, (const char *)r + round_msg(r->msg.head.msgh_size), sizeof(t));
	ck_assert_uint_eq(t.msgh_trailer_size, sizeof(t));
	return t.msgh_audit;
}

void peer_start_notifier(void)
{
	/* Our own send right keeps the request from firing: cancelling it is synchronous. */
	mach_port_t p = peer_port_send();

	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p,
			 MACH_NOTIFY_NO_SENDERS, 0, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), p,
			 MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, 0, NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}

mach_port_t peer_send_once(mach_port_t n)
{
	mach_port_t tmp = peer_port(), so;
	struct peer_msg m;
	struct peer_rcv r;

	peer_msg_init(&m, tmp, MACH_MSG_TYPE_MAKE_SEND, 1, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	peer_post(&m);
	ck_assert_int_eq(peer_recv(tmp, &r, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	so = r.msg.port.name;
	ck_assert_uint_eq(peer_type(so), MACH_PORT_TYPE_SEND_ONCE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), tmp), KERN_SUCCESS);
	return so;
}

/* The count peer_fd_mark() took: one test at a time per process (CK_FORK). */
static int fds_marked;

void peer_fd_mark(bool notifier)
{
	if (notifier)
		peer_start_notifier();
	fds_marked = fdcheck_count();
}

void peer_fd_check(void)
{
	int now = peer_fd_count(fds_marked);

	if (now != fds_marked)
		fdcheck_dump();
	ck_assert_int_eq(now, fds_marked);
}

int peer_fd_count(int want)
{
	int n;

	port_flush_idle();      /* idle send-once pairs are kept on purpose */
	n = fdcheck_count();

	for (int ms = 0; n != want && ms < PEER_TIMEOUT_MS; ms++) {
		usleep(1000);
		n = fdcheck_count();
	}
	return n;
}

mach_port_urefs_t peer_urefs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t n = 12345;

	ck_assert_int_eq(mach_port_get_refs(mach_task_self(), name, right, &n), KERN_SUCCESS);
	return n;
}

mach_port_type_t peer_type(mach_port_t name)
{
	mach_port_type_t t = 0;
	kern_return_t kr = mach_port_type(mach_task_self(), name, &t);

	ck_assert_msg(kr == KERN_SUCCESS, "mach_port_type(0x%x): %d", name, kr);
	return t;
}

static const char *peer_path(void)
{
	const char *path = getenv("PORT_PEER");

	ck_assert_msg(path && *path, "PORT_PEER is not set (run the tests through meson)");
	return path;
}

/* In the child: exec the peer with @fd, our inheritable copy of the home port's S. */
static void exec_peer(const char *path, int fd)
{
	char arg[16];

	snprintf(arg, sizeof(arg), "%d", fd);
	execl(path, "port-peer", arg, (char *)NULL);
	_exit(127);
}

void peer_start(struct peer *p)
{
	const char *path = peer_path();
	struct peer_rcv hello;
	int s, inheritable;

	memset(p, 0, sizeof(*p));
	p->home = peer_port();
	s = peer_send_fd(p->home);
	ck_assert_int_ge(s, 0);
	/* Made before fork: the child's fork handler closes every library fd. */
	inheritable = fcntl(s, F_DUPFD, 0);
	ck_assert_int_ge(inheritable, 0);
	close(s);
	p->pid = fork();
	ck_assert_int_ge(p->pid, 0);
	if (p->pid == 0)
		exec_peer(path, inheritable);
	close(inheritable);
	ck_assert_int_eq(peer_recv(p->home, &hello, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(hello.msg.head.msgh_id, PEER_HELLO);
	ck_assert_int_eq(hello.msg.arg[0], p->pid);
	ck_assert_int_eq(MACH_MSGH_BITS_REMOTE(hello.msg.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	p->ctl = hello.msg.head.msgh_remote_port;
	ck_assert(MACH_PORT_VALID(p->ctl));
}

void peer_call(struct peer *p, struct peer_msg *req, struct peer_rcv *rep)
{
	mach_msg_return_t mr;

	req->head.msgh_bits = (req->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
		MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->head.msgh_remote_port = p->ctl;
	req->head.msgh_local_port = p->home;
	peer_post(req);
	mr = peer_recv(p->home, rep, PEER_TIMEOUT_MS);
	ck_assert_msg(mr == MACH_MSG_SUCCESS, "peer reply to %d: 0x%x", req->head.msgh_id, mr);
	ck_assert_int_eq(rep->msg.head.msgh_id, req->head.msgh_id + 100);
}

void peer_cmd(struct peer *p, enum peer_cmd cmd, uint32_t a0, uint32_t a1, struct peer_rcv *rep)
{
	struct peer_msg req;

	peer_msg_init(&req, p->ctl, MACH_MSG_TYPE_COPY_SEND, (mach_msg_id_t)cmd, MACH_PORT_NULL, 0);
	req.arg[0] = a0;
	req.arg[1] = a1;
	peer_call(p, &req, rep);
}

int peer_exit(struct peer *p, int status)
{
	struct peer_msg req;
	int ws = -1;

	peer_msg_init(&req, p->ctl, MACH_MSG_TYPE_COPY_SEND, PEER_EXIT, MACH_PORT_NULL, 0);
	req.arg[0] = (uint32_t)status;
	peer_post(&req);
	ck_assert_int_eq(waitpid(p->pid, &ws, 0), p->pid);
	/* Not killed, no sanitizer exit status (ASan 1, LSan 23): what it was told. */
	ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == status,
		      "port-peer: wait status %#x, told to exit %d", ws, status);
	return ws;
}

void peer_forget(struct peer *p)
{
	if (MACH_PORT_VALID(p->ctl))
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), p->ctl), KERN_SUCCESS);
	if (MACH_PORT_VALID(p->home))
		ck_assert_int_eq(mach_port_mod_refs(mach_task_self(), p->home,
						    MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	p->ctl = p->home = MACH_PORT_NULL;
}

void peer_raise_fd_limit(unsigned long want)
{
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_uint_ge(rl.rlim_cur, want);
}
