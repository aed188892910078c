/* SPDX-License-Identifier: MIT */
/*
 * surface-peer.h - the commands of surface-peer, the other process of the
 * IOSurface tests.  It speaks helpers/peer.h's protocol (peer_start() with
 * $PORT_PEER pointing at it); every command is answered.
 */
#ifndef BOOTSTRAPD_TEST_SURFACE_PEER_H
#define BOOTSTRAPD_TEST_SURFACE_PEER_H

enum surface_peer_cmd {
	SP_LOOKUP_PORT = 2000,  /* desc: surface port; keep the surface. arg[0] = 1 if found;
				   ids = SP_DESC_* fields */
	SP_LOOKUP_ID,           /* arg[0] = ID, arg[1] = uid to become first (0: stay);
				   arg[0] = 1 if found, arg[1] = 0 if the uid change worked,
				   arg[2] = errno of opening /proc/PPID/fd/arg[2]... see ids[0] */
	SP_PEEK,                /* ids[0] = word at byte arg[0] */
	SP_POKE,                /* word at byte arg[0] = arg[1] (not for read-only surfaces) */
	SP_LOCKED_WRITE,        /* Lock(arg[0]); unless read-only write arg[1] at 0; Unlock(arg[0]);
				   ids[0] = lock result, ids[1] = unlock result, ids[2] = seed */
	SP_SEED,                /* ids[0] = IOSurfaceGetSeed */
	SP_USE,                 /* arg[0]: 1 increment, 2 decrement, 0 nothing; ids[0] = IsInUse */
	SP_GET_VALUE,           /* ids[0] = found, ids[1] = the number value of key "count" */
	SP_SET_VALUE,           /* set key "peer" to the number arg[0] */
	SP_TRY_WRITE,           /* read-only surface: ids[0] = bits of the ways of writing that
				   worked: 1 mprotect, 2 mmap of its fd, 4 pwrite to it, 8 the
				   same through an O_RDWR reopen, 16 /proc/self/mem */
	SP_RELEASE,             /* CFRelease the surface; ids[0] = surface memfds in /proc/self/fd,
				   ids[1] = their mappings in /proc/self/maps */
};

/* SP_LOOKUP_PORT's reply ids. */
enum {
	SP_DESC_WIDTH, SP_DESC_HEIGHT, SP_DESC_BPR, SP_DESC_BPE, SP_DESC_EW, SP_DESC_EH,
	SP_DESC_FORMAT, SP_DESC_ALLOC, SP_DESC_PLANES, SP_DESC_ID, SP_DESC_READ_ONLY,
	SP_DESC_P1_WIDTH, SP_DESC_P1_BPR, SP_DESC_P1_OFFSET, SP_DESC_VALUE
};

#endif
