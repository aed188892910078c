/* SPDX-License-Identifier: MIT */
/*
 * port.h - a port entry of the task's IPC space, and every change to it
 * (internal).
 *
 * A name holds, as in Mach, a receive right, send rights with a user
 * reference count, a send-once right, a port set, a dead name, or a memory
 * entry.  Each right is backed by fds (see DESIGN.md): a receive right is
 * the port's receive end R plus its send end S (kept so that the receiver
 * can make send rights) plus one receive end per outstanding send-once
 * right; a send right is S; a send-once right is the send end of a
 * socketpair made for that right alone.  A port set is an epoll fd; a
 * memory entry is a memfd and a window of it.
 *
 * Only port.c and port-rights.c change an entry: everyone else asks them,
 * by name of the change (port_drop_send(), port_use_send_once(),
 * port_move_receive(), ...).  Every field is protected by the space lock
 * (space.h), except that receivers serialise on rcv_lock while they wait
 * and read, holding a reference but not the space lock.
 */
#ifndef BOOTSTRAP_PORT_H
#define BOOTSTRAP_PORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>

#include "fd-index.h"
#include "sopool.h"
#include "space.h"

#define PORT_UREFS_MAX 0xffffu

/* The name of the task's own IPC space; index 0 is never a table entry. */
#define TASK_SELF_NAME ((mach_port_name_t)0x7)

/* What the entry's fds beyond a send right are (the union below). */
enum port_kind {
	PORT_KIND_NONE,         /* send, send-once or dead name only */
	PORT_KIND_RECEIVE,
	PORT_KIND_SET,
	PORT_KIND_MEMORY,
};

/*
 * One channel of a receive right (wire.h "Channels"): B, the way back to
 * the process that made it, for the answers to its calls that come in R.
 * Never read: not a queue of the port.
 */
struct port_chan {
	int fd;                     /* B */
	ino_t ino;                  /* its identity: an OFFER of a known B adds nothing */
	pid_t owner;                /* B's SO_PEERCRED: whose calls it answers */
	uint16_t last_seq;          /* the last of its calls read here, 0 if none (a PROBE asks) */
	int spare;                  /* a copy of B kept for the next call's reply right, or -1 */
};

struct port_recv {
	int fd;                     /* R */
	bool eof;                   /* R read end-of-file: no sender left */
	struct so_queue *so;        /* send-once queues */
	size_t n_so, cap_so;
	size_t n_parked;            /* of which parked idle pairs (sopool.h): few, often none */
	struct fd_index so_index;   /* fd -> position in so, once there are many (port-queues.c) */
	mach_port_name_t pset;      /* the port set it is in, or 0 */
	int epfd;                   /* epoll over R and the queues, made on first wait */
	bool ns_armed;              /* no-senders requested: drop our own S when unused */
	mach_port_context_t context; /* mach_port_set_context(), or the guard */
	bool guarded, strict_guard; /* mach_port_guard() */
	bool immovable;             /* MPO_IMMOVABLE_RECEIVE: never moves (sticky, as xnu) */
	int pd_fd;                  /* MACH_NOTIFY_PORT_DESTROYED: the notify send-once right, or -1 */
	mach_port_msgcount_t qlimit; /* MACH_PORT_LIMITS_INFO: see mach_port(3) */
	mach_port_seqno_t seqno;    /* of the next message dequeued here; 0 when the right moves in */
	struct port_chan *chan;     /* channels (port-channels.c) */
	size_t n_chan, cap_chan;
	unsigned int direct;        /* receivers asleep in recvmsg(R) itself (port-direct.c) */
	bool wake_sent;             /* a WAKE for them is in R */
	bool barred;                /* R or S is about to go: none may fall asleep there */
};

struct port_set {
	int epfd;                   /* epoll over every member's R and queues */
};

struct port_mem {
	int fd;                     /* the memfd */
	unsigned long long offset, size;
	int prot;                   /* VM_PROT_* the entry allows */
};

/* A close of an entry's fd put off for the sends pinned before it (port_close_fd()). */
struct port_close {
	int fd;
	uint64_t epoch;             /* sends pinned in it or before are waited for */
	unsigned int senders;       /* those pinned in it, still out */
};

struct port {
	unsigned int refs;          /* the table's + in-flight users' */
	mach_port_name_t name;      /* MACH_PORT_NULL once out of the table */
	mach_port_type_t type;      /* MACH_PORT_TYPE_* rights held */
	mach_port_urefs_t urefs;    /* send or dead-name user references */
	int send_fd;                /* S: send right, or the receiver's own S */
	ino_t ino;                  /* identity: inode of S */
	bool dead;                  /* receive right destroyed (while a receiver waited) */
	bool watched;               /* a notification request names it (notify.c) */
	int wake_fd;                /* wakes receivers when the receive right goes (port.c) */
	pthread_mutex_t rcv_lock;
	unsigned int sending;       /* messages being sent on its fds, pinned in pin_epoch */
	uint64_t pin_epoch;         /* port_pin()'s; each close put off starts the next */
	struct port_close *closing; /* closes put off, oldest first */
	size_t n_closing, cap_closing;
	/*
	 * A send right's channel (msg-chan.c): A, where its calls' answers
	 * come; the number of its last call; and where the ask stands.  A
	 * send-once right that answers a channel call: so_chan is the call's
	 * number, send_fd a copy of B.
	 */
	int chan_fd;
	uint16_t chan_seq;
	uint16_t so_chan;
	ino_t so_chan_ino;          /* a channel reply right's B, for its copy to be kept (port-channels.c) */
	struct port *so_rcv;        /* and the receive right it came to, referenced */
	uint8_t chan_state;         /* enum port_chan_state */
	uint8_t chan_backoff;       /* calls the ordinary way before the next ask (msg-chan.c) */
	bool chan_calling;          /* a channel call waits on A (one at a time) */
	enum port_kind kind;
	union {
		struct port_recv recv;  /* PORT_KIND_RECEIVE (and NONE: empty) */
		struct port_set set;    /* PORT_KIND_SET */
		struct port_mem mem;    /* PORT_KIND_MEMORY */
	} u;
};

/* Where a send right's channel stands (port.chan_state). */
enum port_chan_state {
	PORT_CHAN_NONE,             /* not a port the daemon vouched for: never asked */
	PORT_CHAN_ASKABLE,          /* the daemon's port: ask at the first call */
	PORT_CHAN_ASKING,           /* the ask is out: other calls go the ordinary way */
	PORT_CHAN_OPEN,             /* chan_fd is A: calls are answered up the channel */
	PORT_CHAN_REFUSED,          /* refused by the daemon or the receiver: the ordinary way for good */
};

/* Entries (port.c; their memory: port-entry.c). */

/** port_entry_alloc() - memory for an entry, uninitialised: the last freed, or new. */
struct port *port_entry_alloc(void);
/** port_entry_free() - give back an entry's memory (kept for the next, or freed). */
void port_entry_free(struct port *p);

/** port_new() - an empty entry with one reference and no fds. */
struct port *port_new(void);
/** port_new_send() - an entry holding one send right on @fd (taken on success), port @ino. */
struct port *port_new_send(int fd, ino_t ino);
/** port_new_send_once() - an entry holding one send-once right on @fd (taken on success). */
struct port *port_new_send_once(int fd);
/** port_new_dead_name() - a dead name with one user reference. */
struct port *port_new_dead_name(void);
/** port_new_memory() - a memory entry on memfd @fd (taken on success). */
struct port *port_new_memory(int fd, unsigned long long offset, unsigned long long size, int prot);
/** port_new_receive() - a receive right on a fresh socketpair. */
struct port *port_new_receive(void);
/** port_new_set() - an empty port set. */
struct port *port_new_set(void);
void port_ref(struct port *p);
/** port_unref() - drop a reference; the last one closes every fd. */
void port_unref(struct port *p);

/*
 * A send resolves the fds it carries under the space lock and sends on
 * them after dropping it.  Another thread of the task may meanwhile drop
 * the rights (deallocate, dead name, destroy): as xnu's copy-in holds the
 * port for the send, the fds stay open until the message is sent, so that
 * the number is not reused by an unrelated open() and the message goes
 * where it was addressed.  A close waits for the sends pinned before it
 * only, so that sends that keep coming do not put it off for ever: each
 * close put off ends an epoch of pins.  Space lock held for all four.
 */
/**
 * port_pin() - a message will be sent on @p's fds: closes from now on wait
 * until port_unpin().  Return: the pin's epoch, for port_unpin().
 */
uint64_t port_pin(struct port *p);
/**
 * port_unpin() - the message pinned at @epoch was sent (or failed): the
 * closes put off for it, and for no send still out before them, happen.
 */
void port_unpin(struct port *p, uint64_t epoch);
/** port_pinned() - whether a message is being sent on @p's fds. */
bool port_pinned(const struct port *p);
/** port_close_fd() - close @p's *@fd (set to -1): now, or once no message is sent on it. */
void port_close_fd(struct port *p, int *fd);

/**
 * port_name() - give @p a name in the space (takes the caller's reference).
 * Space lock held.  Return: the name, or MACH_PORT_NULL (then the
 * reference stays the caller's).
 */
mach_port_name_t port_name(struct port *p);
/**
 * port_name_at() - give @p the caller's chosen @name (takes the caller's
 * reference on success).  Space lock held.  Return: space_add_name()'s code.
 */
kern_return_t port_name_at(struct port *p, mach_port_name_t name);
/** port_name_new() - port_name() taking the space lock; on failure drops @p. */
mach_port_name_t port_name_new(struct port *p);
/** port_name_send_fd() - name @fd as a new send right (takes @fd).  Return: the name, or MACH_PORT_NULL. */
mach_port_name_t port_name_send_fd(int fd);
/**
 * port_set_ino() - @p is the port whose S has inode @ino (0: none), filed
 * so in the space if named.  Space lock held if @p is named.  Every change
 * of p->ino goes through here.
 */
void port_set_ino(struct port *p, ino_t ino);
/** port_find_ino() - the send or receive entry for the port whose S has inode @ino.  Space lock held. */
struct port *port_find_ino(ino_t ino);
/** port_memory() - @p's memory entry, or NULL if it is none. */
const struct port_mem *port_memory(const struct port *p);
/** port_set_epfd() - @p's port set epoll (owned by @p), or -1. */
int port_set_epfd(const struct port *p);

/* A receive right's queues and epolls (port.c).  Space lock held. */

/**
 * port_add_queue() - make @fd one of @p's send-once queues (takes it);
 * @peer_ino: the inode of its send end, 0 if unknown.
 */
int port_add_queue(struct port *p, int fd, ino_t peer_ino);
/**
 * port_queue_peer() - whether the send end of inode @s_ino is a send-once
 * right to receive right @p: the send end of one of its active queues
 * (those made by this task; one that came with the right is not known).
 */
bool port_queue_peer(const struct port *p, ino_t s_ino);
/** port_queue_index() - the index of @fd among @p's send-once queues, or -1. */
ssize_t port_queue_index(const struct port *p, int fd);
/** port_remove_queue() - close send-once queue @i. */
void port_remove_queue(struct port *p, size_t i);
/** port_remove_queue_fd() - close the send-once queue on @fd, if @p has one. */
void port_remove_queue_fd(struct port *p, int fd);
/** port_watch_fd() - wait for @fd (R or a queue of @p) in @p's epoll and its set's. */
void port_watch_fd(struct port *p, int fd);
/** port_unwatch_fd() - stop waiting for @fd. */
void port_unwatch_fd(struct port *p, int fd);
/**
 * port_rcv_epoll() - @p's own epoll over R (unless at end of file) and its
 * send-once queues, made on first use so that a receiver also sees queues
 * added while it waits.  Return: the epoll fd (owned by @p), or a negative errno.
 */
int port_rcv_epoll(struct port *p);
/** port_recv_eof() - R of @p read end of file: stop waiting for it. */
void port_recv_eof(struct port *p, int fd);
/**
 * port_next_seqno() - the sequence number of a message just dequeued from
 * receive right @p (its trailer's msgh_seqno), counting it.  Space lock held.
 */
mach_port_seqno_t port_next_seqno(struct port *p);
/**
 * port_owns_queue() - whether @fd is still R or an active queue of @p.  A
 * parked pair's R is not: what woke the caller is a stray message, and the
 * pair is dropped.  *@is_queue: @fd is not R.
 */
bool port_owns_queue(struct port *p, int fd, bool *is_queue);
/**
 * port_close_receive() - close R, S (unless send rights remain) and every
 * send-once queue; a thread waiting to receive on @p wakes.
 */
void port_close_receive(struct port *p);
/**
 * port_receive_fds() - the fds a receive right carries when it moves: R,
 * then S if @p has it (*@has_s), then its port-destroyed request's
 * send-once end if it has one (*@has_pd: as in xnu, the request goes with
 * the port), then its active send-once queues, then, unless @reserved is
 * NULL, its channels (*@reserved: their count, as wire_desc.reserved
 * says it).
 * Return: how many (at most @room), -E2BIG, or -EINVAL if the right is
 * immovable (MPO_IMMOVABLE_RECEIVE).
 */
ssize_t port_receive_fds(const struct port *p, int *fds, size_t room, bool *has_s,
			 bool *has_pd, uint32_t *reserved);
/**
 * port_attach_receive() - give @p the receive right carried by @fds: R,
 * then S if @has_s, then a port-destroyed request if @has_pd, then
 * send-once queues, then the channels @reserved counts.  Takes the fds.
 * @inos: each fd's inode, as the caller's check found it, or NULL.
 */
void port_attach_receive(struct port *p, int *fds, const ino_t *inos, size_t nfds, bool has_s,
			 bool has_pd, uint32_t reserved);

/**
 * port_msgcount() - how many messages wait on receive right @p: each
 * send-once queue holds at most one, R is walked with peek offsets.  If a
 * receiver is reading at that moment, R counts as 1 when not empty.
 */
mach_port_msgcount_t port_msgcount(struct port *p);

/* Send-once pairs of a receive right (port.c; reuse decided in sopool.c). */

/* The socketpair behind one send-once right made by MAKE_SEND_ONCE. */
struct so_pair {
	int r, s;                   /* s: the caller's; r: already a queue of the port */
	ino_t s_ino, tag;
};

/**
 * port_pair_take() - a socketpair for a new send-once right to receive
 * right @p, for a message to the port @tag (0: none): an idle pair parked
 * in @p or pooled for @tag, else a new one, whose send end is known by its
 * inode (port_queue_peer()) only if @known.  Its R is one of @p's queues
 * from now on, so that handing the right on cannot fail afterwards.
 * Return: 0, -ENOMEM (no room for the queue: nothing taken), or the
 * socketpair's negative errno.
 */
int port_pair_take(struct port *p, ino_t tag, bool known, struct so_pair *pair);
/**
 * port_pair_given() - the right was handed on: @pair's R stays the
 * port's queue (or went with its receive right).
 */
void port_pair_given(struct so_pair *pair);
/** port_pair_not_given() - the send failed: take @pair's R out of @p's queues. */
void port_pair_not_given(struct port *p, struct so_pair *pair);
/**
 * port_recycle_queue() - the message on queue @fd of @p came with the
 * queue's own send end @s (taken): keep the pair for the next send-once
 * right to the same destination instead of closing it.  Space lock not held.
 */
void port_recycle_queue(struct port *p, int fd, int s);
/** port_flush_idle() - close every idle send-once pair, parked or pooled (leak checks count fds). */
void port_flush_idle(void);

/** port_fork_child() - in a forked child: close every right but the kept send right (task.c). */
void port_fork_child(void);

/* Changes of rights (port-rights.c).  Space lock held. */

/**
 * port_right_needed() - the right disposition @disp takes from the
 * sender's name, as XNU's ipc_right_copyin() wants it (RECEIVE for
 * MOVE_RECEIVE and the MAKE_ dispositions), or 0 if it is no disposition.
 */
mach_port_type_t port_right_needed(mach_msg_type_name_t disp);

/** port_add_urefs() - add @delta user references to @kind (SEND or DEAD_NAME). */
kern_return_t port_add_urefs(struct port *p, mach_port_type_t kind, mach_port_delta_t delta);
/** port_mod_urefs() - mach_port_mod_refs()/deallocate of SEND or DEAD_NAME references, pegged as xnu. */
kern_return_t port_mod_urefs(struct port *p, mach_port_type_t kind, mach_port_delta_t delta);
/**
 * port_guard() - guard receive right @p with @guard (xnu's
 * mach_port_guard_locked()); @immovable: the right can no longer move.
 */
kern_return_t port_guard(struct port *p, mach_port_context_t guard, bool strict, bool immovable);
/** port_unguard() - remove @p's guard if it is @guard. */
kern_return_t port_unguard(struct port *p, mach_port_context_t guard);
/** port_set_context() - @p's context, refused on a strictly guarded port. */
kern_return_t port_set_context(struct port *p, mach_port_context_t context);
/** port_set_seqno() - the sequence number of the next message dequeued from receive right @p. */
void port_set_seqno(struct port *p, mach_port_seqno_t seqno);
/** port_set_qlimit() - @p's queue limit (checked by the caller). */
void port_set_qlimit(struct port *p, mach_port_msgcount_t qlimit);
/** port_make_send() - MAKE_SEND: one more send right made by the receiver. */
kern_return_t port_make_send(struct port *p);
/** port_add_send_fd() - a received send right on @fd (taken) for @p's port. */
void port_add_send_fd(struct port *p, int fd);
/** port_drop_send() - one send right moved out with a message. */
void port_drop_send(struct port *p);
/** port_use_send_once() - the send-once right was used by a message. */
void port_use_send_once(struct port *p);
/**
 * port_send_once_in_flight() - whether @p's send-once right is in a
 * message being sent.  xnu's copy-in takes a right a send moves when the
 * send starts: from then on the name can give it to no one else, neither
 * another name nor a notification request.  A copy given here would
 * outlive the right: its pair goes back to its maker with the answer
 * (sopool.h), and the copy would reach whatever the pair serves next.
 */
bool port_send_once_in_flight(const struct port *p);
/**
 * port_take_send_once() - move the send-once right's fd out, to a holder
 * that may close it at once.  Return: the fd (the caller's), or -EINVAL
 * without the right or with it in flight (port_send_once_in_flight()).
 */
int port_take_send_once(struct port *p);
/**
 * port_send_once_fd() - a new send-once right to receive right @p: its
 * send end (the caller's), its pair's R one of @p's queues, the send end
 * known by its inode if @known (port_queue_peer()).  Return: the fd,
 * -EINVAL without the receive right, or port_pair_take()'s negative errno.
 */
int port_send_once_fd(struct port *p, bool known);
/**
 * port_make_send_once_at() - a new send-once right to receive right @p,
 * under the free @name.  Return: KERN_SUCCESS, or the failure, with no
 * right made.
 */
kern_return_t port_make_send_once_at(struct port *p, mach_port_name_t name);
/**
 * port_make_send_once_unused() - a new send-once right to receive right @p,
 * dropped unused at once: the receiver is told (MACH_NOTIFY_SEND_ONCE).
 */
kern_return_t port_make_send_once_unused(struct port *p);
/**
 * port_move_send_once_to() - @p's send-once right moves to the free @name.
 * Return: KERN_SUCCESS, or the failure, with the right still @p's.
 */
kern_return_t port_move_send_once_to(struct port *p, mach_port_name_t name);
/** port_drop_send_once() - drop the send-once right unused (the receiver is told). */
kern_return_t port_drop_send_once(struct port *p);
/** port_move_receive() - the receive right left with a message. */
void port_move_receive(struct port *p);
/**
 * port_request_destroyed() - a port-destroyed request on @p, sent through
 * send-once fd @fd (taken): destroying the receive right then sends it
 * there instead.  Return: KERN_SUCCESS, or KERN_FAILURE if one is already made.
 */
kern_return_t port_request_destroyed(struct port *p, int fd);
/**
 * port_destroy_receive() - destroy the receive right; send rights become
 * dead names; with a port-destroyed request, the right goes to its port.
 */
kern_return_t port_destroy_receive(struct port *p);
/** port_destroy_set() - destroy the port set; its members are in no set any more. */
kern_return_t port_destroy_set(struct port *p);
/** port_destruct() - mach_port_destruct(): drop -@srdelta send references and the guarded receive right. */
kern_return_t port_destruct(struct port *p, mach_port_delta_t srdelta, mach_port_context_t guard);
/** port_deallocate() - drop one user reference of the send right, send-once right or dead name, or destroy the port set. */
kern_return_t port_deallocate(struct port *p);
/**
 * port_destroy_taken() - destroy the right of disposition @disp that an
 * operation took from @p's name (a MAKE_ one: made from it), as xnu's
 * ipc_object_destroy(): a receive right is destroyed (its port-destroyed
 * request honoured), a send-once right tells its port
 * (MACH_NOTIFY_SEND_ONCE), a send right or dead name loses one user
 * reference, and MAKE_SEND and COPY_SEND took nothing.
 */
kern_return_t port_destroy_taken(struct port *p, mach_msg_type_name_t disp);
/** port_destroy() - drop every right the name holds.  Return: KERN_SUCCESS, or KERN_INVALID_RIGHT for a guarded receive right. */
kern_return_t port_destroy(struct port *p);
/**
 * port_make_send_fd() - the receiver's S for MAKE_SEND, recreating the
 * port if it had reached no-senders.  Return: the fd (still @p's) or a negative errno.
 */
int port_make_send_fd(struct port *p);
/**
 * port_note_request() - a notification request @id now names @p (a
 * no-senders request also drops our own S when unused).
 */
void port_note_request(struct port *p, mach_msg_id_t id);
/**
 * port_make_dead_name() - the port died: send (send-once) rights become a
 * dead name, with one more user reference for each dead-name (or
 * send-possible) request on the name, whose notification it is sent with.
 */
void port_make_dead_name(struct port *p);
/** port_check_dead() - port_make_dead_name() if @p's port has died. */
void port_check_dead(struct port *p);
/**
 * port_type() - what mach_port_type() says of @p: its rights, and for a
 * send or send-once right the requests made on its name
 * (MACH_PORT_TYPE_DNREQUEST, MACH_PORT_TYPE_SPREQUEST), as xnu's
 * ipc_right_info().  Space lock held; call port_check_dead() first.
 */
mach_port_type_t port_type(const struct port *p);
/**
 * port_release_if_empty() - remove the entry from the table once it holds
 * no right, and cancel notification requests for rights it no longer holds.
 */
void port_release_if_empty(struct port *p);

/* Receivers asleep in recvmsg(R) itself (port-direct.c).  Space lock held. */

/**
 * port_direct_enter() - R, if a receiver of @p may sleep in recvmsg(R)
 * itself (R is its only queue, it is in no set, and it has S to be woken
 * through); it is then counted asleep until port_direct_leave().  Else -1.
 */
int port_direct_enter(struct port *p);
/** port_direct_leave() - a receiver of @p is out of recvmsg(R). */
void port_direct_leave(struct port *p);
/** port_direct_woken() - a WAKE was read from @p's R. */
void port_direct_woken(struct port *p);
/**
 * port_direct_kick() - wake @p's receivers asleep in recvmsg(R), and if
 * @wait, wait until they are out (before R or S goes).
 */
void port_direct_kick(struct port *p, bool wait);
/** port_direct_fork_child() - in a forked child: nobody sleeps any more. */
void port_direct_fork_child(void);
/** port_direct_forget() - in a forked child: @p's sleepers were the parent's threads. */
void port_direct_forget(struct port *p);

/* Channels (port-channels.c).  Space lock held. */

/**
 * port_add_channel() - make B @fd (taken) one of receive right @p's
 * channels: the one of B's owner, in place of any it had; channels whose
 * client is gone are closed on the way.  An fd for a B @p has already is
 * closed.  @ino: B's inode if the caller has it, else 0.
 * Return: 0, or -ENOMEM (@fd closed).
 */
int port_add_channel(struct port *p, int fd, ino_t ino);
/** port_channel_of() - @p's channel for the calls of process @pid, or NULL. */
struct port_chan *port_channel_of(struct port *p, pid_t pid);
/** port_close_channels() - close every channel of @p (its receive right goes). */
void port_close_channels(struct port *p);
/** port_chan_close() - send right @p's channel goes: A closed (once no send uses it). */
void port_chan_close(struct port *p);
/**
 * port_chan_copy() - a copy of channel @c's B for a channel call's reply
 * right: the one @c kept from an earlier reply, else a new one.
 * Return: the fd, or a negative errno.
 */
int port_chan_copy(struct port_chan *c);
/**
 * port_so_chan_spent() - channel reply right @p is spent (answered,
 * dropped or detached): its copy of B is kept for the next call on that
 * channel while the channel is there, else closed with the entry.
 */
void port_so_chan_spent(struct port *p);
/** port_chan_call_died() - channel call @seq, answered up B @b, is destroyed unanswered: SO_DIED up B. */
void port_chan_call_died(int b, uint16_t seq);
/**
 * port_so_chan_died() - channel reply right @p is dropped unused: SO_DIED
 * goes up B.  Its fd is closed with the entry as any.
 */
void port_so_chan_died(struct port *p);
/**
 * port_so_chan_detach() - channel reply right @p goes elsewhere than up B
 * (a message, another holder): it becomes a send-once right of its own,
 * the pair's R sent up B (SO_MOVED).  Return: 0, or a negative errno
 * (the right is as it was).
 */
int port_so_chan_detach(struct port *p);

/* Port sets (port-set.c).  Space lock held. */

/** port_set_add_member() - put receive right @p in port set @set. */
int port_set_add_member(struct port *set, struct port *p);
/** port_set_remove_member() - take @p out of its set, if any. */
void port_set_remove_member(struct port *p);
/** port_set_forget() - port set @set is going: its members are in no set any more. */
void port_set_forget(mach_port_name_t set);
/** port_set_move() - move receive right @member into set @after, or out of its set if MACH_PORT_NULL. */
kern_return_t port_set_move(mach_port_name_t member, mach_port_name_t after);
/** port_set_insert() - mach_port_insert_member()'s checks, then port_set_move(). */
kern_return_t port_set_insert(mach_port_name_t name, mach_port_name_t pset);
/** port_set_extract() - mach_port_extract_member()'s checks, then port_set_move(). */
kern_return_t port_set_extract(mach_port_name_t name, mach_port_name_t pset);

#endif
