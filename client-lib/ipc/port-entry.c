/* SPDX-License-Identifier: MIT */
/*
 * port-entry.c - the memory of port entries.
 */
#include "port.h"

#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#endif
#endif
#ifndef ASAN_POISON_MEMORY_REGION
#define ASAN_POISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

/*
 * The last entry freed, kept for the next: a look-up makes an entry and
 * its deallocation frees it, and going through the allocator each time
 * cost an eighth of the library's instructions per look-up.  One slot,
 * swapped atomically, needs no lock (entries are freed with or without
 * the space lock).  Poisoned while parked, so that a sanitizer still sees
 * a use after free.
 */
static struct port *spare_entry;

struct port *port_entry_alloc(void)
{
	struct port *p = __atomic_exchange_n(&spare_entry, NULL, __ATOMIC_ACQUIRE);

	if (!p)
		return malloc(sizeof(*p));
	ASAN_UNPOISON_MEMORY_REGION(p, sizeof(*p));
	return p;
}

void port_entry_free(struct port *p)
{
	ASAN_POISON_MEMORY_REGION(p, sizeof(*p));
	p = __atomic_exchange_n(&spare_entry, p, __ATOMIC_ACQ_REL);
	if (p) {
		ASAN_UNPOISON_MEMORY_REGION(p, sizeof(*p));
		free(p);
	}
}
