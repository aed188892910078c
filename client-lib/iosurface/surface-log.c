/* SPDX-License-Identifier: MIT */
/*
 * surface-log.c - where IOSurface explains a refusal: the caller's log
 * function, or nowhere.  The library itself never prints.
 */
#include "surface.h"

#include <stdarg.h>
#include <stdio.h>

#define EXPORT __attribute__((visibility("default")))

/* Process-wide, as the caller's choice of log is. */
static struct {
	pthread_mutex_t lock;
	IOSurfaceLogFunction fn;
	void *ctx;
} log_to = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL };

EXPORT void IOSurfaceSetLogFunction(IOSurfaceLogFunction function, void *context)
{
	pthread_mutex_lock(&log_to.lock);
	log_to.fn = function;
	log_to.ctx = context;
	pthread_mutex_unlock(&log_to.lock);
}

void surface_log(const char *fmt, ...)
{
	IOSurfaceLogFunction fn;
	char line[512];
	void *ctx;
	va_list ap;

	pthread_mutex_lock(&log_to.lock);
	fn = log_to.fn;
	ctx = log_to.ctx;
	pthread_mutex_unlock(&log_to.lock);
	if (!fn)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fn(ctx, line);
}
