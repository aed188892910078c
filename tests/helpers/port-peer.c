/* SPDX-License-Identifier: MIT */
/*
 * port-peer - the other process in libbootstrap's tests.
 *
 *   port-peer FD
 *
 * FD is an inherited send end of a test port.  The peer names it, makes
 * its own control port, says PEER_HELLO on FD with a send right to the
 * control port, then serves the commands of helpers/peer.h until told to
 * exit.  Exit status 2: a command failed in a way the test cannot see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/peer.h"
#include "ipc-space.h"

#define MAX_HELD 64

static mach_port_t held[MAX_HELD];
static size_t n_held;
static volatile uint32_t *mapping;

static void die(const char *what, kern_return_t kr)
{
	fprintf(stderr, "port-peer: %s: 0x%x\n", what, kr);
	exit(2);
}

static mach_port_t name_fd(int fd)
{
	mach_port_t name = space_name_send_fd(fd);

	if (name == MACH_PORT_NULL)
		die("naming the control socket", KERN_RESOURCE_SHORTAGE);
	return name;
}

static void init_msg(struct peer_msg *m, mach_port_t dest, mach_msg_type_name_t disp,
		     mach_msg_id_t id)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(disp, 0) | MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = id;
	m->body.msgh_descriptor_count = 1;
	m->port.type = MACH_MSG_PORT_DESCRIPTOR;
}

static void send_or_die(struct peer_msg *m)
{
	mach_msg_return_t mr = mach_msg(&m->head, MACH_SEND_MSG, sizeof(*m), 0, MACH_PORT_NULL,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

	if (mr != MACH_MSG_SUCCESS)
		die("send", mr);
}

/* Send @count messages with ids @base + i to @dest, which we keep. */
static mach_msg_return_t send_many(mach_port_t dest, uint32_t count, uint32_t base)
{
	for (uint32_t i = 0; i < count; i++) {
		struct peer_msg m;
		mach_msg_return_t mr;

		init_msg(&m, dest, MACH_MSG_TYPE_COPY_SEND, (mach_msg_id_t)(base + i));
		mr = mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	return MACH_MSG_SUCCESS;
}

static void drain(const struct peer_msg *req, struct peer_msg *rep)
{
	mach_port_t q = req->port.name;
	mach_port_type_t type = 0;
	struct peer_rcv r;
	mach_msg_return_t mr;

	mach_port_type(mach_task_self(), q, &type);
	rep->arg[1] = type;
	for (;;) {
		memset(&r, 0, sizeof(r));
		mr = mach_msg(&r.msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), q, 0,
			      MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS || rep->count == PEER_MAX_IDS)
			break;
		rep->ids[rep->count++] = r.msg.head.msgh_id;
		mach_msg_destroy(&r.msg.head);
	}
	rep->arg[0] = mr;
	mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1);
}

static void give_receive(const struct peer_msg *req, struct peer_msg *rep)
{
	mach_port_t q;
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &q);

	if (kr != KERN_SUCCESS)
		die("allocate", kr);
	kr = mach_port_insert_right(mach_task_self(), q, q, MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS)
		die("insert_right", kr);
	rep->arg[0] = send_many(q, req->arg[0], req->arg[1]);
	mach_port_deallocate(mach_task_self(), q);
	rep->port.name = q;
	rep->port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
}

static void map_entry(const struct peer_msg *req, struct peer_msg *rep)
{
	vm_address_t addr = 0;
	kern_return_t kr = vm_map(mach_task_self(), &addr, req->arg[0], 0, VM_FLAGS_ANYWHERE,
				  req->port.name, 0, req->arg[2] != 0, (vm_prot_t)req->arg[1],
				  (vm_prot_t)req->arg[1], VM_INHERIT_NONE);

	rep->arg[0] = (uint32_t)kr;
	if (kr == KERN_SUCCESS) {
		mapping = (volatile uint32_t *)addr;
		rep->ids[0] = (int32_t)mapping[0];
	}
	mach_port_deallocate(mach_task_self(), req->port.name);
}

static void hold(const struct peer_msg *req, struct peer_msg *rep)
{
	if (n_held == MAX_HELD)
		die("hold", KERN_NO_SPACE);
	held[n_held++] = req->port.name;
	rep->count = (uint32_t)n_held;
}

static void release_all(struct peer_msg *rep)
{
	for (size_t i = 0; i < n_held; i++)
		rep->ids[i] = mach_port_deallocate(mach_task_self(), held[i]);
	rep->count = (uint32_t)n_held;
	n_held = 0;
}

/* Answer @req (its rights already in our space) into @rep. */
static void serve(struct peer_msg *req, struct peer_msg *rep)
{
	switch (req->head.msgh_id) {
	case PEER_ECHO:
		memcpy(rep->arg, req->arg, sizeof(rep->arg));
		memcpy(rep->ids, req->ids, sizeof(rep->ids));
		rep->count = req->count;
		rep->port.name = req->port.name;
		rep->port.disposition = req->port.disposition; /* PORT_x == MOVE_x */
		break;
	case PEER_EXIT:
		exit((int)req->arg[0]);
	case PEER_HOLD:
		hold(req, rep);
		break;
	case PEER_RELEASE:
		release_all(rep);
		break;
	case PEER_DRAIN:
		drain(req, rep);
		break;
	case PEER_SEND:
		rep->arg[0] = send_many(req->port.name, req->arg[0], req->arg[1]);
		mach_port_deallocate(mach_task_self(), req->port.name);
		break;
	case PEER_GIVE_RECEIVE:
		give_receive(req, rep);
		break;
	case PEER_MAP:
		map_entry(req, rep);
		break;
	case PEER_POKE:
		mapping[req->arg[0]] = req->arg[1];
		break;
	case PEER_PEEK:
		rep->ids[0] = (int32_t)mapping[req->arg[0]];
		break;
	default:
		die("unknown command", req->head.msgh_id);
	}
}

int main(int argc, char **argv)
{
	mach_port_t home, ctl;
	struct peer_msg hello;
	kern_return_t kr;

	if (argc != 2)
		die("usage: port-peer FD", KERN_INVALID_ARGUMENT);
	home = name_fd(atoi(argv[1]));
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &ctl);
	if (!MACH_PORT_VALID(home) || kr != KERN_SUCCESS)
		die("setup", kr);
	init_msg(&hello, home, MACH_MSG_TYPE_COPY_SEND, PEER_HELLO);
	hello.head.msgh_bits |= MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND);
	hello.head.msgh_local_port = ctl;
	hello.arg[0] = (uint32_t)getpid();
	send_or_die(&hello);
	for (;;) {
		struct peer_rcv r;
		struct peer_msg rep;
		mach_msg_return_t mr;

		memset(&r, 0, sizeof(r));
		mr = mach_msg(&r.msg.head, MACH_RCV_MSG, 0, sizeof(r), ctl, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			die("receive", mr);
		init_msg(&rep, r.msg.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
			 r.msg.head.msgh_id + 100);
		serve(&r.msg, &rep);
		send_or_die(&rep);
	}
}
