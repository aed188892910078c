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
 * ever opened by root for it (each is looked at through an O_PATH fd,
 * which opens nothing, and what was looked at is what is opened).  A link of root's on the way (/var/run) is
 * read, not handed to the kernel, and its target taken a component at a
 * time under the same rules: resolved whole, it could pass through a
 * directory the user may change (/var/log/app -> /home/alice/logs), and
 * the user steer root into any directory of root's.
 */
#include "spawn-child.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>

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
 * root).  Ids that cannot be taken (its groups, or its file-system uid or
 * gid) fail the open with EPERM, *@ids_set false and *@no_ids true: the
 * open would be root's, and root must not step in either.
 */
static int open_as_user(const struct spawn_plan *p, const char *path, int flags, bool *ids_set,
			bool *no_ids)
{
	int old_uid, old_gid, fd = -1, e = EPERM;

	if (p->set_groups && setgroups(p->n_groups, p->groups) < 0) {
		*ids_set = false;
		*no_ids = true;         /* its groups are file-system ids too */
		return -1;
	}
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
 * Whether the access ACL @acl (its xattr, @len bytes) lets a user or group
 * other than root write: a named entry with write.  Its owner's, group's
 * and others' entries are the mode's bits (the group's, or the mask, which
 * bounds the named entries), read with the mode.  An entry that lets
 * someone read alone changes nothing for the entries (systemd's ACLs for
 * log readers).  An ACL not understood is taken as letting others write.
 */
static bool acl_lets_others_write(const char *acl, ssize_t len)
{
	const size_t head = sizeof(struct posix_acl_xattr_header);
	struct posix_acl_xattr_header h;
	struct posix_acl_xattr_entry e;

	if (len < (ssize_t)head || ((size_t)len - head) % sizeof(e))
		return true;
	memcpy(&h, acl, head);
	if (le32toh(h.a_version) != POSIX_ACL_XATTR_VERSION)
		return true;
	for (size_t at = head; at < (size_t)len; at += sizeof(e)) {
		unsigned int tag;

		memcpy(&e, acl + at, sizeof(e));
		tag = le16toh(e.e_tag);
		if ((tag == ACL_USER || tag == ACL_GROUP) && le32toh(e.e_id) != 0 &&
		    (le16toh(e.e_perm) & ACL_WRITE))
			return true;
	}
	return false;
}

/*
 * Whether directory @fd (O_PATH) has an access ACL that lets others write.
 * Read from the directory opened again through @fd ("." of it: the same
 * inode), as fgetxattr() refuses O_PATH fds before Linux 6.8.  No ACL, or
 * a file system without them: no.  Unreadable (too long): yes.
 */
static bool acl_lets_others_in(int fd)
{
	char acl[1024];
	int dir = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;
	ssize_t n;

	if (dir < 0)
		return true;
	n = fgetxattr(dir, "system.posix_acl_access", acl, sizeof(acl));
	e = errno;
	close(dir);
	if (n < 0)
		return e != ENODATA && e != EOPNOTSUPP;
	return acl_lets_others_write(acl, n);
}

/*
 * Whether directory @fd (O_PATH; @st) has entries nobody but root may
 * change: root's, and writable by nobody else, by its mode or its ACL, or
 * sticky (/tmp: others may add entries there, not replace root's).
 */
static bool roots_only(int fd, const struct stat *st)
{
	return st->st_uid == 0 && ((st->st_mode & S_ISVTX) ||
				   (!(st->st_mode & S_IWOTH) &&
				    (!(st->st_mode & S_IWGRP) || st->st_gid == 0) &&
				    !acl_lets_others_in(fd)));
}

/*
 * Symbolic links root follows on one path.  The kernel allows 40; a log
 * path needs one or two (/var/run), and each costs a readlink.
 */
#define ROOT_LINKS_MAX 8

/*
 * Root's walk to a directory: where it stands and what is left to take.
 * A link's target is put in front of the rest, to be taken a component at
 * a time like the path itself, so that nothing the kernel resolves on its
 * own lies outside the rules.
 */
struct walk {
	int dir;                        /* O_PATH, root's alone; -1 once refused */
	unsigned links;                 /* links followed */
	size_t at;                      /* the next component, in rest */
	char rest[PATH_MAX];
	char target[PATH_MAX];          /* a link's, as read */
};

/* Stop the walk with @err (EACCES for a rule, ELOOP for too many links). */
static void refuse(struct walk *w, int err)
{
	if (w->dir >= 0)
		close(w->dir);
	w->dir = -1;
	errno = err;
}

/* Stand at @next (or refuse with the errno that failed it), leaving where we were. */
static void move_to(struct walk *w, int next)
{
	int e = errno;

	if (w->dir >= 0)
		close(w->dir);
	w->dir = next;
	errno = e;
}

/*
 * @fd (O_PATH, taken; -1 passes its errno on), kept only if it is a
 * directory nobody but root may change the entries of.  Return: it, or -1.
 */
static int roots_dir(int fd)
{
	struct stat st;
	int err = EACCES;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		err = EACCES;   /* not known to be root's */
	else if (!S_ISDIR(st.st_mode))
		err = ENOTDIR;
	else if (roots_only(fd, &st))
		return fd;
	close(fd);
	errno = err;
	return -1;
}

/*
 * The directory @name in @dir, never through a link (links are read,
 * walk_link()), kept only if nobody but root may change its entries.
 * Return: it (O_PATH), or -1.
 */
static int open_roots_dir(int dir, const char *name)
{
	return roots_dir(openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

/*
 * Follow @link (O_PATH; @st), a link in the directory we stand in, if it
 * is root's: its target goes in front of the rest, and an absolute one
 * starts again from "/".  A relative one is taken from the link's
 * directory, its ".." as the kernel takes it, the real parent, and by the
 * same rules.
 */
static void walk_link(struct walk *w, int link, const struct stat *st)
{
	size_t left = strlen(w->rest + w->at);
	ssize_t n;

	if (st->st_uid != 0)
		return refuse(w, EACCES);
	if (++w->links > ROOT_LINKS_MAX)
		return refuse(w, ELOOP);
	n = readlinkat(link, "", w->target, sizeof(w->target));
	if (n <= 0 || (size_t)n + 1 + left >= sizeof(w->rest))
		return refuse(w, n < 0 ? errno : n == 0 ? ENOENT : ENAMETOOLONG);
	memmove(w->rest + n + 1, w->rest + w->at, left + 1);
	memcpy(w->rest, w->target, (size_t)n);
	w->rest[n] = '/';
	w->at = 0;
	if (w->target[0] == '/')
		move_to(w, open_roots_dir(AT_FDCWD, "/"));
}

/*
 * Take the entry @name of the directory we stand in: a directory or a
 * link.  Checked, then read or entered, through one fd: the same inode,
 * whatever another user may put at @name meanwhile (in /tmp).
 */
static void walk_step(struct walk *w, const char *name)
{
	struct stat st;
	int fd = openat(w->dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC), e;

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
		walk_link(w, fd, &st);
		e = errno;
		close(fd);
		errno = e;
	} else {
		move_to(w, roots_dir(fd));
	}
}

/* Take the rest a component at a time.  Return: where it ends, or -1. */
static int walk_rest(struct walk *w)
{
	while (w->dir >= 0 && w->rest[w->at]) {
		char *name = w->rest + w->at, *slash = strchr(name, '/');

		if (slash)
			*slash = '\0';
		w->at += strlen(name) + (slash != NULL);
		if (*name && strcmp(name, ".") != 0)
			walk_step(w, name);
	}
	return w->dir;
}

/*
 * The directory of absolute @path, reached from "/" through directories,
 * and links of root's, that nobody but root may change (O_PATH); its last
 * component, never followed, in *@leaf (pointing into @path).  Return:
 * the directory, or -1 with errno EACCES (or ELOOP) where a rule refused.
 */
static int trusted_dir(const char *path, struct walk *w, const char **leaf)
{
	size_t len;

	if (path[0] != '/' || strlen(path) >= sizeof(w->rest)) {
		errno = EACCES;
		return -1;
	}
	*leaf = strrchr(path, '/') + 1;
	len = (size_t)(*leaf - path);
	memcpy(w->rest, path, len);
	w->rest[len] = '\0';
	w->at = 0;
	w->links = 0;
	w->dir = open_roots_dir(AT_FDCWD, "/");
	return walk_rest(w);
}

/* "/proc/self/fd/@fd" in @buf, without snprintf() (not async-signal-safe). */
static void proc_fd_path(char buf[32], int fd)
{
	char digits[12];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + fd % 10);
	while ((fd /= 10) > 0);
	memcpy(buf, "/proc/self/fd/", 14);
	for (size_t i = 0; i < n; i++)
		buf[14 + i] = digits[n - 1 - i];
	buf[14 + n] = '\0';
}

/*
 * @at (O_PATH; @st, a regular file) opened with @flags through
 * /proc/self/fd: that very inode, not whatever has its name by now.
 * Without /proc, refused (EACCES): root would open by name again.
 */
static int reopen(int at, const struct stat *st, int flags)
{
	struct stat now;
	char path[32];
	int fd;

	proc_fd_path(path, at);
	fd = open(path, flags & ~(O_CREAT | O_EXCL));
	if (fd < 0 && errno == ENOENT)
		errno = EACCES;
	if (fd >= 0 && (fstat(fd, &now) < 0 || now.st_dev != st->st_dev ||
			now.st_ino != st->st_ino)) {
		close(fd);
		fd = -1;
		errno = EACCES;
	}
	return fd;
}

/*
 * The job's own file @leaf in @dir, opened with @flags.  Looked at first,
 * never followed nor opened (O_PATH): another user's FIFO or device would
 * see an open, and is refused before any.  Return: the fd, or -1 (EACCES
 * for a file not the job's, ENOENT for none).
 */
static int open_own_file(const struct spawn_plan *p, int dir, const char *leaf, int flags)
{
	struct stat st;
	int at = openat(dir, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC), fd = -1, e = EACCES;

	if (at < 0)
		return -1;
	if (fstat(at, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == p->uid) {
		fd = reopen(at, &st, flags);
		e = errno;
	}
	close(at);
	errno = e;
	return fd;
}

/* Root's part, for a path the job's user may not open: see the top. */
static int open_as_root(const struct spawn_plan *p, const char *path, int flags)
{
	struct walk w;
	const char *leaf;
	int dir = trusted_dir(path, &w, &leaf), fd = -1;

	if (dir >= 0) {
		fd = open_own_file(p, dir, leaf, flags);
		if (fd < 0 && errno == ENOENT && (flags & O_CREAT)) {
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

int spawn_open_stdio(const struct spawn_plan *p, const char *path, int flags,
		     enum child_stage *stage)
{
	bool ids_set, no_ids = false;
	int fd;

	*stage = STAGE_STDIO;
	if (!p->set_uid)
		return open(path, flags, DEFFILEMODE);
	fd = open_as_user(p, path, flags, &ids_set, &no_ids);
	if (no_ids)
		*stage = STAGE_STDIO_IDS;
	if (fd >= 0 || !ids_set || (errno != EACCES && errno != EPERM))
		return fd;
	fd = open_as_root(p, path, flags);
	/* Root's rules refuse with these alone: its own opens see neither. */
	if (fd < 0 && (errno == EACCES || errno == ELOOP))
		*stage = STAGE_STDIO_UNTRUSTED;
	return fd;
}
