/* SPDX-License-Identifier: MIT */
/*
 * endpoint.h - the sockets behind rights (internal): making a port's
 * socketpair, a socket's identity, whether its other end is gone.
 */
#ifndef BOOTSTRAP_ENDPOINT_H
#define BOOTSTRAP_ENDPOINT_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * endpoint_socketpair() - a fresh port: *r (receive end, SO_PASSCRED set so
 * that every message carries its sender's credentials) and *s.
 * Return: 0 or a negative errno.
 */
int endpoint_socketpair(int *r, int *s);

/** endpoint_inode() - inode of an fd (a port's identity is the inode of its S), or 0. */
ino_t endpoint_inode(int fd);

/** endpoint_hung_up() - whether a send end's receiver has gone. */
bool endpoint_hung_up(int fd);

/** endpoint_queued_bytes() - bytes waiting on receive end @fd (FIONREAD), 0 on error. */
int endpoint_queued_bytes(int fd);

/**
 * endpoint_count_datagrams() - how many datagrams wait on receive end @fd,
 * consuming none.  It moves the socket's peek offset and resets it: only
 * while no other thread reads @fd.
 */
unsigned int endpoint_count_datagrams(int fd);

/** endpoint_close() - close *@fd if open, keep errno, set it to -1. */
void endpoint_close(int *fd);

#endif
