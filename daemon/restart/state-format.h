/* SPDX-License-Identifier: MIT */
/*
 * state-format.h - the domain's state as bytes: what a restarted or
 * re-executed bootstrapd needs to resume (every port as fd ids, the
 * names, each job's state).  The format is versioned and length-checked;
 * the decoder refuses anything truncated, oversized or inconsistent and
 * never allocates more than the input could describe.
 *
 * An fd id is the fd number the port had in the daemon that wrote the
 * state: a re-executed daemon finds it there, a daemon restarted by
 * systemd gets it back from the fd store under the name "fd<id>" and
 * moves it to that number (state-restore.c).
 */
#ifndef BOOTSTRAPD_STATE_FORMAT_H
#define BOOTSTRAPD_STATE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * 2: a service's port-destroyed request (release_id), no "checked in once" byte.
 * 3: whether a registered name goes with its owner process, and when that started.
 * 4: the owner's pidfd, kept like a port (owner_pidfd_id).
 * 5: whether a registration is a process's per-PID name; the domain's
 *    environment (bsctl setenv, SecureSocketWithKey paths).
 * 6: each job's Sockets listeners, kept like ports (state_listener).
 * 7: whether a registration is a name a dynamic check-in made.
 * 8: each port's channels (state_channel).
 * 1 to 7 are still read.
 */
#define STATE_VERSION 8
#define STATE_VERSION_OLDEST 1
#define STATE_HEADER_SIZE 32
#define STATE_MAX_BYTES (256u << 20)
#define STATE_STR_MAX 4096
#define STATE_FD_ID_MAX (1 << 24)
/* 0 to 2 are stdin, stdout and stderr, never a kept fd (the store's "fd0" neither). */
#define STATE_FD_ID_MIN 3

/* A port's channels at most (CHANNELS_PER_SERVICE). */
#define STATE_MAX_CHANNELS 32

/* A channel of a port (version 8 on): the daemon's copy of its B, kept like a port. */
struct state_channel {
	int32_t fd_id;
	int32_t id;             /* its OFFER's number: nonzero */
	/* Shut for reading by a daemon of channels v1 (0 or 1); written 0 and
	 * not used since v2, where nothing is retired.  Kept so that version
	 * 8 keeps one layout. */
	bool retired;
};

struct state_service {
	char *name;
	char *job;              /* the owning job's label, or NULL: a registered name */
	int32_t recv_id;        /* R (MachServices), or -1 */
	int32_t send_id;        /* S; both -1: a MachServices port not made yet */
	bool checked_in;
	int32_t owner_pid;      /* registered names */
	uint32_t owner_uid;
	int32_t release_id;     /* Rq of the checked-in right's port-destroyed request, or -1 */
	bool until_exit;        /* a registered name goes when its owner exits */
	uint64_t owner_start;   /* then: when the owner started (restart_proc_start()), 0: unknown */
	bool exit_rule_saved;   /* the two above were in the state (version 3 on) */
	/* A registration that goes with its owner: the fd id of the owner's
	 * pidfd (version 4 on), else -1.  A pidfd cannot name a later process
	 * given the pid, so it tells whether the owner lived through the
	 * restart where the start time may not be known. */
	int32_t owner_pidfd_id;
	/* A registration that is its owner's per-PID name
	 * (BOOTSTRAP_PER_PID_SERVICE), found only by a per-PID look-up naming
	 * that process (version 5 on; before, no such name was saved). */
	bool per_pid;
	/* A name made by a dynamic check-in (version 7 on): a port the daemon
	 * holds, R (recv_id, -1 if not kept) and S, whose receive right its
	 * owner checked in; it goes with its owner, watched through the owner's
	 * pidfd, which the row must have. */
	bool dynamic;
	/* The port's channels (version 8 on), only with its port kept. */
	struct state_channel *channels;
	size_t n_channels;
};

/*
 * A variable of the domain's environment (version 5 on).  One that a
 * job's SecureSocketWithKey published names that job: after a restart
 * the domain exports that job's path again (the same path when its
 * listener was kept, a new one when it was opened anew).
 */
struct state_env {
	char *key;
	char *value;
	char *job;              /* the label of the job that published it, or NULL: set by hand */
};

/*
 * A listening socket of a job's Sockets (version 6 on), found again by the
 * entry it was opened for: the name, the entry's index in that name's
 * array, and which of the fds the entry opened it is.
 */
struct state_listener {
	char *name;
	uint32_t entry;
	uint32_t pos;
	int32_t id;             /* its fd id */
};

struct state_job {
	char *label;
	char *failure;          /* why FAILED, "" otherwise */
	uint8_t state;          /* enum job_state */
	uint8_t pending_reason; /* while throttled */
	uint8_t last_reason;
	bool has_exited;
	bool demanded;
	int32_t pid;            /* running (or stopping) process, else 0 */
	uint64_t proc_start;    /* its start time (/proc/PID/stat, clock ticks since boot) */
	int64_t start_sec;      /* CLOCK_MONOTONIC of the last start */
	int64_t start_nsec;
	uint32_t runs;
	uint32_t early_failures;
	int32_t last_status;
	int32_t conn_id;        /* the daemon's end of its bootstrap port, or -1 */
	struct state_listener *listeners;
	size_t n_listeners;
};

struct state {
	uint64_t generation;
	int32_t daemon_pid;     /* who wrote it: the same pid after a re-exec */
	uint64_t nofile_soft;
	int32_t listen_id;      /* the domain's listening socket, or -1 */
	struct state_service *services;
	size_t n_services;
	struct state_job *jobs;
	size_t n_jobs;
	int32_t *clients;       /* client connections (kept across a re-exec only) */
	size_t n_clients;
	struct state_env *env;  /* the domain's environment */
	size_t n_env;
};

/** state_encode() - @s as bytes in *@buf (malloc'd).  Return: 0 or -ENOMEM. */
int state_encode(const struct state *s, char **buf, size_t *len);

/**
 * state_seal() - write the header of the @len bytes of a state at @buf
 * (its first STATE_HEADER_SIZE bytes, the magic and version already
 * there) to describe them: the payload's length and the checksum over
 * what follows the checksum.  The encoder's last step; also how a test
 * or a fuzzer makes bytes it changed pass the header's checks.
 */
void state_seal(void *buf, size_t len);

/**
 * state_encode_as() - state_encode() in the layout of @version, from
 * STATE_VERSION_OLDEST on (what an older daemon wrote: for tests).
 */
int state_encode_as(const struct state *s, uint32_t version, char **buf, size_t *len);

/**
 * state_decode() - parse @len bytes at @buf into *@s (state_free() it).
 * Every version from STATE_VERSION_OLDEST on is read, so that a daemon
 * re-executed into a newer one resumes (what an old one did not save
 * takes its "none").
 * Return: 0; -EPROTO for another version; -EBADMSG for anything malformed;
 * -ENOMEM.  On failure *@s holds nothing.
 */
int state_decode(const void *buf, size_t len, struct state *s);

/**
 * state_decode_why() - state_decode(), and on -EBADMSG what was wrong in
 * *@why (a static string; NULL if @why is NULL).
 */
int state_decode_why(const void *buf, size_t len, struct state *s, const char **why);

/** state_generation() - the generation of a header, if @buf holds a valid one. */
int state_peek_generation(const void *buf, size_t len, uint64_t *gen);

/**
 * state_check_pidfds() - whether every owner pidfd id of @s (decoded) is
 * an fd of its own: an id it shares with anything else would have the
 * restore take a port for a process, or one fd twice.
 * Return: 0; -EBADMSG with why in *@why; -ENOMEM.
 */
int state_check_pidfds(const struct state *s, const char **why);

void state_free(struct state *s);

#endif
