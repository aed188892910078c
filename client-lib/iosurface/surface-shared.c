/* SPDX-License-Identifier: MIT */
/*
 * surface-shared.c - the state every process shares through the header
 * pages: the seed (IOSurfaceLock/Unlock), the processes using it, and the
 * lock that orders writers of the attached values.  All updates are
 * atomic operations on the shared pages, so they are seen at once by every
 * process that maps the surface.  A process that maps it read-only reads
 * them and changes nothing.
 */
#include "surface.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

void surface_shared_init(struct surface_shared *sh, IOSurfaceID id, const struct surface_desc *d,
		 uint64_t data_size)
{
	sh->magic = SURFACE_MAGIC;
	sh->version = SURFACE_VERSION;
	sh->id = id;
	sh->data_size = data_size;
	sh->desc = *d;
	atomic_store(&sh->seed, 1);
}

EXPORT IOReturn IOSurfaceLock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed)
{
	bool ro = options & kIOSurfaceLockReadOnly;

	if (!cf_is(buffer, CF_TYPE_IOSURFACE) ||
	    (options & ~(uint32_t)(kIOSurfaceLockReadOnly | kIOSurfaceLockAvoidSync)))
		return kIOReturnBadArgument;
	if (!ro && buffer->read_only)
		return kIOReturnNotWritable;
	pthread_mutex_lock(&buffer->lock);
	if (ro)
		buffer->read_locks++;
	else
		buffer->write_locks++;
	pthread_mutex_unlock(&buffer->lock);
	/* kIOSurfaceLockAvoidSync: the memory is the CPU's; there is never anything to sync. */
	if (seed)
		*seed = atomic_load(&buffer->shared->seed);
	return kIOReturnSuccess;
}

EXPORT IOReturn IOSurfaceUnlock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed)
{
	bool ro = options & kIOSurfaceLockReadOnly;
	uint32_t *count;

	if (!cf_is(buffer, CF_TYPE_IOSURFACE) ||
	    (options & ~(uint32_t)(kIOSurfaceLockReadOnly | kIOSurfaceLockAvoidSync)))
		return kIOReturnBadArgument;
	pthread_mutex_lock(&buffer->lock);
	count = ro ? &buffer->read_locks : &buffer->write_locks;
	if (*count == 0) {
		pthread_mutex_unlock(&buffer->lock);
		return kIOReturnBadArgument;    /* not locked that way */
	}
	(*count)--;
	pthread_mutex_unlock(&buffer->lock);
	/* Sequentially consistent: pixels written under the lock are visible before the new seed. */
	if (!ro)
		atomic_fetch_add(&buffer->shared->seed, 1);
	if (seed)
		*seed = atomic_load(&buffer->shared->seed);
	return kIOReturnSuccess;
}

EXPORT uint32_t IOSurfaceGetSeed(IOSurfaceRef buffer)
{
	return cf_is(buffer, CF_TYPE_IOSURFACE) ? atomic_load(&buffer->shared->seed) : 0;
}

/*
 * Use counts follow Apple's: each process has its own, and the surface is
 * in use while any process's is above zero, until that process decrements
 * it or ends.  So the shared pages list the pids whose count is above zero
 * rather than count them: a process that died is simply not alive.
 */
static void user_add(IOSurfaceRef s)
{
	int32_t self = (int32_t)getpid();

	for (int i = 0; i < SURFACE_USERS_MAX; i++) {
		int32_t free_slot = 0;

		if (atomic_compare_exchange_strong(&s->shared->users[i], &free_slot, self)) {
			s->user_slot = i;
			return;
		}
	}
	s->user_slot = -1;
	atomic_fetch_add(&s->shared->users_overflow, 1);
}

static void user_remove(IOSurfaceRef s)
{
	int32_t self = (int32_t)getpid();

	if (s->user_slot >= 0)
		atomic_compare_exchange_strong(&s->shared->users[s->user_slot], &self, 0);
	else
		atomic_fetch_sub(&s->shared->users_overflow, 1);
}

/* Whether another live process's use count is above zero; forgets dead ones. */
static bool others_use(IOSurfaceRef s)
{
	int32_t self = (int32_t)getpid();

	if (atomic_load(&s->shared->users_overflow) > 0)
		return true;
	for (int i = 0; i < SURFACE_USERS_MAX; i++) {
		int32_t pid = atomic_load(&s->shared->users[i]);

		if (pid <= 0 || pid == self)
			continue;
		if (kill(pid, 0) == 0 || errno == EPERM)
			return true;
		if (!s->read_only)
			atomic_compare_exchange_strong(&s->shared->users[i], &pid, 0);
	}
	return false;
}

EXPORT void IOSurfaceIncrementUseCount(IOSurfaceRef buffer)
{
	if (!cf_is(buffer, CF_TYPE_IOSURFACE))
		return;
	pthread_mutex_lock(&buffer->lock);
	if (buffer->use_count++ == 0 && !buffer->read_only)
		user_add(buffer);
	pthread_mutex_unlock(&buffer->lock);
}

EXPORT void IOSurfaceDecrementUseCount(IOSurfaceRef buffer)
{
	if (!cf_is(buffer, CF_TYPE_IOSURFACE))
		return;
	pthread_mutex_lock(&buffer->lock);
	if (buffer->use_count > 0 && --buffer->use_count == 0 && !buffer->read_only)
		user_remove(buffer);
	pthread_mutex_unlock(&buffer->lock);
}

EXPORT int32_t IOSurfaceGetUseCount(IOSurfaceRef buffer)
{
	int32_t n;

	if (!cf_is(buffer, CF_TYPE_IOSURFACE))
		return 0;
	pthread_mutex_lock(&buffer->lock);
	n = buffer->use_count;
	pthread_mutex_unlock(&buffer->lock);
	return n;
}

EXPORT Boolean IOSurfaceIsInUse(IOSurfaceRef buffer)
{
	if (!cf_is(buffer, CF_TYPE_IOSURFACE))
		return false;
	return IOSurfaceGetUseCount(buffer) > 0 || others_use(buffer);
}

void surface_shared_release_use(IOSurfaceRef s)
{
	if (s->use_count > 0 && !s->read_only)
		user_remove(s);
	s->use_count = 0;
}

/*
 * Holders are processes; one that died holding the lock loses it.  A live
 * one that keeps it (a hostile peer may) costs a second, not a hang.
 */
int surface_shared_values_lock(struct surface_shared *sh)
{
	const struct timespec pause = { 0, 100 * 1000 };   /* 10000 pauses: about a second */
	int32_t self = (int32_t)getpid(), owner = 0;

	for (unsigned tries = 0; !atomic_compare_exchange_weak(&sh->values_owner, &owner, self);) {
		if (owner != 0 && owner != self && kill(owner, 0) < 0 && errno == ESRCH)
			continue;       /* owner is dead: take it from that pid */
		if (++tries == 10000)
			return -ETIMEDOUT;
		owner = 0;
		if (tries > 100)
			nanosleep(&pause, NULL);
		else
			sched_yield();
	}
	return 0;
}

void surface_shared_values_unlock(struct surface_shared *sh)
{
	atomic_store(&sh->values_owner, 0);
}
