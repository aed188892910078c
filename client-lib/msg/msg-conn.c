/* SPDX-License-Identifier: MIT */
/*
 * msg-conn.c - bootstrap calls answered on the bootstrap connection
 * (msg-conn.h): which connection is ours, the call's shape, the request.
 */
#include "msg-conn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"
#include "msg-recv.h"
#include "port.h"
#include "wire.h"

/* Requests so answered are small: a name and a few numbers. */
#define CONN_REQUEST_MAX 4096u

/*
 * The connection this process made: our own copy of its fd, so that another
 * thread dropping or killing the name cannot close it under a call.  A call
 * holds a reference; the last one closes it.
 */
struct conn_ref {
	int fd;
	unsigned int refs;
	struct conn_sender sender;      /* under call_lock */
};

/*
 * Which connection is ours, under the space lock (fork-safe).  The name is
 * also read without it (atomically), so that an ordinary call, the common
 * case, does not take the space lock once more only to learn it is not
 * to the connection.
 */
static struct {
	mach_port_name_t name;
	ino_t ino;              /* its identity: the name may go and come back */
	struct conn_ref *ref;   /* NULL: none (a forked child has none) */
} conn;

static uint16_t call_seq;       /* the last call's number, under call_lock */

/* One call at a time per connection: a second thread goes the ordinary way. */
static pthread_mutex_t call_lock = PTHREAD_MUTEX_INITIALIZER;

static void conn_unref(struct conn_ref *r)
{
	if (r && __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		close(r->fd);
		free(r);
	}
}

void msg_conn_own(mach_port_name_t name, bool connected_here)
{
	struct conn_ref *r = malloc(sizeof(*r));
	struct port *p;
	int one = 1;

	if (!r)
		return;
	r->refs = 1;
	r->fd = -1;
	r->sender = (struct conn_sender){ .cacheable = connected_here };
	space_lock();
	p = space_get(name);
	/* The trailer of an answer carries the daemon's credentials: sent with
	 * each, or with the first only on a connection made here (conn_sender). */
	if (p && (p->type & MACH_PORT_TYPE_SEND) && p->send_fd >= 0 &&
	    setsockopt(p->send_fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == 0)
		r->fd = fcntl(p->send_fd, F_DUPFD_CLOEXEC, 0);
	if (r->fd >= 0) {
		conn_unref(conn.ref);
		__atomic_store_n(&conn.name, name, __ATOMIC_RELAXED);
		conn.ino = p->ino;
		conn.ref = r;
		r = NULL;
	}
	space_unlock();
	free(r);
}

/*
 * A forked child shares its parent's connection: answers on it are the
 * parent's to read.  The child's calls go the ordinary way, until it makes
 * a connection of its own.
 */
void msg_conn_fork_child(void)
{
	struct conn_ref *r = conn.ref;

	conn.ref = NULL;        /* none: take_ports() finds no connection of ours */
	__atomic_store_n(&conn.name, MACH_PORT_NULL, __ATOMIC_RELAXED);        /* nor looks */
	if (r) {
		close(r->fd);
		free(r);
	}
	pthread_mutex_init(&call_lock, NULL);  /* a parent's thread may have held it */
}

int msg_call_send_flags(mach_msg_option_t option)
{
	return (option & MACH_SEND_TIMEOUT) ? MSG_DONTWAIT : 0;
}

bool msg_call_shape(const mach_msg_header_t *msg, mach_msg_option_t option,
		    mach_msg_size_t send_size, mach_port_name_t rcv_name)
{
	const mach_msg_option_t known = MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		MACH_SEND_TIMEOUT | MACH_RCV_INTERRUPT | MACH_SEND_INTERRUPT | MACH_RCV_TRAILER_MASK;

	return !(option & ~known) && msg->msgh_bits ==
	       MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) &&
	       msg->msgh_local_port == rcv_name && MACH_PORT_VALID(rcv_name) &&
	       send_size >= sizeof(*msg) && send_size <= CONN_REQUEST_MAX && !(send_size & 3);
}

/*
 * Our connection, referenced, if @msg goes to it, with the receive right P
 * its answer goes to, referenced.  Return: the connection or NULL.
 */
static struct conn_ref *take_ports(const mach_msg_header_t *msg, struct port **reply)
{
	struct conn_ref *r = NULL;
	struct port *c, *p;

	struct conn_ref *gone = NULL;

	space_lock();
	if (conn.ref && msg->msgh_remote_port == conn.name) {
		c = space_get(conn.name);
		p = space_get(msg->msgh_local_port);
		if (!c || c->ino != conn.ino || !(c->type & MACH_PORT_TYPE_SEND)) {
			/* The name went, or names another port now: let our copy go too. */
			gone = conn.ref;
			conn.ref = NULL;
			__atomic_store_n(&conn.name, MACH_PORT_NULL, __ATOMIC_RELAXED);
		} else if (p && (p->type & MACH_PORT_TYPE_RECEIVE) && !p->dead) {
			r = conn.ref;
			__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
			port_ref(p);
			*reply = p;
		}
	}
	space_unlock();
	conn_unref(gone);
	return r;
}

void msg_call_wire(struct wire_hdr *h, struct iovec iov[2], const mach_msg_header_t *msg,
		   mach_msg_size_t send_size)
{
	size_t body = send_size - sizeof(*msg);

	*h = (struct wire_hdr){
		.magic = WIRE_MAGIC,
		.bits = WIRE_BITS_ONCONN |
			MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
		.id = msg->msgh_id,
		.body_len = (uint32_t)body,
		.data_len = (uint32_t)body,
	};
	iov[0] = (struct iovec){ h, sizeof(*h) };
	iov[1] = (struct iovec){ (char *)(msg + 1), body };
}

/* The request on the wire: no fd, the reply right's place said, the call's number. */
static int send_request(int fd, const mach_msg_header_t *msg, mach_msg_size_t send_size,
			uint16_t seq, mach_msg_option_t option)
{
	struct wire_hdr h;
	struct iovec iov[2];

	msg_call_wire(&h, iov, msg, send_size);
	h.seq = seq;
	return fdpass_send(fd, iov, 2, NULL, 0, msg_call_send_flags(option));
}

mach_msg_return_t msg_conn_call(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				mach_msg_header_t *rcv_msg)
{
	struct conn_ref *c;
	struct port *p = NULL;
	mach_msg_return_t mr = MSG_CONN_ORDINARY;

	if (msg->msgh_remote_port != __atomic_load_n(&conn.name, __ATOMIC_RELAXED) ||
	    pthread_mutex_trylock(&call_lock) != 0)
		return MSG_CONN_ORDINARY;
	c = take_ports(msg, &p);
	if (c) {
		if (++call_seq == 0)
			call_seq = 1;
		/* A failed send goes the ordinary way, which fails alike and says so. */
		struct conn_wait w = { .fd = c->fd, .seq = call_seq, .sender = &c->sender };

		if (send_request(c->fd, msg, send_size, call_seq, option) == 0)
			mr = msg_receive_conn(rcv_msg, option, rcv_size, p, &w, timeout);
		port_unref(p);
		conn_unref(c);
	}
	pthread_mutex_unlock(&call_lock);
	return mr;
}
