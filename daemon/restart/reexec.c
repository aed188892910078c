/* SPDX-License-Identifier: MIT */
/*
 * reexec.c - executing our binary again (bsctl reexec), and saving the
 * state into systemd's fd store as it changes.
 *
 * A re-exec keeps the process: running jobs stay our children.  Every fd
 * the state names (ports, jobs' bootstrap ports, the listening socket,
 * client connections) and the state's memfd are left open across execve();
 * the new image finds the memfd in RESTART_ENV_STATE_FD.  The binary is the
 * path we were started from, so that an upgraded one replaces us.
 */
#include "restart.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "domain.h"
#include "fdstore.h"
#include "log.h"
#include "registry.h"
#include "state-format.h"

static char self_exe[PATH_MAX];

void restart_self_exe(void)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	self_exe[n > 0 ? n : 0] = '\0';
}

static void save_now(struct domain *d)
{
	struct state st;
	int *ids;
	size_t n;

	d->state_dirty = false;
	if (restart_collect(d, false, &st) < 0) {
		d->state_dirty = true;  /* out of memory: the next turn tries again */
		return;
	}
	if (restart_kept_ids(&st, &ids, &n) == 0) {
		fdstore_save(d->fdstore, ids, n, &st);
		free(ids);
	}
	state_free(&st);
}

/* The deferred save is due. */
static void save_later(int fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	restart_save(arg);
}

/* Save in @ms, unless a save is due already: the timer is made on first use, freed with the loop. */
static int defer_save(struct domain *d, long ms)
{
	struct timeval tv = timeval_from_ms(ms);

	if (!d->save_ev && !(d->save_ev = evtimer_new(d->base, save_later, d)))
		return -ENOMEM;
	if (evtimer_pending(d->save_ev, NULL))
		return 0;
	return evtimer_add(d->save_ev, &tv) < 0 ? -ENOMEM : 0;
}

/* What a save's cost grows with: jobs, and names (a registration makes no job). */
static size_t state_entries(const struct domain *d)
{
	return d->jobs.count + registry_count(&d->registry) + registry_count_pid(&d->registry);
}

void restart_save(struct domain *d)
{
	long wait;

	if (!d->fdstore || !d->state_dirty)
		return;
	/* A large state is saved at most every FDSTORE_GAP_MS (fdstore.h). */
	wait = d->shutting_down ? 0 : fdstore_wait_ms(d->fdstore, state_entries(d));
	if (wait > 0 && defer_save(d, wait) == 0)
		return;
	save_now(d);
}

/* The state in a memfd that execve() keeps.  Return: the fd or a negative errno. */
static int state_memfd(const struct state *st)
{
	char *buf;
	size_t len;
	int fd, err = state_encode(st, &buf, &len);

	if (err < 0)
		return err;
	fd = memfd_create("bootstrapd-state", 0);
	if (fd >= 0 && write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		fd = -EIO;
	} else if (fd < 0) {
		fd = -errno;
	}
	free(buf);
	return fd;
}

/* Clear (or set again) FD_CLOEXEC on every fd of @st. */
static void inherit(const struct state *st, const int *ids, size_t n, bool on)
{
	int flags = on ? 0 : FD_CLOEXEC;

	for (size_t i = 0; i < n; i++)
		fcntl(ids[i], F_SETFD, flags);
	for (size_t i = 0; i < st->n_clients; i++)
		fcntl(st->clients[i], F_SETFD, flags);
}

void restart_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

/*
 * From here until the new image watches them (main.c unblocks them then),
 * a stop or reload waits, blocked: caught by this image's handler it would
 * be lost with it, and with the default action it would kill the new one
 * half-way.  One this image caught already is handled first; a stop then
 * means no re-exec.  Return: whether to go on (else *@old is restored).
 */
static bool hold_stop_signals(struct domain *d, sigset_t *old)
{
	sigset_t stop;

	restart_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, old);
	event_base_loop(d->base, EVLOOP_NONBLOCK);
	if (!d->shutting_down)
		return true;
	sigprocmask(SIG_SETMASK, old, NULL);
	return false;
}

void restart_reexec(struct domain *d, char *const argv[])
{
	struct state st;
	sigset_t old;
	char num[16];
	int *ids, fd;
	size_t n;

	d->reexec_requested = false;
	if (!hold_stop_signals(d, &old))
		return;
	/* An unload handled while the signals were held (control-domain.c refuses the request). */
	if (d->detached) {
		log_warnx("re-exec: an unloaded job is still stopping: not re-executing");
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	if (d->fdstore)
		save_now(d);    /* the store holds every port before we go */
	if (restart_collect(d, true, &st) < 0) {
		log_warnx("re-exec: out of memory: not re-executing");
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	if (restart_kept_ids(&st, &ids, &n) < 0) {
		log_warnx("re-exec: out of memory: not re-executing");
		state_free(&st);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	fd = state_memfd(&st);
	if (fd >= 0) {
		snprintf(num, sizeof(num), "%d", fd);
		setenv(RESTART_ENV_STATE_FD, num, 1);
		inherit(&st, ids, n, true);
		log_info("re-executing %s: %zu job(s), %zu name(s), %zu client(s)", self_exe,
			 st.n_jobs, st.n_services, st.n_clients);
		execv(self_exe, argv);
		log_warn("re-exec of %s failed: going on", self_exe);
		inherit(&st, ids, n, false);
		unsetenv(RESTART_ENV_STATE_FD);
		close(fd);
	} else {
		log_warnx("re-exec: cannot save the state: %s", strerror(-fd));
	}
	free(ids);
	state_free(&st);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
