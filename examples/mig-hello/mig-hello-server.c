/* SPDX-License-Identifier: MIT */
/*
 * mig-hello-server - a MIG server, written as on macOS: check the service
 * port in, then let mach_msg_server() run the demux bsmig generated from
 * hello.defs.  bootstrapd starts it when the first request arrives.
 */
#include <stdio.h>
#include <string.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helloServer.h"

static int greetings;

/* The work routines: bsmig's demux calls them with the request's values. */
kern_return_t say_hello(mach_port_t server, hello_text_t name, hello_text_t greeting, int *count)
{
	(void)server;
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	snprintf(greeting, 256, "Hello, %s!", name);
	*count = ++greetings;
	return KERN_SUCCESS;
}

kern_return_t add(mach_port_t server, int a, int b, int *sum)
{
	(void)server;
	*sum = a + b;
	return KERN_SUCCESS;
}

int main(void)
{
	mach_port_t port;
	kern_return_t kr = bootstrap_check_in(bootstrap_port, MIG_HELLO_SERVICE, &port);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "mig-hello-server: bootstrap_check_in: %s\n", bootstrap_strerror(kr));
		return 1;
	}
	/* maxsize fits every reply; MACH_RCV_LARGE lets larger requests in. */
	kr = mach_msg_server(mighello_server, mighello_subsystem.maxsize, port, MACH_RCV_LARGE);
	fprintf(stderr, "mig-hello-server: mach_msg_server: %s\n", mach_error_string(kr));
	return 1;
}
