/* SPDX-License-Identifier: MIT */
/*
 * msg-descs.c - a received message's descriptors in the user's layout, as
 * XNU copies them out: port rights named, out-of-line memory mapped, port
 * arrays as names in new memory (deallocate set), guarded receive rights
 * only to a receiver that said it takes them (MACH_RCV_GUARDED_DESC),
 * guarded there as the descriptor's flags ask; to any other the right is
 * destroyed and the descriptor names nothing.
 */
#include "msg-descs.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>

#include "fdpass.h"
#include "msg-rights.h"
#include "port.h"
#include "vm-region.h"
#include "wire.h"

static size_t write_port_desc(char *out, mach_port_name_t name, unsigned int disposition)
{
	mach_msg_port_descriptor_t pd;

	memset(&pd, 0, sizeof(pd));
	pd.name = name;
	pd.disposition = disposition;
	pd.type = MACH_MSG_PORT_DESCRIPTOR;
	memcpy(out, &pd, sizeof(pd));
	return sizeof(pd);
}

static size_t write_ool_desc(char *out, const struct wire_desc *d, const char *ool, int fd)
{
	mach_msg_ool_descriptor_t od;
	void *addr = NULL;
	int err = 0;

	if (d->size && d->kind == WIRE_OOL_INLINE)
		err = vm_map_copy(ool + d->offset, d->size, &addr);
	else if (d->size)
		err = vm_map_new(fd, 0, d->size, PROT_READ | PROT_WRITE, 1, VM_INHERIT_DEFAULT,
				 &addr);
	if (fd >= 0)
		close(fd);
	memset(&od, 0, sizeof(od));
	od.address = err ? NULL : addr;
	od.size = err ? 0 : d->size;
	/* As xnu tells a receiver: the sender's copy option, and a virtual
	 * copy is the receiver's to deallocate (mach_msg_destroy() does). */
	od.copy = (d->flags & WIRE_F_VIRTUAL) ? MACH_MSG_VIRTUAL_COPY : MACH_MSG_PHYSICAL_COPY;
	od.deallocate = od.copy == MACH_MSG_VIRTUAL_COPY;
	od.type = d->type;
	memcpy(out, &od, sizeof(od));
	return sizeof(od);
}

/* Name each element into new memory; without memory the rights are destroyed (no names). */
static size_t write_array_desc(char *out, const char *buf, const struct wire_desc *d, int *fds)
{
	mach_msg_ool_ports_descriptor_t pd;
	mach_port_name_t *names = NULL;
	void *addr = NULL;

	if (d->size && vm_map_new(-1, 0, d->size * sizeof(*names), PROT_READ | PROT_WRITE, 1,
				  VM_INHERIT_DEFAULT, &addr) == 0)
		names = addr;
	for (uint32_t i = 0; names && i < d->size; i++) {
		struct wire_desc e = wire_array_elem(buf, d, i);
		int err = 0;

		names[i] = rights_insert(&e, fds, &err);
		fds += e.nfds;
	}
	if (!names)
		fdpass_close_all(fds, d->nfds);
	memset(&pd, 0, sizeof(pd));
	pd.address = names;
	pd.count = names ? d->size : 0;
	pd.deallocate = TRUE;
	pd.copy = MACH_MSG_VIRTUAL_COPY;
	pd.disposition = d->disposition;
	pd.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	memcpy(out, &pd, sizeof(pd));
	return sizeof(pd);
}

/*
 * A receive right taken through a guarded descriptor, as XNU copies it
 * out: with IMMOVABLE_RECEIVE it is guarded, immovable, its guard (and the
 * descriptor's context) the address of the receive buffer @rcv_addr, and
 * UNGUARDED_ON_SEND cleared; without, it arrives unguarded, context 0.
 */
static void guard_received(mach_msg_guarded_port_descriptor_t *gd, mach_port_context_t rcv_addr)
{
	struct port *p = MACH_PORT_VALID(gd->name) ? space_get(gd->name) : NULL;

	if (!p || !(p->type & MACH_PORT_TYPE_RECEIVE) ||
	    !(gd->flags & MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE))
		return;
	if (port_guard(p, rcv_addr, false, true) != KERN_SUCCESS)
		return;
	gd->context = rcv_addr;
	gd->flags &= ~MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
}

static size_t write_guarded_desc(char *out, const struct wire_desc *d, int *fds,
				 const struct descs_rcv *rcv)
{
	mach_msg_guarded_port_descriptor_t gd;
	int err = 0;

	memset(&gd, 0, sizeof(gd));
	gd.flags = d->flags >> WIRE_GUARD_SHIFT;
	gd.disposition = d->disposition;
	gd.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
	if (rcv->option & MACH_RCV_GUARDED_DESC) {
		gd.name = rights_insert(d, fds, &err);
		guard_received(&gd, rcv->addr);
	} else {
		fdpass_close_all(fds, d->nfds);         /* the right is destroyed */
	}
	memcpy(out, &gd, sizeof(gd));
	return sizeof(gd);
}

size_t descs_copyout(char *out, const char *buf, int *fds, const struct descs_rcv *rcv)
{
	const struct wire_hdr *h = (const void *)buf;
	const struct wire_desc *d = wire_descs(buf);
	const char *ool = wire_body(buf) + h->body_len;
	size_t off = 0, fdi = h->reply_nfds;

	memcpy(out, &h->ndesc, sizeof(mach_msg_size_t));
	off += sizeof(mach_msg_body_t);
	for (uint32_t i = 0; i < h->ndesc; i++) {
		int err = 0;

		switch (d[i].type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			off += write_port_desc(out + off, rights_insert(&d[i], fds + fdi, &err),
					       d[i].disposition);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			off += write_array_desc(out + off, buf, &d[i], fds + fdi);
			break;
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
			off += write_guarded_desc(out + off, &d[i], fds + fdi, rcv);
			break;
		default:
			off += write_ool_desc(out + off, &d[i], ool, d[i].nfds ? fds[fdi] : -1);
		}
		fdi += d[i].nfds;
	}
	return off;
}
