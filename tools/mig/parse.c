/* SPDX-License-Identifier: MIT */
/*
 * parse.c - statements of a .defs file: subsystem, routine,
 * simpleroutine, skip, type, import / uimport / simport, userprefix,
 * serverprefix, serverdemux, rcsid, WaitTime, MsgOption; and routine
 * argument lists.  Anything else is an error naming file and line.
 */
#include "parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool parse_expect(struct lexer *lx, char c)
{
	if (lexer_is_punct(lx, c)) {
		lexer_next(lx);
		return true;
	}
	diag_error(lx->tok.pos, "expected '%c'%s%s", c,
		   lx->tok.text ? " before " : "", lx->tok.text ? lx->tok.text : "");
	return false;
}

char *parse_ident(struct lexer *lx, const char *what)
{
	char *s;

	if (lx->tok.kind != TOK_IDENT) {
		diag_error(lx->tok.pos, "expected %s", what);
		return NULL;
	}
	s = lx->tok.text;
	lexer_next(lx);
	return s;
}

static long int_term(struct lexer *lx)
{
	long v;

	if (lexer_is_punct(lx, '(')) {
		lexer_next(lx);
		v = parse_int_expr(lx);
		parse_expect(lx, ')');
		return v;
	}
	if (lexer_is_punct(lx, '-')) {
		lexer_next(lx);
		return -int_term(lx);
	}
	if (lx->tok.kind != TOK_NUMBER) {
		diag_error(lx->tok.pos, "expected a number%s%s", lx->tok.text ? ", not " : "",
			   lx->tok.text ? lx->tok.text : "");
		return 0;
	}
	v = lx->tok.value;
	lexer_next(lx);
	return v;
}

static long int_product(struct lexer *lx)
{
	long v = int_term(lx);

	while (lexer_is_punct(lx, '*') || lexer_is_punct(lx, '/')) {
		bool mul = lexer_is_punct(lx, '*');
		long r;

		lexer_next(lx);
		r = int_term(lx);
		if (!mul && r == 0) {
			diag_error(lx->tok.pos, "division by zero");
			return 0;
		}
		v = mul ? v * r : v / r;
	}
	return v;
}

long parse_int_expr(struct lexer *lx)
{
	long v = int_product(lx);

	while (lexer_is_punct(lx, '+') || lexer_is_punct(lx, '-')) {
		bool add = lexer_is_punct(lx, '+');

		lexer_next(lx);
		v = add ? v + int_product(lx) : v - int_product(lx);
	}
	return v;
}

void parse_skip_statement(struct lexer *lx)
{
	while (lx->tok.kind != TOK_EOF && !lexer_is_punct(lx, ';'))
		lexer_next(lx);
	if (lexer_is_punct(lx, ';'))
		lexer_next(lx);
}

static void subsystem_stmt(struct lexer *lx, struct mig_subsystem *sub)
{
	struct srcpos pos = lx->tok.pos;

	lexer_next(lx);
	if (sub->name)
		diag_error(pos, "a second subsystem statement");
	for (;;) {
		if (lexer_is_kw(lx, "KernelUser"))
			sub->kernel_user = true;
		else if (lexer_is_kw(lx, "KernelServer"))
			sub->kernel_server = true;
		else
			break;
		lexer_next(lx);
	}
	sub->name = parse_ident(lx, "a subsystem name");
	sub->pos = pos;
	sub->base = (int)parse_int_expr(lx);
}

static void import_stmt(struct lexer *lx, struct mig_subsystem *sub, enum import_kind kind)
{
	char *file = NULL;

	lexer_next(lx);
	if (lx->tok.kind == TOK_STRING) {
		file = lx->tok.text;
		lexer_next(lx);
	} else if (lexer_is_punct(lx, '<')) {
		file = lexer_angle(lx);
	} else {
		diag_error(lx->tok.pos, "expected \"file\" or <file> after import");
	}
	if (!file)
		return;
	sub->imports = realloc(sub->imports, (sub->nimports + 1) * sizeof(*sub->imports));
	if (!sub->imports)
		diag_fatal("out of memory");
	sub->imports[sub->nimports++] = (struct mig_import){ kind, file };
}

/* userprefix NAME;  serverprefix NAME;  serverdemux NAME;  WaitTime NAME;  MsgOption NAME */
static void name_stmt(struct lexer *lx, char **slot)
{
	lexer_next(lx);
	*slot = parse_ident(lx, "a name");
}

static void rcsid_stmt(struct lexer *lx, struct mig_subsystem *sub)
{
	lexer_next(lx);
	if (lx->tok.kind != TOK_STRING) {
		diag_error(lx->tok.pos, "expected a string after rcsid");
		return;
	}
	sub->rcsid = lx->tok.text;
	lexer_next(lx);
}

static void add_routine(struct mig_subsystem *sub, struct mig_routine *rt)
{
	sub->routines = realloc(sub->routines, (sub->nroutines + 1) * sizeof(*sub->routines));
	if (!sub->routines)
		diag_fatal("out of memory");
	if (rt)
		rt->number = (int)sub->nroutines;
	sub->routines[sub->nroutines++] = rt;
}

static const char *const unsupported[] = {
	"iimport", "dimport", "msgseqno", "UseSpecialReplyPort", "ConsumeOnSendError",
	"UserTypeLimit", "OnStackLimit", "RCSId2",
};

static bool statement(struct lexer *lx, struct mig_subsystem *sub)
{
	if (lexer_is_kw(lx, "subsystem"))
		subsystem_stmt(lx, sub);
	else if (lexer_is_kw(lx, "routine") || lexer_is_kw(lx, "simpleroutine"))
		add_routine(sub, parse_routine(lx, lexer_is_kw(lx, "simpleroutine")));
	else if (lexer_is_kw(lx, "skip")) {
		lexer_next(lx);
		add_routine(sub, NULL);
	} else if (lexer_is_kw(lx, "type")) {
		lexer_next(lx);
		parse_type_decl(lx);
	} else if (lexer_is_kw(lx, "import"))
		import_stmt(lx, sub, IMPORT_BOTH);
	else if (lexer_is_kw(lx, "uimport"))
		import_stmt(lx, sub, IMPORT_USER);
	else if (lexer_is_kw(lx, "simport"))
		import_stmt(lx, sub, IMPORT_SERVER);
	else if (lexer_is_kw(lx, "userprefix"))
		name_stmt(lx, &sub->user_prefix);
	else if (lexer_is_kw(lx, "serverprefix"))
		name_stmt(lx, &sub->server_prefix);
	else if (lexer_is_kw(lx, "serverdemux"))
		name_stmt(lx, &sub->server_demux);
	else if (lexer_is_kw(lx, "waittime"))
		name_stmt(lx, &sub->waittime);
	else if (lexer_is_kw(lx, "nowaittime")) {
		lexer_next(lx);
		sub->waittime = NULL;
	} else if (lexer_is_kw(lx, "msgoption"))
		name_stmt(lx, &sub->msgoption);
	else if (lexer_is_kw(lx, "rcsid"))
		rcsid_stmt(lx, sub);
	else
		return false;
	return true;
}

static void unknown_statement(struct lexer *lx)
{
	char punct[2] = { lx->tok.punct, '\0' };

	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (lexer_is_kw(lx, unsupported[i])) {
			diag_error(lx->tok.pos, "'%s' is not supported by bsmig", lx->tok.text);
			return;
		}
	if (lx->tok.kind == TOK_EOF)
		diag_error(lx->tok.pos, "syntax error: unexpected end of file");
	else
		diag_error(lx->tok.pos, "syntax error: unexpected '%s'",
			   lx->tok.kind == TOK_PUNCT ? punct : lx->tok.text);
}

int parse_defs(const char *text, const char *file, struct mig_subsystem *sub)
{
	struct lexer lx;

	memset(sub, 0, sizeof(*sub));
	lexer_init(&lx, text, file);
	while (lx.tok.kind != TOK_EOF) {
		int before = diag_errors();

		if (lexer_is_punct(&lx, ';')) {
			lexer_next(&lx);
			continue;
		}
		if (!statement(&lx, sub)) {
			unknown_statement(&lx);
			parse_skip_statement(&lx);
			continue;
		}
		if (diag_errors() != before || !lexer_is_punct(&lx, ';')) {
			if (diag_errors() == before)
				parse_expect(&lx, ';');
			parse_skip_statement(&lx);
		} else {
			lexer_next(&lx);
		}
	}
	if (!sub->name && diag_errors() == 0)
		diag_error((struct srcpos){ file, 1 }, "no subsystem statement");
	return diag_errors() ? -1 : 0;
}
