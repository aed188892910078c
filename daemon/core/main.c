/* SPDX-License-Identifier: MIT */
/*
 * main.c - bootstrapd: options, the domain, signals, the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "domain.h"
#include "forward.h"
#include "domain-run.h"
#include "fdstore.h"
#include "log.h"
#include "options.h"
#include "restart.h"
#include "sdnotify.h"
#include "server.h"
#include "service.h"
#include "supervise.h"

/* @rc: what sdnotify() returned. */
static void notify(int rc)
{
	if (rc < 0)
		log_warnx("cannot notify systemd: %s", strerror(-rc));
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct domain *d = arg;

	(void)what;
	switch (sig) {
	case SIGCHLD:
		supervise_reap(d);
		break;
	case SIGHUP:
		/* systemd shows the unit reloading until READY=1 comes back. */
		notify(sdnotify_reloading());
		log_info("SIGHUP: rescanning job directories");
		domain_load_dirs(d);
		notify(sdnotify("READY=1"));
		break;
	default:
		notify(sdnotify("STOPPING=1"));
		domain_shutdown(d);
		break;
	}
}

static struct event *add_signal(struct domain *d, int sig)
{
	struct event *ev = evsignal_new(d->base, sig, on_signal, d);

	if (!ev || event_add(ev, NULL) < 0)
		fatalx("cannot watch signal %d", sig);
	return ev;
}

/* A stop sent during a re-exec waited, blocked, for the watches just made (reexec.c). */
static void unblock_stop_signals(void)
{
	sigset_t stop;

	restart_stop_signals(&stop);
	sigprocmask(SIG_UNBLOCK, &stop, NULL);
}

/*
 * The socket's directory: made if missing (0755 for the system domain, 0700
 * for a user's), and refused if another user owns it or may write to it,
 * since whoever controls it can put a socket of theirs in our place.
 */
static void make_socket_dir(const char *path, bool system)
{
	char *dir = strdup(path);
	struct stat st;

	if (!dir)
		fatal("strdup");
	dirname(dir);
	if (mkdir(dir, system ? 0755 : 0700) < 0 && errno != EEXIST)
		fatal("mkdir %s", dir);
	if (lstat(dir, &st) < 0)
		fatal("%s", dir);
	if (!S_ISDIR(st.st_mode) || (st.st_uid != geteuid() && st.st_uid != 0) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH) && !(st.st_mode & S_ISVTX)))
		fatalx("%s: not a directory of ours (owner %d, mode %o): refusing to listen there",
		       dir, (int)st.st_uid, (unsigned int)(st.st_mode & 07777));
	free(dir);
}

static void detach_from_terminal(void)
{
	if (daemon(0, 0) < 0)
		fatal("daemon");
}

/*
 * Every service holds two fds: raise the soft limit to the hard one, and
 * remember the old value for the jobs (spawn.c gives it back to them).
 */
static void raise_fd_limit(struct domain *d)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	d->nofile_soft = rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn("cannot raise the fd limit to %lu", (unsigned long)rl.rlim_max);
}

/*
 * The loop's timers run on libevent's default (coarse) monotonic clock:
 * the precise one costs a timerfd_settime() on every turn of the loop,
 * one of five system calls per look-up.  A timer that must not end early
 * (the throttle) checks the precise clock when it fires (job.c).
 */
static struct event_base *new_base(void)
{
	return event_base_new();
}

static void setup(struct domain *d, const struct options *o)
{
	int err;

	if (options_apply(o, d) < 0)
		fatalx("out of memory");
	d->base = new_base();
	if (!d->base)
		fatalx("event_base_new failed");
	make_socket_dir(d->socket_path, d->system);
	err = restart_listen_fd(d);
	err = err >= 0 ? domain_listen_fd(d, err) : domain_listen(d);
	if (err == -EADDRINUSE)
		fatalx("%s: another bootstrapd is serving this socket", d->socket_path);
	if (err < 0)
		fatalx("cannot listen on %s: %s", d->socket_path, strerror(-err));
	d->sigchld_ev = add_signal(d, SIGCHLD);
	d->sigterm_ev = add_signal(d, SIGTERM);
	d->sigint_ev = add_signal(d, SIGINT);
	d->sighup_ev = add_signal(d, SIGHUP);
	unblock_stop_signals();
	registry_init(&d->registry, d->system, d->owner);
	d->dispatch = server_dispatch;
}

static void teardown(struct domain *d)
{
	forwarder_free(d->parent);
	domain_deinit(d);
	event_free(d->sigchld_ev);
	event_free(d->sigterm_ev);
	event_free(d->sigint_ev);
	event_free(d->sighup_ev);
	if (d->save_ev)
		event_free(d->save_ev);
	event_base_free(d->base);
	service_on_pidfd_close(NULL, NULL);
	fdstore_free(d->fdstore);
	for (size_t i = 0; i < d->n_job_dirs; i++)
		free(d->job_dirs[i]);
	free(d->job_dirs);
	free(d->socket_path);
	free(d->parent_socket);
	free(d->state_dir);
}

/* A registrant's pidfd is closing: the fd store stores what takes its number again. */
static void forget_pidfd(int fd, void *store)
{
	fdstore_forget_id(store, fd);
}

/*
 * Before anything opens an fd: the state a daemon before us left, its fds
 * back at their numbers (restart.h).  Return: whether this is a re-exec.
 */
static bool find_state(struct domain *d)
{
	bool reexec = getenv(RESTART_ENV_STATE_FD) != NULL;
	int r;

	restart_self_exe();
	raise_fd_limit(d);
	d->fdstore = fdstore_new();
	if (d->fdstore)
		service_on_pidfd_close(forget_pidfd, d->fdstore);
	r = restart_find(d);
	if (r < 0)
		log_warnx("the saved state was refused (%s): starting afresh", strerror(-r));
	return reexec;
}

/* The loop; between turns, a re-exec asked for and the state saved. */
static void run(struct domain *d, char **argv)
{
	while (event_base_loop(d->base, EVLOOP_ONCE) >= 0 && !event_base_got_exit(d->base) &&
	       !event_base_got_break(d->base)) {
		if (d->reexec_requested && !d->shutting_down)
			restart_reexec(d, argv);
		restart_save(d);
	}
}

/*
 * /dev/null on whichever of 0, 1 and 2 is closed, before anything is
 * opened: no port, connection or pidfd ever takes one of them, as a
 * restart's state refuses those numbers (and a write to "stderr" would
 * land in a port).
 */
static void keep_stdio_numbers(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			_exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
	struct options o;
	struct domain d;
	bool reexec;

	keep_stdio_numbers();
	domain_init(&d);
	options_parse(&o, argc, argv);
	reexec = find_state(&d);
	log_init("bootstrapd", 1, o.log_level);
	signal(SIGPIPE, SIG_IGN);
	setup(&d, &o);
	/* A re-executed daemon is detached already, and its jobs' parent. */
	if (!o.foreground && !reexec) {
		detach_from_terminal();
		log_init("bootstrapd", 0, o.log_level);
	}
	log_info("serving the %s domain on %s", d.system ? "system" : "user", d.socket_path);
	domain_load_dirs(&d);
	restart_end(&d);
	restart_save(&d);
	notify(sdnotify("READY=1"));
	run(&d, argv);
	log_info("exiting");
	teardown(&d);
	options_deinit(&o);
	return 0;
}
