/* SPDX-License-Identifier: MIT */
/*
 * targets.c - the performance targets, judged on the pinned figures.
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>

void targets_judge(const struct bench_cfg *cfg, unsigned scale_ran)
{
	const struct figure *f;

	f = report_find("pinned", "lookup.median");
	report_target("look-up <= 1.3x floor", f ? report_ratio(f) : NAN, 1.3, true);
	report_target("look-up >= 4x faster than D-Bus GetNameOwner", f ? report_dbus_ratio(f) : NAN, 4, false);
	f = report_find("pinned", "call.median");
	report_target("call <= 1.3x floor", f ? report_ratio(f) : NAN, 1.3, true);
	report_target("call >= 5x faster than D-Bus call", f ? report_dbus_ratio(f) : NAN, 5, false);
	f = report_find("pinned", "demand.median");
	report_target("demand launch <= 1.2x floor", f ? report_ratio(f) : NAN, 1.2, true);
	report_target("demand launch >= 2.5x faster than D-Bus activation", f ? report_dbus_ratio(f) : NAN, 2.5, false);
	f = report_find("pinned", "lookup.tput.c64");
	report_target("look-up throughput, 64 clients, within 1.3x of the floor",
		      f ? report_ratio(f) : NAN, 1.3, true);
	f = report_find("pinned", "call.tput.c64");
	report_target("call throughput, 64 clients, within 1.3x of the floor",
		      f ? report_ratio(f) : NAN, 1.3, true);
	f = report_find("plist", "billion-laughs.median");
	report_target("billion-laughs plist refused <= 2x a plain one", f ? report_ratio(f) : NAN, 2.0, true);
	if (scale_ran) {
		char what[96];

		f = report_find("scale", report_jobs_name("lookup", scale_ran, ".median"));
		snprintf(what, sizeof(what), "look-up at %u jobs <= 1.1x at 10 jobs", scale_ran);
		report_target(what, f ? report_ratio(f) : NAN, 1.1, true);
		f = report_find("scale", report_jobs_name("load", scale_ran, ""));
		snprintf(what, sizeof(what), "%u jobs load < 2 s", scale_ran);
		report_target(what, f ? f->value : NAN, 2.0, true);
		/* 64 MiB was set for 10,000 jobs, 128 MiB for 100,000. */
		f = report_find("scale", report_jobs_name("rss", scale_ran, ""));
		snprintf(what, sizeof(what), "%u jobs RSS < %d MiB", scale_ran, scale_ran > 10000 ? 128 : 64);
		report_target(what, f ? f->value : NAN, scale_ran > 10000 ? 128.0 : 64.0, true);
		f = report_find("scale", report_jobs_name("fds", scale_ran, ""));
		snprintf(what, sizeof(what), "daemon fds at %u loaded, unused jobs < 100", scale_ran);
		report_target(what, f ? f->value : NAN, 100.0, true);
	}
	if (scale_ran != cfg->scale_jobs) {
		char what[96];

		snprintf(what, sizeof(what), "%u jobs load and answer look-ups", cfg->scale_jobs);
		report_target(what, 0, 1, false);
	}
}
