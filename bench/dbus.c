/* SPDX-License-Identifier: MIT */
/*
 * dbus.c - the same figures through D-Bus: a private dbus-daemon with its
 * own configuration (a unix socket in the run's directory, a servicedir
 * for activation), bench-dbus-service activated on it.
 *
 *   GetNameOwner round trip     against bootstrap_look_up
 *   Ping to a running service   against the Mach call
 *   first Ping to a not-running activatable name, until the reply
 *                               against the demand launch
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_DBUS
#include <dbus/dbus.h>

#define SVC_NAME "org.bootstrapd.BenchService"
#define ONCE_NAME "org.bootstrapd.BenchOnce"
#define IFACE "org.bootstrapd.Bench"
#define PATH "/org/bootstrapd/Bench"

struct dbus_arg {
	const struct bench_cfg *cfg;
	char address[1024];
};

static int write_service_file(const char *dir, const char *name, const char *exec, const char *mode)
{
	char path[8192], text[16384];

	snprintf(path, sizeof(path), "%s/%s.service", dir, name);
	snprintf(text, sizeof(text), "[D-BUS Service]\nName=%s\nExec=%s %s %s\n", name, exec, mode, name);
	return write_file(path, text);
}

/* The bus's own configuration in @dir and its servicedir with both services. */
static int write_bus_config(const struct bench_cfg *cfg, const char *dir, char *conf, size_t len)
{
	char services[4400], text[16384];

	snprintf(services, sizeof(services), "%s/services", dir);
	snprintf(conf, len, "%s/bus.conf", dir);
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || (mkdir(services, 0700) < 0 && errno != EEXIST))
		return -1;
	snprintf(text, sizeof(text),
		 "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
		 " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
		 "<busconfig>\n"
		 "  <type>session</type>\n"
		 "  <listen>unix:path=%s/bus</listen>\n"
		 "  <auth>EXTERNAL</auth>\n"
		 "  <servicedir>%s</servicedir>\n"
		 "  <policy context=\"default\">\n"
		 "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
		 "    <allow eavesdrop=\"true\"/>\n"
		 "    <allow own=\"*\"/>\n"
		 "  </policy>\n"
		 "</busconfig>\n", dir, services);
	if (write_file(conf, text) < 0 ||
	    write_service_file(services, SVC_NAME, cfg->dbus_service, "serve") < 0 ||
	    write_service_file(services, ONCE_NAME, cfg->dbus_service, "once") < 0)
		return -1;
	return 0;
}

/* The address line on @fd means the bus listens. */
static void read_address(int fd, char *address, size_t len)
{
	size_t got = 0;

	while (got < len - 1) {
		ssize_t n = read(fd, address + got, len - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(address, '\n', got))
			break;
	}
	address[got] = '\0';
	address[strcspn(address, "\n")] = '\0';
}

static pid_t start_bus(const struct bench_cfg *cfg, const char *dir, char *address, size_t len)
{
	char conf[4400];
	int p[2];
	pid_t pid;

	if (write_bus_config(cfg, dir, conf, sizeof(conf)) < 0 || pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char conf_arg[4500], log[4400];
		int fd;

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(log, sizeof(log), "%s/dbus-daemon.log", dir);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0)
			dup2(fd, 2);
		dup2(p[1], 1);
		snprintf(conf_arg, sizeof(conf_arg), "--config-file=%s", conf);
		execl(cfg->dbus_daemon, cfg->dbus_daemon, conf_arg, "--nofork", "--nopidfile",
		      "--print-address=1", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	read_address(p[0], address, len);
	close(p[0]);
	if (!*address) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static DBusMessage *ping_message(const char *dest)
{
	DBusMessage *m = dbus_message_new_method_call(dest, PATH, IFACE, "Ping");
	char text[65];
	const char *p = text;

	memset(text, 'x', 64);
	text[64] = '\0';
	if (m)
		dbus_message_append_args(m, DBUS_TYPE_STRING, &p, DBUS_TYPE_INVALID);
	return m;
}

/* Ping @dest and wait for the reply; *@pid is the service's. */
static int ping(DBusConnection *c, const char *dest, int timeout_ms, dbus_int32_t *pid)
{
	DBusMessage *m = ping_message(dest), *r;
	DBusError err;
	const char *text;
	dbus_int32_t got = 0;
	int ok;

	if (!m)
		return -1;
	dbus_error_init(&err);
	r = dbus_connection_send_with_reply_and_block(c, m, timeout_ms, &err);
	dbus_message_unref(m);
	if (!r) {
		fprintf(stderr, "bench: D-Bus Ping %s: %s\n", dest, err.message);
		dbus_error_free(&err);
		return -1;
	}
	ok = dbus_message_get_args(r, NULL, DBUS_TYPE_INT32, &got, DBUS_TYPE_STRING, &text,
				   DBUS_TYPE_INVALID);
	dbus_message_unref(r);
	if (pid)
		*pid = got;
	return ok ? 0 : -1;
}

static int get_name_owner(DBusConnection *c, const char *name)
{
	DBusMessage *m = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS,
						      DBUS_INTERFACE_DBUS, "GetNameOwner"), *r;
	DBusError err;
	const char *owner = NULL;
	int ok;

	if (!m)
		return -1;
	dbus_message_append_args(m, DBUS_TYPE_STRING, &name, DBUS_TYPE_INVALID);
	dbus_error_init(&err);
	r = dbus_connection_send_with_reply_and_block(c, m, -1, &err);
	dbus_message_unref(m);
	if (!r) {
		fprintf(stderr, "bench: GetNameOwner %s: %s\n", name, err.message);
		dbus_error_free(&err);
		return -1;
	}
	ok = dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &owner, DBUS_TYPE_INVALID);
	dbus_message_unref(r);
	return ok && owner && *owner ? 0 : -1;
}

static int wait_name_gone(DBusConnection *c, const char *name, int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;
	DBusError err;

	dbus_error_init(&err);
	while (dbus_bus_name_has_owner(c, name, &err)) {
		if (now_ns() > deadline)
			return -1;
		sleep_us(100);
	}
	if (dbus_error_is_set(&err)) {
		dbus_error_free(&err);
		return -1;
	}
	return 0;
}

/* @n timed round trips to the serving service: GetNameOwner if @owner, else Ping. */
static struct lat time_ops(DBusConnection *c, bool owner, uint64_t *s, int n, int *err)
{
	for (int i = 0; i < n && !*err; i++) {
		uint64_t t = now_ns();

		*err = owner ? get_name_owner(c, SVC_NAME) : ping(c, SVC_NAME, -1, NULL);
		s[i] = now_ns() - t;
	}
	return lat_of(s, *err ? 0 : (size_t)n);
}

/*
 * Activation: the once service exits after its reply; wait until it has
 * exited and the bus has released its name before the next iteration.
 * (dbus-daemon's babysitter leaves it to be reaped by init, which may take
 * seconds in a container: a zombie counts as exited.)  One launch first,
 * outside the figures, as on the bootstrapd side.
 */
static struct lat time_activations(DBusConnection *c, uint64_t *s, int na, int *err)
{
	dbus_int32_t pid;

	if (!*err)
		*err = ping(c, ONCE_NAME, 10000, &pid) || wait_pid_exited(pid, 5000) ||
		       wait_name_gone(c, ONCE_NAME, 5000);
	for (int i = 0; i < na && !*err; i++) {
		uint64_t t = now_ns();

		*err = ping(c, ONCE_NAME, 10000, &pid);
		s[i] = now_ns() - t;
		if (!*err && (wait_pid_exited(pid, 5000) || wait_name_gone(c, ONCE_NAME, 5000))) {
			fprintf(stderr, "bench: D-Bus once service %d did not go away\n", (int)pid);
			*err = -1;
		}
	}
	return lat_of(s, *err ? 0 : (size_t)na);
}

static int child_dbus(void *a, void *o)
{
	struct dbus_arg *arg = a;
	struct dbus_result *out = o;
	int n = arg->cfg->quick ? 2000 : 5000, na = arg->cfg->quick ? 20 : 60, err = 0;
	uint64_t *s = calloc((size_t)n, sizeof(uint64_t));
	DBusConnection *c;
	DBusError e;

	dbus_error_init(&e);
	c = dbus_connection_open_private(arg->address, &e);
	if (!s || !c || !dbus_bus_register(c, &e)) {
		fprintf(stderr, "bench: D-Bus connect: %s\n", dbus_error_is_set(&e) ? e.message : "?");
		return 1;
	}
	/* The first Ping activates the serving service, which then stays. */
	err = ping(c, SVC_NAME, 10000, NULL);
	for (int i = 0; i < 200 && !err; i++)
		err = get_name_owner(c, SVC_NAME) | ping(c, SVC_NAME, -1, NULL);
	out->get_name_owner = time_ops(c, true, s, n, &err);
	out->call = time_ops(c, false, s, n, &err);
	out->activation = time_activations(c, s, na, &err);
	out->ok = !err;
	dbus_connection_close(c);
	dbus_connection_unref(c);
	return err ? 1 : 0;
}

int dbus_measure(const struct bench_cfg *cfg, struct dbus_result *out)
{
	static unsigned runs;
	struct dbus_arg arg = { .cfg = cfg };
	char dir[4200];
	pid_t bus;
	int err;

	memset(out, 0, sizeof(*out));
	if (!*cfg->dbus_daemon || !*cfg->dbus_service)
		return -1;
	snprintf(dir, sizeof(dir), "%s/dbus-%u", cfg->tmp, runs++);
	bus = start_bus(cfg, dir, arg.address, sizeof(arg.address));
	if (bus < 0) {
		fprintf(stderr, "bench: cannot start %s (see %s/dbus-daemon.log)\n", cfg->dbus_daemon, dir);
		return -1;
	}
	err = run_child(child_dbus, &arg, out, sizeof(*out), 90);
	kill(bus, SIGTERM);
	waitpid(bus, NULL, 0);
	return err;
}

#else

int dbus_measure(const struct bench_cfg *cfg, struct dbus_result *out)
{
	(void)cfg;
	memset(out, 0, sizeof(*out));
	return -1;
}

#endif
