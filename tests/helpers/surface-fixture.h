/* SPDX-License-Identifier: MIT */
/* surface-fixture.h - helpers of the IOSurface suites (see surface-fixture.c). */
#ifndef BOOTSTRAPD_TEST_SURFACE_FIXTURE_H
#define BOOTSTRAPD_TEST_SURFACE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include <IOSurface/IOSurfaceLinux.h>

#include "helpers/peer.h"
#include "helpers/surface-peer.h"

/* OSType four-character codes. */
#define FMT_BGRA 0x42475241u
#define FMT_420V 0x34323076u
#define FMT_420F 0x34323066u

extern char *runtime_dir;       /* $XDG_RUNTIME_DIR of the test */
extern int log_lines;           /* lines IOSurface logged */
extern char log_last[512];      /* the last one */

/** surface_setup() - private $XDG_RUNTIME_DIR, log capture, $PORT_PEER = surface-peer, fd mark. */
void surface_setup(void);
/** surface_teardown() - fd check, remove the directory. */
void surface_teardown(void);

void set_num(CFMutableDictionaryRef d, CFStringRef key, long long v);
/** props() - a dictionary of width, height, bytes per element, pixel format (caller releases). */
CFMutableDictionaryRef props(long w, long h, long bpe, uint32_t fmt);
/** create() - IOSurfaceCreate(props(...)), which must succeed. */
IOSurfaceRef create(long w, long h, long bpe, uint32_t fmt);
/** surface_fds() - entries of /proc/self/fd naming a surface memfd. */
int surface_fds(void);
/** surface_maps() - lines of /proc/self/maps naming one. */
int surface_maps(void);
/** give() - pass @s to the peer in a port (read-only if asked); *rep: its description. */
void give(struct peer *p, IOSurfaceRef s, bool read_only, struct peer_rcv *rep);
void cmd(struct peer *p, enum surface_peer_cmd c, uint32_t a0, uint32_t a1, struct peer_rcv *rep);
/** stop() - the peer exits 0. */
void stop(struct peer *p);
/** scribble_header() - overwrite @len bytes at @off of @s's shared header, as a hostile peer. */
void scribble_header(IOSurfaceRef s, size_t off, const void *bytes, size_t len);
/** refused() - IOSurfaceCreate(@d) fails, logging one line containing @why; releases @d. */
void refused(CFDictionaryRef d, const char *why);

#endif
