/* SPDX-License-Identifier: MIT */
/*
 * check-vm-xnu - mach_vm_read(), read_overwrite, write, copy and
 * mach_vm_region() on the caller's own task, with XNU's return codes; memory
 * entries made with MAP_MEM_NAMED_CREATE and from a parent entry, sized as
 * XNU sizes them.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

static mach_vm_address_t alloc(mach_vm_size_t size)
{
	mach_vm_address_t a = 0;

	ck_assert_int_eq(mach_vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE),
			 KERN_SUCCESS);
	return a;
}

/* Two pages: the first readable and writable, the second unmapped (a hole). */
/*
 * A read-write page with a hole above it, and an inaccessible page below:
 * a read-write mapping the process made just below would otherwise merge
 * with it into one region that starts lower (seen under ASan).
 */
static char *page_then_hole(void)
{
	char *p = mmap(NULL, 3 * vm_page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_int_eq(mprotect(p, vm_page_size, PROT_NONE), 0);
	ck_assert_int_eq(munmap(p + 2 * vm_page_size, vm_page_size), 0);
	return p + vm_page_size;
}

static char *page_with(int prot)
{
	char *p = mmap(NULL, vm_page_size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	return p;
}

START_TEST(test_read)
{
	mach_vm_address_t a = alloc(3 * vm_page_size);
	char *src = (char *)(uintptr_t)a + 100, local[64] = "on the stack";
	vm_offset_t data = 0;
	mach_msg_type_number_t n = 0;

	for (size_t i = 0; i < 2 * vm_page_size; i++)
		src[i] = (char)(i * 7);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), a + 100, 2 * vm_page_size, &data, &n),
			 KERN_SUCCESS);
	ck_assert_uint_eq(n, 2 * vm_page_size);
	ck_assert_uint_eq(data & vm_page_mask, 100);    /* same offset in its page */
	ck_assert_ptr_ne((void *)data, src);
	ck_assert_int_eq(memcmp((void *)data, src, n), 0);
	((char *)data)[0] ^= 1;                         /* a copy: writable, apart */
	ck_assert_int_ne(((char *)data)[0], src[0]);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), data, n), KERN_SUCCESS);
	/* Memory the library did not make reads the same. */
	ck_assert_int_eq(mach_vm_read(mach_task_self(), (uintptr_t)local, sizeof(local), &data, &n),
			 KERN_SUCCESS);
	ck_assert_str_eq((char *)data, "on the stack");
	ck_assert_int_eq(vm_deallocate(mach_task_self(), data, n), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), a, 0, &data, &n), KERN_SUCCESS);
	ck_assert_uint_eq(data, 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_read_faults)
{
	char *none = page_with(PROT_NONE), *hole = page_then_hole();  /* the hole stays one */
	mach_port_t other;
	vm_offset_t data = 0;
	mach_msg_type_number_t n = 0;

	ck_assert_int_eq(mach_vm_read(mach_task_self(), (uintptr_t)hole, 2 * vm_page_size, &data, &n),
			 KERN_INVALID_ADDRESS);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), (uintptr_t)hole + vm_page_size, 8, &data, &n),
			 KERN_INVALID_ADDRESS);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), (uintptr_t)none, 8, &data, &n),
			 KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), UINT64_MAX - 4, 8, &data, &n),
			 KERN_INVALID_ADDRESS);
	ck_assert_int_eq(mach_vm_read(mach_task_self(), (uintptr_t)hole, 1ull << 32, &data, &n),
			 KERN_INVALID_ARGUMENT);
	/* Another task: no such map here. */
	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &other),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_read(other, (uintptr_t)hole, 8, &data, &n), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_vm_read(MACH_PORT_NULL, (uintptr_t)hole, 8, &data, &n),
			 KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_vm_copy(other, (uintptr_t)hole, 8, (uintptr_t)hole + 8),
			 KERN_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_read_overwrite)
{
	char src[32] = "source bytes", dst[32] = { 0 };
	char *ro = page_with(PROT_READ), *hole = page_then_hole();
	mach_vm_size_t out = 0;

	ck_assert_int_eq(mach_vm_read_overwrite(mach_task_self(), (uintptr_t)src, sizeof(src),
						(uintptr_t)dst, &out), KERN_SUCCESS);
	ck_assert_uint_eq(out, sizeof(src));
	ck_assert_str_eq(dst, "source bytes");
	ck_assert_int_eq(mach_vm_read_overwrite(mach_task_self(), (uintptr_t)src, sizeof(src),
						(uintptr_t)ro, &out), KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(mach_vm_read_overwrite(mach_task_self(), (uintptr_t)src, sizeof(src),
						(uintptr_t)hole + vm_page_size - 8, &out),
			 KERN_INVALID_ADDRESS);
	ck_assert_int_eq(mach_vm_read_overwrite(mach_task_self(), (uintptr_t)hole + vm_page_size, 8,
						(uintptr_t)dst, &out), KERN_INVALID_ADDRESS);
}
END_TEST

START_TEST(test_write)
{
	mach_vm_address_t a = alloc(vm_page_size);
	char data[16] = "written";
	char *none = page_with(PROT_NONE);

	ck_assert_int_eq(mach_vm_write(mach_task_self(), a + 8, (vm_offset_t)data, sizeof(data)),
			 KERN_SUCCESS);
	ck_assert_str_eq((char *)(uintptr_t)a + 8, "written");
	ck_assert_int_eq(vm_protect(mach_task_self(), a, vm_page_size, FALSE, VM_PROT_READ),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_write(mach_task_self(), a, (vm_offset_t)data, sizeof(data)),
			 KERN_PROTECTION_FAILURE);
	/* The data is the caller's own, unreadable: the message would not go. */
	ck_assert_int_eq(mach_vm_write(mach_task_self(), (uintptr_t)data, (vm_offset_t)none, 8),
			 MACH_SEND_INVALID_MEMORY);
	ck_assert_int_eq(mach_vm_write(mach_task_self(), a, (vm_offset_t)data, 0), KERN_SUCCESS);
}
END_TEST

START_TEST(test_copy)
{
	mach_vm_address_t a = alloc(2 * vm_page_size);
	char *p = (char *)(uintptr_t)a, *none = page_with(PROT_NONE);

	for (int i = 0; i < 100; i++)
		p[i] = (char)i;
	/* Overlapping: the source as it was before the copy. */
	ck_assert_int_eq(mach_vm_copy(mach_task_self(), a, 100, a + 10), KERN_SUCCESS);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(p[10 + i], i);
	ck_assert_int_eq(mach_vm_copy(mach_task_self(), (uintptr_t)none, 8, a), KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(mach_vm_copy(mach_task_self(), a, 8, (uintptr_t)none), KERN_PROTECTION_FAILURE);
}
END_TEST

static kern_return_t region(mach_vm_address_t *addr, mach_vm_size_t *size,
			    struct vm_region_basic_info_64 *b)
{
	mach_msg_type_number_t n = VM_REGION_BASIC_INFO_COUNT_64;
	mach_port_t obj = 1;
	kern_return_t kr = mach_vm_region(mach_task_self(), addr, size, VM_REGION_BASIC_INFO_64,
					  (vm_region_info_t)b, &n, &obj);

	if (kr == KERN_SUCCESS) {
		ck_assert_uint_eq(n, VM_REGION_BASIC_INFO_COUNT_64);
		ck_assert_uint_eq(obj, MACH_PORT_NULL);
	}
	return kr;
}

START_TEST(test_region_library)
{
	mach_vm_address_t a = alloc(4 * vm_page_size), at = a + vm_page_size + 5;
	mach_vm_size_t size = 0;
	struct vm_region_basic_info_64 b;
	mach_port_t e = MACH_PORT_NULL;
	memory_object_size_t es = vm_page_size;

	ck_assert_uint_eq(sizeof(b), 36);
	ck_assert_uint_eq(VM_REGION_BASIC_INFO_COUNT_64, 9);
	ck_assert_uint_eq(VM_REGION_BASIC_INFO_COUNT, 8);
	ck_assert_int_eq(region(&at, &size, &b), KERN_SUCCESS);
	ck_assert_uint_eq(at, a);
	ck_assert_uint_eq(size, 4 * vm_page_size);
	ck_assert_int_eq(b.protection, VM_PROT_READ | VM_PROT_WRITE);
	ck_assert_int_eq(b.max_protection, VM_PROT_ALL);
	ck_assert_uint_eq(b.inheritance, VM_INHERIT_COPY);
	ck_assert(!b.shared);
	ck_assert_uint_eq(b.offset, 0);
	ck_assert_int_eq(b.behavior, VM_BEHAVIOR_DEFAULT);
	/* Lowering the maximum of the last page splits the region there. */
	ck_assert_int_eq(mach_vm_protect(mach_task_self(), a + 3 * vm_page_size, vm_page_size, TRUE,
					 VM_PROT_READ), KERN_SUCCESS);
	at = a + 3 * vm_page_size;
	ck_assert_int_eq(region(&at, &size, &b), KERN_SUCCESS);
	ck_assert_uint_eq(size, vm_page_size);
	ck_assert_int_eq(b.max_protection, VM_PROT_READ);
	ck_assert_int_eq(b.protection, VM_PROT_READ);
	ck_assert_uint_eq(b.offset, 3 * vm_page_size);
	/* Named in a memory entry, the memory is shared. */
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &es, a, VM_PROT_READ, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	at = a;
	ck_assert_int_eq(region(&at, &size, &b), KERN_SUCCESS);
	ck_assert(b.shared);
	mach_port_deallocate(mach_task_self(), e);
}
END_TEST

START_TEST(test_region_mappings)
{
	char path[] = "/tmp/check-vm-xnu-XXXXXX";
	int fd = mkstemp(path);
	char *f, *sh = mmap(NULL, vm_page_size, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mach_vm_address_t at = (uintptr_t)sh;
	mach_vm_size_t size = 0;
	struct vm_region_basic_info_64 b;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(ftruncate(fd, 4 * (off_t)vm_page_size), 0);
	f = mmap(NULL, vm_page_size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 2 * (off_t)vm_page_size);
	ck_assert_ptr_ne(f, MAP_FAILED);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	ck_assert_int_eq(region(&at, &size, &b), KERN_SUCCESS);
	ck_assert_uint_eq(at, (uintptr_t)sh);
	ck_assert_int_eq(b.protection, VM_PROT_READ);
	ck_assert_uint_eq(b.inheritance, VM_INHERIT_SHARE);
	ck_assert(b.shared);
	at = (uintptr_t)f;
	ck_assert_int_eq(region(&at, &size, &b), KERN_SUCCESS);
	ck_assert_uint_eq(at, (uintptr_t)f);
	ck_assert_int_eq(b.protection, VM_PROT_READ | VM_PROT_EXECUTE);
	ck_assert_uint_eq(b.inheritance, VM_INHERIT_COPY);
	ck_assert(!b.shared);
	ck_assert_uint_eq(b.offset, 2 * vm_page_size);
	close(fd);
}
END_TEST

START_TEST(test_region_walk)
{
	char *hole = page_then_hole(), *after;
	mach_vm_address_t at = (uintptr_t)hole + vm_page_size;
	mach_vm_size_t size = 0;
	struct vm_region_basic_info_64 b;
	mach_msg_type_number_t n = VM_REGION_BASIC_INFO_COUNT_64 - 1;
	vm_address_t va = (uintptr_t)hole;
	vm_size_t vs = 0;

	/* In a hole: the next region up. */
	ck_assert_int_eq(region(&at, &size, &b), KERN_SUCCESS);
	ck_assert_uint_gt(at, (uintptr_t)hole + vm_page_size);
	after = (char *)(uintptr_t)at;
	ck_assert_ptr_nonnull(after);
	at = 1ull << 47;
	ck_assert_int_eq(region(&at, &size, &b), KERN_INVALID_ADDRESS);
	at = (uintptr_t)hole;
	ck_assert_int_eq(mach_vm_region(mach_task_self(), &at, &size, VM_REGION_BASIC_INFO_64,
					(vm_region_info_t)&b, &n, NULL), KERN_INVALID_ARGUMENT);
	n = VM_REGION_INFO_MAX;
	ck_assert_int_eq(mach_vm_region(mach_task_self(), &at, &size, VM_REGION_TOP_INFO,
					(vm_region_info_t)&b, &n, NULL), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_vm_region(MACH_PORT_NULL, &at, &size, VM_REGION_BASIC_INFO_64,
					(vm_region_info_t)&b, &n, NULL), KERN_INVALID_ARGUMENT);
	/* The legacy flavor answers as the 64-bit one. */
	n = VM_REGION_BASIC_INFO_COUNT_64;
	ck_assert_int_eq(vm_region_64(mach_task_self(), &va, &vs, VM_REGION_BASIC_INFO,
				      (vm_region_info_t)&b, &n, NULL), KERN_SUCCESS);
	ck_assert_uint_eq(n, VM_REGION_BASIC_INFO_COUNT_64);
	ck_assert_uint_eq(va, (uintptr_t)hole);
	ck_assert_uint_eq(vs % vm_page_size, 0);
	ck_assert_int_eq(b.protection, VM_PROT_READ | VM_PROT_WRITE);
}
END_TEST

static mach_vm_address_t map_entry(mach_port_t e, mach_vm_size_t size, vm_prot_t prot)
{
	mach_vm_address_t a = 0;

	ck_assert_int_eq(mach_vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				     prot, prot, VM_INHERIT_SHARE), KERN_SUCCESS);
	return a;
}

START_TEST(test_entry_windows)
{
	memory_object_size_t size = 0;
	mach_port_t e = 1, sub = MACH_PORT_NULL, subsub = MACH_PORT_NULL;
	mach_vm_address_t a, w, ww = 0;

	/* Nothing to make: success, and no entry. */
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_uint_eq(e, MACH_PORT_NULL);
	/* An offset into a page: the object spans the pages the range touches. */
	size = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 100,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_uint_eq(size, 2 * vm_page_size);
	a = map_entry(e, 2 * vm_page_size, VM_PROT_DEFAULT);
	((volatile uint32_t *)(uintptr_t)a)[vm_page_size / 4 + 1] = 0xabc;
	/* A window from an offset within a page: the pages it touches. */
	size = 8;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, vm_page_size + 4,
						   VM_PROT_READ, &sub, e), KERN_SUCCESS);
	ck_assert_uint_eq(size, vm_page_size);
	w = map_entry(sub, vm_page_size, VM_PROT_READ);
	ck_assert_uint_eq(((volatile uint32_t *)(uintptr_t)w)[1], 0xabc);
	/* Within the window: no more than its protection, unless asked as a mask. */
	size = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_DEFAULT,
						   &subsub, sub), KERN_PROTECTION_FAILURE);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   VM_PROT_DEFAULT | VM_PROT_IS_MASK, &subsub, sub),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_map(mach_task_self(), &ww, vm_page_size, 0, VM_FLAGS_ANYWHERE,
				     subsub, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT,
				     VM_INHERIT_SHARE), KERN_INVALID_RIGHT);
	ww = map_entry(subsub, vm_page_size, VM_PROT_READ);
	ck_assert_uint_eq(((volatile uint32_t *)(uintptr_t)ww)[1], 0xabc);
	/* Past the window's end, once rounded. */
	size = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 1, VM_PROT_READ,
						   &subsub, sub), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), a, 2 * vm_page_size), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), w, vm_page_size), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), ww, vm_page_size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), subsub), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), sub), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm-xnu");
	TCase *tc = tcase_create("vm-xnu");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_read_faults);
	tcase_add_test(tc, test_read_overwrite);
	tcase_add_test(tc, test_write);
	tcase_add_test(tc, test_copy);
	tcase_add_test(tc, test_region_library);
	tcase_add_test(tc, test_region_mappings);
	tcase_add_test(tc, test_region_walk);
	tcase_add_test(tc, test_entry_windows);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
