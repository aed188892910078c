/* SPDX-License-Identifier: MIT */
/*
 * surface-lookup.c - IOSurfaceLookup(): surfaces by ID, and the process's
 * table of the surfaces it maps.
 *
 * The per-user registry is a directory, $XDG_RUNTIME_DIR/iosurface (else
 * /tmp/iosurface-UID), mode 0700 and owned by the user: the library
 * refuses one that is not.  Every process that maps a writable surface
 * puts an entry "ID.PID.FD" there, naming its own descriptor of the memfd;
 * a lookup opens /proc/PID/fd/FD of any live holder.  The kernel enforces
 * the user boundary twice: another user can neither read the directory
 * nor open another user's /proc/PID/fd (ptrace access mode read), and the
 * memfd is mode 0600.  Entries hold no reference: the pages still go when
 * the last process lets go, and an entry whose process is gone is removed
 * by the next lookup that finds it.
 */
#include "surface.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* The process's surfaces: global because the IPC space is (one per task). */
static struct __IOSurface *table;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* The registry directory, made if missing.  Return: 0 or a negative errno. */
static int registry_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (xdg && *xdg == '/')
		n = snprintf(buf, len, "%s/iosurface", xdg);
	else
		n = snprintf(buf, len, "/tmp/iosurface-%u", (unsigned)geteuid());
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(buf, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
		return -EPERM;  /* someone else's, or open to others: not ours to trust */
	return 0;
}

static bool id_in_use(const char *dir, IOSurfaceID id)
{
	char prefix[16];
	struct dirent *e;
	DIR *d = opendir(dir);
	bool used = false;

	for (struct __IOSurface *s = table; s && !used; s = s->next)
		used = s->id == id;
	if (!d)
		return used;
	snprintf(prefix, sizeof(prefix), "%u.", id);
	while (!used && (e = readdir(d)))
		used = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return used;
}

IOSurfaceID surface_lookup_new_id(void)
{
	char dir[4096];
	bool have_dir = registry_dir(dir, sizeof(dir)) == 0;
	IOSurfaceID id;

	pthread_mutex_lock(&table_lock);
	do {
		if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			id = (IOSurfaceID)rand();
		id &= 0x7fffffffu;
	} while (id == 0 || (have_dir ? id_in_use(dir, id) : id_in_use("/nonexistent", id)));
	pthread_mutex_unlock(&table_lock);
	return id;
}

static void publish(IOSurfaceRef s)
{
	char dir[4096], path[4200], target[64];

	if (s->read_only || registry_dir(dir, sizeof(dir)) < 0)
		return;
	snprintf(s->reg_name, sizeof(s->reg_name), "%u.%d.%d", s->id, (int)getpid(), s->fd);
	snprintf(path, sizeof(path), "%s/%s", dir, s->reg_name);
	snprintf(target, sizeof(target), "/proc/%d/fd/%d", (int)getpid(), s->fd);
	unlink(path);   /* a dead process's entry with the same name */
	if (symlink(target, path) < 0)
		s->reg_name[0] = '\0';
}

void surface_lookup_add(IOSurfaceRef s)
{
	pthread_mutex_lock(&table_lock);
	s->next = table;
	table = s;
	pthread_mutex_unlock(&table_lock);
	publish(s);
}

void surface_lookup_remove(IOSurfaceRef s)
{
	char dir[4096], path[4200];

	pthread_mutex_lock(&table_lock);
	for (struct __IOSurface **p = &table; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&table_lock);
	if (s->reg_name[0] && s->pid == getpid() && registry_dir(dir, sizeof(dir)) == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, s->reg_name);
		unlink(path);
	}
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

/*
 * The memfd behind another process's entry @name, opened writable if the
 * seals allow it.  Return: the fd, or -1 (the entry is stale or not ours).
 */
static int open_entry(const char *name)
{
	char link[64], target[256];
	int pid, fd, n, ofd;

	if (sscanf(name, "%*u.%d.%d", &pid, &fd) != 2 || pid <= 0 || fd < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = (int)readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	/* Only a surface's memfd: never open whatever else that fd has become. */
	if (strncmp(target, "/memfd:" SURFACE_MEMFD_NAME " ", strlen("/memfd:" SURFACE_MEMFD_NAME " ")))
		return -1;
	/* The fd may have changed since readlink(): open nothing that could block or take a tty. */
	ofd = open(link, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (ofd < 0 && errno == EACCES)
		ofd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return ofd;
}

static IOSurfaceRef lookup_registry(IOSurfaceID id)
{
	char dir[4096], prefix[16], path[4096 + 300];
	IOSurfaceRef s = NULL;
	struct dirent *e;
	DIR *d;
	int err = registry_dir(dir, sizeof(dir));

	if (err < 0) {
		surface_log("IOSurfaceLookup: no usable registry %s: %s", dir, strerror(-err));
		return NULL;
	}
	d = opendir(dir);
	if (!d)
		return NULL;
	snprintf(prefix, sizeof(prefix), "%u.", id);
	while (!s && (e = readdir(d))) {
		int fd;

		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		fd = open_entry(e->d_name);
		if (fd >= 0)
			s = surface_from_fd(fd, id);
		if (!s) {       /* stale: its process or its fd is gone */
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	}
	closedir(d);
	return s;
}

EXPORT IOSurfaceRef IOSurfaceLookup(IOSurfaceID csid)
{
	IOSurfaceRef s;

	if (csid == 0)
		return NULL;
	s = find_in_table(true, csid, 0);
	return s ? s : lookup_registry(csid);
}
