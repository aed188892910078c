/* SPDX-License-Identifier: MIT */
/*
 * check-error - mach_error_string(), mach_error_type(), mach_error() and
 * bootstrap_strerror() give the texts macOS gives, family by family:
 * kern, unix, mach-ipc send and receive, MIG, old-style IPC numbers,
 * server subsystems, bootstrap codes, and codes no table knows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/runner.h"
#include "helpers/stderr-capture.h"

START_TEST(test_kern)
{
	ck_assert_str_eq(mach_error_string(KERN_SUCCESS), "(os/kern) successful");
	ck_assert_str_eq(mach_error_string(KERN_INVALID_ARGUMENT), "(os/kern) invalid argument");
	ck_assert_str_eq(mach_error_string(KERN_INVALID_NAME), "(os/kern) invalid name");
	ck_assert_str_eq(mach_error_string(KERN_INVALID_RIGHT), "(os/kern) invalid right");
	ck_assert_str_eq(mach_error_string(KERN_UREFS_OVERFLOW), "(os/kern) urefs overflow");
	ck_assert_str_eq(mach_error_string(KERN_TERMINATED), "(os/kern) object terminated");
	ck_assert_str_eq(mach_error_string(KERN_NOT_WAITING), "(os/kern) thread not waiting");
	ck_assert_str_eq(mach_error_string(KERN_OPERATION_TIMED_OUT), "(os/kern) operation timed out");
	ck_assert_str_eq(mach_error_string(KERN_DENIED), "(os/kern) denied by security policy");
	ck_assert_str_eq(mach_error_string(KERN_NOT_FOUND), "(os/kern) result not found");
	ck_assert_str_eq(mach_error_string(KERN_NOT_FOUND + 1), "unknown error code");
	ck_assert_str_eq(mach_error_type(KERN_FAILURE), "(os/kern)");
}
END_TEST

START_TEST(test_unix)
{
	ck_assert_str_eq(mach_error_string(unix_err(2)), "(os/unix) file or directory does not exist");
	ck_assert_str_eq(mach_error_string(unix_err(0)), "unknown error code");
	ck_assert_str_eq(mach_error_string(unix_err(69)), "(os/unix) quota on available disk space exceeded");
	ck_assert_str_eq(mach_error_string(unix_err(70)), "unknown error code");
	ck_assert_str_eq(mach_error_type(unix_err(1)), "(os/unix)");
	ck_assert_str_eq(mach_error_string(err_kern | err_sub(1)), "unknown error code");
	ck_assert_str_eq(mach_error_type(err_kern | err_sub(1)), "(os/?)");
	ck_assert_str_eq(mach_error_string(err_kern | err_sub(4)),
			 "(operating system/?) unknown subsystem error");
}
END_TEST

START_TEST(test_send)
{
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_DEST), "(ipc/send) invalid destination port");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_DATA), "(ipc/send) invalid data");
	ck_assert_str_eq(mach_error_string(MACH_SEND_TIMED_OUT), "(ipc/send) timed out");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INTERRUPTED), "(ipc/send) interrupted");
	ck_assert_str_eq(mach_error_string(MACH_SEND_MSG_TOO_SMALL), "(ipc/send) msg too small");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_REPLY), "(ipc/send) invalid reply port");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_RIGHT), "(ipc/send) invalid port right");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_MEMORY), "(ipc/send) invalid memory");
	ck_assert_str_eq(mach_error_string(MACH_SEND_NO_BUFFER), "(ipc/send) no msg buffer");
	ck_assert_str_eq(mach_error_string(MACH_SEND_TOO_LARGE), "(ipc/send) msg too large");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_TYPE), "(ipc/send) invalid msg-type");
	ck_assert_str_eq(mach_error_string(MACH_SEND_INVALID_HEADER), "(ipc/send) invalid msg-header");
	ck_assert_str_eq(mach_error_string(0x10000016), "(ipc/send) destination does not accept OOL ports");
	ck_assert_str_eq(mach_error_string(0x10000017), "unknown error code");
	ck_assert_str_eq(mach_error_type(MACH_SEND_INVALID_DEST), "(ipc/send)");
}
END_TEST

START_TEST(test_rcv)
{
	ck_assert_str_eq(mach_error_string(MACH_RCV_INVALID_NAME), "(ipc/rcv) invalid name");
	ck_assert_str_eq(mach_error_string(MACH_RCV_TIMED_OUT), "(ipc/rcv) timed out");
	ck_assert_str_eq(mach_error_string(MACH_RCV_TOO_LARGE), "(ipc/rcv) msg too large");
	ck_assert_str_eq(mach_error_string(MACH_RCV_INTERRUPTED), "(ipc/rcv) interrupted");
	ck_assert_str_eq(mach_error_string(MACH_RCV_INVALID_DATA), "(ipc/rcv) invalid data");
	ck_assert_str_eq(mach_error_string(MACH_RCV_PORT_DIED), "(ipc/rcv) port died");
	ck_assert_str_eq(mach_error_string(MACH_RCV_HEADER_ERROR), "(ipc/rcv) header error");
	ck_assert_str_eq(mach_error_string(MACH_RCV_BODY_ERROR), "(ipc/rcv) body error");
	ck_assert_str_eq(mach_error_type(MACH_RCV_TIMED_OUT), "(ipc/rcv)");
	ck_assert_str_eq(mach_error_string(err_mach_ipc | err_sub(3)), "(ipc/?) unknown subsystem error");
}
END_TEST

START_TEST(test_mig)
{
	ck_assert_str_eq(mach_error_string(MIG_TYPE_ERROR), "(ipc/mig) client type check failure");
	ck_assert_str_eq(mach_error_string(MIG_REPLY_MISMATCH), "(ipc/mig) wrong reply message ID");
	ck_assert_str_eq(mach_error_string(MIG_REMOTE_ERROR), "(ipc/mig) server detected error");
	ck_assert_str_eq(mach_error_string(MIG_BAD_ID), "(ipc/mig) bad request message ID");
	ck_assert_str_eq(mach_error_string(MIG_BAD_ARGUMENTS), "(ipc/mig) server type check failure");
	ck_assert_str_eq(mach_error_string(MIG_NO_REPLY), "(ipc/mig) no reply should be sent");
	ck_assert_str_eq(mach_error_string(MIG_EXCEPTION), "(ipc/mig) server raised exception");
	ck_assert_str_eq(mach_error_string(MIG_ARRAY_TOO_LARGE), "(ipc/mig) array not large enough");
	ck_assert_str_eq(mach_error_string(MIG_SERVER_DIED), "(ipc/mig) server died");
	ck_assert_str_eq(mach_error_string(MIG_TRAILER_ERROR), "(ipc/mig) unknown trailer format");
	ck_assert_str_eq(mach_error_string(-310), "unknown error code");
	ck_assert_str_eq(mach_error_type(MIG_BAD_ID), "(ipc/mig)");
}
END_TEST

/* The numbers of original Mach IPC, still decoded by Libsystem. */
START_TEST(test_old_ipc)
{
	ck_assert_str_eq(mach_error_string(-102), "(ipc/send) invalid port");
	ck_assert_str_eq(mach_error_string(-111), "(ipc/send) message size changed while being copied");
	ck_assert_str_eq(mach_error_string(-112), "unknown error code");
	ck_assert_str_eq(mach_error_string(-203), "(ipc/rcv) receive timed out");
	ck_assert_str_eq(mach_error_string(err_ipc | err_sub(2) | 3), "(ipc/mig) bad message ID");
}
END_TEST

START_TEST(test_server)
{
	ck_assert_str_eq(mach_error_string(1000), "(server/netname) name is not yours");
	ck_assert_str_eq(mach_error_string(1601), "(server/env_mgr) variable not found");
	ck_assert_str_eq(mach_error_string(27602), "(server/execd) userid or password incorrect");
	ck_assert_str_eq(mach_error_string(err_server | err_sub(14) | 8), "(server/unix-signal) kill");
	ck_assert_str_eq(mach_error_type(err_server | err_sub(11)), "(server/object system)");
	ck_assert_str_eq(mach_error_string(err_server | err_sub(16)), "(server/?) unknown subsystem error");
}
END_TEST

/* macOS's mach_error_string() has no bootstrap table: only bootstrap_strerror() names them. */
START_TEST(test_bootstrap)
{
	ck_assert_str_eq(mach_error_string(BOOTSTRAP_UNKNOWN_SERVICE), "unknown error code");
	ck_assert_str_eq(mach_error_type(BOOTSTRAP_UNKNOWN_SERVICE), "(os/kern)");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_SUCCESS), "Success");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_NOT_PRIVILEGED), "Permission denied");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_NAME_IN_USE), "Service name already exists");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE), "Unknown service name");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_SERVICE_ACTIVE), "Service name already exists");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_BAD_COUNT),
			 "Too many lookups were requested in one request");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_NO_MEMORY), "Out of memory");
	ck_assert_str_eq(bootstrap_strerror(BOOTSTRAP_NO_CHILDREN), "unknown error code");
	ck_assert_str_eq(bootstrap_strerror(MACH_SEND_INVALID_DEST), "(ipc/send) invalid destination port");
}
END_TEST

START_TEST(test_other_systems)
{
	ck_assert_str_eq(mach_error_string(err_system(0x7) | err_sub(1) | 2),
			 "(vm/reclaim) operation not supported");
	ck_assert_str_eq(mach_error_string(err_system(0x5)), "(?/?) unknown error system");
	ck_assert_str_eq(mach_error_type(err_system(0x5)), "(?/?)");
	ck_assert_str_eq(mach_error_string(err_local | 1), "(?/?) unknown error system");
	ck_assert_str_eq(mach_error_string(err_us | 1), "unknown error code");
	ck_assert_str_eq(mach_error_type(err_us | 1), "(?/?)");
}
END_TEST

/* What mach_error(@str, @err) writes to stderr, read back through a file. */
static void mach_error_output(const char *str, mach_error_t err, char *buf, size_t size)
{
	struct stderr_capture c;

	stderr_capture_begin(&c);
	mach_error(str, err);
	stderr_capture_end(&c, buf, size);
}

START_TEST(test_mach_error_format)
{
	char out[256];

	mach_error_output("look_up:", BOOTSTRAP_UNKNOWN_SERVICE, out, sizeof(out));
	ck_assert_str_eq(out, "look_up: (os/kern) unknown error code (44e)\n");
	mach_error_output("send:", MACH_SEND_INVALID_DEST, out, sizeof(out));
	ck_assert_str_eq(out, "send: (ipc/send) invalid destination port\n");
	mach_error_output("mig:", MIG_BAD_ID, out, sizeof(out));
	ck_assert_str_eq(out, "mig: (ipc/mig) bad request message ID\n");
	mach_error_output("mig:", -310, out, sizeof(out));
	ck_assert_str_eq(out, "mig: (ipc/mig) unknown error code (fffffeca)\n");
	mach_error_output("rcv:", 0x10004011, out, sizeof(out));
	ck_assert_str_eq(out, "rcv: (ipc/rcv) unknown error code (10004011)\n");
	mach_error_output("x", err_system(0x5), out, sizeof(out));
	ck_assert_str_eq(out, "x (?/?) (?/?) unknown error system (14000000)\n");
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("strings");

	tcase_add_test(tc, test_kern);
	tcase_add_test(tc, test_unix);
	tcase_add_test(tc, test_send);
	tcase_add_test(tc, test_rcv);
	tcase_add_test(tc, test_mig);
	tcase_add_test(tc, test_old_ipc);
	tcase_add_test(tc, test_server);
	tcase_add_test(tc, test_bootstrap);
	tcase_add_test(tc, test_other_systems);
	tcase_add_test(tc, test_mach_error_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(error_suite(), NULL, 0, argc, argv);
}
