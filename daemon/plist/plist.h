/* SPDX-License-Identifier: MIT */
/*
 * plist.h - property lists (XML or binary) as a typed tree.
 *
 * XML plists are read with libxml2 and keep the line of every value;
 * binary plists (bplist00) are read with libplist (plist-binary.c) and
 * have no lines: their refusals name a byte offset instead.  The format is
 * told by content, never by the file name.  OpenStep (old-style) text
 * plists (and JSON, which opens alike) are recognised and refused, as the
 * libplist of Debian 12 cannot read them.
 *
 * plist.c knows the plist grammar and nothing about jobs: job-plist.c
 * gives the tree its meaning.  Everything is parsed from memory, because
 * the daemon receives plist content from bsctl and never opens paths a
 * client names; plist_parse_fd() and plist_parse_file() read into memory
 * first, for bsctl and the tests.
 *
 * libxml2 is locked down: no network, no DTD loading, no entity
 * substitution, and a document that declares any entity is refused before
 * the entity could be used (billion laughs, XXE).  Every input is bounded
 * by the PLIST_MAX_* limits below.
 */
#ifndef BOOTSTRAPD_PLIST_H
#define BOOTSTRAPD_PLIST_H

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
 * plist_parse_buffer() - parse a plist held in memory: binary if it starts
 * with "bplist", refused if it looks like OpenStep text, XML otherwise.
 * @buf: the document; it need not be NUL-terminated.
 * @len: its length in bytes, at most PLIST_MAX_SIZE.
 * @name: what to call the document in messages (a path or a label).
 * @out: receives the root value on success; the caller frees it with
 *       plist_node_free().  Untouched on failure.
 * @err: filled with file, line and reason on any failure.
 *
 * Return: 0 on success; PLIST_E_MALFORMED, PLIST_E_LIMIT or PLIST_E_ENTITY
 * for a document that is refused; -ENOMEM.
 */
int plist_parse_buffer(const char *buf, size_t len, const char *name,
		       struct plist_node **out, struct plist_error *err);

/**
 * plist_parse_fd() - read @fd to its end and parse what it held.
 * @fd: any readable fd (file, pipe, socket); it is neither closed nor
 *      rewound.
 * @name: what to call the document in messages.
 * @out: as for plist_parse_buffer().
 * @err: as for plist_parse_buffer().
 *
 * Return: as plist_parse_buffer(); PLIST_E_LIMIT if more than
 * PLIST_MAX_SIZE bytes could be read; a negative errno if reading failed.
 */
int plist_parse_fd(int fd, const char *name, struct plist_node **out,
		   struct plist_error *err);

/**
 * plist_parse_file() - open a regular file and parse it.
 * @path: the file; it also names the document in messages.
 * @out: as for plist_parse_buffer().
 * @err: as for plist_parse_buffer().
 *
 * Return: as plist_parse_fd(); -EINVAL if @path is not a regular file; the
 * negative errno of open(2) otherwise.
 */
int plist_parse_file(const char *path, struct plist_node **out,
		     struct plist_error *err);

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

#endif
