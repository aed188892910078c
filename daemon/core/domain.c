/* SPDX-License-Identifier: MIT */
#include "domain.h"

#include <event2/event.h>

void domain_maybe_exit(struct domain *d)
{
	if (d->shutting_down && !d->running)
		event_base_loopexit(d->base, NULL);
}
