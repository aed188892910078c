/* SPDX-License-Identifier: MIT */
/*
 * run.c - one mode's figures (look-up, call, demand launch, throughput at
 * 1, 8, 64 clients; D-Bus beside them) and the plist parser's figures.
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-proto.h"

/*
 * Throughput and its floor as medians of TPUT_ROUNDS windows each, taken
 * in turn: one window of 64 clients moved by ±5% from the next here,
 * more than the gap it is judged by.  A failed window is left out.
 */
#define TPUT_ROUNDS 3

static void tput_rounds(const struct bench_cfg *cfg, enum tput_kind bsd, enum tput_kind floor,
			unsigned clients, double *b, double *f)
{
	double bs[TPUT_ROUNDS], fs[TPUT_ROUNDS];
	size_t nb = 0, nf = 0;

	for (int r = 0; r < TPUT_ROUNDS; r++) {
		double x = tput_run(cfg, bsd, clients), y = tput_run(cfg, floor, clients);

		if (x >= 0)
			bs[nb++] = x;
		if (y >= 0)
			fs[nf++] = y;
	}
	*b = nb ? median_of(bs, nb) : -1;
	*f = nf ? median_of(fs, nf) : -1;
}

/* A row of throughput figures: a kind, its floor, the counts it is measured at. */
struct tput_row {
	enum tput_kind bsd, floor;
	const char *name, *floor_what;
	unsigned only_at;       /* 0: at every count; else at this count only */
};

/* @row at @clients, next to its floor. */
static void run_tput_row(const struct bench_cfg *cfg, const char *mode, const struct tput_row *row,
			 unsigned clients)
{
	char name[40];
	double b, f;
	struct figure *fig;

	note(cfg, "%s: %s throughput, %u client process(es)", mode, row->name, clients);
	tput_rounds(cfg, row->bsd, row->floor, clients, &b, &f);
	if (b < 0) {
		fprintf(stderr, "bench: %s throughput with %u clients failed\n", row->name, clients);
		return;
	}
	snprintf(name, sizeof(name), "%s.tput.c%u", row->name, clients);
	fig = report_add(mode, name, "ops/s", b, f < 0 ? NAN : f, row->floor_what);
	fig->rate = true;
}

/*
 * Throughput at 1, 8, 64 client processes, each next to its floor; and at
 * 64, the look-up in the wire format without the library (wire-client.c),
 * which splits that row's cost into the daemon's and the library's.
 */
static void run_tput(const struct bench_cfg *cfg, const char *mode)
{
	static const unsigned conc[] = { 1, 8, 64 };
	static const struct tput_row rows[] = {
		{ TPUT_LOOKUP, TPUT_FLOOR_LOOKUP, "lookup", "epoll server, req/reply+fd", 0 },
		{ TPUT_CALL, TPUT_FLOOR_CALL, "call", "epoll server, req/reply", 0 },
		{ TPUT_WIRE_LOOKUP, TPUT_FLOOR_LOOKUP, "lookup.wire", "epoll server, req/reply+fd", 64 },
	};

	for (size_t i = 0; i < sizeof(conc) / sizeof(conc[0]); i++)
		for (size_t j = 0; j < sizeof(rows) / sizeof(rows[0]); j++)
			if (!rows[j].only_at || conc[i] == rows[j].only_at)
				run_tput_row(cfg, mode, &rows[j], conc[i]);
}

void run_mode(const struct bench_cfg *cfg, const char *mode)
{
	char jobs[4300], tag[32];
	struct daemon d;
	struct pair lookup, stubs, call, demand, job = { 0 }, names, notify;
	struct dbus_result db;
	uint64_t t0;
	bool have_dbus;

	note(cfg, "%s: bootstrapd look-up, call, demand launch", mode);
	snprintf(jobs, sizeof(jobs), "%s/%s-jobs", cfg->tmp, mode);
	snprintf(tag, sizeof(tag), "%s-bootstrapd", mode);
	if (bsd_add_bench_jobs(cfg, jobs) < 0)
		die("cannot write plists in %s", jobs);
	if (daemon_start(cfg, &d, tag, jobs, 2, &t0) < 0 || daemon_wait_socket(&d, 10000) < 0)
		die("bootstrapd did not start (see %s)", d.log);
	/* For the throughput workers (this process never connects itself). */
	setenv("BOOTSTRAP_SOCKET", d.socket, 1);
	bsd_lookup(cfg, &d, BENCH_SERVICE_NAME, &lookup);
	bsd_lookup_stubs(cfg, &d, BENCH_SERVICE_NAME, &stubs);
	bsd_call(cfg, &d, &call);
	job.ok = bsd_lookup_from_job(cfg, &d, &job.bsd) == 0 && lookup.ok;
	job.floor = lookup.bsd;
	bsd_lookup_many_names(cfg, &d, &names);
	notify_many_requests(cfg, &notify);
	bsd_demand(cfg, &d, &demand);

	have_dbus = *cfg->dbus_daemon && *cfg->dbus_service;
	if (have_dbus) {
		note(cfg, "%s: D-Bus GetNameOwner, call, activation", mode);
		if (dbus_measure(cfg, &db) < 0 || !db.ok) {
			fprintf(stderr, "bench: D-Bus figures failed\n");
			have_dbus = false;
		}
	}
	report_add_pair(mode, "lookup", &lookup, "raw req/reply + 1 fd", have_dbus ? &db.get_name_owner : NULL,
			"GetNameOwner");
	report_add_pair(mode, "lookup.stubs", &stubs, "hand-written look_up2", NULL, NULL);
	report_add_pair(mode, "lookup.job", &job, "look-up from a client", NULL, NULL);
	report_add_pair(mode, "lookup.4k-names", &names, "same client, a few names", NULL, NULL);
	report_add_pair(mode, "notify.2k-requests", &notify, "same task, a few requests", NULL, NULL);
	report_add_pair(mode, "call", &call, "raw req/reply", have_dbus ? &db.call : NULL, "method call");
	report_add_pair(mode, "demand", &demand, "posix_spawn until 1 byte",
			have_dbus ? &db.activation : NULL, "bus activation");
	run_tput(cfg, mode);
	daemon_stop(&d);
}

/* The parser against a billion-laughs file: refused at once, next to a plain plist. */
void run_plist(const struct bench_cfg *cfg)
{
	struct lat laughs, plain;

	note(cfg, "plist: billion laughs against a plain plist of its size");
	if (plist_measure(cfg, &laughs, &plain) < 0) {
		fprintf(stderr, "bench: plist figures failed\n");
		return;
	}
	report_add("plist", "billion-laughs.median", "us", laughs.med_us, plain.med_us, "plain plist, same size");
	report_add("plist", "billion-laughs.p99", "us", laughs.p99_us, plain.p99_us, "plain plist, same size");
}

