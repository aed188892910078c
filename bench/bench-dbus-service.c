/* SPDX-License-Identifier: MIT */
/*
 * bench-dbus-service - the D-Bus counterpart of bench-service, started by
 * bus activation on the bench's private bus.
 *
 *   bench-dbus-service serve NAME   own NAME, answer every Ping, forever
 *   bench-dbus-service once NAME    own NAME, answer one Ping, exit 0
 *
 * Ping(s text) -> (i pid, s text): the same bytes as bench-service moves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dbus/dbus.h>

#define BENCH_DBUS_INTERFACE "org.bootstrapd.Bench"

static int reply_ping(DBusConnection *c, DBusMessage *m)
{
	DBusMessage *r;
	const char *text = "";
	dbus_int32_t pid = getpid();

	dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &text, DBUS_TYPE_INVALID);
	r = dbus_message_new_method_return(m);
	if (!r)
		return -1;
	dbus_message_append_args(r, DBUS_TYPE_INT32, &pid, DBUS_TYPE_STRING, &text, DBUS_TYPE_INVALID);
	dbus_connection_send(c, r, NULL);
	dbus_message_unref(r);
	dbus_connection_flush(c);
	return 0;
}

int main(int argc, char **argv)
{
	DBusError err;
	DBusConnection *c;
	int once;

	if (argc != 3 || (strcmp(argv[1], "serve") && strcmp(argv[1], "once"))) {
		fprintf(stderr, "usage: bench-dbus-service serve|once NAME\n");
		return 2;
	}
	once = strcmp(argv[1], "once") == 0;
	dbus_error_init(&err);
	c = dbus_bus_get_private(getenv("DBUS_STARTER_ADDRESS") ? DBUS_BUS_STARTER : DBUS_BUS_SESSION,
				 &err);
	if (!c) {
		fprintf(stderr, "bench-dbus-service: %s\n", err.message);
		return 1;
	}
	dbus_connection_set_exit_on_disconnect(c, FALSE);
	if (dbus_bus_request_name(c, argv[2], DBUS_NAME_FLAG_DO_NOT_QUEUE, &err) !=
	    DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER) {
		fprintf(stderr, "bench-dbus-service: cannot own %s: %s\n", argv[2],
			dbus_error_is_set(&err) ? err.message : "in use");
		return 1;
	}
	/* The first Ping may already be queued: it arrived with the name. */
	do {
		DBusMessage *m;

		while ((m = dbus_connection_pop_message(c))) {
			int done = 0;

			if (dbus_message_is_method_call(m, BENCH_DBUS_INTERFACE, "Ping"))
				done = reply_ping(c, m) == 0 && once;
			dbus_message_unref(m);
			if (done) {
				dbus_connection_close(c);
				return 0;
			}
		}
	} while (dbus_connection_read_write(c, -1));
	return 0;
}
