/* SPDX-License-Identifier: MIT */
/*
 * check-iosurface-user - IOSurfaceLookup() is refused to another user, by
 * the kernel: a peer that became uid 65534 finds nothing by ID and cannot
 * open the creator's memfd through /proc either.  Needs root to change
 * uid; exits 77 (skipped) otherwise.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <IOSurface/IOSurfaceLinux.h>

#include "helpers/peer.h"
#include "helpers/surface-peer.h"
#include "helpers/tmpdir.h"

#define NOBODY 65534

START_TEST(lookup_refused_to_other_user)
{
	char *dir = tmpdir_new("iosurface-user");
	CFMutableDictionaryRef d;
	IOSurfaceRef s;
	struct peer p;
	struct peer_msg req;
	struct peer_rcv rep;
	long w = 16;
	CFNumberRef n = CFNumberCreate(NULL, kCFNumberLongType, &w);

	setenv("XDG_RUNTIME_DIR", dir, 1);
	setenv("PORT_PEER", getenv("SURFACE_PEER"), 1);
	d = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
				      &kCFTypeDictionaryValueCallBacks);
	CFDictionarySetValue(d, kIOSurfaceWidth, n);
	CFDictionarySetValue(d, kIOSurfaceHeight, n);
	s = IOSurfaceCreate(d);
	ck_assert_ptr_nonnull(s);
	/* The same lookup as the same user works (the control). */
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_ID, MACH_PORT_NULL, 0);
	req.arg[0] = IOSurfaceGetID(s);
	req.arg[2] = (uint32_t)IOSurfaceGetFd(s);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 1);
	ck_assert_int_eq(peer_exit(&p, 0), 0);
	peer_forget(&p);
	/* As nobody: refused, and the kernel refuses the memfd itself. */
	peer_start(&p);
	req.arg[1] = NOBODY;
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_ID, MACH_PORT_NULL, 0);
	req.arg[0] = IOSurfaceGetID(s);
	req.arg[1] = NOBODY;
	req.arg[2] = (uint32_t)IOSurfaceGetFd(s);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[1], 0);   /* it did become nobody */
	ck_assert_uint_eq(rep.msg.arg[0], 0);
	ck_assert_int_eq(rep.msg.ids[0], EACCES);
	ck_assert_int_eq(peer_exit(&p, 0), 0);
	peer_forget(&p);
	CFRelease(s);
	CFRelease(d);
	CFRelease(n);
	tmpdir_remove(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("iosurface-user");
	TCase *tc = tcase_create("iosurface-user");
	SRunner *r;
	int failed;

	if (geteuid() != 0)
		return 77;
	tcase_add_test(tc, lookup_refused_to_other_user);
	suite_add_tcase(s, tc);
	r = srunner_create(s);
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
