/* SPDX-License-Identifier: MIT */
/*
 * overrides.c - the persistent enable/disable state of a domain's jobs
 * (format in overrides.h).  Read at every job directory scan and by each
 * change: the file is small and changes are rare, so nothing is cached and
 * the file on disk is the only truth.
 */
#include "overrides.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job-spec.h"
#include "log.h"

struct override_entry {
	enum override value;
	char label[];
};

static const char *const value_names[] = {
	[OVERRIDE_ENABLED] = "enabled",
	[OVERRIDE_DISABLED] = "disabled",
};

static struct override_entry *entry_new(const char *label, enum override value)
{
	size_t n = strlen(label) + 1;
	struct override_entry *e = malloc(sizeof(*e) + n);

	if (e) {
		e->value = value;
		memcpy(e->label, label, n);
	}
	return e;
}

/* Insert or change @label.  Return: 0 or -ENOMEM. */
static int put(struct overrides *o, const char *label, enum override value)
{
	struct override_entry *e = strmap_get(&o->map, label);

	if (e) {
		e->value = value;
		return 0;
	}
	e = entry_new(label, value);
	if (!e || strmap_put(&o->map, e->label, e) < 0) {
		free(e);
		return -ENOMEM;
	}
	return 0;
}

/* One line, without its newline.  Return: 0, or -ENOMEM. */
static int parse_line(struct overrides *o, const char *path, unsigned int n, const char *line)
{
	for (enum override v = OVERRIDE_ENABLED; v <= OVERRIDE_DISABLED; v++) {
		size_t len = strlen(value_names[v]);

		if (strncmp(line, value_names[v], len) == 0 && line[len] == ' ' && line[len + 1])
			return put(o, line + len + 1, v);
	}
	if (*line && *line != '#')
		log_warnx("%s:%u: not \"enabled LABEL\" or \"disabled LABEL\": ignored", path, n);
	return 0;
}

static int read_lines(struct overrides *o, const char *path, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned int n = 0;
	int err = 0;

	while (!err && (len = getline(&line, &cap, f)) >= 0) {
		n++;
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		err = parse_line(o, path, n, line);
	}
	if (!err && ferror(f))
		err = -EIO;
	free(line);
	return err;
}

int overrides_read(struct overrides *o, const char *state_dir)
{
	char path[4096];
	FILE *f;
	int err;

	strmap_init(&o->map);
	if (snprintf(path, sizeof(path), "%s/%s", state_dir, OVERRIDES_FILE) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	err = read_lines(o, path, f);
	fclose(f);
	return err;
}

void overrides_deinit(struct overrides *o)
{
	struct override_entry *e;
	size_t i = 0;

	while ((e = strmap_next(&o->map, &i)))
		free(e);
	strmap_deinit(&o->map);
}

enum override overrides_get(const struct overrides *o, const char *label)
{
	const struct override_entry *e = strmap_get(&o->map, label);

	return e ? e->value : OVERRIDE_NONE;
}

bool overrides_disabled(const struct overrides *o, const struct job_spec *spec)
{
	switch (overrides_get(o, spec->label)) {
	case OVERRIDE_ENABLED:
		return false;
	case OVERRIDE_DISABLED:
		return true;
	default:
		return spec->disabled;
	}
}

/* mkdir -p: the default state dir (~/.local/state/bootstrapd) may not exist yet. */
static int make_dirs(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		path[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int by_label(const void *a, const void *b)
{
	const struct override_entry *const *x = a, *const *y = b;

	return strcmp((*x)->label, (*y)->label);
}

int overrides_each(const struct overrides *o, overrides_fn *fn, void *data)
{
	struct override_entry **all = calloc(o->map.count + 1, sizeof(*all));
	size_t i = 0, n = 0;
	struct override_entry *e;

	if (!all)
		return -ENOMEM;
	while ((e = strmap_next(&o->map, &i)))
		all[n++] = e;
	qsort(all, n, sizeof(*all), by_label);
	for (i = 0; i < n; i++)
		fn(data, all[i]->label, all[i]->value);
	free(all);
	return 0;
}

static void write_entry(void *data, const char *label, enum override value)
{
	fprintf(data, "%s %s\n", value_names[value], label);
}

/* Every entry, sorted (so that the file diffs well), to @f. */
static int write_entries(const struct overrides *o, FILE *f)
{
	fprintf(f, "# bootstrapd overrides: bsctl enable/disable, load -w/unload -w\n");
	return overrides_each(o, write_entry, f);
}

/* Write @o to a temporary file in @state_dir, then rename it over the file. */
static int write_file(const struct overrides *o, const char *state_dir)
{
	char tmp[4096], path[4096];
	FILE *f;
	int fd, err;

	if (snprintf(path, sizeof(path), "%s/%s", state_dir, OVERRIDES_FILE) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", state_dir, OVERRIDES_FILE) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	err = write_entries(o, f);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0)
		err = err ? err : -errno;
	if (fclose(f) != 0)
		err = err ? err : -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int overrides_set(const char *state_dir, const char *label, enum override value)
{
	struct overrides o;
	int err = make_dirs(state_dir);

	if (err < 0)
		return err;
	err = overrides_read(&o, state_dir);
	if (!err && value == OVERRIDE_NONE)
		free(strmap_del(&o.map, label));
	else if (!err)
		err = put(&o, label, value);
	if (!err)
		err = write_file(&o, state_dir);
	overrides_deinit(&o);
	return err;
}
