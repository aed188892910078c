/* SPDX-License-Identifier: MIT */
/*
 * race.c - a send caught waiting for room while this thread changes the
 * rights it uses, for the check-msg-race suites (race.h).
 */
#include "helpers/race.h"

#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "helpers/peer.h"

/* The race this thread sends for, which the signal handler holds. */
static __thread struct race *own_race;

static void hold_sender(int sig)
{
	const struct timespec ms = { 0, 1000000 };
	struct race *r = own_race;

	(void)sig;
	__atomic_store_n(&r->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->released, __ATOMIC_ACQUIRE))
		nanosleep(&ms, NULL);
}

static void *send_timed(void *arg)
{
	struct race *r = arg;

	own_race = r;
	__atomic_store_n(&r->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	r->result = send_msg(&r->m.head, MACH_SEND_TIMEOUT, PEER_TIMEOUT_MS);
	return NULL;
}

/* Whether thread @tid of this process is asleep (in the send's wait for room). */
static bool thread_sleeps(pid_t tid)
{
	char path[64], buf[256], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] == 'S';
}

static void wait_until(bool (*cond)(const struct race *), const struct race *r)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < PEER_TIMEOUT_MS && !cond(r); i++)
		nanosleep(&ms, NULL);
	ck_assert_int_lt(i, PEER_TIMEOUT_MS);
}

static bool sender_waits(const struct race *r)
{
	pid_t tid = __atomic_load_n(&r->tid, __ATOMIC_ACQUIRE);

	return tid && thread_sleeps(tid);
}

static bool sender_held(const struct race *r)
{
	return __atomic_load_n(&r->held, __ATOMIC_ACQUIRE);
}

/* Send r->m on a thread of its own, and return once it waits for room, held. */
void race_start(struct race *r)
{
	struct sigaction sa = { .sa_handler = hold_sender };

	r->held = r->released = 0;
	r->tid = 0;
	r->m.head.msgh_id = RACED_ID;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(pthread_create(&r->thread, NULL, send_timed, r), 0);
	wait_until(sender_waits, r);
	ck_assert_int_eq(pthread_kill(r->thread, SIGUSR1), 0);
	wait_until(sender_held, r);
}

/* Let the sender go on and finish. */
void race_finish(struct race *r)
{
	__atomic_store_n(&r->released, 1, __ATOMIC_RELEASE);
	ck_assert_int_eq(pthread_join(r->thread, NULL), 0);
}

/* A send right to @port under a name of its own, as one from another task is held. */
mach_port_t send_name(mach_port_t port)
{
	mach_port_t name = peer_name_send_fd(peer_send_fd(port));

	ck_assert_uint_ne(name, MACH_PORT_NULL);
	return name;
}

/* Fill @port's queue through send right @name.  Return: the messages queued. */
int fill(mach_port_t name)
{
	mach_msg_header_t h;
	mach_msg_return_t mr;
	int sent = 0;

	for (;;) {
		header(&h, name, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, sent);
		mr = send_msg(&h, MACH_SEND_TIMEOUT, 0);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	ck_assert_int_eq(mr, MACH_SEND_TIMED_OUT);
	return sent;
}

/* New ports, which take the fd numbers just freed. */
void make_ports(mach_port_t *ports)
{
	for (int i = 0; i < NEW_PORTS; i++)
		ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						    &ports[i]), KERN_SUCCESS);
}

/* No message reached the new ports; they go. */
void check_ports_empty(const mach_port_t *ports)
{
	union rcv_buf b;

	for (int i = 0; i < NEW_PORTS; i++) {
		ck_assert_int_eq(mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b),
					  ports[i], 0, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
		destroy(ports[i]);
	}
}

/*
 * Receive the @queued messages @port holds: the last is the raced one.
 * Return: the port descriptor's name it carried, if any.
 */
mach_port_t drain(mach_port_t port, int queued)
{
	union rcv_buf b;

	for (int i = 0; i < queued; i++) {
		ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
		ck_assert_int_eq(b.head.msgh_id, i + 1 < queued ? i + 1 : RACED_ID);
	}
	ck_assert_int_eq(mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), port, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	return b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX ? b.ports.d[0].name : MACH_PORT_NULL;
}

/* A name no right holds: one a dead name had. */
mach_port_t free_name(void)
{
	mach_port_t name;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &name),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
	return name;
}

/* A send-once right to @port. */
mach_port_t send_once_to(mach_port_t port)
{
	mach_msg_type_name_t type;
	mach_port_t so;

	ck_assert_int_eq(mach_port_extract_right(mach_task_self(), port,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type),
			 KERN_SUCCESS);
	return so;
}

/* Request @id to @service, its reply a send-once right made from @reply.  Return: that right, received. */
mach_port_t ask(mach_port_t service, mach_port_t reply, mach_msg_id_t id)
{
	union rcv_buf b;

	header(&b.head, service, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, id);
	ck_assert_int_eq(send_msg(&b.head, 0, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(recv_msg(service, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, id);
	return b.head.msgh_remote_port;
}

/* Send message @id through send-once right @so. */
mach_msg_return_t answer(mach_port_t so, mach_msg_id_t id)
{
	mach_msg_header_t h;

	header(&h, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, id);
	return send_msg(&h, 0, 0);
}

/* The next message on @port is @id. */
void expect_id(mach_port_t port, mach_msg_id_t id)
{
	union rcv_buf b;

	ck_assert_int_eq(recv_msg(port, &b, 0, sizeof(b)), MACH_MSG_SUCCESS);
	ck_assert_int_eq(b.head.msgh_id, id);
}

/* Whether receive end @fd has no sender left: its port's send ends are all closed. */
bool no_sender_left(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

/* A no-senders request on receive right @port, to @notify: the port's own send end closes. */
void request_no_senders(mach_port_t port, mach_port_t notify)
{
	mach_port_t previous;

	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), port,
			 MACH_NOTIFY_NO_SENDERS, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
			 KERN_SUCCESS);
	ck_assert_uint_eq(previous, MACH_PORT_NULL);
}

void carry(struct race *r, mach_port_t dest, mach_port_t name, mach_msg_type_name_t disp)
{
	header(&r->m.head, dest, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0);
	r->m.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->m.head.msgh_size = sizeof(r->m);
	r->m.body.msgh_descriptor_count = 1;
	r->m.d[0] = (mach_msg_port_descriptor_t){ .name = name, .type = MACH_MSG_PORT_DESCRIPTOR,
						 .disposition = disp };
}
