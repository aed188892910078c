/* SPDX-License-Identifier: MIT */
/*
 * plist-binary.c - bplist00 -> typed plist tree, through libplist.
 *
 * Two steps.  check_*() walk the object graph from the top object, the
 * way a decoder would but decoding nothing: every offset, count and
 * reference is checked against the file, every object is counted as many
 * times as it is referenced (PLIST_MAX_NODES), nesting is bounded
 * (PLIST_MAX_DEPTH) and a reference back to an object on the current path
 * is a cycle.  Each refusal names the byte offset it concerns.  Only then
 * does libplist decode the file, and convert() copies its tree into
 * struct plist_node, refusing what an XML plist could not hold either.
 *
 * Format (CFBinaryPList.c): "bplist00", objects, an offset table of
 * object offsets, and a 32-byte trailer: 6 unused bytes, the offset size,
 * the reference size, then big-endian 64-bit object count, top object and
 * offset table offset.  An object is a marker byte (type << 4 | info);
 * info 0xf means the count follows as an integer object.
 */
/*
 * libplist names its value types PLIST_DICT, PLIST_STRING... as plist.h
 * does.  Here, and only here, plist.h's are spelled OUR_*.
 */
#define PLIST_DICT OUR_DICT
#define PLIST_ARRAY OUR_ARRAY
#define PLIST_STRING OUR_STRING
#define PLIST_REAL OUR_REAL
#define PLIST_DATE OUR_DATE
#define PLIST_DATA OUR_DATA
#include "plist-binary.h"
#undef PLIST_DICT
#undef PLIST_ARRAY
#undef PLIST_STRING
#undef PLIST_REAL
#undef PLIST_DATE
#undef PLIST_DATA

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

#include "config.h"

#define _cleanup_(f) __attribute__((cleanup(f)))

#define HEADER_SIZE 8           /* "bplist00" */
#define TRAILER_SIZE 32
#define MAC_EPOCH 978307200LL   /* 2001-01-01T00:00:00Z, where bplist dates count from */

enum {
	T_SIMPLE = 0x0, T_INT = 0x1, T_REAL = 0x2, T_DATE = 0x3, T_DATA = 0x4,
	T_ASCII = 0x5, T_UTF16 = 0x6, T_UID = 0x8, T_ARRAY = 0xa, T_SET = 0xc,
	T_DICT = 0xd,
};

/* The file and where the walk is. */
struct bplist {
	struct plist_parse *p;
	const unsigned char *buf;
	size_t len;
	unsigned int off_size, ref_size;
	uint64_t n_objects, top, table;
	size_t visited;
	uint64_t path[PLIST_MAX_DEPTH + 1];     /* objects from the top down */
};

static void plist_freep(plist_t *pl)
{
	if (*pl)
		plist_free(*pl);
}

static uint64_t read_be(const unsigned char *s, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *s++;
	return v;
}

bool plist_binary_is(const char *buf, size_t len)
{
	return len >= strlen(PLIST_BINARY_MAGIC) &&
	       memcmp(buf, PLIST_BINARY_MAGIC, strlen(PLIST_BINARY_MAGIC)) == 0;
}

/* --- the walk ------------------------------------------------------------ */

static int bad(struct bplist *b, int rc, uint64_t obj, size_t at, const char *what)
{
	return plist_fail(b->p, rc, 0, "binary plist: object %llu at byte %zu: %s",
			  (unsigned long long)obj, at, what);
}

static int check_trailer(struct bplist *b)
{
	const unsigned char *t = b->buf + b->len - TRAILER_SIZE;
	size_t at = b->len - TRAILER_SIZE;

	if (memcmp(b->buf + 6, "00", 2) != 0)
		return plist_fail(b->p, PLIST_E_MALFORMED, 0,
				  "binary plist: version \"%.2s\" at byte 6 is not supported (only 00)",
				  (const char *)b->buf + 6);
	b->off_size = t[6];
	b->ref_size = t[7];
	b->n_objects = read_be(t + 8, 8);
	b->top = read_be(t + 16, 8);
	b->table = read_be(t + 24, 8);
	if (b->off_size < 1 || b->off_size > 8 || b->ref_size < 1 || b->ref_size > 8)
		return plist_fail(b->p, PLIST_E_MALFORMED, 0,
				  "binary plist: trailer at byte %zu: offset size %u or reference size %u is not 1 to 8",
				  at, b->off_size, b->ref_size);
	if (b->n_objects == 0 || b->n_objects > PLIST_MAX_NODES)
		return plist_fail(b->p, b->n_objects ? PLIST_E_LIMIT : PLIST_E_MALFORMED, 0,
				  "binary plist: trailer at byte %zu: %llu objects (1 to %d allowed)",
				  at + 8, (unsigned long long)b->n_objects, PLIST_MAX_NODES);
	if (b->top >= b->n_objects)
		return plist_fail(b->p, PLIST_E_MALFORMED, 0,
				  "binary plist: trailer at byte %zu: top object %llu of %llu does not exist",
				  at + 16, (unsigned long long)b->top,
				  (unsigned long long)b->n_objects);
	/* n_objects <= PLIST_MAX_NODES and off_size <= 8: no overflow. */
	if (b->table < HEADER_SIZE || b->table > at ||
	    b->n_objects * b->off_size > at - b->table)
		return plist_fail(b->p, PLIST_E_MALFORMED, 0,
				  "binary plist: trailer at byte %zu: offset table at byte %llu lies outside the file",
				  at + 24, (unsigned long long)b->table);
	return 0;
}

/* Where object @obj starts, or 0 when its offset is out of bounds. */
static size_t object_at(const struct bplist *b, uint64_t obj)
{
	uint64_t off = read_be(b->buf + b->table + obj * b->off_size, b->off_size);

	return off >= HEADER_SIZE && off < b->table ? (size_t)off : 0;
}

/* Whether @n bytes from @at stay before the offset table. */
static bool fits(const struct bplist *b, size_t at, uint64_t n)
{
	return at <= b->table && n <= b->table - at;
}

/*
 * The count of a data, string or container object at @at: in the marker,
 * or in the integer object after it.  *@body is where the contents start.
 */
static int check_count(struct bplist *b, uint64_t obj, size_t at, uint64_t *count,
		       size_t *body)
{
	unsigned int info = b->buf[at] & 0xf, size;

	*body = at + 1;
	*count = info;
	if (info != 0xf)
		return 0;
	if (!fits(b, at + 1, 1) || b->buf[at + 1] >> 4 != T_INT || (b->buf[at + 1] & 0xf) > 3)
		return bad(b, PLIST_E_MALFORMED, obj, at, "count is not an integer of 1 to 8 bytes");
	size = 1u << (b->buf[at + 1] & 0xf);
	if (!fits(b, at + 2, size))
		return bad(b, PLIST_E_MALFORMED, obj, at, "count runs past the objects");
	*count = read_be(b->buf + at + 2, size);
	*body = at + 2 + size;
	return 0;
}

/* Integers: 1, 2, 4 or 8 bytes (8 is signed), or 16 for an unsigned value. */
static int check_int(struct bplist *b, uint64_t obj, size_t at)
{
	unsigned int info = b->buf[at] & 0xf;
	uint64_t size = 1u << (info & 7);

	if (info > 4)
		return bad(b, PLIST_E_MALFORMED, obj, at, "integer is not 1, 2, 4, 8 or 16 bytes");
	if (!fits(b, at + 1, size))
		return bad(b, PLIST_E_MALFORMED, obj, at, "integer runs past the objects");
	if (size == 16 && (read_be(b->buf + at + 1, 8) != 0 ||
			   read_be(b->buf + at + 9, 8) > (uint64_t)LLONG_MAX))
		return bad(b, PLIST_E_MALFORMED, obj, at, "integer is out of range");
	return 0;
}

static int check_real(struct bplist *b, uint64_t obj, size_t at, bool date)
{
	unsigned int info = b->buf[at] & 0xf;
	uint64_t bits;
	double d;

	if (info != 3 && (date || info != 2))
		return bad(b, PLIST_E_MALFORMED, obj, at, date ? "date is not 8 bytes" :
			   "real is not 4 or 8 bytes");
	if (!fits(b, at + 1, 1u << info))
		return bad(b, PLIST_E_MALFORMED, obj, at, "number runs past the objects");
	if (!date)
		return 0;
	bits = read_be(b->buf + at + 1, 8);
	memcpy(&d, &bits, sizeof(d));
	/* libplist hands dates out as 32-bit seconds. */
	if (!(d > INT32_MIN && d < INT32_MAX))
		return bad(b, PLIST_E_MALFORMED, obj, at, "date is out of range");
	return 0;
}

/* ASCII (one byte a character) or UTF-16BE (two); NUL is refused, as in XML. */
static int check_string(struct bplist *b, uint64_t obj, size_t at, bool utf16)
{
	uint64_t count, i;
	size_t body;
	int rc = check_count(b, obj, at, &count, &body);

	if (rc)
		return rc;
	if (count > PLIST_MAX_STRING)
		return bad(b, PLIST_E_LIMIT, obj, at, "string longer than 65536 characters");
	if (!fits(b, body, count << utf16))
		return bad(b, PLIST_E_MALFORMED, obj, at, "string runs past the objects");
	for (i = 0; i < count; i++) {
		const unsigned char *c = b->buf + body + (i << utf16);

		if (utf16 ? (c[0] | c[1]) == 0 : (*c == 0 || *c >= 0x80))
			return bad(b, PLIST_E_MALFORMED, obj, at, utf16 ?
				   "string holds a NUL character" :
				   "ASCII string holds a NUL or non-ASCII byte");
	}
	return 0;
}

static int check_data(struct bplist *b, uint64_t obj, size_t at)
{
	uint64_t count;
	size_t body;
	int rc = check_count(b, obj, at, &count, &body);

	if (rc)
		return rc;
	if (count > PLIST_MAX_STRING)
		return bad(b, PLIST_E_LIMIT, obj, at, "data longer than 65536 bytes");
	if (!fits(b, body, count))
		return bad(b, PLIST_E_MALFORMED, obj, at, "data runs past the objects");
	return 0;
}

static int check_object(struct bplist *b, uint64_t obj, unsigned int depth);

/* Arrays, sets and dictionaries: @refs references per entry (1, or 2). */
static int check_container(struct bplist *b, uint64_t obj, size_t at,
			   unsigned int depth, unsigned int refs)
{
	uint64_t count, i, ref;
	size_t body;
	int rc = check_count(b, obj, at, &count, &body);

	if (rc)
		return rc;
	/* count <= table keeps the product below 2^64. */
	if (count > b->table || !fits(b, body, count * refs * b->ref_size))
		return bad(b, PLIST_E_MALFORMED, obj, at, "references run past the objects");
	for (i = 0; i < count * refs; i++) {
		ref = read_be(b->buf + body + i * b->ref_size, b->ref_size);
		if (ref >= b->n_objects)
			return bad(b, PLIST_E_MALFORMED, obj, at,
				   "refers to an object that does not exist");
		/* Keys come first in a dictionary, and must be strings. */
		if (refs == 2 && i < count) {
			size_t key_at = object_at(b, ref);
			unsigned int type = key_at ? b->buf[key_at] >> 4 : T_ASCII;

			if (type != T_ASCII && type != T_UTF16)
				return bad(b, PLIST_E_MALFORMED, obj, at,
					   "dictionary key is not a string");
		}
		rc = check_object(b, ref, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_simple(struct bplist *b, uint64_t obj, size_t at)
{
	unsigned int info = b->buf[at] & 0xf;

	if (info == 0x8 || info == 0x9)
		return 0;
	return bad(b, PLIST_E_MALFORMED, obj, at, info == 0 ? "null is not a plist value" :
		   "unknown object type");
}

static int check_body(struct bplist *b, uint64_t obj, size_t at, unsigned int depth)
{
	switch (b->buf[at] >> 4) {
	case T_SIMPLE: return check_simple(b, obj, at);
	case T_INT: return check_int(b, obj, at);
	case T_REAL: return check_real(b, obj, at, false);
	case T_DATE: return check_real(b, obj, at, true);
	case T_DATA: return check_data(b, obj, at);
	case T_ASCII: return check_string(b, obj, at, false);
	case T_UTF16: return check_string(b, obj, at, true);
	case T_ARRAY:
	case T_SET: return check_container(b, obj, at, depth, 1);
	case T_DICT: return check_container(b, obj, at, depth, 2);
	case T_UID: return bad(b, PLIST_E_MALFORMED, obj, at,
			       "UID (keyed archive) is not a plist value");
	default: return bad(b, PLIST_E_MALFORMED, obj, at, "unknown object type");
	}
}

/* @depth: 1 for the top object.  Bounded by PLIST_MAX_DEPTH, so is the recursion. */
static int check_object(struct bplist *b, uint64_t obj, unsigned int depth)
{
	size_t at = object_at(b, obj);
	unsigned int i;

	if (!at)
		return plist_fail(b->p, PLIST_E_MALFORMED, 0,
				  "binary plist: offset table at byte %llu: object %llu lies outside the objects",
				  (unsigned long long)(b->table + obj * b->off_size),
				  (unsigned long long)obj);
	for (i = 1; i < depth; i++)
		if (b->path[i] == obj)
			return bad(b, PLIST_E_MALFORMED, obj, at,
				   "reached again from inside itself (a reference cycle)");
	if (depth > PLIST_MAX_DEPTH)
		return bad(b, PLIST_E_LIMIT, obj, at, "values nested deeper than 64 levels");
	if (++b->visited > PLIST_MAX_NODES)
		return bad(b, PLIST_E_LIMIT, obj, at, "more than 65536 values once references are followed");
	b->path[depth] = obj;
	return check_body(b, obj, at, depth);
}

static int check_file(struct bplist *b)
{
	if (b->len < HEADER_SIZE + 1 + TRAILER_SIZE)
		return plist_fail(b->p, PLIST_E_MALFORMED, 0,
				  "binary plist: truncated at byte %zu (%d bytes is the least)",
				  b->len, HEADER_SIZE + 1 + TRAILER_SIZE);
	return check_trailer(b) ?: check_object(b, b->top, 1);
}

/* --- libplist's tree -> ours ------------------------------------------- */

static int convert(struct plist_parse *p, plist_t src, struct plist_node **out);

static int conv_string(struct plist_parse *p, plist_t src, struct plist_node *node)
{
	uint64_t len = 0;
	const char *s = plist_get_string_ptr(src, &len);

	/* UTF-16 grows by half in UTF-8: the walk bounded characters, not bytes. */
	if (!s || len > PLIST_MAX_STRING)
		return plist_fail(p, PLIST_E_LIMIT, 0, "binary plist: string longer than %d bytes",
				  PLIST_MAX_STRING);
	node->string.s = strndup(s, len);
	node->string.len = len;
	return node->string.s ? 0 : -ENOMEM;
}

static int conv_data(struct plist_parse *p, plist_t src, struct plist_node *node)
{
	uint64_t len = 0;
	const char *d = plist_get_data_ptr(src, &len);

	node->data.bytes = malloc(len ? len : 1);
	if (!node->data.bytes)
		return -ENOMEM;
	if (len)
		memcpy(node->data.bytes, d, len);
	node->data.len = len;
	return 0;
}

static int conv_array(struct plist_parse *p, plist_t src, struct plist_node *node)
{
	uint32_t i, n = plist_array_get_size(src);
	int rc;

	node->array.items = calloc(n + 1, sizeof(*node->array.items));
	if (!node->array.items)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		rc = convert(p, plist_array_get_item(src, i), &node->array.items[i]);
		if (rc)
			return rc;
		node->array.n++;
	}
	return 0;
}

static void free_iterp(plist_dict_iter *it)
{
	free(*it);
}

static int conv_dict(struct plist_parse *p, plist_t src, struct plist_node *node)
{
	_cleanup_(free_iterp) plist_dict_iter it = NULL;
	uint32_t n = plist_dict_get_size(src);
	const struct plist_entry *dup = NULL;
	struct plist_entry *e;
	plist_t val = NULL;
	int rc;

	node->dict.entries = calloc(n + 1, sizeof(*node->dict.entries));
	plist_dict_new_iter(src, &it);
	if (!node->dict.entries || !it)
		return -ENOMEM;
	for (e = node->dict.entries; node->dict.n < n; e++) {
		plist_dict_next_item(src, it, &e->key, &val);
		if (!e->key || !val)
			return e->key ? plist_fail(p, PLIST_E_MALFORMED, 0,
						   "binary plist: dictionary key without a value")
				      : -ENOMEM;
		node->dict.n++;
		rc = convert(p, val, &e->value);
		if (rc)
			return rc;
	}
	rc = plist_dict_duplicate(node, &dup);
	if (!rc && dup)
		rc = plist_fail(p, PLIST_E_MALFORMED, 0,
				"binary plist: duplicate key \"%s\" in dictionary", dup->key);
	return rc;
}

#if HAVE_PLIST_GET_UNIX_DATE_VAL
static void conv_date(plist_t src, struct plist_node *node)
{
	int64_t sec = 0;

	plist_get_unix_date_val(src, &sec);
	node->date = sec;
}
#else
/* libplist gives whole seconds and microseconds, both truncated toward 0. */
static void conv_date(plist_t src, struct plist_node *node)
{
	int32_t sec = 0, usec = 0;

	plist_get_date_val(src, &sec, &usec);
	node->date = (long long)sec + MAC_EPOCH - (usec < 0);
}
#endif

static int conv_scalar(struct plist_parse *p, plist_t src, struct plist_node *node)
{
	uint64_t u = 0;
	uint8_t b = 0;

	switch (node->type) {
	case PLIST_BOOL:
		plist_get_bool_val(src, &b);
		node->boolean = b != 0;
		return 0;
	case PLIST_INTEGER:
		/* Signed 8-byte or unsigned up to LLONG_MAX, as the walk checked. */
		plist_get_uint_val(src, &u);
		node->integer = (long long)u;
		return 0;
	case OUR_REAL:
		plist_get_real_val(src, &node->real);
		return 0;
	case OUR_DATE:
		conv_date(src, node);
		return 0;
	case OUR_STRING: return conv_string(p, src, node);
	case OUR_DATA: return conv_data(p, src, node);
	case OUR_ARRAY: return conv_array(p, src, node);
	case OUR_DICT: return conv_dict(p, src, node);
	}
	return -EINVAL;
}

static int type_of(plist_t src, enum plist_type *type)
{
	switch (plist_get_node_type(src)) {
	case PLIST_BOOLEAN: *type = PLIST_BOOL; return 0;
	case PLIST_UINT: *type = PLIST_INTEGER; return 0;
	case PLIST_REAL: *type = OUR_REAL; return 0;
	case PLIST_DATE: *type = OUR_DATE; return 0;
	case PLIST_STRING: *type = OUR_STRING; return 0;
	case PLIST_DATA: *type = OUR_DATA; return 0;
	case PLIST_ARRAY: *type = OUR_ARRAY; return 0;
	case PLIST_DICT: *type = OUR_DICT; return 0;
	default: return -EINVAL;
	}
}

/* Depth is bounded by check_object(), so this recursion is too. */
static int convert(struct plist_parse *p, plist_t src, struct plist_node **out)
{
	struct plist_node *node;
	enum plist_type type;
	int rc;

	if (!src || type_of(src, &type))
		return plist_fail(p, PLIST_E_MALFORMED, 0,
				  "binary plist: a value of a type plists do not have");
	node = calloc(1, sizeof(*node));
	if (!node)
		return -ENOMEM;
	node->type = type;
	rc = conv_scalar(p, src, node);
	if (rc) {
		plist_node_free(node);
		return rc;
	}
	*out = node;
	return 0;
}

int plist_binary_read(struct plist_parse *p, const char *buf, size_t len,
		      struct plist_node **out)
{
	_cleanup_(plist_freep) plist_t root = NULL;
	struct bplist b = { .p = p, .buf = (const unsigned char *)buf, .len = len };
	int rc;

	if (len > PLIST_MAX_SIZE)
		return plist_fail(p, PLIST_E_LIMIT, 0, "larger than %d bytes", PLIST_MAX_SIZE);
	rc = check_file(&b);
	if (rc)
		return rc;
	plist_from_bin(buf, (uint32_t)len, &root);
	/* libplist says no more than that it failed; the walk found no reason. */
	if (!root)
		return plist_fail(p, PLIST_E_MALFORMED, 0, "binary plist: libplist cannot read it");
	return convert(p, root, out);
}
