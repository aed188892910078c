/* SPDX-License-Identifier: MIT */
/*
 * scale.c - the daemon at 10 jobs and at many (--scale N): load time,
 * RSS, and look-ups of the last job at both, in alternating rounds.
 */
#include "bench.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many of the daemon's jobs loaded, from its log line "N job(s) loaded". */
static long jobs_loaded(const struct daemon *d)
{
	FILE *f = fopen(d->log, "r");
	char line[1024];
	long n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " job(s) loaded");

		if (p) {
			while (p > line && p[-1] >= '0' && p[-1] <= '9')
				p--;
			n = atol(p);
		}
	}
	fclose(f);
	return n;
}

/* Entries of /proc/@pid/fd, or -1. */
static long fd_count(pid_t pid)
{
	char path[64];
	struct dirent *e;
	long n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

/*
 * Start a daemon on @dir's @n jobs, time its load, take its RSS and fd
 * count; it keeps running.  A declared port holds no fd until used, so the
 * fd limit no longer bounds the jobs; 100,000 should load in about a
 * second, the bound leaves room for a loaded machine.
 */
void scale_start(const struct bench_cfg *cfg, const char *tag, const char *dir, unsigned n,
		 struct scale_out *o)
{
	int timeout_s = 30 + (int)(n / 2000);
	uint64_t t0;

	raise_nofile(2 * (long)n + 256);
	memset(o, 0, sizeof(*o));
	o->rss_kib = o->fds = -1;
	snprintf(o->last, sizeof(o->last), "com.bootstrapd.bench.scale.%05u", n - 1);
	if (daemon_start(cfg, &o->d, tag, dir, n, &t0) < 0)
		die("cannot start bootstrapd");
	if (bsd_wait_loaded(&o->d, o->last, t0, timeout_s, &o->load) == 0 && o->load.ok) {
		o->rss_kib = proc_status_kib(o->d.pid, "VmRSS");
		o->fds = fd_count(o->d.pid);
	}
}

void scale_stop(struct scale_out *o)
{
	daemon_stop(&o->d);
	o->loaded = jobs_loaded(&o->d);
}

/*
 * Look-ups of the last job at 10 jobs and at @big jobs, both daemons
 * running, in alternating rounds so that load from elsewhere on the
 * machine hits both alike.
 */
static int compare_lookups(const struct bench_cfg *cfg, struct scale_out *small, struct scale_out *big, struct lat *ls,
			   struct lat *lb)
{
	int rounds = cfg->quick ? 2 : 6;
	unsigned per = cfg->quick ? 500 : LOOKUP_SAMPLES_MAX;
	uint64_t *s = calloc((size_t)rounds * per, sizeof(uint64_t)),
		 *b = calloc((size_t)rounds * per, sizeof(uint64_t));
	size_t ns = 0, nb = 0;
	int n;

	if (!s || !b)
		return -1;
	for (int r = 0; r < rounds; r++) {
		if ((n = bsd_lookup_samples(&small->d, small->last, per, s + ns)) < 0)
			return -1;
		ns += (size_t)n;
		if ((n = bsd_lookup_samples(&big->d, big->last, per, b + nb)) < 0)
			return -1;
		nb += (size_t)n;
	}
	*ls = lat_of(s, ns);
	*lb = lat_of(b, nb);
	free(s);
	free(b);
	return 0;
}

/*
 * The jobs did not load in time (or the last one did not answer): say so,
 * and start again with the most jobs that fit the fd limit (*n and @dir
 * change), if that is fewer.  A port made for each job would cost two fds
 * (R and S); a port holds none until used, so this is only a fallback.
 */
static void scale_fit(const struct bench_cfg *cfg, long lim, unsigned *n, char *dir, size_t len,
		      struct scale_out *obig)
{
	unsigned fit = lim > 600 ? (unsigned)((lim - 512) / 2 / 100 * 100) : 0;

	scale_stop(obig);
	report_note(cfg, "%u jobs: %ld loaded, look-up of the last failed (RLIMIT_NOFILE %ld)",
		    *n, obig->loaded, lim);
	if (fit >= 100 && fit < *n) {
		*n = fit;
		report_note(cfg, "scale figures below are for %u jobs, the most that fit the fd limit", *n);
		snprintf(dir, len, "%s/scale-%u-jobs", cfg->tmp, *n);
		if (bsd_generate_jobs(cfg, dir, *n) < 0)
			die("cannot write plists in %s", dir);
		scale_start(cfg, "scale-fit", dir, *n, obig);
	}
}

static void scale_figures(unsigned n, const struct scale_out *o10, const struct scale_out *obig,
			  double floor_s, const struct lat *l10, const struct lat *lbig)
{
	if (o10->load.ok)
		report_add("scale", "load.10-jobs", "s", o10->load.load_s, NAN, "");
	if (obig->load.ok) {
		report_add("scale", report_jobs_name("load", n, ""), "s", obig->load.load_s, floor_s,
			   "parse all plists");
		report_add("scale", report_jobs_name("socket", n, ""), "s", obig->load.socket_s, NAN, "");
	}
	if (o10->fds > 0)
		report_add("scale", "fds.10-jobs", "fds", (double)o10->fds, NAN, "");
	if (obig->fds > 0)
		report_add("scale", report_jobs_name("fds", n, ""), "fds", (double)obig->fds,
			   o10->fds > 0 ? (double)o10->fds : NAN, "bootstrapd with 10 jobs");
	if (o10->rss_kib > 0)
		report_add("scale", "rss.10-jobs", "MiB", o10->rss_kib / 1024.0, NAN, "");
	if (obig->rss_kib > 0)
		report_add("scale", report_jobs_name("rss", n, ""), "MiB", obig->rss_kib / 1024.0,
			   o10->rss_kib > 0 ? o10->rss_kib / 1024.0 : NAN, "bootstrapd with 10 jobs");
	if (l10 && lbig) {
		report_add("scale", report_jobs_name("lookup", n, ".median"), "us", lbig->med_us,
			   l10->med_us, "look-up at 10 jobs");
		report_add("scale", report_jobs_name("lookup", n, ".p99"), "us", lbig->p99_us,
			   l10->p99_us, "look-up at 10 jobs");
	}
}

/*
 * Every plist read once before anything is timed.  The parse floor is
 * timed after the daemon, on files the daemon's load has just read; the
 * daemon, timed first, met them wherever this VM's page cache had left
 * them (its load moved between 1.6 and 2.4 s with the same binary).  Both
 * now meet them read.  What the first read cost is noted.
 */
static void warm_plists(const struct bench_cfg *cfg, const char *dir)
{
	double first_s;

	if (floor_load(dir, &first_s) == 0)
		report_note(cfg, "plists read once before the scale figures: the first parse took %.2f s",
			    first_s);
}

#define LOAD_ROUNDS 3

/*
 * The load and its parse floor as medians of LOAD_ROUNDS each, taken in
 * turn (the first load is the big daemon's, already in *@load_s): one
 * load moved by ±0.2 s from run to run here, more than the gap it is
 * judged by.  A round that fails is left out.
 */
static void load_rounds(const struct bench_cfg *cfg, const char *dir, unsigned n, double *load_s,
			double *floor_s)
{
	double loads[LOAD_ROUNDS] = { *load_s }, floors[LOAD_ROUNDS];
	size_t nl = 1, nf = 0;

	note(cfg, "scale: %d loads of %u jobs and %d parses, in turn", LOAD_ROUNDS, n, LOAD_ROUNDS);
	for (int r = 0; r < LOAD_ROUNDS; r++) {
		struct scale_out o;
		char tag[32];

		if (floor_load(dir, &floors[nf]) == 0)
			nf++;
		if (r == LOAD_ROUNDS - 1)
			break;
		snprintf(tag, sizeof(tag), "scale-again-%d", r);        /* a state of its own */
		scale_start(cfg, tag, dir, n, &o);
		if (o.load.ok)
			loads[nl++] = o.load.load_s;
		scale_stop(&o);
	}
	*load_s = median_of(loads, nl);
	*floor_s = nf ? median_of(floors, nf) : NAN;
}

unsigned scale_run(const struct bench_cfg *cfg)
{
	char small[4300], dir[4300];
	struct scale_out o10, obig;
	struct lat l10 = { 0 }, lbig = { 0 };
	double floor_s = NAN;
	unsigned n = cfg->scale_jobs;
	bool compared = false;
	long lim;

	note(cfg, "scale: generating %u plists", n);
	snprintf(small, sizeof(small), "%s/scale-10-jobs", cfg->tmp);
	snprintf(dir, sizeof(dir), "%s/scale-%u-jobs", cfg->tmp, n);
	if (bsd_generate_jobs(cfg, small, 10) < 0 || bsd_generate_jobs(cfg, dir, n) < 0)
		die("cannot write plists in %s", cfg->tmp);
	lim = raise_nofile(2 * (long)n + 256);
	warm_plists(cfg, dir);
	scale_start(cfg, "scale-10", small, 10, &o10);

	note(cfg, "scale: bootstrapd with %u jobs", n);
	scale_start(cfg, "scale-big", dir, n, &obig);
	if (!obig.load.ok)
		scale_fit(cfg, lim, &n, dir, sizeof(dir), &obig);
	if (o10.load.ok && obig.load.ok) {
		note(cfg, "scale: look-ups at 10 and %u jobs, alternating", n);
		compared = compare_lookups(cfg, &o10, &obig, &l10, &lbig) == 0;
	}
	scale_stop(&obig);
	scale_stop(&o10);
	if (obig.load.ok)
		load_rounds(cfg, dir, n, &obig.load.load_s, &floor_s);
	else if (floor_load(dir, &floor_s) < 0)
		floor_s = NAN;
	scale_figures(n, &o10, &obig, floor_s, compared ? &l10 : NULL, compared ? &lbig : NULL);
	return obig.load.ok ? n : 0;
}
