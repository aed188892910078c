/* SPDX-License-Identifier: MIT */
/* model.h - what a .defs file declares: the subsystem, its routines and arguments. */
#ifndef BSMIG_MODEL_H
#define BSMIG_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "type.h"

enum arg_kind {
	ARG_IN,
	ARG_OUT,
	ARG_INOUT,
	ARG_REQUESTPORT,
	ARG_REPLYPORT,          /* both sides see the reply port */
	ARG_SREPLYPORT,         /* only the server sees it */
	ARG_UREPLYPORT,         /* only the user supplies it */
	ARG_WAITTIME,           /* user: receive (or send) timeout */
	ARG_MSGOPTION,          /* user: extra mach_msg options */
	ARG_AUDIT,              /* server: the sender's audit token from the trailer */
	ARG_SECTOKEN,           /* server: the sender's security token from the trailer */
	ARG_SEQNO,              /* server: the request's sequence number from the trailer */
	ARG_USER_AUDIT,         /* user: the replier's audit token from the reply's trailer */
	ARG_USER_SECTOKEN,      /* user: the replier's security token from the reply's trailer */
};

struct mig_arg {
	char *name;
	enum arg_kind kind;
	struct mig_type *type;
	struct srcpos pos;
	bool dealloc;
	bool servercopy;
	bool physicalcopy;
	bool is_const;
	bool countinout;        /* out counted array: the caller's capacity travels too */
	bool retcode;           /* travels as the message's RetCode (reply-shaped requests) */
	bool samecount;         /* SameCount: as many elements as the array before it */
	const struct mig_arg *count_owner;      /* SameCount: whose count it shares, else NULL */
};

struct mig_routine {
	char *name;
	struct srcpos pos;
	bool simple;            /* simpleroutine: no reply */
	int number;             /* index in the subsystem; msgh_id = base + number */
	struct mig_arg *args;
	size_t nargs;
};

enum import_kind { IMPORT_BOTH, IMPORT_USER, IMPORT_SERVER };

struct mig_import {
	enum import_kind kind;
	char *file;             /* with its quotes or angle brackets */
};

struct mig_subsystem {
	char *name;
	struct srcpos pos;
	int base;
	bool kernel_user;
	bool kernel_server;
	char *user_prefix;
	char *server_prefix;
	char *server_demux;
	char *rcsid;
	char *waittime;         /* global WaitTime: an expression in C */
	char *msgoption;        /* global MsgOption */
	struct mig_import *imports;
	size_t nimports;
	struct mig_routine **routines;  /* NULL entries are skipped ids */
	size_t nroutines;
};

/** model_request_port() - the argument that names the destination. */
const struct mig_arg *model_request_port(const struct mig_routine *rt);

/** model_find_kind() - the first argument of @kind, or NULL. */
const struct mig_arg *model_find_kind(const struct mig_routine *rt, enum arg_kind kind);

/** model_server_trailer() - the trailer type the server's token arguments need, or NULL. */
const char *model_server_trailer(const struct mig_routine *rt);

/** model_user_trailer() - the user side reads tokens from the reply's trailer. */
bool model_user_trailer(const struct mig_routine *rt);

/**
 * model_count_arg() - the argument whose count stands for @a's: the one
 * it shares with SameCount, else @a itself.
 */
const struct mig_arg *model_count_arg(const struct mig_arg *a);

/** model_check() - semantic checks of a parsed routine; errors are reported. */
void model_check(struct mig_routine *rt);

#endif
