/* SPDX-License-Identifier: MIT */
#include "triggers.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "calendar.h"
#include "job-spec.h"
#include "log.h"

/* Whether @spec asks for a timer or a path watch at all: most jobs do not. */
static bool wants_triggers(const struct job_spec *spec)
{
	const struct keepalive *ka = &spec->keepalive;

	return spec->start_interval > 0 || spec->n_calendar || spec->n_watch_paths ||
	       spec->n_queue_directories || (ka->mode == KEEPALIVE_CONDITIONAL && ka->n_path_state);
}

int triggers_new(struct job_triggers **out, const struct job_spec *spec, struct event_base *base,
		 triggers_fire_fn *fire, void *arg)
{
	struct job_triggers *t;

	*out = NULL;
	if (!wants_triggers(spec))
		return 0;
	t = malloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	*t = (struct job_triggers){ .spec = spec, .base = base, .fire = fire, .arg = arg,
				    .inotify_fd = -1 };
	*out = t;
	return 0;
}

static void interval_fired(evutil_socket_t fd, short what, void *arg)
{
	struct job_triggers *t = arg;

	(void)fd;
	(void)what;
	t->fire(t->arg, TRIGGER_INTERVAL);
}

/* Wake at the next minute boundary of the wall clock: missed minutes coalesce. */
static void calendar_schedule(struct job_triggers *t)
{
	struct timeval tv = { .tv_sec = 60 - calendar_now() % 60 };

	evtimer_add(t->calendar_ev, &tv);
}

static void calendar_fired(evutil_socket_t fd, short what, void *arg)
{
	struct job_triggers *t = arg;
	time_t now = calendar_now();

	(void)fd;
	(void)what;
	/* Every minute since the last look, not just this one: a wake-up late
	 * by hours (suspend) still starts the job, once. */
	if (calendar_due(t->spec, t->calendar_checked, now))
		t->fire(t->arg, TRIGGER_CALENDAR);
	else
		log_job(LOG_DEBUG, t->spec->label, "StartCalendarInterval: no match since the last look");
	t->calendar_checked = now;
	calendar_schedule(t);
}

static bool dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return any;
}

static bool queue_nonempty(const struct job_spec *spec)
{
	for (size_t i = 0; i < spec->n_queue_directories; i++)
		if (dir_has_entries(spec->queue_directories[i]))
			return true;
	return false;
}

/*
 * A path that does not exist yet is watched through its directory; then
 * only events naming it count (the directory may see unrelated traffic).
 */
enum watch_kind {
	WATCH_PATH = 1,         /* WatchPaths: any change starts the job */
	WATCH_QUEUE = 2,        /* QueueDirectories: start while non-empty */
	WATCH_STATE = 4,        /* KeepAlive PathState: start when the condition holds */
};

struct path_watch {
	int wd;
	char *name;             /* basename to match in the directory, or NULL */
	char *path;             /* the path asked for, to watch again when the watch goes */
	enum watch_kind kind;
};

/*
 * The kinds of watch @ev concerns (enum watch_kind bits).  An overflow of the queue concerns
 * them all: the events it lost may have been any watch's, and a path
 * changed or a queue filled must not go unseen for good.
 */
static unsigned int event_kinds(const struct job_triggers *t, const struct inotify_event *ev)
{
	bool lost = ev->mask & IN_Q_OVERFLOW;
	unsigned int kinds = 0;

	for (size_t i = 0; i < t->n_path_watches; i++) {
		const struct path_watch *w = &t->path_watches[i];

		if (lost || (w->wd == ev->wd &&
			     (!w->name || (ev->len && strcmp(w->name, ev->name) == 0))))
			kinds |= w->kind;
	}
	return kinds;
}

static void add_watch(struct job_triggers *t, int wd, const char *name, const char *path,
		      enum watch_kind kind)
{
	struct path_watch *w = realloc(t->path_watches,
				       (t->n_path_watches + 1) * sizeof(*w));

	if (!w)
		return;
	t->path_watches = w;
	w[t->n_path_watches] = (struct path_watch){ wd, name ? strdup(name) : NULL,
						      strdup(path), kind };
	t->n_path_watches++;
}

/*
 * A file, or a path that does not exist yet, is watched through its
 * directory (events there name it), so that deleting and creating it again
 * keeps it watched; a directory is watched itself, to see its entries.
 */
static int add_inotify(struct job_triggers *t, const char *path, const char **name, char **dir)
{
	uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
			IN_DELETE_SELF | IN_ATTRIB | IN_MODIFY;
	struct stat st;

	*name = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return inotify_add_watch(t->inotify_fd, path, mask);
	*dir = strdup(path);
	if (!*dir)
		return -1;
	*name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	return inotify_add_watch(t->inotify_fd, dirname(*dir), mask);
}

/* Watch @path, or its directory when it does not exist yet (it may be created). */
static void watch_path(struct job_triggers *t, const char *path, enum watch_kind kind)
{
	const char *name;
	char *dir = NULL;
	int wd = add_inotify(t, path, &name, &dir);

	if (wd >= 0)
		add_watch(t, wd, name, path, kind);
	else
		log_job_warn(t->spec->label, "cannot watch %s", path);
	free(dir);
}

/*
 * Watch anew the paths of watch @wd (all of them, or only @name's): the
 * kernel dropped it because what it watched went away, or a path watched
 * through its directory became a directory, whose entries it must see.
 * @wd -1 (the queue's overflow, which names no watch) is every watch: the
 * events that said so may be among those lost.  The entries come out
 * first: a new watch may get the same number.
 */
static void rewatch(struct job_triggers *t, int wd, const char *name)
{
	struct path_watch *gone = calloc(t->n_path_watches + 1, sizeof(*gone));
	size_t n = 0;

	if (!gone)
		return;
	for (size_t i = 0; i < t->n_path_watches;) {
		const struct path_watch *w = &t->path_watches[i];

		if ((wd < 0 || w->wd == wd) && (!name || (w->name && strcmp(w->name, name) == 0))) {
			gone[n++] = t->path_watches[i];
			t->path_watches[i] = t->path_watches[--t->n_path_watches];
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		watch_path(t, gone[i].path, gone[i].kind);
		free(gone[i].name);
		free(gone[i].path);
	}
	free(gone);
}

static void paths_changed(evutil_socket_t fd, short what, void *arg)
{
	struct job_triggers *t = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	unsigned int kinds = 0;
	ssize_t n;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			kinds |= event_kinds(t, ev);
			if (ev->mask & (IN_IGNORED | IN_Q_OVERFLOW))
				rewatch(t, ev->wd, NULL);
			else if ((ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR) && ev->len)
				rewatch(t, ev->wd, ev->name);
			p += sizeof(*ev) + ev->len;
		}
	}
	if ((kinds & WATCH_PATH) || ((kinds & WATCH_QUEUE) && queue_nonempty(t->spec)))
		t->fire(t->arg, TRIGGER_PATH);
	else if (kinds & WATCH_STATE)
		t->fire(t->arg, TRIGGER_PATH_STATE);
}

bool triggers_queue_pending(const struct job_triggers *t)
{
	return t && queue_nonempty(t->spec);
}

static void arm_paths(struct job_triggers *t)
{
	const struct job_spec *spec = t->spec;
	const struct keepalive *ka = &spec->keepalive;
	size_t n_state = ka->mode == KEEPALIVE_CONDITIONAL ? ka->n_path_state : 0;

	if (!spec->n_watch_paths && !spec->n_queue_directories && !n_state)
		return;
	t->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (t->inotify_fd < 0) {
		log_job_warn(spec->label, "inotify");
		return;
	}
	for (size_t i = 0; i < spec->n_watch_paths; i++)
		watch_path(t, spec->watch_paths[i], WATCH_PATH);
	for (size_t i = 0; i < spec->n_queue_directories; i++)
		watch_path(t, spec->queue_directories[i], WATCH_QUEUE);
	for (size_t i = 0; i < n_state; i++)
		watch_path(t, ka->path_state[i].path, WATCH_STATE);
	t->watch_ev = event_new(t->base, t->inotify_fd, EV_READ | EV_PERSIST,
				  paths_changed, t);
	if (t->watch_ev)
		event_add(t->watch_ev, NULL);
	if (queue_nonempty(spec))
		t->fire(t->arg, TRIGGER_PATH);
}

void triggers_arm(struct job_triggers *t)
{
	const struct job_spec *spec;

	if (!t)
		return;
	spec = t->spec;
	if (spec->start_interval > 0) {
		struct timeval tv = { .tv_sec = spec->start_interval };

		t->interval_ev = event_new(t->base, -1, EV_PERSIST, interval_fired, t);
		if (t->interval_ev)
			evtimer_add(t->interval_ev, &tv);
	}
	if (spec->n_calendar) {
		t->calendar_ev = evtimer_new(t->base, calendar_fired, t);
		t->calendar_checked = calendar_now();
		if (t->calendar_ev)
			calendar_schedule(t);
	}
	arm_paths(t);
}

static void disarm(struct job_triggers *t)
{
	if (t->interval_ev)
		event_free(t->interval_ev);
	if (t->calendar_ev)
		event_free(t->calendar_ev);
	if (t->watch_ev)
		event_free(t->watch_ev);
	if (t->inotify_fd >= 0)
		close(t->inotify_fd);
	for (size_t i = 0; i < t->n_path_watches; i++) {
		free(t->path_watches[i].name);
		free(t->path_watches[i].path);
	}
	free(t->path_watches);
	t->path_watches = NULL;
	t->n_path_watches = 0;
	t->interval_ev = t->calendar_ev = t->watch_ev = NULL;
	t->inotify_fd = -1;
}

struct job_triggers *triggers_free(struct job_triggers *t)
{
	if (t) {
		disarm(t);
		free(t);
	}
	return NULL;
}
