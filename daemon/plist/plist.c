/* SPDX-License-Identifier: MIT */
/*
 * plist.c - libxml2 -> typed plist tree with line numbers; no job semantics.
 *
 * Parsing happens in two steps.  plist-xml.c builds libxml2's tree under
 * SAX hooks that refuse, while parsing, what must never reach memory:
 * entity declarations, deep nesting, too many elements.  Then convert()
 * walks that tree into struct plist_node, checking the plist grammar (a
 * key for every value, known elements, scalars that parse, with
 * plist-scalar.c) with the line of each offence.
 */
#include "plist.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "plist-binary.h"
#include "plist-scalar.h"
#include "plist-xml.h"

#define _cleanup_(f) __attribute__((cleanup(f)))

static void freep(void *p)
{
	free(*(void **)p);
}

static void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static void xml_free_docp(xmlDoc **doc)
{
	xmlFreeDoc(*doc);
}

static void *steal_ptr(void *pp)
{
	void **p = pp, *v = *p;

	*p = NULL;
	return v;
}

static const char *const type_names[] = {
	[PLIST_DICT] = "dictionary", [PLIST_ARRAY] = "array",
	[PLIST_STRING] = "string",   [PLIST_INTEGER] = "integer",
	[PLIST_REAL] = "real",       [PLIST_BOOL] = "boolean",
	[PLIST_DATE] = "date",       [PLIST_DATA] = "data",
};

const char *plist_type_name(enum plist_type type)
{
	if ((size_t)type >= sizeof(type_names) / sizeof(type_names[0]))
		return "unknown";
	return type_names[type];
}

/* Messages quote keys and values: keep their newlines out of log lines. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

void plist_error_set(struct plist_error *err, const char *file,
		     unsigned int line, const char *fmt, ...)
{
	va_list ap;

	snprintf(err->file, sizeof(err->file), "%s", file ? file : "(plist)");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	sanitize(err->file);
	sanitize(err->reason);
}

const char *plist_error_format(const struct plist_error *err, char *buf,
			       size_t size)
{
	if (err->line)
		snprintf(buf, size, "%s:%u: %s", err->file, err->line, err->reason);
	else
		snprintf(buf, size, "%s: %s", err->file, err->reason);
	return buf;
}

/* Only the first refusal is kept, as it names the cause. */
int plist_fail(struct plist_parse *p, int rc, unsigned int line, const char *fmt, ...)
{
	char reason[sizeof(p->err->reason)];
	va_list ap;

	if (p->rc)
		return p->rc;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	plist_error_set(p->err, p->name, line, "%s", reason);
	p->rc = rc;
	return rc;
}

struct plist_node *plist_node_free(struct plist_node *node)
{
	size_t i;

	if (!node)
		return NULL;
	switch (node->type) {
	case PLIST_DICT:
		for (i = 0; i < node->dict.n; i++) {
			free(node->dict.entries[i].key);
			plist_node_free(node->dict.entries[i].value);
		}
		free(node->dict.entries);
		break;
	case PLIST_ARRAY:
		for (i = 0; i < node->array.n; i++)
			plist_node_free(node->array.items[i]);
		free(node->array.items);
		break;
	case PLIST_STRING:
		free(node->string.s);
		break;
	case PLIST_DATA:
		free(node->data.bytes);
		break;
	default:
		break;
	}
	free(node);
	return NULL;
}

const struct plist_node *plist_dict_get(const struct plist_node *dict,
					const char *key)
{
	size_t i;

	if (!dict || dict->type != PLIST_DICT)
		return NULL;
	for (i = 0; i < dict->dict.n; i++)
		if (strcmp(dict->dict.entries[i].key, key) == 0)
			return dict->dict.entries[i].value;
	return NULL;
}

/* --- libxml2 tree -> plist tree ----------------------------------------- */

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

static int cmp_entry(const void *a, const void *b)
{
	const struct plist_entry *x = *(const struct plist_entry *const *)a;
	const struct plist_entry *y = *(const struct plist_entry *const *)b;
	int r = strcmp(x->key, y->key);

	/* Ties in document order, so the later of two equal keys sorts last. */
	return r ? r : (x > y) - (x < y);
}

/* Sorting, not pairwise comparison: a dict may hold PLIST_MAX_NODES/2 keys. */
int plist_dict_duplicate(const struct plist_node *dict, const struct plist_entry **dup)
{
	const struct plist_entry **v;
	size_t i, n = dict->dict.n;

	*dup = NULL;
	if (n < 2)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = &dict->dict.entries[i];
	qsort(v, n, sizeof(*v), cmp_entry);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1]->key, v[i]->key) == 0 && (!*dup || v[i] < *dup))
			*dup = v[i];
	free(v);
	return 0;
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
static int convert_root(struct plist_parse *p, xmlDoc *doc, struct plist_node **out)
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

/*
 * The old-style text form opens with a dictionary or an array, after
 * white space and comments; so does JSON.  Anything else not binary goes
 * to libxml2, whose messages say best what is wrong with a damaged XML
 * plist.
 */
static bool is_openstep(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '('))
		return true;
	return i + 1 < len && buf[i] == '/' && (buf[i + 1] == '/' || buf[i + 1] == '*');
}

int plist_parse_buffer(const char *buf, size_t len, const char *name,
		       struct plist_node **out, struct plist_error *err)
{
	_cleanup_(xml_free_docp) xmlDoc *doc = NULL;
	struct plist_parse p = { .name = name, .err = err };
	int rc;

	if (len > PLIST_MAX_SIZE)
		return plist_fail(&p, PLIST_E_LIMIT, 0, "larger than %d bytes", PLIST_MAX_SIZE);
	if (plist_binary_is(buf, len))
		rc = plist_binary_read(&p, buf, len, out);
	else if (is_openstep(buf, len))
		rc = plist_fail(&p, PLIST_E_MALFORMED, 0, "OpenStep (old-style) and JSON "
				"plists are not supported: convert to XML or binary first");
	else if ((rc = plist_xml_read(&p, buf, len, &doc)) == 0)
		rc = convert_root(&p, doc, out);
	if (rc < 0)
		plist_error_set(err, name, 0, "%s", strerror(-rc));
	return rc;
}

/* Read @fd to its end, but never more than PLIST_MAX_SIZE + 1 bytes. */
static int read_all(int fd, char **out, size_t *out_len)
{
	_cleanup_(freep) char *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t r;
	char *tmp;

	for (;;) {
		if (len == cap) {
			if (cap > PLIST_MAX_SIZE)
				return -EFBIG;
			cap = cap ? cap * 2 : 16384;
			if (cap > PLIST_MAX_SIZE + 1)
				cap = PLIST_MAX_SIZE + 1;
			tmp = realloc(buf, cap);
			if (!tmp)
				return -ENOMEM;
			buf = tmp;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > PLIST_MAX_SIZE)
		return -EFBIG;
	*out = steal_ptr(&buf);
	*out_len = len;
	return 0;
}

int plist_parse_fd(int fd, const char *name, struct plist_node **out,
		   struct plist_error *err)
{
	_cleanup_(freep) char *buf = NULL;
	size_t len = 0;
	int rc = read_all(fd, &buf, &len);

	if (rc == -EFBIG) {
		plist_error_set(err, name, 0, "larger than %d bytes", PLIST_MAX_SIZE);
		return PLIST_E_LIMIT;
	}
	if (rc < 0) {
		plist_error_set(err, name, 0, "cannot read: %s", strerror(-rc));
		return rc;
	}
	return plist_parse_buffer(buf, len, name, out, err);
}

int plist_parse_file(const char *path, struct plist_node **out,
		     struct plist_error *err)
{
	_cleanup_(closep) int fd = -1;
	struct stat st;

	/* O_NONBLOCK: a FIFO under the name must not hang us before fstat(). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = -errno;

		plist_error_set(err, path, 0, "cannot open: %s", strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		plist_error_set(err, path, 0, "not a regular file");
		return -EINVAL;
	}
	return plist_parse_fd(fd, path, out, err);
}
