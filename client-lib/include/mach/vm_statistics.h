/* SPDX-License-Identifier: MIT */
/* <mach/vm_statistics.h> - VM_FLAGS_* for vm_allocate and vm_map. */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#define VM_FLAGS_FIXED              0x00000000
#define VM_FLAGS_ANYWHERE           0x00000001
#define VM_FLAGS_PURGABLE           0x00000002
#define VM_FLAGS_4GB_CHUNK          0x00000004
#define VM_FLAGS_RANDOM_ADDR        0x00000008
#define VM_FLAGS_NO_CACHE           0x00000010
#define VM_FLAGS_RESILIENT_CODESIGN 0x00000020
#define VM_FLAGS_RESILIENT_MEDIA    0x00000040
#define VM_FLAGS_PERMANENT          0x00000080
#define VM_FLAGS_OVERWRITE          0x00004000
#define VM_FLAGS_SUPERPAGE_MASK     0x00070000
#define VM_FLAGS_RETURN_DATA_ADDR   0x00100000
#define VM_FLAGS_RETURN_4K_DATA_ADDR 0x00800000
#define VM_FLAGS_ALIAS_MASK         0xFF000000
#define VM_MAKE_TAG(tag)            ((tag) << 24)
#define VM_MEMORY_MALLOC            1

#endif
