/* SPDX-License-Identifier: MIT */
/*
 * plist-node.h - the typed plist tree, its limits, and the errors of a
 * parse: what every reader (plist-xml*.c, plist-binary.c) builds and what
 * job-plist.c reads.  Reading a document is plist.h.
 */
#ifndef BOOTSTRAPD_PLIST_NODE_H
#define BOOTSTRAPD_PLIST_NODE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define PLIST_MAX_SIZE (1024 * 1024)   /* bytes in one document, of any format */
#define PLIST_MAX_DEPTH 64             /* nesting of values; the root value is 1 */
#define PLIST_MAX_NODES 65536          /* elements; binary: objects, references followed */
#define PLIST_MAX_STRING (64 * 1024)   /* bytes of text in one element or string */

enum plist_type {
	PLIST_DICT,
	PLIST_ARRAY,
	PLIST_STRING,
	PLIST_INTEGER,
	PLIST_REAL,
	PLIST_BOOL,
	PLIST_DATE,
	PLIST_DATA,
};

/* Expected outcomes of a parse, beside negative errnos (STYLE point 4). */
enum {
	PLIST_E_MALFORMED = 1,  /* not well-formed XML, a damaged binary plist, not a plist */
	PLIST_E_LIMIT,          /* a PLIST_MAX_* bound was exceeded */
	PLIST_E_ENTITY,         /* the document declares an entity: refused */
};

struct plist_entry;

/*
 * One value.  A tree is owned by its root: plist_node_free() releases the
 * root and everything below it.
 */
struct plist_node {
	enum plist_type type;
	unsigned int line;      /* line of the value's element, 0 if unknown */
	union {
		struct {
			struct plist_entry *entries;    /* in document order */
			size_t n;
		} dict;
		struct {
			struct plist_node **items;
			size_t n;
		} array;
		struct {
			char *s;        /* UTF-8, NUL-terminated */
			size_t len;
		} string;
		long long integer;
		double real;
		bool boolean;
		long long date;         /* seconds since the epoch, UTC */
		struct {
			unsigned char *bytes;
			size_t len;
		} data;
	};
};

/* One key of a dictionary.  Keys are unique within their dictionary. */
struct plist_entry {
	char *key;
	unsigned int line;      /* line of the <key> element */
	struct plist_node *value;
};

/* Why a document or a job was refused: formats as "FILE:LINE: reason". */
struct plist_error {
	char file[PATH_MAX];
	unsigned int line;      /* 0 when the error concerns the whole file */
	char reason[256];
};

/* Large enough for plist_error_format() not to truncate. */
#define PLIST_ERROR_FORMAT_MAX (PATH_MAX + 16 + 256)

/**
 * plist_node_free() - release a value and everything it owns.
 * @node: the value, or NULL.
 *
 * Return: NULL, so that callers can write `n = plist_node_free(n)`.
 */
struct plist_node *plist_node_free(struct plist_node *node);

/**
 * plist_dict_get() - look a key up in a dictionary, matching it exactly.
 * @dict: a value of any type.
 * @key: the key.
 *
 * Return: the value, owned by @dict; NULL if @dict is not a dictionary or
 * has no such key.
 */
const struct plist_node *plist_dict_get(const struct plist_node *dict,
					const char *key);

/**
 * plist_dict_duplicate() - the first key of @dict, in document order, that
 * an earlier key equals.
 * @dict: a dictionary.
 * @dup: receives that entry, owned by @dict, or NULL if keys are unique.
 *
 * Return: 0, or -ENOMEM.
 */
int plist_dict_duplicate(const struct plist_node *dict, const struct plist_entry **dup);

/**
 * plist_type_name() - the plist element name of a type, for messages.
 * Return: a static string such as "dictionary" or "boolean".
 */
const char *plist_type_name(enum plist_type type);

/**
 * plist_error_set() - fill @err.
 * @err: the error to fill.
 * @file: the document's name; NULL is shown as "(plist)".
 * @line: the offending line, or 0.
 * @fmt: printf format of the reason; it is truncated to fit.
 *
 * Control characters in @file and the reason become '?', so that a quoted
 * key or value cannot split the log line the message ends up in.
 */
void plist_error_set(struct plist_error *err, const char *file,
		     unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/**
 * plist_error_format() - write "FILE:LINE: reason" (or "FILE: reason" when
 * the line is 0) into @buf.
 * @err: the error.
 * @buf: the output, PLIST_ERROR_FORMAT_MAX bytes suffice.
 * @size: size of @buf.
 *
 * Return: @buf.
 */
const char *plist_error_format(const struct plist_error *err, char *buf,
			       size_t size);

/* One parse: where messages go and what the SAX hooks have counted. */
struct plist_parse {
	const char *name;
	struct plist_error *err;
	int rc;                 /* the first refusal, 0 while there is none */
	unsigned int depth;     /* open elements, <plist> included */
	size_t elements;
};

/**
 * plist_fail() - record a refusal in @p; only the first one is kept, as it
 * names the cause.
 * @p:    the parse
 * @rc:   a PLIST_E_* code
 * @line: the offending line, 0 if unknown
 * @fmt:  the reason
 *
 * Return: the code of the first refusal recorded in @p.
 */
__attribute__((format(printf, 4, 5)))
int plist_fail(struct plist_parse *p, int rc, unsigned int line, const char *fmt, ...);

#endif
