/* SPDX-License-Identifier: MIT */
/*
 * spawn-stdio.c - opening a job's StandardInPath, StandardOutPath and
 * StandardErrorPath in the child, between fork and exec (only
 * async-signal-safe calls: raw system calls, no allocation).
 *
 * A path is opened with the job's file-system identity first, as launchd
 * opens it as the job's user: what the user may not open, the job cannot
 * make root open for it (a symlink in the user's home to /etc/shadow), and
 * a file created is the user's.  Only if the user is refused does root
 * open it, never through a symlink and never a regular file with other
 * names (a hard link), so that a job may still log into a directory only
 * root writes, such as /var/log; a file root creates is given to the job.
 */
#include "spawn-child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The job's ids for file-system checks only (the rest of the child stays root). */
static int open_as_user(const struct spawn_plan *p, const char *path, int flags)
{
	int old_uid, old_gid, fd, e;

	if (p->set_groups && setgroups(p->n_groups, p->groups) < 0)
		return -1;
	old_gid = (int)syscall(SYS_setfsgid, p->set_gid ? p->gid : (gid_t)-1);
	old_uid = (int)syscall(SYS_setfsuid, p->set_uid ? p->uid : (uid_t)-1);
	fd = open(path, flags, DEFFILEMODE);
	e = errno;
	syscall(SYS_setfsuid, old_uid);
	syscall(SYS_setfsgid, old_gid);
	errno = e;
	return fd;
}

static int open_no_symlinks(const char *path, int flags)
{
	/* A mode without O_CREAT is refused (EINVAL). */
	struct open_how how = { .flags = (unsigned int)flags,
				.mode = (flags & O_CREAT) ? DEFFILEMODE : 0,
				.resolve = RESOLVE_NO_SYMLINKS };

	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
}

/* Root's open, for a path the job's user may not open. */
static int open_as_root(const struct spawn_plan *p, const char *path, int flags)
{
	struct stat st;
	bool made = false;
	int fd = open_no_symlinks(path, flags & ~O_CREAT);

	if (fd < 0 && errno == ENOENT && (flags & O_CREAT)) {
		fd = open_no_symlinks(path, flags | O_EXCL);
		made = fd >= 0;
	}
	if (fd < 0)
		return -1;
	if (!made && (fstat(fd, &st) < 0 || (S_ISREG(st.st_mode) && st.st_nlink > 1))) {
		close(fd);
		errno = EACCES;
		return -1;
	}
	/* Where root may not give it away (a squashed NFS root), it stays
	 * root's rather than failing the job's start. */
	if (made)
		(void)!fchown(fd, p->set_uid ? p->uid : (uid_t)-1, p->set_gid ? p->gid : (gid_t)-1);
	return fd;
}

int spawn_open_stdio(const struct spawn_plan *p, const char *path, int flags)
{
	int fd;

	if (!(p->set_uid || p->set_gid))
		return open(path, flags, DEFFILEMODE);
	fd = open_as_user(p, path, flags);
	if (fd >= 0 || (errno != EACCES && errno != EPERM))
		return fd;
	return open_as_root(p, path, flags);
}
