/* SPDX-License-Identifier: MIT */
/*
 * check-iosurface - IOSurface in one process: the layout from the
 * properties (row alignment, planes, NV12), bad properties refused with
 * one log line, attached values bounded and garbled ones survived, the
 * per-user registry's stale and unsafe entries, the Linux extensions.
 */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/surface-fixture.h"
#include "iosurface/surface.h"

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

START_TEST(nested_values)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	double pi = 3.25;
	long long big = 1ll << 40;
	CFNumberRef f = CFNumberCreate(NULL, kCFNumberDoubleType, &pi);
	CFNumberRef n = CFNumberCreate(NULL, kCFNumberLongLongType, &big);
	const void *items[] = { f, CFSTR("two"), kCFBooleanFalse };
	CFArrayRef a = CFArrayCreate(NULL, items, 3, &kCFTypeArrayCallBacks);
	const void *keys[] = { CFSTR("list"), CFSTR("big") };
	const void *vals[] = { a, n };
	CFDictionaryRef d = CFDictionaryCreate(NULL, keys, vals, 2, &kCFTypeDictionaryKeyCallBacks,
					       &kCFTypeDictionaryValueCallBacks);
	CFTypeRef back;

	IOSurfaceSetValue(s, CFSTR("meta"), d);
	back = IOSurfaceCopyValue(s, CFSTR("meta"));
	ck_assert_ptr_nonnull(back);
	ck_assert_ptr_ne(back, d);              /* a copy, decoded from the shared pages */
	ck_assert(CFEqual(back, d));
	ck_assert(CFNumberIsFloatType(CFArrayGetValueAtIndex(CFDictionaryGetValue(back, CFSTR("list")), 0)));
	CFRelease(back);
	/* Types outside the subset are refused, and logged. */
	IOSurfaceSetValue(s, CFSTR("self"), s);
	ck_assert_ptr_null(IOSurfaceCopyValue(s, CFSTR("self")));
	ck_assert_msg(strstr(log_last, "unsupported type"), "%s", log_last);
	CFRelease(d);
	CFRelease(a);
	CFRelease(n);
	CFRelease(f);
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
	/* One naming a surface with another ID (mapped here already). */
	snprintf(path, sizeof(path), "%s/iosurface/%u.%d.%d", runtime_dir, id, (int)getpid(),
		 IOSurfaceGetFd(s));
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

static Suite *suite(void)
{
	Suite *s = suite_create("iosurface");
	TCase *tc = tcase_create("iosurface");

	tcase_add_checked_fixture(tc, surface_setup, surface_teardown);
	tcase_add_test(tc, layout_bgra);
	tcase_add_test(tc, layout_nv12_plane_info);
	tcase_add_test(tc, bad_properties);
	tcase_add_test(tc, overlapping_planes);
	tcase_add_test(tc, nested_values);
	tcase_add_test(tc, values_bounded);
	tcase_add_test(tc, garbled_values);
	tcase_add_test(tc, values_lock_held_by_live_peer);
	tcase_add_test(tc, stale_registry_entries);
	tcase_add_test(tc, registry_closed_to_others);
	tcase_add_test(tc, linux_fd_and_dmabuf);
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
