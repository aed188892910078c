/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/hash_info.h> - the bucket counts of a kernel hash table,
 * as host_virtual_physical_table_info() returns them, with Apple's
 * layout.  libbootstrap answers no debugging call; the types let
 * generated interfaces compile.
 */
#ifndef _MACH_DEBUG_HASH_INFO_H_
#define _MACH_DEBUG_HASH_INFO_H_

#include <mach/port.h>

typedef struct hash_info_bucket {
	natural_t hib_count;            /* records in the bucket */
} hash_info_bucket_t;

typedef hash_info_bucket_t *hash_info_bucket_array_t;

#endif
