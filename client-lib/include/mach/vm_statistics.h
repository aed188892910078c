/* SPDX-License-Identifier: MIT */
/*
 * <mach/vm_statistics.h> - VM_FLAGS_* for vm_allocate and vm_map, and
 * the layouts of the VM statistics Apple's interfaces carry.
 */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#include <stdint.h>
#include <mach/port.h>

/* host_statistics(HOST_VM_INFO): fifteen page counts, Apple's order. */
struct vm_statistics {
	natural_t free_count;
	natural_t active_count;
	natural_t inactive_count;
	natural_t wire_count;
	natural_t zero_fill_count;
	natural_t reactivations;
	natural_t pageins;
	natural_t pageouts;
	natural_t faults;
	natural_t cow_faults;
	natural_t lookups;
	natural_t hits;
	natural_t purgeable_count;
	natural_t purges;
	natural_t speculative_count;
};
typedef struct vm_statistics *vm_statistics_t;
typedef struct vm_statistics vm_statistics_data_t;

/* task_purgable_info(): purgeable objects by queue (68 ints in the message). */
typedef struct vm_purgeable_stat {
	uint64_t count;
	uint64_t size;
} vm_purgeable_stat_t;

struct vm_purgeable_info {
	vm_purgeable_stat_t fifo_data[8];
	vm_purgeable_stat_t obsolete_data;
	vm_purgeable_stat_t lifo_data[8];
};
typedef struct vm_purgeable_info *vm_purgeable_info_t;

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
