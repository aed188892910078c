/* SPDX-License-Identifier: MIT */
/*
 * <mach/host_info.h> - what host_info and host_kernel_version return: a flavor and an
 * array of ints, and the kernel's version and boot strings.
 */
#ifndef _MACH_HOST_INFO_H_
#define _MACH_HOST_INFO_H_

#include <mach/port.h>

#define KERNEL_VERSION_MAX   512
#define KERNEL_BOOT_INFO_MAX 4096
typedef integer_t *host_info_t;
typedef integer_t *host_info64_t;
typedef integer_t host_info_data_t[1024];
typedef char kernel_version_t[KERNEL_VERSION_MAX];
typedef char kernel_boot_info_t[KERNEL_BOOT_INFO_MAX];
typedef integer_t host_flavor_t;

#endif
