/* SPDX-License-Identifier: MIT */
/*
 * spawn-plan.c - compute, before fork, everything the child will apply:
 * argv (globbed), envp, the executable's candidate paths, rlimits, and the
 * numeric uid, gid and groups of UserName/GroupName.  Doing NSS lookups,
 * glob(3) and allocation here keeps the child async-signal-safe and lets
 * an unknown user fail before any process exists.
 */
#include "spawn-plan.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* getgrouplist() sizes beyond this mean a broken group database. */
#define MAX_GROUPS 65536
/* getpwnam_r() and friends: give up growing the buffer beyond this. */
#define NSS_BUF_MAX (1 << 20)

int spawn_plan_fail(const struct spawn_plan *plan, int err, const char *fmt, ...)
{
	va_list ap;

	if (plan->reason && plan->reason_len) {
		va_start(ap, fmt);
		vsnprintf(plan->reason, plan->reason_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* --- environment ------------------------------------------------------ */

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

static ssize_t env_find(const struct spawn_plan *p, const char *kv)
{
	size_t i, n = key_len(kv);

	for (i = 0; i < p->n_env; i++)
		if (key_len(p->envp[i]) == n && strncmp(p->envp[i], kv, n) == 0)
			return (ssize_t)i;
	return -1;
}

/* Entry @i goes: a pid to be written there (pid_kv) is written nowhere. */
static void env_drop(struct spawn_plan *p, size_t i)
{
	for (size_t k = 0; k < sizeof(p->pid_kv) / sizeof(p->pid_kv[0]); k++)
		if (p->pid_kv[k] == p->envp[i])
			p->pid_kv[k] = NULL;
	free(p->envp[i]);
}

/* Take ownership of @kv ("K=V"), replacing an entry with the same key. */
static int env_put(struct spawn_plan *p, char *kv)
{
	ssize_t i;

	if (!kv)
		return -ENOMEM;
	i = env_find(p, kv);
	if (i >= 0) {
		env_drop(p, (size_t)i);
		p->envp[i] = kv;
		return 0;
	}
	if (p->n_env + 1 >= p->cap_env) {
		size_t cap = p->cap_env ? 2 * p->cap_env : 16;
		char **v = realloc(p->envp, cap * sizeof(*v));

		if (!v) {
			free(kv);
			return -ENOMEM;
		}
		p->envp = v;
		p->cap_env = cap;
	}
	p->envp[p->n_env++] = kv;
	p->envp[p->n_env] = NULL;
	return 0;
}

static int env_set(struct spawn_plan *p, const char *key, const char *value)
{
	char *kv;

	if (asprintf(&kv, "%s=%s", key, value) < 0)
		return -ENOMEM;
	return env_put(p, kv);
}

static void env_unset(struct spawn_plan *p, const char *key)
{
	ssize_t i = env_find(p, key);

	if (i < 0)
		return;
	env_drop(p, (size_t)i);
	memmove(&p->envp[i], &p->envp[i + 1], (p->n_env - (size_t)i) * sizeof(char *));
	p->n_env--;
}

/* @key with room for a pid, which the child writes (spawn.c): *@slot names it. */
static int env_reserve_pid(struct spawn_plan *p, const char *key, char **slot)
{
	char *kv;
	int r;

	if (asprintf(&kv, "%s=%020d", key, 0) < 0)
		return -ENOMEM;
	r = env_put(p, kv);
	if (r == 0)
		*slot = kv;
	return r;
}

static const char *env_get(const struct spawn_plan *p, const char *key)
{
	ssize_t i = env_find(p, key);

	return i < 0 ? NULL : p->envp[i] + strlen(key) + 1;
}

/* --- users and groups ------------------------------------------------- */

enum nss_query { USER_BY_NAME, USER_BY_UID, GROUP_BY_NAME };

/*
 * One reentrant NSS query into *@buf, grown until the entry fits (the
 * _r functions only say ERANGE).  Return: 0, -ENOENT if there is no such
 * entry, or another -errno.
 */
static int nss_get(enum nss_query q, const char *name, uid_t uid, void *ent, char **buf)
{
	size_t len = 1024;

	for (;;) {
		struct passwd *pw = NULL;
		struct group *gr = NULL;
		char *b = realloc(*buf, len);
		int r;

		if (!b)
			return -ENOMEM;
		*buf = b;
		if (q == USER_BY_NAME)
			r = getpwnam_r(name, ent, b, len, &pw);
		else if (q == USER_BY_UID)
			r = getpwuid_r(uid, ent, b, len, &pw);
		else
			r = getgrnam_r(name, ent, b, len, &gr);
		if (r == ERANGE && len < NSS_BUF_MAX) {
			len *= 2;
			continue;
		}
		/* Some NSS modules say "no such entry" with an error. */
		if (r == 0 || r == ENOENT || r == ESRCH)
			return pw || gr ? 0 : -ENOENT;
		return -r;
	}
}

static int plan_groups(struct spawn_plan *p, const char *user)
{
	int n = 32;

	for (;;) {
		gid_t *g = realloc(p->groups, (size_t)n * sizeof(gid_t));
		int want = n;

		if (!g)
			return -ENOMEM;
		p->groups = g;
		if (getgrouplist(user, p->gid, p->groups, &want) >= 0) {
			p->n_groups = (size_t)want;
			return 0;
		}
		/* glibc reports the size it needs in want; others may not. */
		n = want > n ? want : 2 * n;
		if (n > MAX_GROUPS)
			return spawn_plan_fail(p, -E2BIG, "user %s is in too many groups", user);
	}
}

static int lookup_failed(const struct spawn_plan *p, int r, const char *what, const char *name)
{
	if (r == -ENOENT)
		return spawn_plan_fail(p, r, "unknown %s %s", what, name);
	return spawn_plan_fail(p, r, "looking up %s %s: %s", what, name, strerror(-r));
}

static int plan_group_name(struct spawn_plan *p, const char *name)
{
	struct group gr;
	char *buf = NULL;
	int r = nss_get(GROUP_BY_NAME, name, 0, &gr, &buf);

	if (r < 0) {
		r = lookup_failed(p, r, "group", name);
	} else {
		p->gid = gr.gr_gid;
		p->set_gid = true;
	}
	free(buf);
	return r;
}

/* HOME, USER, LOGNAME and SHELL of whoever the job runs as. */
static int env_user(struct spawn_plan *p, const struct passwd *pw)
{
	const char *shell = pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
	int r = env_set(p, "HOME", pw->pw_dir ? pw->pw_dir : "/");

	if (r == 0)
		r = env_set(p, "USER", pw->pw_name);
	if (r == 0)
		r = env_set(p, "LOGNAME", pw->pw_name);
	if (r == 0)
		r = env_set(p, "SHELL", shell);
	return r;
}

/* UserName found: uid, primary gid (unless GroupName), groups, user env. */
static int plan_user(struct spawn_plan *p, const struct passwd *pw)
{
	const struct job_spec *s = p->spec;
	int r;

	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	p->set_uid = p->set_gid = p->set_groups = true;
	r = s->group_name ? plan_group_name(p, s->group_name) : 0;
	/* InitGroups false: no supplementary groups at all, not root's. */
	if (r == 0 && s->init_groups)
		r = plan_groups(p, pw->pw_name);
	if (r == 0)
		r = env_user(p, pw);
	return r;
}

static int plan_user_name(struct spawn_plan *p, const char *name)
{
	struct passwd pw;
	char *buf = NULL;
	int r = nss_get(USER_BY_NAME, name, 0, &pw, &buf);

	r = r < 0 ? lookup_failed(p, r, "user", name) : plan_user(p, &pw);
	free(buf);
	return r;
}

/*
 * Ids apply only when the daemon is root (launchd ignores UserName and
 * GroupName otherwise).  The environment describes the target user, or
 * the daemon's own user; having no passwd entry for the latter is fine.
 */
/*
 * The daemon's own passwd entry, for the environment of jobs that run as
 * the daemon's user: read once, not at every launch (an NSS look-up costs
 * about as much as a tenth of a demand launch).  Return: it, or NULL.
 */
static const struct passwd *own_passwd(void)
{
	static struct passwd pw;
	static char *buf;
	static uid_t uid = (uid_t)-1;

	if (buf && uid == geteuid())
		return &pw;
	free(buf);
	buf = NULL;
	if (nss_get(USER_BY_UID, NULL, geteuid(), &pw, &buf) != 0) {
		free(buf);
		buf = NULL;
		return NULL;
	}
	uid = geteuid();
	return &pw;
}

/*
 * As launchd: GroupName alone runs the job as root in that group, root's
 * groups and all; root is the daemon's own user here (as_root), read once.
 */
static int plan_root_in_group(struct spawn_plan *p)
{
	const struct passwd *pw = own_passwd();

	return pw ? plan_user(p, pw) : lookup_failed(p, -ENOENT, "user", "0");
}

static int plan_ids(struct spawn_plan *p, bool as_root)
{
	const struct job_spec *s = p->spec;
	const struct passwd *pw;

	if (as_root && s->user_name)
		return plan_user_name(p, s->user_name);
	if (as_root && s->group_name)
		return plan_root_in_group(p);
	return (pw = own_passwd()) ? env_user(p, pw) : 0;
}

/* --- argv, executable, environment, limits ---------------------------- */

/* EnableGlobbing: each argument expands in place, unmatched ones stay. */
static int plan_glob(struct spawn_plan *p)
{
	const struct job_spec *s = p->spec;
	size_t i;

	for (i = 0; i < s->argc; i++) {
		int flags = GLOB_NOCHECK | GLOB_TILDE | (i ? GLOB_APPEND : 0);
		int r = glob(s->argv[i], flags, NULL, &p->glob);

		p->globbed = true;
		if (r == GLOB_NOSPACE)
			return spawn_plan_fail(p, -ENOMEM, "glob %s: out of memory", s->argv[i]);
		if (r != 0)
			return spawn_plan_fail(p, -EIO, "glob %s: read error", s->argv[i]);
	}
	p->argv = p->glob.gl_pathv;
	return 0;
}

static int plan_argv(struct spawn_plan *p)
{
	const struct job_spec *s = p->spec;
	int r = 0;

	if (s->argc && s->argv && s->argv[0]) {
		p->argv = s->argv;
		if (s->enable_globbing)
			r = plan_glob(p);
	} else if (s->program) {
		/* Program without ProgramArguments runs with argv { Program }. */
		p->own_argv[0] = s->program;
		p->argv = p->own_argv;
	}
	if (r == 0 && !p->argv)
		r = spawn_plan_fail(p, -EINVAL, "no Program and no ProgramArguments");
	if (r == 0)
		p->program = s->program ? s->program : p->argv[0];
	if (r == 0 && !*p->program)
		r = spawn_plan_fail(p, -EINVAL, "empty program name");
	return r;
}

/*
 * execvp(3) semantics without execvp in the child: a name with a slash is
 * the path; otherwise try each directory of the job's $PATH.  Empty $PATH
 * entries (the current directory) are skipped: which program they find
 * would depend on WorkingDirectory.
 */
static int plan_exec_paths(struct spawn_plan *p)
{
	const char *path = env_get(p, "PATH");
	size_t n = 0, max = 2;
	const char *c;

	for (c = path; c && *c; c++)
		max += *c == ':';
	p->exec_paths = calloc(max, sizeof(char *));
	if (!p->exec_paths)
		return -ENOMEM;
	if (strchr(p->program, '/'))
		return (p->exec_paths[0] = strdup(p->program)) ? 0 : -ENOMEM;
	for (c = path; c && *c; c += *c == ':') {
		size_t len = strcspn(c, ":");

		if (len && asprintf(&p->exec_paths[n++], "%.*s/%s", (int)len, c,
				    p->program) < 0) {
			p->exec_paths[--n] = NULL;
			return -ENOMEM;
		}
		c += len;
	}
	return 0;
}

/*
 * Base environment, then the user's, then the domain's (bsctl setenv),
 * then EnvironmentVariables (the plist wins, as in launchd); then
 * plan_socket_env(), then plan_own_env().  $BOOTSTRAP_SOCKET is never
 * passed on: jobs reach the daemon through the inherited fd.
 */
static int plan_env(struct spawn_plan *p, bool as_root)
{
	const struct job_spec *s = p->spec;
	size_t i;
	int r = env_set(p, "PATH", SPAWN_DEFAULT_PATH);

	if (r == 0)
		r = plan_ids(p, as_root);
	for (i = 0; r == 0 && p->domain_env && p->domain_env[i]; i++)
		r = env_put(p, strdup(p->domain_env[i]));
	for (i = 0; r == 0 && s->env && s->env[i]; i++)
		r = env_put(p, strdup(s->env[i]));
	return r;
}

/*
 * The daemon's own variables, last, so that neither EnvironmentVariables
 * nor a SecureSocketWithKey name can mislead the job about its bootstrap
 * fd, its pid's claim to it, or its label.
 */
static int plan_own_env(struct spawn_plan *p)
{
	const struct job_spec *s = p->spec;
	int r = 0;

	env_unset(p, BOOTSTRAP_ENV_FD);
	env_unset(p, BOOTSTRAP_ENV_FD_PID);
	if (p->bootstrap_fd >= 0) {
		char fd[24];

		snprintf(fd, sizeof(fd), "%zu", SPAWN_BOOTSTRAP_FD + p->n_socket_fds);
		r = env_set(p, BOOTSTRAP_ENV_FD, fd);
		/* Its process (not its children) may have answers on the connection. */
		if (r == 0)
			r = env_reserve_pid(p, BOOTSTRAP_ENV_FD_PID, &p->pid_kv[1]);
	}
	if (r == 0 && s->label)
		r = env_set(p, SPAWN_ENV_JOB_LABEL, s->label);
	return r;
}

/*
 * SecureSocketWithKey paths, then what systemd sets for socket activation.
 * LISTEN_PID must be the job's own pid, which only the child knows: it is
 * written into the reserved room after the fork.
 */
static int plan_socket_env(struct spawn_plan *p, const struct spawn_request *req)
{
	char n[24];
	int r = 0;

	for (size_t i = 0; r == 0 && req->extra_env && req->extra_env[i]; i++)
		r = env_put(p, strdup(req->extra_env[i]));
	if (r || !req->socket_names || !req->n_socket_fds)
		return r;
	snprintf(n, sizeof(n), "%zu", req->n_socket_fds);
	r = env_set(p, "LISTEN_FDS", n);
	if (r == 0)
		r = env_set(p, "LISTEN_FDNAMES", req->socket_names);
	return r == 0 ? env_reserve_pid(p, "LISTEN_PID", &p->pid_kv[0]) : r;
}

int spawn_plan_init(struct spawn_plan *plan, const struct spawn_request *req,
		    char *reason, size_t reason_len)
{
	const struct job_spec *s = req->spec;
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->spec = s;
	plan->bootstrap_fd = req->bootstrap_fd;
	plan->socket_fds = req->socket_fds;
	plan->n_socket_fds = req->socket_fds ? req->n_socket_fds : 0;
	plan->use_stdio_fd = req->use_stdio_fd;
	plan->stdio_fd = req->stdio_fd;
	if (plan->n_socket_fds > SPAWN_MAX_SOCKET_FDS)
		return spawn_plan_fail(plan, -E2BIG, "more than %d sockets", SPAWN_MAX_SOCKET_FDS);
	plan->nofile_soft = req->nofile_soft;
	plan->domain_env = req->domain_env;
	plan->reason = reason;
	plan->reason_len = reason_len;
	plan->chroot = s->root_directory != NULL;
	if (plan->chroot && !req->as_root)
		return spawn_plan_fail(plan, -EPERM, "RootDirectory %s needs the daemon to run as root",
				       s->root_directory);
	r = plan_argv(plan);
	if (r == 0)
		r = plan_env(plan, req->as_root);
	if (r == 0)
		r = plan_socket_env(plan, req);
	if (r == 0)
		r = plan_own_env(plan);
	if (r == 0)
		r = plan_exec_paths(plan);
	if (r == 0)
		r = spawn_plan_rlimits(plan);
	if (r == -ENOMEM)
		r = spawn_plan_fail(plan, r, "preparing to spawn: %s", strerror(ENOMEM));
	if (r < 0)
		spawn_plan_deinit(plan);
	return r;
}

void spawn_plan_deinit(struct spawn_plan *plan)
{
	size_t i;

	if (plan->globbed)
		globfree(&plan->glob);
	for (i = 0; plan->exec_paths && plan->exec_paths[i]; i++)
		free(plan->exec_paths[i]);
	free(plan->exec_paths);
	for (i = 0; i < plan->n_env; i++)
		free(plan->envp[i]);
	free(plan->envp);
	free(plan->rlimits);
	free(plan->groups);
	plan->globbed = false;
	plan->exec_paths = NULL;
	plan->envp = NULL;
	plan->pid_kv[0] = plan->pid_kv[1] = NULL;
	plan->rlimits = NULL;
	plan->groups = NULL;
	plan->n_env = 0;
}
