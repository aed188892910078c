/* SPDX-License-Identifier: MIT */
/* surface-proto.h - the surface example's one request and its reply. */
#ifndef SURFACE_PROTO_H
#define SURFACE_PROTO_H

#include <mach/mach.h>

#define SURFACE_SERVICE "com.example.surface"
#define SURFACE_MSG_ID 4200
#define SURFACE_WIDTH 1280
#define SURFACE_HEIGHT 720
#define SURFACE_FRAMES 90       /* frames rendered after each request */

/* Request: a bare header with a MAKE_SEND_ONCE reply port. */
struct surface_request {
	mach_msg_header_t head;
};

/* Reply: the surface, as a port descriptor (IOSurfaceCreateMachPort). */
struct surface_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t surface;
};

#endif
