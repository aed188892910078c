/* SPDX-License-Identifier: MIT */
/*
 * spawn-probe - what a spawned job sees, for check-spawn.
 *
 *   spawn-probe report [args...]  print "key=value" lines describing the
 *                                 process to stdout, one line to stderr,
 *                                 and "ping" to fd 3 if it is a socket
 *   spawn-probe group             fork a child that sleeps, print
 *                                 "grandchild=PID", then sleep
 *   spawn-probe stdio PATH        write what fds 0-2 are to PATH
 *   spawn-probe straddle          exit 1 just after CLOCK_MONOTONIC's next
 *                                 whole second
 *
 * The first line is "probe", so that every key line follows a newline.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* First, before this program opens anything of its own. */
static void report_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	const char *sep = "";

	printf("fds=");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		printf("%s%s", sep, e->d_name);
		sep = ",";
	}
	printf("\n");
	if (d)
		closedir(d);
}

static const char *disposition(int sig)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, &sa) < 0)
		return "error";
	if (sa.sa_handler == SIG_DFL)
		return "default";
	return sa.sa_handler == SIG_IGN ? "ignored" : "handled";
}

static void report_signals(void)
{
	sigset_t set;
	int sig, blocked = 0;

	sigprocmask(SIG_BLOCK, NULL, &set);
	for (sig = 1; sig < NSIG; sig++)
		blocked += sigismember(&set, sig) == 1;
	printf("blocked=%d\nsigpipe=%s\nsighup=%s\n", blocked, disposition(SIGPIPE),
	       disposition(SIGHUP));
}

static void report_limit(const char *name, int resource)
{
	struct rlimit rl;

	getrlimit(resource, &rl);
	printf("%s=%llu/%llu\n", name, (unsigned long long)rl.rlim_cur,
	       (unsigned long long)rl.rlim_max);
}

static void report_process(void)
{
	char cwd[4096];
	gid_t groups[64];
	int i, n = getgroups(64, groups);
	mode_t mask = umask(0);

	umask(mask);
	printf("leader=%s\n", getpgid(0) == getpid() && getsid(0) == getpid() ? "yes" : "no");
	printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	printf("umask=%04o\nnice=%d\n", (unsigned)mask, getpriority(PRIO_PROCESS, 0));
	printf("uid=%u\ngid=%u\ngroups=", (unsigned)getuid(), (unsigned)getgid());
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned)groups[i]);
	printf("\n");
	report_limit("nofile", RLIMIT_NOFILE);
	report_limit("core", RLIMIT_CORE);
}

static int report(int argc, char **argv)
{
	char line[256] = "";
	struct stat st;
	int i;

	printf("probe\n");
	report_fds();
	printf("fd3=%s\n", fstat(3, &st) < 0 ? "none" : S_ISSOCK(st.st_mode) ? "socket" : "other");
	for (i = 0; i < 3; i++)
		printf("fd%d=%s\n", i, fcntl(i, F_GETFL) & O_NONBLOCK ? "nonblocking" : "blocking");
	printf("argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv%d=%s\n", i, argv[i]);
	for (i = 0; environ[i]; i++)
		printf("env:%s\n", environ[i]);
	report_process();
	report_signals();
	if (fgets(line, sizeof(line), stdin))
		line[strcspn(line, "\n")] = '\0';
	printf("stdin=%s\n", line);
	fprintf(stderr, "probe-stderr\n");
	if (fstat(3, &st) == 0 && S_ISSOCK(st.st_mode) && write(3, "ping", 4) != 4)
		return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}

/*
 * "stdio PATH": what fds 0-2 are, written to PATH (stdout may be one of
 * them): "probe", then per fd "fdN=TARGET MODE BLOCKING", then whether
 * stdout and stderr share one open file (O_APPEND flipped on one shows
 * on the other).
 */
static int report_stdio(const char *path)
{
	static const char *const modes[] = { "r", "w", "rw", "?" };
	FILE *f = fopen(path, "we");
	int fl1, fl2;

	if (!f)
		return 1;
	fprintf(f, "probe\n");
	for (int i = 0; i < 3; i++) {
		char link[64], target[256] = "?";
		int fl = fcntl(i, F_GETFL);
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", i);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 1] = '\0';
		fprintf(f, "fd%d=%s %s %s\n", i, target, fl < 0 ? "closed" : modes[fl & O_ACCMODE],
			fl >= 0 && (fl & O_NONBLOCK) ? "nonblocking" : "blocking");
	}
	fl1 = fcntl(1, F_GETFL);
	fl2 = fcntl(2, F_GETFL);
	if (fl1 >= 0 && fl2 >= 0 && fcntl(1, F_SETFL, fl1 ^ O_APPEND) == 0) {
		fprintf(f, "shared12=%s\n", (fcntl(2, F_GETFL) ^ fl2) & O_APPEND ? "yes" : "no");
		fcntl(1, F_SETFL, fl1);
	}
	return fclose(f) == 0 ? 0 : 1;
}

static int group(void)
{
	pid_t child = fork();

	if (child < 0)
		return 1;
	if (child == 0) {
		for (;;)
			pause();
	}
	printf("grandchild=%d\n", (int)child);
	fflush(stdout);
	for (;;)
		pause();
}

/*
 * A failure that lasts under a second but crosses a second's turn: exit 1
 * just after CLOCK_MONOTONIC's next whole second.  The daemon took the
 * start a moment before this reads the clock; only when a turn came in
 * that moment (or comes within 2 ms of the start) is it otherwise.
 */
static int straddle(void)
{
	struct timespec now, until;

	clock_gettime(CLOCK_MONOTONIC, &now);
	until = (struct timespec){ .tv_sec = now.tv_sec + 1, .tv_nsec = 2 * 1000 * 1000 };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "report") == 0)
		return report(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "group") == 0)
		return group();
	if (argc == 3 && strcmp(argv[1], "stdio") == 0)
		return report_stdio(argv[2]);
	if (argc == 2 && strcmp(argv[1], "straddle") == 0)
		return straddle();
	fprintf(stderr, "usage: spawn-probe report [args...] | group | stdio PATH | straddle\n");
	return 2;
}
