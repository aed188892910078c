/* SPDX-License-Identifier: MIT */
#include "privtmp.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
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

/* What the test needs from the shared /tmp when it runs from there: its build and source trees. */
static const char *const kept_env[] = { "BOOTSTRAPD_BUILD_ROOT", "BOOTSTRAPD_TEST_DATA" };
#define N_KEPT (sizeof(kept_env) / sizeof(kept_env[0]))

static int mkdir_p(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

/* Bind @fd (the old @path, under the shared /tmp) at @path in the new one. */
static int keep(int fd, const char *path)
{
	char from[64];

	if (access(path, F_OK) == 0)            /* inside one kept already */
		return 0;
	snprintf(from, sizeof(from), "/proc/self/fd/%d", fd);
	if (mkdir_p(path) < 0 || mount(from, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

/* The kept trees are opened in the new namespace, before the tmpfs covers them. */
static int try_enter(void)
{
	int r = geteuid() == 0 ? 0 : enter_user_namespace(), fds[N_KEPT];

	if (r < 0)
		return r;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	for (size_t i = 0; i < N_KEPT; i++) {
		const char *path = getenv(kept_env[i]);

		fds[i] = path && strncmp(path, "/tmp/", 5) == 0 ?
			 open(path, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	}
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		r = -errno;
	for (size_t i = 0; i < N_KEPT; i++) {
		if (fds[i] >= 0 && r == 0)
			r = keep(fds[i], getenv(kept_env[i]));
		if (fds[i] >= 0)
			close(fds[i]);
	}
	return r;
}

const char *privtmp_missing(void)
{
	static char why[160];
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return "fork";
	if (pid == 0)
		_exit(-try_enter());
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return "a private /tmp (the probe for one died)";
	if (WEXITSTATUS(st) == 0)
		return NULL;
	snprintf(why, sizeof(why), "a private /tmp (a mount namespace: root, or user namespaces): %s",
		 strerror(WEXITSTATUS(st)));
	return why;
}

void privtmp_enter(void)
{
	int r = try_enter();

	ck_assert_msg(r == 0, "private /tmp: %s", strerror(-r));
	setenv("TMPDIR", "/tmp", 1);    /* the private one */
}
