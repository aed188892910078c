/* SPDX-License-Identifier: MIT */
/*
 * surface-registry.c - the per-user registry that IOSurfaceLookup()
 * resolves IDs through.
 *
 * It is a directory, $XDG_RUNTIME_DIR/iosurface (else
 * /dev/shm/iosurface-UID, else /tmp/iosurface-UID), mode 0700 and owned
 * by the user: the library refuses one that is not.  Every process that
 * maps a writable surface puts an entry "ID.PID.FD" there, a symbolic
 * link naming its own descriptor of the memfd; a lookup opens
 * /proc/PID/fd/FD of any live holder.  The kernel enforces the user
 * boundary twice: another user can neither read the directory nor open
 * another user's /proc/PID/fd (ptrace access mode read), and the memfd is
 * mode 0600.  Entries hold no reference: the pages still go when the last
 * process lets go, and an entry whose process is gone is removed by the
 * next lookup that finds it.
 */
#include "surface.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The directory last checked, so that entries cost one link and one
 * unlink, not a check each (global: the environment is the process's).
 */
static struct {
	pthread_mutex_t lock;
	char path[4096];
} checked = { PTHREAD_MUTEX_INITIALIZER, "" };

static int dir_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (xdg && *xdg == '/')
		n = snprintf(buf, len, "%s/iosurface", xdg);
	else            /* memory, not disk, where there is /dev/shm */
		n = snprintf(buf, len, "%s/iosurface-%u",
			     access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (unsigned)geteuid());
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Make @path if missing; it must be a directory of ours, closed to others. */
static int dir_check(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
		return -EPERM;  /* someone else's, or open to others: not ours to trust */
	return 0;
}

/**
 * registry_dir() - the registry's path in @buf, checked (once per path).
 * Return: 0, or a negative errno (the registry cannot be used).
 */
static int registry_dir(char *buf, size_t len)
{
	int err = dir_path(buf, len);

	if (err < 0)
		return err;
	pthread_mutex_lock(&checked.lock);
	if (strcmp(checked.path, buf) != 0) {
		err = dir_check(buf);
		snprintf(checked.path, sizeof(checked.path), "%s", err == 0 ? buf : "");
	}
	pthread_mutex_unlock(&checked.lock);
	return err;
}

/* The directory went away under us: check it again next time. */
static void registry_forget(void)
{
	pthread_mutex_lock(&checked.lock);
	checked.path[0] = '\0';
	pthread_mutex_unlock(&checked.lock);
}

/*
 * Whether entry @name is a live holder's surface memfd other than the
 * file @unless: an entry whose fd is gone or is something else now (its
 * process exec'd, or its pid is another's) is stale, not a claim.
 */
static bool entry_on_other(const char *name, const struct stat *unless)
{
	static const char memfd[] = "/memfd:" SURFACE_MEMFD_NAME " ";
	char link[64], target[256];
	struct stat st;
	int pid, fd;
	ssize_t n;

	if (sscanf(name, "%*u.%d.%d", &pid, &fd) != 2 || pid <= 0 || fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	if (strncmp(target, memfd, sizeof(memfd) - 1) || stat(link, &st) < 0)
		return false;
	return st.st_dev != unless->st_dev || st.st_ino != unless->st_ino;
}

bool surface_registry_has(IOSurfaceID id, const struct stat *unless)
{
	char dir[4096], prefix[16];
	struct dirent *e;
	bool used = false;
	DIR *d;

	if (registry_dir(dir, sizeof(dir)) < 0 || !(d = opendir(dir)))
		return false;
	snprintf(prefix, sizeof(prefix), "%u.", id);
	while (!used && (e = readdir(d)))
		used = strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		       (!unless || entry_on_other(e->d_name, unless));
	closedir(d);
	return used;
}

static int link_entry(IOSurfaceRef s, char *path, size_t len)
{
	char dir[4096], target[64];
	int err = registry_dir(dir, sizeof(dir));

	if (err < 0)
		return err;
	snprintf(path, len, "%s/%s", dir, s->reg_name);
	snprintf(target, sizeof(target), "/proc/%d/fd/%d", (int)getpid(), s->fd);
	unlink(path);   /* a dead process's entry with the same name */
	return symlink(target, path) < 0 ? -errno : 0;
}

void surface_registry_publish(IOSurfaceRef s)
{
	char path[4096 + 64];
	int err;

	if (s->read_only)
		return;
	snprintf(s->reg_name, sizeof(s->reg_name), "%u.%d.%d", s->id, (int)getpid(), s->fd);
	err = link_entry(s, path, sizeof(path));
	if (err == -ENOENT) {           /* removed since it was checked */
		registry_forget();
		err = link_entry(s, path, sizeof(path));
	}
	if (err < 0)
		s->reg_name[0] = '\0';
}

void surface_registry_withdraw(IOSurfaceRef s)
{
	char dir[4096], path[4096 + 64];

	/* A forked child's copy: the entry is the parent's. */
	if (!s->reg_name[0] || s->pid != getpid() || registry_dir(dir, sizeof(dir)) < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, s->reg_name);
	unlink(path);
}

/*
 * The memfd behind another process's entry @name, opened writable if the
 * seals allow it.  Return: the fd, or -1 (the entry is stale or not ours).
 */
static int open_entry(const char *name)
{
	static const char memfd[] = "/memfd:" SURFACE_MEMFD_NAME " ";
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
	if (strncmp(target, memfd, sizeof(memfd) - 1))
		return -1;
	/* The fd may have changed since readlink(): open nothing that could block or take a tty. */
	ofd = open(link, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (ofd < 0 && errno == EACCES)
		ofd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return ofd;
}

IOSurfaceRef surface_registry_find(IOSurfaceID id)
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
