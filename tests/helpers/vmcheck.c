/* SPDX-License-Identifier: MIT */
/* vmcheck.c - whether memory may be written, tried in a child. */
#include "helpers/vmcheck.h"

#include <check.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int vmcheck_write_in_child(volatile uint32_t *addr)
{
	pid_t pid = fork();
	int ws;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		addr[0] = 0xdead;
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	return WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
}

vm_address_t vmcheck_alloc(vm_size_t size)
{
	vm_address_t a = 0;

	ck_assert_int_eq(vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	ck_assert(a != 0 && (a & vm_page_mask) == 0);
	return a;
}

mach_port_t vmcheck_entry(vm_address_t addr, vm_size_t size, vm_prot_t prot)
{
	memory_object_size_t s = size;
	mach_port_t e = MACH_PORT_NULL;

	ck_assert_int_eq(mach_make_memory_entry_64(mach_task_self(), &s, addr, prot, &e,
						   MACH_PORT_NULL), KERN_SUCCESS);
	ck_assert_uint_eq(s, size);
	ck_assert(MACH_PORT_VALID(e));
	return e;
}
