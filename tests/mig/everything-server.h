/* everything-server.h - imported by the server side only (simport): the translations. */
#ifndef EVERYTHING_SERVER_H
#define EVERYTHING_SERVER_H

#define EVERYTHING_SERVER_IMPORTED 1

struct widget {
	int value;
};
typedef struct widget *widget_ref_t;

widget_ref_t widget_from_int(int v);
int widget_to_int(widget_ref_t w);
void widget_release(widget_ref_t w);

#include <mach/mach_types.h>

/*
 * The region inout_arrays last replaced the caller's with when asked to
 * set a count past the bound after it (a first value of -2): the reply
 * is refused, and the region, handed back without dealloc, stays the
 * server's.
 */
extern vm_address_t inout_arrays_kept;

#endif
