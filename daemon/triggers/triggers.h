/* SPDX-License-Identifier: MIT */
/*
 * triggers.h - what starts a job besides demand: StartInterval,
 * StartCalendarInterval, WatchPaths and QueueDirectories.
 */
#ifndef BOOTSTRAPD_TRIGGERS_H
#define BOOTSTRAPD_TRIGGERS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct event;
struct event_base;
struct job_spec;
struct path_watch;

/* What fired: the job module decides what it starts (triggers_fire_fn). */
enum trigger {
	TRIGGER_INTERVAL,       /* StartInterval */
	TRIGGER_CALENDAR,       /* StartCalendarInterval */
	TRIGGER_PATH,           /* WatchPaths changed, or QueueDirectories non-empty */
	TRIGGER_PATH_STATE,     /* a KeepAlive PathState path changed: the condition may hold */
};

typedef void triggers_fire_fn(void *arg, enum trigger what);

/* A job's trigger state: owned here, embedded in struct job. */
struct job_triggers {
	const struct job_spec *spec;    /* borrowed */
	struct event_base *base;
	triggers_fire_fn *fire;
	void *arg;
	struct event *interval_ev;
	struct event *calendar_ev;
	time_t calendar_checked;        /* StartCalendarInterval looked up to here */
	struct event *watch_ev;
	int inotify_fd;
	struct path_watch *path_watches;
	size_t n_path_watches;
};

/**
 * triggers_new() - *@out: @spec's triggers, no timer or watch set yet,
 * @fire(@arg, what) when one fires; NULL if @spec asks for none (most
 * jobs: then nothing is allocated, and every call below accepts NULL).
 * Return: 0 or -ENOMEM.
 */
int triggers_new(struct job_triggers **out, const struct job_spec *spec, struct event_base *base,
		 triggers_fire_fn *fire, void *arg);

/** triggers_arm() - set up the job's timers and path watches (failures are logged). */
void triggers_arm(struct job_triggers *t);

/** triggers_queue_pending() - whether a QueueDirectories directory is non-empty. */
bool triggers_queue_pending(const struct job_triggers *t);

/** triggers_free() - stop every timer and watch and free @t.  Return: NULL. */
struct job_triggers *triggers_free(struct job_triggers *t);

#endif
