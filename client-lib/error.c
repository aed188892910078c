/* SPDX-License-Identifier: MIT */
/*
 * error.c - error strings: mach_error_string(), mach_error(),
 * bootstrap_strerror().
 */
#include <stdio.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#define EXPORT __attribute__((visibility("default")))

struct error_text {
	mach_error_t code;
	const char *text;
};

static const struct error_text texts[] = {
	{ KERN_SUCCESS, "(os/kern) successful" },
	{ KERN_INVALID_ADDRESS, "(os/kern) invalid address" },
	{ KERN_PROTECTION_FAILURE, "(os/kern) protection failure" },
	{ KERN_NO_SPACE, "(os/kern) no space available" },
	{ KERN_INVALID_ARGUMENT, "(os/kern) invalid argument" },
	{ KERN_FAILURE, "(os/kern) failure" },
	{ KERN_RESOURCE_SHORTAGE, "(os/kern) resource shortage" },
	{ KERN_NOT_RECEIVER, "(os/kern) not receiver" },
	{ KERN_NO_ACCESS, "(os/kern) no access" },
	{ KERN_ALREADY_IN_SET, "(os/kern) already in set" },
	{ KERN_NOT_IN_SET, "(os/kern) not in set" },
	{ KERN_NAME_EXISTS, "(os/kern) name exists" },
	{ KERN_INVALID_NAME, "(os/kern) invalid name" },
	{ KERN_INVALID_TASK, "(os/kern) invalid task" },
	{ KERN_INVALID_RIGHT, "(os/kern) invalid right" },
	{ KERN_INVALID_VALUE, "(os/kern) invalid value" },
	{ KERN_UREFS_OVERFLOW, "(os/kern) urefs overflow" },
	{ KERN_INVALID_CAPABILITY, "(os/kern) invalid capability" },
	{ KERN_RIGHT_EXISTS, "(os/kern) right exists" },
	{ KERN_NOT_SUPPORTED, "(os/kern) not supported" },
	{ KERN_OPERATION_TIMED_OUT, "(os/kern) operation timed out" },
	{ KERN_DENIED, "(os/kern) denied" },
	{ MACH_SEND_INVALID_DATA, "(ipc/send) invalid data" },
	{ MACH_SEND_INVALID_DEST, "(ipc/send) invalid destination port" },
	{ MACH_SEND_TIMED_OUT, "(ipc/send) timed out" },
	{ MACH_SEND_INTERRUPTED, "(ipc/send) interrupted" },
	{ MACH_SEND_MSG_TOO_SMALL, "(ipc/send) message size changed while being copied" },
	{ MACH_SEND_INVALID_REPLY, "(ipc/send) invalid reply port" },
	{ MACH_SEND_INVALID_RIGHT, "(ipc/send) invalid port right" },
	{ MACH_SEND_INVALID_MEMORY, "(ipc/send) invalid out-of-line memory" },
	{ MACH_SEND_NO_BUFFER, "(ipc/send) no message buffer" },
	{ MACH_SEND_TOO_LARGE, "(ipc/send) send is too large" },
	{ MACH_SEND_INVALID_TYPE, "(ipc/send) invalid MIG type" },
	{ MACH_SEND_INVALID_HEADER, "(ipc/send) invalid header" },
	{ MACH_RCV_INVALID_NAME, "(ipc/rcv) invalid name" },
	{ MACH_RCV_TIMED_OUT, "(ipc/rcv) timed out" },
	{ MACH_RCV_TOO_LARGE, "(ipc/rcv) message too large" },
	{ MACH_RCV_INTERRUPTED, "(ipc/rcv) interrupted" },
	{ MACH_RCV_INVALID_DATA, "(ipc/rcv) invalid message" },
	{ MACH_RCV_PORT_DIED, "(ipc/rcv) port died" },
	{ MACH_RCV_HEADER_ERROR, "(ipc/rcv) header error" },
	{ MACH_RCV_BODY_ERROR, "(ipc/rcv) body error" },
	{ MIG_TYPE_ERROR, "(ipc/mig) type check failure in message interface" },
	{ MIG_REPLY_MISMATCH, "(ipc/mig) wrong return message ID" },
	{ MIG_REMOTE_ERROR, "(ipc/mig) server detected error" },
	{ MIG_BAD_ID, "(ipc/mig) bad request message ID" },
	{ MIG_BAD_ARGUMENTS, "(ipc/mig) server found wrong arguments" },
	{ MIG_NO_REPLY, "(ipc/mig) no reply should be sent" },
	{ MIG_SERVER_DIED, "(ipc/mig) server died" },
};

EXPORT char *mach_error_string(mach_error_t error_value)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].code == error_value)
			return (char *)texts[i].text;
	return (char *)"(unknown/unknown) unknown error";
}

EXPORT char *mach_error_type(mach_error_t error_value)
{
	switch (err_get_system(error_value)) {
	case 0x0:
		return (char *)"(os/kern)";
	case 0x4:
		return err_get_sub(error_value) == 1 ? (char *)"(ipc/rcv)" : (char *)"(ipc/send)";
	default:
		return (char *)"(unknown/unknown)";
	}
}

EXPORT void mach_error(const char *str, mach_error_t error_value)
{
	fprintf(stderr, "%s %s (0x%x)\n", str ? str : "", mach_error_string(error_value),
		(unsigned int)error_value);
}

EXPORT const char *bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:
		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:
		return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:
	case BOOTSTRAP_SERVICE_ACTIVE:
		return "Service name already exists";
	case BOOTSTRAP_UNKNOWN_SERVICE:
		return "Unknown service name";
	case BOOTSTRAP_BAD_COUNT:
		return "Too many lookups were requested in one request";
	case BOOTSTRAP_NO_MEMORY:
		return "Out of memory";
	default:
		return mach_error_string(r);
	}
}
