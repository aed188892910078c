/* SPDX-License-Identifier: MIT */
/*
 * check-memobj - memory entries: naming vm_allocate()d pages, sharing them
 * with another process through a message, read-only views, named
 * objects, copy-on-write maps, and what cannot be named; and out-of-line
 * memory in messages, inline and as a memfd.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"
#include "helpers/runner.h"
#include "helpers/vmcheck.h"

#define PAGES 4

static void setup(void)
{
	peer_fd_mark(false);
}

static void teardown(void)
{
	peer_fd_check();
}

/* A memory entry (vmcheck_entry()), which names a send right. */
static mach_port_t entry_for(vm_address_t addr, vm_size_t size, vm_prot_t prot)
{
	mach_port_t e = vmcheck_entry(addr, size, prot);

	ck_assert_uint_eq(peer_type(e), MACH_PORT_TYPE_SEND);
	return e;
}

static vm_address_t map(mach_port_t entry, vm_size_t size, vm_prot_t prot, boolean_t copy)
{
	vm_address_t a = 0;

	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, entry, 0, copy,
				prot, prot, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert(a != 0);
	return a;
}

static void map_in_peer(struct peer *p, mach_port_t entry, vm_size_t size, vm_prot_t prot,
			struct peer_rcv *rep)
{
	struct peer_msg req;

	peer_msg_init(&req, p->ctl, MACH_MSG_TYPE_COPY_SEND, PEER_MAP, entry, MACH_MSG_TYPE_COPY_SEND);
	req.arg[0] = (uint32_t)size;
	req.arg[1] = (uint32_t)prot;
	peer_call(p, &req, rep);
}

START_TEST(test_share_with_peer)
{
	vm_size_t size = PAGES * vm_page_size;
	volatile uint32_t *mem = (volatile uint32_t *)vmcheck_alloc(size);
	size_t last = size / sizeof(uint32_t) - 1;
	mach_port_t e;
	struct peer_rcv rep;
	struct peer p;
	int ws;

	mem[0] = 0x1234;
	e = entry_for((vm_address_t)mem, size, VM_PROT_READ | VM_PROT_WRITE);
	peer_start(&p);
	map_in_peer(&p, e, size, VM_PROT_READ | VM_PROT_WRITE, &rep);
	ck_assert_int_eq(rep.msg.arg[0], KERN_SUCCESS);
	ck_assert_int_eq(rep.msg.ids[0], 0x1234);
	/* Its writes are ours... */
	peer_cmd(&p, PEER_POKE, 1, 0xbeef, &rep);
	ck_assert_uint_eq(mem[1], 0xbeef);
	peer_cmd(&p, PEER_POKE, (uint32_t)last, 0xf00d, &rep);
	ck_assert_uint_eq(mem[last], 0xf00d);
	/* ...and ours are its. */
	mem[2] = 0xcafe;
	peer_cmd(&p, PEER_PEEK, 2, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0xcafe);
	/* The entry may go; the mappings stay. */
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	mem[3] = 0x77;
	peer_cmd(&p, PEER_PEEK, 3, 0, &rep);
	ck_assert_int_eq(rep.msg.ids[0], 0x77);
	ws = peer_exit(&p, 0);
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	peer_forget(&p);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)mem, size), KERN_SUCCESS);
}
END_TEST

/* A read-only entry grants no more, here or in another process, copy or not (XNU). */
static void ro_entry_refused(mach_port_t rw_entry, mach_port_t ro_entry, vm_size_t size)
{
	vm_address_t a = 0;
	struct peer_rcv rep;
	struct peer p;

	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, ro_entry, 0, FALSE,
				VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, VM_INHERIT_NONE),
			 KERN_INVALID_RIGHT);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, ro_entry, 0, FALSE,
				VM_PROT_READ, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_INVALID_RIGHT);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, ro_entry, 0, TRUE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_INVALID_RIGHT);
	peer_start(&p);
	map_in_peer(&p, ro_entry, size, VM_PROT_READ | VM_PROT_WRITE, &rep);
	ck_assert_int_eq(rep.msg.arg[0], KERN_INVALID_RIGHT);
	map_in_peer(&p, ro_entry, size, VM_PROT_READ, &rep);
	ck_assert_int_eq(rep.msg.arg[0], KERN_SUCCESS);
	ck_assert_int_eq(rep.msg.ids[0], 43);
	map_in_peer(&p, rw_entry, size, VM_PROT_READ | VM_PROT_WRITE, &rep);
	ck_assert_int_eq(rep.msg.arg[0], KERN_PROTECTION_FAILURE);
	peer_exit(&p, 0);
	peer_forget(&p);
}

/* VM_PROT_IS_MASK trims a request to what the entry allows. */
static void ro_entry_masked(mach_port_t ro_entry, vm_size_t size)
{
	vm_address_t a = 0;

	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, ro_entry, 0, TRUE,
				VM_PROT_DEFAULT | VM_PROT_IS_MASK, VM_PROT_ALL | VM_PROT_IS_MASK,
				VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_uint_eq(((volatile uint32_t *)a)[0], 43);
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)a), SIGSEGV);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
}

START_TEST(test_read_only)
{
	vm_size_t size = 2 * vm_page_size;
	volatile uint32_t *mem = (volatile uint32_t *)vmcheck_alloc(size), *ro;
	mach_port_t rw_entry, ro_entry;
	vm_address_t a;

	mem[0] = 42;
	/* A read-only view of writable pages. */
	rw_entry = entry_for((vm_address_t)mem, size, VM_PROT_READ | VM_PROT_WRITE);
	ro = (volatile uint32_t *)map(rw_entry, size, VM_PROT_READ, FALSE);
	ck_assert_uint_eq(ro[0], 42);
	mem[0] = 43;
	ck_assert_uint_eq(ro[0], 43);
	ck_assert_int_eq(vmcheck_write_in_child(ro), SIGSEGV);
	ck_assert_int_eq(vmcheck_write_in_child(mem), 0);
	ck_assert_uint_eq(mem[0], 43);  /* the child's write was its own */

	/* A read-only entry grants no more, here or in another process, copy or not (XNU). */
	ro_entry = entry_for((vm_address_t)mem, size, VM_PROT_READ);
	ro_entry_refused(rw_entry, ro_entry, size);
	ro_entry_masked(ro_entry, size);
	/*
	 * Once a read-only entry names the pages, the writable mappings made
	 * before still write, and only this process, which has one, may map
	 * the writable entry writable again (the peer above could not).
	 */
	mem[0] = 44;
	ck_assert_uint_eq(ro[0], 44);
	a = map(rw_entry, size, VM_PROT_DEFAULT, FALSE);
	((volatile uint32_t *)a)[1] = 45;
	ck_assert_uint_eq(mem[1], 45);
	ck_assert_uint_eq(ro[1], 45);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	/* A copy-on-write map of the writable entry may be written: privately. */
	a = map(rw_entry, size, VM_PROT_READ | VM_PROT_WRITE, TRUE);
	((volatile uint32_t *)a)[0] = 99;
	ck_assert_uint_eq(mem[0], 44);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);

	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), rw_entry), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), ro_entry), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)ro, size), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)mem, size), KERN_SUCCESS);
}
END_TEST

/* What a forked child gets follows each mapping's inheritance, as on macOS. */
START_TEST(test_inheritance)
{
	vm_size_t size = vm_page_size;
	volatile uint32_t *mem = (volatile uint32_t *)vmcheck_alloc(size), *shared, *none;
	vm_address_t a = 0;
	mach_port_t e;

	ck_assert_int_eq(vmcheck_write_in_child(mem), 0);
	ck_assert_uint_eq(mem[0], 0);           /* vm_allocate: VM_INHERIT_DEFAULT, a copy */
	e = entry_for((vm_address_t)mem, size, VM_PROT_DEFAULT);
	ck_assert_int_eq(vmcheck_write_in_child(mem), 0);
	ck_assert_uint_eq(mem[0], 0);           /* still a copy once it can be shared */
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_SHARE), KERN_SUCCESS);
	shared = (volatile uint32_t *)a;
	ck_assert_int_eq(vmcheck_write_in_child(shared), 0);
	ck_assert_uint_eq(shared[0], 0xdead);
	ck_assert_uint_eq(mem[0], 0xdead);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_SUCCESS);
	none = (volatile uint32_t *)a;
	ck_assert_int_eq(vmcheck_write_in_child(none), SIGSEGV);
	ck_assert_int_eq(vm_map(mach_task_self(), &a, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_LAST_VALID + 1),
			 KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)none, size), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)shared, size), KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)mem, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
}
END_TEST

START_TEST(test_named_create)
{
	memory_object_size_t size = 10000;
	mach_port_t e = MACH_PORT_NULL, sub = MACH_PORT_NULL;
	volatile uint32_t *a, *b, *c;

	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0,
						   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_uint_eq(size, 3 * vm_page_size);
	/* Two maps of one object mirror each other. */
	a = (volatile uint32_t *)map(e, size, VM_PROT_DEFAULT, FALSE);
	b = (volatile uint32_t *)map(e, size, VM_PROT_DEFAULT, FALSE);
	ck_assert_ptr_ne((void *)a, (void *)b);
	ck_assert_uint_eq(a[5], 0);
	a[5] = 5;
	ck_assert_uint_eq(b[5], 5);
	b[size / 4 - 1] = 6;
	ck_assert_uint_eq(a[size / 4 - 1], 6);
	/* A window of it, one page in: a sub-entry of the parent. */
	size = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, vm_page_size,
						   VM_PROT_READ, &sub, e), KERN_SUCCESS);
	c = (volatile uint32_t *)map(sub, vm_page_size, VM_PROT_READ, FALSE);
	a[vm_page_size / 4] = 7;
	ck_assert_uint_eq(c[0], 7);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, vm_page_size,
						   VM_PROT_DEFAULT, &sub, sub), KERN_PROTECTION_FAILURE);
	size = 8 * vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_READ,
						   &sub, e), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)a, 3 * vm_page_size),
			 KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)b, 3 * vm_page_size),
			 KERN_SUCCESS);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)c, vm_page_size),
			 KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), sub), KERN_SUCCESS);
}
END_TEST

/* Only library-made pages can be named: malloc, stack and unmapped memory cannot. */
START_TEST(test_not_shareable)
{
	char *heap = malloc(3 * 4096), stack[64];
	memory_object_size_t size = 4096;
	vm_address_t a = vmcheck_alloc(vm_page_size);
	mach_port_t e = MACH_PORT_NULL;

	ck_assert_ptr_nonnull(heap);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, (uintptr_t)heap,
						   VM_PROT_READ, &e, MACH_PORT_NULL),
			 KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, (uintptr_t)stack,
						   VM_PROT_READ, &e, MACH_PORT_NULL),
			 KERN_INVALID_ARGUMENT);
	/* Past the end of an allocation. */
	size = 2 * vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, a, VM_PROT_READ, &e,
						   MACH_PORT_NULL), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), a, vm_page_size), KERN_SUCCESS);
	size = vm_page_size;
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &size, a, VM_PROT_READ, &e,
						   MACH_PORT_NULL), KERN_INVALID_ARGUMENT);
	ck_assert_uint_eq(e, MACH_PORT_NULL);
	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self() + 1, &size, a, VM_PROT_READ, &e,
						   MACH_PORT_NULL), KERN_INVALID_TASK);
	free(heap);
}
END_TEST

START_TEST(test_mach_vm_spellings)
{
	mach_vm_address_t a = 0, b = 0;
	mach_vm_size_t size = 2 * vm_page_size;
	vm_size_t vsize = (vm_size_t)size;
	mach_port_t e = MACH_PORT_NULL;

	ck_assert_int_eq(mach_vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	((volatile char *)(uintptr_t)a)[vm_page_size] = 'x';
	ck_assert_int_eq(mach_make_memory_entry(mach_task_self(), &vsize, (vm_offset_t)a,
						VM_PROT_DEFAULT, &e, MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_uint_eq(vsize, size);
	ck_assert_int_eq(mach_vm_map(mach_task_self(), &b, size, 0, VM_FLAGS_ANYWHERE, e, 0, FALSE,
				     VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE), KERN_SUCCESS);
	ck_assert_int_eq(((volatile char *)(uintptr_t)b)[vm_page_size], 'x');
	/* Fixed placement is not supported. */
	ck_assert_int_eq(mach_vm_map(mach_task_self(), &b, size, 0, VM_FLAGS_FIXED, e, 0, FALSE,
				     VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE),
			 KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_vm_map(mach_task_self(), &b, size, 0, VM_FLAGS_ANYWHERE, e,
				     vm_page_size, FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT,
				     VM_INHERIT_NONE), KERN_INVALID_ARGUMENT);
	ck_assert_int_eq(mach_vm_protect(mach_task_self(), a, size, FALSE, VM_PROT_READ), KERN_SUCCESS);
	ck_assert_int_eq(vmcheck_write_in_child((volatile uint32_t *)(uintptr_t)a), SIGSEGV);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), a, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_deallocate(mach_task_self(), b, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), e), KERN_SUCCESS);
	ck_assert_int_eq(mach_vm_allocate(mach_task_self(), &a, size, VM_FLAGS_FIXED),
			 KERN_INVALID_ARGUMENT);
}
END_TEST

#pragma pack(push, 4)
struct ool_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
	int32_t tail;
};
#pragma pack(pop)

union ool_rcv {
	mach_msg_header_t head;
	struct ool_msg ool;
	char space[sizeof(struct ool_msg) + MAX_TRAILER_SIZE];
};

static void send_ool(mach_port_t dest, void *addr, mach_msg_size_t size, bool dealloc)
{
	struct ool_msg m = { 0 };

	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = 1;
	m.head.msgh_size = sizeof(m);
	m.body.msgh_descriptor_count = 1;
	m.ool.address = addr;
	m.ool.size = size;
	m.ool.deallocate = dealloc;
	m.ool.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	m.tail = 77;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
}

static bool mapped(void *addr)
{
	unsigned char v;

	return mincore(addr, 1, &v) == 0;
}

/* Send @size bytes out of line (from vm_allocate), check what arrives. */
static void ool_round_trip(mach_msg_size_t size, bool dealloc)
{
	mach_port_t p = peer_port();
	vm_address_t src = 0;
	unsigned char *s, *d;
	union ool_rcv r;

	ck_assert_int_eq(vm_allocate(mach_task_self(), &src, size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	s = (unsigned char *)src;
	for (size_t i = 0; i < size; i++)
		s[i] = (unsigned char)(i * 7 + i / 4096);
	send_ool(p, s, size, dealloc);
	ck_assert(mapped(s) == !dealloc);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p,
				  PEER_TIMEOUT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(r.ool.ool.type, MACH_MSG_OOL_DESCRIPTOR);
	ck_assert_uint_eq(r.ool.ool.size, size);
	ck_assert_int_eq(r.ool.tail, 77);
	d = r.ool.ool.address;
	ck_assert_ptr_nonnull(d);
	if (!dealloc)       /* else the freed pages may be reused for the copy */
		ck_assert_ptr_ne(d, s);
	for (size_t i = 0; i < size; i++)
		if (d[i] != (unsigned char)(i * 7 + i / 4096))
			ck_abort_msg("byte %zu of %u differs", i, size);
	/* The receiver's copy is its own. */
	d[0] ^= 0xff;
	if (!dealloc)
		ck_assert_uint_eq(s[0], 0);
	ck_assert_int_eq(vm_deallocate(mach_task_self(), (vm_address_t)d, size), KERN_SUCCESS);
	ck_assert(!mapped(d));
	if (!dealloc)
		ck_assert_int_eq(vm_deallocate(mach_task_self(), src, size), KERN_SUCCESS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}

START_TEST(test_ool_inline)
{
	ool_round_trip(100, false);
	ool_round_trip(16 * 1024, true);
}
END_TEST

START_TEST(test_ool_memfd)
{
	ool_round_trip(16 * 1024 * 1024, false);
	ool_round_trip(16 * 1024 * 1024 + 3, true);
}
END_TEST

#define MANY_OOL 16

/* More inline-sized regions than one datagram holds: they must all arrive. */
START_TEST(test_ool_many)
{
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_ool_descriptor_t ool[MANY_OOL];
	} __attribute__((packed, aligned(4))) m = { 0 };
	union {
		mach_msg_header_t head;
		char space[sizeof(m) + MAX_TRAILER_SIZE];
	} r;
	mach_msg_ool_descriptor_t *got = (void *)(r.space + sizeof(mach_msg_base_t));
	mach_port_t p = peer_port();
	size_t size = 16 * 1024;
	char *src = malloc(size * MANY_OOL);

	ck_assert_ptr_nonnull(src);
	for (size_t i = 0; i < size * MANY_OOL; i++)
		src[i] = (char)(i % 251);
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = p;
	m.body.msgh_descriptor_count = MANY_OOL;
	for (int i = 0; i < MANY_OOL; i++) {
		m.ool[i].address = src + i * size;
		m.ool[i].size = (mach_msg_size_t)size;
		m.ool[i].type = MACH_MSG_OOL_DESCRIPTOR;
	}
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p,
				  PEER_TIMEOUT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	for (int i = 0; i < MANY_OOL; i++) {
		ck_assert_uint_eq(got[i].size, size);
		ck_assert_int_eq(memcmp(got[i].address, src + i * size, size), 0);
	}
	mach_msg_destroy(&r.head);
	free(src);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
}
END_TEST

static Suite *memobj_suite(void)
{
	Suite *s = suite_create("memobj");
	TCase *tc = tcase_create("memobj");

	tcase_add_test(tc, test_share_with_peer);
	tcase_add_test(tc, test_read_only);
	tcase_add_test(tc, test_named_create);
	tcase_add_test(tc, test_inheritance);
	tcase_add_test(tc, test_not_shareable);
	tcase_add_test(tc, test_mach_vm_spellings);
	tcase_add_test(tc, test_ool_inline);
	tcase_add_test(tc, test_ool_memfd);
	tcase_add_test(tc, test_ool_many);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(memobj_suite(), NULL, 0, argc, argv);
}
