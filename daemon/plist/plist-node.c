/* SPDX-License-Identifier: MIT */
/* plist-node.c - the typed plist tree and the errors of a parse (plist-node.h). */
#include "plist-node.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
