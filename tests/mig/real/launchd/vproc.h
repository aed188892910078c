/* vproc.h - stand-in for launchd's header, with only what the .defs here need. */
#ifndef TEST_VPROC_H
#define TEST_VPROC_H
#include <mach/mach.h>
#endif
