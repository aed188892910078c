/* SPDX-License-Identifier: MIT */
/*
 * vm.c - library-made mappings and vm_allocate()/vm_deallocate().
 */
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT vm_size_t vm_page_size = 4096;
EXPORT vm_size_t vm_page_mask = 4095;
EXPORT int vm_page_shift = 12;

/* The task's address-space bookkeeping: global for the same reason as the IPC space. */
static struct {
	pthread_mutex_t lock;
	struct vm_region *r;
	size_t n, cap;
} regions = { .lock = PTHREAD_MUTEX_INITIALIZER };

__attribute__((constructor)) static void page_size_init(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	if (ps > 0) {
		vm_page_size = (vm_size_t)ps;
		vm_page_mask = (vm_size_t)ps - 1;
		vm_page_shift = __builtin_ctzl((unsigned long)ps);
	}
}

size_t vm_round(size_t size)
{
	return (size + vm_page_mask) & ~(size_t)vm_page_mask;
}

static int record(const struct vm_region *reg)
{
	int err = 0;

	pthread_mutex_lock(&regions.lock);
	if (regions.n == regions.cap) {
		size_t n = regions.cap ? regions.cap * 2 : 16;
		struct vm_region *r = realloc(regions.r, n * sizeof(*r));

		if (r) {
			regions.r = r;
			regions.cap = n;
		} else {
			err = -ENOMEM;
		}
	}
	if (!err)
		regions.r[regions.n++] = *reg;
	pthread_mutex_unlock(&regions.lock);
	return err;
}

int vm_map_new(int fd, unsigned long long offset, size_t size, int prot, int private_map,
	       void **addr)
{
	struct vm_region reg = { .size = vm_round(size), .offset = offset };
	void *p;
	int err;

	if (size == 0)
		return -EINVAL;
	reg.fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : memfd_create("bootstrap-vm", MFD_CLOEXEC);
	if (reg.fd < 0)
		return -errno;
	if (fd < 0 && ftruncate(reg.fd, (off_t)reg.size) < 0)
		goto fail;
	p = mmap(NULL, reg.size, prot, private_map ? MAP_PRIVATE : MAP_SHARED, reg.fd, (off_t)offset);
	if (p == MAP_FAILED)
		goto fail;
	reg.addr = (uintptr_t)p;
	err = record(&reg);
	if (err < 0) {
		munmap(p, reg.size);
		close(reg.fd);
		return err;
	}
	*addr = p;
	return 0;
fail:
	err = -errno;
	close(reg.fd);
	return err;
}

int vm_map_copy(const void *src, size_t size, void **addr)
{
	size_t len = vm_round(size);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vm_region reg = { .size = len, .fd = -1 };

	if (p == MAP_FAILED)
		return -errno;
	memcpy(p, src, size);
	reg.addr = (uintptr_t)p;
	if (record(&reg) < 0) {
		munmap(p, len);
		return -ENOMEM;
	}
	*addr = p;
	return 0;
}

int vm_lookup(uintptr_t addr, size_t size, struct vm_region *out)
{
	int err = -ENOENT;

	pthread_mutex_lock(&regions.lock);
	for (size_t i = 0; i < regions.n; i++) {
		const struct vm_region *r = &regions.r[i];

		if (r->fd < 0 || addr < r->addr || addr - r->addr > r->size ||
		    size > r->size - (addr - r->addr))
			continue;
		*out = *r;
		out->fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);
		err = out->fd < 0 ? -errno : 0;
		break;
	}
	pthread_mutex_unlock(&regions.lock);
	return err;
}

void vm_release(void *addr, size_t size)
{
	uintptr_t start = (uintptr_t)addr & ~(uintptr_t)vm_page_mask;
	uintptr_t end = ((uintptr_t)addr + size + vm_page_mask) & ~(uintptr_t)vm_page_mask;

	pthread_mutex_lock(&regions.lock);
	for (size_t i = 0; i < regions.n;) {
		struct vm_region *r = &regions.r[i];

		if (r->addr >= start && r->addr + r->size <= end) {
			if (r->fd >= 0)
				close(r->fd);
			*r = regions.r[--regions.n];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&regions.lock);
	munmap((void *)start, end - start);
}

EXPORT kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
				      mach_vm_size_t size, int flags)
{
	void *p;

	if (target != mach_task_self())
		return KERN_INVALID_TASK;
	if (!address || !(flags & VM_FLAGS_ANYWHERE))
		return KERN_INVALID_ARGUMENT;   /* fixed placement is not supported */
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (vm_map_new(-1, 0, (size_t)size, PROT_READ | PROT_WRITE, 0, &p) < 0)
		return KERN_RESOURCE_SHORTAGE;
	*address = (mach_vm_address_t)(uintptr_t)p;
	return KERN_SUCCESS;
}

EXPORT kern_return_t vm_allocate(vm_map_t target, vm_address_t *address, vm_size_t size, int flags)
{
	mach_vm_address_t a = 0;
	kern_return_t kr = mach_vm_allocate(target, &a, size, flags);

	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)a;
	return kr;
}

EXPORT kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
					mach_vm_size_t size)
{
	if (target != mach_task_self())
		return KERN_INVALID_TASK;
	if (size == 0)
		return KERN_SUCCESS;
	vm_release((void *)(uintptr_t)address, (size_t)size);
	return KERN_SUCCESS;
}

EXPORT kern_return_t vm_deallocate(vm_map_t target, vm_address_t address, vm_size_t size)
{
	return mach_vm_deallocate(target, address, size);
}

static int to_prot(vm_prot_t p)
{
	return ((p & VM_PROT_READ) ? PROT_READ : 0) | ((p & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((p & VM_PROT_EXECUTE) ? PROT_EXEC : 0);
}

EXPORT kern_return_t mach_vm_protect(vm_map_t target, mach_vm_address_t address,
				     mach_vm_size_t size, boolean_t set_maximum, vm_prot_t prot)
{
	if (target != mach_task_self())
		return KERN_INVALID_TASK;
	if (set_maximum)
		return KERN_SUCCESS;    /* Linux has no separate maximum protection */
	return mprotect((void *)(uintptr_t)address, (size_t)size, to_prot(prot)) == 0 ?
		KERN_SUCCESS : KERN_PROTECTION_FAILURE;
}

EXPORT kern_return_t vm_protect(vm_map_t target, vm_address_t address, vm_size_t size,
				boolean_t set_maximum, vm_prot_t prot)
{
	return mach_vm_protect(target, address, size, set_maximum, prot);
}
