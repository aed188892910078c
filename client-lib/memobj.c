/* SPDX-License-Identifier: MIT */
/*
 * memobj.c - memory entries: a memfd (and a window of it) named by a port.
 *
 * mach_make_memory_entry_64() names pages that the library allocated
 * (vm_allocate, received out-of-line memory made shareable) or a new
 * object (MAP_MEM_NAMED_CREATE); vm_map() maps an entry, shared (a mirror)
 * or copy-on-write, and read-only when asked, so that writes through that
 * view fault.  Entries travel in messages as port descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "port.h"
#include "vm.h"

#define EXPORT __attribute__((visibility("default")))

static int to_prot(vm_prot_t p)
{
	return ((p & VM_PROT_READ) ? PROT_READ : 0) | ((p & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((p & VM_PROT_EXECUTE) ? PROT_EXEC : 0);
}

/*
 * An entry without VM_PROT_WRITE is backed by a read-only fd, so that no
 * holder can write through it, whatever code it runs.  Without /proc the
 * library's own checks in vm_map() remain.  Takes @fd.
 */
static int entry_fd(int fd, vm_prot_t prot)
{
	char path[64];
	int ro;

	if (prot & VM_PROT_WRITE)
		return fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY | O_CLOEXEC);
	if (ro < 0)
		return fd;
	close(fd);
	return ro;
}

static kern_return_t name_entry(int fd, unsigned long long offset, unsigned long long size,
				vm_prot_t prot, mach_port_t *handle)
{
	struct port *p = port_new();

	fd = entry_fd(fd, prot);
	if (!p) {
		close(fd);
		return KERN_RESOURCE_SHORTAGE;
	}
	p->type = MACH_PORT_TYPE_SEND;
	p->urefs = 1;
	p->mem_fd = fd;
	p->mem_offset = offset;
	p->mem_size = size;
	p->mem_prot = prot & VM_PROT_ALL;
	space_lock();
	*handle = space_add(p);
	space_unlock();
	if (*handle == MACH_PORT_NULL) {
		port_unref(p);
		return KERN_NO_SPACE;
	}
	return KERN_SUCCESS;
}

static kern_return_t create_named(memory_object_size_t *size, vm_prot_t prot, mach_port_t *handle)
{
	size_t len = vm_round((size_t)*size);
	int fd;

	if (len == 0)
		return KERN_INVALID_ARGUMENT;
	fd = vm_memfd("bootstrap-memory-entry", len);
	if (fd < 0)
		return KERN_RESOURCE_SHORTAGE;
	*size = len;
	return name_entry(fd, 0, len, prot, handle);
}

/* A sub-window of an existing entry. */
static kern_return_t from_parent(mach_port_t parent, memory_object_size_t *size,
				 memory_object_offset_t offset, vm_prot_t prot, mach_port_t *handle)
{
	struct port *p;
	unsigned long long base, limit;
	int fd;

	space_lock();
	p = space_get(parent);
	if (!p || p->mem_fd < 0) {
		space_unlock();
		return KERN_INVALID_ARGUMENT;
	}
	base = p->mem_offset;
	limit = p->mem_size;
	if ((prot & p->mem_prot & VM_PROT_ALL) != (prot & VM_PROT_ALL)) {
		space_unlock();
		return KERN_PROTECTION_FAILURE;
	}
	fd = fcntl(p->mem_fd, F_DUPFD_CLOEXEC, 0);
	space_unlock();
	if (fd < 0)
		return KERN_RESOURCE_SHORTAGE;
	if (offset > limit || *size > limit - offset || (offset & vm_page_mask)) {
		close(fd);
		return KERN_INVALID_ARGUMENT;
	}
	return name_entry(fd, base + offset, *size, prot, handle);
}

EXPORT kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
					       memory_object_offset_t offset, vm_prot_t permission,
					       mach_port_t *object_handle,
					       mem_entry_name_port_t parent_entry)
{
	struct vm_region r;
	uintptr_t start;
	unsigned long long len;
	int err;

	if (target_task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!size || !object_handle)
		return KERN_INVALID_ARGUMENT;
	if (permission & MAP_MEM_NAMED_CREATE)
		return create_named(size, permission, object_handle);
	if (MACH_PORT_VALID(parent_entry))
		return from_parent(parent_entry, size, offset, permission, object_handle);
	/* Name the pages of [offset, offset + size) in our own address space. */
	start = (uintptr_t)offset & ~(uintptr_t)vm_page_mask;
	len = vm_round((size_t)(*size + ((uintptr_t)offset - start)));
	if (*size == 0)
		return KERN_INVALID_ARGUMENT;
	err = vm_share(start, (size_t)len, &r);
	if (err == -EACCES)
		return KERN_PROTECTION_FAILURE;
	if (err < 0)    /* not library-allocated, so not shareable */
		return err == -ENOENT ? KERN_INVALID_ARGUMENT : KERN_RESOURCE_SHORTAGE;
	*size = len;
	return name_entry(r.fd, r.offset + (start - r.addr), len, permission, object_handle);
}

EXPORT kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size,
					    vm_offset_t offset, vm_prot_t permission,
					    mem_entry_name_port_t *object_handle,
					    mem_entry_name_port_t parent_entry)
{
	memory_object_size_t s = *size;
	kern_return_t kr = mach_make_memory_entry_64(target_task, &s, offset, permission,
						     object_handle, parent_entry);

	if (kr == KERN_SUCCESS)
		*size = (vm_size_t)s;
	return kr;
}

/* Space lock not held.  Return: a dup of the entry's memfd, its window, its protection. */
static kern_return_t entry_window(mach_port_t object, int *fd, unsigned long long *base,
				  unsigned long long *limit, int *prot)
{
	struct port *p;

	space_lock();
	p = space_get(object);
	if (!p || p->mem_fd < 0) {
		space_unlock();
		return KERN_INVALID_ARGUMENT;
	}
	*fd = fcntl(p->mem_fd, F_DUPFD_CLOEXEC, 0);
	*base = p->mem_offset;
	*limit = p->mem_size;
	*prot = p->mem_prot;
	space_unlock();
	return *fd < 0 ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
}

EXPORT kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address,
				 mach_vm_size_t size, mach_vm_offset_t mask, int flags,
				 mem_entry_name_port_t object, memory_object_offset_t offset,
				 boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
				 vm_inherit_t inheritance)
{
	unsigned long long base, limit;
	int fd, prot, err;
	void *addr;
	kern_return_t kr;

	(void)mask; (void)max_protection;
	if (target_task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!address || !(flags & VM_FLAGS_ANYWHERE) || inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;   /* fixed placement is not supported */
	if (object == MACH_PORT_NULL)
		return mach_vm_allocate(target_task, address, size, flags);
	kr = entry_window(object, &fd, &base, &limit, &prot);
	if (kr != KERN_SUCCESS)
		return kr;
	if (size == 0 || offset > limit || size > limit - offset || (offset & vm_page_mask))
		kr = KERN_INVALID_ARGUMENT;
	else if (!copy && (cur_protection & VM_PROT_ALL & ~prot))
		kr = KERN_PROTECTION_FAILURE;
	if (kr == KERN_SUCCESS) {
		err = vm_map_new(fd, base + offset, (size_t)size, to_prot(cur_protection), copy,
				 (int)inheritance, &addr);
		if (err < 0)
			kr = err == -EACCES ? KERN_PROTECTION_FAILURE : KERN_NO_SPACE;
		else
			*address = (mach_vm_address_t)(uintptr_t)addr;
	}
	close(fd);
	return kr;
}

EXPORT kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
			    vm_address_t mask, int flags, mem_entry_name_port_t object,
			    vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
			    vm_prot_t max_protection, vm_inherit_t inheritance)
{
	mach_vm_address_t a = 0;
	kern_return_t kr = mach_vm_map(target_task, &a, size, mask, flags, object, offset, copy,
				       cur_protection, max_protection, inheritance);

	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)a;
	return kr;
}
