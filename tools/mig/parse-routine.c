/* SPDX-License-Identifier: MIT */
/*
 * parse-routine.c - routine and simpleroutine declarations: the argument
 * list with its kinds (in, out, inout, requestport, replyport,
 * sreplyport, ureplyport, WaitTime, MsgOption, ServerAuditToken,
 * ServerSecToken) and flags (dealloc, notdealloc, servercopy,
 * physicalcopy, const, CountInOut, RetCode, SameCount).
 */
#include "parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *kw;
	enum arg_kind kind;
} kinds[] = {
	{ "in", ARG_IN }, { "out", ARG_OUT }, { "inout", ARG_INOUT },
	{ "requestport", ARG_REQUESTPORT }, { "replyport", ARG_REPLYPORT },
	{ "sreplyport", ARG_SREPLYPORT }, { "ureplyport", ARG_UREPLYPORT },
	{ "waittime", ARG_WAITTIME }, { "msgoption", ARG_MSGOPTION },
	{ "serveraudittoken", ARG_AUDIT }, { "serversectoken", ARG_SECTOKEN },
	{ "msgseqno", ARG_SEQNO },
	{ "useraudittoken", ARG_USER_AUDIT }, { "usersectoken", ARG_USER_SECTOKEN },
};

static const char *const unsupported_kinds[] = {
	"servercontexttoken", "serverimpl", "userimpl", "serverimpltoken",
	"servernotify", "usernotify",
};

static const char *const unsupported_flags[] = {
	"auto", "overwrite", "dealloc[]",
};

/* An argument kind keyword, consumed; ARG_IN if there is none. */
static bool arg_kind(struct lexer *lx, enum arg_kind *kind)
{
	*kind = ARG_IN;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (lexer_is_kw(lx, kinds[i].kw)) {
			*kind = kinds[i].kind;
			lexer_next(lx);
			return true;
		}
	for (size_t i = 0; i < sizeof(unsupported_kinds) / sizeof(unsupported_kinds[0]); i++)
		if (lexer_is_kw(lx, unsupported_kinds[i])) {
			diag_error(lx->tok.pos, "argument kind '%s' is not supported by bsmig",
				   lx->tok.text);
			return false;
		}
	return true;
}

static bool arg_flag(struct lexer *lx, struct mig_arg *a)
{
	const char *f = lx->tok.text;

	if (lx->tok.kind != TOK_IDENT) {
		diag_error(lx->tok.pos, "expected an argument flag");
		return false;
	}
	for (size_t i = 0; i < sizeof(unsupported_flags) / sizeof(unsupported_flags[0]); i++)
		if (!strcasecmp(f, unsupported_flags[i])) {
			diag_error(lx->tok.pos, "argument flag '%s' is not supported by bsmig", f);
			return false;
		}
	if (!strcasecmp(f, "dealloc"))
		a->dealloc = true;
	else if (!strcasecmp(f, "notdealloc"))
		a->dealloc = false;
	else if (!strcasecmp(f, "servercopy"))
		a->servercopy = true;
	else if (!strcasecmp(f, "physicalcopy"))
		a->physicalcopy = true;
	else if (!strcasecmp(f, "const"))
		a->is_const = true;
	else if (!strcasecmp(f, "countinout"))
		a->countinout = true;
	else if (!strcasecmp(f, "retcode"))
		a->retcode = true;
	else if (!strcasecmp(f, "samecount"))
		a->samecount = true;
	else {
		diag_error(lx->tok.pos, "unknown argument flag '%s'", f);
		return false;
	}
	lexer_next(lx);
	if (lexer_is_punct(lx, '[')) {
		diag_error(lx->tok.pos, "argument flag '%s[]' is not supported by bsmig", f);
		return false;
	}
	return true;
}

/*
 * "name : T = spec": a type declared inside its argument, as Apple's
 * grammar allows (XNU's clock.defs).  As in Apple's MIG it serves this
 * argument only; later arguments and routines do not see it.
 */
static bool at_named_type(const struct lexer *lx)
{
	struct lexer ahead = *lx;

	if (lx->tok.kind != TOK_IDENT)
		return false;
	lexer_next(&ahead);
	return lexer_is_punct(&ahead, '=');
}

static bool argument(struct lexer *lx, struct mig_arg *a)
{
	memset(a, 0, sizeof(*a));
	a->pos = lx->tok.pos;
	if (lx->tok.kind == TOK_IDENT) {
		/* "in : type" would make "in" the name: look at what follows. */
		char *word = lx->tok.text;

		if (!arg_kind(lx, &a->kind))
			return false;
		if (lexer_is_punct(lx, ':') && a->kind != ARG_IN) {
			a->kind = ARG_IN;
			a->name = word;
		}
	}
	if (!a->name && !(a->name = parse_ident(lx, "an argument name")))
		return false;
	if (!parse_expect(lx, ':'))
		return false;
	a->type = at_named_type(lx) ? parse_named_type(lx) : parse_type_spec(lx);
	if (!a->type)
		return false;
	while (lexer_is_punct(lx, ',')) {
		lexer_next(lx);
		if (!arg_flag(lx, a))
			return false;
	}
	return true;
}

static bool arguments(struct lexer *lx, struct mig_routine *rt)
{
	if (!parse_expect(lx, '('))
		return false;
	while (!lexer_is_punct(lx, ')')) {
		struct mig_arg a;

		if (!argument(lx, &a))
			return false;
		rt->args = realloc(rt->args, (rt->nargs + 1) * sizeof(*rt->args));
		if (!rt->args)
			diag_fatal("out of memory");
		rt->args[rt->nargs++] = a;
		if (lexer_is_punct(lx, ';'))
			lexer_next(lx);
		else if (!lexer_is_punct(lx, ')'))
			return parse_expect(lx, ')');
	}
	lexer_next(lx);
	return true;
}

struct mig_routine *parse_routine(struct lexer *lx, bool simple)
{
	struct mig_routine *rt = xcalloc(1, sizeof(*rt));
	int before = diag_errors();

	rt->pos = lx->tok.pos;
	rt->simple = simple;
	lexer_next(lx);
	rt->name = parse_ident(lx, "a routine name");
	if (!rt->name || !arguments(lx, rt))
		return rt;
	if (diag_errors() == before)
		model_check(rt);
	return rt;
}
