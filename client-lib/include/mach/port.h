/* SPDX-License-Identifier: MIT */
/* <mach/port.h> - port names, rights and types, Apple's values. */
#ifndef _MACH_PORT_H_
#define _MACH_PORT_H_

#include <stdint.h>
#include <mach/boolean.h>

typedef unsigned int natural_t;
typedef int integer_t;

typedef natural_t mach_port_name_t;
typedef mach_port_name_t *mach_port_name_array_t;
typedef natural_t mach_port_t;
typedef mach_port_t *mach_port_array_t;

#define MACH_PORT_NULL          0
#define MACH_PORT_DEAD          ((mach_port_name_t) ~0)
#define MACH_PORT_VALID(name)   (((name) != MACH_PORT_NULL) && ((name) != MACH_PORT_DEAD))

#define MACH_PORT_INDEX(name)       ((name) >> 8)
#define MACH_PORT_GEN(name)         (((name) & 0xff) << 24)
#define MACH_PORT_MAKE(index, gen)  (((index) << 8) | (gen) >> 24)

typedef natural_t mach_port_right_t;
#define MACH_PORT_RIGHT_SEND        ((mach_port_right_t) 0)
#define MACH_PORT_RIGHT_RECEIVE     ((mach_port_right_t) 1)
#define MACH_PORT_RIGHT_SEND_ONCE   ((mach_port_right_t) 2)
#define MACH_PORT_RIGHT_PORT_SET    ((mach_port_right_t) 3)
#define MACH_PORT_RIGHT_DEAD_NAME   ((mach_port_right_t) 4)
#define MACH_PORT_RIGHT_LABELH      ((mach_port_right_t) 5)
#define MACH_PORT_RIGHT_NUMBER      ((mach_port_right_t) 6)

typedef natural_t mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;
#define MACH_PORT_TYPE(right)   ((mach_port_type_t)(((mach_port_type_t) 1) << ((right) + ((mach_port_right_t) 16))))
#define MACH_PORT_TYPE_NONE         ((mach_port_type_t) 0L)
#define MACH_PORT_TYPE_SEND         MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE      MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE    MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET     MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME    MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_TYPE_LABELH       MACH_PORT_TYPE(MACH_PORT_RIGHT_LABELH)
#define MACH_PORT_TYPE_SEND_RECEIVE (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS  (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS  (MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD (MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS   (MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)
#define MACH_PORT_TYPE_DNREQUEST        0x80000000
#define MACH_PORT_TYPE_SPREQUEST        0x40000000
#define MACH_PORT_TYPE_SPREQUEST_DELAYED 0x20000000

typedef natural_t mach_port_urefs_t;
typedef integer_t mach_port_delta_t;
typedef natural_t mach_port_seqno_t;
typedef natural_t mach_port_mscount_t;
typedef natural_t mach_port_msgcount_t;
typedef natural_t mach_port_rights_t;
typedef unsigned long mach_port_context_t;

#define MACH_PORT_QLIMIT_ZERO       0
#define MACH_PORT_QLIMIT_BASIC      5
#define MACH_PORT_QLIMIT_SMALL      16
#define MACH_PORT_QLIMIT_LARGE      1024
#define MACH_PORT_QLIMIT_KERNEL     65534
#define MACH_PORT_QLIMIT_MIN        MACH_PORT_QLIMIT_ZERO
#define MACH_PORT_QLIMIT_DEFAULT    MACH_PORT_QLIMIT_BASIC
#define MACH_PORT_QLIMIT_MAX        MACH_PORT_QLIMIT_LARGE

#define MACH_PORT_SRIGHTS_NONE      0
#define MACH_PORT_SRIGHTS_PRESENT   1
typedef unsigned int mach_port_srights_t;

/*
 * Port attributes and construction options, Apple's layouts.  The calls
 * that take them are declared in <mach/mach_port.h>; see mach_port(3) for
 * which are provided.
 */
typedef struct mach_port_status {
	mach_port_rights_t mps_pset;
	mach_port_seqno_t mps_seqno;
	mach_port_mscount_t mps_mscount;
	mach_port_msgcount_t mps_qlimit;
	mach_port_msgcount_t mps_msgcount;
	mach_port_rights_t mps_sorights;
	boolean_t mps_srights;
	boolean_t mps_pdrequest;
	boolean_t mps_nsrequest;
	natural_t mps_flags;
} mach_port_status_t;

typedef struct mach_port_limits {
	mach_port_msgcount_t mpl_qlimit;
} mach_port_limits_t;

#define MACH_PORT_STATUS_FLAG_TEMPOWNER             0x01
#define MACH_PORT_STATUS_FLAG_GUARDED               0x02
#define MACH_PORT_STATUS_FLAG_STRICT_GUARD          0x04
#define MACH_PORT_STATUS_FLAG_IMP_DONATION          0x08
#define MACH_PORT_STATUS_FLAG_REVIVE                0x10
#define MACH_PORT_STATUS_FLAG_TASKPTR               0x20
#define MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE 0x40
#define MACH_PORT_STATUS_FLAG_NO_GRANT              0x80

typedef integer_t *mach_port_info_t;
typedef int mach_port_flavor_t;
#define MACH_PORT_LIMITS_INFO           1
#define MACH_PORT_RECEIVE_STATUS        2
#define MACH_PORT_DNREQUESTS_SIZE       3
#define MACH_PORT_TEMPOWNER             4
#define MACH_PORT_IMPORTANCE_RECEIVER   5
#define MACH_PORT_DENAP_RECEIVER        6
#define MACH_PORT_INFO_EXT              7
#define MACH_PORT_GUARD_INFO            8
#define MACH_PORT_LIMITS_INFO_COUNT \
	((natural_t)(sizeof(mach_port_limits_t) / sizeof(natural_t)))
#define MACH_PORT_RECEIVE_STATUS_COUNT \
	((natural_t)(sizeof(mach_port_status_t) / sizeof(natural_t)))
#define MACH_PORT_DNREQUESTS_SIZE_COUNT 1

#define MPO_CONTEXT_AS_GUARD        0x01
#define MPO_QLIMIT                  0x02
#define MPO_TEMPOWNER               0x04
#define MPO_IMPORTANCE_RECEIVER     0x08
#define MPO_INSERT_SEND_RIGHT       0x10
#define MPO_STRICT                  0x20
#define MPO_DENAP_RECEIVER          0x40
#define MPO_IMMOVABLE_RECEIVE       0x80

/* A service port's name and domain (MPO_SERVICE_PORT), Apple's layout. */
#define MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN 255
typedef struct mach_service_port_info {
	char mspi_string_name[MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN];
	uint8_t mspi_domain_type;
} mach_service_port_info_data_t;
typedef struct mach_service_port_info *mach_service_port_info_t;
#define MACH_SERVICE_PORT_INFO_COUNT ((char)(sizeof(mach_service_port_info_data_t) / sizeof(char)))

/* 24 bytes, the union padded to 16 as Apple pads it. */
typedef struct mach_port_options {
	uint32_t flags;
	mach_port_limits_t mpl;
	__extension__ union {
		uint64_t reserved[2];
		mach_port_name_t work_interval_port;
		struct mach_service_port_info *service_port_info;
		mach_port_name_t service_port_name;
	};
} mach_port_options_t;
typedef mach_port_options_t *mach_port_options_ptr_t;

/* mach_port_allocate_qos's request; the bit-fields are Apple's layout. */
typedef struct mach_port_qos {
	unsigned int name : 1;
	unsigned int prealloc : 1;
	boolean_t pad1 : 30;
	natural_t len;
} mach_port_qos_t;

#endif
