/* SPDX-License-Identifier: MIT */
/*
 * port-inodes.h - the ports this daemon made, found by S's inode (the
 * identity a send right carries: service.send_ino).  A request naming a
 * port by a send right it holds (the channel routine) finds its service
 * at once, not by a walk of every name: with 100,000 names, a caller
 * asking again and again for ports that are none of them would otherwise
 * cost the daemon a walk each time.  service.c files and forgets them.
 */
#ifndef BOOTSTRAPD_PORT_INODES_H
#define BOOTSTRAPD_PORT_INODES_H

#include <stdint.h>

struct service;

/** port_inodes_add() - file @s under @ino (nonzero).  Return: 0 or -ENOMEM. */
int port_inodes_add(uint32_t ino, struct service *s);

/** port_inodes_remove() - forget @ino if it is @s's. */
void port_inodes_remove(uint32_t ino, const struct service *s);

/** port_inodes_find() - the service whose port has S's inode @ino, or NULL. */
struct service *port_inodes_find(uint32_t ino);

#endif
