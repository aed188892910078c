/* SPDX-License-Identifier: MIT */
/* util.c - timing, statistics, child processes, files, CPU affinity. */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sleep_us(unsigned us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct lat lat_of(uint64_t *ns, size_t n)
{
	struct lat l = { 0, 0, (unsigned)n };

	if (n == 0)
		return l;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	l.med_us = (n % 2 ? (double)ns[n / 2] : ((double)ns[n / 2 - 1] + (double)ns[n / 2]) / 2) / 1e3;
	l.p99_us = (double)ns[n * 99 / 100 < n ? n * 99 / 100 : n - 1] / 1e3;
	return l;
}

static int read_full(int fd, void *buf, size_t len, int timeout_s)
{
	size_t done = 0;
	uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000u;

	while (done < len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ns();
		ssize_t n;

		if (now >= deadline || poll(&pfd, 1, (int)((deadline - now) / 1000000) + 1) == 0)
			return -ETIMEDOUT;
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/*
 * Run @fn in a forked child; it fills @out, which comes back through a pipe.
 * Return: 0, or -1 if the child failed, died or overran @timeout_s (killed).
 */
int run_child(int (*fn)(void *arg, void *out), void *arg, void *out, size_t out_len,
	      int timeout_s)
{
	int p[2], status, err;
	pid_t pid;

	memset(out, 0, out_len);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int rc;

		close(p[0]);
		rc = fn(arg, out);
		if (rc == 0 && write(p[1], out, out_len) != (ssize_t)out_len)
			rc = 1;
		_exit(rc ? 1 : 0);
	}
	close(p[1]);
	err = read_full(p[0], out, out_len, timeout_s);
	close(p[0]);
	if (err == -ETIMEDOUT) {
		fprintf(stderr, "bench: a measurement did not finish in %d s: killed\n", timeout_s);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		memset(out, 0, out_len);
		return -1;
	}
	return 0;
}

int wait_pid_gone(pid_t pid, int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;

	while (kill(pid, 0) == 0) {
		if (now_ns() > deadline)
			return -1;
		sleep_us(50);
	}
	return 0;
}

/* A zombie counts: its parent may not be the one that reaps it (see dbus.c). */
static bool exited(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	if (kill(pid, 0) < 0)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

int wait_pid_exited(pid_t pid, int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;

	while (!exited(pid)) {
		if (now_ns() > deadline)
			return -1;
		sleep_us(50);
	}
	return 0;
}

int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -1;
	err = fputs(text, f) < 0;
	return fclose(f) != 0 || err ? -1 : 0;
}

int copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "r");
	size_t n;
	int err;

	if (!in)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	err = write_file(to, buf);
	return err;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void rm_rf(const char *path)
{
	if (path && *path)
		nftw(path, rm_one, 64, FTW_DEPTH | FTW_PHYS);
}

static cpu_set_t initial_mask;
static bool have_initial;

int pin_cpu0(void)
{
	cpu_set_t one;

	if (!have_initial) {
		sched_getaffinity(0, sizeof(initial_mask), &initial_mask);
		have_initial = true;
	}
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	return sched_setaffinity(0, sizeof(one), &one);
}

int unpin(void)
{
	if (!have_initial) {
		sched_getaffinity(0, sizeof(initial_mask), &initial_mask);
		have_initial = true;
	}
	return sched_setaffinity(0, sizeof(initial_mask), &initial_mask);
}

long proc_status_kib(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':' &&
		    sscanf(line + klen + 1, "%ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

int vm_peak_reset(pid_t pid)
{
	char path[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* "5": VmHWM starts again from the RSS of now (proc(5)). */
	if (write(fd, "5", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

bool socket_answers(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void note(const struct bench_cfg *cfg, const char *fmt, ...)
{
	va_list ap;

	static uint64_t t0;

	(void)cfg;
	if (!t0)
		t0 = now_ns();
	va_start(ap, fmt);
	fprintf(stderr, "# %6.1f s  ", (double)(now_ns() - t0) / 1e9);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Make room for @want fds (soft limit; the hard one too if allowed).  Return: the soft limit. */
long raise_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if ((long)rl.rlim_cur >= want)
		return (long)rl.rlim_cur;
	if ((long)rl.rlim_max < want) {
		struct rlimit more = { (rlim_t)want, (rlim_t)want };

		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return want;
	}
	rl.rlim_cur = (long)rl.rlim_max < want ? rl.rlim_max : (rlim_t)want;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return (long)rl.rlim_cur;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* In a forked child: close every fd above 2 except @keep (which it may reorder). */
void close_except(int *keep, size_t n)
{
	unsigned int from = 3;

	qsort(keep, n, sizeof(*keep), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned int)keep[i] > from)
			close_range(from, (unsigned int)keep[i] - 1, 0);
		from = (unsigned int)keep[i] + 1;
	}
	close_range(from, ~0u, 0);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(v[0]), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
