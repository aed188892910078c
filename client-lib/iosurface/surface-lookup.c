/* SPDX-License-Identifier: MIT */
/*
 * surface-lookup.c - the process's table of the surfaces it maps (one
 * object per surface), IDs, and IOSurfaceLookup() over the table and the
 * per-user registry (surface-registry.c).
 */
#include "surface.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* The process's surfaces: global because the IPC space is (one per task). */
static struct __IOSurface *table;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* Is @id taken, here or by this user's surfaces?  Table lock held. */
static bool id_in_use(IOSurfaceID id)
{
	for (struct __IOSurface *s = table; s; s = s->next)
		if (s->id == id)
			return true;
	return surface_registry_has(id, NULL);
}

bool surface_lookup_id_claimed(IOSurfaceID id, const struct stat *st)
{
	bool other = false;

	pthread_mutex_lock(&table_lock);
	for (struct __IOSurface *s = table; s && !other; s = s->next)
		other = s->id == id && s->ino != st->st_ino;
	pthread_mutex_unlock(&table_lock);
	return other || surface_registry_has(id, st);
}

IOSurfaceID surface_lookup_new_id(void)
{
	IOSurfaceID id;

	pthread_mutex_lock(&table_lock);
	do {
		if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			id = (IOSurfaceID)rand();
		id &= 0x7fffffffu;
	} while (id == 0 || id_in_use(id));
	pthread_mutex_unlock(&table_lock);
	return id;
}

void surface_lookup_add(IOSurfaceRef s)
{
	pthread_mutex_lock(&table_lock);
	s->next = table;
	table = s;
	pthread_mutex_unlock(&table_lock);
	surface_registry_publish(s);
}

void surface_lookup_remove(IOSurfaceRef s)
{
	pthread_mutex_lock(&table_lock);
	for (struct __IOSurface **p = &table; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&table_lock);
	surface_registry_withdraw(s);
}

static IOSurfaceRef find_in_table(bool by_id, IOSurfaceID id, ino_t ino)
{
	IOSurfaceRef found = NULL;

	pthread_mutex_lock(&table_lock);
	for (struct __IOSurface *s = table; s && !found; s = s->next) {
		if ((by_id ? s->id == id : s->ino == ino) && surface_retain_live(s))
			found = s;
	}
	pthread_mutex_unlock(&table_lock);
	return found;
}

IOSurfaceRef surface_lookup_find_ino(ino_t ino)
{
	return find_in_table(false, 0, ino);
}

EXPORT IOSurfaceRef IOSurfaceLookup(IOSurfaceID csid)
{
	IOSurfaceRef s;

	if (csid == 0)
		return NULL;
	s = find_in_table(true, csid, 0);
	return s ? s : surface_registry_find(csid);
}
