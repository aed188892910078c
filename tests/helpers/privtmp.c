/* SPDX-License-Identifier: MIT */
#include "privtmp.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -EIO;
}

/* Without root: a user namespace where we are who we were, with the right to mount. */
static int enter_user_namespace(void)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER) < 0)
		return -errno;
	if (write_file("/proc/self/setgroups", "deny") < 0)
		return -EPERM;
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		return -EPERM;
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

static int try_enter(void)
{
	int r = geteuid() == 0 ? 0 : enter_user_namespace();

	if (r < 0)
		return r;
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		return -errno;
	return 0;
}

const char *privtmp_missing(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return "fork";
	if (pid == 0)
		_exit(try_enter() == 0 ? 0 : 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return "a private /tmp (a mount namespace: root, or user namespaces)";
	return NULL;
}

void privtmp_enter(void)
{
	int r = try_enter();

	ck_assert_msg(r == 0, "private /tmp: %s", strerror(-r));
}
