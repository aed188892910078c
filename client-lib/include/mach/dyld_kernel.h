/* SPDX-License-Identifier: MIT */
/*
 * <mach/dyld_kernel.h> - the dyld image records task.defs carries
 * (task_register_dyld_image_infos() and friends), with Apple's layout.
 * Apple types the identifiers as uuid_t, fsobj_id_t and fsid_t; Linux's
 * <sys/types.h> has its own fsid_t, so the members are spelled out with
 * the same names and sizes.
 */
#ifndef _MACH_DYLD_KERNEL_H_
#define _MACH_DYLD_KERNEL_H_

#include <stdint.h>
#include <mach/boolean.h>

struct dyld_kernel_image_info {
	unsigned char uuid[16];
	struct {
		uint32_t fid_objno;
		uint32_t fid_generation;
	} fsobjid;
	struct {
		int32_t val[2];
	} fsid;
	uint64_t load_addr;
};

struct dyld_kernel_process_info {
	struct dyld_kernel_image_info cache_image_info;
	uint64_t timestamp;             /* mach_absolute_time() of dyld's last change */
	uint32_t imageCount;            /* images loaded now */
	uint32_t initialImageCount;     /* images loaded before any dlopen() */
	uint8_t dyldState;
	boolean_t no_cache;
	boolean_t private_cache;
};

typedef struct dyld_kernel_image_info dyld_kernel_image_info_t;
typedef struct dyld_kernel_process_info dyld_kernel_process_info_t;
typedef dyld_kernel_image_info_t *dyld_kernel_image_info_array_t;

#endif
