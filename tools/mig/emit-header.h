/* SPDX-License-Identifier: MIT */
/* emit-header.h - the four headers bsmig writes: -header, -sheader, -iheader, -dheader. */
#ifndef BSMIG_EMIT_HEADER_H
#define BSMIG_EMIT_HEADER_H

#include "emit.h"

void emit_user_header(FILE *f, const struct gen *g);
void emit_server_header(FILE *f, const struct gen *g);
void emit_internal_header(FILE *f, const struct gen *g);
void emit_defines_header(FILE *f, const struct gen *g);

#endif
