/* SPDX-License-Identifier: MIT */
/*
 * mig.h - the library's side of the MIG runtime (mig.c).
 */
#ifndef BOOTSTRAP_MIG_RUNTIME_H
#define BOOTSTRAP_MIG_RUNTIME_H

/**
 * mig_fork_child() - forget the calling thread's reply port in a forked
 * child, whose name space is new (task.c, through bootstrap_fork_child()).
 */
void mig_fork_child(void);

#endif
