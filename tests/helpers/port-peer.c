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
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/peer.h"
#include "port.h"

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
	mach_port_t name = port_name_send_fd(fd);

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

/* Drop root for @uid for good (0: stay), keeping /proc/self readable. */
static int become(uid_t uid)
{
	if (uid == 0)
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
		return -1;
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/* Write through @fd, a memfd: the PEER_WON_* bits of what worked. */
static uint32_t attack_fd(int fd, size_t size, uint32_t won_mmap, uint32_t won_write)
{
	uint32_t word = PEER_ATTACK_WORD, won = 0;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p != MAP_FAILED) {
		*(volatile uint32_t *)p = word;
		munmap(p, size);
		won |= won_mmap;
	}
	if (pwrite(fd, &word, sizeof(word), 0) == (ssize_t)sizeof(word))
		won |= won_write;
	return won;
}

/* Open /proc/self/fd/@fd read-write, as its owner would (chmod first). */
static int reopen_rw(int fd)
{
	char path[64];
	int rw;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rw = open(path, O_RDWR | O_CLOEXEC);
	if (rw < 0 && fchmod(fd, 0666) == 0)
		rw = open(path, O_RDWR | O_CLOEXEC);
	return rw;
}

/* Every memfd in /proc/self/fd, held directly and reopened. */
static void attack_fds(size_t size, struct peer_msg *rep)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		die("opendir /proc/self/fd", KERN_FAILURE);
	while ((e = readdir(d))) {
		char path[64], link[128];
		int fd = atoi(e->d_name), rw;
		ssize_t n;

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = 0;
		if (strncmp(link, "/memfd:", 7) != 0)
			continue;
		rep->count++;
		rep->ids[0] |= (int32_t)attack_fd(fd, size, PEER_WON_FD_MMAP, PEER_WON_FD_WRITE);
		rw = reopen_rw(fd);
		if (rw >= 0) {
			rep->ids[1]++;
			rep->ids[0] |= (int32_t)attack_fd(rw, size, PEER_WON_REOPEN, PEER_WON_REOPEN);
			close(rw);
		}
	}
	closedir(d);
}

static uint32_t attack_mapping(vm_address_t addr, size_t size)
{
	uint32_t word = PEER_ATTACK_WORD, won = 0;
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);

	if (mprotect((void *)addr, size, PROT_READ | PROT_WRITE) == 0) {
		mapping[0] = word;
		won |= PEER_WON_MPROTECT;
	}
	if (mem >= 0 && pwrite(mem, &word, sizeof(word), (off_t)addr) == (ssize_t)sizeof(word))
		won |= PEER_WON_PROC_MEM;
	if (mem >= 0)
		close(mem);
	return won;
}

/* PEER_ATTACK: a hostile receiver of a read-only memory entry. */
static void attack(const struct peer_msg *req, struct peer_msg *rep)
{
	mach_port_t entry = req->port.name;
	vm_size_t size = req->arg[0];
	vm_address_t addr = 0;

	rep->ids[3] = become((uid_t)req->arg[1]);
	rep->arg[0] = (uint32_t)vm_map(mach_task_self(), &addr, size, 0, VM_FLAGS_ANYWHERE, entry, 0,
				       FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE);
	if (rep->arg[0] == KERN_SUCCESS)
		mapping = (volatile uint32_t *)addr;    /* the test fails on arg[0] */
	rep->arg[1] = (uint32_t)vm_map(mach_task_self(), &addr, size, 0, VM_FLAGS_ANYWHERE, entry, 0,
				       FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE);
	if (rep->arg[1] != KERN_SUCCESS)
		return;
	mapping = (volatile uint32_t *)addr;
	rep->ids[2] = (int32_t)mapping[0];
	rep->arg[2] = (uint32_t)vm_protect(mach_task_self(), addr, size, FALSE, VM_PROT_DEFAULT);
	if (rep->arg[2] == KERN_SUCCESS) {
		mapping[0] = PEER_ATTACK_WORD;
		rep->ids[0] |= PEER_WON_MPROTECT;
	} else {
		rep->ids[0] |= (int32_t)attack_mapping(addr, size);
	}
	attack_fds(size, rep);
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
	case PEER_ATTACK:
		attack(req, rep);
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
