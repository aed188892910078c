/* SPDX-License-Identifier: MIT */
/*
 * vm-maps.h - the process's mappings as the kernel lists them
 * (/proc/self/maps), for the calls that look at memory the library did not
 * make: mach_vm_region(), and the checks of mach_vm_read() and friends.
 */
#ifndef BOOTSTRAP_VM_MAPS_H
#define BOOTSTRAP_VM_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm_mapping {
	uintptr_t start, end;
	int prot;                       /* PROT_* */
	bool shared;                    /* MAP_SHARED ('s') */
	unsigned long long offset;      /* file offset of start */
};

/**
 * vm_maps_find() - the first mapping that ends above @addr (it contains
 * @addr, or is the next one up).
 * Return: 0 and *out; -ENOENT if there is none; another negative errno if
 * the list cannot be read.
 */
int vm_maps_find(uintptr_t addr, struct vm_mapping *out);

/**
 * vm_maps_check() - whether [@addr, @addr + @size) is mapped without a
 * hole and every page of it allows @prot (PROT_READ and/or PROT_WRITE).
 * Return: 0; -EFAULT if part of it is not mapped (or the range wraps);
 * -EACCES if mapped without @prot; another negative errno.
 */
int vm_maps_check(uintptr_t addr, size_t size, int prot);

/**
 * vm_read_self() - copy @size bytes at @src, which the caller names and
 * may not be readable, to @dst without faulting.
 * Return: 0, or -EFAULT if part of @src is unmapped or unreadable.
 */
int vm_read_self(void *dst, const void *src, size_t size);

#endif
