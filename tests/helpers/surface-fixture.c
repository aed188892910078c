/* SPDX-License-Identifier: MIT */
/*
 * surface-fixture.c - what the IOSurface suites share: a private registry
 * directory and log capture per test, property dictionaries, counts of
 * surface memfds, and giving a surface to surface-peer.
 */
#include "helpers/surface-fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/surface-peer.h"
#include "helpers/tmpdir.h"
#include "iosurface/surface.h"

char *runtime_dir;
int log_lines;
char log_last[512];

static void log_fn(void *ctx, const char *msg)
{
	(void)ctx;
	log_lines++;
	snprintf(log_last, sizeof(log_last), "%s", msg);
}

void surface_setup(void)
{
	runtime_dir = tmpdir_new("iosurface");
	setenv("XDG_RUNTIME_DIR", runtime_dir, 1);
	setenv("PORT_PEER", getenv("SURFACE_PEER"), 1);
	IOSurfaceSetLogFunction(log_fn, NULL);
	log_lines = 0;
	peer_fd_mark(false);
}

void surface_teardown(void)
{
	peer_fd_check();
	tmpdir_remove(runtime_dir);
}

void set_num(CFMutableDictionaryRef d, CFStringRef key, long long v)
{
	CFNumberRef n = CFNumberCreate(NULL, kCFNumberLongLongType, &v);

	CFDictionarySetValue(d, key, n);
	CFRelease(n);
}

CFMutableDictionaryRef props(long w, long h, long bpe, uint32_t fmt)
{
	CFMutableDictionaryRef d = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);

	set_num(d, kIOSurfaceWidth, w);
	set_num(d, kIOSurfaceHeight, h);
	set_num(d, kIOSurfaceBytesPerElement, bpe);
	set_num(d, kIOSurfacePixelFormat, fmt);
	return d;
}

IOSurfaceRef create(long w, long h, long bpe, uint32_t fmt)
{
	CFMutableDictionaryRef d = props(w, h, bpe, fmt);
	IOSurfaceRef s = IOSurfaceCreate(d);

	CFRelease(d);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* Entries of /proc/self/fd (fds) or lines of /proc/self/maps naming a surface memfd. */
int surface_fds(void)
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

int surface_maps(void)
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
void give(struct peer *p, IOSurfaceRef s, bool read_only, struct peer_rcv *rep)
{
	mach_port_t port = read_only ? IOSurfaceCreateMachPortReadOnly(s) : IOSurfaceCreateMachPort(s);
	struct peer_msg req;

	ck_assert(MACH_PORT_VALID(port));
	peer_msg_init(&req, p->ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_PORT, port,
		      MACH_MSG_TYPE_MOVE_SEND);
	peer_call(p, &req, rep);
	ck_assert_uint_eq(rep->msg.arg[0], 1);
}

void cmd(struct peer *p, enum surface_peer_cmd c, uint32_t a0, uint32_t a1,
		struct peer_rcv *rep)
{
	peer_cmd(p, (enum peer_cmd)c, a0, a1, rep);
}

void stop(struct peer *p)
{
	ck_assert_int_eq(peer_exit(p, 0), 0);
	peer_forget(p);
}

/* Overwrite @len bytes at @off of @s's shared header, through its memfd. */
void scribble_header(IOSurfaceRef s, size_t off, const void *bytes, size_t len)
{
	struct stat st;
	int fd = IOSurfaceGetFd(s);

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(pwrite(fd, bytes, len, st.st_size - (off_t)surface_shared_size() + (off_t)off),
			 (ssize_t)len);
}

void refused(CFDictionaryRef d, const char *why)
{
	int before = log_lines;

	ck_assert_ptr_null(IOSurfaceCreate(d));
	ck_assert_int_eq(log_lines, before + 1);
	ck_assert_msg(strstr(log_last, why), "log: %s", log_last);
	CFRelease(d);
}
