/* SPDX-License-Identifier: MIT */
#include "bsctl-run.h"

#include <check.h>
#include <stdio.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sanlog.h"
#include "tmpdir.h"

/* The child writes into memfds, read after it exited: no pipe to drain, no deadlock. */
static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
}

static void child(int out, int err, uid_t uid, const char *const *argv)
{
	const char *args[32] = { "bsctl" };
	size_t n = 1;

	while (*argv && n < 31)
		args[n++] = *argv++;
	args[n] = NULL;
	if (dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	if (uid != (uid_t)-1 &&
	    (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 || setuid(uid) < 0))
		_exit(126);
	execv(getenv("BSCTL"), (char *const *)args);
	_exit(127);
}

int bsctl_run(struct bsctl_out *r, uid_t uid, const char *const *argv)
{
	int out = memfd_create("bsctl-out", MFD_CLOEXEC);
	int err = memfd_create("bsctl-err", MFD_CLOEXEC);
	int status;
	pid_t pid;

	ck_assert_ptr_nonnull(getenv("BSCTL"));
	ck_assert_int_ge(out, 0);
	ck_assert_int_ge(err, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child(out, err, uid, argv);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	ck_assert_msg(r->status != 126 && r->status != 127, "cannot run %s", getenv("BSCTL"));
	sanlog_check_text(r->err, "bsctl");
	return r->status;
}

bool bsctl_until(struct bsctl_out *r, const char *const *argv, const char *want, bool present)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };

	for (int i = 0; i < 500; i++) {
		if (bsctl_run(r, (uid_t)-1, argv) == 0 && (strstr(r->out, want) != NULL) == present)
			return true;
		nanosleep(&nap, NULL);
	}
	return false;
}

bool bsctl_listed_until(struct bsctl_out *r, const char *label, bool listed)
{
	return bsctl_until(r, (const char *const[]){ "list", NULL }, label, listed);
}

char *bsctl_write_job(const char *dir, const char *name, const char *label, const char *keys)
{
	char *xml, *path;

	ck_assert_int_gt(asprintf(&xml,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>\n"
		"<key>Label</key><string>%s</string>\n%s</dict></plist>\n", label, keys), 0);
	path = tmpdir_write(dir, name, xml, 0644);
	free(xml);
	return path;
}
