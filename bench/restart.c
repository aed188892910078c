/* SPDX-License-Identifier: MIT */
/*
 * restart.c - bootstrapd-bench-restart: how long bootstrapd takes to come
 * back, at 10 and at --scale N (default 10,000) jobs:
 *   kill   SIGKILL to the first look-up answered by the daemon started
 *          again from the fd store (systemd's side played here: a notify
 *          socket keeping the fds, LISTEN_FDS on restart)
 *   reexec bsctl reexec's request sent to the first look-up answered by
 *          the re-executed daemon
 * Each is the median of a few runs.  Run by run.sh after the driver.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bench-config.h"
#include "control-proto.h"

#define RUNS 5

struct store {
	int sock;
	char path[256];
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct { char name[32]; int fd; } *v;
	size_t n, cap;
	unsigned ready;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bootstrapd-bench-restart: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void store_take(struct store *s, const char *msg, int *fds, size_t nfds)
{
	const char *name = strstr(msg, "FDNAME=");
	char nm[32] = "stored";

	if (name)
		sscanf(name + 7, "%31[^\n]", nm);
	if (strstr(msg, "READY=1"))
		s->ready++;
	if (strstr(msg, "FDSTOREREMOVE=1")) {
		size_t k = 0;

		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->v[i].name, nm) == 0)
				close(s->v[i].fd);
			else
				s->v[k++] = s->v[i];
		s->n = k;
	}
	for (size_t i = 0; i < nfds; i++) {
		if (!strstr(msg, "FDSTORE=1")) {
			close(fds[i]);
			continue;
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 1024;
			s->v = realloc(s->v, s->cap * sizeof(*s->v));
			if (!s->v)
				die("realloc");
		}
		snprintf(s->v[s->n].name, sizeof(s->v[s->n].name), "%s", nm);
		s->v[s->n++].fd = fds[i];
	}
	pthread_cond_broadcast(&s->cond);
}

static void *store_thread(void *arg)
{
	struct store *s = arg;
	char buf[1024], cbuf[CMSG_SPACE(16 * sizeof(int))];

	for (;;) {
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct pollfd pfd = { .fd = s->sock, .events = POLLIN };
		int fds[16];
		size_t nfds = 0;
		ssize_t n;

		poll(&pfd, 1, -1);
		pthread_mutex_lock(&s->lock);
		n = recvmsg(s->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n >= 0) {
			buf[n] = '\0';
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
				for (size_t i = 0; c->cmsg_type == SCM_RIGHTS &&
						   i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++)
					memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			store_take(s, buf, fds, nfds);
		}
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static void store_open(struct store *s, const char *dir)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	pthread_t t;
	int big = 8 << 20;

	memset(s, 0, sizeof(*s));
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s/notify", dir) >= sizeof(sun.sun_path))
		die("notify socket path too long");
	memcpy(sun.sun_path, s->path, strlen(s->path) + 1);
	s->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->sock < 0 || bind(s->sock, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die("notify socket");
	setsockopt(s->sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&t, NULL, store_thread, s) != 0)
		die("pthread_create");
}

/* In the child: the stored fds at 3.., LISTEN_*, then bootstrapd. */
static void exec_daemon(struct store *s, const char *dir)
{
	char jobs[512], sock[512], num[32], *names = calloc(s->n + 1, 33);
	int top = 3 + (int)s->n;

	snprintf(jobs, sizeof(jobs), "%s/jobs", dir);
	snprintf(sock, sizeof(sock), "%s/socket", dir);
	for (size_t i = 0; i < s->n; i++)
		s->v[i].fd = fcntl(s->v[i].fd, F_DUPFD_CLOEXEC, top);
	for (size_t i = 0; i < s->n; i++) {
		dup2(s->v[i].fd, 3 + (int)i);
		strcat(names, i ? ":" : "");
		strcat(names, s->v[i].name);
	}
	if (s->n) {
		snprintf(num, sizeof(num), "%zu", s->n);
		setenv("LISTEN_FDS", num, 1);
		setenv("LISTEN_FDNAMES", names, 1);
		snprintf(num, sizeof(num), "%d", (int)getpid());
		setenv("LISTEN_PID", num, 1);
	}
	setenv("NOTIFY_SOCKET", s->path, 1);
	setenv("FDSTORE", "1000000", 1);
	if (!getenv("BENCH_RESTART_LOG") || !freopen(getenv("BENCH_RESTART_LOG"), "a", stderr))
		freopen("/dev/null", "w", stderr);
	execl(BENCH_BOOTSTRAPD, BENCH_BOOTSTRAPD, "--user", "--foreground", "--jobs", jobs,
	      "--state", dir, "--socket", sock, (char *)NULL);
	_exit(127);
}

static pid_t start(struct store *s, const char *dir)
{
	unsigned ready;
	pid_t pid;

	pthread_mutex_lock(&s->lock);
	ready = s->ready;
	pid = fork();
	if (pid == 0)
		exec_daemon(s, dir);
	while (s->ready == ready)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	return pid;
}

/* The first look-up answered (the library connects again by itself). */
static void first_lookup(const char *name)
{
	mach_port_t p;

	while (bootstrap_look_up(bootstrap_port, name, &p) != KERN_SUCCESS)
		;
	mach_port_deallocate(mach_task_self(), p);
}

static void make_jobs(const char *dir, unsigned n)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/jobs", dir);
	mkdir(path, 0755);
	for (unsigned i = 0; i < n; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/jobs/r%05u.plist", dir, i);
		f = fopen(path, "w");
		if (!f)
			die(path);
		fprintf(f, "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict>"
			"<key>Label</key><string>com.bootstrapd.bench.restart.%05u</string>"
			"<key>Program</key><string>/bin/true</string>"
			"<key>MachServices</key><dict><key>com.bootstrapd.bench.restart.%05u</key>"
			"<true/></dict></dict></plist>\n", i, i);
		fclose(f);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static kern_return_t reexec_request(void)
{
	union {
		struct { mach_msg_header_t head; struct control_request body; } req;
		char rep[sizeof(mach_msg_header_t) + 8192];
	} m;
	mach_port_t reply;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	memset(&m.req, 0, sizeof(m.req));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_remote_port = bootstrap_port;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_id = CONTROL_REEXEC;
	m.req.body.ndr = NDR_record;
	return mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req), sizeof(m), reply,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static void measure(const char *tmp, unsigned n)
{
	char dir[512], sock[600], name[128];
	uint64_t kill_ns[RUNS], re_ns[RUNS];
	struct store s;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/restart-%u", tmp, n);
	mkdir(dir, 0755);
	make_jobs(dir, n);
	snprintf(sock, sizeof(sock), "%s/socket", dir);
	setenv("BOOTSTRAP_SOCKET", sock, 1);
	snprintf(name, sizeof(name), "com.bootstrapd.bench.restart.%05u", n - 1);
	store_open(&s, dir);
	pid = start(&s, dir);
	first_lookup(name);
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0;

		first_lookup(name);     /* the state of the turn before is saved */
		t0 = now_ns();
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pthread_mutex_lock(&s.lock);    /* as systemd: what it sent, then its death */
		while (poll(&(struct pollfd){ .fd = s.sock, .events = POLLIN }, 1, 0) > 0) {
			pthread_mutex_unlock(&s.lock);
			sched_yield();
			pthread_mutex_lock(&s.lock);
		}
		pthread_mutex_unlock(&s.lock);
		pid = start(&s, dir);
		first_lookup(name);
		kill_ns[r] = now_ns() - t0;
		t0 = now_ns();
		if (reexec_request() != KERN_SUCCESS)
			die("reexec request");
		first_lookup(name);
		re_ns[r] = now_ns() - t0;
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	qsort(kill_ns, RUNS, sizeof(uint64_t), cmp_u64);
	qsort(re_ns, RUNS, sizeof(uint64_t), cmp_u64);
	printf("restart.kill.%ujobs     %10.2f ms  (SIGKILL -> first look-up answered, median of %d)\n",
	       n, kill_ns[RUNS / 2] / 1e6, RUNS);
	printf("restart.reexec.%ujobs   %10.2f ms  (bsctl reexec -> first look-up answered)\n",
	       n, re_ns[RUNS / 2] / 1e6);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned scale = 10000;
	char tmp[] = "/tmp/bootstrapd-bench-restart.XXXXXX";
	struct rlimit rl = { 65536, 65536 };
	char cmd[600];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			scale = 2000;
		else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = (unsigned)atoi(argv[++i]);
	}
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		/* Two fds a job, twice over while the stored fds are put in place. */
		if (rl.rlim_cur < 5 * (rlim_t)scale) {
			scale = (unsigned)(rl.rlim_cur / 5);
			printf("(at most %u jobs fit the fd limit of %lu)\n", scale,
			       (unsigned long)rl.rlim_cur);
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(tmp))
		die("mkdtemp");
	printf("bootstrapd restart (fd store) and re-exec\n");
	measure(tmp, 10);
	measure(tmp, scale);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) == 0 ? 0 : 1;
}
