/* SPDX-License-Identifier: MIT */
/*
 * check-vm-protect - protections that must hold: vm_protect() and the
 * maximum protection, and read-only memory entries against a hostile
 * receiver in another process, as the same user and as another one.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

#include "helpers/peer.h"
#include "helpers/vmcheck.h"

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

/*
 * A hostile receiver of a read-only entry, running as @uid (0: as we do):
 * whatever it tries, our pages keep their value, and our writes still
 * show through its read-only view.
 */
static void attacked_by_peer(uid_t uid)
{
	vm_size_t size = 2 * vm_page_size;
	volatile uint32_t *mem = (volatile uint32_t *)vmcheck_alloc(size);
	uint32_t last = (uint32_t)(size / sizeof(uint32_t) - 1);
	mach_port_t e;
	struct peer_msg req;
	struct peer_rcv rep;
	struct peer p;
	int ws;

	mem[0] = 0x1234;
	e = vmcheck_entry((vm_address_t)mem, size, VM_PROT_READ);
	peer_start(&p);
	peer_msg_init(&req, p.ctl, MACH_MSG_TYPE_COPY_SEND, PEER_ATTACK, e, MACH_MSG_TYPE_COPY_SEND);
	req.arg[0] = (uint32_t)size;
	req.arg[1] = (uint32_t)uid;
	peer_call(&p, &req, &rep);
	ck_assert_int_eq(rep.msg.ids[3], 0);                    /* it is @uid now */
	ck_assert_int_eq(rep.msg.arg[1], KERN_SUCCESS);         /* vm_map read-only */
	ck_assert_int_eq(rep.msg.ids[2], 0x1234);
	ck_assert_uint_ge(rep.msg.count, 1);                    /* it found the memfds... */
	ck_assert_int_eq(rep.msg.ids[0], 0);                    /* ...and wrote through none */
	if (uid != 0)
		ck_assert_int_eq(rep.msg.ids[1], 0);            /* nor could open them read-write */
	ck_assert_uint_eq(mem[0], 0x1234);
	ck_assert_int_eq(rep.msg.arg[0], KERN_INVALID_RIGHT);   /* vm_map read-write */
	ck_assert_int_eq(rep.msg.arg[2], KERN_PROTECTION_FAILURE); /* vm_protect read-write */
	/* Its view still mirrors our pages. */
	mem[1] = 0x5678;
	mem[last] = 0x9abc;
	peer_cmd(&p, PEER_PEEK, 1, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0x5678);
	peer_cmd(&p, PEER_PEEK, last, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0x9abc);
	ws = peer_exit(&p, 0);
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	peer_forget(&p);
	ck_assert_uint_eq(mem[0], 0x1234);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)mem, size), KERN_SUCCESS);
}

START_TEST(test_read_only_attacked)
{
	attacked_by_peer(0);
}
END_TEST

/* As another uid, the receiver cannot even open the memfd for writing. */
START_TEST(test_read_only_attacked_other_uid)
{
	attacked_by_peer(65534);
}
END_TEST

/* Private memory: the middle page's maximum becomes read-only. */
static void protect_private_max(vm_size_t size)
{
	vm_address_t mem = vmcheck_alloc(size);
	memory_object_size_t esize;
	mach_port_t e;

	ck_assert_int_eq(vm_protect(mach_task_self(), mem + vm_page_size, vm_page_size, TRUE,
				    VM_PROT_READ), KERN_SUCCESS);
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)(mem + vm_page_size)), SIGSEGV);
	ck_assert_int_eq(vm_protect(mach_task_self(), mem, size, FALSE, VM_PROT_DEFAULT),
			 KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(vm_protect(mach_task_self(), mem + vm_page_size, vm_page_size, TRUE,
				    VM_PROT_DEFAULT), KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)(mem + vm_page_size)), SIGSEGV);
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)mem), 0);  /* its neighbours keep theirs */
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)(mem + 2 * vm_page_size)), 0);
	ck_assert_int_eq(vm_protect(mach_task_self(), mem + vm_page_size, vm_page_size, FALSE,
				    VM_PROT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vm_protect(mach_task_self(), mem + vm_page_size, vm_page_size, FALSE,
				    VM_PROT_READ), KERN_SUCCESS);
	/* Nor can an entry grant write to it. */
	esize = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &esize, mem + vm_page_size,
						   VM_PROT_DEFAULT, &e, MACH_PORT_NULL),
			 KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), mem, size), KERN_SUCCESS);
}

/* The maximum protection of maps of a writable entry. */
static void protect_map_max(vm_size_t size)
{
	vm_address_t mem = vmcheck_alloc(size), a = 0, b = 0;
	mach_port_t e, ro = MACH_PORT_NULL;
	memory_object_size_t esize;

	/* vm_map's maximum: a read-only view of a writable entry stays read-only... */
	e = vmcheck_entry(mem, size, VM_PROT_DEFAULT);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vm_protect(mach_task_self(), a, size, FALSE, VM_PROT_DEFAULT),
			 KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(mprotect((void *)a, size, PROT_READ | PROT_WRITE), -1); /* the kernel's */
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)a), SIGSEGV);
	/* A view that may only read cannot seal the object for a read-only entry. */
	esize = size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &esize, a, VM_PROT_READ, &ro,
						   MACH_PORT_NULL), KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(vm_map(mach_task_self(), &b, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_READ, 0x100, VM_INHERIT_NONE), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	/* ...the current protection never exceeds it... */
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_READ, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)a), SIGSEGV);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	/* ...and one whose maximum allows write may be raised to it. */
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_READ, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vm_protect(mach_task_self(), a, size, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS);
	((volatile uint32_t *)a)[0] = 7;
	ck_assert_uint_eq(((volatile uint32_t *)mem)[0], 7);
	/* Lowering a shared mapping's maximum is the kernel's to enforce too. */
	ck_assert_int_eq(vm_protect(mach_task_self(), a, size, TRUE, VM_PROT_READ), KERN_SUCCESS);
	ck_assert_int_eq(mprotect((void *)a, size, PROT_READ | PROT_WRITE), -1);
	ck_assert_uint_eq(((volatile uint32_t *)a)[0], 7);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), mem, size), KERN_SUCCESS);
}

/* vm_protect() cannot raise a protection past the maximum, nor the maximum itself. */
START_TEST(test_protect_max)
{
	vm_size_t size = 3 * vm_page_size;
	vm_address_t mem, a = 0;
	mach_port_t e;
	char *heap;

	protect_private_max(size);
	protect_map_max(size);

	/* A guard page lowers the current protection only: the region can still be named whole. */
	mem = vmcheck_alloc(size);
	ck_assert_int_eq(vm_protect(mach_task_self(), mem, vm_page_size, FALSE, VM_PROT_NONE),
			 KERN_SUCCESS);
	ck_assert_int_eq(vm_protect(mach_task_self(), mem, vm_page_size, FALSE, VM_PROT_DEFAULT),
			 KERN_SUCCESS);
	e = vmcheck_entry(mem, size, VM_PROT_DEFAULT);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), mem, size), KERN_SUCCESS);

	/* vm_map of new memory takes both protections too. */
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, MACH_PORT_NULL, 0,
				FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_DEFAULT), KERN_SUCCESS);
	ck_assert_int_eq(vm_protect(mach_task_self(), a, size, FALSE, VM_PROT_DEFAULT),
			 KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	/* Memory the library did not map has no maximum to lower. */
	heap = malloc(2 * 4096);
	ck_assert_ptr_nonnull(heap);
	ck_assert_int_eq(vm_protect(mach_task_self(), (vm_address_t)heap, 4096, TRUE, VM_PROT_READ),
			 KERN_INVALID_ADDRESS);
	free(heap);
}
END_TEST

/* A new object that nobody mapped writable before a read-only entry named it stays read-only. */
START_TEST(test_sealed_object)
{
	memory_object_size_t size = vm_page_size;
	mach_port_t e = MACH_PORT_NULL, ro = MACH_PORT_NULL;
	vm_address_t a = 0;

	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_READ, &ro, e),
			 KERN_SUCCESS);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE),
			 KERN_PROTECTION_FAILURE);
	/* A read-only map whose maximum allows write could never get it: refused too. */
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_READ, VM_PROT_DEFAULT, VM_INHERIT_NONE),
			 KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), ro), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
}
END_TEST

static Suite *vm_protect_suite(void)
{
	Suite *s = suite_create("vm-protect");
	TCase *tc = tcase_create("vm-protect");

	tcase_add_test(tc, test_protect_max);
	tcase_add_test(tc, test_read_only_attacked);
	tcase_add_test(tc, test_sealed_object);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return s;
}

/* Needs root, to become another uid. */
static Suite *other_uid_suite(void)
{
	Suite *s = suite_create("vm-protect-other-uid");
	TCase *tc = tcase_create("vm-protect-other-uid");

	tcase_add_test(tc, test_read_only_attacked_other_uid);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return s;
}

/* Exit 77 (skipped) when the rest passed but the other-uid part could not run. */
int main(void)
{
	SRunner *sr = srunner_create(vm_protect_suite());
	bool root = geteuid() == 0;
	int failed;

	if (root)
		srunner_add_suite(sr, other_uid_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (!root) {
		printf("SKIP: a receiver of another uid: needs root\n");
		return 77;
	}
	return EXIT_SUCCESS;
}
