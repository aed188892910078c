/* SPDX-License-Identifier: MIT */
/*
 * <mach/vm_attributes.h> - the attribute and value words of vm_machine_attribute.
 */
#ifndef _MACH_VM_ATTRIBUTES_H_
#define _MACH_VM_ATTRIBUTES_H_

typedef unsigned int vm_machine_attribute_t;
typedef int vm_machine_attribute_val_t;

#endif
