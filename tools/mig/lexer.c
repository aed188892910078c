/* SPDX-License-Identifier: MIT */
/*
 * lexer.c - turns the preprocessor's output into tokens.  Positions come
 * from its line markers ("# 12 \"foo.defs\"" and "#line 12 \"foo.defs\""),
 * so every message points into the file the user wrote.
 */
#include "lexer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* File names from line markers; they are referenced by every token. */
static char **names;
static size_t n_names;

static const char *intern(const char *s, size_t len)
{
	for (size_t i = 0; i < n_names; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return names[i];
	names = realloc(names, (n_names + 1) * sizeof(*names));
	if (!names)
		diag_fatal("out of memory");
	names[n_names] = xcalloc(1, len + 1);
	memcpy(names[n_names], s, len);
	return names[n_names++];
}

void lexer_init(struct lexer *lx, const char *src, const char *file)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->p = src;
	lx->file = intern(file, strlen(file));
	lx->line = 1;
	lx->bol = true;
	lexer_next(lx);
}

static struct srcpos here(const struct lexer *lx)
{
	return (struct srcpos){ lx->file, lx->line };
}

/* A line starting with '#': a line marker sets the position; others are ignored. */
static void directive(struct lexer *lx)
{
	const char *p = lx->p + 1;
	char *end;
	long line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "line", 4) == 0 && !isalnum((unsigned char)p[4]))
		p += 4;
	while (*p == ' ' || *p == '\t')
		p++;
	line = strtol(p, &end, 10);
	if (end != p) {
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');

			if (q)
				lx->file = intern(p + 1, (size_t)(q - p - 1));
		}
		lx->line = (int)line - 1; /* the newline ending the marker counts */
	}
	while (*lx->p && *lx->p != '\n')
		lx->p++;
}

/* Skip blanks, newlines, comments and directives. */
static void skip_space(struct lexer *lx)
{
	for (;;) {
		char c = *lx->p;

		if (c == '\n') {
			lx->line++;
			lx->bol = true;
			lx->p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->p++;
		} else if (c == '#' && lx->bol) {
			directive(lx);
		} else if (c == '/' && lx->p[1] == '/') {
			while (*lx->p && *lx->p != '\n')
				lx->p++;
		} else if (c == '/' && lx->p[1] == '*') {
			lx->p += 2;
			while (*lx->p && !(lx->p[0] == '*' && lx->p[1] == '/')) {
				if (*lx->p == '\n')
					lx->line++;
				lx->p++;
			}
			if (*lx->p)
				lx->p += 2;
		} else {
			return;
		}
	}
}

static char *take(const char *s, size_t len)
{
	char *t = xcalloc(1, len + 1);

	memcpy(t, s, len);
	return t;
}

static void lex_number(struct lexer *lx)
{
	const char *start = lx->p;
	char *end;

	lx->tok.kind = TOK_NUMBER;
	lx->tok.value = strtol(start, &end, 0);
	while (isalnum((unsigned char)*end))
		end++; /* swallow suffixes such as U or L */
	lx->p = end;
	lx->tok.text = take(start, (size_t)(end - start));
}

static void lex_string(struct lexer *lx)
{
	const char *start = lx->p++;

	while (*lx->p && *lx->p != '"' && *lx->p != '\n') {
		if (*lx->p == '\\' && lx->p[1])
			lx->p++;
		lx->p++;
	}
	if (*lx->p != '"') {
		diag_error(lx->tok.pos, "unterminated string");
	} else {
		lx->p++;
	}
	lx->tok.kind = TOK_STRING;
	lx->tok.text = take(start, (size_t)(lx->p - start));
}

void lexer_next(struct lexer *lx)
{
	char c;

	for (;;) {
		skip_space(lx);
		lx->bol = false;
		memset(&lx->tok, 0, sizeof(lx->tok));
		lx->tok.pos = here(lx);
		c = *lx->p;
		if (c == '\0') {
			lx->tok.kind = TOK_EOF;
			return;
		}
		if (isalpha((unsigned char)c) || c == '_') {
			const char *start = lx->p;

			while (isalnum((unsigned char)*lx->p) || *lx->p == '_')
				lx->p++;
			lx->tok.kind = TOK_IDENT;
			lx->tok.text = take(start, (size_t)(lx->p - start));
			return;
		}
		if (isdigit((unsigned char)c)) {
			lex_number(lx);
			return;
		}
		if (c == '"') {
			lex_string(lx);
			return;
		}
		if (strchr(";:,()[]=^*+-/<>|", c)) {
			lx->p++;
			lx->tok.kind = TOK_PUNCT;
			lx->tok.punct = c;
			return;
		}
		diag_error(lx->tok.pos, "unexpected character '%c'", c);
		lx->p++;
	}
}

char *lexer_angle(struct lexer *lx)
{
	const char *start = lx->p;
	char *s;

	while (*lx->p && *lx->p != '>' && *lx->p != '\n')
		lx->p++;
	if (*lx->p != '>') {
		diag_error(lx->tok.pos, "unterminated <file name>");
		lexer_next(lx);
		return NULL;
	}
	s = xasprintf("<%.*s>", (int)(lx->p - start), start);
	lx->p++;
	lexer_next(lx);
	return s;
}

bool lexer_is_kw(const struct lexer *lx, const char *kw)
{
	return lx->tok.kind == TOK_IDENT && strcasecmp(lx->tok.text, kw) == 0;
}

bool lexer_is_punct(const struct lexer *lx, char c)
{
	return lx->tok.kind == TOK_PUNCT && lx->tok.punct == c;
}
