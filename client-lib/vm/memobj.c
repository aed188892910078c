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
#include "vm-region.h"

#define EXPORT __attribute__((visibility("default")))

static int to_prot(vm_prot_t p)
{
	return ((p & VM_PROT_READ) ? PROT_READ : 0) | ((p & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((p & VM_PROT_EXECUTE) ? PROT_EXEC : 0);
}

/*
 * No new writable shared mapping of @fd's file, by anyone: the kernel
 * refuses mmap(PROT_WRITE, MAP_SHARED), mprotect(PROT_WRITE) of a shared
 * read-only mapping, write() and hole punching through every fd, however
 * opened, even by root.  Writable mappings that exist already (the
 * owner's) keep working, so a read-only view still mirrors the owner's
 * writes.  F_SEAL_SEAL: no holder can add or change seals after this.
 */
static int seal_read_only(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	if (seals < 0)
		return -errno;
	if (seals & (F_SEAL_FUTURE_WRITE | F_SEAL_WRITE))
		return 0;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_SEAL) < 0)
		return -errno;
	return 0;
}

/*
 * An entry without VM_PROT_WRITE seals its file against new writable
 * mappings and holds a read-only fd, so that no holder, in any process,
 * whatever code it runs, can write through it (see seal_read_only() and
 * the file's mode, vm_memfd()).  Takes @fd; stores the entry's fd in *out.
 */
static kern_return_t entry_fd(int fd, vm_prot_t prot, int *out)
{
	int err, ro;

	if (prot & VM_PROT_WRITE) {
		*out = fd;
		return KERN_SUCCESS;
	}
	err = seal_read_only(fd);
	if (err < 0) {
		close(fd);
		return err == -EINVAL ? KERN_NOT_SUPPORTED : KERN_PROTECTION_FAILURE;
	}
	ro = vm_reopen_ro(fd);
	if (ro < 0) {           /* no /proc: the seal alone keeps writes out */
		*out = fd;
		return KERN_SUCCESS;
	}
	close(fd);
	*out = ro;
	return KERN_SUCCESS;
}

static kern_return_t name_entry(int fd, unsigned long long offset, unsigned long long size,
				vm_prot_t prot, mach_port_t *handle)
{
	kern_return_t kr = entry_fd(fd, prot, &fd);
	struct port *p;

	if (kr != KERN_SUCCESS)
		return kr;
	p = port_new_memory(fd, offset, size, prot & VM_PROT_ALL);
	if (!p) {
		close(fd);
		return KERN_RESOURCE_SHORTAGE;
	}
	*handle = port_name_new(p);
	return *handle == MACH_PORT_NULL ? KERN_NO_SPACE : KERN_SUCCESS;
}

/*
 * A new object of the pages [@offset, @offset + *@size) span, as XNU sizes
 * it; a size of 0 makes nothing and succeeds, as there.
 */
static kern_return_t create_named(memory_object_size_t *size, memory_object_offset_t offset,
				  vm_prot_t prot, mach_port_t *handle)
{
	unsigned long long in_page = offset & vm_page_mask, len;
	int fd;

	if (*size == 0) {
		*handle = MACH_PORT_NULL;
		return KERN_SUCCESS;
	}
	if (*size > SIZE_MAX - vm_page_mask - in_page)
		return KERN_INVALID_ARGUMENT;
	len = vm_round((size_t)(in_page + *size));
	fd = vm_memfd("bootstrap-memory-entry", len, 0444);
	if (fd < 0)
		return KERN_RESOURCE_SHORTAGE;
	*size = len;
	return name_entry(fd, 0, len, prot, handle);
}

/* Space lock not held.  Return: a dup of the entry's memfd, its window, its protection. */
static kern_return_t entry_window(mach_port_t object, int *fd, unsigned long long *base,
				  unsigned long long *limit, int *prot)
{
	const struct port_mem *m;
	struct port *p;

	space_lock();
	p = space_get(object);
	m = p ? port_memory(p) : NULL;
	if (!m) {
		space_unlock();
		return KERN_INVALID_ARGUMENT;
	}
	*fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 0);
	*base = m->offset;
	*limit = m->size;
	*prot = m->prot;
	space_unlock();
	return *fd < 0 ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
}

/*
 * A sub-window of an existing entry: the pages [@offset, @offset + *@size)
 * span within it, as XNU rounds them, with no more than its protection
 * (VM_PROT_IS_MASK: what of @prot it allows).
 */
static kern_return_t from_parent(mach_port_t parent, memory_object_size_t *size,
				 memory_object_offset_t offset, vm_prot_t prot, mach_port_t *handle)
{
	unsigned long long base, limit, start = offset & ~(unsigned long long)vm_page_mask, end;
	int fd, entry_prot;
	kern_return_t kr = entry_window(parent, &fd, &base, &limit, &entry_prot);

	if (kr != KERN_SUCCESS)
		return kr;
	if (prot & VM_PROT_IS_MASK)
		prot &= entry_prot | ~VM_PROT_ALL;
	if ((prot & entry_prot & VM_PROT_ALL) != (prot & VM_PROT_ALL)) {
		close(fd);
		return KERN_PROTECTION_FAILURE;
	}
	end = offset + *size;
	if (end < offset || end > limit || vm_round((size_t)end) > limit) {
		close(fd);
		return KERN_INVALID_ARGUMENT;
	}
	end = vm_round((size_t)end);
	*size = end - start;
	return name_entry(fd, base + start, end - start, prot, handle);
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
		return create_named(size, offset, permission, object_handle);
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
	if (to_prot(permission) & ~r.maxprot) {        /* more than vm_protect() allows */
		close(r.fd);
		return KERN_PROTECTION_FAILURE;
	}
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

/*
 * XNU's rules: VM_PROT_IS_MASK trims a protection to what the entry
 * allows; the current protection never exceeds the maximum; either one
 * beyond the entry's is KERN_INVALID_RIGHT, copy or not.
 */
static kern_return_t map_prot(vm_prot_t *cur, vm_prot_t *max, int entry_prot)
{
	if (*cur & VM_PROT_IS_MASK)
		*cur &= entry_prot;
	if (*max & VM_PROT_IS_MASK)
		*max &= entry_prot;
	*cur &= *max;
	if ((*cur | *max) & ~entry_prot)
		return KERN_INVALID_RIGHT;
	return KERN_SUCCESS;
}

static kern_return_t map_entry(mach_port_t object, mach_vm_address_t *address, mach_vm_size_t size,
			       memory_object_offset_t offset, boolean_t copy, vm_prot_t cur,
			       vm_prot_t max, vm_inherit_t inheritance)
{
	unsigned long long base, limit;
	int fd, prot, err;
	void *addr;
	kern_return_t kr = entry_window(object, &fd, &base, &limit, &prot);

	if (kr != KERN_SUCCESS)
		return kr;
	if (size == 0 || offset > limit || size > limit - offset || (offset & vm_page_mask))
		kr = KERN_INVALID_ARGUMENT;
	else
		kr = map_prot(&cur, &max, prot);
	if (kr == KERN_SUCCESS) {
		/* -EPERM: a read-only entry sealed the object against new writable maps. */
		err = vm_map_max(fd, base + offset, (size_t)size, to_prot(cur), to_prot(max), copy,
				 (int)inheritance, &addr);
		if (err < 0)
			kr = err == -EACCES || err == -EPERM ? KERN_PROTECTION_FAILURE : KERN_NO_SPACE;
		else
			*address = (mach_vm_address_t)(uintptr_t)addr;
	}
	close(fd);
	return kr;
}

EXPORT kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address,
				 mach_vm_size_t size, mach_vm_offset_t mask, int flags,
				 mem_entry_name_port_t object, memory_object_offset_t offset,
				 boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
				 vm_inherit_t inheritance)
{
	const vm_prot_t valid = VM_PROT_ALL | VM_PROT_IS_MASK;
	void *addr;

	(void)mask;
	if (target_task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!address || !(flags & VM_FLAGS_ANYWHERE) || inheritance > VM_INHERIT_LAST_VALID ||
	    (cur_protection & ~valid) || (max_protection & ~valid))
		return KERN_INVALID_ARGUMENT;   /* fixed placement is not supported */
	if (object != MACH_PORT_NULL)
		return map_entry(object, address, size, offset, copy, cur_protection,
				 max_protection, inheritance);
	if (size == 0)
		return KERN_INVALID_ARGUMENT;
	cur_protection &= max_protection;
	if (vm_map_max(-1, 0, (size_t)size, to_prot(cur_protection), to_prot(max_protection), 1,
		       (int)inheritance, &addr) < 0)
		return KERN_RESOURCE_SHORTAGE;
	*address = (mach_vm_address_t)(uintptr_t)addr;
	return KERN_SUCCESS;
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
