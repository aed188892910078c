/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/zone_info.h> - the kernel zone statistics of
 * mach_zone_info() and task_zone_info(), and the kernel memory sites of
 * mach_memory_info(), with Apple's layouts.  Linux has no Mach zones:
 * the types let generated interfaces compile.
 */
#ifndef _MACH_DEBUG_ZONE_INFO_H_
#define _MACH_DEBUG_ZONE_INFO_H_

#include <stdint.h>
#include <mach/port.h>

#define ZONE_NAME_MAX_LEN 80
#define MACH_ZONE_NAME_MAX_LEN 80

typedef struct mach_zone_name {
	char mzn_name[ZONE_NAME_MAX_LEN];
} mach_zone_name_t;
typedef mach_zone_name_t *mach_zone_name_array_t;

typedef struct mach_zone_info_data {
	uint64_t mzi_count;
	uint64_t mzi_cur_size;
	uint64_t mzi_max_size;
	uint64_t mzi_elem_size;
	uint64_t mzi_alloc_size;
	uint64_t mzi_sum_size;
	uint64_t mzi_exhaustible;
	uint64_t mzi_collectable;       /* bit 0: collectable; the rest: bytes */
} mach_zone_info_t;
typedef mach_zone_info_t *mach_zone_info_array_t;

typedef struct task_zone_info_data {
	uint64_t tzi_count;
	uint64_t tzi_cur_size;
	uint64_t tzi_max_size;
	uint64_t tzi_elem_size;
	uint64_t tzi_alloc_size;
	uint64_t tzi_sum_size;
	uint64_t tzi_exhaustible;
	uint64_t tzi_collectable;
	uint64_t tzi_caller_acct;
	uint64_t tzi_task_alloc;
	uint64_t tzi_task_free;
} task_zone_info_t;
typedef task_zone_info_t *task_zone_info_array_t;

#define MACH_MEMORY_INFO_NAME_MAX_LEN 80

/* Apple's explicit padding (_resvA) keeps _resv and name 8-byte aligned. */
typedef struct mach_memory_info {
	uint64_t flags;
	uint64_t site;
	uint64_t size;
	uint64_t free;
	uint64_t largest;
	uint64_t collectable_bytes;
	uint64_t mapped;
	uint64_t peak;
	uint16_t tag;
	uint16_t zone;
	uint16_t _resvA[2];
	uint64_t _resv[3];
	char name[MACH_MEMORY_INFO_NAME_MAX_LEN];
} mach_memory_info_t;
typedef mach_memory_info_t *mach_memory_info_array_t;

#endif
