/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/lockgroup_info.h> - the kernel lock group statistics of
 * host_lockgroup_info(), with Apple's layout: a name, then 64-bit
 * counters, naturally aligned with no padding.  Linux has no Mach lock
 * groups: the types let generated interfaces compile.
 */
#ifndef _MACH_DEBUG_LOCKGROUP_INFO_H_
#define _MACH_DEBUG_LOCKGROUP_INFO_H_

#include <stdint.h>

#define LOCKGROUP_MAX_NAME 64

#define LOCKGROUP_ATTR_STAT 0x01ULL

typedef struct lockgroup_info {
	char lockgroup_name[LOCKGROUP_MAX_NAME];
	uint64_t lockgroup_attr;
	uint64_t lock_spin_cnt;
	uint64_t lock_spin_util_cnt;
	uint64_t lock_spin_held_cnt;
	uint64_t lock_spin_miss_cnt;
	uint64_t lock_spin_held_max;
	uint64_t lock_spin_held_cum;
	uint64_t lock_mtx_cnt;
	uint64_t lock_mtx_util_cnt;
	uint64_t lock_mtx_held_cnt;
	uint64_t lock_mtx_miss_cnt;
	uint64_t lock_mtx_wait_cnt;
	uint64_t lock_mtx_held_max;
	uint64_t lock_mtx_held_cum;
	uint64_t lock_mtx_wait_max;
	uint64_t lock_mtx_wait_cum;
	uint64_t lock_rw_cnt;
	uint64_t lock_rw_util_cnt;
	uint64_t lock_rw_held_cnt;
	uint64_t lock_rw_miss_cnt;
	uint64_t lock_rw_wait_cnt;
	uint64_t lock_rw_held_max;
	uint64_t lock_rw_held_cum;
	uint64_t lock_rw_wait_max;
	uint64_t lock_rw_wait_cum;
} lockgroup_info_t;

typedef lockgroup_info_t *lockgroup_info_array_t;

#endif
