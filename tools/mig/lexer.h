/* SPDX-License-Identifier: MIT */
/* lexer.h - tokens of preprocessed .defs text, with file:line. */
#ifndef BSMIG_LEXER_H
#define BSMIG_LEXER_H

#include <stdbool.h>

#include "diag.h"

enum tok_kind {
	TOK_EOF,
	TOK_IDENT,
	TOK_NUMBER,
	TOK_STRING,     /* "..." ; text holds it with the quotes */
	TOK_PUNCT,      /* one character: ; : , ( ) [ ] = ^ * + - / < > | */
};

struct token {
	enum tok_kind kind;
	char *text;             /* identifier, number or string spelling */
	long value;             /* TOK_NUMBER */
	char punct;             /* TOK_PUNCT */
	struct srcpos pos;
};

struct lexer {
	const char *src;
	const char *p;
	const char *file;       /* interned by the lexer, lives as long as the program */
	int line;
	bool bol;               /* at the beginning of a line: '#' starts a line marker */
	struct token tok;       /* the current token */
};

/** lexer_init() - start on @src (NUL-terminated), named @file until a marker says otherwise. */
void lexer_init(struct lexer *lx, const char *src, const char *file);

/** lexer_next() - advance to the next token; errors are reported and skipped. */
void lexer_next(struct lexer *lx);

/**
 * lexer_angle() - the current token is '<': read the raw text up to '>'
 * (an #include-style file name) and advance past it.  Return: "<...>" or NULL.
 */
char *lexer_angle(struct lexer *lx);

/** lexer_is_kw() - the current token is identifier @kw (keywords ignore case). */
bool lexer_is_kw(const struct lexer *lx, const char *kw);

/** lexer_is_punct() - the current token is punctuation @c. */
bool lexer_is_punct(const struct lexer *lx, char c);

#endif
