/* everything-types.h - C types of everything.defs, for both sides. */
#ifndef EVERYTHING_TYPES_H
#define EVERYTHING_TYPES_H

#include <stdint.h>
#include <mach/mach_types.h>

typedef int16_t s16_t;
typedef int64_t i64_t;
typedef char name_t[64];
typedef char *vname_t;
typedef int *ints_t;
typedef char *chars_t;
typedef int fixed4_t[4];
typedef struct { int a, b; } pair_t;
typedef int *words_ptr_t;
typedef uint8_t *bytes_ptr_t;
typedef struct { uint64_t a, b, c; } triple_t;
typedef triple_t *triple_ptr_t;
typedef mach_port_t local_once_t;
typedef mach_port_t *send_list_t;
typedef mach_port_t recv_pair_t[2];
typedef mach_port_t made_pair_t[2];
typedef int *masks_t;
typedef s16_t *flavors_t;
typedef mach_port_t *port8_t;
typedef mach_port_t send_pair_t[2];
typedef mach_port_t *poly_list_t;
typedef mach_port_t *send_ool_t;
typedef mach_port_t *three_ports_t;

#endif
