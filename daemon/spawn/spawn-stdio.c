/* SPDX-License-Identifier: MIT */
/*
 * spawn-stdio.c - opening a job's StandardInPath, StandardOutPath and
 * StandardErrorPath in the child, between fork and exec (only
 * async-signal-safe calls: system calls on a stack buffer, no allocation).
 *
 * A path is opened with the job's file-system identity first, as launchd
 * opens it as the job's user: what the user may not open, the job cannot
 * make root open for it (a link in the user's home to /etc/shadow), and a
 * file created is the user's.  Only where the user is refused does root
 * step in, and only to create the file, or to open the file it created on
 * an earlier run (the job's user's own), in a directory nobody but root
 * may change, reached through such directories alone: so that a job may
 * log into /var/log, as before, and nobody else's file, link or FIFO is
 * ever opened by root for it.
 */
#include "spawn-child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Take @uid and @gid as file-system ids.  setfsuid() and setfsgid() say
 * nothing when they fail (they return the old id either way): a second
 * call with an id that is never valid changes nothing and tells the id
 * in force.  Return: whether both are.
 */
static bool take_fs_ids(const struct spawn_plan *p, int *old_uid, int *old_gid)
{
	*old_gid = setfsgid(p->set_gid ? p->gid : (gid_t)-1);
	*old_uid = setfsuid(p->set_uid ? p->uid : (uid_t)-1);
	return (!p->set_gid || setfsgid((gid_t)-1) == (int)p->gid) &&
	       (!p->set_uid || setfsuid((uid_t)-1) == (int)p->uid);
}

/*
 * The job's ids for file-system checks only (the rest of the child stays
 * root).  Ids that cannot be taken fail the open with EPERM, *@ids_set
 * false and *@no_ids true: the open would be root's, and root must not
 * step in either.
 */
static int open_as_user(const struct spawn_plan *p, const char *path, int flags, bool *ids_set,
			bool *no_ids)
{
	int old_uid, old_gid, fd = -1, e = EPERM;

	*ids_set = !p->set_groups || setgroups(p->n_groups, p->groups) == 0;
	if (!*ids_set)
		return -1;
	*ids_set = take_fs_ids(p, &old_uid, &old_gid);
	*no_ids = !*ids_set;
	if (*ids_set) {
		fd = open(path, flags, DEFFILEMODE);
		e = errno;
	}
	setfsuid((uid_t)old_uid);
	setfsgid((gid_t)old_gid);
	errno = e;
	return fd;
}

/*
 * A directory whose entries nobody but root may change: root's, and
 * writable by nobody else, or sticky (/tmp: others may add entries there,
 * not replace root's).
 */
static bool roots_only(const struct stat *st)
{
	return st->st_uid == 0 && ((st->st_mode & S_ISVTX) ||
				   (!(st->st_mode & S_IWOTH) &&
				    (!(st->st_mode & S_IWGRP) || st->st_gid == 0)));
}

/*
 * Step from directory @dir (a trusted one, taken) to its entry @name, a
 * directory: trusted only if root's alone; through a symlink only if root
 * made it (/var/run).  Return: the new directory (O_PATH), or -1.
 */
static int step_into(int dir, const char *name)
{
	struct stat st;
	int next = -1;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (S_ISLNK(st.st_mode) ? st.st_uid == 0 : roots_only(&st)))
		next = openat(dir, name, O_PATH | O_DIRECTORY | O_CLOEXEC |
			      (S_ISLNK(st.st_mode) ? 0 : O_NOFOLLOW));
	if (next >= 0 && (fstat(next, &st) < 0 || !roots_only(&st))) {
		close(next);
		next = -1;
	}
	close(dir);
	if (next < 0)
		errno = EACCES;
	return next;
}

/*
 * The directory of absolute @path, reached through root's directories only
 * (O_PATH), its last component in *@leaf (pointing into @buf).  Return:
 * the directory, or -1.
 */
static int trusted_dir(const char *path, char *buf, size_t len, const char **leaf)
{
	char *at, *slash;
	int dir;
	struct stat st;

	if (path[0] != '/' || strlen(path) >= len) {
		errno = EACCES;
		return -1;
	}
	strcpy(buf, path);
	*leaf = strrchr(buf, '/') + 1;
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0 && (fstat(dir, &st) < 0 || !roots_only(&st))) {
		close(dir);
		dir = -1;
	}
	for (at = buf + 1; dir >= 0 && at < *leaf - 1; at = slash + 1) {
		slash = strchr(at, '/');
		*slash = '\0';
		if (*at && strcmp(at, ".") != 0)
			dir = step_into(dir, at);
	}
	return dir;
}

/* Root's part, for a path the job's user may not open: see the top. */
static int open_as_root(const struct spawn_plan *p, const char *path, int flags)
{
	char buf[PATH_MAX];
	const char *leaf;
	struct stat st;
	int dir = trusted_dir(path, buf, sizeof(buf), &leaf), fd = -1;

	if (dir >= 0) {
		fd = openat(dir, leaf, (flags & ~O_CREAT) | O_NOFOLLOW);
		if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_uid != p->uid)) {
			close(fd);
			fd = -1;
			errno = EACCES;
		} else if (fd < 0 && errno == ENOENT && (flags & O_CREAT)) {
			fd = openat(dir, leaf, flags | O_EXCL | O_NOFOLLOW, DEFFILEMODE);
			/* Where root may not give it away (a squashed NFS root), it
			 * stays root's rather than failing the job's start. */
			if (fd >= 0)
				(void)!fchown(fd, p->uid, p->set_gid ? p->gid : (gid_t)-1);
		}
		int e = errno;

		close(dir);
		errno = e;
	}
	return fd;
}

int spawn_open_stdio(const struct spawn_plan *p, const char *path, int flags, bool *no_ids)
{
	bool ids_set;
	int fd;

	*no_ids = false;
	if (!p->set_uid)
		return open(path, flags, DEFFILEMODE);
	fd = open_as_user(p, path, flags, &ids_set, no_ids);
	if (fd >= 0 || !ids_set || (errno != EACCES && errno != EPERM))
		return fd;
	return open_as_root(p, path, flags);
}
