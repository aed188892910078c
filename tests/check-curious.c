/* SPDX-License-Identifier: MIT */
/*
 * check-curious.c - what the daemon keeps for the jobs whose KeepAlive
 * names something outside them: one watch of the network while a job
 * with NetworkState is loaded, and none after; a watch that cannot be
 * made is reported once, not once per job, and tried again at a rescan;
 * a job's start or exit has them looked at only if one has OtherJobActive.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/job-runs.h"
#include "helpers/runner.h"

#define WAIT_MS 15000

/* Never started: AfterInitialDemand holds the NetworkState condition back. */
#define NETWORK_JOB "<key>KeepAlive</key><dict><key>NetworkState</key><true/>" \
	"<key>AfterInitialDemand</key><true/></dict>"

static struct test_daemon td;
static struct bsctl_out bsctl_said;

static void setup(void)
{
	test_daemon_init(&td, "curious");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* Whether socket inode @ino is in /proc/PID/net/netlink: a netlink socket of the daemon's. */
static bool netlink_inode(unsigned long ino)
{
	char path[64], line[256];
	unsigned long v;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/netlink", (int)td.pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %lu", &v) == 1 &&
			v == ino;
	fclose(f);
	return found;
}

/* How many netlink sockets the daemon holds. */
static int daemon_netlink_fds(void)
{
	char path[320], link[64];
	struct dirent *e;
	unsigned long ino;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)td.pid);
	ck_assert_ptr_nonnull(dir = opendir(path));
	while ((e = readdir(dir))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)td.pid, e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) == 1 && netlink_inode(ino))
			n++;
	}
	closedir(dir);
	return n;
}

/*
 * One watch for every NetworkState job, freed with the last of them and
 * made again for a new one.  It used to stay until the daemon exited.
 */
START_TEST(test_network_watch_goes_with_its_last_job)
{
	char *path;

	test_add_shell_job(&td, "com.example.net1", "sleep 60", 1, NETWORK_JOB);
	test_add_shell_job(&td, "com.example.net2", "sleep 60", 1, NETWORK_JOB);
	test_daemon_start(&td);
	ck_assert_int_eq(daemon_netlink_fds(), 1);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "unload", "com.example.net1"), 0);
	ck_assert_int_eq(daemon_netlink_fds(), 1);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "unload", "com.example.net2"), 0);
	ck_assert_int_eq(daemon_netlink_fds(), 0);
	path = bsctl_write_job(td.dir, "net3.plist", "com.example.net3",
			       "<key>Program</key><string>/bin/true</string>" NETWORK_JOB);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "load", path), 0);
	ck_assert_int_eq(daemon_netlink_fds(), 1);
	free(path);
}
END_TEST

#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/*
 * From now on (the daemon started next inherits it), a non-blocking
 * netlink socket, which only the network watch asks for, fails with
 * EACCES; getifaddrs(3)'s own works.
 */
static void refuse_network_watch(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, SOCK_NONBLOCK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
}

/* Poll until the log has @n lines with @text.  Return: the count seen last. */
static int wait_log_count(const char *text, int n)
{
	test_daemon_wait_log_count(&td, text, n, WAIT_MS);
	return test_daemon_log_count(&td, text);
}

/*
 * A watch that cannot be made is reported once for the three jobs that
 * want it, and tried once more at a rescan (SIGHUP).  Each job used to
 * try, and say so, again.
 */
START_TEST(test_network_watch_failure_reported_once)
{
	test_add_shell_job(&td, "com.example.net1", "sleep 60", 1, NETWORK_JOB);
	test_add_shell_job(&td, "com.example.net2", "sleep 60", 1, NETWORK_JOB);
	test_add_shell_job(&td, "com.example.net3", "sleep 60", 1, NETWORK_JOB);
	refuse_network_watch();
	test_daemon_start(&td);
	ck_assert_int_eq(daemon_netlink_fds(), 0);
	ck_assert_int_eq(test_daemon_log_count(&td, "cannot watch the network"), 1);
	test_daemon_signal(&td, SIGHUP);
	ck_assert(test_daemon_wait_log(&td, "trying again to watch the network for 3", WAIT_MS));
	ck_assert_int_eq(wait_log_count("cannot watch the network", 2), 2);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "list"), 0);    /* the rescan is over */
	ck_assert_int_eq(test_daemon_log_count(&td, "cannot watch the network"), 2);
}
END_TEST

/* The walks of the curious jobs so far, once what was asked before is handled. */
static int walks(void)
{
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "list"), 0);    /* a later turn of the loop */
	return test_daemon_log_count(&td, "whose KeepAlive names other jobs");
}

/* Start com.example.leader and stop it: its @n-th run. */
static void start_and_stop_leader(int n)
{
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "start", "com.example.leader"), 0);
	ck_assert_int_eq(wait_log_count("com.example.leader: started", n), n);
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "stop", "com.example.leader"), 0);
	ck_assert_int_eq(wait_log_count("com.example.leader: exited", n), n);
}

/*
 * A job's start or exit has the jobs waiting on others looked at only
 * while one of them has OtherJobActive: OtherJobEnabled and NetworkState
 * do not change with it.  Any curious job used to make each start and
 * exit walk them all.
 */
START_TEST(test_start_and_exit_walk_only_for_other_job_active)
{
	char *path;
	int before;

	test_add_shell_job(&td, "com.example.leader", "sleep 60", 1, "");
	test_add_shell_job(&td, "com.example.enabled", "sleep 60", 1,
			   "<key>KeepAlive</key><dict><key>OtherJobEnabled</key><dict>"
			   "<key>com.example.leader</key><true/></dict>"
			   "<key>AfterInitialDemand</key><true/></dict>");
	test_daemon_start(&td);
	before = walks();
	start_and_stop_leader(1);
	ck_assert_int_eq(walks(), before);
	/* One that follows the leader's runs: now they concern it. */
	path = bsctl_write_job(td.dir, "active.plist", "com.example.active",
			       "<key>Program</key><string>/bin/true</string>"
			       "<key>KeepAlive</key><dict><key>OtherJobActive</key><dict>"
			       "<key>com.example.leader</key><true/></dict>"
			       "<key>AfterInitialDemand</key><true/></dict>");
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "load", path), 0);
	before = walks();
	start_and_stop_leader(2);
	ck_assert_int_gt(walks(), before);
	/* And no longer once it is gone. */
	ck_assert_int_eq(BSCTL_RUN(&bsctl_said, "unload", "com.example.active"), 0);
	before = walks();
	start_and_stop_leader(3);
	ck_assert_int_eq(walks(), before);
	free(path);
}
END_TEST

static Suite *curious_suite(void)
{
	Suite *s = suite_create("curious");
	TCase *tc = tcase_create("network watch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_network_watch_goes_with_its_last_job);
#ifdef TEST_AUDIT_ARCH
	tcase_add_test(tc, test_network_watch_failure_reported_once);
#endif
	suite_add_tcase(s, tc);
	tc = tcase_create("walk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_start_and_exit_walk_only_for_other_job_active);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(curious_suite(), NULL, 0, argc, argv);
}
