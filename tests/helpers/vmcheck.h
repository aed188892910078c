/* SPDX-License-Identifier: MIT */
/* vmcheck.h - whether memory may be written, tried where a fault cannot hurt. */
#ifndef BOOTSTRAPD_TEST_VMCHECK_H
#define BOOTSTRAPD_TEST_VMCHECK_H

#include <stdint.h>

/**
 * vmcheck_write_in_child() - write to @addr in a forked child.
 * Return: the signal that killed the child, or 0 if the write went through.
 */
int vmcheck_write_in_child(volatile uint32_t *addr);

#endif
