/* SPDX-License-Identifier: MIT */
/*
 * <bootstrap.h> - the name macOS also installs the bootstrap API under
 * (liblaunch's header); the same declarations as <servers/bootstrap.h>.
 */
#include <servers/bootstrap.h>
