/* SPDX-License-Identifier: MIT */
#include "fuzz-daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <event2/event.h>

#include "conn.h"
#include "domain-run.h"
#include "fdpass.h"
#include "fuzz-fds.h"
#include "job.h"
#include "job-plist.h"
#include "job-spec.h"
#include "log.h"
#include "overrides.h"
#include "server.h"
#include "spawn-job.h"

static const char fixture_plist[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<plist version=\"1.0\"><dict>\n"
	"<key>Label</key><string>com.example.fuzz</string>\n"
	"<key>Program</key><string>/nonexistent/fuzz-job</string>\n"
	"<key>MachServices</key><dict><key>com.example.fuzz</key><true/></dict>\n"
	"</dict></plist>\n";

static struct event_base *base;
static char state_dir[] = "/tmp/bootstrapd-fuzz-XXXXXX";
static char overrides_path[sizeof(state_dir) + sizeof(OVERRIDES_FILE) + 1];
/* Where a domain listens, as every domain has one; nothing listens there. */
static char socket_path[sizeof(state_dir) + sizeof("/socket")];

/* No program is ever run for a fuzzed plist: the job fails to start instead. */
int spawn_job(const struct spawn_request *req, pid_t *pid, char *reason, size_t reason_len)
{
	(void)req;
	(void)pid;
	snprintf(reason, reason_len, "the fuzz harness runs no program");
	return -EPERM;
}

int spawn_kill_group(pid_t pid, int sig)
{
	(void)pid;
	(void)sig;
	return -EINVAL;
}

static void cleanup_state_dir(void)
{
	unlink(overrides_path);
	rmdir(state_dir);
}

void fuzz_daemon_init(void)
{
	log_init("fuzz", 1, LOG_ERR);
	base = event_base_new();
	if (!base || !mkdtemp(state_dir))
		abort();
	snprintf(overrides_path, sizeof(overrides_path), "%s/%s", state_dir, OVERRIDES_FILE);
	snprintf(socket_path, sizeof(socket_path), "%s/socket", state_dir);
	atexit(cleanup_state_dir);
}

/* The fixture job, as if the harness were its running process (it never is RUNNING,
 * so nothing ever signals that pid). */
static void add_fixture_job(struct domain *d)
{
	struct plist_error err;
	struct job_spec *spec = NULL;
	struct job *job;
	char reason[256];

	if (job_plist_load_buffer(fixture_plist, sizeof(fixture_plist) - 1, NULL, &spec, &err,
				  NULL, NULL) != 0)
		abort();
	job = job_new(d, spec, reason, sizeof(reason));
	if (!job)
		abort();
	job->pid = getpid();
	job->next_running = d->running;
	d->running = job;
}

void fuzz_daemon_start(struct fuzz_daemon *f, uint8_t flags)
{
	struct domain *d = &f->d;
	int sv[2], one = 1;

	f->fd_baseline = fuzz_fd_count();
	domain_init(d);
	d->base = base;
	d->system = flags & FUZZ_DAEMON_SYSTEM;
	d->owner = d->system ? 0 : (flags & FUZZ_DAEMON_STRANGER) ? getuid() + 1 : getuid();
	d->state_dir = state_dir;
	d->socket_path = socket_path;
	d->max_conns = 64;
	registry_init(&d->registry, d->system, d->owner);
	d->dispatch = server_dispatch;
	add_fixture_job(d);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
		abort();
	/* Before anything is sent, so that every datagram carries credentials. */
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	f->client = sv[1];
	if (!conn_new(d, sv[0], (flags & FUZZ_DAEMON_JOB_PORT) ?
				strmap_get(&d->jobs, "com.example.fuzz") : NULL))
		abort();
}

void fuzz_daemon_request(struct fuzz_daemon *f, const void *buf, size_t len, const int *fds,
			 size_t nfds)
{
	struct iovec iov = { (void *)buf, len };

	if (fdpass_send(f->client, &iov, 1, fds, nfds, MSG_DONTWAIT) == 0)
		event_base_loop(f->d.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

void fuzz_daemon_stop(struct fuzz_daemon *f)
{
	close(f->client);
	event_base_loop(f->d.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	domain_deinit(&f->d);
	unlink(overrides_path);
	fuzz_fd_check(f->fd_baseline);
}
