/* SPDX-License-Identifier: MIT */
/*
 * fdpass.h - one datagram with SCM_RIGHTS and SCM_CREDENTIALS, both ways.
 *
 * The only place that touches cmsg buffers.  Receiving is strict: every
 * cmsg is walked, every fd that arrived is either handed to the caller or
 * closed, and a truncated datagram or control buffer is an error after
 * everything that arrived has been closed.
 */
#ifndef BOOTSTRAP_FDPASS_H
#define BOOTSTRAP_FDPASS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Linux's SCM_MAX_FD is 253; stay well below it. */
#define FDPASS_MAX_FDS 64

/* The sender's identity as the kernel reported it. */
struct fdpass_creds {
	bool valid;
	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool present;   /* a credentials cmsg came (even one without a pid): not end of file */
};

/**
 * fdpass_send() - send one datagram carrying @nfds descriptors.
 * @fds: borrowed: the caller keeps (and later closes) its copies.
 * @flags: extra send(2) flags, e.g. MSG_DONTWAIT; MSG_NOSIGNAL is implied.
 * Return: 0, or a negative errno (-EPIPE: no receiver left; -EAGAIN).
 */
int fdpass_send(int sock, const struct iovec *iov, int iovcnt,
		const int *fds, size_t nfds, int flags);

/**
 * fdpass_recv() - receive one datagram.
 * @fds: out: up to FDPASS_MAX_FDS received descriptors, owned by the
 *       caller on success (all O_CLOEXEC).
 * @nfds: out: how many.
 * @creds: out, may be NULL: the sender's kernel credentials.
 * @flags: extra recvmsg(2) flags, e.g. MSG_DONTWAIT.
 * Return: the datagram's length (0 is end of file, no sender left, unless
 * an empty datagram came: then @creds->present is set, on a socket with
 * SO_PASSCRED),
 * or a negative errno: -EMSGSIZE when the datagram was longer than @len,
 * -EPROTO when descriptors were cut off or a cmsg was malformed; in both
 * cases every received fd has already been closed.
 */
ssize_t fdpass_recv(int sock, void *buf, size_t len, int *fds, size_t *nfds,
		    struct fdpass_creds *creds, int flags);

/**
 * fdpass_peek() - look at the next datagram without dequeuing it or
 * receiving its descriptors; never blocks.
 * @buf: out, may be NULL: its first @len bytes.
 * The socket must have SO_PASSCRED set: every datagram then carries
 * credentials, which is how an empty datagram differs from end of file.
 * Return: the datagram's full length (0 for an empty one), -ENODATA at end
 * of file (nothing queued and no sender left), or a negative errno
 * (-EAGAIN: nothing queued).
 */
ssize_t fdpass_peek(int sock, void *buf, size_t len);

/**
 * fdpass_discard() - dequeue the next datagram of @sock and destroy it:
 * its fds are closed (the rights it carried die), its bytes dropped; never
 * blocks.  Return: as fdpass_recv() (-EMSGSIZE for any datagram longer
 * than a few bytes); 0 with @creds->present clear is end of file.
 */
ssize_t fdpass_discard(int sock, struct fdpass_creds *creds);

/**
 * fdpass_drain() - fdpass_discard() until nothing is queued, end of file,
 * an error that will not pass, or @max datagrams (a sender refilling the
 * queue cannot hold the caller).  @sock must have SO_PASSCRED set, so that
 * an empty datagram is not taken for end of file.  Return: how many.
 */
unsigned int fdpass_drain(int sock, unsigned int max);

/** fdpass_close_all() - close @n fds, preserving errno. */
void fdpass_close_all(const int *fds, size_t n);

/** fdpass_peer_gone() - whether send error @err (negative) says the other end is gone. */
static inline bool fdpass_peer_gone(int err)
{
	return err == -EPIPE || err == -ECONNREFUSED || err == -ENOTCONN || err == -ECONNRESET;
}

#endif
