/* SPDX-License-Identifier: MIT */
#include "jobdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "dir-names.h"
#include "domain.h"
#include "job.h"
#include "job-plist.h"
#include "job-spec.h"
#include "jobdir-prefetch.h"
#include "log.h"
#include "overrides.h"
#include "plist.h"

static bool is_plist_name(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && name[0] != '.' && strcasecmp(name + n - 6, ".plist") == 0;
}

/* launchd's path_goodness_check (plist_trust_of()), logged. */
static bool trusted(const char *path, const struct stat *st, enum plist_trust t)
{
	switch (t) {
	case PLIST_TRUSTED:
		return true;
	case PLIST_NOT_REGULAR:
		log_warnx("%s: not a regular file: skipped", path);
		break;
	case PLIST_NOT_ROOTS:
		log_warnx("%s: dubious ownership (uid %d, not root): skipped", path, (int)st->st_uid);
		break;
	case PLIST_WRITABLE:
		log_warnx("%s: dubious permissions (group or world writable): skipped", path);
		break;
	}
	return false;
}

static bool unchanged(const struct job *job, const struct stat *st)
{
	return job->source.ino == st->st_ino && job->source.size == st->st_size &&
	       job->source.mtime.tv_sec == st->st_mtim.tv_sec &&
	       job->source.mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static struct job *job_from_path(struct domain *d, const char *path)
{
	return strmap_get(&d->job_paths, path);
}

/* @spec (taken) from @path, of @st: loaded, or replacing @job, the path's job until now. */
static void load_spec(struct domain *d, const struct overrides *ov, struct job *job,
		      struct job_spec *spec, const char *path, const struct stat *st)
{
	char reason[256];

	/* bsctl disable/unload -w: not loaded again, but a loaded one stays (launchctl). */
	if (overrides_disabled(ov, spec)) {
		log_job(job ? LOG_DEBUG : LOG_INFO, spec->label, "%s: disabled: skipped", path);
		if (job)
			job->source.seen = true;
		job_spec_free(spec);
		return;
	}
	if (job) {
		log_job(LOG_INFO, job->spec->label, "%s changed: reloading", path);
		job_unload(job);
	}
	job = job_new(d, spec, reason, sizeof(reason));
	if (!job) {
		log_warnx("%s: %s", path, reason);
		return;
	}
	job->source.from_dir = true;
	if (strmap_put(&d->job_paths, job->spec->path, job) < 0)
		log_warnx("%s: out of memory: changes to it will load it twice", path);
	job->source.seen = true;
	job->source.ino = st->st_ino;
	job->source.size = st->st_size;
	job->source.mtime = st->st_mtim;
}

/* The warnings a parse kept, a line each, logged as they would have been while parsing. */
static void log_warnings(const char *lines)
{
	for (const char *p = lines, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		log_warnx("%.*s", (int)(nl - p), p);
	}
}

/* @path's result @r: loaded, or its job kept or dropped as the file says. */
static void load_file(struct domain *d, const struct overrides *ov, const char *path,
		      struct prefetched *r)
{
	struct job *job = job_from_path(d, path);

	if (r->stat_err) {
		if (job && r->stat_err == ENOMEM)
			job->source.seen = true;        /* not known to be gone */
		return;
	}
	if (!trusted(path, &r->st, r->trust))
		return;
	if (job && unchanged(job, &r->st)) {
		job->source.seen = true;
		return;
	}
	log_warnings(r->warnings);
	if (r->rc != 0) {
		log_warnx("%s", r->error ? r->error : "out of memory");
		if (job)
			job->source.seen = true;       /* keep the running version of a broken edit */
		return;
	}
	load_spec(d, ov, job, job_spec_adopt(r->spec), path, &r->st);
	r->spec = NULL;
}

/*
 * Which names need no reading: a file of a loaded job, unchanged (that
 * job is seen), and a name too long for a path.  In @skip, or NULL if
 * out of memory (then every name is read, and judged when it is loaded).
 * *@fresh: how many names no loaded job came from.
 */
static bool *unchanged_names(struct domain *d, const char *dir, const struct dir_names *names,
			     size_t *fresh)
{
	bool *skip = calloc(names->n + 1, sizeof(*skip));

	*fresh = 0;
	for (size_t i = 0; skip && i < names->n; i++) {
		char path[4096];
		struct job *job;
		struct stat st;

		if (snprintf(path, sizeof(path), "%s/%s", dir, dir_names_at(names, i)) >=
		    (int)sizeof(path)) {
			skip[i] = true;
			continue;
		}
		job = job_from_path(d, path);
		*fresh += !job;
		if (job && stat(path, &st) == 0 && plist_trust_of(&st, d->system) == PLIST_TRUSTED &&
		    unchanged(job, &st)) {
			job->source.seen = true;
			skip[i] = true;
		}
	}
	return skip;
}

/*
 * A directory that could not be read: its jobs are not known to be gone,
 * so they are seen, not unloaded (a removed directory, ENOENT, unloads them).
 */
static void keep_jobs_of(struct domain *d, const char *dir)
{
	size_t len = strlen(dir), i = 0;
	struct job *job;

	while ((job = strmap_next(&d->jobs, &i)))
		if (job->source.from_dir && strncmp(job->spec->path, dir, len) == 0 &&
		    job->spec->path[len] == '/')
			job->source.seen = true;
}

/*
 * Room in the maps every loaded job enters (label, path) for the @fresh
 * names no loaded job came from: grown one doubling at a time, 100,000
 * jobs rehash 14 times.  A changed file's job is there already, and
 * takes its own place back.  Failing, the maps grow as they fill.
 */
static void reserve_jobs(struct domain *d, size_t fresh)
{
	if (fresh && strmap_reserve(&d->jobs, fresh) == 0)
		strmap_reserve(&d->job_paths, fresh);
}

static void scan_dir(struct domain *d, const struct overrides *ov, const char *dir)
{
	struct jobdir_prefetch pf;
	struct dir_names names;
	int err = dir_names_read(dir, is_plist_name, &names);
	size_t fresh;
	bool *skip;

	if (err < 0) {
		if (err != -ENOENT) {
			log_warnx("%s: %s: its jobs stay as they are", dir, strerror(-err));
			keep_jobs_of(d, dir);
		}
		return;
	}
	skip = unchanged_names(d, dir, &names, &fresh);
	if (skip)
		reserve_jobs(d, fresh);
	jobdir_prefetch_start(&pf, dir, &names, skip, d->system);
	for (size_t i = 0; i < names.n; i++) {
		struct prefetched *r = jobdir_prefetch_next(&pf);
		char path[4096];

		if (!r->skipped && snprintf(path, sizeof(path), "%s/%s", dir,
					    dir_names_at(&names, i)) < (int)sizeof(path))
			load_file(d, ov, path, r);
		jobdir_prefetch_done(&pf);
	}
	jobdir_prefetch_stop(&pf);
	free(skip);
	dir_names_deinit(&names);
}

void jobdir_scan(struct domain *d)
{
	struct job *job, **gone;
	struct overrides ov;
	size_t i = 0, n = 0;
	int err = overrides_read(&ov, d->state_dir);

	if (err < 0)
		log_warnx("%s/%s: %s", d->state_dir, OVERRIDES_FILE, strerror(-err));
	while ((job = strmap_next(&d->jobs, &i)))
		job->source.seen = false;
	for (size_t k = 0; k < d->n_job_dirs; k++)
		scan_dir(d, &ov, d->job_dirs[k]);
	overrides_deinit(&ov);
	/* Unload after the walk: unloading changes the map being iterated. */
	gone = calloc(d->jobs.count + 1, sizeof(*gone));
	if (!gone)
		return;
	i = 0;
	while ((job = strmap_next(&d->jobs, &i)))
		if (job->source.from_dir && !job->source.seen && !job->unload_when_stopped)
			gone[n++] = job;
	for (size_t k = 0; k < n; k++) {
		log_job(LOG_INFO, gone[k]->spec->label, "%s removed", gone[k]->spec->path);
		job_unload(gone[k]);
	}
	free(gone);
}
