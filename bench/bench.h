/* SPDX-License-Identifier: MIT */
/*
 * bench.h - the bench driver's pieces: timing and statistics, child
 * processes that report a result, the raw-socket floors, the bootstrapd
 * and D-Bus sides, and the throughput workers.
 *
 * The driver itself never calls libbootstrap or libdbus: each measurement
 * runs in a forked child, so that every daemon the bench starts gets fresh
 * clients (libbootstrap connects bootstrap_port once per process) and a
 * measurement that fails or hangs cannot take the run down with it.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>

/* Paths and options of one run. */
struct bench_cfg {
	const char *bootstrapd;         /* the built daemon */
	const char *service;            /* bench-service */
	const char *service_plist;      /* its plists, configured by meson */
	const char *once_plist;
	const char *dbus_daemon;        /* "" if not found */
	const char *dbus_service;       /* "" if built without libdbus */
	char self[4096];                /* this program, for the throughput workers */
	char tmp[4096];                 /* the run's private directory */
	bool json;
	bool quick;                     /* fewer samples, shorter throughput windows */
	bool no_unpinned;
	double tput_seconds;
	unsigned scale_jobs;
	bool curve;                     /* run the curve (curve.c) */
	bool curve_only;                /* and nothing else */
	const char *curve_data;         /* write gnuplot data there, or NULL */
};

/* Latency of one figure. */
struct lat {
	double med_us;
	double p99_us;
	unsigned n;
};

/* util.c */
uint64_t now_ns(void);
void sleep_us(unsigned us);
/* The median of @n > 0 values (sorted in place): the middle two's mean when @n is even. */
double median_of(double *v, size_t n);
struct lat lat_of(uint64_t *ns, size_t n);              /* sorts @ns */
int run_child(int (*fn)(void *arg, void *out), void *arg, void *out, size_t out_len,
	      int timeout_s);
int wait_pid_gone(pid_t pid, int timeout_ms);           /* 0 once kill(pid, 0) fails */
int wait_pid_exited(pid_t pid, int timeout_ms);         /* 0 once gone or a zombie */
int write_file(const char *path, const char *text);
int copy_file(const char *from, const char *to);
void rm_rf(const char *path);
int pin_cpu0(void);
int unpin(void);
/* /proc/PID/status's @key ("VmRSS", "VmHWM", ...) in KiB, or -1. */
long proc_status_kib(pid_t pid, const char *key);
/* Start @pid's VmHWM again from its RSS now; 0 or -errno. */
int vm_peak_reset(pid_t pid);
bool socket_answers(const char *path);
long raise_nofile(long want);
void close_except(int *keep, size_t n);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void note(const struct bench_cfg *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * floor.c: the same exchanges on raw SOCK_SEQPACKET sockets.  The _PAIR
 * kinds are the Mach-shaped floor: a fresh socketpair per request whose
 * send end travels in the request (SCM_RIGHTS) and carries the reply, as
 * a MAKE_SEND_ONCE reply right does in DESIGN.md; nothing else on top.
 */
enum floor_kind { FLOOR_LOOKUP, FLOOR_CALL, FLOOR_LOOKUP_PAIR, FLOOR_CALL_PAIR };
pid_t floor_server_start(enum floor_kind kind, int fd);            /* one client, blocking */
pid_t floor_mux_server_start(enum floor_kind kind, const int *fds, size_t n); /* epoll */
int floor_round_trip(enum floor_kind kind, int fd);
int floor_spawn_once(const char *program, uint64_t *ns);

/* bsd.c: bootstrapd. */
struct daemon {
	pid_t pid;
	char dir[4096];
	char socket[4200];
	char jobs[4200];
	char log[4200];
};
int daemon_start(const struct bench_cfg *cfg, struct daemon *d, const char *tag,
		 const char *jobs_dir, unsigned services, uint64_t *t0);
void daemon_stop(struct daemon *d);
int bsd_add_bench_jobs(const struct bench_cfg *cfg, const char *jobs_dir);
int bsd_generate_jobs(const struct bench_cfg *cfg, const char *jobs_dir, unsigned n);

struct pair { struct lat bsd, floor, floor_pair; int ok; };
int bsd_lookup(const struct bench_cfg *cfg, const struct daemon *d, const char *name, struct pair *out);
/* The look-up through the generated stubs (bsd) against the hand-written one (floor). */
int bsd_lookup_stubs(const struct bench_cfg *cfg, const struct daemon *d, const char *name,
		     struct pair *out);
int hand_lookup_measure(int rounds, int block, const char *name, struct pair *out);
int bsd_call(const struct bench_cfg *cfg, const struct daemon *d, struct pair *out);
/* Look-ups by a client naming MANY_NAMES receive rights, against the same client's before. */
#define MANY_NAMES 4000
int bsd_lookup_many_names(const struct bench_cfg *cfg, const struct daemon *d, struct pair *out);
/* notify.c: a notification request and its cancellation, with MANY_REQUESTS held against a few. */
#define MANY_REQUESTS 2000
int notify_many_requests(const struct bench_cfg *cfg, struct pair *out);
/* Look-ups timed inside the serving job (its own connection), in @out. */
int bsd_lookup_from_job(const struct bench_cfg *cfg, const struct daemon *d, struct lat *out);
int bsd_demand(const struct bench_cfg *cfg, const struct daemon *d, struct pair *out);

#define LOOKUP_SAMPLES_MAX 2000
int bsd_lookup_samples(const struct daemon *d, const char *name, unsigned n, uint64_t *ns);
int daemon_wait_socket(const struct daemon *d, int timeout_ms);

struct load_result { double load_s; double socket_s; int ok; };
int bsd_wait_loaded(const struct daemon *d, const char *last_name, uint64_t t0, int timeout_s,
		    struct load_result *out);
int floor_load(const char *jobs_dir, double *seconds);

/* dbus.c: the same figures through dbus-daemon (when built with libdbus). */
struct dbus_result { struct lat get_name_owner, call, activation; int ok; };
int dbus_measure(const struct bench_cfg *cfg, struct dbus_result *out);

/* plist.c: the plist parser on a billion-laughs file, against a plain plist of its size. */
int plist_measure(const struct bench_cfg *cfg, struct lat *laughs, struct lat *plain);

/* tput.c: concurrent client processes for a fixed time. */
enum tput_kind { TPUT_LOOKUP, TPUT_CALL, TPUT_FLOOR_LOOKUP, TPUT_FLOOR_CALL, TPUT_WIRE_LOOKUP,
		 TPUT_KINDS };
/* The kinds the cost curve measures: the first four. */
#define TPUT_CURVE_KINDS (TPUT_FLOOR_CALL + 1)
double tput_run(const struct bench_cfg *cfg, enum tput_kind kind, unsigned clients);
/* @clients workers doing @kind on @name back to back for @seconds; each
 * keeps its last @cap latencies (0: none), pooled into result.lat, and
 * result.min_ops/max_ops are the fewest and most operations of one worker. */
struct tput_spec {
	enum tput_kind kind;
	unsigned clients;
	const char *name;
	double seconds;
	unsigned cap;
};
struct tput_result { double ops_s; struct lat lat; uint64_t min_ops, max_ops; };
int tput_measure(const struct bench_cfg *cfg, const struct tput_spec *spec, struct tput_result *out);
int worker_main(int argc, char **argv);
int loop_main(int argc, char **argv);

/* wire-client.c: the look-up in the daemon's wire format, without the library. */
int wire_client_connect(void);
int wire_look_up(int sock, const char *name, uint16_t seq);

/* report.c: the figures, notes and targets of a run, and their output. */
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
struct figure *report_add(const char *mode, const char *name, const char *unit, double value,
			  double floor, const char *floor_what);
void report_with_dbus(struct figure *f, double dbus, const char *what);
/* Latency pair -> two lines (median, p99), and the /pair floor; D-Bus beside them if any. */
void report_add_pair(const char *mode, const char *name, const struct pair *p, const char *floor_what,
		     const struct lat *dbus, const char *dbus_what);
const struct figure *report_find(const char *mode, const char *name);
double report_ratio(const struct figure *f);            /* NAN: no floor */
double report_dbus_ratio(const struct figure *f);
const char *report_jobs_name(const char *what, unsigned n, const char *suffix);
void report_note(const struct bench_cfg *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_target(const char *what, double got, double limit, bool at_most);
void report_read_loadavg(void);
void report_print(const struct bench_cfg *cfg);
void report_fmt(char *buf, size_t len, double v);
void report_json_str(const char *s);
void report_json_num(double v);

/* run.c: one mode's figures (pinned or unpinned), and the plist parser's. */
void run_mode(const struct bench_cfg *cfg, const char *mode);
void run_plist(const struct bench_cfg *cfg);

/* scale.c: the daemon at 10 jobs and at cfg->scale_jobs. */
struct scale_out {
	struct daemon d;
	struct load_result load;
	long rss_kib;
	long fds;               /* the daemon's open fds once the last job answered, -1: unknown */
	long loaded;
	char last[64];
};
void scale_start(const struct bench_cfg *cfg, const char *tag, const char *dir, unsigned n,
		 struct scale_out *o);
void scale_stop(struct scale_out *o);
unsigned scale_run(const struct bench_cfg *cfg);        /* the count that ran, 0: none */

/* curve.c: cost as work grows (jobs 10 .. 100,000; clients 1 .. 512). */
void curve_run(const struct bench_cfg *cfg);
void curve_print_text(void);
void curve_print_json(void);
int curve_write_data(const char *dir);

/* targets.c */
void targets_judge(const struct bench_cfg *cfg, unsigned scale_ran);

/**
 * bench_call() - one MIG-style call to @service: a request with a
 * MAKE_SEND_ONCE reply right to @reply, then its reply (within @timeout ms,
 * 0 for no limit).  @pid: out, may be NULL: the service's pid.
 * Return: 0, or -1 with a message on stderr.
 */
int bench_call(mach_port_t service, mach_port_t reply, mach_msg_timeout_t timeout, int32_t *pid);

#endif
