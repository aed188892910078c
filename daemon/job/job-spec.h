/* SPDX-License-Identifier: MIT */
/*
 * job-spec.h - the validated, immutable description of one job.
 *
 * A job_spec is what a launchd.plist says, after job-plist.c has checked
 * every key.  It carries no runtime state (pid, exit status, ports): that
 * lives in struct job.  Everything is heap-owned by the spec and released
 * by job_spec_free().
 */
#ifndef BOOTSTRAPD_JOB_SPEC_H
#define BOOTSTRAPD_JOB_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Longest MachServices name: BOOTSTRAP_MAX_NAME_LEN (name_t) less its NUL. */
#define JOB_SERVICE_NAME_MAX 127

/* One MachServices entry. */
struct job_machservice {
	char *name;             /* at most JOB_SERVICE_NAME_MAX bytes */
	bool reset_at_close;    /* ResetAtClose */
	bool hide_until_checkin; /* HideUntilCheckIn */
};

/* KeepAlive: either unconditional or a set of ORed conditions. */
enum keepalive_cond {
	KEEPALIVE_NEVER = 0,    /* absent or <false/>: demand only */
	KEEPALIVE_ALWAYS,       /* <true/> */
	KEEPALIVE_CONDITIONAL,  /* a dictionary: see the fields below */
};

struct path_state {
	char *path;
	bool exists;            /* keep alive while the path exists (true) or not */
};

struct other_job_state {
	char *label;
	bool enabled;           /* keep alive while that job is (true) or is not loaded, or runs */
	bool active;            /* OtherJobActive: runs or not; else OtherJobEnabled: loaded or not */
};

struct keepalive {
	enum keepalive_cond mode;
	/* Conditions, meaningful when mode == KEEPALIVE_CONDITIONAL. */
	bool has_successful_exit;
	bool successful_exit;   /* restart while exit status is 0 (true) / non-zero */
	bool has_crashed;
	bool crashed;           /* restart after a crash signal (true) / after none */
	struct path_state *path_state;
	size_t n_path_state;
	struct other_job_state *other_jobs;     /* OtherJobEnabled and OtherJobActive */
	size_t n_other_jobs;
	bool after_initial_demand;
	bool has_network_state;
	bool network_state;     /* keep alive while the network is up (true) or down */
};

/* One StartCalendarInterval entry; -1 means "any". */
struct calendar_interval {
	int minute;             /* 0-59 */
	int hour;               /* 0-23 */
	int day;                /* 1-31 */
	int weekday;            /* 0-6, Sunday = 0 (7 is normalised to 0) */
	int month;              /* 1-12 */
};

/* Longest Sockets name: it travels in a name_t, as a service name does. */
#define JOB_SOCKET_NAME_MAX 127
/* At most this many sockets per job, all names together: each is an fd
 * the daemon keeps and every process of the job inherits. */
#define JOB_SOCKETS_MAX 32

/* One socket of a Sockets entry (one dictionary), as launchd.plist(5) says. */
struct job_socket {
	int type;               /* SockType: SOCK_STREAM (default), SOCK_DGRAM, SOCK_SEQPACKET */
	bool passive;           /* SockPassive, default true: bind and listen, else connect */
	int family;             /* SockFamily: AF_UNSPEC (IPv4 and IPv6), AF_INET, AF_INET6, AF_UNIX */
	int protocol;           /* SockProtocol: 0, IPPROTO_TCP or IPPROTO_UDP */
	char *node_name;        /* SockNodeName, or NULL (the wildcard address when passive) */
	char *service_name;     /* SockServiceName: a port number or an /etc/services name */
	char *path_name;        /* SockPathName (AF_UNIX), or NULL */
	bool has_path_mode;
	mode_t path_mode;       /* SockPathMode */
	bool has_path_owner, has_path_group;
	uid_t path_owner;       /* SockPathOwner: a uid */
	gid_t path_group;       /* SockPathGroup: a gid */
	char *secure_key;       /* SecureSocketWithKey: the variable that gets the path */
};

/* One Sockets name: a dictionary or an array of them. */
struct job_socket_group {
	char *name;
	struct job_socket *sockets;
	size_t n_sockets;
};

/* A resource limit named in Soft/HardResourceLimits. */
struct job_rlimit {
	int resource;           /* RLIMIT_* */
	bool has_soft, has_hard;
	unsigned long long soft, hard;
};

struct job_spec {
	void *block;            /* most strings and lists below, once compacted */
	size_t block_size;
	char *label;
	char *path;             /* the plist it came from, or NULL */
	unsigned int line;      /* line of the <dict> that defines the job */

	char *program;          /* Program, or NULL: then argv[0] is the program */
	char **argv;            /* ProgramArguments, NULL-terminated; never NULL */
	size_t argc;
	bool enable_globbing;

	char **env;             /* EnvironmentVariables as "K=V", NULL-terminated */
	size_t n_env;

	char *working_directory;
	char *root_directory;
	char *user_name;
	char *group_name;
	bool init_groups;       /* default true */
	bool has_umask;
	mode_t umask;
	char *stdin_path, *stdout_path, *stderr_path;

	struct job_machservice *services;
	size_t n_services;

	struct job_socket_group *socket_groups;
	size_t n_socket_groups;
	bool inetd;             /* inetdCompatibility present */
	bool inetd_wait;        /* its Wait: the listening socket is stdin */

	bool disabled;
	bool run_at_load;
	bool launch_only_once;
	bool abandon_process_group;
	struct keepalive keepalive;

	int throttle_interval;  /* seconds, default 10 */
	int exit_timeout;       /* seconds, default 20, 0 = wait forever */
	int start_interval;     /* seconds, 0 = none */
	struct calendar_interval *calendar;
	size_t n_calendar;
	char **watch_paths;
	size_t n_watch_paths;
	char **queue_directories;
	size_t n_queue_directories;

	struct job_rlimit *rlimits;
	size_t n_rlimits;
	bool has_nice;
	int nice;
};

#define JOB_DEFAULT_THROTTLE_INTERVAL 10
#define JOB_DEFAULT_EXIT_TIMEOUT 20

/**
 * job_spec_new() - an empty spec holding the launchd defaults
 * (InitGroups true, ThrottleInterval 10, ExitTimeOut 20).  job-plist.c
 * fills it; the caller owns it and frees it with job_spec_free().
 *
 * Return: the spec, or NULL when out of memory.
 */
struct job_spec *job_spec_new(void);

/**
 * job_spec_free() - release a spec and everything it owns.
 * @spec: the spec, or NULL.
 *
 * Return: NULL, so that callers can write `s = job_spec_free(s)`.
 */
struct job_spec *job_spec_free(struct job_spec *spec);

/**
 * job_spec_compact() - move @spec's strings, its argument, environment,
 * MachServices and path lists into one allocation (a loaded spec is
 * never changed again): at 100,000 jobs, about 110 bytes of malloc
 * headers and rounding a job fewer.  Rarer lists (sockets, KeepAlive
 * maps, calendars, limits) stay where they are.  Out of memory: the spec
 * stays as it was.
 */
void job_spec_compact(struct job_spec *spec);

/**
 * job_spec_adopt() - a spec built on another thread (job_plist_read_file()),
 * moved into the calling thread's part of the heap: the struct copied,
 * then compacted here.  glibc gives each thread its own arena, so what a
 * job keeps is packed together, apart from the parser's passing
 * allocations, which would otherwise leave holes between jobs.  Only what
 * compaction moves comes over; a spec's rarer lists (sockets, KeepAlive
 * maps, calendars, limits) stay in the parsing thread's arena.
 * Return: the spec to use instead of @spec (@spec itself if out of memory:
 * it stays valid).
 */
struct job_spec *job_spec_adopt(struct job_spec *spec);

/**
 * job_spec_program() - the path that will be executed.
 * Return: Program if set, else argv[0].  Never NULL for a valid spec.
 */
const char *job_spec_program(const struct job_spec *spec);

#endif
