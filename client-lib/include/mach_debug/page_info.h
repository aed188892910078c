/* SPDX-License-Identifier: MIT */
/*
 * <mach_debug/page_info.h> - the page addresses vm_mapped_pages_info()
 * returns, out of line.  libbootstrap answers no debugging call; the
 * type lets generated interfaces compile.
 */
#ifndef _MACH_DEBUG_PAGE_INFO_H_
#define _MACH_DEBUG_PAGE_INFO_H_

#include <mach/vm_types.h>

typedef vm_offset_t *page_address_array_t;

#endif
