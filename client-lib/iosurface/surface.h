/* SPDX-License-Identifier: MIT */
/*
 * surface.h - IOSurface internals.
 *
 * A surface is one memfd: the pixels from offset 0 (page-rounded), then
 * the shared header (struct surface_shared): a copy of the layout, the ID,
 * the seed, the global use count and the attached values.  Every process
 * maps the whole file shared, so the pixels and the header are the same
 * pages everywhere; a surface port is a memory entry of the file
 * (memobj.c), so passing one copies no pixels.  What a process reads from
 * the header is checked before use: a peer may have written anything.
 */
#ifndef BOOTSTRAP_SURFACE_H
#define BOOTSTRAP_SURFACE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <IOSurface/IOSurfaceLinux.h>

#include "../corefoundation/cf-runtime.h"

#define SURFACE_MAGIC 0x46534f49u       /* "IOSF" */
#define SURFACE_VERSION 1u
#define SURFACE_PLANES_MAX 4
#define SURFACE_VALUES_MAX 4096
#define SURFACE_USERS_MAX 64
#define SURFACE_MEMFD_NAME "IOSurface"

struct surface_plane {
	uint64_t width, height, bytes_per_element, bytes_per_row;
	uint64_t element_width, element_height, offset, size;
};

/* The layout: fixed when the surface is made. */
struct surface_desc {
	uint64_t width, height, bytes_per_element, bytes_per_row;
	uint64_t element_width, element_height, alloc_size;
	uint32_t pixel_format, plane_count;
	struct surface_plane planes[SURFACE_PLANES_MAX];
};

/* The shared header, at offset data_size of the memfd. */
struct surface_shared {
	uint32_t magic, version;
	uint32_t id, reserved;
	uint64_t data_size;             /* page-rounded alloc_size: where this header starts */
	struct surface_desc desc;
	_Atomic uint32_t seed;          /* changes when a writer unlocks */
	_Atomic int32_t users[SURFACE_USERS_MAX];  /* pids whose own use count is above zero */
	_Atomic int32_t users_overflow; /* how many more than the table holds */
	_Atomic int32_t values_owner;   /* pid holding the values lock, 0 when free */
	uint32_t values_len;
	uint8_t values[SURFACE_VALUES_MAX];
};

struct __IOSurface {
	struct cf_object base;
	int fd;                         /* the memfd (owned); read-only when read_only */
	bool read_only;                 /* mapped without write */
	ino_t ino;                      /* the memfd's inode: one object per surface per process */
	pid_t pid;                      /* the process that mapped it (not a forked child) */
	void *map;                      /* the whole file */
	size_t map_size;
	struct surface_shared *shared;  /* inside map */
	struct surface_desc desc;       /* checked copy: getters never read the shared one */
	IOSurfaceID id;
	pthread_mutex_t lock;           /* the counts below */
	int32_t use_count;              /* this process's */
	int user_slot;                  /* its entry in shared->users while use_count > 0; -1: overflow */
	uint32_t write_locks, read_locks;
	char reg_name[64];              /* entry in the per-user registry, "" if none */
	struct __IOSurface *next;       /* the process's table of surfaces (surface-lookup.c) */
};

/* surface.c */
/** surface_shared_size() - the page-rounded size of the shared header. */
size_t surface_shared_size(void);
/**
 * surface_from_fd() - the surface in memfd @fd (taken in every case):
 * checks the header, maps the file (read-only when @fd is, or when the
 * memory is sealed against writable maps), registers it for lookups.
 * @want_id: the ID it must have, or 0 for any.
 * Return: the surface, or NULL (reason logged).
 */
IOSurfaceRef surface_from_fd(int fd, IOSurfaceID want_id);

/* surface-layout.c */
/**
 * surface_layout_from_properties() - the layout IOSurfaceCreate()'s @props ask for.
 * Return: 0, or -EINVAL with the reason logged.
 */
int surface_layout_from_properties(CFDictionaryRef props, struct surface_desc *out);
/**
 * surface_layout_check() - whether @d, read from a peer, is one surface_layout_from_properties()
 * could make and fits in @data_size bytes.  Return: 0 or -EINVAL (logged).
 */
int surface_layout_check(const struct surface_desc *d, uint64_t data_size);

/* surface-shared.c: the header's seed, use counts and values lock. */
void surface_shared_init(struct surface_shared *sh, IOSurfaceID id, const struct surface_desc *d,
		 uint64_t data_size);
/** surface_shared_release_use() - this process lets go: drop its share of the global use count. */
void surface_shared_release_use(IOSurfaceRef s);
/**
 * surface_shared_values_lock() - take the values lock, from a dead holder
 * too.  Return: 0, or -ETIMEDOUT after a second (a live peer keeps it).
 */
int surface_shared_values_lock(struct surface_shared *sh);
void surface_shared_values_unlock(struct surface_shared *sh);

/* surface-values.c */
/** surface_values_decode() - the attached values in @buf (untrusted), or NULL if malformed. */
CFMutableDictionaryRef surface_values_decode(const uint8_t *buf, size_t len);
/** surface_values_encode() - encode @dict; Return: bytes used, or -E2BIG / -EINVAL. */
ssize_t surface_values_encode(CFDictionaryRef dict, uint8_t *buf, size_t cap);

/* surface-lookup.c: IDs, the per-user registry and the process's table. */
/** surface_lookup_new_id() - a fresh ID, not in use by this user's surfaces. */
IOSurfaceID surface_lookup_new_id(void);
/** surface_lookup_add() - put @s in the process's table and publish its ID (best effort). */
void surface_lookup_add(IOSurfaceRef s);
/** surface_lookup_remove() - take @s out of the table and the registry. */
void surface_lookup_remove(IOSurfaceRef s);
/**
 * surface_lookup_id_claimed() - whether @id is another surface's than the
 * one in file @st: in the process's table, or a live entry of this user's
 * registry.
 */
bool surface_lookup_id_claimed(IOSurfaceID id, const struct stat *st);
/** surface_lookup_find_ino() - the process's surface on memfd inode @ino, retained, or NULL. */
IOSurfaceRef surface_lookup_find_ino(ino_t ino);

/* surface-registry.c: the per-user directory of surface IDs. */
/**
 * surface_registry_has() - whether this user's registry has an entry for
 * @id: any entry (@unless NULL), or a live holder's of a surface memfd
 * other than the file @unless.
 */
bool surface_registry_has(IOSurfaceID id, const struct stat *unless);
/** surface_registry_publish() - an entry for @s (if writable here), best effort. */
void surface_registry_publish(IOSurfaceRef s);
/** surface_registry_withdraw() - remove @s's entry (not a forked child's copy's). */
void surface_registry_withdraw(IOSurfaceRef s);
/**
 * surface_registry_find() - the surface @id of a live holder of this user,
 * mapped here and retained; stale entries met are removed.  Return: it, or NULL.
 */
IOSurfaceRef surface_registry_find(IOSurfaceID id);

/* surface-log.c */
void surface_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* surface.c: the object */
/** surface_retain_live() - CFRetain() unless its last reference is already gone. */
bool surface_retain_live(IOSurfaceRef s);

#endif
