/* SPDX-License-Identifier: MIT */
/*
 * curve.c - cost as work grows: look-up and call latency and the daemon's
 * RSS at 10, 1,000, 10,000 and 100,000 jobs, and look-up and call latency
 * and the daemon's peak RSS at 1, 8, 64 and 512 concurrent client
 * processes, each latency next to its floor measured in the same run.  A job count that does not load is reported
 * as such, with the reason; then the most jobs that fit the fd limit are
 * measured too, so that the curve has a point near it (a fallback: a
 * declared port holds no fd until used).
 *
 * Latencies are medians of individually timed round trips in a fixed
 * window (the throughput workers of tput.c, which keep their last
 * samples).  Output: a table in the text and JSON reports and, with
 * --curve-data DIR, two gnuplot data files (bench/curve.gp plots them).
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-proto.h"

struct curve_point {
	unsigned x;             /* jobs or clients */
	bool loaded;            /* jobs axis: the last job answered */
	bool ok;
	bool fit;               /* the most jobs that fit the fd limit */
	char why[192];          /* !ok: why it did not load or run */
	double load_s, rss_mib; /* jobs axis; clients axis: the peak RSS (VmHWM) while measured */
	long fds;               /* jobs axis: the daemon's fds once loaded */
	double lookup_ops, call_ops; /* clients axis: ops/s summed over the clients */
	double floor_lookup_ops, floor_call_ops;
	uint64_t call_min, call_max; /* calls of the slowest and the fastest client */
	uint64_t one_client[TPUT_CURVE_KINDS][2]; /* the same for each kind (enum tput_kind) */
	struct lat lookup, call, floor_lookup, floor_call;
};

static const unsigned curve_jobs[] = { 10, 1000, 10000, 100000 };
static const unsigned curve_clients[] = { 1, 8, 64, 512 };
static struct curve_point jobs_pts[8], client_pts[4];
static size_t n_jobs_pts, n_client_pts;
static double window_s;

/* Samples each worker keeps: at least 4096 each, 256k in all for few (every op of a window, in practice). */
static unsigned cap_for(unsigned clients)
{
	return clients >= 64 ? 4096 : 262144 / clients;
}

/* One kind at @clients against $BOOTSTRAP_SOCKET (or its floor); NANs on failure. */
static int measure(const struct bench_cfg *cfg, enum tput_kind kind, unsigned clients,
		   const char *name, struct lat *lat, double *ops, uint64_t *min_max)
{
	struct tput_spec spec = { kind, clients, name, cfg->tput_seconds, cap_for(clients) };
	struct tput_result r;

	if (tput_measure(cfg, &spec, &r) < 0) {
		fprintf(stderr, "bench: curve: %u client(s) of kind %d failed\n", clients, (int)kind);
		lat->med_us = lat->p99_us = NAN;
		if (ops)
			*ops = NAN;
		return -1;
	}
	*lat = r.lat;
	if (ops)
		*ops = r.ops_s;
	if (min_max) {
		min_max[0] = r.min_ops;
		min_max[1] = r.max_ops;
	}
	return 0;
}

/* Look-up and call latency at @clients, each next to its floor, in one run. */
static int measure_all(const struct bench_cfg *cfg, unsigned clients, const char *name,
		       struct curve_point *p)
{
	int err = 0;

	uint64_t (*mm)[2] = p->one_client;

	err |= measure(cfg, TPUT_LOOKUP, clients, name, &p->lookup, &p->lookup_ops, mm[TPUT_LOOKUP]);
	err |= measure(cfg, TPUT_FLOOR_LOOKUP, clients, name, &p->floor_lookup, &p->floor_lookup_ops,
		       mm[TPUT_FLOOR_LOOKUP]);
	err |= measure(cfg, TPUT_CALL, clients, name, &p->call, &p->call_ops, mm[TPUT_CALL]);
	err |= measure(cfg, TPUT_FLOOR_CALL, clients, name, &p->floor_call, &p->floor_call_ops,
		       mm[TPUT_FLOOR_CALL]);
	p->call_min = mm[TPUT_CALL][0];
	p->call_max = mm[TPUT_CALL][1];
	return err;
}

/*
 * One point of the jobs axis: @n generated jobs, each one MachService
 * (its program bench-service, started on demand by the first call to it).
 * Return: the most jobs that fit the fd limit if @n did not load, else 0.
 */
static unsigned jobs_point(const struct bench_cfg *cfg, unsigned n, bool fit)
{
	struct curve_point *p = &jobs_pts[n_jobs_pts++];
	struct scale_out o;
	char dir[4300], tag[32];
	long lim = raise_nofile(2 * (long)n + 256);

	memset(p, 0, sizeof(*p));
	p->x = n;
	p->fit = fit;
	note(cfg, "curve: %u jobs", n);
	snprintf(dir, sizeof(dir), "%s/curve-%u-jobs", cfg->tmp, n);
	snprintf(tag, sizeof(tag), "curve-%u", n);
	if (bsd_generate_jobs(cfg, dir, n) < 0)
		die("cannot write plists in %s", dir);
	scale_start(cfg, tag, dir, n, &o);
	p->loaded = o.load.ok;
	if (o.load.ok) {
		p->load_s = o.load.load_s;
		p->rss_mib = o.rss_kib > 0 ? o.rss_kib / 1024.0 : NAN;
		p->fds = o.fds;
		setenv("BOOTSTRAP_SOCKET", o.d.socket, 1);
		p->ok = measure_all(cfg, 1, o.last, p) == 0;
		if (!p->ok)
			snprintf(p->why, sizeof(p->why), "loaded, but a look-up or call failed");
	}
	scale_stop(&o);
	rm_rf(dir);
	if (o.load.ok)
		return 0;
	snprintf(p->why, sizeof(p->why),
		 "did not load: %ld of %u jobs loaded, a look-up of the last failed (RLIMIT_NOFILE %ld)",
		 o.loaded, n, lim);
	return lim > 600 ? (unsigned)((lim - 512) / 2 / 100 * 100) : 0;
}

static void clients_axis(const struct bench_cfg *cfg)
{
	char jobs[4300];
	struct daemon d;
	uint64_t t0;
	bool peak_ok;
	long kib;

	snprintf(jobs, sizeof(jobs), "%s/curve-clients-jobs", cfg->tmp);
	if (bsd_add_bench_jobs(cfg, jobs) < 0)
		die("cannot write plists in %s", jobs);
	if (daemon_start(cfg, &d, "curve-clients", jobs, 2, &t0) < 0 || daemon_wait_socket(&d, 10000) < 0)
		die("bootstrapd did not start (see %s)", d.log);
	setenv("BOOTSTRAP_SOCKET", d.socket, 1);
	raise_nofile(4096);
	for (size_t i = 0; i < sizeof(curve_clients) / sizeof(curve_clients[0]); i++) {
		struct curve_point *p = &client_pts[n_client_pts++];

		memset(p, 0, sizeof(*p));
		p->x = curve_clients[i];
		note(cfg, "curve: %u concurrent client(s)", p->x);
		peak_ok = vm_peak_reset(d.pid) == 0;
		p->ok = measure_all(cfg, p->x, BENCH_SERVICE_NAME, p) == 0;
		kib = proc_status_kib(d.pid, "VmHWM");
		/* Without the reset, the peak of the whole life so far. */
		p->rss_mib = kib > 0 ? kib / 1024.0 : NAN;
		if (!peak_ok)
			note(cfg, "curve: the daemon's VmHWM could not be reset: a peak since its start");
		if (!p->ok)
			snprintf(p->why, sizeof(p->why), "a look-up or call failed");
	}
	daemon_stop(&d);
}

void curve_run(const struct bench_cfg *cfg)
{
	bool fit_done = false;

	window_s = cfg->tput_seconds;

	for (size_t i = 0; i < sizeof(curve_jobs) / sizeof(curve_jobs[0]); i++) {
		unsigned fit = jobs_point(cfg, curve_jobs[i], false);

		if (fit >= 100 && !fit_done && (i == 0 || fit > curve_jobs[i - 1])) {
			struct curve_point failed = jobs_pts[--n_jobs_pts];

			jobs_point(cfg, fit, true);
			jobs_pts[n_jobs_pts++] = failed;
			fit_done = true;
		}
	}
	clients_axis(cfg);
}

static void print_jobs_text(void)
{
	printf("\ncost as work grows: jobs (pinned; medians of one client's round trips in %.2f s;\n"
	       "floor = the same exchange on raw sockets, same run)\n", window_s);
	printf("%9s %8s %8s %5s %10s %9s %8s %9s\n", "jobs", "load s", "RSS MiB", "fds", "lookup us",
	       "floor us", "call us", "floor us");
	for (size_t i = 0; i < n_jobs_pts; i++) {
		const struct curve_point *p = &jobs_pts[i];
		char v[6][32];

		if (!p->loaded) {
			printf("%9u %s\n", p->x, p->why);
			continue;
		}
		report_fmt(v[0], sizeof(v[0]), p->load_s);
		report_fmt(v[1], sizeof(v[1]), p->rss_mib);
		report_fmt(v[2], sizeof(v[2]), p->lookup.med_us);
		report_fmt(v[3], sizeof(v[3]), p->floor_lookup.med_us);
		report_fmt(v[4], sizeof(v[4]), p->call.med_us);
		report_fmt(v[5], sizeof(v[5]), p->floor_call.med_us);
		printf("%9u %8s %8s %5ld %10s %9s %8s %9s%s\n", p->x, v[0], v[1], p->fds, v[2], v[3],
		       v[4], v[5], p->fit ? "  (the most jobs that fit the fd limit)" : "");
		if (!p->ok)
			printf("%9s %s\n", "", p->why);
	}
}

static void print_clients_text(void)
{
	printf("\ncost as work grows: concurrent clients (pinned; 2 jobs; latency per op over all clients,\n"
	       "median and p99; floor = the same clients against one epoll server, same run;\n"
	       "RSS = the daemon's peak while measured)\n");
	printf("%7s %9s %8s %9s %8s %8s %9s %9s %8s %8s %8s %7s %s\n", "clients", "lookup us", "floor us",
	       "p99 us", "call us", "floor us", "p99 us", "lookups/s", "floor/s", "calls/s", "floor/s",
	       "RSS MiB", "calls of one client");
	for (size_t i = 0; i < n_client_pts; i++) {
		const struct curve_point *p = &client_pts[i];
		char v[11][32];

		report_fmt(v[0], sizeof(v[0]), p->lookup.med_us);
		report_fmt(v[1], sizeof(v[1]), p->floor_lookup.med_us);
		report_fmt(v[2], sizeof(v[2]), p->lookup.p99_us);
		report_fmt(v[3], sizeof(v[3]), p->call.med_us);
		report_fmt(v[4], sizeof(v[4]), p->floor_call.med_us);
		report_fmt(v[5], sizeof(v[5]), p->call.p99_us);
		report_fmt(v[6], sizeof(v[6]), p->lookup_ops);
		report_fmt(v[7], sizeof(v[7]), p->floor_lookup_ops);
		report_fmt(v[8], sizeof(v[8]), p->call_ops);
		report_fmt(v[9], sizeof(v[9]), p->floor_call_ops);
		report_fmt(v[10], sizeof(v[10]), p->rss_mib);
		printf("%7u %9s %8s %9s %8s %8s %9s %9s %8s %8s %8s %7s %8llu-%llu%s%s\n", p->x, v[0], v[1],
		       v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], (unsigned long long)p->call_min,
		       (unsigned long long)p->call_max, p->ok ? "" : "  ", p->ok ? "" : p->why);
	}
}

void curve_print_text(void)
{
	if (n_jobs_pts)
		print_jobs_text();
	if (n_client_pts)
		print_clients_text();
}

static void json_lat(const char *key, const struct lat *l)
{
	printf(", \"%s_us\": ", key);
	report_json_num(l->n ? l->med_us : NAN);
	printf(", \"%s_p99_us\": ", key);
	report_json_num(l->n ? l->p99_us : NAN);
}

/* The fewest and most operations one client made, for each kind. */
static void json_one_client(const struct curve_point *p)
{
	static const char *const keys[TPUT_CURVE_KINDS] = {
		[TPUT_LOOKUP] = "lookup", [TPUT_CALL] = "call", [TPUT_FLOOR_LOOKUP] = "lookup_floor",
		[TPUT_FLOOR_CALL] = "call_floor",
	};

	printf(", \"ops_of_one_client\": {");
	for (int k = 0; k < TPUT_CURVE_KINDS; k++)
		printf("%s\"%s\": [%llu, %llu]", k ? ", " : "", keys[k],
		       (unsigned long long)p->one_client[k][0], (unsigned long long)p->one_client[k][1]);
	printf("}");
}

static void json_point(const char *axis, const struct curve_point *p)
{
	printf("{\"%s\": %u, \"ok\": %s", axis, p->x, p->ok ? "true" : "false");
	if (!strcmp(axis, "jobs"))
		printf(", \"loaded\": %s", p->loaded ? "true" : "false");
	if (p->fit)
		printf(", \"most_that_fit\": true");
	if (*p->why) {
		printf(", \"why\": ");
		report_json_str(p->why);
	}
	if (!strcmp(axis, "jobs")) {
		printf(", \"load_s\": ");
		report_json_num(p->loaded ? p->load_s : NAN);
		printf(", \"rss_mib\": ");
		report_json_num(p->loaded ? p->rss_mib : NAN);
		printf(", \"fds\": ");
		report_json_num(p->loaded && p->fds >= 0 ? (double)p->fds : NAN);
	} else {
		printf(", \"lookups_per_s\": ");
		report_json_num(p->lookup_ops);
		printf(", \"lookups_floor_per_s\": ");
		report_json_num(p->floor_lookup_ops);
		printf(", \"calls_per_s\": ");
		report_json_num(p->call_ops);
		printf(", \"calls_floor_per_s\": ");
		report_json_num(p->floor_call_ops);
		printf(", \"rss_peak_mib\": ");
		report_json_num(p->rss_mib);
		json_one_client(p);
	}
	json_lat("lookup", &p->lookup);
	json_lat("lookup_floor", &p->floor_lookup);
	json_lat("call", &p->call);
	json_lat("call_floor", &p->floor_call);
	printf("}");
}

/* The curve as a JSON object ({} if it did not run). */
void curve_print_json(void)
{
	printf("{\"jobs\": [");
	for (size_t i = 0; i < n_jobs_pts; i++) {
		printf("%s\n    ", i ? "," : "");
		json_point("jobs", &jobs_pts[i]);
	}
	printf("],\n   \"clients\": [");
	for (size_t i = 0; i < n_client_pts; i++) {
		printf("%s\n    ", i ? "," : "");
		json_point("clients", &client_pts[i]);
	}
	printf("]}");
}

static void dat_lats(FILE *f, const struct curve_point *p)
{
	fprintf(f, " %.3f %.3f %.3f %.3f", p->lookup.med_us, p->floor_lookup.med_us, p->call.med_us,
		p->floor_call.med_us);
}

/*
 * gnuplot data in @dir: curve-jobs.dat (jobs load_s rss_mib lookup floor
 * call floor, then 1 for the most jobs that fit the fd limit),
 * curve-jobs-failed.dat (jobs "label"), curve-clients.dat (clients
 * lookup floor call floor, then ops/s: lookups floor calls floor, then the
 * fewest and most calls of one client, then the daemon's peak RSS in MiB);
 * latencies in µs.
 */
int curve_write_data(const char *dir)
{
	char path[3][4200];
	FILE *f[3];

	snprintf(path[0], sizeof(path[0]), "%s/curve-jobs.dat", dir);
	snprintf(path[1], sizeof(path[1]), "%s/curve-jobs-failed.dat", dir);
	snprintf(path[2], sizeof(path[2]), "%s/curve-clients.dat", dir);
	for (int i = 0; i < 3; i++)
		if (!(f[i] = fopen(path[i], "w")))
			return -1;
	fprintf(f[0], "# jobs load_s rss_mib lookup_us lookup_floor_us call_us call_floor_us fit\n");
	fprintf(f[1], "# jobs reason (did not load)\n");
	fprintf(f[2], "# clients lookup_us lookup_floor_us call_us call_floor_us "
		"lookups/s lookups_floor/s calls/s calls_floor/s calls_of_one_client_min max rss_peak_mib\n");
	for (size_t i = 0; i < n_jobs_pts; i++) {
		const struct curve_point *p = &jobs_pts[i];

		if (!p->loaded) {
			fprintf(f[1], "%u \"%u: did not load\"\n", p->x, p->x);
			continue;
		}
		fprintf(f[0], "%u %.3f %.2f", p->x, p->load_s, p->rss_mib);
		dat_lats(f[0], p);
		fprintf(f[0], " %d\n", p->fit ? 1 : 0);
	}
	for (size_t i = 0; i < n_client_pts; i++) {
		fprintf(f[2], "%u", client_pts[i].x);
		dat_lats(f[2], &client_pts[i]);
		fprintf(f[2], " %.0f %.0f %.0f %.0f %llu %llu %.2f\n", client_pts[i].lookup_ops,
			client_pts[i].floor_lookup_ops, client_pts[i].call_ops, client_pts[i].floor_call_ops,
			(unsigned long long)client_pts[i].call_min, (unsigned long long)client_pts[i].call_max,
			client_pts[i].rss_mib);
	}
	return fclose(f[0]) | fclose(f[1]) | fclose(f[2]) ? -1 : 0;
}
