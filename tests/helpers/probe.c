/* SPDX-License-Identifier: MIT */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdcheck.h"
#include "sanlog.h"
#include "spawn-job.h"
#include "tmpdir.h"

const char *probe_path(void)
{
	const char *p = getenv("SPAWN_PROBE");

	ck_assert_msg(p != NULL, "SPAWN_PROBE not set: run through meson test");
	return p;
}

void probe_spec_arg(struct job_spec *s, const char *arg)
{
	s->argv = realloc(s->argv, (s->argc + 2) * sizeof(char *));
	ck_assert_ptr_nonnull(s->argv);
	s->argv[s->argc++] = strdup(arg);
	s->argv[s->argc] = NULL;
}

void probe_spec_env(struct job_spec *s, const char *kv)
{
	s->env = realloc(s->env, (s->n_env + 2) * sizeof(char *));
	ck_assert_ptr_nonnull(s->env);
	s->env[s->n_env++] = strdup(kv);
	s->env[s->n_env] = NULL;
}

void probe_spec_rlimit(struct job_spec *s, int resource, unsigned long long soft,
		       unsigned long long hard)
{
	s->rlimits = realloc(s->rlimits, (s->n_rlimits + 1) * sizeof(*s->rlimits));
	ck_assert_ptr_nonnull(s->rlimits);
	s->rlimits[s->n_rlimits++] = (struct job_rlimit){
		.resource = resource, .has_soft = true, .has_hard = true, .soft = soft, .hard = hard,
	};
}

struct job_spec *probe_spec_new(const char *dir, const char *mode, ...)
{
	struct job_spec *s = calloc(1, sizeof(*s));
	const char *arg;
	va_list ap;

	ck_assert_ptr_nonnull(s);
	s->label = strdup(PROBE_LABEL);
	s->init_groups = true;  /* the plist default */
	ck_assert_int_gt(asprintf(&s->stdout_path, "%s/out", dir), 0);
	ck_assert_int_gt(asprintf(&s->stderr_path, "%s/probe.stderr", dir), 0);
	probe_spec_arg(s, probe_path());
	probe_spec_arg(s, mode);
	va_start(ap, mode);
	while ((arg = va_arg(ap, const char *)))
		probe_spec_arg(s, arg);
	va_end(ap);
	return s;
}

char *probe_slurp(const char *path)
{
	char *buf = calloc(1, 65536);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, 65535);
	ck_assert_int_ge(n, 0);
	close(fd);
	return buf;
}

pid_t probe_spawn(const struct job_spec *s, int bootstrap_fd)
{
	struct spawn_request req = { s, bootstrap_fd, geteuid() == 0 };
	char reason[256];
	pid_t pid = -1;
	int r = spawn_job(&req, &pid, reason, sizeof(reason));

	ck_assert_msg(r == 0, "spawn_job: %d (%s)", r, reason);
	ck_assert_str_eq(reason, "");
	ck_assert_int_gt(pid, 0);
	return pid;
}

char *probe_run(const struct job_spec *s, int bootstrap_fd)
{
	pid_t pid = probe_spawn(s, bootstrap_fd);
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	sanlog_check(s->stderr_path, "spawn-probe");
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "probe status %#x", st);
	return probe_slurp(s->stdout_path);
}

char *probe_spawn_logged(const struct job_spec *s, int *status)
{
	char *path = probe_tmp_path("daemon.log"), *log;
	int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid_t pid;

	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
	pid = probe_spawn(s, -1);
	ck_assert_int_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	ck_assert_int_eq(waitpid(pid, status, 0), pid);
	sanlog_check(s->stderr_path, "spawn-probe");
	log = probe_slurp(path);
	free(path);
	return log;
}

/* The probe's first line is "probe", so every key line follows a '\n'. */
bool probe_has_line(const char *report, const char *line)
{
	char *needle;
	bool found;

	ck_assert_int_gt(asprintf(&needle, "\n%s\n", line), 0);
	found = strstr(report, needle) != NULL;
	free(needle);
	return found;
}

char *probe_tmp;
int probe_fds_before;

void probe_setup(void)
{
	probe_fds_before = fdcheck_count();
	probe_tmp = tmpdir_new("spawn");
}

void probe_teardown(void)
{
	int fds_after;

	tmpdir_remove(probe_tmp);
	probe_tmp = NULL;
	fds_after = fdcheck_count();
	if (fds_after != probe_fds_before)
		fdcheck_dump();
	ck_assert_int_eq(fds_after, probe_fds_before);
}

char *probe_tmp_path(const char *name)
{
	char *p;

	ck_assert_int_gt(asprintf(&p, "%s/%s", probe_tmp, name), 0);
	return p;
}

void probe_spawn_fails(const struct job_spec *s, bool as_root, int err, const char *what)
{
	struct spawn_request req = { s, -1, as_root };
	char reason[256];
	pid_t pid = -1;
	int r = spawn_job(&req, &pid, reason, sizeof(reason));

	ck_assert_msg(r == err, "spawn_job: %d, want %d (%s)", r, err, reason);
	ck_assert_int_eq(pid, -1);
	ck_assert_msg(strstr(reason, what) != NULL, "reason \"%s\" lacks \"%s\"", reason, what);
	/* A failed child has been reaped by spawn_job() itself. */
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
