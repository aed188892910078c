/* SPDX-License-Identifier: MIT */
/*
 * msg-rights.c - received fds -> names.  A send or receive right for a port
 * the task already names lands under that name (same inode of the port's
 * send end), as Mach's ipc_right_reverse; send-once rights always get a
 * fresh name.
 */
#include "msg-rights.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdpass.h"
#include "port.h"
#include "vm-region.h"

static ino_t socket_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	return st.st_ino;
}

static mach_port_name_t add_new(struct port *p, int *err)
{
	mach_port_name_t name = port_name(p);

	if (name == MACH_PORT_NULL) {
		port_unref(p);
		*err = -ENOSPC;
	}
	return name;
}

/* @vouched: the port's identity as the daemon said it (WIRE_F_INO), or 0. */
static mach_port_name_t insert_send(int fd, ino_t vouched, int *err)
{
	ino_t ino = vouched ? vouched : socket_inode(fd);
	struct port *p;

	if (ino == 0) {
		close(fd);
		*err = -EBADMSG;
		return MACH_PORT_NULL;
	}
	p = port_find_ino(ino);
	if (p) {
		port_add_send_fd(p, fd);
	} else if (!(p = port_new_send(fd, ino))) {
		close(fd);
		*err = -ENOMEM;
		return MACH_PORT_NULL;
	} else if (add_new(p, err) == MACH_PORT_NULL) {
		return MACH_PORT_NULL;
	}
	/* A port the daemon made: its service may take a channel (msg-chan.c). */
	if (vouched && p->chan_state == PORT_CHAN_NONE && !(p->type & MACH_PORT_TYPE_RECEIVE))
		p->chan_state = PORT_CHAN_ASKABLE;
	return p->name;
}

/* @fd passed rights_check(). */
static mach_port_name_t insert_send_once(int fd, int *err)
{
	struct port *p = port_new_send_once(fd);

	if (!p) {
		close(fd);
		*err = -ENOMEM;
		return MACH_PORT_NULL;
	}
	return add_new(p, err);
}

mach_port_name_t rights_insert_chan_reply(struct port *rcv, int b, ino_t ino, uint16_t seq)
{
	struct port *p = port_new_send_once(b);
	mach_port_name_t name;

	if (!p) {
		port_chan_call_died(b, seq);    /* its caller is told now */
		close(b);
		return MACH_PORT_NULL;
	}
	p->so_chan = seq;
	p->so_chan_ino = ino;
	p->so_rcv = rcv;
	port_ref(rcv);
	name = port_name(p);
	if (name == MACH_PORT_NULL) {
		port_so_chan_died(p);   /* no name for it: dropped unused */
		port_unref(p);
	}
	return name;
}

/*
 * The protection an entry received on @fd allows: what the sender says,
 * but never write through a read-only fd (a read-only entry's, sent back
 * claiming more).
 */
static int memory_prot(const struct wire_desc *d, int fd)
{
	int prot = (int)(d->flags & 0xff);

	return vm_fd_writable(fd) ? prot : prot & ~VM_PROT_WRITE;
}

static mach_port_name_t insert_memory(const struct wire_desc *d, int fd, int *err)
{
	struct port *p = port_new_memory(fd, d->offset, wire_memory_size(d), memory_prot(d, fd));

	if (!p) {
		close(fd);
		*err = -ENOMEM;
		return MACH_PORT_NULL;
	}
	return add_new(p, err);
}

/* Each fd of a receive right a socket, its inode stat()ed once for all that follows. */
static mach_port_name_t insert_receive(const struct wire_desc *d, int *fds, int *err)
{
	ino_t inos[WIRE_MAX_FDS], ino;
	struct port *p;

	for (size_t i = 0; i < d->nfds; i++) {
		if (i >= WIRE_MAX_FDS || !(inos[i] = socket_inode(fds[i]))) {
			fdpass_close_all(fds, d->nfds);
			*err = -EBADMSG;
			return MACH_PORT_NULL;
		}
	}
	ino = (d->flags & WIRE_F_MASTER) ? inos[1] : 0;
	p = port_find_ino(ino);
	if (p && !(p->type & MACH_PORT_TYPE_RECEIVE)) {
		port_attach_receive(p, fds, inos, d->nfds, d->flags & WIRE_F_MASTER,
				    d->flags & WIRE_F_PDREQUEST, d->reserved);
		return p->name;
	}
	p = port_new();
	if (!p) {
		fdpass_close_all(fds, d->nfds);
		*err = -ENOMEM;
		return MACH_PORT_NULL;
	}
	port_attach_receive(p, fds, inos, d->nfds, d->flags & WIRE_F_MASTER,
			    d->flags & WIRE_F_PDREQUEST, d->reserved);
	return add_new(p, err);
}

mach_port_name_t rights_insert(const struct wire_desc *d, int *fds, int *err)
{
	switch (d->kind) {
	case WIRE_PORT_NULL:
		return MACH_PORT_NULL;
	case WIRE_PORT_DEAD:
		return MACH_PORT_DEAD;
	case WIRE_PORT_SEND:
		return insert_send(fds[0], (d->flags & WIRE_F_INO) ? (ino_t)d->offset : 0, err);
	case WIRE_PORT_SEND_ONCE:
		return insert_send_once(fds[0], err);
	case WIRE_PORT_MEMORY:
		return insert_memory(d, fds[0], err);
	case WIRE_PORT_RECEIVE:
		return insert_receive(d, fds, err);
	default:
		fdpass_close_all(fds, d->nfds);
		*err = -EBADMSG;
		return MACH_PORT_NULL;
	}
}

/*
 * One getsockopt: it fails with ENOTSOCK on anything but a socket, so no
 * fstat is needed to learn that first.
 */
bool rights_port_fd(int fd)
{
	int type;
	socklen_t len = sizeof(type);

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_SEQPACKET;
}

/* A shared-memory file holding [@offset, @offset + @size) that cannot shrink, with @seals. */
static bool is_sealed_memfd(int fd, uint64_t offset, uint64_t size, int seals)
{
	struct stat st;
	int have = fcntl(fd, F_GET_SEALS);

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || have < 0 || (have & seals) != seals ||
	    !vm_is_shmem(fd))
		return false;
	return offset <= (uint64_t)st.st_size && size <= (uint64_t)st.st_size - offset;
}

/*
 * Whether @d's fds are what it says they are.  A send right whose identity
 * the daemon vouches for (WIRE_F_INO) is taken as it is where @may_vouch
 * (a port descriptor in the daemon's answer on its connection), and
 * refused anywhere else: anyone else could claim another port's identity.
 */
static bool desc_fds_ok(const struct wire_desc *d, const int *fds, bool may_vouch)
{
	if (d->kind == WIRE_PORT_SEND && (d->flags & WIRE_F_INO))
		return may_vouch;
	switch (d->kind) {
	case WIRE_PORT_SEND:
	case WIRE_PORT_SEND_ONCE:
	case WIRE_PORT_RECEIVE:
		for (size_t i = 0; i < d->nfds; i++)
			if (!rights_port_fd(fds[i]))
				return false;
		return true;
	case WIRE_PORT_MEMORY:
		return is_sealed_memfd(fds[0], d->offset, wire_memory_size(d), F_SEAL_SHRINK);
	case WIRE_OOL_MEMFD:
		/* Mapped copy-on-write: the sender must not be able to change it either. */
		return is_sealed_memfd(fds[0], 0, d->size, F_SEAL_SHRINK | F_SEAL_WRITE);
	default:
		return d->nfds == 0;
	}
}

static bool array_fds_ok(const void *buf, const struct wire_desc *d, const int *fds)
{
	for (uint32_t i = 0; i < d->size; i++) {
		struct wire_desc e = wire_array_elem(buf, d, i);

		if (!desc_fds_ok(&e, fds, false))
			return false;
		fds += e.nfds;
	}
	return true;
}

int rights_check(const void *buf, const int *fds, bool from_daemon)
{
	const struct wire_hdr *h = buf;
	const struct wire_desc *d = wire_descs(buf);
	size_t at = h->reply_nfds;

	if (h->reply_nfds && !rights_port_fd(fds[0]))
		return -EBADMSG;
	for (uint32_t i = 0; i < h->ndesc; i++) {
		bool ok = d[i].kind == WIRE_PORT_ARRAY ?
			  array_fds_ok(buf, &d[i], fds + at) :
			  desc_fds_ok(&d[i], fds + at,
				      from_daemon && d[i].type == MACH_MSG_PORT_DESCRIPTOR);

		if (!ok)
			return -EBADMSG;
		at += d[i].nfds;
	}
	return 0;
}
