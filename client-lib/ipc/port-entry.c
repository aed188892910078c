/* SPDX-License-Identifier: MIT */
/*
 * port-entry.c - the memory of port entries.
 */
#include "port.h"

#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define KEEP_SPARE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KEEP_SPARE 0
#endif
#endif
#ifndef KEEP_SPARE
#define KEEP_SPARE 1
#endif

/*
 * The last entry freed, kept for the next: a look-up makes an entry and
 * its deallocation frees it, and going through the allocator each time
 * cost an eighth of the library's instructions per look-up.  One slot,
 * swapped atomically, needs no lock (entries are freed with or without
 * the space lock).  Not under AddressSanitizer, which must see every use
 * of an entry after its free, also once the next look-up would reuse it.
 */
static struct port *spare_entry;

struct port *port_entry_alloc(void)
{
	struct port *p = KEEP_SPARE ? __atomic_exchange_n(&spare_entry, NULL, __ATOMIC_ACQUIRE) : NULL;

	return p ? p : malloc(sizeof(*p));
}

void port_entry_free(struct port *p)
{
	if (KEEP_SPARE)
		p = __atomic_exchange_n(&spare_entry, p, __ATOMIC_ACQ_REL);
	if (p)
		free(p);        /* the one it took the place of (no call at all, most times) */
}
