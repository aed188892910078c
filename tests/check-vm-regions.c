/* SPDX-License-Identifier: MIT */
/*
 * check-vm-regions - the library's records of its mappings stay exact as
 * they are cut and joined: part of a mapping released or protected, then
 * fork() (the child's copy reads what is mapped, as it is); a page shared
 * out of a mapping cut by a guard page is not joined again to private
 * memory; and a memory entry past 4 GiB travels in a message whole.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

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

/* A shared map of a new two-page entry, with the default inheritance (a copy for a child). */
static volatile uint32_t *map_two_pages(mach_port_t *e)
{
	memory_object_size_t size = 2 * vm_page_size;
	vm_address_t a = 0;

	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, *e, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_DEFAULT), KERN_SUCCESS);
	return (volatile uint32_t *)a;
}

/*
 * A map whose second page was protected away, or released, then fork():
 * the child gets a copy of its first page as it is.  The record kept the
 * whole map and its first protection, so the copy made for the child read
 * a page it could not, or one no longer mapped: the child died in fork().
 */
START_TEST(test_fork_after_part_protected_or_released)
{
	size_t words = vm_page_size / sizeof(uint32_t);
	mach_port_t e1, e2;
	volatile uint32_t *prot = map_two_pages(&e1), *rel = map_two_pages(&e2);

	ck_assert_int_eq(vm_protect(mach_task_self(), (vm_address_t)(prot + words), vm_page_size,
				    FALSE, VM_PROT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vmcheck_write_in_child(prot), 0);
	ck_assert_uint_eq(prot[0], 0);          /* the child's was a copy */
	ck_assert_int_eq(vmcheck_write_in_child(prot + words), SIGSEGV);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)(rel + words), vm_page_size),
			 KERN_SUCCESS);
	ck_assert_int_eq(vmcheck_write_in_child(rel), 0);
	ck_assert_uint_eq(rel[0], 0);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)prot, 2 * vm_page_size),
			 KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)rel, vm_page_size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e1), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e2), KERN_SUCCESS);
}
END_TEST

/*
 * A page shared out of a region cut in two (a guard page), then the guard
 * lifted: the pieces are not joined again, as one is a memfd's page now
 * and the other private memory.  They used to be, the memfd (one page)
 * taken for both: naming both pages handed out a window past its end.
 */
START_TEST(test_shared_piece_not_joined)
{
	vm_size_t page = vm_page_size;
	volatile uint32_t *mem = (volatile uint32_t *)vmcheck_alloc(2 * page);
	memory_object_size_t size = 2 * page;
	mach_port_t one, both = MACH_PORT_NULL;
	vm_address_t a = 0;

	mem[page / 4] = 0x5ec0;
	ck_assert_int_eq(vm_protect(mach_task_self(), (vm_address_t)mem + page, page, FALSE,
				    VM_PROT_NONE), KERN_SUCCESS);
	one = vmcheck_entry((vm_address_t)mem, page, VM_PROT_DEFAULT);
	ck_assert_int_eq(vm_protect(mach_task_self(), (vm_address_t)mem + page, page, FALSE,
				    VM_PROT_DEFAULT), KERN_SUCCESS);
	if (mach_make_memory_entry_64(mach_task_self(), &size, (vm_address_t)mem, VM_PROT_DEFAULT,
				      &both, MACH_PORT_NULL) == KERN_SUCCESS) {
		/* Named whole, it must show both pages as they are. */
		ck_assert_int_eq(vm_map(mach_task_self(), &a, 2 * page, 0, VM_FLAGS_ANYWHERE, both, 0,
					FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE),
				 KERN_SUCCESS);
		ck_assert_uint_eq(((volatile uint32_t *)a)[page / 4], 0x5ec0);
		ck_assert_int_eq(vm_deallocate(mach_task_self(), a, 2 * page), KERN_SUCCESS);
		ck_assert_int_eq(mach_port_deallocate(mach_task_self(), both), KERN_SUCCESS);
	}
	ck_assert_uint_eq(mem[page / 4], 0x5ec0);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), one), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)mem, 2 * page), KERN_SUCCESS);
}
END_TEST

/*
 * An entry past 4 GiB (a sparse memfd) sent in a message arrives whole: a
 * map of its last page works there, and shows what was written here.
 * Its size used to travel cut to 32 bits: 4 GiB + 2 pages arrived as 2.
 */
START_TEST(test_entry_past_4gib_travels_whole)
{
	memory_object_size_t size = (4ull << 30) + 2 * vm_page_size, far = 4ull << 30;
	mach_port_t e = MACH_PORT_NULL, to;
	mach_vm_address_t a = 0, b = 0;
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_max_trailer_t trailer;
	} m = { 0 };

	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_map(mach_task_self(), &a, vm_page_size, 0, VM_FLAGS_ANYWHERE, e, far,
				     FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE),
			 KERN_SUCCESS);
	*(volatile uint32_t *)(uintptr_t)a = 0xb16;
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &to), 0);
	ck_assert_int_eq(mach_port_insert_right(mach_task_self(), to, to, MACH_MSG_TYPE_MAKE_SEND), 0);
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m) - sizeof(m.trailer);
	m.head.msgh_remote_port = to;
	m.body.msgh_descriptor_count = 1;
	m.port = (mach_msg_port_descriptor_t){ .name = e, .disposition = MACH_MSG_TYPE_COPY_SEND,
					       .type = MACH_MSG_PORT_DESCRIPTOR };
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  m.head.msgh_size, sizeof(m), to, 5000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_vm_map(mach_task_self(), &b, vm_page_size, 0, VM_FLAGS_ANYWHERE,
				     m.port.name, far, FALSE, VM_PROT_READ, VM_PROT_READ,
				     VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)b, 0xb16);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), b, vm_page_size), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), a, vm_page_size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), m.port.name), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), to), KERN_SUCCESS);
}
END_TEST

static Suite *vm_regions_suite(void)
{
	Suite *s = suite_create("vm-regions");
	TCase *tc = tcase_create("vm-regions");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fork_after_part_protected_or_released);
	tcase_add_test(tc, test_shared_piece_not_joined);
	tcase_add_test(tc, test_entry_past_4gib_travels_whole);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vm_regions_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
