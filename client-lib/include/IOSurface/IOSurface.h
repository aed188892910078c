/* SPDX-License-Identifier: MIT */
/* <IOSurface/IOSurface.h> - the IOSurface C API.  See IOSurface(3). */
#ifndef _IOSURFACE_H
#define _IOSURFACE_H 1

#include <mach/mach.h>

#include <IOSurface/IOSurfaceTypes.h>
#include <IOSurface/IOSurfaceRef.h>

#endif
