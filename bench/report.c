/* SPDX-License-Identifier: MIT */
/*
 * report.c - the figures, notes and targets of one run, and their output:
 * a text table (value, floor, ratio, D-Bus) or JSON.
 */
#include "bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static struct figure figs[128];
static size_t n_figs;

struct figure *report_add(const char *mode, const char *name, const char *unit, double value,
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

void report_with_dbus(struct figure *f, double dbus, const char *what)
{
	f->dbus = dbus;
	snprintf(f->dbus_what, sizeof(f->dbus_what), "%s", what);
}

double report_ratio(const struct figure *f)
{
	if (isnan(f->floor) || f->floor <= 0 || f->value <= 0)
		return NAN;
	return f->rate ? f->floor / f->value : f->value / f->floor;
}

double report_dbus_ratio(const struct figure *f)
{
	return isnan(f->dbus) || f->value <= 0 ? NAN : f->dbus / f->value;
}

const struct figure *report_find(const char *mode, const char *name)
{
	for (size_t i = 0; i < n_figs; i++)
		if (strcmp(figs[i].mode, mode) == 0 && strcmp(figs[i].name, name) == 0)
			return &figs[i];
	return NULL;
}

/* Latency pair -> two lines (median, p99); the D-Bus figure too if any. */
void report_add_pair(const char *mode, const char *name, const struct pair *p, const char *floor_what,
		     const struct lat *dbus, const char *dbus_what)
{
	char n[40];
	struct figure *f;

	if (!p->ok) {
		fprintf(stderr, "bench: %s %s: failed (no figure)\n", mode, name);
		return;
	}
	snprintf(n, sizeof(n), "%s.median", name);
	f = report_add(mode, n, "us", p->bsd.med_us, p->floor.med_us, floor_what);
	if (dbus && dbus->n)
		report_with_dbus(f, dbus->med_us, dbus_what);
	snprintf(n, sizeof(n), "%s.p99", name);
	f = report_add(mode, n, "us", p->bsd.p99_us, p->floor.p99_us, floor_what);
	if (dbus && dbus->n)
		report_with_dbus(f, dbus->p99_us, dbus_what);
	if (p->floor_pair.n) {
		/* The same figure against the Mach-shaped floor: what is left
		 * is libbootstrap's and the daemon's own cost. */
		snprintf(n, sizeof(n), "%s.median/pair", name);
		report_add(mode, n, "us", p->bsd.med_us, p->floor_pair.med_us, "raw + socketpair reply port");
	}
}

void report_fmt(char *buf, size_t len, double v)
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

void report_json_str(const char *s)
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

void report_json_num(double v)
{
	if (isnan(v))
		printf("null");
	else
		printf("%.6g", v);
}


/* The targets, judged on the pinned figures (targets.c). */
struct target {
	char what[96];
	double got;
	double limit;
	bool at_most;           /* got <= limit, else got >= limit */
	bool known;
};

static struct target targets[16];
static size_t n_targets;

void report_target(const char *what, double got, double limit, bool at_most)
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
const char *report_jobs_name(const char *what, unsigned n, const char *suffix)
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

void report_note(const struct bench_cfg *cfg, const char *fmt_, ...)
{
	va_list ap;

	if (n_notes == sizeof(notes) / sizeof(notes[0]))
		return;
	va_start(ap, fmt_);
	vsnprintf(notes[n_notes++], sizeof(notes[0]), fmt_, ap);
	va_end(ap);
	note(cfg, "%s", notes[n_notes - 1]);
}


static char loadavg[64] = "?";

void report_read_loadavg(void)
{
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fgets(loadavg, sizeof(loadavg), f))
			loadavg[strcspn(loadavg, "\n")] = '\0';
		fclose(f);
	}
}

static void print_figures_text(void)
{
	printf("ratio = cost relative to the floor measured in the same run (value/floor; floor/value for rates)\n");
	printf("D-Bus/bsd = how many times bootstrapd is faster than D-Bus at the same operation\n\n");
	printf("%-8s %-24s %-5s %10s %10s %7s  %-28s %10s %9s  %s\n", "mode", "figure", "unit",
	       "bootstrapd", "floor", "ratio", "floor is", "D-Bus", "D-Bus/bsd", "D-Bus op");
	for (size_t i = 0; i < n_figs; i++) {
		const struct figure *f = &figs[i];
		char v[32], fl[32], r[32], d[32], dr[32];

		report_fmt(v, sizeof(v), f->value);
		report_fmt(fl, sizeof(fl), f->floor);
		report_fmt(r, sizeof(r), report_ratio(f));
		report_fmt(d, sizeof(d), f->dbus);
		report_fmt(dr, sizeof(dr), report_dbus_ratio(f));
		printf("%-8s %-24s %-5s %10s %10s %6s%s  %-28s %10s %8s%s  %s\n", f->mode, f->name,
		       f->unit, v, fl, r, isnan(report_ratio(f)) ? " " : "x", f->floor_what, d, dr,
		       isnan(report_dbus_ratio(f)) ? " " : "x", f->dbus_what);
	}
}

static void print_text(const char *date, const char *cpu, long nproc, const char *kernel)
{
	printf("bootstrapd bench, %s, %ld CPUs, %s, Linux %s, loadavg at start %s\n", date, nproc,
	       cpu, kernel, loadavg);
	if (n_figs)
		print_figures_text();
	curve_print_text();
	for (size_t i = 0; i < n_notes; i++)
		printf("%snote: %s\n", i ? "" : "\n", notes[i]);
	if (n_targets)
		printf("\ntargets (pinned figures, medians):\n");
	for (size_t i = 0; i < n_targets; i++) {
		char g[32];

		report_fmt(g, sizeof(g), targets[i].got);
		printf("  %-6s %-52s got %s\n", !targets[i].known ? "n/a" : met(&targets[i]) ? "MET" : "MISSED",
		       targets[i].what, g);
	}
}

static void json_figure(const struct figure *f)
{
	printf("{\"mode\": ");
	report_json_str(f->mode);
	printf(", \"figure\": ");
	report_json_str(f->name);
	printf(", \"unit\": ");
	report_json_str(f->unit);
	printf(", \"bootstrapd\": ");
	report_json_num(f->value);
	printf(", \"floor\": ");
	report_json_num(f->floor);
	printf(", \"floor_is\": ");
	report_json_str(f->floor_what);
	printf(", \"ratio\": ");
	report_json_num(report_ratio(f));
	printf(", \"dbus\": ");
	report_json_num(f->dbus);
	printf(", \"dbus_op\": ");
	report_json_str(f->dbus_what);
	printf(", \"dbus_over_bootstrapd\": ");
	report_json_num(report_dbus_ratio(f));
	printf("}");
}

static void print_json(const char *date, const char *cpu, long nproc, const char *kernel)
{
	printf("{\n  \"date\": ");
	report_json_str(date);
	printf(",\n  \"machine\": {\"nproc\": %ld, \"cpu\": ", nproc);
	report_json_str(cpu);
	printf(", \"kernel\": ");
	report_json_str(kernel);
	printf(", \"loadavg_at_start\": ");
	report_json_str(loadavg);
	printf("},\n  \"figures\": [");
	for (size_t i = 0; i < n_figs; i++) {
		printf("%s\n    ", i ? "," : "");
		json_figure(&figs[i]);
	}
	printf("\n  ],\n  \"notes\": [");
	for (size_t i = 0; i < n_notes; i++) {
		printf("%s\n    ", i ? "," : "");
		report_json_str(notes[i]);
	}
	printf("\n  ],\n  \"targets\": [");
	for (size_t i = 0; i < n_targets; i++) {
		printf("%s\n    {\"target\": ", i ? "," : "");
		report_json_str(targets[i].what);
		printf(", \"got\": ");
		report_json_num(targets[i].got);
		printf(", \"met\": %s}", !targets[i].known ? "null" : met(&targets[i]) ? "true" : "false");
	}
	printf("\n  ],\n  \"curve\": ");
	curve_print_json();
	printf("\n}\n");
}

/* The whole run, on stdout: text or JSON (cfg->json). */
void report_print(const struct bench_cfg *cfg)
{
	char date[64], cpu[256];
	struct utsname un;
	time_t now = time(NULL);

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M %Z", localtime(&now));
	cpu_model(cpu, sizeof(cpu));
	uname(&un);
	if (cfg->json)
		print_json(date, cpu, sysconf(_SC_NPROCESSORS_ONLN), un.release);
	else
		print_text(date, cpu, sysconf(_SC_NPROCESSORS_ONLN), un.release);
}
