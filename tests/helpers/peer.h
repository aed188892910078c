/* SPDX-License-Identifier: MIT */
/*
 * peer.h - libbootstrap test helpers: a few mach_msg shortcuts, two
 * accessors to the fds behind names (library internals), and the
 * port-peer helper program, which a test forks and execs to hold rights
 * in another process.
 *
 * The peer protocol: every message is a struct peer_msg (complex, one port
 * descriptor, possibly MACH_PORT_NULL).  The test passes the peer a send
 * right to a test port as an inherited fd (argv[1]); the peer allocates
 * its control port and says PEER_HELLO there, carrying a send right to the
 * control port in msgh_remote_port.  Commands arrive on the control port
 * with a send-once reply right; every command except PEER_EXIT is answered
 * through it.
 *
 * Every function whose name does not say otherwise fails the current test
 * (ck_assert) on error.
 */
#ifndef BOOTSTRAPD_TEST_PEER_H
#define BOOTSTRAPD_TEST_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>

/* Long enough never to expire unless something is broken. */
#define PEER_TIMEOUT_MS 10000
#define PEER_MAX_IDS 64

enum peer_cmd {
	PEER_HELLO = 1000,      /* peer -> test; arg[0] = pid */
	PEER_ECHO,              /* reply with args and ids, and the descriptor's right moved back */
	PEER_EXIT,              /* exit(arg[0]) at once, dropping every right; no reply */
	PEER_HOLD,              /* keep the descriptor's right; reply count = rights held */
	PEER_RELEASE,           /* mach_port_deallocate every held right */
	PEER_DRAIN,             /* desc: receive right; receive until empty; ids = msgh_ids in order;
				   arg[0] = final mach_msg result, arg[1] = mach_port_type of it */
	PEER_SEND,              /* desc: send right; send arg[0] messages, ids arg[1] + i, to it */
	PEER_GIVE_RECEIVE,      /* queue arg[0] messages (ids arg[1] + i) on a new port, reply with
				   its receive right (MOVE_RECEIVE) */
	PEER_MAP,               /* desc: memory entry; vm_map arg[0] bytes with protection arg[1]
				   (copy if arg[2]); arg[0] = kr, ids[0] = first word */
	PEER_POKE,              /* mapping word arg[0] = arg[1] */
	PEER_PEEK,              /* ids[0] = mapping word arg[0] */
	PEER_ATTACK,            /* desc: read-only memory entry of arg[0] bytes; as uid arg[1] (if
				   not 0), try every way to write its pages (PEER_WON_*, below):
				   arg[0] = kr of a shared read-write vm_map, arg[1] = kr of a
				   read-only one (kept as the mapping), arg[2] = kr of vm_protect
				   to read-write; ids[0] = PEER_WON_* bits of the ways that worked,
				   ids[1] = O_RDWR opens of /proc/self/fd/N that worked, ids[2] =
				   first word, ids[3] = 0 if it became uid arg[1]; count = memfds
				   found in /proc/self/fd */
};

/* PEER_ATTACK: the ways a receiver of a read-only entry might write its pages. */
#define PEER_ATTACK_WORD 0x0badf00d     /* what it writes */
enum peer_won {
	PEER_WON_MPROTECT = 1,  /* mprotect(PROT_WRITE) of its read-only mapping */
	PEER_WON_FD_MMAP = 2,   /* mmap(PROT_WRITE, MAP_SHARED) of a memfd it holds */
	PEER_WON_FD_WRITE = 4,  /* pwrite() to a memfd it holds */
	PEER_WON_REOPEN = 8,    /* mmap or pwrite through an O_RDWR open of /proc/self/fd/N */
	PEER_WON_PROC_MEM = 16, /* pwrite() to /proc/self/mem at its read-only mapping */
};

#pragma pack(push, 4)
struct peer_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	uint32_t count;
	uint32_t arg[3];
	int32_t ids[PEER_MAX_IDS];
};

/* A receive buffer for a peer_msg and the largest trailer. */
struct peer_rcv {
	struct peer_msg msg;
	mach_msg_max_trailer_t trailer;
};
#pragma pack(pop)

/* A running port-peer. */
struct peer {
	pid_t pid;
	mach_port_t ctl;        /* send right to its control port */
	mach_port_t home;       /* our receive right it said hello on; replies land here too */
};

/* Library internals, for tests only. */

/** peer_name_send_fd() - name a raw send end in the space (takes @fd). Return: the name or 0. */
mach_port_t peer_name_send_fd(int fd);

/** peer_send_fd() - a dup (O_CLOEXEC) of the send end behind @name (send or receive right), or -1. */
int peer_send_fd(mach_port_t name);

/** peer_recv_fd() - the receive end R behind @name (still owned by the library), or -1. */
int peer_recv_fd(mach_port_t name);

/** peer_recv_epoll() - the epoll a receiver of @name waits in, or -1 if none was made yet. */
int peer_recv_epoll(mach_port_t name);

/* mach_msg shortcuts. */

/** peer_port() - a new receive right. */
mach_port_t peer_port(void);

/** peer_port_send() - a new receive right with a send right under the same name. */
mach_port_t peer_port_send(void);

/** peer_msg_init() - a complex peer_msg to @dest (@dest_disp) carrying @name (@disp) and id @id. */
void peer_msg_init(struct peer_msg *m, mach_port_t dest, mach_msg_type_name_t dest_disp,
		   mach_msg_id_t id, mach_port_t name, mach_msg_type_name_t disp);

/** peer_post() - send @m, which must succeed. */
void peer_post(struct peer_msg *m);

/** peer_send_id() - a simple (header-only plus 4 bytes) message @id to @dest with COPY_SEND-like @disp. */
mach_msg_return_t peer_send_id(mach_port_t dest, mach_msg_type_name_t disp, mach_msg_id_t id);

/**
 * peer_recv() - receive into @r from @port within @ms milliseconds, with
 * the audit trailer.  Return: the mach_msg result (not checked).
 */
mach_msg_return_t peer_recv(mach_port_t port, struct peer_rcv *r, mach_msg_timeout_t ms);

/** peer_told_send_once() - whether MACH_NOTIFY_SEND_ONCE arrives on @port in PEER_TIMEOUT_MS. */
bool peer_told_send_once(mach_port_t port);

/** peer_audit() - the audit token of a message received by peer_recv(). */
audit_token_t peer_audit(const struct peer_rcv *r);

/**
 * peer_start_notifier() - start the library's notification thread now, so
 * that its epoll fd (kept until exit, by design) is open before a test
 * counts fds.
 */
void peer_start_notifier(void);

/** peer_send_once() - a send-once right to receive right @n, named in our space. */
mach_port_t peer_send_once(mach_port_t n);

/**
 * peer_fd_count() - fdcheck_count(), once it equals @want or after
 * PEER_TIMEOUT_MS: the library's notification thread closes its copies of
 * a watch's fds just after it sent the notification, so a test can see the
 * message a moment before the count settles.
 */
int peer_fd_count(int want);

/**
 * peer_fd_mark() - the leak checks' fixture: count the open fds now (after
 * starting the notification thread if @notifier, whose epoll stays open).
 */
void peer_fd_mark(bool notifier);

/** peer_fd_check() - assert the count marked last is back (dump the fds if not). */
void peer_fd_check(void);

/** peer_raise_fd_limit() - the soft fd limit up to the hard one, which must allow @want. */
void peer_raise_fd_limit(unsigned long want);

/** peer_urefs() - user references of @right on @name (0 if none). */
mach_port_urefs_t peer_urefs(mach_port_t name, mach_port_right_t right);

/** peer_type() - mach_port_type(@name), which must succeed. */
mach_port_type_t peer_type(mach_port_t name);

/* The helper process. */

/** peer_start() - fork and exec port-peer ($PORT_PEER) and wait for its hello. */
void peer_start(struct peer *p);

/**
 * peer_call() - send @req (id, args, descriptor already set: see peer_msg_init)
 * to the peer's control port with a send-once reply right, and wait for
 * the reply in @rep.
 */
void peer_call(struct peer *p, struct peer_msg *req, struct peer_rcv *rep);

/** peer_cmd() - peer_call() with a NULL descriptor and @a0, @a1 as arguments. */
void peer_cmd(struct peer *p, enum peer_cmd cmd, uint32_t a0, uint32_t a1, struct peer_rcv *rep);

/**
 * peer_exit() - tell the peer to exit(@status) and reap it; fails the test
 * unless it exited with @status (a sanitizer report changes it).
 * Return: its wait status.
 */
int peer_exit(struct peer *p, int status);

/** peer_forget() - drop our names for the peer (after it exited). */
void peer_forget(struct peer *p);

#endif
