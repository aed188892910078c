/* SPDX-License-Identifier: MIT */
/*
 * service.h - one name in the bootstrap namespace.
 *
 * A MachServices name is a port the daemon holds (R and S): look-ups
 * return copies of S at once, messages queue in R while the job is down,
 * check-in hands the job a copy of R (and S).  A bootstrap_register()
 * name holds only a send right from its owner process and goes away when
 * that port dies, or when its owner exits if that is no job's process.  A
 * dynamic name (bootstrap_check_in() of a name no job declares) is a port
 * the daemon made for the calling process and holds like a MachServices
 * port; the name goes when that process exits.  Exits are seen through a
 * pidfd.  As with launchd, a receive right handed out comes back when its
 * holder destroys it, and the name may be checked in again: the right
 * carries a port-destroyed request whose other end the daemon watches
 * (service-release.c).
 *
 * A MachServices port is made lazily: a declared name costs no fd until
 * something needs its port (the first look-up or check-in, or a port
 * kept across a restart), always through service_port_ensure().  Until
 * then nobody can hold a right to it: nothing is queued, nothing watched.
 *
 * A port goes again (back to "not made") only where that provably loses
 * no message and strands no sender: ResetAtClose (the job exited and its
 * port dies on purpose: holders of the old send right hold a dead name),
 * or the name goes with its job.  Any other port, once made, stays while
 * the daemon lives, and across a restart.  Why: the daemon cannot see
 * whether other processes still hold S.  With a socketpair, R reads
 * end-of-file only once every S is closed, the daemon's own included, and
 * once the daemon closed its S it cannot give that same port to a later
 * look-up or check-in (no new socket can be joined to R).  A fresh port
 * for the name would then leave two live ports behind one name, and a
 * message to the old one stranded (or relayed under the daemon's
 * credentials, which would forge its audit trailer).  Reclaiming a port
 * that was handed out needs a no-senders count the library keeps, or a
 * port that can make new send ends from R.
 */
#ifndef BOOTSTRAPD_SERVICE_H
#define BOOTSTRAPD_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

struct job;
struct event;
struct event_base;
struct service;
struct service_release;

/*
 * What a service tells its owner: a message waits while the job is down
 * (MachServices), or the registered port died (bootstrap_register names:
 * the owner removes the name and frees the service).
 */
typedef void service_notify_fn(struct service *s, void *arg);

struct service {
	char *name;             /* in the same allocation, after the struct */
	struct event_base *base;
	struct job *job;        /* owner of a MachServices name, else NULL */
	service_notify_fn *notify;
	void *notify_arg;

	int recv_fd;            /* R (MachServices and dynamic), -1: not made yet */
	int send_fd;            /* S, -1: not made yet (MachServices only) */
	bool watch_wanted;      /* demand: notify on the first message, once made */
	bool checked_in;        /* the running job holds R */
	bool reset_at_close;
	bool hide_until_checkin;
	bool dynamic;           /* made by a check-in, not declared by a job */
	bool per_pid;           /* BOOTSTRAP_PER_PID_SERVICE: its process's own, apart from the domain's names */
	bool bound;             /* bound to a process: a service_binding follows the struct */
	uint32_t send_ino;      /* S's inode when this daemon made S, else 0 (WIRE_F_INO) */
	struct event *demand_ev; /* R readable while the job is down */

	/* The holder of R letting it go: its port-destroyed request, or NULL (service-release.c). */
	struct service_release *release;
};

/*
 * The process a bootstrap_register() or dynamic name is bound to.  Only
 * those names have one, in the same allocation after the struct: a
 * MachServices name, 100,000s of them, does not carry these 40 bytes.
 */
struct service_binding {
	pid_t pid;
	uid_t uid;
	int pidfd;              /* the process while exit_ev watches it, or -1 */
	/* A registration going with its process: when that started (clock ticks
	 * since boot, read once at registration for every save of the state to
	 * use), 0 if unknown or not needed. */
	uint64_t start;
	struct event *death_ev; /* the registered port's receiver went away */
	struct event *exit_ev;  /* the process exited: the name goes with it */
};

/** service_binding() - @s's process, or NULL for a MachServices name. */
static inline struct service_binding *service_binding(const struct service *s)
{
	return s->bound ? (struct service_binding *)(void *)(s + 1) : NULL;
}

/** service_owner_pid() - the process @s is bound to, or 0 for a MachServices name. */
static inline pid_t service_owner_pid(const struct service *s)
{
	return s->bound ? service_binding(s)->pid : 0;
}

/** service_goes_with_owner() - whether @s goes when its process exits. */
static inline bool service_goes_with_owner(const struct service *s)
{
	return s->bound && service_binding(s)->exit_ev;
}

/*
 * Who binds a registered name: its process, and whether the name goes when
 * that process exits (as launchd removes a plain process's names with it;
 * a job's registration stays with the job, until its port dies).
 */
struct service_owner {
	pid_t pid;
	uid_t uid;
	bool per_pid;           /* BOOTSTRAP_PER_PID_SERVICE: the process's own name */
	bool until_exit;
	uint64_t start;         /* with until_exit: when it started if known (a restart), 0: read it */
};

/**
 * service_new_machservice() - name @name owned by @job; its port is not
 * made yet (service_port_ensure()).
 * Return: the service, or NULL (errno set).
 */
struct service *service_new_machservice(struct event_base *base, struct job *job,
					const char *name, bool reset_at_close,
					bool hide_until_checkin, service_notify_fn *demand,
					void *arg);

/**
 * service_new_registered() - a name bound by @owner to send right @send_fd
 * (taken); @died is called once the port's receiver is gone, or with
 * @owner->until_exit once the owner process has exited.
 * Return: the service, or NULL (errno set; ESRCH: the owner is gone).
 */
struct service *service_new_registered(struct event_base *base, const char *name, int send_fd,
				       const struct service_owner *owner, service_notify_fn *died,
				       void *arg);

/**
 * service_adopt_registered() - service_new_registered() for a name kept
 * across a restart: with @owner->until_exit the owner is watched through
 * @pidfd (taken), the pidfd the daemon before held, which cannot name a
 * later process given that pid; else @pidfd is closed.
 * Return: the service, or NULL (errno set).
 */
struct service *service_adopt_registered(struct event_base *base, const char *name, int send_fd,
					 const struct service_owner *owner, int pidfd,
					 service_notify_fn *died, void *arg);

/**
 * service_new_dynamic() - a port for @name made for process @pid of @uid;
 * @died is called once that process has exited.
 * Return: the service, or NULL (errno set; ESRCH: the process is gone).
 */
struct service *service_new_dynamic(struct event_base *base, const char *name, pid_t pid,
				    uid_t uid, bool per_pid, service_notify_fn *died, void *arg);

/**
 * service_adopt_dynamic() - a dynamic name kept across a restart: its port
 * @recv_fd and @send_fd and its owner's pidfd @pidfd (all taken), the fds
 * the daemon before held; @died is called once @owner's process has exited
 * (@owner->until_exit and start are not read: a dynamic name always goes
 * with it).  Whether its owner holds the receive right is set by the caller.
 * Return: the service, or NULL (errno set; every fd closed).
 */
struct service *service_adopt_dynamic(struct event_base *base, const char *name,
				      const struct service_owner *owner, int recv_fd, int send_fd,
				      int pidfd, service_notify_fn *died, void *arg);

/*
 * A per-PID name's registry key, "PID:NAME": unique for each (pid, name),
 * since a pid holds no ':'.  At most SERVICE_KEY_MAX bytes with its NUL.
 */
#define SERVICE_KEY_MAX (12 + 128)

/** service_key_of() - the key of @pid's per-PID @name, in @buf (SERVICE_KEY_MAX bytes). */
static inline char *service_key_of(char *buf, pid_t pid, const char *name)
{
	snprintf(buf, SERVICE_KEY_MAX, "%d:%s", (int)pid, name);
	return buf;
}

/** service_key() - @s's registry key: its name, or "PID:NAME" for a per-PID name. */
static inline const char *service_key(const struct service *s)
{
	return s->per_pid ? s->name + strlen(s->name) + 1 : s->name;
}

struct service *service_free(struct service *s);

/*
 * What a port's channels (channels.h, a module above this one) hear of
 * the port: it goes (@drop: ResetAtClose, the name freed), and its
 * messages were destroyed (@drained: channel calls among them, whose
 * clients are to be told).
 */
struct service_channel_ops {
	void (*drop)(struct service *s);
	void (*drained)(struct service *s);
};

/** service_on_channels() - the channels' hooks (NULL: no port has channels yet). */
void service_on_channels(const struct service_channel_ops *ops);

/** A binding is about to close its pidfd @fd. */
typedef void service_pidfd_closing_fn(int fd, void *arg);

/**
 * service_on_pidfd_close() - call @fn(fd, @arg) whenever a binding closes
 * its pidfd (NULL: nobody).  systemd's fd store keeps registrants' pidfds
 * by number and, on the anonymous-inode file system (kernels before 6.9),
 * cannot tell by itself that a number closed was taken by another pidfd.
 */
void service_on_pidfd_close(service_pidfd_closing_fn *fn, void *arg);

/**
 * service_release_arm() - a port-destroyed request for the receive right
 * about to be handed out: @released is called once its holder lets it go
 * (destroys it, or exits).  Replaces the request of an earlier hand-out.
 * Return: the send-once end to send with the right (kept until
 * service_release_sent()), or a negative errno (no request: nothing is
 * learnt).
 */
int service_release_arm(struct service *s, service_notify_fn *released, void *arg);

/**
 * service_release_adopt() - watch @rq (taken), the daemon's end of a
 * request handed out by the daemon that ran before a restart.
 * Return: 0 or -ENOMEM (@rq closed: the release is seen at exit only).
 */
int service_release_adopt(struct service *s, int rq, service_notify_fn *released, void *arg);

/**
 * service_release_exited() - the job holding @s's right exited: the
 * request is forgotten, and if every copy of it is gone (no process but
 * the daemon holds R), a WAKE left alone in R is dropped, as when the
 * request fires (r-peek.h).
 */
void service_release_exited(struct service *s);
/** service_release_disarm() - forget the request (its holder exited: known anyway). */
void service_release_disarm(struct service *s);

/**
 * service_release_sent() - the reply carrying the request went out, or
 * failed: the daemon's copy of its send-once end closes, or the daemon
 * itself would keep the request from ever ending.
 */
void service_release_sent(struct service *s);

/** service_release_fd() - the daemon's end of @s's request (for a restart), or -1. */
int service_release_fd(const struct service *s);

/**
 * service_release_settle() - if the right was let go already but the loop
 * has not seen it yet, see it now (@released is called): a check-in sent
 * after the release must not find the name still held.
 * Return: whether it was let go.
 */
bool service_release_settle(struct service *s);

/**
 * service_queued_bytes() - how many bytes of messages wait in the port
 * (the kernel counts a SOCK_SEQPACKET queue in bytes, not in messages).
 */
unsigned long service_queued_bytes(const struct service *s);

/**
 * service_port_ensure() - make @s's port if it is not made yet; a demand
 * watch asked for before follows it.  The one place a port is made.
 * Return: 0 or a negative errno (-EMFILE: out of descriptors).
 */
int service_port_ensure(struct service *s);

/**
 * service_socket_inode() - the inode of socket @fd as service.send_ino
 * spells it (32 bits: the kernel numbers socket inodes with a 32-bit
 * counter), or 0 for anything but a socket, or one that does not fit.
 */
uint32_t service_socket_inode(int fd);

/** service_has_port() - whether @s's port is made. */
static inline bool service_has_port(const struct service *s)
{
	return s->send_fd >= 0;
}

/**
 * service_reset_port() - ResetAtClose: the port dies (holders of the old
 * send right now hold a dead name, queued messages are destroyed); a new
 * one is made when next needed.
 */
void service_reset_port(struct service *s);

/**
 * service_adopt_port() - take @recv_fd and @send_fd (a port kept across a
 * restart, both -1 if it was not made) in place of the current one; a
 * demand watch follows.
 */
void service_adopt_port(struct service *s, int recv_fd, int send_fd);

/**
 * service_drain() - destroy every queued message, as Mach destroys a
 * message: its rights die with it, so a caller waiting on a reply learns
 * at once that none will come; at most a bounded number a call (watch the
 * port again for the rest).  Return: how many were destroyed.
 */
unsigned int service_drain(struct service *s);

/**
 * service_refuse() - for a job that will not start: service_drain() @s's
 * messages, and watch its port again for what comes later, so that no
 * caller hangs.  Return: how many were destroyed.
 */
unsigned int service_refuse(struct service *s);

/**
 * service_watch() / service_unwatch() - demand: notify on the first
 * message.  A port not made yet has nothing to watch: the watch starts
 * when it is made.
 */
void service_watch(struct service *s);
void service_unwatch(struct service *s);

#endif
