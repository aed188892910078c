/* SPDX-License-Identifier: MIT */
/*
 * audit.c - the audit token of a message's audit trailer: filled from the
 * kernel's SCM_CREDENTIALS, read with audit_token_to_*().
 */
#include <string.h>

#include <bsm/libbsm.h>

#include "msg-audit.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT uid_t audit_token_to_auid(audit_token_t t) { return (uid_t)t.val[0]; }
EXPORT uid_t audit_token_to_euid(audit_token_t t) { return (uid_t)t.val[1]; }
EXPORT gid_t audit_token_to_egid(audit_token_t t) { return (gid_t)t.val[2]; }
EXPORT uid_t audit_token_to_ruid(audit_token_t t) { return (uid_t)t.val[3]; }
EXPORT gid_t audit_token_to_rgid(audit_token_t t) { return (gid_t)t.val[4]; }
EXPORT pid_t audit_token_to_pid(audit_token_t t) { return (pid_t)t.val[5]; }
EXPORT au_asid_t audit_token_to_asid(audit_token_t t) { return (au_asid_t)t.val[6]; }
EXPORT int audit_token_to_pidversion(audit_token_t t) { return (int)t.val[7]; }

void audit_fill_tokens(mach_msg_max_trailer_t *t, const struct fdpass_creds *cr)
{
	if (!cr || !cr->valid) {
		memset(&t->msgh_sender, 0xff, sizeof(t->msgh_sender));
		memset(&t->msgh_audit, 0xff, sizeof(t->msgh_audit));
		return;
	}
	t->msgh_sender.val[0] = cr->uid;
	t->msgh_sender.val[1] = cr->gid;
	t->msgh_audit.val[0] = cr->uid;
	t->msgh_audit.val[1] = cr->uid;
	t->msgh_audit.val[2] = cr->gid;
	t->msgh_audit.val[3] = cr->uid;
	t->msgh_audit.val[4] = cr->gid;
	t->msgh_audit.val[5] = (unsigned int)cr->pid;
}
