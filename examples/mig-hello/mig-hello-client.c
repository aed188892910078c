/* SPDX-License-Identifier: MIT */
/*
 * mig-hello-client - a MIG client, written as on macOS: look the service
 * up, then call it through the stubs bsmig generated from hello.defs.
 * Usage: mig-hello-client [NAME]
 */
#include <stdio.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "hello.h"

int main(int argc, char **argv)
{
	char greeting[256];
	mach_port_t server;
	int count = 0, sum = 0;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, MIG_HELLO_SERVICE, &server);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "mig-hello-client: bootstrap_look_up: %s\n", bootstrap_strerror(kr));
		return 1;
	}
	kr = say_hello(server, argc > 1 ? argv[1] : "world", greeting, &count);
	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "mig-hello-client: say_hello: %s\n", mach_error_string(kr));
		return 1;
	}
	kr = add(server, 40, 2, &sum);
	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "mig-hello-client: add: %s\n", mach_error_string(kr));
		return 1;
	}
	printf("%s (greeting %d); 40 + 2 = %d\n", greeting, count, sum);
	return 0;
}
