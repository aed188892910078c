/* SPDX-License-Identifier: MIT */
/*
 * check-iosurface - IOSurface across processes: the layout from the
 * properties and its round trip through a port, pixels seen on both
 * sides, seed and lock semantics, use counts, attached values, lookup by
 * ID, read-only ports the kernel enforces, bad properties, and surfaces
 * freed (no fd, no mapping) once both sides let go.  The other process is
 * surface-peer, exec'd.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <IOSurface/IOSurfaceLinux.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"
#include "helpers/surface-peer.h"
#include "helpers/tmpdir.h"
#include "iosurface/surface.h"

/* OSType four-character codes. */
#define FMT_BGRA 0x42475241u
#define FMT_420V 0x34323076u
#define FMT_420F 0x34323066u

static char *runtime_dir;
static int log_lines;
static char log_last[512];

static void log_fn(void *ctx, const char *msg)
{
	(void)ctx;
	log_lines++;
	snprintf(log_last, sizeof(log_last), "%s", msg);
}

static void setup(void)
{
	runtime_dir = tmpdir_new("iosurface");
	setenv("XDG_RUNTIME_DIR", runtime_dir, 1);
	setenv("PORT_PEER", getenv("SURFACE_PEER"), 1);
	IOSurfaceSetLogFunction(log_fn, NULL);
	log_lines = 0;
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
	tmpdir_remove(runtime_dir);
}

static void set_num(CFMutableDictionaryRef d, CFStringRef key, long long v)
{
	CFNumberRef n = CFNumberCreate(NULL, kCFNumberLongLongType, &v);

	CFDictionarySetValue(d, key, n);
	CFRelease(n);
}

static CFMutableDictionaryRef props(long w, long h, long bpe, uint32_t fmt)
{
	CFMutableDictionaryRef d = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);

	set_num(d, kIOSurfaceWidth, w);
	set_num(d, kIOSurfaceHeight, h);
	set_num(d, kIOSurfaceBytesPerElement, bpe);
	set_num(d, kIOSurfacePixelFormat, fmt);
	return d;
}

static IOSurfaceRef create(long w, long h, long bpe, uint32_t fmt)
{
	CFMutableDictionaryRef d = props(w, h, bpe, fmt);
	IOSurfaceRef s = IOSurfaceCreate(d);

	CFRelease(d);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* Entries of /proc/self/fd (fds) or lines of /proc/self/maps naming a surface memfd. */
static int surface_fds(void)
{
	char link[64], target[256];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, target, sizeof(target) - 1);
		if (len >= 0) {
			target[len] = '\0';
			n += strstr(target, "memfd:IOSurface") != NULL;
		}
	}
	return n;
}

static int surface_maps(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "memfd:IOSurface") != NULL;
	fclose(f);
	return n;
}

/* Give the peer @s through a port; *rep is its description. */
static void give(struct peer *p, IOSurfaceRef s, bool read_only, struct peer_rcv *rep)
{
	mach_port_t port = read_only ? IOSurfaceCreateMachPortReadOnly(s) : IOSurfaceCreateMachPort(s);
	struct peer_msg req;

	ck_assert(MACH_PORT_VALID(port));
	peer_msg_init(&req, p->ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_PORT, port,
		      MACH_MSG_TYPE_MOVE_SEND);
	peer_call(p, &req, rep);
	ck_assert_uint_eq(rep->msg.arg[0], 1);
}

static void cmd(struct peer *p, enum surface_peer_cmd c, uint32_t a0, uint32_t a1,
		struct peer_rcv *rep)
{
	peer_cmd(p, (enum peer_cmd)c, a0, a1, rep);
}

static void stop(struct peer *p)
{
	ck_assert_int_eq(peer_exit(p, 0), 0);
	peer_forget(p);
}

START_TEST(layout_bgra)
{
	IOSurfaceRef s = create(1280, 720, 4, FMT_BGRA);

	ck_assert_uint_eq(IOSurfaceGetBytesPerRow(s), 5120);
	ck_assert_uint_eq(IOSurfaceGetAllocSize(s), 5120 * 720);
	ck_assert_uint_eq(IOSurfaceGetPixelFormat(s), FMT_BGRA);
	ck_assert_uint_eq(IOSurfaceGetPlaneCount(s), 0);
	ck_assert_uint_eq(IOSurfaceGetWidthOfPlane(s, 0), 1280);
	ck_assert_uint_eq(IOSurfaceGetBytesPerRowOfPlane(s, 0), 5120);
	ck_assert_uint_eq(IOSurfaceGetWidthOfPlane(s, 1), 0);
	ck_assert_ptr_eq(IOSurfaceGetBaseAddressOfPlane(s, 0), IOSurfaceGetBaseAddress(s));
	ck_assert_ptr_null(IOSurfaceGetBaseAddressOfPlane(s, 1));
	ck_assert_uint_eq(CFGetTypeID(s), IOSurfaceGetTypeID());
	ck_assert_uint_ne(IOSurfaceGetID(s), 0);
	CFRelease(s);
	/* Rows of 300 * 4 = 1200 bytes are aligned to 64: 1216, as on macOS. */
	s = create(300, 2, 4, FMT_BGRA);
	ck_assert_uint_eq(IOSurfaceGetBytesPerRow(s), 1216);
	ck_assert_uint_eq(IOSurfaceAlignProperty(kIOSurfaceBytesPerRow, 1200), 1216);
	CFRelease(s);
}
END_TEST

START_TEST(layout_nv12_plane_info)
{
	CFMutableDictionaryRef d = props(640, 480, 1, FMT_420V);
	CFMutableDictionaryRef y = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);
	CFMutableDictionaryRef c = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);
	CFMutableArrayRef planes = CFArrayCreateMutable(NULL, 2, &kCFTypeArrayCallBacks);
	IOSurfaceRef s;

	set_num(y, kIOSurfacePlaneWidth, 640);
	set_num(y, kIOSurfacePlaneHeight, 480);
	set_num(y, kIOSurfacePlaneBytesPerElement, 1);
	set_num(c, kIOSurfacePlaneWidth, 320);
	set_num(c, kIOSurfacePlaneHeight, 240);
	set_num(c, kIOSurfacePlaneBytesPerElement, 2);
	set_num(c, kIOSurfacePlaneOffset, 640 * 480 + 4096);
	CFArrayAppendValue(planes, y);
	CFArrayAppendValue(planes, c);
	CFDictionarySetValue(d, kIOSurfacePlaneInfo, planes);
	s = IOSurfaceCreate(d);
	ck_assert_msg(s != NULL, "%s", log_last);
	ck_assert_uint_eq(IOSurfaceGetPlaneCount(s), 2);
	ck_assert_uint_eq(IOSurfaceGetBytesPerRowOfPlane(s, 0), 640);
	ck_assert_uint_eq(IOSurfaceGetBytesPerRowOfPlane(s, 1), 640);
	ck_assert_uint_eq(IOSurfaceGetBytesPerElementOfPlane(s, 1), 2);
	ck_assert_uint_eq(IOSurfaceGetHeightOfPlane(s, 1), 240);
	ck_assert_ptr_eq(IOSurfaceGetBaseAddressOfPlane(s, 1),
			 (char *)IOSurfaceGetBaseAddress(s) + 640 * 480 + 4096);
	ck_assert_uint_eq(IOSurfaceGetAllocSize(s), 640 * 480 + 4096 + 240 * 640);
	CFRelease(s);
	CFRelease(d);
	/* FMT_420F without plane info: NV12 planes, rows aligned to 64. */
	d = props(100, 10, 1, FMT_420F);
	s = IOSurfaceCreate(d);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(IOSurfaceGetPlaneCount(s), 2);
	ck_assert_uint_eq(IOSurfaceGetBytesPerRowOfPlane(s, 0), 128);
	ck_assert_uint_eq(IOSurfaceGetWidthOfPlane(s, 1), 50);
	ck_assert_uint_eq(IOSurfaceGetBytesPerRowOfPlane(s, 1), 128);
	CFRelease(s);
	CFRelease(d);
	CFRelease(planes);
	CFRelease(y);
	CFRelease(c);
}
END_TEST

static void refused(CFDictionaryRef d, const char *why)
{
	int before = log_lines;

	ck_assert_ptr_null(IOSurfaceCreate(d));
	ck_assert_int_eq(log_lines, before + 1);
	ck_assert_msg(strstr(log_last, why), "log: %s", log_last);
	CFRelease(d);
}

START_TEST(bad_properties)
{
	CFMutableDictionaryRef d;
	CFMutableArrayRef planes = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);

	ck_assert_ptr_null(IOSurfaceCreate(NULL));
	refused(props(0, 10, 4, 0), "required");
	d = props(10, 10, 4, 0);
	CFDictionarySetValue(d, kIOSurfaceWidth, CFSTR("ten"));
	refused(d, "IOSurfaceWidth must be an integer");
	refused(props(-5, 10, 4, 0), "IOSurfaceWidth must be an integer");
	refused(props(10, 10, 0, 0), "must not be 0");
	d = props(100, 10, 4, 0);
	set_num(d, kIOSurfaceBytesPerRow, 399);
	refused(d, "less than a row");
	d = props(100, 10, 4, 0);
	set_num(d, kIOSurfaceAllocSize, 100);
	refused(d, "needs");
	refused(props(1000000, 10, 4, 0), "IOSurfaceWidth must be an integer");
	d = props(32768, 32768, 64, 0);
	refused(d, "limit");
	d = props(10, 10, 1, 0);
	CFDictionarySetValue(d, kIOSurfacePlaneInfo, planes);
	refused(d, "kIOSurfacePlaneInfo must be an array");
	d = props(10, 10, 1, 0);
	CFArrayAppendValue(planes, CFSTR("plane"));
	CFDictionarySetValue(d, kIOSurfacePlaneInfo, planes);
	refused(d, "must be a dictionary");
	CFRelease(planes);
	ck_assert_int_eq(surface_fds(), 0);
}
END_TEST

START_TEST(overlapping_planes)
{
	CFMutableDictionaryRef d = props(64, 64, 1, FMT_420V);
	CFMutableDictionaryRef y = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);
	CFMutableArrayRef planes = CFArrayCreateMutable(NULL, 2, &kCFTypeArrayCallBacks);

	set_num(y, kIOSurfacePlaneWidth, 64);
	set_num(y, kIOSurfacePlaneHeight, 64);
	set_num(y, kIOSurfacePlaneOffset, 0);
	CFArrayAppendValue(planes, y);
	CFArrayAppendValue(planes, y);
	CFDictionarySetValue(d, kIOSurfacePlaneInfo, planes);
	refused(d, "overlap");
	CFRelease(planes);
	CFRelease(y);
}
END_TEST

START_TEST(round_trip_and_pixels)
{
	IOSurfaceRef s = create(1280, 720, 4, FMT_BGRA);
	uint32_t *px = IOSurfaceGetBaseAddress(s);
	struct peer p;
	struct peer_rcv rep;
	int32_t *id;

	px[0] = 0x11223344;
	px[1280 * 720 - 1] = 0x55667788;
	peer_start(&p);
	give(&p, s, false, &rep);
	id = rep.msg.ids;
	ck_assert_int_eq(id[SP_DESC_WIDTH], 1280);
	ck_assert_int_eq(id[SP_DESC_HEIGHT], 720);
	ck_assert_int_eq(id[SP_DESC_BPR], 5120);
	ck_assert_int_eq(id[SP_DESC_BPE], 4);
	ck_assert_int_eq(id[SP_DESC_EW], 1);
	ck_assert_int_eq(id[SP_DESC_EH], 1);
	ck_assert_int_eq(id[SP_DESC_FORMAT], FMT_BGRA);
	ck_assert_int_eq(id[SP_DESC_ALLOC], 5120 * 720);
	ck_assert_int_eq(id[SP_DESC_PLANES], 0);
	ck_assert_uint_eq((uint32_t)id[SP_DESC_ID], IOSurfaceGetID(s));
	ck_assert_int_eq(id[SP_DESC_READ_ONLY], 0);
	cmd(&p, SP_PEEK, 0, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], 0x11223344);
	cmd(&p, SP_PEEK, (1280 * 720 - 1) * 4, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], 0x55667788);
	cmd(&p, SP_POKE, 4, 0xcafe, &rep);
	ck_assert_uint_eq(px[1], 0xcafe);
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(planes_round_trip)
{
	CFMutableDictionaryRef d = props(100, 10, 1, FMT_420V);
	IOSurfaceRef s = IOSurfaceCreate(d);
	struct peer p;
	struct peer_rcv rep;

	CFRelease(d);
	peer_start(&p);
	give(&p, s, false, &rep);
	ck_assert_int_eq(rep.msg.ids[SP_DESC_PLANES], 2);
	ck_assert_int_eq(rep.msg.ids[SP_DESC_P1_WIDTH], 50);
	ck_assert_int_eq(rep.msg.ids[SP_DESC_P1_BPR], 128);
	ck_assert_int_eq(rep.msg.ids[SP_DESC_P1_OFFSET],
			 (char *)IOSurfaceGetBaseAddressOfPlane(s, 1) - (char *)IOSurfaceGetBaseAddress(s));
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(seed_and_lock)
{
	IOSurfaceRef s = create(64, 64, 4, FMT_BGRA);
	uint32_t seed0 = IOSurfaceGetSeed(s), seed;
	struct peer p;
	struct peer_rcv rep;

	/* Read-only locks never change the seed. */
	ck_assert_int_eq(IOSurfaceLock(s, kIOSurfaceLockReadOnly, &seed), kIOReturnSuccess);
	ck_assert_uint_eq(seed, seed0);
	ck_assert_int_eq(IOSurfaceUnlock(s, kIOSurfaceLockReadOnly, &seed), kIOReturnSuccess);
	ck_assert_uint_eq(IOSurfaceGetSeed(s), seed0);
	/* Unlocking what was not locked, or with other options, is refused. */
	ck_assert_int_eq(IOSurfaceUnlock(s, 0, NULL), kIOReturnBadArgument);
	ck_assert_int_eq(IOSurfaceLock(s, 0x80, NULL), kIOReturnBadArgument);
	peer_start(&p);
	give(&p, s, false, &rep);
	/* The peer's write unlock changes the seed here. */
	cmd(&p, SP_LOCKED_WRITE, kIOSurfaceLockAvoidSync, 0xabcd, &rep);
	ck_assert_int_eq(rep.msg.ids[0], kIOReturnSuccess);
	ck_assert_int_eq(rep.msg.ids[1], kIOReturnSuccess);
	ck_assert_uint_ne(IOSurfaceGetSeed(s), seed0);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[2], IOSurfaceGetSeed(s));
	ck_assert_uint_eq(*(uint32_t *)IOSurfaceGetBaseAddress(s), 0xabcd);
	seed0 = IOSurfaceGetSeed(s);
	cmd(&p, SP_LOCKED_WRITE, kIOSurfaceLockReadOnly, 0, &rep);
	ck_assert_uint_eq(IOSurfaceGetSeed(s), seed0);
	/* Our write unlock changes the peer's. */
	ck_assert_int_eq(IOSurfaceLock(s, 0, NULL), kIOReturnSuccess);
	ck_assert_int_eq(IOSurfaceUnlock(s, 0, &seed), kIOReturnSuccess);
	ck_assert_uint_ne(seed, seed0);
	cmd(&p, SP_SEED, 0, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], seed);
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(use_counts)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	struct peer p;
	struct peer_rcv rep;

	ck_assert(!IOSurfaceIsInUse(s));
	peer_start(&p);
	give(&p, s, false, &rep);
	cmd(&p, SP_USE, 1, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 1);
	ck_assert(IOSurfaceIsInUse(s));
	ck_assert_int_eq(IOSurfaceGetUseCount(s), 0);
	IOSurfaceIncrementUseCount(s);
	IOSurfaceIncrementUseCount(s);
	ck_assert_int_eq(IOSurfaceGetUseCount(s), 2);
	cmd(&p, SP_USE, 2, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 1);    /* ours still counts */
	IOSurfaceDecrementUseCount(s);
	IOSurfaceDecrementUseCount(s);
	IOSurfaceDecrementUseCount(s);          /* below zero: ignored */
	ck_assert(!IOSurfaceIsInUse(s));
	cmd(&p, SP_USE, 0, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0);
	/* A process that lets go drops its share. */
	cmd(&p, SP_USE, 1, 0, &rep);
	ck_assert(IOSurfaceIsInUse(s));
	cmd(&p, SP_RELEASE, 0, 0, &rep);
	ck_assert(!IOSurfaceIsInUse(s));
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(attached_values)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	int32_t n = 42;
	CFNumberRef num = CFNumberCreate(NULL, kCFNumberSInt32Type, &n);
	struct peer p;
	struct peer_rcv rep;
	CFTypeRef v;

	IOSurfaceSetValue(s, CFSTR("count"), num);
	IOSurfaceSetValue(s, CFSTR("label"), CFSTR("frame"));
	IOSurfaceSetValue(s, CFSTR("flag"), kCFBooleanTrue);
	CFRelease(num);
	v = IOSurfaceCopyValue(s, CFSTR("label"));
	ck_assert(CFEqual(v, CFSTR("frame")));
	CFRelease(v);
	ck_assert_ptr_eq(IOSurfaceCopyValue(s, CFSTR("flag")), kCFBooleanTrue);
	peer_start(&p);
	give(&p, s, false, &rep);
	ck_assert_int_eq(rep.msg.ids[SP_DESC_VALUE], 42);      /* set before it looked up */
	cmd(&p, SP_SET_VALUE, 7, 0, &rep);
	v = IOSurfaceCopyValue(s, CFSTR("peer"));
	ck_assert_ptr_nonnull(v);
	ck_assert(CFNumberGetValue(v, kCFNumberSInt32Type, &n));
	ck_assert_int_eq(n, 7);
	CFRelease(v);
	IOSurfaceRemoveValue(s, CFSTR("count"));
	cmd(&p, SP_GET_VALUE, 0, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0);
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(values_bounded)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	char big[5000];
	CFStringRef str;
	int before = log_lines;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	str = CFStringCreateWithCString(NULL, big, kCFStringEncodingUTF8);
	IOSurfaceSetValue(s, CFSTR("big"), str);
	ck_assert_int_eq(log_lines, before + 1);
	ck_assert_ptr_null(IOSurfaceCopyValue(s, CFSTR("big")));
	CFRelease(str);
	CFRelease(s);
}
END_TEST

START_TEST(lookup_by_id)
{
	IOSurfaceRef s = create(32, 32, 4, 0), again;
	struct peer p;
	struct peer_msg req;
	struct peer_rcv rep;

	again = IOSurfaceLookup(IOSurfaceGetID(s));
	ck_assert_ptr_eq(again, s);             /* one object per surface per process */
	CFRelease(again);
	ck_assert_ptr_null(IOSurfaceLookup(IOSurfaceGetID(s) ^ 0x1));
	((uint32_t *)IOSurfaceGetBaseAddress(s))[3] = 0x5eed;
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_ID, MACH_PORT_NULL, 0);
	req.arg[0] = IOSurfaceGetID(s);
	req.arg[2] = (uint32_t)IOSurfaceGetFd(s);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 1);
	cmd(&p, SP_PEEK, 12, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], 0x5eed);
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(read_only_port)
{
	IOSurfaceRef s = create(64, 64, 4, FMT_BGRA);
	uint32_t *px = IOSurfaceGetBaseAddress(s);
	struct peer p;
	struct peer_rcv rep;

	peer_start(&p);
	give(&p, s, true, &rep);
	ck_assert_int_eq(rep.msg.ids[SP_DESC_READ_ONLY], 1);
	cmd(&p, SP_TRY_WRITE, 0, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0);    /* no way to write worked */
	cmd(&p, SP_LOCKED_WRITE, 0, 1, &rep);
	ck_assert_int_eq(rep.msg.ids[0], kIOReturnNotWritable);
	/* The creator keeps writing, and the reader sees it. */
	ck_assert_int_eq(IOSurfaceLock(s, 0, NULL), kIOReturnSuccess);
	px[5] = 0xfeed;
	ck_assert_int_eq(IOSurfaceUnlock(s, 0, NULL), kIOReturnSuccess);
	cmd(&p, SP_PEEK, 20, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], 0xfeed);
	cmd(&p, SP_SEED, 0, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], IOSurfaceGetSeed(s));
	stop(&p);
	CFRelease(s);
}
END_TEST

START_TEST(freed_when_both_let_go)
{
	IOSurfaceRef s = create(1280, 720, 4, FMT_BGRA);
	struct peer p;
	struct peer_rcv rep;

	peer_start(&p);
	give(&p, s, false, &rep);
	ck_assert_int_eq(surface_fds(), 1);
	ck_assert_int_ge(surface_maps(), 1);
	CFRelease(s);
	ck_assert_int_eq(surface_fds(), 0);
	ck_assert_int_eq(surface_maps(), 0);
	cmd(&p, SP_PEEK, 0, 0, &rep);           /* the peer still has the pages */
	cmd(&p, SP_RELEASE, 0, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0);
	ck_assert_int_eq(rep.msg.ids[1], 0);
	stop(&p);
}
END_TEST

START_TEST(linux_fd_and_dmabuf)
{
	IOSurfaceRef s = create(64, 64, 4, FMT_BGRA);
	int fd = IOSurfaceGetFd(s), dmabuf, err;
	uint32_t word = 0;

	ck_assert_int_ge(fd, 0);
	((uint32_t *)IOSurfaceGetBaseAddress(s))[0] = 0x7777;
	ck_assert_int_eq(pread(fd, &word, 4, 0), 4);    /* pixels at offset 0 */
	ck_assert_uint_eq(word, 0x7777);
	dmabuf = IOSurfaceCreateDmaBuf(s);
	err = errno;
	if (access("/dev/udmabuf", F_OK) != 0) {
		ck_assert_int_eq(dmabuf, -1);
		ck_assert_int_eq(err, ENODEV);
	} else if (dmabuf >= 0) {
		close(dmabuf);
	}
	errno = 0;
	ck_assert_int_eq(IOSurfaceGetFd(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	CFRelease(s);
}
END_TEST

/* Overwrite @len bytes at @off of @s's shared header, through its memfd. */
static void scribble_header(IOSurfaceRef s, size_t off, const void *bytes, size_t len)
{
	struct stat st;
	int fd = IOSurfaceGetFd(s);

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(pwrite(fd, bytes, len, st.st_size - (off_t)surface_shared_size() + (off_t)off),
			 (ssize_t)len);
}

START_TEST(hostile_ports_refused)
{
	IOSurfaceRef s = create(64, 64, 4, FMT_BGRA);
	memory_object_size_t size = 2 * vm_page_size;
	mach_port_t entry, plain;
	uint64_t huge = 1ull << 40;
	struct peer p;
	struct peer_msg req;
	struct peer_rcv rep;
	int before;

	/* A memory entry that is not a surface, and a port that is no memory entry. */
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
		VM_PROT_READ | VM_PROT_WRITE | MAP_MEM_NAMED_CREATE, &entry, MACH_PORT_NULL), KERN_SUCCESS);
	before = log_lines;
	ck_assert_ptr_null(IOSurfaceLookupFromMachPort(entry));
	ck_assert_int_eq(log_lines, before + 1);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), entry), KERN_SUCCESS);
	/* A window of part of a surface carries no surface. */
	entry = IOSurfaceCreateMachPort(s);
	size = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
		VM_PROT_READ | VM_PROT_WRITE, &plain, entry), KERN_SUCCESS);
	ck_assert_ptr_null(IOSurfaceLookupFromMachPort(plain));
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), plain), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), entry), KERN_SUCCESS);
	plain = peer_port();
	ck_assert_ptr_null(IOSurfaceLookupFromMachPort(plain));
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), plain), KERN_SUCCESS);
	/* A peer that wrote an impossible layout into the header: the receiver refuses it. */
	scribble_header(s, offsetof(struct surface_shared, desc.height), &huge, sizeof(huge));
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_PORT,
		      IOSurfaceCreateMachPort(s), MACH_MSG_TYPE_MOVE_SEND);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 0);
	stop(&p);
	/* Our own copy of the layout never changed. */
	ck_assert_uint_eq(IOSurfaceGetHeight(s), 64);
	CFRelease(s);
}
END_TEST

START_TEST(garbled_values)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	uint8_t junk[64];
	uint32_t len = 64;
	int32_t n = 5;
	CFNumberRef num = CFNumberCreate(NULL, kCFNumberSInt32Type, &n);
	CFTypeRef v;

	memset(junk, 'd', sizeof(junk));       /* nested dictionaries past the depth limit */
	scribble_header(s, offsetof(struct surface_shared, values), junk, sizeof(junk));
	scribble_header(s, offsetof(struct surface_shared, values_len), &len, sizeof(len));
	ck_assert_ptr_null(IOSurfaceCopyValue(s, CFSTR("count")));
	ck_assert_ptr_null(IOSurfaceCopyAllValues(s));
	len = 1u << 30;                         /* beyond the area */
	scribble_header(s, offsetof(struct surface_shared, values_len), &len, sizeof(len));
	v = IOSurfaceCopyAllValues(s);
	ck_assert_int_eq(CFDictionaryGetCount(v), 0);
	CFRelease(v);
	IOSurfaceSetValue(s, CFSTR("count"), num);      /* starts again */
	v = IOSurfaceCopyValue(s, CFSTR("count"));
	ck_assert(CFEqual(v, num));
	CFRelease(v);
	CFRelease(num);
	CFRelease(s);
}
END_TEST

START_TEST(values_lock_held_by_live_peer)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	int32_t init = 1;
	int before = log_lines;

	/* A live process (init) "holds" the lock: SetValue gives up and says so. */
	scribble_header(s, offsetof(struct surface_shared, values_owner), &init, sizeof(init));
	IOSurfaceSetValue(s, CFSTR("x"), kCFBooleanTrue);
	ck_assert_int_eq(log_lines, before + 1);
	ck_assert_msg(strstr(log_last, "values lock"), "%s", log_last);
	CFRelease(s);
}
END_TEST

START_TEST(stale_registry_entries)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	IOSurfaceID id = IOSurfaceGetID(s) ^ 0x40000000u;
	char path[4096];
	struct stat st;

	/* An entry of a process that is gone, and one naming a file that is no surface. */
	snprintf(path, sizeof(path), "%s/iosurface/%u.%d.%d", runtime_dir, id, 0x3ffffff0, 3);
	ck_assert_int_eq(symlink("x", path), 0);
	ck_assert_ptr_null(IOSurfaceLookup(id));
	ck_assert_int_ne(lstat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/iosurface/%u.%d.%d", runtime_dir, id, (int)getpid(), 0);
	ck_assert_int_eq(symlink("x", path), 0);
	ck_assert_ptr_null(IOSurfaceLookup(id));
	ck_assert_int_ne(lstat(path, &st), 0);
	CFRelease(s);
}
END_TEST

START_TEST(registry_closed_to_others)
{
	char path[4096];

	/* A registry that others may write is not used: lookups fail, creation works. */
	snprintf(path, sizeof(path), "%s/iosurface", runtime_dir);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	ck_assert_int_eq(chmod(path, 0777), 0);
	{
		IOSurfaceRef s = create(16, 16, 4, 0);

		ck_assert_ptr_eq(IOSurfaceLookup(IOSurfaceGetID(s)), s);       /* in-process table */
		CFRelease(s);
		CFRelease(s);
		ck_assert_ptr_null(IOSurfaceLookup(12345));
		ck_assert_msg(strstr(log_last, "registry"), "%s", log_last);
	}
}
END_TEST

START_TEST(forked_child_keeps_parent_entry)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	struct peer p;
	struct peer_msg req;
	struct peer_rcv rep;
	pid_t pid;
	int status;

	IOSurfaceIncrementUseCount(s);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		CFRelease(s);   /* the child's copy: neither the entry nor the use count */
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(IOSurfaceIsInUse(s));
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_ID, MACH_PORT_NULL, 0);
	req.arg[0] = IOSurfaceGetID(s);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 1);
	cmd(&p, SP_USE, 0, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 1);
	stop(&p);
	CFRelease(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("iosurface");
	TCase *tc = tcase_create("iosurface");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, layout_bgra);
	tcase_add_test(tc, layout_nv12_plane_info);
	tcase_add_test(tc, bad_properties);
	tcase_add_test(tc, overlapping_planes);
	tcase_add_test(tc, round_trip_and_pixels);
	tcase_add_test(tc, planes_round_trip);
	tcase_add_test(tc, seed_and_lock);
	tcase_add_test(tc, use_counts);
	tcase_add_test(tc, attached_values);
	tcase_add_test(tc, values_bounded);
	tcase_add_test(tc, lookup_by_id);
	tcase_add_test(tc, read_only_port);
	tcase_add_test(tc, freed_when_both_let_go);
	tcase_add_test(tc, linux_fd_and_dmabuf);
	tcase_add_test(tc, hostile_ports_refused);
	tcase_add_test(tc, garbled_values);
	tcase_add_test(tc, values_lock_held_by_live_peer);
	tcase_add_test(tc, stale_registry_entries);
	tcase_add_test(tc, registry_closed_to_others);
	tcase_add_test(tc, forked_child_keeps_parent_entry);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
