/* SPDX-License-Identifier: MIT */
/*
 * target.c - launchctl 2's targets (grammar and socket paths in target.h).
 */
#include "target.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <bootstrap/linux.h>

#include "bootstrap-proto.h"
#include "ctl-client.h"

static bool has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return false;
	*rest = s + n;
	return true;
}

/* "UID", "UID/" or "UID/LABEL" after user/ or gui/. */
static int parse_user(const char *arg, const char *p, struct target *t)
{
	char *end;
	unsigned long uid;

	errno = 0;
	uid = *p >= '0' && *p <= '9' ? strtoul(p, &end, 10) : 0;
	if (!(*p >= '0' && *p <= '9') || errno || uid >= (uid_t)-1 || (*end && *end != '/')) {
		fprintf(stderr, "bsctl: %s: a user or gui domain is named by a numeric uid "
			"(user/UID, gui/UID)\n", arg);
		return -1;
	}
	t->uid = (uid_t)uid;
	snprintf(t->domain, sizeof(t->domain), "user/%lu", uid);
	t->kind = *end && end[1] ? TARGET_SERVICE : TARGET_DOMAIN;
	t->label = t->kind == TARGET_SERVICE ? end + 1 : NULL;
	return 0;
}

int target_parse(const char *arg, struct target *t)
{
	const char *rest;

	memset(t, 0, sizeof(*t));
	if (strcmp(arg, "system") == 0 || strcmp(arg, "system/") == 0) {
		t->kind = TARGET_DOMAIN;
		t->system = true;
		strcpy(t->domain, "system");
		return 0;
	}
	if (has_prefix(arg, "system/", &rest)) {
		t->kind = TARGET_SERVICE;
		t->system = true;
		strcpy(t->domain, "system");
		t->label = rest;
		return 0;
	}
	if (has_prefix(arg, "user/", &rest) || has_prefix(arg, "gui/", &rest))
		return parse_user(arg, rest, t);
	if (has_prefix(arg, "login/", &rest) || has_prefix(arg, "pid/", &rest) ||
	    has_prefix(arg, "session/", &rest)) {
		fprintf(stderr, "bsctl: %s: no such domain here: bootstrapd has the system "
			"domain and one domain per user (system/, user/UID/, gui/UID/)\n", arg);
		return -1;
	}
	if (!*arg) {
		fprintf(stderr, "bsctl: an empty label\n");
		return -1;
	}
	t->kind = TARGET_LABEL;
	t->label = arg;
	return 0;
}

/*
 * A daemon started without XDG_RUNTIME_DIR listens under /tmp, which anyone
 * may squat: only one run by @uid or root will do.
 */
static bool tmp_socket_trusted(const char *path, uid_t uid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ucred uc;
	socklen_t len = sizeof(uc);
	bool ok;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return false;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 &&
	     getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 &&
	     (uc.uid == uid || uc.uid == 0);
	close(fd);
	return ok;
}

static int fmt(char *buf, size_t len, int n)
{
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "bsctl: the domain's socket path is too long\n");
		return -1;
	}
	return 0;
}

/* The caller's own domain: where its clients find it (see bootstrap(3)). */
static bool own_domain(const struct target *t, char *buf, size_t len)
{
	const char *env = getenv(BOOTSTRAP_ENV_SOCKET);
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (t->uid != getuid())
		return false;
	if (env && *env) {
		n = snprintf(buf, len, "%s", env);
		return n > 0 && (size_t)n < len;
	}
	if (xdg && *xdg) {
		n = snprintf(buf, len, "%s/%s", xdg, BOOTSTRAP_USER_SOCKET);
		return n > 0 && (size_t)n < len;
	}
	n = snprintf(buf, len, BOOTSTRAP_USER_SOCKET_FALLBACK, (int)t->uid);
	return n > 0 && (size_t)n < len && tmp_socket_trusted(buf, t->uid);
}

int target_socket(const struct target *t, char *buf, size_t len)
{
	const char *run = getenv(TARGET_RUN_DIR_ENV);
	bool overridden = run && *run;

	if (!overridden)
		run = "/run";
	if (t->system)
		return fmt(buf, len, snprintf(buf, len, "%s/bootstrapd/socket", run));
	if (!overridden && own_domain(t, buf, len))
		return 0;
	return fmt(buf, len, snprintf(buf, len, "%s/user/%u/%s", run, (unsigned int)t->uid,
				      BOOTSTRAP_USER_SOCKET));
}

int target_use(const struct target *t)
{
	char path[PATH_MAX];

	if (t->kind == TARGET_LABEL)
		return 0;
	ctl_client_set_domain(t->domain);
	if (target_socket(t, path, sizeof(path)) < 0)
		return -1;
	ctl_client_use_socket(path, false);
	return 0;
}
