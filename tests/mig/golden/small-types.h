/* small-types.h - C types of small.defs. */
typedef char name_t[32];
typedef int *vals_t;
