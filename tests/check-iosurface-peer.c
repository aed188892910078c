/* SPDX-License-Identifier: MIT */
/*
 * check-iosurface-peer - IOSurface across processes (surface-peer is
 * exec'd): the layout's round trip through a port, pixels seen on both
 * sides, seed and lock semantics, use counts, attached values, lookup by
 * ID, read-only ports the kernel enforces, hostile ports and headers, and
 * surfaces freed (no fd, no mapping) once both sides let go.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/surface-fixture.h"
#include "iosurface/surface.h"

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
	/* A process that ends with its use count above zero drops its share too. */
	give(&p, s, false, &rep);
	cmd(&p, SP_USE, 1, 0, &rep);
	ck_assert(IOSurfaceIsInUse(s));
	stop(&p);
	ck_assert(!IOSurfaceIsInUse(s));
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

/*
 * A surface's ID is in its memory, written by whoever made it: a port
 * whose surface claims another's ID (the peer has it from the registry)
 * is refused, and IOSurfaceLookup() of that ID still finds the real one.
 * The impostor used to be taken, found in its place, and published.
 */
START_TEST(impostor_id_refused)
{
	IOSurfaceRef real = create(32, 32, 4, 0), impostor = create(32, 32, 4, 0);
	IOSurfaceID id = IOSurfaceGetID(real);
	struct peer p;
	struct peer_msg req;
	struct peer_rcv rep;

	((uint32_t *)IOSurfaceGetBaseAddress(real))[0] = 0x7ea1;
	((uint32_t *)IOSurfaceGetBaseAddress(impostor))[0] = 0xbad;
	scribble_header(impostor, offsetof(struct surface_shared, id), &id, sizeof(id));
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_PORT,
		      IOSurfaceCreateMachPort(impostor), MACH_MSG_TYPE_MOVE_SEND);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 0);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_ID, MACH_PORT_NULL, 0);
	req.arg[0] = id;
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 1);
	cmd(&p, SP_PEEK, 0, 0, &rep);
	ck_assert_uint_eq((uint32_t)rep.msg.ids[0], 0x7ea1);
	stop(&p);
	CFRelease(impostor);
	CFRelease(real);
}
END_TEST

/*
 * A stale registry entry for a surface's ID, whose fd is another file now
 * (its process exec'd, or the number was reused), is no other surface's
 * claim: the real surface, passed in a port, is taken.  It used to be
 * refused as an impostor.
 */
START_TEST(stale_entry_is_no_claim)
{
	IOSurfaceRef s = create(16, 16, 4, 0);
	int other = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char stale[4096], target[64];
	struct peer p;
	struct peer_msg req;
	struct peer_rcv rep;

	ck_assert_int_ge(other, 0);
	snprintf(stale, sizeof(stale), "%s/iosurface/%u.%d.%d", runtime_dir, IOSurfaceGetID(s),
		 (int)getpid(), other);
	snprintf(target, sizeof(target), "/proc/%d/fd/%d", (int)getpid(), other);
	ck_assert_int_eq(symlink(target, stale), 0);
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, SP_LOOKUP_PORT,
		      IOSurfaceCreateMachPort(s), MACH_MSG_TYPE_MOVE_SEND);
	peer_call(&p, &req, &rep);
	ck_assert_uint_eq(rep.msg.arg[0], 1);
	stop(&p);
	unlink(stale);
	close(other);
	CFRelease(s);
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
	Suite *s = suite_create("iosurface-peer");
	TCase *tc = tcase_create("iosurface-peer");

	tcase_add_checked_fixture(tc, surface_setup, surface_teardown);
	tcase_add_test(tc, round_trip_and_pixels);
	tcase_add_test(tc, planes_round_trip);
	tcase_add_test(tc, seed_and_lock);
	tcase_add_test(tc, use_counts);
	tcase_add_test(tc, attached_values);
	tcase_add_test(tc, lookup_by_id);
	tcase_add_test(tc, read_only_port);
	tcase_add_test(tc, freed_when_both_let_go);
	tcase_add_test(tc, hostile_ports_refused);
	tcase_add_test(tc, impostor_id_refused);
	tcase_add_test(tc, stale_entry_is_no_claim);
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
