/* SPDX-License-Identifier: MIT */
/*
 * parse-type.c - type expressions and type declarations:
 * MACH_MSG_TYPE_* names, (name, bits), array[N] / array[] / array[*:N] of,
 * ^, struct[N] of, c_string[N] / c_string[*:N], polymorphic, and the
 * ctype / cusertype / cservertype / intran / outtran / destructor
 * decorations.
 */
#include "parse.h"

#include <string.h>
#include <strings.h>

static struct mig_type *error_at(struct lexer *lx, const char *msg)
{
	diag_error(lx->tok.pos, "%s", msg);
	return NULL;
}

/* (MACH_MSG_TYPE_X, bits[, dealloc]) */
static struct mig_type *paren_type(struct lexer *lx)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *base, *t;
	char *name;
	long bits;

	lexer_next(lx);
	name = parse_ident(lx, "a MACH_MSG_TYPE_ name");
	if (!name || !parse_expect(lx, ','))
		return NULL;
	bits = parse_int_expr(lx);
	if (lexer_is_punct(lx, ',')) {
		lexer_next(lx);
		parse_ident(lx, "dealloc");
	}
	if (!parse_expect(lx, ')'))
		return NULL;
	base = type_builtin(name);
	if (!base) {
		diag_error(pos, "unknown IPC type name '%s'", name);
		return NULL;
	}
	t = type_copy(base);
	t->pos = pos;
	if (t->kind == IPC_INLINE) {
		if (bits <= 0 || bits % 8) {
			diag_error(pos, "IPC type size must be a positive multiple of 8 bits");
			return NULL;
		}
		t->size = (unsigned)bits / 8;
	}
	return t;
}

/* [N], [], [*], [*:N] after array / c_string; *var set for the variable forms. */
static bool bounds(struct lexer *lx, bool *var, long *n)
{
	*var = false;
	*n = 0;
	if (!parse_expect(lx, '['))
		return false;
	if (lexer_is_punct(lx, ']')) {
		*var = true;
	} else if (lexer_is_punct(lx, '*')) {
		*var = true;
		lexer_next(lx);
		if (lexer_is_punct(lx, ':')) {
			lexer_next(lx);
			*n = parse_int_expr(lx);
		}
	} else {
		*n = parse_int_expr(lx);
		if (*n <= 0) {
			diag_error(lx->tok.pos, "array size must be positive");
			return false;
		}
	}
	return parse_expect(lx, ']');
}

static struct mig_type *array_of(struct srcpos pos, bool var, long n, struct mig_type *elem)
{
	struct mig_type *t;

	if (elem->kind != IPC_INLINE && elem->kind != IPC_PORT) {
		diag_error(pos, "arrays of variable-sized or out-of-line types are not supported");
		return NULL;
	}
	if (!elem->ctype) {
		diag_error(pos, "array elements need a named type: declare it with 'type'");
		return NULL;
	}
	t = type_copy(elem);
	t->pos = pos;
	t->ctype = NULL;
	t->elem_ctype = xstrdup(elem->ctype);
	t->number = (unsigned)n;
	t->is_string = false;   /* an array of strings is copied whole, not as one string */
	if (elem->kind == IPC_PORT && var && n == 0) {
		t->kind = IPC_OOL_PORTS;
	} else if (elem->kind == IPC_PORT) {
		/* As Apple's MIG: one port descriptor per element, in the message. */
		t->kind = IPC_PORT_ARRAY;
		t->counted = var;
		t->is_array = true;
	} else if (var && n == 0) {
		t->kind = IPC_OOL;
	} else if (var) {
		t->kind = IPC_VAR_INLINE;
	} else {
		t->size = elem->size * (unsigned)n;
		t->is_array = true;
	}
	if (t->kind != IPC_INLINE)
		t->size = elem->size;
	return t;
}

static struct mig_type *array_spec(struct lexer *lx)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *elem;
	bool var;
	long n;

	lexer_next(lx);
	if (!bounds(lx, &var, &n))
		return NULL;
	if (!lexer_is_kw(lx, "of"))
		return error_at(lx, "expected 'of' after array bounds");
	lexer_next(lx);
	elem = parse_type_spec(lx);
	return elem ? array_of(pos, var, n, elem) : NULL;
}

static struct mig_type *struct_spec(struct lexer *lx)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *elem, *t;
	bool var;
	long n;

	lexer_next(lx);
	if (!bounds(lx, &var, &n) || var)
		return error_at(lx, "struct needs a fixed size: struct[N] of");
	if (!lexer_is_kw(lx, "of"))
		return error_at(lx, "expected 'of' after struct size");
	lexer_next(lx);
	elem = parse_type_spec(lx);
	if (!elem)
		return NULL;
	if (elem->kind != IPC_INLINE) {
		diag_error(pos, "struct elements must be fixed-size data");
		return NULL;
	}
	t = type_copy(elem);
	t->pos = pos;
	t->ctype = NULL;
	t->size = elem->size * (unsigned)n;
	t->is_string = false;
	t->is_array = false;    /* a struct travels and is passed by value */
	return t;
}

static struct mig_type *cstring_spec(struct lexer *lx)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *t;
	bool var;
	long n;

	lexer_next(lx);
	if (!bounds(lx, &var, &n))
		return NULL;
	if (n <= 0)
		return error_at(lx, "c_string needs a size: c_string[N] or c_string[*:N]");
	t = xcalloc(1, sizeof(*t));
	t->pos = pos;
	t->kind = var ? IPC_VAR_STRING : IPC_INLINE;
	t->msgt = 12;
	t->size = var ? 1 : (unsigned)n;
	t->number = (unsigned)n;
	t->is_string = true;
	t->is_array = true;
	t->elem_ctype = xstrdup("char");
	return t;
}

static struct mig_type *dup_type(const struct mig_type *t)
{
	struct mig_type *c = xcalloc(1, sizeof(*c));

	*c = *t;
	c->name = NULL;
	return c;
}

/*
 * ^T: the out-of-line form of an array, or of fixed-size data.  As in
 * Apple's MIG, ^ of fixed-size data sends the whole value in one
 * out-of-line descriptor, and C passes the ^ type's own name (a pointer
 * to T), so the result needs a name of its own.
 */
static struct mig_type *pointer_spec(struct lexer *lx)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *t;

	lexer_next(lx);
	t = parse_type_spec(lx);
	if (!t)
		return NULL;
	t = dup_type(t);
	t->pos = pos;
	if (t->kind == IPC_VAR_INLINE) {
		t->kind = IPC_OOL;
	} else if (t->kind == IPC_INLINE && !t->is_string) {
		t->kind = IPC_OOL_FIXED;
		t->ctype = NULL;
		t->elem_ctype = NULL;
		t->is_array = false;
		t->number = 0;
	} else if (t->kind == IPC_PORT_ARRAY && t->counted) {
		t->kind = IPC_OOL_PORTS;
		t->is_array = false;
	} else if (t->kind == IPC_PORT_ARRAY) {
		/* As Apple's MIG: one out-of-line ports descriptor of exactly N. */
		t->kind = IPC_OOL_PORTS;
		t->is_array = false;
		t->ool_fixed = true;
	} else if (t->kind != IPC_OOL && t->kind != IPC_OOL_PORTS) {
		diag_error(pos, "^ applies to arrays and fixed-size data only");
		return NULL;
	}
	return t;
}

/*
 * After a built-in type @sent and '|': Apple's "in|out" IPC type, sent as
 * the first and received as the second (polymorphic|MACH_MSG_TYPE_MAKE_SEND_ONCE:
 * the sender names the disposition, the receiver gets a send-once right).
 */
static struct mig_type *ipc_pair(struct lexer *lx, const struct mig_type *sent)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *rcvd, *t;

	lexer_next(lx);
	rcvd = lx->tok.kind == TOK_IDENT ? type_builtin(lx->tok.text) : NULL;
	if (!rcvd)
		return error_at(lx, "expected a MACH_MSG_TYPE_ name or polymorphic after '|'");
	lexer_next(lx);
	if (type_is_port(sent) != type_is_port(rcvd)) {
		diag_error(pos, "the two halves of an in|out IPC type are both ports or both data");
		return NULL;
	}
	if (sent->size != rcvd->size) {
		diag_error(pos, "the halves of an in|out IPC type differ in size (%u and %u bits)",
			   sent->size * 8, rcvd->size * 8);
		return NULL;
	}
	t = type_copy(sent);
	t->pos = pos;
	t->rcv_msgt = type_rcv_msgt(rcvd);
	return t;
}

struct mig_type *parse_type_spec(struct lexer *lx)
{
	struct mig_type *t;
	char *name;

	if (lexer_is_punct(lx, '('))
		return paren_type(lx);
	if (lexer_is_punct(lx, '^'))
		return pointer_spec(lx);
	if (lexer_is_kw(lx, "array"))
		return array_spec(lx);
	if (lexer_is_kw(lx, "struct"))
		return struct_spec(lx);
	if (lexer_is_kw(lx, "c_string"))
		return cstring_spec(lx);
	if (lx->tok.kind != TOK_IDENT)
		return error_at(lx, "expected a type");
	name = lx->tok.text;
	t = type_lookup(name);
	if (!t) {
		diag_error(lx->tok.pos, "unknown type '%s'", name);
		lexer_next(lx);
		return NULL;
	}
	lexer_next(lx);
	if (!lexer_is_punct(lx, '|'))
		return t;
	if (!t->builtin)
		return error_at(lx, "expected a MACH_MSG_TYPE_ name or polymorphic before '|'");
	return ipc_pair(lx, t);
}

static const char *const decorations[] = {
	"ctype", "cusertype", "cservertype", "intran", "outtran", "destructor",
	"intranpayload", "uservarargs"
};

static bool at_decoration(const struct lexer *lx)
{
	for (size_t i = 0; i < sizeof(decorations) / sizeof(decorations[0]); i++)
		if (lexer_is_kw(lx, decorations[i]))
			return true;
	return false;
}

/* A C type: identifiers and '*' up to a decoration, ';', '(' or ')'. */
static char *ctype_words(struct lexer *lx, bool stop_at_paren)
{
	char buf[512] = "";

	while ((lx->tok.kind == TOK_IDENT && !at_decoration(lx)) || lexer_is_punct(lx, '*')) {
		const char *w = lx->tok.kind == TOK_IDENT ? lx->tok.text : "*";

		if (strlen(buf) + strlen(w) + 2 >= sizeof(buf))
			break;
		if (buf[0] && w[0] != '*')
			strcat(buf, " ");
		strcat(buf, w);
		lexer_next(lx);
		if (stop_at_paren && lexer_is_punct(lx, '('))
			break;
	}
	if (!buf[0]) {
		diag_error(lx->tok.pos, "expected a C type");
		return NULL;
	}
	return xstrdup(buf);
}

/* "result_type func(arg_type)" or, for a destructor, "func(arg_type)". */
static bool translation(struct lexer *lx, struct translation *tr, bool has_result)
{
	char *words = ctype_words(lx, true);
	char *sp;

	if (!words || !parse_expect(lx, '('))
		return false;
	sp = strrchr(words, ' ');
	if (has_result && !sp) {
		diag_error(lx->tok.pos, "expected 'type function(type)'");
		return false;
	}
	tr->func = xstrdup(sp ? sp + 1 : words);
	if (sp)
		*sp = '\0';
	tr->result_type = has_result ? words : NULL;
	tr->arg_type = ctype_words(lx, false);
	return tr->arg_type && parse_expect(lx, ')');
}

static bool decoration(struct lexer *lx, struct mig_type *t)
{
	char *kw = lx->tok.text;
	struct srcpos pos = lx->tok.pos;

	lexer_next(lx);
	if (!parse_expect(lx, ':'))
		return false;
	if (!strcasecmp(kw, "ctype"))
		return (t->ctype = ctype_words(lx, false)) != NULL;
	if (!strcasecmp(kw, "cusertype"))
		return (t->cusertype = ctype_words(lx, false)) != NULL;
	if (!strcasecmp(kw, "cservertype"))
		return (t->cservertype = ctype_words(lx, false)) != NULL;
	if (!strcasecmp(kw, "intran"))
		return translation(lx, &t->intran, true);
	if (!strcasecmp(kw, "outtran"))
		return translation(lx, &t->outtran, true);
	if (!strcasecmp(kw, "destructor"))
		return translation(lx, &t->destructor, false);
	diag_error(pos, "'%s' is not supported", kw);
	return false;
}

struct mig_type *parse_named_type(struct lexer *lx)
{
	struct srcpos pos = lx->tok.pos;
	struct mig_type *spec, *t;
	char *name = parse_ident(lx, "a type name");

	if (!name || !parse_expect(lx, '='))
		return NULL;
	spec = parse_type_spec(lx);
	if (!spec)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	*t = *spec;
	t->name = name;
	t->pos = pos;
	t->builtin = false;
	t->ctype = NULL;
	t->cusertype = NULL;
	t->cservertype = NULL;
	memset(&t->intran, 0, sizeof(t->intran));
	memset(&t->outtran, 0, sizeof(t->outtran));
	memset(&t->destructor, 0, sizeof(t->destructor));
	while (at_decoration(lx))
		if (!decoration(lx, t))
			return NULL;
	/* Without ctype:, the C type is the type's own name, as in MIG. */
	if (!t->ctype)
		t->ctype = xstrdup(name);
	if (!t->elem_ctype && (t->is_array || t->kind == IPC_VAR_INLINE))
		t->elem_ctype = xstrdup(t->ctype);
	return t;
}

void parse_type_decl(struct lexer *lx)
{
	struct mig_type *t = parse_named_type(lx);

	if (t)
		type_define(t);
}
