/* SPDX-License-Identifier: MIT */
/*
 * surface-producer - a demand-launched job that renders a moving gradient
 * into a 1280x720 BGRA IOSurface.  Each request on com.example.surface is
 * answered with the surface's port; then it renders SURFACE_FRAMES frames,
 * each under a write lock, so that the seed changes once per frame in
 * every process that maps the surface.  It exits after 5 s without a
 * request; bootstrapd starts it again on the next one.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <IOSurface/IOSurface.h>
#include <servers/bootstrap.h>

#include "surface-proto.h"

static void set_num(CFMutableDictionaryRef d, CFStringRef key, int v)
{
	CFNumberRef n = CFNumberCreate(kCFAllocatorDefault, kCFNumberIntType, &v);

	CFDictionarySetValue(d, key, n);
	CFRelease(n);
}

static IOSurfaceRef make_surface(void)
{
	CFMutableDictionaryRef props = CFDictionaryCreateMutable(kCFAllocatorDefault, 0,
		&kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
	IOSurfaceRef s;

	set_num(props, kIOSurfaceWidth, SURFACE_WIDTH);
	set_num(props, kIOSurfaceHeight, SURFACE_HEIGHT);
	set_num(props, kIOSurfaceBytesPerElement, 4);
	set_num(props, kIOSurfacePixelFormat, 0x42475241);     /* 'BGRA' */
	CFDictionarySetValue(props, kIOSurfaceName, CFSTR("moving gradient"));
	s = IOSurfaceCreate(props);
	CFRelease(props);
	return s;
}

/* Frame @n: red runs left to right and moves with @n, green top to bottom. */
static void render(IOSurfaceRef s, unsigned n)
{
	uint8_t *base = IOSurfaceGetBaseAddress(s);
	size_t bpr = IOSurfaceGetBytesPerRow(s);
	int32_t frame = (int32_t)n;
	CFNumberRef num;

	IOSurfaceLock(s, 0, NULL);
	for (size_t y = 0; y < SURFACE_HEIGHT; y++) {
		uint8_t *px = base + y * bpr;

		for (size_t x = 0; x < SURFACE_WIDTH; x++, px += 4) {
			px[0] = 160;                                            /* B */
			px[1] = (uint8_t)(y * 255 / (SURFACE_HEIGHT - 1));      /* G */
			px[2] = (uint8_t)((x * 255 / (SURFACE_WIDTH - 1) + n * 4) & 0xff); /* R */
			px[3] = 255;                                            /* A */
		}
	}
	IOSurfaceUnlock(s, 0, NULL);
	num = CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt32Type, &frame);
	IOSurfaceSetValue(s, CFSTR("frame"), num);
	CFRelease(num);
}

static int reply(mach_port_t to, IOSurfaceRef s)
{
	struct surface_reply r;

	memset(&r, 0, sizeof(r));
	r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
	r.head.msgh_size = sizeof(r);
	r.head.msgh_remote_port = to;
	r.head.msgh_id = SURFACE_MSG_ID + 100;
	r.body.msgh_descriptor_count = 1;
	r.surface.type = MACH_MSG_PORT_DESCRIPTOR;
	r.surface.name = IOSurfaceCreateMachPort(s);
	r.surface.disposition = MACH_MSG_TYPE_MOVE_SEND;
	if (mach_msg(&r.head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS) {
		mach_msg_destroy(&r.head);      /* the surface's port and the reply right */
		return -1;
	}
	return 0;
}

int main(void)
{
	const struct timespec frame_time = { 0, 10 * 1000 * 1000 };
	mach_port_t port;
	IOSurfaceRef s;
	unsigned n = 0;
	kern_return_t kr = bootstrap_check_in(bootstrap_port, SURFACE_SERVICE, &port);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "surface-producer: bootstrap_check_in: %s\n", bootstrap_strerror(kr));
		return 1;
	}
	s = make_surface();
	if (!s) {
		fprintf(stderr, "surface-producer: IOSurfaceCreate failed\n");
		return 1;
	}
	for (;;) {
		struct { struct surface_request req; mach_msg_max_trailer_t trailer; } in;

		memset(&in, 0, sizeof(in));
		kr = mach_msg(&in.req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in), port,
			      5000, MACH_PORT_NULL);
		if (kr == MACH_RCV_TIMED_OUT)
			break;                  /* idle: bootstrapd starts us again on demand */
		if (kr != KERN_SUCCESS || in.req.head.msgh_id != SURFACE_MSG_ID ||
		    reply(in.req.head.msgh_remote_port, s) < 0)
			continue;
		for (unsigned i = 0; i < SURFACE_FRAMES; i++, n++) {
			render(s, n);
			nanosleep(&frame_time, NULL);
		}
	}
	CFRelease(s);
	return 0;
}
