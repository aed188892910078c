/* SPDX-License-Identifier: MIT */
#include "jobdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "domain.h"
#include "job.h"
#include "job-plist.h"
#include "job-spec.h"
#include "log.h"
#include "overrides.h"
#include "plist.h"

static bool is_plist_name(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && name[0] != '.' && strcasecmp(name + n - 6, ".plist") == 0;
}

static void warn_key(void *data, const char *message)
{
	(void)data;
	log_warnx("%s", message);
}

/*
 * launchd's path_goodness_check: a system-domain plist must be a regular
 * file owned by root and writable by nobody else.
 */
static bool trusted(const struct domain *d, const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		log_warnx("%s: not a regular file: skipped", path);
		return false;
	}
	if (d->system && st->st_uid != 0) {
		log_warnx("%s: dubious ownership (uid %d, not root): skipped", path, (int)st->st_uid);
		return false;
	}
	if (d->system && (st->st_mode & (S_IWGRP | S_IWOTH))) {
		log_warnx("%s: dubious permissions (group or world writable): skipped", path);
		return false;
	}
	return true;
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

static void load_file(struct domain *d, const struct overrides *ov, const char *path)
{
	struct plist_error err;
	char msg[PLIST_ERROR_FORMAT_MAX], reason[256];
	struct job_spec *spec = NULL;
	struct job *job = job_from_path(d, path);
	struct stat st;

	if (stat(path, &st) < 0 || !trusted(d, path, &st))
		return;
	if (job && unchanged(job, &st)) {
		job->source.seen = true;
		return;
	}
	if (job_plist_load_file(path, &spec, &err, warn_key, NULL) != 0) {
		log_warnx("%s", plist_error_format(&err, msg, sizeof(msg)));
		if (job)
			job->source.seen = true;       /* keep the running version of a broken edit */
		return;
	}
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
	job->source.ino = st.st_ino;
	job->source.size = st.st_size;
	job->source.mtime = st.st_mtim;
}

static void scan_dir(struct domain *d, const struct overrides *ov, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		if (errno != ENOENT)
			log_warn("%s", dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		if (is_plist_name(names[i]->d_name) &&
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < (int)sizeof(path))
			load_file(d, ov, path);
		free(names[i]);
	}
	free(names);
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
