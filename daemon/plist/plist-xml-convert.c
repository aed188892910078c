/* SPDX-License-Identifier: MIT */
/*
 * plist-xml-convert.c - libxml2's tree -> struct plist_node, checking the
 * plist grammar (a key for every value, known elements, scalars that
 * parse, with plist-scalar.c) with the line of each offence.
 */
#include "plist-xml.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plist-scalar.h"

#define _cleanup_(f) __attribute__((cleanup(f)))

static void freep(void *p)
{
	free(*(void **)p);
}

static unsigned int line_of(const xmlNode *n)
{
	long line = xmlGetLineNo(n);

	return line > 0 ? (unsigned int)line : 0;
}

static bool is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (!isspace(*s))
			return false;
	return true;
}

static bool is_text(const xmlNode *n)
{
	return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

static bool is_ignorable(const xmlNode *n)
{
	return n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE;
}

/*
 * Advance *@c to the next element among itself and its siblings in
 * @parent, skipping comments and blank text.  *@c is NULL at the end.
 */
static int next_element(struct plist_parse *p, const xmlNode *parent, xmlNode **c)
{
	for (; *c; *c = (*c)->next) {
		if ((*c)->type == XML_ELEMENT_NODE)
			return 0;
		if (is_ignorable(*c) || (is_text(*c) && is_blank((*c)->content)))
			continue;
		return plist_fail(p, PLIST_E_MALFORMED, line_of(*c),
				  "unexpected text in <%s>", parent->name);
	}
	return 0;
}

/* The text of a leaf element, its text and CDATA children joined. */
static int text_of(struct plist_parse *p, const xmlNode *el, char **out, size_t *out_len)
{
	const xmlNode *c;
	size_t len = 0;
	char *s;

	for (c = el->children; c; c = c->next) {
		if (is_text(c))
			len += strlen((const char *)c->content);
		else if (!is_ignorable(c))
			return plist_fail(p, PLIST_E_MALFORMED, line_of(c),
					  "unexpected <%s> inside <%s>", c->name, el->name);
		if (len > PLIST_MAX_STRING)
			return plist_fail(p, PLIST_E_LIMIT, line_of(el),
					  "<%s> longer than %d bytes", el->name,
					  PLIST_MAX_STRING);
	}
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	*out = s;
	if (out_len)
		*out_len = len;
	for (c = el->children; c; c = c->next)
		if (is_text(c))
			s = stpcpy(s, (const char *)c->content);
	*s = '\0';
	return 0;
}

/* Text of a scalar element without surrounding white space. */
static int trimmed_text_of(struct plist_parse *p, const xmlNode *el, char **out)
{
	char *s, *start, *end;
	int rc = text_of(p, el, &s, NULL);

	if (rc)
		return rc;
	for (start = s; isspace((unsigned char)*start); start++)
		;
	for (end = start + strlen(start); end > start && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	memmove(s, start, (size_t)(end - start) + 1);
	*out = s;
	return 0;
}

/* <integer> and <real>: node->type says which. */
static int conv_number(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	_cleanup_(freep) char *s = NULL;
	bool integer = node->type == PLIST_INTEGER;
	int rc = trimmed_text_of(p, el, &s);

	if (rc)
		return rc;
	if (integer)
		rc = plist_scalar_integer(s, &node->integer);
	else
		rc = plist_scalar_real(s, &node->real);
	if (rc == -ERANGE)
		return plist_fail(p, PLIST_E_MALFORMED, node->line, "%s %s is out of range",
				  integer ? "integer" : "real", s);
	if (rc)
		return plist_fail(p, PLIST_E_MALFORMED, node->line, "\"%s\" is not %s", s,
				  integer ? "an integer" : "a real number");
	return 0;
}

static int conv_date(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	_cleanup_(freep) char *s = NULL;
	int rc = trimmed_text_of(p, el, &s);

	if (rc)
		return rc;
	if (plist_scalar_date(s, &node->date))
		return plist_fail(p, PLIST_E_MALFORMED, node->line,
				  "\"%s\" is not a date (YYYY-MM-DDTHH:MM:SSZ)", s);
	return 0;
}

static int conv_data(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	_cleanup_(freep) char *s = NULL;
	size_t len;
	int rc = text_of(p, el, &s, &len);

	if (rc)
		return rc;
	node->data.bytes = malloc(len / 4 * 3 + 3);
	if (!node->data.bytes)
		return -ENOMEM;
	if (plist_scalar_base64(s, node->data.bytes, &node->data.len))
		return plist_fail(p, PLIST_E_MALFORMED, node->line, "invalid base64 in <data>");
	return 0;
}

static int conv_string(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	return text_of(p, el, &node->string.s, &node->string.len);
}

static int conv_bool(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	_cleanup_(freep) char *s = NULL;
	int rc = trimmed_text_of(p, el, &s);

	if (rc)
		return rc;
	if (*s)
		return plist_fail(p, PLIST_E_MALFORMED, node->line,
				  "<%s> must be empty", el->name);
	node->boolean = el->name[0] == 't';
	return 0;
}

static int convert(struct plist_parse *p, const xmlNode *el, struct plist_node **out);

static int conv_array(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	xmlNode *c = el->children;
	int rc;

	node->array.items = calloc(xmlChildElementCount((xmlNode *)el) + 1,
				   sizeof(*node->array.items));
	if (!node->array.items)
		return -ENOMEM;
	for (;; c = c->next) {
		rc = next_element(p, el, &c);
		if (rc || !c)
			return rc;
		rc = convert(p, c, &node->array.items[node->array.n]);
		if (rc)
			return rc;
		node->array.n++;
	}
}

static int check_duplicates(struct plist_parse *p, const struct plist_node *dict)
{
	const struct plist_entry *dup;
	int rc = plist_dict_duplicate(dict, &dup);

	if (!rc && dup)
		rc = plist_fail(p, PLIST_E_MALFORMED, dup->line,
				"duplicate key \"%s\" in <dict>", dup->key);
	return rc;
}

static bool is_key(const xmlNode *n)
{
	return !n->ns && strcmp((const char *)n->name, "key") == 0;
}

/* Convert the <key> at *@c and the value after it; *@c moves to the value. */
static int dict_entry(struct plist_parse *p, const xmlNode *el, xmlNode **c,
		      struct plist_node *dict)
{
	struct plist_entry *e = &dict->dict.entries[dict->dict.n];
	int rc;

	if (!is_key(*c))
		return plist_fail(p, PLIST_E_MALFORMED, line_of(*c),
				  "<%s> without a <key> in <dict>", (*c)->name);
	e->line = line_of(*c);
	rc = text_of(p, *c, &e->key, NULL);
	if (rc)
		return rc;
	dict->dict.n++;
	*c = (*c)->next;
	rc = next_element(p, el, c);
	if (rc)
		return rc;
	if (!*c || is_key(*c))
		return plist_fail(p, PLIST_E_MALFORMED, e->line,
				  "key \"%s\" has no value", e->key);
	return convert(p, *c, &e->value);
}

static int conv_dict(struct plist_parse *p, const xmlNode *el, struct plist_node *node)
{
	xmlNode *c = el->children;
	int rc;

	node->dict.entries = calloc(xmlChildElementCount((xmlNode *)el) / 2 + 1,
				    sizeof(*node->dict.entries));
	if (!node->dict.entries)
		return -ENOMEM;
	for (;; c = c->next) {
		rc = next_element(p, el, &c);
		if (rc)
			return rc;
		if (!c)
			return check_duplicates(p, node);
		rc = dict_entry(p, el, &c, node);
		if (rc)
			return rc;
	}
}

static const struct {
	const char *name;
	enum plist_type type;
	int (*convert)(struct plist_parse *p, const xmlNode *el, struct plist_node *node);
} elements[] = {
	{ "dict", PLIST_DICT, conv_dict },
	{ "array", PLIST_ARRAY, conv_array },
	{ "string", PLIST_STRING, conv_string },
	{ "integer", PLIST_INTEGER, conv_number },
	{ "real", PLIST_REAL, conv_number },
	{ "true", PLIST_BOOL, conv_bool },
	{ "false", PLIST_BOOL, conv_bool },
	{ "date", PLIST_DATE, conv_date },
	{ "data", PLIST_DATA, conv_data },
};

/* Depth is bounded by on_start_element(), so this recursion is too. */
static int convert(struct plist_parse *p, const xmlNode *el, struct plist_node **out)
{
	struct plist_node *node;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(elements) / sizeof(elements[0]); i++)
		if (!el->ns && strcmp((const char *)el->name, elements[i].name) == 0)
			break;
	if (i == sizeof(elements) / sizeof(elements[0]))
		return plist_fail(p, PLIST_E_MALFORMED, line_of(el),
				  "unknown element <%s>", el->name);
	node = calloc(1, sizeof(*node));
	if (!node)
		return -ENOMEM;
	node->type = elements[i].type;
	node->line = line_of(el);
	rc = elements[i].convert(p, el, node);
	if (rc) {
		plist_node_free(node);
		return rc;
	}
	*out = node;
	return 0;
}

/* <plist> holding exactly one value. */
int plist_xml_convert(struct plist_parse *p, xmlDoc *doc, struct plist_node **out)
{
	xmlNode *root = xmlDocGetRootElement(doc), *c;
	struct plist_node *node = NULL;
	int rc;

	if (!root || root->ns || strcmp((const char *)root->name, "plist") != 0)
		return plist_fail(p, PLIST_E_MALFORMED, root ? line_of(root) : 0,
				  "root element is <%s>, expected <plist>",
				  root ? (const char *)root->name : "");
	c = root->children;
	rc = next_element(p, root, &c);
	if (rc)
		return rc;
	if (!c)
		return plist_fail(p, PLIST_E_MALFORMED, line_of(root), "<plist> holds no value");
	rc = convert(p, c, &node);
	if (rc)
		return rc;
	c = c->next;
	rc = next_element(p, root, &c);
	if (!rc && c)
		rc = plist_fail(p, PLIST_E_MALFORMED, line_of(c),
				"<plist> holds more than one value");
	if (rc) {
		plist_node_free(node);
		return rc;
	}
	*out = node;
	return 0;
}
