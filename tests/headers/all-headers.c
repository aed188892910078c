/* SPDX-License-Identifier: MIT */
/*
 * all-headers - one translation unit that includes every header a common
 * Mach program includes, names every declaration libbootstrap provides,
 * and links against the shared library: a missing header, type, constant
 * or symbol fails the build.  Run, it checks the Mach clock.
 */
#include <bootstrap.h>
#include <bootstrap_priv.h>
#include <launch.h>
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/mach_init.h>
#include <mach/mach_port.h>
#include <mach/mach_time.h>
#include <mach/mach_vm.h>
#include <mach/notify.h>
#include <mach/port.h>
#include <mach/task.h>
#include <mach/vm_map.h>
#include <mach_debug/mach_debug_types.h>
#include <servers/bootstrap.h>
#include <servers/bootstrap_defs.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Every provided function, by address: the link fails if one is missing. */
static void (*const provided[])(void) = {
	(void (*)(void))launch_activate_socket,
	(void (*)(void))mach_msg, (void (*)(void))mach_msg_overwrite,
	(void (*)(void))mach_msg_send, (void (*)(void))mach_msg_receive,
	(void (*)(void))mach_msg_destroy,
	(void (*)(void))mach_port_allocate, (void (*)(void))mach_port_deallocate,
	(void (*)(void))mach_port_destroy, (void (*)(void))mach_port_mod_refs,
	(void (*)(void))mach_port_get_refs, (void (*)(void))mach_port_insert_right,
	(void (*)(void))mach_port_type, (void (*)(void))mach_port_move_member,
	(void (*)(void))mach_port_insert_member, (void (*)(void))mach_port_extract_member,
	(void (*)(void))mach_port_request_notification,
	(void (*)(void))mach_port_allocate_name, (void (*)(void))mach_port_names,
	(void (*)(void))mach_port_get_attributes, (void (*)(void))mach_port_set_attributes,
	(void (*)(void))mach_port_construct, (void (*)(void))mach_port_destruct,
	(void (*)(void))mach_port_guard, (void (*)(void))mach_port_unguard,
	(void (*)(void))mach_port_get_context, (void (*)(void))mach_port_set_context,
	(void (*)(void))mach_port_set_seqno,
	(void (*)(void))task_get_exc_guard_behavior, (void (*)(void))task_set_exc_guard_behavior,
	(void (*)(void))task_get_special_port, (void (*)(void))task_set_special_port,
	(void (*)(void))vm_allocate, (void (*)(void))vm_deallocate, (void (*)(void))vm_map,
	(void (*)(void))vm_protect, (void (*)(void))mach_make_memory_entry,
	(void (*)(void))mach_make_memory_entry_64,
	(void (*)(void))mach_vm_allocate, (void (*)(void))mach_vm_deallocate,
	(void (*)(void))mach_vm_map, (void (*)(void))mach_vm_protect,
	(void (*)(void))mach_vm_read, (void (*)(void))mach_vm_read_overwrite,
	(void (*)(void))mach_vm_write, (void (*)(void))mach_vm_copy,
	(void (*)(void))mach_vm_region, (void (*)(void))vm_region_64,
	(void (*)(void))mach_error_string, (void (*)(void))mach_error,
	(void (*)(void))mach_error_type,
	(void (*)(void))bootstrap_look_up, (void (*)(void))bootstrap_check_in,
	(void (*)(void))bootstrap_register, (void (*)(void))bootstrap_create_service,
	(void (*)(void))bootstrap_strerror,
	(void (*)(void))bootstrap_status, (void (*)(void))bootstrap_parent,
	(void (*)(void))bootstrap_info, (void (*)(void))bootstrap_look_up2,
	(void (*)(void))bootstrap_check_in2, (void (*)(void))bootstrap_register2,
	(void (*)(void))mach_absolute_time, (void (*)(void))mach_approximate_time,
	(void (*)(void))mach_continuous_time, (void (*)(void))mach_continuous_approximate_time,
	(void (*)(void))mach_timebase_info, (void (*)(void))mach_wait_until,
};

/* Types and constants programs use, checked at compile time. */
_Static_assert(sizeof(mach_msg_header_t) == 24, "mach_msg_header_t");
_Static_assert(sizeof(mach_port_options_t) == 24, "mach_port_options_t");
_Static_assert(sizeof(mach_port_status_t) == 40, "mach_port_status_t");
/* The sizes Apple's mach_types.defs gives these types in the message. */
_Static_assert(sizeof(vm_statistics_data_t) == 15 * 4, "vm_statistics_data_t");
_Static_assert(sizeof(task_purgable_info_t) == 68 * 4, "task_purgable_info_t");
_Static_assert(sizeof(mach_service_port_info_data_t) == 256, "mach_service_port_info_data_t");
_Static_assert(sizeof(dyld_kernel_image_info_t) == 40, "dyld_kernel_image_info_t");
_Static_assert(sizeof(exception_handler_info_t) == 2 * 4, "exception_handler_info_t");
_Static_assert(sizeof(mach_vm_range_recipe_v1_t) == 24, "mach_vm_range_recipe_v1_t");
/* mach_debug_types.defs's sizes: vm_info.h is packed to 4 bytes, mach_memory_info_t padded. */
_Static_assert(sizeof(mach_vm_info_region_t) == 14 * 4, "mach_vm_info_region_t");
_Static_assert(sizeof(vm_info_region_64_t) == 11 * 4, "vm_info_region_64_t");
_Static_assert(sizeof(vm_info_region_t) == 10 * 4, "vm_info_region_t");
_Static_assert(sizeof(vm_info_object_t) == 20 * 4 + sizeof(vm_offset_t), "vm_info_object_t");
_Static_assert(sizeof(hash_info_bucket_t) == 4, "hash_info_bucket_t");
_Static_assert(sizeof(lockgroup_info_t) == 33 * 8, "lockgroup_info_t");
_Static_assert(sizeof(mach_memory_info_t) == 22 * 8, "mach_memory_info_t");
_Static_assert(sizeof(page_address_array_t) == sizeof(vm_offset_t *), "page_address_array_t");
_Static_assert(MACH_PORT_RECEIVE_STATUS_COUNT == 10, "MACH_PORT_RECEIVE_STATUS_COUNT");
_Static_assert(sizeof(name_t) == BOOTSTRAP_MAX_NAME_LEN, "name_t");
_Static_assert(BOOTSTRAP_PER_PID_SERVICE == 1 && BOOTSTRAP_PRIVILEGED_SERVER == 8 &&
	       BOOTSTRAP_FORCE_LOCAL == 16 && BOOTSTRAP_STRICT_CHECKIN == 64, "bootstrap_priv.h flags");
_Static_assert(BOOTSTRAP_STATUS_ON_DEMAND == 2, "bootstrap status");
_Static_assert(sizeof(cmd_t) == BOOTSTRAP_MAX_CMD_LEN, "cmd_t");
_Static_assert(BOOTSTRAP_UNKNOWN_SERVICE == 1102, "BOOTSTRAP_UNKNOWN_SERVICE");
_Static_assert(MACH_NOTIFY_NO_SENDERS == 0106, "MACH_NOTIFY_NO_SENDERS");
_Static_assert(sizeof(mach_timebase_info_data_t) == 8, "mach_timebase_info_data_t");
_Static_assert(MPO_INSERT_SEND_RIGHT == 0x10, "MPO_INSERT_SEND_RIGHT");

static int fail(const char *what)
{
	fprintf(stderr, "all-headers: %s\n", what);
	return EXIT_FAILURE;
}

/* <mach/clock_types.h>'s arithmetic, as programs use it (through <mach/mach.h>). */
static int check_timespec_macros(void)
{
	mach_timespec_t a = { 1, 900000000 }, b = { 2, 200000000 };

	if (CMP_MACH_TIMESPEC(&a, &b) >= 0 || BAD_MACH_TIMESPEC(&a))
		return fail("CMP_MACH_TIMESPEC or BAD_MACH_TIMESPEC");
	ADD_MACH_TIMESPEC(&a, &b);      /* 4.1 s: the nanoseconds carry */
	if (a.tv_sec != 4 || a.tv_nsec != 100000000)
		return fail("ADD_MACH_TIMESPEC");
	SUB_MACH_TIMESPEC(&a, &b);      /* back to 1.9 s: a borrow */
	if (a.tv_sec != 1 || a.tv_nsec != 900000000 || BAD_ALRMTYPE(TIME_RELATIVE) ||
	    !BAD_ALRMTYPE(2) || NSEC_PER_SEC != 1000000000ull)
		return fail("SUB_MACH_TIMESPEC or the alarm types");
	return 0;
}

int main(void)
{
	mach_timebase_info_data_t tb = { 0, 0 };
	struct timespec ts;
	uint64_t t0, t1, now;
	bool_array_t bools = NULL;
	bootstrap_property_array_t props = NULL;
	mach_port_limits_t limits = { .mpl_qlimit = MACH_PORT_QLIMIT_DEFAULT };

	for (size_t i = 0; i < sizeof(provided) / sizeof(provided[0]); i++)
		if (provided[i] == NULL)
			return fail("a provided function has no address");
	if (check_timespec_macros() != 0)
		return 1;
	(void)bools;
	(void)props;
	if (limits.mpl_qlimit != 5)
		return fail("MACH_PORT_QLIMIT_DEFAULT");
	if (mach_timebase_info(&tb) != KERN_SUCCESS || tb.numer != 1 || tb.denom != 1)
		return fail("mach_timebase_info is not 1/1");
	t0 = mach_absolute_time();
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return fail("clock_gettime");
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	t1 = mach_absolute_time();
	/* Nanoseconds of CLOCK_MONOTONIC: the reading taken between them lies between them. */
	if (t0 > now || now > t1)
		return fail("mach_absolute_time is not CLOCK_MONOTONIC in nanoseconds");
	t0 = mach_absolute_time() + 1000000;
	if (mach_wait_until(t0) != KERN_SUCCESS || mach_absolute_time() < t0)
		return fail("mach_wait_until returned before its deadline");
	/* Boot time counts suspended time too: never behind. */
	t0 = mach_absolute_time();
	if (mach_continuous_time() < t0)
		return fail("mach_continuous_time runs behind mach_absolute_time");
	if (mach_approximate_time() == 0 || mach_continuous_approximate_time() == 0)
		return fail("approximate clocks");
	return EXIT_SUCCESS;
}
