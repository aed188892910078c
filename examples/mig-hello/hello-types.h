/* SPDX-License-Identifier: MIT */
/* hello-types.h - the C types hello.defs names. */
#ifndef MIG_HELLO_TYPES_H
#define MIG_HELLO_TYPES_H

typedef char *hello_text_t;

#define MIG_HELLO_SERVICE "com.example.mig-hello"

#endif
