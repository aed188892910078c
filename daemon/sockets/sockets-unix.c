/* SPDX-License-Identifier: MIT */
/*
 * sockets-unix.c - Unix-domain Sockets entries.  SockPathName binds where
 * it says (after removing a stale socket file, as the domain's own socket
 * does); SecureSocketWithKey binds "Listeners" in a fresh private
 * directory and exports the path in the named variable, as launchctl did.
 * A listener kept across a restart keeps its path (and directory).
 */
#include "sockets-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "domain.h"
#include "job-spec.h"

/* Remember @path (made here) so that unload removes it if it is still ours. */
static int record(struct job_sockets *js, const char *path, bool dir)
{
	struct sockets_path *v = realloc(js->paths, (js->n_paths + 1) * sizeof(*v));
	struct stat st;

	if (!v)
		return -ENOMEM;
	js->paths = v;
	if (lstat(path, &st) < 0)
		return -errno;
	v[js->n_paths].path = strdup(path);
	if (!v[js->n_paths].path)
		return -ENOMEM;
	v[js->n_paths].dev = st.st_dev;
	v[js->n_paths].ino = st.st_ino;
	v[js->n_paths].dir = dir;
	js->n_paths++;
	return 0;
}

void sockets_unix_remove(struct job_sockets *js)
{
	while (js->n_paths > 0) {
		struct sockets_path *p = &js->paths[--js->n_paths];
		struct stat st;

		if (lstat(p->path, &st) == 0 && st.st_dev == p->dev && st.st_ino == p->ino)
			(void)(p->dir ? rmdir(p->path) : unlink(p->path));
		free(p->path);
	}
	free(js->paths);
	js->paths = NULL;
}

/*
 * Return: 0 if @path is free (a stale socket file was removed), else
 * -EADDRINUSE or -EEXIST.  The probe never waits: a listener whose
 * queue is full (anyone's, planted at the path) would hold a blocking
 * connect(), and the whole daemon with it, until it accepted.
 */
static int clear_stale(const struct sockaddr_un *sun, int type)
{
	struct stat st;
	int fd, r;

	if (lstat(sun->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ? 0 : errno;
	close(fd);
	if (r != ECONNREFUSED)
		return -EADDRINUSE;     /* someone listens (EAGAIN: its queue full; EPROTOTYPE: another type) */
	return unlink(sun->sun_path) < 0 ? -errno : 0;
}

static int add_env(struct job_sockets *js, const char *key, const char *value)
{
	char **v = realloc(js->env, (js->n_env + 2) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	js->env = v;
	if (asprintf(&v[js->n_env], "%s=%s", key, value) < 0)
		return -ENOMEM;
	v[++js->n_env] = NULL;
	return 0;
}

/* The job's user may enter the private directory when the daemon runs the job as someone else. */
static int give_dir(const struct job_sockets *js, const char *dir)
{
	struct passwd *pw;

	if (!js->as_root || !js->spec->user_name)
		return 0;
	pw = getpwnam(js->spec->user_name);
	if (!pw)
		return -ENOENT;
	return chown(dir, pw->pw_uid, (gid_t)-1) < 0 ? -errno : 0;
}

/* The file name of SecureSocketWithKey socket @name in @dir: @name if it can be one. */
static const char *secure_file_name(const char *dir, const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strlen(dir) + 1 + strlen(name) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return "Listeners";
	return name;
}

/*
 * SecureSocketWithKey: DIR/NAME in a new mode-0700 directory, NAME the
 * Sockets key as in launchd ("Listeners" if that cannot be a file name);
 * the variable names it.  The directory is the job's user's only once
 * the socket is in it (bind_listen()).
 */
static int secure_path(struct job_sockets *js, const struct job_socket *s, const char *name,
		       struct sockaddr_un *sun, const char **step)
{
	const char *tmp = getenv("TMPDIR");
	char dir[sizeof(sun->sun_path)];
	int r;

	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	*step = "mkdtemp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/bootstrapd.XXXXXX", tmp) >= sizeof(dir) - 10)
		return -ENAMETOOLONG;
	if (!mkdtemp(dir))
		return -errno;
	r = record(js, dir, true);
	if (r < 0) {
		rmdir(dir);
		return r;
	}
	/* secure_file_name() makes it fit; a path cut short must never be bound. */
	if ((size_t)snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir,
			     secure_file_name(dir, name)) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	*step = "environment";
	return add_env(js, s->secure_key, sun->sun_path);
}

/*
 * SockPathOwner, SockPathGroup of the socket at @path (changing the owner
 * needs root); never through a link, should one have taken its place.
 */
static int set_owner(const struct job_socket *s, const char *path, const char **step)
{
	*step = "chown";
	if ((s->has_path_owner || s->has_path_group) &&
	    lchown(path, s->has_path_owner ? s->path_owner : (uid_t)-1,
		   s->has_path_group ? s->path_group : (gid_t)-1) < 0)
		return -errno;
	return 0;
}

/* SockPathMode of a socket already at @path (a kept listener's); never through a link. */
static int set_mode(const struct job_socket *s, const char *path, const char **step)
{
	*step = "chmod";
	if (s->has_path_mode && fchmodat(AT_FDCWD, path, s->path_mode, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

/*
 * The umask a new socket of @s is bound under, so that its file is made
 * with its mode at once (no chmod of a path another could swap for a link
 * meanwhile): SockPathMode; for SecureSocketWithKey, open to all, since
 * its directory is the job's user's alone and that user must connect;
 * else (mode_t)-1, the daemon's own.
 */
static mode_t bind_umask(const struct job_socket *s)
{
	if (s->has_path_mode)
		return ~s->path_mode & 0777;
	return s->secure_key ? 0 : (mode_t)-1;
}

/* bind(2) @fd at @sun, its file made under bind_umask(). */
static int bind_with_mode(const struct job_socket *s, int fd, const struct sockaddr_un *sun)
{
	mode_t mask = bind_umask(s), old = mask == (mode_t)-1 ? 0 : umask(mask);
	int r = bind(fd, (const struct sockaddr *)sun, sizeof(*sun)) < 0 ? -errno : 0;

	if (mask != (mode_t)-1)
		umask(old);
	return r;
}

/* @sun's directory, which secure_path() made, given to the job's user now that the socket is in it. */
static int give_secure_dir(const struct job_sockets *js, const struct sockaddr_un *sun)
{
	char dir[sizeof(sun->sun_path)];

	snprintf(dir, sizeof(dir), "%s", sun->sun_path);
	*strrchr(dir, '/') = '\0';
	return give_dir(js, dir);
}

static int bind_listen(struct job_sockets *js, const struct job_socket *s, int fd,
		       const struct sockaddr_un *sun, const char **step)
{
	int r;

	*step = "bind";
	r = clear_stale(sun, s->type);
	if (r == 0)
		r = bind_with_mode(s, fd, sun);
	if (r < 0)
		return r;
	r = record(js, sun->sun_path, false);
	if (r == 0)
		r = set_owner(s, sun->sun_path, step);
	if (r == 0 && s->secure_key)
		r = (*step = "chown", give_secure_dir(js, sun));
	*step = "listen";
	if (r == 0 && s->type != SOCK_DGRAM && listen(fd, SOMAXCONN) < 0)
		r = -errno;
	return r;
}

/*
 * SockPassive false: connect @fd to @sun without waiting (a listener there
 * whose queue is full would hold the daemon), then hand it to the job
 * blocking, as a connected socket comes.  Return: 0 or a negative errno.
 */
static int connect_now(int fd, const struct sockaddr_un *sun)
{
	int fl = fcntl(fd, F_GETFL), r;

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) < 0 ? -errno : 0;
	if (fcntl(fd, F_SETFL, fl) < 0 && r == 0)
		r = -errno;
	return r;
}

/* A new socket for @s at @sun (made here for SecureSocketWithKey), in *@out. */
static int open_new(struct job_sockets *js, const struct job_socket *s, const char *name,
		    struct sockaddr_un *sun, const char **step, int *out)
{
	int fd, r = 0;

	if (s->secure_key)
		r = secure_path(js, s, name, sun, step);
	else
		snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", s->path_name);
	fd = r < 0 ? -1 : socket(AF_UNIX, s->type | SOCK_CLOEXEC, 0);
	if (r == 0 && fd < 0)
		r = -errno;
	if (r == 0 && s->passive)
		r = bind_listen(js, s, fd, sun, step);
	else if (r == 0 && (r = connect_now(fd, sun)) < 0)
		*step = "connect";
	*out = fd;
	return r;
}

/* Whether absolute @path is where secure_path() puts socket @name: DIR/FILE, DIR bootstrapd.*. */
static bool secure_shaped(const char *path, const char *name)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *file, *base;

	snprintf(dir, sizeof(dir), "%s", path);
	file = strrchr(dir, '/');
	*file++ = '\0';
	base = strrchr(dir, '/');
	return base && strncmp(base + 1, "bootstrapd.", 11) == 0 &&
	       strcmp(file, secure_file_name(dir, name)) == 0;
}

/*
 * Why the kept listener @fd, bound at @sun (filled), does not do for @s
 * any more, or NULL: it must be bound to the same SockPathName, or for
 * SecureSocketWithKey where this file would make it, and still be on disk.
 */
static const char *kept_misfit(const struct job_socket *s, const char *name, int fd,
			       struct sockaddr_un *sun)
{
	socklen_t len = sizeof(*sun) - 1;       /* a NUL always follows the path */
	struct stat st;

	memset(sun, 0, sizeof(*sun));
	if (getsockname(fd, (struct sockaddr *)sun, &len) < 0 || sun->sun_path[0] != '/')
		return "not bound to a path";
	if (s->path_name && strcmp(sun->sun_path, s->path_name) != 0)
		return "bound to another path now";
	if (s->secure_key && !secure_shaped(sun->sun_path, name))
		return "not at a SecureSocketWithKey path";
	if (lstat(sun->sun_path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return "gone from its path";
	return NULL;
}

/*
 * The kept listener at @sun, as if made here: its path (and for
 * SecureSocketWithKey its directory, and the variable) recorded again,
 * SockPathMode and its owner applied as the plist says now.
 */
static int keep_path(struct job_sockets *js, const struct job_socket *s,
		     const struct sockaddr_un *sun, const char **step)
{
	char dir[sizeof(sun->sun_path)];
	int r = 0;

	*step = "keep";
	if (s->secure_key) {
		snprintf(dir, sizeof(dir), "%s", sun->sun_path);
		*strrchr(dir, '/') = '\0';
		r = record(js, dir, true);
		if (r == 0)
			r = add_env(js, s->secure_key, sun->sun_path);
	}
	if (r == 0)
		r = record(js, sun->sun_path, false);
	if (r == 0)
		r = set_mode(s, sun->sun_path, step);
	return r < 0 ? r : set_owner(s, sun->sun_path, step);
}

/*
 * A kept listener of @s, bound at @sun, is refused: if it was at the very
 * path a new one now binds (the type changed), its file goes first.  The
 * fd store may still hold a copy, which would keep the path in use.
 */
static void release_path(const struct job_socket *s, const struct sockaddr_un *sun)
{
	struct stat st;

	if (s->path_name && strcmp(sun->sun_path, s->path_name) == 0 &&
	    lstat(sun->sun_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(sun->sun_path);
}

/* The listener kept for @at, if any and if it does for @s; its path in @sun. */
static int take_kept(struct job_sockets *js, const struct job_socket *s,
		     const struct sockets_at *at, struct sockaddr_un *sun)
{
	const char *why, *misfit;
	int fd = sockets_kept_take(js, at, AF_UNIX, s->type, &why);

	if (fd < 0)
		return -1;
	misfit = kept_misfit(s, at->name, fd, sun);
	if (!why && !misfit)
		return fd;
	sockets_kept_refuse(js, at, fd, why ? why : misfit);
	release_path(s, sun);
	return -1;
}

int sockets_unix_open(struct job_sockets *js, const struct job_socket *s,
		      const struct sockets_at *at, char *reason, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *step = "socket";
	int fd = take_kept(js, s, at, &sun), r;

	if (fd >= 0) {
		r = keep_path(js, s, &sun, &step);
	} else {
		sun = (struct sockaddr_un){ .sun_family = AF_UNIX };
		r = open_new(js, s, at->name, &sun, &step, &fd);
	}
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		snprintf(reason, len, "Sockets \"%s\": %s %s: %s", at->name, step,
			 sun.sun_path[0] ? sun.sun_path : "(secure directory)",
			 r == -EEXIST ? "exists and is not a socket" :
			 r == -EADDRINUSE ? "in use" : strerror(-r));
		return r;
	}
	return sockets_add_fd(js, fd, at, reason, len);
}
