/* SPDX-License-Identifier: MIT */
/*
 * surface-consumer - asks com.example.surface for its surface, maps it
 * (no pixel is copied by the transfer), copies out each frame as the seed
 * changes, and writes the last one to a PNG.
 *
 *   surface-consumer [OUT.png]
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <IOSurface/IOSurface.h>
#include <servers/bootstrap.h>

#include "surface-proto.h"

static IOSurfaceRef fetch_surface(void)
{
	union {
		struct surface_request req;
		struct { struct surface_reply rep; mach_msg_max_trailer_t trailer; } in;
	} m;
	mach_port_t service, reply;
	IOSurfaceRef s;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, SURFACE_SERVICE, &service);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "surface-consumer: bootstrap_look_up: %s\n", bootstrap_strerror(kr));
		return NULL;
	}
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	memset(&m, 0, sizeof(m));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_size = sizeof(m.req);
	m.req.head.msgh_remote_port = service;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_id = SURFACE_MSG_ID;
	kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m.req),
		      sizeof(m.in), reply, 30000, MACH_PORT_NULL);
	if (kr != KERN_SUCCESS || m.in.rep.head.msgh_id != SURFACE_MSG_ID + 100) {
		mach_error("surface-consumer: mach_msg:", kr);
		return NULL;
	}
	s = IOSurfaceLookupFromMachPort(m.in.rep.surface.name);
	mach_port_deallocate(mach_task_self(), m.in.rep.surface.name);
	mach_port_deallocate(mach_task_self(), service);
	mach_port_destroy(mach_task_self(), reply);
	return s;
}

/* Copy the frame out; retry if a writer unlocked meanwhile (a torn copy). */
static uint32_t copy_frame(IOSurfaceRef s, uint8_t *out)
{
	size_t bpr = IOSurfaceGetBytesPerRow(s), row = IOSurfaceGetWidth(s) * 4;
	const uint8_t *base = IOSurfaceGetBaseAddress(s);
	uint32_t before, after;

	do {
		IOSurfaceLock(s, kIOSurfaceLockReadOnly, &before);
		for (size_t y = 0; y < IOSurfaceGetHeight(s); y++)
			memcpy(out + y * row, base + y * bpr, row);
		IOSurfaceUnlock(s, kIOSurfaceLockReadOnly, &after);
	} while (before != after);
	return after;
}

/* BGRA rows -> an RGB PNG. */
static int write_png(const char *path, const uint8_t *bgra, size_t w, size_t h)
{
	FILE *f = fopen(path, "wb");
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *row = malloc(w * 3);

	if (!f || !png || !info || !row || setjmp(png_jmpbuf(png))) {
		if (f)
			fclose(f);
		png_destroy_write_struct(&png, &info);
		free(row);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (size_t y = 0; y < h; y++) {
		for (size_t x = 0; x < w; x++) {
			const uint8_t *p = bgra + (y * w + x) * 4;

			row[x * 3] = p[2];
			row[x * 3 + 1] = p[1];
			row[x * 3 + 2] = p[0];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *out = argc > 1 ? argv[1] : "surface.png";
	const struct timespec tick = { 0, 1000 * 1000 };
	IOSurfaceRef s = fetch_surface();
	uint32_t seen, seed;
	unsigned frames = 0, idle = 0;
	uint8_t *frame;

	if (!s)
		return 1;
	frame = malloc(IOSurfaceGetWidth(s) * IOSurfaceGetHeight(s) * 4);
	seen = copy_frame(s, frame);
	/* Every seed change is a new frame; stop when the producer pauses for 500 ms. */
	while (frames < SURFACE_FRAMES && idle < 500) {
		nanosleep(&tick, NULL);
		if (IOSurfaceGetSeed(s) == seen) {
			idle++;
			continue;
		}
		seed = copy_frame(s, frame);
		frames++;
		idle = 0;
		seen = seed;
	}
	if (write_png(out, frame, IOSurfaceGetWidth(s), IOSurfaceGetHeight(s)) < 0) {
		fprintf(stderr, "surface-consumer: cannot write %s\n", out);
		return 1;
	}
	printf("surface %u: %zux%zu, %u frames seen, last seed %u, wrote %s\n", IOSurfaceGetID(s),
	       IOSurfaceGetWidth(s), IOSurfaceGetHeight(s), frames, seen, out);
	free(frame);
	CFRelease(s);
	return 0;
}
