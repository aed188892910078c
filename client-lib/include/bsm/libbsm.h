/* SPDX-License-Identifier: MIT */
/* <bsm/libbsm.h> - reading an audit token (from the audit trailer). */
#ifndef _BSM_LIBBSM_H_
#define _BSM_LIBBSM_H_

#include <sys/types.h>
#include <mach/message.h>

typedef int au_asid_t;

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The token's fields are filled from the kernel's SCM_CREDENTIALS for the
 * message's real sender: val[1] euid, [2] egid, [3] ruid, [4] rgid, [5] pid.
 * Linux passes one uid and one gid per message, so euid == ruid and
 * egid == rgid; auid is the same uid and asid is 0.
 */
uid_t audit_token_to_auid(audit_token_t atoken);
uid_t audit_token_to_euid(audit_token_t atoken);
gid_t audit_token_to_egid(audit_token_t atoken);
uid_t audit_token_to_ruid(audit_token_t atoken);
gid_t audit_token_to_rgid(audit_token_t atoken);
pid_t audit_token_to_pid(audit_token_t atoken);
au_asid_t audit_token_to_asid(audit_token_t atoken);
int audit_token_to_pidversion(audit_token_t atoken);

#ifdef __cplusplus
}
#endif
#endif
