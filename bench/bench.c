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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-config.h"

static struct bench_cfg cfg;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bootstrapd-bench [--json] [--quick] [--no-unpinned] [--seconds S] [--scale N]\n"
		"                        [--bootstrapd PATH] [--service PATH] [--dbus-daemon PATH]\n"
		"                        [--dbus-service PATH] [--no-curve | --curve-only]\n"
		"                        [--curve-data DIR]\n");
}

static void cleanup(void)
{
	if (getenv("BENCH_KEEP_TMP"))
		fprintf(stderr, "bench: kept %s\n", cfg.tmp);
	else
		rm_rf(cfg.tmp);
}

static void defaults(void)
{
	cfg.bootstrapd = BENCH_BOOTSTRAPD;
	cfg.service = BENCH_SERVICE;
	cfg.service_plist = BENCH_SERVICE_PLIST;
	cfg.once_plist = BENCH_ONCE_PLIST;
	cfg.dbus_daemon = BENCH_DBUS_DAEMON;
	cfg.dbus_service = BENCH_DBUS_SERVICE;
	cfg.tput_seconds = 1.0;
	cfg.scale_jobs = 100000;
	cfg.curve = true;
}

/* Return: 0, 1 after --help, -1 on a bad option (usage printed). */
static int options(int argc, char **argv)
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
		{ "no-curve", no_argument, NULL, 'c' },
		{ "curve-only", no_argument, NULL, 'C' },
		{ "curve-data", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

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
		case 'c': cfg.curve = false; break;
		case 'C': cfg.curve_only = true; break;
		case 'o': cfg.curve_data = optarg; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc || cfg.tput_seconds <= 0 || cfg.scale_jobs < 10 || (cfg.curve_only && !cfg.curve)) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* This program's path (for the workers) and the run's private directory. */
static void setup(void)
{
	ssize_t len;

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
}

int main(int argc, char **argv)
{
	unsigned scale_ran = 0;
	int r;

	if (argc > 1 && strcmp(argv[1], "--worker") == 0)
		return worker_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--loop") == 0)
		return loop_main(argc, argv);
	defaults();
	if ((r = options(argc, argv)) != 0)
		return r > 0 ? 0 : 2;
	setup();

	report_read_loadavg();
	if (pin_cpu0() < 0)
		die("sched_setaffinity(CPU 0): %s", strerror(errno));
	if (!cfg.curve_only) {
		run_mode(&cfg, "pinned");
		scale_ran = scale_run(&cfg);
		run_plist(&cfg);
	}
	if (cfg.curve)
		curve_run(&cfg);
	if (cfg.curve_data && curve_write_data(cfg.curve_data) < 0)
		die("cannot write the curve's data in %s", cfg.curve_data);
	if (!cfg.curve_only) {
		if (!cfg.no_unpinned) {
			unpin();
			run_mode(&cfg, "unpinned");
		}
		targets_judge(&cfg, scale_ran);
	}
	report_print(&cfg);
	return 0;
}
