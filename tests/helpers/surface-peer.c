/* SPDX-License-Identifier: MIT */
/*
 * surface-peer - the other process of the IOSurface tests: it looks up
 * surfaces by port or by ID and reads, writes, locks and counts them on
 * command (helpers/surface-peer.h), so that the tests see what another
 * process sees.
 *
 *   surface-peer FD
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <IOSurface/IOSurfaceLinux.h>

#include "helpers/peer.h"
#include "helpers/surface-peer.h"
#include "port.h"

static IOSurfaceRef surface;

static void die(const char *what)
{
	fprintf(stderr, "surface-peer: %s\n", what);
	exit(2);
}

static void init_msg(struct peer_msg *m, mach_port_t dest, mach_msg_type_name_t disp,
		     mach_msg_id_t id)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(disp, 0) | MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = id;
	m->body.msgh_descriptor_count = 1;
	m->port.type = MACH_MSG_PORT_DESCRIPTOR;
}

static void describe(struct peer_msg *rep)
{
	CFTypeRef v = IOSurfaceCopyValue(surface, CFSTR("count"));
	int32_t n = -1;

	rep->ids[SP_DESC_WIDTH] = (int32_t)IOSurfaceGetWidth(surface);
	rep->ids[SP_DESC_HEIGHT] = (int32_t)IOSurfaceGetHeight(surface);
	rep->ids[SP_DESC_BPR] = (int32_t)IOSurfaceGetBytesPerRow(surface);
	rep->ids[SP_DESC_BPE] = (int32_t)IOSurfaceGetBytesPerElement(surface);
	rep->ids[SP_DESC_EW] = (int32_t)IOSurfaceGetElementWidth(surface);
	rep->ids[SP_DESC_EH] = (int32_t)IOSurfaceGetElementHeight(surface);
	rep->ids[SP_DESC_FORMAT] = (int32_t)IOSurfaceGetPixelFormat(surface);
	rep->ids[SP_DESC_ALLOC] = (int32_t)IOSurfaceGetAllocSize(surface);
	rep->ids[SP_DESC_PLANES] = (int32_t)IOSurfaceGetPlaneCount(surface);
	rep->ids[SP_DESC_ID] = (int32_t)IOSurfaceGetID(surface);
	rep->ids[SP_DESC_READ_ONLY] = IOSurfaceIsReadOnly(surface);
	rep->ids[SP_DESC_P1_WIDTH] = (int32_t)IOSurfaceGetWidthOfPlane(surface, 1);
	rep->ids[SP_DESC_P1_BPR] = (int32_t)IOSurfaceGetBytesPerRowOfPlane(surface, 1);
	rep->ids[SP_DESC_P1_OFFSET] = (int32_t)((char *)IOSurfaceGetBaseAddressOfPlane(surface, 1) -
						(char *)IOSurfaceGetBaseAddress(surface));
	if (v) {
		CFNumberGetValue(v, kCFNumberSInt32Type, &n);
		CFRelease(v);
	}
	rep->ids[SP_DESC_VALUE] = n;
}

/* As another user (when asked), look up @id; also try the creator's /proc fd directly. */
static void lookup_id(const struct peer_msg *req, struct peer_msg *rep)
{
	char path[64];
	int fd;

	rep->arg[1] = 0;
	if (req->arg[1] && (setgid(req->arg[1]) < 0 || setuid(req->arg[1]) < 0))
		rep->arg[1] = 1;
	surface = IOSurfaceLookup(req->arg[0]);
	rep->arg[0] = surface != NULL;
	snprintf(path, sizeof(path), "/proc/%d/fd/%u", (int)getppid(), req->arg[2]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	rep->ids[0] = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
}

/* Every way a holder of a read-only surface might write it. */
static int32_t try_write(void)
{
	void *base = IOSurfaceGetBaseAddress(surface);
	size_t len = IOSurfaceGetAllocSize(surface);
	int fd = IOSurfaceGetFd(surface), rw, won = 0;
	char path[64];
	void *m;

	if (mprotect(base, len, PROT_READ | PROT_WRITE) == 0)
		won |= 1;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED) {
		won |= 2;
		munmap(m, len);
	}
	if (pwrite(fd, "x", 1, 0) == 1)
		won |= 4;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rw = open(path, O_RDWR | O_CLOEXEC);
	if (rw >= 0) {
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
		if (m != MAP_FAILED || pwrite(rw, "x", 1, 0) == 1)
			won |= 8;
		if (m != MAP_FAILED)
			munmap(m, len);
		close(rw);
	}
	rw = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (rw >= 0) {
		if (pwrite(rw, "x", 1, (off_t)(uintptr_t)base) == 1)
			won |= 16;
		close(rw);
	}
	return won;
}

static int count_lines(const char *path, const char *what)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

static int count_fds(const char *what)
{
	char link[64], target[256];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		n += strstr(target, what) != NULL;
	}
	return n;
}

static void values(const struct peer_msg *req, struct peer_msg *rep, bool set)
{
	CFTypeRef v;
	int32_t n = (int32_t)req->arg[0];

	if (set) {
		CFNumberRef num = CFNumberCreate(NULL, kCFNumberSInt32Type, &n);

		IOSurfaceSetValue(surface, CFSTR("peer"), num);
		CFRelease(num);
		return;
	}
	v = IOSurfaceCopyValue(surface, CFSTR("count"));
	rep->ids[0] = v != NULL;
	if (v) {
		CFNumberGetValue(v, kCFNumberSInt32Type, &rep->ids[1]);
		CFRelease(v);
	}
}

/* The commands on the pixels: peek, poke, a write under a lock. */
static void pixels(const struct peer_msg *req, struct peer_msg *rep)
{
	volatile uint32_t *base = IOSurfaceGetBaseAddress(surface);

	switch (req->head.msgh_id) {
	case SP_PEEK:
		rep->ids[0] = (int32_t)base[req->arg[0] / 4];
		break;
	case SP_POKE:
		base[req->arg[0] / 4] = req->arg[1];
		break;
	default:
		rep->ids[0] = IOSurfaceLock(surface, req->arg[0], NULL);
		if (!(req->arg[0] & kIOSurfaceLockReadOnly) && rep->ids[0] == kIOReturnSuccess)
			base[0] = req->arg[1];
		rep->ids[1] = IOSurfaceUnlock(surface, req->arg[0], (uint32_t *)&rep->ids[2]);
	}
}

static void serve(const struct peer_msg *req, struct peer_msg *rep)
{
	switch (req->head.msgh_id) {
	case SP_LOOKUP_PORT:
		surface = IOSurfaceLookupFromMachPort(req->port.name);
		mach_port_deallocate(mach_task_self(), req->port.name);
		rep->arg[0] = surface != NULL;
		if (surface)
			describe(rep);
		break;
	case SP_LOOKUP_ID:
		lookup_id(req, rep);
		break;
	case SP_PEEK:
	case SP_POKE:
	case SP_LOCKED_WRITE:
		pixels(req, rep);
		break;
	case SP_SEED:
		rep->ids[0] = (int32_t)IOSurfaceGetSeed(surface);
		break;
	case SP_USE:
		if (req->arg[0] == 1)
			IOSurfaceIncrementUseCount(surface);
		else if (req->arg[0] == 2)
			IOSurfaceDecrementUseCount(surface);
		rep->ids[0] = IOSurfaceIsInUse(surface);
		break;
	case SP_GET_VALUE:
	case SP_SET_VALUE:
		values(req, rep, req->head.msgh_id == SP_SET_VALUE);
		break;
	case SP_TRY_WRITE:
		rep->ids[0] = try_write();
		break;
	case SP_RELEASE:
		CFRelease(surface);
		surface = NULL;
		rep->ids[0] = count_fds("memfd:IOSurface");
		rep->ids[1] = count_lines("/proc/self/maps", "memfd:IOSurface");
		break;
	case PEER_EXIT:
		exit((int)req->arg[0]);
	default:
		die("unknown command");
	}
}

int main(int argc, char **argv)
{
	mach_port_t home, ctl;
	struct peer_msg hello;

	if (argc != 2)
		die("usage: surface-peer FD");
	home = port_name_send_fd(atoi(argv[1]));
	if (!MACH_PORT_VALID(home) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &ctl) != KERN_SUCCESS)
		die("setup");
	init_msg(&hello, home, MACH_MSG_TYPE_COPY_SEND, PEER_HELLO);
	hello.head.msgh_bits |= MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND);
	hello.head.msgh_local_port = ctl;
	hello.arg[0] = (uint32_t)getpid();
	if (mach_msg(&hello.head, MACH_SEND_MSG, sizeof(hello), 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		die("hello");
	for (;;) {
		struct peer_rcv r;
		struct peer_msg rep;

		memset(&r, 0, sizeof(r));
		if (mach_msg(&r.msg.head, MACH_RCV_MSG, 0, sizeof(r), ctl, MACH_MSG_TIMEOUT_NONE,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			die("receive");
		init_msg(&rep, r.msg.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
			 r.msg.head.msgh_id + 100);
		serve(&r.msg, &rep);
		if (mach_msg(&rep.head, MACH_SEND_MSG, sizeof(rep), 0, MACH_PORT_NULL,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			die("reply");
	}
}
