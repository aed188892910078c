/* SPDX-License-Identifier: MIT */
/*
 * mig.c - the client half of the MIG runtime: the per-thread reply port,
 * bounded string copies and out-of-line memory helpers that generated user
 * stubs call.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mig.h>

#include "mig.h"

#define EXPORT __attribute__((visibility("default")))

/*
 * Each thread has its own reply port, as on macOS, so concurrent calls from
 * different threads never see each other's replies.  The key only exists
 * to destroy the port when its thread exits.  Initial-exec: read at every
 * call without a call into the dynamic linker (a few bytes of the static
 * TLS that glibc keeps spare for libraries loaded later).
 */
static __thread mach_port_t thread_reply_port __attribute__((tls_model("initial-exec")));
static pthread_key_t reply_key;
static pthread_once_t reply_key_once = PTHREAD_ONCE_INIT;
static int reply_key_ok;

static void reply_port_release(void *value)
{
	mach_port_t port = (mach_port_t)(uintptr_t)value;

	if (port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

static void reply_key_init(void)
{
	reply_key_ok = pthread_key_create(&reply_key, reply_port_release) == 0;
}

static void reply_key_set(mach_port_t port)
{
	pthread_once(&reply_key_once, reply_key_init);
	if (reply_key_ok)
		pthread_setspecific(reply_key, (void *)(uintptr_t)port);
}

EXPORT mach_port_t mig_get_reply_port(void)
{
	mach_port_t port = MACH_PORT_NULL;

	if (thread_reply_port != MACH_PORT_NULL)
		return thread_reply_port;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	thread_reply_port = port;
	reply_key_set(port);
	return port;
}

void mig_fork_child(void)
{
	thread_reply_port = MACH_PORT_NULL;
	reply_key_set(MACH_PORT_NULL);
}

EXPORT void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t port = thread_reply_port;

	(void)reply_port;
	if (port == MACH_PORT_NULL)
		return;
	thread_reply_port = MACH_PORT_NULL;
	reply_key_set(MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

EXPORT void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

EXPORT int mig_strncpy(char *dest, const char *src, int len)
{
	size_t n;

	if (len <= 0 || dest == NULL)
		return 0;
	if (src == NULL)
		src = "";
	/* As MIG's: at most len - 1 characters and a NUL; the count includes the NUL. */
	n = strnlen(src, (size_t)len - 1);
	memcpy(dest, src, n);
	dest[n] = '\0';
	return (int)n + 1;
}

EXPORT int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	int n;

	if (len > 0 && dest != NULL && src == NULL) {
		memset(dest, 0, (size_t)len);
		return 0;
	}
	n = mig_strncpy(dest, src, len);

	if (n > 0 && n < len)
		memset(dest + n, 0, (size_t)(len - n));
	return n;
}

EXPORT void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(mach_task_self(), addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		*addr = 0;
}

EXPORT void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	(void)vm_deallocate(mach_task_self(), addr, size);
}
