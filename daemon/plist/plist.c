/* SPDX-License-Identifier: MIT */
/*
 * plist.c - the typed plist tree with line numbers, and reading one; no job semantics.
 *
 * Parsing happens in two steps.  plist-xml.c builds libxml2's tree under
 * SAX hooks that refuse, while parsing, what must never reach memory:
 * entity declarations, deep nesting, too many elements.  Then
 * plist-xml-convert.c walks that tree into struct plist_node, checking the
 * plist grammar with the line of each offence.  Binary plists go to
 * plist-binary.c.  This file holds the tree itself and the entry points.
 */
#include "plist.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "plist-binary.h"
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
		rc = plist_xml_convert(&p, doc, out);
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
