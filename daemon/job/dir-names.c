/* SPDX-License-Identifier: MIT */
#include "dir-names.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void dir_names_deinit(struct dir_names *names)
{
	free(names->text);
	free(names->at);
	memset(names, 0, sizeof(*names));
}

/* At least @need bytes in *@p of capacity *@cap, doubling (0 or -ENOMEM). */
static int reserve(void **p, size_t *cap, size_t need, size_t start)
{
	size_t c = *cap ? *cap : start;
	void *grown;

	while (c < need) {
		if (c > SIZE_MAX / 2)
			return -ENOMEM;
		c *= 2;
	}
	if (c == *cap)
		return 0;
	grown = realloc(*p, c);
	if (!grown)
		return -ENOMEM;
	*p = grown;
	*cap = c;
	return 0;
}

/* @name, after a byte of its type (dir_names_type()). */
static int add(struct dir_names *names, const char *name, unsigned char type)
{
	size_t len = strlen(name) + 1;
	int err = reserve((void **)&names->text, &names->text_cap, names->text_used + 1 + len, 4096);

	if (!err)
		err = reserve((void **)&names->at, &names->at_cap,
			      (names->n + 1) * sizeof(*names->at), 64 * sizeof(*names->at));
	if (err)
		return err;
	names->text[names->text_used++] = (char)type;
	memcpy(names->text + names->text_used, name, len);
	names->at[names->n++] = names->text_used;
	names->text_used += len;
	return 0;
}

static int by_name(const void *a, const void *b, void *text)
{
	return strcmp((const char *)text + *(const size_t *)a, (const char *)text + *(const size_t *)b);
}

int dir_names_read(const char *dir, bool (*want)(const char *name), struct dir_names *names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = 0;

	memset(names, 0, sizeof(*names));
	if (!d)
		return -errno;
	while (!err) {
		errno = 0;
		e = readdir(d);
		if (!e) {
			err = -errno;
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!want || want(e->d_name))
			err = add(names, e->d_name, e->d_type);
	}
	closedir(d);
	if (err) {
		dir_names_deinit(names);
		return err;
	}
	if (names->n)
		qsort_r(names->at, names->n, sizeof(*names->at), by_name, names->text);
	return 0;
}
