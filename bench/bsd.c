/* SPDX-License-Identifier: MIT */
/*
 * bsd.c - the bootstrapd side: a private daemon per run, and the
 * look-up, call and demand-launch figures next to their floors, measured
 * in alternating blocks by one client process so that drift hits both.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bench-proto.h"

int daemon_start(const struct bench_cfg *cfg, struct daemon *d, const char *tag,
		 const char *jobs_dir, unsigned services, uint64_t *t0)
{
	char state[4300];

	memset(d, 0, sizeof(*d));
	if (snprintf(d->dir, sizeof(d->dir), "%.3900s/%.60s", cfg->tmp, tag) >= (int)sizeof(d->dir))
		return -1;
	snprintf(d->socket, sizeof(d->socket), "%s/socket", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/bootstrapd.log", d->dir);
	snprintf(d->jobs, sizeof(d->jobs), "%s", jobs_dir);
	snprintf(state, sizeof(state), "%s/state", d->dir);
	if (strlen(d->dir) > 4000 || (mkdir(d->dir, 0700) < 0 && errno != EEXIST))
		return -1;
	fflush(NULL);
	*t0 = now_ns();
	d->pid = fork();
	if (d->pid < 0)
		return -1;
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0)
			dup2(fd, 2);
		/* Two fds per MachService (the daemon keeps R and S); the daemon
		 * raises its soft limit itself, this is for older ones. */
		raise_nofile(2 * (long)services + 256);
		execl(cfg->bootstrapd, cfg->bootstrapd, "--user", "--foreground", "--socket", d->socket,
		      "--jobs", jobs_dir, "--state", state, (char *)NULL);
		_exit(127);
	}
	return 0;
}

int daemon_wait_socket(const struct daemon *d, int timeout_ms);
int daemon_wait_socket(const struct daemon *d, int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;

	while (!socket_answers(d->socket)) {
		if (now_ns() > deadline || waitpid(d->pid, NULL, WNOHANG) == d->pid)
			return -1;
		sleep_us(200);
	}
	return 0;
}

void daemon_stop(struct daemon *d)
{
	int status;

	if (d->pid <= 0)
		return;
	kill(d->pid, SIGTERM);
	for (int i = 0; i < 5000; i++) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			return;
		}
		sleep_us(1000);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &status, 0);
	d->pid = 0;
}

int bsd_add_bench_jobs(const struct bench_cfg *cfg, const char *jobs_dir)
{
	char to[4300];

	if (mkdir(jobs_dir, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(to, sizeof(to), "%s/%s.plist", jobs_dir, BENCH_SERVICE_NAME);
	if (copy_file(cfg->service_plist, to) < 0)
		return -1;
	snprintf(to, sizeof(to), "%s/%s.plist", jobs_dir, BENCH_ONCE_NAME);
	return copy_file(cfg->once_plist, to);
}

/*
 * The new files written back before anything reads them: a load timed
 * while the kernel writes 100,000 fresh files back pays for that writing
 * (0.4-0.5 s here), and the parse floor, timed minutes later, does not.
 * A writeback that fails only leaves that unevenness: not an error.
 */
static void settle(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
}

/* @n jobs, one MachService each, named com.bootstrapd.bench.scale.NNNNN. */
int bsd_generate_jobs(const struct bench_cfg *cfg, const char *jobs_dir, unsigned n)
{
	if (mkdir(jobs_dir, 0700) < 0 && errno != EEXIST)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		char path[4300], label[64], text[2048];

		snprintf(label, sizeof(label), "com.bootstrapd.bench.scale.%05u", i);
		snprintf(path, sizeof(path), "%s/%s.plist", jobs_dir, label);
		snprintf(text, sizeof(text),
			 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
			 "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
			 "<plist version=\"1.0\">\n<dict>\n"
			 "\t<key>Label</key>\n\t<string>%s</string>\n"
			 "\t<key>ProgramArguments</key>\n\t<array>\n"
			 "\t\t<string>%s</string>\n\t\t<string>serve</string>\n\t\t<string>%s</string>\n"
			 "\t</array>\n"
			 "\t<key>MachServices</key>\n\t<dict>\n\t\t<key>%s</key>\n\t\t<true/>\n\t</dict>\n"
			 "</dict>\n</plist>\n",
			 label, cfg->service, label, label);
		if (write_file(path, text) < 0)
			return -1;
	}
	settle(jobs_dir);
	return 0;
}

/* ---- in the measuring child ---- */

struct child_arg {
	const struct bench_cfg *cfg;
	const char *socket;
	const char *name;
	uint64_t t0;
	int timeout_s;
};

static int look_up_once(const char *name)
{
	mach_port_t port;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, name, &port);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "bench: bootstrap_look_up %s: %s\n", name, bootstrap_strerror(kr));
		return -1;
	}
	mach_port_deallocate(mach_task_self(), port);
	return 0;
}

int bench_call(mach_port_t service, mach_port_t reply, mach_msg_timeout_t timeout, int32_t *pid)
{
	union {
		struct bench_request req;
		struct {
			struct bench_reply rep;
			mach_msg_max_trailer_t trailer;
		} in;
	} m;
	kern_return_t kr;

	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_size = sizeof(m.req);
	m.req.head.msgh_remote_port = service;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_voucher_port = MACH_PORT_NULL;
	m.req.head.msgh_id = BENCH_MSG_ID;
	memset(m.req.text, 'x', sizeof(m.req.text));
	kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | (timeout ? MACH_RCV_TIMEOUT : 0),
		      sizeof(m.req), sizeof(m.in), reply, timeout, MACH_PORT_NULL);
	if (kr != KERN_SUCCESS) {
		mach_error("bench: call:", kr);
		return -1;
	}
	if (m.in.rep.head.msgh_id != BENCH_MSG_ID + 100) {
		fprintf(stderr, "bench: call: reply id %d\n", m.in.rep.head.msgh_id);
		return -1;
	}
	if (pid)
		*pid = m.in.rep.pid;
	return 0;
}

static int rounds(const struct bench_cfg *cfg)
{
	return cfg->quick ? 2 : 5;
}

static int block(const struct bench_cfg *cfg)
{
	return cfg->quick ? 500 : 2000;
}

/* A floor server of @kind on a socketpair; *@fd is the client end. */
static pid_t start_floor(enum floor_kind kind, int *fd)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = floor_server_start(kind, sv[1]);
	close(sv[1]);
	*fd = sv[0];
	return pid;
}

static void stop_floor(pid_t pid, int fd)
{
	close(fd);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int sample_floor(enum floor_kind kind, int fd, uint64_t *s, size_t *n, int count)
{
	int err = 0;

	for (int i = 0; i < count && !err; i++) {
		uint64_t t = now_ns();

		err = floor_round_trip(kind, fd);
		s[(*n)++] = now_ns() - t;
	}
	return err;
}

/*
 * Rounds of three blocks: the raw floor, the reply-pair floor, bootstrapd.
 * @bsd is one bootstrapd round trip.
 */
static int alternate(const struct bench_cfg *cfg, enum floor_kind raw, enum floor_kind pair,
		     int (*bsd)(void *), void *ctx, struct pair *out)
{
	int R = rounds(cfg), B = block(cfg), fd_raw = -1, fd_pair = -1, err = 0;
	size_t total = (size_t)R * B, nf = 0, np = 0, nb = 0;
	uint64_t *fs = calloc(total, sizeof(uint64_t)), *ps = calloc(total, sizeof(uint64_t)),
		 *bs = calloc(total, sizeof(uint64_t));
	pid_t raw_pid = start_floor(raw, &fd_raw), pair_pid = start_floor(pair, &fd_pair);

	if (!fs || !ps || !bs || raw_pid < 0 || pair_pid < 0)
		return -1;
	for (int i = 0; i < 200 && !err; i++)
		err = bsd(ctx) | floor_round_trip(raw, fd_raw) | floor_round_trip(pair, fd_pair);
	for (int r = 0; r < R && !err; r++) {
		err = sample_floor(raw, fd_raw, fs, &nf, B) | sample_floor(pair, fd_pair, ps, &np, B);
		for (int i = 0; i < B && !err; i++) {
			uint64_t t = now_ns();

			err = bsd(ctx);
			bs[nb++] = now_ns() - t;
		}
	}
	stop_floor(raw_pid, fd_raw);
	stop_floor(pair_pid, fd_pair);
	out->floor = lat_of(fs, nf);
	out->floor_pair = lat_of(ps, np);
	out->bsd = lat_of(bs, nb);
	out->ok = !err;
	free(fs);
	free(ps);
	free(bs);
	return err ? -1 : 0;
}

static int look_up_ctx(void *ctx)
{
	return look_up_once(ctx);
}

static int child_lookup(void *a, void *o)
{
	struct child_arg *arg = a;

	/* Floors are forked before the first look-up connects. */
	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	return alternate(arg->cfg, FLOOR_LOOKUP, FLOOR_LOOKUP_PAIR, look_up_ctx, (void *)arg->name,
			 o) ? 1 : 0;
}

int bsd_lookup(const struct bench_cfg *cfg, const struct daemon *d, const char *name, struct pair *out)
{
	struct child_arg arg = { cfg, d->socket, name, 0 };

	return run_child(child_lookup, &arg, out, sizeof(*out), 60);
}

static int child_lookup_stubs(void *a, void *o)
{
	struct child_arg *arg = a;

	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	return hand_lookup_measure(rounds(arg->cfg), block(arg->cfg), arg->name, o) ? 1 : 0;
}

int bsd_lookup_stubs(const struct bench_cfg *cfg, const struct daemon *d, const char *name,
		     struct pair *out)
{
	struct child_arg arg = { cfg, d->socket, name, 0 };

	return run_child(child_lookup_stubs, &arg, out, sizeof(*out), 60);
}

static int setup_call(const char *name, mach_port_t *service, mach_port_t *reply)
{
	kern_return_t kr = bootstrap_look_up(bootstrap_port, name, service);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "bench: bootstrap_look_up %s: %s\n", name, bootstrap_strerror(kr));
		return -1;
	}
	return mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, reply) == KERN_SUCCESS ? 0 : -1;
}

struct call_ctx {
	mach_port_t service, reply;
};

static int call_ctx(void *ctx)
{
	struct call_ctx *c = ctx;

	return bench_call(c->service, c->reply, 0, NULL);
}

static int child_call(void *a, void *o)
{
	struct child_arg *arg = a;
	struct call_ctx c;

	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	/* The first call starts the service (demand launch); then it stays. */
	if (setup_call(BENCH_SERVICE_NAME, &c.service, &c.reply) < 0 ||
	    bench_call(c.service, c.reply, 10000, NULL) < 0)
		return 1;
	return alternate(arg->cfg, FLOOR_CALL, FLOOR_CALL_PAIR, call_ctx, &c, o) ? 1 : 0;
}

int bsd_call(const struct bench_cfg *cfg, const struct daemon *d, struct pair *out)
{
	struct child_arg arg = { cfg, d->socket, BENCH_SERVICE_NAME, 0 };

	return run_child(child_call, &arg, out, sizeof(*out), 60);
}

/* @n look-ups timed into @ns. */
static int time_look_ups(const char *name, uint64_t *ns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t t = now_ns();

		if (look_up_once(name) < 0)
			return -1;
		ns[i] = now_ns() - t;
	}
	return 0;
}

/*
 * Look-ups by a client that names MANY_NAMES receive rights (bsd), then
 * by the same client before it made them (floor): a received right finds
 * its name by the port's identity, which must not cost per name held.
 */
static int child_lookup_many_names(void *a, void *o)
{
	struct child_arg *arg = a;
	struct pair *out = o;
	size_t n = (size_t)rounds(arg->cfg) * block(arg->cfg);
	uint64_t *few = calloc(n, sizeof(uint64_t)), *many = calloc(n, sizeof(uint64_t));
	mach_port_t port;
	int err;

	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	raise_nofile(2 * MANY_NAMES + 256);
	err = !few || !many || time_look_ups(arg->name, few, 200) < 0 ||
	      time_look_ups(arg->name, few, n) < 0;
	for (unsigned i = 0; i < MANY_NAMES && !err; i++)
		err = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS;
	err = err || time_look_ups(arg->name, many, n) < 0;
	*out = (struct pair){ .bsd = lat_of(many, err ? 0 : n), .floor = lat_of(few, err ? 0 : n),
			      .ok = !err };
	free(few);
	free(many);
	return err;
}

int bsd_lookup_many_names(const struct bench_cfg *cfg, const struct daemon *d, struct pair *out)
{
	struct child_arg arg = { cfg, d->socket, BENCH_SERVICE_NAME, 0 };

	memset(out, 0, sizeof(*out));
	return run_child(child_lookup_many_names, &arg, out, sizeof(*out), 60);
}

/* Ask the serving job for its own look-ups' latency (bench-service: BENCH_LOOKUPS_ID). */
static int child_lookup_job(void *a, void *o)
{
	struct child_arg *arg = a;
	struct lat *out = o;
	union {
		struct bench_lookups_request req;
		struct {
			struct bench_lookups_reply rep;
			mach_msg_max_trailer_t trailer;
		} in;
	} m = { .req = { .count = (uint32_t)(rounds(arg->cfg) * block(arg->cfg)) } };
	mach_port_t service, reply;

	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	if (setup_call(BENCH_SERVICE_NAME, &service, &reply) < 0)
		return 1;
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_size = sizeof(m.req);
	m.req.head.msgh_remote_port = service;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_id = BENCH_LOOKUPS_ID;
	if (mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m.req),
		     sizeof(m.in), reply, 50000, MACH_PORT_NULL) != MACH_MSG_SUCCESS ||
	    m.in.rep.head.msgh_id != BENCH_LOOKUPS_ID + 100 || m.in.rep.done == 0)
		return 1;
	*out = (struct lat){ m.in.rep.median_us, m.in.rep.p99_us, m.in.rep.done };
	return 0;
}

int bsd_lookup_from_job(const struct bench_cfg *cfg, const struct daemon *d, struct lat *out)
{
	struct child_arg arg = { cfg, d->socket, BENCH_SERVICE_NAME, 0 };

	memset(out, 0, sizeof(*out));
	return run_child(child_lookup_job, &arg, out, sizeof(*out), 60);
}

static int child_demand(void *a, void *o)
{
	struct child_arg *arg = a;
	struct pair *out = o;
	int n = arg->cfg->quick ? 40 : 150, err;
	uint64_t *fs = calloc((size_t)n, sizeof(uint64_t)), *bs = calloc((size_t)n, sizeof(uint64_t));
	size_t nf = 0, nb = 0;
	mach_port_t service, reply;
	int32_t pid;

	if (!fs || !bs)
		return 1;
	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	err = setup_call(BENCH_ONCE_NAME, &service, &reply);
	/* A first launch outside the figures: page cache, the daemon's first fork. */
	if (!err)
		err = bench_call(service, reply, 10000, &pid) || wait_pid_gone(pid, 5000);
	for (int i = 0; i < n && !err; i++) {
		uint64_t t;

		err = floor_spawn_once(arg->cfg->service, &fs[nf++]);
		if (err)
			break;
		t = now_ns();
		err = bench_call(service, reply, 10000, &pid);
		bs[nb++] = now_ns() - t;
		/* The service exits after replying: wait until the daemon reaped it. */
		if (!err && wait_pid_gone(pid, 5000) < 0) {
			fprintf(stderr, "bench: once service %d did not go away\n", (int)pid);
			err = -1;
		}
	}
	out->floor = lat_of(fs, nf);
	out->bsd = lat_of(bs, nb);
	out->ok = !err;
	return err ? 1 : 0;
}

int bsd_demand(const struct bench_cfg *cfg, const struct daemon *d, struct pair *out)
{
	struct child_arg arg = { cfg, d->socket, BENCH_ONCE_NAME, 0 };

	return run_child(child_demand, &arg, out, sizeof(*out), 90);
}

static int child_wait_loaded(void *a, void *o)
{
	struct child_arg *arg = a;
	struct load_result *out = o;
	uint64_t deadline = arg->t0 + (uint64_t)arg->timeout_s * 1000000000u;
	mach_port_t port;
	kern_return_t kr;

	while (!socket_answers(arg->socket)) {
		if (now_ns() > deadline)
			return 1;
		sleep_us(100);
	}
	out->socket_s = (double)(now_ns() - arg->t0) / 1e9;
	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	/* The daemon answers only once its jobs are loaded (its loop starts after). */
	while ((kr = bootstrap_look_up(bootstrap_port, arg->name, &port)) == MACH_SEND_INVALID_DEST) {
		if (now_ns() > deadline)
			return 1;
		sleep_us(100);
	}
	out->load_s = (double)(now_ns() - arg->t0) / 1e9;
	if (kr != KERN_SUCCESS)
		fprintf(stderr, "bench: look-up of %s after loading: %s\n", arg->name,
			bootstrap_strerror(kr));
	out->ok = kr == KERN_SUCCESS;
	return 0;
}

/*
 * A daemon out of fds leaves new connections unaccepted and a look-up on
 * one waits forever: the child is killed after @timeout_s.
 */
int bsd_wait_loaded(const struct daemon *d, const char *last_name, uint64_t t0, int timeout_s,
		    struct load_result *out)
{
	struct child_arg arg = { NULL, d->socket, last_name, t0, timeout_s };

	return run_child(child_wait_loaded, &arg, out, sizeof(*out), timeout_s);
}

/* Plain look-up samples, for the 10-jobs vs many-jobs comparison. */
struct samples_out {
	unsigned n;
	uint64_t ns[LOOKUP_SAMPLES_MAX];
};

static int child_samples(void *a, void *o)
{
	struct child_arg *arg = a;
	struct samples_out *out = o;
	unsigned want = (unsigned)arg->t0;

	setenv("BOOTSTRAP_SOCKET", arg->socket, 1);
	/* The first 200 warm the connection and the space up, and are dropped. */
	if (time_look_ups(arg->name, out->ns, 200) < 0 || time_look_ups(arg->name, out->ns, want) < 0)
		return 1;
	out->n = want;
	return 0;
}

int bsd_lookup_samples(const struct daemon *d, const char *name, unsigned n, uint64_t *ns)
{
	static struct samples_out out;
	struct child_arg arg = { NULL, d->socket, name, n > LOOKUP_SAMPLES_MAX ? LOOKUP_SAMPLES_MAX : n, 0 };

	if (run_child(child_samples, &arg, &out, sizeof(out), 60) < 0)
		return -1;
	memcpy(ns, out.ns, out.n * sizeof(*ns));
	return (int)out.n;
}
