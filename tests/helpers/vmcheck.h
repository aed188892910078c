/* SPDX-License-Identifier: MIT */
/* vmcheck.h - whether memory may be written, tried where a fault cannot hurt. */
#ifndef BOOTSTRAPD_TEST_VMCHECK_H
#define BOOTSTRAPD_TEST_VMCHECK_H

#include <stdint.h>

#include <mach/mach.h>

/**
 * vmcheck_write_in_child() - write to @addr in a forked child.
 * Return: the signal that killed the child, or 0 if the write went through.
 */
int vmcheck_write_in_child(volatile uint32_t *addr);

/** vmcheck_alloc() - vm_allocate() @size bytes anywhere; fails the test otherwise. */
vm_address_t vmcheck_alloc(vm_size_t size);

/** vmcheck_entry() - a memory entry of [@addr, @addr + @size) with @prot, its size checked. */
mach_port_t vmcheck_entry(vm_address_t addr, vm_size_t size, vm_prot_t prot);

#endif
