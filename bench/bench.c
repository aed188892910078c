/* SPDX-License-Identifier: MIT */
/*
 * bootstrapd-bench - bootstrapd against its floor and against D-Bus, in
 * one run.  See bench/README.md.
 *
 * Every figure is printed next to its floor, measured in the same run,
 * and their ratio (how many times the floor's cost: value/floor for
 * times, floor/value for rates); where D-Bus has the same operation, its
 * figure and how many times slower than bootstrapd it is.  Headline
 * figures run with every process of both ends pinned to CPU 0; the same
 * figures follow unpinned.
 */
#include "bench.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench-config.h"
#include "bench-proto.h"

struct figure {
	char mode[12];
	char name[40];
	char unit[8];
	double value;
	double floor;           /* NAN: none */
	bool rate;              /* higher is better */
	char floor_what[40];
	double dbus;            /* NAN: none */
	char dbus_what[24];
};

static struct figure figs[128];
static size_t n_figs;
static struct bench_cfg cfg;

static struct figure *add(const char *mode, const char *name, const char *unit, double value,
			  double floor, const char *floor_what)
{
	struct figure *f = &figs[n_figs++];

	memset(f, 0, sizeof(*f));
	snprintf(f->mode, sizeof(f->mode), "%s", mode);
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->unit, sizeof(f->unit), "%s", unit);
	snprintf(f->floor_what, sizeof(f->floor_what), "%s", floor_what);
	f->value = value;
	f->floor = floor;
	f->dbus = NAN;
	return f;
}

static void with_dbus(struct figure *f, double dbus, const char *what)
{
	f->dbus = dbus;
	snprintf(f->dbus_what, sizeof(f->dbus_what), "%s", what);
}

static double ratio(const struct figure *f)
{
	if (isnan(f->floor) || f->floor <= 0 || f->value <= 0)
		return NAN;
	return f->rate ? f->floor / f->value : f->value / f->floor;
}

static double dbus_ratio(const struct figure *f)
{
	return isnan(f->dbus) || f->value <= 0 ? NAN : f->dbus / f->value;
}

static const struct figure *find(const char *mode, const char *name)
{
	for (size_t i = 0; i < n_figs; i++)
		if (strcmp(figs[i].mode, mode) == 0 && strcmp(figs[i].name, name) == 0)
			return &figs[i];
	return NULL;
}

/* Latency pair -> two lines (median, p99); the D-Bus figure too if any. */
static void add_pair(const char *mode, const char *name, const struct pair *p, const char *floor_what,
		     const struct lat *dbus, const char *dbus_what)
{
	char n[40];
	struct figure *f;

	if (!p->ok) {
		fprintf(stderr, "bench: %s %s: failed (no figure)\n", mode, name);
		return;
	}
	snprintf(n, sizeof(n), "%s.median", name);
	f = add(mode, n, "us", p->bsd.med_us, p->floor.med_us, floor_what);
	if (dbus && dbus->n)
		with_dbus(f, dbus->med_us, dbus_what);
	snprintf(n, sizeof(n), "%s.p99", name);
	f = add(mode, n, "us", p->bsd.p99_us, p->floor.p99_us, floor_what);
	if (dbus && dbus->n)
		with_dbus(f, dbus->p99_us, dbus_what);
	if (p->floor_pair.n) {
		/* The same figure against the Mach-shaped floor: what is left
		 * is libbootstrap's and the daemon's own cost. */
		snprintf(n, sizeof(n), "%s.median/pair", name);
		add(mode, n, "us", p->bsd.med_us, p->floor_pair.med_us, "raw + socketpair reply port");
	}
}

static void fmt(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v >= 10000)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 100)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon) {
			colon += 1 + strspn(colon + 1, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, len, "%s", colon);
			break;
		}
	}
	fclose(f);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_num(double v)
{
	if (isnan(v))
		printf("null");
	else
		printf("%.6g", v);
}

/* The targets of the issue, judged on the pinned figures. */
struct target {
	char what[96];
	double got;
	double limit;
	bool at_most;           /* got <= limit, else got >= limit */
	bool known;
};

static struct target targets[16];
static size_t n_targets;

static void target(const char *what, double got, double limit, bool at_most)
{
	struct target *t = &targets[n_targets++];

	snprintf(t->what, sizeof(t->what), "%s", what);
	t->got = got;
	t->limit = limit;
	t->at_most = at_most;
	t->known = !isnan(got);
}

static bool met(const struct target *t)
{
	return t->known && (t->at_most ? t->got <= t->limit : t->got >= t->limit);
}

/* Scale figures are named after the job count: "10k" for 10,000. */
static unsigned scale_ran;              /* the big count that ran (0: none) */

static const char *jobs_name(const char *what, unsigned n, const char *suffix)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	if (n % 1000 == 0)
		snprintf(buf[i], sizeof(buf[i]), "%s.%uk-jobs%s", what, n / 1000, suffix);
	else
		snprintf(buf[i], sizeof(buf[i]), "%s.%u-jobs%s", what, n, suffix);
	return buf[i];
}

static char notes[8][512];
static size_t n_notes;

static void add_note(const char *fmt_, ...) __attribute__((format(printf, 1, 2)));
static void add_note(const char *fmt_, ...)
{
	va_list ap;

	if (n_notes == sizeof(notes) / sizeof(notes[0]))
		return;
	va_start(ap, fmt_);
	vsnprintf(notes[n_notes++], sizeof(notes[0]), fmt_, ap);
	va_end(ap);
	note(&cfg, "%s", notes[n_notes - 1]);
}

static void judge(void)
{
	const struct figure *f;

	f = find("pinned", "lookup.median");
	target("look-up <= 1.4x floor", f ? ratio(f) : NAN, 1.4, true);
	target("look-up >= 4x faster than D-Bus GetNameOwner", f ? dbus_ratio(f) : NAN, 4, false);
	f = find("pinned", "call.median");
	target("call <= 1.3x floor", f ? ratio(f) : NAN, 1.3, true);
	target("call >= 5x faster than D-Bus call", f ? dbus_ratio(f) : NAN, 5, false);
	f = find("pinned", "demand.median");
	target("demand launch <= 1.25x floor", f ? ratio(f) : NAN, 1.25, true);
	target("demand launch >= 2.5x faster than D-Bus activation", f ? dbus_ratio(f) : NAN, 2.5, false);
	f = find("plist", "billion-laughs.median");
	target("billion-laughs plist refused <= 2x a plain one", f ? ratio(f) : NAN, 2.0, true);
	if (scale_ran) {
		char what[96];

		f = find("scale", jobs_name("lookup", scale_ran, ".median"));
		snprintf(what, sizeof(what), "look-up at %u jobs <= 1.1x at 10 jobs", scale_ran);
		target(what, f ? ratio(f) : NAN, 1.1, true);
		f = find("scale", jobs_name("load", scale_ran, ""));
		snprintf(what, sizeof(what), "%u jobs load < 2 s", scale_ran);
		target(what, f ? f->value : NAN, 2.0, true);
		f = find("scale", jobs_name("rss", scale_ran, ""));
		snprintf(what, sizeof(what), "%u jobs RSS < 64 MiB", scale_ran);
		target(what, f ? f->value : NAN, 64.0, true);
	}
	if (scale_ran != cfg.scale_jobs) {
		char what[96];

		snprintf(what, sizeof(what), "%u jobs load and answer look-ups", cfg.scale_jobs);
		target(what, 0, 1, false);
	}
}

static char loadavg[64] = "?";

static void read_loadavg(void)
{
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fgets(loadavg, sizeof(loadavg), f))
			loadavg[strcspn(loadavg, "\n")] = '\0';
		fclose(f);
	}
}

static void print_text(const char *date, const char *cpu, long nproc, const char *kernel)
{
	printf("bootstrapd bench, %s, %ld CPUs, %s, Linux %s, loadavg at start %s\n", date, nproc,
	       cpu, kernel, loadavg);
	printf("ratio = cost relative to the floor measured in the same run (value/floor; floor/value for rates)\n");
	printf("D-Bus/bsd = how many times bootstrapd is faster than D-Bus at the same operation\n\n");
	printf("%-8s %-24s %-5s %10s %10s %7s  %-28s %10s %9s  %s\n", "mode", "figure", "unit",
	       "bootstrapd", "floor", "ratio", "floor is", "D-Bus", "D-Bus/bsd", "D-Bus op");
	for (size_t i = 0; i < n_figs; i++) {
		const struct figure *f = &figs[i];
		char v[32], fl[32], r[32], d[32], dr[32];

		fmt(v, sizeof(v), f->value);
		fmt(fl, sizeof(fl), f->floor);
		fmt(r, sizeof(r), ratio(f));
		fmt(d, sizeof(d), f->dbus);
		fmt(dr, sizeof(dr), dbus_ratio(f));
		printf("%-8s %-24s %-5s %10s %10s %6s%s  %-28s %10s %8s%s  %s\n", f->mode, f->name,
		       f->unit, v, fl, r, isnan(ratio(f)) ? " " : "x", f->floor_what, d, dr,
		       isnan(dbus_ratio(f)) ? " " : "x", f->dbus_what);
	}
	for (size_t i = 0; i < n_notes; i++)
		printf("%snote: %s\n", i ? "" : "\n", notes[i]);
	printf("\ntargets (pinned figures, medians):\n");
	for (size_t i = 0; i < n_targets; i++) {
		char g[32];

		fmt(g, sizeof(g), targets[i].got);
		printf("  %-6s %-52s got %s\n", !targets[i].known ? "n/a" : met(&targets[i]) ? "MET" : "MISSED",
		       targets[i].what, g);
	}
}

static void print_json(const char *date, const char *cpu, long nproc, const char *kernel)
{
	printf("{\n  \"date\": ");
	json_str(date);
	printf(",\n  \"machine\": {\"nproc\": %ld, \"cpu\": ", nproc);
	json_str(cpu);
	printf(", \"kernel\": ");
	json_str(kernel);
	printf(", \"loadavg_at_start\": ");
	json_str(loadavg);
	printf("},\n  \"figures\": [");
	for (size_t i = 0; i < n_figs; i++) {
		const struct figure *f = &figs[i];

		printf("%s\n    {\"mode\": ", i ? "," : "");
		json_str(f->mode);
		printf(", \"figure\": ");
		json_str(f->name);
		printf(", \"unit\": ");
		json_str(f->unit);
		printf(", \"bootstrapd\": ");
		json_num(f->value);
		printf(", \"floor\": ");
		json_num(f->floor);
		printf(", \"floor_is\": ");
		json_str(f->floor_what);
		printf(", \"ratio\": ");
		json_num(ratio(f));
		printf(", \"dbus\": ");
		json_num(f->dbus);
		printf(", \"dbus_op\": ");
		json_str(f->dbus_what);
		printf(", \"dbus_over_bootstrapd\": ");
		json_num(dbus_ratio(f));
		printf("}");
	}
	printf("\n  ],\n  \"notes\": [");
	for (size_t i = 0; i < n_notes; i++) {
		printf("%s\n    ", i ? "," : "");
		json_str(notes[i]);
	}
	printf("\n  ],\n  \"targets\": [");
	for (size_t i = 0; i < n_targets; i++) {
		printf("%s\n    {\"target\": ", i ? "," : "");
		json_str(targets[i].what);
		printf(", \"got\": ");
		json_num(targets[i].got);
		printf(", \"met\": %s}", !targets[i].known ? "null" : met(&targets[i]) ? "true" : "false");
	}
	printf("\n  ]\n}\n");
}

static void run_mode(const char *mode)
{
	char jobs[4300], tag[32];
	struct daemon d;
	struct pair lookup, stubs, call, demand;
	struct dbus_result db;
	static const unsigned conc[] = { 1, 8, 64 };
	uint64_t t0;
	bool have_dbus;

	note(&cfg, "%s: bootstrapd look-up, call, demand launch", mode);
	snprintf(jobs, sizeof(jobs), "%s/%s-jobs", cfg.tmp, mode);
	snprintf(tag, sizeof(tag), "%s-bootstrapd", mode);
	if (bsd_add_bench_jobs(&cfg, jobs) < 0)
		die("cannot write plists in %s", jobs);
	if (daemon_start(&cfg, &d, tag, jobs, 2, &t0) < 0 || daemon_wait_socket(&d, 10000) < 0)
		die("bootstrapd did not start (see %s)", d.log);
	/* For the throughput workers (this process never connects itself). */
	setenv("BOOTSTRAP_SOCKET", d.socket, 1);
	bsd_lookup(&cfg, &d, BENCH_SERVICE_NAME, &lookup);
	bsd_lookup_stubs(&cfg, &d, BENCH_SERVICE_NAME, &stubs);
	bsd_call(&cfg, &d, &call);
	bsd_demand(&cfg, &d, &demand);

	have_dbus = *cfg.dbus_daemon && *cfg.dbus_service;
	if (have_dbus) {
		note(&cfg, "%s: D-Bus GetNameOwner, call, activation", mode);
		if (dbus_measure(&cfg, &db) < 0 || !db.ok) {
			fprintf(stderr, "bench: D-Bus figures failed\n");
			have_dbus = false;
		}
	}
	add_pair(mode, "lookup", &lookup, "raw req/reply + 1 fd", have_dbus ? &db.get_name_owner : NULL,
		 "GetNameOwner");
	add_pair(mode, "lookup.stubs", &stubs, "hand-written look_up2", NULL, NULL);
	add_pair(mode, "call", &call, "raw req/reply", have_dbus ? &db.call : NULL, "method call");
	add_pair(mode, "demand", &demand, "posix_spawn until 1 byte", have_dbus ? &db.activation : NULL,
		 "bus activation");

	for (size_t i = 0; i < sizeof(conc) / sizeof(conc[0]); i++) {
		static const struct { enum tput_kind bsd, floor; const char *name, *floor_what; } k[] = {
			{ TPUT_LOOKUP, TPUT_FLOOR_LOOKUP, "lookup", "epoll server, req/reply+fd" },
			{ TPUT_CALL, TPUT_FLOOR_CALL, "call", "epoll server, req/reply" },
		};

		for (size_t j = 0; j < 2; j++) {
			char name[40];
			double b, f;
			struct figure *fig;

			note(&cfg, "%s: %s throughput, %u client process(es)", mode, k[j].name, conc[i]);
			b = tput_run(&cfg, k[j].bsd, conc[i]);
			f = tput_run(&cfg, k[j].floor, conc[i]);
			if (b < 0) {
				fprintf(stderr, "bench: %s throughput with %u clients failed\n", k[j].name, conc[i]);
				continue;
			}
			snprintf(name, sizeof(name), "%s.tput.c%u", k[j].name, conc[i]);
			fig = add(mode, name, "ops/s", b, f < 0 ? NAN : f, k[j].floor_what);
			fig->rate = true;
		}
	}
	daemon_stop(&d);
}

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

struct scale_out {
	struct daemon d;
	struct load_result load;
	long rss_kib;
	long loaded;
	char last[64];
};

/* Start a daemon on @dir's @n jobs, time its load, take its RSS; it keeps running. */
static void scale_start(const char *tag, const char *dir, unsigned n, struct scale_out *o)
{
	/* Loading 10,000 jobs should take about a second; a daemon short of
	 * fds may never answer (see bsd_wait_loaded). */
	int timeout_s = raise_nofile(2 * (long)n + 256) >= 2 * (long)n + 64 ? 30 : 8;
	uint64_t t0;

	memset(o, 0, sizeof(*o));
	o->rss_kib = -1;
	snprintf(o->last, sizeof(o->last), "com.bootstrapd.bench.scale.%05u", n - 1);
	if (daemon_start(&cfg, &o->d, tag, dir, n, &t0) < 0)
		die("cannot start bootstrapd");
	if (bsd_wait_loaded(&o->d, o->last, t0, timeout_s, &o->load) == 0 && o->load.ok)
		o->rss_kib = vm_rss_kib(o->d.pid);
}

static void scale_stop(struct scale_out *o)
{
	daemon_stop(&o->d);
	o->loaded = jobs_loaded(&o->d);
}

/*
 * Look-ups of the last job at 10 jobs and at @big jobs, both daemons
 * running, in alternating rounds so that load from elsewhere on the
 * machine hits both alike.
 */
static int compare_lookups(struct scale_out *small, struct scale_out *big, struct lat *ls,
			   struct lat *lb)
{
	int rounds = cfg.quick ? 2 : 6;
	unsigned per = cfg.quick ? 500 : LOOKUP_SAMPLES_MAX;
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

static void run_scale(void)
{
	char small[4300], dir[4300];
	struct scale_out o10, obig;
	struct lat l10 = { 0 }, lbig = { 0 };
	double floor_s = NAN;
	unsigned n = cfg.scale_jobs;
	bool compared = false;
	long lim;

	note(&cfg, "scale: generating %u plists", n);
	snprintf(small, sizeof(small), "%s/scale-10-jobs", cfg.tmp);
	snprintf(dir, sizeof(dir), "%s/scale-%u-jobs", cfg.tmp, n);
	if (bsd_generate_jobs(&cfg, small, 10) < 0 || bsd_generate_jobs(&cfg, dir, n) < 0)
		die("cannot write plists in %s", cfg.tmp);
	lim = raise_nofile(2 * (long)n + 256);
	scale_start("scale-10", small, 10, &o10);

	note(&cfg, "scale: bootstrapd with %u jobs", n);
	scale_start("scale-big", dir, n, &obig);
	if (!obig.load.ok) {
		/* bootstrapd holds two fds per MachService (R and S): with the
		 * fd limit below that, the last jobs fail to load and requests
		 * whose reply right cannot be received are dropped. */
		unsigned fit = lim > 600 ? (unsigned)((lim - 512) / 2 / 100 * 100) : 0;

		scale_stop(&obig);
		add_note("%u jobs: %ld loaded, look-up of the last failed; RLIMIT_NOFILE %ld "
			 "(hard limit here) < 2 fds x %u services + connections", n, obig.loaded, lim, n);
		if (fit >= 100 && fit < n) {
			n = fit;
			add_note("scale figures below are for %u jobs, the most that fit the fd limit", n);
			snprintf(dir, sizeof(dir), "%s/scale-%u-jobs", cfg.tmp, n);
			if (bsd_generate_jobs(&cfg, dir, n) < 0)
				die("cannot write plists in %s", dir);
			scale_start("scale-fit", dir, n, &obig);
		}
	}
	if (o10.load.ok && obig.load.ok) {
		note(&cfg, "scale: look-ups at 10 and %u jobs, alternating", n);
		compared = compare_lookups(&o10, &obig, &l10, &lbig) == 0;
	}
	scale_stop(&obig);
	scale_stop(&o10);
	if (floor_load(dir, &floor_s) < 0)
		floor_s = NAN;

	if (o10.load.ok)
		add("scale", "load.10-jobs", "s", o10.load.load_s, NAN, "");
	if (obig.load.ok) {
		scale_ran = n;
		add("scale", jobs_name("load", n, ""), "s", obig.load.load_s, floor_s,
		    "parse all + 1 socketpair each");
		add("scale", jobs_name("socket", n, ""), "s", obig.load.socket_s, NAN, "");
	}
	if (o10.rss_kib > 0)
		add("scale", "rss.10-jobs", "MiB", o10.rss_kib / 1024.0, NAN, "");
	if (obig.rss_kib > 0)
		add("scale", jobs_name("rss", n, ""), "MiB", obig.rss_kib / 1024.0,
		    o10.rss_kib > 0 ? o10.rss_kib / 1024.0 : NAN, "bootstrapd with 10 jobs");
	if (compared) {
		add("scale", jobs_name("lookup", n, ".median"), "us", lbig.med_us, l10.med_us,
		    "look-up at 10 jobs");
		add("scale", jobs_name("lookup", n, ".p99"), "us", lbig.p99_us, l10.p99_us,
		    "look-up at 10 jobs");
	}
}

/* The parser against a billion-laughs file: refused at once, next to a plain plist. */
static void run_plist(void)
{
	struct lat laughs, plain;

	note(&cfg, "plist: billion laughs against a plain plist of its size");
	if (plist_measure(&cfg, &laughs, &plain) < 0) {
		fprintf(stderr, "bench: plist figures failed\n");
		return;
	}
	add("plist", "billion-laughs.median", "us", laughs.med_us, plain.med_us, "plain plist, same size");
	add("plist", "billion-laughs.p99", "us", laughs.p99_us, plain.p99_us, "plain plist, same size");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bootstrapd-bench [--json] [--quick] [--no-unpinned] [--seconds S] [--scale N]\n"
		"                        [--bootstrapd PATH] [--service PATH] [--dbus-daemon PATH]\n"
		"                        [--dbus-service PATH]\n");
}

static void cleanup(void)
{
	if (getenv("BENCH_KEEP_TMP"))
		fprintf(stderr, "bench: kept %s\n", cfg.tmp);
	else
		rm_rf(cfg.tmp);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quick", no_argument, NULL, 'q' },
		{ "no-unpinned", no_argument, NULL, 'u' },
		{ "seconds", required_argument, NULL, 's' },
		{ "scale", required_argument, NULL, 'n' },
		{ "bootstrapd", required_argument, NULL, 'b' },
		{ "service", required_argument, NULL, 'S' },
		{ "dbus-daemon", required_argument, NULL, 'D' },
		{ "dbus-service", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char date[64], cpu[256];
	struct utsname un;
	time_t now = time(NULL);
	ssize_t len;
	int c;

	if (argc > 1 && strcmp(argv[1], "--worker") == 0)
		return worker_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--loop") == 0)
		return loop_main(argc, argv);
	cfg.bootstrapd = BENCH_BOOTSTRAPD;
	cfg.service = BENCH_SERVICE;
	cfg.service_plist = BENCH_SERVICE_PLIST;
	cfg.once_plist = BENCH_ONCE_PLIST;
	cfg.dbus_daemon = BENCH_DBUS_DAEMON;
	cfg.dbus_service = BENCH_DBUS_SERVICE;
	cfg.tput_seconds = 1.0;
	cfg.scale_jobs = 10000;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': cfg.json = true; break;
		case 'q': cfg.quick = true; cfg.tput_seconds = 0.25; cfg.scale_jobs = 2000; break;
		case 'u': cfg.no_unpinned = true; break;
		case 's': cfg.tput_seconds = atof(optarg); break;
		case 'n': cfg.scale_jobs = (unsigned)atoi(optarg); break;
		case 'b': cfg.bootstrapd = optarg; break;
		case 'S': cfg.service = optarg; break;
		case 'D': cfg.dbus_daemon = optarg; break;
		case 'd': cfg.dbus_service = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || cfg.tput_seconds <= 0 || cfg.scale_jobs < 10) {
		usage(stderr);
		return 2;
	}
	if (*cfg.dbus_daemon && access(cfg.dbus_daemon, X_OK) < 0)
		cfg.dbus_daemon = "";
	if (!*cfg.dbus_daemon || !*cfg.dbus_service)
		note(&cfg, "no dbus-daemon or no libdbus at build time: D-Bus columns left empty");
	len = readlink("/proc/self/exe", cfg.self, sizeof(cfg.self) - 1);
	if (len <= 0)
		die("readlink /proc/self/exe");
	cfg.self[len] = '\0';
	snprintf(cfg.tmp, sizeof(cfg.tmp), "%s/bootstrapd-bench.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(cfg.tmp))
		die("mkdtemp %s: %s", cfg.tmp, strerror(errno));
	atexit(cleanup);
	signal(SIGPIPE, SIG_IGN);
	unsetenv("BOOTSTRAP_FD");

	read_loadavg();
	if (pin_cpu0() < 0)
		die("sched_setaffinity(CPU 0): %s", strerror(errno));
	run_mode("pinned");
	run_scale();
	run_plist();
	if (!cfg.no_unpinned) {
		unpin();
		run_mode("unpinned");
	}
	judge();

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M %Z", localtime(&now));
	cpu_model(cpu, sizeof(cpu));
	uname(&un);
	if (cfg.json)
		print_json(date, cpu, sysconf(_SC_NPROCESSORS_ONLN), un.release);
	else
		print_text(date, cpu, sysconf(_SC_NPROCESSORS_ONLN), un.release);
	return 0;
}
