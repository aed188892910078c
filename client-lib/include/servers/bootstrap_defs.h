/* SPDX-License-Identifier: MIT */
/*
 * <servers/bootstrap_defs.h> - the old name of the bootstrap types and
 * BOOTSTRAP_* codes; macOS ships it as a link to <servers/bootstrap.h>.
 */
#include <servers/bootstrap.h>
