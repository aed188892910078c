/* SPDX-License-Identifier: MIT */
/* <mach/mig_errors.h> - MIG return codes and the error reply. */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/ndr.h>

#define MIG_TYPE_ERROR          -300
#define MIG_REPLY_MISMATCH      -301
#define MIG_REMOTE_ERROR        -302
#define MIG_BAD_ID              -303
#define MIG_BAD_ARGUMENTS       -304
#define MIG_NO_REPLY            -305
#define MIG_EXCEPTION           -306
#define MIG_ARRAY_TOO_LARGE     -307
#define MIG_SERVER_DIED         -308
#define MIG_TRAILER_ERROR       -309

#pragma pack(4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} mig_reply_error_t;
#pragma pack()

/* Generated code converts the return code of a foreign-endian error reply. */
static __inline__ kern_return_t __NDR_convert__mig_reply_error_t(mig_reply_error_t *x)
{
	(void)x;
	return KERN_SUCCESS;
}

#endif
