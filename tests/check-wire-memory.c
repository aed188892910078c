/* SPDX-License-Identifier: MIT */
/*
 * check-wire-memory - hostile memory entries written straight into a
 * port's send end: a hugetlbfs memfd is refused as an entry and as
 * out-of-line data; a read-only entry's fd sent back claiming write
 * allows no write here.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>

#include "helpers/runner.h"
#include "helpers/wire-dgram.h"
#include "wire.h"

/*
 * A memfd of hugetlbfs, sealed like a memory object, passes every check
 * but its kind: its pages are huge, so a window of one small page would
 * map (and unmap) a whole one.  Refused, as an entry and as out-of-line
 * data.  It used to be taken.  (Made without huge pages in the pool: the
 * kernel reserves them only when mapped.)
 */
START_TEST(test_hugetlb_memfd_refused)
{
	int huge = memfd_create("huge", MFD_HUGETLB | MFD_ALLOW_SEALING | MFD_CLOEXEC), fds[1];
	struct dgram g;

	if (huge < 0) {
		printf("test_hugetlb_memfd_refused: no hugetlbfs here (%m): nothing to refuse\n");
		return;
	}
	ck_assert_int_eq(ftruncate(huge, 2 << 20), 0);
	ck_assert_int_eq(fcntl(huge, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), 0);
	fds[0] = huge;
	dgram_init(&g, 1, 1);
	g.h.nfds = 1;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_MEMORY,
				     .disposition = MACH_MSG_TYPE_PORT_SEND, .size = 4096,
				     .nfds = 1, .flags = VM_PROT_READ };
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	assert_refused("memory entry on hugetlbfs");
	dgram_init(&g, 1, 1);
	g.h.nfds = 1;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_OOL_DESCRIPTOR, .kind = WIRE_OOL_MEMFD,
				     .size = 4096, .nfds = 1 };
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	assert_refused("out-of-line data on hugetlbfs");
	close(huge);
}
END_TEST

/* A read-only open of a memfd of ours named @name, found in /proc/self/fd. */
static int open_ours_read_only(const char *name)
{
	char link[64], target[256];

	for (int fd = 3; fd < 1024; fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, name, strlen(name)) == 0)
			return open(link, O_RDONLY | O_CLOEXEC);
	}
	return -1;
}

/*
 * A read-only entry's fd sent back claiming read and write: the entry is
 * read-only, as its fd.  It used to be taken at its word, and a map of it
 * made writable through this process's own mapping from before the seal.
 */
START_TEST(test_read_only_fd_claiming_write)
{
	memory_object_size_t size = vm_page_size;
	mach_port_t rw = MACH_PORT_NULL, ro = MACH_PORT_NULL;
	vm_address_t mine = 0, theirs = 0;
	union wire_rcv r;
	mach_msg_port_descriptor_t pd;
	struct dgram g;
	int fds[1];

	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &rw,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_int_eq(vm_map(mach_task_self(), &mine, size, 0, VM_FLAGS_ANYWHERE, rw, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_READ, &ro, rw),
			 KERN_SUCCESS);
	fds[0] = open_ours_read_only("/memfd:bootstrap-memory-entry");
	ck_assert_int_ge(fds[0], 0);
	dgram_init(&g, 78, 1);
	g.h.nfds = 1;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_MEMORY,
				     .disposition = MACH_MSG_TYPE_PORT_SEND, .size = size,
				     .nfds = 1, .flags = VM_PROT_READ | VM_PROT_WRITE };
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	close(fds[0]);
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
	memcpy(&pd, r.b + sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t), sizeof(pd));
	ck_assert_int_ne(vm_map(mach_task_self(), &theirs, size, 0, VM_FLAGS_ANYWHERE, pd.name, 0,
				FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vm_map(mach_task_self(), &theirs, size, 0, VM_FLAGS_ANYWHERE, pd.name, 0,
				FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), theirs, size), KERN_SUCCESS);
	mach_msg_destroy(&r.h);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), mine, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), ro), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), rw), KERN_SUCCESS);
}
END_TEST

static Suite *wire_memory_suite(void)
{
	Suite *s = suite_create("wire-memory");
	TCase *tc = tcase_create("hostile");

	tcase_add_checked_fixture(tc, wire_target_setup, wire_target_teardown);
	tcase_add_test(tc, test_hugetlb_memfd_refused);
	tcase_add_test(tc, test_read_only_fd_claiming_write);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(wire_memory_suite(), NULL, 0, argc, argv);
}
