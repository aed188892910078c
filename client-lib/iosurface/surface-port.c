/* SPDX-License-Identifier: MIT */
/*
 * surface-port.c - surfaces in Mach messages.  A surface port is a memory
 * entry (memobj.c) of the surface's whole memfd: it travels in a port
 * descriptor like any send right, and the receiver maps the same pages and
 * reads the layout from the header in them.  A read-only surface port is a
 * read-only memory entry: making it seals the memfd, so that no receiver
 * can write, whatever it runs (vm_allocate(3), SECURITY).
 */
#include "surface.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mach/mach.h>

#include "port.h"
#include "vm-region.h"

#define EXPORT __attribute__((visibility("default")))

/* A memory entry holding a dup of @s's memfd with @prot.  Return: its name, or MACH_PORT_NULL. */
static mach_port_t entry_of(IOSurfaceRef s, vm_prot_t prot)
{
	int fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
	struct port *p;

	if (fd < 0)
		return MACH_PORT_NULL;
	p = port_new_memory(fd, 0, s->map_size, prot);  /* the entry owns fd from here */
	if (!p) {
		close(fd);
		return MACH_PORT_NULL;
	}
	return port_name_new(p);
}

static mach_port_t make_port(IOSurfaceRef s, bool read_only)
{
	memory_object_size_t size;
	mach_port_t rw, ro = MACH_PORT_NULL;
	kern_return_t kr;

	if (!cf_is(s, CF_TYPE_IOSURFACE))
		return MACH_PORT_NULL;
	if (s->read_only)
		return entry_of(s, VM_PROT_READ);
	rw = entry_of(s, VM_PROT_READ | VM_PROT_WRITE);
	if (!read_only || rw == MACH_PORT_NULL)
		return rw;
	/* A read-only window of it: memobj.c seals the object and hands out a read-only fd. */
	size = s->map_size;
	kr = mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_READ, &ro, rw);
	if (kr != KERN_SUCCESS)
		surface_log("IOSurfaceCreateMachPortReadOnly: %s", mach_error_string(kr));
	mach_port_deallocate(mach_task_self(), rw);
	return kr == KERN_SUCCESS ? ro : MACH_PORT_NULL;
}

EXPORT mach_port_t IOSurfaceCreateMachPort(IOSurfaceRef buffer)
{
	return make_port(buffer, false);
}

EXPORT mach_port_t IOSurfaceCreateMachPortReadOnly(IOSurfaceRef buffer)
{
	return make_port(buffer, true);
}

/*
 * A dup of the memfd @port names, if its window is the whole file: a
 * window of part of a surface grants no more than that part, so it
 * carries no surface.  Read-only if the entry is.  Return: the fd, or -errno.
 */
static int entry_fd(mach_port_t port)
{
	const struct port_mem *m;
	struct port *p;
	struct stat st;
	int fd = -EINVAL;

	space_lock();
	p = space_get(port);
	m = p ? port_memory(p) : NULL;
	if (m && m->fd >= 0 && m->offset == 0 && fstat(m->fd, &st) == 0 &&
	    m->size == (unsigned long long)st.st_size) {
		fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			fd = -errno;
		else if (!(m->prot & VM_PROT_WRITE) && (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY) {
			/* a read-only entry without /proc kept its writable fd: map it read-only */
			int ro = vm_reopen_ro(fd);

			close(fd);
			fd = ro;
		}
	}
	space_unlock();
	return fd;
}

EXPORT IOSurfaceRef IOSurfaceLookupFromMachPort(mach_port_t port)
{
	int fd = entry_fd(port);

	if (fd < 0) {
		surface_log("IOSurfaceLookupFromMachPort: port %u carries no surface", port);
		return NULL;
	}
	return surface_from_fd(fd, 0);
}
