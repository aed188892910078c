/* SPDX-License-Identifier: MIT */
/*
 * audit.c - reading the audit token of a message's audit trailer.  The
 * receive path fills it from the kernel's SCM_CREDENTIALS (msg-recv.c).
 */
#include <bsm/libbsm.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT uid_t audit_token_to_auid(audit_token_t t) { return (uid_t)t.val[0]; }
EXPORT uid_t audit_token_to_euid(audit_token_t t) { return (uid_t)t.val[1]; }
EXPORT gid_t audit_token_to_egid(audit_token_t t) { return (gid_t)t.val[2]; }
EXPORT uid_t audit_token_to_ruid(audit_token_t t) { return (uid_t)t.val[3]; }
EXPORT gid_t audit_token_to_rgid(audit_token_t t) { return (gid_t)t.val[4]; }
EXPORT pid_t audit_token_to_pid(audit_token_t t) { return (pid_t)t.val[5]; }
EXPORT au_asid_t audit_token_to_asid(audit_token_t t) { return (au_asid_t)t.val[6]; }
EXPORT int audit_token_to_pidversion(audit_token_t t) { return (int)t.val[7]; }
