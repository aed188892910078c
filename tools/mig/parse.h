/* SPDX-License-Identifier: MIT */
/* parse.h - recursive-descent parser of preprocessed .defs text. */
#ifndef BSMIG_PARSE_H
#define BSMIG_PARSE_H

#include "lexer.h"
#include "model.h"

/**
 * parse_defs() - parse @text (preprocessor output, first named @file)
 * into @sub.  Errors are reported with file:line.  Return: 0, or -1 if
 * any error was reported.
 */
int parse_defs(const char *text, const char *file, struct mig_subsystem *sub);

/* Shared by the statement and type parsers. */
bool parse_expect(struct lexer *lx, char c);
char *parse_ident(struct lexer *lx, const char *what);
long parse_int_expr(struct lexer *lx);
void parse_skip_statement(struct lexer *lx);

/** parse_routine() - after "routine"/"simpleroutine": NAME(args) (the ';' is left). */
struct mig_routine *parse_routine(struct lexer *lx, bool simple);

/** parse_type_spec() - a type expression; NULL after reporting an error. */
struct mig_type *parse_type_spec(struct lexer *lx);

/** parse_named_type() - NAME = spec [decorations], not declared; NULL after an error. */
struct mig_type *parse_named_type(struct lexer *lx);

/** parse_type_decl() - after "type": NAME = spec [decorations] (the ';' is left). */
void parse_type_decl(struct lexer *lx);

#endif
