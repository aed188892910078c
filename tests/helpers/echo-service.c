/* SPDX-License-Identifier: MIT */
/*
 * echo-service - the job the daemon tests launch.  Checks in argv[1] and
 * serves:
 *   ECHO_DATA  (one-way)  payload: a sequence number; order is checked
 *   ECHO_QUERY (request)  reply: how many data messages, whether in order, pid
 *   ECHO_CRASH (one-way)  abort(): a crash mid-stream
 *   ECHO_CRASH_CALL (request) abort(), the request unanswered
 *   ECHO_FORWARD (request) reply: the value, through the reply right sent
 *              on to the service's own port first (ECHO_FORWARDED)
 *   ECHO_REPLY_PORT (request) reply: with a send-once right to the port
 *   ECHO_DROP and anything unknown: destroyed unanswered
 *   ECHO_ECHO  (request)  reply: the request's value, for numbered calls
 *   ECHO_LOOK_UP (request) look argv[1] up, value times, here and in a
 *              forked child; reply: value bit 0 if each look-up here named
 *              the port checked in, bit 1 if the child's all succeeded,
 *              bit 2 if the inherited connection still brings each
 *              answer's credentials (SO_PASSCRED) after them
 *   ECHO_RECHECK (request) let the receive right go, check argv[1] in
 *              again; reply: what the check-in said (exits if it failed)
 *   ECHO_REGISTER, ECHO_REGISTER_ANEW, ECHO_REGISTER_CHILD (request)
 *              register a port whose receive right goes elsewhere
 *              (echo-proto.h); reply: what it came to
 * With $ECHO_STATUS_FIRST set, it first asks bootstrap_status() of its own
 * name, which must be on demand, as a macOS daemon may before checking in.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <bootstrap/linux.h>
#include <servers/bootstrap.h>

#include "echo-proto.h"
#include "give-right.h"
#include "port.h"
#include "space.h"
#include "wire.h"

static void reply(const struct echo_msg *req, uint32_t count, uint32_t in_order)
{
	struct echo_msg out;

	memset(&out, 0, sizeof(out));
	out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	out.head.msgh_remote_port = req->head.msgh_remote_port;
	out.head.msgh_id = req->head.msgh_id + 100;
	out.value = count;
	out.ok = in_order;
	out.pid = getpid();
	mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

/* ECHO_FORWARD: the reply right goes on in a message to @port, answered when that comes. */
static void forward(mach_port_t port, struct echo_msg *req)
{
	struct echo_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	m.head.msgh_remote_port = port;
	m.head.msgh_local_port = req->head.msgh_remote_port;
	m.head.msgh_id = ECHO_FORWARDED;
	m.value = req->value;
	if (mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		mach_msg_destroy(&req->head);
}

/* ECHO_REPLY_PORT: the answer carries a send-once right to @port as its reply port. */
static void reply_with_port(mach_port_t port, const struct echo_msg *req)
{
	struct echo_msg out;

	memset(&out, 0, sizeof(out));
	out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	out.head.msgh_remote_port = req->head.msgh_remote_port;
	out.head.msgh_local_port = port;
	out.head.msgh_id = req->head.msgh_id + 100;
	out.pid = getpid();
	mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

/* @n look-ups of @name: 1 if each gave @port (or any right, when @port is MACH_PORT_NULL). */
static uint32_t look_up_self(const char *name, mach_port_t port, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		mach_port_t got;

		if (bootstrap_look_up(bootstrap_port, name, &got) != KERN_SUCCESS ||
		    (port != MACH_PORT_NULL && got != port))
			return 0;
		mach_port_deallocate(mach_task_self(), got);
	}
	return 1;
}

/* The job's process, then a child sharing its bootstrap port, look @name up. */
static uint32_t look_up_here_and_in_child(const char *name, mach_port_t port, uint32_t n)
{
	uint32_t here = look_up_self(name, port, n);
	int status;
	pid_t child = fork();

	if (child == 0)
		_exit(look_up_self(name, MACH_PORT_NULL, n) ? 0 : 1);
	if (child < 0 || waitpid(child, &status, 0) != child)
		return here;
	return here | (WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 2u : 0u);
}

/* Bit 2 of ECHO_LOOK_UP's answer: SO_PASSCRED still on the connection of $BOOTSTRAP_FD. */
static uint32_t conn_passcred(void)
{
	const char *s = getenv(BOOTSTRAP_ENV_FD);
	int on = 0;
	socklen_t len = sizeof(on);

	if (!s || getsockopt(atoi(s), SOL_SOCKET, SO_PASSCRED, &on, &len) < 0)
		return 0;
	return on ? 4u : 0u;
}

/* Let the receive right go and check @name in again.  Return: what the check-in said. */
static kern_return_t check_in_again(const char *name, mach_port_t *port)
{
	mach_port_mod_refs(mach_task_self(), *port, MACH_PORT_RIGHT_RECEIVE, -1);
	return bootstrap_check_in(bootstrap_port, name, port);
}

/* ECHO_REGISTER: a registration whose port outlives this process, there. */
static kern_return_t register_and_give_away(void)
{
	mach_port_t p;
	kern_return_t kr = make_registered_port(ECHO_REGISTERED, false, &p);

	return kr ? kr : give_receive_right(p, ECHO_TAKER);
}

/* ECHO_REGISTER_ANEW: as ECHO_REGISTER, on a connection made to $ECHO_SOCKET. */
static kern_return_t register_anew(void)
{
	const char *path = getenv("ECHO_SOCKET");
	mach_port_t given = bootstrap_port;
	kern_return_t kr;

	if (!path || (kr = bootstrap_port_connect(path, &bootstrap_port)) != KERN_SUCCESS)
		return KERN_FAILURE;
	kr = register_and_give_away();
	mach_port_deallocate(mach_task_self(), bootstrap_port);
	bootstrap_port = given;
	return kr;
}

/* ECHO_REGISTER_CHILD: as ECHO_REGISTER, from a child.  Return: the child's. */
static kern_return_t register_in_child(void)
{
	int status;
	pid_t child = fork();

	if (child == 0)
		_exit(register_and_give_away() == KERN_SUCCESS ? 0 : 1);
	if (child < 0 || waitpid(child, &status, 0) != child)
		return KERN_FAILURE;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

/* ECHO_REGISTER and its variants, by request @id.  Return: what it came to. */
static kern_return_t register_by(mach_msg_id_t id)
{
	if (id == ECHO_REGISTER_ANEW)
		return register_anew();
	if (id == ECHO_REGISTER_CHILD)
		return register_in_child();
	return register_and_give_away();
}

/* As a macOS daemon may before it checks in: its own name must be on demand. */
static bool own_name_on_demand(const char *name)
{
	bootstrap_status_t st;

	return bootstrap_status(bootstrap_port, (char *)name, &st) == KERN_SUCCESS &&
	       st == BOOTSTRAP_STATUS_ON_DEMAND;
}

/* What the service has seen of ECHO_DATA: how many, and whether in order. */
struct tally {
	uint32_t count, next, in_order;
};

/* ECHO_DATA, ECHO_QUERY, ECHO_ECHO and the requests that only answer: whether @m was one. */
static bool serve_plain(struct echo_msg *m, struct tally *t, mach_port_t port, const char *name)
{
	switch (m->head.msgh_id) {
	case ECHO_DATA:
		if (m->value != t->next)
			t->in_order = 0;
		t->next = m->value + 1;
		t->count++;
		return true;
	case ECHO_QUERY:
		reply(m, t->count, t->in_order);
		return true;
	case ECHO_ECHO:
		reply(m, m->value, 1);
		return true;
	case ECHO_LOOK_UP:
		reply(m, look_up_here_and_in_child(name, port, m->value) | conn_passcred(), 1);
		return true;
	case ECHO_REGISTER:
	case ECHO_REGISTER_ANEW:
	case ECHO_REGISTER_CHILD:
		reply(m, (uint32_t)register_by(m->head.msgh_id), 1);
		return true;
	case ECHO_FORWARD:
		forward(port, m);
		return true;
	case ECHO_REPLY_PORT:
		reply_with_port(port, m);
		return true;
	case ECHO_FORWARDED:
		m->head.msgh_id = ECHO_FORWARD;         /* answered as ECHO_FORWARD + 100 */
		reply(m, m->value, 1);
		return true;
	default:
		return false;
	}
}

/* ECHO_NO_CREDS: credentials off on @port's R.  Return: 1 if they are. */
static uint32_t creds_off(mach_port_t port)
{
	struct port *p;
	int fd = -1, zero = 0;

	space_lock();
	p = space_get(port);
	if (p && p->kind == PORT_KIND_RECEIVE)
		fd = p->u.recv.fd;
	space_unlock();
	return fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &zero, sizeof(zero)) == 0;
}

/* ECHO_WAKE_EXIT: a WAKE into @port's R, through its S.  Return: 1 if written. */
static uint32_t leave_wake(mach_port_t port)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_WAKE };
	struct port *p;
	int s = -1;

	space_lock();
	p = space_get(port);
	if (p && p->kind == PORT_KIND_RECEIVE)
		s = p->send_fd;
	space_unlock();
	return s >= 0 && send(s, &h, sizeof(h), MSG_NOSIGNAL) == (ssize_t)sizeof(h);
}

/* One message.  Return: 0 to go on, else the exit status. */
static int serve_one(struct echo_msg *m, struct tally *t, mach_port_t *port, const char *name)
{
	kern_return_t kr;

	if (serve_plain(m, t, *port, name))
		return 0;
	switch (m->head.msgh_id) {
	case ECHO_RECHECK:
		reply(m, (uint32_t)(kr = check_in_again(name, port)), 1);
		return kr == KERN_SUCCESS ? 0 : 6;
	case ECHO_NO_CREDS:
		reply(m, creds_off(*port), 1);
		return 0;
	case ECHO_WAKE_EXIT:
		reply(m, leave_wake(*port), 1);
		return 8;
	case ECHO_CRASH:
	case ECHO_CRASH_CALL:
		abort();
	default:
		mach_msg_destroy(&m->head);
		return 0;
	}
}

int main(int argc, char **argv)
{
	struct tally t = { .next = argc > 2 ? (uint32_t)atoi(argv[2]) : 0, .in_order = 1 };
	mach_port_t port;
	int status = 0;

	if (argc < 2)
		return 3;
	if (getenv("ECHO_STATUS_FIRST") && !own_name_on_demand(argv[1]))
		return 5;
	if (bootstrap_check_in(bootstrap_port, argv[1], &port) != KERN_SUCCESS)
		return 3;
	while (status == 0) {
		union {
			struct echo_msg m;
			char buf[sizeof(struct echo_msg) + MAX_TRAILER_SIZE];
		} in;

		if (mach_msg(&in.m.head, MACH_RCV_MSG, 0, sizeof(in), port, 0, MACH_PORT_NULL))
			return 4;
		status = serve_one(&in.m, &t, &port, argv[1]);
	}
	return status;
}
